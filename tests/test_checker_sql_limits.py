"""No answer can take the app's memory or time: DuckDB runs in a worker process with an address-space
cap, results and answers are capped in size, and a killed worker is replaced (issue 12, item 7)."""

from __future__ import annotations

import os
import signal
import threading
from pathlib import Path

import pytest
from sql_cards import load_card

from prepdeck.checkers.sql import check_sql, duckdb_worker
from prepdeck.core.config import SqlConfig
from prepdeck.decks.model import Card

GOOD = """SELECT order_id, status, updated_at FROM order_events
QUALIFY ROW_NUMBER() OVER (PARTITION BY order_id ORDER BY updated_at DESC, status_id DESC) = 1"""


@pytest.fixture
def card(tmp_path: Path) -> Card:
    return load_card(tmp_path, "latest-order")


def test_a_two_gigabyte_string_fails_in_the_worker_not_the_app(card: Card) -> None:
    result = check_sql(card, "SELECT repeat('x', 2000000000)", "duckdb", SqlConfig(memory_limit_mb=256))
    assert result.error == "memory limit of 256 MB exceeded"
    assert check_sql(card, GOOD, "duckdb").passed  # and the next check runs


def test_a_result_of_a_hundred_megabytes_is_refused_not_sent(card: Card) -> None:
    answer = "SELECT repeat('x', 1000000) FROM range(100)"
    result = check_sql(card, answer, "duckdb", SqlConfig(memory_limit_mb=1024, time_limit_s=30))
    assert result.cases[0].error == f"the result is larger than {duckdb_worker.RESULT_BYTES // 2**20} MB"


def test_an_answer_of_fifty_megabytes_is_refused_before_any_parser(card: Card) -> None:
    result = check_sql(card, "SELECT '" + "y" * 50_000_000 + "'", "duckdb")
    assert result.error is not None and result.error.startswith(
        "the answer is 50,000 KB: an answer is at most"
    )


def test_a_cancel_kills_the_query_and_the_next_check_finds_a_fresh_worker(card: Card) -> None:
    cancel = threading.Event()
    timer = threading.Timer(1.0, cancel.set)
    timer.start()
    slow = "SELECT count(*) FROM range(10000000000) a"
    result = check_sql(card, slow, "duckdb", SqlConfig(time_limit_s=60), cancel=cancel)
    timer.cancel()
    assert result.error == "cancelled"
    assert check_sql(card, GOOD, "duckdb").passed


def test_a_worker_that_dies_is_replaced(card: Card) -> None:
    assert check_sql(card, GOOD, "duckdb").passed
    worker = duckdb_worker._WORKER
    assert worker is not None and worker.process.pid != os.getpid()
    os.kill(worker.process.pid, signal.SIGKILL)
    worker.process.wait()
    assert check_sql(card, GOOD, "duckdb").passed


def test_a_hidden_cases_data_stays_out_of_a_duckdb_error(card: Card) -> None:
    # the hidden case 'empty status' holds the status "" and NULL; 'tie on timestamp' holds PAID/NEW
    result = check_sql(card, "SELECT CAST(status AS INTEGER) FROM order_events", "duckdb")
    visible, *hidden = result.cases
    assert visible.error is not None and "'NEW'" in visible.error  # the visible case may say what failed
    for case in hidden:
        assert case.error is not None and case.error.startswith("Conversion Error")
        assert "PAID" not in case.error and "NEW" not in case.error and "details hidden" in case.error
