#!/usr/bin/env python3
"""Tests of the chart scripts (analysis/plots/), as a teacher runs them:
consim compare on a short partition scenario (short.json), then
plot_comparison.py and plot_run.py, checking every chart is a real PNG of
slide size, that numbers the charts draw agree with report.json, and that
bad input gives exit 3 and one line naming the file, never a traceback.

Usage: test_plots.py CONSIM SOURCE_DIR [WORK_DIR]   (tests/plots/run.sh
picks the Python). Prints "N passed, N failed"; exits 1 if any failed.
"""

import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile

CONSIM, SRC = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
OWN_WORK = len(sys.argv) <= 3  # a temporary folder of our own, removed at the end
WORK = tempfile.mkdtemp(prefix="consim-plots-") if OWN_WORK else sys.argv[3]
PLOTS = os.path.join(SRC, "analysis", "plots")
sys.path.insert(0, PLOTS)
from chart_test_support import check, summary  # noqa: E402
sys.dont_write_bytecode = True

COMPARISON_CHARTS = ["availability.png", "stale-reads.png", "t-visibility.png", "latency.png",
                     "cap-pacelc.png", "convergence.png"]
RUN_CHARTS = ["timeline.png", "divergence.png"]
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"





def run(args):
    p = subprocess.run(args, capture_output=True, text=True, timeout=300)
    return p.returncode, p.stdout, p.stderr


def registered_models():
    """The store models in registry order, from `consim list` (never pinned
    here: a new model must not break this test), but those of another
    workload than the register one (`[workload: bank]`; `[workload:
    register, set or counter]` serves it): `consim compare` runs the models
    of the scenario's workload."""
    _, out, _ = run([CONSIM, "list"])
    models, inside = [], False
    for line in out.split("\n"):
        if line.startswith("store models"):
            inside = True
        elif not line.strip():
            inside = False
        elif inside and ("[workload:" not in line or
                         "register" in line.split("[workload:")[1]):
            models.append(line.split()[0])  # the register workload's models only
    return models


MODELS = registered_models()


def plot(script, folder):
    return run([sys.executable, os.path.join(PLOTS, script), folder])


def png_size(path):
    """(width, height) from the IHDR chunk, or None if not a PNG."""
    with open(path, "rb") as f:
        head = f.read(24)
    if len(head) < 24 or head[:8] != PNG_MAGIC or head[12:16] != b"IHDR":
        return None
    return struct.unpack(">II", head[16:24])


def check_pngs(folder, names, printed, who):
    for name in names:
        path = os.path.join(folder, "charts", name)
        if not os.path.isfile(path):
            check(False, f"{who} writes charts/{name}", "missing")
            continue
        size = os.path.getsize(path)
        check(png_size(path) == (1920, 1080) and 20_000 < size < 3_000_000,
              f"{who}: charts/{name} is a 1920x1080 PNG (150 dpi) of reasonable size",
              f"dimensions {png_size(path)}, {size} bytes")
        check(path in printed.split("\n"), f"{who} prints the path of {name}", printed)


def test_comparison_charts(cmp):
    rc, out, err = plot("plot_comparison.py", cmp)
    check(rc == 0, "plot_comparison.py succeeds on consim compare's output", err)
    check_pngs(cmp, COMPARISON_CHARTS, out, "plot_comparison.py")
    first = open(os.path.join(cmp, "charts", "availability.png"), "rb").read()
    plot("plot_comparison.py", cmp)
    again = open(os.path.join(cmp, "charts", "availability.png"), "rb").read()
    check(first == again, "the same input draws byte-identical charts")


def test_chart_data(cmp):
    from comparison_data import load_comparison

    data = load_comparison(cmp)
    check(data.models == MODELS and len(MODELS) >= 3,
          "charts compare every registered model, in comparison.json order",
          f"{data.models} vs consim list {MODELS}")
    check(data.phases == ["before", "during partition", "after partition"],
          "phases are in time order", str(data.phases))
    check(data.phase_times.get("during partition") == (1000.0, 2500.0),
          "the partition phase is labelled 1 s to 2.5 s", str(data.phase_times))
    row = data.rows[("strong-2pc", "during partition")]
    check(row["write_availability"] == 0.0 and row["write_p50_ms"] is None,
          "strong-2pc: no write succeeds during the partition, so it has no write latency",
          str(row))
    sides = data.cap["eventual-async"]["sides"]
    check(len(sides) == 2 and all(s["availability"] == 1.0 for s in sides),
          "eventual-async: both sides of the partition stay available", str(sides))
    watches = data.convergence["eventual-async"]
    check(len(watches) == 1 and watches[0]["event"] == "heal" and watches[0]["time_ms"] == 2500.0,
          "convergence is measured after the heal at 2.5 s", str(watches))


