"""The judge: runs an answer on every case of a `sql` card and compares it with the expected rows."""

from __future__ import annotations

import functools
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from prepdeck.checkers.compare import CsvError, case_result, parse_expected
from prepdeck.checkers.result import CaseResult, CheckResult
from prepdeck.checkers.solutions import SolutionCache
from prepdeck.checkers.sql.answer import PreparedQuery, answer_text, column_types, prepare
from prepdeck.checkers.sql.dialects import normalize_dialect
from prepdeck.checkers.sql.duckdb_engine import QueryResult, engine_label
from prepdeck.checkers.sql.duckdb_worker import LocalSession, WorkerSession
from prepdeck.checkers.sql.duckdb_worker import session as duck_session
from prepdeck.checkers.sql.errors import AnswerError, CardProblem, Stopped
from prepdeck.core.config import Config, SqlConfig

if TYPE_CHECKING:
    from prepdeck.checkers.sql.postgres_engine import PgSession, PostgresService
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
    """State of one check: the DuckDB connection (opened when first needed) and, for answers or
    solutions in the postgres dialect, the PostgreSQL session; both hold the current case."""

    card: Card
    config: SqlConfig
    cancel: threading.Event | None
    pg: PgSession | None = None
    solution: PreparedQuery | None = None
    case: Case | None = None
    _duck: WorkerSession | LocalSession | None = None
    _duck_case: Case | None = None

    def load(self, case: Case) -> None:
        self.case = case
        if self.pg is not None:
            self.pg.load_case(self.card, case)

    def duck(self) -> WorkerSession | LocalSession:
        """The check's DuckDB (in the worker process), opened when first needed, holding the case."""
        if self._duck is None:
            self._duck = duck_session(self.config, self.card.today, self.cancel)
        if self.case is not None and self._duck_case is not self.case:
            self._duck.load(self.card, self.case)
            self._duck_case = self.case
        return self._duck

    def close(self) -> None:
        if self._duck is not None:
            self._duck.close()

    def run(self, prepared: PreparedQuery, hidden: bool = False) -> QueryResult:
        if prepared.native and self.pg is not None:
            return self.pg.run(prepared.sql, prepared.source, hidden=hidden)
        try:
            return self.execute(prepared.sql, prepared.source, prepared.dialect)
        except Stopped as exc:
            if hidden and not exc.stop_check:
                raise Stopped(redact(exc.reason), stop_check=False) from None
            raise

    def execute(self, sql: str, source: str | None = None, dialect: str = "duckdb") -> QueryResult:
        return self.duck().run(sql, source, dialect)

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
            dialect = normalize_dialect(card.dialect or "duckdb")
            try:
                self.solution = prepare(
                    card.solution,
                    dialect,
                    column_types(card),
                    native=self.pg is not None and dialect == "postgres",
                    tables=card.tables,
                )
            except (AnswerError, ValueError) as exc:
                raise CardProblem(f"{card.global_id}: the card's solution: {exc}") from None
        try:
            return self.run(self.solution)
        except Stopped as exc:
            if exc.reason == "cancelled":
                raise
            raise CardProblem(
                f"{card.global_id}: the card's solution fails on case '{case.name}': {exc.reason}"
            ) from None


def expected_output(
    card: Card, case: Case, config: SqlConfig | Config | None = None
) -> tuple[list[str], list[tuple[Any, ...]]]:
    """(column names, rows) a case should return, shown beside a visible example as LeetCode does: the
    case's `expected` block, else the card's solution run on the case (cached like a check's)."""
    if case.expected is not None:
        table = parse_expected(case.expected)
        return list(table.columns), [tuple(r) for r in table.rows]
    run = _Run(card, _sql_config(config), None)
    try:
        run.load(case)
        cached = _SOLUTIONS.get(card, case)
        if cached is None:
            cached = run._run_solution(case)
            _SOLUTIONS.put(card, case, cached)
        return list(cached.columns), list(cached.rows)
    finally:
        run.close()


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
    translate_only: bool = False,
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

    # translate_only: the DuckDB translation even where a native engine exists (tests of the translation)
    fallback: str | None = None
    if dialect == "spark" and not translate_only:
        native = _native_spark(card, answer, config, cancel, explain)
        if isinstance(native, CheckResult):
            native.answer = answer_name
            return native
        fallback = native
    pg_service, pg_fallback = (None, None) if translate_only else _native_postgres(dialect, cfg)
    fallback = fallback or pg_fallback
    if pg_service is not None:
        result.engine = pg_service.label
    elif fallback:
        result.engine = f"{engine_label(dialect)[:-1]}; {fallback})"
    try:
        prepared = prepare(
            answer, dialect, column_types(card), native=pg_service is not None, tables=card.tables
        )
    except AnswerError as exc:
        result.error = str(exc)
        result.cases = [CaseResult(c.name, c.hidden, False, error="not run") for c in card.cases]
        return done()
    result.translated = None if prepared.native else prepared.sql

    with _sessions(pg_service, cfg, card, cancel) as pg:
        run = _Run(card, cfg, cancel, pg)
        try:
            _judge_cases(run, prepared, result, explain)
        except _EngineFailed as exc:
            result.error = str(exc)
        finally:
            run.close()
    return done()


