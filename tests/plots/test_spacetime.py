#!/usr/bin/env python3
"""Tests of the space-time diagram (analysis/plots/plot_spacetime.py): on a
hand-written 2PC trace with a coordinator crash (fixtures/2pc-crash.jsonl),
on real runs of scenarios/2pc-coordinator-crash.json and
scenarios/causal-buffering.json, checking what is drawn (arrows by message
kind and colour, crash shading, drops, note windows: ids in the SVG and the
matplotlib objects), thinning with its count, and bad input.

Usage: test_spacetime.py CONSIM SOURCE_DIR WORK_DIR (tests/plots/run.sh).
Prints "N passed, N failed"; exits 1 if any failed.
"""

import os
import re
import shutil
import subprocess
import sys

CONSIM, SRC, WORK = (os.path.abspath(a) for a in sys.argv[1:4])
PLOTS = os.path.join(SRC, "analysis", "plots")
FIXTURE = os.path.join(SRC, "tests", "plots", "fixtures", "2pc-crash.jsonl")
sys.path.insert(0, PLOTS)
from chart_test_support import check, summary  # noqa: E402
sys.dont_write_bytecode = True





def run(args):
    p = subprocess.run(args, capture_output=True, text=True, timeout=300)
    return p.returncode, p.stdout, p.stderr


def plot(rundir, *args):
    return run([sys.executable, os.path.join(PLOTS, "plot_spacetime.py"), rundir, *args])


def svg_ids(rundir, name="spacetime"):
    text = open(os.path.join(rundir, "charts", f"{name}.svg")).read()
    return set(re.findall(r'id="([^"]+)"', text))


def fixture_dir():
    rundir = os.path.join(WORK, "st-fixture")
    os.makedirs(rundir, exist_ok=True)
    shutil.copy(FIXTURE, os.path.join(rundir, "trace.jsonl"))
    return rundir


def test_fixture_files():
    rundir = fixture_dir()
    rc, out, err = plot(rundir)
    png, svg = (os.path.join(rundir, "charts", f"spacetime.{e}") for e in ("png", "svg"))
    check(rc == 0 and out.split() == [png, svg],
          "2PC fixture: plot_spacetime.py writes spacetime.png and .svg and prints both", err)
    head = open(png, "rb").read(24)
    check(head[:8] == b"\x89PNG\r\n\x1a\n" and int.from_bytes(head[16:20], "big") == 1920,
          "2PC fixture: the PNG is 1920 pixels wide (slide size)")
    ids = svg_ids(rundir)
    for kind, msgs in (("prepare", (1, 2, 7, 8)), ("vote", (3, 4, 9, 10)), ("commit", (5, 6))):
        missing = [m for m in msgs if f"message-{kind}-{m}" not in ids]
        check(not missing, f"2PC fixture: every {kind} message is an arrow in the SVG",
              f"missing {missing}")
    check("crash-n1" in ids, "2PC fixture: the coordinator's crash shades n1's line", str(ids))
    check({"dropped-9", "dropped-10"} <= ids,
          "2PC fixture: the votes lost to the crashed coordinator are marked dropped")
    check({"op-1-ok", "op-2-info"} <= ids,
          "2PC fixture: the committed write is ok, the one caught by the crash info")
    first = open(svg, "rb").read()
    plot(rundir)
    check(first == open(svg, "rb").read(), "2PC fixture: the same trace gives the same SVG bytes")


