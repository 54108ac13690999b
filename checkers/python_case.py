"""One case of a `python` card, inside the sealed child (checkers/sealed/supervisor.py forks it).

`run_sealed(job, seal)` gets the code, the function's name and this one case's arguments, seals the
process (`seal()`: limits, Landlock), then runs the code and returns the function's value as tagged JSON.
It decides no verdict: the comparison with the expected value happens in prepdeck (python_judge.py).
"""

from __future__ import annotations

# imported here, in the warm supervisor, so that an answer's `import heapq` costs nothing in the child
import bisect  # noqa: F401
import collections
import contextlib
import csv  # noqa: F401
import dataclasses  # noqa: F401
import datetime as dt
import decimal
import functools  # noqa: F401
import heapq  # noqa: F401
import inspect
import io
import itertools
import json
import math
import re  # noqa: F401
import statistics  # noqa: F401
import typing  # noqa: F401
from collections.abc import Callable, Iterable
from typing import Any

from prepdeck.checkers.answer_code import NotLoaded, answer_line, check_call, first_line, load_function

MAX_STDOUT = 4000
MAX_ITEMS = 100_000  # a returned generator is read up to this many items


class _TooMany(Exception):
    pass


def encode(value: Any, budget: list[int]) -> Any:
    """A returned value as JSON, with tags for what JSON lacks (decoded by python_judge.decode)."""
    budget[0] -= 1
    if budget[0] < 0:
        raise _TooMany
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else {"$float": repr(value)}
    if isinstance(value, decimal.Decimal):
        return {"$dec": str(value)}
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return {"$" + type(value).__name__: value.isoformat()}
    if isinstance(value, dict):
        if all(isinstance(k, str) for k in value):
            return {"$dict": [[k, encode(v, budget)] for k, v in value.items()]}
        return {"$map": [[encode(k, budget), encode(v, budget)] for k, v in value.items()]}
    if isinstance(value, set | frozenset):
        return {"$set": [encode(v, budget) for v in value]}
    if isinstance(value, list | tuple | collections.deque) or _is_iterator(value):
        return [encode(v, budget) for v in itertools.islice(value, MAX_ITEMS + 1)]
    raise TypeError(f"returned a {type(value).__name__}, which is not a plain value (list, dict, number, …)")


def _is_iterator(value: Any) -> bool:
    return inspect.isgenerator(value) or (isinstance(value, Iterable) and hasattr(value, "__next__"))


def describe_error(exc: BaseException) -> str:
    """`ErrorClass: message (line N)`, one line."""
    line = answer_line(exc.__traceback__)
    message = first_line(str(exc))
    where = f" (line {line})" if line else ""
    return f"{type(exc).__name__}: {message}{where}" if message else f"{type(exc).__name__}{where}"


def run_sealed(job: dict[str, Any], seal: Callable[[], None]) -> dict[str, Any]:
    args = json.loads(job["args"])
    function = job["function"]
    seal()
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            fn = load_function(job["source"], function, describe_error)
        check_call(fn, function, args)
    except NotLoaded as exc:
        return {"run_error": str(exc)}
    try:
        with contextlib.redirect_stdout(out):
            value = fn(**args)
            encoded = encode(value, [MAX_ITEMS * 10])
    except SystemExit:
        return {"error": "the answer called sys.exit()", "stdout": out.getvalue()[:MAX_STDOUT]}
    except _TooMany:
        return {"error": f"the result has more than {MAX_ITEMS} items", "stdout": out.getvalue()[:MAX_STDOUT]}
    except BaseException as exc:
        return {
            "error": describe_error(exc),
            "kind": type(exc).__name__,
            "stdout": out.getvalue()[:MAX_STDOUT],
        }
    return {"value": encoded, "stdout": out.getvalue()[:MAX_STDOUT]}
