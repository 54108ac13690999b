"""reflect / java_method / try_reflect and TRANSFORM … USING never run on the judge's Spark (issue 12), however
they are written: case, whitespace, comments, backticks, IDENTIFIER(), call_function, a statement built
from strings for EXECUTE IMMEDIATE, nested in subqueries, CTEs and lambdas. The probes call a harmless
method (java.util.UUID.randomUUID) so a miss shows as a UUID in the result, and one calls System.exit
to show the server survives it. Real local Spark, no mocks."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from prepdeck.checkers.spark.java_calls import JAVA_CALLS_REFUSED, plan_refused, refuses_java_calls
from prepdeck.core.config import Config

UUID = "'java.util.UUID', 'randomUUID'"
# every way we know to write a Java call in one Spark SQL query
SQL_ATTACKS = [
    f"SELECT reflect({UUID}) AS r FROM t",
    f"SELECT ReFlEcT ( {UUID} ) AS r FROM t",
    f"SELECT `reflect`({UUID}) AS r FROM t",
    f"SELECT `JAVA_METHOD`({UUID}) AS r FROM t",
    f"SELECT try_reflect({UUID}) AS r FROM t",
    f"SELECT IDENTIFIER/**/('ref' || 'lect')({UUID}) AS r FROM t",
    f"SELECT IDENTIFIER -- hidden\n ('java_' || 'method')({UUID}) AS r FROM t",
    f"SELECT '/*', IDENTIFIER/* x */('ref' || 'lect')({UUID}) AS r FROM t",
    f"SELECT r'\\', IDENTIFIER('ref' || 'lect')({UUID}) AS r FROM t",  # a raw string ends at its first quote
    f"SELECT (SELECT max(reflect({UUID})) FROM t) AS r",
    f"WITH c AS (SELECT java_method({UUID}) AS r FROM t) SELECT r FROM c",
    f"SELECT transform(array(1), x -> reflect({UUID})) AS r FROM t",
    "SELECT TRANSFORM(a) USING 'cat /etc/hostname' AS (r) FROM t",
]
# forms that load a class as a function: refused before they are sent (PySpark's spark.sql can send them)
LOADING = [
    "ADD JAR '/tmp/evil.jar'",
    "add /* x */ jars '/tmp/a.jar'",
    "CREATE TEMPORARY FUNCTION f AS 'com.example.Evil'",
    "CREATE OR REPLACE TEMP FUNCTION f AS 'com.example.Evil' USING JAR '/tmp/evil.jar'",
]
# what the client-side check must still let through
NOT_JAVA = [
    "SELECT transform(array(a, b), x -> x + 1) AS r FROM t",
    "SELECT t.a FROM t JOIN t AS u USING (a)",
    "SELECT a AS reflection_count, 'execute' || ' immediate' AS s FROM t",
    "SELECT /* identifier( */ a FROM t",
    "SELECT a AS function_name, 'add jar' AS note FROM t",
]


@pytest.mark.parametrize("sql", SQL_ATTACKS + LOADING)
def test_every_written_form_is_refused_before_it_is_sent(sql: str) -> None:
    assert refuses_java_calls(sql)


@pytest.mark.parametrize("sql", NOT_JAVA)
def test_ordinary_queries_are_not_refused(sql: str) -> None:
    assert not refuses_java_calls(sql)


def test_a_plan_is_read_string_by_string() -> None:
    pytest.importorskip("pyspark.sql.connect.proto")
    from pyspark.sql.connect import proto

    plan = proto.Plan()
    plan.root.sql.query = "EXECUTE/**/IMMEDIATE 'SELECT ref' || 'lect(1)'"
    assert plan_refused(plan)
    plan.root.sql.query = "SELECT 1"
    assert not plan_refused(plan)


def test_a_data_value_naming_a_java_call_is_not_refused() -> None:
    pytest.importorskip("pyspark.sql.connect.proto")
    import pyarrow as pa
    from pyspark.sql.connect import proto

    rows = pa.table({"word": ["reflect", "see reflect()", "java_method"]})
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, rows.schema) as writer:
        writer.write_table(rows)
    plan = proto.Plan()
    plan.root.project.input.local_relation.data = sink.getvalue().to_pybytes()
    plan.root.project.input.local_relation.schema = "word STRING"
    plan.root.project.expressions.add().unresolved_attribute.unparsed_identifier = "word"
    assert b"reflect" in plan.SerializeToString()  # the rows are in the plan, as Arrow bytes
    assert not plan_refused(plan)
    plan.root.project.expressions.add().unresolved_function.function_name = "reflect"
    assert plan_refused(plan)  # a function of that name still is


TABLE_AND_CASE = """
[cards.tables]
t = "a INTEGER, b INTEGER"
[[cards.cases]]
name = "one"
[cards.cases.data]
t = "a,b\\n1,2\\n"
"""
DECK = f"""
[deck]
id = "java-calls"
title = "Java calls"
round = "pyspark"

