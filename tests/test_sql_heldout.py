"""Wrong verdicts found with the held-out answers (benchmarks/data/sql_heldout_answers.toml), each fixed in
the judge: what the real engine does, checked on the built-in cards with real engines (DuckDB for the
translated dialects, the embedded PostgreSQL, the local Spark)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from benchmarks.heldout_sql import DIALECTS, load_answers
from prepdeck.checkers.sql import check_sql, prepare
from prepdeck.checkers.sql.postgres_engine import pg_type
from prepdeck.checkers.sql.translate import DIALECT_NAMES
from prepdeck.decks.loader import load_deck_file
from prepdeck.decks.tabular import list_value, parse_columns, read_csv

ROOT = Path(__file__).resolve().parent.parent
DECK, _ = load_deck_file(ROOT / "decks" / "sql-exercises.toml", builtin=True)
assert DECK is not None
CARDS = {card.id: card for card in DECK.cards}
ANSWERS = load_answers()
COLUMNS = {"user_id": "VARCHAR", "login_ts": "TIMESTAMP"}


def _check(card: str, sql: str, dialect: str) -> tuple[bool, str]:
    result = check_sql(CARDS[card], sql, dialect)
    failures = [f"{c.name}: {c.error or c.message}" for c in result.cases if not c.passed]
    return result.passed, str(result.error or failures)


def test_the_heldout_set_covers_six_dialects_and_twenty_cards() -> None:
    assert len(ANSWERS) >= 100
    assert len({a["card"] for a in ANSWERS}) >= 20
    assert {a["dialect"] for a in ANSWERS} == set(DIALECTS)
    assert all(a["card"] in CARDS for a in ANSWERS)
    for (
        dialect
    ) in DIALECTS:  # right and wrong answers in each dialect but DuckDB (its own solutions are right)
        verdicts = {a["expected"] for a in ANSWERS if a["dialect"] == dialect}
        assert verdicts == ({"fail"} if dialect == "duckdb" else {"pass", "fail"}), dialect


UNPIVOT = (
    "SELECT day, metric, value FROM daily_metrics UNPIVOT (value FOR metric IN (signups, logins, purchases))"
)


def test_mysql_refuses_unpivot_and_pivot_naming_mysql() -> None:
    passed, why = _check("unpivot-metrics", UNPIVOT, "mysql")
    assert not passed and "UNPIVOT is not MySQL syntax" in why and "UNION ALL" in why
    pivot = (
        "SELECT * FROM (SELECT product, QUARTER(sale_date) AS q, amount FROM sales) s "
        "PIVOT (SUM(amount) FOR q IN (1, 2, 3, 4))"
    )
    passed, why = _check("pivot-quarterly", pivot, "mysql")
    assert not passed and "PIVOT is not MySQL syntax" in why


def test_snowflake_unpivot_names_rows_in_upper_case() -> None:
    # Snowflake stores unquoted column names upper-case, and UNPIVOT's name column shows them so
    passed, why = _check("unpivot-metrics", UNPIVOT, "snowflake")
    assert not passed and "unexpected" in why
    lowered = UNPIVOT.replace("SELECT day, metric,", "SELECT day, LOWER(metric) AS metric,")
    assert _check("unpivot-metrics", lowered, "snowflake") == (True, "[]")
    # BigQuery keeps the name as written
    assert _check("unpivot-metrics", UNPIVOT, "bigquery") == (True, "[]")


def test_snowflake_lateral_flatten_runs_and_outer_keeps_empty_arrays() -> None:
    flatten = (
        "SELECT LOWER(TRIM(f.value::string)) AS tag, COUNT(DISTINCT p.post_id) AS posts "
        "FROM posts p, LATERAL FLATTEN(input => p.tags) f GROUP BY 1"
    )
    assert _check("unnest-tag-counts", flatten, "snowflake") == (True, "[]")
    outer = prepare(
        "SELECT p.post_id, f.value, f.index FROM posts p, TABLE(FLATTEN(input => p.tags, outer => TRUE)) f",
        "snowflake",
    ).sql
    con = duckdb.connect()
    con.execute("CREATE TABLE posts (post_id INTEGER, tags VARCHAR[])")
    con.execute("INSERT INTO posts VALUES (1, ['a', 'b']), (2, []), (3, NULL)")
    assert sorted(con.sql(outer).fetchall(), key=str) == [
        (1, "a", 0),
        (1, "b", 1),
        (2, None, None),
        (3, None, None),
    ]


FUNNEL = """
WITH v AS (SELECT user_id, MIN(event_ts) AS t FROM events WHERE event_name = 'view' GROUP BY user_id),
c AS (SELECT v.user_id, MIN(e.event_ts) AS t FROM v JOIN events e
        ON e.user_id = v.user_id AND e.event_name = 'add_to_cart' AND e.event_ts >= v.t GROUP BY v.user_id),
