"""Shared pieces of consim's chart scripts: input errors, checked JSON access,
the colour of each store model, slide styling and saving.

Invariants: every problem with the input becomes an InputError whose message
names the file, the JSON path (or line) and the problem, on one line; the
scripts turn it into exit code 3 (as `consim` does, docs/cli.md) and never
show a Python traceback. A model keeps one colour in every chart: the three
built-in models have fixed colours, any other model takes the next free one
in the order the comparison lists the models.
"""

import json
import os
import sys
import textwrap

EXIT_BAD_INPUT = 3
EXIT_BAD_COMMAND_LINE = 4
EXIT_CANNOT_WRITE = 5
EXIT_NO_MATPLOTLIB = 1
EXIT_INTERNAL = 70

# Okabe-Ito colours: distinguishable with the common colour blindnesses.
FIXED_MODEL_COLOURS = {
    "strong-2pc": "#0072B2",  # blue
    "eventual-async": "#E69F00",  # orange
    "causal": "#009E73",  # green
}
SPARE_COLOURS = ["#CC79A7", "#56B4E9", "#D55E00", "#000000", "#F0E442"]

DPI = 150  # save() writes at this; consim report's page draws at 100 (set_dpi)
SLIDE_SIZE = (12.8, 7.2)  # inches: 1920 x 1080 pixels at 150 dpi


def set_dpi(dpi):
    """Makes save() write every later chart at `dpi`; returns the previous value."""
    global DPI
    previous, DPI = DPI, dpi
    return previous


class InputError(Exception):
    """Bad input: the message is "FILE: WHERE: PROBLEM"."""


class OutputError(Exception):
    """A chart could not be written."""


