"""The built-in SQL exercise deck, judged for real: every solution passes every case on DuckDB, and every
known-wrong answer (tests/fixtures/sql_wrong_answers.toml) fails at least one *hidden* case.

The wrong answers are the mistakes each pattern invites (ROW_NUMBER where ties must be kept, NOT IN over a
NULL, a ROWS frame where calendar days are meant, a missing tie-break, an INNER join that drops empty
groups…). If one of them starts passing, a hidden case no longer guards its pattern.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from prepdeck.checkers.sql import check_sql
from prepdeck.decks.loader import load_deck_file
from prepdeck.decks.model import Card, Deck

ROOT = Path(__file__).resolve().parent.parent
DECK_PATH = ROOT / "decks" / "sql-exercises.toml"
WRONG_PATH = Path(__file__).resolve().parent / "fixtures" / "sql_wrong_answers.toml"
MIN_CARDS = 32


def _load_deck() -> Deck:
    deck, problems = load_deck_file(DECK_PATH, builtin=True)
    assert not problems, "\n".join(str(p) for p in problems)
    assert deck is not None
    return deck


DECK = _load_deck()
CARDS = {card.id: card for card in DECK.cards}
_FIXTURE = tomllib.loads(WRONG_PATH.read_text(encoding="utf-8"))
WRONG: list[dict] = _FIXTURE["wrong"]
RIGHT: list[dict] = _FIXTURE["right"]  # correct answers written another way, often in another dialect


def _summary(result) -> str:
    lines = [f"error: {result.error}"] if result.error else []
    for case in result.cases:
        if not case.passed:
            lines.append(f"  {case.name} (hidden={case.hidden}): {case.error or case.message}")
    return "\n".join(lines)


def test_deck_identity_and_size() -> None:
    assert DECK.id == "sql-exercises"
    assert DECK.round == "sql"
    assert len(DECK.cards) >= MIN_CARDS
    assert all(card.type == "sql" for card in DECK.cards)


@pytest.mark.parametrize("card", DECK.cards, ids=lambda c: c.id)
def test_card_shape(card: Card) -> None:
    visible = [c for c in card.cases if not c.hidden]
    hidden = [c for c in card.cases if c.hidden]
    assert len(visible) >= 1, "needs a visible case"
    assert len(hidden) >= 2, "needs at least two hidden cases"
    assert card.answer and "```sql" in card.answer, "the answer shows a model query"
    assert card.tags, "tags"
    assert card.tables, "tables"
    for case in card.cases:
        for table, csv_text in case.data.items():
            assert table in card.tables, f"case '{case.name}' fills unknown table {table}"
            rows = [line for line in csv_text.strip().splitlines()[1:] if line.strip()]
            assert len(rows) <= 15, f"case '{case.name}' table {table}: keep case data small"


@pytest.mark.parametrize("card", DECK.cards, ids=lambda c: c.id)
def test_solution_passes_every_case(card: Card) -> None:
    result = check_sql(card, card.solution, dialect=card.dialect)
    assert result.passed, _summary(result)
    assert len(result.cases) == len(card.cases)


def test_every_card_has_wrong_answers_and_every_wrong_answer_has_a_card() -> None:
    covered = {w["card"] for w in WRONG}
    assert set(CARDS) <= covered, f"cards without a known-wrong answer: {sorted(set(CARDS) - covered)}"
    assert covered <= set(CARDS), f"wrong answers for unknown cards: {sorted(covered - set(CARDS))}"
    assert {r["card"] for r in RIGHT} <= set(CARDS)


@pytest.mark.parametrize("wrong", WRONG, ids=lambda w: f"{w['card']}: {w['why']}")
def test_wrong_answer_fails_a_hidden_case(wrong: dict) -> None:
    card = CARDS[wrong["card"]]
    result = check_sql(card, wrong["sql"], dialect=wrong.get("dialect", "duckdb"))
    assert result.error is None, f"the wrong answer should run and be wrong, not crash: {result.error}"
    assert not result.passed
    failed_hidden = [c.name for c in result.cases if c.hidden and not c.passed]
    assert failed_hidden, "only visible cases catch this mistake; a hidden case should too"


@pytest.mark.parametrize("right", RIGHT, ids=lambda r: f"{r['card']}: {r['why']}")
def test_alternative_correct_answer_passes(right: dict) -> None:
    result = check_sql(CARDS[right["card"]], right["sql"], dialect=right.get("dialect", "duckdb"))
    assert result.passed, _summary(result)


def test_reference_solutions_in_other_dialects_are_exercised() -> None:
    dialects = {card.dialect for card in DECK.cards}
    assert {"bigquery", "postgres"} <= dialects
