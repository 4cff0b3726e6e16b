"""Latency CDFs of a comparison (plot_comparison.py): for each store model,
the share of successful operations that finished within x ms, reads and
writes apart, on a log time axis; and the same per phase (before, during
and after each fault). The latencies are each model's timeline.json
operations (run_data.py), as the analysis paired them.

Invariants: only ok operations count (a timeout is lost availability, not
a latency); when the analysis kept 1 in ok_stride ok operations, the kept
ones are an even sample and the curve stays a fair estimate; a panel with
no ok operation of its kind says so; a model keeps its colour.
"""

import os

import numpy as np

from plot_common import SLIDE_SIZE, lay_out, model_legend, save, subtitle, wrap_label
from run_data import load_run

MAX_PHASE_PANELS = 6
LINESTYLES = ["-", "--", "-.", ":"]  # models with equal latencies stay visible


def load_latencies(data):
    """{model: (invoke_ms, latency_ms, is_write)} of the ok operations."""
    out = {}
    for model in data.models:
        ops = load_run(os.path.join(data.outdir, model)).ops
        ok = ops.outcome == 0
        out[model] = (ops.invoke_s[ok] * 1000.0, ops.latency_ms[ok], ops.is_write[ok])
    return out


def cdf_panel(ax, plt, curves, colours, title, what):
    drawn = False
    for i, (model, values) in enumerate(curves):
        if len(values) == 0:
            continue
        xs = np.sort(np.maximum(values, 1e-3))
        ys = np.arange(1, len(xs) + 1) / len(xs)
        ax.step(xs, ys, where="post", color=colours[model], linewidth=2, label=model,
                linestyle=LINESTYLES[i % len(LINESTYLES)],
                gid=f"cdf-{model}-{what}")
        drawn = True
    ax.set_xscale("log")
    ax.set_ylim(0, 1.02)
    ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{100 * v:.0f}%"))
    ax.set_title(title, fontsize=13)
    if not drawn:
        ax.text(0.5, 0.5, f"no ok {what}s", transform=ax.transAxes, ha="center", va="center",
                color="#555555")
    return drawn


def latency_cdf_chart(plt, data, colours, folder, written):
    lat = load_latencies(data)
    fig, axes = plt.subplots(1, 2, figsize=SLIDE_SIZE, sharey=True)
    for ax, (kind, is_write) in zip(axes, (("read", False), ("write", True))):
        curves = [(m, lat[m][1][lat[m][2] == is_write]) for m in data.models]
        cdf_panel(ax, plt, curves, colours, f"{kind}s", kind)
        ax.set_xlabel(f"{kind} latency (ms, log scale)")
    axes[0].set_ylabel("successful operations\nthat took at most x")
    lay_out(fig, "Latency distribution: how long successful reads and writes took",
            subtitle(data.scenario, data.seed), top=0.86,
            note="A curve further left is faster; where it flattens below 100%, the slowest "
            "operations (the tail) begin.")
    model_legend(fig, data.models, colours)
    save(fig, plt, folder, "latency-cdf.png", written)


def latency_cdf_phase_chart(plt, data, colours, folder, written):
    lat = load_latencies(data)
    phases = [p for p in data.phases if p in data.phase_times][:MAX_PHASE_PANELS]
    fig, axes = plt.subplots(2, max(1, len(phases)), figsize=SLIDE_SIZE, sharey=True,
                             squeeze=False)
    for col, phase in enumerate(phases):
        start, end = data.phase_times[phase]
        for row, (kind, is_write) in enumerate((("read", False), ("write", True))):
            curves = []
            for m in data.models:
                t, v, w = lat[m]
                curves.append((m, v[(w == is_write) & (t >= start) & (t < end)]))
            title = wrap_label(phase, 22) if row == 0 else ""
            cdf_panel(axes[row][col], plt, curves, colours, title, kind)
            axes[row][col].set_xlabel(f"{kind} latency (ms)" if row == 1 else "", fontsize=11)
        axes[0][col].tick_params(labelbottom=True)
    axes[0][0].set_ylabel("reads within x")
    axes[1][0].set_ylabel("writes within x")
    note = "One column per phase (operations by the time they were invoked)."
    if len(data.phases) > len(phases):
        note += f" The first {len(phases)} of {len(data.phases)} phases are shown."
    lay_out(fig, "Latency distribution per phase", subtitle(data.scenario, data.seed), top=0.84,
            note=note)
    model_legend(fig, data.models, colours)
    save(fig, plt, folder, "latency-cdf-phases.png", written)
