"""Week-by-week trends for the app's statistics screen: retention per week, reviews per day, and the
delivery of the latest spoken answers. Plain data, no Textual."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from prepdeck.core.retention import SEEN_BEFORE_SQL, retention
from prepdeck.core.store import Store, to_iso
from prepdeck.reports.figures import day_counts
from prepdeck.reports.week import Week, local_date


def trends(
    store: Store, week: Week, *, weeks: int = 12, days: int = 30, recordings: int = 30
) -> dict[str, Any]:
    """Up to the end of `week`: reviews per local day (last `days`), retention per ISO week (last `weeks`),
    and fillers/min and pace of the last `recordings` analysed spoken answers."""
    end = week.bounds()[1]
    first = week
    for _ in range(weeks - 1):
        first = first.previous()
    start = first.bounds()[0]

    counts = day_counts(store, end, week.tz)
    last_day = week.sunday
    per_day = [
        {
            "date": (last_day - dt.timedelta(days=i)).isoformat(),
            "reviews": counts.get(last_day - dt.timedelta(days=i), 0),
        }
        for i in reversed(range(days))
    ]

    weekly: dict[str, list[int]] = {}
    wk = first
    labels = []
    for _ in range(weeks):
        labels.append(wk.label)
        weekly[wk.label] = []
        wk = Week.containing(wk.bounds()[1], wk.tz)
    rows = store.db.execute(
        "SELECT r.reviewed_at, r.rating FROM reviews r WHERE r.reviewed_at >= ? AND r.reviewed_at < ? "
        f"AND {SEEN_BEFORE_SQL}",
        [to_iso(start), to_iso(end)],
    ).fetchall()
    for at, rating in rows:
        label = Week.containing(dt.datetime.fromisoformat(at), week.tz).label
        if label in weekly:
            weekly[label].append(rating)
    per_week = [
        {
            "week": label,
            "retention": retention(weekly[label]),
            "reviews": len(weekly[label]),
        }
        for label in labels
    ]

    speech = []
    for at, analysis in store.db.execute(
        "SELECT at, analysis FROM recordings WHERE analysis IS NOT NULL AND at < ? ORDER BY at DESC LIMIT ?",
        [to_iso(end), recordings],
    ).fetchall():
        try:
            a = json.loads(analysis)
        except ValueError:
            continue
        fillers = a.get("fillers") if isinstance(a, dict) else None
        if isinstance(fillers, dict):
            speech.append(
                {
                    "date": local_date(dt.datetime.fromisoformat(at), week.tz).isoformat(),
                    "fillers_per_minute": fillers.get("per_minute"),
                    "wpm": a.get("wpm"),
                }
            )
    speech.reverse()
    return {"per_day": per_day, "retention": per_week, "speech": speech}
