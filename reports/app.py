"""The app's entry points into the report (called from Textual workers; no Textual here)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from prepdeck.reports.commands import write_report


def write_week_report(
    context: Any, week: str | None = None, now: dt.datetime | None = None
) -> dict[str, Any]:
    """Write the report of `week` (default: this week) into `$PREPDECK_HOME/reports`; the figures with `files`.

    Raises ReportError (one-line message) when the week is invalid or the folder cannot be written."""
    return write_report(context, week, None, now=now)


def stats_data(context: Any, week: str | None = None, now: dt.datetime | None = None) -> dict[str, Any]:
    """Everything the statistics screen shows: the week's figures and the trends up to that week."""
    from prepdeck.reports.figures import resolve_week, week_figures
    from prepdeck.reports.trends import trends

    store = context.store()
    now = now or dt.datetime.now(dt.UTC)
    wk = resolve_week(week, now, None)
    with store.snapshot():  # one state of the database for every figure
        return {"figures": week_figures(store, context.decks(), wk, now=now), "trends": trends(store, wk)}
