#!/usr/bin/env python3
"""Slide charts for one run, from what the analysis wrote.

Usage: plot_run.py RUNDIR   (RUNDIR holds timeline.json and report.json,
from consim run --out, consim compare or consim analyze)

Writes RUNDIR/charts/timeline.png (every client operation: when it was
invoked, how long it took and which client sent it, coloured by outcome)
and RUNDIR/charts/divergence.png (keys on which replicas disagree over
time), both with the fault windows shaded, and, for a trace with role
lines, RUNDIR/charts/leaders.png (leader_chart.py: when each node believed
it led); prints each path. The data
comes from timeline.json (run_data.py); the trace is not read. Exit codes as
plot_comparison.py's.

Invariant: the charts share the time axis (seconds since the start of the
run) and the fault shading, so they can sit on one slide.
"""

import os
import sys

sys.dont_write_bytecode = True  # keep the source tree free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from plot_common import (  # noqa: E402
    EXIT_BAD_COMMAND_LINE,
    InputError,
    import_pyplot,
    run_main,
)

USAGE = ("usage: plot_run.py RUNDIR   (RUNDIR: a folder with timeline.json and report.json, "
         "from consim run --out)")


def main(argv):
    if len(argv) != 1 or argv[0] in ("-h", "--help"):
        help_asked = argv[:1] in (["-h"], ["--help"])
        print(USAGE, file=sys.stdout if help_asked else sys.stderr)
        return 0 if help_asked else EXIT_BAD_COMMAND_LINE
    rundir = argv[0].rstrip("/") or "/"
    if not os.path.isdir(rundir):
        raise InputError(f"{rundir}: no such folder (run consim run SCENARIO --out {rundir})")
    plt = import_pyplot()
    from run_charts import divergence_chart, timeline_chart
    from run_data import load_run

    trace = load_run(rundir)
    folder = os.path.join(rundir, "charts")
    written = []
    timeline_chart(plt, trace, folder, written)
    divergence_chart(plt, trace, folder, written)
    if trace.leaders is not None:
        from leader_chart import leaders_chart

        leaders_chart(plt, trace, folder, written)
    for path in written:
        print(path)
    if trace.seen_apply:
        print(f"most keys on which replicas disagreed at once: {trace.divergence.highest}")
    return 0


if __name__ == "__main__":
    sys.exit(run_main("plot_run.py", main))
