"""One answer, four readers: the review screen's spoken view, the mock, the weekly report and the stats
screen score the same evidence through scoring/ and get the same points on every line. A design answer is
analysed as a design (never for STAR beats, never among the STAR answers), and each delivery problem is
said once."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from report_seed import add_recording, add_review
from textual.app import App, ComposeResult
from textual.widgets import Static
from tui_support import NOW, Clock, new_context, pilot_test, settle

from prepdeck.mocks.session import score_mock
from prepdeck.recordings.analysis import analyze
from prepdeck.recordings.service import result_json
from prepdeck.recordings.transcribe import Transcript, Word
from prepdeck.reports.figures import week_figures
from prepdeck.reports.render import render_html, render_md
from prepdeck.scoring.feedback import answer_checks
from prepdeck.tui.app import PrepdeckApp
from prepdeck.tui.components.speech_view import SpokenCardView
from prepdeck.tui.screens.stats import StatsScreen

STORY_DECK = """
[deck]
id = "stories"
title = "Stories"
round = "behavioral"

[[cards]]
id = "pipeline"
type = "star"
title = "A pipeline you fixed"
prompt = "Tell me about a time you fixed a failing pipeline."
target_seconds = [10, 60]
"""

STORY = (
    "At my last job our nightly Spark pipeline kept failing. I was asked to fix it before the audit. "
    "Um, I rewrote the join, I partitioned the table and I added a watermark, uh, for late data. "
    "As a result the runtime dropped by 40% and we saved 3000 dollars a month. "
    "I learned to test with production volumes."
)
DESIGN = (
    "First the requirements: the users need fresh dashboards, so the requirement is a latency under "
    "5 seconds for about 12000 events per second. Events land in Kafka, Flink aggregates them and writes "
    "Iceberg tables. We partition by user to scale out at the peak. If a consumer fails we replay from "
    "the checkpoint and the sink is idempotent. We chose Flink over Spark streaming: lower latency, at the "
    "cost of running it."
)


def words(text: str, wpm: float) -> tuple[list[dict], float]:
    step = 60 / wpm
    out = [
        {"text": w, "start": round(i * step, 2), "end": round(i * step + step * 0.8, 2), "prob": 0.9}
        for i, w in enumerate(text.split())
    ]
    return out, out[-1]["end"] + 0.3


def transcribed(text: str, wpm: float, target: tuple[int, int], kind: str = "star") -> dict:
    """The stored `transcribe --json` object of an answer spoken at `wpm` (as the service builds it)."""
    spoken, duration = words(text, wpm)
    transcript = Transcript(
        text,
        [Word(w["text"], w["start"], w["end"], w["prob"]) for w in spoken],
        duration,
        "tiny.en",
        1.0,
    )
    return result_json("answer.wav", transcript, target, kind=kind)


class ViewApp(App):
    def __init__(self, context, card) -> None:
        super().__init__()
        self.context = context
        self.card = card

    def compose(self) -> ComposeResult:
        yield SpokenCardView(self.card, self.context, id="card-view")


async def _view_lines(ctx, card, result) -> dict[str, float | None]:
    app = ViewApp(ctx, card)
    async with app.run_test(size=(120, 60)) as pilot:
        view = app.query_one(SpokenCardView)
        view._show_result(result)  # what the transcription worker hands the UI thread
        await pilot.pause()
        assert view.scorecard is not None
        shown = {
            ln.key: str(view.query_one(f"#evidence-{ln.key}", Static).render()) for ln in view.scorecard.lines
        }
        for line in view.scorecard.lines:
            if line.auto is not None:
                assert f"auto {line.auto:g}:" in shown[line.key]
        return {ln.key: ln.auto for ln in view.scorecard.lines}


async def _stats_rounds(ctx) -> dict:
    app = PrepdeckApp(ctx, clock=Clock())
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, StatsScreen)
        return screen.data["figures"], str(screen.query_one("#stats-scores", Static).render())


def _week_lines(figures: dict, round_: str) -> dict[str, float | None]:
    return {ln["key"]: ln["score"] for ln in figures["rounds"][round_]["lines"]}


@pilot_test
async def test_a_spoken_story_gets_the_same_points_in_the_view_the_mock_the_report_and_stats(
    tmp_path: Path, monkeypatch
) -> None:
    ctx = new_context(tmp_path, monkeypatch)
    (tmp_path / "decks" / "stories.toml").write_text(STORY_DECK, encoding="utf-8")
    card = ctx.decks().card("stories/pipeline")
    # fast: the pace costs points on the communication line
    result = transcribed(STORY, 185, card.speaking_target())

    view = await _view_lines(ctx, card, result)
    mock = {
        ln.key: ln.auto
        for ln in score_mock(
            "behavioral", {"stories": [{"card": card.global_id, "analysis": result, "target": [10, 60]}]}
        ).lines
    }
    add_recording(ctx.store(), card.global_id, NOW - dt.timedelta(hours=2), result)
    report = _week_lines(week_figures(ctx.store(), ctx.decks(), now=NOW), "behavioral")
    figures, scores_text = await _stats_rounds(ctx)
    stats = _week_lines(figures, "behavioral")

    assert view == mock == report == stats
    # every line has evidence, and the figures are the definitions' (not another copy's)
    assert view["star"] == 12.0 and view["reflection"] == 6.0 and view["impact"] == 12.0
    assert view["depth"] == 12.0  # spark, pipeline, partitioned, watermark… (3 or more terms)
    assert 0 < view["communication"] < 8  # 185 wpm is over the 160 band
    total = round(sum(v for v in view.values() if v is not None), 1)
    assert figures["rounds"]["behavioral"]["score"] == total
    assert f"{total:g}/50" in scores_text
    assert figures["speech"]["star_answers"] == 1
    ctx.close()


@pilot_test
async def test_a_design_answer_is_analysed_as_a_design_everywhere(tmp_path: Path, monkeypatch) -> None:
    ctx = new_context(tmp_path, monkeypatch)
    card = ctx.decks().card("design-basics/clickstream")
    result = transcribed(DESIGN, 145, card.speaking_target(), kind="design")

    assert "star" not in result and result["kind"] == "design"
    assert result["design"]["missing"] == [] and result["design"]["numbers_with_units"] >= 2
    assert not any("STAR" in w or "quantify the result" in w for w in result["warnings"])
    checks = answer_checks(result, "design")
    assert not any("STAR" in c.text or "I " in c.text[:2] for c in checks)
    structure = next(c for c in checks if c.text.startswith("design: "))
    assert structure.ok and structure.text.startswith("design: requirements →")
    assert all(part in structure.text for part in ("architecture", "scale", "reliability", "trade-offs"))

    view = await _view_lines(ctx, card, result)
    mock = {
        ln.key: ln.auto
        for ln in score_mock(
            "design",
            {"design": {"card": card.global_id, "spoken": {"card": card.global_id, "analysis": result}}},
        ).lines
    }
    add_recording(ctx.store(), card.global_id, NOW - dt.timedelta(hours=2), result)
    figures = week_figures(ctx.store(), ctx.decks(), now=NOW)
    assert view["communication"] == mock["communication"] == _week_lines(figures, "design")["communication"]
    assert view["communication"] == 10.0  # 145 wpm, no fillers
    # not a STAR answer: it neither counts among them nor drags the coverage down
    assert figures["speech"]["attempts"] == 1
    assert figures["speech"]["star_answers"] == 0 and figures["speech"]["star_coverage"] is None
    assert (
        figures["speech"]["items"][0]["kind"] == "design" and figures["speech"]["items"][0]["beats"] is None
    )
    assert "design answer" in render_md(figures) and "design answer" in render_html(figures)
    ctx.close()


def test_an_old_design_analysis_with_a_star_section_is_still_not_a_star_answer(tmp_path, monkeypatch) -> None:
    """Recordings stored before design answers had their own analysis carry STAR beats: the card's type wins."""
    ctx = new_context(tmp_path, monkeypatch)
    spoken, duration = words(DESIGN, 145)
    result = analyze(spoken, duration, (4, 20))  # analysed as a story, as before
    assert "star" in result
    add_recording(ctx.store(), "design-basics/clickstream", NOW - dt.timedelta(hours=2), result)
    figures = week_figures(ctx.store(), ctx.decks(), now=NOW)
    assert figures["speech"]["star_answers"] == 0 and figures["speech"]["star_coverage"] is None
    assert not any(c.text.startswith("STAR") for c in answer_checks(result, "design"))
    ctx.close()


