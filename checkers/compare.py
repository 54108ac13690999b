"""Result comparison shared by the SQL and PySpark judges (docs/deck-format.md).

Pure Python on lists of rows: columns by position (the count must match, names are not compared);
rows as a multiset unless the card is ordered; NULL equals NULL; integers exactly; other numbers within
an absolute tolerance; a DATE equals a TIMESTAMP at midnight; NaN equals NaN.

Also reads a case's `expected` CSV: each value a number, date or timestamp where it reads as one, else
text; an empty unquoted field is NULL, `""` the empty string (the CSV parser is `decks.tabular`).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from prepdeck.checkers.result import CaseResult

SHOWN_ROWS = 20  # missing / unexpected rows reported per case

# ---------------------------------------------------------------------------------------------
# CSV


class CsvError(ValueError):
    """Malformed `expected` CSV."""


_INT = re.compile(r"[+-]?\d+")
_FLOAT = re.compile(r"[+-]?(\d+\.\d*|\.\d+|\d+)([eE][+-]?\d+)?")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}(:?\d{2})?)?")
_SPECIAL_FLOATS = {
    "nan": math.nan,
    "inf": math.inf,
    "+inf": math.inf,
    "-inf": -math.inf,
    "infinity": math.inf,
    "+infinity": math.inf,
    "-infinity": -math.inf,
}


def read_value(text: str | None) -> Any:
    """An `expected` CSV value: a number, date or timestamp where it reads as one, else text."""
    if text is None:
        return None
    s = text.strip()
    if not s:
        return text
    if _INT.fullmatch(s):
        return int(s)
    if _FLOAT.fullmatch(s):
        return float(s)
    special = _SPECIAL_FLOATS.get(s.lower())
    if special is not None:
        return special
    if _DATE.fullmatch(s):
        try:
            return dt.date.fromisoformat(s)
        except ValueError:
            return text
    if _TIMESTAMP.fullmatch(s):
        return _read_timestamp(s) or text
    return text


def _read_timestamp(s: str) -> dt.datetime | None:
    s = s.replace("T", " ", 1)
    if s.endswith("Z"):
        s = s[:-1] + "+00:00"
    frac = re.search(r"\.(\d+)", s)
    if frac and len(frac.group(1)) > 6:  # nanoseconds: Python keeps microseconds
        s = s[: frac.start(1) + 6] + s[frac.end(1) :]
    try:
        value = dt.datetime.fromisoformat(s)
    except ValueError:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return value


@dataclass
class ExpectedTable:
    columns: list[str]
    rows: list[list[Any]]


def parse_expected(text: str) -> ExpectedTable:
    """The `expected` block of a case: a header line (names not compared), then typed rows."""
    from prepdeck.decks.tabular import read_csv

    try:
        table = read_csv(text)
    except ValueError as exc:
        raise CsvError(f"expected: {exc}") from None
    rows = []
    for number, record in enumerate(table.rows, start=1):
        if len(record) != len(table.header):
            raise CsvError(f"expected: row {number} has {len(record)} fields, the header {len(table.header)}")
        rows.append([read_value(v) for v in record])
    return ExpectedTable(table.header, rows)


# ---------------------------------------------------------------------------------------------
# comparison


class _NaN:
    """NaN as a value that equals itself, so NaN rows pair up."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _NaN)

    def __hash__(self) -> int:
        return hash("NaN")

    def __repr__(self) -> str:
        return "NaN"


NAN = _NaN()


@dataclass(frozen=True)
class _Num:
    """A non-integer number; equal within tolerance (pairing, not hashing)."""

    value: float


