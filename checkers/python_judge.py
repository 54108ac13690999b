"""Judging answers to `python` cards (docs/deck-format.md): the answer and the card's solution run in the
sealed runner (one forked child per case, checkers/sealed/), and their values are compared here, in
prepdeck, by the card's `compare` rule. The solution's values are cached per card + case.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import platform
import threading
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

from prepdeck.checkers.result import CaseResult, CheckResult
from prepdeck.checkers.sealed import SealedOutcome, hidden_error, python_runner, require_trusted
from prepdeck.checkers.solutions import SolutionCache
from prepdeck.core.config import Config
from prepdeck.decks.model import Card, Case

DEFAULT_TIME_LIMIT_S = 5.0
SHOWN_CHARS = 300
ENGINE = f"python {'.'.join(platform.python_version_tuple()[:2])}"


class PythonCardProblem(ValueError):
    """The card itself cannot be judged (its solution fails, an `expected` is not JSON)."""


_EXPECTED: SolutionCache[Any] = SolutionCache()


def clear_expected_cache() -> None:
    _EXPECTED.clear()


# ----------------------------------------------------------------------------------------------
# values


def decode(value: Any) -> Any:
    """Tagged JSON from python_case.encode back to values; tuples and lists are both lists."""
    if isinstance(value, list):
        return [decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    if len(value) != 1:  # plain JSON object (an `expected` written in the deck)
        return {k: decode(v) for k, v in value.items()}
    ((tag, raw),) = value.items()
    if tag == "$dict":
        return {k: decode(v) for k, v in raw}
    if tag == "$map":
        return {_frozen(decode(k)): decode(v) for k, v in raw}
    if tag == "$set":
        return sorted((decode(v) for v in raw), key=_order_key)  # a set equals the same items as a list
    if tag == "$float":
        return float(raw)
    if tag == "$dec":
        return Decimal(raw)
    if tag == "$datetime":
        return dt.datetime.fromisoformat(raw)
    if tag == "$date":
        return dt.date.fromisoformat(raw)
    if tag == "$time":
        return dt.time.fromisoformat(raw)
    return {tag: decode(raw)}


def _frozen(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_frozen(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((str(k), _frozen(v)) for k, v in value.items()))
    return value


def _order_key(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def _same(a: Any, b: Any, tol: float | None) -> bool:
    """Equal values; numbers within `tol` when it is given (approx), NaN equal to NaN."""
    if isinstance(a, bool) or isinstance(b, bool):
        return a == b
    if isinstance(a, int | float | Decimal) and isinstance(b, int | float | Decimal):
        fa, fb = float(a), float(b)
        if math.isnan(fa) and math.isnan(fb):
            return True
        if tol is None:
            return a == b
        return fa == fb or abs(fa - fb) <= tol
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y, tol) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k], tol) for k in a)
    return bool(a == b)


def values_match(actual: Any, expected: Any, compare: str, tolerance: float) -> bool:
    if compare == "unordered" and isinstance(actual, list) and isinstance(expected, list):
        if len(actual) != len(expected):
            return False
        left = sorted(actual, key=_order_key)
        right = sorted(expected, key=_order_key)
        return _same(left, right, None)
    return _same(actual, expected, tolerance if compare == "approx" else None)


def _shown(value: Any) -> str:
    text = json.dumps(value, default=str)
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 1] + "…"


# ----------------------------------------------------------------------------------------------
# running


def _home(config: Config | None) -> Path:
    if isinstance(config, Config) and config.path is not None:
        return config.path.parent
    from prepdeck.core.paths import data_home

    return data_home()


def _time_limit(config: Config | None) -> float:
    limit = getattr(getattr(config, "sql", None), "time_limit_s", None)
    return float(limit) if isinstance(limit, int | float) and 0 < limit < 3600 else DEFAULT_TIME_LIMIT_S


def _run(
    card: Card, source: str, case: Case, home: Path, limit: float, cancel: threading.Event | None
) -> Any:
    job = {"source": source, "function": card.function, "args": case.args or "{}"}
    return python_runner(home).run(job, limit, cancel=cancel)


def _failure(outcome: SealedOutcome, limit: float) -> str:
    if outcome.status == "time limit":
        return f"time limit: stopped after {limit:g} s (an endless loop?)"
    if outcome.status == "too large":
        return "the result is too large"
    if outcome.status == "cancelled":
        return "cancelled"
    return f"the answer's process ended (exit status {outcome.exit})"


def _expected(card: Card, case: Case, home: Path, limit: float, cancel: threading.Event | None) -> Any:
    if case.expected is not None:
        try:
            return decode(json.loads(case.expected))
        except ValueError as exc:
            raise PythonCardProblem(f"{card.global_id}, case '{case.name}': expected: {exc}") from None
    cached = _EXPECTED.get(card, case)
    if cached is not None:
        return cached[0]
    if not card.solution:
        raise PythonCardProblem(f"{card.global_id}: case '{case.name}' has no `expected` and no solution")
    outcome = _run(card, card.solution, case, home, limit, cancel)
    if outcome.status == "cancelled":
        return _CANCELLED
    result = outcome.result or {}
    problem = result.get("run_error") or result.get("error") or result.get("internal_error")
    if outcome.status != "ok" or problem:
        reason = problem or _failure(outcome, limit)
        raise PythonCardProblem(
            f"{card.global_id}: the card's solution fails on case '{case.name}': {reason}"
        )
    value = decode(result.get("value"))
    _EXPECTED.put(card, case, (value,))
    return value


_CANCELLED = object()


def check_python_answers(
    card: Card,
    answers: list[tuple[str, str]],
    config: Config | None = None,
    explain: bool = False,
    *,
    cancel: threading.Event | None = None,
) -> list[CheckResult]:
    """Judge each (name, source) answer to a `python` card. Raises UntrustedCode (RuntimeError) when the
    card's deck is not trusted, PythonCardProblem (ValueError) when the card cannot be judged, and
    SealedUnavailable (RuntimeError) when the runner cannot start; never for what an answer does."""
    if card.type != "python" or not card.function:
        raise PythonCardProblem(f"{card.global_id} is not a python card with a `function`")
    home, limit = _home(config), _time_limit(config)
    require_trusted(card, home)
    # visible cases first: a hidden case's inputs never reach a run whose output is shown
    cases = sorted(card.cases, key=lambda c: c.hidden)
    results = []
    for name, source in answers:
        started = time.perf_counter()
        result = CheckResult(card.global_id, name, None, False, 0.0, engine=ENGINE)
        by_name: dict[str, CaseResult] = {}
        for case in cases:
            if result.error:
                by_name[case.name] = CaseResult(case.name, case.hidden, False, error="not run")
                continue
            expected = _expected(card, case, home, limit, cancel)
            if expected is _CANCELLED:
                result.error = "cancelled"
                by_name[case.name] = CaseResult(case.name, case.hidden, False, error="cancelled")
                continue
            outcome = _run(card, source, case, home, limit, cancel)
            by_name[case.name] = _case_result(card, case, outcome, expected, limit, result)
        result.cases = [by_name[c.name] for c in card.cases]
        result.passed = result.error is None and all(c.passed for c in result.cases)
        result.elapsed_ms = (time.perf_counter() - started) * 1000
        results.append(result)
        if result.error == "cancelled":
            break
    return results


def _case_result(
    card: Card, case: Case, outcome: SealedOutcome, expected: Any, limit: float, result: CheckResult
) -> CaseResult:
    data = outcome.result or {}
    if outcome.status != "ok" or data.get("internal_error"):
        reason = _failure(outcome, limit) if outcome.status != "ok" else "the runner failed"
        if outcome.status == "cancelled":
            result.error = "cancelled"
        return CaseResult(case.name, case.hidden, False, error=reason, message=reason)
    if data.get("run_error"):
        result.error = str(data["run_error"])
        return CaseResult(case.name, case.hidden, False, error="not run")
    if data.get("error"):
        # a hidden case's error names only its kind: the message could carry the hidden inputs
        error = hidden_error(str(data["error"])) if case.hidden else str(data["error"])
        return CaseResult(case.name, case.hidden, False, error=error, message=error)
    actual = decode(data.get("value"))
    passed = values_match(actual, expected, card.compare, card.tolerance)
    out = CaseResult(case.name, case.hidden, passed, columns=["value"])
    if not passed:
        out.message = (
            "wrong value" if case.hidden else f"returned {_shown(actual)}, expected {_shown(expected)}"
        )
    out.actual_rows = [[actual]]
    out.expected_rows = [[expected]]
    return out
