"""The two charts of one run (plot_run.py): the operations timeline and the
replica-disagreement timeline, from the analysis's timeline (run_data.py).

Invariants: time runs in seconds since the start of the run on both charts;
every fault window is shaded in the colour of its kind and labelled with its
name and what it affects, labels moving down a row rather than overlapping;
outcomes keep one colour (ok green, fail red, info orange). When the
analysis kept only every n-th successful operation (failed and unknown ones
always), the chart says so.
"""

import json
import os

import numpy as np

from plot_common import (SLIDE_SIZE, lay_out, legend_patch, model_colours, save, subtitle,
                         wrap_label)

# fail (vermilion) and info (sky blue) far apart; stale reads purple, with their own marker.
OUTCOME_COLOURS = {"ok": "#009E73", "fail": "#D55E00", "info": "#56B4E9"}
OUTCOME_WORDS = {"ok": "ok (it happened)", "fail": "fail (it certainly did not happen)",
                 "info": "info (timed out: outcome unknown)"}
STALE_COLOUR, STALE_MARKER = "#7B3294", "D"  # a stale read: purple diamond, drawn on top
LAG_COLOUR = "#000000"  # the read model's events behind (event-sourced runs): a black step line
NOTED_COLOURS = ["#CC79A7", "#E69F00", "#56B4E9", "#999999"]
FAULT_COLOURS = {"partition": "#D55E00", "crash": "#555555", "pause": "#0072B2",
                 "clock": "#CC79A7"}


def run_subtitle(trace):
    h = trace.header
    if "scenario" not in h:  # a history recorded elsewhere: no header
        return f"history in {trace.path}"
    return subtitle(h.get("scenario"), h.get("seed", "?"), h.get("model"))


def end_seconds(trace):
    return trace.end_s


def x_limit(trace):
    """The right end of the time axis: the run's end, a little past the last
    line for a history without an end line."""
    end = end_seconds(trace)
    if end <= 0:
        return 1.0
    return end if trace.complete else end * 1.02


def fault_window(trace, f):
    return f["start_s"], f["end_s"] if f["end_s"] is not None else end_seconds(trace)


def shade_faults(ax, trace):
    for f in trace.faults:
        ax.axvspan(*fault_window(trace, f), color=FAULT_COLOURS.get(f["type"], "#999999"),
                   alpha=0.12, zorder=0, linewidth=0)


def label_faults(fig, ax, trace):
    """Names each fault window at the top of `ax`, centred on it, moving a
    label down a row while it would overlap one placed before (so call it
    after the layout is final). Returns the lowest row used, counting from 1."""
    renderer = fig.canvas.get_renderer()
    inside = ax.get_window_extent(renderer)
    placed, rows = [], 0
    for f in trace.faults:
        start, stop = fault_window(trace, f)
        what = f"{f['name']}: {f['what']}" if f["what"] and f["what"] != f["name"] else f["name"]
        for row in range(8):
            text = ax.text((start + stop) / 2, 0.99 - 0.075 * row, wrap_label(what, 40),
                           transform=ax.get_xaxis_transform(), ha="center", va="top",
                           fontsize=11, color=FAULT_COLOURS.get(f["type"], "#333333"),
                           fontweight="bold", zorder=5,
                           bbox={"boxstyle": "round,pad=0.2", "facecolor": "white",
                                 "alpha": 0.85, "edgecolor": "none"})
            keep_inside(text, renderer, inside)
            box = text.get_window_extent(renderer)
            if row == 7 or not any(box.overlaps(b) for b in placed):
                placed.append(box)
                rows = max(rows, row + 1)
                break
            text.remove()
    return rows


def make_room(ax, rows, data_top):
    """Sets the top of the y axis so that `rows` rows of fault labels (in
    axes coordinates, so they stay put) sit above `data_top`."""
    low = ax.get_ylim()[0]
    share = min(0.6, 0.085 * rows + 0.06)  # of the axes height left for the labels
    ax.set_ylim(low, low + (data_top - low) / (1 - share))


def keep_inside(text, renderer, inside):
    """Aligns a label that would stick out of the axes with the axes' edge."""
    box = text.get_window_extent(renderer)
    if box.x0 < inside.x0:
        text.set_ha("left")
        text.set_x(text.axes.transData.inverted().transform((inside.x0 + 2, 0))[0])
    elif box.x1 > inside.x1:
        text.set_ha("right")
        text.set_x(text.axes.transData.inverted().transform((inside.x1 - 2, 0))[0])


