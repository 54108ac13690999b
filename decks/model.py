"""The in-memory form of a deck file (docs/deck-format.md). Everything else reads these."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from prepdeck.decks.text import truncate, visible

Round = Literal["sql", "pyspark", "design", "behavioral"]
CardType = Literal["recall", "sql", "pyspark", "python", "design", "star"]
ROUNDS: tuple[str, ...] = ("sql", "pyspark", "design", "behavioral")
CARD_TYPES: tuple[str, ...] = ("recall", "sql", "pyspark", "python", "design", "star")


@dataclass(frozen=True)
class Case:
    name: str
    data: dict[str, str]  # table name -> CSV text (header line first); absent table = empty
    hidden: bool = False
    expected: str | None = None  # CSV text (python cards: JSON); None = what the card's solution returns
    line: int | None = None
    args: str | None = None  # python cards: the JSON object of keyword arguments


@dataclass(frozen=True)
class NumberQuestion:
    question: str
    answer: float
    tolerance: float = 0.05  # relative
    unit: str = ""


@dataclass(frozen=True)
class Card:
    deck_id: str
    id: str
    type: CardType
    title: str
    prompt: str
    answer: str | None = None
    tags: tuple[str, ...] = ()
    # sql / pyspark
    solution: str | None = None
    dialect: str = "duckdb"
    function: str | None = None
    compare: str = "exact"  # python cards: exact | unordered | approx
    ordered: bool = False
    today: dt.datetime = dt.datetime(2026, 1, 1)  # naive = UTC
    tolerance: float = 1e-6
    tables: dict[str, str] = field(default_factory=dict)  # table name -> "col TYPE, col TYPE"
    cases: tuple[Case, ...] = ()
    # design / star
    checklist: tuple[str, ...] = ()
    numbers: tuple[NumberQuestion, ...] = ()
    target_seconds: tuple[int, int] | None = None
    competency: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # the card's `x` table
    source: Path | None = None
    line: int | None = None
    # the file as the loader read it: its real path then and the sha256 of the bytes parsed, so trust is
    # decided on the content whose code runs, not on whatever the file holds when the check starts
    source_real: Path | None = None
    source_sha256: str = ""

    @property
    def global_id(self) -> str:
        return f"{self.deck_id}/{self.id}"

    @property
    def is_code(self) -> bool:
        return self.type in ("sql", "pyspark")

    @property
    def is_spoken(self) -> bool:
        return self.type in ("star", "design")

    def speaking_target(self) -> tuple[int, int]:
        if self.target_seconds:
            return self.target_seconds
        return (90, 180) if self.type == "star" else (120, 300)


@dataclass(frozen=True)
class Deck:
    id: str
    title: str
    round: Round
    cards: tuple[Card, ...]
    description: str = ""
    desired_retention: float | None = None
    path: Path | None = None
    builtin: bool = False
    sha256: str = ""  # of the file content this deck was loaded from: trust is given to exact content
    real_path: Path | None = None  # `path` with symbolic links resolved when it was read

    def card(self, card_id: str) -> Card | None:
        return next((c for c in self.cards if c.id == card_id), None)


@dataclass(frozen=True)
class DeckProblem:
    """One problem in a deck file, printed as `PATH:LINE: message`."""

    path: Path
    line: int | None
    message: str
    card_id: str | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else f"{self.path}"
        if self.line is None and self.card_id:
            where += f": card '{self.card_id}'"
        # a downloaded file's name may hold escape codes, and a message may quote a value of megabytes
        return truncate(visible(f"{where}: {self.message}"), 1000)


@dataclass
class DeckSet:
    """Everything the loader found: the decks that loaded, and the problems of those that did not."""

    decks: list[Deck] = field(default_factory=list)
    problems: list[DeckProblem] = field(default_factory=list)
    broken: list[Path] = field(default_factory=list)  # files skipped because of problems
    skipped: list[DeckProblem] = field(default_factory=list)  # files whose deck id was already loaded

    def deck(self, deck_id: str) -> Deck | None:
        return next((d for d in self.decks if d.id == deck_id), None)

    def card(self, global_id: str) -> Card | None:
        deck_id, _, card_id = global_id.partition("/")
        deck = self.deck(deck_id)
        return deck.card(card_id) if deck else None

    def all_cards(self) -> list[Card]:
        return [c for d in self.decks for c in d.cards]

    def find(self, card_id: str) -> Card | None:
        """A card by global id (DECK/CARD), or by its bare id when exactly one deck has it."""
        if "/" in card_id:
            return self.card(card_id)
        matches = [c for c in self.all_cards() if c.id == card_id]
        return matches[0] if len(matches) == 1 else None
