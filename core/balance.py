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
    if len(recent) < INTAKE_REFERENCE + INTAKE_REFERENCE // 2:
        return new_per_day  # a collection still ramping up: its load's level and slope are not known yet
    window = recent[-INTAKE_REFERENCE:]
    reviews = sum(day.reviews for day in window)
    new = sum(day.new for day in window)
    # each review-state answer brings its share of same-day relearning answers, each new card its learning steps
    per_review = (reviews + sum(day.relearning for day in window)) / reviews if reviews else 1.0
    per_new = (new + sum(day.learning for day in window)) / new if new else answers_per_new
    reference = reviews / len(window)
    older = recent[-2 * INTAKE_REFERENCE : -INTAKE_REFERENCE]
    slope = (reference - sum(day.reviews for day in older) / len(older)) / ((len(window) + len(older)) / 2)
    if abs(slope) * len(window) > INTAKE_SETTLED * reference:
        return new_per_day  # a load still growing fast (a young collection): no level to even out around yet
    reference += slope * (len(window) + 1) / 2  # from the window's middle day to today
    wanted = round(new_per_day + (reference - due_today) * per_review / per_new)
    return max(0, min(INTAKE_CAP * new_per_day, wanted))