def test_run_charts(cmp):
    for model in MODELS:
        rundir = os.path.join(cmp, model)
        rc, out, err = plot("plot_run.py", rundir)
        check(rc == 0, f"plot_run.py succeeds on the {model} run", err)
        check_pngs(rundir, RUN_CHARTS, out, f"plot_run.py ({model})")
        report = json.load(open(os.path.join(rundir, "report.json")))
        check("timeline" not in report, f"{model}: report.json leaves the timeline to timeline.json")
        expected = report["convergence"]["divergent_keys_max"]
        check(f"most keys on which replicas disagreed at once: {expected}\n" in out,
              f"{model}: the divergence chart's peak equals report.json's divergent_keys_max",
              f"report says {expected}; plot_run printed {out!r}")


# Split brain, hand-written (no model in this branch writes role lines): n1
# is primary; a partition isolates it at 1 s; n2 is promoted at 1.5 s; after
# the heal at 3 s n1 steps down at 3.2 s.
SPLIT_BRAIN = [
    {"type": "header", "format": "consim-trace", "version": 1, "scenario": "split-brain",
     "seed": 1, "model": "primary-backup", "nodes": ["n1", "n2", "n3"], "duration": 4000000000},
    {"type": "role", "time": 0, "node": "n1", "role": "primary", "term": 1},
    {"type": "role", "time": 0, "node": "n2", "role": "backup", "term": 1},
    {"type": "invoke", "time": 500000000, "op": 1, "process": 0, "f": "write", "key": 1,
     "value": 1, "node": "n1"},
    {"type": "ok", "time": 510000000, "op": 1, "process": 0, "f": "write", "key": 1, "value": 1,
     "node": "n1"},
    {"type": "fault", "time": 1000000000, "fault": "split", "kind": "partition", "edge": "begin",
     "action": "partition", "label": "split: n1 | n2,n3", "sides": [["n1"], ["n2", "n3"]]},
    {"type": "role", "time": 1500000000, "node": "n2", "role": "primary", "term": 2},
    {"type": "fault", "time": 3000000000, "fault": "split", "kind": "partition", "edge": "end",
     "action": "heal", "label": "split: heal"},
    {"type": "role", "time": 3200000000, "node": "n1", "role": "backup", "term": 2},
    {"type": "end", "time": 4000000000, "events": 10},
]


def test_leaders_chart(cmp):
    """A trace with role lines gets leaders.png, drawn from timeline.json's
    leader intervals; the runs of models without roles get none."""
    from run_data import load_run

    rundir = os.path.join(WORK, "split-brain")
    os.makedirs(rundir, exist_ok=True)
    trace = os.path.join(rundir, "trace.jsonl")
    with open(trace, "w") as f:
        f.write("".join(json.dumps(line) + "\n" for line in SPLIT_BRAIN))
    rc, _, err = run([CONSIM, "analyze", trace, "--out", os.path.join(rundir, "report.json")])
    check(rc == 0, "consim analyze reads a trace with role lines", err)
    rc, out, err = plot("plot_run.py", rundir)
    check(rc == 0, "plot_run.py succeeds on a trace with role lines", err)
    check_pngs(rundir, RUN_CHARTS + ["leaders.png"], out, "plot_run.py (roles)")
    data = load_run(rundir)
    check([(r["node"], r["term"], r["start_s"], r["end_s"]) for r in data.leaders]
          == [("n1", 1, 0.0, 3.2), ("n2", 2, 1.5, None)],
          "the leader bars are the nodes' primary intervals", str(data.leaders))
    check(data.two_leaders == [(1.5, 3.2)], "two primaries at once from 1.5 s to 3.2 s",
          str(data.two_leaders))
    if cmp is None:
        return
    for model in MODELS:
        has = load_run(os.path.join(cmp, model)).leaders is not None
        drawn = os.path.exists(os.path.join(cmp, model, "charts", "leaders.png"))
        check(has == drawn, f"{model}: leaders.png exactly when timeline.json has leaders")


def test_ops_level_trace():
    out = os.path.join(WORK, "ops")
    run([CONSIM, "run", os.path.join(SRC, "tests", "plots", "short.json"), "--trace-level", "ops",
         "--out", out, "--quiet"])
    rc, printed, err = plot("plot_run.py", out)
    check(rc == 0, "a trace without apply lines still gets both charts", err)
    check("most keys" not in printed,
          "without apply lines no replica disagreement is claimed", printed)


