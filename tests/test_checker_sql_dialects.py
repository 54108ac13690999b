"""One card answered in every supported dialect, each with the idioms its users actually write."""

from __future__ import annotations

from pathlib import Path

import pytest
from sql_cards import case, latest_status_card, load_card

from prepdeck.checkers.sql import check_sql
from prepdeck.decks.model import Card

DECK = '''
[deck]
id = "judge-test"
title = "Dialects"
round = "sql"

[[cards]]
id = "refund-share"
type = "sql"
title = "Refund share over the last 7 days"
prompt = "Per user: refunded amount / total amount over the 7 days before today (NULL when the total is 0)."
today = 2026-03-31
solution = """
SELECT user_id,
       SUM(CASE WHEN status = 'refund' THEN amount ELSE 0 END) / NULLIF(SUM(amount), 0) AS refund_share
FROM payments
WHERE ts >= CURRENT_DATE - INTERVAL 7 DAY AND ts < CURRENT_DATE
GROUP BY user_id
"""
[cards.tables]
payments = "user_id VARCHAR, amount DECIMAL(12,2), status VARCHAR, ts TIMESTAMP"
[[cards.cases]]
name = "example"
[cards.cases.data]
payments = """
user_id,amount,status,ts
u1,10.00,paid,2026-03-30 10:00:00
u1,2.50,refund,2026-03-29 09:00:00
u2,4.00,paid,2026-03-24 00:00:00
u2,4.00,refund,2026-03-23 23:59:59
u3,0.00,paid,2026-03-30 00:00:00
u4,9.00,paid,2026-03-31 00:00:00
"""
[[cards.cases]]
name = "only refunds"
hidden = true
[cards.cases.data]
payments = """
user_id,amount,status,ts
u1,3.00,refund,2026-03-30 23:59:59
u1,,refund,2026-03-30 23:59:59
"""

''' + latest_status_card(
    "latest-status",
    select="order_id, status",
    title="Latest status",
    prompt="Each order's latest status; ties: higher status_id.",
    cases=[
        case(
            "example",
            order_events="""
order_id,status_id,status,updated_at
o1,1,NEW,2026-03-30 10:00:00
o1,2,PAID,2026-03-30 10:00:00
o2,3,NEW,2026-03-29 09:00:00
""",
        )
    ],
)

REFUND_ANSWERS = {
    "duckdb": """SELECT user_id, COALESCE(SUM(amount) FILTER (status = 'refund'), 0) / NULLIF(SUM(amount), 0)
                 FROM payments WHERE ts >= today() - 7 AND ts < today() GROUP BY ALL""",
    "bigquery": """SELECT user_id, SAFE_DIVIDE(SUM(IF(status = 'refund', amount, 0)), SUM(amount))
                   FROM payments
                   WHERE DATE(ts) >= DATE_SUB(CURRENT_DATE(), INTERVAL 7 DAY) AND DATE(ts) < CURRENT_DATE()
                   GROUP BY user_id""",
    "spark": """SELECT user_id, SUM(CASE WHEN status = 'refund' THEN amount ELSE 0 END) / NULLIF(SUM(amount), 0)
                FROM payments WHERE ts >= date_sub(current_date(), 7) AND ts < current_date()
                GROUP BY user_id""",
    "postgres": """SELECT user_id,
                          COALESCE(SUM(amount) FILTER (WHERE status = 'refund'), 0) / NULLIF(SUM(amount), 0)
                   FROM payments
                   WHERE ts::date >= CURRENT_DATE - INTERVAL '7 day' AND ts::date < CURRENT_DATE
                   GROUP BY user_id""",
    "snowflake": """SELECT user_id, SUM(IFF(status = 'refund', amount, 0)) / NULLIF(SUM(amount), 0)
                    FROM payments
                    WHERE ts >= DATEADD(day, -7, CURRENT_DATE()) AND ts < CURRENT_DATE()
                    GROUP BY user_id""",
    "mysql": """SELECT `user_id`, SUM(IF(`status` = 'refund', `amount`, 0)) / NULLIF(SUM(IFNULL(`amount`, 0)), 0)
                FROM `payments`
                WHERE `ts` >= DATE_SUB(CURDATE(), INTERVAL 7 DAY) AND `ts` < CURDATE()
                GROUP BY `user_id`""",
}


@pytest.fixture
def refund(tmp_path: Path) -> Card:
    return load_card(tmp_path, "refund-share", DECK)


@pytest.fixture
def latest(tmp_path: Path) -> Card:
    return load_card(tmp_path, "latest-status", DECK)