def import_pyplot():
    """matplotlib.pyplot with the Agg backend, or a one-line exit."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print(
            "this Python has no matplotlib: run the script with $(scripts/find-python.sh)",
            file=sys.stderr,
        )
        sys.exit(EXIT_NO_MATPLOTLIB)
    apply_slide_style(plt)
    return plt


def apply_slide_style(plt):
    plt.rcParams.update(
        {
            "font.size": 13,
            "axes.titlesize": 15,
            "axes.labelsize": 14,
            "xtick.labelsize": 12,
            "ytick.labelsize": 12,
            "legend.fontsize": 12,
            "figure.titlesize": 18,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "axes.axisbelow": True,
        }
    )


def load_json(path):
    """The parsed JSON object in `path`; InputError if missing or malformed."""
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(f"{path}: cannot read: {e}") from None
    try:
        value = json.loads(text)
    except json.JSONDecodeError as e:
        raise InputError(f"{path}: line {e.lineno}, column {e.colno}: {e.msg}") from None
    if not isinstance(value, dict):
        raise InputError(f"{path}: $: expected a JSON object")
    return value


class Doc:
    """A JSON value with the file and path it came from, for error messages.

    Worked example: Doc(report, "r.json").at("phases").item(2).number("end_ms")
    raises "r.json: $.phases[2].end_ms: expected a number, got null" when the
    value is null.
    """

    def __init__(self, value, file, path="$"):
        self.value, self.file, self.path = value, file, path

    def fail(self, problem):
        raise InputError(f"{self.file}: {self.path}: {problem}")

    def _child(self, key):
        if not isinstance(self.value, dict):
            self.fail("expected an object")
        if key not in self.value:
            self.fail(f'missing "{key}"')
        return Doc(self.value[key], self.file, f"{self.path}.{key}")

    def at(self, key):
        """The member `key`, which must be an object."""
        child = self._child(key)
        if not isinstance(child.value, dict):
            child.fail(f"expected an object, got {describe(child.value)}")
        return child

    def items(self, key):
        """The members of the array `key`, as Docs."""
        child = self._child(key)
        if not isinstance(child.value, list):
            child.fail(f"expected an array, got {describe(child.value)}")
        return [Doc(v, self.file, f"{child.path}[{i}]") for i, v in enumerate(child.value)]

    def string(self, key):
        child = self._child(key)
        if not isinstance(child.value, str):
            child.fail(f"expected a string, got {describe(child.value)}")
        return child.value

    def number(self, key, optional=False):
        """A number; with optional=True, null (or absent) gives None."""
        if optional and (not isinstance(self.value, dict) or self.value.get(key) is None):
            if not isinstance(self.value, dict):
                self.fail("expected an object")
            return None
        child = self._child(key)
        if isinstance(child.value, bool) or not isinstance(child.value, (int, float)):
            child.fail(f"expected a number, got {describe(child.value)}")
        return float(child.value)

    def integer(self, key):
        child = self._child(key)
        if isinstance(child.value, bool) or not isinstance(child.value, int):
            child.fail(f"expected an integer, got {describe(child.value)}")
        return child.value

    def boolean(self, key):
        child = self._child(key)
        if not isinstance(child.value, bool):
            child.fail(f"expected true or false, got {describe(child.value)}")
        return child.value

    def raw(self, key, default=None):
        return self.value.get(key, default) if isinstance(self.value, dict) else default


def describe(value):
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return "an array" if isinstance(value, list) else "an object"


def model_colours(models):
    """{model: colour}, fixed for the built-in models, in order otherwise."""
    colours, spare = {}, iter(SPARE_COLOURS * (1 + len(models) // len(SPARE_COLOURS)))
    for m in models:
        colours[m] = FIXED_MODEL_COLOURS.get(m) or next(spare)
    return colours


def subtitle(scenario, seed, model=None):
    """The line under every title: which run the chart is about."""
    text = f'scenario "{scenario}", seed {seed}'
    return f"{text}, model {model}" if model else text


NOTE_LINE = 0.025  # of the slide's height: one line of the 10-point note


def lay_out(fig, title, sub, top=0.85, note=None, bottom=None):
    """Fits the axes below `top` (a fraction of the height) and above
    `bottom` (default: room for `note`), then puts the title and the run's
    subtitle above them and `note` in small print at the bottom, wrapped to
    the slide's width. Legends placed afterwards go between `top` and the
    title. Returns the note's text artist (None without a note)."""
    text = None
    if note:
        text = fig.text(0.01, 0.01, note, fontsize=10, color="#555555")
        lines = wrap_to_width(fig, text)
        if bottom is None:
            bottom = 0.01 + NOTE_LINE * lines
    fig.tight_layout(rect=(0, bottom or 0, 1, top))
    fig.suptitle(f"{title}\n{sub}", fontsize=17, y=0.99, va="top")
    return text


def wrap_to_width(fig, text, margin=0.01):
    """Wraps a figure text (placed at the left margin) onto as many lines as
    it needs to end `margin` before the right edge; returns the line count.
    Worked example: a 1,700 px note on a 1,920 px slide fits (1 line); one
    of 2,600 px becomes 2 lines of about 1,300 px."""
    renderer = fig.canvas.get_renderer()
    room = fig.bbox.width * (1 - 2 * margin)
    words = " ".join(text.get_text().split())
    width = text.get_window_extent(renderer).width
    columns = len(words)
    while width > room and columns > 20:
        columns = int(columns * min(0.95, room / width))
        text.set_text("\n".join(textwrap.wrap(words, width=columns)))
        width = text.get_window_extent(renderer).width
    return text.get_text().count("\n") + 1


def legend_patch(colour, label, alpha=1.0):
    from matplotlib.patches import Patch

    return Patch(color=colour, alpha=alpha, label=label)


def model_legend(fig, models, colours, extra=()):
    """Colour swatches right-aligned just above the axes (call after lay_out)."""
    handles = [legend_patch(colours[m], m) for m in models] + list(extra)
    return fit_legend(fig, handles, 0.85)


# Legend spacing, roomy first, then tighter (in font sizes).
LEGEND_SPACINGS = [{}, {"columnspacing": 0.8, "handlelength": 1.4, "handletextpad": 0.5}]
MARGIN_PX = 4


