"""The spoken-answer card view in a real Textual app: notes saved, a file imported and transcribed by the
bundled model in a worker, transcript/metrics/rubric shown, self-score stored and turned into a rating."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Input, Static
from tui_support import pilot_test

from prepdeck.core.context import Context
from prepdeck.decks.model import Card
from prepdeck.recordings.analysis import analyze
from prepdeck.scoring.card import score_round, suggested_rating
from prepdeck.scoring.evidence import SpokenAnswer, answer_evidence
from prepdeck.scoring.rubrics import RUBRICS
from prepdeck.tui.components.speech_result import transcript_text
from prepdeck.tui.components.speech_view import SpokenCardView

FIXTURES = Path(__file__).parent / "fixtures" / "audio"
CARD = Card(
    deck_id="my-stories",
    id="pipeline-fix",
    type="star",
    title="A pipeline you fixed",
    prompt="Tell me about a time you fixed a failing pipeline.",
    target_seconds=(5, 30),
)


class ViewApp(App):
    def __init__(self, context: Context) -> None:
        super().__init__()
        self.context = context
        self.suggestions: list[int] = []

    def compose(self) -> ComposeResult:
        yield SpokenCardView(CARD, self.context, id="card-view")

    def on_card_view_suggest_rating(self, message: SpokenCardView.SuggestRating) -> None:
        self.suggestions.append(message.rating)


@pytest.mark.parametrize(("total", "rating"), [(50, 4), (45, 4), (44, 3), (38, 3), (37, 2), (25, 2), (24, 1)])
def test_suggested_rating_thresholds(total: int, rating: int) -> None:
    assert suggested_rating(total, RUBRICS["behavioral"]) == rating


def test_rubric_and_transcript_markup_from_an_analysis() -> None:
    text = (
        "At my last job we had a slow pipeline. I was asked to fix it. Um, I decided to partition the join. "
        "As a result it ran 40% faster. I learned to measure first."
    )
    words = [{"text": t, "start": i * 0.4, "end": i * 0.4 + 0.3} for i, t in enumerate(text.split())]
    um = next(i for i, w in enumerate(words) if w["text"] == "Um,")
    for w in words[um:]:  # a 2 s pause before "Um,"
        w["start"] += 2.0
        w["end"] += 2.0
    result = analyze(words, 15.0, (5, 30))
    ev = answer_evidence("behavioral", SpokenAnswer(CARD.global_id, result, None, CARD.speaking_target()))
    auto = {line.key: line for line in score_round("behavioral", ev).lines}
    assert auto["star"].auto == 12 and auto["reflection"].auto == 6
    assert auto["impact"].auto == 12  # quantified (40%), and "I" over "we"
    assert "partition" in auto["depth"].evidence and "join" in auto["depth"].evidence
    text = transcript_text(result)
    assert "⏸ 2.0s" in text.plain or "⏸ 2.1s" in text.plain
    assert any(span.style == "bold black on yellow" for span in text.spans)


@pilot_test
async def test_notes_are_saved_and_come_back(isolated_home: Path) -> None:
    ctx = Context.create(isolated_home)
    async with ViewApp(ctx).run_test() as pilot:
        box = pilot.app.query_one("#note-result", Input)
        box.value = "runtime 5 h → 40 min"
        view = pilot.app.query_one(SpokenCardView)
        view.save_notes()
        await pilot.pause()
    assert ctx.store().get_note("my-stories/pipeline-fix")["result"] == "runtime 5 h → 40 min"
    async with ViewApp(ctx).run_test() as pilot:
        assert pilot.app.query_one("#note-result", Input).value == "runtime 5 h → 40 min"


@pilot_test
async def test_the_analyse_key_reads_the_notes_as_a_story(isolated_home: Path) -> None:
    ctx = Context.create(isolated_home)
    async with ViewApp(ctx).run_test(size=(120, 50)) as pilot:
        box = pilot.app.query_one("#notes-analysis", Static)
        assert box.has_class("hidden")
        notes = {
            "situation": "Our nightly load kept failing.",
            "task": "I had to make it reliable by the quarter close.",
            "action": "I found a skewed join and salted the key.",
            "result": "The load ran much faster after that.",
        }
        for name, text in notes.items():
            pilot.app.query_one(f"#note-{name}", Input).value = text
        await pilot.pause()
        pilot.app.query_one(SpokenCardView).focus()  # out of the fields, as Esc does: keys go to the view
        await pilot.press("a")
        await pilot.pause()
        shown = str(box.render())
        assert not box.has_class("hidden")
        assert "STAR: situation → task → action → result" in shown
        assert "[action] I found a skewed join and salted the key." in shown
        assert "result quantified: no" in shown and "quantify the result" in shown


@pilot_test
async def test_record_without_microphone_says_one_line_and_import_still_works(isolated_home: Path) -> None:
    try:
        import sounddevice  # noqa: F401
    except OSError:
        pass
    else:
        pytest.skip("PortAudio is installed here")
    ctx = Context.create(isolated_home)
    async with ViewApp(ctx).run_test() as pilot:
        view = pilot.app.query_one(SpokenCardView)
        view.focus()
        await pilot.press("r")
        status = str(pilot.app.query_one("#speech-status", Static).render())
        assert "libportaudio2" in status and "importing a file still works" in status
        await pilot.press("i")
        assert pilot.app.focused is pilot.app.query_one("#import-path", Input)


@pytest.mark.slow
@pytest.mark.whisper
@pilot_test
async def test_import_transcribes_in_a_worker_and_stores_the_self_score(isolated_home: Path) -> None:
    ctx = Context.create(isolated_home)
    app = ViewApp(ctx)
    async with app.run_test(size=(120, 60)) as pilot:
        view = app.query_one(SpokenCardView)
        view.focus()
        await pilot.press("i")
        box = app.query_one("#import-path", Input)
        box.value = str(FIXTURES / "answer_pause.flac")
        await pilot.press("enter")
        # the row exists before the transcript does
        rows = ctx.store().recordings_for("my-stories/pipeline-fix")
        assert len(rows) == 1 and (isolated_home / rows[0]["path"]).exists()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert view.result is not None
        assert "runtime" in str(app.query_one("#transcript", Static).render()).lower()
        assert view.suggested_rating() is not None and app.suggestions
        for key, value in {
            "star": "12",
            "impact": "10",
            "depth": "9",
            "communication": "7",
            "reflection": "5",
        }.items():
            app.query_one(f"#score-{key}", Input).value = value
        await pilot.pause()
        assert view.suggested_rating() == 3  # 12+10+9+7+5 = 43/50: Good
    payload = view.review_payload()
    assert payload["self_score"]["total"] == 43 and payload["self_score"]["complete"]
    view.commit_evidence(ctx.store())
    row = ctx.store().recordings_for("my-stories/pipeline-fix")[0]
    assert row["status"] == "transcribed" and json.loads(row["self_score"])["total"] == 43
    assert payload["recording_id"] == row["id"]


@pilot_test
async def test_one_row_fields_keep_their_text_visible_when_focused_or_out_of_range(
    isolated_home: Path,
) -> None:
    """Input's focus / invalid border on a one-row field left no room for the text (blank box at 80x24)."""
    ctx = Context.create(isolated_home)
    async with ViewApp(ctx).run_test(size=(80, 24)) as pilot:
        note = pilot.app.query_one("#note-situation", Input)
        note.focus()
        await pilot.press("x")
        await pilot.pause()
        assert note.has_focus and note.value == "x"
        assert note.content_region.height == 1
        scores = list(pilot.app.query(".rubric-input").results(Input))
        scores[0].focus()
        await pilot.press("9", "9", "tab")  # out of range for a /12 line, then leave it
        await pilot.pause()
        assert scores[0].has_class("-invalid")
        assert scores[0].content_region.height == 1
        blank = scores[-1]
        blank.focus()
        await pilot.press("tab")  # leaving a blank line: the automatic points, not an error
        await pilot.pause()
        assert not blank.has_class("-invalid") and blank.content_region.height == 1
    ctx.close()
