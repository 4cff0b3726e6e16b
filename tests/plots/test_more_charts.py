#!/usr/bin/env python3
"""Tests of the verdict panel, the latency CDFs, the t-visibility counts and
the run charts' model colour, on consim compare's output for
tests/plots/short.json: the matplotlib objects each chart draws are
inspected (labels, colours, values), not only the files.

Usage: test_more_charts.py CONSIM SOURCE_DIR WORK_DIR (tests/plots/run.sh).
Prints "N passed, N failed"; exits 1 if any failed.
"""

import json
import os
import subprocess
import sys

CONSIM, SRC, WORK = (os.path.abspath(a) for a in sys.argv[1:4])
PLOTS = os.path.join(SRC, "analysis", "plots")
sys.path.insert(0, PLOTS)
from chart_test_support import capture, check, summary  # noqa: E402
sys.dont_write_bytecode = True







def same_colour(a, b):
    from matplotlib.colors import to_rgba

    return to_rgba(a)[:3] == to_rgba(b)[:3]


def test_verdicts(plt, data, colours, cmp):
    import verdict_chart

    comparison = json.load(open(os.path.join(cmp, "comparison.json")))
    fig = capture(verdict_chart, verdict_chart.verdict_chart, plt, data, colours, "", [])
    ax = fig.axes[0]
    cells = {p.get_gid(): p for p in ax.patches if (p.get_gid() or "").startswith("verdict-")}
    expected = {f"verdict-{m['model']}-{c}" for m in comparison["models"] for c in m["checkers"]}
    check(expected and expected <= set(cells),
          "verdicts: a cell for every checker of every model in comparison.json",
          f"missing {sorted(expected - set(cells))[:5]}")
    columns = [t.get_text().replace("\n", " ") for t in ax.get_xticklabels()]
    check(columns[:4] == ["linearizable", "causal CC", "causal CM", "causal CCv"]
          and "read your writes" in columns and "monotonic reads" in columns,
          "verdicts: linearizable, the causal checkers and the session guarantees are columns",
          str(columns))
    wrong = []
    for m in comparison["models"]:
        for name, c in m["checkers"].items():
            cell = cells.get(f"verdict-{m['model']}-{name}")
            want = verdict_chart.VERDICT_COLOURS.get(c["verdict"])
            if cell is None or not same_colour(cell.get_facecolor(), want):
                wrong.append((m["model"], name))
    check(not wrong, "verdicts: each cell has its verdict's colour", str(wrong))
    lin = data.checkers["eventual-async"]["linearizable"]
    check(lin["verdict"] == "invalid" and lin["unit"] == "keys" and lin["rate"] > 0,
          "verdicts: eventual-async's linearizability rate is the share of invalid keys",
          str(lin))
    labels = {t.get_text(): t.get_color() for t in ax.get_yticklabels()}
    check(all(same_colour(labels[m], colours[m]) for m in data.models),
          "verdicts: each model's row label is in the model's colour", str(labels))
    texts = [t.get_text() for t in ax.texts]
    session = data.checkers["causal"].get("read-your-writes")
    check(session is not None and any(t.endswith(f"of {session['of']:.0f} reads") for t in texts),
          "verdicts: a session guarantee's cell says how many reads were checked", str(texts[:6]))
    plt.close(fig)


def test_latency_cdf(plt, data, colours):
    import latency_cdf
    from run_data import load_run

    fig = capture(latency_cdf, latency_cdf.latency_cdf_chart, plt, data, colours, "", [])
    reads, writes = fig.axes[:2]
    check(reads.get_xscale() == "log" and writes.get_xscale() == "log",
          "latency CDF: the time axis is logarithmic")
    lines = {l.get_gid(): l for ax in (reads, writes) for l in ax.get_lines()}
    wrong = []
    for model in data.models:
        ops = load_run(os.path.join(data.outdir, model)).ops
        for kind, is_write in (("read", False), ("write", True)):
            n = int(((ops.outcome == 0) & (ops.is_write == is_write)).sum())
            line = lines.get(f"cdf-{model}-{kind}")
            if n == 0:
                continue
            if line is None or not same_colour(line.get_color(), colours[model]) \
                    or len(line.get_xdata()) != n or abs(line.get_ydata()[-1] - 1.0) > 1e-9:
                wrong.append((model, kind, n))
    check(not wrong, "latency CDF: one curve per model and operation, in the model's colour, "
          "over every ok operation, ending at 100%", str(wrong))
    plt.close(fig)
    fig = capture(latency_cdf, latency_cdf.latency_cdf_phase_chart, plt, data, colours, "", [])
    titles = [ax.get_title() for ax in fig.axes if ax.get_title()]
    check(titles == ["before", "during partition", "after partition"],
          "latency CDF per phase: one column per phase, in time order", str(titles))
    plt.close(fig)


