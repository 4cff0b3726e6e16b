"""What the space-time diagram draws, read from a trace (trace.jsonl,
docs/trace-format.md) for one time window and set of nodes: messages (send,
deliver, drop, hold, duplicate), client operations, model notes and the
windows they bound (in doubt, buffered), and the faults.

This is the one chart that reads the trace: a message diagram needs every
message, which the report does not keep. The trace is streamed, never held
whole: lines before the window are skipped after a cheap look at their type
(only fault lines are parsed), and reading stops a tail after the window.

Invariants: times are integer nanoseconds as in the trace; a message belongs
to the window when it was sent inside it between two chosen nodes; an
operation when it was invoked inside it at a chosen node. A note with
`lasted` closes a window that began `lasted` ns earlier at the same node
(its opening note, if any, has exactly that time); an opening note of a kind
that opens windows and is never closed stays open to the end of the view.
Every problem with the file is an InputError naming the file and the line.
"""

import json
from collections import deque

from plot_common import InputError

NS_PER_MS = 1_000_000
STANDARD_MESSAGE_FIELDS = {"type", "time", "msg", "from", "to", "kind", "bytes"}
DEFAULT_MESSAGES = 120  # how many messages the default window aims to hold
LEAD_SHARE = 0.3  # of them, the share sent before the anchor (the first partition)


def line_type(line):
    """The "type" of a trace line without parsing it (lines start with it)."""
    if line.startswith('{"type":"'):
        end = line.find('"', 9)
        return line[9:end]
    return None


def line_time(line):
    """The "time" of a trace line without parsing it, or None."""
    at = line.find('"time":')
    if at < 0:
        return None
    end = at + 7
    while end < len(line) and line[end].isdigit():
        end += 1
    return int(line[at + 7:end]) if end > at + 7 else None


def parse(path, number, line):
    try:
        value = json.loads(line)
    except json.JSONDecodeError as e:
        raise InputError(f"{path}: line {number}: not JSON: {e.msg}") from None
    if not isinstance(value, dict):
        raise InputError(f"{path}: line {number}: expected a JSON object")
    return value


