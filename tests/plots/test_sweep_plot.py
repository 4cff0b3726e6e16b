#!/usr/bin/env python3
"""Tests of plot_sweep.py (analysis/plots/) on a real sweep: consim sweep of
tests/sweeps/small.json (heal 7s or 11s x eventual-async or causal, 3
seeds), then the charts: one line per model in the model's own colour, the
means and the 95% bands of sweep.json, the x values in order, PNG and SVG
written; bad input exits 3 with one line, a bad option 4.

Usage: test_sweep_plot.py CONSIM SOURCE_DIR WORK_DIR (sweep_plot_test.sh
picks the Python). Prints "N passed, N failed"; exits 1 if any failed.
"""

import json
import os
import subprocess
import sys

CONSIM, SRC, WORK = (os.path.abspath(a) for a in sys.argv[1:4])
PLOTS = os.path.join(SRC, "analysis", "plots")
sys.path.insert(0, PLOTS)
from chart_test_support import check, summary  # noqa: E402
sys.dont_write_bytecode = True





def run(args):
    p = subprocess.run(args, capture_output=True, text=True, timeout=300, cwd=SRC)
    return p.returncode, p.stdout, p.stderr


def main():
    out = os.path.join(WORK, "small")
    rc, _, err = run([CONSIM, "sweep", "tests/sweeps/small.json", "--out", out, "-j", "2",
                      "--quiet"])
    check(rc == 0, "consim sweep writes the small sweep", err)
    script = os.path.join(PLOTS, "plot_sweep.py")
    rc, stdout, err = run([sys.executable, script, out])
    files = stdout.split()
    check(rc == 0 and len(files) == 6, "one PNG and one SVG per metric (3 metrics)", stdout + err)
    for f in files:
        with open(f, "rb") as fh:
            head = fh.read(8)
        check(head.startswith(b"\x89PNG") if f.endswith(".png") else b"<?xml" in head,
              f"{os.path.basename(f)} is a real {f[-3:].upper()}", repr(head))

    import plot_common
    import plot_sweep

    plt = plot_common.import_pyplot()
    sweep = plot_sweep.Sweep(os.path.join(out, "sweep.json"))
    x, lines = plot_sweep.choose_axes(sweep, None, None, {})
    check((x, lines) == ("heal", "model"), "defaults: x is the first axis, lines the models",
          f"{x}, {lines}")
    fig = plot_sweep.chart(plt, sweep, "stale_rate", x, lines, {})
    ax = fig.axes[0]
    drawn = [ln for ln in ax.get_lines() if not ln.get_label().startswith("_")]
    check([ln.get_label() for ln in drawn] == ["eventual-async", "causal"],
          "a line per model, in the sweep's order", [ln.get_label() for ln in drawn])
    check([ln.get_color() for ln in drawn] ==
          [plot_common.FIXED_MODEL_COLOURS[m] for m in ("eventual-async", "causal")],
          "each model in its colour of every other chart", [ln.get_color() for ln in drawn])
    with open(os.path.join(out, "sweep.json")) as f:
        table = json.load(f)
    for ln in drawn:
        rows = [r for r in table["aggregate"] if r["values"]["model"] == ln.get_label()]
        means = [r["metrics"]["stale_rate"]["mean"] for r in rows]
        check(list(ln.get_ydata()) == means, f"{ln.get_label()}: the line is the means", means)
    bands = ax.collections
    check(len(bands) == 2, "a confidence band per model", len(bands))
    rows = [r for r in table["aggregate"] if r["values"]["model"] == "eventual-async"]
    ys = [v[1] for path in bands[0].get_paths() for v in path.vertices]
    low = min(r["metrics"]["stale_rate"]["ci95_low"] for r in rows)
    high = max(r["metrics"]["stale_rate"]["ci95_high"] for r in rows)
    check(abs(min(ys) - low) < 1e-12 and abs(max(ys) - high) < 1e-12,
          "the band spans the 95% interval", (min(ys), max(ys), low, high))
    check([t.get_text() for t in ax.get_xticklabels()] == ["7s", "11s"],
          "non-numeric x values are placed in order, labelled", ax.get_xticklabels())
    plt.close(fig)

    rc, _, err = run([sys.executable, script, out, "--x", "nope"])
    check(rc == 4 and 'no axis "nope"; axes: heal, model' in err, "an unknown axis exits 4", err)
    rc, _, err = run([sys.executable, script, os.path.join(WORK, "missing")])
    check(rc == 3 and err.count("\n") == 1 and "sweep.json: no such file" in err,
          "a folder without sweep.json exits 3 with one line", err)
    bad = os.path.join(WORK, "bad")
    os.makedirs(bad, exist_ok=True)
    with open(os.path.join(bad, "sweep.json"), "w") as f:
        f.write('{"format": "consim-report"}')
    rc, _, err = run([sys.executable, script, bad])
    check(rc == 3 and "not a consim sweep table" in err, "another JSON file exits 3", err)
    return summary()


if __name__ == "__main__":
    sys.exit(main())
