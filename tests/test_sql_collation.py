"""Issue 11's translated semantics, the leftovers: MySQL 8's default collation (utf8mb4_0900_ai_ci) ignores case
and accents not only in comparisons but in GROUP BY, DISTINCT, ORDER BY, PARTITION BY and joins; BigQuery's
`ARRAY_AGG(x IGNORE NULLS ORDER BY … LIMIT 1)[OFFSET(0)]` is a right answer (a group of NULLs gives NULL).

Each MySQL answer below gets the verdict MySQL 8 would give on the card's data; the same query in a dialect
that compares text exactly (Snowflake, DuckDB) gets the other verdict. Real DuckDB, translation path."""

from __future__ import annotations

import datetime as dt

import pytest

from prepdeck.checkers.sql import check_sql
from prepdeck.core.paths import BUILTIN_DECKS
from prepdeck.decks.loader import load_decks
from prepdeck.decks.model import Card, Case

ORDERS = "id,status,customer\n1,PAID,Ana\n2,paid,ana\n3,Paid,ÁNA\n4,Open,Bob\n5,Café,bob\n6,cafe,Bob\n"
CUSTOMERS = "name,city\nana,Lyon\nBOB,Oslo\n"


def _card(solution: str, *, ordered: bool = False) -> Card:
    return Card(
        deck_id="collation",
        id=f"c{abs(hash((solution, ordered)))}",
        type="sql",
        title="t",
        prompt="",
        solution=solution,
        ordered=ordered,
        today=dt.datetime(2026, 3, 31),
        tables={
            "orders": "id INTEGER, status VARCHAR, customer VARCHAR",
            "customers": "name TEXT, city VARCHAR",
        },
        cases=(Case("example", {"orders": ORDERS, "customers": CUSTOMERS}),),
    )


def _passes(card: Card, answer: str, dialect: str) -> bool:
    result = check_sql(card, answer, dialect, translate_only=True)
    assert result.error is None, result.error
    return result.passed


# what MySQL returns on this data, written so DuckDB computes it exactly (folding case and accents by hand)
FOLD = "lower(strip_accents({}))"
CASES = [
    (  # GROUP BY: PAID/paid/Paid are one group, Café/cafe another
        f"SELECT COUNT(*) AS n FROM (SELECT {FOLD.format('status')} FROM orders GROUP BY 1) g",
        "SELECT COUNT(*) AS n FROM (SELECT status FROM orders GROUP BY status) g",
    ),
    (  # DISTINCT and COUNT(DISTINCT)
        f"SELECT COUNT(DISTINCT {FOLD.format('customer')}) AS n FROM orders",
        "SELECT COUNT(DISTINCT customer) AS n FROM orders",
    ),
    (
        f"SELECT COUNT(*) AS n FROM (SELECT DISTINCT {FOLD.format('status')} FROM orders) d",
        "SELECT COUNT(*) AS n FROM (SELECT DISTINCT status FROM orders) d",
    ),
    (  # a join on text: 'ana' matches Ana, ana and ÁNA; 'BOB' matches Bob and bob
        f"SELECT o.id, c.city FROM orders o JOIN customers c ON {FOLD.format('o.customer')} = {FOLD.format('c.name')}",
        "SELECT o.id, c.city FROM orders o JOIN customers c ON o.customer = c.name",
    ),
    (  # comparisons ignore accents too, and IN
        "SELECT id FROM orders WHERE id IN (5, 6)",
        "SELECT id FROM orders WHERE status = 'CAFE'",
    ),
    (
        "SELECT id FROM orders WHERE id IN (1, 2, 3, 5, 6)",
        "SELECT id FROM orders WHERE status IN ('paid', 'café')",
    ),
    (  # PARTITION BY: row numbers run over the case-folded groups
        f"SELECT id, row_number() OVER (PARTITION BY {FOLD.format('customer')} ORDER BY id) AS rn FROM orders",
        "SELECT id, row_number() OVER (PARTITION BY customer ORDER BY id) AS rn FROM orders",
    ),
    (  # a CTE named like a table is the CTE
        "SELECT 1 AS x",
        "WITH orders AS (SELECT 1 AS x) SELECT x FROM orders",
    ),
]


@pytest.mark.parametrize("solution,answer", CASES)
def test_mysql_text_ignores_case_and_accents_everywhere(solution: str, answer: str) -> None:
    card = _card(solution)
    assert _passes(card, answer, "mysql")
    if "WITH orders" not in answer:  # the same query where text compares exactly gets the other verdict
        assert not _passes(card, answer, "snowflake")


def test_mysql_order_by_text_sorts_without_case() -> None:
    card = _card(f"SELECT DISTINCT city FROM customers ORDER BY {FOLD.format('city')}", ordered=True)
    data = "name,city\na,banana\nb,Cherry\nc,apple\n"
    card = Card(**{**card.__dict__, "cases": (Case("example", {"orders": ORDERS, "customers": data}),)})
    assert _passes(
        card, "SELECT DISTINCT city FROM customers ORDER BY city", "mysql"
    )  # apple, banana, Cherry
    assert not _passes(card, "SELECT DISTINCT city FROM customers ORDER BY city", "duckdb")  # Cherry first


