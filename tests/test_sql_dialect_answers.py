"""Correct answers written in each of the six dialects, for eleven built-in cards, judged where each
dialect is judged: PostgreSQL on the real PostgreSQL, Spark SQL on the real Spark when its native judge
is installed, the others through the DuckDB translation with their own semantics. Each must pass; a
dialect's own habits (NULL order, no NULLS LAST in MySQL, DISTINCT ON in PostgreSQL, QUALIFY where it
exists) are written the way a candidate for that engine would write them."""

from __future__ import annotations

from pathlib import Path

import pytest

from prepdeck.checkers.sql import check_sql
from prepdeck.decks.loader import load_deck_file

pytestmark = pytest.mark.slow

DECK, _ = load_deck_file(
    Path(__file__).resolve().parent.parent / "decks" / "sql-exercises.toml", builtin=True
)
assert DECK is not None
CARDS = {card.id: card for card in DECK.cards}

ROW_NUMBER_LATEST = """SELECT customer_id, email, plan, updated_at FROM (
  SELECT customer_id, email, plan, updated_at,
         ROW_NUMBER() OVER (PARTITION BY customer_id ORDER BY {order}) AS rn
  FROM customer_updates
) latest WHERE rn = 1"""
TOP2 = """SELECT customer_id, order_id, order_ts, amount, recency FROM (
  SELECT customer_id, order_id, order_ts, amount,
         ROW_NUMBER() OVER (PARTITION BY customer_id ORDER BY {order}) AS recency
  FROM orders
) ranked WHERE recency <= 2"""
DENSE3 = """SELECT dept, name, salary FROM (
  SELECT dept, name, salary, DENSE_RANK() OVER (PARTITION BY dept ORDER BY salary DESC) AS r
  FROM employees WHERE salary IS NOT NULL
) ranked WHERE r <= 3"""
RANK3 = """SELECT region, rep_id, revenue, rnk FROM (
  SELECT region, rep_id, SUM(amount) AS revenue,
         RANK() OVER (PARTITION BY region ORDER BY {order}) AS rnk
  FROM deals GROUP BY region, rep_id
) ranked WHERE rnk <= 3"""
RUNNING = """SELECT account_id, entry_id, amount,
       SUM(amount) OVER (PARTITION BY account_id ORDER BY {order}
                         ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS balance
FROM ledger"""
ANTI = """SELECT c.customer_id, c.name
FROM customers c LEFT JOIN orders o ON o.customer_id = c.customer_id
WHERE o.customer_id IS NULL"""
MANAGER = """SELECT e.name, e.salary, m.name, m.salary
FROM employees e, employees m
WHERE m.emp_id = e.manager_id AND e.salary > m.salary"""
POINT_IN_TIME = """SELECT o.order_id, o.customer_id, d.tier, o.amount
FROM orders o LEFT JOIN dim_customer d
  ON d.customer_id = o.customer_id AND d.valid_from <= o.order_ts
 AND COALESCE(o.order_ts < d.valid_to, TRUE)"""
CDC = """SELECT order_id, status, amount, event_ts FROM (
  SELECT order_id, op, status, amount, event_ts,
         ROW_NUMBER() OVER (PARTITION BY order_id ORDER BY {order}) AS rn
  FROM order_changes
) latest WHERE rn = 1 AND op <> 'DELETE'"""
PERCENT = """SELECT category, product, revenue,
       ROUND(100 * revenue / SUM(revenue) OVER (PARTITION BY category), 2),
       ROUND(100 * revenue / SUM(revenue) OVER (), 2)
FROM (SELECT category, product, SUM(revenue) AS revenue
      FROM order_items WHERE status = 'completed' GROUP BY category, product) per_product"""
CART_NOT_BOUGHT = """SELECT user_id, product_id FROM events
WHERE product_id IS NOT NULL
GROUP BY user_id, product_id
HAVING SUM(CASE WHEN event_name = 'add_to_cart' THEN 1 ELSE 0 END) > 0
   AND SUM(CASE WHEN event_name = 'purchase' THEN 1 ELSE 0 END) = 0"""