p AS (SELECT DISTINCT c.user_id FROM c JOIN events e
        ON e.user_id = c.user_id AND e.event_name = 'purchase' AND e.event_ts >= c.t),
s AS (SELECT 1 AS step, 'view' AS step_name, (SELECT COUNT(*) FROM v) AS users
      UNION ALL SELECT 2, 'add_to_cart', (SELECT COUNT(*) FROM c)
      UNION ALL SELECT 3, 'purchase', (SELECT COUNT(*) FROM p))
SELECT step, step_name, users, ROUND({pct}, 1) AS pct_of_step1 FROM s ORDER BY step
"""


@pytest.mark.parametrize(
    "dialect,guarded",
    [
        ("bigquery", "SAFE_DIVIDE(100 * users, (SELECT COUNT(*) FROM v))"),
        ("snowflake", "100 * users / NULLIFZERO((SELECT COUNT(*) FROM v))"),
    ],
)
def test_division_by_zero_raises_in_bigquery_and_snowflake(dialect: str, guarded: str) -> None:
    result = check_sql(
        CARDS["funnel-ordered-steps"], FUNNEL.format(pct="100 * users / (SELECT COUNT(*) FROM v)"), dialect
    )
    no_events = next(c for c in result.cases if c.name == "no events")
    assert not result.passed and not no_events.passed and no_events.error  # an error, not a wrong value
    assert _check("funnel-ordered-steps", FUNNEL.format(pct=guarded), dialect) == (True, "[]")
    # MySQL's `/` gives NULL on a zero divisor: the unguarded answer is right there
    unguarded = FUNNEL.format(pct="100 * users / (SELECT COUNT(*) FROM v)")
    assert _check("funnel-ordered-steps", unguarded, "mysql") == (True, "[]")


def test_division_by_zero_message_names_the_dialect_and_the_guard() -> None:
    con = duckdb.connect()
    for dialect, guard in (("bigquery", "SAFE_DIVIDE"), ("snowflake", "NULLIF")):
        sql = prepare("SELECT a / b AS q FROM (SELECT 1 AS a, 0 AS b) t", dialect).sql
        with pytest.raises(duckdb.Error, match=f"division by zero.*{guard}"):
            con.sql(sql).fetchall()
        # a division whose divisor the answer tests, and DIV0/DIV0NULL, do not raise
        guarded = prepare(
            "SELECT CASE WHEN b = 0 THEN NULL ELSE a / b END FROM (SELECT 1 AS a, 0 AS b) t", dialect
        )
        assert con.sql(guarded.sql).fetchall() == [(None,)]
    div0 = prepare("SELECT DIV0(1, 0), DIV0NULL(1, 0), NULL / 0", "snowflake").sql
    assert con.sql(div0).fetchall() == [(0, 0, None)]


def test_list_values_read_as_duckdb_casts_them() -> None:
    # PostgreSQL and Spark get lists as Python lists; DuckDB casts the deck's text itself: both must agree
    checked = 0
    for card in CARDS.values():
        for table, spec in card.tables.items():
            columns = [c for c in parse_columns(spec) if c.type.endswith("]")]
            for case in card.cases:
                text = case.data.get(table)
                if not columns or not text:
                    continue
                csv = read_csv(text)
                header = [h.lower() for h in csv.header]
                for row in csv.rows:
                    for column in columns:
                        raw = row[header.index(column.name.lower())]
                        cast = duckdb.execute(f"SELECT CAST($1 AS {column.type})", [raw]).fetchone()
                        assert list_value(raw, column.type) == (cast[0] if cast else None), raw
                        checked += 1
    assert checked >= 10
    assert list_value("[a, 'b''c', NULL, ' d ']", "VARCHAR[]") == ["a", "b'c", None, " d "]
    with pytest.raises(ValueError, match="not a list"):
        list_value("a, b", "VARCHAR[]")


def test_postgres_tables_keep_the_declared_varchar() -> None:
    assert pg_type("VARCHAR") == "VARCHAR"
    assert pg_type("varchar(20)") == "VARCHAR(20)"
    assert pg_type("VARCHAR[]") == "VARCHAR[]"
    assert pg_type("DOUBLE") == "DOUBLE PRECISION"


TAGS = {
    "postgres": "SELECT lower(trim(t.tag)) AS tag, count(DISTINCT p.post_id) AS posts "
    "FROM posts p CROSS JOIN LATERAL unnest(p.tags) AS t(tag) GROUP BY 1",
    "spark": "SELECT lower(trim(tag)) AS tag, count(DISTINCT post_id) AS posts "
    "FROM posts LATERAL VIEW explode(tags) t AS tag GROUP BY lower(trim(tag))",
}


@pytest.mark.slow
@pytest.mark.parametrize("dialect", sorted(TAGS))
def test_array_columns_load_on_the_native_engines(dialect: str) -> None:
    # the card's VARCHAR[] data ("[SQL, ' sql ', Spark]") could not be loaded into PostgreSQL or Spark
    result = check_sql(CARDS["unnest-tag-counts"], TAGS[dialect], dialect)
    assert result.passed, (
        f"{result.engine}: {result.error or [(c.name, c.error, c.message) for c in result.cases]}"
    )
    wrong = (
        TAGS[dialect]
        .replace("count(DISTINCT p.post_id)", "count(*)")
        .replace("count(DISTINCT post_id)", "count(*)")
    )
    assert not check_sql(CARDS["unnest-tag-counts"], wrong, dialect).passed


TRANSLATED = [a for a in ANSWERS if a["dialect"] in ("duckdb", "mysql", "bigquery", "snowflake")]


@pytest.mark.slow
@pytest.mark.parametrize(
    "answer", TRANSLATED, ids=[f"{a['card']}-{a['dialect']}-{i}" for i, a in enumerate(TRANSLATED)]
)
def test_heldout_translated_answers_get_the_real_engines_verdict(answer: dict[str, str]) -> None:
    passed, why = _check(answer["card"], answer["sql"], answer["dialect"])
    assert ("pass" if passed else "fail") == answer["expected"], f"{answer['why']} / judge: {why}"


LATEST2 = """SELECT customer_id, order_id, order_ts, amount, recency FROM (
  SELECT customer_id, order_id, order_ts, amount,
         ROW_NUMBER() OVER (PARTITION BY customer_id ORDER BY order_ts DESC, order_id DESC) AS recency
  FROM orders
) {alias} WHERE recency <= 2"""


def test_mysql_needs_an_alias_on_a_derived_table() -> None:
    passed, why = _check("top-n-row-number", LATEST2.format(alias=""), "mysql")
    assert not passed and "derived table needs an alias in MySQL" in why
    assert _check("top-n-row-number", LATEST2.format(alias="AS t"), "mysql") == (True, "[]")
    for dialect in ("bigquery", "snowflake"):  # both take it without
        assert _check("top-n-row-number", LATEST2.format(alias=""), dialect) == (True, "[]")


def test_mysql_refuses_limit_in_an_in_subquery() -> None:
    top3 = """SELECT e.dept, e.name, e.salary FROM employees e
