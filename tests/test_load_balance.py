"""Load balancing (`[review] load_balance`): a synthetic learner in steady state for 90 days on real SQLite."""

from __future__ import annotations

import datetime as dt
import statistics
from pathlib import Path

from benchmarks.plan_learner import learner_decks, run_without_plan
from prepdeck.core.config import Config
from prepdeck.core.scheduler import GOOD, Scheduling
from prepdeck.core.store import Store

START = dt.date(2026, 3, 2)
WARM, DAYS, NEW = 150, 90, 6  # 150 days to reach a steady load, then 90 measured days
PER_ROUND = (WARM + DAYS) * NEW // 4 + 5


def cv(values: list[int]) -> float:
    return statistics.pstdev(values) / statistics.mean(values)


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
    # measured (benchmarks/RESULTS.md): CV 0.130 -> 0.085; the target of half is not reached, see there
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
