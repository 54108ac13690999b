"""Scheduling on a real SQLite file: FSRS intervals, lapses, leeches, undo, rebuild, limits, retention."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import random
from pathlib import Path

import pytest

from prepdeck.core.config import Config, DeckOverride
from prepdeck.core.days import DayClock
from prepdeck.core.intervals import format_interval, fuzz_days, fuzz_range, parse_step
from prepdeck.core.scheduler import AGAIN, EASY, GOOD, HARD, Scheduling, fsrs_id_for, parse_rating
from prepdeck.core.store import Store, to_iso
from prepdeck.decks.model import Card, Deck, DeckSet

T0 = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)  # a Monday, noon UTC


def make_deck(deck_id: str, n: int, retention: float | None = None) -> Deck:
    cards = tuple(
        Card(deck_id=deck_id, id=f"c{i:03d}", type="recall", title=f"Card {i}", prompt="Q?", answer="A.")
        for i in range(n)
    )
    return Deck(id=deck_id, title=deck_id.title(), round="sql", cards=cards, desired_retention=retention)


@pytest.fixture
def decks() -> DeckSet:
    return DeckSet(decks=[make_deck("alpha", 30), make_deck("beta", 10)])


@pytest.fixture
def store(tmp_path: Path):
    s = Store.open(tmp_path / "prepdeck.db")
    yield s
    s.close()


def sched(store: Store, decks: DeckSet, config: Config | None = None) -> Scheduling:
    return Scheduling(store, decks, config or Config(), clock=lambda: T0, tz=dt.UTC)


def state_rows(store: Store) -> list[tuple]:
    return store.db.execute("SELECT * FROM card_state ORDER BY card_id").fetchall()


def graduate(s: Scheduling, card: Card, at: dt.datetime) -> dt.datetime:
    """Good through the learning steps; returns when the card is next due."""
    while True:
        outcome = s.review(card, GOOD, now=at)
        if outcome.state == "review":
            return outcome.due
        at = outcome.due


def test_intervals_grow_with_repeated_good(store: Store, decks: DeckSet) -> None:
    s = sched(store, decks)
    card = decks.decks[0].cards[0]
    first = s.review(card, GOOD, now=T0)
    assert first.state == "learning" and first.interval == dt.timedelta(minutes=10)
    at = first.due
    intervals = []
    for _ in range(6):
        outcome = s.review(card, GOOD, now=at)
        assert outcome.state == "review"
        intervals.append(outcome.interval)
        at = outcome.due + dt.timedelta(hours=2)
    assert all(b > a for a, b in itertools.pairwise(intervals)), intervals
    assert intervals[-1] > dt.timedelta(days=100)
    row = s.state(card.global_id)
    assert row is not None and row["reps"] == 7 and row["lapses"] == 0
    assert row["fsrs_id"] == fsrs_id_for(card.global_id)


def test_review_cards_fall_due_at_the_start_of_a_day(store: Store, decks: DeckSet) -> None:
    s = sched(store, decks)
    due = graduate(s, decks.decks[0].cards[0], T0)
    assert (due.hour, due.minute) == (4, 0)  # day_starts_at_hour, here in UTC


def test_again_lapses_into_relearning(store: Store, decks: DeckSet) -> None:
    s = sched(store, decks)
    card = decks.decks[0].cards[0]
    due = graduate(s, card, T0)
    before = s.state(card.global_id)
    lapse = s.review(card, AGAIN, now=due + dt.timedelta(hours=1))
    assert lapse.state == "relearning"
    assert lapse.interval == dt.timedelta(minutes=10)
    after = s.state(card.global_id)
    assert after["lapses"] == before["lapses"] + 1
    assert after["stability"] < before["stability"]
    # due within the learn-ahead window: it comes back in today's queue, after the new cards (as in Anki,
    # ahead of its time only when nothing else is left); once due, before them
    queue = s.queue(now=due + dt.timedelta(hours=1, minutes=1))
    assert queue[-1] == card and queue.count(card) == 1
    assert s.queue(now=lapse.due)[0] == card
    back = s.review(card, GOOD, now=lapse.due)
    assert back.state == "review"


def test_leech_is_suspended_at_eight_lapses_and_undo_unsuspends(store: Store, decks: DeckSet) -> None:
    s = sched(store, decks)
    card = decks.decks[0].cards[0]
    at = graduate(s, card, T0)
    for lapse in range(1, 9):
        outcome = s.review(card, AGAIN, now=at)
        assert outcome.leech == (lapse == 8)
        if lapse < 8:
            at = graduate(s, card, outcome.due)
    assert store.suspended() == {card.global_id: "leech"}
    assert card not in s.queue(now=at + dt.timedelta(days=400))
    assert s.counts(now=at)["alpha"].suspended == 1
    before_undo = json.loads(
        store.db.execute("SELECT state_before FROM reviews ORDER BY id DESC").fetchone()[0]
    )
    undone = s.undo()
    assert undone is not None and undone.rating == AGAIN
    assert store.suspended() == {}
    assert s.state(card.global_id) == before_undo


def test_undo_restores_the_exact_previous_state(store: Store, decks: DeckSet) -> None:
    s = sched(store, decks)
    a, b = decks.decks[0].cards[:2]
    assert s.undo() is None
    s.review(a, GOOD, now=T0)
    s.review(b, HARD, now=T0 + dt.timedelta(minutes=1))
    snapshot = state_rows(store)
    count = store.review_count()
    s.review(a, EASY, now=T0 + dt.timedelta(minutes=12))
    assert state_rows(store) != snapshot
    undone = s.undo()
    assert undone is not None and undone.card_id == a.global_id and undone.rating == EASY
    assert state_rows(store) == snapshot
    assert store.review_count() == count
    # undoing a card's first review makes it new again
    s.undo()
    assert s.state(b.global_id) is None
    assert b in s.queue(now=T0)


def test_undo_keeps_a_users_own_suspension(store: Store, decks: DeckSet) -> None:
    s = sched(store, decks)
    card = decks.decks[0].cards[0]
    s.review(card, GOOD, now=T0)
    s.suspend(card.global_id)
    s.undo()
    assert store.suspended() == {card.global_id: "user"}


def test_review_links_attempts_and_undo_frees_them(store: Store, decks: DeckSet) -> None:
    s = sched(store, decks)
    card = decks.decks[0].cards[0]
    attempt = store.add_attempt(card.global_id, "sql", "select 1", "duckdb", True, 1.0, {"passed": True})
    outcome = s.review(card, GOOD, now=T0)
    linked = store.db.execute("SELECT review_id FROM attempts WHERE id = ?", [attempt]).fetchone()[0]
    assert linked == outcome.review_id
    s.undo()
    assert store.db.execute("SELECT review_id FROM attempts WHERE id = ?", [attempt]).fetchone()[0] is None


def test_a_review_leaves_a_mock_interviews_evidence_with_the_mock(store: Store, decks: DeckSet) -> None:
    s = sched(store, decks)
    card = decks.decks[0].cards[0]
    in_mock = store.add_attempt(card.global_id, "sql", "select 1", "duckdb", False, 1.0, {}, mock_id=7)
    recording = store.add_recording(card.global_id, "recordings/a.wav", 12.0, mock_id=7)
    practice = store.add_attempt(card.global_id, "sql", "select 2", "duckdb", True, 1.0, {})
    outcome = s.review(card, GOOD, now=T0)
    rows = dict(store.db.execute("SELECT id, review_id FROM attempts").fetchall())
    assert rows == {in_mock: None, practice: outcome.review_id}
    assert (
        store.db.execute("SELECT review_id FROM recordings WHERE id = ?", [recording]).fetchone()[0] is None
    )


def test_rebuild_from_the_log_equals_the_incremental_state(store: Store, decks: DeckSet) -> None:
    s = sched(store, decks)
    rng = random.Random(7)
    cards = decks.all_cards()
    at = T0
    for step in range(600):
        at += dt.timedelta(minutes=rng.choice([1, 7, 30, 240, 1440, 4000]))
        card = rng.choice(cards)
        s.review(card, rng.choice([AGAIN, HARD, GOOD, GOOD, GOOD, EASY]), now=at)
        if step == 300:  # optimized parameters arrive mid-history: replay must use them from then on
            params = [
                round(p * 1.05, 4) if i in (0, 1, 2, 3) else p for i, p in enumerate(s.parameters_at(at))
            ]
            with store.transaction() as c:
                c.execute(
                    "INSERT INTO fsrs_params (created_at, parameters, review_count) VALUES (?, ?, ?)",
                    (to_iso(at), json.dumps(params), step),
                )
        if step % 50 == 0:
            s.undo()
    incremental = state_rows(store)
    with store.transaction() as c:  # damage the cache: rebuild must not read it
        c.execute("UPDATE card_state SET stability = 1, due = '2000-01-01T00:00:00.000000+00:00'")
        c.execute(
            "INSERT INTO card_state (card_id, deck_id, fsrs_id, state, due) VALUES ('x/y', 'x', 1, 2, 'z')"
        )
    assert s.rebuild() == len(incremental)
    assert state_rows(store) == incremental


def test_a_review_recorded_out_of_order_replays_the_card(store: Store, decks: DeckSet) -> None:
    s = sched(store, decks)
    card = decks.decks[0].cards[0]
    s.review(card, GOOD, now=T0)
    s.review(card, GOOD, now=T0 + dt.timedelta(days=1))
    s.review(card, AGAIN, now=T0 + dt.timedelta(hours=2))  # graded later, happened earlier
    replayed = state_rows(store)
    s.rebuild()
    assert state_rows(store) == replayed
    assert s.state(card.global_id)["reps"] == 3


def test_next_intervals_preview_what_a_rating_gives(store: Store, decks: DeckSet) -> None:
    s = sched(store, decks)
    card = decks.decks[0].cards[0]
    due = graduate(s, card, T0)
    at = due + dt.timedelta(days=3)
    preview = s.next_intervals(card, now=at)
    assert preview[AGAIN] < preview[HARD] < preview[GOOD] < preview[EASY]
    snapshot = state_rows(store)
    s.next_intervals(card, now=at)
    assert state_rows(store) == snapshot  # previews write nothing
    assert s.review(card, GOOD, now=at).interval == preview[GOOD]


def test_daily_new_limit_and_day_boundary(store: Store, decks: DeckSet) -> None:
    config = Config()
    config.review.new_per_day = 5
    s = sched(store, decks, config)
    first = s.queue("alpha", now=T0)
    assert [c.id for c in first] == ["c000", "c001", "c002", "c003", "c004"]  # deck file order
    for card in first[:3]:
        s.review(card, EASY, now=T0)
    assert [c.id for c in s.queue("alpha", now=T0)] == ["c003", "c004"]
    assert s.counts(now=T0)["alpha"].new_today == 2
    # 03:59 the next morning is still the same day (day starts at 04:00); 04:00 is a new day
    assert len(s.queue("alpha", now=dt.datetime(2026, 3, 3, 3, 59, tzinfo=dt.UTC))) == 2
    assert len(s.queue("alpha", now=dt.datetime(2026, 3, 3, 4, 0, tzinfo=dt.UTC))) == 5


def test_all_decks_mix_new_cards(store: Store, decks: DeckSet) -> None:
    config = Config()
    config.review.new_per_day = 4
    ids = [c.global_id for c in sched(store, decks, config).queue(now=T0)]
    assert ids == ["alpha/c000", "beta/c000", "alpha/c001", "beta/c001"]


def test_daily_review_limit(store: Store, decks: DeckSet) -> None:
    config = Config()
    config.review.reviews_per_day = 4
    config.review.new_per_day = 0
    s = sched(store, decks, config)
    cards = decks.decks[0].cards[:10]
    latest = T0
    for card in cards:
        latest = max(latest, graduate(s, card, T0))
    day = latest + dt.timedelta(days=60)
    queue = s.queue(now=day)
    assert len(queue) == 4
    s.review(queue[0], GOOD, now=day)
    assert len(s.queue(now=day)) == 3
    assert s.counts(now=day)["alpha"].due == 9  # the count is what is due; the limit shapes the session


def test_suspended_cards_never_appear(store: Store, decks: DeckSet) -> None:
    s = sched(store, decks)
    due_card, new_card = decks.decks[0].cards[:2]
    due = graduate(s, due_card, T0)
    s.suspend(due_card.global_id)
    s.suspend(new_card.global_id)
    later = due + dt.timedelta(days=30)
    queue = s.queue(now=later)
    assert due_card not in queue and new_card not in queue
    counts = s.counts(now=later)["alpha"]
    assert (counts.suspended, counts.due, counts.new, counts.total) == (2, 0, 28, 30)
    s.suspend(due_card.global_id, False)
    assert s.queue(now=later)[0] == due_card


def test_desired_retention_from_config_overrides_the_deck(store: Store) -> None:
    decks = DeckSet(decks=[make_deck("high", 1), make_deck("low", 1, retention=0.8), make_deck("plain", 1)])
    config = Config(decks={"high": DeckOverride(desired_retention=0.97)})
    s = sched(store, decks, config)
    got = {}
    for deck in decks.decks:
        card = deck.cards[0]
        due = graduate(s, card, T0)
        got[deck.id] = s.next_intervals(card, now=due + dt.timedelta(days=20))[GOOD]
    assert got["high"] < got["plain"] < got["low"]
    assert (
        s.retention_for("high") == 0.97 and s.retention_for("low") == 0.8 and s.retention_for("plain") == 0.9
    )


def test_learning_steps_come_from_config(store: Store, decks: DeckSet) -> None:
    config = Config()
    config.review.learning_steps = ["5m", "1h", "1d"]
    s = sched(store, decks, config)
    card = decks.decks[0].cards[0]
    steps = [s.review(card, GOOD, now=T0 + dt.timedelta(minutes=i)).interval for i in range(3)]
    assert steps == [dt.timedelta(hours=1), dt.timedelta(days=1), steps[2]]
    assert steps[2] >= dt.timedelta(days=1) and s.state(card.global_id)["state"] == 2


def test_bad_learning_step_is_reported_not_fatal(store: Store, decks: DeckSet) -> None:
    config = Config()
    config.review.learning_steps = ["1m", "ten minutes"]
    s = sched(store, decks, config)
    assert s.learning_steps == [dt.timedelta(minutes=1)]
    assert any("ten minutes" in p for p in config.problems)


def test_counts_follow_reviews_and_writes_from_another_connection(
    store: Store, decks: DeckSet, tmp_path: Path
) -> None:
    s = sched(store, decks)
    assert s.counts(now=T0)["beta"].new == 10
    s.review(decks.decks[1].cards[0], GOOD, now=T0)
    counts = s.counts(now=T0)["beta"]
    assert (counts.new, counts.learning) == (9, 1)  # due in 10 minutes: inside the learn-ahead window
    other = Store.open(tmp_path / "prepdeck.db")  # e.g. `prepdeck grade` while the app is open
    Scheduling(other, decks, Config(), clock=lambda: T0, tz=dt.UTC).review(
        decks.decks[1].cards[1], EASY, now=T0
    )
    other.close()
    assert s.counts(now=T0)["beta"].new == 8


def test_today_streak_and_heatmap(store: Store, decks: DeckSet) -> None:
    s = sched(store, decks)
    cards = decks.all_cards()
    for days_ago in (0, 1, 2, 4):
        at = T0 - dt.timedelta(days=days_ago)
        s.review(cards[days_ago], GOOD, now=at, duration_ms=30_000)
    s.review(cards[10], AGAIN, now=T0, duration_ms=90_000)
    today = s.today(now=T0)
    assert (today.reviewed, today.new_seen, today.minutes, today.streak_days, today.again) == (
        2,
        2,
        2.0,
        3,
        1,
    )
    # nothing yet today, but yesterday counts: the streak is still alive
    tomorrow = T0 + dt.timedelta(days=1)
    assert s.today(now=tomorrow).streak_days == 3
    assert s.today(now=T0 + dt.timedelta(days=2)).streak_days == 0
    heat = s.heatmap(weeks=12, now=T0)
    assert len(heat) == 84 and max(heat) == T0.date() and min(heat) == T0.date() - dt.timedelta(days=83)
    assert heat[T0.date()] == 2 and heat[T0.date() - dt.timedelta(days=3)] == 0
    assert sum(heat.values()) == 5


def test_optimize_needs_enough_reviews(store: Store, decks: DeckSet) -> None:
    s = sched(store, decks)
    s.review(decks.decks[0].cards[0], GOOD, now=T0)
    result = s.optimize()
    assert not result.optimized and result.needed == 399
    assert "399 more" in result.message
    assert store.db.execute("SELECT count(*) FROM fsrs_params").fetchone()[0] == 0


def test_optimize_fits_parameters_that_the_scheduler_then_uses(store: Store) -> None:
    """A simulated learner who forgets faster than the defaults assume: fitted parameters differ."""
    decks = DeckSet(decks=[make_deck("big", 120)])
    clock = {"now": T0}
    s = Scheduling(store, decks, Config(), clock=lambda: clock["now"], tz=dt.UTC)
    rng = random.Random(3)
    due: dict[str, dt.datetime] = {}
    for day in range(90):
        at = T0 + dt.timedelta(days=day)
        for card in decks.decks[0].cards[: min(120, 8 * (day + 1))]:
            gid = card.global_id
            if gid in due and due[gid] > at:
                continue
            state = s.state(gid)
            if state is None or state["stability"] is None:
                recall = 0.6
            else:
                elapsed = (at - dt.datetime.fromisoformat(state["last_review"])).days
                recall = (1 + elapsed / (9 * state["stability"] * 0.4)) ** -1  # forgets ~2.5x faster
            rating = GOOD if rng.random() < recall else AGAIN
            outcome = s.review(card, rating, now=at)
            while outcome.state != "review":
                outcome = s.review(card, GOOD, now=outcome.due)
            due[gid] = outcome.due
    assert store.review_count() >= 400
    clock["now"] = T0 + dt.timedelta(days=91)
    result = s.optimize()
    assert result.items > 0 and result.log_loss_before is not None
    assert result.optimized, result.message
    assert result.log_loss_after < result.log_loss_before
    stored = json.loads(store.db.execute("SELECT parameters FROM fsrs_params").fetchone()[0])
    assert stored == result.parameters and len(stored) == 21
    assert list(s.parameters_at(clock["now"])) == stored
    assert list(s.parameters_at(T0)) != stored  # history before the optimization keeps the old ones


def test_parse_rating_and_intervals() -> None:
    assert [parse_rating(x) for x in ("again", "Hard", " good ", "EASY", "1", "4", 3)] == [
        1,
        2,
        3,
        4,
        1,
        4,
        3,
    ]
    for bad in ("0", "5", "meh", "", 7, True):
        with pytest.raises(ValueError, match="again, hard, good, easy or 1-4"):
            parse_rating(bad)
    assert [
        format_interval(dt.timedelta(seconds=s)) for s in (30, 600, 5400, 3 * 86400, 63 * 86400, 511 * 86400)
    ] == ["<1m", "10m", "1.5h", "3d", "2.1mo", "1.4y"]
    assert format_interval(dt.timedelta(days=365)) == "1y"
    assert parse_step("10m") == dt.timedelta(minutes=10) and parse_step("1d") == dt.timedelta(days=1)
    assert parse_step(15) == dt.timedelta(minutes=15) and parse_step("30s") == dt.timedelta(seconds=30)
    with pytest.raises(ValueError):
        parse_step("0m")
    assert fuzz_range(100, 36500) == (93, 107)  # 1 + 0.15*4.5 + 0.10*13 + 0.05*80 days either side
    assert fuzz_range(100, 101) == (93, 101)
    assert fuzz_days(2, seed=1, maximum=36500) == 2  # short intervals are never fuzzed
    spread = {fuzz_days(100, seed=seed, maximum=36500) for seed in range(200)}
    assert spread <= set(range(93, 108)) and len(spread) > 5
    assert fuzz_days(100, seed=42, maximum=36500) == fuzz_days(100, seed=42, maximum=36500)


def test_day_clock_follows_local_time() -> None:
    from zoneinfo import ZoneInfo

    clock = DayClock(4, ZoneInfo("Europe/Berlin"))
    # 02:30 local on Mar 3 belongs to Mar 2; the day starts at 04:00 local = 03:00 UTC in winter
    assert clock.day_of(dt.datetime(2026, 3, 3, 1, 30, tzinfo=dt.UTC)) == dt.date(2026, 3, 2)
    assert clock.start_of(dt.date(2026, 3, 3)) == dt.datetime(2026, 3, 3, 3, 0, tzinfo=dt.UTC)
    assert clock.start_of(dt.date(2026, 7, 3)) == dt.datetime(2026, 7, 3, 2, 0, tzinfo=dt.UTC)  # summer time


def test_two_schedulings_on_one_store_see_each_others_reviews(store: Store, decks: DeckSet) -> None:
    app, mock = sched(store, decks), sched(store, decks)  # e.g. the app's and a mock interview's
    assert app.counts(now=T0)["alpha"].new == 30
    mock.review(decks.decks[0].cards[0], GOOD, now=T0)
    assert app.counts(now=T0)["alpha"].new == 29
    app.undo()
    assert mock.counts(now=T0)["alpha"].new == 30


def test_counts_stay_right_while_a_worker_thread_reads(store: Store, decks: DeckSet) -> None:
    import threading

    s = sched(store, decks)
    stop = threading.Event()
    errors: list[BaseException] = []

    def reader() -> None:
        while not stop.is_set():
            try:
                s.counts(now=T0)
                s.queue(now=T0)
            except BaseException as exc:  # surfaced below
                errors.append(exc)
                return

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        for i, card in enumerate(decks.all_cards()):
            s.review(card, GOOD, now=T0 + dt.timedelta(seconds=i))
            if i % 5 == 4:
                s.undo()
    finally:
        stop.set()
        thread.join()
    assert not errors
    fresh = sched(store, decks)
    assert s.counts(now=T0) == fresh.counts(now=T0)
    assert s.queue(now=T0) == fresh.queue(now=T0)


def test_cards_removed_from_their_deck_are_not_counted_or_queued(store: Store, decks: DeckSet) -> None:
    s = sched(store, decks)
    gone, kept = decks.decks[1].cards[:2]
    for card in (gone, kept):
        graduate(s, card, T0)
    later = T0 + dt.timedelta(days=90)
    assert s.counts(now=later)["beta"].due == 2
    edited = DeckSet(
        decks=[
            decks.decks[0],
            Deck(
                id="beta",
                title="Beta",
                round="sql",
                cards=tuple(c for c in decks.decks[1].cards if c != gone),
            ),
        ]
    )
    after = sched(store, edited)
    assert after.counts(now=later)["beta"].due == 1
    assert gone not in after.queue(now=later) and kept in after.queue(now=later)


def test_a_learning_card_comes_when_due_and_ahead_of_time_only_after_everything_else(
    store: Store, decks: DeckSet
) -> None:
    # at session start a learning card due in 10 minutes was shown before the new cards left
    s = sched(store, decks)
    soon, later, now_due = decks.decks[1].cards[0], decks.decks[1].cards[1], decks.decks[1].cards[2]
    s.review(now_due, GOOD, now=T0 - dt.timedelta(minutes=12))  # due 2 minutes ago
    s.review(later, GOOD, now=T0 + dt.timedelta(minutes=5))  # due in 15 minutes
    s.review(soon, GOOD, now=T0)  # due in 10 minutes
    queue = s.queue(now=T0)
    assert queue[0] == now_due
    assert queue[-2:] == [soon, later]  # after every new card, by due time
    new = [c for c in queue if s.state(c.global_id) is None]
    assert len(new) == len(queue) - 3 and new
    assert len(queue) == len({c.global_id for c in queue})
    assert s.counts(now=T0)["beta"].learning == 3  # the top bar still counts all three
    # nothing new left (today's new cards done): the learn-ahead cards are the session
    only_learning = Config()
    only_learning.review.new_per_day = 0
    assert sched(store, decks, only_learning).queue(now=T0) == [now_due, soon, later]
