"""The parts of `consim report`'s page about one run (report.json,
timeline.json and trace.jsonl in one folder): the summary table, the
checkers' verdicts with their counterexample slices, the run charts and the
space-time diagrams. A comparison's page uses them once per model.

Invariants: every figure shown is read from report.json (docs/report.md) or
drawn by the chart scripts; nothing is computed anew but the window of the
first violation (html_trace.py). A missing timeline.json or trace.jsonl
leaves out the charts that need it, with a note saying so; a malformed
report.json is an InputError naming the file and the JSON path.
"""

import json
import os

from html_charts import when
from html_page import anchor, esc, figure, ms_value, number, percent, table, verdict_cell
from html_trace import first_violation, read_slice_lines, shown_violations, slice_window
from plot_common import Doc, load_json


def load_report(rundir):
    path = os.path.join(rundir, "report.json")
    doc = Doc(load_json(path), path)
    if doc.raw("format") != "consim-report":
        doc.fail('expected "format": "consim-report" (a report written by consim run, '
                 "compare or analyze)")
    doc.items("phases")
    doc.at("overall")
    checkers = doc.raw("checkers", {})
    if not isinstance(checkers, dict):
        Doc(checkers, path, "$.checkers").fail("expected an object")
    for name, c in checkers.items():
        cd = Doc(c, path, f"$.checkers.{name}")
        cd.string("verdict")
        cd.items("violations")
    return doc


def facts(report, folder):
    """The line under the title: which run (a history from elsewhere has no
    scenario, seed or model: its folder is named instead)."""
    r = report.value
    if r.get("scenario") is None:
        parts = [f"history in <b>{esc(folder)}</b>"]
    else:
        parts = [f"scenario <b>{esc(r.get('scenario'))}</b>", f"seed {esc(r.get('seed'))}",
                 f"model <b>{esc(r.get('model'))}</b>"]
    parts.append(f"{number((r.get('duration_ms') or 0) / 1000, 3)} s simulated")
    if r.get("complete") is False:
        parts.append("<b>the trace ended early (incomplete run)</b>")
    return ", ".join(parts)


def by_phase(report, section):
    """{phase name: entry} of report[section]["phases"], when present."""
    s = report.raw(section)
    phases = s.get("phases") if isinstance(s, dict) else None
    return {p.get("phase"): p for p in phases or [] if isinstance(p, dict)}


def phase_row(name, span, p, stale, msgs):
    def lat(kind, q):
        return ms_value(((p.get(kind) or {}).get("latency_ms") or {}).get(q))

    def av(kind):
        return percent((p.get(kind) or {}).get("availability"))

    a = p.get("all") or {}
    invalid = sorted(k for k, c in (p.get("checkers") or {}).items()
                     if isinstance(c, dict) and c.get("verdict") == "invalid")
    return [name, span, av("all"), av("read"), av("write"),
            f"{a.get('ok', 0)}/{a.get('fail', 0)}/{a.get('info', 0)}",
            f"{lat('read', 'p50')}/{lat('read', 'p99')}",
            f"{lat('write', 'p50')}/{lat('write', 'p99')}",
            "–" if stale is None else f"{percent(stale.get('stale_rate'))} "
                                      f"({stale.get('stale', 0)})",
            number(msgs.get("messages_per_op")) if msgs else "–",
            ", ".join(invalid) or "–"]


def summary_html(report):
    stale, msgs = by_phase(report, "staleness"), by_phase(report, "messages")
    measured = (report.raw("messages") or {}).get("available", True)
    rows, classes = [], []
    for p in report.items("phases"):
        name = p.string("name")
        span = f"{p.number('start_ms') / 1000:.3g}–{p.number('end_ms') / 1000:.3g} s"
        rows.append(phase_row(name, span, p.value, stale.get(name),
                              msgs.get(name) if measured else None))
        classes.append("fault" if name.startswith("during") else "")
    # The whole run's verdicts are the report's checkers (overall has none).
    overall = dict(report.at("overall").value, checkers=report.raw("checkers", {}))
    st = (report.raw("staleness") or {}).get("overall")
    ms = (report.raw("messages") or {}).get("overall") if measured else None
    rows.append(phase_row("whole run", f"0–{(report.raw('duration_ms') or 0) / 1000:.3g} s",
                          overall, st, ms))
    classes.append("total")
    head = ["phase", "time", "avail", "read av", "write av", "ok/fail/info", "read p50/p99 ms",
            "write p50/p99 ms", "stale reads", "msg/op", "checkers invalid"]
    out = [table(head, rows, left={0, 10}, row_classes=classes)]
    out.append('<p class="note">avail: ok / all operations (docs/report.md, "Availability"); '
               "latency of ok operations; stale: reads that returned a value older than the "
               "newest write acknowledged before the read began.</p>")
    extra = []
    lost = report.raw("lost_writes")
    if isinstance(lost, dict) and lost.get("available", True) and "count" in lost:
        extra.append(f"acknowledged writes lost: {esc(lost.get('count'))}")
    conv = report.raw("convergence")
    if isinstance(conv, dict) and conv.get("available", True) and \
            conv.get("divergent_keys_max") is not None:
        extra.append(f"most keys on which replicas disagreed at once: "
                     f"{esc(conv.get('divergent_keys_max'))}")
    if extra:
        out.append("<p>" + "; ".join(extra) + ".</p>")
    return "\n".join(out)


def violations_id(prefix, checker):
    """The id of a checker's violations on the page (linked from the tables)."""
    return anchor(f"{prefix}-violations-{checker}")


