"""Reading an answer: one query, in its dialect, and the DuckDB SQL that runs it."""

from __future__ import annotations

import logging
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from prepdeck.checkers.sql.dialects import normalize_dialect
from prepdeck.checkers.sql.errors import AnswerError
from prepdeck.checkers.sql.scoping import refuse_scoping
from prepdeck.checkers.sql.translate import (
    SPARK_FAMILY,
    fix_spark_epochs,
    refuse_missing_syntax,
    source_semantics,
)

if TYPE_CHECKING:
    from sqlglot import exp

    from prepdeck.decks.model import Card


@dataclass
class PreparedQuery:
    source: str  # the user's text
    dialect: str
    sql: str  # what DuckDB runs
    has_order_by: bool
    statement: exp.Expression | None = None
    native: bool = False  # runs as written on the dialect's own engine (PostgreSQL), not translated

    @property
    def translated(self) -> bool:
        return self.dialect != "duckdb"


_QUERY_TYPES_CACHE: tuple[type, ...] | None = None


def _query_types() -> tuple[type, ...]:
    global _QUERY_TYPES_CACHE
    if _QUERY_TYPES_CACHE is None:
        from sqlglot import exp

        _QUERY_TYPES_CACHE = (exp.Select, exp.SetOperation, exp.Values, exp.Subquery)
    return _QUERY_TYPES_CACHE


def _quiet_sqlglot() -> None:
    # sqlglot logs "falling back to parsing as a Command" for statements it does not know; the judge
    # reports those itself, in one line
    logging.getLogger("sqlglot").setLevel(logging.ERROR)


MAX_ANSWER_CHARS = 200_000  # far above any real answer; a 50 MB literal must not reach a parser


def answer_text(raw: str | bytes) -> str:
    """The answer as text, or AnswerError for a binary or empty answer."""
    if isinstance(raw, bytes | bytearray):
        try:
            raw = bytes(raw).decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise AnswerError(
                f"the answer is not UTF-8 text (undecodable byte at offset {exc.start})"
            ) from None
    if len(raw) > MAX_ANSWER_CHARS:
        raise AnswerError(
            f"the answer is {len(raw) // 1000:,} KB: an answer is at most {MAX_ANSWER_CHARS // 1000} KB "
            "(put data in the query's logic, not in literals)"
        )
    if "\x00" in raw:
        raise AnswerError("the answer is not text (it contains NUL bytes)")
    text = raw.removeprefix("\ufeff")
    if not text.strip():
        raise AnswerError("the answer is empty: write one SELECT query")
    return text


def _first_word(text: str) -> str:
    stripped = re.sub(r"(--[^\n]*\n?|/\*.*?\*/|\s+)", " ", text, flags=re.S).strip()
    m = re.match(r"[A-Za-z_]+", stripped)
    return m.group(0).upper() if m else "this statement"


def _statement_kind(stmt: exp.Expression, text: str) -> str:
    from sqlglot import exp

    if isinstance(stmt, exp.Command):
        return str(stmt.this).upper()
    word = _first_word(text)
    if word in ("WITH", "") or not word.isalpha():
        return type(stmt).__name__.upper()
    return word


def _not_a_query(kind: str) -> AnswerError:
    return AnswerError(f"{kind} is not allowed: the answer must be a single query (SELECT or WITH … SELECT)")


def _parse_error_message(exc: Exception, dialect: str) -> str:
    errors = getattr(exc, "errors", None) or []
    if errors:
        err = errors[0]
        desc = str(err.get("description") or "invalid syntax")
        if desc.startswith("Required keyword"):
            desc = "incomplete expression"
        desc = re.sub(r"\s*<class '[^']*'>", "", desc).rstrip(". ")
        near = (err.get("highlight") or "").strip()
        near_text = f" near '{near[:30]}'" if near else ""
        return (
            f"syntax error ({dialect}) at line {err.get('line')}, column {err.get('col')}{near_text}: {desc}"
        )
    first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return f"syntax error ({dialect}): {first}"


def _has_order_by(stmt: exp.Expression) -> bool:
    from sqlglot import exp

    if stmt.args.get("order") is not None:
        return True
    if isinstance(stmt, exp.Subquery):
        return _has_order_by(stmt.this)
    return False


_BLOCKED_FUNCTIONS = {"query", "query_table"}  # run SQL text the judge never sees


def column_types(card: Card) -> dict[str, str]:
    """Each declared column's base type by lower-case name (what the translation needs to know)."""
    from prepdeck.decks.tabular import parse_columns

    return {col.name.lower(): col.base for spec in card.tables.values() for col in parse_columns(spec)}


_TIMESTAMP_BASES = ("TIMESTAMP", "DATETIME", "TIMESTAMP_NTZ")


_QUERY_WORDS = {"SELECT", "WITH", "VALUES", "TABLE"}


