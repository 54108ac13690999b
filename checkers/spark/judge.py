"""Judging answers to `pyspark` cards: run the answer and the card's solution on the warm Spark, compare.

The expected result of a case is the card's `expected` CSV, else what the card's solution returns,
computed the same way as the answer (its own runner session) and cached per card + case in this process.
"""

from __future__ import annotations

import datetime as dt
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from prepdeck.checkers.compare import CsvError, case_result, parse_expected
from prepdeck.checkers.result import CaseResult, CheckResult
from prepdeck.checkers.sealed import hidden_error, require_trusted
from prepdeck.checkers.solutions import SolutionCache
from prepdeck.checkers.spark.service import JobOutcome, SparkService, running_service, service_for
from prepdeck.core.config import Config, SparkConfig
from prepdeck.decks.model import Card, Case

SHOWN_RESULT_ROWS = 50
DEFAULT_MAX_ROWS = 10_000
NO_SORT = "the result does not end with orderBy()/sort(), and row order is part of this answer"


class SparkCardProblem(ValueError):
    """The card itself cannot be judged (its solution fails, its data does not parse)."""


# ----------------------------------------------------------------------------------------------
# values from the runner


def decode(value: Any) -> Any:
    """Inverse of runner.encode: tagged JSON back to Python values the comparison understands."""
    if isinstance(value, list):
        return [decode(v) for v in value]
    if not isinstance(value, dict) or len(value) != 1:
        return value
    ((tag, raw),) = value.items()
    if tag == "$dec":
        return Decimal(raw)
    if tag == "$ts":
        return dt.datetime.fromisoformat(raw)
    if tag == "$date":
        return dt.date.fromisoformat(raw)
    if tag == "$float":
        return float(raw)
    if tag == "$td":
        return dt.timedelta(seconds=raw)
    if tag == "$bytes":
        return bytes.fromhex(raw)
    if tag == "$struct":
        return {k: decode(v) for k, v in raw}
    if tag == "$map":
        return {_hashable(decode(k)): decode(v) for k, v in raw}
    return value


def _hashable(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_hashable(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, _hashable(v)) for k, v in value.items()))
    return value


@dataclass
class Outcome:
    """One case as a runner returned it."""

    columns: list[str]
    types: list[str]
    rows: list[list[Any]]
    truncated: bool = False
    ordered_ok: bool = True
    stdout: str = ""


# ----------------------------------------------------------------------------------------------
# the service for a config


def _home(config: Config | SparkConfig | None) -> Path:
    if isinstance(config, Config) and config.path is not None:
        return config.path.parent
    from prepdeck.core.paths import data_home

    return data_home()


def _spark_config(config: Config | SparkConfig | None) -> SparkConfig:
    if isinstance(config, Config):
        return config.spark
    return config or SparkConfig()


def service(config: Config | SparkConfig | None = None) -> SparkService:
    """The (not necessarily started) Spark service for these settings: one per process and settings. A
    config that names no data home (a library call of the SQL judge) uses the Spark already running."""
    spark = _spark_config(config)
    if not (isinstance(config, Config) and config.path is not None):
        running = running_service(spark)
        if running is not None:
            return running
    return service_for(_home(config), spark)


def announce_start(
    config: Config | SparkConfig | None, status: Callable[[str], None] | None = None
) -> SparkService:
    """The Spark service for these settings; when it is not running yet, `status` hears the wait coming
    (default: a line on stderr, flushed, so a terminal shows it before the verdict, not after)."""
    svc = service(config)
    if not svc.ready:
        remote = _spark_config(config).remote
        say = status or (lambda text: print(text, file=sys.stderr, flush=True))
        say(f"connecting to Spark at {remote}…" if remote else "starting Spark…")
    return svc


def prewarm(config: Config | SparkConfig | None = None) -> SparkService:
    """Start Spark now (blocking; call it from a worker) so the first check does not wait."""
    return service(config).start()


# ----------------------------------------------------------------------------------------------
# expected results


