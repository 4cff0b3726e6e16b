"""Draws the space-time (message sequence) diagram of a View
(spacetime_data.py): one horizontal line per node, time to the right,
every message an arrow from its send to its delivery, client operations as
bars above their node's line, fault and note windows shaded.

Invariants: a message kind has one colour on every diagram of every run,
whatever the window or nodes shown: kind_colour() hashes its name into the
palette (the legend names each kind); a dropped copy ends in a red cross
where it was lost, a held one has a hollow square where the cut held it
and a dashed shaft; partitions shade the whole height, a crash or pause
only its node's line; when more messages or operations fall in the window
than the chart can show, ordinary ones are thinned (every k-th) and every
dropped, held or duplicated message is kept, and the note under the chart
says how many were left out. Labels (--labels kind or all) are placed
after the layout, in time order, and a label that would cover one already
placed is left out; the note counts the labels drawn of those asked for.
"""

import zlib

from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from plot_common import SLIDE_SIZE, lay_out, subtitle, wrap_label, wrap_to_width

KIND_COLOURS = ["#0072B2", "#CC79A7", "#000000", "#8C564B", "#E69F00", "#7F7F7F", "#6A3D9A",
                "#B15928", "#BCBD22", "#E7298A"]  # none is an outcome colour (client ops)
# Prefixed to a kind's name before hashing: chosen so that each built-in
# model's kinds get distinct colours (leader-lease has 12 kinds for 10
# colours, so some of its kinds share one). Changing it recolours every kind.
KIND_SALT = "397:"
DROP_COLOUR, HELD_COLOUR = "#D55E00", "#7B3294"
OUTCOME_COLOURS = {"ok": "#009E73", "fail": "#D55E00", "info": "#56B4E9", None: "#999999"}
LANE_FAULT_COLOURS = {"crash": "#555555", "pause": "#0072B2"}
PARTITION_COLOUR = "#D55E00"
WINDOW_COLOURS = ["#E69F00", "#CC79A7", "#56B4E9", "#009E73"]
OP_OFFSET = 0.2  # client operation bars sit this far above their node's line
OP_ROWS, OP_ROW_STEP = 4, 0.11  # overlapping operations stack on up to 4 rows


