"""Card table data: column lists ("id VARCHAR, amount DECIMAL(12,2)") and case CSV, as the deck format
defines them. Shared by the loader (to validate) and by both judges (to load the data).

Python's csv module cannot tell an empty unquoted field (NULL) from `""` (the empty string), which the
format distinguishes, so CSV is read by a small parser here that keeps that difference.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # as written, e.g. "DECIMAL(12,2)"

    @property
    def base(self) -> str:
        """The type's name without parameters, upper-case: DECIMAL(12,2) -> DECIMAL."""
        return base_type(self.type)


def base_type(sql_type: str) -> str:
    return re.split(r"[\s(]", sql_type.strip(), maxsplit=1)[0].upper()


def parse_columns(spec: str) -> list[Column]:
    """`"a INT, b DECIMAL(12,2)"` -> columns; commas inside parentheses belong to the type."""
    parts: list[str] = []
    depth, start = 0, 0
    for i, ch in enumerate(spec):
        if ch in "([<":
            depth += 1
        elif ch in ")]>":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(spec[start:i])
            start = i + 1
    parts.append(spec[start:])
    columns = []
    for part in parts:
        part = part.strip()
        if not part:
            raise ValueError(f"empty column in {spec!r}")
        m = re.match(r'^("[^"]+"|[A-Za-z_][A-Za-z0-9_]*)\s+(.+)$', part)
        if not m:
            raise ValueError(f'column {part!r} needs a name and a type, e.g. "amount DECIMAL(12,2)"')
        columns.append(Column(m.group(1).strip('"'), m.group(2).strip()))
    names = [c.name.lower() for c in columns]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise ValueError(f"column {dupes[0]!r} declared twice")
    return columns


@dataclass(frozen=True)
class CsvTable:
    header: list[str]
    rows: list[list[str | None]]  # None = empty unquoted field (NULL); "" = quoted empty string
    row_offsets: list[int]  # for each row, its 0-based line offset in the text (header is line 0)


def read_csv(text: str) -> CsvTable:
    """Parse RFC-4180-style CSV: quotes, doubled quotes, newlines inside quotes; keep NULL vs ""."""
    records: list[list[str | None]] = []
    offsets: list[int] = []
    field: list[str] = []
    row: list[str | None] = []
    quoted = in_quotes = False
    line = 0
    row_line = 0
    i, n = 0, len(text)
    started = False  # the current row has any content

    def end_field() -> None:
        nonlocal field, quoted
        value = "".join(field)
        row.append(value if (quoted or value != "") else None)
        field, quoted = [], False

    while i < n:
        ch = text[i]
        if in_quotes:
            if ch == '"':
                if i + 1 < n and text[i + 1] == '"':
                    field.append('"')
                    i += 1
                else:
                    in_quotes = False
            else:
                if ch == "\n":
                    line += 1
                field.append(ch)
        elif ch == '"':
            if field and "".join(field).strip():
                raise ValueError(f"line {line + 1}: a quote inside an unquoted field")
            field = []
            in_quotes = quoted = started = True
        elif ch == ",":
            end_field()
            started = True
        elif ch in "\r\n":
            if ch == "\r" and i + 1 < n and text[i + 1] == "\n":
                i += 1
            if started or field:
                end_field()
                records.append(row)
                offsets.append(row_line)
            row, started = [], False
            line += 1
            row_line = line
        else:
            field.append(ch)
            started = True
        i += 1
    if in_quotes:
        raise ValueError(f"line {row_line + 1}: a quoted field is never closed")
    if started or field:
        end_field()
        records.append(row)
        offsets.append(row_line)
    if not records:
        raise ValueError("no header line")
    header = [(h or "").strip() for h in records[0]]
    return CsvTable(header=header, rows=records[1:], row_offsets=offsets[1:])


