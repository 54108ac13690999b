"""The SQL judge on real DuckDB: expected results, frozen clock, NULL vs "", ordered cards, hidden cases."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from sql_cards import load_card

from prepdeck.checkers.sql import (
    NO_ORDER_BY,
    AnswerError,
    CardProblem,
    check_sql,
    clear_solution_cache,
    explain_sql,
    normalize_dialect,
    translate,
)
from prepdeck.core.config import Config, SqlConfig
from prepdeck.decks.model import Card, Case

LATEST = """
SELECT order_id, status, updated_at FROM order_events
QUALIFY ROW_NUMBER() OVER (PARTITION BY order_id ORDER BY updated_at DESC, status_id DESC) = 1
"""


@pytest.fixture
def latest(tmp_path: Path) -> Card:
    return load_card(tmp_path, "latest-order")


@pytest.fixture
def revenue(tmp_path: Path) -> Card:
    return load_card(tmp_path, "recent-revenue")


def test_the_solution_passes_every_case(latest: Card) -> None:
    result = check_sql(latest, LATEST)
    assert result.passed and result.error is None
    assert [c.name for c in result.cases] == ["example", "tie on timestamp", "empty status"]
    assert all(c.passed for c in result.cases)
    assert result.card == "judge-test/latest-order" and result.dialect == "duckdb"


def test_a_wrong_tie_break_fails_only_the_hidden_tie_case(latest: Card) -> None:
    wrong = LATEST.replace("status_id DESC", "status_id ASC")
    result = check_sql(latest, wrong)
    assert not result.passed
    by_name = {c.name: c for c in result.cases}
    assert by_name["example"].passed
    tie = by_name["tie on timestamp"]
    assert not tie.passed and tie.hidden
    assert tie.message == "1 row missing, 1 unexpected"
    assert tie.missing == [["o1", "PAID", "2026-03-30 10:00:00"]]
    assert tie.unexpected == [["o1", "NEW", "2026-03-30 10:00:00"]]
    # hidden rows are withheld from the JSON shape unless revealed
    hidden_json = result.to_json(reveal_hidden=False)["cases"][1]
    assert hidden_json["missing"] == [] and hidden_json["message"] == "1 row missing, 1 unexpected"


def test_empty_string_and_null_are_different_values(latest: Card) -> None:
    # COALESCE turns the NULL status into '' and so makes a duplicate of the "" row's value: must fail
    answer = LATEST.replace("SELECT order_id, status,", "SELECT order_id, COALESCE(status, ''),")
    result = check_sql(latest, answer)
    case = next(c for c in result.cases if c.name == "empty status")
    assert not case.passed
    assert case.missing == [["o8", None, "2026-03-30 10:00:00"]]
    assert case.unexpected == [["o8", "", "2026-03-30 10:00:00"]]


def test_clock_functions_are_frozen_at_the_cards_today(latest: Card) -> None:
    card = dataclasses.replace(
        latest,
        solution="SELECT DATE '2026-03-31', TIMESTAMP '2026-03-31 00:00:00', 1",
        cases=latest.cases[:1],
    )
    for clock in (
        "CURRENT_DATE, CURRENT_TIMESTAMP",
        "today(), now()",
        "current_date, get_current_timestamp()",
        "CAST(transaction_timestamp() AS DATE), localtimestamp",
    ):
        result = check_sql(card, f"SELECT {clock}, 1")
        assert result.passed, (clock, result.cases[0].message, result.error)


def test_other_dialects_clock_functions_are_frozen_too(latest: Card) -> None:
    card = dataclasses.replace(
        latest, solution="SELECT DATE '2026-03-31', TIMESTAMP '2026-03-31 00:00:00'", cases=latest.cases[:1]
    )
    for dialect, clock in [
        ("bigquery", "CURRENT_DATE(), CURRENT_DATETIME()"),
        ("snowflake", "CURRENT_DATE, GETDATE()"),
        ("mysql", "CURDATE(), NOW()"),
        ("spark", "current_date(), now()"),
        ("postgres", "CURRENT_DATE, NOW()"),
    ]:
        result = check_sql(card, f"SELECT {clock}", dialect)
        assert result.passed, (dialect, result.error, result.cases[0].message)


def test_today_with_a_time_of_day(latest: Card) -> None:
    card = dataclasses.replace(
        latest,
        today=dt.datetime(2026, 3, 31, 14, 30),
        solution="SELECT TIMESTAMP '2026-03-31 14:30:00'",
        cases=latest.cases[:1],
    )
    assert check_sql(card, "SELECT now()").passed
    assert not check_sql(card, "SELECT CAST(current_date AS TIMESTAMP)").passed


def test_session_time_zone_is_utc(latest: Card) -> None:
    card = dataclasses.replace(latest, solution="SELECT 'UTC'", cases=latest.cases[:1])
    assert check_sql(card, "SELECT current_setting('TimeZone')").passed


def test_ordered_card_requires_an_order_by_even_when_rows_come_out_in_order(revenue: Card) -> None:
    answer = """SELECT CAST(ts AS DATE), SUM(amount) FROM payments
                WHERE ts >= CURRENT_DATE - 7 AND ts < CURRENT_DATE GROUP BY 1"""
    result = check_sql(revenue, answer)
    assert not result.passed
    assert all(c.message.startswith(NO_ORDER_BY) or NO_ORDER_BY in c.message for c in result.cases)
    assert check_sql(revenue, answer + " ORDER BY 1").passed


def test_ordered_card_reports_the_first_wrong_position(revenue: Card) -> None:
    answer = """SELECT CAST(ts AS DATE), SUM(amount) FROM payments
                WHERE ts >= CURRENT_DATE - 7 AND ts < CURRENT_DATE GROUP BY 1 ORDER BY 1 DESC"""
    example = check_sql(revenue, answer).cases[0]
    assert not example.passed
    assert example.message == "wrong order at row 1" and example.order_mismatch_at == 1


def test_order_by_inside_a_subquery_does_not_count(revenue: Card) -> None:
    answer = """SELECT * FROM (SELECT CAST(ts AS DATE) d, SUM(amount) FROM payments
                WHERE ts >= CURRENT_DATE - 7 AND ts < CURRENT_DATE GROUP BY 1 ORDER BY 1) AS x"""
    assert not check_sql(revenue, answer).passed
    union = """SELECT CAST(ts AS DATE) d, SUM(amount) FROM payments WHERE ts >= CURRENT_DATE - 7
               AND ts < CURRENT_DATE GROUP BY 1 UNION ALL SELECT NULL, NULL WHERE FALSE ORDER BY 1"""
    assert check_sql(revenue, union).passed


def test_boundaries_case_catches_an_off_by_one_window(revenue: Card) -> None:
    answer = """SELECT CAST(ts AS DATE), SUM(amount) FROM payments
                WHERE ts > CURRENT_DATE - 7 AND ts <= CURRENT_DATE GROUP BY 1 ORDER BY 1"""
    result = check_sql(revenue, answer)
    boundaries = next(c for c in result.cases if c.name == "boundaries")
    assert not boundaries.passed and boundaries.hidden
    assert boundaries.message == "1 row missing, 1 unexpected"


def test_given_expected_csv_is_compared_loosely_and_within_tolerance(tmp_path: Path) -> None:
    card = load_card(tmp_path, "fixed-expected")
    assert check_sql(card, "SELECT country, COUNT(*), AVG(x), MIN(d) FROM t GROUP BY 1").passed
    # the date as text also matches a CSV date; the wrong count does not
    assert check_sql(
        card, "SELECT country, COUNT(*), AVG(x), CAST(MIN(d) AS VARCHAR) FROM t GROUP BY 1"
    ).passed
    wrong = check_sql(card, "SELECT country, COUNT(*) + 1, AVG(x), MIN(d) FROM t GROUP BY 1")
    assert wrong.cases[0].message == "2 rows missing, 2 unexpected"


def test_column_count_mismatch(latest: Card) -> None:
    result = check_sql(latest, "SELECT order_id, status FROM order_events")
    assert result.cases[0].message == "2 columns, expected 3"


def test_runtime_error_on_one_case_is_that_cases_failure(latest: Card) -> None:
    # the cast fails only where a status is not a number, which is every case; the check still reports each
    result = check_sql(latest, "SELECT order_id, CAST(status AS INTEGER), updated_at FROM order_events")
    assert not result.passed
    assert result.cases[0].error and "Conversion Error" in result.cases[0].error
    assert "\n" not in result.cases[0].error


def test_binder_error_stops_the_check_with_a_position(latest: Card) -> None:
    result = check_sql(latest, "SELECT order_id,\n       statuss\nFROM order_events")
    assert not result.passed
    assert result.error is not None and "statuss" in result.error
    assert "line 2" in result.error and "\n" not in result.error
    assert [c.error for c in result.cases[1:]] == ["not run", "not run"]


def test_a_mistyped_table_is_not_pointed_at_duckdbs_own_catalog(latest: Card) -> None:
    for name in ("nosuch", "tables"):  # DuckDB would suggest "pg_sequences", "information_schema.tables"
        unknown = check_sql(latest, f"SELECT * FROM {name}")
        assert unknown.error is not None and f"{name} does not exist" in unknown.error
        assert "Did you mean" not in unknown.error
    close = check_sql(latest, "SELECT * FROM order_event")
    assert close.error is not None and 'Did you mean "order_events"?' in close.error  # a useful hint stays


def test_syntax_error_has_line_and_column_in_the_users_text(latest: Card) -> None:
    result = check_sql(latest, "SELECT order_id\nFROM order_events\nWHERE (", "bigquery")
    assert result.error is not None and result.error.startswith("syntax error (bigquery) at line 3, column 7")
    duck = check_sql(latest, "SELECT order_id\nFROM order_events WHERE WHERE")
    assert duck.error is not None and "line 2" in duck.error


def test_translation_error_points_to_the_users_text(latest: Card) -> None:
    result = check_sql(latest, "SELECT order_id,\n  missing_col\nFROM order_events", "snowflake")
    assert result.error is not None
    assert "in the query as translated to DuckDB" in result.error
    assert "'missing_col' is at line 2, column 3 of your query" in result.error


def test_translate_returns_duckdb_sql() -> None:
    sql = translate("SELECT IFF(a > 0, 'pos', 'neg') FROM t", "snowflake")
    assert "CASE WHEN" in sql.upper() and "IFF" not in sql.upper()
    assert translate("SELECT 1 FROM t", "duckdb") == "SELECT 1 FROM t"
    with pytest.raises(AnswerError):
        translate("DELETE FROM t", "postgres")


def test_explain_plan(latest: Card) -> None:
    result = check_sql(latest, LATEST, explain=True)
    assert result.plan and "ORDER_BY" not in result.plan.splitlines()[0] and "WINDOW" in result.plan.upper()
    sql, plan = explain_sql(latest, "SELECT `order_id` FROM order_events", "mysql")
    assert sql.startswith("SELECT") and "order_events" in plan.lower()


def test_unknown_dialect_is_a_value_error(latest: Card) -> None:
    with pytest.raises(ValueError, match="unknown SQL dialect 'cobol'"):
        check_sql(latest, "SELECT 1", "cobol")
    assert normalize_dialect("PostgreSQL") == "postgres"
    assert normalize_dialect(None, "bigquery") == "bigquery"


def test_config_default_dialect_is_used(latest: Card) -> None:
    config = Config(sql=SqlConfig(dialect="mysql"))
    result = check_sql(latest, "SELECT `order_id`, `status`, `updated_at` FROM order_events", config=config)
    assert result.dialect == "mysql" and result.error is None


def test_broken_case_data_is_a_card_problem(latest: Card) -> None:
    bad = dataclasses.replace(latest, cases=(Case("bad", {"order_events": "order_id,status_id\no1,abc\n"}),))
    with pytest.raises(CardProblem, match=r"case 'bad'.*status_id.*not an integer"):
        check_sql(bad, LATEST)
    unknown = dataclasses.replace(latest, cases=(Case("bad", {"order_events": "order_id,nope\no1,x\n"}),))
    with pytest.raises(CardProblem, match="no column 'nope'"):
        check_sql(unknown, LATEST)


def test_failing_solution_is_a_card_problem(latest: Card) -> None:
    clear_solution_cache()
    broken = dataclasses.replace(latest, solution="SELECT nope FROM order_events")
    with pytest.raises(CardProblem, match="the card's solution fails on case 'example'"):
        check_sql(broken, "SELECT 1")


def test_absent_columns_and_tables_are_null_and_empty(latest: Card) -> None:
    card = dataclasses.replace(
        latest,
        tables={**latest.tables, "other": "id INTEGER"},
        solution="SELECT COUNT(*), COUNT(status), (SELECT COUNT(*) FROM other) FROM order_events",
        cases=(Case("partial", {"order_events": "order_id\no1\no2\n"}),),
    )
    result = check_sql(card, "SELECT 2, 0, 0")
    assert result.passed, result.cases[0].message


def test_solution_results_are_cached_per_card_and_case(latest: Card) -> None:
    clear_solution_cache()
    first = check_sql(latest, LATEST)
    # a changed solution is a different cache entry, not a stale hit
    changed = dataclasses.replace(latest, solution="SELECT order_id, status, updated_at FROM order_events")
    second = check_sql(changed, LATEST)
    assert first.passed and not second.passed
