"""The SQL judge: runs an answer to a `sql` card and compares it with the card's solution.

Every check gets a fresh in-memory DuckDB locked down before any answer runs: no file or network
access, no extension install/load, one thread, a memory limit, then the configuration locked. The
answer must be exactly one query; other dialects are translated to DuckDB with sqlglot. The clock is
frozen at the card's `today` by shadowing DuckDB's clock functions (`current_date`, `now`, …, plus the
other dialects' names such as `getdate`, `sysdate`, `curdate`) with macros of the same name, so the
user's text runs unchanged and DuckDB's error positions still point into it.

Modules: `dialects` (names), `answer` (one query, parsed and translated), `translate` (dialect repairs),
`duckdb_engine` (sandbox, clock, limits, loading a case), `judge` (cases, expected rows, verdict).
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
