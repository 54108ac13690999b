"""`prepdeck report [--week YYYY-Www] [--out DIR] [--json]` (docs/cli.md)."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from prepdeck.core.paths import reports_dir
from prepdeck.decks.text import json_text


class ReportError(Exception):
    """A problem the user must fix (bad week, unwritable folder); one line."""


def write_report(
    context: Any,
    week: str | None = None,
    out: str | Path | None = None,
    now: dt.datetime | None = None,
    tz: dt.tzinfo | None = None,
) -> dict[str, Any]:
    """Compute the figures, write `report-YYYY-Www.html` and `.md` into `out`; return the figures with paths.

    Used by the CLI and by the app's statistics screen (from a worker thread)."""
    from prepdeck.core.store import StoreError
    from prepdeck.reports.figures import week_figures
    from prepdeck.reports.render import render_html, render_md
    from prepdeck.reports.week import Week, WeekError

    try:
        wk = Week.parse(week, tz) if week else None
    except WeekError as exc:
        raise ReportError(str(exc)) from None
    folder = Path(out).expanduser() if out else reports_dir(context.home)
    _check_writable(folder)
    try:
        store = context.store()
        decks = context.decks()
        with store.snapshot():  # every figure from one state of the database; writers go on meanwhile
            fig = week_figures(store, decks, wk, now=now, tz=tz)
    except StoreError as exc:
        raise ReportError(str(exc)) from None
    fig["plan"] = plan_figures(context, now)
    fig["stories"] = story_figures(context)
    html_path = folder / f"report-{fig['week']}.html"
    md_path = folder / f"report-{fig['week']}.md"
    fig["files"] = {"html": str(html_path), "md": str(md_path)}
    cache = context.home / "cache" / "templates"
    _write(html_path, render_html(fig, cache))
    _write(md_path, render_md(fig, cache))
    return fig


def plan_figures(context: Any, now: dt.datetime | None) -> dict[str, Any] | None:
    """The interview plan's readiness forecast while a plan runs (None without one)."""
    from prepdeck.core.plan import load_settings
    from prepdeck.core.scheduler import Scheduling
    from prepdeck.core.store import utcnow
    from prepdeck.reports.readiness import readiness

    moment = now or utcnow()
    settings = load_settings(context.store())
    scheduling = Scheduling(context.store(), context.decks(), context.config)
    if settings is None or settings.date <= scheduling.today_day(moment):
        return None
    data = readiness(context, scheduling, settings, moment)
    return {k: v for k, v in data.items() if k != "daily"}


def story_figures(context: Any) -> dict[str, Any] | None:
    """The story bank for the behavioral section: how many stories, the gaps, the over-used ones."""
    from prepdeck.core.stories import competencies_for, list_stories, matrix

    stories = list_stories(context.store())
    if not stories:
        return None
    bank = matrix(stories, competencies_for(context.config.stories.principles))
    titles = {s.id: s.title for s in stories}
    return {"count": len(stories), "gaps": bank.gaps, "overused": [titles[i] for i in bank.overused]}


def _check_writable(folder: Path) -> None:
    """Fail before any work when the folder cannot take the report (not a folder, no permission)."""
    if folder.exists() and not folder.is_dir():
        raise ReportError(f"cannot write the report: {folder} is not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".prepdeck-", delete=True):
            pass
    except ReportError:
        raise
    except OSError as exc:
        raise ReportError(f"cannot write the report into {folder}: {exc.strerror or exc}") from None


def _write(path: Path, text: str) -> None:
    """Write next to the target and rename, so a reader never sees half a report."""
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ReportError(f"cannot write {path}: {exc.strerror or exc}") from None


def summary(fig: dict[str, Any]) -> str:
    from prepdeck.core.retention import LABEL as RETENTION_LABEL
    from prepdeck.core.retention import percent

    def score(r: dict[str, Any]) -> str:
        if r["score"] is None:
            return f"{r['title']} —"
        verdict = {True: "pass", False: "below pass", None: "partial"}[r["passed"]]
        return f"{r['title']} {r['score']:g}/{r['max']} ({verdict})"

    lines = [
        f"week {fig['week']} ({fig['start']} – {fig['end']}): {fig['reviews']} reviews of "
        f"{fig['cards_reviewed']} cards, {fig['minutes']:g} min, "
        f"{RETENTION_LABEL.lower()} {percent(fig['retention'])}" + (" — no activity" if fig["empty"] else ""),
        "scores: " + " · ".join(score(r) for r in fig["rounds"].values()),
    ]
    if fig["focus"]:
        lines.append("focus: " + fig["focus"][0])
    lines.append(f"wrote {fig['files']['html']}")
    lines.append(f"wrote {fig['files']['md']}")
    return "\n".join(lines)


def report(args: argparse.Namespace) -> int:
    from prepdeck.core.context import Context
    from prepdeck.core.store import StoreError

    try:
        context = Context.for_command(args)
        try:
            fig = write_report(context, args.week, args.out)
        finally:
            context.close()
    except (ReportError, StoreError) as exc:
        print(f"prepdeck report: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json_text(fig))
    else:
        print(summary(fig))
    return 0
