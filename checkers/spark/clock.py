"""The card's `today` as Spark's clock while an answer runs (deck-format.md: "a check never depends on the
real clock"), the PySpark twin of the DuckDB judge's clock macros.

Spark has no setting for its clock, so the runner process (one job, then it exits) replaces what reads it:

- the clock functions of `pyspark.sql.functions` and of its Spark Connect twin (`current_date`, `curdate`,
  `current_timestamp`, `now`, `localtimestamp`) by literals of `today`: a DATE, and a TIMESTAMP read in the
  session time zone (UTC, as the server is started);
- the same functions inside SQL text (`spark.sql`, `F.expr`, `selectExpr`, `filter`/`where` with a string),
  rewritten outside quotes and comments before Spark parses them.

Python's own clock (`datetime.date.today()`) is not frozen: a card that needs "today" is written with
Spark's functions, as the deck format says.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Any

DATE_FUNCTIONS = ("current_date", "curdate")
TIMESTAMP_FUNCTIONS = ("current_timestamp", "now", "localtimestamp")
# without "()" these are plain identifiers, not the functions
_NEED_PARENS = {"curdate", "now"}
# the SQL text parameters of the wrapped methods, when passed by name
_SQL_KEYWORDS = {"sqlQuery", "condition", "str"}

# a quoted string, a quoted identifier or a comment (kept as they are), or a clock function
_SQL_TOKENS = re.compile(
    r"""('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|`[^`]*`|--[^\n]*|/\*.*?\*/)"""
    r"|(?<![\w.])(" + "|".join(DATE_FUNCTIONS + TIMESTAMP_FUNCTIONS) + r")\b(\s*\(\s*\))?",
    re.IGNORECASE | re.DOTALL,
)


def literal(name: str, today: dt.datetime) -> str:
    """The SQL literal that clock function `name` returns at `today` (naive = UTC, as `Card.today`)."""
    if today.tzinfo is not None:
        today = today.astimezone(dt.UTC).replace(tzinfo=None)
    name = name.lower()
    if name in DATE_FUNCTIONS:
        return f"DATE'{today.date().isoformat()}'"
    kind = "TIMESTAMP_NTZ" if name == "localtimestamp" else "TIMESTAMP"  # localtimestamp has no time zone
    return f"{kind}'{today.isoformat(sep=' ')}'"


def freeze_sql(text: str, today: dt.datetime) -> str:
    """`text` with every clock function call replaced by a literal of `today`."""

    def replace(m: re.Match[str]) -> str:
        if m.group(1):
            return m.group(1)
        name = m.group(2).lower()
        if name in _NEED_PARENS and not m.group(3):
            return m.group(0)
        return literal(name, today)

    return _SQL_TOKENS.sub(replace, text)


def freeze(today: dt.datetime) -> None:
    """Install `today` as the clock of every PySpark API an answer can reach in this process."""
    import pyspark.sql.connect.functions as connect_functions
    import pyspark.sql.connect.functions.builtin as connect_builtin
    import pyspark.sql.functions as functions
    import pyspark.sql.functions.builtin as builtin
    from pyspark.sql.connect.dataframe import DataFrame
    from pyspark.sql.connect.session import SparkSession

    expr = connect_builtin.expr

    def frozen(name: str) -> Any:
        return lambda: expr(literal(name, today))

    replacements: dict[str, Any] = {name: frozen(name) for name in DATE_FUNCTIONS + TIMESTAMP_FUNCTIONS}

    def on_sql_text(method: Any, position: int) -> Any:
        """`method` with its SQL text arguments (positional from `position`, or by name) rewritten."""

        @functools.wraps(method)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            args = tuple(
                freeze_sql(a, today) if i >= position and isinstance(a, str) else a
                for i, a in enumerate(args)
            )
            for key in _SQL_KEYWORDS.intersection(kwargs):
                if isinstance(kwargs[key], str):
                    kwargs[key] = freeze_sql(kwargs[key], today)
            return method(*args, **kwargs)

        return wrapped

    replacements["expr"] = on_sql_text(expr, 0)
    for module in (functions, builtin, connect_functions, connect_builtin):
        for name, value in replacements.items():
            if hasattr(module, name):
                setattr(module, name, value)
    SparkSession.sql = on_sql_text(SparkSession.sql, 1)  # type: ignore[method-assign]
    for method in ("selectExpr", "filter", "where"):
        setattr(DataFrame, method, on_sql_text(getattr(DataFrame, method), 1))
