#!/usr/bin/env python3
"""Slide charts from a `consim compare` output folder.

Usage: plot_comparison.py OUTDIR

Reads OUTDIR/comparison.json and OUTDIR/<model>/report.json and writes into
OUTDIR/charts/: availability.png, stale-reads.png, t-visibility.png,
latency.png, cap-pacelc.png, convergence.png, verdicts.png,
latency-cdf.png and latency-cdf-phases.png (docs/charts.md says what
each shows), printing each path. Exit codes as consim's (docs/cli.md): 0 ok,
3 bad input (one line naming the file and the problem), 4 bad command line,
5 a chart could not be written, 1 this Python has no matplotlib.

Invariant: every chart is written from the same loaded data, so they all
describe one scenario and seed, and a model has the same colour in each.
"""

import os
import sys

sys.dont_write_bytecode = True  # keep the source tree free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from plot_common import EXIT_BAD_COMMAND_LINE, import_pyplot, model_colours, run_main  # noqa: E402

USAGE = "usage: plot_comparison.py OUTDIR   (OUTDIR: a folder written by consim compare)"


def main(argv):
    if len(argv) != 1 or argv[0] in ("-h", "--help"):
        print(USAGE, file=sys.stdout if argv[:1] in (["-h"], ["--help"]) else sys.stderr)
        return 0 if argv[:1] in (["-h"], ["--help"]) else EXIT_BAD_COMMAND_LINE
    outdir = argv[0].rstrip("/") or "/"
    plt = import_pyplot()
    from comparison_data import load_comparison
    from phase_charts import availability_chart, latency_chart, stale_reads_chart
    from latency_cdf import latency_cdf_chart, latency_cdf_phase_chart
    from tradeoff_charts import cap_chart, convergence_chart, visibility_chart
    from verdict_chart import verdict_chart

    data = load_comparison(outdir)
    colours = model_colours(data.models)
    folder = os.path.join(outdir, "charts")
    written = []
    for chart in (availability_chart, stale_reads_chart, visibility_chart, latency_chart,
                  cap_chart, convergence_chart, verdict_chart, latency_cdf_chart,
                  latency_cdf_phase_chart):
        chart(plt, data, colours, folder, written)
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(run_main("plot_comparison.py", main))