def prepare(
    text: str | bytes,
    dialect: str = "duckdb",
    columns: Mapping[str, str] | None = None,
    *,
    native: bool = False,
    tables: Collection[str] = (),
) -> PreparedQuery:
    """Check that `text` is one query and produce the DuckDB SQL to run; AnswerError otherwise.

    A DuckDB answer is checked by DuckDB's own parser alone (exact error positions in the user's text,
    and no sqlglot import on the default path); other dialects are parsed and translated by sqlglot,
    then the translation goes through the same DuckDB checks.
    """
    source = answer_text(text)
    dialect = normalize_dialect(dialect)
    if native:
        # the engine's own parser judges the syntax; here only what is plainly not a query
        word = _first_word(source)
        if word not in _QUERY_WORDS and not strip_literals(source).lstrip().startswith("("):
            raise _not_a_query(word)
        return PreparedQuery(source, dialect, source, _order_by_at_top_level(source), None, native=True)
    if dialect == "duckdb":
        duckdb_checks(source, source, dialect)
        return PreparedQuery(source, dialect, source, _order_by_at_top_level(source), None)

    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import ErrorLevel, ParseError, TokenError, UnsupportedError

    _quiet_sqlglot()
    try:
        parsed = sqlglot.parse(source, read=dialect)
    except (ParseError, TokenError) as exc:
        raise AnswerError(_parse_error_message(exc, dialect)) from None
    except Exception as exc:  # sqlglot bugs on odd input must not escape as a traceback
        raise AnswerError(
            f"could not read the query: {str(exc).splitlines()[0] if str(exc) else exc!r}"
        ) from None
    statements = [cast("exp.Expression", s) for s in parsed if s is not None]
    if not statements:
        raise AnswerError("the answer is empty: write one SELECT query")
    if len(statements) > 1:
        raise AnswerError(f"{len(statements)} statements: the answer must be a single query")
    statement = statements[0]
    if not isinstance(statement, _query_types()):
        raise _not_a_query(_statement_kind(statement, source))
    for node in statement.walk():
        if isinstance(node, exp.Anonymous) and str(node.this).lower() in _BLOCKED_FUNCTIONS:
            raise AnswerError(f"{str(node.this).lower()}() is not allowed: write the query itself")
    types = dict(columns or {})
    refused = refuse_missing_syntax(statement, strip_literals(source), dialect) or refuse_scoping(
        statement, dialect, types
    )
    if refused:
        raise AnswerError(refused)
    statement = source_semantics(statement, dialect, types, tables)
    if dialect in SPARK_FAMILY:
        timestamps = frozenset(name for name, base in types.items() if base in _TIMESTAMP_BASES)
        statement = fix_spark_epochs(statement, timestamps)
    try:
        sql = statement.sql(dialect="duckdb", pretty=True, unsupported_level=ErrorLevel.RAISE)
    except UnsupportedError as exc:
        raise AnswerError(f"cannot translate this {dialect} query to DuckDB: {str(exc).strip()}") from None
    except Exception as exc:
        raise AnswerError(f"cannot translate this {dialect} query to DuckDB: {exc}") from None
    duckdb_checks(sql, source, dialect)  # DuckDB's own parser has the last word on what runs
    return PreparedQuery(source, dialect, sql, _has_order_by(statement), statement)


def strip_literals(sql: str) -> str:
    """The SQL with strings, quoted names and comments blanked out (newlines kept)."""

    def blank(m: re.Match[str]) -> str:
        return re.sub(r"[^\n]", " ", m.group(0))

    return re.sub(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|--[^\n]*|/\*.*?\*/", blank, sql, flags=re.S)


def duckdb_checks(sql: str, source: str, dialect: str) -> None:
    import duckdb

    from prepdeck.checkers.sql.duckdb_engine import duckdb_message

    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error as exc:
        raise AnswerError(duckdb_message(exc, sql, source, dialect)) from None
    if not statements:
        raise AnswerError("the answer is empty: write one SELECT query")
    if len(statements) > 1:
        raise AnswerError(f"{len(statements)} statements: the answer must be a single query")
    word = _first_word(source)
    kind = statements[0].type
    if kind != duckdb.StatementType.SELECT:
        name = getattr(kind, "name", str(kind)).upper()
        raise _not_a_query(word if word not in ("WITH", "") else name)
    cleaned = strip_literals(sql)
    if re.match(r"\s*\(*\s*(DESCRIBE|SUMMARIZE|SHOW)\b", cleaned, re.I):
        raise _not_a_query(word)
    if re.search(r"\bquery(_table)?\s*\(", cleaned, re.I):
        raise AnswerError("query() is not allowed: write the query itself")


def _order_by_at_top_level(sql: str) -> bool:
    """ORDER BY outside any parentheses: the outermost query sorts (windows, aggregates and subqueries
    keep theirs inside parentheses)."""
    text = strip_literals(sql).strip().rstrip(";").strip()
    while text.startswith("(") and _closing_paren(text) == len(text) - 1:
        text = text[1:-1].strip()  # a query wrapped whole in parentheses
    depth = 0
    for m in re.finditer(r"[()]|\border\s+by\b", text, re.I):
        token = m.group(0)
        if token == "(":
            depth += 1
        elif token == ")":
            depth -= 1
        elif depth == 0:
            return True
    return False


def _closing_paren(text: str) -> int:
    depth = 0
    for i, ch in enumerate(text):
        depth += (ch == "(") - (ch == ")")
        if depth == 0:
            return i
    return -1


def translate(answer: str | bytes, dialect: str) -> str:
    """The answer as the DuckDB SQL the judge runs; AnswerError when it cannot be read or translated."""
    return prepare(answer, dialect).sql