def timeline_chart(plt, trace, folder, written):
    fig, (top, bottom) = plt.subplots(2, 1, figsize=SLIDE_SIZE, sharex=True,
                                      gridspec_kw={"height_ratios": [3, 2]})
    ops = trace.ops
    t, latency, outcome = ops.invoke_s, ops.latency_ms, ops.outcome
    writes, process, stride = ops.is_write, ops.process, ops.ok_stride
    keep = np.ones(len(t), dtype=bool)
    for code, name in enumerate(("ok", "fail", "info")):
        for is_write, marker in ((False, "o"), (True, "^")):
            sel = keep & (outcome == code) & (writes == is_write)
            size = 8 if name == "ok" else 22
            top.scatter(t[sel], latency[sel], s=size, marker=marker, color=OUTCOME_COLOURS[name],
                        linewidth=0, alpha=0.7, zorder=2 + code)
            bottom.scatter(t[sel], process[sel], s=size, marker=marker,
                           color=OUTCOME_COLOURS[name], linewidth=0, alpha=0.7, zorder=2 + code)
    stale = ops.is_stale
    if stale.any():
        for ax, ys in ((top, latency), (bottom, process)):
            ax.scatter(t[stale], ys[stale], s=26, marker=STALE_MARKER, color=STALE_COLOUR,
                       linewidth=0, alpha=0.85, zorder=6, gid="stale-reads")
    shade_faults(top, trace)
    shade_faults(bottom, trace)
    noted_handles = shade_noted(top, trace)
    top.set_ylabel("latency (ms)")
    highest = float(latency.max()) if len(latency) else 1.0
    top.set_ylim(-0.03 * max(highest, 1.0), max(highest, 1.0) * 1.3)
    label_clients(bottom, process, trace.client_nodes)
    bottom.set_xlabel("time since the start of the run (s), when the operation was invoked")
    bottom.set_xlim(0, x_limit(trace))
    if len(t) == 0:
        top.text(0.5, 0.5, "the trace has no client operations", transform=top.transAxes,
                 ha="center", va="center", fontsize=14, color="#555555")
    lag_handles = draw_events_behind(top, trace.events_behind)
    note = ("Circles: reads; triangles: writes; purple diamonds: ok reads that returned a "
            "stale value.")
    if lag_handles:
        lag = trace.events_behind
        note += (f" Black line (right axis): acknowledged writes the read model {lag.node} had "
                 f"not applied yet, the most in each {lag.bucket_s * 1000:g} ms "
                 "(report.json events_behind).")
    if stride > 1:
        note += f" Only 1 in {stride} successful operations is drawn (failed and unknown: all)."
    lay_out(fig, "Every client operation: when it started, how long it took, how it ended",
            run_subtitle(trace), top=0.8, note=note)
    from matplotlib.lines import Line2D

    handles = [legend_patch(OUTCOME_COLOURS[o], OUTCOME_WORDS[o]) for o in OUTCOME_WORDS]
    handles.append(Line2D([], [], marker=STALE_MARKER, color=STALE_COLOUR, lw=0, markersize=7,
                          label=f"stale read ({int(stale.sum())})"))
    fig.legend(handles=handles + lag_handles + noted_handles, loc="lower right", ncol=3,
               bbox_to_anchor=(0.99, 0.8), frameon=False, fontsize=11)
    make_room(top, label_faults(fig, top, trace), max(highest, 1.0))
    save(fig, plt, folder, "timeline.png", written)


def draw_events_behind(ax, lag):
    """The read model's events behind as a step line on a right-hand axis of
    `ax` (gid "events-behind"); its legend handles (none without one)."""
    if lag is None or len(lag.series) == 0:
        return []
    from matplotlib.lines import Line2D

    right = ax.twinx()
    xs = np.arange(len(lag.series) + 1) * lag.bucket_s
    ys = np.append(lag.series, lag.series[-1])
    right.step(xs, ys, where="post", color=LAG_COLOUR, linewidth=1.6, zorder=7,
               gid="events-behind")
    right.set_ylim(0, max(1.0, float(lag.series.max())) * 1.3)
    right.set_ylabel(f"{lag.node}: events behind")
    right.spines["right"].set_visible(True)
    right.grid(False)
    right.yaxis.get_major_locator().set_params(integer=True)
    label = f"read model {lag.node}: events behind (max {lag.highest:g})"
    return [Line2D([], [], color=LAG_COLOUR, linewidth=1.6, label=label)]


