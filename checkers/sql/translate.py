"""Dialect-specific repairs to sqlglot's translation into DuckDB."""

from __future__ import annotations

from collections.abc import Collection
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


# ---------------------------------------------------------------------------------------------
# syntax a dialect does not have: refused with the dialect's name, never quietly run by DuckDB

DIALECT_NAMES = {
    "bigquery": "BigQuery",
    "mysql": "MySQL",
    "postgres": "PostgreSQL",
    "snowflake": "Snowflake",
    "spark": "Spark SQL",
    "duckdb": "DuckDB",
}
_LACKS_QUALIFY = {"mysql", "postgres"}
_LACKS_FILTER = {"bigquery", "mysql", "snowflake"}
_HAS_DISTINCT_ON = {"postgres", "duckdb"}
_LACKS_DOUBLE_COLON = {"mysql", "bigquery"}
_LACKS_ILIKE = {"mysql", "bigquery"}
_LIMIT_ONLY = {"mysql", "bigquery"}  # no FETCH FIRST, and LIMIT comes before OFFSET


# CAST targets each dialect has (the first word of the type); MySQL: CAST(x AS type) and CONVERT(x, type)
_CAST_TYPES = {
    "mysql": {
        "BINARY",
        "CHAR",
        "DATE",
        "DATETIME",
        "DECIMAL",
        "DOUBLE",
        "FLOAT",
        "JSON",
        "NCHAR",
        "REAL",
        "SIGNED",
        "TIME",
        "UNSIGNED",
        "YEAR",
    },
    "bigquery": {
        "INT64",
        "INT",
        "INTEGER",
        "BIGINT",
        "SMALLINT",
        "TINYINT",
        "BYTEINT",
        "NUMERIC",
        "DECIMAL",
        "BIGNUMERIC",
        "BIGDECIMAL",
        "FLOAT64",
        "STRING",
        "BYTES",
        "BOOL",
        "BOOLEAN",
        "DATE",
        "DATETIME",
        "TIME",
        "TIMESTAMP",
        "INTERVAL",
        "JSON",
        "GEOGRAPHY",
        "ARRAY",
        "STRUCT",
        "RANGE",
    },
}
_CAST_HINT = {
    "mysql": "cast to SIGNED, UNSIGNED, DECIMAL(p,s), DOUBLE, CHAR(n), DATE or DATETIME",
    "bigquery": "cast to INT64, NUMERIC, FLOAT64, STRING, BOOL, DATE or TIMESTAMP",
}


def _cast_targets(cleaned: str, dialect: str) -> list[str]:
    """The first word of every CAST/SAFE_CAST (… AS type) target in the answer, and of MySQL's
    CONVERT(x, type), read from the text: sqlglot's AST already spells the types its own way."""
    import re

    words = []
    calls = r"\b(cast|safe_cast|try_cast|convert)\s*\("
    for match in re.finditer(calls, cleaned, re.I):
        depth, start, last_as, last_comma = 0, match.end(), None, None
        for i in range(start, len(cleaned)):
            ch = cleaned[i]
            if ch == "(":
                depth += 1
            elif ch == ")":
                if depth == 0:
                    break
                depth -= 1
            elif depth == 0 and ch == ",":
                last_comma = i
            elif (
                depth == 0
                and re.match(r"\bas\b", cleaned[i : i + 3], re.I)
                and (i == 0 or not cleaned[i - 1].isalnum())
            ):
                last_as = i
        else:
            continue
        function = match.group(1).lower()
        if function == "convert":
            if dialect != "mysql" or last_comma is None:
                continue
            target = cleaned[last_comma + 1 : i]
        elif last_as is not None:
            target = cleaned[last_as + 2 : i]
        else:
            continue
        word = re.match(r"\s*([A-Za-z_][A-Za-z0-9_]*)", target)
        if word:
            words.append(word.group(1))
    return words


