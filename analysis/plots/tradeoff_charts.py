"""Trade-off comparison charts: t-visibility curves, the CAP/PACELC picture
and convergence after each fault, one colour per store model (see
comparison_data.py for where each number comes from).

Invariants: a panel with nothing to draw says why in words instead of
staying blank; t-visibility bins with fewer than MIN_SAMPLES samples are
merged with their neighbours until they have enough (one or two reads make
a probability of 0 or 1 that means nothing), and each point's area shows
how many reads it stands for.
"""

import math

from label_placement import place_labels
from plot_common import SLIDE_SIZE, lay_out, model_legend, save, seconds_label, subtitle, wrap_label

MIN_SAMPLES = 30  # reads a t-visibility point needs: fewer, and neighbouring bins merge
MARKERS = ["o", "s", "^", "D", "v", "P", "X"]
LINESTYLES = ["-", "--", "-.", ":"]


def say_empty(ax, text):
    ax.text(0.5, 0.5, wrap_label(text, 40), transform=ax.transAxes, ha="center", va="center",
            fontsize=14, color="#555555")


def percent_axis(plt, axis):
    axis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{100 * v:.0f}%"))


def bin_centre(b):
    """Where a t-visibility bin is drawn on the log time axis, in ms."""
    if b["to_ms"] is None:  # [10 s, infinity)
        return b["from_ms"] * 10 ** 0.1
    if b["from_ms"] <= 0:  # [0, 0.1 ms)
        return b["to_ms"] / 2
    return math.sqrt(b["from_ms"] * b["to_ms"])


def merged_bins(bins, least=MIN_SAMPLES):
    """Adjacent bins merged, left to right, until each holds at least
    `least` reads; a last group short of it joins the one before (or is
    dropped when it is alone). Each result: {"centre_ms", "probability",
    "count", "from_ms", "to_ms"}.

    Worked example: counts 3, 1, 4, 9 (fresh 3, 0, 4, 9) with least=5:
    [3+1+4 = 8 reads, 7 fresh: 87.5%], [9 reads, 100%]."""
    groups, current = [], []
    for b in bins:
        if not b["count"]:
            continue
        current.append(b)
        if sum(x["count"] for x in current) >= least:
            groups.append(current)
            current = []
    if current and groups:
        groups[-1] = groups[-1] + current
    out = []
    for g in groups:
        count = sum(b["count"] for b in g)
        fresh = sum(b["fresh"] if b.get("fresh") is not None else b["probability"] * b["count"]
                    for b in g)
        merged = {"from_ms": g[0]["from_ms"], "to_ms": g[-1]["to_ms"]}
        out.append({"centre_ms": bin_centre(merged), "probability": fresh / count,
                    "count": count, **merged})
    return out


def visibility_chart(plt, data, colours, folder, written):
    fig, axes = plt.subplots(1, 2, figsize=SLIDE_SIZE, sharey=True)
    titles = {"during_partition": "reads while a partition was active",
              "outside_partition": "reads with no partition active"}
    largest = max([b["count"] for m in data.models for p in titles
                   for b in merged_bins(data.visibility[m][p])] or [1])
    for ax, period in zip(axes, titles):
        drawn = False
        for i, model in enumerate(data.models):
            bins = merged_bins(data.visibility[model][period])
            if not bins:
                continue
            drawn = True
            xs, ys = [b["centre_ms"] for b in bins], [b["probability"] for b in bins]
            ax.plot(xs, ys, color=colours[model], linestyle=LINESTYLES[i % len(LINESTYLES)],
                    linewidth=2, label=model, gid=f"visibility-{model}-{period}")
            # Point area grows with the reads behind the point: big points are sure ones.
            ax.scatter(xs, ys, s=[12 + 220 * (b["count"] / largest) ** 0.5 for b in bins],
                       color=colours[model], marker=MARKERS[i % len(MARKERS)], zorder=3,
                       edgecolor="white", linewidth=0.5, gid=f"counts-{model}-{period}")
        ax.set_title(titles[period])
        ax.set_xscale("log")
        ax.set_xlim(0.03, 2e4)
        ticks = [0.1, 1, 10, 100, 1000, 10000]
        ax.set_xticks(ticks)
        ax.set_xticklabels(["0.1 ms", "1 ms", "10 ms", "100 ms", "1 s", "10 s"])
        ax.set_xlabel("time since the write was acknowledged")
        ax.set_ylim(-0.02, 1.05)
        percent_axis(plt, ax.yaxis)
        if drawn:
            ax.legend(loc="lower right")
        else:
            say_empty(ax, "no reads in this period (the run has no partition, or no writes to see)")
    axes[0].set_ylabel("chance a read sees the write\n(or a newer one)")
    lay_out(fig, "t-visibility: how soon after a write is acknowledged do reads see it?",
            subtitle(data.scenario, data.seed), top=0.89,
            note=f"Point: reads that long after a write's ack; its area grows with their number "
            f"(largest {largest:.0f}). Neighbouring bins merge until each has "
            f"{MIN_SAMPLES}+ reads.")
    save(fig, plt, folder, "t-visibility.png", written)


