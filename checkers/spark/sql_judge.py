"""Spark SQL answers judged natively (issue 11, item 2): on the PySpark cards' warm local Spark, ANSI on,
session time zone UTC, every case of a check in one sealed child and one Spark session of its own (visible
cases first, each case's tables sent with its query as temp views that live for that query alone),
`spark.sql.runSQLOnFiles=false`, reflect/java_method and writing statements refused before anything runs,
the card's `today` as Spark's clock (checkers/spark/clock.py). The expected rows are the SQL judge's (the
case's `expected` CSV, else the card's solution on its own engine), compared here as for every SQL answer.
"""

from __future__ import annotations

import re
import threading
import time
from typing import Any

from prepdeck.checkers.result import CaseResult, CheckResult
from prepdeck.checkers.sealed import hidden_error
from prepdeck.checkers.spark.java_calls import JAVA_CALLS_REFUSED, refuses_java_calls
from prepdeck.checkers.spark.judge import (
    DEFAULT_MAX_ROWS,
    _engine,
    _limit_text,
    _spark_config,
    decode,
    service,
)
from prepdeck.core.config import Config
from prepdeck.decks.model import Card

# Spark runs `WITH … INSERT/UPDATE/DELETE/MERGE` (the statement starts like a query) at once, when it is read:
# `WITH a AS (SELECT 1) INSERT OVERWRITE DIRECTORY '/path' USING csv SELECT * FROM a` writes files
_WRITES = re.compile(r"\b(insert|update|delete|merge)\b", re.IGNORECASE)
WRITES_REFUSED = "INSERT, UPDATE, DELETE and MERGE are not allowed: the answer must be a single query"


def writes(answer: str) -> bool:
    """True when the answer names a writing statement outside strings, quoted names and comments."""
    from prepdeck.checkers.sql.answer import strip_literals

    return bool(_WRITES.search(strip_literals(answer)))


def check_spark_sql(
    card: Card,
    answer: str,
    config: Config | None = None,
    *,
    cancel: threading.Event | None = None,
    explain: bool = False,
) -> CheckResult:
    """Judge a Spark SQL answer to a `sql` card on Spark. Raises SparkUnavailable when Spark cannot run
    (the caller then translates, and says so) and CardProblem when the card cannot be judged."""
    from prepdeck.checkers.sql.answer import column_types, prepare
    from prepdeck.checkers.sql.duckdb_engine import QueryResult
    from prepdeck.checkers.sql.errors import AnswerError
    from prepdeck.checkers.sql.judge import _judge_case, _Run, _sql_config

    started = time.perf_counter()
    svc = service(config)
    result = CheckResult(card.global_id, "editor", "spark", False, 0.0, engine=_engine())

    def done() -> CheckResult:
        result.elapsed_ms = (time.perf_counter() - started) * 1000
        return result

    def not_run(error: str) -> CheckResult:
        result.error = error
        result.cases = [CaseResult(c.name, c.hidden, False, error="not run") for c in card.cases]
        return done()

    if refuses_java_calls(answer):
        return not_run(JAVA_CALLS_REFUSED)
    if writes(answer):
        return not_run(WRITES_REFUSED)
    try:
        prepared = prepare(answer, "spark", column_types(card), native=True)
    except AnswerError as exc:
        return not_run(str(exc))
    if not svc.ready:
        svc.start()
    cfg = _sql_config(config)
    max_rows = config.sql.max_rows if isinstance(config, Config) else DEFAULT_MAX_ROWS
    job = {
        "tables": dict(card.tables),
        "cases": [{"name": c.name, "data": dict(c.data), "hidden": c.hidden} for c in card.cases],
        "runs": [{"source": "", "sql": prepared.source, "function": "", "explain": explain}],
        "max_rows": max_rows,
        "today": card.today.isoformat(),
    }
    limit = _spark_config(config).time_limit_s
    outcome = svc.run_job(job, limit, cancel=cancel)
    events: dict[str, dict[str, Any]] = {}
    for event in outcome.events:
        kind = event.get("event")
        if kind == "case":
            events[str(event.get("case"))] = event
            error = re.sub(r"\s*SQLSTATE:\s*\w+;?", "", str(event.get("error") or ""))
            if error.startswith(("PARSE_SYNTAX_ERROR", "ParseException")) and not result.error:
                result.error = error  # the query does not parse: no case ran, and no case's data is in it
        elif kind == "plan":
            result.plan = event.get("plan")
        elif kind in ("run_error", "card_error"):
            result.error = str(event.get("error") or "the answer could not run")
    if outcome.stopped:
        reason = {"time limit": _limit_text(limit), "cancelled": "cancelled"}.get(
            outcome.stopped, outcome.stopped.removeprefix("crashed: ")
        )
        result.error = result.error or reason
    run = _Run(card, cfg, cancel)
    try:
        for case in card.cases:
            ran = events.get(case.name)
            if ran is None:
                result.cases.append(CaseResult(case.name, case.hidden, False, error="not run"))
                continue
            if ran.get("error"):
                error = hidden_error(str(ran["error"])) if case.hidden else str(ran["error"])
                result.cases.append(CaseResult(case.name, case.hidden, False, error=error, message=error))
                continue
            run.load(case)
            expected = run.expected(case)
            rows = [tuple(decode(v) for v in row) for row in ran.get("rows") or []]
            actual = QueryResult(list(ran.get("columns") or []), list(ran.get("types") or []), rows)
            case_result = _judge_case(card, case, actual, expected, prepared)
            if ran.get("truncated"):
                case_result.passed = False
                case_result.message = "the result has more rows than the limit"
            result.cases.append(case_result)
    finally:
        run.close()
    result.passed = bool(result.cases) and result.error is None and all(c.passed for c in result.cases)
    return done()