def test_each_delivery_problem_is_said_once() -> None:
    spoken, duration = words(STORY, 205)
    result = analyze(spoken, duration, (10, 15))
    assert any("pace" in w for w in result["warnings"])  # the analysis itself warns about the pace…
    checks = answer_checks(result, "star")
    texts = [c.text for c in checks]
    # …and the screen says it once, in the pace line, with the band
    assert sum("wpm" in t for t in texts) == 1
    pace = next(c for c in checks if "wpm" in c.text)
    assert not pace.ok and "fast" in pace.text and "130–160" in pace.text
    assert sum("long" in t or "short" in t for t in texts) == 1
    assert sum("STAR" in t for t in texts) == 1 and sum("quantif" in t for t in texts) == 1


def test_a_self_score_counts_once_though_the_review_and_the_recording_both_carry_it(tmp_path, monkeypatch):
    ctx = new_context(tmp_path, monkeypatch)
    (tmp_path / "decks" / "stories.toml").write_text(STORY_DECK, encoding="utf-8")
    result = transcribed(STORY, 150, (10, 60))
    at = NOW - dt.timedelta(hours=2)
    own = {"round": "behavioral", "lines": {"depth": 5}, "total": 40, "max": 50}
    rec = add_recording(ctx.store(), "stories/pipeline", at, result, self_score=own)
    add_review(
        ctx.store(), "stories/pipeline", at, 3, 60_000, payload={"recording_id": rec, "self_score": own}
    )
    depth = next(
        ln
        for ln in week_figures(ctx.store(), ctx.decks(), now=NOW)["rounds"]["behavioral"]["lines"]
        if ln["key"] == "depth"
    )
    assert depth["score"] == 5.0 and depth["auto"] == 12.0
    assert "your self-score 5/12" in depth["evidence"] and "mean of" not in depth["evidence"]
    ctx.close()


def test_a_design_answer_missing_parts_communicates_less_at_the_same_delivery() -> None:
    sketch = (
        "Events land in Kafka, Flink aggregates them and writes Iceberg tables. "
        "Then a dashboard reads the tables every minute."
    )

    def communication(text: str) -> tuple[float | None, str]:
        result = transcribed(text, 145, (4, 60), kind="design")
        line = score_mock(
            "design", {"design": {"card": "d/x", "spoken": {"card": "d/x", "analysis": result}}}
        ).line("communication")
        return line.auto, line.evidence

    whole, whole_said = communication(DESIGN)
    partial, partial_said = communication(sketch)
    assert whole == 10.0 and "5 of 5 design parts heard" in whole_said
    assert partial is not None and partial < whole
    assert "of 5 design parts heard" in partial_said and "5 of 5" not in partial_said
