"""A synthetic learner drawn from FSRS-6, for the interview plan's simulation test and benchmark.

The learner has its own *true* memory model (FSRS-6 with known parameters that differ from the defaults
prepdeck schedules with), answers each card Good with its true probability of recall and Again otherwise,
and takes a fixed number of seconds per card type. Every answer goes through the real `Scheduling` on a
real SQLite file, so the plan is tested on exactly what the app would do, day after day.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from pathlib import Path

import fsrs

from prepdeck.core.config import Config
from prepdeck.core.plan import PlanSettings, build_plan, noon
from prepdeck.core.scheduler import AGAIN, GOOD, Scheduling
from prepdeck.core.store import Store
from prepdeck.decks.model import Card, Deck, DeckSet

# the learner's true memory: FSRS-6 defaults with a weaker start (lower initial stabilities) and faster
# forgetting growth, so the scheduler's model is wrong in the direction that hurts
TRUE_PARAMETERS = list(fsrs.scheduler.DEFAULT_PARAMETERS)
for _i in range(4):
    TRUE_PARAMETERS[_i] *= 0.8
TRUE_PARAMETERS[8] -= 0.1

ROUND_TYPES = {"sql": "sql", "pyspark": "pyspark", "design": "design", "behavioral": "star"}
SECONDS = {"sql": 30.0, "pyspark": 35.0, "design": 40.0, "star": 30.0}


def learner_decks(per_round: int = 75) -> DeckSet:
    decks = []
    for round_name, card_type in ROUND_TYPES.items():
        cards = tuple(
            Card(
                deck_id=round_name,
                id=f"c{i:03d}",
                type=card_type,
                title=f"{round_name} {i}",
                prompt="Q?",
                answer="A.",
            )
            for i in range(per_round)
        )
        decks.append(Deck(id=round_name, title=round_name, round=round_name, cards=cards))  # type: ignore[arg-type]
    return DeckSet(decks=decks)


@dataclass
class Outcome:
    mean_true_recall: float  # the learner's true probability of recall on the date, over every card
    max_day_minutes: float
    budget_minutes: float
    days_over_budget: int  # days that took more than the budget + 10 %
    cards_seen_twice: int  # cards answered on at least two different days before the date
    cards: int
    reviews: int
    daily_minutes: list[float] = field(default_factory=list)
    daily_reviews: list[int] = field(default_factory=list)  # every answer, learning steps included
    daily_due_reviews: list[int] = field(default_factory=list)  # answers to cards in the review state
    daily_new: list[int] = field(default_factory=list)  # new cards introduced


class Learner:
    def __init__(self, db: Path, decks: DeckSet, start: dt.date, seed: int = 7):
        self.clock = [noon(start)]
        self.store = Store.open(db)
        config = Config()
        config.review.new_per_day = 20
        config.review.reviews_per_day = 9999
        self.scheduling = Scheduling(self.store, decks, config, clock=lambda: self.clock[0], tz=dt.UTC)
        self.decks = decks
        self.truth = fsrs.Scheduler(parameters=TRUE_PARAMETERS, enable_fuzzing=False)
        self.memory: dict[str, fsrs.Card] = {}
        self.answers: dict[str, int] = {}
        self.days_seen: dict[str, set[dt.date]] = {}
        self.seed = seed
        self.reviews = 0
        self.review_state_answers = 0  # answers to cards in the review state (not new, not (re)learning)
        self.new_cards = 0

    def close(self) -> None:
        self.store.close()

    def answer(self, card: Card, at: dt.datetime) -> float:
        """One answer at `at`: Good with the true recall probability, else Again; returns the seconds spent."""
        memory = self.memory.get(card.global_id)
        if memory is None:
            rating = GOOD  # a first sight of a card is learning it, not recalling it
            memory = fsrs.Card(card_id=1, due=at)
        else:
            recall = self.truth.get_card_retrievability(memory, at)
            rating = GOOD if self.luck(card) < recall else AGAIN
        self.memory[card.global_id], _ = self.truth.review_card(
            memory, fsrs.Rating(rating), review_datetime=at
        )
        seconds = SECONDS[card.type]
        before = self.scheduling.state(card.global_id)
        self.review_state_answers += before is not None and before["state"] == 2
        self.new_cards += before is None
        self.scheduling.review(card, rating, now=at, duration_ms=int(seconds * 1000))
        self.days_seen.setdefault(card.global_id, set()).add(at.date())
        self.answers[card.global_id] = self.answers.get(card.global_id, 0) + 1
        self.reviews += 1
        return seconds

    def luck(self, card: Card) -> float:
        """The uniform draw the card's next answer is judged by: one per card and answer, not one stream, so two
        runs that schedule differently (balanced or not) still give each card the same luck, and what differs
        between them is the scheduler, not the dice."""
        count = self.answers.get(card.global_id, 0)
        return random.Random(f"{self.seed}:{card.global_id}:{count}").random()

    def study(self, cards: list[Card], day: dt.date) -> float:
        """Answer these cards on `day`, then every learning step that falls due the same day."""
        at = noon(day) - dt.timedelta(hours=3)
        spent = 0.0
        for card in cards:
            self.clock[0] = at
            spent += self.answer(card, at)
            at += dt.timedelta(seconds=SECONDS[card.type])
        end = noon(day) + dt.timedelta(hours=10)
        while True:
            self.clock[0] = at
            due = [c for c in self.scheduling.queue(now=at + dt.timedelta(hours=1)) if self._learning(c)]
            if not due or at > end:
                return spent
            card = due[0]
            state = self.scheduling.state(card.global_id)
            assert state is not None
            at = max(at, dt.datetime.fromisoformat(state["due"]))
            spent += self.answer(card, at)
            at += dt.timedelta(seconds=SECONDS[card.type])

    def _learning(self, card: Card) -> bool:
        state = self.scheduling.state(card.global_id)
        return state is not None and state["state"] != 2

    def true_recall_on(self, date: dt.date) -> float:
        moment = noon(date)
        values = [
            self.truth.get_card_retrievability(self.memory[c.global_id], moment)
            if c.global_id in self.memory
            else 0.0
            for c in self.decks.all_cards()
        ]
        return sum(values) / len(values)

    def outcome(self, date: dt.date, budget: float, daily: list[float]) -> Outcome:
        cards = list(self.decks.all_cards())
        return Outcome(
            mean_true_recall=round(self.true_recall_on(date), 4),
            max_day_minutes=round(max(daily, default=0.0), 1),
            budget_minutes=budget,
            days_over_budget=sum(m > budget * 1.10 for m in daily),
            cards_seen_twice=sum(len(self.days_seen.get(c.global_id, ())) >= 2 for c in cards),
            cards=len(cards),
            reviews=self.reviews,
            daily_minutes=daily,
        )


def run_with_plan(
    db: Path, start: dt.date, days: int = 45, minutes: float = 30.0, per_round: int = 75
) -> Outcome:
    """Follow the plan: each morning the plan is rebuilt from the log, and the day's planned cards done."""
    decks = learner_decks(per_round)
    date = start + dt.timedelta(days=days)
    settings = PlanSettings(date=date, minutes_per_day=minutes)
    learner = Learner(db, decks, start)
    daily: list[float] = []
    try:
        for offset in range(days):
            day = start + dt.timedelta(days=offset)
            learner.clock[0] = noon(day) - dt.timedelta(hours=4)
            plan = build_plan(learner.scheduling.plan_cards(settings.rounds), settings, day)
            today = plan.day(day)
            cards = [decks.card(card_id) for card_id in (today.card_ids if today else [])]
            daily.append(learner.study([c for c in cards if c is not None], day) / 60)
        return learner.outcome(date, minutes, daily)
    finally:
        learner.close()


