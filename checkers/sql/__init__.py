"""The SQL judge: runs an answer to a `sql` card on the engine its dialect calls for and compares the
rows with the card's solution on every case.

Which engine: PostgreSQL answers run on a real embedded PostgreSQL 18 (`postgres_engine`); Spark SQL
answers on the real Spark when the native Spark SQL judge is installed; DuckDB answers on DuckDB; the
other dialects (and a native engine that cannot start, which the verdict then says) are translated to
DuckDB with sqlglot, with the source dialect's own semantics (`translate`). Every verdict names its
engine.

DuckDB runs in a warm worker process (`duckdb_worker`): a fresh in-memory database per check, locked
down before any answer runs (no file or network access, no extensions, one thread, a memory limit, the
configuration locked), the clock frozen at the card's `today` by macros that shadow the clock functions
of every dialect, an address-space cap on the worker and a hard kill past the time limit.

Modules: `dialects` (names), `answer` (one query, parsed, refused or translated), `translate` (dialect
refusals and semantics), `declaration` (table declarations as typed columns), `duckdb_engine` (sandbox,
clock, limits, loading a case), `duckdb_worker`, `postgres_engine`, `judge` (routing, cases, expected
rows, verdict).
"""

from __future__ import annotations

from prepdeck.checkers.sql.answer import PreparedQuery, answer_text, prepare, translate
from prepdeck.checkers.sql.dialects import DIALECTS, normalize_dialect
from prepdeck.checkers.sql.duckdb_engine import QueryResult, connect, engine_label, load_case, run_query
from prepdeck.checkers.sql.errors import AnswerError, CardProblem
from prepdeck.checkers.sql.judge import (
    NO_ORDER_BY,
    SHOWN_RESULT_ROWS,
    check_sql,
    clear_solution_cache,
    engine_for,
    explain_sql,
    prewarm,
    sql_card_near,
)

__all__ = [
    "DIALECTS",
    "NO_ORDER_BY",
    "SHOWN_RESULT_ROWS",
    "AnswerError",
    "CardProblem",
    "PreparedQuery",
    "QueryResult",
    "answer_text",
    "check_sql",
    "clear_solution_cache",
    "connect",
    "engine_for",
    "engine_label",
    "explain_sql",
    "load_case",
    "normalize_dialect",
    "prepare",
    "prewarm",
    "run_query",
    "sql_card_near",
    "translate",
]
