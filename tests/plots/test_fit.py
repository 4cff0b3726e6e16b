#!/usr/bin/env python3
"""Tests that every chart's text stays on the slide: after the figure is
drawn, every visible text artist (titles, legends, tick labels, value
labels, notes) lies inside the figure, and each verdict cell's text inside
its cell. Run on consim compare's output for the demo (every registered
model, so the legend is as long as it gets), scenarios/example-shapes.json
and a nemesis run (scenarios/quorum-safety.json), and on each of their
runs' timeline.

Usage: test_fit.py CONSIM SOURCE_DIR WORK_DIR (tests/plots/run.sh).
Prints "N passed, N failed"; exits 1 if any failed.
"""

import os
import subprocess
import sys

CONSIM, SRC, WORK = (os.path.abspath(a) for a in sys.argv[1:4])
sys.path.insert(0, os.path.join(SRC, "analysis", "plots"))
sys.dont_write_bytecode = True

results = {"passed": 0, "failed": 0}
SCENARIOS = os.environ.get("FIT_SCENARIOS", "demo-partition example-shapes quorum-safety").split()
TOLERANCE_PX = 1.0


def check(condition, story, detail=""):
    results["passed" if condition else "failed"] += 1
    print(("ok: " if condition else "FAIL: ") + story + ("" if condition else f": {detail}"))


def capture(module, chart, *args):
    """Runs a chart function with its module's save() replaced, returning the figures."""
    figures = []
    saved = module.save
    module.save = lambda fig, plt, folder, name, written: figures.append((name, fig))
    try:
        chart(*args)
    finally:
        module.save = saved
    return figures


def inside(box, outer):
    t = TOLERANCE_PX
    return (box.x0 >= outer.x0 - t and box.x1 <= outer.x1 + t and box.y0 >= outer.y0 - t
            and box.y1 <= outer.y1 + t)


def clipped_texts(fig):
    """The visible, non-empty texts whose drawn extent leaves the figure."""
    from matplotlib.text import Text

    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    outer = fig.bbox
    out = []
    hidden = undrawn_tick_labels(fig)
    for t in fig.findobj(Text):
        if t.get_visible() and t.get_text().strip() and id(t) not in hidden:
            box = t.get_window_extent(renderer)
            if not inside(box, outer):
                out.append(f"{t.get_text()[:30]!r} at x {box.x0:.0f}..{box.x1:.0f}, "
                           f"y {box.y0:.0f}..{box.y1:.0f} (figure {outer.width:.0f}x"
                           f"{outer.height:.0f})")
    return out


def undrawn_tick_labels(fig):
    """ids of the tick labels matplotlib keeps but does not draw: their tick
    lies outside the axis' view interval, so their extent means nothing."""
    hidden = set()
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            lo, hi = sorted(axis.get_view_interval())
            slack = (hi - lo) * 1e-9
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                if not lo - slack <= tick.get_loc() <= hi + slack:
                    hidden |= {id(tick.label1), id(tick.label2)}
    return hidden


