"""core/fsrs6.py against the library it stands in for: fsrs.Scheduler.review_card, step by step.

The replay of a log must land every card on the state the library would give, to the last bit of every
float, or two versions of prepdeck (and a rebuild against a live review) would disagree.
"""

from __future__ import annotations

import datetime as dt

import fsrs
import pytest
from fsrs.scheduler import DEFAULT_PARAMETERS, LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS
from hypothesis import given, settings
from hypothesis import strategies as st

from prepdeck.core.fsrs6 import LEARNING, Fsrs6

T0 = dt.datetime(2026, 1, 5, 9, 30, tzinfo=dt.UTC)


def _parameters(draw: st.DrawFn) -> tuple[float, ...]:
    if draw(st.booleans()):
        return DEFAULT_PARAMETERS
    return tuple(
        draw(st.floats(low, high, allow_nan=False))
        for low, high in zip(LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS, strict=True)
    )


steps = st.lists(st.integers(1, 3 * 24 * 60), max_size=3).map(
    lambda minutes: [dt.timedelta(minutes=m) for m in minutes]
)


@st.composite
def schedulers(draw: st.DrawFn) -> fsrs.Scheduler:
    return fsrs.Scheduler(
        parameters=_parameters(draw),
        desired_retention=draw(st.floats(0.7, 0.99)),
        learning_steps=draw(steps),
        relearning_steps=draw(steps),
        maximum_interval=draw(st.integers(1, 36500)),
        enable_fuzzing=False,
    )


# (rating, seconds since the previous review): same-day reviews, days, months, a year
answers = st.lists(
    st.tuples(
        st.integers(1, 4),
        st.one_of(st.integers(0, 86_400), st.integers(86_400, 400 * 86_400)),
    ),
    min_size=1,
    max_size=40,
)


@settings(max_examples=400, deadline=None)
@given(schedulers(), answers)
def test_every_step_gives_the_librarys_card_to_the_bit(scheduler: fsrs.Scheduler, sequence) -> None:
    fast = Fsrs6(scheduler)
    card = fsrs.Card(card_id=1, due=T0)
    state, step, stability, difficulty, last = LEARNING, 0, None, None, None
    at = T0
    for rating, gap in sequence:
        at += dt.timedelta(seconds=gap)
        card, _ = scheduler.review_card(card, fsrs.Rating(rating), review_datetime=at)
        got = fast.review(state, step, stability, difficulty, last, rating, at)
        # floats compared by their bits: a last-place difference would move a due date some day
        assert (got.state, got.step, got.stability.hex(), got.difficulty.hex(), at + got.interval) == (
            card.state.value,
            card.step,
            card.stability.hex(),
            card.difficulty.hex(),
            card.due,
        )
        state, step, stability, difficulty, last = got.state, got.step, got.stability, got.difficulty, at


def test_it_refuses_what_the_library_refuses() -> None:
    fast = Fsrs6(fsrs.Scheduler())
    with pytest.raises(ValueError, match="UTC"):
        fast.review(LEARNING, 0, None, None, None, 3, dt.datetime(2026, 1, 1))
    with pytest.raises(ValueError, match="Rating"):
        fast.review(LEARNING, 0, None, None, None, 5, T0)
    with pytest.raises(ValueError, match="state"):
        fast.review(7, 0, 1.0, 5.0, T0, 3, T0)
