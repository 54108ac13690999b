"""The SQL judge: runs an answer to a `sql` card on DuckDB and compares it with the card's solution.

Every check gets a fresh in-memory DuckDB locked down before any answer runs: no file or network
access, no extension install/load, one thread, a memory limit, then the configuration locked. The
answer must be exactly one query; other dialects are translated to DuckDB with sqlglot. The clock is
frozen at the card's `today` by shadowing DuckDB's clock functions (`current_date`, `now`, …, plus the
other dialects' names such as `getdate`, `sysdate`, `curdate`) with macros of the same name, so the
user's text runs unchanged and DuckDB's error positions still point into it.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from prepdeck.checkers.compare import CsvError, compare_results, parse_expected, to_jsonable
from prepdeck.checkers.result import CaseResult, CheckResult
from prepdeck.checkers.solutions import SolutionCache
from prepdeck.core.config import Config, SqlConfig

if TYPE_CHECKING:
    import duckdb
    from sqlglot import exp

    from prepdeck.decks.model import Card, Case

DIALECTS: tuple[str, ...] = ("duckdb", "bigquery", "spark", "postgres", "snowflake", "mysql")
_ALIASES = {
    "postgresql": "postgres",
    "pg": "postgres",
    "psql": "postgres",
    "sparksql": "spark",
    "spark-sql": "spark",
    "spark_sql": "spark",
    "bq": "bigquery",
    "duck": "duckdb",
}
SHOWN_RESULT_ROWS = 200  # rows of each side kept on a CaseResult for the app's result tables
_STOP_KINDS = ("Binder Error", "Catalog Error", "Parser Error", "Permission Error")


class AnswerError(ValueError):
    """The answer cannot run at all; the message is one line a learner can act on."""


class CardProblem(ValueError):
    """The card itself cannot be judged (bad case data, a solution that fails): a deck bug."""


def normalize_dialect(name: str | None, default: str = "duckdb") -> str:
    """A dialect name as sqlglot knows it; raises ValueError naming the supported ones."""
    if name is None or not str(name).strip():
        return default
    key = str(name).strip().lower()
    key = _ALIASES.get(key, key)
    if key in DIALECTS:
        return key
    from sqlglot.dialects.dialect import Dialect

    try:
        Dialect.get_or_raise(key)
    except ValueError:
        raise ValueError(f"unknown SQL dialect '{name}' (use one of: {', '.join(DIALECTS)})") from None
    return key


# ---------------------------------------------------------------------------------------------
# reading the answer


@dataclass
class PreparedQuery:
    source: str  # the user's text
    dialect: str
    sql: str  # what DuckDB runs
    has_order_by: bool
    statement: exp.Expression | None = None

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


def answer_text(raw: str | bytes) -> str:
    """The answer as text, or AnswerError for a binary or empty answer."""
    if isinstance(raw, bytes | bytearray):
        try:
            raw = bytes(raw).decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise AnswerError(
                f"the answer is not UTF-8 text (undecodable byte at offset {exc.start})"
            ) from None
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


_SPARK_FAMILY = {"spark", "spark2", "databricks", "hive"}
_INTEGER_TYPES = {"BIGINT", "INT", "INTEGER", "SMALLINT", "TINYINT"}


def _spark_default_unix_format() -> object:
    import sqlglot

    return sqlglot.parse_one("SELECT unix_timestamp(x)", read="spark").selects[0].args.get("format")


def _fix_spark_epochs(statement: exp.Expression, timestamp_columns: frozenset[str]) -> exp.Expression:
    """Spark idioms for epoch seconds that sqlglot's DuckDB output gets wrong.

    `unix_timestamp(ts)` becomes STRPTIME(ts, fmt), which DuckDB rejects for a TIMESTAMP, and
    `CAST(ts AS LONG)` becomes TRY_CAST(ts AS BIGINT), which is NULL in DuckDB: both are written as
    epoch milliseconds // 1000, Spark's truncated seconds.
    """
    from sqlglot import exp

    default_format = _spark_default_unix_format()

    def epoch_seconds(value: exp.Expression) -> exp.Expression:
        as_ts = exp.cast(value.copy(), "TIMESTAMP")
        return exp.Paren(
            this=exp.IntDiv(
                this=exp.Anonymous(this="epoch_ms", expressions=[as_ts]), expression=exp.Literal.number(1000)
            )
        )

    def is_timestamp(node: exp.Expression | None) -> bool:
        # a declared TIMESTAMP column, possibly inside LAG/LEAD/MIN/MAX/FIRST/LAST … OVER (…)
        while isinstance(
            node,
            (
                exp.Window,
                exp.Lag,
                exp.Lead,
                exp.Min,
                exp.Max,
                exp.FirstValue,
                exp.LastValue,
                exp.First,
                exp.Last,
                exp.Coalesce,
                exp.Paren,
            ),
        ):
            node = node.this
        return isinstance(node, exp.Column) and node.name.lower() in timestamp_columns

    def rewrite(node: exp.Expression) -> exp.Expression:
        if (
            isinstance(node, exp.StrToUnix)
            and node.args.get("format") == default_format
            and node.this is not None
        ):
            return epoch_seconds(node.this)
        if (
            isinstance(node, (exp.Cast, exp.TryCast))
            and node.to.this.name.upper() in _INTEGER_TYPES
            and is_timestamp(node.this)
        ):
            return epoch_seconds(node.this)
        return node

    return statement.transform(rewrite)


def _timestamp_columns(card: Card) -> frozenset[str]:
    from prepdeck.decks.tabular import parse_columns

    return frozenset(
        col.name.lower()
        for spec in card.tables.values()
        for col in parse_columns(spec)
        if col.base in ("TIMESTAMP", "DATETIME", "TIMESTAMP_NTZ")
    )


def prepare(
    text: str | bytes, dialect: str = "duckdb", timestamp_columns: frozenset[str] = frozenset()
) -> PreparedQuery:
    """Check that `text` is one query and produce the DuckDB SQL to run; AnswerError otherwise.

    A DuckDB answer is checked by DuckDB's own parser alone (exact error positions in the user's text,
    and no sqlglot import on the default path); other dialects are parsed and translated by sqlglot,
    then the translation goes through the same DuckDB checks.
    """
    source = answer_text(text)
    dialect = normalize_dialect(dialect)
    if dialect == "duckdb":
        _duckdb_checks(source, source, dialect)
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
    statements = [s for s in parsed if s is not None]
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
    if dialect in _SPARK_FAMILY:
        statement = _fix_spark_epochs(statement, timestamp_columns)
    try:
        sql = statement.sql(dialect="duckdb", pretty=True, unsupported_level=ErrorLevel.RAISE)
    except UnsupportedError as exc:
        raise AnswerError(f"cannot translate this {dialect} query to DuckDB: {str(exc).strip()}") from None
    except Exception as exc:
        raise AnswerError(f"cannot translate this {dialect} query to DuckDB: {exc}") from None
    _duckdb_checks(sql, source, dialect)  # DuckDB's own parser has the last word on what runs
    return PreparedQuery(source, dialect, sql, _has_order_by(statement), statement)


def _strip_literals(sql: str) -> str:
    """The SQL with strings, quoted names and comments blanked out (newlines kept)."""

    def blank(m: re.Match[str]) -> str:
        return re.sub(r"[^\n]", " ", m.group(0))

    return re.sub(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|--[^\n]*|/\*.*?\*/", blank, sql, flags=re.S)


def _duckdb_checks(sql: str, source: str, dialect: str) -> None:
    import duckdb

    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error as exc:
        raise AnswerError(_duckdb_message(exc, sql, source, dialect)) from None
    if not statements:
        raise AnswerError("the answer is empty: write one SELECT query")
    if len(statements) > 1:
        raise AnswerError(f"{len(statements)} statements: the answer must be a single query")
    word = _first_word(source)
    kind = statements[0].type
    if kind != duckdb.StatementType.SELECT:
        name = getattr(kind, "name", str(kind)).upper()
        raise _not_a_query(word if word not in ("WITH", "") else name)
    cleaned = _strip_literals(sql)
    if re.match(r"\s*\(*\s*(DESCRIBE|SUMMARIZE|SHOW)\b", cleaned, re.I):
        raise _not_a_query(word)
    if re.search(r"\bquery(_table)?\s*\(", cleaned, re.I):
        raise AnswerError("query() is not allowed: write the query itself")


def _order_by_at_top_level(sql: str) -> bool:
    """ORDER BY outside any parentheses: the outermost query sorts (windows, aggregates and subqueries
    keep theirs inside parentheses)."""
    text = _strip_literals(sql).strip().rstrip(";").strip()
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


# ---------------------------------------------------------------------------------------------
# DuckDB errors in the user's terms


def _locate(name: str, source: str) -> tuple[int, int] | None:
    m = re.search(rf"(?<![\w.]){re.escape(name)}(?!\w)", source, re.I)
    if not m:
        return None
    line = source.count("\n", 0, m.start()) + 1
    col = m.start() - (source.rfind("\n", 0, m.start()) + 1) + 1
    return line, col


_SYSTEM_SUGGESTION = re.compile(
    r' ?Did you mean "(?:[\w.]*\.)?(?:pg_|duckdb_|sqlite_|information_schema|main\.pg_)[^"]*"\?'
)


def _duckdb_message(exc: BaseException, sql: str, source: str, dialect: str) -> str:
    text = str(exc)
    lines = text.splitlines()
    head = lines[0].strip() if lines else type(exc).__name__
    extra = []
    position = ""
    for i, line in enumerate(lines[1:], start=1):
        m = re.match(r"LINE (\d+): ?(.*)$", line)
        if m:
            prefix = len(line) - len(m.group(2))
            caret = lines[i + 1].find("^") if i + 1 < len(lines) else -1
            col = caret - prefix + 1 if caret >= prefix and not m.group(2).startswith("...") else None
            position = f"line {m.group(1)}" + (f", column {col}" if col else "")
        elif line.strip() and not set(line.strip()) <= {"^"}:
            extra.append(line.strip())
    message = head + (" " + " ".join(extra) if extra else "")
    # DuckDB suggests its own catalog ("Did you mean "pg_sequences"?") for a mistyped table: misleading
    message = _SYSTEM_SUGGESTION.sub("", message)
    if dialect == "duckdb":
        return f"{message} (at {position})" if position else message
    # the error is about the translation; point into the user's text when it names something they wrote
    where = "in the query as translated to DuckDB"
    if position:
        where += f" ({position} of the translation)"
    named = re.search(r'"([^"]+)"', head)
    located = _locate(named.group(1), source) if named else None
    if located:
        where += f"; '{named.group(1)}' is at line {located[0]}, column {located[1]} of your query"
    return f"{message} — {where}"


# ---------------------------------------------------------------------------------------------
# running


class _Stopped(Exception):
    def __init__(self, reason: str, stop_check: bool = True):
        super().__init__(reason)
        self.reason = reason
        self.stop_check = stop_check


_CLOCK_DATE = ("current_date", "today", "curdate", "utc_date")
_CLOCK_TIMESTAMPTZ = (
    "now",
    "current_timestamp",
    "get_current_timestamp",
    "transaction_timestamp",
    "statement_timestamp",
    "clock_timestamp",
    "getdate",
    "systimestamp",
)
_CLOCK_TIMESTAMP = (
    "localtimestamp",
    "current_localtimestamp",
    "current_datetime",
    "sysdate",
    "utc_timestamp",
)
_CLOCK_TIME = ("current_time", "get_current_time", "localtime", "curtime", "utc_time")


def _clock_macros(today: dt.datetime) -> list[str]:
    if today.tzinfo is not None:
        today = today.astimezone(dt.UTC).replace(tzinfo=None)
    stamp = today.isoformat(sep=" ")
    values = {
        **{n: f"DATE '{today.date().isoformat()}'" for n in _CLOCK_DATE},
        **{n: f"TIMESTAMPTZ '{stamp}+00'" for n in _CLOCK_TIMESTAMPTZ},
        **{n: f"TIMESTAMP '{stamp}'" for n in _CLOCK_TIMESTAMP},
        **{n: f"TIME '{today.time().isoformat()}'" for n in _CLOCK_TIME},
    }
    return [f"CREATE MACRO {name}() AS {value}" for name, value in values.items()]


def connect(config: SqlConfig, today: dt.datetime) -> duckdb.DuckDBPyConnection:
    """A fresh locked-down in-memory DuckDB with the clock frozen at `today`."""
    import duckdb

    conn = duckdb.connect(
        ":memory:",
        config={
            "enable_external_access": False,
            "autoinstall_known_extensions": False,
            "autoload_known_extensions": False,
            "allow_community_extensions": False,
            "memory_limit": f"{int(config.memory_limit_mb)}MB",
            "threads": 1,
            "temp_directory": "",  # never spill to disk (the default is ./.tmp)
        },
    )
    try:
        conn.execute("SET TimeZone = 'UTC'")  # a setting of the built-in ICU extension
        for macro in _clock_macros(today):
            conn.execute(macro)
        conn.execute("SET lock_configuration = true")
    except Exception:
        conn.close()
        raise
    return conn


@dataclass
class QueryResult:
    columns: list[str]
    types: list[str]
    rows: list[tuple[Any, ...]]


class _Watchdog:
    """Interrupts the connection at the deadline or when the caller cancels."""

    def __init__(self, conn: duckdb.DuckDBPyConnection, seconds: float, cancel: threading.Event | None):
        self.conn, self.seconds, self.cancel = conn, seconds, cancel
        self.done = threading.Event()
        self.fired: str | None = None
        self.thread = threading.Thread(target=self._watch, daemon=True, name="prepdeck-sql-watchdog")

    def _watch(self) -> None:
        deadline = time.monotonic() + self.seconds
        while not self.done.is_set():
            left = deadline - time.monotonic()
            if left <= 0:
                self.fired = "time"
            elif self.cancel is not None and self.cancel.is_set():
                self.fired = "cancel"
            if self.fired:
                # repeat: an interrupt that lands before the query starts is forgotten by DuckDB
                while not self.done.is_set():
                    self.conn.interrupt()
                    self.done.wait(0.05)
                return
            self.done.wait(min(left, 0.05) if self.cancel is not None else left)

    def __enter__(self) -> _Watchdog:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.done.set()


def _limit_text(seconds: float) -> str:
    return f"{seconds:g} s"


def run_query(
    conn: duckdb.DuckDBPyConnection,
    sql: str,
    *,
    time_limit_s: float,
    max_rows: int,
    memory_limit_mb: int,
    cancel: threading.Event | None = None,
    source: str | None = None,
    dialect: str = "duckdb",
) -> QueryResult:
    """Run one query under the time limit; fetch at most max_rows + 1 rows. Raises _Stopped."""
    import duckdb

    with _Watchdog(conn, time_limit_s, cancel) as dog:
        try:
            cursor = conn.execute(sql)
            rows = cursor.fetchmany(max_rows + 1)
            description = cursor.description or []
        except duckdb.InterruptException:
            if dog.fired == "cancel":
                raise _Stopped("cancelled") from None
            raise _Stopped(f"time limit of {_limit_text(time_limit_s)} exceeded") from None
        except duckdb.OutOfMemoryException:
            raise _Stopped(f"memory limit of {memory_limit_mb} MB exceeded") from None
        except duckdb.Error as exc:
            message = _duckdb_message(exc, sql, source or sql, dialect)
            raise _Stopped(message, stop_check=message.startswith(_STOP_KINDS)) from None
    if len(rows) > max_rows:
        raise _Stopped(f"returned more than {max_rows:,} rows", stop_check=False)
    return QueryResult([d[0] for d in description], [str(d[1]) for d in description], list(rows))


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def load_case(conn: duckdb.DuckDBPyConnection, card: Card, case: Case) -> None:
    """(Re)create the card's tables holding this case's data; CardProblem when the data does not fit."""
    import duckdb

    from prepdeck.decks.tabular import coerce, parse_columns, read_csv

    where = f"{card.global_id}, case '{case.name}'"
    for table, spec in card.tables.items():
        try:
            columns = parse_columns(spec)
        except ValueError as exc:
            raise CardProblem(f"{card.global_id}: table {table}: {exc}") from None
        try:
            conn.execute(f"DROP TABLE IF EXISTS {_quote(table)}")
            conn.execute(f"CREATE TABLE {_quote(table)} ({spec})")
        except duckdb.Error as exc:
            raise CardProblem(f"{card.global_id}: table {table}: {str(exc).splitlines()[0]}") from None
        text = case.data.get(table)
        if not text or not text.strip():
            continue
        try:
            csv = read_csv(text)
        except ValueError as exc:
            raise CardProblem(f"{where}: table {table}: {exc}") from None
        by_name = {c.name.lower(): c for c in columns}
        header = []
        for name in csv.header:
            column = by_name.get(name.lower())
            if column is None:
                raise CardProblem(f"{where}: table {table} has no column '{name}'")
            header.append(column)
        values: list[Any] = []
        for number, record in enumerate(csv.rows, start=1):
            if len(record) != len(header):
                raise CardProblem(
                    f"{where}: table {table}, row {number}: {len(record)} fields, "
                    f"the header names {len(header)}"
                )
            for column, raw in zip(header, record, strict=True):
                try:
                    values.append(coerce(raw, column.type))
                except ValueError as exc:
                    raise CardProblem(
                        f"{where}: table {table}, row {number}, column {column.name}: {exc}"
                    ) from None
        if not csv.rows:
            continue
        placeholders = "(" + ", ".join("?" * len(header)) + ")"
        names = ", ".join(_quote(c.name) for c in header)
        width = len(header)
        chunk = max(1, 1000 // width)
        for start in range(0, len(csv.rows), chunk):
            part = values[start * width : (start + chunk) * width]
            sql = f"INSERT INTO {_quote(table)} ({names}) VALUES " + ", ".join(
                [placeholders] * (len(part) // width)
            )
            try:
                conn.execute(sql, part)
            except duckdb.Error as exc:
                raise CardProblem(f"{where}: table {table}: {str(exc).splitlines()[0]}") from None


# solution results per card + case, so checking many answers runs each solution once
_SOLUTIONS: SolutionCache[QueryResult] = SolutionCache()


def clear_solution_cache() -> None:
    _SOLUTIONS.clear()


@dataclass
class _Expected:
    columns: int
    rows: list[Any]
    loose: bool  # hand-written CSV: text in the answer is read like CSV values


@dataclass
class _Run:
    """State of one check (one connection)."""

    card: Card
    config: SqlConfig
    conn: duckdb.DuckDBPyConnection
    cancel: threading.Event | None
    solution: PreparedQuery | None = None
    notes: list[str] = field(default_factory=list)

    def execute(self, sql: str, source: str | None = None, dialect: str = "duckdb") -> QueryResult:
        return run_query(
            self.conn,
            sql,
            time_limit_s=self.config.time_limit_s,
            max_rows=self.config.max_rows,
            memory_limit_mb=self.config.memory_limit_mb,
            cancel=self.cancel,
            source=source,
            dialect=dialect,
        )

    def expected(self, case: Case) -> _Expected:
        if case.expected is not None:
            try:
                table = parse_expected(case.expected)
            except CsvError as exc:
                raise CardProblem(f"{self.card.global_id}, case '{case.name}': {exc}") from None
            return _Expected(len(table.columns), table.rows, loose=True)
        cached = _SOLUTIONS.get(self.card, case)
        if cached is None:
            cached = self._run_solution(case)
            _SOLUTIONS.put(self.card, case, cached)
        return _Expected(len(cached.columns), list(cached.rows), loose=False)

    def _run_solution(self, case: Case) -> QueryResult:
        card = self.card
        if not card.solution:
            raise CardProblem(
                f"{card.global_id}, case '{case.name}': no `expected` and the card has no solution"
            )
        if self.solution is None:
            try:
                self.solution = prepare(card.solution, card.dialect or "duckdb", _timestamp_columns(card))
            except (AnswerError, ValueError) as exc:
                raise CardProblem(f"{card.global_id}: the card's solution: {exc}") from None
        try:
            return self.execute(self.solution.sql, self.solution.source, self.solution.dialect)
        except _Stopped as exc:
            if exc.reason == "cancelled":
                raise
            raise CardProblem(
                f"{card.global_id}: the card's solution fails on case '{case.name}': {exc.reason}"
            ) from None


def _sql_config(config: SqlConfig | Config | None) -> SqlConfig:
    if config is None:
        return SqlConfig()
    if isinstance(config, Config):
        return config.sql
    return config


NO_ORDER_BY = "the outermost query has no ORDER BY, and row order is part of this answer"


def check_sql(
    card: Card,
    answer: str | bytes,
    dialect: str | None = None,
    config: SqlConfig | Config | None = None,
    explain: bool = False,
    *,
    answer_name: str = "editor",
    cancel: threading.Event | None = None,
) -> CheckResult:
    """Judge one answer to a `sql` card on every case.

    Never raises for anything the answer does (that is a graded failure with a one-line reason);
    raises CardProblem when the card itself cannot be judged, and ValueError for an unknown dialect.
    """
    started = time.perf_counter()
    cfg = _sql_config(config)
    dialect = normalize_dialect(dialect, cfg.dialect)
    result = CheckResult(
        card=card.global_id, answer=answer_name, dialect=dialect, passed=False, elapsed_ms=0.0
    )

    def done() -> CheckResult:
        result.elapsed_ms = (time.perf_counter() - started) * 1000
        return result

    try:
        prepared = prepare(answer, dialect, _timestamp_columns(card))
    except AnswerError as exc:
        result.error = str(exc)
        result.cases = [CaseResult(c.name, c.hidden, False, error="not run") for c in card.cases]
        return done()
    result.translated = prepared.sql

    try:
        conn = connect(cfg, card.today)
    except Exception as exc:
        result.error = f"DuckDB could not start: {str(exc).splitlines()[0] if str(exc) else exc!r}"
        return done()
    run = _Run(card, cfg, conn, cancel)
    try:
        stopped: str | None = None
        for case in card.cases:
            if stopped is None and cancel is not None and cancel.is_set():
                stopped = result.error = "cancelled"
            if stopped is not None:
                result.cases.append(CaseResult(case.name, case.hidden, False, error="not run"))
                continue
            load_case(conn, card, case)
            try:
                expected = run.expected(case)
                actual = run.execute(prepared.sql, prepared.source, prepared.dialect)
            except _Stopped as exc:
                result.cases.append(
                    CaseResult(case.name, case.hidden, False, error=exc.reason, message=exc.reason)
                )
                if exc.stop_check:
                    stopped = exc.reason
                    result.error = exc.reason
                continue
            result.cases.append(_judge_case(card, case, actual, expected, prepared))
            if explain and result.plan is None:
                result.plan = _explain(run, prepared)
        result.passed = bool(result.cases) and all(c.passed for c in result.cases) and result.error is None
    finally:
        conn.close()
    return done()


def _judge_case(
    card: Card, case: Case, actual: QueryResult, expected: _Expected, prepared: PreparedQuery
) -> CaseResult:
    comparison = compare_results(
        actual.rows,
        expected.rows,
        actual_columns=len(actual.columns),
        expected_columns=expected.columns,
        ordered=card.ordered,
        tolerance=card.tolerance,
        loose=expected.loose,
    )
    out = CaseResult(
        case.name,
        case.hidden,
        comparison.passed,
        message=comparison.message,
        missing=comparison.missing,
        unexpected=comparison.unexpected,
        order_mismatch_at=comparison.order_mismatch_at,
        columns=actual.columns,
        expected_rows=[to_jsonable(r) for r in expected.rows[:SHOWN_RESULT_ROWS]],
        actual_rows=[to_jsonable(r) for r in actual.rows[:SHOWN_RESULT_ROWS]],
    )
    if card.ordered and not prepared.has_order_by:
        out.passed = False
        out.message = NO_ORDER_BY if comparison.passed else f"{comparison.message}; also {NO_ORDER_BY}"
    return out


def _explain(run: _Run, prepared: PreparedQuery) -> str | None:
    try:
        result = run.execute("EXPLAIN " + prepared.sql)
    except _Stopped as exc:
        return f"EXPLAIN failed: {exc.reason}"
    return "\n".join(str(row[-1]) for row in result.rows)


def explain_sql(
    card: Card, answer: str | bytes, dialect: str | None = None, config: SqlConfig | Config | None = None
) -> tuple[str, str]:
    """(DuckDB SQL, EXPLAIN plan) of an answer on the card's first case; AnswerError if it cannot run."""
    cfg = _sql_config(config)
    prepared = prepare(answer, normalize_dialect(dialect, cfg.dialect), _timestamp_columns(card))
    conn = connect(cfg, card.today)
    try:
        if card.cases:
            load_case(conn, card, card.cases[0])
        run = _Run(card, cfg, conn, None)
        try:
            plan = run.execute("EXPLAIN " + prepared.sql, prepared.source, prepared.dialect)
        except _Stopped as exc:
            raise AnswerError(exc.reason) from None
    finally:
        conn.close()
    return prepared.sql, "\n".join(str(row[-1]) for row in plan.rows)