def run_without_plan(
    db: Path,
    start: dt.date,
    days: int = 45,
    minutes: float = 30.0,
    per_round: int = 75,
    *,
    new_per_day: int = 20,
    load_balance: bool = False,
    seed: int = 7,
) -> Outcome:
    """The same learner on the deck retention alone: each day's queue done whole."""
    decks = learner_decks(per_round)
    learner = Learner(db, decks, start, seed=seed)
    learner.scheduling.config.review.new_per_day = new_per_day
    learner.scheduling.config.review.load_balance = load_balance
    daily: list[float] = []
    counts: list[int] = []
    due_counts: list[int] = []
    new: list[int] = []
    try:
        for offset in range(days):
            day = start + dt.timedelta(days=offset)
            learner.clock[0] = noon(day) - dt.timedelta(hours=4)
            queue = [c for c in learner.scheduling.queue() if not learner._learning(c)]
            before = learner.reviews, learner.review_state_answers, learner.new_cards
            daily.append(learner.study(queue, day) / 60)
            counts.append(learner.reviews - before[0])
            due_counts.append(learner.review_state_answers - before[1])
            new.append(learner.new_cards - before[2])
        outcome = learner.outcome(start + dt.timedelta(days=days), minutes, daily)
        outcome.daily_reviews = counts
        outcome.daily_due_reviews = due_counts
        outcome.daily_new = new
        return outcome
    finally:
        learner.close()