class _EngineFailed(RuntimeError):
    pass


def _judge_cases(run: _Run, prepared: PreparedQuery, result: CheckResult, explain: bool) -> None:
    card, cancel = run.card, run.cancel
    stopped: str | None = None
    for case in card.cases:
        if stopped is None and cancel is not None and cancel.is_set():
            stopped = result.error = "cancelled"
        if stopped is not None:
            result.cases.append(CaseResult(case.name, case.hidden, False, error="not run"))
            continue
        try:
            run.load(case)
            expected = run.expected(case)
            actual = run.run(prepared, hidden=case.hidden)
        except Stopped as exc:
            result.cases.append(
                CaseResult(case.name, case.hidden, False, error=exc.reason, message=exc.reason)
            )
            if exc.stop_check:
                stopped = exc.reason
                result.error = exc.reason
            continue
        except CardProblem:
            raise
        except Exception as exc:  # DuckDB could not start, the PostgreSQL connection dropped
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise _EngineFailed(f"the SQL engine failed: {first}") from exc
        result.cases.append(_judge_case(card, case, actual, expected, prepared))
        if explain and result.plan is None:
            result.plan = _explain(run, prepared)
    result.passed = bool(result.cases) and all(c.passed for c in result.cases) and result.error is None


def _native_spark(
    card: Card,
    answer: str | bytes,
    config: SqlConfig | Config | None,
    cancel: threading.Event | None,
    explain: bool,
) -> CheckResult | str | None:
    """A Spark SQL answer judged on the real Spark (the PySpark cards' warm server), or why it cannot
    be (then it is translated, and the verdict says so), or None when the answer cannot be read."""
    # imported here: a DuckDB or PostgreSQL check never pays for Spark's modules
    from prepdeck.checkers.spark.service import SparkUnavailable
    from prepdeck.checkers.spark.sql_judge import check_spark_sql

    try:
        text = answer_text(answer)
    except AnswerError:
        return None  # the translation path reports it, in the same words as every dialect
    full = config if isinstance(config, Config) else Config(sql=_sql_config(config))
    try:
        result: CheckResult = check_spark_sql(card, text, full, cancel=cancel, explain=explain)
    except SparkUnavailable as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else "it did not start"
        return f"Spark unavailable: {first}"
    _whole_check_error(result)
    return result


def _whole_check_error(result: CheckResult) -> None:
    """An error Spark raises before reading any data (syntax, unknown name: SQLSTATE class 42) is the
    answer's error, as it is on every engine, not a failure of each case."""
    if result.error is not None or not result.cases:
        return
    first = result.cases[0].error or ""
    if "SQLSTATE: 42" in first and all(c.error for c in result.cases):
        result.error = first


def _native_postgres(dialect: str, cfg: SqlConfig) -> tuple[PostgresService | None, str | None]:
    """The running PostgreSQL for a postgres answer, or (None, why it is translated instead)."""
    if dialect != "postgres":
        return None, None
    from prepdeck.checkers.sql.postgres_engine import PostgresUnavailable, service

    svc = service(memory_limit_mb=cfg.memory_limit_mb)
    try:
        return svc.start(), None
    except PostgresUnavailable as exc:
        return None, str(exc)


@contextmanager
def _sessions(
    pg_service: PostgresService | None, cfg: SqlConfig, card: Card, cancel: threading.Event | None
) -> Iterator[PgSession | None]:
    if pg_service is None:
        yield None
        return
    with pg_service.session(cfg, card.today, cancel) as pg:
        yield pg


def redact(reason: str) -> str:
    """A DuckDB error on a hidden case without its details, which may quote the case's data: the kind
    ("Conversion Error") and the position only."""
    head = reason.split(":", 1)[0].strip()
    position = re.search(r"\(at line \d+(?:, column \d+)?\)", reason)
    return head + (f" {position.group(0)}" if position else "") + " (details hidden with the case)"


