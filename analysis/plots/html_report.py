#!/usr/bin/env python3
"""One self-contained HTML page for a run, a comparison or a sweep folder:
what `consim report DIR` runs (docs/report-html.md).

Usage: html_report.py DIR [--out FILE] [--program NAME]

DIR is a run folder (report.json, and timeline.json and trace.jsonl when
there: consim run --out), a comparison folder (comparison.json: consim
compare --out) or a sweep folder (sweep.json: consim sweep --out); FILE
defaults to DIR/report.html. The page holds the summary table, every chart
the chart scripts draw for that folder (embedded), every checker verdict
with its counterexample slices, and the space-time diagram of the first
violation. --program names the command in error messages (consim passes
"consim report"). Prints the path written. Exit codes as consim's: 0 ok,
3 bad input (one line naming the file and the problem), 4 bad command line,
5 the page could not be written, 1 no matplotlib.

Invariants: the same folder gives the same bytes (no clock, no dates, PNGs
re-encoded by a fixed rule); DIR is only read (the charts are drawn in a temporary
folder); FILE appears complete or not at all (html_page.write_atomically).
"""

import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from plot_common import EXIT_BAD_COMMAND_LINE, InputError, import_pyplot, run_main  # noqa: E402

USAGE = "usage: html_report.py DIR [--out FILE] [--program NAME]"
KINDS = (("sweep", "sweep.json"), ("compare", "comparison.json"), ("run", "report.json"))


def detect_kind(folder):
    """"run", "compare" or "sweep", from the file that names the kind; an
    InputError naming the folder otherwise."""
    if not os.path.exists(folder):
        raise InputError(f"{folder}: no such folder")
    if not os.path.isdir(folder):
        raise InputError(f"{folder}: not a folder (give the folder consim run, compare or "
                         "sweep wrote with --out)")
    for kind, name in KINDS:
        if os.path.isfile(os.path.join(folder, name)):
            return kind
    if os.path.isfile(os.path.join(folder, "trace.jsonl")):
        raise InputError(f"{folder}/report.json: no such file (the folder has a trace: "
                         f"consim analyze {folder}/trace.jsonl writes it)")
    raise InputError(f"{folder}: not a consim run, comparison or sweep folder (it has no "
                     "report.json, comparison.json or sweep.json)")


def parse_args(argv):
    opts = {"dir": None, "out": None, "program": "html_report.py"}
    i = 0
    while i < len(argv):
        a = argv[i]
        if a in ("--out", "--program"):
            if i + 1 >= len(argv):
                raise ValueError(f"{a}: missing its value")
            opts[a[2:]] = argv[i + 1]
            i += 2
            continue
        if a.startswith("-") or opts["dir"] is not None:
            raise ValueError(f"unexpected argument {a}")
        opts["dir"] = a
        i += 1
    if opts["dir"] is None:
        raise ValueError("missing DIR")
    return opts


def build(folder, plt):
    from html_charts import ChartMaker
    from html_page import page

    kind = detect_kind(folder)
    with ChartMaker(plt) as maker:
        if kind == "sweep":
            from html_sweep import sweep_page

            title, sub, sections = sweep_page(folder, maker)
        elif kind == "compare":
            from html_compare import compare_page

            title, sub, sections = compare_page(folder, maker)
        else:
            title, sub, sections = run_page(folder, maker)
    return page(title, sub, sections)


def run_page(folder, maker):
    from html_page import esc, figure
    from html_run import facts, load_report, run_charts, summary_html, verdicts_html

    report = load_report(folder)
    notes = []
    verdicts = verdicts_html(report, os.path.join(folder, "trace.jsonl"), maker, "run")
    charts = run_charts(folder, maker, "run", notes)
    chart_html = "\n".join([figure(c) for c in charts] +
                           [f'<p class="note">{esc(n)}</p>' for n in notes])
    title = f"consim report: {report.raw('scenario') or os.path.basename(folder)}"
    return title, facts(report, folder), [("Summary", summary_html(report)), ("Verdicts", verdicts),
                                  ("Charts", chart_html)]


def main(argv):
    if argv[:1] in (["-h"], ["--help"]):
        print(USAGE)
        return 0
    try:
        opts = parse_args(argv)
    except ValueError as e:
        print(f"html_report.py: {e}\n{USAGE}", file=sys.stderr)
        return EXIT_BAD_COMMAND_LINE
    folder = opts["dir"].rstrip("/") or "/"
    out = opts["out"] or os.path.join(folder, "report.html")
    detect_kind(folder)  # a bad folder fails before matplotlib loads
    plt = import_pyplot()
    from html_page import write_atomically

    write_atomically(out, build(folder, plt))
    print(out)
    return 0


if __name__ == "__main__":
    program = "html_report.py"
    if "--program" in sys.argv[1:-1]:
        program = sys.argv[sys.argv.index("--program") + 1]
    sys.exit(run_main(program, main))