WHERE e.salary IN (SELECT DISTINCT e2.salary FROM employees e2 WHERE e2.dept = e.dept AND e2.salary IS NOT NULL
                   ORDER BY e2.salary DESC LIMIT 3)"""
    passed, why = _check("top-n-dense-rank", top3, "mysql")
    assert not passed and "MySQL does not support LIMIT in an IN" in why


ALIAS_IN_WHERE = """SELECT user_id, login_day FROM (
  SELECT DISTINCT user_id, {day} AS login_day FROM logins WHERE login_day <= {today}) AS d"""


def test_an_alias_in_where_is_refused_where_the_dialect_does_not_resolve_it() -> None:
    for dialect, day, today in (
        ("mysql", "DATE(login_ts)", "CURDATE()"),
        ("bigquery", "DATE(login_ts)", "CURRENT_DATE()"),
    ):
        with pytest.raises(
            Exception, match=f"'login_day' is an alias of this SELECT: {DIALECT_NAMES[dialect]}"
        ):
            prepare(ALIAS_IN_WHERE.format(day=day, today=today), dialect, COLUMNS)
    # Snowflake resolves it; a name that is also a table column is the column (no refusal)
    prepare(ALIAS_IN_WHERE.format(day="login_ts::date", today="CURRENT_DATE()"), "snowflake", COLUMNS)
    prepare("SELECT user_id, login_ts AS user_id FROM logins WHERE user_id = 'u1'", "mysql", COLUMNS)
    # MySQL takes aliases in GROUP BY, HAVING and ORDER BY
    prepare(
        "SELECT DATE(login_ts) AS d, COUNT(*) AS n FROM logins GROUP BY d HAVING n > 1 ORDER BY d",
        "mysql",
        COLUMNS,
    )


def test_an_alias_of_the_same_select_list_is_refused_in_mysql_and_bigquery() -> None:
    lateral = "SELECT user_id, COUNT(*) AS n, n * 2 AS twice FROM logins GROUP BY user_id"
    for dialect in ("mysql", "bigquery"):
        with pytest.raises(Exception, match="'n' is an alias of the same SELECT list"):
            prepare(lateral, dialect, COLUMNS)
    prepare(lateral, "snowflake", COLUMNS)


def test_mysql_timestampdiff_counts_whole_units_and_period_diff_months() -> None:
    con = duckdb.connect()
    sql = prepare(
        "SELECT TIMESTAMPDIFF(MONTH, DATE '2025-03-31', DATE '2025-04-01'), "
        "TIMESTAMPDIFF(MONTH, DATE '2025-03-15', DATE '2025-05-01'), "
        "TIMESTAMPDIFF(MINUTE, TIMESTAMP '2026-01-01 10:00:59', TIMESTAMP '2026-01-01 10:30:00'), "
        "PERIOD_DIFF(202501, 202412), PERIOD_DIFF(2501, 9912)",
        "mysql",
    ).sql
    assert con.sql(sql).fetchall() == [(0, 1, 29, 1, 301)]


def test_mysql_date_minus_integer_is_a_number() -> None:
    # DATE - 1 is 20260200 on Feb 1 in MySQL: a self-join on `day - 1` misses the month boundary
    con = duckdb.connect()
    sql = prepare(
        "SELECT d - 1, d - 1 = DATE '2026-01-31' FROM (SELECT DATE '2026-02-01' AS d) t", "mysql"
    ).sql
    assert con.sql(sql).fetchall() == [(20260200, False)]
    # INTERVAL arithmetic stays date arithmetic
    sql = prepare("SELECT d - INTERVAL 1 DAY FROM (SELECT DATE '2026-02-01' AS d) t", "mysql").sql
    assert str(con.sql(sql).fetchall()[0][0])[:10] == "2026-01-31"


def test_snowflake_runs_a_self_referencing_cte_without_recursive() -> None:
    chain = """WITH chain AS (
  SELECT emp_id, name, 1 AS level, name AS path FROM employees WHERE manager_id IS NULL
  UNION ALL
  SELECT e.emp_id, e.name, c.level + 1, c.path || ' > ' || e.name FROM employees e JOIN chain c ON e.manager_id = c.emp_id
) SELECT emp_id, name, level, path FROM chain"""
    assert _check("org-chart-levels", chain, "snowflake") == (True, "[]")
    assert not _check("org-chart-levels", chain, "bigquery")[0]  # BigQuery needs WITH RECURSIVE


def test_mysql_unquotes_a_json_null_to_the_text_null() -> None:
    con = duckdb.connect()
    doc = """'{"a": null, "b": "x"}'"""
    sql = prepare(
        f"SELECT {doc}->>'$.a', {doc}->>'$.b', {doc}->>'$.zz', JSON_UNQUOTE(JSON_EXTRACT({doc}, '$.a'))",
        "mysql",
    ).sql
    assert con.sql(sql).fetchall() == [("null", "x", None, "null")]
    nullif = "NULLIF(payload->>'$.user.id', 'null')"
    right = f"""SELECT event_id, {nullif} AS user_id, NULLIF(payload->>'$.user.country', 'null') AS country,
       CAST(NULLIF(payload->>'$.amount', 'null') AS DECIMAL(10,2)) AS amount FROM events WHERE JSON_VALID(payload)"""
    assert _check("json-extract-fields", right, "mysql") == (True, "[]")
    assert not _check("json-extract-fields", right.replace(nullif, "payload->>'$.user.id'"), "mysql")[0]


def test_bigquery_array_positions_raise_out_of_range_and_safe_parse_json() -> None:
    con = duckdb.connect()
    ok = prepare(
        "SELECT [1, 2][OFFSET(1)], [1, 2][ORDINAL(1)], [1, 2][SAFE_OFFSET(2)], [1, 2][SAFE_ORDINAL(0)]",
        "bigquery",
    )
    assert con.sql(ok.sql).fetchall() == [(2, 1, None, None)]
    for bad in ("[1, 2][OFFSET(2)]", "[1, 2][OFFSET(-1)]", "[1, 2][ORDINAL(0)]"):
        with pytest.raises(duckdb.Error, match=r"out of bounds.*SAFE_OFFSET"):
            con.sql(prepare(f"SELECT {bad}", "bigquery").sql).fetchall()
    parsed = prepare("SELECT SAFE.PARSE_JSON('not json') IS NULL, SAFE.PARSE_JSON('{}') IS NULL", "bigquery")
    assert con.sql(parsed.sql).fetchall() == [(True, False)]


def test_snowflake_get_of_an_array_is_zero_based_and_null_out_of_range() -> None:
    sql = prepare(
        "SELECT GET(['a', 'b'], 0), GET(['a', 'b'], 1), GET(['a', 'b'], 2), GET(['a', 'b'], -1)", "snowflake"
    )
    assert duckdb.connect().sql(sql.sql).fetchall() == [("a", "b", None, None)]
    get = """SELECT session_id, GET(pages, 0)::string AS landing_page,
       GET(pages, ARRAY_SIZE(pages) - 1)::string AS exit_page, ARRAY_SIZE(pages) AS page_count FROM sessions"""
    assert _check("array-first-last-element", get, "snowflake") == (True, "[]")


def test_bigquery_refuses_comparing_a_timestamp_with_a_date() -> None:
    for where in (
        "login_ts >= CURRENT_DATE()",
        "login_ts < DATE_SUB(CURRENT_DATE(), INTERVAL 1 DAY)",
        "login_ts BETWEEN DATE '2026-01-01' AND DATE '2026-02-01'",
    ):
        with pytest.raises(Exception, match="BigQuery does not compare a TIMESTAMP with a DATE"):
            prepare(f"SELECT user_id FROM logins WHERE {where}", "bigquery", COLUMNS)
    # a DATE against a DATE, a TIMESTAMP against a string or a TIMESTAMP: fine; Snowflake and MySQL compare them
    prepare("SELECT user_id FROM logins WHERE DATE(login_ts) >= CURRENT_DATE()", "bigquery", COLUMNS)
    prepare("SELECT user_id FROM logins WHERE login_ts >= '2026-01-01'", "bigquery", COLUMNS)
    prepare("SELECT user_id FROM logins WHERE login_ts >= TIMESTAMP(CURRENT_DATE())", "bigquery", COLUMNS)
    prepare("SELECT user_id FROM logins WHERE login_ts >= CURRENT_DATE()", "snowflake", COLUMNS)
    prepare("SELECT user_id FROM logins WHERE login_ts >= CURDATE()", "mysql", COLUMNS)


def test_range_frames_over_dates_follow_bigquery_and_mysql() -> None:
    frame = (
        "SELECT AVG(n) OVER (ORDER BY {key} RANGE BETWEEN {bound} PRECEDING AND CURRENT ROW) FROM ({days}) t"
    )
    days = {
        "bigquery": "SELECT day, 1 AS n FROM UNNEST(GENERATE_DATE_ARRAY(DATE '2026-01-01', DATE '2026-01-09')) AS day",
        "mysql": "SELECT CURDATE() AS day, 1 AS n",
    }
    with pytest.raises(Exception, match="BigQuery's RANGE frames with an offset need a numeric ORDER BY"):
        prepare(frame.format(key="day", bound="6", days=days["bigquery"]), "bigquery")
    prepare(frame.format(key="UNIX_DATE(day)", bound="6", days=days["bigquery"]), "bigquery")
    with pytest.raises(
        Exception, match="MySQL: a RANGE frame ordered by a DATE or DATETIME takes INTERVAL bounds"
    ):
        prepare(frame.format(key="day", bound="6", days=days["mysql"]), "mysql")
    prepare(frame.format(key="day", bound="INTERVAL 6 DAY", days=days["mysql"]), "mysql")


def test_mysql_and_bigquery_have_limit_offset_only() -> None:
    for dialect in ("mysql", "bigquery"):
        with pytest.raises(
            Exception, match=f"FETCH FIRST/NEXT … ROWS ONLY is not {DIALECT_NAMES[dialect]} syntax"
        ):
            prepare(
                "SELECT user_id FROM logins ORDER BY login_ts OFFSET 1 ROWS FETCH NEXT 1 ROWS ONLY", dialect
            )
        with pytest.raises(Exception, match=f"OFFSET before LIMIT is not {DIALECT_NAMES[dialect]} syntax"):
            prepare("SELECT user_id FROM logins ORDER BY login_ts OFFSET 1 LIMIT 1", dialect)
        prepare("SELECT user_id FROM logins ORDER BY login_ts LIMIT 1 OFFSET 1", dialect)
    prepare("SELECT user_id FROM logins ORDER BY login_ts LIMIT 1, 1", "mysql")
    prepare("SELECT user_id FROM logins ORDER BY login_ts OFFSET 1 ROWS FETCH NEXT 1 ROWS ONLY", "snowflake")


def test_cast_targets_each_dialect_has() -> None:
    for dialect, bad, good in (
        ("mysql", "CAST(login_ts AS INT)", "CAST(login_ts AS SIGNED)"),
        ("mysql", "CAST(user_id AS VARCHAR(10))", "CAST(user_id AS CHAR(10))"),
        ("mysql", "CONVERT(user_id, TEXT)", "CONVERT(user_id, CHAR)"),
        ("bigquery", "CAST(user_id AS VARCHAR)", "CAST(user_id AS STRING)"),
        ("bigquery", "SAFE_CAST(user_id AS DOUBLE)", "SAFE_CAST(user_id AS FLOAT64)"),
    ):
        with pytest.raises(Exception, match=f"is not a {DIALECT_NAMES[dialect]} type for CAST"):
            prepare(f"SELECT {bad} FROM logins", dialect)
        prepare(f"SELECT {good} FROM logins", dialect)
    prepare("SELECT CAST(user_id AS VARCHAR), CAST(1.5 AS INT) FROM logins", "snowflake")


def test_bigquery_approx_quantiles_returns_observed_values() -> None:
    # BigQuery's documented example: the median boundary of 1,1,1,4,5,6,7,8,9,10 is 5, not 5.5
    sql = prepare(
        "SELECT APPROX_QUANTILES(x, 2) FROM UNNEST([1, 1, 1, 4, 5, 6, 7, 8, 9, 10]) AS x", "bigquery"
    ).sql
    assert duckdb.connect().sql(sql).fetchall() == [([1, 5, 10],)]
    median = (
        "SELECT country, APPROX_QUANTILES(amount, 2)[OFFSET(1)] AS median_amount FROM orders GROUP BY country"
    )
    assert not _check("median-per-group", median, "bigquery")[0]  # an even count has no observed middle


def test_mysql_json_table_over_an_array() -> None:
    lines = """SELECT o.order_id, COUNT(jt.qty) AS lines, COALESCE(SUM(jt.qty * jt.price), 0) AS total
