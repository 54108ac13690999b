"""The review log and the `card_state` cache it feeds: every statement that reads or writes them for the
scheduler, on a connection the caller holds (inside the store's transaction for a write).

The log is the truth: `replay_cards` and `rebuild` recompute states from it with the pure step the caller
passes in (core/transition.py), keeping the flags a live review recorded (a leech suspension, the day a
balanced review was put on). Practice answers are logged with the card's state and never change it.
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
import sqlite3
from collections.abc import Callable, Iterable
from itertools import groupby
from operator import itemgetter
from typing import Any

from prepdeck.core.store import Review, from_iso, inserted_id, to_iso, utcnow
from prepdeck.core.transition import REVIEW_STATE, STATE_COLUMNS

# a review outside the schedule (practice, cramming): logged with the card's state, which it leaves alone
PRACTICE = "practice"
# the order a card's reviews are replayed in; the sync id breaks a tie the same way on every machine
LOG_ORDER = "reviewed_at, coalesce(uid, ''), id"
# the step a replay applies: (card id, deck id, state before, rating, when, logged balanced days)
Step = Callable[
    [str, str, dict[str, Any] | None, int, dt.datetime, int | None], tuple[dict[str, Any], dt.timedelta]
]

_SELECT_STATE = f"SELECT {', '.join(STATE_COLUMNS)} FROM card_state WHERE card_id = ?"
_UPSERT_STATE = (
    f"INSERT OR REPLACE INTO card_state (card_id, {', '.join(STATE_COLUMNS)}) "
    f"VALUES (?, {', '.join('?' for _ in STATE_COLUMNS)})"
)


# one encoder for every state written (json.dumps would build a new one per call)
_ENCODE = json.JSONEncoder(separators=(",", ":")).encode


def dumps(state: dict[str, Any]) -> str:
    return _ENCODE(state)


def read_state(conn: sqlite3.Connection, card_id: str) -> dict[str, Any] | None:
    row = conn.execute(_SELECT_STATE, (card_id,)).fetchone()
    return dict(zip(STATE_COLUMNS, row, strict=True)) if row else None


def read_states(conn: sqlite3.Connection) -> dict[str, dict[str, Any]]:
    rows = conn.execute(f"SELECT card_id, {', '.join(STATE_COLUMNS)} FROM card_state").fetchall()
    return {row[0]: dict(zip(STATE_COLUMNS, row[1:], strict=True)) for row in rows}


def write_state(conn: sqlite3.Connection, card_id: str, state: dict[str, Any]) -> None:
    write_states(conn, {card_id: state})


def write_states(conn: sqlite3.Connection, states: dict[str, dict[str, Any]]) -> None:
    conn.executemany(_UPSERT_STATE, [(c, *(s[k] for k in STATE_COLUMNS)) for c, s in states.items()])


def insert_review(
    conn: sqlite3.Connection,
    card_id: str,
    deck_id: str,
    at: dt.datetime,
    rating: int,
    duration_ms: int | None,
    kind: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    payload: dict[str, Any] | None,
) -> int:
    cur = conn.execute(
        "INSERT INTO reviews (card_id, deck_id, reviewed_at, rating, duration_ms, kind, state_before, "
        "state_after, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            card_id,
            deck_id,
            to_iso(at),
            rating,
            duration_ms,
            kind,
            dumps(before) if before else None,
            dumps(after) if after is not None else None,
            json.dumps(payload) if payload is not None else None,
        ),
    )
    return inserted_id(cur)


def state_after(conn: sqlite3.Connection, review_id: int) -> dict[str, Any]:
    row = conn.execute("SELECT state_after FROM reviews WHERE id = ?", (review_id,)).fetchone()
    return json.loads(row[0]) if row and row[0] else {}


def replay_card(conn: sqlite3.Connection, card_id: str, step: Step) -> dict[str, Any] | None:
    """Recompute one card's states along its whole log (after a review inserted out of order, or an undo of
    an earlier one); returns its state, None when no scheduled review of it is left."""
    return replay_cards(conn, [card_id], step)[card_id]


def replay_cards(
    conn: sqlite3.Connection, card_ids: Iterable[str], step: Step
) -> dict[str, dict[str, Any] | None]:
    """Recompute these cards' states along their whole logs (after a sync brought reviews in or took some
    out): rewrites each review's state_before/after and the cards' cached states, in one statement each."""
    wanted = sorted(set(card_ids))
    rows = conn.execute(
        f"SELECT card_id, id, deck_id, reviewed_at, rating, kind, state_after FROM reviews "
        f"WHERE card_id IN (SELECT value FROM json_each(?)) ORDER BY card_id, {LOG_ORDER}",
        (json.dumps(wanted),),
    )
    states: dict[str, dict[str, Any] | None] = dict.fromkeys(wanted)
    updates: list[tuple[str | None, str, int]] = []
    for card_id, reviews in groupby(rows, key=itemgetter(0)):
        state: dict[str, Any] | None = None
        before: str | None = None  # the state's JSON, written as the next review's state_before
        for _, review_id, deck_id, reviewed_at, rating, kind, old_after in reviews:
            if kind == PRACTICE:  # outside the schedule: it records the state, it does not change it
                updates.append((before, before or "{}", review_id))
                continue
            # flags a live review recorded (a leech suspension, a balanced day) stay with the review
            flags = (
                {k: v for k, v in json.loads(old_after).items() if k not in STATE_COLUMNS}
                if old_after
                else {}
            )
            state, _ = step(
                card_id, deck_id, state, rating, from_iso(reviewed_at), flags.get("balanced_days")
            )
            after = dumps(state)
            updates.append((before, dumps({**state, **flags}) if flags else after, review_id))
            before = after
        states[card_id] = state
    conn.executemany("UPDATE reviews SET state_before = ?, state_after = ? WHERE id = ?", updates)
    conn.executemany(
        "DELETE FROM card_state WHERE card_id = ?", [(c,) for c, s in states.items() if s is None]
    )
    write_states(conn, {c: s for c, s in states.items() if s is not None})
    return states


def rebuild(conn: sqlite3.Connection, step: Step) -> int:
    """Recompute every card's cached state from the log; returns how many cards have one."""
    rows = conn.execute(
        f"SELECT card_id, deck_id, reviewed_at, rating, json_extract(state_after, '$.balanced_days') "
        f"FROM reviews WHERE kind != '{PRACTICE}' ORDER BY card_id, {LOG_ORDER}"
    )
    states: dict[str, dict[str, Any]] = {}
    for card_id, deck_id, reviewed_at, rating, logged_days in rows:
        states[card_id], _ = step(
            card_id, deck_id, states.get(card_id), rating, from_iso(reviewed_at), logged_days
        )
    conn.execute("DELETE FROM card_state")
    write_states(conn, states)
    return len(states)


