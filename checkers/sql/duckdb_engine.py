"""The DuckDB engine: a locked-down in-memory database per check, its clock frozen, its errors in the
user's terms."""

from __future__ import annotations

import datetime as dt
import re
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from prepdeck.checkers.sql.errors import CardProblem, Stopped
from prepdeck.checkers.sql.watchdog import Watchdog
from prepdeck.core.config import SqlConfig

if TYPE_CHECKING:
    import duckdb

    from prepdeck.decks.model import Card, Case

STOP_KINDS = ("Binder Error", "Catalog Error", "Parser Error", "Permission Error")
TEXT_BASES = frozenset({"VARCHAR", "TEXT", "STRING", "CHAR", "BPCHAR"})
# MySQL's default collation (utf8mb4_0900_ai_ci) ignores case and accents when it compares, groups,
# sorts and joins text: MySQL answers read each table through a view of this schema whose text columns
# carry DuckDB's nearest collation (translate.py qualifies their table names)
COLLATED_SCHEMA = "mysql_ci"
COLLATION = "nocase.noaccent"


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


_DEPTH_ADVICE = re.compile(
    r'\. Use "SET max_expression_depth TO x" to increase the maximum expression depth\.?'
)


def duckdb_message(exc: BaseException, sql: str, source: str, dialect: str) -> str:
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
    # ... and a `SET max_expression_depth` that answers may not run: say what to change in the answer
    message = _DEPTH_ADVICE.sub(
        "; nest fewer expressions (use a CTE or a CASE instead of deep nesting)", message
    )
    if dialect == "duckdb":
        return f"{message} (at {position})" if position else message
    # the error is about the translation; point into the user's text when it names something they wrote
    where = "in the query as translated to DuckDB"
    if position:
        where += f" ({position} of the translation)"
    named = re.search(r'"([^"]+)"', head)
    located = _locate(named.group(1), source) if named else None
    if named and located:
        where += f"; '{named.group(1)}' is at line {located[0]}, column {located[1]} of your query"
    return f"{message} — {where}"


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


def engine_label(dialect: str = "duckdb") -> str:
    """What judges an answer here: "duckdb 1.4", or "duckdb 1.4 (translated from mysql)"."""
    import duckdb

    version = ".".join(duckdb.__version__.split(".")[:2])
    return f"duckdb {version}" if dialect == "duckdb" else f"duckdb {version} (translated from {dialect})"


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
        conn.execute(f"CREATE SCHEMA {COLLATED_SCHEMA}")  # its views: load_case
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


def _watchdog(conn: duckdb.DuckDBPyConnection, seconds: float, cancel: threading.Event | None) -> Watchdog:
    """Interrupts the connection at the deadline or when the caller cancels."""
    return Watchdog(conn.interrupt, seconds, cancel, repeat=True)


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
    """Run one query under the time limit; fetch at most max_rows + 1 rows. Raises Stopped."""
    import duckdb

    with _watchdog(conn, time_limit_s, cancel) as dog:
        try:
            cursor = conn.execute(sql)
            rows = cursor.fetchmany(max_rows + 1)
            description = cursor.description or []
        except duckdb.InterruptException:
            if dog.fired == "cancel":
                raise Stopped("cancelled") from None
            raise Stopped(f"time limit of {_limit_text(time_limit_s)} exceeded") from None
        except duckdb.OutOfMemoryException:
            raise Stopped(f"memory limit of {memory_limit_mb} MB exceeded") from None
        except duckdb.Error as exc:
            message = duckdb_message(exc, sql, source or sql, dialect)
            raise Stopped(message, stop_check=message.startswith(STOP_KINDS)) from None
    if len(rows) > max_rows:
        raise Stopped(f"returned more than {max_rows:,} rows", stop_check=False)
    return QueryResult([d[0] for d in description], [str(d[1]) for d in description], list(rows))


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def load_case(conn: duckdb.DuckDBPyConnection, card: Card, case: Case) -> None:
    """(Re)create the card's tables holding this case's data; CardProblem when the data does not fit."""
    import duckdb

    from prepdeck.checkers.sql.declaration import card_columns, case_rows

    where = f"{card.global_id}, case '{case.name}'"
    for table, columns in card_columns(card).items():
        try:
            conn.execute(f"DROP TABLE IF EXISTS {_quote(table)}")
            # built from the parsed declaration: the deck's text is never run as SQL
            defs = ", ".join(f"{_quote(c.name)} {c.type}" for c in columns)
            conn.execute(f"CREATE TABLE {_quote(table)} ({defs})")
            collated = ", ".join(
                f"{_quote(c.name)} COLLATE {_quote(COLLATION)} AS {_quote(c.name)}"
                if c.base in TEXT_BASES
                else _quote(c.name)
                for c in columns
            )
            conn.execute(
                f"CREATE OR REPLACE VIEW {COLLATED_SCHEMA}.{_quote(table)} AS "
                f"SELECT {collated} FROM main.{_quote(table)}"
            )
        except duckdb.Error as exc:
            raise CardProblem(f"{card.global_id}: table {table}: {str(exc).splitlines()[0]}") from None
        header, rows = case_rows(card, case, table, columns)
        if not rows:
            continue
        placeholders = "(" + ", ".join("?" * len(header)) + ")"
        names = ", ".join(_quote(c.name) for c in header)
        chunk = max(1, 1000 // len(header))
        for start in range(0, len(rows), chunk):
            part = rows[start : start + chunk]
            sql = f"INSERT INTO {_quote(table)} ({names}) VALUES " + ", ".join([placeholders] * len(part))
            try:
                conn.execute(sql, [value for row in part for value in row])
            except duckdb.Error as exc:
                raise CardProblem(f"{where}: table {table}: {str(exc).splitlines()[0]}") from None
