"""FSRS-6's review step on plain numbers, for replaying long logs quickly (a sync replays tens of thousands).

The step is the one `fsrs.Scheduler.review_card` takes (py-fsrs 6, without its own fuzz): the same
formulas, each float computed with the same operations in the same order (`math.e ** x`, not `exp`), so it
gives the very same floats, without the library's Card objects, copies, enums and keyword calls (it takes
about a third of the library's time: 2.8 against 8 us with the Card built). tests/test_fsrs6.py holds it to
the library on random review sequences.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import NamedTuple

import fsrs

LEARNING, REVIEW, RELEARNING = 1, 2, 3
AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4
STABILITY_MIN = 0.001
DIFFICULTY_MIN, DIFFICULTY_MAX = 1.0, 10.0


class Reviewed(NamedTuple):
    state: int
    step: int | None
    stability: float
    difficulty: float
    interval: dt.timedelta  # whole days in the review state


class Fsrs6:
    """The review step of one fsrs.Scheduler's settings (fuzzing is prepdeck's own: see transition.py)."""

    def __init__(self, scheduler: fsrs.Scheduler):
        w = self.w = tuple(scheduler.parameters)
        self.learning_steps = tuple(scheduler.learning_steps)
        self.relearning_steps = tuple(scheduler.relearning_steps)
        self.maximum_interval = scheduler.maximum_interval
        self._decay = -w[20]
        self._factor = 0.9 ** (1 / self._decay) - 1
        # the step's constant subexpressions, each evaluated exactly as the library evaluates it
        self._interval_scale = (scheduler.desired_retention ** (1 / self._decay)) - 1
        self._easy_difficulty = w[4] - (math.e ** (w[5] * (EASY - 1))) + 1  # the mean difficulty reverts to
        self._recall_base = math.e ** (w[8])
        self._forget_short = math.e ** (w[17] * w[18])

    def review(
        self,
        state: int,
        step: int | None,
        stability: float | None,
        difficulty: float | None,
        last_review: dt.datetime | None,
        rating: int,
        at: dt.datetime,
    ) -> Reviewed:
        """The card after `rating` at `at` (UTC); a new card is (LEARNING, 0, None, None, None)."""
        if at.tzinfo != dt.UTC:
            raise ValueError("datetime must be timezone-aware and set to UTC")
        if rating not in (AGAIN, HARD, GOOD, EASY):
            raise ValueError(f"{rating} is not a valid Rating")
        if state == LEARNING and step is None:
            step = 0
        days_since = (at - last_review).days if last_review else None
        if state == LEARNING and (stability is None or difficulty is None):
            stability = max(self.w[rating - 1], STABILITY_MIN)
            difficulty = self._clamp(self.w[4] - (math.e ** (self.w[5] * (rating - 1))) + 1)
        elif state not in (LEARNING, REVIEW, RELEARNING):
            raise ValueError(f"Unknown card state: {state}")
        else:
            assert stability is not None and difficulty is not None
            if days_since is not None and days_since < 1:
                stability = self._short_term_stability(stability, rating)
            else:
                stability = self._next_stability(difficulty, stability, last_review, at, rating)
            difficulty = self._next_difficulty(difficulty, rating)
        if state == REVIEW:
            if rating == AGAIN and self.relearning_steps:
                return Reviewed(RELEARNING, 0, stability, difficulty, self.relearning_steps[0])
            return Reviewed(REVIEW, step, stability, difficulty, self._interval(stability))
        assert step is not None
        steps = self.learning_steps if state == LEARNING else self.relearning_steps
        if not steps or (step >= len(steps) and rating != AGAIN) or rating == EASY:
            return Reviewed(REVIEW, None, stability, difficulty, self._interval(stability))
        if rating == AGAIN:
            return Reviewed(state, 0, stability, difficulty, steps[0])
        if rating == HARD:  # the step stays
            if step == 0:
                interval = steps[0] * 1.5 if len(steps) == 1 else (steps[0] + steps[1]) / 2.0
            else:
                interval = steps[step]
            return Reviewed(state, step, stability, difficulty, interval)
        if step + 1 == len(steps):  # Good on the last step
            return Reviewed(REVIEW, None, stability, difficulty, self._interval(stability))
        return Reviewed(state, step + 1, stability, difficulty, steps[step + 1])

    @staticmethod
    def _clamp(difficulty: float) -> float:
        return min(max(difficulty, DIFFICULTY_MIN), DIFFICULTY_MAX)

    def interval_days(self, stability: float) -> int:
        """The review interval, in days, a card of this stability is given (before any fuzz)."""
        return self._interval(stability).days

    def _interval(self, stability: float) -> dt.timedelta:
        days = round((stability / self._factor) * self._interval_scale)
        return dt.timedelta(days=min(max(days, 1), self.maximum_interval))

    def _short_term_stability(self, stability: float, rating: int) -> float:
        w = self.w
        increase = (math.e ** (w[17] * (rating - 3 + w[18]))) * (stability ** -w[19])
        if rating != AGAIN:
            increase = max(increase, 1.0)
        return max(stability * increase, STABILITY_MIN)

    def _next_difficulty(self, difficulty: float, rating: int) -> float:
        w = self.w
        delta = -(w[6] * (rating - 3))
        damped = difficulty + (10.0 - difficulty) * delta / 9.0
        return self._clamp(w[7] * self._easy_difficulty + (1 - w[7]) * damped)

    def _next_stability(
        self,
        difficulty: float,
        stability: float,
        last_review: dt.datetime | None,
        at: dt.datetime,
        rating: int,
    ) -> float:
        w = self.w
        if last_review is None:
            recall: float = 0
        else:
            elapsed = max(0, (at - last_review).days)
            recall = (1 + self._factor * elapsed / stability) ** self._decay
        if rating == AGAIN:
            long_term = (
                w[11]
                * (difficulty ** -w[12])
                * (((stability + 1) ** (w[13])) - 1)
                * (math.e ** ((1 - recall) * w[14]))
            )
            next_stability = min(long_term, stability / self._forget_short)
        else:
            hard_penalty = w[15] if rating == HARD else 1
            easy_bonus = w[16] if rating == EASY else 1
            next_stability = stability * (
                1
                + self._recall_base
                * (11 - difficulty)
                * (stability ** -w[9])
                * ((math.e ** ((1 - recall) * w[10])) - 1)
                * hard_penalty
                * easy_bonus
            )
        return max(next_stability, STABILITY_MIN)
