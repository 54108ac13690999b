"""Load balancing (`[review] load_balance`): the day of its fuzz range a review is put on.

Pure, no clock and no database: the scheduler passes in how many reviews are already due on each day of the
range and logs the pick in the review's state_after (`balanced_days`), so a replay puts the review on the same
day whatever the counts are by then. Measured in benchmarks/bench_plan.py (benchmarks/RESULTS.md).
"""

from __future__ import annotations

from collections.abc import Sequence

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