_EXPECTED: SolutionCache[Outcome] = SolutionCache()


def clear_expected_cache() -> None:
    _EXPECTED.clear()


# ----------------------------------------------------------------------------------------------
# checking


def _job(card: Card, runs: list[dict[str, Any]], max_rows: int) -> dict[str, Any]:
    return {
        "tables": dict(card.tables),
        "cases": [{"name": c.name, "data": dict(c.data), "hidden": c.hidden} for c in card.cases],
        "runs": runs,
        "max_rows": max_rows,
        "today": card.today.isoformat(),  # Spark's clock while the runs run (checkers/spark/clock.py)
    }


def _outcome(event: dict[str, Any]) -> Outcome:
    return Outcome(
        columns=list(event.get("columns") or []),
        types=list(event.get("types") or []),
        rows=[decode(r) for r in event.get("rows") or []],
        truncated=bool(event.get("truncated")),
        ordered_ok=bool(event.get("ordered_ok", True)),
        stdout=event.get("stdout") or "",
    )


def _limit_text(seconds: float) -> str:
    return f"time limit: stopped after {seconds:g} s (an endless loop, or a job far too big for the data?)"


def check_pyspark_answers(
    card: Card,
    answers: list[tuple[str, str]],
    config: Config | SparkConfig | None = None,
    explain: bool = False,
    *,
    status: Callable[[str], None] | None = None,
    cancel: threading.Event | None = None,
) -> list[CheckResult]:
    """Judge each (name, source) answer to a `pyspark` card; one Spark start serves them all.

    Never raises for anything an answer does (that is a graded failure with a one-line reason). Raises
    SparkUnavailable (RuntimeError) when Spark cannot run, SparkCardProblem (ValueError) when the card
    itself cannot be judged. `status` gets "starting Spark…" (default: a line on stderr).
    """
    if card.type != "pyspark" or not card.function:
        raise SparkCardProblem(f"{card.global_id} is not a pyspark card with a `function`")
    require_trusted(card, _home(config))
    spark_cfg = _spark_config(config)
    max_rows = config.sql.max_rows if isinstance(config, Config) else DEFAULT_MAX_ROWS
    svc = announce_start(config, status)
    if not svc.ready:
        svc.start()

    expected_csv: dict[str, Any] = {}
    for case in card.cases:
        if case.expected is not None:
            try:
                expected_csv[case.name] = parse_expected(case.expected)
            except CsvError as exc:
                raise SparkCardProblem(f"{card.global_id}, case '{case.name}': {exc}") from None

    results = []
    for position, (name, source) in enumerate(answers):
        started = time.perf_counter()
        needs_solution = any(
            c.name not in expected_csv and _EXPECTED.get(card, c) is None for c in card.cases
        )
        runs = []
        if needs_solution:
            if not card.solution:
                raise SparkCardProblem(
                    f"{card.global_id}: a case has no `expected` and the card has no solution"
                )
            runs.append(
                {"source": card.solution, "function": card.function, "explain": False, "untrusted": False}
            )
        runs.append({"source": source, "function": card.function, "explain": explain})
        outcome = svc.run_job(
            _job(card, runs, max_rows),
            spark_cfg.time_limit_s,
            cancel=cancel,
            prefetch=position + 1 < len(answers),
        )
        answer_run = len(runs) - 1
        if needs_solution:
            _store_solution(card, outcome, answer_run)
        result = _judge(card, name, outcome, answer_run, expected_csv, spark_cfg.time_limit_s)
        result.elapsed_ms = (time.perf_counter() - started) * 1000
        results.append(result)
        if result.error == "cancelled":
            break
    return results


