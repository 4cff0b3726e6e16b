#!/usr/bin/env python3
"""Sweep charts: a metric against a swept parameter, one line per value of
another axis (a model, say), with the 95% confidence band.

Usage: plot_sweep.py SWEEPDIR [--x AXIS] [--lines AXIS] [--metrics A,B]
                     [--where AXIS=VALUE]...

Reads SWEEPDIR/sweep.json (written by `consim sweep`, docs/sweep.md) and
writes SWEEPDIR/charts/sweep-<metric>.png and .svg for each metric (with
-<axis>-<value> added for each --where), printing each path. The x axis is --x (default: the first axis whose values are all
numbers, else the first axis); numeric values are placed to scale, others
evenly. The lines are --lines (default: an axis named "model" or "store",
else the one other axis, else a single line). Any other axis with several
values must be fixed with --where. A line is the mean at each point, the
band its 95% confidence interval (absent where fewer than two runs had a
value). Models keep their colours from every other chart.

Exit codes as consim's: 0 ok, 3 bad input, 4 bad command line, 5 a chart
could not be written, 1 this Python has no matplotlib.
"""

import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from plot_common import (  # noqa: E402
    EXIT_BAD_COMMAND_LINE, Doc, InputError, import_pyplot, lay_out, load_json, model_colours,
    run_main, save)

USAGE = ("usage: plot_sweep.py SWEEPDIR [--x AXIS] [--lines AXIS] [--metrics A,B] "
         "[--where AXIS=VALUE]...")


class UsageError(Exception):
    pass


def as_number(label):
    try:
        return float(label)
    except ValueError:
        return None


class Sweep:
    """sweep.json, checked: axes (name -> labels), metrics, aggregate rows."""

    def __init__(self, path):
        doc = Doc(load_json(path), path)
        if doc.raw("format") != "consim-sweep":
            doc.fail('not a consim sweep table ("format" is not "consim-sweep")')
        self.name = doc.string("name")
        self.axes = {a.string("name"): [str(v) for v in a.raw("values", [])]
                     for a in doc.items("axes")}
        self.metrics = [m.string("name") for m in doc.items("metrics")]
        self.seeds = len(doc.raw("seeds", []))
        self.rows = []
        for row in doc.items("aggregate"):
            values = {k: str(v) for k, v in row.at("values").value.items()}
            stats = {}
            for m in self.metrics:
                s = row.at("metrics").at(m)
                stats[m] = (s.number("mean", True), s.number("ci95_low", True),
                            s.number("ci95_high", True))
            self.rows.append((values, stats))


def choose_axes(sweep, x, lines, where):
    names = list(sweep.axes)
    for name in [x, lines] + list(where):
        if name is not None and name not in sweep.axes:
            raise UsageError(f'no axis "{name}"; axes: {", ".join(names) or "none"}')
    if x is None:
        numeric = [n for n in names if all(as_number(v) is not None for v in sweep.axes[n])]
        x = (numeric or names or [None])[0]
    if x is None:
        raise UsageError("the sweep has no axis to put on x")
    if lines is None:
        others = [n for n in names if n != x and n not in where]
        named = [n for n in others if n in ("model", "store")]
        lines = named[0] if named else (others[0] if len(others) == 1 else None)
    if lines == x:
        raise UsageError("--x and --lines name the same axis")
    for name in names:
        if name not in (x, lines) and name not in where and len(sweep.axes[name]) > 1:
            raise UsageError(f'axis "{name}" has several values ({", ".join(sweep.axes[name])}): '
                             f"choose one with --where {name}=VALUE")
    for name, value in where.items():
        if value not in sweep.axes[name]:
            raise UsageError(f'axis "{name}" has no value "{value}"; values: '
                             f"{', '.join(sweep.axes[name])}")
    return x, lines


def series(sweep, metric, x, lines, where):
    """{line label: (x labels, means, lows, highs)} in the sweep's order."""
    out = {}
    for values, stats in sweep.rows:
        if any(values.get(k) != v for k, v in where.items()):
            continue
        line = values[lines] if lines else metric
        xs, means, lows, highs = out.setdefault(line, ([], [], [], []))
        mean, low, high = stats[metric]
        xs.append(values[x])
        means.append(float("nan") if mean is None else mean)
        lows.append(float("nan") if low is None else low)
        highs.append(float("nan") if high is None else high)
    return out


def chart(plt, sweep, metric, x, lines, where):
    """The figure for one metric (not saved)."""
    data = series(sweep, metric, x, lines, where)
    labels = sweep.axes[x]
    numeric = all(as_number(v) is not None for v in labels)
    position = {v: (as_number(v) if numeric else i) for i, v in enumerate(labels)}
    colours = model_colours(list(data))
    fig, ax = plt.subplots(figsize=(12.8, 7.2))
    for line, (xs, means, lows, highs) in data.items():
        px = [position[v] for v in xs]
        ax.plot(px, means, marker="o", color=colours[line], label=line, linewidth=2.5)
        ax.fill_between(px, lows, highs, color=colours[line], alpha=0.2, linewidth=0)
    if not numeric:
        ax.set_xticks(range(len(labels)), labels)
    ax.set_xlabel(x)
    ax.set_ylabel(metric)
    ax.grid(True, alpha=0.3)
    if lines:
        ax.legend(title=lines, frameon=False)
    fixed = ", ".join(f"{k}={v}" for k, v in where.items())
    sub = (f'sweep "{sweep.name}", {sweep.seeds} seeds a point: mean and 95% confidence band'
           + (f"; {fixed}" if fixed else ""))
    lay_out(fig, f"{metric} against {x}", sub, top=0.86)
    return fig


def parse_args(argv):
    if not argv or argv[0] in ("-h", "--help"):
        raise UsageError(USAGE)
    folder, opts, where = argv[0], {}, {}
    i = 1
    while i < len(argv):
        flag = argv[i]
        if flag not in ("--x", "--lines", "--metrics", "--where") or i + 1 >= len(argv):
            raise UsageError(f"unknown option or missing value: {flag}\n{USAGE}")
        value = argv[i + 1]
        if flag == "--where":
            if "=" not in value:
                raise UsageError(f"--where takes AXIS=VALUE, got {value}")
            k, v = value.split("=", 1)
            where[k] = v
        else:
            opts[flag[2:]] = value
        i += 2
    return folder, opts, where


def main(argv):
    try:
        folder, opts, where = parse_args(argv)
        plt = import_pyplot()
        sweep = Sweep(os.path.join(folder, "sweep.json"))
        x, lines = choose_axes(sweep, opts.get("x"), opts.get("lines"), where)
        metrics = opts["metrics"].split(",") if "metrics" in opts else sweep.metrics
        for m in metrics:
            if m not in sweep.metrics:
                raise UsageError(f'no metric "{m}"; metrics: {", ".join(sweep.metrics)}')
    except UsageError as e:
        help_asked = argv[:1] in (["-h"], ["--help"])
        print(str(e) if help_asked else f"plot_sweep.py: {e}",
              file=sys.stdout if help_asked else sys.stderr)
        return 0 if help_asked else EXIT_BAD_COMMAND_LINE
    written = []
    suffix = "".join(f"-{k}-{v}" for k, v in where.items()).replace("/", "_")
    for m in metrics:
        for ext in ("png", "svg"):
            save(chart(plt, sweep, m, x, lines, where), plt, os.path.join(folder, "charts"),
                 f"sweep-{m}{suffix}.{ext}", written)
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(run_main("plot_sweep.py", main))
