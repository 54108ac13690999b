"""The report's charts, drawn by pygal and inlined as SVG strings.

Why pygal and not matplotlib: pygal is pure Python (no compiled backend, no font cache to build on first
run), its native output is SVG — exactly what a self-contained HTML page inlines and prints crisply — and it
is small to import (~0.1 s against ~0.5 s+ for matplotlib). Its one network dependency, a tooltip script
loaded from a CDN, is switched off (`js=[]`), so the page loads nothing from anywhere.
"""

from __future__ import annotations

import re
from typing import Any

# fixed colours: print well on white, tell the series apart in grey-scale, and let the browser test find them
INK = "#1d2733"
COLORS = ("#2f6fdf", "#f08c2e", "#2a9d62", "#c2410c", "#7c3aed", "#0891b2")


def _style():
    from pygal.style import Style

    return Style(
        background="#ffffff",
        plot_background="#ffffff",
        foreground=INK,
        foreground_strong=INK,
        foreground_subtle="#d0d6de",
        opacity="1",
        opacity_hover="1",
        transition="0s",
        colors=COLORS,
        font_family="system-ui, -apple-system, 'Segoe UI', sans-serif",
        label_font_size=13,
        major_label_font_size=13,
        value_font_size=12,
        legend_font_size=13,
        title_font_size=16,
        tooltip_font_size=12,
    )


def _config(**extra: Any) -> dict[str, Any]:
    return {
        "style": _style(),
        "js": [],
        "disable_xml_declaration": True,
        "width": 720,
        "height": 300,
        "explicit_size": False,
        "show_legend": False,
        "margin": 12,
        "print_values": False,
        "include_x_axis": True,
        "print_zeroes": False,
        **extra,
    }


_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.DOTALL)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def _svg(chart: Any) -> str:
    """The chart as an inline SVG string, without pygal's tooltip-config script and banner comments:
    the page is static and must not even mention a script."""
    return _COMMENT.sub("", _SCRIPT.sub("", chart.render(is_unicode=True)))


def _count_ticks(values: list[int]) -> list[int]:
    """Whole-number y ticks (pygal would label counts 0.2, 0.4, …), at most about six of them."""
    top = max([*values, 1])
    step = max(1, -(-top // 6))
    return list(range(0, top + step, step))


def reviews_per_day(per_day: list[dict[str, Any]]) -> str:
    import pygal

    counts = [d["reviews"] for d in per_day]
    chart = pygal.Bar(**_config(title="Reviews per day", print_values=True, y_labels=_count_ticks(counts)))
    chart.x_labels = [_weekday(d["date"]) for d in per_day]
    chart.add("reviews", counts)
    return _svg(chart)


def forecast(days: list[dict[str, Any]]) -> str:
    import pygal

    chart = pygal.Bar(
        **_config(
            title="Cards due, next 14 days",
            print_values=True,
            y_labels=_count_ticks([d["due"] for d in days]),
        )
    )
    chart.x_labels = [d["date"][5:] for d in days]
    chart.add("due", [d["due"] for d in days])
    return _svg(chart)


def retention_by_round(by_round: dict[str, dict[str, Any]], titles: dict[str, str]) -> str:
    import pygal

    chart = pygal.Bar(
        **_config(
            title="Retention by round (%)",
            show_legend=True,
            legend_at_bottom=True,
            range=(0, 100),
            print_values=True,
        )
    )
    chart.x_labels = [titles[r] for r in by_round]
    chart.add("last week", [_pct(v["last_week"]) for v in by_round.values()])
    chart.add("this week", [_pct(v["this_week"]) for v in by_round.values()])
    return _svg(chart)


def scores(rounds: dict[str, dict[str, Any]]) -> str:
    """Each round's score as a share of its maximum, beside its pass line."""
    import pygal

    chart = pygal.HorizontalBar(
        **_config(
            title="Rubric score vs pass line (% of max)",
            show_legend=True,
            legend_at_bottom=True,
            range=(0, 100),
            print_values=True,
        )
    )
    chart.x_labels = [r["title"] for r in rounds.values()]
    chart.add(
        "score",
        [None if r["score"] is None else round(100 * r["score"] / r["max"], 1) for r in rounds.values()],
    )
    chart.add("pass line", [round(100 * r["pass"] / r["max"], 1) for r in rounds.values()])
    return _svg(chart)


def speech_trend(items: list[dict[str, Any]]) -> str:
    import pygal

    top = max([12.0, *(it["fillers_per_minute"] or 0 for it in items)])
    chart = pygal.Line(
        **_config(
            title="Spoken answers: fillers per minute (left) and pace in wpm (right)",
            show_legend=True,
            legend_at_bottom=True,
            dots_size=4,
            print_values=False,
            range=(0, top),
            secondary_range=(0, 240),
            formatter=lambda v: f"{v:.0f}",
        )
    )
    chart.x_labels = [f"{i + 1}: {it['at'][5:]}" for i, it in enumerate(items)]
    chart.add("fillers / min", [it["fillers_per_minute"] for it in items])
    chart.add("words / min", [it["wpm"] for it in items], secondary=True)
    return _svg(chart)


def mock_trend(mocks: dict[str, list[dict[str, Any]]], titles: dict[str, str]) -> str:
    import pygal

    longest = max((len(v) for v in mocks.values()), default=0)
    chart = pygal.Line(
        **_config(
            title="Mock interviews (% of max, oldest → newest)",
            show_legend=True,
            legend_at_bottom=True,
            range=(0, 100),
            dots_size=4,
        )
    )
    chart.x_labels = [str(i + 1) for i in range(longest)]
    for round_, rows in mocks.items():
        chart.add(
            titles.get(round_, round_),
            [None if m["share"] is None else round(100 * m["share"], 1) for m in rows],
        )
    return _svg(chart)


def all_charts(fig: dict[str, Any]) -> dict[str, str]:
    titles = {k: r["title"] for k, r in fig["rounds"].items()}
    charts = {
        "per_day": reviews_per_day(fig["per_day"]),
        "forecast": forecast(fig["forecast"]),
        "retention": retention_by_round(fig["retention_by_round"], titles),
        "scores": scores(fig["rounds"]),
    }
    if fig["speech"]["items"]:
        charts["speech"] = speech_trend(fig["speech"]["items"])
    if fig["mocks"]["rounds"]:
        charts["mocks"] = mock_trend(fig["mocks"]["rounds"], titles)
    return charts


def _pct(x: float | None) -> float | None:
    return None if x is None else round(100 * x, 1)


def _weekday(iso: str) -> str:
    import datetime as dt

    return dt.date.fromisoformat(iso).strftime("%a %d")
