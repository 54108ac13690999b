"""The interview plan: from the FSRS state of every card, a day-by-day schedule that has the rounds' cards
remembered *on the interview date*, within the minutes a day the user has.

Anki schedules for "remember forever"; a candidate has a date. The plan simulates the days up to the
date with the user's own FSRS model (each planned review assumed answered Good):

- new cards are introduced at an even pace that ends early enough for each to be reviewed again before the
  date (`lead_days`), fewer on a day that is already full;
- a review falling due before the date is placed on the lightest day of its fuzz range (load balancing;
  easy days count as half a day);
- a card whose next review would fall after the date, but whose predicted recall on the date is below the
  target, is *advanced*: reviewed on the lightest day from which a Good answer still gives the target on the
  date (Anki's "Advance", done for a date);
- every figure comes from the simulated states: predicted recall on the date per round, the daily load, and
  what stands in the way when the date cannot be met with the minutes given.

The plan is recomputed from the real log every day, so a lapse today is planned around tomorrow.
Pure: no database, no clock; `Scheduling.plan_inputs()` gathers what it needs.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import fsrs

from prepdeck.core.intervals import fuzz_range
from prepdeck.core.store import Store

ROUNDS = ("sql", "pyspark", "design", "behavioral")
DEFAULT_TARGET = 0.90
# seconds one review of a card type takes when this user's own history has too few answers to tell
DEFAULT_SECONDS = {
    "recall": 25.0,
    "sql": 240.0,
    "pyspark": 300.0,
    "python": 240.0,
    "design": 420.0,
    "star": 240.0,
}
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
EASY_DAY_SHARE = 0.5  # an easy day carries half a day's work
_NOON = dt.time(12, tzinfo=dt.UTC)  # simulated reviews happen at noon: whole days apart, no DST to cross


@dataclass(frozen=True)
class PlanSettings:
    date: dt.date
    rounds: tuple[str, ...] = ROUNDS
    minutes_per_day: float = 30.0
    easy_days: tuple[str, ...] = ()
    target: float = DEFAULT_TARGET
    # a loop over several days: the day of each round that is not on `date` (which is the first day)
    round_dates: tuple[tuple[str, dt.date], ...] = ()

    def date_for(self, round_name: str) -> dt.date:
        return dict(self.round_dates).get(round_name, self.date)

    @property
    def last_date(self) -> dt.date:
        return max([self.date, *(self.date_for(r) for r in self.rounds)])

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "date": self.date.isoformat(),
            "rounds": list(self.rounds),
            "minutes_per_day": self.minutes_per_day,
            "easy_days": list(self.easy_days),
            "target": self.target,
        }
        if self.round_dates:
            data["dates"] = {r: self.date_for(r).isoformat() for r in self.rounds}
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PlanSettings:
        return cls(
            date=dt.date.fromisoformat(data["date"]),
            rounds=tuple(data.get("rounds") or ROUNDS),
            minutes_per_day=float(data.get("minutes_per_day", 30.0)),
            easy_days=tuple(data.get("easy_days") or ()),
            target=float(data.get("target", DEFAULT_TARGET)),
            round_dates=tuple(
                (r, dt.date.fromisoformat(d))
                for r, d in (data.get("dates") or {}).items()
                if d != data["date"]
            ),
        )


@dataclass
class PlanCard:
    """One card as the planner sees it: its round, the seconds a review takes, its FSRS state (None: new)."""

    card_id: str
    round: str
    seconds: float
    scheduler: fsrs.Scheduler
    state: fsrs.Card | None = None
    due_day: dt.date | None = None  # the real scheduler's due day for a card in review
    seen_before_date: int = 0  # simulated reviews from today to the date


@dataclass
class DayPlan:
    date: dt.date
    reviews: int = 0  # review answers planned (a new card's learning steps included)
    new: int = 0  # new cards introduced
    seconds: float = 0.0
    card_ids: list[str] = field(default_factory=list)  # cards reviewed that day (new ones included)
    advanced: list[str] = field(default_factory=list)  # reviewed before their FSRS due day, for the date

    @property
    def minutes(self) -> float:
        return self.seconds / 60

    def to_json(self) -> dict[str, Any]:
        return {
            "date": self.date.isoformat(),
            "reviews": self.reviews,
            "new": self.new,
            "minutes": round(self.minutes, 1),
        }


@dataclass(frozen=True)
class PlanDay:
    """What the plan asks of one day, as the review queue uses it."""

    date: dt.date
    rounds: tuple[str, ...]
    new: int  # new cards of the plan's rounds to introduce
    advanced: tuple[str, ...]  # cards to review before their FSRS due day, for the date
    minutes: float = 0.0  # the day's planned load
    interview: dt.date | None = None


@dataclass
class RoundForecast:
    round: str
    cards: int
    recall: float | None  # mean predicted recall on the date (a card never seen counts 0)
    below: int  # cards predicted below 0.8 on the date
    unseen: int  # cards the plan cannot introduce in time


@dataclass
class Plan:
    settings: PlanSettings
    today: dt.date
    days: list[DayPlan]
    forecast: dict[str, RoundForecast]
    problems: list[str] = field(default_factory=list)  # why the date cannot be met as asked
    suggestions: list[str] = field(default_factory=list)  # what would meet it

    @property
    def days_left(self) -> int:
        return (self.settings.date - self.today).days

    @property
    def feasible(self) -> bool:
        return not self.problems

    def day(self, date: dt.date) -> DayPlan | None:
        return next((d for d in self.days if d.date == date), None)


def noon(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, _NOON)


def recall_on(card: fsrs.Card | None, scheduler: fsrs.Scheduler, day: dt.date) -> float:
    """FSRS's predicted probability of recall on `day` (0 for a card never reviewed)."""
    if card is None or card.last_review is None or card.stability is None:
        return 0.0
    return scheduler.get_card_retrievability(card, noon(day))


