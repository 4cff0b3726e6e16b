#!/usr/bin/env python3
"""`consim report` end to end, in a real browser: builds the HTML page of a
run, a comparison and a sweep, opens each in headless Chromium (cdp.py) and
checks that it loads with no console error, that every chart decodes to a
real image, that a screenshot of the page and of its first chart are not
blank, and that the page says what report.json says (every checker's
verdict, the first violation's slice lines, every chart the scripts draw).
Also: the same folder gives the same bytes; bad folders exit 3 naming the
path and leave no page behind (and an old page untouched).

Usage: test_html_report.py CONSIM SOURCE_DIR WORK_DIR CHROMIUM
"""

import json
import os
import re
import subprocess
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from cdp import Browser, non_white  # noqa: E402

# Absolute: the test works from other folders (meson passes build-relative paths).
CONSIM, SRC, WORK = (os.path.abspath(p) for p in sys.argv[1:4])
CHROMIUM = sys.argv[4]
failures = []


def check(condition, what):
    if not condition:
        failures.append(what)
        print(f"FAIL: {what}")


def run(args, cwd=None, expect=0):
    p = subprocess.run(args, cwd=cwd or WORK, capture_output=True, text=True)
    if p.returncode != expect:
        print(f"FAIL: {' '.join(args)}: exit {p.returncode}, expected {expect}\n"
              f"{p.stdout}{p.stderr}")
        sys.exit(1)
    return p


def make_fixtures():
    scenario = os.path.join(SRC, "scenarios", "example-crash.json")
    run([CONSIM, "run", scenario, "--model", "eventual-async", "--trace-level", "full",
         "--out", "run", "--quiet"])
    run([CONSIM, "compare", scenario, "--models", "eventual-async,causal", "--trace-level",
         "full", "--out", "cmp", "--quiet"])
    run([CONSIM, "sweep", os.path.join(SRC, "tests", "sweeps", "small.json"), "--out", "sweep",
         "-j", "2", "--quiet"])


def report(folder, out):
    # From another working directory: the command finds its scripts itself.
    p = run([CONSIM, "report", os.path.join(WORK, folder), "--out", out], cwd="/")
    check(p.stdout.strip() == out, f"report {folder}: prints the path written ({p.stdout!r})")
    with open(out, encoding="utf-8") as f:
        return f.read()


# Each chart decoded, and drawn (scaled down) on a canvas: the share of its
# pixels that are neither white nor transparent (a truncated PNG decodes,
# with a size, but draws next to nothing).
IMAGES = """Promise.all([...document.images].map(i => i.decode().then(() => {
  const c = document.createElement('canvas'); c.width = 192; c.height = 108;
  const g = c.getContext('2d'); g.drawImage(i, 0, 0, 192, 108);
  const d = g.getImageData(0, 0, 192, 108).data; let ink = 0;
  for (let k = 0; k < d.length; k += 4)
    if (d[k + 3] > 0 && (d[k] < 250 || d[k + 1] < 250 || d[k + 2] < 250)) ink++;
  return {id: i.closest('figure') ? i.closest('figure').id : '', w: i.naturalWidth,
          h: i.naturalHeight, ink: ink / (192 * 108)};
}, e => ({id: i.closest('figure') ? i.closest('figure').id : '', w: 0, h: 0, ink: 0,
          error: String(e)}))))
"""
FIRST_CHART = """(() => { const r = document.images[0].getBoundingClientRect();
  return {x: r.left + window.scrollX, y: r.top + window.scrollY, width: r.width,
          height: r.height}; })()"""


def in_browser(browser, path, name):
    """The ids of the charts that decoded; checks the load, the charts and
    the screenshots."""
    session = browser.open("file://" + path)
    images = browser.evaluate(session, IMAGES)
    check(images, f"{name}: the page has charts")
    for img in images:
        check(img["w"] > 0 and img["h"] > 0 and img["ink"] > 0.02,
              f"{name}: chart {img['id']} loaded and drawn ({img})")
    top = browser.screenshot(session, {"x": 0, "y": 0, "width": 1280, "height": 900})
    dark, total, colours = non_white(top)
    check(dark > total // 100 and colours > 5,
          f"{name}: the page's screenshot is not blank ({dark} of {total} pixels not white)")
    chart = browser.screenshot(session, browser.evaluate(session, FIRST_CHART))
    dark, total, colours = non_white(chart)
    check(dark > total // 50 and colours > 20,
          f"{name}: the first chart's screenshot shows a chart ({dark} of {total} pixels not "
          f"white, {colours} colours)")
    problems = browser.problems(session)
    check(not problems, f"{name}: no console errors ({problems})")
    return [img["id"] for img in images if img["w"] > 0 and img["ink"] > 0.02]


def section(page, heading_id):
    start = page.index(f'<h2 id="{heading_id}">')
    end = page.find("<section>", start)
    return page[start:end if end >= 0 else len(page)]


