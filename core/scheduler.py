"""FSRS-6 scheduling on top of the review log: what is due, today's queue, counts, the plan's inputs.

The review log is the source of truth (core/review_log.py owns its statements); `card_state` caches each
reviewed card's FSRS state. One review is one pure step (core/transition.py): fsrs runs without its own
random fuzz and the interval fuzz is seeded by the card and its review count (as Anki seeds it), so the
buttons show the interval a rating will really give, and `rebuild()` reproduces `card_state` exactly.

Cards in the review state fall due at the start of a local day (`day_starts_at_hour`), so "due"
means "due today", as in Anki, and the morning's queue holds the whole day's reviews.
"""

from __future__ import annotations

import bisect
import datetime as dt
import heapq
import json
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import fsrs

from prepdeck.core import review_log
from prepdeck.core.balance import (
    ADVANCE_DAYS,
    INTAKE_DAYS,
    DayLoad,
    Movable,
    balanced_interval,
    new_card_intake,
    reviews_to_advance,
    settled_load,
)
from prepdeck.core.config import WEEKDAYS, Config
from prepdeck.core.days import DayClock
from prepdeck.core.fsrs6 import Fsrs6
from prepdeck.core.intervals import format_interval, fuzz_range, parse_steps
from prepdeck.core.optimizer import MIN_REVIEWS, OptimizeResult
from prepdeck.core.review_log import (
    PRACTICE,
    answers_by_day,
    insert_review,
    read_state,
    read_states,
    replay_card,
    reviews_due_by_day,
    suspend_leech,
    undo_newest,
    write_state,
)
from prepdeck.core.transition import (
    AGAIN,
    EASY,
    GOOD,
    HARD,
    LEARNING_STATE,
    RATING_NAMES,
    RELEARNING_STATE,
    REVIEW_STATE,
    STATE_NAMES,
    Balance,
    fsrs_card,
    fsrs_id_for,
    is_leech_lapse,
    parse_rating,
    transition,
)

if TYPE_CHECKING:
    from prepdeck.core.plan import PlanCard, PlanDay
from prepdeck.core.store import Review, Store, from_iso, link_evidence, to_iso, utcnow
from prepdeck.decks.model import Card, DeckSet

__all__ = [
    "AGAIN",
    "EASY",
    "GOOD",
    "HARD",
    "PRACTICE",
    "RATING_NAMES",
    "STATE_NAMES",
    "DeckCounts",
    "OptimizeResult",
    "ReviewOutcome",
    "Scheduling",
    "TodayStats",
    "format_interval",
    "fsrs_id_for",
    "parse_rating",
]

_DEFAULT_PARAMETERS: tuple[float, ...] = tuple(fsrs.scheduler.DEFAULT_PARAMETERS)
LEARN_AHEAD = dt.timedelta(minutes=20)  # a learning card due this soon is shown now rather than waited for


@dataclass(frozen=True)
class DeckCounts:
    total: int  # cards in the deck file
    due: int  # review cards due today (not suspended)
    new: int  # never reviewed and not suspended
    learning: int  # learning / relearning cards due now (within the 20-minute learn-ahead)
    suspended: int
    new_today: int = 0  # new cards today's session will introduce (what the day allows, less those done)


@dataclass(frozen=True)
class ReviewOutcome:
    review_id: int
    card_id: str
    rating: int
    due: dt.datetime
    interval: dt.timedelta
    leech: bool  # this lapse made the card a leech (it has been suspended unless it already was)
    state: str = "review"  # learning | review | relearning after the review (new: a new card practised)


@dataclass(frozen=True)
class TodayStats:
    reviewed: int
    new_seen: int
    minutes: float
    streak_days: int
    again: int = 0