def test_visibility(plt, data, colours):
    import tradeoff_charts
    from tradeoff_charts import MIN_SAMPLES, merged_bins

    bins = [{"from_ms": a, "to_ms": b, "count": c, "fresh": f, "probability": f / c if c else None}
            for a, b, c, f in ((1, 2, 3, 3), (2, 4, 1, 0), (4, 8, 4, 4), (8, 16, 9, 9))]
    merged = merged_bins(bins, least=5)
    check([(m["count"], m["probability"]) for m in merged] == [(8, 7 / 8), (9, 1.0)],
          "t-visibility: thin bins merge with their neighbours (the worked example)",
          str(merged))
    fig = capture(tradeoff_charts, tradeoff_charts.visibility_chart, plt, data, colours, "", [])
    counts = [c for ax in fig.axes for c in ax.collections
              if (c.get_gid() or "").startswith("counts-")]
    sizes = [s for c in counts for s in c.get_sizes()]
    check(counts and len(set(sizes)) > 1,
          "t-visibility: points are sized by how many reads they stand for", str(sizes[:8]))
    short = [(m, p) for m in data.models for p in data.visibility[m]
             if any(b["count"] < MIN_SAMPLES for b in merged_bins(data.visibility[m][p]))]
    check(not short, f"t-visibility: every drawn point stands for {MIN_SAMPLES}+ reads",
          str(short))
    plt.close(fig)


def test_run_colours(plt, cmp):
    import run_charts
    from plot_common import FIXED_MODEL_COLOURS
    from run_data import load_run

    trace = load_run(os.path.join(cmp, "eventual-async"))
    fig = capture(run_charts, run_charts.divergence_chart, plt, trace, "", [])
    line = [l for l in fig.axes[0].get_lines() if l.get_gid() == "divergence"]
    check(line and same_colour(line[0].get_color(), FIXED_MODEL_COLOURS["eventual-async"]),
          "divergence: eventual-async's line is orange, its colour on every chart")
    plt.close(fig)
    report = json.load(open(os.path.join(cmp, "eventual-async", "report.json")))
    stale = report["staleness"]["overall"]["stale"]
    check(stale > 0 and int(trace.ops.is_stale.sum()) == stale,
          "timeline: timeline.json marks exactly the stale reads the report counts",
          f"{int(trace.ops.is_stale.sum())} marked, report {stale}")
    fig = capture(run_charts, run_charts.timeline_chart, plt, trace, "", [])
    marked = [c for c in fig.axes[0].collections if c.get_gid() == "stale-reads"]
    texts = [t.get_text() for t in fig.legends[0].get_texts()]
    check(marked and len(marked[0].get_offsets()) == stale
          and same_colour(marked[0].get_facecolor()[0], run_charts.STALE_COLOUR)
          and f"stale read ({stale})" in texts,
          "timeline: stale reads get their own marker, colour and legend entry", str(texts))
    plt.close(fig)
    from matplotlib.colors import to_rgb

    fail, info = (to_rgb(run_charts.OUTCOME_COLOURS[k]) for k in ("fail", "info"))
    check(sum(abs(a - b) for a, b in zip(fail, info)) > 1.0,
          "timeline: fail and info colours are far apart", f"{fail} vs {info}")


