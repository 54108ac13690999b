"""A GitHub-style review heatmap: one ▪ per day, a column per week, shaded by the day's review count."""

from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual.widget import Widget

GLYPH = "▪"
# shades from none to many; chosen to read on dark and light themes alike
LEVEL_STYLES = ("#4a4a4a", "#0e6b32", "#1a9850", "#4cc26b", "#a6e7a0")
DAY_LABELS = ("M", " ", "W", " ", "F", " ", "S")


def level(count: int, peak: int) -> int:
    """0 for no reviews, else 1–4 by the share of the busiest day in view."""
    if count <= 0 or peak <= 0:
        return 0
    return min(4, 1 + (4 * (count - 1)) // max(peak, 1))


def render_heatmap(days: dict[dt.date, int], today: dt.date, weeks: int = 12) -> Text:
    start = today - dt.timedelta(days=today.weekday() + 7 * (weeks - 1))  # Monday, `weeks` weeks ago
    peak = max((n for d, n in days.items() if start <= d <= today), default=0)
    text = Text()
    # month labels over the week where each month starts
    header = [" "] * (2 + weeks * 2)
    last_month = None
    for week in range(weeks):
        monday = start + dt.timedelta(weeks=week)
        if monday.month != last_month:
            label = monday.strftime("%b")
            pos = 2 + week * 2
            if all(c == " " for c in header[max(0, pos - 1) : pos + len(label)]):
                header[pos : pos + len(label)] = list(label)
            last_month = monday.month
    text.append("".join(header[: 2 + weeks * 2]).rstrip() + "\n", style="dim")
    for weekday in range(7):
        text.append(f"{DAY_LABELS[weekday]} ", style="dim")
        for week in range(weeks):
            day = start + dt.timedelta(weeks=week, days=weekday)
            if day > today:
                text.append("  ")
                continue
            count = days.get(day, 0)
            text.append(GLYPH, style=LEVEL_STYLES[level(count, peak)])
            text.append(" ")
        text.append("\n")
    text.append("  less ", style="dim")
    for style in LEVEL_STYLES:
        text.append(GLYPH, style=style)
    text.append(" more", style="dim")
    return text


class Heatmap(Widget):
    DEFAULT_CSS = "Heatmap { height: 9; width: 26; }"

    def __init__(self, weeks: int = 12, **kwargs) -> None:
        super().__init__(**kwargs)
        self.weeks = weeks
        self.days: dict[dt.date, int] = {}
        self.today: dt.date | None = None

    def set_data(self, days: dict[dt.date, int], today: dt.date) -> None:
        self.days, self.today = days, today
        self.refresh()

    def render(self) -> Text:
        if self.today is None:
            return Text("loading…", style="dim")
        return render_heatmap(self.days, self.today, self.weeks)
