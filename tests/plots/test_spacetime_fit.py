#!/usr/bin/env python3
"""Tests that the space-time diagram stays readable: its note (the count of
what was left out) stays on the slide, a message kind has the same colour
on every diagram of a run whatever the window or the nodes shown, and
`--labels all` on a busy window draws no label over another, saying how
many it left out. On the 2PC fixture (fixtures/2pc-crash.jsonl) and a run
of tests/plots/short.json.

Usage: test_spacetime_fit.py CONSIM SOURCE_DIR WORK_DIR (tests/plots/run.sh).
Prints "N passed, N failed"; exits 1 if any failed.
"""

import os
import subprocess
import sys

CONSIM, SRC, WORK = (os.path.abspath(a) for a in sys.argv[1:4])
sys.path.insert(0, os.path.join(SRC, "analysis", "plots"))
sys.path.insert(0, os.path.join(SRC, "tests", "plots"))
sys.dont_write_bytecode = True
FIXTURE = os.path.join(SRC, "tests", "plots", "fixtures", "2pc-crash.jsonl")
MS = 1_000_000

results = {"passed": 0, "failed": 0}


def check(condition, story, detail=""):
    results["passed" if condition else "failed"] += 1
    print(("ok: " if condition else "FAIL: ") + story + ("" if condition else f": {detail}"))


def short_run():
    rundir = os.path.join(WORK, "stfit-short")
    p = subprocess.run([CONSIM, "run", os.path.join(SRC, "tests", "plots", "short.json"),
                        "--out", rundir, "--quiet", "--trace-level", "full"],
                       capture_output=True, text=True)
    check(p.returncode == 0, "consim runs tests/plots/short.json", p.stderr)
    return os.path.join(rundir, "trace.jsonl")


def arrow_colours(fig):
    """{kind: {colour}} of the message arrows drawn (ids "message-KIND-N")."""
    from matplotlib.colors import to_hex

    colours = {}
    arrows = [getattr(t, "arrow_patch", None) for t in fig.axes[0].texts]
    for p in [a for a in arrows if a is not None and (a.get_gid() or "").startswith("message-")]:
        kind = p.get_gid()[len("message-"):].rsplit("-", 1)[0]
        colours.setdefault(kind, set()).add(to_hex(p.get_edgecolor()))
    return colours


def test_note_inside(plt, trace):
    from spacetime_chart import spacetime_chart
    from spacetime_data import choose_window, read_view
    from test_fit import clipped_texts

    start, end = choose_window(trace)
    view = read_view(trace, start, end, ["n1", "n3"])  # a "left out" part too
    fig = spacetime_chart(plt, view, {"labels": "auto", "max_messages": 12, "max_ops": 10})
    note = [t.get_text() for t in fig.texts if t.get_text().startswith("Drawn:")]
    out = clipped_texts(fig)
    check(note and not out, "space-time: the note about thinning is inside the figure",
          f"{out[:3]}")
    plt.close(fig)


def test_stable_colours(plt, trace):
    """Windows that see kinds in a different first order, and a diagram of
    other nodes, give every kind the same colour: kind_colour(kind)."""
    import spacetime_chart as chart
    from spacetime_data import read_view

    spacetime_chart = chart.spacetime_chart
    seen = {}
    views = [(FIXTURE, 0, 200 * MS, None), (FIXTURE, 18 * MS, 200 * MS, None),
             (FIXTURE, 0, 200 * MS, ["n2", "n3"]), (trace, 900 * MS, 1100 * MS, None)]
    for path, start, end, nodes in views:
        view = read_view(path, start, end, nodes)
        fig = spacetime_chart(plt, view, {"labels": "none", "max_messages": 400, "max_ops": 80})
        for kind, colours in arrow_colours(fig).items():
            seen.setdefault(kind, set()).update(colours)
        plt.close(fig)
    from matplotlib.colors import to_hex

    differ = {k: v for k, v in seen.items() if len(v) != 1}
    check(seen and not differ, "space-time: each message kind has one colour on every diagram "
          f"({', '.join(sorted(seen))})", str(differ))
    kind_colour = getattr(chart, "kind_colour", lambda k: None)
    check(all(to_hex(kind_colour(k)) in v for k, v in seen.items() if kind_colour(k)),
          "space-time: a kind's colour is kind_colour(kind), whatever the run", str(seen))
    kinds = sorted(seen)
    check(len({kind_colour(k) for k in kinds}) == len(kinds),
          "space-time: the 2PC and eventual-async kinds get distinct colours", str(kinds))


def test_labels_all(plt, trace):
    from spacetime_chart import spacetime_chart
    from spacetime_data import read_view

    view = read_view(trace, 900 * MS, 1300 * MS)
    fig = spacetime_chart(plt, view, {"labels": "all", "max_messages": 300, "max_ops": 80})
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in ax.texts
             if (t.get_gid() or "").startswith("label-")]
    overlaps = [(a, b) for i, (a, ba) in enumerate(boxes) for b, bb in boxes[i + 1:]
                if ba.overlaps(bb)]
    note = " ".join(" ".join(t.get_text().split()) for t in fig.texts
                    if t.get_text().startswith("Drawn:"))
    check(len(boxes) > 5 and not overlaps,
          f"space-time --labels all, busy window: no label covers another ({len(boxes)} drawn)",
          f"{len(overlaps)} overlapping pairs, e.g. {overlaps[:2]}")
    check(f"Labels: {len(boxes)} of " in note and "would have covered" in note,
          "space-time --labels all: the note says how many labels were left out", note[-200:])
    plt.close(fig)


def main():
    from plot_common import import_pyplot

    plt = import_pyplot()
    trace = short_run()
    for test in (test_note_inside, test_stable_colours, test_labels_all):
        try:
            test(plt, trace)
        except Exception as e:  # one crash is a failure, not the end of the run
            check(False, test.__name__, f"{type(e).__name__}: {e}")
    print(f"{results['passed']} passed, {results['failed']} failed")
    return 1 if results["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
