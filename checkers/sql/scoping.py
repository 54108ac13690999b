"""Queries DuckDB runs but the source dialect rejects, for where a name is visible, what a subquery may
contain or which types meet: refused with the dialect's name and what to write instead.

DuckDB resolves a select-list alias in WHERE and in the rest of the same select list, and takes a
subquery in FROM without an alias or with LIMIT under IN; MySQL rejects all of these (errors 1054, 1248,
1235), BigQuery the alias uses. BigQuery compares no TIMESTAMP with a DATE and orders RANGE frames by
numbers only; MySQL's RANGE bounds follow the ORDER BY's type; Snowflake's :path needs a VARIANT."""

from __future__ import annotations

from typing import TYPE_CHECKING

from prepdeck.checkers.sql.translate import DIALECT_NAMES, category, known_kinds

if TYPE_CHECKING:
    from sqlglot import exp

_NO_LATERAL_ALIAS = {"mysql", "bigquery"}  # Snowflake, Spark and DuckDB resolve them
_TEXT_BASES = {"VARCHAR", "TEXT", "STRING", "CHAR", "BPCHAR"}


def refuse_scoping(statement: exp.Expression, dialect: str, columns: dict[str, str]) -> str | None:
    """Why `dialect` rejects the query (one line naming it), or None. `columns`: the card's declared
    columns by lower-case name (the tables' columns, which an alias of the same name does not hide)."""
    from sqlglot import exp

    name = DIALECT_NAMES.get(dialect, dialect)
    if dialect == "mysql":
        for sub in statement.find_all(exp.Subquery):
            if isinstance(sub.parent, (exp.From, exp.Join)) and not sub.alias:
                return "every derived table needs an alias in MySQL: write (SELECT …) AS t"
        for node in statement.find_all(exp.In, exp.Any, exp.All):
            query = node.args.get("query") if isinstance(node, exp.In) else node.this
            query = query.this if isinstance(query, exp.Subquery) else query
            if isinstance(query, exp.Query) and query.args.get("limit"):
                return (
                    "MySQL does not support LIMIT in an IN/ANY/ALL subquery: rank with ROW_NUMBER()/"
                    "DENSE_RANK() in a derived table instead"
                )
    if dialect == "snowflake":
        for extract in statement.find_all(exp.JSONExtract):
            source = extract.this
            if (
                extract.args.get("variant_extract")
                and isinstance(source, exp.Column)
                and columns.get(source.name.lower()) in _TEXT_BASES
            ):
                return (
                    f"'{source.name}' is text: Snowflake's :path needs a VARIANT; parse it first, "
                    f"TRY_PARSE_JSON({source.name}):…"
                )
    if dialect in ("bigquery", "mysql"):
        refused = _time_types(statement, dialect, known_kinds(statement, columns))
        if refused:
            return refused
    if dialect not in _NO_LATERAL_ALIAS:
        return None
    ctes = {cte.alias_or_name.lower(): cte.this for cte in statement.find_all(exp.CTE)}
    for select in statement.find_all(exp.Select):
        aliases = {p.alias.lower(): p for p in select.expressions if isinstance(p, exp.Alias)}
        if not aliases:
            continue
        provided = _provided_names(select, columns, ctes)
        if provided is None:
            continue  # a source whose columns are not known here: do not guess
        where = select.args.get("where")
        for column in _own_columns(where, select):
            alias = column.name.lower()
            if alias in aliases and alias not in provided:
                return (
                    f"'{column.name}' is an alias of this SELECT: {name} does not see it in WHERE; "
                    "repeat the expression, or filter in an outer query"
                )
        for projection in select.expressions:
            for column in _own_columns(projection, select):
                alias = column.name.lower()
                if alias in aliases and aliases[alias] is not projection and alias not in provided:
                    return (
                        f"'{column.name}' is an alias of the same SELECT list: {name} cannot use it there; "
                        "repeat the expression, or compute it in a subquery"
                    )
    return None