[[cards]]
id = "same"
type = "pyspark"
title = "the table as it is"
prompt = "return t"
function = "same"
solution = "def same(t):\\n    return t.select('a', 'b')\\n"
{TABLE_AND_CASE}
[[cards]]
id = "query"
type = "sql"
title = "the table as it is"
prompt = "return t"
solution = "SELECT a, b FROM t"
{TABLE_AND_CASE}"""


@pytest.fixture(scope="module")
def spark(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Config]]:
    from prepdeck.checkers.spark import service
    from prepdeck.core.trust import trust

    home = tmp_path_factory.mktemp("java-calls")
    (home / "decks").mkdir()
    (home / "decks" / "java-calls.toml").write_text(DECK, encoding="utf-8")
    trust(home / "decks" / "java-calls.toml", home)
    cfg = Config(path=home / "config.toml")
    cfg.spark.time_limit_s = 60.0
    svc = service(cfg)
    svc.start()
    yield home, cfg
    svc.stop()


def _card(home: Path, card_id: str):
    from prepdeck.decks.loader import load_decks

    card = load_decks([home / "decks"]).card(f"java-calls/{card_id}")
    assert card is not None
    return card


@pytest.mark.slow
@pytest.mark.spark
def test_the_server_itself_refuses_java_calls_however_they_reach_it(spark) -> None:
    """Straight to the local server, past every client-side check: Spark's analyser refuses them (restricted
    mode and an allow list no method matches, both static), and System.exit does not stop it."""
    from pyspark.sql import SparkSession

    from prepdeck.checkers.spark import service

    _, cfg = spark
    svc = service(cfg)
    session = SparkSession.builder.remote(svc.url).create()
    try:
        session.createDataFrame([(1, 2)], "a INT, b INT").createOrReplaceTempView("t")
        built = "EXECUTE IMMEDIATE 'SELECT ref' || 'lect(''java.util.UUID'', ''randomUUID'') AS r'"
        for sql in [*SQL_ATTACKS, built, "SELECT reflect('java.lang.System', 'exit', 0)"]:
            with pytest.raises(Exception) as refused:
                session.sql(sql).collect()
            message = str(refused.value)
            assert "RESTRICTED" in message or "METHOD_NOT_ALLOWED" in message, (sql, message[:400])
        with pytest.raises(Exception, match=r"RESTRICTED|CANNOT_MODIFY|static"):
            session.conf.set("spark.sql.restrictedMode.enabled", "false")  # a session cannot lift it
        assert session.sql("SELECT a + b AS s FROM t").collect()[0]["s"] == 3  # alive, and ordinary SQL runs
    finally:
        session.stop()
    assert svc.ready


@pytest.mark.slow
@pytest.mark.spark
@pytest.mark.parametrize("sql", SQL_ATTACKS)
def test_spark_sql_answers_with_java_calls_are_refused(spark, sql: str) -> None:
    from prepdeck.checkers.sql import check_sql

    home, cfg = spark
    result = check_sql(_card(home, "query"), sql, "spark", cfg)
    assert not result.passed and result.error == JAVA_CALLS_REFUSED, result.to_json()


@pytest.mark.slow
@pytest.mark.spark
def test_pyspark_answers_that_build_java_calls_at_run_time_are_refused(spark) -> None:
    from prepdeck.checkers.spark import check_pyspark_answers, service

    home, cfg = spark
    answers = {
        "call_function": """
            from pyspark.sql import functions as F
            def same(t):
                name = "ref" + "lect"
                return t.select(F.call_function(name, F.lit("java.util.UUID"), F.lit("randomUUID")).alias("a"))
            """,
        "expr": """
            from pyspark.sql import functions as F
            def same(t):
                return t.select(F.expr("IDENTIFIER/**/('java_' || 'method')('java.util.UUID', 'randomUUID')"))
            """,
        "execute immediate": """
            def same(t):
                q = "EXECUTE/**/IMMEDIATE 'SELECT ref' || 'lect(''java.util.UUID'', ''randomUUID'') AS a'"
                return spark.sql(q)
            """,
        "add jar": """
            def same(t):
                spark.sql("ADD JAR '/tmp/prepdeck-no-such.jar'")
                return t
            """,
        "chr": """
            def same(t):
                t.createOrReplaceTempView("t")
                q = "".join(map(chr, [106, 97, 118, 97, 95, 109, 101, 116, 104, 111, 100]))
                return spark.sql(f"SELECT {q}('java.util.UUID', 'randomUUID') AS a FROM t")
            """,
    }
    card = _card(home, "same")
    results = check_pyspark_answers(card, [(k, textwrap.dedent(v)) for k, v in answers.items()], cfg)
    for (name, _), result in zip(answers.items(), results, strict=True):
        shown = " ".join(filter(None, [result.error, *(c.error or "" for c in result.cases)]))
        assert not result.passed, name
        assert "JavaCallRefused" in shown or "reflect()/java_method()" in shown or "RESTRICTED" in shown, (
            name,
            result.to_json(),
        )
    good = check_pyspark_answers(card, [("good", "def same(t):\n    return t.select('a', 'b')\n")], cfg)
    assert good[0].passed, good[0].to_json()  # the guard refuses only Java calls
    assert service(cfg).ready