FROM orders o
LEFT JOIN JSON_TABLE(o.items, '$[*]' COLUMNS (qty INT PATH '$.qty', price DECIMAL(10,2) PATH '$.price')) AS jt ON TRUE
GROUP BY o.order_id"""
    assert _check("json-array-line-items", lines, "mysql") == (True, "[]")
    inner = lines.replace("LEFT JOIN", "JOIN").replace(" ON TRUE", "")  # drops the empty orders
    assert not _check("json-array-line-items", inner, "mysql")[0]


def test_snowflake_conditional_true_event_counts_row_by_row() -> None:
    sql = prepare(
        "SELECT t, CONDITIONAL_TRUE_EVENT(g > 1) OVER (ORDER BY t) FROM (SELECT 1 AS t, NULL AS g UNION ALL "
        "SELECT 2, 5 UNION ALL SELECT 3, 0 UNION ALL SELECT 4, 2) x ORDER BY t",
        "snowflake",
    ).sql
    assert duckdb.connect().sql(sql).fetchall() == [(1, 0), (2, 1), (3, 1), (4, 2)]


def test_snowflake_variant_paths_cast_the_value_and_need_a_variant() -> None:
    right = """SELECT event_id, TRY_PARSE_JSON(payload):user.id::string AS user_id,
       TRY_PARSE_JSON(payload):user.country::string AS country,
       TRY_PARSE_JSON(payload):amount::number(10,2) AS amount
