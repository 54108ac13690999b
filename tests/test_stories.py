"""The story bank: stories, the competency matrix, answering a star card from a story, sync, the screen."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from tui_support import Clock, new_context, pilot_test, settle

from prepdeck.core.store import Store, to_iso
from prepdeck.core.stories import (
    COMPETENCIES,
    StoryError,
    competencies_for,
    delete_story,
    list_stories,
    matrix,
    save_story,
    use_story,
)
from prepdeck.core.sync import sync
from prepdeck.tui.app import PrepdeckApp
from prepdeck.tui.screens.stories import StoryBankScreen

STORY = {
    "situation": "Our nightly billing load failed twice a week after a schema change upstream.",
    "task": "I owned the pipeline and had to stop the failures before month-end close.",
    "action": "I added a contract test on the producer's schema and a quarantine table for bad rows.",
    "result": "Failures went from 8 a month to 0 for a quarter; close finished 2 days earlier.",
    "numbers": "8 -> 0 failures a month; 2 days",
}


def test_stories_the_matrix_its_gaps_and_over_used_stories(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "s.db")
    first = save_story(store, "Billing load  failures", STORY, ["Ownership", "failure", "ownership"])
    second = save_story(store, "Schema migration disagreement", STORY, ["conflict", "ownership"])
    third = save_story(store, "Late dashboards", STORY, ["deadline"])
    stories = list_stories(store)
    assert [s.title for s in stories] == [
        "Billing load failures",
        "Schema migration disagreement",
        "Late dashboards",
    ]
    assert stories[0].competencies == ("ownership", "failure")  # normalised, each once
    # answered from story 1 by four star cards, story 2 by one: story 1 is over-used
    for n in range(4):
        use_story(store, stories[0], f"behavioral/q{n}")
    use_story(store, stories[1], "behavioral/q9")
    bank = matrix(list_stories(store), COMPETENCIES)
    assert bank.cover["ownership"] == [first, second]
    assert "ownership" not in bank.gaps and {"conflict", "failure", "deadline", "mentoring"} <= set(bank.gaps)
    assert bank.overused == [first]
    assert store.get_note("behavioral/q0")["story"] == stories[0].uid
    assert store.get_note("behavioral/q0")["result"] == STORY["result"]
    # the latest spoken answer from a story is its delivery
    with store.transaction() as conn:
        analysis = {
            "fillers": {"per_minute": 4.2},
            "wpm": 151.0,
            "star": {"missing": ["result"]},
            "quantified_result": False,
        }
        conn.execute(
            "INSERT INTO recordings (card_id, at, path, status, analysis) VALUES (?, ?, 'a.wav', 'transcribed', ?)",
            ("behavioral/q2", to_iso(dt.datetime(2026, 11, 20, tzinfo=dt.UTC)), json.dumps(analysis)),
        )
    delivery = list_stories(store)[0].delivery
    assert (
        delivery is not None and delivery["fillers_per_minute"] == 4.2 and delivery["missing"] == ["result"]
    )
    delete_story(store, third)
    assert [s.id for s in list_stories(store)] == [first, second]
    store.close()


@pytest.mark.parametrize(
    ("title", "competencies", "message"),
    [
        ("   ", [], "needs a title"),
        ("x" * 121, [], "longer than 120"),
        ("Fine", ["bravery"], "unknown competency 'bravery'"),
    ],
)
def test_a_story_that_cannot_be_saved_says_what_to_fix(tmp_path: Path, title, competencies, message) -> None:
    store = Store.open(tmp_path / "s.db")
    with pytest.raises(StoryError, match=message):
        save_story(store, title, STORY, competencies)
    assert list_stories(store) == []
    store.close()


def test_the_company_principles_join_the_competencies() -> None:
    known = competencies_for(["Customer Obsession", "ownership"])
    assert known[: len(COMPETENCIES)] == COMPETENCIES and known[len(COMPETENCIES) :] == (
        "Customer Obsession",
    )


def test_stories_sync_with_the_newest_edit_winning(tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    folder.mkdir()
    a, b = Store.open(tmp_path / "a.db"), Store.open(tmp_path / "b.db")
    story_id = save_story(a, "Billing load failures", STORY, ["ownership"])
    sync(a, folder, lambda ids: 0)
    assert sync(b, folder, lambda ids: 0).received == {"story": 1}
    on_b = list_stories(b)[0]
    save_story(b, "Billing load failures (short)", STORY, ["ownership", "failure"], story_id=on_b.id)
    sync(b, folder, lambda ids: 0)
    sync(a, folder, lambda ids: 0)
    assert list_stories(a)[0].title == "Billing load failures (short)"
    delete_story(a, story_id)
    sync(a, folder, lambda ids: 0)
    sync(b, folder, lambda ids: 0)
    assert list_stories(b) == []
    a.close(), b.close()


@pilot_test
async def test_the_story_bank_screen_adds_shows_and_deletes_stories(tmp_path, monkeypatch):
    ctx = new_context(tmp_path, monkeypatch)
    app = PrepdeckApp(ctx, clock=Clock())
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, StoryBankScreen)
        assert "No stories yet" in str(screen.query_one("#story-detail").render())
        await pilot.press("n")
        await settle(pilot)
        await pilot.press(*"[bold]Billing[/bold] load")  # markup typed is text, never markup
        for name in ("situation", "task", "action", "result", "numbers"):
            app.screen.query_one(f"#story-{name}").value = STORY[name]
        app.screen.query_one("#story-competencies").value = "ownership, failure"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        top = str(screen.query_one("#stories-top").render())
        assert "1 story" in top and "gaps:" in top and "conflict" in top
        detail = str(screen.query_one("#story-detail").render())
        assert "[bold]Billing[/bold] load" in detail and "answers: ownership, failure" in detail
        assert screen.query_one("#story-matrix").row_count == len(COMPETENCIES)
        await pilot.press("d")
        await settle(pilot)
        assert len(list_stories(ctx.store())) == 1  # once arms, twice deletes
        await pilot.press("d")
        await settle(pilot)
        assert list_stories(ctx.store()) == []


@pilot_test
async def test_y_on_a_star_card_answers_it_from_a_chosen_story(tmp_path):
    from textual.app import App, ComposeResult

    from prepdeck.core.context import Context
    from prepdeck.decks.model import Card
    from prepdeck.tui.components.speech_view import SpokenCardView

    card = Card(deck_id="mine", id="conflict", type="star", title="A disagreement", prompt="Tell me about a conflict.",
                competency="conflict")  # fmt: skip
    context = Context.create(tmp_path / "home")
    save_story(context.store(), "Retry storm", {**STORY, "task": "Stop the retries"}, ["failure"])
    save_story(context.store(), "Schema migration disagreement", STORY, ["conflict"])

    class ViewApp(App):
        def __init__(self) -> None:
            super().__init__()
            self.context = context

        def compose(self) -> ComposeResult:
            yield SpokenCardView(card, context, id="card-view")

    app = ViewApp()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        app.query_one(SpokenCardView).action_use_story()
        await pilot.pause()
        await pilot.press("enter")  # the story tagged with the card's competency comes first
        await pilot.pause()
        view = app.query_one(SpokenCardView)
        assert view.query_one("#note-task").value == STORY["task"]
    note = context.store().get_note("mine/conflict")
    stories = {s.title: s for s in list_stories(context.store())}
    assert note["story"] == stories["Schema migration disagreement"].uid and note["task"] == STORY["task"]
    assert stories["Schema migration disagreement"].questions == ["mine/conflict"]
    context.close()


async def open_story_editor(pilot) -> None:
    """Home → the story bank (s) → a new story (n)."""
    for key in ("s", "n"):
        await pilot.press(key)
        await settle(pilot)


@pilot_test
async def test_the_story_editor_shows_the_field_being_typed_at_80x24(tmp_path, monkeypatch):
    # At 80x24 seven inputs do not fit the dialog: Tab must scroll the focused field into view,
    # else the competencies and the Ctrl+S hint are typed blind below the dialog's edge.
    app = PrepdeckApp(new_context(tmp_path, monkeypatch), clock=Clock())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_story_editor(pilot)
        for _ in range(6):
            await pilot.press("tab")
        await settle(pilot)
        field = app.screen.query_one("#story-competencies")
        assert app.screen.focused is field
        dialog = field.parent.region
        assert dialog.contains_region(field.region) and field.region.area > 0


@pilot_test
async def test_the_gaps_line_is_not_cut_off_at_80_columns(tmp_path, monkeypatch):
    ctx = new_context(tmp_path, monkeypatch)
    save_story(ctx.store(), "Billing load", STORY, ["ownership"], COMPETENCIES)
    app = PrepdeckApp(ctx, clock=Clock())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        top = app.screen.query_one("#stories-top")
        assert "prioritization" in str(top.render())  # the last gap, past column 80 on one line
        box = top.content_region
        assert top.get_content_height(box.size, app.size, box.width) <= box.height


STAR_DECK = """
[deck]
id = "talk"
title = "Talk"
round = "behavioral"

