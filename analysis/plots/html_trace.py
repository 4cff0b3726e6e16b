"""The trace lines behind the checkers' counterexamples, for `consim report`:
each violation's slice (invoke lines, docs/checkers.md) with every
operation's completion, and the time window of the first violation.

The trace is streamed once, never held: only the lines a slice names and
the completions of their operations are parsed.

Invariants: a slice line that is an `invoke` gets the `ok`/`fail`/`info`
line of the same `op` that follows it, or none when the trace ends first
(the operation was still outstanding); any other line a slice names (a role
line, say) is shown as it is. The first violation is the one whose last
operation at fault (the largest line of its `ops`) comes earliest in the
trace, ties broken by checker name: the first point in the run at which a
checker could have said "invalid". Worked example: linearizable with ops
[10, 40], read-your-writes with ops [12, 30]: the first is
read-your-writes (30 < 40).
"""

import json
import re

from plot_common import InputError
from spacetime_data import line_type, open_trace

COMPLETIONS = ("ok", "fail", "info")
OP_ID = re.compile(r'"op":(\d+)')
MIN_PAD_NS = 2_000_000  # 2 ms either side of the slice at least
SHOWN_PER_CHECKER = 10  # violations with their slices, per checker


def shown_violations(checkers):
    """[(checker, [violation dicts])] in checker-name order, at most
    SHOWN_PER_CHECKER each."""
    out = []
    for name in sorted(checkers):
        c = checkers[name]
        vs = c.get("violations") if isinstance(c, dict) else None
        if isinstance(vs, list) and vs:
            out.append((name, [v for v in vs if isinstance(v, dict)][:SHOWN_PER_CHECKER]))
    return out


def first_violation(checkers):
    """(checker, violation) of the first violation found, or None."""
    best = None
    for name, vs in shown_violations(checkers):
        for v in vs:
            lines = [x for x in (v.get("ops") or []) + (v.get("slice") or [])
                     if isinstance(x, int)]
            if not lines:
                continue
            at = max(x for x in (v.get("ops") or lines) if isinstance(x, int))
            if best is None or at < best[0]:
                best = (at, name, v)
    return None if best is None else (best[1], best[2])


def read_slice_lines(path, wanted):
    """{line number: {"line": parsed, "completion": (number, parsed) or None}}
    for the line numbers in `wanted`. InputError if the trace cannot be read
    or a wanted line is not JSON."""
    wanted = set(wanted)
    found, open_ops = {}, {}
    if not wanted:
        return found
    last_wanted = max(wanted)
    with open_trace(path) as f:
        for number, line in enumerate(f, 1):
            if number in wanted:
                try:
                    parsed = json.loads(line)
                except json.JSONDecodeError as e:
                    raise InputError(f"{path}: line {number}: not JSON: {e.msg}") from None
                found[number] = {"line": parsed, "completion": None}
                if parsed.get("type") == "invoke" and isinstance(parsed.get("op"), int):
                    open_ops[parsed["op"]] = number
            elif open_ops and line_type(line) in COMPLETIONS:
                m = OP_ID.search(line)
                if m and int(m.group(1)) in open_ops:
                    parsed = json.loads(line)
                    found[open_ops.pop(int(m.group(1)))]["completion"] = (number, parsed)
            if number >= last_wanted and not open_ops:
                break
    return found


def slice_window(violation, lines):
    """(start_ns, end_ns, ops) around a violation's slice: from the first
    invoke to the last completion, padded by a tenth of that on each side
    (at least MIN_PAD_NS); ops: [{"op", "node", "invoke", "end", "at_fault"}]
    for the slice's operations, for highlighting. None if no line has a time."""
    times, ops = [], []
    at_fault = set(violation.get("ops") or [])
    for n in violation.get("slice") or []:
        entry = lines.get(n)
        if entry is None:
            continue
        line, done = entry["line"], entry["completion"]
        t = line.get("time")
        if isinstance(t, int):
            times.append(t)
        end = done[1].get("time") if done else None
        if isinstance(end, int):
            times.append(end)
        if line.get("type") == "invoke" and isinstance(t, int):
            ops.append({"op": line.get("op"), "node": line.get("node"), "invoke": t,
                        "end": end if isinstance(end, int) else None,
                        "at_fault": n in at_fault, "line": n,
                        "text": op_text(line, done[1] if done else None)})
    if not times:
        return None
    start, end = min(times), max(times)
    pad = max((end - start) // 10, MIN_PAD_NS)
    return max(0, start - pad), end + pad, ops


def op_text(invoke, completion):
    """"w k3=7 ok", "r k3 -> 5 ok", "r k3 info"."""
    f, key = invoke.get("f"), invoke.get("key")
    outcome = completion.get("type") if completion else "outstanding"
    if f == "read":
        got = completion.get("value") if completion and outcome == "ok" else None
        if completion and "siblings" in completion:
            got = completion.get("siblings")
        value = f" -> {json.dumps(got)}" if outcome == "ok" else ""
        return f"r k{key}{value} {outcome}"
    value = invoke.get("value")
    return f"{'w' if f == 'write' else f} k{key}={json.dumps(value)} {outcome}"