def test_fixture_objects():
    from plot_common import import_pyplot
    from spacetime_chart import spacetime_chart
    from spacetime_data import read_view

    plt = import_pyplot()
    ms = 1_000_000
    view = read_view(FIXTURE, 0, 200 * ms)
    in_doubt = sorted((w["node"], w["start"] // ms, None if w["end"] is None else w["end"] // ms)
                      for w in view.windows if w["what"] == "in-doubt")
    check(in_doubt == [("n2", 15, 29), ("n2", 65, None), ("n3", 17, 31), ("n3", 67, None)],
          "2PC fixture: in-doubt windows from the notes (txn n1.2 never resolved)", str(in_doubt))
    fig = spacetime_chart(plt, view, {"labels": "auto", "max_messages": 250, "max_ops": 80})
    ax = fig.axes[0]
    box = fig.legends[0]
    handles = getattr(box, "legend_handles", None) or box.legendHandles  # matplotlib < 3.7
    legend = {t.get_text(): h for t, h in zip(box.get_texts(), handles)}
    check({"prepare", "vote", "commit", "dropped", "in-doubt", "node down"} <= set(legend),
          "2PC fixture: the legend names each message kind, drops, in-doubt and the crash",
          str(sorted(legend)))
    from matplotlib.colors import to_rgba

    patches = [a.arrow_patch for a in ax.texts if getattr(a, "arrow_patch", None) is not None]
    arrows = {p.get_gid(): p for p in patches if (p.get_gid() or "").startswith("message-")}
    wrong = [gid for gid, p in arrows.items()
             if to_rgba(p.get_edgecolor()) != to_rgba(legend[gid.split("-")[1]].get_color())]
    check(len(arrows) == 10 and not wrong,
          "2PC fixture: each arrow has the colour its kind has in the legend",
          f"{len(arrows)} arrows, wrong colours {wrong}")
    labels = sorted(t.get_text() for t in ax.texts if t.get_text() in ("prepare", "vote", "commit"))
    check(labels.count("prepare") == 4 and labels.count("commit") == 2,
          "2PC fixture: few messages, so each arrow is labelled with its 2PC phase", str(labels))
    plt.close(fig)


def test_2pc_run():
    rundir = os.path.join(WORK, "st-2pc")
    rc, _, err = run([CONSIM, "run", os.path.join(SRC, "scenarios", "2pc-coordinator-crash.json"),
                      "--trace-level", "full", "--out", rundir, "--quiet"])
    check(rc == 0, "consim runs 2pc-coordinator-crash at trace level full", err)
    rc, _, err = plot(rundir, "--from", "1.95s", "--to", "2.4s")
    check(rc == 0, "2pc-coordinator-crash: the diagram of 1.95 s to 2.4 s is drawn", err)
    ids = svg_ids(rundir)
    kinds = {i.split("-")[1] for i in ids if i.startswith("message-")}
    check({"prepare", "vote", "commit"} <= kinds,
          "2pc-coordinator-crash: prepare, vote and commit arrows", str(sorted(kinds)))
    check("crash-n1" in ids and "partition-n1 cut off" in ids,
          "2pc-coordinator-crash: the cut and the coordinator's crash are shaded")
    check(any(i.startswith("dropped-") for i in ids),
          "2pc-coordinator-crash: messages cut by the partition are marked dropped")


def test_causal_buffering():
    from spacetime_data import read_view

    rundir = os.path.join(WORK, "st-causal")
    rc, _, err = run([CONSIM, "run", os.path.join(SRC, "scenarios", "causal-buffering.json"),
                      "--out", rundir, "--quiet"])
    check(rc == 0, "consim runs causal-buffering", err)
    rc, _, err = plot(rundir, "--from", "25ms", "--to", "80ms")
    check(rc == 0, "causal-buffering: the diagram is drawn", err)
    ids = svg_ids(rundir)
    check(any(i.startswith("window-buffered-n3") for i in ids),
          "causal-buffering: n3's buffered write is shaded on its line", str(sorted(ids))[:300])
    view = read_view(os.path.join(rundir, "trace.jsonl"), 25_000_000, 80_000_000)
    buffered = [w for w in view.windows if w["what"] == "buffered" and w["end"] is not None]
    arrivals = {m["delivered"][0] for m in view.messages
                if m["from"] == "n1" and m["to"] == "n3" and m["kind"] == "replicate"
                and m["delivered"]}
    check(buffered and buffered[0]["end"] in arrivals,
          "causal-buffering: the buffered write is released when n1's replicate reaches n3",
          f"windows {buffered}, n1->n3 arrivals {sorted(arrivals)}")


def test_thinning():
    rundir = os.path.join(WORK, "st-thin")
    rc, _, err = run([CONSIM, "run", os.path.join(SRC, "tests", "plots", "short.json"),
                      "--out", rundir, "--quiet"])
    rc, out, err = plot(rundir, "--max-messages", "30")
    check(rc == 0, "short run: a thinned diagram is drawn", err)
    from plot_common import import_pyplot
    from spacetime_chart import notable, spacetime_chart, thin
    from spacetime_data import choose_window, read_view

    plt = import_pyplot()
    trace = os.path.join(rundir, "trace.jsonl")
    start, end = choose_window(trace)
    view = read_view(trace, start, end)
    check(start <= 1_000_000_000 <= end and len(view.messages) > 30,
          "short run: the default window holds the partition's start and >30 messages",
          f"{start}..{end}, {len(view.messages)} messages")
    kept = sum(1 for m in view.messages if notable(m))
    limit = 2 * kept + 10  # drops fit in half the arrows
    drawn, stride, special = thin(view.messages, limit, notable)
    check(stride > 1 and special == 1 and all(m in drawn for m in view.messages if notable(m))
          and len(drawn) <= limit,
          "thinning keeps every dropped or held message (when they fit) and every k-th other",
          f"stride {stride}, {len(drawn)} drawn, {kept} notable")
    drawn, stride, special = thin(view.messages, 20, notable)
    check(len(drawn) <= 20 and special > 1 and stride > 1,
          "thinning never draws more than the limit, even when drops alone exceed it",
          f"{len(drawn)} drawn, strides {stride} and {special}")
    items = [("s", i) for i in range(100)] + [("o", i) for i in range(5)]
    drawn, stride, special = thin(items, 20, lambda x: x[0] == "s")
    check((len(drawn), stride, special) == (20, 1, 7),
          "thinning: 100 drops and 5 others in 20 arrows: every 7th drop, every other (docstring)",
          str((len(drawn), stride, special)))
    fig = spacetime_chart(plt, view, {"labels": "auto", "max_messages": limit, "max_ops": 80})
    note = [t.get_text() for t in fig.texts if t.get_text().startswith("Drawn:")]
    drawn, _, _ = thin(view.messages, limit, notable)
    check(note and f"{len(drawn)} of {len(view.messages)} messages" in note[0],
          "the note under the diagram counts the messages left out", str(note))
    plt.close(fig)


def test_held_messages():
    """Under cut_policy hold a copy that meets the cut waits and is delivered
    after the heal: a hollow square where it was held, a dashed shaft."""
    import json

    from spacetime_data import read_view

    scenario = json.load(open(os.path.join(SRC, "tests", "plots", "short.json")))
    scenario["network"]["cut_policy"] = "hold"
    path = os.path.join(WORK, "held.json")
    json.dump(scenario, open(path, "w"))
    rundir = os.path.join(WORK, "st-held")
    rc, _, err = run([CONSIM, "run", path, "--out", rundir, "--quiet"])
    check(rc == 0, "consim runs the short scenario with cut_policy hold", err)
    rc, _, err = plot(rundir, "--from", "2.45s", "--to", "2.6s")
    check(rc == 0, "held messages: the diagram across the heal is drawn", err)
    view = read_view(os.path.join(rundir, "trace.jsonl"), 2_450_000_000, 2_600_000_000)
    held = [m for m in view.messages if m["held"] is not None]
    late = [m for m in held if m["delivered"] and m["delivered"][0] >= 2_500_000_000]
    ids = svg_ids(rundir)
    check(held and late and all(f"held-{m['msg']}" in ids for m in held),
          "held messages: each held copy is marked, and those sent before the heal arrive after it",
          f"{len(held)} held, {len(late)} delivered after the heal")


def test_extra_fields_label():
    """A send line's fields beyond the standard ones (a version vector, when
    a model traces it) label the arrow with --labels all."""
    from plot_common import import_pyplot
    from spacetime_chart import spacetime_chart
    from spacetime_data import read_view

    path = os.path.join(WORK, "vv.jsonl")
    lines = open(FIXTURE).read().split("\n")
    lines = [l.replace('"kind":"prepare","bytes":44', '"kind":"prepare","bytes":44,"vv":[1,0,2]')
             for l in lines]
    open(path, "w").write("\n".join(lines))
    plt = import_pyplot()
    fig = spacetime_chart(plt, read_view(path, 0, 200_000_000),
                          {"labels": "all", "max_messages": 250, "max_ops": 80})
    texts = [t.get_text() for t in fig.axes[0].texts]
    check(texts.count("prepare vv=[1,0,2]") == 4 and "vote" in texts,
          "labels all: the prepare arrows carry their version vector", str(texts[:8]))
    plt.close(fig)


def test_dots_label():
    """A dotted context's dots past its vector (docs/trace-format.md) label
    the arrow after the vector."""
    from plot_common import import_pyplot
    from spacetime_chart import spacetime_chart
    from spacetime_data import read_view

    path = os.path.join(WORK, "dots.jsonl")
    lines = open(FIXTURE).read().split("\n")
    lines = [l.replace('"kind":"prepare","bytes":44',
                       '"kind":"prepare","bytes":44,"vv":{"n1":2},"dots":{"n1":[4,6]}')
             for l in lines]
    open(path, "w").write("\n".join(lines))
    plt = import_pyplot()
    fig = spacetime_chart(plt, read_view(path, 0, 200_000_000),
                          {"labels": "all", "max_messages": 250, "max_ops": 80})
    texts = [t.get_text() for t in fig.axes[0].texts]
    shown = [t for t in texts if t.startswith("prepare")]  # long labels may give way
    check(shown and all(t == "prepare vv={n1:2} dots={n1:[4,6]}" for t in shown),
          "labels all: the prepare arrows carry their vector and dots",
          str([t for t in texts if "prepare" in t][:4]))
    plt.close(fig)


def test_bad_input():
    rc, _, err = plot(os.path.join(WORK, "nowhere"))
    check(rc == 3 and "nowhere: no such folder" in err and "Traceback" not in err,
          "a missing folder: exit 3, one line", err)
    rundir = os.path.join(WORK, "st-broken")
    os.makedirs(rundir, exist_ok=True)
    lines = open(FIXTURE).read().split("\n")
    lines[5] = '{"type":"send","time":15000000,"msg":'
    path = os.path.join(rundir, "trace.jsonl")
    open(path, "w").write("\n".join(lines))
    rc, _, err = plot(rundir, "--from", "0ms", "--to", "100ms")
    check(rc == 3 and f"{path}: line 6: not JSON" in err and len(err.strip().split("\n")) == 1,
          "a malformed trace line: exit 3, one line naming the file and line", err)
    rc, _, err = plot(fixture_dir(), "--nodes", "n1,n9")
    check(rc == 3 and "no node n9" in err, "an unknown node: exit 3 naming it", err)
    rc, _, err = plot(fixture_dir(), "--from", "soon")
    check(rc == 4 and "--from" in err and "usage" in err, "a bad --from: usage, exit 4", err)


def main():
    for test in (test_fixture_files, test_fixture_objects, test_2pc_run, test_causal_buffering,
                 test_thinning, test_held_messages, test_extra_fields_label, test_dots_label,
                 test_bad_input):
        try:
            test()
        except Exception as e:  # a crash in one test is a failure, not the end of the run
            check(False, test.__name__, f"{type(e).__name__}: {e}")
    return summary()


if __name__ == "__main__":
    sys.exit(main())