class Scheduling:
    def __init__(
        self,
        store: Store,
        decks: DeckSet,
        config: Config,
        clock: Callable[[], dt.datetime] = utcnow,
        *,
        tz: dt.tzinfo | None = None,
    ):
        self.store = store
        self.decks = decks
        self.config = config
        self.clock = clock
        review = config.review
        self.days = DayClock(review.day_starts_at_hour, tz)
        self.learning_steps, problems = parse_steps(review.learning_steps, "[review].learning_steps")
        self.relearning_steps, more = parse_steps(review.relearning_steps, "[review].relearning_steps")
        for problem in problems + more:
            if problem not in config.problems:
                config.problems.append(problem)
        self.maximum_interval = max(1, int(review.maximum_interval_days))
        self._fsrs: dict[tuple[float, tuple[float, ...]], fsrs.Scheduler] = {}
        self._fsrs6: dict[tuple[float, tuple[float, ...]], Fsrs6] = {}  # the same settings, for steps
        self._retention: dict[str, float] = {}
        # deck index: built once; the DeckSet does not change under a Scheduling
        self._cards: dict[str, Card] = {}
        self._deck_order: dict[str, list[str]] = {}
        for deck in decks.decks:
            ids = [f"{deck.id}/{card.id}" for card in deck.cards]
            self._deck_order[deck.id] = ids
            self._cards.update(zip(ids, deck.cards, strict=True))
        self._position = {card_id: i for ids in self._deck_order.values() for i, card_id in enumerate(ids)}
        self._deck_round = {deck.id: deck.round for deck in decks.decks}
        # caches of what the database holds, dropped when anything else writes card_state or parameters
        # the caches below are shared by the UI thread and workers: one of them at a time
        self._lock = threading.RLock()
        self._cache_key: tuple[int, int] | None = None  # (store.data_version(), store.generation)
        self._seen: set[str] | None = None
        self._orphans: set[str] = set()  # reviewed cards no longer in any loaded deck
        self._unseen: dict[str, list[str]] | None = None  # per deck: never-reviewed card ids, in file order
        self._params: list[tuple[str, tuple[float, ...]]] | None = None

    # -- helpers ---------------------------------------------------------------------------------
    def _now(self, now: dt.datetime | None) -> dt.datetime:
        moment = now if now is not None else self.clock()
        if moment.tzinfo is None:
            raise ValueError("naive datetime: pass a UTC-aware time")
        return moment.astimezone(dt.UTC)

    @property
    def _conn(self) -> sqlite3.Connection:
        return self.store.db.conn

    def _sync(self) -> None:
        key = (self.store.data_version(), self.store.generation)
        if key != self._cache_key:
            self._seen = self._unseen = self._params = None
            self._cache_key = key

    def _seen_ids(self) -> set[str]:
        if self._seen is None:
            self._seen = {row[0] for row in self._conn.execute("SELECT card_id FROM card_state")}
            self._orphans = self._seen.difference(self._position)
        return self._seen

    def _unseen_ids(self) -> dict[str, list[str]]:
        if self._unseen is None:
            seen = self._seen_ids()
            self._unseen = {
                deck_id: [c for c in ids if c not in seen] for deck_id, ids in self._deck_order.items()
            }
        return self._unseen

    def _after_write(
        self, seen_add: str | None = None, seen_remove: str | None = None, params_changed: bool = False
    ) -> None:
        """Keep our caches right after our own commit; tell other instances to drop theirs."""
        with self._lock:
            self._update_caches(seen_add, seen_remove, params_changed)

    def _update_caches(self, seen_add: str | None, seen_remove: str | None, params_changed: bool) -> None:
        was_fresh = self._cache_key == (self.store.data_version(), self.store.generation)
        generation = self.store.note_change()
        if not was_fresh or params_changed:
            self._seen = self._unseen = self._params = None
            self._cache_key = None
            return
        assert self._cache_key is not None
        self._cache_key = (self._cache_key[0], generation)
        for card_id, step in ((seen_add, 1), (seen_remove, -1)):
            if card_id is None or self._seen is None:
                continue
            if (step == 1) == (card_id in self._seen):
                continue
            (self._seen.add if step == 1 else self._seen.discard)(card_id)
            if card_id not in self._position:  # a card from another deck set: an orphan here
                (self._orphans.add if step == 1 else self._orphans.discard)(card_id)
            unseen = self._unseen.get(card_id.partition("/")[0]) if self._unseen is not None else None
            if unseen is None or card_id not in self._position:
                continue
            if step == 1:
                unseen.remove(card_id)
            else:  # new again after an undo: back to its place in the deck's order
                bisect.insort(unseen, card_id, key=self._position.__getitem__)

    def _parameter_history(self) -> list[tuple[str, tuple[float, ...]]]:
        if self._params is None:
            rows = self._conn.execute(
                "SELECT created_at, parameters FROM fsrs_params ORDER BY created_at, id"
            )
            self._params = [(created, tuple(json.loads(params))) for created, params in rows]
        return self._params

    def parameters_at(self, moment: dt.datetime) -> tuple[float, ...]:
        """The newest optimized parameters in force at `moment` (defaults before the first optimization)."""
        history = self._parameter_history()
        current: tuple[float, ...] = _DEFAULT_PARAMETERS
        if not history:
            return current
        stamp = to_iso(moment)
        for created, params in history:
            if created > stamp:
                break
            current = params
        return current

    def retention_for(self, deck_id: str) -> float:
        retention = self._retention.get(deck_id)
        if retention is None:  # the deck set and the settings do not change under a Scheduling
            deck = self.decks.deck(deck_id)
            retention = self.config.desired_retention(deck_id, deck.desired_retention if deck else None)
            self._retention[deck_id] = retention
        return retention

    def _fsrs_for(self, deck_id: str, params: tuple[float, ...]) -> fsrs.Scheduler:
        key = (self.retention_for(deck_id), params)
        scheduler = self._fsrs.get(key)
        if scheduler is None:
            scheduler = fsrs.Scheduler(
                parameters=params,
                desired_retention=key[0],
                learning_steps=self.learning_steps,
                relearning_steps=self.relearning_steps,
                maximum_interval=self.maximum_interval,
                enable_fuzzing=False,
            )
            self._fsrs[key] = scheduler
        return scheduler

    def _fsrs6_at(self, deck_id: str, at: dt.datetime) -> Fsrs6:
        """The FSRS step of this deck's retention with the parameters in force at `at`."""
        params = self.parameters_at(at)
        key = (self.retention_for(deck_id), params)
        fsrs6 = self._fsrs6.get(key)
        if fsrs6 is None:
            fsrs6 = self._fsrs6[key] = Fsrs6(self._fsrs_for(deck_id, params))
        return fsrs6

    def _step(
        self,
        card_id: str,
        deck_id: str,
        before: dict[str, Any] | None,
        rating: int,
        at: dt.datetime,
        logged_days: int | None = None,
        balance: Balance | None = None,
    ) -> tuple[dict[str, Any], dt.timedelta]:
        """The pure FSRS step (core/transition.py) with this deck's retention and the parameters in force;
        the log's replay applies it too (review_log.Step)."""
        return transition(
            self._fsrs6_at(deck_id, at), self.days, self.maximum_interval, card_id, deck_id, before, rating, at,
            balance=balance, logged_days=logged_days,
        )  # fmt: skip

    def _balancer(self, conn: sqlite3.Connection, chosen: list[int]) -> Balance | None:
        """With `[review] load_balance`, an interval picker: the day of the card's fuzz range with the least
        load by the reviews already due there (core/balance.py). The pick is appended to `chosen`. Without the
        setting, None: the seeded fuzz alone."""
        review = self.config.review
        if not review.load_balance:
            return None
        easy = {WEEKDAYS.index(d) for d in review.easy_days}

        def pick(day: dt.date, low: int, high: int, fuzzed: int) -> int:
            targets = [day + dt.timedelta(days=n) for n in range(low, high + 1)]
            rows = reviews_due_by_day(
                conn, self.days.start_of(targets[0]), self.days.start_of(targets[-1] + dt.timedelta(days=1))
            )
            load = dict.fromkeys(targets, 0)
            for due, count in rows:
                load[self.days.day_of(from_iso(due))] += count
            best = balanced_interval(
                [load[t] for t in targets], [t.weekday() in easy for t in targets], low, high, fuzzed
            )
            chosen.append(best)
            return best

        return pick

    def _new_limit(self, at: dt.datetime, due_today: int) -> int:
        """The new cards today's session introduces: `new_per_day`, or with `[review] load_balance` fewer on a
        day heavy with reviews and more on a light one (core/balance.py), from the log of the days before alone,
        so the number is the same however often the queue is read. `due_today`: the day's review-state cards,
        done and still due."""
        review = self.config.review
        if not review.load_balance:
            return review.new_per_day
        due = min(due_today, review.reviews_per_day)
        return new_card_intake(review.new_per_day, due, self._recent_loads(at), 1 + len(self.learning_steps))

    def _recent_loads(self, at: dt.datetime) -> list[DayLoad]:
        """The studied days of the last INTAKE_DAYS before today's, oldest first."""
        today = self.days.day_of(at)
        starts = [self.days.start_of(today - dt.timedelta(days=n)) for n in range(INTAKE_DAYS, -1, -1)]
        return [
            DayLoad(
                reviews=day.get(REVIEW_STATE, 0),
                relearning=day.get(RELEARNING_STATE, 0),
                new=day.get(None, 0),
                learning=day.get(LEARNING_STATE, 0),
            )
            for day in answers_by_day(self._conn, starts)
            if day  # a day without answers does not count
        ]

    def advanced_today(self, now: dt.datetime | None = None) -> tuple[str, ...]:
        """With `[review] load_balance`: the review cards of the next days that a light day's session takes,
        each inside the fuzz range of its last review (core/balance.py reviews_to_advance). Worked out at the
        day's first look and kept in `meta`, so the session does not shift as the day's answers come in; an
        advanced card's answer is an ordinary review in the log (rebuild and sync need nothing new)."""
        at = self._now(now)
        day = self.days.day_of(at)
        cached = self.store.get_meta("advance_today")
        if cached:
            try:
                data = json.loads(cached)
                if data.get("day") == day.isoformat():
                    return tuple(data["cards"])
            except (ValueError, KeyError, TypeError):
                pass  # work it out again
        tomorrow = self.days.start_of(day + dt.timedelta(days=1))
        suspended = self.store.suspended()
        _, reviews_done = self._done_today(at)
        rows = self._conn.execute(
            "SELECT card_id FROM card_state WHERE state = ? AND due < ?", (REVIEW_STATE, to_iso(tomorrow))
        )
        due_today = sum(card_id in self._cards and card_id not in suspended for (card_id,) in rows)
        ahead = [0] * ADVANCE_DAYS
        movable: list[Movable] = []
        rows = self._conn.execute(
            "SELECT card_id, deck_id, due, stability, last_review FROM card_state "
            "WHERE state = ? AND due >= ? AND due < ?",
            (
                REVIEW_STATE,
                to_iso(tomorrow),
                to_iso(self.days.start_of(day + dt.timedelta(ADVANCE_DAYS + 1))),
            ),
        )
        for card_id, deck_id, due, stability, last_review in rows:
            distance = (self.days.day_of(from_iso(due)) - day).days
            ahead[distance - 1] += 1
            if card_id not in self._cards or card_id in suspended or not last_review:
                continue
            last = from_iso(last_review)
            # the fuzz range its last review's interval had, as transition() computes it
            ideal = self._fsrs6_at(deck_id, last).interval_days(stability)
            since = (day - self.days.day_of(last)).days
            if ideal >= 3:
                low, high = fuzz_range(ideal, self.maximum_interval)
                if low <= since and since + distance <= high:
                    movable.append(Movable(card_id, distance, since + distance))
        settled = settled_load(self._recent_loads(at))
        easy = {WEEKDAYS.index(d) for d in self.config.review.easy_days}
        cards = reviews_to_advance(
            reviews_done + due_today,
            settled[0] if settled else None,
            ahead,
            movable,
            day.weekday() in easy,
            [(day + dt.timedelta(days=n)).weekday() in easy for n in range(1, ADVANCE_DAYS + 1)],
        )
        self.store.set_meta("advance_today", json.dumps({"day": day.isoformat(), "cards": cards}))
        return tuple(cards)

    def _advanced_left(self, at: dt.datetime, deck_id: str | None, suspended: Iterable[str]) -> list[str]:
        """Today's advanced cards (of this deck) not answered yet nor suspended since."""
        skip, day = set(suspended), self.days.day_of(at)
        return [
            cid
            for cid in self.advanced_today(at)
            if cid in self._cards and cid not in skip
            and (deck_id is None or cid.partition("/")[0] == deck_id)
            and not self._reviewed_on(cid, day)
        ]  # fmt: skip

    # -- reviewing -------------------------------------------------------------------------------
    def review(
        self,
        card: Card,
        rating: int,
        *,
        kind: str = "review",
        now: dt.datetime | None = None,
        duration_ms: int | None = None,
        payload: dict[str, Any] | None = None,
    ) -> ReviewOutcome:
        """Record a rating: the review row and the new card state commit together before this returns.

        A `practice` answer (outside the schedule) is logged with the card's state and leaves it alone."""
        rating = parse_rating(rating)
        at = self._now(now)
        card_id = card.global_id
        with self.store.transaction() as conn:
            self._sync()  # parameters another process optimized apply here too
            before = read_state(conn, card_id)
            if kind == PRACTICE:
                review_id = insert_review(
                    conn, card_id, card.deck_id, at, rating, duration_ms, kind, before, before or {}, payload
                )  # fmt: skip
                return ReviewOutcome(
                    review_id=review_id,
                    card_id=card_id,
                    rating=rating,
                    due=from_iso(before["due"]) if before else at,
                    interval=dt.timedelta(0),
                    leech=False,
                    state=STATE_NAMES[before["state"]] if before else "new",
                )
            in_order = (
                before is None or before["last_review"] is None or from_iso(before["last_review"]) <= at
            )
            balanced: list[int] = []
            if in_order:
                after, interval = self._step(
                    card_id, card.deck_id, before, rating, at, balance=self._balancer(conn, balanced)
                )
            else:  # a review made elsewhere, earlier than the last one here (`grade --at`)
                after, interval = {}, dt.timedelta(0)
            leech = in_order and is_leech_lapse(self.config.review.leech_lapses, before, after)
            recorded_after = dict(after)
            if balanced:  # the replayed log must land this review on the same day
                recorded_after["balanced_days"] = balanced[0]
            if leech and suspend_leech(conn, card_id, at):
                recorded_after["leech_suspended"] = True
            review_id = insert_review(
                conn, card_id, card.deck_id, at, rating, duration_ms, kind, before,
                recorded_after if in_order else None, payload,
            )  # fmt: skip
            if in_order:
                write_state(conn, card_id, after)
            else:
                after = replay_card(conn, card_id, self._step) or {}
                interval = from_iso(review_log.state_after(conn, review_id)["due"]) - at
            link_evidence(conn, card_id, review_id)
        self._after_write(seen_add=card_id)
        return ReviewOutcome(
            review_id=review_id,
            card_id=card_id,
            rating=rating,
            due=from_iso(after["due"]),
            interval=interval,
            leech=leech,
            state=STATE_NAMES[after["state"]],
        )

    def next_intervals(self, card: Card, now: dt.datetime | None = None) -> dict[int, dt.timedelta]:
        """What each rating would give, for the buttons; nothing is written."""
        at = self._now(now)
        card_id = card.global_id
        with self._lock:
            self._sync()
            before = read_state(self._conn, card_id)
        if before and before["last_review"] and from_iso(before["last_review"]) > at:
            at = from_iso(before["last_review"])
        with self._lock:
            balance = self._balancer(self._conn, [])
            return {
                rating: self._step(card_id, card.deck_id, before, rating, at, balance=balance)[1]
                for rating in RATING_NAMES
            }

    def undo(self) -> Review | None:
        """Remove this machine's newest review and put its card back exactly as it was before it."""
        with self.store.transaction() as conn:
            undone = undo_newest(conn, self._step)
        if undone is None:
            return None
        review, gone = undone
        self._after_write(seen_remove=review.card_id if gone else None)
        return review

    def practice(
        self,
        card: Card,
        rating: int,
        *,
        now: dt.datetime | None = None,
        duration_ms: int | None = None,
        payload: dict[str, Any] | None = None,
    ) -> int:
        """Log an answer given outside the schedule: the time and rating count, the FSRS state stays."""
        outcome = self.review(card, rating, now=now, duration_ms=duration_ms, payload=payload, kind=PRACTICE)
        return outcome.review_id

    def practice_cards(
        self, what: str, value: str | None = None, now: dt.datetime | None = None, limit: int | None = 50
    ) -> list[Card]:
        """Cards to practise now, outside the schedule: `card` (value: its id), `tag`, `round`, `failures`
        (rated Again today), `weakest` (lowest predicted recall on the interview date, or today without a
        plan) and `cram` (the interview's last days: every seen card of the plan's rounds below the plan's
        target on the date, weakest first)."""
        from prepdeck.core.plan import load_settings, recall_on

        at = self._now(now)
        suspended = self.store.suspended()
        cards = [c for c in self._cards.values() if c.global_id not in suspended]
        if what == "card":
            return [c for c in cards if c.global_id == value]
        if what == "tag":
            return [c for c in cards if value in c.tags][:limit]
        if what == "round":
            return [c for c in cards if self._round_of(c) == value][:limit]
        if what == "failures":
            start, end = self.days.bounds(self.days.day_of(at))
            with self._lock:
                failed = [row[0] for row in self._conn.execute(
                    "SELECT card_id FROM reviews WHERE rating = ? AND reviewed_at >= ? AND reviewed_at < ? "
                    "GROUP BY card_id ORDER BY max(reviewed_at) DESC",
                    (AGAIN, to_iso(start), to_iso(end)),
                )]  # fmt: skip
            return [self._cards[c] for c in failed if c in self._cards and c not in suspended][:limit]
        if what not in ("weakest", "cram"):
            raise ValueError(f"unknown practice selection {what!r}")
        settings = load_settings(self.store)
        active = settings is not None and settings.last_date > self.days.day_of(at)
        day = settings.date if active and settings is not None else self.days.day_of(at)
        rounds = set(settings.rounds) if active and settings is not None else None
        ranked: list[tuple[float, Card]] = []
        for plan_card in self.plan_cards(rounds or {"sql", "pyspark", "design", "behavioral"}, at):
            if plan_card.state is None:
                continue
            recall = recall_on(plan_card.state, plan_card.scheduler, day)
            if what == "cram" and settings is not None and recall >= settings.target:
                continue
            ranked.append((recall, self._cards[plan_card.card_id]))
        ranked.sort(key=lambda item: item[0])
        return [card for _, card in ranked[:limit]]

    def _round_of(self, card: Card) -> str | None:
        deck = self.decks.deck(card.deck_id)
        return deck.round if deck else None

    def suspend(self, card_id: str, suspended: bool = True) -> None:
        self.store.set_suspended(card_id, suspended, "user")

    def state(self, card_id: str) -> dict[str, Any] | None:
        """The cached FSRS state of a reviewed card (None for a new card), for the deck browser."""
        with self._lock:
            return read_state(self._conn, card_id)

    def replay_cards(self, card_ids: Iterable[str]) -> int:
        """Recompute these cards from their log (after `prepdeck sync` brought in or took out reviews)."""
        with self.store.transaction() as conn:
            count = len(review_log.replay_cards(conn, card_ids, self._step))
        self._after_write(params_changed=True)  # cards appeared and disappeared: drop every cache
        return count

    def rebuild(self) -> int:
        """Recompute card_state from the review log; returns how many cards have a state."""
        with self.store.transaction() as conn:
            count = review_log.rebuild(conn, self._step)
        self._after_write(params_changed=True)
        return count

    # -- what is due -----------------------------------------------------------------------------
    def _due_cards(
        self,
        at: dt.datetime,
        deck_id: str | None,
        reviews: bool,
        skip: dict[str, str],
        limit: int | None = None,
    ) -> list[tuple[str, str]]:
        """(due, card_id) by due: review cards due now, or (re)learning cards due within the learn-ahead.

        Streams the due index (no sort) and stops after `limit` usable cards."""
        where = "state = ? AND due <= ?" if reviews else "state != ? AND due <= ?"
        params: tuple[Any, ...] = (REVIEW_STATE, to_iso(at if reviews else at + LEARN_AHEAD))
        if deck_id is not None:
            where, params = "deck_id = ? AND " + where, (deck_id, *params)
        cursor = self._conn.execute(f"SELECT due, card_id FROM card_state WHERE {where} ORDER BY due", params)
        found: list[tuple[str, str]] = []
        try:
            while limit is None or len(found) < limit:
                chunk = cursor.fetchmany(256 if limit is None else max(16, limit - len(found)))
                if not chunk:
                    break
                found.extend(row for row in chunk if row[1] in self._cards and row[1] not in skip)
        finally:
            cursor.close()  # an unfinished SELECT would keep its read snapshot open
        return found if limit is None else found[:limit]

    def _done_today(self, at: dt.datetime) -> tuple[int, int]:
        """(new cards introduced, review-state cards reviewed) since today's start."""
        start = to_iso(self.days.start_of(self.days.day_of(at)))
        new, reviews = self._conn.execute(
            "SELECT coalesce(sum(state_before IS NULL), 0), "
            "coalesce(sum(json_extract(state_before, '$.state') = 2), 0) FROM reviews "
            f"WHERE reviewed_at >= ? AND kind != '{PRACTICE}'",
            (start,),
        ).fetchone()
        return int(new), int(reviews)

    def counts(self, now: dt.datetime | None = None) -> dict[str, DeckCounts]:
        at = self._now(now)
        now_iso, ahead_iso = to_iso(at), to_iso(at + LEARN_AHEAD)
        due: dict[str, int] = dict.fromkeys(self._deck_order, 0)
        learning: dict[str, int] = dict.fromkeys(self._deck_order, 0)
        due_now = "due <= ? AND (state != ? OR due <= ?)"
        with self._lock:
            self._sync()
            suspended = self.store.suspended()
            unseen = self._unseen_ids()
            seen = self._seen_ids()
            plan = self.plan_today(at)  # its rounds' decks share the plan's new cards, as in queue()
            plan_new_left = max(0, plan.new - self._new_today(at, plan.rounds)) if plan else 0
            # INDEXED BY: without statistics SQLite would rather walk the whole (deck_id, due) index
            rows = self._conn.execute(
                f"SELECT deck_id, state = ?, count(*) FROM card_state INDEXED BY card_state_due "
                f"WHERE {due_now} GROUP BY 1, 2",
                (REVIEW_STATE, ahead_iso, REVIEW_STATE, now_iso),
            )
            for deck_id, is_review, count in rows:
                if deck_id in due:
                    (due if is_review else learning)[deck_id] += count
            # take back what the aggregate counted but the session never shows: suspended and removed cards
            excluded = self._conn.execute(
                f"SELECT cs.card_id, cs.deck_id, cs.state FROM suspended s CROSS JOIN card_state cs "
                f"ON cs.card_id = s.card_id WHERE {due_now}",
                (ahead_iso, REVIEW_STATE, now_iso),
            ).fetchall()
            for card_id in self._orphans - suspended.keys():
                row = self._conn.execute(
                    f"SELECT card_id, deck_id, state FROM card_state WHERE card_id = ? AND {due_now}",
                    (card_id, ahead_iso, REVIEW_STATE, now_iso),
                ).fetchone()
                excluded += [row] if row else []
            for _, deck_id, state in excluded:
                if deck_id in due:
                    (due if state == REVIEW_STATE else learning)[deck_id] -= 1
            new_done, reviews_done = self._done_today(at)
            new_limit = self.config.review.new_per_day
            if self.config.review.load_balance and self.plan_today(at) is None:  # as the queue does
                advanced = self._advanced_left(at, None, suspended)
                for card_id in advanced:
                    if card_id.partition("/")[0] in due:
                        due[card_id.partition("/")[0]] += 1
                new_limit = self._new_limit(at, reviews_done + sum(due.values()))
        new_left = max(0, new_limit - new_done)
        suspended_by_deck: dict[str, int] = {}
        suspended_unseen: dict[str, int] = {}
        for card_id in suspended:
            if card_id in self._position:
                deck_id = card_id.partition("/")[0]
                suspended_by_deck[deck_id] = suspended_by_deck.get(deck_id, 0) + 1
                if card_id not in seen:
                    suspended_unseen[deck_id] = suspended_unseen.get(deck_id, 0) + 1
        result: dict[str, DeckCounts] = {}
        for deck_id, ids in self._deck_order.items():
            new = len(unseen[deck_id]) - suspended_unseen.get(deck_id, 0)
            planned = plan is not None and self._deck_round.get(deck_id) in plan.rounds
            result[deck_id] = DeckCounts(
                total=len(ids),
                due=due[deck_id],
                new=new,
                learning=learning[deck_id],
                suspended=suspended_by_deck.get(deck_id, 0),
                new_today=min(new, plan_new_left if planned else new_left),
            )
        return result

    def new_today(self, now: dt.datetime | None = None) -> int:
        """The new cards today's session over all decks introduces: the plan's rounds share the plan's
        count, the other decks the day's limit, so no sum of the decks' `new_today` gives it."""
        session = self.queue(now=now)
        with self._lock:
            seen = self._seen_ids()
            return sum(card.global_id not in seen for card in session)

    def queue(self, deck_id: str | None = None, now: dt.datetime | None = None) -> list[Card]:
        """Today's session in order: due learning cards and reviews by due time, then new cards, then
        learning cards due within the learn-ahead (LEARN_AHEAD) by due time."""
        at = self._now(now)
        review_limit, new_limit = self.config.review.reviews_per_day, self.config.review.new_per_day
        with self._lock:
            self._sync()
            suspended = self.store.suspended()
            unseen = self._unseen_ids()
            new_done, reviews_done = self._done_today(at)
            reviews_left = max(0, review_limit - reviews_done)
            learning = self._due_cards(at, deck_id, reviews=False, skip=suspended)
            # as in Anki, a learning card due within the learn-ahead but not yet is shown ahead of its time
            # only when nothing else is left: after the new cards
            now_iso = to_iso(at)
            ahead = [self._cards[card_id] for due, card_id in learning if due > now_iso]
            learning = [(due, card_id) for due, card_id in learning if due <= now_iso]
            reviews = self._due_cards(at, deck_id, reviews=True, skip=suspended, limit=reviews_left)
            session = [self._cards[card_id] for _, card_id in heapq.merge(learning, reviews)]
            deck_ids = [deck_id] if deck_id is not None else list(self._deck_order)
            today = self.plan_today(at)
            if today is None and self.config.review.load_balance:  # with a plan, the plan paces new cards
                # a light day first takes reviews of the next days, then the new cards the rest leaves room for
                advanced = self._advanced_left(at, None, suspended)
                session.extend(
                    self._cards[cid]
                    for cid in advanced
                    if deck_id is None or cid.partition("/")[0] == deck_id
                )
                due = reviews if deck_id is None else self._due_cards(at, None, True, suspended, reviews_left)
                new_limit = self._new_limit(at, reviews_done + len(due) + len(advanced))
            new_left = max(0, new_limit - new_done)
            if today is not None:  # the interview plan sets the new cards of its rounds, and advances some
                planned = [d for d in deck_ids if self._deck_round.get(d) in today.rounds]
                deck_ids = [d for d in deck_ids if d not in planned]
                listed = {c.global_id for c in [*session, *ahead]}
                session.extend(
                    self._cards[cid]
                    for cid in today.advanced
                    if cid in self._cards and cid not in listed and cid not in suspended
                    and (deck_id is None or cid.partition("/")[0] == deck_id)
                    and not self._reviewed_on(cid, self.days.day_of(at))
                )  # fmt: skip
                fresh = [(cid for cid in unseen.get(d, ()) if cid not in suspended) for d in planned]
                plan_new_left = max(0, today.new - self._new_today(at, today.rounds))
                session.extend(self._cards[cid] for cid in _round_robin(fresh, plan_new_left))
            fresh = [(cid for cid in unseen.get(d, ()) if cid not in suspended) for d in deck_ids]
            session.extend(self._cards[cid] for cid in _round_robin(fresh, new_left))
        return session + ahead

    def plan_today(self, now: dt.datetime | None = None) -> PlanDay | None:
        """What the interview plan asks of today (None without a plan, or once its date has come).

        Worked out once a day, from the state at the day's first look, and kept in `meta`, so the session
        does not shift under the user as the day's answers come in."""
        from prepdeck.core.plan import PlanDay, build_plan, load_settings

        at = self._now(now)
        day = self.days.day_of(at)
        settings = load_settings(self.store)
        if settings is None or settings.last_date <= day:
            return None
        key = json.dumps(settings.to_json(), sort_keys=True)
        cached = self.store.get_meta("plan_today")
        if cached:
            try:
                data = json.loads(cached)
                if data.get("day") == day.isoformat() and data.get("settings") == key:
                    return PlanDay(
                        day,
                        tuple(r for r in settings.rounds if settings.date_for(r) > day),
                        int(data["new"]),
                        tuple(data["advanced"]),
                        float(data["minutes"]),
                        settings.date,
                    )
            except (ValueError, KeyError, TypeError):
                pass  # re-plan
        plan = build_plan(self.plan_cards(settings.rounds, at), settings, day)
        first = plan.day(day)
        today = PlanDay(
            day,
            tuple(
                r for r in settings.rounds if settings.date_for(r) > day
            ),  # a round whose day is over: as before
            first.new if first else 0,
            tuple(first.advanced if first else ()),
            round(first.minutes, 1) if first else 0.0,
            settings.date,
        )
        cache = {"day": day.isoformat(), "settings": key, "new": today.new, "advanced": list(today.advanced)}
        self.store.set_meta("plan_today", json.dumps({**cache, "minutes": today.minutes}))
        return today

    def _reviewed_on(self, card_id: str, day: dt.date) -> bool:
        start, end = self.days.bounds(day)
        row = self._conn.execute(
            f"SELECT 1 FROM reviews WHERE card_id = ? AND reviewed_at >= ? AND reviewed_at < ? AND kind != '{PRACTICE}'",
            (card_id, to_iso(start), to_iso(end)),
        ).fetchone()
        return row is not None

    def _new_today(self, at: dt.datetime, rounds: tuple[str, ...]) -> int:
        """New cards of these rounds introduced since today's start."""
        start = to_iso(self.days.start_of(self.days.day_of(at)))
        rows = self._conn.execute(
            f"SELECT deck_id, count(*) FROM reviews WHERE reviewed_at >= ? AND state_before IS NULL "
            f"AND kind != '{PRACTICE}' GROUP BY deck_id",
            (start,),
        )
        return sum(n for deck, n in rows if self._deck_round.get(deck) in rounds)

    # -- the interview plan ----------------------------------------------------------------------
    def seconds_by_type(self, now: dt.datetime | None = None, days: int = 90) -> dict[str, float]:
        """The median seconds this user spends on a card of each type (recent answers; ≥ 5 of a type)."""
        from statistics import median

        from prepdeck.core.plan import DEFAULT_SECONDS

        since = to_iso(self._now(now) - dt.timedelta(days=days))
        with self._lock:
            rows = self._conn.execute(
                "SELECT card_id, duration_ms FROM reviews WHERE reviewed_at >= ? AND duration_ms > 0",
                (since,),
            ).fetchall()
        samples: dict[str, list[float]] = {}
        for card_id, duration_ms in rows:
            card = self._cards.get(card_id)
            if card is not None:
                samples.setdefault(card.type, []).append(duration_ms / 1000)
        measured = {kind: median(values) for kind, values in samples.items() if len(values) >= 5}
        return {**DEFAULT_SECONDS, **measured}

    def plan_cards(self, rounds: Iterable[str], now: dt.datetime | None = None) -> list[PlanCard]:
        """Every card of these rounds' decks that is not suspended, with its FSRS state, for the planner;
        new cards in the order a session would introduce them (one deck after another in turn)."""
        from prepdeck.core.plan import PlanCard

        at = self._now(now)
        wanted = set(rounds)
        seconds = self.seconds_by_type(at)
        params = self.parameters_at(at)
        with self._lock:
            self._sync()
            suspended = self.store.suspended()
            states = read_states(self._conn)
        known: list[PlanCard] = []
        fresh: list[list[PlanCard]] = []
        for deck in self.decks.decks:
            if deck.round not in wanted:
                continue
            scheduler = self._fsrs_for(deck.id, params)
            unseen: list[PlanCard] = []
            for card in deck.cards:
                if card.global_id in suspended:
                    continue
                plan_card = PlanCard(card.global_id, deck.round, seconds[card.type], scheduler)
                state = states.get(card.global_id)
                if state is None:
                    unseen.append(plan_card)
                    continue
                plan_card.state = fsrs_card(state)
                plan_card.due_day = self.days.day_of(from_iso(state["due"]))
                known.append(plan_card)
            fresh.append(unseen)
        by_id = {c.card_id: c for group in fresh for c in group}
        order = _round_robin([iter([c.card_id for c in group]) for group in fresh], len(by_id))
        return known + [by_id[card_id] for card_id in order]

    def today_day(self, now: dt.datetime | None = None) -> dt.date:
        return self.days.day_of(self._now(now))

    # -- statistics ------------------------------------------------------------------------------
    def today(self, now: dt.datetime | None = None) -> TodayStats:
        at = self._now(now)
        today = self.days.day_of(at)
        start, end = self.days.bounds(today)
        with self._lock:
            count, new, again, total_ms = self._conn.execute(
                "SELECT count(*), coalesce(sum(state_before IS NULL), 0), coalesce(sum(rating = 1), 0), "
                "coalesce(sum(duration_ms), 0) FROM reviews WHERE reviewed_at >= ? AND reviewed_at < ?",
                (to_iso(start), to_iso(end)),
            ).fetchone()
            streak = self._streak(today if count else today - dt.timedelta(days=1))
        return TodayStats(
            reviewed=count, new_seen=new, minutes=round(total_ms / 60000, 1), streak_days=streak, again=again
        )

    def _streak(self, day: dt.date) -> int:
        streak = 0
        while True:
            start, end = self.days.bounds(day)
            hit = self._conn.execute(
                "SELECT 1 FROM reviews WHERE reviewed_at >= ? AND reviewed_at < ? LIMIT 1",
                (to_iso(start), to_iso(end)),
            ).fetchone()
            if not hit:
                return streak
            streak += 1
            day -= dt.timedelta(days=1)

    def heatmap(self, weeks: int = 12, now: dt.datetime | None = None) -> dict[dt.date, int]:
        """Reviews per local day for the last `weeks` weeks, oldest first, today last; every day present."""
        today = self.days.day_of(self._now(now))
        first = today - dt.timedelta(days=weeks * 7 - 1)
        days = [first + dt.timedelta(days=i) for i in range(weeks * 7)]
        # one indexed range count per local day: exact across DST and half-hour zones, and no rows to parse
        with self._lock:
            return {
                day: self._conn.execute(
                    "SELECT count(*) FROM reviews WHERE reviewed_at >= ? AND reviewed_at < ?",
                    tuple(to_iso(b) for b in self.days.bounds(day)),
                ).fetchone()[0]
                for day in days
            }

    # -- optimization ----------------------------------------------------------------------------
    def optimize(self) -> OptimizeResult:
        """Fit FSRS parameters to this user's log; keep them only if they predict it better."""
        from prepdeck.core.optimizer import fit, training_items

        with self._lock:
            self._sync()
            count = self.store.review_count()
            current = list(self.parameters_at(self._now(None)))
            if count < MIN_REVIEWS:
                return OptimizeResult(
                    optimized=False,
                    review_count=count,
                    needed=MIN_REVIEWS - count,
                    parameters=current,
                    message=f"optimization needs at least {MIN_REVIEWS} reviews; you have {count} "
                    f"({MIN_REVIEWS - count} more to go) — the default parameters stay in use",
                )
            rows = self._conn.execute(
                "SELECT card_id, reviewed_at, rating FROM reviews ORDER BY card_id, reviewed_at, id"
            ).fetchall()
        items = training_items(rows, self.days)
        try:
            fitted, before, after = fit(items, current)
        except Exception as exc:  # fsrs-rs refuses too little long-term data with an error of its own
            return OptimizeResult(
                optimized=False,
                review_count=count,
                parameters=current,
                items=len(items),
                message=f"could not fit parameters to {len(items)} training items: {exc}",
            )
        common: dict[str, Any] = {
            "review_count": count,
            "items": len(items),
            "log_loss_before": before[0],
            "log_loss_after": after[0],
            "rmse_before": before[1],
            "rmse_after": after[1],
        }
        if after[0] >= before[0]:
            return OptimizeResult(
                optimized=False,
                parameters=current,
                **common,
                message=f"your current parameters already fit your {count} reviews "
                f"(log loss {before[0]:.4f}; fitted {after[0]:.4f}); kept them",
            )
        fsrs.Scheduler(parameters=fitted)  # validates the bounds before anything is stored
        with self.store.transaction() as conn:
            conn.execute(
                "INSERT INTO fsrs_params (created_at, parameters, review_count) VALUES (?, ?, ?)",
                (to_iso(self._now(None)), json.dumps(fitted), count),
            )
        self._after_write(params_changed=True)
        return OptimizeResult(
            optimized=True,
            parameters=fitted,
            **common,
            message=f"fitted FSRS parameters to {count} reviews: log loss "
            f"{before[0]:.4f} → {after[0]:.4f}, RMSE {before[1]:.4f} → {after[1]:.4f}; "
            "they apply from your next review",
        )


def _round_robin(sources: Iterable[Iterator[str]], limit: int) -> Iterator[str]:
    """Take one from each deck in turn, so a session mixes rounds instead of draining one deck first."""
    active = list(sources)
    taken = 0
    while active and taken < limit:
        still: list[Iterator[str]] = []
        for source in active:
            if taken >= limit:
                break
            item = next(source, None)
            if item is not None:
                yield item
                taken += 1
                still.append(source)
        active = still