def _time_types(statement: exp.Expression, dialect: str, kinds: dict[str, str]) -> str | None:
    """BigQuery compares no TIMESTAMP with a DATE; BigQuery's RANGE frames with an offset need a numeric
    ORDER BY, MySQL's take INTERVAL bounds over a DATE/DATETIME and numbers over a number."""
    from sqlglot import exp

    if dialect == "bigquery":
        for node in statement.find_all(exp.EQ, exp.NEQ, exp.LT, exp.LTE, exp.GT, exp.GTE, exp.Between):
            sides = (
                [node.this, node.expression]
                if not isinstance(node, exp.Between)
                else [node.this, node.args.get("low"), node.args.get("high")]
            )
            found = {category(side, kinds) for side in sides}
            if {"date", "timestamp"} <= found:
                return (
                    "BigQuery does not compare a TIMESTAMP with a DATE: compare DATE(ts) with the date, "
                    "or the timestamp with TIMESTAMP(d)"
                )
    for window in statement.find_all(exp.Window):
        spec = window.args.get("spec")
        order = window.args.get("order")
        if (
            not isinstance(spec, exp.WindowSpec)
            or str(spec.args.get("kind") or "").upper() != "RANGE"
            or order is None
        ):
            continue
        bounds = [b for b in (spec.args.get("start"), spec.args.get("end")) if isinstance(b, exp.Expression)]
        if not bounds or len(order.expressions) != 1:
            continue
        key = category(order.expressions[0].this, kinds)
        temporal = key in ("date", "timestamp")
        if dialect == "bigquery" and temporal:
            return (
                "BigQuery's RANGE frames with an offset need a numeric ORDER BY: order by UNIX_DATE(day) "
                "(or UNIX_SECONDS(ts)), or use ROWS over a calendar of days"
            )
        intervals = any(isinstance(b, exp.Interval) for b in bounds)
        if dialect == "mysql" and temporal and not intervals:
            return (
                "MySQL: a RANGE frame ordered by a DATE or DATETIME takes INTERVAL bounds "
                "(RANGE BETWEEN INTERVAL 6 DAY PRECEDING AND CURRENT ROW)"
            )
        if dialect == "mysql" and intervals and key in ("int", "fraction"):
            return "MySQL: INTERVAL bounds of a RANGE frame need a DATE or DATETIME ORDER BY"
    return None


def _own_columns(node: exp.Expression | None, select: exp.Select) -> list[exp.Column]:
    """The unqualified columns in `node` that belong to `select` itself (not to a subquery inside)."""
    from sqlglot import exp

    if node is None:
        return []
    return [
        c
        for c in node.find_all(exp.Column)
        if not c.table and c.find_ancestor(exp.Select) is select and not isinstance(c.parent, exp.Dot)
    ]


def _provided_names(
    select: exp.Select, columns: dict[str, str], ctes: dict[str, exp.Expression]
) -> set[str] | None:
    """Every column name the FROM clause of `select` provides, or None when one source's columns are
    not known (a star in a CTE or subquery, a table function, UNNEST without column names…)."""
    from sqlglot import exp

    from_ = select.args.get("from_") or select.args.get("from")  # sqlglot 30 names it from_
    sources = [from_.this] if from_ is not None else []
    sources += [join.this for join in select.args.get("joins") or []]
    names: set[str] = set()
    for source in sources:
        if isinstance(source, exp.Table) and isinstance(source.this, exp.Identifier):
            query = ctes.get(source.name.lower())
            if query is None:
                if not columns:
                    return None  # the declarations are not known (translate() alone)
                names |= set(columns)  # a card table: any declared column may be it
                continue
        elif isinstance(source, exp.Subquery):
            query = source.this
        else:
            alias = source.args.get("alias")
            given = alias.columns if isinstance(alias, exp.TableAlias) else []
            if not given:
                return None
            names |= {c.name.lower() for c in given}
            continue
        outputs = _output_names(query)
        if outputs is None:
            return None
        names |= outputs
    return names


def _output_names(query: exp.Expression) -> set[str] | None:
    from sqlglot import exp

    while isinstance(query, (exp.Union, exp.Except, exp.Intersect)):
        query = query.this  # a set operation's columns are named by its first query
    if isinstance(query, exp.Subquery):
        query = query.this
    if not isinstance(query, exp.Select):
        return None
    out = set()
    for projection in query.expressions:
        if isinstance(projection, exp.Star) or (
            isinstance(projection, exp.Column) and isinstance(projection.this, exp.Star)
        ):
            return None
        out.add(projection.alias_or_name.lower())
    return out
