"""The page of `consim report` for a sweep folder (consim sweep --out DIR):
the aggregate table (mean and 95% confidence interval per grid point), the
sweep charts (plot_sweep.py), and the checkers' verdicts counted over each
grid point's runs, with the first violation of each checker.

Invariants: numbers come from sweep.json and the runs' result files
(runs/<run>.json, docs/sweep.md) as written; a run whose result file is
missing (a sweep still running, or collected elsewhere) is counted as
missing, never as valid. Sweep runs keep no trace, so a violation is shown
with its reason and slice line numbers, not with trace lines.
"""

import os

from html_page import esc, figure, number, table, verdict_cell
from plot_common import Doc, load_json


def aggregate_table(doc, axes, metrics):
    rows = []
    for row in doc.items("aggregate"):
        values = row.at("values").value
        cells = [row.raw("point", "")] + [values.get(a, "") for a in axes] + \
            [row.raw("runs", "")]
        for m in metrics:
            s = row.at("metrics").at(m).value
            mean, lo, hi = s.get("mean"), s.get("ci95_low"), s.get("ci95_high")
            ci = f" [{number(lo, 4)}, {number(hi, 4)}]" if lo is not None else ""
            cells.append(f"{number(mean, 4)}{ci}")
        rows.append(cells)
    head = ["point"] + axes + ["runs"] + [f"{m}: mean [95% CI]" for m in metrics]
    return table(head, rows, left=1 + len(axes))


def run_verdicts(folder, doc, axes):
    """{point: {checker: [valid, invalid, unknown]}}, missing runs, and
    {checker: (run entry, first violation)} for the first invalid run (in
    run order) of each checker."""
    counts, missing, first = {}, 0, {}
    for run in doc.items("runs"):
        key = run.string("run")
        point = run.raw("point")
        path = os.path.join(folder, "runs", f"{key}.json")
        if not os.path.isfile(path):
            missing += 1
            continue
        result = Doc(load_json(path), path)
        checkers = result.at("report").raw("checkers", {})
        per = counts.setdefault(point, {})
        for name in sorted(checkers):
            c = checkers[name]
            verdict = c.get("verdict") if isinstance(c, dict) else None
            tally = per.setdefault(name, [0, 0, 0])
            tally[{"valid": 0, "invalid": 1}.get(verdict, 2)] += 1
            vs = c.get("violations") if isinstance(c, dict) else None
            if verdict == "invalid" and name not in first and vs:
                first[name] = (run.value, vs[0])
    return counts, missing, first


def verdicts_html(folder, doc, axes):
    counts, missing, first = run_verdicts(folder, doc, axes)
    names = sorted({n for per in counts.values() for n in per})
    if not names:
        return '<p class="note">No run result holds checker verdicts.</p>'
    values = {r.raw("point"): r.at("values").value for r in doc.items("aggregate")}
    rows = []
    for point in sorted(counts, key=lambda p: (p is None, p)):
        row = [point] + [values.get(point, {}).get(a, "") for a in axes]
        for n in names:
            ok, bad, unknown = counts[point].get(n, [0, 0, 0])
            total = ok + bad + unknown
            verdict = "invalid" if bad else ("unknown" if unknown else "valid")
            row.append(verdict_cell(verdict, f"{bad} of {total} invalid" +
                                    (f", {unknown} unknown" if unknown else "")))
        rows.append(row)
    out = [table(["point"] + axes + names, rows, left=1 + len(axes))]
    if missing:
        out.append(f"<p><b>{missing} runs have no result file yet</b> (not counted).</p>")
    for name in names:
        if name not in first:
            continue
        run, v = first[name]
        where = ", ".join(f"{k} = {val}" for k, val in sorted((run.get("values") or {}).items()))
        out.append(f"<h3>{esc(name)}: the first invalid run</h3><p>{esc(where)}, seed "
                   f"{esc(run.get('seed'))} (run {esc(run.get('run'))}): key "
                   f"{esc(v.get('key'))}: {esc(v.get('reason'))}<br>slice: lines "
                   f"{esc(', '.join(map(str, v.get('slice') or [])))}. Sweep runs keep no "
                   "trace: rerun this grid point and seed with <code>consim run</code> to see "
                   "the lines and its space-time diagram.</p>")
    return "\n".join(out)


def sweep_page(folder, maker):
    """(title, subtitle html, sections) for a sweep folder."""
    path = os.path.join(folder, "sweep.json")
    sweep, charts = maker.sweep(folder)  # checks the format and the aggregate
    doc = Doc(load_json(path), path)
    axes = list(sweep.axes)
    grid = "; ".join(f"{esc(a)}: {esc(', '.join(v))}" for a, v in sweep.axes.items())
    sub = (f"Sweep <b>{esc(sweep.name)}</b>: {len(doc.items('runs'))} runs, "
           f"{sweep.seeds} seeds per grid point; grid {grid}.")
    metrics = "".join(f"<li><code>{esc(m.string('name'))}</code>: "
                      f"<code>{esc(m.raw('path'))}</code></li>" for m in doc.items("metrics"))
    summary = aggregate_table(doc, axes, sweep.metrics) + \
        f"<p>Metrics (report.json paths, docs/sweep.md):</p><ul>{metrics}</ul>"
    sections = [("Summary", summary),
                ("Charts", "\n".join(figure(c) for c in charts) or
                 '<p class="note">No axis to plot.</p>'),
                ("Verdicts", verdicts_html(folder, doc, axes))]
    return f"consim report: sweep {sweep.name}", sub, sections
