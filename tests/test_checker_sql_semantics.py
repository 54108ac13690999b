"""Translated dialects keep their own meaning (issue 11's wrong verdicts, each one a test).

These answers go through the DuckDB translation (`translate_only=True`): what they prove is that the
translation means what the source dialect means; the native engines have their own tests.
"""

from __future__ import annotations

import datetime as dt

import pytest

from prepdeck.checkers.sql import check_sql
from prepdeck.decks.model import Card, Case

TABLES = {
    "orders": "order_id INTEGER, amount DECIMAL(10,2), qty INTEGER, paid_at TIMESTAMP, lo DATE, hi DATE",
}
DATA = """order_id,amount,qty,paid_at,lo,hi
1,120.00,3,2026-03-01 10:00:00,2026-03-01,2026-03-03
2,75.50,2,,2026-03-10,2026-03-10
3,20.00,0,2026-03-02 09:30:00,2026-03-05,2026-03-06
"""


def _card(solution: str, dialect: str = "duckdb", *, ordered: bool = False) -> Card:
    return Card(
        deck_id="semantics",
        id=f"c{abs(hash(solution))}",
        type="sql",
        title="t",
        prompt="",
        solution=solution,
        dialect=dialect,
        ordered=ordered,
        today=dt.datetime(2026, 3, 31),
        tables=TABLES,
        cases=(Case("example", {"orders": DATA}),),
    )


def _check(card: Card, answer: str, dialect: str):  # type: ignore[no-untyped-def]
    return check_sql(card, answer, dialect, translate_only=True)


# -- wrong answers that the translation used to accept ------------------------------------------


def test_postgres_integer_division_truncates_in_the_translation_too() -> None:
    card = _card("SELECT ROUND(100.0 * COUNT(paid_at) / COUNT(*), 1) FROM orders")
    wrong = _check(card, "SELECT ROUND(100 * COUNT(paid_at) / COUNT(*), 1) FROM orders", "postgres")
    assert not wrong.passed and wrong.cases[0].actual_rows == [[66]]
    assert "translated from postgres" in (wrong.engine or "")
    assert _check(card, "SELECT ROUND(100.0 * COUNT(paid_at) / COUNT(*), 1) FROM orders", "postgres").passed


@pytest.mark.parametrize("dialect,name", [("mysql", "MySQL"), ("postgres", "PostgreSQL")])
def test_qualify_is_refused_where_the_dialect_has_none(dialect: str, name: str) -> None:
    card = _card("SELECT order_id FROM orders WHERE order_id = 3")
    answer = "SELECT order_id FROM orders QUALIFY ROW_NUMBER() OVER (ORDER BY amount) = 1"
    result = _check(card, answer, dialect)
    assert not result.passed
    assert result.error == (
        f"QUALIFY is not {name} syntax: filter the window function's result in an outer query"
    )
    assert _check(card, answer, "bigquery").passed  # BigQuery has QUALIFY


def test_spark_division_by_zero_fails_as_spark_ansi_does() -> None:
    card = _card("SELECT order_id, amount / NULLIF(qty, 0) FROM orders")
    result = _check(card, "SELECT order_id, amount / qty FROM orders", "spark")
    assert not result.passed
    assert result.cases[0].error is not None and "Division by zero" in result.cases[0].error
    assert _check(card, "SELECT order_id, amount / NULLIF(qty, 0) FROM orders", "spark").passed


@pytest.mark.parametrize(
    "dialect,answer,message",
    [
        (
            "bigquery",
            "SELECT COUNT(*) FILTER (WHERE qty > 0) FROM orders",
            "FILTER (WHERE …) is not BigQuery",
        ),
        ("mysql", "SELECT COUNT(*) FILTER (WHERE qty > 0) FROM orders", "FILTER (WHERE …) is not MySQL"),
        (
            "snowflake",
            "SELECT COUNT(*) FILTER (WHERE qty > 0) FROM orders",
            "FILTER (WHERE …) is not Snowflake",
        ),
        ("spark", "SELECT DISTINCT ON (qty) qty FROM orders", "DISTINCT ON is not Spark SQL"),
        ("bigquery", "SELECT qty::text FROM orders", "'::' casts are not BigQuery"),
        (
            "mysql",
            "SELECT o.qty FROM orders o FULL OUTER JOIN orders p ON o.order_id = p.order_id",
            "FULL OUTER",
        ),
        ("mysql", "SELECT qty FROM orders ORDER BY qty NULLS LAST", "NULLS FIRST/LAST is not MySQL"),
    ],
)
def test_syntax_the_dialect_lacks_is_refused_naming_it(dialect: str, answer: str, message: str) -> None:
    result = _check(_card("SELECT 1"), answer, dialect)
    assert result.error is not None and result.error.startswith(message), result.error
    assert all(c.error == "not run" for c in result.cases)


# -- right answers that the translation used to reject -------------------------------------------


def test_spark_explode_sequence_of_dates_steps_a_day() -> None:
    card = _card("SELECT order_id, UNNEST(GENERATE_SERIES(lo, hi, INTERVAL 1 DAY))::DATE FROM orders")
    assert _check(card, "SELECT order_id, explode(sequence(lo, hi)) FROM orders", "spark").passed