[[cards]]
id = "conflict"
type = "star"
title = "A disagreement"
prompt = "Tell me about a conflict."
competency = "conflict"
"""


@pilot_test
async def test_u_puts_back_the_notes_that_y_replaced_with_a_story(tmp_path, monkeypatch):
    # y put a story over the notes typed on the card, and u said "Nothing to undo in this session": the
    # typed notes were gone for good
    from tui_support import reviewing

    ctx = new_context(tmp_path, monkeypatch, design=False)
    (tmp_path / "decks" / "talk.toml").write_text(STAR_DECK, encoding="utf-8")
    save_story(ctx.store(), "Schema migration disagreement", STORY, ["conflict"])
    async with reviewing(ctx, "talk", size=(100, 40)) as (pilot, screen):
        assert screen.card.global_id == "talk/conflict"
        assert "y: answer from a story" in str(screen.query_one("#speech-help").render())  # found in sight
        await pilot.press("e", *"we argued about the schema", "escape")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        situation = screen.query_one("#note-situation")
        assert situation.value == STORY["situation"]
        assert ctx.store().get_note("talk/conflict")["situation"] == STORY["situation"]
        await pilot.press("u")
        await settle(pilot)
        assert situation.value == "we argued about the schema"
        note = ctx.store().get_note("talk/conflict")
        assert note["situation"] == "we argued about the schema" and "story" not in note
        assert list_stories(ctx.store())[0].questions == []  # the story no longer answers the card
        await pilot.press("u")  # the story's undo was the only action: nothing else is undone
        await settle(pilot)
        assert situation.value == "we argued about the schema"


@pilot_test
async def test_a_story_being_written_is_not_lost_to_one_esc_or_ctrl_q(tmp_path, monkeypatch):
    # Esc in the story editor threw a typed story away at once, and so did Ctrl+Q
    from prepdeck.tui.screens.stories import StoryEditor

    app = PrepdeckApp(new_context(tmp_path, monkeypatch), clock=Clock())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_story_editor(pilot)
        await pilot.press("escape")  # nothing typed: Esc closes at once
        await settle(pilot)
        assert isinstance(app.screen, StoryBankScreen)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press(*"Billing load", "escape")
        await settle(pilot)
        editor = app.screen
        assert isinstance(editor, StoryEditor)  # warned, still open with the text
        assert editor.query_one("#story-title").value == "Billing load"
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert app.is_running and app.screen is editor
        await pilot.press("ctrl+s")  # saved: nothing left to lose, Esc and Ctrl+Q act at once
        await settle(pilot)
        assert [s.title for s in list_stories(app.context.store())] == ["Billing load"]
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, StoryBankScreen)
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("end", *"s", "escape", "escape")  # an edit: the second Esc discards it
        await settle(pilot)
        assert isinstance(app.screen, StoryBankScreen)
        assert [s.title for s in list_stories(app.context.store())] == ["Billing load"]
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert not app.is_running


@pilot_test
async def test_notes_typed_just_before_ctrl_q_are_saved(tmp_path, monkeypatch):
    # "saved as you type": notes are saved 0.6 s after the last key, and Ctrl+Q before then lost them
    from tui_support import reviewing

    ctx = new_context(tmp_path, monkeypatch, design=False)
    (tmp_path / "decks" / "talk.toml").write_text(STAR_DECK, encoding="utf-8")
    async with reviewing(ctx, "talk", size=(100, 40)) as (pilot, screen):
        assert screen.card.global_id == "talk/conflict"
        await pilot.press("e", *"we argued", "ctrl+q")
        await pilot.pause()
    assert ctx.store().get_note("talk/conflict")["situation"] == "we argued"
