"""One pass over a consim trace (docs/trace-format.md), line by line, never
holding the file in memory: the client operations as points, the fault
windows, and the number of keys on which replicas disagree over time.

Invariants:
- Operations pair an invoke with its ok/fail/info by "op", or, in a history
  without ids, with the process's outstanding invoke (as the analysis does);
  one still outstanding at the end counts as info at the end time.
- Divergence follows analysis/metrics/convergence.h: a node becomes a replica of a
  key at its first `apply` of it; a crashed node's replicas do not count
  until it restarts; a key is divergent while its live replicas hold more
  than one distinct value. Worked example: n1 applies k=1, n2 applies k=1,
  n1 applies k=2: 1 divergent key; n2 applies k=2: 0.
- Memory grows with operations (a few bytes each, in arrays), keys x nodes
  and the outstanding operations; the divergence timeline is kept at most
  TIMELINE_BUCKETS buckets wide when the run's duration is known, each
  keeping its highest count and the count at its end.
"""

import json
from array import array
from collections import Counter

from plot_common import InputError

NS_PER_S = 1e9
TIMELINE_BUCKETS = 4000
OUTCOMES = ("ok", "fail", "info")


class Ops:
    """Completed operations as parallel arrays."""

    def __init__(self):
        self.invoke_s = array("d")
        self.latency_ms = array("d")
        self.outcome = array("b")  # index into OUTCOMES
        self.is_write = array("b")
        self.process = array("q")

    def add(self, invoke_ns, end_ns, outcome, is_write, process):
        self.invoke_s.append(invoke_ns / NS_PER_S)
        self.latency_ms.append((end_ns - invoke_ns) / 1e6)
        self.outcome.append(OUTCOMES.index(outcome))
        self.is_write.append(1 if is_write else 0)
        self.process.append(process)


class Divergence:
    """Replica values per key and the divergent-key count over time."""

    def __init__(self, duration_ns):
        self.held = {}  # key -> {node: value}
        self.live_values = {}  # key -> Counter of values over live replicas
        self.dead = set()
        self.divergent = 0
        self.highest = 0
        self.width = duration_ns / TIMELINE_BUCKETS if duration_ns else None
        self.steps = []  # [time_ns, highest in bucket, count at its end]

    def apply(self, node, key, value, now):
        cells = self.held.setdefault(key, {})
        live = self.live_values.setdefault(key, Counter())
        before = len(live) > 1
        if node in cells and node not in self.dead:
            drop(live, cells[node])
        cells[node] = value
        if node not in self.dead:
            live[value] += 1
        self._changed(before, len(live) > 1, now)

    def set_alive(self, node, alive, now):
        if (node not in self.dead) == alive:
            return
        (self.dead.discard if alive else self.dead.add)(node)
        for key, cells in self.held.items():
            if node not in cells:
                continue
            live = self.live_values[key]
            before = len(live) > 1
            if alive:
                live[cells[node]] += 1
            else:
                drop(live, cells[node])
            self._changed(before, len(live) > 1, now)

    def _changed(self, before, after, now):
        if before == after:
            return
        self.divergent += 1 if after else -1
        self.highest = max(self.highest, self.divergent)
        start = now if self.width is None else now - now % self.width
        if self.steps and self.steps[-1][0] == start:
            self.steps[-1][1] = max(self.steps[-1][1], self.divergent)
            self.steps[-1][2] = self.divergent
        else:
            self.steps.append([start, self.divergent, self.divergent])


def drop(counter, value):
    counter[value] -= 1
    if counter[value] == 0:
        del counter[value]


class RunTrace:
    def __init__(self, path=""):
        self.path = path
        self.header = {}
        self.ops = Ops()
        self.faults = []  # {"name", "type", "start_s", "end_s" or None, "what"}
        self.divergence = None
        self.seen_apply = False
        self.end_ns = 0
        self.complete = False
        self.unmatched = 0
        self.client_nodes = {}  # process -> the node it sends to, or None if several


