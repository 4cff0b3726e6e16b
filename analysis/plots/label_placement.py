"""Labels for scatter points that do not cover each other: each label tries a
list of positions around its point, nearest first, and takes the first one
that stays inside the axes and overlaps no label placed before it and no
other point. Points that coincide (two models with the same numbers) thus
get their labels stacked instead of printed on top of each other. A label
for which no position fits is left out (a crowded panel: eight models on a
five-sided partition), and place_labels() returns how many were, for the
chart to say so; the panel's title ends "(N not labelled)".

Call after the figure's layout is final (after tight_layout), since the
check works in pixels.
"""

# (dx, dy) offsets in points, nearest first; the sign picks the alignment.
CANDIDATES = [(10, 8), (10, -8), (-10, 8), (-10, -8)] + [
    (sx * 14, sy * d) for d in (34, 60, 86, 112) for sy in (1, -1) for sx in (1, -1)
] + [  # crowded charts (many sides): further out, and sideways
    (sx * dx, sy * d) for d in (8, 34, 60, 86, 112, 138, 164) for dx in (70, 130)
    for sy in (1, -1) for sx in (1, -1)
]
POINT_RADIUS_PX = 9


def place_labels(fig, ax, points, fontsize=11):
    """points: [(x, y, text, colour)] in data coordinates; returns how many
    labels were left out because no position fitted."""
    renderer = fig.canvas.get_renderer()
    inside = ax.get_window_extent(renderer)
    markers = [ax.transData.transform((x, y)) for x, y, _, _ in points]
    taken, left_out = [], 0
    pad = 0.2 * fontsize * fig.dpi / 72 + 1
    for index, (x, y, text, colour) in enumerate(points):
        others = [m for k, m in enumerate(markers) if k != index]
        offset, box = None, None
        for dx, dy in CANDIDATES:
            # Measured without its leader line, whose extent would reach the point.
            trial = annotate(ax, x, y, text, colour, dx, dy, False, fontsize)
            # Grown by the rounded box's padding (0.2 of the font size) and a pixel.
            trial_box = trial.get_window_extent(renderer).padded(pad)
            trial.remove()
            if fits(trial_box, inside, taken, others):
                offset, box = (dx, dy), trial_box
                break
        if offset is None:
            left_out += 1
            continue
        annotate(ax, x, y, text, colour, *offset, True, fontsize)
        taken.append(box)
    if left_out:
        ax.set_title(f"{ax.get_title()} ({left_out} not labelled)".lstrip(),
                     fontsize=ax.title.get_fontsize())
    return left_out


def annotate(ax, x, y, text, colour, dx, dy, leader, fontsize):
    return ax.annotate(
        text, (x, y), xytext=(dx, dy), textcoords="offset points",
        ha="left" if dx > 0 else "right", va="bottom" if dy > 0 else "top",
        fontsize=fontsize, color="black", linespacing=1.1,
        bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": colour,
              "alpha": 0.9},
        arrowprops={"arrowstyle": "-", "color": colour, "linewidth": 1} if leader else None,
        zorder=4,
    )


def fits(box, inside, taken, markers):
    if box.x0 < inside.x0 or box.x1 > inside.x1 or box.y0 < inside.y0 or box.y1 > inside.y1:
        return False
    if any(box.overlaps(t) for t in taken):
        return False
    r = POINT_RADIUS_PX
    return not any(box.x0 - r < mx < box.x1 + r and box.y0 - r < my < box.y1 + r
                   for mx, my in markers)
