"""Load balancing (`[review] load_balance`): the day of its fuzz range a review is put on, and how many new
cards a day's queue introduces.

Pure, no clock and no database: the scheduler passes in how many reviews are already due on each day of the
range and logs the pick in the review's state_after (`balanced_days`), so a replay puts the review on the same
day whatever the counts are by then. The new-card intake only reads the log of the days before today and the
day's due reviews, so it needs nothing logged. Measured in benchmarks/bench_plan.py (benchmarks/RESULTS.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

# an easy day's count weighs double, so it ends up with about half the load of the others
EASY_DAY_WEIGHT = 2
# days further out are less booked *yet*: without a pull toward the nearer days the picks drift late, the
# intervals grow and the learner reviews less (−5.8 % of the work with the plain lightest day)
NEARNESS = 0.2


def balanced_interval(booked: Sequence[int], easy: Sequence[bool], low: int, high: int, fuzzed: int) -> int:
    """The interval in [low, high] whose day carries the least load.

    `booked[i]` and `easy[i]` are the reviews already due on the day `low + i` days ahead and whether it is an
    easy day. Equally loaded days go to the nearest; an exact tie of costs to the one nearest `fuzzed`, the
    card's seeded fuzz pick, so the choice is deterministic."""
    if not 1 <= low <= high or len(booked) != high - low + 1 or len(easy) != len(booked):
        raise ValueError(f"a range of {high - low + 1} days needs that many counts, got {len(booked)}")

    def cost(n: int) -> tuple[float, int]:
        load = booked[n - low] * (EASY_DAY_WEIGHT if easy[n - low] else 1)
        return (load + 1) * n**NEARNESS, abs(n - fuzzed)

    return min(range(low, high + 1), key=cost)


# -- new cards: how many today's queue introduces --------------------------------------------------------------
# the load a day is compared with: the mean of the review-state answers of the last 28 studied days, carried
# forward along the slope from the (at least 14) days before (a plain mean lags a growing collection by half
# its window, and the intake would then fall short day after day)
INTAKE_REFERENCE = 28
INTAKE_DAYS = 2 * INTAKE_REFERENCE  # days of the log read
# a day's new cards stay within [0, INTAKE_CAP × new_per_day]
INTAKE_CAP = 2
# the intake acts once the load has settled: it moved by at most this share over the last INTAKE_REFERENCE days
# (from an empty collection the intake made the days *less* even: CV ratio 1.1–1.4, the ramp-up's trend)
INTAKE_SETTLED = 0.15


@dataclass(frozen=True)
class DayLoad:
    """One studied day of the recent log: its answers by the state the card was in, and its new cards."""

    reviews: int  # answers to cards in the review state
    relearning: int = 0  # answers to cards relearning after a lapse
    new: int = 0  # new cards introduced (their first answers)
    learning: int = 0  # answers to cards in their learning steps


def settled_load(recent: Sequence[DayLoad]) -> tuple[float, float] | None:
    """(mean review-state answers of the last INTAKE_REFERENCE studied days, the slope per day from the days
    before), or None until the load has settled: six weeks studied and moved by at most INTAKE_SETTLED."""
    if len(recent) < INTAKE_REFERENCE + INTAKE_REFERENCE // 2:
        return None
    window = recent[-INTAKE_REFERENCE:]
    level = sum(day.reviews for day in window) / len(window)
    older = recent[-2 * INTAKE_REFERENCE : -INTAKE_REFERENCE]
    slope = (level - sum(day.reviews for day in older) / len(older)) / ((len(window) + len(older)) / 2)
    return None if abs(slope) * len(window) > INTAKE_SETTLED * level else (level, slope)


def new_card_intake(
    new_per_day: int, due_today: int, recent: Sequence[DayLoad], answers_per_new: float = 2.0
) -> int:
    """How many new cards today's queue introduces, so that today's answers come near the recent days' level.

    `due_today` is the day's review-state cards (done and still due); `recent` the studied days of the last
    INTAKE_DAYS, oldest first (a day without answers is left out: its new cards are not made up). A day heavier
    with reviews than the reference gets fewer new cards, a lighter one more, each new card weighing the
    answers a new card took lately (`answers_per_new` before there are any), in [0, INTAKE_CAP × new_per_day];
    the swings average out, so over the weeks the intake stays near `new_per_day`. Nothing pulls it back to
    the exact count: making up the past weeks' shortfall undid the swings that even the load (measured,
    benchmarks/RESULTS.md). Until the load has settled (six weeks studied, not growing fast), `new_per_day`."""
    if new_per_day <= 0:
        return 0
    settled = settled_load(recent)
    if settled is None:
        return new_per_day  # a collection still ramping up or growing fast: no level to even out around yet
    window = recent[-INTAKE_REFERENCE:]
    reviews = sum(day.reviews for day in window)
    new = sum(day.new for day in window)
    # each review-state answer brings its share of same-day relearning answers, each new card its learning steps
    per_review = (reviews + sum(day.relearning for day in window)) / reviews if reviews else 1.0
    per_new = (new + sum(day.learning for day in window)) / new if new else answers_per_new
    level, slope = settled
    reference = level + slope * (len(window) + 1) / 2  # from the window's middle day to today
    wanted = round(new_per_day + (reference - due_today) * per_review / per_new)
    return max(0, min(INTAKE_CAP * new_per_day, wanted))


# -- reviews brought forward: a light day takes reviews of the next days ---------------------------------------
# the days ahead looked at (a 60-day interval's fuzz range spans 7 days)
ADVANCE_DAYS = 14


@dataclass(frozen=True)
class Movable:
    """A review-state card due on a later day whose fuzz range (from its last review) also allows today."""

    card_id: str
    ahead: int  # days from today to its due day (≥ 1)
    interval: int  # the interval it was given: the longer, the less a day earlier changes it


def reviews_to_advance(
    today: int,
    level: float | None,
    ahead: Sequence[int],
    movable: Sequence[Movable],
    easy_today: bool = False,
    easy_ahead: Sequence[bool] = (),
) -> list[str]:
    """The cards today's session takes from the next days, one at a time from the most loaded day ahead
    (easy days' counts doubled), longest interval first: a day lighter than the recent `level` (settled_load's
    mean without the slope: filling up to a level carried forward along its own slope ratchets it up day after
    day) comes up to it; without a level yet (a young collection), today comes up to the day it takes from.
    Today is never filled past the level (on an easy day half of it).

    `today` is today's review-state load (done and due), `ahead[j]` the reviews due j + 1 days ahead. Only
    fills: cutting a heavy day means postponing reviews already due, a move the log would have to record.
    Deterministic: equal loads go to the nearest day, equal intervals by card id."""
    weight = [EASY_DAY_WEIGHT if e else 1 for e in easy_ahead] or [1] * len(ahead)
    loads = [count * w for count, w in zip(ahead, weight, strict=True)]
    w_today = EASY_DAY_WEIGHT if easy_today else 1
    pools: dict[int, list[Movable]] = {}
    for card in sorted(movable, key=lambda c: (-c.interval, c.card_id)):
        pools.setdefault(card.ahead, []).append(card)
    taken: list[str] = []
    while pools:
        day = max(pools, key=lambda d: (loads[d - 1], -d))
        after = (today + len(taken) + 1) * w_today  # today's load with one more
        if after > (level if level is not None else loads[day - 1] - weight[day - 1]):
            break
        taken.append(pools[day].pop(0).card_id)
        if not pools[day]:
            del pools[day]
        loads[day - 1] -= weight[day - 1]
    return taken
