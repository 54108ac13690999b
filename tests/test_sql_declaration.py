"""A card's `tables` declaration is read as typed columns, never run as SQL text, and values the
engines cannot hold as written are refused when the deck loads (issue 12, items 2 and 7)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from prepdeck.checkers.sql import CardProblem, check_sql
from prepdeck.checkers.sql.declaration import parse_columns
from prepdeck.decks.loader import load_decks
from prepdeck.decks.model import Card, Case

CARD = Card(
    deck_id="decl",
    id="c",
    type="sql",
    title="t",
    prompt="",
    solution="SELECT 1",
    today=dt.datetime(2026, 1, 1),
    tables={"t": "a INTEGER"},
    cases=(Case("one", {"t": "a\n1\n"}),),
)


def test_types_are_read_and_written_back_by_sqlglot() -> None:
    columns = parse_columns(
        'a INT, "b c" DECIMAL(12,2), d TIMESTAMP WITH TIME ZONE, e STRUCT(x INT), f INT[]'
    )
    assert [(c.name, c.type) for c in columns] == [
        ("a", "INT"),
        ("b c", "DECIMAL(12, 2)"),
        ("d", "TIMESTAMPTZ"),
        ("e", "STRUCT(x INT)"),
        ("f", "INT[]"),
    ]


@pytest.mark.parametrize(
    "spec",
    [
        "a INT); COPY (SELECT 1) TO '/tmp/x'; --",
        "a INT) FROM (SELECT 1",
        "a INTEGER DEFAULT (SELECT 42)",
        "a NOSUCHTYPE",
    ],
)
def test_anything_but_a_type_is_one_line_and_never_runs(spec: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_columns(spec)
    assert str(caught.value).startswith("column 'a': ") and "\n" not in str(caught.value)
    with pytest.raises(CardProblem):
        check_sql(dataclasses.replace(CARD, tables={"t": spec}), "SELECT 1", "duckdb")


def _deck(tmp_path: Path, spec: str, csv: str) -> list[str]:
    (tmp_path / "d.toml").write_text(
        f'''
[deck]
id = "decl"
title = "t"
round = "sql"

[[cards]]
id = "c"
type = "sql"
title = "t"
prompt = "p"
solution = "SELECT 1"
[cards.tables]
t = "{spec}"
[[cards.cases]]
name = "one"
[cards.cases.data]
t = """
{csv}
"""
''',
        encoding="utf-8",
    )
    return [str(p) for p in load_decks([tmp_path]).problems]


@pytest.mark.parametrize(
    "spec,csv,message",
    [
        ("a INTEGER", "a\n99999999999", "'99999999999' does not fit in INTEGER"),
        ("a DECIMAL(3,1)", "a\n12345.67", "'12345.67' does not fit in DECIMAL(3,1)"),
        ("a DECIMAL(3,1)", "a\n1.25", "'1.25' has more than 1 decimal places"),
        ("a INT) FROM (SELECT 1", "a\n1", "is not a column type"),
    ],
)
def test_decks_check_refuses_what_the_engines_cannot_hold(
    tmp_path: Path, spec: str, csv: str, message: str
) -> None:
    problems = _deck(tmp_path, spec, csv)
    assert any(message in p for p in problems), problems


def test_values_that_fit_load(tmp_path: Path) -> None:
    assert _deck(tmp_path, "a DECIMAL(3,1), b INTEGER", "a,b\n99.9,2147483647\n-0.5,-2147483648") == []
