"""A bar chart drawn with block characters, for counts per day in a few rows of text (the statistics
screen's due forecast): it fits any width by putting several days in a column when they do not fit one each."""

from __future__ import annotations

import math

BLOCKS = " ▁▂▃▄▅▆▇█"  # eighths of a cell, bottom up
LABEL_GAP = 1


def day_label(offset: int) -> str:
    return "today" if offset == 0 else f"+{offset}d"


def days_per_column(days: int, room: int) -> int:
    """How many days one bar stands for when `days` bars must fit `room` cells."""
    return math.ceil(days / max(8, room))


def day_bars(values: list[int], width: int, height: int = 4) -> list[str]:
    """`values` (one per day from today) as `height` rows of bars, an axis and a row of day labels, every
    line at most `width` cells. A day with any count shows at least a sliver."""
    if not values:
        return []
    # the top count's width is not known before the days are grouped: room for a sum of all of them
    gutter = len(str(sum(values))) + 1
    room = max(8, width - gutter)
    per = days_per_column(len(values), width - gutter)
    buckets = [sum(values[i : i + per]) for i in range(0, len(values), per)]
    cell = 2 if 2 * len(buckets) <= room else 1  # a gap between bars when there is room for one
    peak = max(buckets) or 1
    gutter = len(str(max(buckets))) + 1  # the top count (of a column), then the axis
    lines = []
    for row in range(height, 0, -1):
        cells = []
        for v in buckets:
            eighths = max(1, round(v / peak * height * 8)) if v else 0
            fill = min(8, max(0, eighths - (row - 1) * 8))
            cells.append(BLOCKS[fill].ljust(cell))
        left = f"{max(buckets)}┤" if row == height else " " * (gutter - 1) + "│"
        lines.append((left + "".join(cells)).rstrip())
    span = len(buckets) * cell
    # ticks every week (or more) so the labels never overlap
    widest = len(day_label(len(values))) + LABEL_GAP
    step = next((s for s in (7, 14, 28, 30, 60, 90) if s // per * cell >= widest), max(7, len(values)))
    ticks = range(0, len(values), step)
    axis = list("─" * span)
    labels = [" "] * (span + widest)
    for d in ticks:
        col = d // per * cell
        axis[col] = "┬"
        text = day_label(d)
        if col + len(text) <= len(labels):
            labels[col : col + len(text)] = text
    lines.append(" " * (gutter - 1) + "└" + "".join(axis))
    lines.append((" " * gutter + "".join(labels)).rstrip()[:width])
    return lines