def scan_trace(path):
    trace = RunTrace(path)
    state = ScanState(trace)
    try:
        f = open(path, encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as e:
        raise InputError(f"{path}: cannot read: {e.strerror or e}") from None
    with f:
        number = 0
        try:
            for number, line in enumerate(f, start=1):
                if line.strip():
                    state.on_line(parse_line(line, path, number), path, number)
        except UnicodeDecodeError:
            raise InputError(f"{path}: line {number + 1}: not UTF-8 text") from None
    if number == 0:
        raise InputError(f"{path}: the trace is empty")
    state.finish()
    return trace


def parse_line(line, path, number):
    try:
        event = json.loads(line)
    except json.JSONDecodeError as e:
        raise InputError(f"{path}: line {number}, column {e.colno}: {e.msg}") from None
    if not isinstance(event, dict) or not isinstance(event.get("type"), str):
        raise InputError(f'{path}: line {number}: expected a JSON object with a "type"')
    return event


def field(event, name, kinds, path, number, what):
    value = event.get(name)
    if isinstance(value, bool) or not isinstance(value, kinds):
        raise InputError(f'{path}: line {number}: "{name}" must be {what}')
    return value


class ScanState:
    """Per-line handling; see the module comment for the rules."""

    def __init__(self, trace):
        self.trace = trace
        self.open_by_op, self.open_by_process = {}, {}
        self.active = {}  # fault name -> index into trace.faults
        self.last_ns = 0

    def on_line(self, event, path, number):
        kind = event["type"]
        if kind == "header":
            if number != 1:
                raise InputError(f"{path}: line {number}: a header is only allowed on line 1")
            self.start(event)
            return
        if self.trace.divergence is None:
            self.start({})
        now = field(event, "time", int, path, number, "an integer (ns)")
        if now < self.last_ns:
            raise InputError(f"{path}: line {number}: time {now} is before the line above")
        self.last_ns = now
        if kind == "invoke":
            self.invoke(event, now, path, number)
        elif kind in OUTCOMES:
            self.complete(event, kind, now, path, number)
        elif kind == "apply":
            node = field(event, "node", str, path, number, "a node name")
            key = field(event, "key", (int, str), path, number, "an integer or a string")
            value = event.get("value")
            self.trace.seen_apply = True
            self.trace.divergence.apply(node, key, json.dumps(value), now)
        elif kind == "fault":
            self.fault(event, now, path, number)
        elif kind == "end":
            self.trace.complete = True

    def start(self, header):
        self.trace.header = header
        duration = header.get("duration")
        self.trace.divergence = Divergence(duration if isinstance(duration, int) else None)

    def invoke(self, event, now, path, number):
        process = field(event, "process", int, path, number, "an integer")
        f = event.get("f")
        if f not in ("read", "write"):
            raise InputError(f'{path}: line {number}: "f" must be "read" or "write"')
        entry = (now, f == "write", process)
        node = event.get("node")
        nodes = self.trace.client_nodes
        if process not in nodes:
            nodes[process] = node if isinstance(node, str) else None
        elif nodes[process] != node:
            nodes[process] = None
        if "op" in event:
            self.open_by_op[field(event, "op", int, path, number, "an integer")] = entry
        else:
            self.open_by_process[process] = entry

    def complete(self, event, outcome, now, path, number):
        if "op" in event:
            entry = self.open_by_op.pop(field(event, "op", int, path, number, "an integer"), None)
        else:
            process = field(event, "process", int, path, number, "an integer")
            entry = self.open_by_process.pop(process, None)
        if entry is None:
            self.trace.unmatched += 1
            return
        self.trace.ops.add(entry[0], now, outcome, entry[1], entry[2])

    def fault(self, event, now, path, number):
        """One fault line, any kind (docs/trace-format.md): "edge" says begin
        or end, "down" that the node is down in between."""
        name = field(event, "fault", str, path, number, "the fault's name")
        kind = field(event, "kind", str, path, number, "the fault's kind")
        begins = field(event, "edge", str, path, number, '"begin" or "end"') == "begin"
        if event.get("down") is True:
            node = field(event, "node", str, path, number, "a node name")
            self.trace.divergence.set_alive(node, not begins, now)
        if begins and name not in self.active:
            self.active[name] = len(self.trace.faults)
            self.trace.faults.append({"name": name, "type": kind, "start_s": now / NS_PER_S,
                                      "end_s": None, "what": fault_detail(event, kind)})
        elif not begins and name in self.active:
            self.trace.faults[self.active.pop(name)]["end_s"] = now / NS_PER_S

    def finish(self):
        end = self.last_ns
        for entry in list(self.open_by_op.values()) + list(self.open_by_process.values()):
            self.trace.ops.add(entry[0], end, "info", entry[1], entry[2])
        self.trace.end_ns = end


def fault_detail(event, kind):
    """A short description: the node of a node fault; for a partition its
    sides, "n1 n2 n3 | n4 n5", or, when no clean split exists (a ring of
    majorities lists one side), its shape: "majorities-ring, 10 links cut"."""
    if kind != "partition":
        return str(event.get("node", ""))
    sides = [s for s in event.get("sides") or [] if isinstance(s, list)]
    if len(sides) >= 2:
        return " | ".join(" ".join(str(n) for n in side) for side in sides)
    cuts = event.get("cuts") if isinstance(event.get("cuts"), list) else []
    return f"{event.get('shape', 'partition')}, {len(cuts)} one-way links cut"