def refuse_missing_syntax(statement: exp.Expression, cleaned_source: str, dialect: str) -> str | None:
    """Why the query is not valid in `dialect` (one line naming the dialect), or None.

    sqlglot's parsers accept the union of many dialects' syntax, and DuckDB runs most of it: a
    candidate preparing for a MySQL interview must not learn that QUALIFY works there.
    `cleaned_source` is the user's text with literals and comments blanked out."""
    import re

    from sqlglot import exp

    name = DIALECT_NAMES.get(dialect, dialect)
    if dialect in _LACKS_QUALIFY and any(s.args.get("qualify") for s in statement.find_all(exp.Select)):
        return f"QUALIFY is not {name} syntax: filter the window function's result in an outer query"
    if dialect in _LACKS_FILTER and statement.find(exp.Filter):
        return (
            f"FILTER (WHERE …) is not {name} syntax: use SUM(CASE WHEN … THEN 1 ELSE 0 END) or COUNT(CASE …)"
        )
    if dialect not in _HAS_DISTINCT_ON and any(
        isinstance(d.args.get("on"), exp.Expression) for d in statement.find_all(exp.Distinct)
    ):
        return f"DISTINCT ON is not {name} syntax: keep the first row per group with ROW_NUMBER()"
    if dialect in _LACKS_DOUBLE_COLON and "::" in cleaned_source:
        return f"'::' casts are not {name} syntax: write CAST(x AS type)"
    if dialect in _LACKS_ILIKE and statement.find(exp.ILike):
        return f"ILIKE is not {name} syntax: compare LOWER(x) LIKE LOWER(pattern)"
    if dialect in _LIMIT_ONLY:
        if re.search(r"\bfetch\s+(first|next)\b", cleaned_source, re.I):
            return f"FETCH FIRST/NEXT … ROWS ONLY is not {name} syntax: write LIMIT n (OFFSET m after it)"
        if re.search(r"\boffset\s+[^\s()]+(\s+rows?)?\s+limit\b", cleaned_source, re.I):
            return f"OFFSET before LIMIT is not {name} syntax: write LIMIT n OFFSET m"
    allowed = _CAST_TYPES.get(dialect)
    if allowed is not None:
        for word in _cast_targets(cleaned_source, dialect):
            if word.upper() not in allowed:
                return f"{word.upper()} is not a {name} type for CAST: {_CAST_HINT[dialect]}"
    if dialect == "mysql":
        for pivot in statement.find_all(exp.Pivot):
            if pivot.args.get("unpivot"):
                return (
                    "UNPIVOT is not MySQL syntax: UNION ALL one SELECT per column (… WHERE col IS NOT NULL)"
                )
            return "PIVOT is not MySQL syntax: one SUM(CASE WHEN … THEN … END) per column, with GROUP BY"
        if any(j.side.upper() == "FULL" for j in statement.find_all(exp.Join)):
            return "FULL OUTER JOIN is not MySQL syntax: UNION a LEFT JOIN and a RIGHT JOIN"
        if re.search(r"\bnulls\s+(first|last)\b", cleaned_source, re.I):
            return "NULLS FIRST/LAST is not MySQL syntax: sort on (x IS NULL) first"
    return None


# ---------------------------------------------------------------------------------------------
# the source dialect's semantics where DuckDB's differ

_FRACTION = "fraction"  # a number that may have a fractional part (DECIMAL, DOUBLE, a division)
_INT_BASES = {"INT", "INTEGER", "BIGINT", "SMALLINT", "TINYINT", "HUGEINT", "LONG", "INT64", "SHORT", "BYTE"}
_FRACTION_BASES = {"DECIMAL", "NUMERIC", "DOUBLE", "FLOAT", "REAL", "FLOAT64", "FLOAT4", "FLOAT8", "NUMBER"}
_DATE_BASES = {"DATE"}
_TIMESTAMP_BASES = {"TIMESTAMP", "DATETIME", "TIMESTAMP_NTZ", "TIMESTAMPNTZ"}


def _category(node: exp.Expression | None, columns: dict[str, str]) -> str | None:
    """What kind of value `node` is, as far as the card's declarations tell: 'int', 'fraction',
    'date', or None (unknown). Enough for the rewrites below, not a type checker."""
    from sqlglot import exp

    if node is None:
        return None
    if isinstance(node, (exp.Paren, exp.Neg)):
        return _category(node.this, columns)
    if isinstance(node, exp.Column):
        base = columns.get(node.name.lower())
        if base in _INT_BASES:
            return "int"
        if base in _FRACTION_BASES:
            return _FRACTION
        if base in _DATE_BASES:
            return "date"
        return "timestamp" if base in _TIMESTAMP_BASES else None
    if isinstance(node, exp.Literal):
        if node.is_string:
            return None
        return _FRACTION if any(ch in node.this for ch in ".eE") else "int"
    if isinstance(node, (exp.Cast, exp.TryCast)):
        target = node.to.this.name.upper() if node.to is not None else ""
        if target in _INT_BASES:
            return "int"
        if target in _FRACTION_BASES:
            return _FRACTION
        if target in _TIMESTAMP_BASES:
            return "timestamp"
        return "date" if target == "DATE" else None
    if isinstance(node, (exp.Div, exp.Avg, exp.Round)):
        return _FRACTION
    if isinstance(node, (exp.Add, exp.Sub, exp.Mul, exp.Mod)):
        kinds = {_category(node.this, columns), _category(node.expression, columns)}
        if _FRACTION in kinds:
            return _FRACTION
        return "int" if kinds == {"int"} else None
    if isinstance(
        node, (exp.Sum, exp.Min, exp.Max, exp.Abs, exp.Lag, exp.Lead, exp.FirstValue, exp.LastValue)
    ):
        return _category(node.this, columns)
    if isinstance(node, (exp.Count, exp.RowNumber, exp.Rank, exp.DenseRank)):
        return "int"
    if isinstance(node, exp.Window):
        return _category(node.this, columns)
    if isinstance(node, exp.TsOrDsToDate):
        return "date"
    if isinstance(node, exp.CurrentDate):
        return "date"
    if isinstance(node, (exp.DateAdd, exp.DateSub)):
        return "date" if _category(node.this, columns) == "date" else None
    if isinstance(node, (exp.CurrentTimestamp, exp.TimestampAdd, exp.TimestampSub, exp.TimestampTrunc)):
        return "timestamp"
    return None


category = _category  # what other checks of the answer (checkers/sql/scoping.py) ask of a value too


