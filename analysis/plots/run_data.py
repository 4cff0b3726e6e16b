"""The data of one run's charts, as the C++ analysis wrote it: RUNDIR/
timeline.json (the report's "timeline" section, docs/report.md) and the
scenario, seed and model from RUNDIR/report.json. Nothing here reads the
trace: pairing operations, fault windows and replica divergence are decided
once, by the analysis (analysis/metrics/timeline.cc).

Invariants: times are seconds since the start of the run; the operation
columns have one entry per drawn operation (all failed and unknown ones, 1
in ok_stride successful ones); every problem with the files is an
InputError naming the file and the JSON path.
"""

import os

import numpy as np

from plot_common import Doc, InputError, load_json

OUTCOME_CODES = {"o": 0, "f": 1, "i": 2}  # index into ("ok", "fail", "info")


class Ops:
    def __init__(self, doc):
        self.count = doc.integer("count")
        self.ok_stride = doc.integer("ok_stride")
        invoke = numbers(doc, "invoke_ms")
        self.invoke_s = invoke / 1000.0
        self.latency_ms = numbers(doc, "latency_ms")
        self.process = numbers(doc, "process").astype(np.int64)
        outcome, write = doc.string("outcome"), doc.string("write")
        if set(outcome) - set(OUTCOME_CODES):
            Doc(outcome, doc.file, doc.path + ".outcome").fail("expected only the letters o, f, i")
        self.outcome = np.array([OUTCOME_CODES[c] for c in outcome], dtype=np.int8)
        self.is_write = np.array([c == "w" for c in write], dtype=bool)
        # "stale" (s: an ok read that returned a stale value) is absent in
        # timelines written before it existed: no read is marked then.
        stale = doc.raw("stale", "-" * len(outcome))
        if not isinstance(stale, str) or set(stale) - {"s", "-"}:
            Doc(stale, doc.file, doc.path + ".stale").fail("expected a string of s and -")
        self.is_stale = np.array([c == "s" for c in stale], dtype=bool)
        lengths = {len(invoke), len(self.latency_ms), len(self.process), len(outcome), len(write),
                   len(stale)}
        if len(lengths) != 1:
            doc.fail(f"the operation columns differ in length: {sorted(lengths)}")


def numbers(doc, key):
    values = [d.value for d in doc.items(key)]
    if any(isinstance(v, bool) or not isinstance(v, (int, float)) for v in values):
        Doc(values, doc.file, f"{doc.path}.{key}").fail("expected an array of numbers")
    return np.array(values, dtype=float)


class Divergence:
    def __init__(self, doc):
        self.available = doc.boolean("available")
        self.highest = doc.integer("highest")
        self.width_s = doc.number("bucket_ms") / 1000.0
        self.steps = []  # [start_s, highest in bucket, count at its end]
        for step in doc.items("steps"):
            if not (isinstance(step.value, list) and len(step.value) == 3):
                step.fail("expected [start_ms, highest, last]")
            self.steps.append([step.value[0] / 1000.0, step.value[1], step.value[2]])


class RunData:
    """What run_charts.py draws; built empty for tests, or by load_run()."""

    def __init__(self, path=""):
        self.path = path
        self.header = {}  # scenario, seed, model (absent for a history)
        self.ops = None
        self.faults = []  # {"name", "type", "start_s", "end_s" or None, "what"}
        self.divergence = None
        self.seen_apply = False
        self.end_s = 0.0
        self.complete = False
        self.client_nodes = {}  # process -> the node it always sent to
        # Leader intervals: None without role lines, else [{"node", "role",
        # "term", "start_s", "end_s" or None}] in start order.
        self.leaders = None
        self.two_leaders = []  # [(start_s, end_s or None)]: two or more acting at once
        # Noted states (timeline.json "noted"): {closing note kind: [(start_s, end_s)]}.
        self.noted = {}
        # The event-sourced model's read model lag (report.json "events_behind",
        # the node furthest behind, as the summary prints it): None for other
        # models, else EventsBehind.
        self.events_behind = None