_INT_TYPES = {
    "TINYINT",
    "SMALLINT",
    "INTEGER",
    "INT",
    "BIGINT",
    "HUGEINT",
    "INT2",
    "INT4",
    "INT8",
    "LONG",
    "SHORT",
    "UTINYINT",
    "USMALLINT",
    "UINTEGER",
    "UBIGINT",
}
_FLOAT_TYPES = {"DOUBLE", "FLOAT", "REAL", "FLOAT4", "FLOAT8", "DOUBLE PRECISION"}
_DECIMAL_TYPES = {"DECIMAL", "NUMERIC"}
_TEXT_TYPES = {"VARCHAR", "STRING", "TEXT", "CHAR", "BPCHAR"}
_BOOL_TYPES = {"BOOLEAN", "BOOL"}
_TIMESTAMP_TYPES = {"TIMESTAMP", "DATETIME", "TIMESTAMP_NTZ"}

# The spec's PySpark mapping (plus the obvious aliases); anything else is not a pyspark column type.
SPARK_TYPES = {
    **{t: "string" for t in _TEXT_TYPES},
    "INTEGER": "int",
    "INT": "int",
    "SMALLINT": "smallint",
    "TINYINT": "tinyint",
    "BIGINT": "bigint",
    "LONG": "bigint",
    "DOUBLE": "double",
    "FLOAT": "float",
    "REAL": "float",
    "DECIMAL": "decimal",
    "NUMERIC": "decimal",
    "DATE": "date",
    "TIMESTAMP": "timestamp",
    "BOOLEAN": "boolean",
    "BOOL": "boolean",
}


_INT_RANGES = {
    "TINYINT": (-(2**7), 2**7 - 1),
    "SMALLINT": (-(2**15), 2**15 - 1),
    "INT2": (-(2**15), 2**15 - 1),
    "SHORT": (-(2**15), 2**15 - 1),
    "INTEGER": (-(2**31), 2**31 - 1),
    "INT": (-(2**31), 2**31 - 1),
    "INT4": (-(2**31), 2**31 - 1),
    "BIGINT": (-(2**63), 2**63 - 1),
    "INT8": (-(2**63), 2**63 - 1),
    "LONG": (-(2**63), 2**63 - 1),
    "UTINYINT": (0, 2**8 - 1),
    "USMALLINT": (0, 2**16 - 1),
    "UINTEGER": (0, 2**32 - 1),
    "UBIGINT": (0, 2**64 - 1),
}


def _check_decimal(value: str, number: Decimal, sql_type: str) -> None:
    """A value every engine stores as written: no more integer digits than DECIMAL(p,s) holds (the
    engines would refuse it) and no more fraction digits than its scale (they would round it)."""
    m = re.search(r"\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\)", sql_type)
    precision, scale = (int(m.group(1)), int(m.group(2) or 0)) if m else (18, 3)
    if not number.is_finite():
        raise ValueError(f"{value!r} is not a finite decimal number")
    _, digits, exponent = number.as_tuple()
    fraction = max(0, -int(exponent))
    whole = max(0, len(digits) + int(exponent))
    if whole > precision - scale:
        raise ValueError(
            f"{value!r} does not fit in DECIMAL({precision},{scale}) "
            f"(at most {precision - scale} digits before the point): declare a wider type"
        )
    if fraction > scale and any(digits[len(digits) - fraction + scale :]):
        raise ValueError(f"{value!r} has more than {scale} decimal places for DECIMAL({precision},{scale})")