def known_kinds(statement: exp.Expression, columns: dict[str, str]) -> dict[str, str]:
    """The declared columns plus the names the query gives to dates and timestamps (a CTE's
    `DATE(login_ts) AS day`, BigQuery's `UNNEST(GENERATE_DATE_ARRAY(…)) AS day`), where they do not
    clash with a declared name: enough for the date rules, which would otherwise not see them."""
    from sqlglot import exp

    kinds = dict(columns)
    for alias in statement.find_all(exp.Alias):
        name = alias.alias.lower()
        kind = _category(alias.this, kinds)
        if name not in kinds and kind in ("date", "timestamp"):
            kinds[name] = "DATE" if kind == "date" else "TIMESTAMP"
    for unnest in statement.find_all(exp.Unnest):
        table_alias = unnest.args.get("alias")
        names = table_alias.columns if isinstance(table_alias, exp.TableAlias) else []
        if len(names) == 1 and any(isinstance(e, exp.GenerateDateArray) for e in unnest.expressions):
            kinds.setdefault(names[0].name.lower(), "DATE")
    return kinds


_SPARK_TRUNC_UNITS = {
    "YEAR": "year",
    "YYYY": "year",
    "YY": "year",
    "QUARTER": "quarter",
    "MONTH": "month",
    "MM": "month",
    "MON": "month",
    "WEEK": "week",
}


