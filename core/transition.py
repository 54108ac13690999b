"""One FSRS step, pure: a card's state and a rating in, its next state and interval out (FSRS-6 as py-fsrs's
`review_card` computes it, core/fsrs6.py). No database and no clock: the scheduler and the log's replay both call it, which is why a
replayed log lands every card exactly where the live reviews put it.

A state is a dict of the `card_state` columns (STATE_COLUMNS). Review-state intervals are fuzzed with a
seed of the card and its review count (as Anki seeds it) and fall due at the start of a local day.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from typing import Any

import fsrs

from prepdeck.core.days import DayClock
from prepdeck.core.fsrs6 import LEARNING, Fsrs6
from prepdeck.core.intervals import fuzz_pick, fuzz_range
from prepdeck.core.store import from_iso, to_iso

AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4
RATING_NAMES = {AGAIN: "again", HARD: "hard", GOOD: "good", EASY: "easy"}
STATE_NAMES = {1: "learning", 2: "review", 3: "relearning"}
REVIEW_STATE = fsrs.State.Review.value  # = fsrs6.REVIEW
LEARNING_STATE, RELEARNING_STATE = fsrs.State.Learning.value, fsrs.State.Relearning.value
STATE_COLUMNS = (
    "deck_id",
    "fsrs_id",
    "state",
    "step",
    "stability",
    "difficulty",
    "due",
    "last_review",
    "reps",
    "lapses",
)
# picks a review's interval within its fuzz range by load: (day reviewed, low, high, seeded pick) -> days
Balance = Callable[[dt.date, int, int, int], int]


def parse_rating(value: str | int) -> int:
    """ "again" | "hard" | "good" | "easy" | "1".."4" (or an int 1..4) -> 1..4."""
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 4:
        return value
    text = str(value).strip().lower()
    for number, name in RATING_NAMES.items():
        if text in (name, str(number)):
            return number
    raise ValueError(f"bad rating '{value}': use again, hard, good, easy or 1-4")


def fsrs_id_for(global_id: str) -> int:
    """A stable 63-bit integer id for fsrs.Card (fsrs would otherwise invent one from the clock)."""
    return int.from_bytes(hashlib.blake2b(global_id.encode("utf-8"), digest_size=8).digest(), "big") >> 1


def fsrs_card(state: dict[str, Any]) -> fsrs.Card:
    """The fsrs.Card of a stored state."""
    return fsrs.Card(
        card_id=state["fsrs_id"],
        state=fsrs.State(state["state"]),
        step=state["step"],
        stability=state["stability"],
        difficulty=state["difficulty"],
        due=from_iso(state["due"]),
        last_review=from_iso(state["last_review"]) if state["last_review"] else None,
    )


def transition(
    scheduler: fsrs.Scheduler | Fsrs6,
    days: DayClock,
    maximum_interval: int,
    card_id: str,
    deck_id: str,
    before: dict[str, Any] | None,
    rating: int,
    at: dt.datetime,
    *,
    balance: Balance | None = None,
    logged_days: int | None = None,
) -> tuple[dict[str, Any], dt.timedelta]:
    """The card's state after `rating` at `at`, and the interval it was given.

    `balance` picks the interval within the fuzz range by load; `logged_days` is the interval a balanced
    review was given, so a replay of the log lands on the same day."""
    fsrs6 = scheduler if isinstance(scheduler, Fsrs6) else Fsrs6(scheduler)
    if before is None:
        fsrs_id = fsrs_id_for(card_id)
        after = fsrs6.review(LEARNING, 0, None, None, None, rating, at)
    else:
        fsrs_id = before["fsrs_id"]
        last = from_iso(before["last_review"]) if before["last_review"] else None
        after = fsrs6.review(
            before["state"], before["step"], before["stability"], before["difficulty"], last, rating, at
        )
    reps = before["reps"] if before else 0
    if after.state == REVIEW_STATE:
        picked = after.interval.days
        day = days.day_of(at)
        if picked >= 3:  # shorter intervals are not fuzzed
            low, high = fuzz_range(picked, maximum_interval)
            if logged_days is not None and low <= logged_days <= high:
                picked = logged_days
            else:
                picked = fuzz_pick(low, high, seed=fsrs_id ^ (reps * 0x9E3779B97F4A7C15))
                if balance is not None:
                    picked = balance(day, low, high, picked)
        interval = dt.timedelta(days=picked)
        due = days.start_of(day + interval)
    else:
        interval = after.interval
        due = at + interval
    lapsed = before is not None and before["state"] == REVIEW_STATE and rating == AGAIN
    state = {
        "deck_id": deck_id,
        "fsrs_id": fsrs_id,
        "state": after.state,
        "step": after.step,
        "stability": after.stability,
        "difficulty": after.difficulty,
        "due": to_iso(due),
        "last_review": to_iso(at),
        "reps": reps + 1,
        "lapses": (before["lapses"] if before else 0) + (1 if lapsed else 0),
    }
    return state, interval


def is_leech_lapse(threshold: int, before: dict[str, Any] | None, after: dict[str, Any]) -> bool:
    """At `threshold` lapses, then every half of that again (Anki's rule)."""
    if threshold <= 0 or before is None or after["lapses"] == before["lapses"]:
        return False
    over = after["lapses"] - threshold
    return over >= 0 and over % max(1, threshold // 2) == 0