def test_mysql_keeps_case_apart_when_asked() -> None:
    card = _card("SELECT COUNT(DISTINCT status) AS n FROM orders")  # 6 values written differently
    assert _passes(card, "SELECT COUNT(DISTINCT BINARY status) AS n FROM orders", "mysql")
    assert not _passes(card, "SELECT COUNT(DISTINCT status) AS n FROM orders", "mysql")


def test_bigquery_array_agg_ignore_nulls_limit_offset_is_right_on_first_last_value() -> None:
    card = load_decks([BUILTIN_DECKS]).card("sql-exercises/first-last-value")
    assert card is not None
    answer = """
        SELECT customer_id,
               ARRAY_AGG(channel ORDER BY order_ts, order_id LIMIT 1)[OFFSET(0)] AS first_channel,
               ARRAY_AGG(channel IGNORE NULLS ORDER BY order_ts DESC, order_id DESC LIMIT 1)[OFFSET(0)]
                 AS last_known_channel,
               COUNT(*) AS orders
        FROM orders
        GROUP BY customer_id
    """
    result = check_sql(card, answer, "bigquery", translate_only=True)
    assert result.passed, result.to_json()
    # without IGNORE NULLS a last order without a channel wins: wrong, and judged so
    assert not check_sql(card, answer.replace("channel IGNORE NULLS", "channel"), "bigquery").passed
    safe = answer.replace("[OFFSET(0)]", "[SAFE_OFFSET(0)]")
    assert check_sql(card, safe, "bigquery", translate_only=True).passed


@pytest.mark.parametrize(
    "answer",
    [
        "SELECT COUNT(DISTINCT status COLLATE utf8mb4_bin) AS n FROM orders",
        "SELECT COUNT(DISTINCT status COLLATE utf8mb4_0900_as_cs) AS n FROM orders",
        "SELECT COUNT(DISTINCT CAST(status AS BINARY)) AS n FROM orders",
    ],
)
def test_mysql_binary_and_case_sensitive_collations_compare_exactly(answer: str) -> None:
    assert _passes(_card("SELECT COUNT(DISTINCT status) AS n FROM orders"), answer, "mysql")


def test_mysql_accent_sensitive_collation_still_ignores_case() -> None:
    card = _card("SELECT COUNT(DISTINCT lower(status)) AS n FROM orders")  # paid, café, cafe, open
    assert _passes(card, "SELECT COUNT(DISTINCT status COLLATE utf8mb4_0900_as_ci) AS n FROM orders", "mysql")


def test_a_failed_mysql_case_says_which_values_mysql_calls_equal() -> None:
    card = _card("SELECT COUNT(DISTINCT status) AS n FROM orders")
    result = check_sql(card, "SELECT COUNT(DISTINCT status) AS n FROM orders", "mysql", translate_only=True)
    assert not result.passed and "MySQL compares text without case or accents" in result.cases[0].message
    assert "'PAID' and 'paid'" in result.cases[0].message and "COLLATE utf8mb4_bin" in result.cases[0].message
    hidden = Card(**{**card.__dict__, "cases": (Case("secret", {"orders": ORDERS}, hidden=True),)})
    shown = check_sql(hidden, "SELECT COUNT(DISTINCT status) AS n FROM orders", "mysql", translate_only=True)
    assert "some values of this case" in shown.cases[0].message and "PAID" not in shown.cases[0].message


def test_bigquery_offset_past_the_end_raises_as_in_bigquery_safe_offset_gives_null() -> None:
    card = Card(
        deck_id="collation",
        id="domain",
        type="sql",
        title="t",
        prompt="",
        solution="SELECT id, CASE WHEN contains(email, '@') THEN split_part(email, '@', 2) END AS domain FROM u",
        tables={"u": "id INTEGER, email VARCHAR"},
        cases=(Case("example", {"u": "id,email\n1,a@x.io\n2,nobody\n"}),),
    )
    strict = check_sql(card, "SELECT id, SPLIT(email, '@')[OFFSET(1)] AS domain FROM u", "bigquery")
    assert not strict.passed and "out of bounds" in (strict.cases[0].error or ""), strict.to_json()
    assert check_sql(card, "SELECT id, SPLIT(email, '@')[SAFE_OFFSET(1)] AS domain FROM u", "bigquery").passed
    assert check_sql(
        card, "SELECT id, SPLIT(email, '@')[SAFE_ORDINAL(2)] AS domain FROM u", "bigquery"
    ).passed
    ordinal = check_sql(card, "SELECT id, SPLIT(email, '@')[ORDINAL(2)] AS domain FROM u", "bigquery")
    assert not ordinal.passed
