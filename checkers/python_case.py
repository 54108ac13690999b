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
import traceback
import typing  # noqa: F401
from collections.abc import Callable, Iterable
from typing import Any

ANSWER_FILE = "answer.py"
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


def _answer_line(tb: Any) -> int | None:
    line = None
    for frame in traceback.extract_tb(tb):
        if frame.filename == ANSWER_FILE:
            line = frame.lineno
    return line


def describe_error(exc: BaseException) -> str:
    """`ErrorClass: message (line N)`, one line."""
    line = _answer_line(exc.__traceback__)
    message = next((s.strip() for s in str(exc).splitlines() if s.strip()), "")
    where = f" (line {line})" if line else ""
    return f"{type(exc).__name__}: {message}{where}" if message else f"{type(exc).__name__}{where}"


def load_function(source: str, function: str, call: str, namespace: dict[str, Any]) -> Any:
    """The answer's function, or a dict {"run_error": …} saying why there is none."""
    try:
        code = compile(source, ANSWER_FILE, "exec")
    except SyntaxError as exc:
        where = f" (line {exc.lineno})" if exc.lineno else ""
        return {"run_error": f"SyntaxError: {exc.msg}{where}"}
    except ValueError as exc:
        return {"run_error": f"the code cannot be compiled: {exc}"}
    try:
        exec(code, namespace)
    except SystemExit:
        return {"run_error": "the code calls sys.exit() when it is loaded"}
    except BaseException as exc:
        return {"run_error": describe_error(exc)}
    fn = namespace.get(function)
    if fn is None:
        names = [n for n, v in namespace.items() if inspect.isfunction(v) and not n.startswith("_")]
        found = f" (it defines {', '.join(names)})" if names else ""
        return {"run_error": f"no function named `{function}`{found}: write `def {function}(...)`"}
    if not callable(fn):
        return {"run_error": f"`{function}` is not a function"}
    return fn


def check_signature(fn: Callable[..., Any], names: Iterable[str], call: str) -> dict[str, str] | None:
    try:
        inspect.signature(fn).bind(**dict.fromkeys(names))
    except TypeError as exc:
        return {"run_error": f"wrong arguments: the judge calls {call}, but {exc}"}
    except ValueError:
        pass
    return None


def run_sealed(job: dict[str, Any], seal: Callable[[], None]) -> dict[str, Any]:
    args = json.loads(job["args"])
    function = job["function"]
    call = f"{function}({', '.join(f'{k}=…' for k in args)})"
    seal()
    out = io.StringIO()
    namespace: dict[str, Any] = {"__name__": "answer", "__file__": ANSWER_FILE}
    with contextlib.redirect_stdout(out):
        fn = load_function(job["source"], function, call, namespace)
    if isinstance(fn, dict):
        return fn
    problem = check_signature(fn, args, call)
    if problem:
        return problem
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