def verdict_table(checkers, prefix):
    rows = []
    for name in sorted(checkers):
        c = checkers[name]
        count = c.get("violation_count", 0)
        link = violations_id(prefix, name) if c.get("violations") else None
        rows.append([name, verdict_cell(c.get("verdict"), None, link), count,
                     c.get("note") or ""])
    if not rows:
        return '<p class="note">No checker ran (--checkers none).</p>'
    return table(["checker", "verdict", "violations", "note"], rows, left={0, 1, 3})


def slice_table(violation, lines):
    at_fault = set(violation.get("ops") or [])
    rows, classes = [], []
    for n in violation.get("slice") or []:
        entry = lines.get(n)
        if entry is None:
            rows.append([n, "", "", "", "(not in the trace)", ""])
            classes.append("")
            continue
        line, done = entry["line"], entry["completion"]
        t = line.get("time")
        when = number(t / 1e6, 3) if isinstance(t, int) else ""
        if line.get("type") == "invoke":
            what = f"{line.get('f')} key {line.get('key')}"
            if line.get("f") != "read":
                what += f" = {json.dumps(line.get('value'))}"
            if done:
                d = done[1]
                got = d.get("siblings", d.get("value"))
                result = f"{d.get('type')} at {number(d.get('time', 0) / 1e6, 3)} ms " \
                         f"(line {done[0]})"
                if line.get("f") == "read" and d.get("type") == "ok":
                    result += f": {json.dumps(got)}"
            else:
                result = "outstanding at the end of the trace"
            who = f"process {line.get('process')} at {line.get('node')}"
        else:  # a role, apply or fault line: its type, node and other fields
            rest = {k: v for k, v in line.items() if k not in ("type", "time", "node")}
            what = f"{line.get('type')}: {json.dumps(rest, sort_keys=True)[:160]}"
            result, who = "", f"node {line.get('node')}" if "node" in line else ""
        op = f"op {line['op']}" if "op" in line else ""
        rows.append([n, when, op, who, what, result])
        classes.append("fault-op" if n in at_fault else "")
    return table(["line", "time ms", "op", "client", "operation", "outcome"], rows, left=0,
                 row_classes=classes)


def verdicts_html(report, trace_path, maker, prefix):
    """The verdict table, the first violation's space-time diagram and every
    shown violation with its slice."""
    checkers = report.raw("checkers", {})
    out = [verdict_table(checkers, prefix)]
    shown = shown_violations(checkers)
    if not shown:
        return "\n".join(out)
    have_trace = os.path.isfile(trace_path)
    lines = {}
    if have_trace:
        wanted = {n for _, vs in shown for v in vs for n in (v.get("slice") or [])
                  if isinstance(n, int)}
        lines = read_slice_lines(trace_path, wanted)
    first = first_violation(checkers)
    drawn = None  # the violation whose diagram is on the page
    if first and have_trace:
        checker, v = first
        window = slice_window(v, lines)
        if window:
            start, end, ops = window
            caption = (f"The first violation found: <b>{esc(checker)}</b> on key "
                       f"{esc(v.get('key'))}, {esc(v.get('reason'))}. Its slice's operations "
                       f"are ringed and underlined in red (solid: the operations at fault), "
                       f"{when(start)} to {when(end)} into the run.")
            chart, _ = maker.spacetime(trace_path, f"{prefix}-first-violation", (start, end),
                                       ops, caption)
            out.append(figure(chart))
            drawn = v
    elif not have_trace:
        out.append(f'<p class="note">{esc(trace_path)} is missing: the slices are shown by '
                   "line number only, without a space-time diagram.</p>")
    for checker, vs in shown:
        count = checkers[checker].get("violation_count", len(vs))
        listed = len(checkers[checker].get("violations") or [])
        more = f" (the first {len(vs)} of {count}; report.json lists {listed})" \
            if count > len(vs) else ""
        out.append(f'<h3 id="{violations_id(prefix, checker)}">{esc(checker)}: {count} '
                   f"violation{'s' if count != 1 else ''}"
                   f"{esc(more)}</h3>")
        for i, v in enumerate(vs):
            summary = f"key {esc(v.get('key'))}: {esc(v.get('reason'))}"
            if v is drawn:
                summary = f"<b>the first violation (the diagram above)</b>: {summary}"
            body = slice_table(v, lines) if have_trace else \
                f"<p>slice: lines {esc(', '.join(map(str, v.get('slice') or [])))}</p>"
            opened = " open" if i == 0 or v is drawn else ""
            out.append(f"<details{opened}><summary>{summary}</summary>"
                       f"{body}</details>")
    out.append('<p class="note">A slice is the smallest set of operations the checker found '
               "that still shows the violation (docs/checkers.md); highlighted rows are the "
               "operations at fault.</p>")
    return "\n".join(out)


def run_charts(rundir, maker, prefix, notes):
    charts = []
    if os.path.isfile(os.path.join(rundir, "timeline.json")):
        charts += maker.run(rundir, prefix)
    else:
        notes.append(f"{rundir}/timeline.json is missing: no timeline or divergence chart "
                     "(consim run and consim analyze write it).")
    trace = os.path.join(rundir, "trace.jsonl")
    if os.path.isfile(trace):
        from spacetime_data import DEFAULT_MESSAGES, choose_window

        start, end = choose_window(trace, DEFAULT_MESSAGES)
        chart, _ = maker.spacetime(
            trace, f"{prefix}-default", (start, end), caption=(
                f"Space-time diagram around the first partition's start (else the first "
                f"fault, else the start of the run), as plot_spacetime.py draws it by default: "
                f"{when(start)} to {when(end)} into the run."))
        charts.append(chart)
    else:
        notes.append(f"{trace} is missing: no space-time diagram.")
    return charts