def side_name(side, several_faults):
    nodes = side["nodes"]
    text = " ".join(nodes) if len(nodes) <= 4 else f"{' '.join(nodes[:3])} ... ({len(nodes)} nodes)"
    return f"{side['fault']}: {text}" if several_faults else text


def partitions_of(data):
    """Partition names in the order they appear in the reports."""
    names = []
    for model in data.models:
        for side in data.cap[model]["sides"]:
            if side["fault"] not in names:
                names.append(side["fault"])
    return names


def diamond(ax, x, y, model_index, colour):
    # Later models get smaller markers, drawn on top: equal points nest.
    ax.scatter(x, y, s=max(40, 260 - 70 * model_index), color=colour, marker="D",
               edgecolor="black", linewidth=0.6, zorder=3 + model_index)


def availability_freshness_axes(ax, plt, title, xlabel, ylabel=None):
    ax.set_xlim(-0.05, 1.45)  # room right of 100% for the labels of the available sides
    ax.set_ylim(-0.05, 1.1)
    ax.set_xticks([0, 0.25, 0.5, 0.75, 1])
    ax.set_yticks([0, 0.25, 0.5, 0.75, 1])
    percent_axis(plt, ax.xaxis)
    percent_axis(plt, ax.yaxis)
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel or "fresh reads (successful reads that saw\nthe latest acknowledged write)")


def cap_panel(ax, plt, data, colours, only_fault=None, compact=False):
    """One diamond per model and side; `only_fault`: the sides of that partition only."""
    several = len(partitions_of(data)) > 1 and only_fault is None
    points = []
    for i, model in enumerate(data.models):
        for side in data.cap[model]["sides"]:
            x, y = side["availability"], side["fresh_fraction"]
            if x is None or y is None or (only_fault and side["fault"] != only_fault):
                continue
            diamond(ax, x, y, i, colours[model])
            # Compact panels have a colour legend: the nodes say enough.
            text = side_name(side, several)
            points.append((x, y, text if compact else f"{model}\n{text}", colours[model]))
    title = (wrap_label(only_fault, 30) if compact else
             "During the partition (CAP): each side")
    if compact:
        availability_freshness_axes(ax, plt, title, "availability on that side", "fresh reads")
    else:
        availability_freshness_axes(ax, plt, title,
                                    "availability on that side\n(operations that succeeded)")
    if not points:
        say_empty(ax, "no partition in this run")
    return points


def partitions_panel(ax, plt, data, colours):
    """Several partitions: one diamond per model and partition, over the whole
    cluster while it was active (the phase "during <partition>")."""
    points = []
    for name in partitions_of(data):
        for i, model in enumerate(data.models):
            row = data.rows.get((model, f"during {name}"))
            if row is None or row["availability"] is None or row["stale_rate"] is None:
                continue
            x, y = row["availability"], 1 - row["stale_rate"]
            diamond(ax, x, y, i, colours[model])
            points.append((x, y, f"{model}\n{wrap_label(name, 24)}", colours[model]))
    availability_freshness_axes(ax, plt, "During each partition (CAP): the whole cluster",
                                "availability (operations that succeeded)")
    if not points:
        say_empty(ax, "no partition phase without another fault")
    return points