def _answer_good(
    card: fsrs.Card | None, scheduler: fsrs.Scheduler, day: dt.date, card_id: str
) -> tuple[fsrs.Card, int]:
    """Good on `day`, through the same-day learning steps; returns the state and how many answers it took."""
    at = noon(day)
    current = card if card is not None else fsrs.Card(card_id=1, due=at)  # the id plays no part in the state
    answers = 0
    while True:
        current, _ = scheduler.review_card(current, fsrs.Rating.Good, review_datetime=at)
        answers += 1
        if current.state == fsrs.State.Review or answers >= 4:
            return current, answers
        at = max(at, current.due)


class _Ledger:
    """Seconds planned per day, and how full each day is against its capacity."""

    def __init__(self, days: Sequence[dt.date], budget_s: float, easy_days: set[int]):
        self.capacity = {d: budget_s * (EASY_DAY_SHARE if d.weekday() in easy_days else 1.0) for d in days}
        self.seconds = dict.fromkeys(days, 0.0)

    def fullness(self, day: dt.date) -> float:
        return self.seconds[day] / max(self.capacity[day], 1e-9)

    def lightest(self, candidates: Sequence[dt.date], prefer: dt.date) -> dt.date:
        return min(
            candidates, key=lambda d: (round(self.fullness(d), 6), abs((d - prefer).days), -d.toordinal())
        )


