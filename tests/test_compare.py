"""The result comparison both judges share (deck-format.md), one rule at a time."""

from __future__ import annotations

import datetime as dt
import json
import math
from decimal import Decimal

import pytest

from prepdeck.checkers.compare import compare_results, jsonable_value, parse_expected, read_value


def test_identical_multisets_pass_in_any_order() -> None:
    result = compare_results([(2, "b"), (1, "a"), (1, "a")], [(1, "a"), (1, "a"), (2, "b")])
    assert result.passed and result.message == ""


def test_multiset_counts_duplicates() -> None:
    result = compare_results([(1, "a")], [(1, "a"), (1, "a")])
    assert not result.passed
    assert result.message == "1 row missing"
    assert result.missing == [[1, "a"]] and result.unexpected == []


def test_missing_and_unexpected_message_and_rows() -> None:
    result = compare_results([(1,), (9,)], [(1,), (2,), (3,)])
    assert result.message == "2 rows missing, 1 unexpected"
    assert result.missing == [[2], [3]]
    assert result.unexpected == [[9]]


def test_only_unexpected_rows() -> None:
    assert compare_results([(1,), (2,), (3,)], [(1,)]).message == "2 unexpected rows"


def test_at_most_twenty_rows_listed_but_all_counted() -> None:
    result = compare_results([], [(i,) for i in range(50)], actual_columns=1)
    assert result.missing_count == 50 and len(result.missing) == 20
    assert result.message == "50 rows missing"


def test_column_count_must_match_even_without_rows() -> None:
    result = compare_results([], [], actual_columns=3, expected_columns=4)
    assert not result.passed and result.message == "3 columns, expected 4"
    assert compare_results([(1, 2)], [(1,)]).message == "2 columns, expected 1"


def test_column_names_are_not_compared() -> None:
    # positional: only values matter (names are not part of the rows at all)
    assert compare_results([(1, "x")], [(1, "x")], actual_columns=2, expected_columns=2).passed


def test_null_equals_null_but_not_empty_string_or_zero() -> None:
    assert compare_results([(None, 1)], [(None, 1)]).passed
    assert not compare_results([("",)], [(None,)]).passed
    assert not compare_results([(0,)], [(None,)]).passed


def test_integers_compare_exactly_even_with_a_tolerance() -> None:
    assert not compare_results([(10,)], [(11,)], tolerance=5).passed


def test_floats_and_decimals_within_absolute_tolerance() -> None:
    assert compare_results([(0.1 + 0.2,)], [(0.3,)]).passed
    assert compare_results([(Decimal("10.50"),)], [(10.5000004,)], tolerance=1e-6).passed
    assert not compare_results([(10.51,)], [(10.5,)], tolerance=1e-6).passed
    assert compare_results([(10.51,)], [(10.5,)], tolerance=0.05).passed


def test_int_and_float_of_equal_value_match() -> None:
    assert compare_results([(3,)], [(3.0,)]).passed
    assert compare_results([(Decimal("3.00"),)], [(3,)]).passed


def test_tolerance_pairs_rows_that_differ_only_in_numbers() -> None:
    actual = [("a", 1.0000001), ("b", 2.0), ("a", 5.0)]
    expected = [("a", 5.0), ("b", 2.0000002), ("a", 1.0)]
    assert compare_results(actual, expected).passed


def test_tolerance_pairing_with_many_rows() -> None:
    expected = [(i, i / 3) for i in range(3000)]
    actual = [(i, i / 3 + 1e-9) for i in reversed(range(3000))]
    assert compare_results(actual, expected).passed


def test_boolean_is_not_an_integer() -> None:
    assert not compare_results([(True,)], [(1,)]).passed
    assert compare_results([(True,)], [(True,)]).passed


def test_date_equals_timestamp_at_midnight_only() -> None:
    assert compare_results([(dt.date(2026, 3, 30),)], [(dt.datetime(2026, 3, 30),)]).passed
    assert not compare_results([(dt.date(2026, 3, 30),)], [(dt.datetime(2026, 3, 30, 0, 0, 1),)]).passed