def overlapping_labels(fig):
    """Pairs of tick labels on one axis whose drawn boxes overlap."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    pairs = []
    for ax in fig.axes:
        hidden = undrawn_tick_labels(fig)
        for labels in (ax.get_xticklabels(), ax.get_yticklabels()):
            boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in labels
                     if t.get_visible() and t.get_text().strip() and id(t) not in hidden]
            pairs += [(a, b) for i, (a, ba) in enumerate(boxes) for b, bb in boxes[i + 1:]
                      if ba.overlaps(bb)]
    return pairs


def overlapping_point_labels(fig):
    """Pairs of point labels (annotations with text) in one panel that overlap."""
    renderer = fig.canvas.get_renderer()
    pairs = []
    for ax in fig.axes:
        boxes = [(t.get_text(), t.get_bbox_patch().get_window_extent(renderer))
                 for t in ax.texts if t.get_text().strip() and t.get_bbox_patch() is not None]
        pairs += [(a, b) for i, (a, ba) in enumerate(boxes) for b, bb in boxes[i + 1:]
                  if ba.overlaps(bb)]
    return pairs


def comparison_charts(plt, data, colours):
    import latency_cdf
    import phase_charts
    import tradeoff_charts
    import verdict_chart

    for module, chart in ((phase_charts, phase_charts.availability_chart),
                          (phase_charts, phase_charts.stale_reads_chart),
                          (tradeoff_charts, tradeoff_charts.visibility_chart),
                          (phase_charts, phase_charts.latency_chart),
                          (tradeoff_charts, tradeoff_charts.cap_chart),
                          (tradeoff_charts, tradeoff_charts.convergence_chart),
                          (verdict_chart, verdict_chart.verdict_chart),
                          (latency_cdf, latency_cdf.latency_cdf_chart),
                          (latency_cdf, latency_cdf.latency_cdf_phase_chart)):
        yield from capture(module, chart, plt, data, colours, "", [])


def test_comparison(plt, scenario):
    from comparison_data import load_comparison
    from plot_common import model_colours

    cmp = os.path.join(WORK, scenario)
    p = subprocess.run([CONSIM, "compare", os.path.join(SRC, "scenarios", scenario + ".json"),
                        "--out", cmp, "--quiet"], capture_output=True, text=True)
    check(p.returncode == 0, f"consim compare runs {scenario}", p.stderr)
    if p.returncode != 0:
        return
    data = load_comparison(cmp)
    colours = model_colours(data.models)
    for name, fig in comparison_charts(plt, data, colours):
        out = clipped_texts(fig)
        check(not out, f"{scenario} {name} ({len(data.models)} models): every text is inside "
              "the figure", "; ".join(out[:4]))
        pairs = overlapping_labels(fig)
        check(not pairs, f"{scenario} {name}: no two tick labels overlap", str(pairs[:3]))
        if name.startswith("cap-"):
            pairs = overlapping_point_labels(fig)
            check(not pairs, f"{scenario} {name}: no point label covers another",
                  f"{len(pairs)} pairs, e.g. {pairs[:2]}")
        if name == "verdicts.png":
            test_verdict_cells(fig, scenario)
        plt.close(fig)
    test_run_charts(plt, cmp, data.models[0], scenario)


def test_verdict_cells(fig, scenario):
    """Each verdict cell's text fits inside its cell's rectangle."""
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    cells = [p for p in ax.patches if (p.get_gid() or "").startswith("verdict-")]
    texts = [t for t in ax.texts if t.get_text().strip()]
    over = []
    for t in texts:
        box = t.get_window_extent(renderer)
        cx, cy = (box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2
        home = [c.get_window_extent(renderer) for c in cells
                if c.get_window_extent(renderer).contains(cx, cy)]
        if not home or not inside(box, home[0]):
            over.append(t.get_text().replace("\n", " "))
    check(cells and not over, f"{scenario} verdicts: each cell's text fits in its cell",
          str(over[:4]))


def test_run_charts(plt, cmp, model, scenario):
    import run_charts
    from run_data import load_run

    trace = load_run(os.path.join(cmp, model))
    for chart in (run_charts.timeline_chart, run_charts.divergence_chart):
        for name, fig in capture(run_charts, chart, plt, trace, "", []):
            out = clipped_texts(fig)
            check(not out, f"{scenario} {model} {name}: every text is inside the figure",
                  "; ".join(out[:4]))
            plt.close(fig)


def test_many_models(plt):
    """Twelve models with long names: the legend takes two rows, stays on the
    slide and clears the title; the bars move down to make room."""
    import phase_charts
    from comparison_data import Comparison
    from plot_common import model_colours

    data = Comparison()
    data.scenario, data.seed = "many", 1
    data.models = [f"replicated-model-{i}" for i in range(12)]
    data.phases = ["before", "during partition", "after partition"]
    for i, ph in enumerate(data.phases):
        data.phase_times[ph] = (1000.0 * i, 1000.0 * (i + 1))
        for m in data.models:
            data.rows[(m, ph)] = {"read_availability": 1.0, "write_availability": 0.5,
                                  "stale_rate": 0.0, "read_p50_ms": 1.0, "read_p99_ms": 4.0,
                                  "write_p50_ms": 5.0, "write_p99_ms": 9.0}
    colours = model_colours(data.models)
    for name, fig in capture(phase_charts, phase_charts.availability_chart, plt, data, colours,
                             "", []):
        out = clipped_texts(fig)
        renderer = fig.canvas.get_renderer()
        legend = fig.legends[0].get_window_extent(renderer)
        title = fig._suptitle.get_window_extent(renderer)
        top = max(ax.get_tightbbox(renderer).y1 for ax in fig.axes)
        check(not out and legend.y1 <= title.y0 and legend.y0 >= top - 1,
              "12 models: the legend wraps, stays on the slide, between the title and the bars",
              f"{out[:3]} legend {legend} title {title} axes top {top}")
        plt.close(fig)


def main():
    from plot_common import import_pyplot

    plt = import_pyplot()
    test_many_models(plt)
    for scenario in SCENARIOS:
        try:
            test_comparison(plt, scenario)
        except Exception as e:  # one crash is a failure, not the end of the run
            check(False, scenario, f"{type(e).__name__}: {e}")
    print(f"{results['passed']} passed, {results['failed']} failed")
    return 1 if results["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
