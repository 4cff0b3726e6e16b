"""The leaders chart of one run (plot_run.py): one row per node, a bar for
every interval in which it believed it was the leader or primary, labelled
with its term, over the fault windows; from timeline.json's "leaders"
(docs/report.md, "Leadership"), so only for traces with role lines.

Invariants: the time axis and the fault shading are the other run charts'
(run_charts.py); nodes are rows in name order (n2 above n10 as the names
sort); where two or more nodes act as leader at once (timeline.json's
"two_leaders", the report's failover.two_leaders), the overlap is hatched
on every bar it covers, so split brain is visible without reading terms.
"""

from plot_common import SLIDE_SIZE, lay_out, legend_patch, save
from run_charts import end_seconds, label_faults, make_room, run_subtitle, shade_faults, x_limit

BAR_COLOURS = {"leader": "#0072B2", "primary": "#009E73"}  # any other leading role: grey
OVERLAP_COLOUR = "#D55E00"


def node_key(name):
    """n2 before n10: the digits at the end compare as a number."""
    head = name.rstrip("0123456789")
    tail = name[len(head):]
    return (head, int(tail) if tail else -1, name)


def overlaps(trace):
    """[(start_s, end_s)] in which two or more nodes acted as leader at once,
    as the analysis counted them (a paused node does not act)."""
    return [(a, b if b is not None else end_seconds(trace)) for a, b in trace.two_leaders]


def leaders_chart(plt, trace, folder, written):
    fig, ax = plt.subplots(figsize=SLIDE_SIZE)
    nodes = sorted({r["node"] for r in trace.leaders}, key=node_key)
    row = {n: len(nodes) - 1 - i for i, n in enumerate(nodes)}  # first node on top
    both = overlaps(trace)
    for r in trace.leaders:
        start = r["start_s"]
        end = r["end_s"] if r["end_s"] is not None else end_seconds(trace)
        y = row[r["node"]]
        colour = BAR_COLOURS.get(r["role"], "#777777")
        ax.broken_barh([(start, max(end - start, 0))], (y - 0.3, 0.6), facecolors=colour,
                       alpha=0.85, zorder=2)
        for a, b in both:  # hatched where this bar is one of the leaders at once
            lo, hi = max(a, start), min(b, end)
            if hi > lo:
                ax.broken_barh([(lo, hi - lo)], (y - 0.3, 0.6), facecolors="none",
                               edgecolors=OVERLAP_COLOUR, hatch="//", linewidth=0, zorder=3)
        ax.text((start + end) / 2, y, f"term {r['term']}", ha="center", va="center",
                fontsize=11, color="white", fontweight="bold", zorder=4, clip_on=True)
    shade_faults(ax, trace)
    ax.set_yticks(range(len(nodes)))
    ax.set_yticklabels(list(reversed(nodes)))
    ax.set_ylim(-0.7, max(len(nodes), 1) - 0.3)
    ax.grid(axis="y", visible=False)
    ax.set_xlim(0, x_limit(trace))
    ax.set_xlabel("time since the start of the run (s)")
    ax.set_ylabel("node")
    roles = sorted({r["role"] for r in trace.leaders})
    handles = [legend_patch(BAR_COLOURS.get(r, "#777777"), f"believes it is {r}") for r in roles]
    handles.append(legend_patch(OVERLAP_COLOUR, "two or more acting at once (hatched)", alpha=0.6))
    fig.legend(handles=handles, loc="lower right", ncol=len(handles), bbox_to_anchor=(0.99, 0.85),
               frameon=False)
    note = ("A bar lasts from the node's role line to its next role or its crash; "
            "a paused node keeps its bar (it still believes it leads).")
    lay_out(fig, "Who believed it was the leader: each node's leadership over time",
            run_subtitle(trace), note=note)
    make_room(ax, label_faults(fig, ax, trace), max(len(nodes), 1) - 0.3)
    save(fig, plt, folder, "leaders.png", written)