def verdicts_shown(page, report_path, name):
    with open(report_path, encoding="utf-8") as f:
        checkers = json.load(f)["checkers"]
    for checker, c in checkers.items():
        cell = re.search(rf"<td class=\"l\">{re.escape(checker)}</td><td class=\"(\w+)\">",
                         page)
        check(cell and cell.group(1) == c["verdict"],
              f"{name}: {checker} shown as {c['verdict']}")
    return checkers


def test_run(browser):
    out = os.path.join(WORK, "run.html")
    page = report("run", out)
    checkers = verdicts_shown(page, os.path.join(WORK, "run", "report.json"), "run")
    invalid = [c for c in checkers.values() if c["verdict"] == "invalid"]
    check(invalid, "run: the fixture has violations (eventual-async under a crash)")
    # The first violation (the earliest last op at fault): its slice lines are in the table.
    first = min(((max(v["ops"]), c["checker"], v) for c in invalid for v in c["violations"]),
                key=lambda t: t[:2])[2]
    for line in first["slice"]:
        check(f"<td>{line}</td>" in page, f"run: slice line {line} of the first violation shown")
    check('id="run-first-violation-spacetime"' in page,
          "run: the first violation's space-time diagram")
    check(first["reason"].replace("'", "&#x27;") in page, "run: the first violation's reason")
    ids = in_browser(browser, out, "run")
    for chart in ("run-timeline", "run-divergence", "run-default-spacetime",
                  "run-first-violation-spacetime"):
        check(chart in ids, f"run: chart {chart} drawn and loaded")
    again = report("run", os.path.join(WORK, "run-again.html"))
    check(again == page, "run: the same folder gives the same bytes")


def test_compare(browser):
    out = os.path.join(WORK, "cmp.html")
    page = report("cmp", out)
    ids = in_browser(browser, out, "compare")
    # plot_comparison.py's charts, each in the page (its docstring lists them).
    with open(os.path.join(SRC, "analysis", "plots", "plot_comparison.py")) as f:
        names = re.findall(r"([a-z-]+)\.png", f.read().split('"""')[1])
    check(len(names) >= 9, f"compare: plot_comparison.py lists its charts ({names})")
    for n in names:
        check(f"comparison-{n}" in ids, f"compare: chart {n} drawn and loaded")
    for model in ("eventual-async", "causal"):
        verdicts_shown(section(page, f"model-{model}"),
                       os.path.join(WORK, "cmp", model, "report.json"), f"compare {model}")
        for chart in ("timeline", "divergence", "default-spacetime"):
            check(f"model-{model}-{chart}" in ids, f"compare: {model}'s {chart}")
    # Causal-only guarantees tell the two models apart (the complaint).
    check(re.search(r"eventual-async</td>.*?invalid \(\d+\)", page, re.S),
          "compare: the verdict matrix shows eventual-async's violations")


def test_sweep(browser):
    out = os.path.join(WORK, "sweep.html")
    page = report("sweep", out)
    ids = in_browser(browser, out, "sweep")
    with open(os.path.join(WORK, "sweep", "sweep.json")) as f:
        sweep = json.load(f)
    for m in sweep["metrics"]:
        stem = m["name"].replace("_", "-")
        check(any(i.startswith(f"sweep-{stem}") for i in ids),
              f"sweep: chart of {m['name']}")
    for row in sweep["aggregate"]:
        mean = row["metrics"]["stale_rate"]["mean"]
        check(f"{mean:.4f}" in page, f"sweep: point {row['point']}'s stale_rate mean {mean}")
    check("linearizable" in page and "invalid" in page, "sweep: verdicts counted per point")
    again = report("sweep", os.path.join(WORK, "sweep-again.html"))
    check(again == page, "sweep: the same folder gives the same bytes")


def test_bad_input():
    empty = os.path.join(WORK, "empty")
    os.makedirs(empty, exist_ok=True)
    out = os.path.join(WORK, "bad.html")
    p = run([CONSIM, "report", empty, "--out", out], expect=3)
    check(f"consim report: {empty}: not a consim run, comparison or sweep folder" in p.stderr,
          f"bad input: an empty folder is named ({p.stderr!r})")
    check(not os.path.exists(out), "bad input: no page written")
    p = run([CONSIM, "report", os.path.join(WORK, "missing")], expect=3)
    check("missing: no such folder" in p.stderr, f"bad input: a missing folder ({p.stderr!r})")
    broken = os.path.join(WORK, "broken")
    os.makedirs(broken, exist_ok=True)
    with open(os.path.join(broken, "report.json"), "w") as f:
        f.write('{"format": "consim-report", "phases": [], "overall": {}, "checkers": 3}')
    with open(out, "w") as f:
        f.write("old page")
    p = run([CONSIM, "report", broken, "--out", out], expect=3)
    check(f"{broken}/report.json: $.checkers: expected an object" in p.stderr,
          f"bad input: names the file and the JSON path ({p.stderr!r})")
    with open(out) as f:
        check(f.read() == "old page", "bad input: an old page is left untouched")
    check(not [n for n in os.listdir(WORK) if ".tmp-" in n], "bad input: no temporary left")