def _store_solution(card: Card, outcome: JobOutcome, answer_run: int) -> None:
    for event in outcome.events:
        kind = event.get("event")
        if kind == "card_error":
            raise SparkCardProblem(f"{card.global_id}: the case data does not load: {event.get('error')}")
        if event.get("run") != 0:
            continue
        if kind == "run_error":
            raise SparkCardProblem(f"{card.global_id}: the card's solution fails: {event.get('error')}")
        if kind == "case":
            if event.get("error"):
                raise SparkCardProblem(
                    f"{card.global_id}: the card's solution fails on case "
                    f"'{event.get('case')}': {event['error']}"
                )
            case = next((c for c in card.cases if c.name == event.get("case")), None)
            if case is not None:
                _EXPECTED.put(card, case, _outcome(event))
    if outcome.stopped and outcome.stopped_run == 0:
        if outcome.stopped == "cancelled":
            return
        raise SparkCardProblem(f"{card.global_id}: the card's solution did not finish ({outcome.stopped})")


def _engine() -> str:
    from pyspark import __version__

    return f"spark {'.'.join(__version__.split('.')[:2])}"


def _judge(
    card: Card, name: str, outcome: JobOutcome, run: int, expected_csv: dict[str, Any], time_limit_s: float
) -> CheckResult:
    result = CheckResult(
        card=card.global_id, answer=name, dialect=None, passed=False, elapsed_ms=0.0, engine=_engine()
    )
    by_case: dict[str, dict[str, Any]] = {}
    for event in outcome.events:
        if event.get("event") == "card_error":
            raise SparkCardProblem(f"{card.global_id}: the case data does not load: {event.get('error')}")
        if event.get("run") != run:
            continue
        kind = event.get("event")
        if kind == "case":
            by_case[event["case"]] = event
        elif kind == "run_error":
            result.error = event.get("error") or "the answer could not run"
        elif kind == "plan":
            result.plan = event.get("plan")
    stop_reason = None
    if outcome.stopped and (outcome.stopped_run is None or outcome.stopped_run >= run):
        stop_reason = {"time limit": _limit_text(time_limit_s), "cancelled": "cancelled"}.get(
            outcome.stopped, outcome.stopped.removeprefix("crashed: ")
        )
        result.error = result.error or stop_reason
    in_progress_marked = False
    for case in card.cases:
        ran = by_case.get(case.name)
        if ran is None:
            if stop_reason and not in_progress_marked and result.error == stop_reason:
                in_progress_marked = True
                result.cases.append(
                    CaseResult(case.name, case.hidden, False, error=stop_reason, message=stop_reason)
                )
            else:
                result.cases.append(CaseResult(case.name, case.hidden, False, error="not run"))
            continue
        if ran.get("error"):
            # a hidden case's error names only its kind: the message could carry the hidden rows
            error = str(ran["error"])
            if case.hidden:
                error = hidden_error(error)
            result.cases.append(CaseResult(case.name, case.hidden, False, error=error, message=error))
            continue
        result.cases.append(_compare_case(card, case, _outcome(ran), expected_csv))
    result.passed = bool(result.cases) and result.error is None and all(c.passed for c in result.cases)
    return result


def _compare_case(card: Card, case: Case, actual: Outcome, expected_csv: dict[str, Any]) -> CaseResult:
    if case.name in expected_csv:
        table = expected_csv[case.name]
        exp_rows, exp_cols, loose = table.rows, len(table.columns), True
    else:
        cached = _EXPECTED.get(card, case)
        if cached is None:  # the solution run was cut short (cancel): nothing to compare with
            return CaseResult(case.name, case.hidden, False, error="not run")
        exp_rows, exp_cols, loose = cached.rows, len(cached.columns), False
    out = case_result(
        case, actual.rows, actual.columns, exp_rows, exp_cols,
        ordered=card.ordered, tolerance=card.tolerance, loose=loose, shown_rows=SHOWN_RESULT_ROWS,
    )  # fmt: skip
    compared_ok, compared = out.passed, out.message
    if actual.truncated:
        out.passed = False
        out.message = (out.message + "; " if out.message else "") + "the result has more rows than the limit"
    if card.ordered and not actual.ordered_ok:
        out.passed = False
        out.message = NO_SORT if compared_ok else f"{compared}; also {NO_SORT}"
    return out