FROM events WHERE TRY_PARSE_JSON(payload) IS NOT NULL"""
    assert _check("json-extract-fields", right, "snowflake") == (True, "[]")  # "u1" without its JSON quotes
    text_path = right.replace("TRY_PARSE_JSON(payload):", "payload:")
    passed, why = _check("json-extract-fields", text_path, "snowflake")
    assert not passed and "'payload' is text: Snowflake's :path needs a VARIANT" in why


def test_mysql_find_in_set() -> None:
    sql = prepare(
        "SELECT FIND_IN_SET('b', 'a,b,c'), FIND_IN_SET('z', 'a,b'), FIND_IN_SET(NULL, 'a')", "mysql"
    ).sql
    assert duckdb.connect().sql(sql).fetchall() == [(2, 0, None)]


def test_mysql_weekday_and_bigquery_extract_date() -> None:
    con = duckdb.connect()
    monday_sunday = "SELECT WEEKDAY(DATE '2026-03-02'), WEEKDAY(DATE '2026-03-01')"
    assert con.sql(prepare(monday_sunday, "mysql").sql).fetchall() == [(0, 6)]  # Monday = 0 … Sunday = 6
    part = prepare("SELECT EXTRACT(DATE FROM login_ts) FROM logins", "bigquery", COLUMNS).sql
    con.execute("CREATE TABLE logins (user_id VARCHAR, login_ts TIMESTAMP)")
    con.execute("INSERT INTO logins VALUES ('u1', '2026-01-31 23:00:00')")
    assert str(con.sql(part).fetchall()[0][0]) == "2026-01-31"
