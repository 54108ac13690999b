"""The SQL judge's sandbox and limits: every escape and every bad input is a graded one-line failure."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sql_cards import load_card

from prepdeck.checkers.sql import check_sql
from prepdeck.core.config import SqlConfig
from prepdeck.decks.model import Card

GOOD = """
SELECT order_id, status, updated_at FROM order_events
QUALIFY ROW_NUMBER() OVER (PARTITION BY order_id ORDER BY updated_at DESC, status_id DESC) = 1
"""


@pytest.fixture
def card(tmp_path: Path) -> Card:
    return load_card(tmp_path, "latest-order")


def _graded_failure(card: Card, answer: str | bytes, config: SqlConfig | None = None) -> str:
    result = check_sql(card, answer, config=config)
    assert not result.passed
    assert result.error, [c.message for c in result.cases]
    assert "\n" not in result.error and "Traceback" not in result.error
    return result.error


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        ("SELECT * FROM read_csv('/etc/passwd')", "file system operations are disabled"),
        ("SELECT * FROM read_text('/etc/passwd')", "file system operations are disabled"),
        ("SELECT * FROM read_parquet('/tmp/x.parquet')", "file system operations are disabled"),
        ("SELECT * FROM glob('/etc/*')", "file system operations are disabled"),
        ("SELECT * FROM '/etc/passwd'", "/etc/passwd"),
        ("SELECT * FROM query('SELECT 1')", "query() is not allowed"),
        ("COPY order_events TO '/tmp/stolen.csv'", "COPY is not allowed"),
        ("ATTACH '/tmp/other.db' AS other", "ATTACH is not allowed"),
        ("INSTALL httpfs", "INSTALL is not allowed"),
        ("LOAD httpfs", "LOAD is not allowed"),
        ("SET threads = 8", "SET is not allowed"),
        ("PRAGMA enable_external_access", "PRAGMA is not allowed"),
        ("CREATE TABLE x AS SELECT 1", "CREATE is not allowed"),
        ("INSERT INTO order_events VALUES ('o', 1, 'x', NULL)", "INSERT is not allowed"),
        ("WITH x AS (SELECT 1) DELETE FROM order_events", "not allowed"),
        ("DROP TABLE order_events", "DROP is not allowed"),
        ("DESCRIBE order_events", "DESCRIBE is not allowed"),
        ("CALL pragma_version()", "CALL is not allowed"),
        ("CHECKPOINT", "CHECKPOINT is not allowed"),
        ("SELECT 1; SELECT 2", "2 statements"),
        ("SELECT 1; DROP TABLE order_events", "2 statements"),
        ("", "the answer is empty"),
        ("  \n -- only a comment\n", "the answer is empty"),
        ("SELEC order_id FROM order_events", "syntax error"),
    ],
)
def test_escapes_and_non_queries_are_graded_failures(card: Card, answer: str, reason: str) -> None:
    assert reason in _graded_failure(card, answer)


def test_no_file_was_written(card: Card, tmp_path: Path) -> None:
    target = tmp_path / "stolen.csv"
    _graded_failure(card, f"COPY (SELECT * FROM order_events) TO '{target}'")
    _graded_failure(card, f"SELECT * FROM order_events; COPY order_events TO '{target}'")
    assert not target.exists()


def test_binary_answers(card: Card) -> None:
    assert "NUL bytes" in _graded_failure(card, b"SELECT 1\x00\x00")
    assert "not UTF-8" in _graded_failure(card, b"\xff\xfe\x00S\x00E")
    assert "NUL bytes" in _graded_failure(card, "SELECT\x00 1")


def test_a_bom_is_ignored(card: Card) -> None:
    assert check_sql(card, "\ufeff" + GOOD).passed
    assert check_sql(card, ("\ufeff" + GOOD).encode("utf-8")).passed


def test_runaway_recursive_query_hits_the_time_limit_and_the_next_check_works(card: Card) -> None:
    config = SqlConfig(time_limit_s=0.5)
    runaway = (
        "WITH RECURSIVE r AS (SELECT 1 AS x UNION ALL SELECT x + 1 FROM r) SELECT x, x, x FROM r WHERE x < 0"
    )
    assert _graded_failure(card, runaway, config) == "time limit of 0.5 s exceeded"
    assert check_sql(card, GOOD, config=config).passed


def test_huge_cross_join_hits_the_time_limit(card: Card) -> None:
    config = SqlConfig(time_limit_s=0.5)
    # a small build side: the pairs run for hours, but memory stays flat, so only the clock can stop it
    answer = "SELECT COUNT(*), 1, 2 FROM range(1000000000000) a, range(1000) b"
    assert _graded_failure(card, answer, config) == "time limit of 0.5 s exceeded"


def test_memory_limit_is_a_graded_failure(card: Card) -> None:
    config = SqlConfig(memory_limit_mb=64, time_limit_s=30)
    answer = "SELECT list(x), 1, 2 FROM range(50000000) t(x)"
    assert _graded_failure(card, answer, config) == "memory limit of 64 MB exceeded"
    assert check_sql(card, GOOD, config=config).passed


def test_a_million_rows_are_capped(card: Card) -> None:
    result = check_sql(card, "SELECT 'o', 'x', NULL::TIMESTAMP FROM range(1000000)")
    assert not result.passed
    assert result.cases[0].error == "returned more than 10,000 rows"
    small = check_sql(
        card, "SELECT 'o', 'x', NULL::TIMESTAMP FROM range(101)", config=SqlConfig(max_rows=100)
    )
    assert small.cases[0].error == "returned more than 100 rows"


def test_a_running_check_can_be_cancelled(card: Card) -> None:
    cancel = threading.Event()
    timer = threading.Timer(1.0, cancel.set)
    timer.start()
    runaway = (
        "WITH RECURSIVE r AS (SELECT 1 AS x UNION ALL SELECT x + 1 FROM r) SELECT x, x, x FROM r WHERE x < 0"
    )
    result = check_sql(card, runaway, config=SqlConfig(time_limit_s=60), cancel=cancel)
    timer.join()
    assert result.error == "cancelled"
    # the first case was running (or, on a very slow machine, not yet started) when the user cancelled
    assert result.cases[0].error in ("cancelled", "not run")
    assert [c.error for c in result.cases[1:]] == ["not run", "not run"]


def test_a_check_cancelled_before_it_starts(card: Card) -> None:
    cancel = threading.Event()
    cancel.set()
    result = check_sql(card, GOOD, cancel=cancel)
    assert not result.passed and result.error == "cancelled"


def test_answers_cannot_change_settings_through_functions(card: Card) -> None:
    # the configuration is locked: even a query cannot flip external access back on
    result = check_sql(card, "SELECT current_setting('enable_external_access'), 1, 2")
    assert result.cases[0].actual_rows == [[False, 1, 2]]  # DuckDB's boolean setting, as a boolean
