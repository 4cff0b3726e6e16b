#!/usr/bin/env python3
"""Tests that the timeline of an event-sourced run draws its read model's lag
(report.json "events_behind", the node furthest behind) as a step line on a
right-hand axis, with the numbers of the report, and that other runs draw
none. Run on scenarios/cqrs-projection-lag.json (the projection n3 falls 181
events behind in the burst) and on the same scenario under eventual-async.

Usage: test_events_behind.py CONSIM SOURCE_DIR WORK_DIR (tests/plots/run.sh).
Prints "N passed, N failed"; exits 1 if any failed.
"""

import copy
import json
import os
import subprocess
import sys

CONSIM, SRC, WORK = (os.path.abspath(a) for a in sys.argv[1:4])
sys.path.insert(0, os.path.join(SRC, "analysis", "plots"))
sys.dont_write_bytecode = True
from chart_test_support import capture, check, summary  # noqa: E402







def run(out, *extra):
    subprocess.run([CONSIM, "run", os.path.join(SRC, "scenarios", "cqrs-projection-lag.json"),
                    "--out", out, "--quiet", "--checkers", "none", *extra], check=True)
    return out


def lag_lines(fig):
    return [line for ax in fig.axes for line in ax.get_lines() if line.get_gid() == "events-behind"]


def texts_outside(fig):
    from matplotlib.text import Text

    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    outer = fig.bbox
    out = []
    for t in fig.findobj(Text):
        if not (t.get_visible() and t.get_text().strip()):
            continue
        box = t.get_window_extent(renderer)
        if box.x0 < outer.x0 - 1 or box.x1 > outer.x1 + 1 or box.y0 < outer.y0 - 1 or \
                box.y1 > outer.y1 + 1:
            out.append(t.get_text())
    return out


def main():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import plot_common
    import run_charts
    import run_data

    plot_common.apply_slide_style(plt)
    es = run(os.path.join(WORK, "event-sourced"))
    with open(os.path.join(es, "report.json"), encoding="utf-8") as f:
        report = json.load(f)
    n3 = next(n for n in report["events_behind"]["nodes"] if n["node"] == "n3")
    trace = run_data.load_run(es)
    fig = capture(run_charts, run_charts.timeline_chart, plt, trace, WORK, [])
    lines = lag_lines(fig)
    check(len(lines) == 1, "cqrs-projection-lag timeline: one events-behind line",
          f"{len(lines)} lines")
    if lines:
        xs, ys = lines[0].get_xdata(), lines[0].get_ydata()
        check(max(ys) == n3["max"] == 181,
              "the line's highest point is the report's n3 max, 181 events",
              f"line {max(ys)}, report {n3['max']}")
        peak_at = xs[list(ys).index(max(ys))]
        check(3.0 <= peak_at < 5.5, "the highest point is in the burst (3 s to 5.5 s)",
              f"at {peak_at} s")
        in_cut = [y for x, y in zip(xs, ys) if 9.0 <= x < 12.5]
        check(in_cut and max(in_cut) >= 150,
              "the read model falls 150 or more events behind during the cut (9 s to 12 s)",
              f"{max(in_cut) if in_cut else None}")
        check(ys[-1] == n3["series"][-1] == 0, "the line ends at 0: the read model caught up",
              f"{ys[-1]}")
        right = lines[0].axes
        check(right.get_ylabel() == "n3: events behind", "the right axis says what it counts",
              right.get_ylabel())
        check(right.get_ylim()[1] >= 181, "the right axis shows the whole line",
              f"{right.get_ylim()}")
    labels = [t.get_text() for legend in fig.legends for t in legend.get_texts()]
    check("read model n3: events behind (max 181)" in labels,
          "the legend names the read model and its max", f"{labels}")
    outside = texts_outside(fig)
    check(not outside, "every text of the timeline is inside the figure", f"{outside}")
    plt.close(fig)

    other = run(os.path.join(WORK, "eventual-async"), "--model", "eventual-async")
    fig = capture(run_charts, run_charts.timeline_chart, plt, run_data.load_run(other), WORK, [])
    check(not lag_lines(fig) and len(fig.axes) == 2,
          "an eventual-async run of the same scenario draws no events-behind line",
          f"{len(fig.axes)} axes")
    plt.close(fig)

    bad = copy.deepcopy(report)
    bad["events_behind"]["bucket_ms"] = 0
    path = os.path.join(WORK, "bad-report.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(bad, f)
    try:
        run_data.read_events_behind(bad, path)
        message = ""
    except plot_common.InputError as e:
        message = str(e)
    check(message == f"{path}: $.events_behind.bucket_ms: expected a positive number",
          "a report with bucket_ms 0 is bad input naming the file and the JSON path", message)

    return summary()


if __name__ == "__main__":
    sys.exit(main())
