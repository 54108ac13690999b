"""The judge: runs an answer on every case of a `sql` card and compares it with the expected rows."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from prepdeck.checkers.compare import CsvError, compare_results, parse_expected, to_jsonable
from prepdeck.checkers.result import CaseResult, CheckResult
from prepdeck.checkers.solutions import SolutionCache
from prepdeck.checkers.sql.answer import PreparedQuery, prepare, timestamp_columns
from prepdeck.checkers.sql.dialects import normalize_dialect
from prepdeck.checkers.sql.duckdb_engine import QueryResult, connect, engine_label, load_case, run_query
from prepdeck.checkers.sql.errors import AnswerError, CardProblem, Stopped
from prepdeck.core.config import Config, SqlConfig

if TYPE_CHECKING:
    import duckdb

    from prepdeck.decks.model import Card, Case

SHOWN_RESULT_ROWS = 200  # rows of each side kept on a CaseResult for the app's result tables


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
                self.solution = prepare(card.solution, card.dialect or "duckdb", timestamp_columns(card))
            except (AnswerError, ValueError) as exc:
                raise CardProblem(f"{card.global_id}: the card's solution: {exc}") from None
        try:
            return self.execute(self.solution.sql, self.solution.source, self.solution.dialect)
        except Stopped as exc:
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
        card=card.global_id,
        answer=answer_name,
        dialect=dialect,
        passed=False,
        elapsed_ms=0.0,
        engine=engine_label(dialect),
    )

    def done() -> CheckResult:
        result.elapsed_ms = (time.perf_counter() - started) * 1000
        return result

    try:
        prepared = prepare(answer, dialect, timestamp_columns(card))
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
            except Stopped as exc:
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
    except Stopped as exc:
        return f"EXPLAIN failed: {exc.reason}"
    return "\n".join(str(row[-1]) for row in result.rows)


def explain_sql(
    card: Card, answer: str | bytes, dialect: str | None = None, config: SqlConfig | Config | None = None
) -> tuple[str, str]:
    """(DuckDB SQL, EXPLAIN plan) of an answer on the card's first case; AnswerError if it cannot run."""
    cfg = _sql_config(config)
    prepared = prepare(answer, normalize_dialect(dialect, cfg.dialect), timestamp_columns(card))
    conn = connect(cfg, card.today)
    try:
        if card.cases:
            load_case(conn, card, card.cases[0])
        run = _Run(card, cfg, conn, None)
        try:
            plan = run.execute("EXPLAIN " + prepared.sql, prepared.source, prepared.dialect)
        except Stopped as exc:
            raise AnswerError(exc.reason) from None
    finally:
        conn.close()
    return prepared.sql, "\n".join(str(row[-1]) for row in plan.rows)
