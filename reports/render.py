"""Rendering the figures into the HTML and Markdown report with Jinja."""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from pathlib import Path
from typing import Any

from prepdeck.core.retention import LABEL as RETENTION_LABEL
from prepdeck.core.retention import MATURE_DAYS, percent
from prepdeck.core.retention import MEANING as RETENTION_MEANING

TEMPLATES = Path(__file__).resolve().parent / "templates"
HEAT_LEVELS = ("#eef1f5", "#c6dbf7", "#8db5ef", "#4a86e0", "#1f4fa8")
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _num(x: float | None, digits: int = 1, none: str = "—") -> str:
    if x is None:
        return none
    return f"{x:.{digits}f}".rstrip("0").rstrip(".") if digits else f"{x:.0f}"


_pct = percent  # every share as retention shows it


def _signed(x: float | None, none: str = "") -> str:
    if x is None:
        return none
    return f"{x:+.1f}".replace(".0", "") if x else "±0"


def _cell(text: object) -> str:
    """Text for one Markdown table cell: user-written titles may hold line breaks ('|' is escaped by
    `_md_text`, as every value of the Markdown report is)."""
    return " ".join(str(text).split())


_MD_SPECIAL = re.compile(r"([\\`*_\[\]!|#~])")


def _md_text(value: object) -> object:
    """Every value placed in the Markdown report: deck titles and tags are the user's or a stranger's text,
    so HTML (`<script>`), links and images (`![](http://tracker)`) and emphasis show as written."""
    if not isinstance(value, str):
        return value
    text = value.replace("<", "&lt;").replace(">", "&gt;")  # no tag can form; a lone '&' is harmless
    return _MD_SPECIAL.sub(r"\\\1", text)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _bar(value: float, top: float, width: int = 20) -> str:
    filled = round(width * value / top) if top else 0
    return "█" * filled + "·" * (width - filled)


@cache
def _env(cache_dir: Path | None = None, markdown: bool = False):
    import jinja2

    bytecode_cache = None
    if cache_dir is not None:
        try:  # compiled templates are kept: the report is written weekly, compiling costs ~0.1 s
            cache_dir.mkdir(parents=True, exist_ok=True)
            bytecode_cache = jinja2.FileSystemBytecodeCache(str(cache_dir))
        except OSError:
            bytecode_cache = None
    env = jinja2.Environment(
        bytecode_cache=bytecode_cache,
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "html.j2"), default_for_string=False),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=_md_text if markdown else None,
    )
    env.filters.update(num=_num, pct=_pct, signed=_signed, bar=_bar, plural=_plural, cell=_cell)
    return env


def heatmap_grid(days: list[dict[str, Any]]) -> dict[str, Any]:
    """The heatmap as weeks (columns) × weekdays (rows), each cell with its level 0-4."""
    top = max((d["reviews"] for d in days), default=0)
    cells = []
    for d in days:
        n = d["reviews"]
        level = -(-4 * n // top) if top else 0  # quarters of the busiest day, rounded up: any review shows
        cells.append({**d, "level": level, "color": HEAT_LEVELS[level]})
    weeks = [cells[i : i + 7] for i in range(0, len(cells), 7)]
    rows = [[week[day] for week in weeks] for day in range(7)]
    return {
        "rows": list(zip(DAY_NAMES, rows, strict=True)),
        "weeks": [w[0]["date"] for w in weeks],
        "max": top,
        "levels": HEAT_LEVELS,
    }


def _context(fig: dict[str, Any]) -> dict[str, Any]:
    start, end = dt.date.fromisoformat(fig["start"]), dt.date.fromisoformat(fig["end"])
    return {
        "f": fig,
        "heat": heatmap_grid(fig["heatmap"]),
        "span": f"{start:%a %d %b} – {end:%a %d %b %Y}",
        "retention_text": {
            "label": RETENTION_LABEL,
            "meaning": RETENTION_MEANING,
            "mature_days": MATURE_DAYS,
        },
    }


def render_html(fig: dict[str, Any], cache_dir: Path | None = None) -> str:
    from prepdeck.reports.charts import all_charts

    return _env(cache_dir).get_template("report.html.j2").render(**_context(fig), charts=all_charts(fig))


def render_md(fig: dict[str, Any], cache_dir: Path | None = None) -> str:
    return _env(cache_dir, markdown=True).get_template("report.md.j2").render(**_context(fig))