def test_noted_windows(plt):
    """A 2PC run's in-doubt states reach the timeline as noted windows."""
    import run_charts
    from run_data import load_run

    rundir = os.path.join(WORK, "2pc")
    p = subprocess.run([CONSIM, "run", os.path.join(SRC, "scenarios", "2pc-coordinator-crash.json"),
                        "--out", rundir, "--quiet"], capture_output=True, text=True)
    check(p.returncode == 0, "consim runs 2pc-coordinator-crash", p.stderr)
    trace = load_run(rundir)
    check("resolved" in trace.noted and trace.noted["resolved"],
          "2pc-coordinator-crash: timeline.json has the in-doubt windows (ended by 'resolved')",
          str(list(trace.noted)))
    fig = capture(run_charts, run_charts.timeline_chart, plt, trace, "", [])
    bands = [p for p in fig.axes[0].patches if p.get_gid() == "noted-resolved"]
    check(len(bands) == len(trace.noted["resolved"]),
          "2pc-coordinator-crash: the timeline draws a band per in-doubt window",
          f"{len(bands)} bands")
    plt.close(fig)


def test_many_phases(plt):
    """Eleven phases (a nemesis run): the bars are labelled P1..P11 and a key
    under the chart names each phase in full with its time range; a p99 far
    above the medians puts the latency panel on a log axis, so the medians
    stay visible."""
    import phase_charts
    from comparison_data import Comparison

    data = Comparison()
    data.scenario, data.seed, data.models = "many", 1, ["strong-2pc", "causal"]
    data.phases = ["before"] + [f"{w} nemesis {i} (partition)" for i in range(1, 6)
                                for w in ("during", "after")]
    for i, ph in enumerate(data.phases):
        data.phase_times[ph] = (1000.0 * i, 1000.0 * (i + 1))
        for m in data.models:
            data.rows[(m, ph)] = {"read_availability": 1.0, "write_availability": 0.5,
                                  "stale_rate": 0.0, "read_p50_ms": 1.0, "read_p99_ms": 400.0,
                                  "write_p50_ms": 5.0, "write_p99_ms": 9.0}
    colours = {"strong-2pc": "#0072B2", "causal": "#009E73"}
    fig = capture(phase_charts, phase_charts.availability_chart, plt, data, colours, "", [])
    ticks = [t.get_text() for t in fig.axes[1].get_xticklabels()]
    key = "\n".join(t.get_text() for t in fig.texts if t.get_gid() == "phase-key")
    check(ticks == [f"P{i}" for i in range(1, 12)],
          "many phases: the bars are labelled P1..P11", str(ticks))
    check(all(f"P{i + 1}  {ph}, " in key for i, ph in enumerate(data.phases)),
          "many phases: the key names every phase in full, with its time range", key[:200])
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in fig.axes[1].get_xticklabels()]
    width = fig.get_window_extent(renderer).width
    check(all(b.x1 <= width for b in boxes) and not any(
        boxes[i].overlaps(boxes[i + 1]) for i in range(len(boxes) - 1)),
          "many phases: the phase labels do not overlap or run off the slide")
    plt.close(fig)
    fig = capture(phase_charts, phase_charts.latency_chart, plt, data, colours, "", [])
    check([ax.get_yscale() for ax in fig.axes[:2]] == ["log", "linear"],
          "latency: reads with p99 400x the median go on a log axis; writes (9 vs 5 ms) do not")
    plt.close(fig)


def main():
    cmp = os.path.join(WORK, "cmp")
    p = subprocess.run([CONSIM, "compare", os.path.join(SRC, "tests", "plots", "short.json"),
                        "--out", cmp, "--quiet"], capture_output=True, text=True)
    check(p.returncode == 0, "consim compare runs the short scenario", p.stderr)
    if p.returncode == 0:
        from comparison_data import load_comparison
        from plot_common import import_pyplot, model_colours

        plt = import_pyplot()
        data = load_comparison(cmp)
        colours = model_colours(data.models)
        for test, args in ((test_verdicts, (plt, data, colours, cmp)),
                           (test_latency_cdf, (plt, data, colours)),
                           (test_visibility, (plt, data, colours)),
                           (test_run_colours, (plt, cmp)),
                           (test_noted_windows, (plt,)),
                           (test_many_phases, (plt,))):
            try:
                test(*args)
            except Exception as e:  # one test's crash is a failure, not the end of the run
                check(False, test.__name__, f"{type(e).__name__}: {e}")
    return summary()


if __name__ == "__main__":
    sys.exit(main())