def source_semantics(
    statement: exp.Expression, dialect: str, columns: dict[str, str], tables: Collection[str] = ()
) -> exp.Expression:
    """Rewrite what sqlglot translates by name but DuckDB evaluates differently.

    - Spark (ANSI on, as the real judge runs it): `a / 0` raises (sqlglot adds NULLIF); CAST raises on
      bad input (sqlglot writes TRY_CAST); CAST of a fraction to an integer truncates (DuckDB rounds);
      `trunc(d, 'MM')` is a date truncated to a unit DuckDB names differently; `sequence(d1, d2)` of
      dates steps one day (DuckDB needs the step, and returns timestamps).
    - PostgreSQL (when the real server cannot start): integer / integer is an integer, truncated.
    - MySQL: `a DIV b` truncates toward zero to an integer, also for decimals (DuckDB `//` keeps them).
    - MySQL: text compared, grouped, sorted and joined without case or accents (`_collated_tables`).
    - BigQuery: `ARRAY_AGG(x ORDER BY … LIMIT n)` (DuckDB has no LIMIT inside an aggregate).
    """
    from sqlglot import exp

    if dialect in SPARK_FAMILY:
        statement = statement.copy()
        for div in list(statement.find_all(exp.Div)):
            # ANSI: a division by zero is an error, not NULL (sqlglot's NULLIF) nor DuckDB's inf
            div.set("safe", False)
            divisor = div.expression
            div.set(
                "expression",
                exp.Case(
                    ifs=[
                        exp.If(
                            this=exp.EQ(this=divisor.copy(), expression=exp.Literal.number(0)),
                            true=exp.Anonymous(
                                this="error",
                                expressions=[exp.Literal.string("[DIVIDE_BY_ZERO] Division by zero")],
                            ),
                        )
                    ],
                    default=divisor,
                ),
            )
        for cast in list(statement.find_all(exp.TryCast)):
            if not cast.args.get("safe"):  # CAST, not TRY_CAST: ANSI casts fail on bad input
                cast.replace(exp.Cast(this=cast.this, to=cast.to))

    if dialect in _DIVISION_BY_ZERO_RAISES:
        statement = _raise_on_zero_division(statement, dialect)
    if dialect == "snowflake":
        statement = _snowflake_flatten(statement)
        _implicit_recursion(statement)
    if dialect == "mysql":
        statement = _mysql_numeric_dates(statement, columns)
        if tables:
            statement = _collated_tables(statement, tables)

    def rewrite(node: exp.Expression) -> exp.Expression:
        if dialect == "snowflake" and isinstance(node, exp.Pivot) and node.args.get("unpivot"):
            return _snowflake_unpivot_names(node)
        if dialect in SPARK_FAMILY:
            if (
                isinstance(node, exp.Cast)
                and node.to is not None
                and node.to.this.name.upper() in _INT_BASES
                and _category(node.this, columns) == _FRACTION
            ):
                node.set("this", exp.Anonymous(this="trunc", expressions=[node.this]))
                return node
            if isinstance(node, exp.DateTrunc) and isinstance(node.args.get("unit"), exp.Literal):
                unit = _SPARK_TRUNC_UNITS.get(str(node.args["unit"].this).upper())
                if unit is not None:
                    return exp.cast(
                        exp.Anonymous(this="date_trunc", expressions=[exp.Literal.string(unit), node.this]),
                        "DATE",
                    )
            if (
                isinstance(node, exp.GenerateSeries)
                and node.args.get("step") is None
                and _category(node.args.get("start"), columns) == "date"
            ):
                series = exp.Anonymous(
                    this="generate_series",
                    expressions=[
                        node.args["start"],
                        node.args["end"],
                        exp.Interval(this=exp.Literal.string("1"), unit=exp.var("DAY")),
                    ],
                )
                return exp.cast(series, "DATE[]")
        if (
            dialect == "postgres"
            and isinstance(node, exp.Div)
            and _category(node.this, columns) == "int"
            and _category(node.expression, columns) == "int"
        ):
            # PostgreSQL divides integers as integers, truncating toward zero (7 / 2 = 3)
            quotient = exp.Div(this=node.this, expression=node.expression, typed=False, safe=False)
            return exp.cast(exp.Anonymous(this="trunc", expressions=[quotient]), "BIGINT")
        if dialect in _SUNDAY_IS_ONE and _is_day_of_week(node):
            # Sunday = 1 … Saturday = 7 there; DuckDB counts Sunday = 0
            target = node.this if isinstance(node, exp.DayOfWeek) else node.expression
            return exp.Paren(
                this=exp.Add(
                    this=exp.Anonymous(this="dayofweek", expressions=[target]),
                    expression=exp.Literal.number(1),
                )
            )
        if dialect == "bigquery" and isinstance(node, exp.Extract):
            unit = node.this.name.upper() if isinstance(node.this, exp.Expression) else ""
            if unit in ("DATE", "TIME", "DATETIME"):  # EXTRACT(DATE FROM ts): the date part, a cast in DuckDB
                return exp.cast(node.expression, "TIMESTAMP" if unit == "DATETIME" else unit)
            if unit in ("ISOWEEK", "ISOYEAR"):
                name = "isoyear" if unit == "ISOYEAR" else "week"  # DuckDB's week is the ISO week
                return exp.Anonymous(this=name, expressions=[node.expression])
        if isinstance(node, exp.Anonymous):
            rewritten = _function_equivalent(node, dialect)
            if rewritten is not None:
                return rewritten
        if dialect == "snowflake" and isinstance(node, exp.Window) and _is_call(node.this, "ratio_to_report"):
            value = node.this.expressions[0]
            total = node.copy()
            total.set("this", exp.Sum(this=value.copy()))
            return exp.Div(this=value, expression=total, typed=False, safe=True)
        if (
            dialect == "snowflake"
            and isinstance(node, exp.GetExtract)
            and not (isinstance(node.expression, exp.Literal) and node.expression.is_string)
        ):
            # GET(array, i): 0-based, NULL out of range (also below 0, where DuckDB counts from the end)
            index = node.expression
            element = exp.Anonymous(
                this="list_extract",
                expressions=[node.this, exp.Add(this=index.copy(), expression=exp.Literal.number(1))],
            )
            below = exp.LT(this=index, expression=exp.Literal.number(0))
            return exp.Case(ifs=[exp.If(this=below, true=exp.Null())], default=element)
        if (
            dialect == "snowflake"
            and isinstance(node, exp.Cast)
            and isinstance(node.this, exp.JSONExtract)
            and node.this.args.get("variant_extract")
        ):
            # v:path::type casts the VARIANT's value: a string without its JSON quotes, "7.25" to 7.25
            extract = node.this
            text = exp.JSONExtractScalar(this=extract.this, expression=extract.expression)
            return exp.Cast(this=text, to=node.to)
        if (
            dialect == "snowflake"
            and isinstance(node, exp.Window)
            and _is_call(node.this, "conditional_true_event")
        ):
            # the number of rows so far (this one included) where the condition held, counted row by row
            condition = node.this.expressions[0]
            counted = exp.Case(
                ifs=[exp.If(this=condition, true=exp.Literal.number(1))], default=exp.Literal.number(0)
            )
            running = node.copy()
            running.set("this", exp.Sum(this=counted))
            running.set(
                "spec",
                exp.WindowSpec(kind="ROWS", start="UNBOUNDED", start_side="PRECEDING", end="CURRENT ROW"),
            )
            return running
        if dialect == "snowflake" and isinstance(node, exp.ToChar):
            fmt = node.args.get("format")
            if isinstance(fmt, exp.Literal) and fmt.is_string:
                pattern = _snowflake_format(str(fmt.this))
                if pattern is not None:
                    return exp.Anonymous(
                        this="strftime", expressions=[node.this, exp.Literal.string(pattern)]
                    )
        if dialect == "mysql" and isinstance(node, exp.SubstringIndex):
            return _substring_index(node)
        if dialect == "mysql" and isinstance(node, exp.Collate):
            return exp.Collate(this=node.this, expression=_duckdb_collation(node.expression.name))
        if (
            dialect == "mysql"
            and isinstance(node, exp.Cast)
            and node.to.this in (exp.DataType.Type.BINARY, exp.DataType.Type.VARBINARY)
        ):
            # BINARY s: compared byte by byte; text kept as text (DuckDB's BLOB cast refuses non-ASCII)
            return exp.Collate(this=exp.cast(node.this, "VARCHAR"), expression=_duckdb_collation("binary"))
        if dialect == "mysql" and isinstance(node, exp.JSONExtractScalar):
            # ->> unquotes a JSON null to the text 'null' in MySQL (DuckDB gives NULL)
            kind = exp.Anonymous(this="json_type", expressions=[node.this.copy(), node.expression.copy()])
            return _json_null_as_text(kind, node)
        if dialect == "mysql" and _is_call(node, "json_unquote") and len(node.expressions) == 1:
            value = node.expressions[0]
            kind = exp.Anonymous(this="json_type", expressions=[value.copy()])
            unquoted = exp.Anonymous(this="json_extract_string", expressions=[value, exp.Literal.string("$")])
            return _json_null_as_text(kind, unquoted)
        if (
            dialect == "bigquery"
            and isinstance(node, exp.ApproxQuantiles)
            and isinstance(node.expression, exp.Literal)
            and not node.expression.is_string
            and int(node.expression.this) > 0
        ):
            # the boundaries are values of the input (the median of 1..10 is 5), never interpolated as
            # DuckDB's approx_quantile does: quantile_disc picks the same observed values
            buckets = int(node.expression.this)
            points = exp.Array(expressions=[exp.Literal.number(i / buckets) for i in range(buckets + 1)])
            return exp.Anonymous(this="quantile_disc", expressions=[node.this, points])
        if dialect == "bigquery" and isinstance(node, exp.SafeFunc) and isinstance(node.this, exp.ParseJSON):
            text = node.this.this
            valid = exp.Anonymous(this="json_valid", expressions=[text.copy()])
            return exp.Case(ifs=[exp.If(this=valid, true=exp.cast(text, "JSON"))])
        if dialect == "mysql" and isinstance(node, exp.TimestampDiff):
            # TIMESTAMPDIFF counts whole units (Mar 31 -> Apr 1 is 0 months); DuckDB's date_diff counts
            # boundaries crossed, its date_sub whole units
            part = exp.Literal.string(str(node.args.get("unit") or "DAY").lower())
            return exp.Anonymous(this="date_sub", expressions=[part, node.expression, node.this])
        if dialect == "mysql" and _is_call(node, "period_diff") and len(node.expressions) == 2:
            first, second = (_period_months(arg) for arg in node.expressions)
            return exp.Paren(this=exp.Sub(this=first, expression=second))
        if dialect == "mysql" and isinstance(node, exp.IntDiv):
            quotient = exp.Div(this=node.this, expression=node.expression, typed=False, safe=False)
            return exp.cast(exp.Anonymous(this="trunc", expressions=[quotient]), "BIGINT")
        if dialect == "bigquery" and isinstance(node, exp.Bracket) and not node.args.get("safe"):
            # the replacement's parts are not visited again: rewrite them first
            inner = node.copy()
            inner.set("this", node.this.transform(rewrite))
            inner.set("expressions", [e.transform(rewrite) for e in node.expressions])
            strict = _bigquery_strict_index(inner)
            if strict is not None:
                return strict
        if (
            dialect == "bigquery"
            and isinstance(node, exp.IgnoreNulls)
            and isinstance(node.this, exp.ArrayAgg)
        ):
            return _array_agg_ignore_nulls(node.this)
        if dialect == "bigquery" and isinstance(node, exp.ArrayAgg) and isinstance(node.this, exp.Limit):
            return _array_agg_limit(node, node.this)
        return node

    statement = statement.transform(rewrite)
    if dialect == "mysql":  # after the rewrites: its DuckDB subquery is not MySQL to rewrite
        statement = _mysql_json_table(statement)
    return statement