def normalize(value: Any, loose: bool = False) -> Any:
    """A hashable, comparable form of a result value.

    `loose` (used against a hand-written `expected` CSV) reads text the way the CSV reader does, so a
    VARCHAR '2026-01-01' equals an expected date.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float | Decimal):
        f = float(value)
        if math.isnan(f):
            return NAN
        return _Num(f)
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    if isinstance(value, str):
        if loose:
            read = read_value(value)
            if not isinstance(read, str):
                return normalize(read)
            if value.strip().lower() in ("true", "false"):
                return value.strip().lower() == "true"
        return value
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value)
    if isinstance(value, dict):
        return tuple((k, normalize(v, loose)) for k, v in value.items())
    if isinstance(value, list | tuple):
        return tuple(normalize(v, loose) for v in value)
    return value


def _values_equal(a: Any, b: Any, tol: float) -> bool:
    if isinstance(a, _Num) or isinstance(b, _Num):
        if isinstance(a, bool) or isinstance(b, bool):
            return False
        x = a.value if isinstance(a, _Num) else a
        y = b.value if isinstance(b, _Num) else b
        if not isinstance(x, int | float) or not isinstance(y, int | float):
            return False
        if x == y:  # also inf == inf
            return True
        return abs(x - y) <= tol
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(_values_equal(x, y, tol) for x, y in zip(a, b, strict=True))
    if isinstance(a, bool) != isinstance(b, bool):
        return False
    return a == b


def rows_equal(a: Sequence[Any], b: Sequence[Any], tol: float) -> bool:
    return len(a) == len(b) and all(_values_equal(x, y, tol) for x, y in zip(a, b, strict=True))


def _exact_key(row: Sequence[Any]) -> tuple:
    # bool is kept apart from int (True would hash like 1)
    return tuple((type(v) is bool, v) for v in row)


def _coarse_key(row: Sequence[Any]) -> tuple:
    """The row with every tolerance-compared part blanked out: rows that can pair share it."""

    def coarse(v: Any) -> Any:
        if isinstance(v, _Num) or (isinstance(v, int) and not isinstance(v, bool)):
            return "#"
        if isinstance(v, tuple):
            return tuple(coarse(x) for x in v)
        return (type(v) is bool, v)

    return tuple(coarse(v) for v in row)


def _numeric_sort_key(row: Sequence[Any]) -> tuple:
    def num(v: Any) -> float:
        if isinstance(v, _Num):
            return v.value
        if isinstance(v, int) and not isinstance(v, bool):
            return float(v)
        return 0.0

    return tuple(num(v) for v in row)


def _pair_within_tolerance(
    exp_rows: list[int], act_rows: list[int], expected: list[tuple], actual: list[tuple], tol: float
) -> tuple[list[int], list[int]]:
    """Greedy pairing of rows that differ only in numbers; returns the unpaired (expected, actual)."""
    if not exp_rows or not act_rows:
        return exp_rows, act_rows
    exp_sorted = sorted(exp_rows, key=lambda i: _numeric_sort_key(expected[i]))
    act_sorted = sorted(act_rows, key=lambda i: _numeric_sort_key(actual[i]))
    used = [False] * len(act_sorted)
    left_exp: list[int] = []
    start = 0
    for e in exp_sorted:
        match = None
        # rows are sorted on their numbers, so a partner sits near the front of what is unused
        for j in range(start, len(act_sorted)):
            if used[j]:
                continue
            if rows_equal(expected[e], actual[act_sorted[j]], tol):
                match = j
                break
            if len(act_sorted) > 500 and j - start > 64:  # bounded scan for huge results
                break
        if match is None:
            left_exp.append(e)
        else:
            used[match] = True
            while start < len(used) and used[start]:
                start += 1
    left_act = [act_sorted[j] for j in range(len(act_sorted)) if not used[j]]
    return left_exp, sorted(left_act)


@dataclass
class Comparison:
    passed: bool
    message: str = ""
    missing: list[list[Any]] = field(default_factory=list)  # first SHOWN_ROWS, JSON-ready
    unexpected: list[list[Any]] = field(default_factory=list)
    missing_count: int = 0
    unexpected_count: int = 0
    order_mismatch_at: int | None = None  # 1-based
    column_mismatch: bool = False


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def compare_results(
    actual: Iterable[Sequence[Any]],
    expected: Iterable[Sequence[Any]],
    *,
    actual_columns: int | None = None,
    expected_columns: int | None = None,
    ordered: bool = False,
    tolerance: float = 1e-6,
    loose: bool = False,
) -> Comparison:
    """Compare a result with the expected one.

    `*_columns` give the column counts (needed when a side has no rows); `loose` is for an expected side
    read from hand-written CSV: text in the answer is then read the way the CSV reader reads values.
    """
    act_raw = [list(r) for r in actual]
    exp_raw = [list(r) for r in expected]
    a_cols = actual_columns if actual_columns is not None else (len(act_raw[0]) if act_raw else None)
    e_cols = expected_columns if expected_columns is not None else (len(exp_raw[0]) if exp_raw else None)
    if a_cols is not None and e_cols is not None and a_cols != e_cols:
        return Comparison(False, f"{_plural(a_cols, 'column')}, expected {e_cols}", column_mismatch=True)

    act = [tuple(normalize(v, loose) for v in r) for r in act_raw]
    exp = [tuple(normalize(v, loose) for v in r) for r in exp_raw]

    # 1. exact pairing by hash
    by_key: dict[tuple, list[int]] = defaultdict(list)
    for i, row in enumerate(act):
        by_key[_exact_key(row)].append(i)
    left_exp: list[int] = []
    for i, row in enumerate(exp):
        bucket = by_key.get(_exact_key(row))
        if bucket:
            bucket.pop()
        else:
            left_exp.append(i)
    left_act = sorted(i for bucket in by_key.values() for i in bucket)

    # 2. pair what is left within tolerance, among rows equal outside their numbers
    if left_exp and left_act:
        groups_e: dict[tuple, list[int]] = defaultdict(list)
        groups_a: dict[tuple, list[int]] = defaultdict(list)
        for i in left_exp:
            groups_e[_coarse_key(exp[i])].append(i)
        for i in left_act:
            groups_a[_coarse_key(act[i])].append(i)
        still_e: list[int] = []
        still_a: list[int] = []
        for key in set(groups_e) | set(groups_a):
            e_left, a_left = _pair_within_tolerance(
                groups_e.get(key, []), groups_a.get(key, []), exp, act, tolerance
            )
            still_e += e_left
            still_a += a_left
        left_exp, left_act = sorted(still_e), sorted(still_a)

    result = Comparison(True)
    if ordered:
        for pos, (a, e) in enumerate(zip(act, exp, strict=False), start=1):
            if not rows_equal(a, e, tolerance):
                result.order_mismatch_at = pos
                break
        else:
            if len(act) != len(exp):
                result.order_mismatch_at = min(len(act), len(exp)) + 1

    if left_exp or left_act:
        result.passed = False
        result.missing_count, result.unexpected_count = len(left_exp), len(left_act)
        result.missing = [to_jsonable(exp_raw[i]) for i in left_exp[:SHOWN_ROWS]]
        result.unexpected = [to_jsonable(act_raw[i]) for i in left_act[:SHOWN_ROWS]]
        parts = []
        if left_exp:
            parts.append(f"{_plural(len(left_exp), 'row')} missing")
        if left_act:
            parts.append(
                f"{len(left_act)} unexpected" if parts else f"{_plural(len(left_act), 'unexpected row')}"
            )
        result.message = ", ".join(parts)
    elif result.order_mismatch_at is not None:
        result.passed = False
        result.message = f"wrong order at row {result.order_mismatch_at}"
    else:
        result.order_mismatch_at = None
    return result


# ---------------------------------------------------------------------------------------------
# JSON


def jsonable_value(value: Any) -> Any:
    """A result value as JSON: dates and times as ISO text, decimals as numbers, NaN/inf as text."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, Decimal):
        f = float(value)
        return f if math.isfinite(f) else str(value)
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    if isinstance(value, dict):
        return {str(k): jsonable_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable_value(v) for v in value]
    return str(value)


def to_jsonable(row: Sequence[Any]) -> list[Any]:
    return [jsonable_value(v) for v in row]


def case_result(
    case: Any,
    actual_rows: Sequence[Sequence[Any]],
    actual_columns: list[str],
    expected_rows: Sequence[Sequence[Any]],
    expected_columns: int,
    *,
    ordered: bool,
    tolerance: float,
    loose: bool,
    shown_rows: int,
) -> CaseResult:
    """One case's verdict, the same for every judge: the comparison, its message, and the first rows of
    each side for the app's result tables."""
    comparison = compare_results(
        actual_rows,
        expected_rows,
        actual_columns=len(actual_columns),
        expected_columns=expected_columns,
        ordered=ordered,
        tolerance=tolerance,
        loose=loose,
    )
    return CaseResult(
        case.name,
        case.hidden,
        comparison.passed,
        message=comparison.message,
        missing=comparison.missing,
        unexpected=comparison.unexpected,
        order_mismatch_at=comparison.order_mismatch_at,
        columns=actual_columns,
        expected_rows=[to_jsonable(r) for r in expected_rows[:shown_rows]],
        actual_rows=[to_jsonable(r) for r in actual_rows[:shown_rows]],
    )