def test_timeline_matches_report(cmp):
    """The run charts draw the analysis's own numbers: every operation of the
    report is in timeline.json, and the fault windows are the report's."""
    from run_data import load_run

    for model in MODELS:
        rundir = os.path.join(cmp, model)
        data = load_run(rundir)
        report = json.load(open(os.path.join(rundir, "report.json")))
        total = sum(report["overall"]["all"][o] for o in ("ok", "fail", "info"))
        check(data.ops.count == total and len(data.ops.outcome) == total,
              f"{model}: timeline.json has every operation the report counts",
              f"{data.ops.count} drawn {len(data.ops.outcome)}, report {total}")
        check([(f["name"], f["start_s"], f["end_s"]) for f in data.faults]
              == [("partition", 1.0, 2.5)],
              f"{model}: the fault window is the partition from 1 s to 2.5 s", str(data.faults))


def test_labels_do_not_overlap():
    from label_placement import place_labels
    from plot_common import import_pyplot

    plt = import_pyplot()
    fig, ax = plt.subplots(figsize=(8, 6))
    ax.set_xlim(0, 1.1)
    ax.set_ylim(0, 1.1)
    points = [(1.0, 0.6, f"model {i}\nside n1 n2 n3", "black") for i in range(3)]
    place_labels(fig, ax, points)
    from matplotlib.text import Text

    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    # The text boxes only: an annotation's own extent includes its leader line.
    boxes = [Text.get_window_extent(t, renderer) for t in ax.texts]
    overlaps = [(i, j) for i in range(len(boxes)) for j in range(i) if boxes[i].overlaps(boxes[j])]
    check(len(boxes) == 3 and not overlaps, "labels of three equal points do not overlap",
          str(overlaps))
    plt.close(fig)


def test_fault_labels_do_not_overlap():
    from matplotlib.text import Text
    from plot_common import import_pyplot
    from run_charts import label_faults
    from run_data import RunData

    plt = import_pyplot()
    trace = RunData()
    trace.end_s = 10.0
    trace.faults = [{"name": f"nemesis {i} (partition)", "type": "partition", "start_s": 1.0 + i,
                     "end_s": 1.3 + i, "what": "n1 n2 n3 | n4 n5"} for i in range(4)]
    fig, ax = plt.subplots(figsize=(12.8, 7.2))
    ax.set_xlim(0, 10)
    rows = label_faults(fig, ax, trace)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = [Text.get_window_extent(t, renderer) for t in ax.texts]
    overlaps = [(i, j) for i in range(len(boxes)) for j in range(i) if boxes[i].overlaps(boxes[j])]
    check(len(boxes) == 4 and rows > 1 and not overlaps,
          "labels of close fault windows move down a row instead of overlapping",
          f"{len(boxes)} labels, {rows} rows, overlaps {overlaps}")
    plt.close(fig)


def test_percent_text():
    from phase_charts import percent

    check(percent(0.9996) == "99.96%" and percent(1.0) == "100%" and percent(0.0004) == "0.04%",
          "bar labels never round a near-miss to 100% or 0%",
          f"{percent(0.9996)} {percent(1.0)} {percent(0.0004)}")


def expect_bad_input(script, folder, names, story):
    rc, out, err = plot(script, folder)
    lines = err.strip().split("\n")
    check(rc == 3, f"{story}: exit 3", f"exit {rc}, stderr {err!r}")
    check(len(lines) == 1 and names in lines[0] and "Traceback" not in err,
          f"{story}: one line naming {os.path.basename(names) or names}", err)


def broken_copy(cmp, name):
    folder = os.path.join(WORK, name)
    shutil.copytree(cmp, folder, ignore=shutil.ignore_patterns("charts"))
    return folder


