"""A design card answered aloud from the review screen (`r`): the spoken view keeps the card's capacity
numbers and checklist, uses the card's speaking target, scores on the /100 system-design rubric, and the
self-score, the recording and the self-check are stored with the review."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.widgets import Input, Static
from tui_support import Clock, make_context, pilot_test, settle, use_utc

from prepdeck.scoring.card import score_round, suggested_rating
from prepdeck.scoring.evidence import DesignAnswer, answer_evidence, self_score_lines
from prepdeck.scoring.rubrics import RUBRICS
from prepdeck.tui.app import PrepdeckApp
from prepdeck.tui.components.design_view import DesignCardView
from prepdeck.tui.components.speech_view import SpokenCardView
from prepdeck.tui.screens.review import ReviewScreen

FIXTURES = Path(__file__).parent / "fixtures" / "audio"
DECK = """
[deck]
id = "spoken-design"
title = "Design aloud"
round = "design"

[[cards]]
id = "nightly-pipeline"
type = "design"
title = "Nightly pipeline"
prompt = "Design the nightly pipeline that loads two thousand rows an hour."
answer = "Hourly micro-batches into a partitioned table; idempotent loads keyed by batch id."
checklist = ["Idempotent, replayable loads", "Partitioning by load hour", "Access control on PII columns"]
target_seconds = [4, 20]
numbers = [
  { question = "Rows per day", answer = 48000, unit = "rows" },
  { question = "Rows per minute", answer = 33.3, tolerance = 0.1 },
]
"""
SELF_SCORES = {
    "requirements": 8,
    "architecture": 20,
    "capacity": 18,
    "reliability": 12,
    "security": 6,
    "tradeoffs": 8,
    "communication": 8,
}  # 80/100: over the pass line of 75, under 90: Good


def _app(tmp_path: Path, monkeypatch) -> PrepdeckApp:
    use_utc(monkeypatch)
    decks = tmp_path / "decks"
    decks.mkdir()
    (decks / "design.toml").write_text(DECK, encoding="utf-8")
    return PrepdeckApp(make_context(tmp_path / "home", decks), clock=Clock())


async def _speak(pilot) -> tuple[ReviewScreen, SpokenCardView]:
    app = pilot.app
    await settle(pilot)
    app.start_review("spoken-design")
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, ReviewScreen) and isinstance(screen.view, DesignCardView)
    await pilot.press("e", *"48k", "escape")  # a capacity number typed on the paper view
    assert screen.focused is None
    await pilot.press("r")
    await pilot.pause()
    view = screen.view
    assert isinstance(view, SpokenCardView)
    return screen, view


def test_design_suggestion_uses_the_design_pass_line() -> None:
    design = RUBRICS["design"]
    assert [suggested_rating(t, design) for t in (95, 90, 89, 75, 74, 50, 49)] == [4, 4, 3, 3, 2, 2, 1]


def test_design_auto_points_come_from_ticks_numbers_and_delivery(tmp_path: Path) -> None:
    from prepdeck.decks.loader import load_deck_file

    path = tmp_path / "design.toml"
    path.write_text(DECK, encoding="utf-8")
    deck, problems = load_deck_file(path)
    assert deck is not None and not problems
    card = deck.cards[0]
    answer = DesignAnswer(
        card.global_id,
        list(zip(card.checklist, [True, True, False], strict=True)),
        [{"correct": True}, {"correct": False}],
    )
    ev = answer_evidence("design", answer)
    auto = {line.key: line for line in score_round("design", ev).lines}
    assert set(auto) == {line.key for line in RUBRICS["design"].lines}
    assert auto["architecture"].auto == round(25 * 2 / 3, 1)  # two of three points ticked
    assert auto["capacity"].auto == 10  # one of two numbers right
    assert auto["reliability"].auto == 15 and auto["security"].auto == 0  # the topic's own checklist points
    assert (
        auto["communication"].auto is None and auto["communication"].evidence == "no analysed spoken answers"
    )


@pilot_test
async def test_r_on_a_design_card_switches_to_the_spoken_view_with_the_design_rubric(tmp_path, monkeypatch):
    app = _app(tmp_path, monkeypatch)
    async with app.run_test(size=(100, 40)) as pilot:
        screen, view = await _speak(pilot)
        assert app.focused is view  # its keys (record, import) work at once
        assert view.query_one("#number-0", Input).value == "48k"  # the typed number came along
        assert "Target 4–20 s" in str(view.query_one("#speech-help", Static).render())
        title = str(view.query_one("#rubric-title", Static).render())
        assert "System design rubric /100" in title and "pass 75" in title
        assert [box.id for box in view.query(".rubric-input")] == [
            f"score-{line.key}" for line in RUBRICS["design"].lines
        ]
        assert not view.query("#score-star") and view.query("#note-requirements")
        assert not screen.check_action("speak", ())  # r now records; it does not rebuild the view
        # without a recording, revealing still shows the answer and the checklist; coverage suggests
        await pilot.press("space")
        await pilot.pause()
        assert not view.query_one("#revealed").has_class("hidden")
        for i in range(3):
            view.query_one(f"#check-{i}").value = True
        view.query_one("#number-1", Input).value = "33"
        await pilot.pause()
        assert screen.suggested == 3
        await pilot.press("3")
        await pilot.pause()
    rows = app.context.store().db.execute("SELECT rating, payload FROM reviews").fetchall()
    assert rows[0][0] == 3
    assert json.loads(rows[0][1])["self_check"]["checklist"] == [True, True, True]
    app.context.close()


@pytest.mark.slow
@pytest.mark.whisper
@pilot_test
async def test_design_card_answered_aloud_end_to_end(tmp_path, monkeypatch):
    app = _app(tmp_path, monkeypatch)
    ctx = app.context
    async with app.run_test(size=(120, 60)) as pilot:
        screen, view = await _speak(pilot)
        await pilot.press("i")
        box = view.query_one("#import-path", Input)
        assert app.focused is box
        box.value = str(FIXTURES / "answer_pause.flac")
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await settle(pilot)
        assert view.result is not None and "runtime" in view.result["text"].lower()
        assert view.result["duration"]["target"] == [4, 20]  # the card's own target, not the default
        assert view.revealed and not view.query_one("#revealed").has_class("hidden")
        metrics = str(view.query_one("#metrics", Static).render())
        assert "target 4–20 s" in metrics and "I 1× / we" not in metrics
        # a design answer gets the design checks, never a STAR one
        assert "design: " in metrics and "STAR" not in metrics and "quantify the result" not in metrics
        # automatic design points: communication from the delivery, capacity from the numbers
        auto = view.scorecard.line
        assert auto("communication").auto > 0 and "wpm" in auto("communication").evidence
        assert auto("capacity").auto == 10  # 48k right, the second number still empty
        view.query_one("#check-0").value = True
        view.query_one("#check-1").value = True
        view.query_one("#number-1", Input).value = "33"
        await pilot.pause()
        auto = view.scorecard.line
        assert auto("capacity").auto == 20 and auto("architecture").auto == round(25 * 2 / 3, 1)
        for key, points in SELF_SCORES.items():
            view.query_one(f"#score-{key}", Input).value = str(points)
        await pilot.pause()
        assert "80/100" in str(view.query_one("#rubric-total", Static).render())
        assert view.suggested_rating() == 3 and screen.suggested == 3
        view.focus()
        await pilot.press("enter")  # accept the suggestion
        await pilot.pause()
        assert [a.rating for a in screen.session.answered] == [3]

    review_id, rating, payload = ctx.store().db.execute("SELECT id, rating, payload FROM reviews").fetchone()
    payload = json.loads(payload)
    assert rating == 3
    score = payload["self_score"]
    assert score["lines"] == SELF_SCORES and score["max"] == 100 and score["total"] == 80
    assert score["round"] == "design" and self_score_lines(score) == {
        k: float(v) for k, v in SELF_SCORES.items()
    }
    assert payload["self_check"]["checklist"] == [True, True, False]
    assert [n["correct"] for n in payload["self_check"]["numbers"]] == [True, True]
    assert "star_missing" not in payload["speech"]
    recording = ctx.store().recordings_for("spoken-design/nightly-pipeline")[0]
    assert recording["status"] == "transcribed" and recording["review_id"] == review_id
    assert json.loads(recording["self_score"])["lines"] == SELF_SCORES
    checks = ctx.store().db.execute("SELECT checklist, review_id FROM self_checks").fetchall()
    assert [(json.loads(c), r) for c, r in checks] == [([True, True, False], review_id)]
    assert (ctx.home / recording["path"]).is_file()


@pilot_test
async def test_at_80x24_the_import_field_opens_in_sight(tmp_path: Path, monkeypatch) -> None:
    """It opened below the fold (notes, numbers and rubric come first): typing went to an unseen field."""
    async with _app(tmp_path, monkeypatch).run_test(size=(80, 24)) as pilot:
        screen, view = await _speak(pilot)
        box = view.query_one("#import-path", Input)
        await pilot.press("i")
        await settle(pilot)
        assert screen.focused is box
        assert view.scroll_y > 0  # the card scrolled to it
        assert view.region.y <= box.region.y and box.region.bottom <= view.region.bottom


@pilot_test
async def test_e_is_offered_on_a_checklist_only_design_card_once_the_checklist_shows(tmp_path, monkeypatch):
    # Before the reveal such a card has nothing to type into: the footer must not offer "e Edit"
    # (pressing it only said so); after the reveal e goes to the checklist.
    use_utc(monkeypatch)
    decks = tmp_path / "decks"
    decks.mkdir()
    paper = DECK.replace('numbers = [\n  { question = "Rows per day", answer = 48000, unit = "rows" },\n', "")
    paper = paper.replace('  { question = "Rows per minute", answer = 33.3, tolerance = 0.1 },\n]\n', "")
    (decks / "design.toml").write_text(paper, encoding="utf-8")
    app = PrepdeckApp(make_context(tmp_path / "home", decks), clock=Clock())
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        app.start_review("spoken-design")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen) and not screen.view.card.numbers
        assert not screen.check_action("edit", ())
        await pilot.press("space")
        await settle(pilot)
        assert screen.check_action("edit", ())
        await pilot.press("e")
        await pilot.pause()
        assert screen.focused is screen.view.query_one("#check-0")
    app.context.close()


@pilot_test
async def test_a_transcribed_answer_reveals_the_ratings_with_their_intervals(tmp_path, monkeypatch):
    # the transcription reveals the card itself (no Space): the buttons read "1 Again · ?" for want of
    # intervals, or showed the previous card's
    from prepdeck.recordings.service import result_json
    from prepdeck.recordings.transcribe import Transcript, Word

    app = _app(tmp_path, monkeypatch)
    async with app.run_test(size=(100, 40)) as pilot:
        screen, view = await _speak(pilot)
        text = "I partitioned the table by hour and made every load idempotent"
        words = [Word(w, i * 0.4, i * 0.4 + 0.3, 0.9) for i, w in enumerate(text.split())]
        view._show_result(
            result_json("a.wav", Transcript(text, words, 6.0, "tiny.en", 1.0), (4, 20), kind="design")
        )
        await settle(pilot)
        assert view.revealed
        labels = [str(screen.query_one(f"#rate-{r}").label) for r in (1, 2, 3, 4)]
        assert all("?" not in label for label in labels), labels
        assert labels[0].endswith(screen.intervals[1]) and screen.intervals[1]
        assert not screen.check_action("reveal", ())  # the footer offers the ratings, not Show
    app.context.close()


@pilot_test
async def test_r_on_a_revealed_design_card_keeps_the_answer_and_the_ticks_with_the_record_keys_in_sight(
    tmp_path, monkeypatch
):
    # r after Space swapped in an unrevealed spoken view: the footer offered Show again and the points
    # ticked on paper were gone (the user's work)
    app = _app(tmp_path, monkeypatch)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.start_review("spoken-design")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen) and isinstance(screen.view, DesignCardView)
        await pilot.press("e", *"48000", "escape", "space")
        await settle(pilot)
        await pilot.press("e")  # the first empty field: the second number
        await pilot.press("escape")
        screen.view.query_one("#check-0").value = True
        screen.view.query_one("#check-2").value = True
        await settle(pilot)
        assert screen.view.ticks() == [True, False, True]
        await pilot.press("r")
        await settle(pilot)
        view = screen.view
        assert isinstance(view, SpokenCardView)
        assert view.revealed and not view.query_one("#revealed").has_class("hidden")
        assert [view.query_one(f"#check-{i}").value for i in range(3)] == [True, False, True]
        assert view.query_one("#number-0", Input).value == "48000"
        assert not screen.check_action("reveal", ())  # the footer offers the ratings, not Show
        assert screen.query_one("#rate-3").display
        help_line = view.query_one("#speech-help")
        assert view.region.y <= help_line.region.y and help_line.region.bottom <= view.region.bottom
        await pilot.press("3")
        await settle(pilot)
    rows = app.context.store().db.execute("SELECT payload FROM reviews").fetchall()
    assert json.loads(rows[0][0])["self_check"]["checklist"] == [True, False, True]
    app.context.close()


@pilot_test
async def test_enter_in_a_number_field_of_the_spoken_view_moves_on_in_the_order_typed(tmp_path, monkeypatch):
    from tui_support import burst

    from prepdeck.tui.components.fields import focus_now

    app = _app(tmp_path, monkeypatch)
    async with app.run_test(size=(100, 40)) as pilot:
        screen, view = await _speak(pilot)
        first = view.query_one("#number-0", Input)
        first.value = ""
        focus_now(first)
        await burst(pilot, *"48000", "enter", *"33.3", "enter")
        assert first.value == "48000" and view.query_one("#number-1", Input).value == "33.3"
        assert screen.focused is view  # back on the view: its keys record
    app.context.close()


MODEL_DECK = """
[deck]
id = "my-models"
title = "Models"
round = "design"