# MySQL has no NULLS FIRST/LAST: a candidate sorts on `x IS NULL` first
LATEST = {
    "std": "updated_at DESC NULLS LAST, ingested_at DESC",
    "mysql": "updated_at IS NULL, updated_at DESC, ingested_at DESC",
}
RECENT = {
    "std": "order_ts DESC NULLS LAST, order_id DESC",
    "mysql": "order_ts IS NULL, order_ts DESC, order_id DESC",
}
REVENUE = {"std": "SUM(amount) DESC NULLS LAST", "mysql": "SUM(amount) IS NULL, SUM(amount) DESC"}
LEDGER = {"std": "entry_ts NULLS LAST, entry_id", "mysql": "entry_ts IS NULL, entry_ts, entry_id"}
CHANGES = {"std": "event_ts DESC NULLS LAST, lsn DESC", "mysql": "event_ts IS NULL, event_ts DESC, lsn DESC"}

DIALECTS = ("duckdb", "postgres", "bigquery", "snowflake", "mysql", "spark")


def _answers() -> list[tuple[str, str, str]]:
    out = []
    for dialect in DIALECTS:
        key = "mysql" if dialect == "mysql" else "std"
        out += [
            ("dedupe-latest-row", dialect, ROW_NUMBER_LATEST.format(order=LATEST[key])),
            ("top-n-row-number", dialect, TOP2.format(order=RECENT[key])),
            ("top-n-dense-rank", dialect, DENSE3),
            ("top-n-rank-ties", dialect, RANK3.format(order=REVENUE[key])),
            ("running-total-ties", dialect, RUNNING.format(order=LEDGER[key])),
            ("anti-join-not-in-null", dialect, ANTI),
            ("self-join-manager-salary", dialect, MANAGER),
            ("scd2-point-in-time-join", dialect, POINT_IN_TIME),
            ("dedupe-cdc-late-deletes", dialect, CDC.format(order=CHANGES[key])),
            ("percent-of-total", dialect, PERCENT),
            ("did-x-not-y", dialect, CART_NOT_BOUGHT),
        ]
    # each engine's own idiom where it has one
    out += [
        (
            "dedupe-latest-row",
            "postgres",
            "SELECT DISTINCT ON (customer_id) customer_id, email, plan, updated_at FROM customer_updates "
            "ORDER BY customer_id, updated_at DESC NULLS LAST, ingested_at DESC",
        ),
        (
            "dedupe-cdc-late-deletes",
            "snowflake",
            "SELECT order_id, status, amount, event_ts FROM order_changes WHERE TRUE QUALIFY "
            "ROW_NUMBER() OVER (PARTITION BY order_id ORDER BY event_ts DESC NULLS LAST, lsn DESC) = 1 "
            "AND op <> 'DELETE'",
        ),
        (
            "did-x-not-y",
            "postgres",
            "SELECT user_id, product_id FROM events WHERE product_id IS NOT NULL GROUP BY 1, 2 "
            "HAVING bool_or(event_name = 'add_to_cart') AND NOT bool_or(event_name = 'purchase')",
        ),
        (
            "did-x-not-y",
            "bigquery",
            "SELECT user_id, product_id FROM events WHERE product_id IS NOT NULL GROUP BY 1, 2 "
            "HAVING COUNTIF(event_name = 'add_to_cart') > 0 AND COUNTIF(event_name = 'purchase') = 0",
        ),
    ]
    return out


ANSWERS = _answers()


def test_ten_cards_in_every_dialect() -> None:
    per_dialect = {d: {card for card, dialect, _ in ANSWERS if dialect == d} for d in DIALECTS}
    assert all(len(cards) >= 10 for cards in per_dialect.values()), per_dialect


@pytest.mark.parametrize(
    "card_id,dialect,sql", ANSWERS, ids=[f"{c}-{d}-{i}" for i, (c, d, _) in enumerate(ANSWERS)]
)
def test_a_correct_answer_passes_in_its_dialect(card_id: str, dialect: str, sql: str) -> None:
    result = check_sql(CARDS[card_id], sql, dialect)
    failures = [f"{c.name}: {c.error or c.message}" for c in result.cases if not c.passed]
    assert result.passed, f"{result.engine}: {result.error or failures}"
    if dialect == "postgres":
        assert (result.engine or "").startswith("postgresql")
