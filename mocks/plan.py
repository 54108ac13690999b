"""Choosing what a mock round asks, and in which timed phases (the guide's timings, scoring/rubrics.py).

The work card is one the user has not seen recently: never seen first, then the one seen longest ago
(a review, a judge run or an earlier mock all count as seeing it); ties are broken by a seeded shuffle,
so the same seed and the same history give the same mock.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass, field

from prepdeck.decks.model import Card, DeckSet
from prepdeck.scoring.rubrics import ROUND_PHASES

MOCK_ROUNDS: tuple[str, ...] = ("sql", "pyspark", "design", "behavioral")
ROUND_CHOICES: tuple[str, ...] = (*MOCK_ROUNDS, "full")
ROUND_TITLES = {
    "sql": "SQL",
    "pyspark": "PySpark",
    "design": "System design",
    "behavioral": "Behavioral",
    "full": "Full loop",
}
BREAK_S = 5 * 60

# the card types a round's work is drawn from: the coding round is "Python/PySpark"
WORK_TYPE = {
    "sql": ("sql",),
    "pyspark": ("pyspark", "python"),
    "design": ("design",),
    "behavioral": ("star",),
}
# tags of the recall cards that make good follow-up questions, per round
FOLLOW_UP_TAGS = {
    "sql": ("guide-optimization", "performance", "cost", "partitioning", "clustering", "scale"),
    "pyspark": ("streaming", "skew", "late-data", "watermark", "state", "exactly-once"),
}
FOLLOW_UPS = 3
STORIES = 4  # the guide: three or four STAR questions in 45 minutes
NO_CARDS = {
    "sql": 'no sql cards: add a deck with type = "sql" cards, e.g. the built-in sql-exercises',
    "pyspark": 'no pyspark cards: add a deck with type = "pyspark" cards (a function judged on Spark, '
    "see deck-format.md)",
    "design": 'no design cards: add a deck with type = "design" cards, e.g. the built-in system-design',
    "behavioral": 'no star cards: add a deck with type = "star" cards, e.g. the built-in behavioral',
}


class NoCards(ValueError):
    """The round cannot run: the message says which deck to add."""


@dataclass(frozen=True)
class Prompt:
    """A follow-up question of a discussion phase, answered aloud or in writing."""

    title: str
    text: str
    reference: str | None = None  # what a strong answer says (shown after answering)
    card_id: str | None = None  # the recall card it came from


@dataclass(frozen=True)
class PlannedPhase:
    round: str
    name: str
    seconds: float
    what: str
    kind: str  # code | discussion | design | story | break
    card_id: str | None = None


@dataclass(frozen=True)
class RoundPlan:
    round: str
    cards: tuple[Card, ...]  # the work: one code or design card, or the STAR questions
    prompts: tuple[Prompt, ...]
    phases: tuple[PlannedPhase, ...]

    @property
    def card_ids(self) -> list[str]:
        return [c.global_id for c in self.cards] + [p.card_id for p in self.prompts if p.card_id]


@dataclass(frozen=True)
class MockPlan:
    round: str  # what was asked for: a round or "full"
    rounds: tuple[RoundPlan, ...]
    skipped: tuple[str, ...] = field(default=())  # full mock: rounds left out, with the reason

    @property
    def phases(self) -> list[PlannedPhase]:
        """Every phase in order; a `full` mock has a skippable break between rounds."""
        out: list[PlannedPhase] = []
        for i, plan in enumerate(self.rounds):
            if i:
                out.append(
                    PlannedPhase(
                        plan.round,
                        "break",
                        BREAK_S,
                        f"5 minutes before {ROUND_TITLES[plan.round]}; n skips",
                        "break",
                    )
                )
            out.extend(plan.phases)
        return out


def plan_mock(
    round_: str,
    decks: DeckSet,
    last_seen: dict[str, str] | None = None,
    *,
    suspended: Iterable[str] = (),
    seed: int = 0,
) -> MockPlan:
    """The cards and phases of a mock; NoCards when nothing can run (a full mock runs what it can)."""
    if round_ not in ROUND_CHOICES:
        raise ValueError(f"unknown round '{round_}' (one of {', '.join(ROUND_CHOICES)})")
    seen = last_seen or {}
    hidden = set(suspended)
    if round_ != "full":
        return MockPlan(round_, (plan_round(round_, decks, seen, hidden, seed),))
    rounds, skipped = [], []
    for name in MOCK_ROUNDS:
        try:
            rounds.append(plan_round(name, decks, seen, hidden, seed))
        except NoCards as exc:
            skipped.append(str(exc))
    if not rounds:
        raise NoCards("; ".join(skipped))
    return MockPlan("full", tuple(rounds), tuple(skipped))


def plan_round(
    round_: str, decks: DeckSet, seen: dict[str, str], suspended: set[str], seed: int
) -> RoundPlan:
    work = _least_recent([c for c in decks.all_cards() if c.type in WORK_TYPE[round_]], seen, suspended, seed)
    if not work:
        raise NoCards(NO_CARDS[round_])
    guide = ROUND_PHASES[round_]
    if round_ in ("sql", "pyspark"):
        card = work[0]
        prompts = _follow_ups(round_, card, decks, seen, suspended, seed)
        coding, talk = guide
        phases: tuple[PlannedPhase, ...] = (
            PlannedPhase(round_, coding.name, coding.minutes * 60, coding.what, "code", card.global_id),
            PlannedPhase(round_, talk.name, talk.minutes * 60, talk.what, "discussion"),
        )
        return RoundPlan(round_, (card,), prompts, phases)
    if round_ == "design":
        complete = [c for c in work if c.checklist and c.numbers]
        card = (complete or work)[0]
        phases = tuple(
            PlannedPhase(round_, p.name, p.minutes * 60, p.what, "design", card.global_id) for p in guide
        )
        return RoundPlan(round_, (card,), (), phases)
    stories = _distinct_competencies(work, STORIES)
    total = sum(p.minutes for p in guide) * 60
    each = total / len(stories)
    phases = tuple(
        PlannedPhase(round_, f"question {i + 1}", each, c.title, "story", c.global_id)
        for i, c in enumerate(stories)
    )
    return RoundPlan(round_, tuple(stories), (), phases)


def _least_recent(cards: list[Card], seen: dict[str, str], suspended: set[str], seed: int) -> list[Card]:
    """Never seen first, then longest ago; the user's suspended cards only when nothing else is left."""
    usable = [c for c in cards if c.global_id not in suspended] or cards
    order = list(usable)
    random.Random(seed).shuffle(order)
    rank = {c.global_id: i for i, c in enumerate(order)}
    return sorted(usable, key=lambda c: (seen.get(c.global_id, ""), rank[c.global_id]))


