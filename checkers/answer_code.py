"""An answer's Python code as a sealed child loads it (python cards: python_case.py; PySpark cards:
spark/runner.py): compiled under one file name, so an error names the answer's line; its function found
and checked against the call the judge makes. Both children import this module; it uses only standard
modules they import anyway, so neither child loads more for it."""

from __future__ import annotations

import inspect
import traceback
from collections.abc import Callable, Iterable
from typing import Any

ANSWER_FILE = "answer.py"  # the name the answer's code is compiled under, to find its lines in errors


class NotLoaded(Exception):
    """The answer's function cannot be called as the judge will: the message, one line, says why."""


def answer_line(tb: Any) -> int | None:
    """The answer's line deepest in a traceback, if the answer is in it at all."""
    line = None
    for frame in traceback.extract_tb(tb):
        if frame.filename == ANSWER_FILE:
            line = frame.lineno
    return line


def first_line(text: str) -> str:
    """The first line of an error message that says anything, stripped."""
    return next((s.strip() for s in str(text).splitlines() if s.strip()), "")


def describe_syntax_error(exc: SyntaxError) -> str:
    return f"SyntaxError: {exc.msg} (line {exc.lineno})" if exc.lineno else f"SyntaxError: {exc.msg}"


def load_function(
    source: str, function: str, describe: Callable[[BaseException], str], **names: Any
) -> Callable[..., Any]:
    """Run the answer's code, with `names` defined for it (PySpark: `spark`), and return its `function`;
    `describe` words what the code raised as it loaded (each engine has its own errors). Raises NotLoaded."""
    namespace: dict[str, Any] = {"__name__": "answer", "__file__": ANSWER_FILE, **names}
    try:
        code = compile(source, ANSWER_FILE, "exec")
    except SyntaxError as exc:
        raise NotLoaded(describe_syntax_error(exc)) from None
    except ValueError as exc:  # null bytes
        raise NotLoaded(f"the code cannot be compiled: {exc}") from None
    try:
        exec(code, namespace)
    except SystemExit:
        raise NotLoaded("the code calls sys.exit() when it is loaded") from None
    except BaseException as exc:
        raise NotLoaded(describe(exc)) from None
    fn = namespace.get(function)
    if fn is None:
        defined = [n for n, v in namespace.items() if inspect.isfunction(v) and not n.startswith("_")]
        found = f" (it defines {', '.join(defined)})" if defined else ""
        raise NotLoaded(f"no function named `{function}`{found}: write `def {function}(...)`")
    if not callable(fn):
        raise NotLoaded(f"`{function}` is not a function")
    return fn


def check_call(fn: Callable[..., Any], function: str, names: Iterable[str]) -> None:
    """Raises NotLoaded when `fn` cannot take the judge's call: `function` with `names` as keywords."""
    keywords = list(names)
    try:
        inspect.signature(fn).bind(**dict.fromkeys(keywords))
    except TypeError as exc:
        call = f"{function}({', '.join(f'{n}=…' for n in keywords)})"
        raise NotLoaded(f"wrong arguments: the judge calls {call}, but {exc}") from None
    except ValueError:
        pass  # builtins and the like have no signature: let the call decide