def test_script_lookup():
    """$CONSIM_PLOTS_DIR first, then <prefix>/share/consim/plots beside an
    installed <prefix>/bin/consim, then the source tree (docs/report-html.md)."""
    import shutil

    prefix = os.path.join(WORK, "prefix")
    os.makedirs(os.path.join(prefix, "bin"), exist_ok=True)
    installed = os.path.join(prefix, "share", "consim", "plots")
    elsewhere = os.path.join(WORK, "elsewhere")
    for folder, says in ((installed, "installed"), (elsewhere, "env")):
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, "html_report.py"), "w") as f:
            f.write(f"import sys\nprint('{says}', sys.argv[1:])\n")
    moved = os.path.join(prefix, "bin", "consim")
    shutil.copy(CONSIM, moved)
    env = dict(os.environ, CONSIM_PLOTS_DIR=elsewhere)
    p = subprocess.run([moved, "report", "run"], capture_output=True, text=True, env=env)
    check(p.stdout.startswith("env ['run', '--program', 'consim report']"),
          f"lookup: $CONSIM_PLOTS_DIR first ({p.stdout!r} {p.stderr!r})")
    env["CONSIM_PLOTS_DIR"] = os.path.join(WORK, "nowhere")
    p = subprocess.run([moved, "report", "run"], capture_output=True, text=True, env=env)
    check(p.returncode == 1 and "cannot find the chart scripts (html_report.py); looked in: "
          f"{WORK}/nowhere ($CONSIM_PLOTS_DIR)" in p.stderr,
          f"lookup: a wrong $CONSIM_PLOTS_DIR is an error, exit 1 ({p.returncode} {p.stderr!r})")
    env.pop("CONSIM_PLOTS_DIR")
    p = subprocess.run([moved, "report", "run", "--out", "x.html"], capture_output=True,
                       text=True, env=env)
    check(p.stdout.startswith("installed ['run', '--program', 'consim report', '--out', "
                              "'x.html']"),
          f"lookup: beside the installed executable ({p.stdout!r} {p.stderr!r})")
    shutil.rmtree(prefix)


def test_console_capture(browser):
    """The capture itself can fail: a page whose image the CSP blocks."""
    path = os.path.join(WORK, "blocked.html")
    with open(path, "w") as f:
        f.write('<!DOCTYPE html><meta http-equiv="Content-Security-Policy" '
                "content=\"default-src 'none'\"><img src=\"http://example.invalid/x.png\">")
    session = browser.open("file://" + path)
    check(browser.problems(session), "the console capture sees a blocked load")


# The demo comparison's page (every model of scenarios/demo-partition.json)
# was 10.3 MB before its charts were drawn at the page's size and encoded
# with a palette (docs/report-html.md, "Size"); this bound keeps it small.
PAGE_BOUND = 2_000_000


def test_demo_size(browser):
    demo = os.path.join(SRC, "scenarios", "demo-partition.json")
    run([CONSIM, "compare", demo, "--out", "demo", "--quiet"])
    out = os.path.join(WORK, "demo.html")
    page = report("demo", out)
    size = os.path.getsize(out)
    check(size < PAGE_BOUND, f"demo comparison: the page is {size} bytes, at most {PAGE_BOUND}")
    models = sorted(d.name for d in os.scandir(os.path.join(WORK, "demo")) if d.is_dir())
    ids = in_browser(browser, out, "demo")
    for model in models:
        for chart in ("timeline", "divergence", "default-spacetime"):
            check(f"model-{model}-{chart}" in ids, f"demo: {model}'s {chart} drawn and loaded")
    check(len(re.findall(r'<img src="data:image/png;base64,', page)) == len(ids),
          "demo: every chart is an embedded PNG")


def main():
    import time

    os.chdir(WORK)
    start = time.monotonic()

    def step(name, f, *args):
        f(*args)
        print(f"{name}: done at {time.monotonic() - start:.1f} s", flush=True)

    step("fixtures", make_fixtures)
    step("bad input", test_bad_input)
    step("script lookup", test_script_lookup)
    browser = Browser(CHROMIUM, os.path.join(WORK, "profile"))
    try:
        step("console capture", test_console_capture, browser)
        step("run", test_run, browser)
        step("compare", test_compare, browser)
        step("sweep", test_sweep, browser)
        step("demo size", test_demo_size, browser)
    finally:
        browser.close()
    print(f"{len(failures)} failed" if failures else "html report: all checks passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
