"""The hand-worked scenario the report tests assert against: ISO weeks 2026-W09 and W10 in New York.

W10 runs from Monday 2 March 00:00 EST to Monday 9 March 00:00 EDT (US daylight saving starts on
Sunday 8 March, so the week is 167 hours long). Every expected figure in the tests is derived in the
comments here.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from report_seed import (
    add_attempt,
    add_mock,
    add_recording,
    add_review,
    add_self_check,
    analysis,
    case,
    set_due,
    suspend,
)

from prepdeck.core.store import Store

NY = ZoneInfo("America/New_York")


def ny(month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=NY)


def seed_scenario(store: Store) -> None:
    # ---- W09 (last week) ----
    # first review of explain-plan, 10 minutes before W10 starts in New York (already W10 in UTC)
    add_review(store, "sql-patterns/explain-plan", ny(3, 1, 23, 50), 3, 20_000)
    # revenue solved first try, judged but only the payload kept (no attempt rows)
    add_review(
        store,
        "sql-patterns/revenue-by-country",
        ny(2, 25, 10),
        3,
        300_000,
        {"attempts": 1, "passed": True, "gave_up": False, "seconds": 300, "dialect": "duckdb"},
    )
    # sessionize solved on the third try
    add_review(
        store,
        "pyspark-tasks/sessionize",
        ny(2, 26, 18),
        2,
        1_200_000,
        {"attempts": 3, "passed": True, "gave_up": False, "seconds": 1200},
    )

    # ---- W10 (the reported week) ----
    # dedupe: first try fails the hidden case, second passes; reviewed 10 minutes into the week
    a1 = add_attempt(
        store,
        "sql-patterns/dedupe-latest",
        ny(3, 2, 0, 2),
        False,
        [case("example", True), case("late duplicate", False, hidden=True)],
    )
    a2 = add_attempt(
        store,
        "sql-patterns/dedupe-latest",
        ny(3, 2, 0, 7),
        True,
        [case("example", True), case("late duplicate", True, hidden=True)],
    )
    r = add_review(
        store,
        "sql-patterns/dedupe-latest",
        ny(3, 2, 0, 10),
        3,
        600_000,
        {"attempts": 2, "passed": True, "gave_up": False, "seconds": 480, "dialect": "duckdb"},
    )
    _link(store, "attempts", (a1, a2), r)
    # revenue passes first try, hidden case included
    a3 = add_attempt(
        store,
        "sql-patterns/revenue-by-country",
        ny(3, 3, 9, 58),
        True,
        [case("example", True), case("empty table", True, hidden=True)],
    )
    r = add_review(
        store,
        "sql-patterns/revenue-by-country",
        ny(3, 3, 10),
        3,
        300_000,
        {"attempts": 1, "passed": True, "gave_up": False, "seconds": 200},
    )
    _link(store, "attempts", (a3,), r)
    # explain-plan (recall): Again, then Good
    add_review(store, "sql-patterns/explain-plan", ny(3, 4, 8), 1, 60_000)
    add_review(store, "sql-patterns/explain-plan", ny(3, 5, 8), 3, 30_000)
    # design: one self-check linked to a review (Hard)
    r = add_review(store, "system-design/fraud-stream", ny(3, 5, 20, 5), 2, 180_000)
    add_self_check(
        store,
        "system-design/fraud-stream",
        ny(3, 5, 20),
        [True, True, False, True, False],
        [{"answer": 20000, "correct": True}, {"answer": 90, "correct": False}],
        review_id=r,
    )
    # two STAR answers; the second on Sunday 23:30 EDT, i.e. Monday 03:30 UTC, still W10
    r = add_review(store, "behavioral/pipeline-impact", ny(3, 6, 19), 3, 240_000)
    add_recording(
        store,
        "behavioral/pipeline-impact",
        ny(3, 6, 18, 55),
        analysis(
            150,
            145,
            10,
            {
                b: {"found": True, "seconds": 20.0}
                for b in ("situation", "task", "action", "result", "reflection")
            },
            numbers=3,
            i_count=8,
            we_count=2,
        ),
        self_score={"lines": {"depth": 9}},
        review_id=r,
    )
    r = add_review(store, "behavioral/outage", ny(3, 8, 23, 30), 2, 120_000)
    add_recording(
        store,
        "behavioral/outage",
        ny(3, 8, 23, 25),
        analysis(100, 120, 15, ["situation", "action"], numbers=0, i_count=2, we_count=6),
        review_id=r,
    )
    add_mock(store, "sql", ny(3, 7, 10), 30, 40)

    # ---- W11: Monday 00:30 EDT = 04:30 UTC, inside "W10 start + 7×24 h" but not W10 ----
    add_review(store, "sql-patterns/explain-plan", ny(3, 9, 0, 30), 4, 15_000)

    # ---- scheduler state for the forecast, and a leech ----
    set_due(store, "sql-patterns/revenue-by-country", ny(3, 1, 12))  # overdue: counts on the first day
    set_due(store, "sql-patterns/dedupe-latest", ny(3, 10, 9))
    set_due(store, "sql-patterns/explain-plan", ny(3, 12, 23, 59))
    set_due(store, "sql-patterns/partition-pruning", ny(3, 9, 15), lapses=8)
    suspend(store, "sql-patterns/partition-pruning", ny(3, 4, 8))  # leech: not in the forecast
    set_due(store, "gone-deck/old-card", ny(3, 9, 15))  # not in any loaded deck: not in the forecast


def _link(store: Store, table: str, ids: tuple[int, ...], review_id: int) -> None:
    with store.transaction() as c:
        c.executemany(f"UPDATE {table} SET review_id = ? WHERE id = ?", [(review_id, i) for i in ids])