def shade_noted(ax, trace):
    """A thin band at the bottom of `ax` wherever some node was in a state
    the model notes (in doubt, buffered): the analysis's "noted" windows.
    Returns legend handles, one per note kind."""
    handles, least = [], x_limit(trace) / 500  # the shortest wait still shows
    for i, (what, spans) in enumerate(sorted(trace.noted.items())):
        colour = NOTED_COLOURS[i % len(NOTED_COLOURS)]
        low = 0.0 + 0.035 * i
        for a, b in spans:
            ax.axvspan(a, max(b, a + least), ymin=low, ymax=low + 0.03, color=colour, alpha=0.8,
                       lw=0, zorder=1, gid=f"noted-{what}")
        handles.append(legend_patch(colour, f"a node waiting (until '{what}')"))
    return handles


def label_clients(ax, process, client_nodes):
    """Client numbers, with the node each sends to when it always uses one."""
    ax.set_ylabel("client")
    clients = sorted(set(process.tolist()))
    if not clients:
        return
    step = max(1, len(clients) // 12)
    shown = clients[::step]
    ax.set_yticks(shown)
    ax.set_yticklabels([f"{c} at {client_nodes[c]}" if client_nodes.get(c) else str(c)
                        for c in shown], fontsize=11 if len(shown) <= 8 else 9)
    ax.set_ylim(min(clients) - 0.7, max(clients) + 0.7)
    ax.grid(axis="y", visible=False)


def run_colour(trace):
    """The run's model colour, as on the comparison charts: the fixed one of
    a built-in model; another model's from its place in the comparison
    beside the run folder (comparison.json), if there is one."""
    model = trace.header.get("model")
    models = [model]
    path = os.path.join(os.path.dirname(os.path.abspath(trace.path)), "comparison.json")
    if model and os.path.isfile(path):
        try:
            listed = [m.get("model") for m in json.load(open(path)).get("models", [])]
            models = listed if model in listed else models
        except (OSError, ValueError, AttributeError):
            pass  # an unreadable comparison only costs the colour
    return model_colours(models).get(model, "#0072B2") if model else "#0072B2"


def divergence_chart(plt, trace, folder, written):
    fig, ax = plt.subplots(figsize=SLIDE_SIZE)
    colour = run_colour(trace)
    if trace.seen_apply:
        xs, ys = divergence_steps(trace)
        ax.fill_between(xs, ys, step="post", color=colour, alpha=0.25, linewidth=0)
        ax.step(xs, ys, where="post", color=colour, linewidth=1.8, gid="divergence")
        ax.set_ylim(0, max(1, trace.divergence.highest) * 1.25 + 0.5)
        ax.yaxis.get_major_locator().set_params(integer=True)
    else:
        ax.text(0.5, 0.5, "Not measured: this trace has no apply lines\n(it was written at trace "
                "level ops; use level state or full)", transform=ax.transAxes, ha="center",
                va="center", fontsize=14, color="#555555")
        ax.set_yticks([])
    shade_faults(ax, trace)
    ax.set_xlim(0, x_limit(trace))
    ax.set_xlabel("time since the start of the run (s)")
    ax.set_ylabel("keys on which the replicas\ndisagree (hold different values)")
    lay_out(fig, "Replica disagreement over time: how many keys differ between replicas",
            run_subtitle(trace),
            note="Counted over the live replicas of each key, from the trace's apply lines.")
    rows = label_faults(fig, ax, trace)
    if trace.seen_apply:
        make_room(ax, rows, max(1, trace.divergence.highest))
    save(fig, plt, folder, "divergence.png", written)


def divergence_steps(trace):
    """Step-plot points: each bucket's highest count, then its count at the end."""
    d = trace.divergence
    xs, ys = [0.0], [0]
    for start, highest, last in d.steps:
        xs.append(start)
        ys.append(highest)
        if last != highest:
            xs.append(start + d.width_s)
            ys.append(last)
    xs.append(end_seconds(trace))
    ys.append(ys[-1])
    return xs, ys
