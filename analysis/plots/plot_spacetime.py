#!/usr/bin/env python3
"""The space-time (message sequence) diagram of one run, from its trace.

Usage: plot_spacetime.py RUNDIR [--from TIME] [--to TIME] [--nodes n1,n2]
                         [--labels auto|none|kind|all] [--max-messages N]
                         [--max-ops N] [--name NAME]

RUNDIR holds trace.jsonl (consim run --out, or one model's folder of consim
compare), written at trace level full (the network lines). TIME is a
duration as in scenario files ("5s", "4980ms", "2.3s"). Without --from/--to
the window holds about 120 messages around the first partition's start
(30% before it), else around the first fault, else from the start.
Writes RUNDIR/charts/NAME.png and NAME.svg (NAME defaults to "spacetime")
and prints both paths. Exit codes as the other chart scripts' (docs/cli.md):
0 ok, 3 bad input (one line naming the file), 4 bad command line, 5 a chart
could not be written, 1 no matplotlib.

Invariant: the diagram shows only what the trace says; when it leaves
messages or operations out (nodes not chosen, thinning), the note under
the chart counts them.
"""

import os
import re
import sys

sys.dont_write_bytecode = True  # keep the source tree free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from plot_common import (  # noqa: E402
    DPI,
    EXIT_BAD_COMMAND_LINE,
    InputError,
    OutputError,
    import_pyplot,
    run_main,
)

USAGE = ("usage: plot_spacetime.py RUNDIR [--from TIME] [--to TIME] [--nodes n1,n2,...] "
         "[--labels auto|none|kind|all] [--max-messages N] [--max-ops N] [--name NAME]")
UNITS = {"ns": 1, "us": 1_000, "ms": 1_000_000, "s": 1_000_000_000}


class UsageError(Exception):
    pass


def duration_ns(text, flag):
    m = re.fullmatch(r"(\d+(?:\.\d+)?)(ns|us|ms|s)", text.strip())
    if not m:
        raise UsageError(f'{flag}: expected a duration such as "5s" or "4980ms", got "{text}"')
    return int(round(float(m.group(1)) * UNITS[m.group(2)]))


def parse_args(argv):
    opts = {"rundir": None, "from": None, "to": None, "nodes": None, "labels": "auto",
            "max_messages": 250, "max_ops": 80, "name": "spacetime"}
    it = iter(argv)
    for arg in it:
        if arg in ("-h", "--help"):
            return None
        if arg.startswith("--"):
            value = next(it, None)
            if value is None:
                raise UsageError(f"{arg}: missing its value")
            if arg in ("--from", "--to"):
                opts[arg[2:]] = duration_ns(value, arg)
            elif arg == "--nodes":
                opts["nodes"] = [n for n in value.split(",") if n]
            elif arg == "--labels":
                if value not in ("auto", "none", "kind", "all"):
                    raise UsageError(f'--labels: expected auto, none, kind or all, got "{value}"')
                opts["labels"] = value
            elif arg in ("--max-messages", "--max-ops"):
                if not value.isdigit() or int(value) < 1:
                    raise UsageError(f"{arg}: expected a positive integer, got \"{value}\"")
                opts[arg[2:].replace("-", "_")] = int(value)
            elif arg == "--name":
                if not re.fullmatch(r"[A-Za-z0-9_.-]+", value):
                    raise UsageError(f'--name: expected a file name stem, got "{value}"')
                opts["name"] = value
            else:
                raise UsageError(f"unknown option {arg}")
        elif opts["rundir"] is None:
            opts["rundir"] = arg.rstrip("/") or "/"
        else:
            raise UsageError(f"unexpected argument {arg}")
    if opts["rundir"] is None:
        raise UsageError("missing RUNDIR")
    if opts["from"] is not None and opts["to"] is not None and opts["to"] <= opts["from"]:
        raise UsageError("--to must be after --from")
    return opts


def main(argv):
    try:
        opts = parse_args(argv)
    except UsageError as e:
        print(f"plot_spacetime.py: {e}\n{USAGE}", file=sys.stderr)
        return EXIT_BAD_COMMAND_LINE
    if opts is None:
        print(USAGE)
        return 0
    rundir = opts["rundir"]
    if not os.path.isdir(rundir):
        raise InputError(f"{rundir}: no such folder (run consim run SCENARIO --out {rundir})")
    plt = import_pyplot()
    from spacetime_chart import spacetime_chart
    from spacetime_data import read_header, read_view

    path = os.path.join(rundir, "trace.jsonl")
    header = read_header(path)
    start, end = window(path, opts)
    view = read_view(path, start, end, opts["nodes"])
    if header.get("level") not in (None, "full") and not view.messages:
        print(f"plot_spacetime.py: note: {path} was written at level {header.get('level')}: "
              f"no network lines, so no message arrows (run with --trace-level full)",
              file=sys.stderr)
    fig = spacetime_chart(plt, view, opts)
    for path in save_both(fig, plt, os.path.join(rundir, "charts"), opts["name"]):
        print(path)
    return 0


def window(path, opts):
    from spacetime_data import DEFAULT_MESSAGES, choose_window

    start, end = opts["from"], opts["to"]
    if start is None or end is None:
        auto_start, auto_end = choose_window(path, DEFAULT_MESSAGES)
        if start is None and end is None:
            return auto_start, auto_end
        length = auto_end - auto_start
        if start is None:
            start = max(0, end - length)
        else:
            end = start + length
    return start, end


def save_both(fig, plt, folder, name):
    """Writes NAME.png (150 dpi) and NAME.svg; OutputError on failure."""
    written = []
    plt.rcParams["svg.hashsalt"] = "consim"  # the same input gives the same SVG bytes
    try:
        try:
            os.makedirs(folder, exist_ok=True)
        except OSError as e:
            raise OutputError(f"{folder}: cannot create the charts folder: "
                              f"{e.strerror or e}") from None
        for ext in ("png", "svg"):
            path = os.path.join(folder, f"{name}.{ext}")
            try:
                fig.savefig(path, dpi=DPI, metadata={"Date": None} if ext == "svg" else None)
            except OSError as e:
                raise OutputError(f"{path}: cannot write: {e.strerror or e}") from None
            written.append(path)
    finally:
        plt.close(fig)
    return written


if __name__ == "__main__":
    sys.exit(run_main("plot_spacetime.py", main))
