"""The built-in plain-Python exercise deck, judged for real in the sealed runner: every solution passes
every case, and every known-wrong answer (tests/fixtures/python_wrong_answers.toml) fails at least one
*hidden* case.

The wrong answers are the mistakes each exercise invites (`<` where the boundary belongs to the session,
`int()` where `floor` is meant, ties broken by input order, None treated as 0, arrival order instead of
source order…). If one of them starts passing, a hidden case no longer guards its pattern.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from prepdeck.checkers import sealed
from prepdeck.checkers.python_judge import check_python_answers
from prepdeck.core.config import Config
from prepdeck.decks.loader import load_deck_file
from prepdeck.decks.model import Card, Deck

ROOT = Path(__file__).resolve().parent.parent
DECK_PATH = ROOT / "decks" / "python-exercises.toml"
WRONG_PATH = Path(__file__).resolve().parent / "fixtures" / "python_wrong_answers.toml"


def _load_deck() -> Deck:
    deck, problems = load_deck_file(DECK_PATH, builtin=True)
    assert not problems, "\n".join(str(p) for p in problems)
    assert deck is not None
    return deck


DECK = _load_deck()
CARDS = {card.id: card for card in DECK.cards}
WRONG: list[dict] = tomllib.loads(WRONG_PATH.read_text(encoding="utf-8"))["wrong"]


@pytest.fixture(scope="module", autouse=True)
def _stop_runners() -> Iterator[None]:
    yield
    sealed.stop_all()


@pytest.fixture
def config(isolated_home: Path) -> Config:
    config = Config()
    config.path = isolated_home / "config.toml"
    return config


def _check(card: Card, sources: list[tuple[str, str]], config: Config):
    return check_python_answers(card, sources, config)


def _summary(result) -> str:
    lines = [f"error: {result.error}"] if result.error else []
    for case in result.cases:
        if not case.passed:
            lines.append(f"  {case.name} (hidden={case.hidden}): {case.error or case.message}")
    return "\n".join(lines)


def test_deck_identity_and_size() -> None:
    assert DECK.id == "python-exercises"
    assert DECK.round == "pyspark"
    assert len(DECK.cards) >= 20
    assert all(card.type == "python" for card in DECK.cards)


@pytest.mark.parametrize("card", DECK.cards, ids=lambda c: c.id)
def test_card_shape(card: Card) -> None:
    visible = [c for c in card.cases if not c.hidden]
    hidden = [c for c in card.cases if c.hidden]
    assert len(visible) >= 1, "needs a visible case"
    assert len(hidden) >= 2, "needs at least two hidden cases"
    assert visible[0].expected is not None, "the visible case states its expected value (worked by hand)"
    assert card.answer and card.tags and card.function
    assert f"def {card.function}(" in (card.solution or "")
    for case in card.cases:
        assert isinstance(json.loads(case.args or "{}"), dict)


def test_every_card_has_wrong_answers_and_every_wrong_answer_has_a_card() -> None:
    covered = {w["card"] for w in WRONG}
    assert set(CARDS) <= covered, f"cards without a known-wrong answer: {sorted(set(CARDS) - covered)}"
    assert covered <= set(CARDS), f"wrong answers for unknown cards: {sorted(covered - set(CARDS))}"


@pytest.mark.parametrize("card", DECK.cards, ids=lambda c: c.id)
def test_solution_passes_and_wrong_answers_fail_a_hidden_case(card: Card, config: Config) -> None:
    wrongs = [w for w in WRONG if w["card"] == card.id]
    solution, *results = _check(
        card, [("solution", card.solution or "")] + [(w["why"], w["source"]) for w in wrongs], config
    )
    assert solution.passed, _summary(solution)
    for wrong, result in zip(wrongs, results, strict=True):
        assert result.error is None, f"{wrong['why']}: the runner failed: {result.error}"
        failed_hidden = [c.name for c in result.cases if c.hidden and not c.passed]
        assert failed_hidden, f"{wrong['why']}: only visible cases (or none) catch this mistake"
