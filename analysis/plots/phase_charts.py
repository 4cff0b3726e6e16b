"""Per-phase comparison charts: availability, stale reads and latency for
each phase of the run (before, during and after each fault), one bar per
store model, from comparison.json's rows (see comparison_data.py).

Invariants: phases appear in time order, each labelled with its name and
time range; every bar carries its value as text, and a phase with no
operations of a kind says so instead of drawing a bar of height zero, so
"0%" (nothing succeeded) and "no writes" (nothing was tried) never look the
same.
"""

import numpy as np

from plot_common import (
    SLIDE_SIZE,
    lay_out,
    legend_patch,
    model_legend,
    save,
    seconds_label,
    subtitle,
    wrap_label,
)


MANY_PHASES = 6  # above this, phases are numbered P1, P2, ... with a key under the chart
KEY_COLUMNS = 3
LOG_RATIO = 20  # a latency panel whose p99 exceeds this many times its smallest median goes log


def phase_span(data, phase):
    times = data.phase_times.get(phase)
    return "" if times is None else f"{seconds_label(times[0])} to {seconds_label(times[1])}"


def phase_label(data, phase):
    """ "during partition\n5 s to 12 s"; with many phases, "P3" (the key says
    which phase P3 is: phase_key)."""
    if len(data.phases) > MANY_PHASES:
        return f"P{data.phases.index(phase) + 1}"
    name, span = wrap_label(phase, 18), phase_span(data, phase)
    return f"{name}\n{span}" if span else name


def phase_key_lines(data):
    """With many phases, the key's rows: "P3  during nemesis 2 (pause), 3.72 s to
    4.71 s"; long names are cut with an ellipsis. None with few phases."""
    if len(data.phases) <= MANY_PHASES:
        return None
    rows = []
    for i, phase in enumerate(data.phases):
        name = phase if len(phase) <= 38 else phase[:37] + "\u2026"
        span = phase_span(data, phase)
        rows.append(f"P{i + 1}  {name}" + (f", {span}" if span else ""))
    return rows


