"""The clock functions in SQL text an answer hands to Spark, rewritten to the card's `today` (no Spark)."""

from __future__ import annotations

import datetime as dt

import pytest

from prepdeck.checkers.spark.clock import freeze_sql

TODAY = dt.datetime(2024, 3, 15, 9, 30)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("SELECT current_date", "SELECT DATE'2024-03-15'"),
        ("select CURRENT_DATE() - 1", "select DATE'2024-03-15' - 1"),
        ("date_sub(curdate(), 7)", "date_sub(DATE'2024-03-15', 7)"),
        (
            "now() AS ts, current_timestamp",
            "TIMESTAMP'2024-03-15 09:30:00' AS ts, TIMESTAMP'2024-03-15 09:30:00'",
        ),
        ("localtimestamp()", "TIMESTAMP_NTZ'2024-03-15 09:30:00'"),
        # not the functions: quoted text, quoted names, comments, a column named now, a qualified name
        ("'current_date' AS label", "'current_date' AS label"),
        ('`current_date`, "now()"', '`current_date`, "now()"'),
        ("x -- current_date\n/* now() */ y", "x -- current_date\n/* now() */ y"),
        ("SELECT now, curdate FROM t", "SELECT now, curdate FROM t"),
        ("t.current_date", "t.current_date"),
        ("'it''s' || current_date", "'it''s' || DATE'2024-03-15'"),
    ],
)
def test_clock_functions_in_sql_text_become_literals(text: str, expected: str) -> None:
    assert freeze_sql(text, TODAY) == expected


def test_an_aware_today_is_read_in_utc() -> None:
    aware = dt.datetime(2024, 3, 15, 1, 0, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    assert freeze_sql("now()", aware) == "TIMESTAMP'2024-03-14 23:00:00'"