_SUNDAY_IS_ONE = {"mysql", "bigquery"} | SPARK_FAMILY


def _json_null_as_text(kind: exp.Expression, value: exp.Expression) -> exp.Expression:
    from sqlglot import exp

    is_null = exp.EQ(this=kind, expression=exp.Literal.string("NULL"))
    return exp.Case(ifs=[exp.If(this=is_null, true=exp.Literal.string("null"))], default=value)


def _period_months(period: exp.Expression) -> exp.Expression:
    """MySQL's period (YYYYMM, or YYMM with 70-99 in the 1900s) as a count of months."""
    import sqlglot
    from sqlglot import exp

    months = sqlglot.parse_one(
        "CASE WHEN p < 10000 THEN (p // 100 + CASE WHEN p // 100 < 70 THEN 2000 ELSE 1900 END) * 12 + p % 100 "
        "ELSE (p // 100) * 12 + p % 100 END",
        read="duckdb",
    )
    value = exp.cast(period.copy(), "BIGINT")
    return exp.Paren(
        this=months.transform(lambda n: value.copy() if isinstance(n, exp.Column) and n.name == "p" else n)
    )


def _mysql_numeric_dates(statement: exp.Expression, columns: dict[str, str]) -> exp.Expression:
    """MySQL has no `date ± integer`: the date is a number there (2026-02-01 - 1 = 20260200), and a
    comparison of that number with a date compares numbers. Both are written so; DuckDB would step a day.
    `date ± INTERVAL n DAY`, DATE_ADD and DATEDIFF stay date arithmetic."""
    from sqlglot import exp

    columns = known_kinds(statement, columns)

    def ymd(date: exp.Expression) -> exp.Expression:
        text = exp.Anonymous(this="strftime", expressions=[date.copy(), exp.Literal.string("%Y%m%d")])
        return exp.cast(text, "BIGINT")

    def numeric(node: exp.Expression) -> exp.Expression:
        if isinstance(node, (exp.Add, exp.Sub)):
            kinds = (_category(node.this, columns), _category(node.expression, columns))
            if kinds in (("date", "int"), ("int", "date")):
                sides = [
                    ymd(side) if kind == "date" else side
                    for side, kind in zip((node.this, node.expression), kinds, strict=True)
                ]
                rewritten = type(node)(this=sides[0], expression=sides[1])
                rewritten.meta["mysql_date_number"] = True
                return rewritten
        return node

    statement = statement.transform(numeric)

    def compare(node: exp.Expression) -> exp.Expression:
        if isinstance(node, (exp.EQ, exp.NEQ, exp.LT, exp.LTE, exp.GT, exp.GTE)):
            left, right = node.this, node.expression
            if left.meta.get("mysql_date_number") and _category(right, columns) == "date":
                node.set("expression", ymd(right))
            elif right.meta.get("mysql_date_number") and _category(left, columns) == "date":
                node.set("this", ymd(left))
        return node

    return statement.transform(compare)


