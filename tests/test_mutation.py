"""The cases of every built-in judged SQL card catch wrong answers: each single-change variant of the
reference solution (benchmarks/mutation.py) that differs from it on random data drawn from the card's tables
fails at least one of the card's cases. Also checks the mutation machinery itself on a tiny card."""

from __future__ import annotations

import pytest

from benchmarks.mutation import builtin_sql_cards, random_case, score_sql_card, sql_mutants
from benchmarks.mutation_python import builtin_python_cards, python_mutants, score_python_card
from prepdeck.decks.model import Card, Case

SQL_CARDS = list(builtin_sql_cards())
PYTHON_CARDS = list(builtin_python_cards())


def test_mutants_cover_the_operators() -> None:
    sql = (
        "SELECT a, COUNT(DISTINCT b) AS n, ROW_NUMBER() OVER (ORDER BY a DESC, b ROWS BETWEEN UNBOUNDED PRECEDING "
        "AND CURRENT ROW) AS r FROM t JOIN u ON t.a = u.a AND t.b < u.b WHERE a <= 3 AND b > 1 GROUP BY a ORDER BY a"
    )
    ops = {m.operator for m in sql_mutants(sql, "duckdb")}
    for op in (
        "ASC↔DESC",
        "NULLS FIRST↔LAST",
        "→RANK",
        "→DENSE_RANK",
        "<↔<=",
        "drop conjunct 1",
        "INNER↔LEFT",
    ):
        assert op in ops, op
    assert {"DISTINCT dropped", "ROWS↔RANGE", "ORDER BY key 1 dropped", "integer literal +1"} <= ops


def test_random_data_keeps_the_promises_of_the_cases() -> None:
    card = Card(
        deck_id="d",
        id="c",
        type="sql",
        title="t",
        prompt="p",
        solution="SELECT k, v FROM t",
        tables={"t": "k VARCHAR, v INTEGER, note VARCHAR"},
        cases=(Case("one", {"t": "k,v,note\na,1,\nb,5,x\n"}),),
        extra={"mutation": {"unique": [["k"]]}},
    )
    data = random_case(card, seed=1, rows=200).data["t"].splitlines()
    rows = [line.split(",") for line in data[1:]]
    assert len(rows) > 100
    assert len({r[0] for r in rows}) == len(rows)  # the declared key stays unique
    assert all(1 <= int(r[1]) <= 5 for r in rows)  # the observed range, never NULL (the cases have none)
    assert any(r[2] == "" for r in rows)  # a column the cases leave NULL gets NULLs


def test_a_weak_card_has_a_surviving_mutant() -> None:
    weak = Card(
        deck_id="d",
        id="weak",
        type="sql",
        title="t",
        prompt="p",
        solution="SELECT k FROM t WHERE v >= 3",
        tables={"t": "k VARCHAR, v INTEGER"},
        cases=(Case("far from the boundary", {"t": "k,v\na,1\nb,5\nc,9\n"}),),
    )
    score = score_sql_card(weak)
    # every boundary mutant differs on random data, and no case sits on the boundary to catch it
    assert sorted(m.operator for m in score.survivors) == ["<↔<=", "integer literal +1", "integer literal -1"]


@pytest.mark.slow
@pytest.mark.parametrize("card", SQL_CARDS, ids=lambda c: c.global_id)
def test_every_distinguishable_mutant_fails_a_case(card: Card) -> None:
    score = score_sql_card(card)
    assert score.problem is None, score.problem
    assert [m.sql for m in score.survivors] == []


def test_python_mutants_cover_the_operators() -> None:
    source = (
        "def f(xs, k):\n"
        "    ys = [x for x in xs if x > 0]\n"
        "    if k <= 2 and ys:\n"
        "        return min(ys)\n"
        "    return sorted(ys)[:k]\n"
    )
    ops = {m.operator for m in python_mutants(source)}
    for op in ("comparison 1 boundary", "integer +1", "min↔max", "and↔or", "comprehension if dropped"):
        assert op in ops, op
    assert {"condition negated", "reverse flipped"} <= ops


@pytest.mark.slow
@pytest.mark.parametrize("card", PYTHON_CARDS, ids=lambda c: c.global_id)
def test_every_distinguishable_python_mutant_fails_a_case(card: Card) -> None:
    score = score_python_card(card)
    assert [m.source for m in score.survivors] == []


PYSPARK_SUBSET = ("top-n-with-ties", "share-of-region")  # Spark per mutant is slow: a subset runs in CI


@pytest.fixture(scope="module")
def spark_config(tmp_path_factory: pytest.TempPathFactory):
    from prepdeck.checkers.spark import service
    from prepdeck.core.config import Config

    home = tmp_path_factory.mktemp("mutation-spark")
    config = Config(path=home / "config.toml")
    svc = service(config)
    svc.start()
    yield config
    svc.stop()


@pytest.mark.slow
@pytest.mark.spark
@pytest.mark.parametrize("card_id", PYSPARK_SUBSET)
def test_pyspark_subset_mutants_fail_a_case(spark_config, card_id: str) -> None:
    from benchmarks.mutation_pyspark import score_pyspark_card
    from prepdeck.decks import BUILTIN_DECKS
    from prepdeck.decks.loader import load_decks

    card = load_decks([BUILTIN_DECKS]).card(f"pyspark-exercises/{card_id}")
    assert card is not None
    score = score_pyspark_card(card, spark_config)
    assert score.distinguishable >= 1
    assert [m.source for m in score.survivors] == []