def coerce(value: str | None, sql_type: str) -> object:
    """A CSV field as a Python value of the declared type; raises ValueError saying why it does not fit."""
    if value is None:
        return None
    base = base_type(sql_type)
    v = value.strip()
    if base in _TEXT_TYPES:
        return value
    if base in _INT_TYPES:
        if not re.fullmatch(r"[+-]?\d+", v):
            raise ValueError(f"{value!r} is not an integer")
        whole = int(v)
        smallest, largest = _INT_RANGES.get(base, (-(2**127), 2**127 - 1))
        if not smallest <= whole <= largest:
            raise ValueError(
                f"{value!r} does not fit in {base} ({smallest} to {largest}): declare a wider type"
            )
        return whole
    if base in _FLOAT_TYPES:
        try:
            return float(v)
        except ValueError:
            raise ValueError(f"{value!r} is not a number") from None
    if base in _DECIMAL_TYPES:
        try:
            exact = Decimal(v)
        except InvalidOperation:
            raise ValueError(f"{value!r} is not a decimal number") from None
        _check_decimal(value, exact, sql_type)
        return exact
    if base in _BOOL_TYPES:
        low = v.lower()
        if low in ("true", "t", "1", "yes"):
            return True
        if low in ("false", "f", "0", "no"):
            return False
        raise ValueError(f"{value!r} is not a boolean (true/false)")
    if base == "DATE":
        try:
            return dt.date.fromisoformat(v)
        except ValueError:
            raise ValueError(f"{value!r} is not a date (YYYY-MM-DD)") from None
    if base in _TIMESTAMP_TYPES:
        try:
            moment = dt.datetime.fromisoformat(v.replace(" ", "T", 1) if "T" not in v else v)
        except ValueError:
            raise ValueError(f"{value!r} is not a timestamp (YYYY-MM-DD HH:MM:SS)") from None
        return moment.astimezone(dt.UTC).replace(tzinfo=None) if moment.tzinfo else moment
    return value  # other DuckDB types (JSON, arrays, intervals…) are left for the engine to cast


def list_type_element(sql_type: str) -> str | None:
    """The element type of a list column's type ('VARCHAR' for 'VARCHAR[]'), or None for other types."""
    m = re.fullmatch(r"\s*(.+?)\s*\[\s*\]\s*", sql_type)
    return m.group(1) if m else None


def list_value(value: str | None, sql_type: str) -> list[object] | None:
    """A list column's field, written in DuckDB's list syntax as decks write it ("[sql, ' sql ', NULL]":
    elements trimmed unless quoted, NULL unquoted is NULL), as a Python list of the element type; for the
    engines that cannot cast that text themselves (PostgreSQL, Spark). ValueError when it is not one."""
    element = list_type_element(sql_type)
    if value is None or element is None:
        return None
    text = value.strip()
    if not (text.startswith("[") and text.endswith("]")):
        raise ValueError(f"{value!r} is not a list ([a, b, …])")
    if list_type_element(element) is not None:
        raise ValueError(f"{sql_type}: nested lists are not supported here")
    inner, items, token, quote, quoted = text[1:-1], [], [], "", False
    if not inner.strip():
        return []
    i = 0
    while i < len(inner):
        ch = inner[i]
        if quote:
            if ch == quote and inner[i + 1 : i + 2] == quote:  # '' inside quotes
                token.append(ch)
                i += 1
            elif ch == quote:
                quote = ""
            else:
                token.append(ch)
        elif ch in "'\"":
            if not "".join(token).strip():
                token = []  # the blanks before an opening quote are not part of the element
            quote, quoted = ch, True
        elif ch == ",":
            items.append(("".join(token), quoted))
            token, quoted = [], False
        elif ch in "[]{}":
            raise ValueError(f"{value!r}: nested lists are not supported here")
        else:
            token.append(ch)
        i += 1
    if quote:
        raise ValueError(f"{value!r}: a quote is not closed")
    items.append(("".join(token), quoted))
    out: list[object] = []
    for raw, was_quoted in items:
        item = raw if was_quoted else raw.strip()
        out.append(None if not was_quoted and item.upper() == "NULL" else coerce(item, element))
    return out


def sniff(value: str | None) -> object:
    """An `expected` CSV field: a number, date or timestamp where it reads as one, else text."""
    if value is None:
        return None
    v = value.strip()
    if re.fullmatch(r"[+-]?\d+", v):
        return int(v)
    if re.fullmatch(r"[+-]?(\d+\.\d*|\.\d+|\d+)([eE][+-]?\d+)?", v):
        return float(v)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", v):
        try:
            return dt.date.fromisoformat(v)
        except ValueError:
            return value
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?", v):
        try:
            return dt.datetime.fromisoformat(v.replace(" ", "T"))
        except ValueError:
            return value
    return value