def build_plan(
    cards: Sequence[PlanCard],
    settings: PlanSettings,
    today: dt.date,
    *,
    order: Callable[[Sequence[PlanCard]], list[PlanCard]] | None = None,
) -> Plan:
    """Simulate today .. the day before the date. `cards` are the plan's rounds' cards (not suspended);
    new ones are introduced in the order given (or `order(new_cards)`)."""
    one_day = dt.timedelta(days=1)
    days = [today + dt.timedelta(days=i) for i in range(max(0, (settings.last_date - today).days))]
    plan_days = {d: DayPlan(d) for d in days}
    easy = {WEEKDAYS.index(name) for name in settings.easy_days if name in WEEKDAYS}
    ledger = _Ledger(days, settings.minutes_per_day * 60, easy)
    slots: dict[dt.date, list[PlanCard]] = {d: [] for d in days}
    problems: list[str] = []

    def place(card: PlanCard, reviewed: dt.date | None) -> None:
        """Put a card's next review on a day before the date, or leave it if it holds until then."""
        state = card.state
        assert state is not None
        date = settings.date_for(card.round)
        last = date - one_day
        if state.state != fsrs.State.Review:  # (re)learning: finish it on the first planned day
            natural = reviewed or today
            window = [natural] if natural in slots and natural <= last else []
        else:
            natural = card.due_day if reviewed is None and card.due_day is not None else _day_of(state.due)
            natural = max(natural, today)
            if natural <= last:
                if reviewed is None:  # the real scheduler already fixed this due day
                    window = [natural]
                else:
                    interval = max(1, (natural - reviewed).days)
                    low, high = fuzz_range(interval, 36500) if interval >= 3 else (interval, interval)
                    window = [
                        reviewed + dt.timedelta(days=n)
                        for n in range(low, high + 1)
                        if today <= reviewed + dt.timedelta(days=n) <= last
                    ] or [natural]
            else:
                window = []
            if not window and recall_on(state, card.scheduler, date) < settings.target:
                window = _advance_window(card, reviewed or today - one_day, last, date, settings.target)
                if window:
                    day = ledger.lightest(window, prefer=window[-1])
                    slots[day].append(card)
                    ledger.seconds[day] += card.seconds
                    plan_days[day].advanced.append(card.card_id)
                return
        if not window:
            return
        day = ledger.lightest(window, prefer=natural) if len(window) > 1 else window[0]
        slots[day].append(card)
        ledger.seconds[day] += card.seconds

    new_cards = [c for c in cards if c.state is None]
    if order is not None:
        new_cards = order(new_cards)
    for card in cards:
        if card.state is not None:
            place(card, None)

    lead = dt.timedelta(days=_lead_days(new_cards))

    def deadline(card: PlanCard) -> dt.date:
        return settings.date_for(card.round) - one_day - lead

    queue = sorted(new_cards, key=deadline)  # stable: the session's order within one deadline
    missed: list[PlanCard] = []
    for day in days:
        plan = plan_days[day]
        for card in slots[day]:
            card.state, answers = _answer_good(card.state, card.scheduler, day, card.card_id)
            card.seen_before_date += 1
            plan.reviews += answers
            plan.card_ids.append(card.card_id)
            plan.seconds += card.seconds * answers
            ledger.seconds[day] += card.seconds * (answers - 1)
            place(card, day)
        missed += [c for c in queue if settings.date_for(c.round) <= day]  # its round is over: unseen
        queue = [c for c in queue if settings.date_for(c.round) > day]
        if queue:
            quota, due_by = 0, 0
            for index, card in enumerate(queue):  # the pace the nearest deadlines need
                due_by = index + 1
                if index + 1 < len(queue) and deadline(queue[index + 1]) == deadline(card):
                    continue
                quota = max(quota, math.ceil(due_by / max(1, (deadline(card) - day).days + 1)))
            while quota > 0 and queue:
                card = queue[0]
                cost = card.seconds * 2  # the first answer and one learning step
                if ledger.seconds[day] + cost > ledger.capacity[day]:
                    break  # a full day: the pace picks it up on the next ones, or the plan says it cannot
                queue.pop(0)
                quota -= 1
                card.state, answers = _answer_good(None, card.scheduler, day, card.card_id)
                card.seen_before_date += 1
                plan.new += 1
                plan.reviews += answers
                plan.card_ids.append(card.card_id)
                plan.seconds += card.seconds * answers
                ledger.seconds[day] += card.seconds * answers
                place(card, day)

    forecast: dict[str, RoundForecast] = {}
    for round_name in settings.rounds:
        members = [c for c in cards if c.round == round_name]
        recalls = [recall_on(c.state, c.scheduler, settings.date_for(round_name)) for c in members]
        forecast[round_name] = RoundForecast(
            round=round_name,
            cards=len(members),
            recall=round(sum(recalls) / len(recalls), 4) if recalls else None,
            below=sum(r < 0.8 for r in recalls),
            unseen=sum(c.state is None for c in members),
        )

    queue += missed
    suggestions: list[str] = []
    if not days:
        problems.append("the interview date is today or past: nothing left to plan")
    budget = settings.minutes_per_day
    over = [d for d in plan_days.values() if d.minutes > ledger.capacity[d.date] / 60 * 1.10 + 1e-9]
    if queue:
        problems.append(
            f"{len(queue)} new card(s) cannot be introduced in time to be reviewed before the date"
        )
    if over:
        worst = max(over, key=lambda d: d.minutes)
        problems.append(
            f"{len(over)} day(s) need more than {budget:g} min (the heaviest, {worst.date:%a %d %b}: {worst.minutes:.0f} min)"
        )
    low = [f for f in forecast.values() if f.recall is not None and f.recall < settings.target]
    for f in low:
        problems.append(
            f"{f.round}: predicted recall on the day {f.recall:.2f}, below the target {settings.target:.2f}"
        )
    if problems and days:
        total_s = sum(d.seconds for d in plan_days.values()) + sum(c.seconds * 4 for c in queue)
        needed = math.ceil(total_s / 60 / len(days) * 1.1)
        if needed > budget:
            suggestions.append(f"give it {needed} min a day")
        if queue:
            suggestions.append(f"or leave out {len(queue)} new card(s) of the rounds' lowest-yield decks")
        if len(settings.rounds) > 1 and (queue or over):
            heavy = max(forecast.values(), key=lambda f: f.unseen)
            if heavy.unseen:
                suggestions.append(
                    f"or drop the {heavy.round} round's {heavy.unseen} unseen card(s) from the plan"
                )
    return Plan(
        settings=settings,
        today=today,
        days=[plan_days[d] for d in days],
        forecast=forecast,
        problems=problems,
        suggestions=suggestions,
    )


