"""Dialect-specific repairs to sqlglot's translation into DuckDB."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from sqlglot import exp

SPARK_FAMILY = {"spark", "spark2", "databricks", "hive"}
_INTEGER_TYPES = {"BIGINT", "INT", "INTEGER", "SMALLINT", "TINYINT"}


def _spark_default_unix_format() -> object:
    import sqlglot

    query = cast("exp.Select", sqlglot.parse_one("SELECT unix_timestamp(x)", read="spark"))
    return query.selects[0].args.get("format")


def fix_spark_epochs(statement: exp.Expression, timestamp_columns: frozenset[str]) -> exp.Expression:
    """Spark idioms for epoch seconds that sqlglot's DuckDB output gets wrong.

    `unix_timestamp(ts)` becomes STRPTIME(ts, fmt), which DuckDB rejects for a TIMESTAMP, and
    `CAST(ts AS LONG)` becomes TRY_CAST(ts AS BIGINT), which is NULL in DuckDB: both are written as
    epoch milliseconds // 1000, Spark's truncated seconds.
    """
    from sqlglot import exp

    default_format = _spark_default_unix_format()

    def epoch_seconds(value: exp.Expression) -> exp.Expression:
        as_ts = exp.cast(value.copy(), "TIMESTAMP")
        return exp.Paren(
            this=exp.IntDiv(
                this=exp.Anonymous(this="epoch_ms", expressions=[as_ts]), expression=exp.Literal.number(1000)
            )
        )

    def is_timestamp(node: exp.Expression | None) -> bool:
        # a declared TIMESTAMP column, possibly inside LAG/LEAD/MIN/MAX/FIRST/LAST … OVER (…)
        while isinstance(
            node,
            (
                exp.Window,
                exp.Lag,
                exp.Lead,
                exp.Min,
                exp.Max,
                exp.FirstValue,
                exp.LastValue,
                exp.First,
                exp.Last,
                exp.Coalesce,
                exp.Paren,
            ),
        ):
            node = node.this
        return isinstance(node, exp.Column) and node.name.lower() in timestamp_columns

    def rewrite(node: exp.Expression) -> exp.Expression:
        if (
            isinstance(node, exp.StrToUnix)
            and node.args.get("format") == default_format
            and node.this is not None
        ):
            return epoch_seconds(node.this)
        if (
            isinstance(node, (exp.Cast, exp.TryCast))
            and node.to.this.name.upper() in _INTEGER_TYPES
            and is_timestamp(node.this)
        ):
            return epoch_seconds(node.this)
        return node

    return statement.transform(rewrite)
