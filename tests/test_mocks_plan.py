"""Planning a mock: unseen cards first (reviews, judge runs and earlier mocks count as seen), seeded and
deterministic, follow-ups from tagged recall cards, distinct competencies, and the no-cards message."""

from __future__ import annotations

from pathlib import Path

import pytest
from mock_decks import write_mock_decks

from prepdeck.core.store import Store
from prepdeck.decks.loader import load_decks
from prepdeck.mocks import store as mock_store
from prepdeck.mocks.plan import BREAK_S, NoCards, plan_mock


def _decks(tmp_path: Path, **kwargs: bool):
    return load_decks([write_mock_decks(tmp_path / "decks", **kwargs)])


def test_sql_round_picks_the_unseen_card_and_optimisation_follow_ups(tmp_path: Path) -> None:
    decks = _decks(tmp_path)
    store = Store.open(tmp_path / "db.sqlite")
    # the user reviewed one sql card yesterday and judged the other long ago: the older one comes up
    with store.transaction() as c:
        c.execute(
            "INSERT INTO reviews (card_id, deck_id, reviewed_at, rating) VALUES "
            "('mock-sql/latest-order', 'mock-sql', '2026-11-25T10:00:00.000000+00:00', 3)"
        )
    store.add_attempt("mock-sql/total-per-day", "sql", "SELECT 1", "duckdb", False, 1.0, {})
    with store.transaction() as c:
        c.execute("UPDATE attempts SET at = '2026-01-01T00:00:00.000000+00:00'")
    plan = plan_mock("sql", decks, mock_store.last_seen(store))
    (rnd,) = plan.rounds
    assert [c.global_id for c in rnd.cards] == ["mock-sql/total-per-day"]
    assert [(p.name, p.seconds, p.kind) for p in rnd.phases] == [
        ("coding", 1800, "code"),
        ("optimization", 900, "discussion"),
    ]
    # the card's own scale question, then the recall cards tagged for optimisation (not the NULL one)
    assert rnd.prompts[0].title == "At scale" and "Total per day" in rnd.prompts[0].text
    assert [p.card_id for p in rnd.prompts[1:]] == ["mock-sql/partition-pruning", "mock-sql/select-star"]
    assert rnd.card_ids == ["mock-sql/total-per-day", "mock-sql/partition-pruning", "mock-sql/select-star"]


def test_never_seen_beats_seen_and_a_mock_counts_as_seen(tmp_path: Path) -> None:
    decks = _decks(tmp_path)
    store = Store.open(tmp_path / "db.sqlite")
    mock_store.create_mock(
        store, "sql", ["mock-sql/latest-order"], [], started_at="2026-11-20T10:00:00.000000+00:00"
    )
    plan = plan_mock("sql", decks, mock_store.last_seen(store))
    assert plan.rounds[0].cards[0].global_id == "mock-sql/total-per-day"


def test_same_seed_same_choice_and_suspended_cards_only_as_a_last_resort(tmp_path: Path) -> None:
    decks = _decks(tmp_path)
    picks = {plan_mock("behavioral", decks, {}, seed=s).rounds[0].cards[0].global_id for s in range(12)}
    assert len(picks) > 1  # ties between never-seen cards are broken by the seed
    one = [c.global_id for c in plan_mock("behavioral", decks, {}, seed=7).rounds[0].cards]
    assert one == [c.global_id for c in plan_mock("behavioral", decks, {}, seed=7).rounds[0].cards]
    unsuspended = plan_mock("sql", decks, {}, suspended={"mock-sql/total-per-day"}, seed=3)
    assert unsuspended.rounds[0].cards[0].global_id == "mock-sql/latest-order"
    everything = plan_mock("sql", decks, {}, suspended={"mock-sql/total-per-day", "mock-sql/latest-order"})
    assert everything.rounds[0].cards  # all suspended: still a mock


def test_behavioral_four_questions_of_different_competencies(tmp_path: Path) -> None:
    plan = plan_mock("behavioral", _decks(tmp_path), {}, seed=1)
    (rnd,) = plan.rounds
    assert len(rnd.cards) == 4
    assert len({c.competency for c in rnd.cards}) == 4  # "failure" twice in the deck, once here
    assert [p.name for p in rnd.phases] == ["question 1", "question 2", "question 3", "question 4"]
    assert sum(p.seconds for p in rnd.phases) == 45 * 60
    assert [p.card_id for p in rnd.phases] == [c.global_id for c in rnd.cards]


def test_design_prefers_a_card_with_checklist_and_numbers(tmp_path: Path) -> None:
    seen = {"mock-design/clickstream": "2026-11-25T10:00:00+00:00"}  # seen, yet the only complete one
    (rnd,) = plan_mock("design", _decks(tmp_path), seen).rounds
    assert rnd.cards[0].global_id == "mock-design/clickstream"
    assert [(p.name, p.seconds) for p in rnd.phases] == [
        ("clarify", 600),
        ("design", 2400),
        ("trade-offs", 600),
    ]
    assert {p.card_id for p in rnd.phases} == {"mock-design/clickstream"}


def test_a_round_without_cards_says_which_deck_to_add(tmp_path: Path) -> None:
    decks = _decks(tmp_path, sql=False)
    with pytest.raises(NoCards) as info:
        plan_mock("sql", decks, {})
    assert str(info.value) == (
        'no sql cards: add a deck with type = "sql" cards, e.g. the built-in sql-exercises'
    )
    with pytest.raises(NoCards, match='type = "pyspark"'):
        plan_mock("pyspark", decks, {})
    with pytest.raises(ValueError, match="unknown round"):
        plan_mock("coding", decks, {})


def test_full_runs_the_rounds_it_can_in_order_with_breaks(tmp_path: Path) -> None:
    plan = plan_mock("full", _decks(tmp_path), {})
    assert [r.round for r in plan.rounds] == ["sql", "design", "behavioral"]
    assert len(plan.skipped) == 1 and "no pyspark cards" in plan.skipped[0]
    kinds = [(p.round, p.kind) for p in plan.phases]
    assert kinds[:3] == [("sql", "code"), ("sql", "discussion"), ("design", "break")]
    breaks = [p for p in plan.phases if p.kind == "break"]
    assert len(breaks) == 2 and all(p.seconds == BREAK_S for p in breaks)
    with pytest.raises(NoCards, match=r"no sql cards.*no pyspark cards.*no design cards.*no star cards"):
        plan_mock("full", load_decks([tmp_path / "empty"]), {})


def test_builtin_decks_plan_a_sql_mock_with_optimisation_prompts() -> None:
    from prepdeck.core.paths import BUILTIN_DECKS

    decks = load_decks([BUILTIN_DECKS])
    (rnd,) = plan_mock("sql", decks, {}).rounds
    assert rnd.cards[0].deck_id == "sql-exercises"
    assert len(rnd.prompts) == 4 and all(p.card_id.startswith("sql-concepts/") for p in rnd.prompts[1:])
    (beh,) = plan_mock("behavioral", decks, {}).rounds
    assert len({c.competency for c in beh.cards}) == 4