def _distinct_competencies(cards: list[Card], count: int) -> list[Card]:
    """Up to `count` cards, each a different competency where possible, in least-recent order."""
    chosen: list[Card] = []
    used: set[str] = set()
    for card in cards:
        key = card.competency or card.global_id
        if key not in used:
            chosen.append(card)
            used.add(key)
        if len(chosen) == count:
            return chosen
    for card in cards:  # not enough competencies: fill with the least recent others
        if len(chosen) == count:
            break
        if card not in chosen:
            chosen.append(card)
    return chosen


def _follow_ups(
    round_: str, card: Card, decks: DeckSet, seen: dict[str, str], suspended: set[str], seed: int
) -> tuple[Prompt, ...]:
    """The card's own scale question first, then recall cards of the round tagged for follow-ups."""
    prompts = [_scale_prompt(round_, card)]
    round_decks = {d.id for d in decks.decks if d.round == round_}
    wanted = FOLLOW_UP_TAGS[round_]
    recall = [
        c
        for c in decks.all_cards()
        if c.type == "recall" and c.deck_id in round_decks and set(c.tags) & set(wanted)
    ]
    ordered = _least_recent(recall, seen, suspended, seed)
    picked: list[Card] = []
    for tag in wanted:  # spread over topics: one per tag before any second of a tag
        if len(picked) == FOLLOW_UPS:
            break
        match = next((c for c in ordered if tag in c.tags and c not in picked), None)
        if match is not None:
            picked.append(match)
    prompts += [Prompt(c.title, c.prompt, c.answer, c.global_id) for c in picked]
    return tuple(prompts)


def _scale_prompt(round_: str, card: Card) -> Prompt:
    if round_ == "sql":
        text = (
            f"Your query for “{card.title}” now runs daily on 5 billion rows in BigQuery or Snowflake. "
            "What does it cost, what would you partition or cluster on, what would EXPLAIN show, and what "
            "would you precompute?"
        )
    else:
        text = (
            f"Your function for “{card.title}” now runs on a year of events (tens of TB) and then as a stream. "
            "Where does it shuffle, what happens with a skewed key, and how do late events and state change "
            "the design?"
        )
    return Prompt("At scale", text, card.answer, None)