def fit_legend(fig, handles, anchor_y, x=0.99, loc="lower right", **options):
    """A figure legend anchored at (x, anchor_y) that stays on the slide: one
    row if it fits the figure's width (tighter spacing first), otherwise as
    few rows as fit; when its rows would reach the title, the axes are
    squeezed down to make room and the legend moves down with them.

    Worked example: eight models at font size 12 take 1,330 px in one row on a
    1,920 px slide with the default spacing (fits); ten would not, so they
    become two rows of five, and the axes lose one row's height."""
    renderer = fig.canvas.get_renderer()
    width = fig.bbox.width
    legend = None
    for ncol in range(len(handles), 0, -1):
        for spacing in LEGEND_SPACINGS:
            legend = fig.legend(handles=handles, loc=loc, ncol=ncol,
                                bbox_to_anchor=(x, anchor_y), frameon=False,
                                **spacing, **options)
            box = legend.get_window_extent(renderer)
            if box.x0 >= MARGIN_PX and box.x1 <= width - MARGIN_PX or ncol == 1:
                return _below_title(fig, legend, anchor_y, renderer)
            legend.remove()
    return legend


def _below_title(fig, legend, anchor_y, renderer):
    """Moves the legend (and squeezes the axes) down until it clears the title."""
    title = getattr(fig, "_suptitle", None)
    ceiling = (title.get_window_extent(renderer).y0 if title is not None
               else fig.bbox.height) - MARGIN_PX
    overflow = legend.get_window_extent(renderer).y1 - ceiling
    if overflow <= 0:
        return legend
    drop = overflow / fig.bbox.height
    axes = [ax.get_position() for ax in fig.axes]
    floor = min(p.y0 for p in axes)
    scale = (anchor_y - drop - floor) / (anchor_y - floor)
    for ax, p in zip(fig.axes, axes):
        ax.set_position([p.x0, floor + (p.y0 - floor) * scale, p.width, p.height * scale])
    anchor = legend.get_bbox_to_anchor().transformed(fig.transFigure.inverted())
    legend.set_bbox_to_anchor((anchor.x0, anchor_y - drop), transform=fig.transFigure)
    return legend


def wrap_label(text, width=16):
    return "\n".join(textwrap.wrap(text, width=width, break_long_words=True)) or text


def seconds_label(ms):
    """5000.0 -> "5 s", 2500.0 -> "2.5 s", 250.0 -> "0.25 s"."""
    return f"{ms / 1000:.3g} s"


def save(fig, plt, folder, name, written):
    """Writes folder/name at DPI (150) and records the path; OutputError on failure."""
    path = os.path.join(folder, name)
    try:
        try:
            os.makedirs(folder, exist_ok=True)
        except OSError as e:
            problem = e.strerror or e
            raise OutputError(f"{folder}: cannot create the charts folder: {problem}") from None
        fig.savefig(path, dpi=DPI)
    except OSError as e:
        raise OutputError(f"{path}: cannot write: {e.strerror or e}") from None
    finally:
        plt.close(fig)
    written.append(path)


def run_main(program, main):
    """Runs main(argv) and maps failures to consim's exit codes, one line each."""
    sys.dont_write_bytecode = True
    try:
        return main(sys.argv[1:])
    except InputError as e:
        print(f"{program}: {e}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OutputError as e:
        print(f"{program}: {e}", file=sys.stderr)
        return EXIT_CANNOT_WRITE
    except KeyboardInterrupt:
        return 130
    except Exception as e:  # a bug, not bad input: still one line, no traceback
        if os.environ.get("CONSIM_PLOTS_DEBUG"):
            raise
        print(f"{program}: internal error (a bug; set CONSIM_PLOTS_DEBUG=1 for the traceback): "
              f"{type(e).__name__}: {e}", file=sys.stderr)
        return EXIT_INTERNAL
