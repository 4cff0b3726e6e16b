"""The page of `consim report` for a comparison folder (consim compare
--out DIR): the side-by-side table, every comparison chart, the verdicts of
every checker for every model, and per model its run charts, space-time
diagrams and counterexample slices (html_run.py).

Invariants: models appear in comparison.json's order with the colour every
chart gives them (plot_common.model_colours); the tables show
comparison.json's rows and each model's report.json as written.
"""

import os

from html_page import esc, figure, ms_value, number, percent, swatch, table, verdict_cell
from html_run import load_report, run_charts, summary_html, verdicts_html, violations_id
from plot_common import model_colours


def comparison_table(doc, colours):
    rows, classes = [], []
    previous = None
    for row in doc.items("rows"):
        r = row.value
        model = row.string("model")
        phase = row.string("phase")
        label = ("raw", swatch(colours.get(model, "#888")) + esc(model)) \
            if model != previous else ""
        previous = model

        def ms(a, b):
            return f"{ms_value(r.get(a))}/{ms_value(r.get(b))}"

        rows.append([label, phase, percent(r.get("availability")),
                     percent(r.get("read_availability")), percent(r.get("write_availability")),
                     ms("read_p50_ms", "read_p99_ms"), ms("write_p50_ms", "write_p99_ms"),
                     f"{percent(r.get('stale_rate'))} ({r.get('stale_reads', 0)})",
                     number(r.get("messages_per_op")), r.get("redirects", 0)])
        classes.append("fault" if phase.startswith("during") else "")
    head = ["model", "phase", "avail", "read av", "write av", "read p50/p99 ms",
            "write p50/p99 ms", "stale reads", "msg/op", "redirects"]
    return table(head, rows, left=2, row_classes=classes)


def verdict_matrix(models, reports, colours):
    names = sorted({c for m in models for c in reports[m].raw("checkers", {})})
    if not names:
        return '<p class="note">No checker ran (--checkers none).</p>'
    rows = []
    for m in models:
        checkers = reports[m].raw("checkers", {})
        row = [("raw", swatch(colours[m]) + esc(m))]
        for n in names:
            c = checkers.get(n)
            if c is None:
                row.append("not run")
            else:
                count = c.get("violation_count", 0)
                link = violations_id(f"model-{m}", n) if c.get("violations") else None
                row.append(verdict_cell(c.get("verdict"), c.get("verdict") +
                                        (f" ({count})" if count else ""), link))
        rows.append(row)
    return table(["model"] + names, rows, left=1) + \
        '<p class="note">(n): violations found. Each model\'s section lists them with their ' \
        "slices.</p>"


def compare_page(outdir, maker):
    """(title, subtitle html, sections) for a comparison folder."""
    from comparison_data import load_comparison
    from plot_common import Doc, load_json

    data = load_comparison(outdir)  # checks comparison.json and every report.json
    path = os.path.join(outdir, "comparison.json")
    doc = Doc(load_json(path), path)
    colours = model_colours(data.models)
    reports = {m: load_report(os.path.join(outdir, m)) for m in data.models}
    models = ", ".join(swatch(colours[m]) + esc(m) for m in data.models)
    sub = (f"Comparison of scenario <b>{esc(data.scenario)}</b>, seed {esc(data.seed)}, "
           f"under {len(data.models)} models on the same seed: {models}.")
    table_html = comparison_table(doc, colours)
    text = os.path.join(outdir, "comparison.txt")
    if os.path.isfile(text):
        with open(text, encoding="utf-8", errors="replace") as f:
            table_html += ("<details><summary>The table as <code>consim compare</code> "
                           f"printed it (with the leadership tables)</summary><pre>"
                           f"{esc(f.read())}</pre></details>")
    sections = [("Summary", table_html),
                ("Verdicts", verdict_matrix(data.models, reports, colours)),
                ("Comparison charts",
                 "\n".join(figure(c) for c in maker.comparison(data)))]
    for m in data.models:
        rundir = os.path.join(outdir, m)
        notes = []
        verdicts = verdicts_html(reports[m], os.path.join(rundir, "trace.jsonl"), maker,
                                 f"model-{m}")
        charts = run_charts(rundir, maker, f"model-{m}", notes)
        body = [f"<h3>Summary</h3>{summary_html(reports[m])}", f"<h3>Verdicts</h3>{verdicts}",
                "<h3>Charts</h3>"] + [figure(c) for c in charts] + \
            [f'<p class="note">{esc(n)}</p>' for n in notes]
        sections.append((f"Model {m}", "\n".join(body)))
    return f"consim report: {data.scenario} (comparison)", sub, sections
