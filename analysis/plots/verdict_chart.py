"""The verdict panel of a comparison (plot_comparison.py): one row per
store model, one column per checker (linearizable, the causal checkers CC,
CM, CCv, each session guarantee, and any other checker the comparison
carries), each cell the checker's verdict and, where it has one, the
violation rate: of the reads checked for a session guarantee, of the keys
for linearizability; other checkers give a count of violations.

Invariants: the columns are the checkers comparison.json holds (never a
pinned list), in a teaching order first (the CHECKER_ORDER names) and the
rest by name; valid is green, invalid red, unknown grey, whatever the
model; the model's own colour marks its row label, as on every chart.
Each cell's text fits inside its cell: it is measured after the layout and
wrapped onto a third line, then set smaller, until it does (eleven
columns on a slide leave about 140 px for "0.053% of 1882 reads").
"""

from plot_common import SLIDE_SIZE, lay_out, legend_patch, save, subtitle

CHECKER_ORDER = ["linearizable", "causal-cc", "causal-cm", "causal-ccv", "read-your-writes",
                 "monotonic-reads", "monotonic-writes", "writes-follow-reads"]
SHORT_NAMES = {"linearizable": "linearizable", "causal-cc": "causal CC", "causal-cm": "causal CM",
               "causal-ccv": "causal CCv", "read-your-writes": "read your\nwrites",
               "monotonic-reads": "monotonic\nreads", "monotonic-writes": "monotonic\nwrites",
               "writes-follow-reads": "writes follow\nreads", "no-lost-writes": "no lost\nwrites",
               "one-leader-per-term": "one leader\nper term"}
VERDICT_COLOURS = {"valid": "#C7E9C0", "invalid": "#F4A582", "unknown": "#DDDDDD"}


def checker_columns(data):
    names = sorted({c for m in data.models for c in data.checkers.get(m, {})})
    return [c for c in CHECKER_ORDER if c in names] + [c for c in names if c not in CHECKER_ORDER]


MIN_FONT_SIZE = 6
CELL_PADDING_PX = 3


def cell_text(c):
    if c is None:
        return "not run"
    verdict = c["verdict"]
    if c["rate"] is not None and c["of"]:
        share = f"{100 * c['rate']:.2g}%" if c["rate"] < 0.995 else f"{100 * c['rate']:.0f}%"
        return f"{verdict}\n{share} of {c['of']:.0f} {c['unit']}"
    if verdict == "invalid" and c["count"]:
        return f"{verdict}\n{c['count']:.0f} violation{'s' if c['count'] != 1 else ''}"
    return verdict


def wrapped(text):
    """The text with its rate line broken before "of": "0.053%\nof 1882 reads"."""
    return text.replace("% of ", "%\nof ")


def fit_cells(fig, cells):
    """Wraps, then shrinks, each cell's text until it lies inside its cell
    (less a small padding). cells: [(text artist, rectangle)]."""
    renderer = fig.canvas.get_renderer()
    for text, rect in cells:
        room = rect.get_window_extent(renderer).padded(-CELL_PADDING_PX)
        original, size = text.get_text(), text.get_fontsize()
        variants = [original] + ([wrapped(original)] if wrapped(original) != original else [])
        for trial_size in range(int(size), MIN_FONT_SIZE - 1, -1):
            if any(fits(text, v, trial_size, room, renderer) for v in variants):
                break


def fits(text, value, size, room, renderer):
    text.set_text(value)
    text.set_fontsize(size)
    box = text.get_window_extent(renderer)
    return box.x0 >= room.x0 and box.x1 <= room.x1 and box.y0 >= room.y0 and box.y1 <= room.y1


def verdict_chart(plt, data, colours, folder, written):
    columns = checker_columns(data)
    fig, ax = plt.subplots(figsize=SLIDE_SIZE)
    ax.set_xlim(-0.5, len(columns) - 0.5)
    ax.set_ylim(len(data.models) - 0.5, -0.5)
    size = 10  # fit_cells() makes it smaller where a cell needs it
    cells = []
    for row, model in enumerate(data.models):
        for col, name in enumerate(columns):
            c = data.checkers.get(model, {}).get(name)
            fill = VERDICT_COLOURS.get(c["verdict"] if c else "unknown", "#DDDDDD")
            rect = ax.add_patch(plt.Rectangle((col - 0.48, row - 0.45), 0.96, 0.9,
                                              facecolor=fill, edgecolor="white",
                                              gid=f"verdict-{model}-{name}"))
            text = ax.text(col, row, cell_text(c), ha="center", va="center", fontsize=size,
                           fontweight="bold" if c and c["verdict"] == "invalid" else "normal")
            cells.append((text, rect))
    ax.set_xticks(range(len(columns)))
    # A checker without a short name breaks at its hyphens; with many
    # checkers the labels start smaller (fit_column_labels shrinks them
    # further if two still touch).
    ax.set_xticklabels([SHORT_NAMES.get(c, c.replace("-", "\n")) for c in columns],
                       fontsize=11 if len(columns) <= 10 else 9)
    ax.xaxis.tick_top()
    ax.set_yticks(range(len(data.models)))
    ax.set_yticklabels(data.models, fontsize=13, fontweight="bold")
    for label, model in zip(ax.get_yticklabels(), data.models):
        label.set_color(colours[model])
    ax.grid(False)
    for side in ("left", "bottom", "top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(length=0)
    lay_out(fig, "Checker verdicts per model: which guarantees held, and how often they broke",
            subtitle(data.scenario, data.seed), top=0.86,
            note="Rates: session guarantees per read checked, linearizability per key; "
            "causal checkers count violations. valid = no violation found.")
    fig.legend(handles=[legend_patch(VERDICT_COLOURS[v], v) for v in VERDICT_COLOURS],
               loc="lower right", ncol=3, bbox_to_anchor=(0.99, 0.86), frameon=False)
    fit_cells(fig, cells)
    fit_column_labels(fig, ax)
    save(fig, plt, folder, "verdicts.png", written)


def fit_column_labels(fig, ax):
    """Shrinks the checker names above the columns until no two overlap."""
    labels = ax.get_xticklabels()
    size = labels[0].get_fontsize() if labels else MIN_FONT_SIZE
    while size > MIN_FONT_SIZE:
        fig.canvas.draw()
        boxes = [t.get_window_extent() for t in labels]
        if all(a.x1 + CELL_PADDING_PX <= b.x0 for a, b in zip(boxes, boxes[1:])):
            return
        size -= 0.5
        for t in labels:
            t.set_fontsize(size)