def _mysql_json_table(statement: exp.Expression) -> exp.Expression:
    """MySQL `JSON_TABLE(doc, '$[*]' COLUMNS (name TYPE PATH '$.k', n FOR ORDINALITY, …)) AS t`: a DuckDB
    lateral subquery over the array's elements (sqlglot's DuckDB output does not parse). Only the array
    form ('…[*]') with PATH and FOR ORDINALITY columns; anything else is left for DuckDB to refuse."""
    import sqlglot
    from sqlglot import exp

    for table in list(statement.find_all(exp.Table)):
        source = table.this
        path = source.args.get("path") if isinstance(source, exp.JSONTable) else None
        schema = source.args.get("schema") if isinstance(source, exp.JSONTable) else None
        if not (
            isinstance(path, exp.Literal)
            and str(path.this).endswith("[*]")
            and isinstance(schema, exp.JSONSchema)
        ):
            continue
        doc = source.this.sql(dialect="duckdb")
        array = f"CAST(json_extract({doc}, {exp.Literal.string(str(path.this)).sql()}) AS JSON[])"
        outputs = []
        for column in schema.expressions:
            name = exp.to_identifier(column.name).sql(dialect="duckdb")
            if column.args.get("ordinality"):
                outputs.append(f"generate_subscripts({array}, 1) AS {name}")
            elif isinstance(column.args.get("path"), exp.Literal) and isinstance(
                column.args.get("kind"), exp.DataType
            ):
                kind = column.args["kind"].sql(dialect="duckdb")
                value = f"json_extract_string(UNNEST({array}), {column.args['path'].sql()})"
                outputs.append(f"TRY_CAST({value} AS {kind}) AS {name}")
            else:
                break
        else:
            body = sqlglot.parse_one(f"SELECT {', '.join(outputs)}", read="duckdb")
            alias = table.args.get("alias")
            subquery = exp.Subquery(
                this=body, alias=alias.copy() if alias else exp.TableAlias(this=exp.to_identifier("jt"))
            )
            table.replace(subquery)
    return statement


def _implicit_recursion(statement: exp.Expression) -> None:
    """Snowflake runs a CTE that names itself without the RECURSIVE keyword; DuckDB needs it."""
    from sqlglot import exp

    for with_ in statement.find_all(exp.With):
        if with_.args.get("recursive"):
            continue
        for cte in with_.expressions:
            name = cte.alias_or_name.lower()
            if any(t.name.lower() == name for t in cte.this.find_all(exp.Table)):
                with_.set("recursive", True)
                break


_DIVISION_BY_ZERO_RAISES = {"bigquery": "SAFE_DIVIDE(a, b)", "snowflake": "a / NULLIF(b, 0)"}


def _raise_on_zero_division(statement: exp.Expression, dialect: str) -> exp.Expression:
    """BigQuery and Snowflake raise on `a / 0` where DuckDB returns inf or NaN (and sqlglot adds
    nothing): the divisor becomes CASE WHEN divisor = 0 AND a IS NOT NULL THEN error(…) END. A division
    under a CASE/IF that tests its divisor (the user's guard, or DIV0/DIV0NULL as sqlglot writes them)
    is left alone: DuckDB evaluates CASE branches lazily, but DIV0(NULL, 0) is NULL, not an error."""
    from sqlglot import exp

    name = DIALECT_NAMES[dialect]
    message = f"division by zero ({name} raises it; {_DIVISION_BY_ZERO_RAISES[dialect]} gives NULL)"
    statement = statement.copy()
    for div in list(statement.find_all(exp.Div)):
        divisor = div.expression
        if _guarded(div, divisor):
            continue
        zero = exp.and_(
            exp.EQ(this=divisor.copy(), expression=exp.Literal.number(0)),
            exp.Not(this=exp.Is(this=div.this.copy(), expression=exp.Null())),
        )
        fail = exp.Anonymous(this="error", expressions=[exp.Literal.string(message)])
        div.set("expression", exp.Case(ifs=[exp.If(this=zero, true=fail)], default=divisor))
    return statement


def _guarded(div: exp.Expression, divisor: exp.Expression) -> bool:
    """A CASE/IF around `div` whose condition mentions the divisor."""
    from sqlglot import exp

    text = divisor.sql()
    node = div.parent
    while node is not None:
        conditions = []
        if isinstance(node, exp.If):
            conditions.append(node.this)
        if isinstance(node, exp.Case):
            conditions.extend(i.this for i in node.args.get("ifs") or [])
        if any(c is not None and any(n.sql() == text for n in c.walk()) for c in conditions):
            return True
        node = node.parent
    return False


def _snowflake_unpivot_names(pivot: exp.Expression) -> exp.Expression:
    """Snowflake's UNPIVOT names each row by its column as Snowflake stores unquoted names: in upper case
    ('SIGNUPS'); DuckDB keeps the spelling of the query. Each unquoted column gets that name as alias."""
    from sqlglot import exp

    for field in pivot.args.get("fields") or []:
        if not isinstance(field, exp.In):
            continue
        for column in list(field.expressions):
            if isinstance(column, exp.Column) and not column.this.args.get("quoted"):
                column.replace(
                    exp.PivotAlias(this=column.copy(), alias=exp.Literal.string(column.name.upper()))
                )
    return pivot