[[cards]]
id = "library-loans"
type = "design"
title = "Library loans"
prompt = "Model the warehouse for a library's loans. Give the tables, the grain of each fact and the keys."
answer = "fct_loan at one row per loan; dim_member SCD2."
"""


@pilot_test
async def test_the_analyse_key_reads_a_modeling_cards_notes_as_a_model(tmp_path: Path, monkeypatch) -> None:
    use_utc(monkeypatch)
    decks = tmp_path / "decks"
    decks.mkdir()
    (decks / "models.toml").write_text(MODEL_DECK, encoding="utf-8")
    app = PrepdeckApp(make_context(tmp_path / "home", decks), clock=Clock())
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        app.start_review("my-models")
        await settle(pilot)
        await pilot.press("r")
        await pilot.pause()
        view = app.screen.view
        assert isinstance(view, SpokenCardView)
        notes = [
            "fct_loan has one row per loan, with member_key and book_key and the late_fee_amount measure.",
            "dim_member keeps its history as SCD type 2 with valid_from and valid_to.",
            "Loans are partitioned by checkout date because librarians query late loans per branch.",
        ]
        for name, text in zip(("requirements", "architecture", "capacity"), notes, strict=True):
            view.query_one(f"#note-{name}", Input).value = text
        await pilot.pause()
        view.focus()
        await pilot.press("a")
        await pilot.pause()
        shown = str(view.query_one("#notes-analysis", Static).render())
        assert "  model: " in shown and "[history (SCD)] dim_member" in shown
        assert "not heard" not in shown  # grain, keys, facts, history and access are all there
        assert "requirements" not in shown and "reliability" not in shown and "number" not in shown
        assert "trade-off" not in shown  # the card's own answer weighs no choice: none is asked for
    app.context.close()