class EventsBehind:
    """One node's events behind: the most in each bucket of bucket_s seconds.

    Worked example: bucket_ms 100 and series [0, 3, 1] mean the node was at
    most 0 events behind in [0, 0.1 s), 3 in [0.1, 0.2 s) and 1 after."""

    def __init__(self, node_doc, bucket_ms):
        self.node = node_doc.string("node")
        self.highest = node_doc.number("max")
        self.series = numbers(node_doc, "series")
        self.bucket_s = bucket_ms / 1000.0


def read_events_behind(report, path):
    """The furthest-behind node of an event-sourced run's report, or None."""
    if report.get("model") != "event-sourced" or "events_behind" not in report:
        return None
    doc = Doc(report, path).at("events_behind")
    bucket_ms = doc.number("bucket_ms")
    if bucket_ms <= 0:
        Doc(bucket_ms, path, "$.events_behind.bucket_ms").fail("expected a positive number")
    nodes = doc.items("nodes")
    if not nodes:
        return None
    worst = max(nodes, key=lambda n: n.number("max"))  # the first of equals
    return EventsBehind(worst, bucket_ms)


def load_run(rundir):
    path = os.path.join(rundir, "timeline.json")
    if not os.path.isfile(path):
        raise InputError(f"{path}: no such file (consim run, compare or analyze writes it)")
    doc = Doc(load_json(path), path)
    run = RunData(rundir)  # a history's subtitle names its folder
    report_path = os.path.join(rundir, "report.json")
    if os.path.isfile(report_path):
        report = load_json(report_path)
        if report.get("scenario") is not None:
            run.header = {k: report.get(k) for k in ("scenario", "seed", "model")}
        run.events_behind = read_events_behind(report, report_path)
    run.ops = Ops(doc.at("ops"))
    for f in doc.items("faults"):
        run.faults.append({"name": f.string("name"), "type": f.string("kind"),
                           "start_s": f.number("start_ms") / 1000.0,
                           "end_s": none_or_seconds(f.number("end_ms", optional=True)),
                           "what": f.string("what")})
    run.divergence = Divergence(doc.at("divergence"))
    run.seen_apply = run.divergence.available
    run.end_s = doc.number("end_ms") / 1000.0
    run.complete = doc.boolean("complete")
    for process, node in doc.at("clients").value.items():
        if not (process.lstrip("-").isdigit() and isinstance(node, str)):
            Doc(node, path, f"$.clients.{process}").fail("expected a node name for a process")
        run.client_nodes[int(process)] = node
    noted = doc.raw("noted")
    if noted is not None:
        if not isinstance(noted, dict):
            Doc(noted, path, "$.noted").fail("expected an object")
        for what, spans in noted.items():
            ok = isinstance(spans, list) and all(
                isinstance(s, list) and len(s) == 2 and all(
                    isinstance(v, (int, float)) and not isinstance(v, bool) for v in s)
                for s in spans)
            if not ok:
                Doc(spans, path, f"$.noted.{what}").fail("expected [[start_ms, end_ms], ...]")
            run.noted[what] = [(a / 1000.0, b / 1000.0) for a, b in spans]
    if doc.raw("leaders") is not None:
        run.leaders = [{"node": r.string("node"), "role": r.string("role"),
                        "term": r.integer("term"), "start_s": r.number("start_ms") / 1000.0,
                        "end_s": none_or_seconds(r.number("end_ms", optional=True))}
                       for r in doc.items("leaders")]
        run.two_leaders = []
        for pair in doc.items("two_leaders"):
            v = pair.value
            if not (isinstance(v, list) and len(v) == 2 and isinstance(v[0], (int, float))
                    and (v[1] is None or isinstance(v[1], (int, float)))):
                pair.fail("expected [start_ms, end_ms or null]")
            run.two_leaders.append((v[0] / 1000.0, none_or_seconds(v[1])))
    return run


def none_or_seconds(ms):
    return None if ms is None else ms / 1000.0