def _snowflake_flatten(statement: exp.Expression) -> exp.Expression:
    """`LATERAL FLATTEN(input => arr) f` (or TABLE(FLATTEN(…))) as a DuckDB lateral subquery with
    FLATTEN's VALUE and INDEX columns (sqlglot's own translation does not parse in DuckDB). OUTER => TRUE
    keeps a row of NULLs for an empty or NULL array, as a LEFT JOIN … ON TRUE."""
    import sqlglot
    from sqlglot import exp

    for source in list(statement.find_all(exp.Lateral, exp.TableFromRows)):
        explode = source.this
        if not isinstance(explode, exp.Explode):
            continue
        args = [explode.this, *explode.expressions]
        named = {str(a.this.name).lower(): a.expression for a in args if isinstance(a, exp.Kwarg)}
        array = named.get("input", args[0] if not isinstance(args[0], exp.Kwarg) else None)
        if array is None:
            continue
        outer = named.get("outer")
        values = f'SELECT UNNEST({array.sql(dialect="duckdb")}) AS "VALUE", generate_subscripts({array.sql(dialect="duckdb")}, 1) - 1 AS "INDEX"'
        if isinstance(outer, exp.Boolean) and outer.this:
            # a NULL or empty array still gives one row, of NULLs
            values = f'SELECT v."VALUE", v."INDEX" FROM (SELECT 1) AS one LEFT JOIN ({values}) AS v ON TRUE'
        body = sqlglot.parse_one(values, read="duckdb")
        alias = source.args.get("alias")
        name = (
            alias.this.copy() if isinstance(alias, exp.TableAlias) and alias.this else exp.to_identifier("f")
        )
        source.replace(exp.Subquery(this=body, alias=exp.TableAlias(this=name)))
    return statement


def _is_day_of_week(node: exp.Expression) -> bool:
    from sqlglot import exp

    if isinstance(node, exp.DayOfWeek):
        return True
    return (
        isinstance(node, exp.Extract)
        and isinstance(node.this, exp.Expression)
        and node.this.name.upper() == "DAYOFWEEK"
    )


def _is_call(node: exp.Expression | None, name: str) -> bool:
    from sqlglot import exp

    return isinstance(node, exp.Anonymous) and str(node.this).lower() == name


def _function_equivalent(node: exp.Expression, dialect: str) -> exp.Expression | None:
    """A function DuckDB lacks, written with what it has (same result, same NULLs)."""
    from sqlglot import exp

    name = str(node.this).lower()
    args = list(node.expressions)
    if dialect == "mysql" and name == "unix_timestamp" and len(args) == 1:
        return exp.cast(exp.Anonymous(this="epoch", expressions=[args[0]]), "BIGINT")
    if dialect == "mysql" and name == "weekday" and len(args) == 1:
        # Monday = 0 … Sunday = 6 (DuckDB's weekday is Sunday = 0)
        return exp.Paren(
            this=exp.Sub(
                this=exp.Anonymous(this="isodow", expressions=[args[0]]), expression=exp.Literal.number(1)
            )
        )
    if dialect == "mysql" and name == "find_in_set" and len(args) == 2:
        # the 1-based position of the text in a comma-separated list, 0 when absent, NULL for a NULL
        found = exp.Anonymous(
            this="list_position",
            expressions=[
                exp.Anonymous(this="string_split", expressions=[args[1], exp.Literal.string(",")]),
                args[0],
            ],
        )
        either_null = exp.or_(
            exp.Is(this=args[0].copy(), expression=exp.Null()),
            exp.Is(this=args[1].copy(), expression=exp.Null()),
        )
        return exp.Case(
            ifs=[exp.If(this=either_null, true=exp.Null())],
            default=exp.Coalesce(this=found, expressions=[exp.Literal.number(0)]),
        )
    if dialect in SPARK_FAMILY and name == "bround" and args:
        return exp.Anonymous(
            this="round_even", expressions=[args[0], args[1] if len(args) > 1 else exp.Literal.number(0)]
        )
    return None


def _substring_index(node: exp.Expression) -> exp.Expression:
    """MySQL SUBSTRING_INDEX(s, delim, n): the part before the n-th delimiter (after the n-th from the
    end when n < 0), as a slice of DuckDB's string_split."""
    from sqlglot import exp

    parts = exp.Anonymous(this="string_split", expressions=[node.this, node.args["delimiter"]])
    count = node.args["count"]
    positive = exp.Anonymous(
        this="array_to_string",
        expressions=[
            exp.Anonymous(this="list_slice", expressions=[parts, exp.Literal.number(1), count]),
            node.args["delimiter"],
        ],
    )
    negative = exp.Anonymous(
        this="array_to_string",
        expressions=[
            exp.Anonymous(
                this="list_slice", expressions=[parts.copy(), count.copy(), exp.Literal.number(-1)]
            ),
            node.args["delimiter"].copy(),
        ],
    )
    return exp.Case(
        ifs=[exp.If(this=exp.GTE(this=count.copy(), expression=exp.Literal.number(0)), true=positive)],
        default=negative,
    )


_SNOWFLAKE_FORMAT = [
    ("YYYY", "%Y"),
    ("HH24", "%H"),
    ("MON", "%b"),
    ("YY", "%y"),
    ("MM", "%m"),
    ("DD", "%d"),
    ("MI", "%M"),
    ("SS", "%S"),
    ("DY", "%a"),
]