def _judge_case(
    card: Card, case: Case, actual: QueryResult, expected: _Expected, prepared: PreparedQuery
) -> CaseResult:
    out = case_result(
        case, actual.rows, actual.columns, expected.rows, expected.columns,
        ordered=card.ordered, tolerance=card.tolerance, loose=expected.loose, shown_rows=SHOWN_RESULT_ROWS,
    )  # fmt: skip
    if card.ordered and not prepared.has_order_by:
        out.message = NO_ORDER_BY if out.passed else f"{out.message}; also {NO_ORDER_BY}"
        out.passed = False
    if not out.passed and prepared.dialect == "mysql":
        from prepdeck.checkers.sql.collation import mysql_collation_note

        note = mysql_collation_note(card, case)
        if note:
            out.message = f"{out.message}; {note}" if out.message else note
    return out


def _explain(run: _Run, prepared: PreparedQuery) -> str | None:
    if prepared.native and run.pg is not None:
        return run.pg.explain(prepared.sql, prepared.source)
    try:
        result = run.execute("EXPLAIN " + prepared.sql)
    except Stopped as exc:
        return f"EXPLAIN failed: {exc.reason}"
    return "\n".join(str(row[-1]) for row in result.rows)


def explain_sql(
    card: Card, answer: str | bytes, dialect: str | None = None, config: SqlConfig | Config | None = None
) -> tuple[str, str]:
    """(what runs, its plan) of an answer on the card's first case: the native query and PostgreSQL's
    EXPLAIN, or the DuckDB translation and DuckDB's; AnswerError if it cannot run."""
    cfg = _sql_config(config)
    dialect = normalize_dialect(dialect, cfg.dialect)
    if dialect == "spark":
        native = _native_spark(card, answer, config, None, True)
        if isinstance(native, CheckResult) and native.plan:
            return answer_text(answer), native.plan
    pg_service, _ = _native_postgres(dialect, cfg)
    prepared = prepare(answer, dialect, column_types(card), native=pg_service is not None, tables=card.tables)
    with _sessions(pg_service, cfg, card, None) as pg:
        run = _Run(card, cfg, None, pg)
        try:
            if card.cases:
                run.load(card.cases[0])
            if prepared.native and pg is not None:
                return prepared.source, pg.explain(prepared.sql, prepared.source)
            try:
                plan = run.execute("EXPLAIN " + prepared.sql, prepared.source, prepared.dialect)
            except Stopped as exc:
                raise AnswerError(exc.reason) from None
        finally:
            run.close()
    return prepared.sql, "\n".join(str(row[-1]) for row in plan.rows)


def sql_card_near(upcoming: list[Card], config: SqlConfig | Config | None = None) -> tuple[bool, bool]:
    """(a sql card is among `upcoming`, one of them will be judged on PostgreSQL): what to pre-start."""
    cfg = _sql_config(config)
    sql_cards = [c for c in upcoming if c.type == "sql"]
    default_pg = normalize_dialect(cfg.dialect) == "postgres"
    return bool(sql_cards), any(default_pg or c.dialect == "postgres" for c in sql_cards)


def prewarm(config: SqlConfig | Config | None = None, *, postgres: bool = False) -> None:
    """Start the DuckDB worker (returns at once) and, when asked, PostgreSQL (blocks until it is up,
    so call it from a thread); never raises: a failed start is reported by the check that needs it."""
    from prepdeck.checkers.sql import duckdb_worker

    try:
        duckdb_worker.prewarm(_sql_config(config))
        if postgres:
            from prepdeck.checkers.sql.postgres_engine import service

            service().start()
    except Exception:
        pass


def engine_for(dialect: str | None, config: SqlConfig | Config | None = None) -> str:
    """What judges `dialect`: "postgresql 18.6" (unless PostgreSQL failed to start), "spark 4.3" when the
    native Spark SQL judge is installed, else the DuckDB label ("duckdb 2.0 (translated from mysql)");
    for the app's status line and plan title."""
    cfg = _sql_config(config)
    name = normalize_dialect(dialect, cfg.dialect)
    if name == "postgres":
        from prepdeck.checkers.sql.postgres_engine import service

        svc = service(memory_limit_mb=cfg.memory_limit_mb)
        if svc.error is None:  # running, or about to start: "postgresql" until its version is known
            return svc.label
    if name == "spark" and _native_spark_label():
        return _native_spark_label()
    return engine_label(name)


@functools.lru_cache(maxsize=1)
def _native_spark_label() -> str:
    """ "spark 4.3", from the installed PySpark's version (looked up once)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return "spark " + ".".join(version("pyspark").split(".")[:2])
    except (PackageNotFoundError, ValueError):  # a broken install: the verdict still names Spark
        return "spark"
