"""The charts of `consim report`, drawn by the existing chart scripts'
functions (plot_run.py, plot_comparison.py, plot_spacetime.py,
plot_sweep.py: nothing is re-drawn here) into a private temporary folder,
then read back as bytes for the page and removed.

Invariants: the output folder the user gave is never written to (no
RUNDIR/charts side effect); every chart comes back as {"id", "data",
"mime", "alt", "caption", "size"}. Every chart, the space-time diagrams
too, is a PNG drawn at PAGE_DPI: 1024 x 576, as wide as the page shows it (the
scripts' own 1920 x 1080 is for slides), and re-encoded with a palette
(compact_png) so that a comparison of every model stays under 2 MB
(docs/report-html.md, "Size"). Highlighting a violation only adds a layer
to the figure plot_spacetime's functions return.
"""

import io
import os
import shutil
import tempfile

from html_page import anchor, esc
from plot_common import SLIDE_SIZE, set_dpi

PAGE_DPI = 80
SIZE = (int(SLIDE_SIZE[0] * PAGE_DPI), int(SLIDE_SIZE[1] * PAGE_DPI))
PALETTE = 64
HIGHLIGHT = "#D62728"

# What each chart file shows (docs/charts.md), keyed by its file name stem.
CAPTIONS = {
    "availability": "Availability per phase and model: did reads and writes succeed?",
    "stale-reads": "Stale reads per phase: how often a read missed an acknowledged write.",
    "t-visibility": "t-visibility: the chance a read started t after a write's "
                    "acknowledgement sees it (or newer), with sample counts.",
    "latency": "Latency of successful operations per phase (p50 bar, p99 whisker).",
    "cap-pacelc": "The CAP / PACELC picture: availability against freshness during each "
                  "partition, and latency against freshness else.",
    "cap-sides": "CAP partition by partition.",
    "convergence": "How long until the replicas agreed after each fault.",
    "verdicts": "Every checker's verdict and violation rate, per model.",
    "latency-cdf": "Latency distributions per model and operation (log x axis).",
    "latency-cdf-phases": "Latency distributions per phase.",
    "timeline": "Every client operation: when it was invoked, how long it took, its "
                "outcome; stale reads marked; faults shaded.",
    "divergence": "Keys on which the replicas disagreed, over time.",
    "leaders": "Who believed it was the leader, and when.",
}


class ChartMaker:
    """Draws into a temporary folder; use as a context manager."""

    def __init__(self, plt):
        self.plt = plt
        self.folder = None

    def __enter__(self):
        self.folder = tempfile.mkdtemp(prefix="consim-report-")
        self.saved_dpi = set_dpi(PAGE_DPI)
        return self

    def __exit__(self, *exc):
        set_dpi(self.saved_dpi)
        shutil.rmtree(self.folder, ignore_errors=True)

    def _collect(self, written, prefix, caption_for=None):
        charts = []
        for path in written:
            stem, ext = os.path.splitext(os.path.basename(path))
            with open(path, "rb") as f:
                data = f.read()
            os.unlink(path)
            caption = (caption_for(stem) if caption_for else None) or CAPTIONS.get(stem, stem)
            charts.append({"id": anchor(f"{prefix}-{stem}"),
                           "data": compact_png(data) if ext == ".png" else data,
                           "mime": "image/svg+xml" if ext == ".svg" else "image/png",
                           "alt": f"{stem} chart", "caption": esc(caption), "size": SIZE})
        return charts

    def comparison(self, data):
        from latency_cdf import latency_cdf_chart, latency_cdf_phase_chart
        from phase_charts import availability_chart, latency_chart, stale_reads_chart
        from plot_common import model_colours
        from tradeoff_charts import cap_chart, convergence_chart, visibility_chart
        from verdict_chart import verdict_chart

        colours, written = model_colours(data.models), []
        # plot_comparison.py's list, in its order (cap_chart adds cap-sides
        # when there are several partitions).
        for chart in (availability_chart, stale_reads_chart, visibility_chart, latency_chart,
                      cap_chart, convergence_chart, verdict_chart, latency_cdf_chart,
                      latency_cdf_phase_chart):
            chart(self.plt, data, colours, self.folder, written)
        return self._collect(written, "comparison")

    def run(self, rundir, prefix):
        """The run charts of a folder with timeline.json (plot_run.py)."""
        from run_charts import divergence_chart, timeline_chart
        from run_data import load_run

        trace = load_run(rundir)
        written = []
        timeline_chart(self.plt, trace, self.folder, written)
        divergence_chart(self.plt, trace, self.folder, written)
        if trace.leaders is not None:
            from leader_chart import leaders_chart

            leaders_chart(self.plt, trace, self.folder, written)
        return self._collect(written, prefix)

    def spacetime(self, trace_path, prefix, window=None, highlight=(), caption=""):
        """A space-time diagram (plot_spacetime.py) of `window` (start_ns,
        end_ns), default the script's own (the first partition's start),
        with the operations in `highlight` ringed in red."""
        from plot_common import save
        from spacetime_chart import lane_y, spacetime_chart
        from spacetime_data import DEFAULT_MESSAGES, choose_window, read_view

        start, end = window if window else choose_window(trace_path, DEFAULT_MESSAGES)
        view = read_view(trace_path, start, end)
        opts = {"labels": "auto", "max_messages": 250, "max_ops": 80}
        fig = spacetime_chart(self.plt, view, opts)
        if highlight:
            mark_ops(fig.axes[0], view, lane_y(view), highlight)
        name = anchor(f"{prefix}-spacetime")
        written = []
        save(fig, self.plt, self.folder, f"{name}.png", written)
        chart = self._collect(written, prefix, lambda stem: None)[0]
        level = view.header.get("level")
        if level not in (None, "full") and not view.messages:
            caption += (f" The trace was written at level {esc(level)}: it has no network "
                        "lines, so the diagram has no message arrows (run with "
                        "<code>--trace-level full</code>).")
        chart["id"], chart["alt"], chart["caption"] = name, "space-time diagram", caption
        return chart, (start, end)

    def sweep(self, folder):
        """The sweep charts (plot_sweep.py): one per metric against the
        default x axis, a line per model (or the other axis); each further
        axis with several values fixed in turn (--where), one chart each."""
        from plot_common import save
        from plot_sweep import Sweep, chart

        sweep = Sweep(os.path.join(folder, "sweep.json"))
        out = []
        for x, lines, where in sweep_plans(sweep):
            for m in sweep.metrics:
                suffix = "".join(f"-{k}-{v}" for k, v in where.items())
                written = []
                save(chart(self.plt, sweep, m, x, lines, where), self.plt, self.folder,
                     f"sweep-{m}{suffix}.png", written)
                fixed = ", ".join(f"{k} = {v}" for k, v in where.items())
                cap = (f"{m} against {x}" + (f", a line per {lines}" if lines else "")
                       + ": mean and 95% confidence band" + (f" ({fixed})" if fixed else "")
                       + ".")
                out += self._collect(written, "", lambda stem, c=cap: c)
        return sweep, out