def undo_newest(conn: sqlite3.Connection, step: Step) -> tuple[Review, bool] | None:
    """Remove this machine's newest review and put its card back exactly as it was before it; returns the
    review and whether the card is new again (None when there is nothing to undo)."""
    # only this machine's own reviews: one that came in through `prepdeck sync` is not ours to undo
    cursor = conn.execute("SELECT * FROM reviews WHERE origin IS NULL ORDER BY id DESC LIMIT 1")
    row = cursor.fetchone()
    if row is None:
        return None
    columns = [c[0] for c in cursor.description]
    review = Review.from_row(dict(zip(columns, row, strict=True)))
    uid = row[columns.index("uid")]
    conn.execute("DELETE FROM reviews WHERE id = ?", (review.id,))
    if uid is not None:  # already shared: the next sync tells the other machines to drop it too
        conn.execute("INSERT OR IGNORE INTO sync_undone (uid, at) VALUES (?, ?)", (uid, to_iso(utcnow())))
    later = conn.execute(
        "SELECT 1 FROM reviews WHERE card_id = ? AND (reviewed_at > ? OR (reviewed_at = ? AND id > ?)) LIMIT 1",
        (review.card_id, to_iso(review.reviewed_at), to_iso(review.reviewed_at), review.id),
    ).fetchone()
    if review.kind == PRACTICE:
        pass  # practice never moved the card: nothing to put back
    elif later:
        replay_card(conn, review.card_id, step)
    elif review.state_before is None:
        conn.execute("DELETE FROM card_state WHERE card_id = ?", (review.card_id,))
    else:
        write_state(conn, review.card_id, review.state_before)
    if review.state_after and review.state_after.get("leech_suspended"):
        conn.execute("DELETE FROM suspended WHERE card_id = ? AND reason = 'leech'", (review.card_id,))
    gone = conn.execute("SELECT 1 FROM card_state WHERE card_id = ?", (review.card_id,)).fetchone() is None
    return review, gone


def suspend_leech(conn: sqlite3.Connection, card_id: str, at: dt.datetime) -> bool:
    """Suspend a card as a leech; False when it was suspended already."""
    cur = conn.execute(
        "INSERT OR IGNORE INTO suspended (card_id, reason, since) VALUES (?, 'leech', ?)",
        (card_id, to_iso(at)),
    )
    return bool(cur.rowcount)


def reviews_due_by_day(
    conn: sqlite3.Connection, start: dt.datetime, end: dt.datetime
) -> list[tuple[str, int]]:
    """(due, count) of the review-state cards falling due in [start, end), for the load balancer."""
    return conn.execute(
        "SELECT due, count(*) FROM card_state WHERE state = ? AND due >= ? AND due < ? GROUP BY due",
        (REVIEW_STATE, to_iso(start), to_iso(end)),
    ).fetchall()


def answers_by_day(conn: sqlite3.Connection, starts: list[dt.datetime]) -> list[dict[int | None, int]]:
    """For each day [starts[i], starts[i + 1]): its answers (practice aside) by the state the card was in
    (None: a new card's first answer), for the new-card intake."""
    bounds = [to_iso(start) for start in starts]
    days: list[dict[int | None, int]] = [{} for _ in bounds[:-1]]
    rows = conn.execute(
        "SELECT reviewed_at, json_extract(state_before, '$.state'), count(*) FROM reviews "
        f"WHERE reviewed_at >= ? AND reviewed_at < ? AND kind != '{PRACTICE}' GROUP BY 1, 2",
        (bounds[0], bounds[-1]),
    )
    for reviewed_at, state, count in rows:
        day = days[bisect.bisect_right(bounds, reviewed_at) - 1]
        day[state] = day.get(state, 0) + count
    return days
