"""The pieces of `consim report`'s HTML page: escaping, tables, embedded
charts, the style sheet and the atomic write.

Invariants: the page is one self-contained file. Charts are embedded as
data: URIs (PNG, html_charts.py), the style sheet is
inline, there is no script, and the page's Content-Security-Policy forbids
loading anything from anywhere (default-src 'none'), so a page that shows
anything shows it without the network. Nothing here reads the clock: the
same parts give the same bytes. The page is written to a temporary name
beside the target and renamed when complete, so a failed report never
leaves a half-written file.
"""

import base64
import html
import os

from plot_common import OutputError

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;
 margin:0 auto;max-width:1280px;padding:0 24px 48px;color:#1a1a1a;background:#fff;line-height:1.45}
h1{font-size:1.7em;margin:24px 0 4px}
h2{margin-top:40px;border-bottom:2px solid #ddd;padding-bottom:4px}
h3{margin-top:28px}.sub{color:#555;margin:0 0 16px}
table{border-collapse:collapse;margin:8px 0 16px;font-size:0.9em}
th,td{border:1px solid #d0d0d0;padding:3px 8px;text-align:right;vertical-align:top}
th{background:#f2f2f2}td.l,th.l{text-align:left}td:not(.l){white-space:nowrap}
tr.fault td{background:#fff7e6}tr.total td{font-weight:600;background:#f7f7f7}
.valid{background:#e3f4e8;color:#0b6b2e}.invalid{background:#fde2e0;color:#a01b12;font-weight:600}
.unknown{background:#eeeeee;color:#555}
.valid,.invalid,.unknown{text-align:center}td.invalid a{color:#a01b12}
figure{margin:16px 0 28px}figure img{max-width:100%;height:auto;border:1px solid #e5e5e5}
figcaption{color:#444;font-size:0.92em;margin-top:4px}
.swatch{display:inline-block;width:0.8em;height:0.8em;margin-right:6px;border-radius:2px;
 vertical-align:baseline}
details{margin:6px 0}summary{cursor:pointer}pre{background:#f7f7f7;padding:8px;overflow-x:auto;
 font-size:0.85em}code{font-size:0.92em}.note{color:#666;font-size:0.9em}
tr.fault-op td{background:#fde2e0}nav ul{columns:2;padding-left:20px}
"""

CSP = ("default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
       "script-src 'none'; base-uri 'none'; form-action 'none'")


def esc(value):
    return html.escape("" if value is None else str(value), quote=True)


def anchor(text):
    """A stable id from a heading: "eventual-async: verdicts" -> "eventual-async-verdicts"."""
    out = "".join(c.lower() if c.isalnum() else "-" for c in str(text))
    return "-".join(p for p in out.split("-") if p) or "section"


def percent(v, digits=1):
    return "–" if v is None else f"{100 * v:.{digits}f}%"


def number(v, digits=1):
    return "–" if v is None else f"{v:.{digits}f}"


def ms_value(v):
    """A latency in ms to 3 significant digits, trailing zeros kept: 1.0 ->
    "1.00", 93.1384 -> "93.1", 204.2 -> "204", 0.00123 -> "0.00123", 0 -> "0",
    1234.5 -> "1234"."""
    if v is None:
        return "–"
    if v == 0 or abs(v) >= 999.5:
        return f"{v:.0f}"
    return format(v, "#.3g").rstrip(".")


def table(header, rows, left=1, row_classes=None):
    """An HTML table; the first `left` columns (or the indices in the set
    `left`) are left-aligned. Cells are escaped unless given as ("raw",
    html) or ("class", css class, text[, link target])."""

    def cell(tag, value, i):
        is_left = i in left if isinstance(left, (set, frozenset)) else i < left
        cls = ' class="l"' if is_left else ""
        if isinstance(value, tuple) and value[0] == "raw":
            return f"<{tag}{cls}>{value[1]}</{tag}>"
        if isinstance(value, tuple) and value[0] == "class":
            text = esc(value[2])
            if len(value) > 3 and value[3]:
                text = f'<a href="#{esc(value[3])}">{text}</a>'
            return f'<{tag} class="{esc(value[1])}">{text}</{tag}>'
        return f"<{tag}{cls}>{esc(value)}</{tag}>"

    out = ["<table>", "<tr>" + "".join(cell("th", h, i) for i, h in enumerate(header)) + "</tr>"]
    for n, row in enumerate(rows):
        cls = row_classes[n] if row_classes and row_classes[n] else ""
        attr = f' class="{cls}"' if cls else ""
        out.append(f"<tr{attr}>" + "".join(cell("td", v, i) for i, v in enumerate(row)) + "</tr>")
    out.append("</table>")
    return "\n".join(out)


def verdict_cell(verdict, text=None, link=None):
    """A table cell coloured by the verdict, linking to `link` (an id) if given."""
    v = verdict if verdict in ("valid", "invalid", "unknown") else "unknown"
    return ("class", v, text if text is not None else verdict, link)


def swatch(colour):
    return f'<span class="swatch" style="background:{esc(colour)}"></span>'


def figure(chart):
    """A <figure> for a chart dict {"data", "mime", "alt", "caption", "id"}."""
    data = base64.b64encode(chart["data"]).decode("ascii")
    size = chart.get("size")
    dims = f' width="{size[0]}" height="{size[1]}"' if size else ""
    return (f'<figure id="{esc(chart["id"])}"><img src="data:{chart["mime"]};base64,{data}"'
            f'{dims} alt="{esc(chart["alt"])}"><figcaption>{chart["caption"]}</figcaption>'
            f"</figure>")


def page(title, subtitle, sections):
    """The whole document. sections: [(heading, html)], each an <h2> with an
    id, listed in the table of contents."""
    toc = "".join(f'<li><a href="#{anchor(h)}">{esc(h)}</a></li>' for h, _ in sections)
    body = "\n".join(f'<section><h2 id="{anchor(h)}">{esc(h)}</h2>\n{content}\n</section>'
                     for h, content in sections)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        f"<h1>{esc(title)}</h1>\n<p class=\"sub\">{subtitle}</p>\n"
        f"<nav><ul>{toc}</ul></nav>\n{body}\n"
        '<p class="note">Made by <code>consim report</code> (docs/report-html.md).</p>\n'
        "</body>\n</html>\n")


def write_atomically(path, text):
    """Writes `text` to `path` via a temporary file in the same folder and a
    rename; OutputError (naming the path) if it cannot."""
    folder = os.path.dirname(os.path.abspath(path))
    temp = os.path.join(folder, f".{os.path.basename(path)}.tmp-{os.getpid()}")
    if os.path.isdir(path):
        raise OutputError(f"{path}: is a folder; give --out a file name")
    try:
        with open(temp, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(temp, path)
    except OSError as e:
        try:
            os.unlink(temp)
        except OSError:
            pass
        raise OutputError(f"{path}: cannot write: {e.strerror or e}") from None