def test_bad_input(cmp):
    missing = os.path.join(WORK, "no-such-folder")
    expect_bad_input("plot_comparison.py", missing, missing, "a missing folder")
    expect_bad_input("plot_run.py", missing, missing, "plot_run.py: a missing folder")
    folder = broken_copy(cmp, "truncated")
    path = os.path.join(folder, "comparison.json")
    with open(path, "w") as f:
        f.write('{"format": "consim-comparison", "rows": [')
    expect_bad_input("plot_comparison.py", folder, path + ": line 1", "truncated comparison.json")
    folder = broken_copy(cmp, "wrong-type")
    path = os.path.join(folder, "causal", "report.json")
    report = json.load(open(path))
    report["phases"][1]["end_ms"] = "later"
    json.dump(report, open(path, "w"))
    expect_bad_input("plot_comparison.py", folder, path + ": $.phases[1].end_ms",
                     "a report with a string where a number belongs")
    folder = broken_copy(cmp, "no-report")
    path = os.path.join(folder, "strong-2pc", "report.json")
    os.remove(path)
    expect_bad_input("plot_comparison.py", folder, path, "a missing report.json")
    folder = broken_copy(cmp, "bad-timeline")
    path = os.path.join(folder, "causal", "timeline.json")
    open(path, "w").write(open(path).read()[:200])
    expect_bad_input("plot_run.py", os.path.join(folder, "causal"), path + ": line 1",
                     "a truncated timeline.json")
    folder = broken_copy(cmp, "wrong-timeline")
    path = os.path.join(folder, "causal", "timeline.json")
    timeline = json.load(open(path))
    timeline["ops"]["latency_ms"] = "fast"
    json.dump(timeline, open(path, "w"))
    expect_bad_input("plot_run.py", os.path.join(folder, "causal"), path + ": $.ops.latency_ms",
                     "a timeline.json with a string where numbers belong")
    folder = broken_copy(cmp, "no-timeline")
    path = os.path.join(folder, "causal", "timeline.json")
    os.remove(path)
    expect_bad_input("plot_run.py", os.path.join(folder, "causal"), path,
                     "a missing timeline.json")
    rc, _, err = run([sys.executable, os.path.join(PLOTS, "plot_comparison.py")])
    check(rc == 4 and "usage" in err, "no argument: usage and exit 4", err)


def test_several_partitions():
    """Two partitions: the CAP panel shows one point per model and partition,
    and cap-sides.png gets one small panel per partition; one partition
    (the short scenario) writes no cap-sides.png."""
    from comparison_data import load_comparison
    from tradeoff_charts import partitions_of

    scenario = json.load(open(os.path.join(SRC, "tests", "plots", "short.json")))
    scenario["name"] = "plots-two-partitions"
    scenario["faults"] = [
        {"type": "partition", "name": "cut n3", "shape": "isolate", "node": "n3",
         "start": "0.5s", "heal": "1.2s"},
        {"type": "partition", "name": "bridge", "shape": "bridge", "node": "n2",
         "start": "1.8s", "heal": "2.6s"}]
    path = os.path.join(WORK, "two-partitions.json")
    json.dump(scenario, open(path, "w"))
    cmp = os.path.join(WORK, "two")
    rc, _, err = run([CONSIM, "compare", path, "--out", cmp, "--quiet"])
    check(rc == 0, "consim compare runs the two-partition scenario", err)
    if rc != 0:
        return
    rc, out, err = plot("plot_comparison.py", cmp)
    check(rc == 0, "plot_comparison.py draws a run with two partitions", err)
    check_pngs(cmp, COMPARISON_CHARTS + ["cap-sides.png"], out, "plot_comparison.py (two)")
    data = load_comparison(cmp)
    check(partitions_of(data) == ["cut n3", "bridge"], "the partitions come in time order",
          str(partitions_of(data)))
    bridge = [s["nodes"] for s in data.cap["causal"]["sides"] if s["fault"] == "bridge"]
    check(bridge == [["n1", "n2"], ["n2", "n3"]],
          "the bridge node is on both sides of the bridge partition", str(bridge))
    check(not os.path.exists(os.path.join(WORK, "cmp", "charts", "cap-sides.png")),
          "one partition: no cap-sides.png")


def main():
    cmp = os.path.join(WORK, "cmp")
    rc, _, err = run([CONSIM, "compare", os.path.join(SRC, "tests", "plots", "short.json"),
                      "--out", cmp])
    check(rc == 0, "consim compare runs the short scenario", err)
    if rc == 0:
        test_comparison_charts(cmp)
        test_chart_data(cmp)
        test_run_charts(cmp)
        test_timeline_matches_report(cmp)
        test_bad_input(cmp)
    test_leaders_chart(cmp if rc == 0 else None)
    test_ops_level_trace()
    test_labels_do_not_overlap()
    test_fault_labels_do_not_overlap()
    test_percent_text()
    test_several_partitions()
    return summary()


if __name__ == "__main__":
    try:
        status = main()
    finally:
        if OWN_WORK:
            shutil.rmtree(WORK, ignore_errors=True)
    sys.exit(status)