def test_spark_trunc_to_month() -> None:
    card = _card("SELECT order_id, DATE_TRUNC('month', lo)::DATE FROM orders")
    assert _check(card, "SELECT order_id, trunc(lo, 'MM') FROM orders", "spark").passed


def test_spark_cast_to_int_truncates() -> None:
    card = _card("SELECT order_id, CAST(FLOOR(amount / 50) AS INTEGER) FROM orders")
    # 75.50 / 50 = 1.51: Spark truncates to 1, DuckDB's CAST would round to 2
    assert _check(card, "SELECT order_id, CAST(amount / 50 AS INT) FROM orders", "spark").passed


def test_mysql_div_on_decimals_is_integer_division() -> None:
    card = _card("SELECT order_id, CAST(FLOOR(amount / 50) AS INTEGER) FROM orders")
    result = _check(card, "SELECT order_id, amount DIV 50 FROM orders", "mysql")
    assert result.passed, result.cases[0].actual_rows


def test_bigquery_array_agg_with_limit_then_offset() -> None:
    card = _card("SELECT arg_max(order_id, amount) FROM orders")
    answer = "SELECT ARRAY_AGG(order_id ORDER BY amount DESC LIMIT 1)[OFFSET(0)] FROM orders"
    assert _check(card, answer, "bigquery").passed


def test_null_order_follows_the_source_dialect() -> None:
    # nulls sort first ascending in MySQL, BigQuery and Spark; last in PostgreSQL and Snowflake
    first = _card("SELECT paid_at FROM orders ORDER BY paid_at NULLS FIRST", ordered=True)
    for dialect in ("mysql", "bigquery", "spark"):
        assert _check(first, "SELECT paid_at FROM orders ORDER BY paid_at", dialect).passed, dialect
    last = _card("SELECT paid_at FROM orders ORDER BY paid_at NULLS LAST", ordered=True)
    for dialect in ("postgres", "snowflake"):
        assert _check(last, "SELECT paid_at FROM orders ORDER BY paid_at", dialect).passed, dialect


@pytest.mark.parametrize(
    "dialect,answer,solution",
    [
        # day of week: Sunday = 1 in MySQL, BigQuery and Spark; Sunday = 0 in Snowflake and DuckDB
        (
            "mysql",
            "SELECT order_id, DAYOFWEEK(lo) FROM orders",
            "SELECT order_id, dayofweek(lo) + 1 FROM orders",
        ),
        (
            "bigquery",
            "SELECT order_id, EXTRACT(DAYOFWEEK FROM lo) FROM orders",
            "SELECT order_id, dayofweek(lo) + 1 FROM orders",
        ),
        (
            "spark",
            "SELECT order_id, dayofweek(lo) FROM orders",
            "SELECT order_id, dayofweek(lo) + 1 FROM orders",
        ),
        (
            "snowflake",
            "SELECT order_id, DAYOFWEEK(lo) FROM orders",
            "SELECT order_id, dayofweek(lo) FROM orders",
        ),
        (
            "bigquery",
            "SELECT order_id, EXTRACT(ISOWEEK FROM lo) FROM orders",
            "SELECT order_id, weekofyear(lo) FROM orders",
        ),
        (
            "snowflake",
            "SELECT order_id, TO_CHAR(lo, 'YYYY-MM') FROM orders",
            "SELECT order_id, strftime(lo, '%Y-%m') FROM orders",
        ),
        (
            "snowflake",
            "SELECT order_id, RATIO_TO_REPORT(qty) OVER () FROM orders",
            "SELECT order_id, qty / 5 FROM orders",
        ),
        (
            "mysql",
            "SELECT order_id, UNIX_TIMESTAMP(paid_at) FROM orders",
            "SELECT order_id, epoch(paid_at)::BIGINT FROM orders",
        ),
        (
            "mysql",
            "SELECT SUBSTRING_INDEX('a.b.c', '.', 2), SUBSTRING_INDEX('a.b.c', '.', -1)",
            "SELECT 'a.b', 'c'",
        ),
        ("spark", "SELECT bround(2.5), bround(3.5), round(2.5)", "SELECT 2, 4, 3"),
    ],
)
def test_functions_mean_what_they_mean_in_the_source_dialect(
    dialect: str, answer: str, solution: str
) -> None:
    result = _check(_card(solution), answer, dialect)
    assert result.passed, (result.error, result.cases[0].actual_rows, result.cases[0].expected_rows)


def test_mysql_compares_text_without_case() -> None:
    card = Card(
        deck_id="semantics",
        id="case-insensitive",
        type="sql",
        title="t",
        prompt="",
        solution="SELECT id FROM t WHERE lower(status) = 'paid'",
        today=dt.datetime(2026, 3, 31),
        tables={"t": "id INTEGER, status VARCHAR"},
        cases=(Case("example", {"t": "id,status\n1,PAID\n2,paid\n3,Open\n"}),),
    )
    assert _check(card, "SELECT id FROM t WHERE status = 'Paid'", "mysql").passed
    assert _check(card, "SELECT id FROM t WHERE status LIKE 'PA%'", "mysql").passed
    assert not _check(card, "SELECT id FROM t WHERE status = 'Paid'", "snowflake").passed  # case counts there