def open_trace(path):
    try:
        return open(path, encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file (consim run --out DIR writes DIR/trace.jsonl)") \
            from None
    except OSError as e:
        raise InputError(f"{path}: cannot read: {e.strerror or e}") from None


def read_header(path):
    with open_trace(path) as f:
        first = f.readline()
    if not first.strip():
        raise InputError(f"{path}: line 1: the trace is empty")
    header = parse(path, 1, first)
    if header.get("type") != "header" or header.get("format") != "consim-trace":
        raise InputError(f'{path}: line 1: expected the trace header ("type": "header", '
                         f'"format": "consim-trace")')
    if not isinstance(header.get("nodes"), list):
        raise InputError(f"{path}: line 1: $.nodes: expected an array of node names")
    return header


def choose_window(path, messages=DEFAULT_MESSAGES):
    """(start_ns, end_ns) around the first partition (else the first fault,
    else the start of the run): about `messages` messages, LEAD_SHARE of them
    sent before the fault, so the cut and what it does are both in view.

    Worked example: the demo sends ~800 messages a second and cuts the
    network at 5 s: the window is about 5 s - 45 ms to 5 s + 105 ms.
    """
    before = max(1, int(messages * LEAD_SHARE))
    recent = deque(maxlen=before)
    # [anchor, first send in view, sends after the anchor, end]: the first
    # partition's, and the first fault's for a run without a partition.
    part, fault, last = None, None, 0
    with open_trace(path) as f:
        for line in f:
            kind = line_type(line)
            t = line_time(line) if kind else None
            if t is None:
                continue
            last = t
            if kind == "fault" and '"edge":"begin"' in line:
                lead = recent[0] if recent else t
                if fault is None:
                    fault = [t, lead, 0, None]
                if part is None and '"sides":' in line:
                    part = [t, lead, 0, None]
            elif kind == "send":
                recent.append(t)
                for w in (part, fault):
                    if w is not None and w[3] is None:
                        w[2] += 1
                        if w[2] >= messages - before:
                            w[3] = t
                if part is not None and part[3] is not None:
                    break
    w = part or fault
    if w is None:  # no fault at all: the start of the run
        return choose_window_from(path, 0, messages, last)
    return (w[1], w[3] if w[3] is not None else max(last, w[0] + 1))


def choose_window_from(path, start, messages, last):
    count = 0
    with open_trace(path) as f:
        for line in f:
            if line_type(line) == "send":
                t = line_time(line)
                if t is not None and t >= start:
                    count += 1
                    if count >= messages:
                        return (start, t)
    return (start, max(last, start + 1))


class View:
    """Everything in one window: built by read_view()."""

    def __init__(self, header, start, end, nodes):
        self.header, self.start, self.end, self.nodes = header, start, end, nodes
        self.run_end = None  # the end line's time, when read
        self.faults = []  # {"name", "kind", "start", "end" or None, "node", "label"}
        self.messages = []  # {"msg", "from", "to", "kind", "send", "extra", "delivered": [t],
        #                      "dropped": (t, reason) or None, "held": t or None}
        self.ops = []  # {"op", "node", "client", "f", "key", "value", "invoke", "end",
        #                 "outcome", "result"}
        self.notes = []  # {"time", "node", "what", "detail", "lasted"}
        self.windows = []  # {"node", "what", "start", "end" or None}: in doubt, buffered ...
        self.left_out_nodes = 0  # messages in the window between nodes not shown
        self.typical_ms = (end - start) / NS_PER_MS / 50  # median delivery time, once read


def read_view(path, start, end, nodes=None):
    """The View of [start, end] ns for `nodes` (default: every node)."""
    header = read_header(path)
    shown = list(nodes) if nodes else [str(n) for n in header["nodes"]]
    unknown = [n for n in shown if n not in header["nodes"]]
    if unknown:
        raise InputError(f"{path}: line 1: no node {unknown[0]} in this trace "
                         f"(its nodes: {' '.join(map(str, header['nodes']))})")
    view = View(header, start, end, shown)
    tail_end = end + max(end - start, 500 * NS_PER_MS)
    reader = _Reader(path, view)
    with open_trace(path) as f:
        f.readline()
        for number, line in enumerate(f, 2):
            kind = line_type(line)
            if kind is None:
                if line.strip():
                    raise InputError(f"{path}: line {number}: expected a trace line with a type")
                continue
            t = line_time(line)
            if t is None:
                raise InputError(f"{path}: line {number}: missing \"time\"")
            if t > tail_end:
                break
            if t < start and kind != "fault":
                continue
            reader.line(number, kind, t, line, inside=t <= end)
    reader.finish()
    return view


class _Reader:
    def __init__(self, path, view):
        self.path, self.view = path, view
        self.shown = set(view.nodes)
        self.msgs, self.ops, self.open_faults = {}, {}, {}

    def line(self, number, kind, t, text, inside):
        if kind == "end":
            self.view.run_end = t
            return
        if kind not in ("fault", "send", "deliver", "drop", "hold", "invoke", "ok", "fail",
                        "info", "note"):
            return
        e = parse(self.path, number, text)
        if kind == "fault":
            self.fault(e, t)
        elif kind == "send":
            if inside:
                self.send(e, t)
        elif kind in ("deliver", "drop", "hold"):
            m = self.msgs.get(e.get("msg"))
            if m is not None:
                if kind == "deliver":
                    m["delivered"].append(t)
                elif kind == "drop":
                    m["dropped"] = (t, str(e.get("reason", "")))
                elif m["held"] is None:
                    m["held"] = t
        elif kind == "invoke":
            if inside and str(e.get("node")) in self.shown:
                self.ops[e.get("op")] = {
                    "op": e.get("op"), "node": str(e.get("node")), "client": e.get("client"),
                    "f": e.get("f"), "key": e.get("key"), "value": e.get("value"), "invoke": t,
                    "end": None, "outcome": None, "result": None}
        elif kind in ("ok", "fail", "info"):
            o = self.ops.get(e.get("op"))
            if o is not None and o["end"] is None:
                o.update(end=t, outcome=kind, value=e.get("value", o["value"]),
                         result=e.get("result"))
        elif kind == "note" and str(e.get("node")) in self.shown:
            lasted = e.get("lasted")
            if inside or (isinstance(lasted, int) and t - lasted <= self.view.end):
                self.view.notes.append({"time": t, "node": str(e.get("node")),
                                        "what": str(e.get("what", "")),
                                        "detail": str(e.get("detail", "")),
                                        "lasted": lasted if isinstance(lasted, int) else None})

    def fault(self, e, t):
        name = str(e.get("fault", "?"))
        if e.get("edge") == "begin":
            if t > self.view.end:
                return
            f = {"name": name, "kind": str(e.get("kind", "?")), "start": t, "end": None,
                 "node": e.get("node"), "label": str(e.get("label", name)),
                 "sides": e.get("sides"), "offset": e.get("offset")}
            self.open_faults[name] = f
            self.view.faults.append(f)
        elif e.get("edge") == "end" and name in self.open_faults:
            self.open_faults.pop(name)["end"] = t

    def send(self, e, t):
        a, b = str(e.get("from")), str(e.get("to"))
        if a not in self.shown or b not in self.shown:
            self.view.left_out_nodes += 1
            return
        extra = {k: v for k, v in e.items() if k not in STANDARD_MESSAGE_FIELDS}
        m = {"msg": e.get("msg"), "from": a, "to": b, "kind": str(e.get("kind", "?")),
             "send": t, "extra": extra, "delivered": [], "dropped": None, "held": None}
        self.msgs[m["msg"]] = m
        self.view.messages.append(m)

    def finish(self):
        view = self.view
        view.ops = list(self.ops.values())
        view.faults = [f for f in view.faults if f["end"] is None or f["end"] >= view.start]
        view.windows = note_windows(view.notes)
        latencies = sorted(m["delivered"][0] - m["send"] for m in view.messages if m["delivered"])
        if latencies:
            view.typical_ms = latencies[len(latencies) // 2] / NS_PER_MS


def note_windows(notes):
    """Windows bounded by notes: a note with `lasted` closes one that opened
    `lasted` earlier at its node; openers never closed stay open.

    Worked example: in-doubt at n2, t=10 ms; resolved at n2, t=12 ms, lasted
    2 ms: one window "in-doubt" [10, 12] ms. A second in-doubt at n3 with no
    resolved note: a window "in-doubt" [t, open)."""
    at = {(n["node"], n["time"]): n for n in notes}
    opener_of = {}  # a closing note's "what" -> the "what" of the notes that open its windows
    for n in notes:
        o = at.get((n["node"], n["time"] - n["lasted"])) if n["lasted"] is not None else None
        if o is not None and o is not n:
            opener_of.setdefault(n["what"], o["what"])
    windows, used = [], set()
    for n in notes:
        if n["lasted"] is None:
            continue
        begin = n["time"] - n["lasted"]
        opener = at.get((n["node"], begin))
        if opener is not None and opener is not n:
            used.add(id(opener))
        detail = opener["detail"] if opener is not None and opener is not n else n["detail"]
        windows.append({"node": n["node"], "what": opener_of.get(n["what"], n["what"]),
                        "start": begin, "end": n["time"], "detail": detail})
    openers = set(opener_of.values())
    for n in notes:
        if n["what"] in openers and n["lasted"] is None and id(n) not in used:
            windows.append({"node": n["node"], "what": n["what"], "start": n["time"], "end": None,
                            "detail": n["detail"]})
    windows.sort(key=lambda w: (w["start"], w["node"]))
    return windows