def key_bottom(data):
    """The share of the figure's height the phase key needs at the bottom."""
    rows = phase_key_lines(data)
    return 0 if rows is None else 0.03 + 0.024 * -(-len(rows) // KEY_COLUMNS)


def lay_out_phases(fig, data, title, note=None):
    """lay_out() with room at the bottom for the phase key (many phases) and
    the note above it."""
    key = key_bottom(data)
    if not key:
        lay_out(fig, title, subtitle(data.scenario, data.seed), note=note)
        return
    lay_out(fig, title, subtitle(data.scenario, data.seed), bottom=key + (0.03 if note else 0))
    if note:
        fig.text(0.01, key, note, fontsize=10, color="#555555")
    draw_phase_key(fig, data)


def draw_phase_key(fig, data):
    """Writes the phase key in KEY_COLUMNS columns at the bottom of `fig`."""
    rows = phase_key_lines(data)
    if rows is None:
        return
    per_column = -(-len(rows) // KEY_COLUMNS)
    for c in range(KEY_COLUMNS):
        chunk = rows[c * per_column:(c + 1) * per_column]
        if chunk:
            fig.text(0.01 + c / KEY_COLUMNS, key_bottom(data) - 0.012, "\n".join(chunk),
                     fontsize=9.5, va="top",
                     ha="left", color="#333333", linespacing=1.25, gid="phase-key")


def label_size(bars):
    """Font size of the value printed over each bar: smaller when crowded."""
    return 11 if bars <= 12 else 9 if bars <= 24 else 7


def grouped_bars(ax, data, colours, value, text, missing, alpha=1.0, shrink=1.0):
    """One group of bars per phase, one bar per model, each labelled.

    value(model, phase) -> number or None; text(number) -> label;
    missing: the label where value is None. Returns the tallest value.
    """
    models, phases = data.models, data.phases
    x = np.arange(len(phases))
    width = 0.8 / len(models)
    size = label_size(len(models) * len(phases))
    rotation = 90 if len(models) * len(phases) > 24 else 0
    tallest = 0.0
    for i, model in enumerate(models):
        pos = x + (i - (len(models) - 1) / 2) * width
        for p, phase in zip(pos, phases):
            v = value(model, phase)
            if v is None:
                if missing:  # at the bottom in axes units: right on linear and log axes
                    ax.text(p, 0.01, missing, ha="center", va="bottom", fontsize=size - 1,
                            rotation=90, color="#555555", transform=ax.get_xaxis_transform())
                continue
            tallest = max(tallest, v)
            ax.bar(p, v, width * shrink, color=colours[model], alpha=alpha,
                   edgecolor="white", linewidth=0.5)
            if text is not None:
                ax.annotate(text(v), (p, v), xytext=(0, 3), textcoords="offset points",
                            ha="center", va="bottom", fontsize=size, rotation=rotation)
    ax.set_xticks(x)
    ax.set_xticklabels([phase_label(data, ph) for ph in phases])
    ax.set_xlim(-0.5, len(phases) - 0.5)
    ax.grid(axis="x", visible=False)
    return tallest


def percent(v):
    """1.0 -> "100%", 0.9994 -> "99.9%", 0.0004 -> "0.04%": never rounds to 0 or 100."""
    if v in (0, 1):
        return f"{100 * v:.0f}%"
    if v > 0.999 or v < 0.001:
        return f"{100 * v:.2f}%"
    return f"{100 * v:.1f}%"


def row_value(data, field):
    return lambda model, phase: data.rows.get((model, phase), {}).get(field)


def availability_chart(plt, data, colours, folder, written):
    fig, axes = plt.subplots(2, 1, figsize=SLIDE_SIZE, sharex=True)
    for ax, kind in zip(axes, ("read", "write")):
        grouped_bars(ax, data, colours, row_value(data, f"{kind}_availability"), percent,
                     f"no {kind}s")
        ax.set_ylim(0, 1.22)
        ax.set_yticks([0, 0.25, 0.5, 0.75, 1.0])
        ax.set_yticklabels(["0%", "25%", "50%", "75%", "100%"])
        ax.set_ylabel(f"{kind}s that\nsucceeded")
    axes[0].tick_params(labelbottom=False)
    lay_out_phases(fig, data, "Availability: how many reads and writes succeeded in each phase")
    model_legend(fig, data.models, colours)
    save(fig, plt, folder, "availability.png", written)


def stale_reads_chart(plt, data, colours, folder, written):
    fig, ax = plt.subplots(figsize=SLIDE_SIZE)
    tallest = grouped_bars(ax, data, colours, row_value(data, "stale_rate"), percent,
                           "no reads")
    top = max(0.05, tallest * 1.2)
    ax.set_ylim(0, top)
    ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{100 * v:.0f}%"))
    ax.set_ylabel("reads that returned an\nout-of-date value")
    lay_out_phases(fig, data, "Stale reads: how often a read missed an already acknowledged write")
    model_legend(fig, data.models, colours)
    save(fig, plt, folder, "stale-reads.png", written)


def ms_text(v):
    return f"{v:.0f}" if v >= 10 else f"{v:.1f}" if v >= 0.05 or v == 0 else f"{v:.2f}"


def latency_chart(plt, data, colours, folder, written):
    fig, axes = plt.subplots(2, 1, figsize=SLIDE_SIZE, sharex=True)
    for ax, kind in zip(axes, ("read", "write")):
        p99 = row_value(data, f"{kind}_p99_ms")
        p50 = row_value(data, f"{kind}_p50_ms")
        tallest = grouped_bars(ax, data, colours, p99, None, f"no ok {kind}s", alpha=0.35)
        grouped_bars(ax, data, colours, p50, None, "", shrink=0.5)

        def both(model, phase, p50=p50, p99=p99):
            a, b = p50(model, phase), p99(model, phase)
            return None if b is None else (a, b)

        label_pairs(ax, data, both, tallest)
        medians = [v for v in (p50(m, ph) for m in data.models for ph in data.phases)
                   if v is not None and v > 0]
        if medians and tallest > LOG_RATIO * min(medians):
            # A p99 far above the medians would flatten them to nothing: log scale.
            ax.set_yscale("log")
            ax.set_ylim(min(medians) / 2, tallest * 12)
            ax.set_ylabel(f"{kind} latency\n(ms, log scale)")
        else:
            ax.set_ylim(0, max(1.0, tallest) * 1.35)
            ax.set_ylabel(f"{kind} latency (ms)")
    axes[0].tick_params(labelbottom=False)
    lay_out_phases(fig, data,
                   "Latency: how long successful reads and writes took (median and slowest 1%)",
                   note="Numbers over each bar: p50 = median, p99 = 99th percentile (1% of "
                   "operations took longer), in milliseconds.")
    key = [legend_patch("#444444", "median (p50)"),
           legend_patch("#444444", "99th percentile (p99)", alpha=0.35)]
    model_legend(fig, data.models, colours, key)
    save(fig, plt, folder, "latency.png", written)


def label_pairs(ax, data, both, tallest):
    """Writes "p50 / p99" in ms over each latency bar."""
    models, phases = data.models, data.phases
    width = 0.8 / len(models)
    size = label_size(len(models) * len(phases))
    rotation = 90 if len(models) * len(phases) > 12 else 0
    for i, model in enumerate(models):
        for j, phase in enumerate(phases):
            pair = both(model, phase)
            if pair is None:
                continue
            a, b = pair
            text = (f"p50 {ms_text(a)}\np99 {ms_text(b)}" if rotation == 0
                    else f"{ms_text(a)} / {ms_text(b)}")
            ax.annotate(text, (j + (i - (len(models) - 1) / 2) * width, b), xytext=(0, 3),
                        textcoords="offset points", ha="center", va="bottom", fontsize=size,
                        rotation=rotation, linespacing=1.0)