def thin(items, limit, keep):
    """(drawn, stride, special_stride): at most `limit` items, in order. The
    items for which keep() is true (drops, holds, failures) come first:
    all of them if they fit in half the limit or the others leave room,
    else every k-th; the others fill what is left, every k-th (stride 1:
    all drawn; 0: none). Worked examples, limit 20: 10 special and 100
    ordinary: all 10 special (they fit in half), every 10th ordinary (10);
    100 special and 100 ordinary: every 10th of each; 100 special and 5
    ordinary: every 7th special (15), all 5 ordinary."""
    special = [i for i in items if keep(i)]
    ordinary = [i for i in items if not keep(i)]
    share = max(limit // 2, limit - len(ordinary))
    special_stride = 1 if len(special) <= share else -(-len(special) // max(1, share))
    kept_special = special[::special_stride]
    room = limit - len(kept_special)
    stride = 1 if len(ordinary) <= room else (-(-len(ordinary) // room) if room > 0 else 0)
    chosen = {id(i) for i in kept_special}
    chosen |= {id(i) for i in ordinary[::stride]} if stride else set()
    return [i for i in items if id(i) in chosen], stride, special_stride


def notable(m):
    return m["dropped"] is not None or m["held"] is not None or len(m["delivered"]) > 1


def ms(view, t):
    return (t - view.start) / 1e6


def lane_y(view):
    return {n: -i for i, n in enumerate(view.nodes)}


def kind_colour(kind):
    """The colour of a message kind, the same on every diagram and run:
    KIND_COLOURS[crc32("397:" + kind) % 10]."""
    return KIND_COLOURS[zlib.crc32((KIND_SALT + kind).encode()) % len(KIND_COLOURS)]


def kind_colours(messages):
    """{kind: colour} for the kinds drawn, in order of first appearance (the legend's)."""
    colours = {}
    for m in messages:
        colours.setdefault(m["kind"], kind_colour(m["kind"]))
    return colours


def message_label(m, labels):
    if labels == "none":
        return None
    if labels == "kind" or not m["extra"]:
        return m["kind"]
    extra = " ".join(f"{k}={compact(v)}" for k, v in m["extra"].items())
    return f"{m['kind']} {extra}"


def compact(v):
    if isinstance(v, list):
        return "[" + ",".join(compact(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ",".join(f"{k}:{compact(x)}" for k, x in v.items()) + "}"
    return str(v)


def draw_message(ax, view, y, m, colour, label):
    """One copy's arrow (the first delivery), clipped at the window's end;
    returns its label's place (x, y, text, colour, size), or None."""
    x0, y0, y1 = ms(view, m["send"]), y[m["from"]], y[m["to"]]
    width = ms(view, view.end)
    if m["delivered"]:
        t1, style = m["delivered"][0], "solid"
    elif m["dropped"] is not None:
        t1, style = m["dropped"][0], "dotted"
    else:
        t1, style = view.end + (view.end - m["send"]), "solid"  # still in flight
    if m["held"] is not None:
        style = "dashed"
    x1 = ms(view, t1)
    if m["dropped"] is not None and not m["delivered"]:  # lost: a stub towards its target
        x1 = max(x1, x0 + 0.4 * view.typical_ms)
        y1 = y0 + (y1 - y0) * 0.3
    head = x1 <= width
    if not head:  # past the window: cut the shaft at the edge, no head
        y1 = y0 + (y1 - y0) * (width - x0) / max(x1 - x0, 1e-9)
        x1 = width
    arrow = ax.annotate("", xy=(x1, y1), xytext=(x0, y0), zorder=3,
                        arrowprops={"arrowstyle": "-|>" if head else "-", "color": colour,
                                    "lw": 1.2, "linestyle": style, "shrinkA": 0, "shrinkB": 0,
                                    "mutation_scale": 10})
    # An id in the SVG, for tests and tools.
    arrow.arrow_patch.set_gid(f"message-{m['kind']}-{m['msg']}")
    if m["held"] is not None:
        hx = ms(view, m["held"])
        f = (hx - x0) / max(ms(view, t1) - x0, 1e-9)
        ax.plot(hx, y0 + (y[m["to"]] - y0) * min(f, 1.0) * 0.25, marker="s", ms=7, mfc="white",
                mec=HELD_COLOUR, mew=1.8, zorder=5, gid=f"held-{m['msg']}")
    if m["dropped"] is not None and not m["delivered"]:
        ax.plot(x1, y1, marker="X", ms=9, color=DROP_COLOUR, zorder=5, gid=f"dropped-{m['msg']}")
    for extra in m["delivered"][1:]:  # a duplicate copy
        if ms(view, extra) <= width:
            ax.annotate("", xy=(ms(view, extra), y[m["to"]]), xytext=(x0, y0), zorder=2,
                        arrowprops={"arrowstyle": "-|>", "color": colour, "lw": 0.8,
                                    "linestyle": "dotted", "shrinkA": 0, "shrinkB": 0})
    return ((x0 + x1) / 2, (y0 + y1) / 2, label, colour, "center") if label else None


def op_text(o):
    if o["f"] == "write":
        return f"w k{o['key']}={o['value']}"
    if o["f"] == "read":
        return f"r k{o['key']}" + (f"={o['value']}" if o["outcome"] == "ok" else "")
    return f"{o['f']} k{o['key']}"


def op_rows(view, ops):
    """{id(op): row}: overlapping operations at one node go on different
    rows (at most OP_ROWS, then they share), so each bar can be seen."""
    free, rows = {}, {}
    for o in sorted(ops, key=lambda o: o["invoke"]):
        ends = free.setdefault(o["node"], [])
        end = o["end"] if o["end"] is not None else view.end
        row = next((r for r, t in enumerate(ends) if t < o["invoke"]), None)
        if row is None:
            row = len(ends) if len(ends) < OP_ROWS else min(range(len(ends)), key=ends.__getitem__)
            if row == len(ends):
                ends.append(end)
        ends[row] = max(ends[row], end)
        rows[id(o)] = row
    return rows


def draw_ops(ax, view, y, ops, labels):
    """The operations' bars; returns their labels' places (see draw_message)."""
    places = []
    width = ms(view, view.end)
    rows = op_rows(view, ops)
    for o in ops:
        x0 = ms(view, o["invoke"])
        x1 = min(width, ms(view, o["end"])) if o["end"] is not None else width
        yy = y[o["node"]] + OP_OFFSET + OP_ROW_STEP * rows[id(o)]
        colour = OUTCOME_COLOURS[o["outcome"] if o["end"] is not None and
                                 ms(view, o["end"]) <= width else None]
        ax.plot([x0, x1], [yy, yy], color=colour, lw=3, solid_capstyle="butt", zorder=4,
                gid=f"op-{o['op']}-{o['outcome'] or 'open'}")
        ax.plot(x0, yy, marker="v", ms=6, color=colour, zorder=4)
        if o["end"] is not None and ms(view, o["end"]) <= width:
            ax.plot(x1, yy, marker="^", ms=6, color=colour, zorder=4)
        if labels != "none":
            places.append((x0, yy + 0.05, op_text(o), "#333333", "left"))
    return places


def place_labels(fig, ax, places):
    """Draws the labels in time order, leaving out each one that would cover
    a label already drawn or leave the axes; returns how many were drawn."""
    renderer = fig.canvas.get_renderer()
    inside = ax.get_window_extent(renderer)
    taken = []
    for i, (x, y, text, colour, ha) in enumerate(sorted(places, key=lambda p: (p[0], p[1]))):
        label = ax.text(x, y, text, fontsize=7, color=colour, ha=ha,
                        va="center" if ha == "center" else "bottom", zorder=6, gid=f"label-{i}",
                        bbox={"boxstyle": "round,pad=0.1", "facecolor": "white", "alpha": 0.75,
                              "edgecolor": "none"})
        box = label.get_window_extent(renderer)
        if (any(box.overlaps(t) for t in taken) or box.x0 < inside.x0 or box.x1 > inside.x1
                or box.y0 < inside.y0 or box.y1 > inside.y1):
            label.remove()
        else:
            taken.append(box)
    return len(taken)


def shade_faults(ax, view, y):
    width = ms(view, view.end)
    labels = []
    for f in view.faults:
        x0 = max(0.0, ms(view, f["start"]))
        x1 = width if f["end"] is None else min(width, ms(view, f["end"]))
        if f["kind"] == "partition" or f["sides"]:
            ax.axvspan(x0, x1, color=PARTITION_COLOUR, alpha=0.08, zorder=0, lw=0,
                       gid=f"partition-{f['name']}")
            ax.axvline(ms(view, f["start"]), color=PARTITION_COLOUR, lw=1.2, ls="--", zorder=1) \
                if f["start"] >= view.start else None
            labels.append((x0, f["label"], PARTITION_COLOUR))
        elif f["node"] in y:
            colour = LANE_FAULT_COLOURS.get(f["kind"], "#CC79A7")
            if f["kind"] in LANE_FAULT_COLOURS:
                yy = y[f["node"]]
                ax.fill_between([x0, x1], yy - 0.3, yy + 0.7, color=colour, alpha=0.22, lw=0,
                                hatch="//" if f["kind"] == "crash" else None, zorder=1,
                                gid=f"{f['kind']}-{f['node']}")
            labels.append((x0, f["label"], colour))
    top = 0.72
    for i, (x, text, colour) in enumerate(labels):
        ax.text(x, top + 0.02, wrap_label(text, 60), fontsize=9, color=colour,
                fontweight="bold", va="bottom", ha="left", zorder=7,
                transform=ax.transData)
        top += 0.22
    return top


def draw_windows(ax, view, y, labels):
    colours, width = {}, ms(view, view.end)
    for i, w in enumerate(view.windows):
        if w["node"] not in y:
            continue
        colour = colours.setdefault(w["what"], WINDOW_COLOURS[len(colours) % len(WINDOW_COLOURS)])
        x0 = max(0.0, ms(view, w["start"]))
        x1 = width if w["end"] is None else min(width, ms(view, w["end"]))
        if x1 < 0 or x0 > width:
            continue
        yy = y[w["node"]]
        ax.fill_between([x0, x1], yy - 0.22, yy - 0.08, color=colour, alpha=0.5, lw=0, zorder=2,
                        gid=f"window-{w['what']}-{w['node']}-{i}")
        if labels and len(view.windows) <= 12:
            ax.text(x0, yy - 0.24 - 0.09 * (i % 2), f"{w['what']}: {w['detail']}", fontsize=8,
                    color="#333333",
                    va="top", ha="left", zorder=6)
    return colours


def spacetime_chart(plt, view, options):
    """Returns the figure; options: labels ("auto", "none", "kind", "all"),
    max_messages, max_ops."""
    messages, msg_stride, notable_stride = thin(view.messages, options["max_messages"], notable)
    ops, op_stride, _ = thin(view.ops, options["max_ops"], lambda o: o["outcome"] != "ok")
    labels = options["labels"]
    if labels == "auto":
        labels = "all" if len(messages) <= 60 else "none"
    lanes = len(view.nodes)
    fig, ax = plt.subplots(figsize=SLIDE_SIZE)
    y = lane_y(view)
    width = ms(view, view.end)
    for n in view.nodes:
        ax.axhline(y[n], color="#333333", lw=1.0, zorder=1)
    colours = kind_colours(messages)
    places = [draw_message(ax, view, y, m, colours[m["kind"]],
                           message_label(m, labels) if labels != "none" else None)
              for m in messages]
    places = [p for p in places if p] + draw_ops(ax, view, y, ops,
                                                 "none" if len(ops) > 40 else labels)
    window_colours = draw_windows(ax, view, y, labels != "none")
    top = shade_faults(ax, view, y)
    ax.set_yticks([y[n] for n in view.nodes])
    ax.set_yticklabels(view.nodes, fontsize=13)
    ax.set_ylim(-(lanes - 1) - 0.5, max(0.75, top + 0.1))
    ax.set_xlim(0, width)
    ax.grid(axis="y", visible=False)
    ax.set_xlabel(f"ms since {view.start / 1e9:.6g} s into the run")
    legend(fig, ax, colours, window_colours, view)
    h = view.header
    note = thinning_note(view, messages, (msg_stride, notable_stride), ops, op_stride)
    # Room for the label count at its longest ("N of N"), filled in once placed.
    text = lay_out(fig, "Space-time diagram: who sent what to whom, and when",
                   subtitle(h.get("scenario"), h.get("seed"), h.get("model")), top=0.82,
                   note=note + label_note(len(places), len(places)))
    text.set_text(note + label_note(place_labels(fig, ax, places), len(places)))
    wrap_to_width(fig, text)
    return fig


def label_note(drawn, asked):
    if asked == 0:
        return ""
    left = "" if drawn == asked else " (the others would have covered one)"
    return f" Labels: {drawn} of {asked} drawn{left}."


def legend(fig, ax, colours, window_colours, view):
    handles = [Line2D([], [], color=c, lw=2, label=k) for k, c in colours.items()]
    if any(m["dropped"] is not None for m in view.messages):
        handles.append(Line2D([], [], color=DROP_COLOUR, marker="X", lw=0, label="dropped"))
    if any(m["held"] is not None for m in view.messages):
        handles.append(Line2D([], [], color=HELD_COLOUR, marker="s", mfc="white", lw=0,
                              label="held by a cut, delivered later (dashed)"))
    handles += [Line2D([], [], color=OUTCOME_COLOURS[o], lw=3, label=f"client op: {o}")
                for o in ("ok", "fail", "info")]
    handles += [Patch(color=c, alpha=0.5, label=w) for w, c in window_colours.items()]
    kinds = {f["kind"] for f in view.faults}
    if any(f["sides"] for f in view.faults):
        handles.append(Patch(color=PARTITION_COLOUR, alpha=0.15, label="partition"))
    if "crash" in kinds:
        handles.append(Patch(facecolor=LANE_FAULT_COLOURS["crash"], alpha=0.3, hatch="//",
                             label="node down"))
    fig.legend(handles=handles, loc="lower center", ncol=min(8, len(handles)),
               bbox_to_anchor=(0.5, 0.83), frameon=False, fontsize=10)


def nth(k):
    """2 -> "2nd", 3 -> "3rd", 11 -> "11th"."""
    suffix = "th" if 10 <= k % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(k % 10, "th")
    return f"{k}{suffix}"


def thinning_note(view, messages, strides, ops, op_stride):
    msg_stride, notable_stride = strides
    parts = [f"{len(messages)} of {len(view.messages)} messages"]
    if (msg_stride, notable_stride) != (1, 1):
        ordinary = f"every {nth(msg_stride)} ordinary one" if msg_stride else "no ordinary one"
        special = ("all dropped, held, duplicated" if notable_stride == 1 else
                   f"every {nth(notable_stride)} dropped, held, duplicated")
        parts[-1] += f" ({ordinary}; {special})"
    parts.append(f"{len(ops)} of {len(view.ops)} client operations"
                 + (f" (every {nth(op_stride)} ok one)" if op_stride != 1 else ""))
    if view.left_out_nodes:
        parts.append(f"{view.left_out_nodes} messages involving nodes not shown left out")
    return "Drawn: " + "; ".join(parts) + ". Client ops: bar above the node from request (v) " \
        "to reply (^)."
