"""Load balancing (`[review] load_balance`): a synthetic learner in steady state for 90 days on real SQLite."""

from __future__ import annotations

import datetime as dt
import random
import statistics
from pathlib import Path

import fsrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.plan_learner import learner_decks, run_without_plan
from prepdeck.core.balance import balanced_interval
from prepdeck.core.config import Config
from prepdeck.core.days import DayClock
from prepdeck.core.intervals import fuzz_range
from prepdeck.core.scheduler import GOOD, Scheduling
from prepdeck.core.store import Store
from prepdeck.core.transition import REVIEW_STATE, fsrs_card, transition

START = dt.date(2026, 3, 2)
WARM, DAYS, NEW = 150, 90, 6  # 150 days to reach a steady load, then 90 measured days
PER_ROUND = (WARM + DAYS) * NEW // 4 + 5


def cv(values: list[int]) -> float:
    return statistics.pstdev(values) / statistics.mean(values)


@st.composite
def ranges(draw: st.DrawFn) -> tuple[list[int], list[bool], int, int, int]:
    low = draw(st.integers(1, 400))
    high = draw(st.integers(low, low + 30))
    booked = draw(st.lists(st.integers(0, 500), min_size=high - low + 1, max_size=high - low + 1))
    easy = draw(st.lists(st.booleans(), min_size=len(booked), max_size=len(booked)))
    return booked, easy, low, high, draw(st.integers(low, high))


@settings(max_examples=300, deadline=None)
@given(ranges())
def test_the_pick_is_in_the_range_and_no_nearer_day_is_as_light(
    case: tuple[list[int], list[bool], int, int, int],
) -> None:
    booked, easy, low, high, fuzzed = case
    best = balanced_interval(booked, easy, low, high, fuzzed)
    assert low <= best <= high
    weighted = [count * (2 if on_easy_day else 1) for count, on_easy_day in zip(booked, easy, strict=True)]
    # a later day is only worth it when it is lighter than every nearer one (its nearness costs it)
    assert all(weighted[n - low] > weighted[best - low] for n in range(low, best))
    if len(set(weighted)) == 1:  # equally loaded days: the nearest, so intervals do not drift long
        assert best == low


def test_a_range_without_its_counts_is_refused() -> None:
    with pytest.raises(ValueError, match="needs that many counts"):
        balanced_interval([3, 4], [False, False], 5, 7, 6)


# (rating, hours since the previous answer): same-day steps, days, months
answers = st.lists(st.tuples(st.integers(1, 4), st.integers(0, 24 * 200)), min_size=1, max_size=30)


@settings(max_examples=150, deadline=None)
@given(answers, st.randoms(use_true_random=False))
def test_every_balanced_interval_is_in_its_fuzz_range_and_the_logged_day_replays(
    history: list[tuple[int, int]], rng: random.Random
) -> None:
    """Whatever the loads, a balanced review lands inside the fuzz range of the interval FSRS gave it, and
    the step a replay applies with the logged day gives back exactly the same state."""
    scheduler = fsrs.Scheduler(
        learning_steps=(dt.timedelta(minutes=1), dt.timedelta(minutes=10)), enable_fuzzing=False
    )
    days = DayClock(4, dt.UTC)
    at = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)
    picks: list[int] = []

    def balance(day: dt.date, low: int, high: int, fuzzed: int) -> int:
        booked = [rng.randrange(60) for _ in range(low, high + 1)]
        picks.append(balanced_interval(booked, [rng.random() < 0.2 for _ in booked], low, high, fuzzed))
        return picks[-1]

    before = None
    for rating, hours in history:
        at += dt.timedelta(hours=hours)
        picks.clear()
        after, interval = transition(scheduler, days, 36500, "d::c", "d", before, rating, at, balance=balance)
        if after["state"] == REVIEW_STATE:
            card = fsrs_card(before) if before else fsrs.Card(card_id=after["fsrs_id"], due=at)
            given_by_fsrs = scheduler.review_card(card, fsrs.Rating(rating), at)[0].due - at
            ideal = round(given_by_fsrs / dt.timedelta(days=1))
            assert bool(picks) == (ideal >= 3)  # every interval with a fuzz range is balanced, no other
        if picks:
            low, high = fuzz_range(ideal, 36500)
            assert low <= picks[0] <= high and interval == dt.timedelta(days=picks[0]), (ideal, picks[0])
            replayed, _ = transition(
                scheduler, days, 36500, "d::c", "d", before, rating, at, logged_days=picks[0]
            )
            assert replayed == after
        before = after


def test_balancing_evens_the_daily_load_without_changing_the_work(tmp_path: Path) -> None:
    runs = {
        balanced: run_without_plan(
            tmp_path / f"{balanced}.db",
            START,
            days=WARM + DAYS,
            per_round=PER_ROUND,
            new_per_day=NEW,
            load_balance=balanced,
        ).daily_reviews[WARM:]
        for balanced in (False, True)
    }
    plain, balanced = runs[False], runs[True]
    # benchmarks/RESULTS.md: ratio 0.58 (seeds 0-5), 0.66 held out; the half is not reached, see there
    assert cv(balanced) <= 0.75 * cv(plain), (cv(plain), cv(balanced))
    assert abs(sum(balanced) - sum(plain)) <= 0.05 * sum(plain)


def test_every_balanced_interval_stays_in_its_fuzz_range_and_replays_exactly(tmp_path: Path) -> None:
    config = Config()
    config.review.load_balance = True
    config.review.easy_days = ["sun"]
    store = Store.open(tmp_path / "lb.db")
    decks = learner_decks(20)
    now = [dt.datetime(2026, 3, 2, 12, tzinfo=dt.UTC)]
    scheduling = Scheduling(store, decks, config, clock=lambda: now[0], tz=dt.UTC)
    picks: list[tuple[int, int, int, int]] = []
    original = scheduling._balancer

    def recording(conn, chosen):  # type: ignore[no-untyped-def]
        pick = original(conn, chosen)
        if pick is None:
            return None

        def wrapped(day: dt.date, low: int, high: int, fuzzed: int) -> int:
            best = pick(day, low, high, fuzzed)
            picks.append((low, best, high, fuzzed))
            return best

        return wrapped

    scheduling._balancer = recording  # type: ignore[method-assign]
    for day in range(60):
        now[0] = dt.datetime(2026, 3, 2, 12, tzinfo=dt.UTC) + dt.timedelta(days=day)
        for card in scheduling.queue():
            at = now[0]
            while True:
                outcome = scheduling.review(card, GOOD, now=at)
                if outcome.state == "review":
                    break
                at = outcome.due
    assert len(picks) > 100
    assert all(low <= best <= high for low, best, high, _ in picks)
    moved = sum(best != fuzzed for _, best, _, fuzzed in picks)
    assert moved > len(picks) // 10  # the balancer did move cards off their seeded day
    # the log is the truth: a rebuild lands every balanced review on the day it was given, not the seeded one
    before = store.db.execute("SELECT * FROM card_state ORDER BY card_id").fetchall()
    scheduling.rebuild()
    assert store.db.execute("SELECT * FROM card_state ORDER BY card_id").fetchall() == before
    store.close()
