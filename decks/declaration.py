"""A card's table declaration ("id VARCHAR, amount DECIMAL(12,2)") read as a list of typed columns.

The judges never run the declaration as SQL text: each column's type is read by sqlglot's DuckDB type
parser, checked to be nothing but a type (type words, names inside STRUCT(…), numbers, parentheses,
commas, brackets), and written back out by sqlglot, so `"x INT); DROP …"` or `"x INT DEFAULT (…)"` is
a one-line error, not SQL. Pure: imports sqlglot and the deck format's own column splitter only.
"""

from __future__ import annotations

from dataclasses import dataclass

from prepdeck.decks.tabular import parse_columns as split_columns


@dataclass(frozen=True)
class DeclaredColumn:
    name: str
    type: str  # as sqlglot writes it for DuckDB: "DECIMAL(12, 2)", "TEXT", "TIMESTAMP"
    base: str  # the declared base type, upper-case: "DECIMAL", "VARCHAR"
    written: str  # as the deck wrote it


def parse_columns(text: str) -> list[DeclaredColumn]:
    """The declaration's columns; ValueError with one line naming the column and what is wrong."""
    columns = []
    for column in split_columns(text):
        columns.append(
            DeclaredColumn(column.name, column_type(column.name, column.type), column.base, column.type)
        )
    return columns


_PUNCTUATION = {"L_PAREN", "R_PAREN", "COMMA", "L_BRACKET", "R_BRACKET", "NUMBER", "VAR", "WITH", "COLON"}


def column_type(name: str, written: str) -> str:
    """One column's type as sqlglot writes it for DuckDB; ValueError when it is anything but a type."""
    import sqlglot
    from sqlglot import exp
    from sqlglot.dialects.dialect import Dialect
    from sqlglot.parser import Parser

    problem = f"column '{name}': {written!r} is not a column type (e.g. INTEGER, VARCHAR, DECIMAL(12,2))"
    try:
        tokens = Dialect.get_or_raise("duckdb").tokenize(written)
    except Exception:
        raise ValueError(problem) from None
    depth = 0
    for token in tokens:
        kind = token.token_type.name
        if token.token_type not in Parser.TYPE_TOKENS and kind not in _PUNCTUATION:
            raise ValueError(problem)
        depth += (kind in ("L_PAREN", "L_BRACKET")) - (kind in ("R_PAREN", "R_BRACKET"))
        if depth < 0:
            raise ValueError(problem)
    if depth != 0:
        raise ValueError(problem)
    try:
        parsed = sqlglot.parse(f"SELECT CAST(NULL AS {written})", read="duckdb")
    except Exception:
        raise ValueError(problem) from None
    if len(parsed) != 1 or not isinstance(parsed[0], exp.Select) or len(parsed[0].selects) != 1:
        raise ValueError(problem)
    cast = parsed[0].selects[0]
    if not isinstance(cast, exp.Cast) or cast.to.this in (None, exp.DataType.Type.USERDEFINED):
        raise ValueError(problem)
    return cast.to.sql(dialect="duckdb")
