"""Retention and card maturity, defined once for every place that shows them (the session summary, the
statistics screen, the weekly report and `report --json`).

Retention: among answers on cards seen before (an earlier review of the card is in the log), the share not
rated Again — a card's first answer ever is learning, not recall (docs/cli.md, `report --json`). Split by
what the card was when answered, the young and mature parts are Anki's "true retention".

Maturity, as Anki draws the line: a card never reviewed is new, one in (re)learning steps is learning, a
review card is young while its interval is under 21 days and mature from then on.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import Any

from prepdeck.core.store import Store, from_iso
from prepdeck.core.transition import REVIEW_STATE

LABEL = "Retention"
MEANING = "answers on cards seen before that were not Again"
MATURE_DAYS = 21  # Anki's line between young and mature review cards
MATURITIES = ("new", "learning", "young", "mature")

# 1 when the review `r` is not its card's first (the log's order: time, then id)
SEEN_BEFORE_SQL = (
    "EXISTS (SELECT 1 FROM reviews p WHERE p.card_id = r.card_id "
    "AND (p.reviewed_at < r.reviewed_at OR (p.reviewed_at = r.reviewed_at AND p.id < r.id)))"
)


def retention(ratings: Iterable[int]) -> float | None:
    """The share of `ratings` (answers on cards seen before) not Again; None without any."""
    ratings = list(ratings)
    return round(sum(r > 1 for r in ratings) / len(ratings), 4) if ratings else None


def percent(value: float | None, none: str = "—") -> str:
    return none if value is None else f"{100 * value:.0f}%"


def interval_days(state: dict[str, Any] | None) -> float | None:
    """The interval a review card was last given (due − last review), in days; None outside review."""
    if not state or state.get("state") != REVIEW_STATE or not state.get("last_review"):
        return None
    return (from_iso(state["due"]) - from_iso(state["last_review"])) / dt.timedelta(days=1)


def maturity(state: dict[str, Any] | None) -> str:
    """new / learning / young / mature for a card's state (None: never reviewed)."""
    if not state:
        return "new"
    days = interval_days(state)
    if days is None:
        return "learning"
    return "mature" if days >= MATURE_DAYS else "young"


def retention_of_reviews(store: Store, review_ids: Iterable[int]) -> float | None:
    """The retention of these logged reviews (a session's answers), by the one definition above."""
    ids = list(review_ids)
    ratings: list[int] = []
    for i in range(0, len(ids), 500):  # SQLite's limit on bound parameters
        chunk = ids[i : i + 500]
        ratings += [
            row[0]
            for row in store.db.execute(
                f"SELECT r.rating FROM reviews r WHERE r.id IN ({', '.join('?' for _ in chunk)}) "
                f"AND {SEEN_BEFORE_SQL}",
                chunk,
            ).fetchall()
        ]
    return retention(ratings)


def answered_as(state_before: str | dict[str, Any] | None) -> str:
    """What a card was when answered (its logged state before the review): learning, young or mature (a
    new card's first answer is learning)."""
    if isinstance(state_before, str):
        state_before = json.loads(state_before) if state_before else None
    kind = maturity(state_before)
    return "learning" if kind == "new" else kind


def by_maturity(answers: Iterable[tuple[int, str | dict[str, Any] | None]]) -> dict[str, dict[str, Any]]:
    """Retention of answers on cards seen before — (rating, logged state before) — in all and split by what
    the card was when answered (learning / young / mature): {kind: {"retention", "answers"}}."""
    seen: dict[str, list[int]] = {kind: [] for kind in ("learning", "young", "mature")}
    for rating, before in answers:
        seen[answered_as(before)].append(rating)
    seen["all"] = [r for ratings in seen.values() for r in ratings]
    return {
        kind: {"retention": retention(ratings), "answers": len(ratings)} for kind, ratings in seen.items()
    }