def _day_of(moment: dt.datetime) -> dt.date:
    return moment.astimezone(dt.UTC).date()


def _lead_days(new_cards: Sequence[PlanCard]) -> int:
    """Days before the date the last new card must be introduced so its next review still comes before it:
    the first interval a Good answer gives, plus a day."""
    if not new_cards:
        return 0
    probe = new_cards[0]
    start = dt.date(2000, 1, 3)
    state, _ = _answer_good(None, probe.scheduler, start, probe.card_id)
    return max(1, (_day_of(state.due) - start).days) + 1


def _advance_window(
    card: PlanCard, after: dt.date, last: dt.date, date: dt.date, target: float
) -> list[dt.date]:
    """The days from which one more Good answer gives the target recall on the date.

    The later the review, the higher the recall on the date, so the window runs from the earliest such day
    (found by bisection: this runs for every card, every plan) to the day before the date."""

    def holds(day: dt.date) -> bool:
        trial, _ = _answer_good(card.state, card.scheduler, day, card.card_id)
        return recall_on(trial, card.scheduler, date) >= target

    first = after + dt.timedelta(days=1)
    if first > last or not holds(last):
        return []
    low, high = first.toordinal(), last.toordinal()  # `high` holds; find the earliest day that does
    while low < high:
        middle = (low + high) // 2
        if holds(dt.date.fromordinal(middle)):
            high = middle
        else:
            low = middle + 1
    return [dt.date.fromordinal(n) for n in range(high, last.toordinal() + 1)]


def load_settings(store: Store) -> PlanSettings | None:
    """The plan the user set (`prepdeck plan --date …`), or None; a stored plan that no longer reads is None."""
    text = store.get_meta("plan")
    if not text:
        return None
    try:
        return PlanSettings.from_json(json.loads(text))
    except (ValueError, KeyError, TypeError):
        return None


def save_settings(store: Store, settings: PlanSettings | None) -> None:
    store.set_meta("plan", json.dumps(settings.to_json()) if settings is not None else "")