@pytest.mark.parametrize("dialect", sorted(REFUND_ANSWERS))
def test_each_dialect_answers_the_same_card(refund: Card, dialect: str) -> None:
    result = check_sql(refund, REFUND_ANSWERS[dialect], dialect)
    assert result.error is None, result.error
    assert [(c.name, c.passed, c.message) for c in result.cases] == [
        ("example", True, ""),
        ("only refunds", True, ""),
    ]
    assert result.dialect == dialect


@pytest.mark.parametrize("dialect", sorted(REFUND_ANSWERS))
def test_each_dialect_gets_caught_on_the_window_boundary(refund: Card, dialect: str) -> None:
    # 8 days instead of 7: u2's refund at 23:59:59 the day before the window sneaks in
    answer = REFUND_ANSWERS[dialect].replace("7", "8")
    result = check_sql(refund, answer, dialect)
    assert not result.passed and result.error is None
    assert result.cases[0].message == "1 row missing, 1 unexpected"


@pytest.mark.parametrize(
    ("dialect", "answer"),
    [
        (
            "bigquery",
            """SELECT order_id, status FROM order_events
                    QUALIFY ROW_NUMBER() OVER (PARTITION BY order_id ORDER BY updated_at DESC, status_id DESC) = 1""",
        ),
        (
            "snowflake",
            """SELECT order_id, status FROM order_events
                     QUALIFY ROW_NUMBER() OVER (PARTITION BY order_id ORDER BY updated_at DESC, status_id DESC) = 1""",
        ),
        (
            "spark",
            """SELECT order_id, status FROM (
                   SELECT *, row_number() OVER (PARTITION BY order_id ORDER BY updated_at DESC, status_id DESC) AS rn
                   FROM order_events) t WHERE rn = 1""",
        ),
        (
            "postgres",
            """SELECT DISTINCT ON (order_id) order_id, status FROM order_events
                    ORDER BY order_id, updated_at DESC, status_id DESC""",
        ),
        (
            "mysql",
            """SELECT `order_id`, `status` FROM (
                   SELECT *, ROW_NUMBER() OVER (PARTITION BY `order_id` ORDER BY `updated_at` DESC, `status_id` DESC) AS rn
                   FROM `order_events`) AS t WHERE rn = 1""",
        ),
    ],
)
def test_dedupe_idioms_per_dialect(latest: Card, dialect: str, answer: str) -> None:
    result = check_sql(latest, answer, dialect)
    assert result.passed, (result.error, [c.message for c in result.cases])


@pytest.mark.parametrize("dialect", sorted(REFUND_ANSWERS))
def test_a_syntax_error_in_any_dialect_is_one_line_with_its_position(latest: Card, dialect: str) -> None:
    result = check_sql(latest, "SELECT order_id, status\nFROM order_events\nWHERE status_id = = 1", dialect)
    assert not result.passed and result.error is not None and "\n" not in result.error
    assert "line 3" in result.error


def test_translation_is_kept_on_the_result(latest: Card) -> None:
    result = check_sql(latest, "SELECT `order_id`, `status` FROM `order_events`", "mysql")
    assert result.translated is not None and "`" not in result.translated
    assert "order_events" in result.translated


SPARK_EPOCH_SESSIONIZE = {
    "unix_timestamp": "unix_timestamp(event_ts) - unix_timestamp(LAG(event_ts) OVER w) > 1800",
    "cast_to_long": "CAST(event_ts AS LONG) - CAST(LAG(event_ts) OVER w AS LONG) > 1800",
}


@pytest.mark.parametrize("gap", SPARK_EPOCH_SESSIONIZE.values(), ids=SPARK_EPOCH_SESSIONIZE.keys())
def test_spark_epoch_seconds_idioms_are_judged_right(gap: str) -> None:
    """Spark's usual epoch-seconds idioms must not be mistranslated into errors or NULLs."""
    from prepdeck.checkers.sql import check_sql
    from prepdeck.core.paths import BUILTIN_DECKS
    from prepdeck.decks.loader import load_deck_file

    deck, _ = load_deck_file(BUILTIN_DECKS / "sql-exercises.toml")
    assert deck is not None
    card = deck.card("sessionize-events")
    assert card is not None
    answer = f"""
    WITH flagged AS (
      SELECT user_id, event_ts, page,
             CASE WHEN LAG(event_ts) OVER w IS NULL OR {gap} THEN 1 ELSE 0 END AS is_new
      FROM events
      WINDOW w AS (PARTITION BY user_id ORDER BY event_ts)
    ), numbered AS (
      SELECT *, SUM(is_new) OVER (PARTITION BY user_id ORDER BY event_ts) AS session_number FROM flagged
    )
    SELECT user_id, session_number, MIN(event_ts), MAX(event_ts), COUNT(*), COUNT(DISTINCT page)
    FROM numbered GROUP BY user_id, session_number
    """
    result = check_sql(card, answer, dialect="spark")
    assert result.error is None, result.error
    assert result.passed, [c.message for c in result.cases]