def compact_png(data, colours=PALETTE):
    """The PNG re-encoded with a palette of its `colours` most frequent
    colours, each kept exactly (a chart's fills, lines, text and background
    are its most frequent colours; the anti-aliasing blends between them go
    to the nearest): about a third of the bytes of matplotlib's RGBA PNG.
    Deterministic: the same pixels give the same bytes (ties in frequency
    are broken by the colour's value; no metadata is written)."""
    from PIL import Image

    image = Image.open(io.BytesIO(data)).convert("RGB")
    counts = image.getcolors(image.width * image.height)
    top = sorted(counts, key=lambda c: (-c[0], c[1]))[:colours]
    flat = [v for _, rgb in top for v in rgb]
    palette = Image.new("P", (1, 1))
    palette.putpalette(flat + flat[:3] * (256 - len(top)))
    out = io.BytesIO()
    image.quantize(palette=palette, dither=Image.Dither.NONE).save(out, "PNG", optimize=True)
    return out.getvalue()


def sweep_plans(sweep):
    """[(x, lines, where)]: plot_sweep.py's default x and lines, and one
    `where` for each combination of the other axes' values."""
    import itertools

    from plot_sweep import as_number

    names = list(sweep.axes)
    if not names:
        return []
    numeric = [n for n in names if all(as_number(v) is not None for v in sweep.axes[n])]
    x = (numeric or names)[0]
    others = [n for n in names if n != x]
    named = [n for n in others if n in ("model", "store")]
    lines = named[0] if named else (others[0] if others else None)
    fixed = [n for n in others if n != lines and len(sweep.axes[n]) > 1]
    plans = []
    for combo in itertools.product(*[sweep.axes[n] for n in fixed]):
        plans.append((x, lines, dict(zip(fixed, combo))))
    return plans


def mark_ops(ax, view, y, ops):
    """Marks the slice's operations: a red ring around each one's bar (the
    bars of plot_spacetime sit OP_OFFSET above the node's line), a red bar
    under the line over its request-to-reply span (solid for the operations
    at fault, pale for the rest) and its number and outcome; operations
    outside the window or at nodes not shown are skipped."""
    from spacetime_chart import OP_OFFSET, ms

    width = ms(view, view.end)
    for o in ops:
        if o["node"] not in y:
            continue
        x0 = max(0.0, ms(view, o["invoke"]))
        x1 = min(width, ms(view, o["end"])) if o["end"] is not None else width
        if x1 < 0 or x0 > width:
            continue
        yy = y[o["node"]] - 0.16
        gid = f"slice-op-{o['op']}"
        ax.plot([x0, max(x1, x0 + width / 150)], [yy, yy], color=HIGHLIGHT, lw=7,
                alpha=0.9 if o["at_fault"] else 0.45, solid_capstyle="butt", zorder=7, gid=gid)
        ax.plot((x0 + x1) / 2, y[o["node"]] + OP_OFFSET, marker="o", ms=22, mfc="none",
                mec=HIGHLIGHT, mew=2.2, zorder=7, gid=gid + "-ring")
        late = x0 > 0.7 * width  # label leftwards near the right edge, so it stays inside
        ax.text(max(x1, x0) if late else x0, yy - 0.07, f"op {o['op']}: {o['text']}",
                fontsize=9, color=HIGHLIGHT, va="top", ha="right" if late else "left",
                zorder=8)


def when(ns):
    """A time into the run for captions: 19759900 -> "19.76 ms", 5.2e9 -> "5.2 s"."""
    return f"{ns / 1e6:.4g} ms" if ns < 1e9 else f"{ns / 1e9:.6g} s"
