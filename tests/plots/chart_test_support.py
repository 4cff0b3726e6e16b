"""What every chart test shares: a tally of stories that passed and failed,
printed one line each, and capture(), which runs a chart function with its
module's save() replaced so the test inspects the drawn figures instead of
files.

Invariants: one tally per process (each chart test is its own process);
summary() is the test's exit code: 1 when any story failed, else 0.
"""

results = {"passed": 0, "failed": 0}


def check(condition, story, detail=""):
    """Counts one story and prints "ok: story" or "FAIL: story: detail"."""
    results["passed" if condition else "failed"] += 1
    if condition:
        print(f"ok: {story}")
    else:
        print(f"FAIL: {story}" + (f": {detail}" if detail else ""))


def capture_all(module, chart, *args):
    """Runs chart(*args) with module.save replaced; the (name, figure) pairs it saved."""
    figures = []
    saved = module.save
    module.save = lambda fig, plt, folder, name, written: figures.append((name, fig))
    try:
        chart(*args)
    finally:
        module.save = saved
    return figures


def capture(module, chart, *args):
    """The first figure chart(*args) saved."""
    return capture_all(module, chart, *args)[0][1]


def summary():
    """Prints the tally; the exit code (1 when a story failed)."""
    print(f"{results['passed']} passed, {results['failed']} failed")
    return 1 if results["failed"] else 0