def else_panel(ax, plt, data, colours):
    """PACELC "else": no fault active, latency against fresh reads."""
    points, fresh_values, widest = [], [], 1.0
    for model in data.models:
        e = data.cap[model]["else"]
        if e is None or e["stale_rate"] is None:
            continue
        fresh = 1 - e["stale_rate"]
        fresh_values.append(fresh)
        for kind in ("read", "write"):
            p50, p99 = e[f"{kind}_p50"], e[f"{kind}_p99"]
            if p50 is None:
                continue
            widest = max(widest, p99 or p50)
            ax.plot([p50, p99 if p99 is not None else p50], [fresh, fresh], color=colours[model],
                    linewidth=2, zorder=2)
            ax.scatter(p50, fresh, zorder=3, **KIND_MARKERS[kind](colours[model]))
        x = max(v for v in (e["read_p50"], e["write_p50"], 0.0) if v is not None)
        points.append((x, fresh, f"{model}\n{100 * fresh:.1f}% fresh", colours[model]))
    ax.set_title("With no fault active (PACELC 'else')")
    ax.set_xlabel("latency in ms\n(marker: median; line: up to the 99th percentile)")
    ax.set_ylabel("fresh reads")
    ax.set_xlim(-0.08 * widest, widest * 1.3)
    low = min(fresh_values, default=0.9)
    span = max(0.05, (1 - low) * 1.6)
    ax.set_ylim(max(-0.02, 1 - span), 1 + span * 0.12)
    ax.yaxis.set_major_locator(plt.MaxNLocator(nbins=6, steps=[1, 2, 2.5, 5, 10]))
    digits = 0 if span > 0.2 else 1 if span > 0.02 else 2
    ax.yaxis.set_major_formatter(plt.FuncFormatter(
        lambda v, _: f"{100 * v:.{digits}f}%" if v <= 1.0000001 else ""))
    if not points:
        say_empty(ax, "every phase of this run has a fault active")
    return points


# Reads: a ring; writes: a filled square, which shows inside the ring when
# a model's reads and writes have the same median latency.
KIND_MARKERS = {
    "read": lambda c: {"s": 260, "marker": "o", "facecolor": "none", "edgecolor": c,
                       "linewidth": 2.5},
    "write": lambda c: {"s": 80, "marker": "s", "color": c, "edgecolor": "black",
                        "linewidth": 0.6},
}


def cap_chart(plt, data, colours, folder, written):
    from matplotlib.lines import Line2D

    several = len(partitions_of(data)) > 1
    fig, (left, right) = plt.subplots(1, 2, figsize=SLIDE_SIZE,
                                      gridspec_kw={"width_ratios": [1.25, 1]})
    cap_points = (partitions_panel if several else cap_panel)(left, plt, data, colours)
    else_points = else_panel(right, plt, data, colours)
    left_note = ("one partition under one model, whole cluster (each side: cap-sides.png)"
                 if several else "one side of the partition under one model")
    lay_out(fig, "The CAP / PACELC trade-off: availability and speed against fresh reads",
            subtitle(data.scenario, data.seed), top=0.89,
            note=f"Left: each point is {left_note}. Right: the phases with no fault active; "
            "fresh reads are those not stale.")
    key = [Line2D([], [], marker="o", linestyle="", markerfacecolor="none", color="#444444",
                  markeredgewidth=2.5, markersize=14, label="reads"),
           Line2D([], [], marker="s", linestyle="", color="#444444", markersize=8,
                  label="writes")]
    right.legend(handles=key, loc="lower right")
    place_labels(fig, left, cap_points)
    place_labels(fig, right, else_points)
    save(fig, plt, folder, "cap-pacelc.png", written)
    if several:
        sides_chart(plt, data, colours, folder, written)