def _snowflake_format(text: str) -> str | None:
    """A Snowflake date format ('YYYY-MM-DD HH24:MI') as strftime's, or None for what it cannot map."""
    out, i = [], 0
    while i < len(text):
        for element, directive in _SNOWFLAKE_FORMAT:
            if text[i : i + len(element)].upper() == element:
                out.append(directive)
                i += len(element)
                break
        else:
            if text[i].isalpha():
                return None
            out.append(text[i].replace("%", "%%"))
            i += 1
    return "".join(out)


def _bigquery_strict_index(node: exp.Bracket) -> exp.Expression | None:
    """BigQuery `arr[OFFSET(i)]` / `arr[ORDINAL(i)]` raise an error past the array's end (SAFE_OFFSET and
    SAFE_ORDINAL give NULL; DuckDB's index always does): the index checked first. A NULL array or index
    stays NULL, as in BigQuery. None for a subscript that is not an array position (a JSON key)."""
    from sqlglot import exp

    index = node.expressions[0] if len(node.expressions) == 1 else None
    if index is None or (isinstance(index, exp.Literal) and index.is_string):
        return None
    position = index.copy()
    if node.args.get("offset", 0) != 0:  # ORDINAL counts from 1
        position = exp.Sub(this=position, expression=exp.Literal.number(1))
    outside = exp.Or(
        this=exp.LT(this=position.copy(), expression=exp.Literal.number(0)),
        expression=exp.GTE(this=position, expression=exp.ArraySize(this=node.this.copy())),
    )
    message = (
        "array index out of bounds: BigQuery's OFFSET/ORDINAL raise an error there "
        "(SAFE_OFFSET/SAFE_ORDINAL give NULL)"
    )
    fail = exp.Anonymous(this="error", expressions=[exp.Literal.string(message)])
    within = node.copy()
    within.set("safe", True)  # the same position, not checked again
    return exp.Case(ifs=[exp.If(this=outside, true=fail)], default=within)


def _array_agg_limit(agg: exp.Expression, limit: exp.Expression) -> exp.Expression:
    """BigQuery `ARRAY_AGG(x ORDER BY … LIMIT n)`: DuckDB has no LIMIT inside an aggregate, so the first n of
    the whole ordered list (`agg` may be a FILTER around the aggregate)."""
    from sqlglot import exp

    whole = agg.copy()
    inner = whole.this if isinstance(whole, exp.Filter) else whole
    inner.set("this", limit.this.copy())
    return exp.Anonymous(
        this="list_slice", expressions=[whole, exp.Literal.number(1), limit.expression.copy()]
    )


def _array_agg_ignore_nulls(agg: exp.ArrayAgg) -> exp.Expression:
    """BigQuery `ARRAY_AGG(x IGNORE NULLS [ORDER BY …] [LIMIT n])`: the aggregate over the rows where x is
    not NULL (a FILTER). A group whose x are all NULL gives NULL, as in BigQuery, so `[OFFSET(0)]` of it is
    NULL there and here."""
    from sqlglot import exp

    value: exp.Expression = agg.this
    while isinstance(value, (exp.Limit, exp.Order)):
        value = value.this
    keep = exp.Where(this=exp.Not(this=exp.Is(this=value.copy(), expression=exp.Null())))
    limit = agg.this if isinstance(agg.this, exp.Limit) else None
    filtered = exp.Filter(this=agg.copy(), expression=keep)
    return _array_agg_limit(filtered, limit) if limit is not None else filtered


def _duckdb_collation(mysql_name: str) -> exp.Identifier:
    """DuckDB's nearest collation to a MySQL one: *_bin, *_cs and binary compare exactly; *_as_ci ignores
    case only; any other *_ci (utf8mb4_0900_ai_ci, utf8mb4_general_ci) case and accents."""
    from sqlglot import exp

    name = mysql_name.lower()
    if name.endswith("_as_ci"):
        collation = "nocase"
    elif name.endswith("_ci"):
        from prepdeck.checkers.sql.duckdb_engine import COLLATION

        collation = COLLATION
    else:
        collation = "binary"
    return exp.Identifier(this=collation, quoted=True)


def _collated_tables(statement: exp.Expression, tables: Collection[str]) -> exp.Expression:
    """The card's tables read through their collated views (duckdb_engine.COLLATED_SCHEMA): MySQL's
    utf8mb4_0900_ai_ci makes 'PAID' = 'paid' = 'Páid' in comparisons, LIKE, GROUP BY, DISTINCT, ORDER BY,
    PARTITION BY, MIN/MAX and joins alike. A CTE named like a table is the CTE, left alone."""
    from sqlglot import exp

    from prepdeck.checkers.sql.duckdb_engine import COLLATED_SCHEMA

    names = {t.lower() for t in tables}
    ctes = {cte.alias_or_name.lower() for cte in statement.find_all(exp.CTE)}
    statement = statement.copy()
    for table in statement.find_all(exp.Table):
        name = table.name.lower()
        if table.args.get("db") or not isinstance(table.this, exp.Identifier) or name not in names - ctes:
            continue
        if not table.alias:  # `t.col` in the query still names it
            table.set("alias", exp.TableAlias(this=exp.to_identifier(table.name)))
        table.set("db", exp.to_identifier(COLLATED_SCHEMA))
    return statement
