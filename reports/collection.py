"""The statistics an Anki user looks for, over the whole collection: how mature the cards are (per deck and
in all), the answer-button shares and retention by maturity over a period, and the due forecast.

Plain data for the statistics screen; maturity and retention are core/retention.py's, defined once.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from prepdeck.core.retention import MATURITIES, SEEN_BEFORE_SQL, answered_as, by_maturity, maturity
from prepdeck.core.store import Store, from_iso, to_iso
from prepdeck.decks.model import DeckSet
from prepdeck.reports.week import local_date, local_midnight

PERIODS = (7, 30, 90, 365)  # days the answer shares and retention can be taken over
FORECAST_SPANS = (30, 90)  # days the forecast can reach
RATING_KEYS = ("again", "hard", "good", "easy")


def maturity_table(store: Store, decks: DeckSet) -> dict[str, Any]:
    """Per loaded deck and in all: how many cards are new / learning / young / mature, and suspended (not
    counted in the others, as Anki keeps them apart)."""
    states = {
        row["card_id"]: row
        for row in store.db.query("SELECT card_id, state, due, last_review FROM card_state")
    }
    suspended = {row[0] for row in store.db.execute("SELECT card_id FROM suspended").fetchall()}
    rows: list[dict[str, Any]] = []
    total: Counter[str] = Counter()
    for deck in decks.decks:
        counts: Counter[str] = Counter({k: 0 for k in (*MATURITIES, "suspended")})
        for card in deck.cards:
            gid = card.global_id
            counts["suspended" if gid in suspended else maturity(states.get(gid))] += 1
        total.update(counts)
        rows.append({"deck": deck.id, "title": deck.title, **counts, "total": len(deck.cards)})
    return {
        "decks": rows,
        "total": {k: total[k] for k in (*MATURITIES, "suspended")} | {"total": sum(r["total"] for r in rows)},
    }


def answers(store: Store, start: dt.datetime, end: dt.datetime) -> dict[str, Any]:
    """The reviews logged in [start, end): the answer-button shares on learning and on review cards, and
    retention on cards seen before, in all and by what the card was when answered."""
    buttons = {kind: Counter[int]() for kind in ("learning", "review")}
    seen_before: list[tuple[int, str | None]] = []
    for rating, state_before, repeat in store.db.execute(
        f"SELECT r.rating, r.state_before, {SEEN_BEFORE_SQL} FROM reviews r "
        "WHERE r.reviewed_at >= ? AND r.reviewed_at < ?",
        [to_iso(start), to_iso(end)],
    ).fetchall():
        kind = answered_as(state_before)
        buttons["learning" if kind == "learning" else "review"][rating] += 1
        if repeat:
            seen_before.append((rating, state_before))

    def shares(counts: Counter[int]) -> dict[str, Any]:
        n = sum(counts.values())
        return {"answers": n} | {
            key: (round(counts[i] / n, 4) if n else None) for i, key in enumerate(RATING_KEYS, 1)
        }

    return {
        "buttons": {kind: shares(c) for kind, c in buttons.items()},
        "retention": by_maturity(seen_before),
    }


def forecast(
    store: Store, decks: DeckSet, now: dt.datetime, days: int, tz: dt.tzinfo | None = None
) -> list[dict[str, Any]]:
    """Cards falling due on each of the next `days` local days (overdue ones today), suspended cards and
    cards no longer in a loaded deck left out."""
    today = local_date(now, tz)
    horizon = local_midnight(today + dt.timedelta(days=days), tz)
    known = {c.global_id for c in decks.all_cards()}
    counts: Counter[dt.date] = Counter()
    for card_id, due in store.db.execute(
        "SELECT card_id, due FROM card_state WHERE due < ? AND card_id NOT IN (SELECT card_id FROM suspended)",
        [to_iso(horizon)],
    ).fetchall():
        if decks.decks and card_id not in known:
            continue  # a card removed from its deck is no longer reviewed
        counts[max(today, local_date(from_iso(due), tz))] += 1
    return [
        {"date": (today + dt.timedelta(days=i)).isoformat(), "due": counts[today + dt.timedelta(days=i)]}
        for i in range(days)
    ]