def test_timezone_aware_timestamps_compare_in_utc() -> None:
    aware = dt.datetime(2026, 3, 30, 12, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    assert compare_results([(aware,)], [(dt.datetime(2026, 3, 30, 10),)]).passed


def test_nan_equals_nan_and_not_a_number() -> None:
    assert compare_results([(math.nan,)], [(float("nan"),)]).passed
    assert not compare_results([(math.nan,)], [(1.0,)]).passed
    assert compare_results([(math.inf,)], [(math.inf,)]).passed
    assert not compare_results([(math.inf,)], [(-math.inf,)]).passed


def test_nested_values_compare_elementwise_with_tolerance() -> None:
    assert compare_results([([1, 2.0000001],)], [([1, 2.0],)]).passed
    assert not compare_results([([1, 2],)], [([2, 1],)]).passed


def test_ordered_reports_first_differing_position() -> None:
    result = compare_results([(1,), (2,), (4,), (3,)], [(1,), (2,), (3,), (4,)], ordered=True)
    assert not result.passed
    assert result.message == "wrong order at row 3" and result.order_mismatch_at == 3


def test_ordered_same_sequence_passes_with_tolerance() -> None:
    assert compare_results([(1, 0.1 + 0.2), (2, 1.0)], [(1, 0.3), (2, 1.0)], ordered=True).passed


def test_ordered_with_missing_rows_reports_the_rows() -> None:
    result = compare_results([(1,), (3,)], [(1,), (2,), (3,)], ordered=True)
    assert result.message == "1 row missing"
    assert result.order_mismatch_at == 2


def test_unordered_ignores_order() -> None:
    assert compare_results([(2,), (1,)], [(1,), (2,)], ordered=False).passed


def test_loose_mode_reads_answer_text_like_expected_csv() -> None:
    assert compare_results([("2026-01-01",)], [(dt.date(2026, 1, 1),)], loose=True).passed
    assert not compare_results([("2026-01-01",)], [(dt.date(2026, 1, 1),)], loose=False).passed
    assert compare_results([(True,)], [("true",)], loose=True).passed


def test_read_value_types() -> None:
    assert read_value("42") == 42 and isinstance(read_value("42"), int)
    assert read_value("-1.5") == -1.5
    assert read_value("1e3") == 1000.0
    assert read_value("2026-03-30") == dt.date(2026, 3, 30)
    assert read_value("2026-03-30 10:00:00") == dt.datetime(2026, 3, 30, 10)
    assert read_value("2026-03-30T10:00:00Z") == dt.datetime(2026, 3, 30, 10)
    assert read_value("2026-03-30 12:00:00+02:00") == dt.datetime(2026, 3, 30, 10)
    assert read_value("2026-02-30") == "2026-02-30"  # not a real date: text
    assert read_value("US") == "US"
    assert read_value(None) is None
    assert read_value("") == ""
    assert math.isnan(read_value("NaN"))


def test_parse_expected_keeps_null_apart_from_empty_string() -> None:
    table = parse_expected('country,n,day\nUS,2,2026-01-01\n"",1,\n,3,2026-01-02 10:00:00\n')
    assert table.columns == ["country", "n", "day"]
    assert table.rows == [
        ["US", 2, dt.date(2026, 1, 1)],
        ["", 1, None],
        [None, 3, dt.datetime(2026, 1, 2, 10)],
    ]


def test_parse_expected_rejects_ragged_rows() -> None:
    with pytest.raises(ValueError, match="row 1 has 1 fields"):
        parse_expected("a,b\n1\n")


def test_rows_are_reported_as_json() -> None:
    result = compare_results(
        [], [(Decimal("1.50"), dt.date(2026, 1, 1), dt.datetime(2026, 1, 1, 8), math.nan)], actual_columns=4
    )
    text = json.dumps(result.missing, allow_nan=False)
    assert json.loads(text) == [[1.5, "2026-01-01", "2026-01-01 08:00:00", "nan"]]
    assert jsonable_value(b"\x01") == "01"