def sides_chart(plt, data, colours, folder, written):
    """Several partitions: one small CAP panel per partition, each side a point."""
    names = partitions_of(data)
    columns = min(3, len(names))
    rows = (len(names) + columns - 1) // columns
    fig, axes = plt.subplots(rows, columns, figsize=SLIDE_SIZE, squeeze=False)
    panels = []
    for k, name in enumerate(names):
        ax = axes[k // columns][k % columns]
        panels.append((ax, cap_panel(ax, plt, data, colours, only_fault=name, compact=True)))
        if k % columns:
            ax.set_ylabel("")
    for k in range(len(names), rows * columns):
        axes[k // columns][k % columns].set_visible(False)
    lay_out(fig, "CAP, partition by partition: availability and fresh reads on each side",
            subtitle(data.scenario, data.seed), top=0.86,
            note="Each point is one side of that partition under one model; a node that "
            "sees both halves (a bridge) is on two sides.")
    model_legend(fig, data.models, colours)
    for ax, points in panels:
        place_labels(fig, ax, points, fontsize=9)
    save(fig, plt, folder, "cap-sides.png", written)


def fault_end_label(w):
    what = {"heal": "heal of", "restart": "restart after", "resume": "resume after"}
    name = w["fault"] + (f" ({w['node']})" if w["node"] else "")
    event = what.get(w["event"], w["event"])
    return f"{event}\n{wrap_label(name, 20)}\nat {seconds_label(w['time_ms'])}"


def end_key(w):
    """Identifies one fault end across the models' reports."""
    return (w["time_ms"], w["event"], w["fault"], w["node"] or "")


def convergence_chart(plt, data, colours, folder, written):
    fig, ax = plt.subplots(figsize=SLIDE_SIZE)
    ends = {}  # end_key -> one watch describing it
    for model in data.models:
        for w in data.convergence[model] or []:
            ends.setdefault(end_key(w), w)
    keys = sorted(ends)
    tallest = max([w["converged_ms"] or 0 for m in data.models
                   for w in data.convergence[m] or []], default=0)
    crowded = len(keys) * len(data.models) > 9
    top = max(10.0, tallest * (1.6 if crowded else 1.35))
    width = 0.8 / len(data.models)
    for i, model in enumerate(data.models):
        by_end = {end_key(w): w for w in data.convergence[model] or []}
        for j, key in enumerate(keys):
            x = j + (i - (len(data.models) - 1) / 2) * width
            measured = data.convergence[model] is not None
            convergence_bar(ax, x, width, by_end.get(key), measured, colours[model], top, crowded)
    ax.set_xticks(range(len(keys)))
    ax.set_xticklabels([fault_end_label(ends[k]) for k in keys])
    pad = 0.6 if len(keys) <= 1 else 0.1  # keeps a lone group from filling the width
    ax.set_xlim(-0.5 - pad, max(len(keys), 1) - 0.5 + pad)
    ax.set_ylim(0, top)
    ax.grid(axis="x", visible=False)
    ax.set_ylabel("time until the replicas agree again (ms)")
    if all(data.convergence[m] is None for m in data.models):
        say_empty(ax, "Not measured: the traces have no apply lines (trace level ops; "
                  "use level state or full)")
    elif not keys:
        say_empty(ax, "no fault ended during this run")
    lay_out(fig, "Convergence: how long after each fault ends do the replicas agree again?",
            subtitle(data.scenario, data.seed),
            note="Time until every key whose replicas disagreed when the fault ended has had "
            "all its replicas agree.")
    model_legend(fig, data.models, colours)
    save(fig, plt, folder, "convergence.png", written)


def convergence_bar(ax, x, width, watch, measured, colour, top, crowded):
    """One model's bar for one fault end; `crowded`: labels on one line, sideways."""
    if not measured:
        ax.text(x, top * 0.02, "not measured", rotation=90, ha="center", va="bottom",
                fontsize=10, color="#555555")
        return
    if watch is None:
        return
    keys = int(watch["divergent_keys"])
    if crowded:
        differed = "(none differed)" if keys == 0 else f"({keys} differed)"
    else:
        differed = ("(replicas\nalready agreed)" if keys == 0
                    else f"({keys} {'key' if keys == 1 else 'keys'}\ndiffered)")
    sep, rotation = (" ", 90) if crowded else ("\n", 0)
    if watch["converged_ms"] is None:
        ax.bar(x, top, width, color=colour, alpha=0.15, hatch="//", edgecolor=colour)
        ax.text(x, top * 0.5, f"never{sep}{differed}", ha="center", va="center", fontsize=10,
                rotation=rotation)
        return
    ax.bar(x, watch["converged_ms"], width, color=colour)
    ax.annotate(f"{watch['converged_ms']:.0f} ms{sep}{differed}", (x, watch["converged_ms"]),
                xytext=(0, 3), textcoords="offset points", ha="center", va="bottom", fontsize=10,
                rotation=rotation)
