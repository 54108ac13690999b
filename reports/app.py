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


def stats_data(
    context: Any,
    week: str | None = None,
    now: dt.datetime | None = None,
    *,
    period_days: int = 30,
    forecast_days: int = 30,
) -> dict[str, Any]:
    """Everything the statistics screen shows: the week's figures, the trends up to that week, and the
    collection's maturity, answers and retention over the `period_days` up to the end of that week (or
    now), and the due forecast for the next `forecast_days`."""
    from prepdeck.reports.collection import answers, forecast, maturity_table
    from prepdeck.reports.figures import resolve_week, week_figures
    from prepdeck.reports.trends import trends
    from prepdeck.reports.week import local_date, local_midnight

    store = context.store()
    decks = context.decks()
    now = now or dt.datetime.now(dt.UTC)
    wk = resolve_week(week, now, None)
    # whole local days, today (or the week's Sunday) included, as Anki counts "the last 30 days"
    last_day = min(local_date(now, wk.tz), wk.sunday)
    period_end = local_midnight(last_day + dt.timedelta(days=1), wk.tz)
    with store.snapshot():  # one state of the database for every figure
        return {
            "figures": week_figures(store, decks, wk, now=now),
            "trends": trends(store, wk),
            "maturity": maturity_table(store, decks),
            "period": {
                "days": period_days,
                "last_day": last_day.isoformat(),
                **answers(store, period_end - dt.timedelta(days=period_days), period_end),
            },
            "forecast": forecast(store, decks, now, forecast_days),
        }
