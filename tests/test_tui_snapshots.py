"""SVG snapshots of every screen at 80x24 with a fixed clock, UTC and relative deck paths, so they
are stable. Regenerate after a deliberate change: pytest tests/test_tui_snapshots.py --snapshot-update
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from tui_support import NOW, Clock, make_context, settle, use_utc, write_decks

from prepdeck.tui.app import PrepdeckApp

SIZE = (80, 24)


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    use_utc(monkeypatch)
    monkeypatch.chdir(tmp_path)
    write_decks(Path("decks"), broken=True)
    ctx = make_context(tmp_path / "home", Path("decks"))
    application = PrepdeckApp(ctx, clock=Clock())
    _seed_history(application)
    yield application
    ctx.close()


def _seed_history(app: PrepdeckApp) -> None:
    """Ten weeks of light practice on one card, so the heatmap and the browser history show something."""
    card = app.context.decks().card("alpha/null-not-in")
    assert card is not None
    for days_ago in (70, 63, 50, 41, 40, 33, 20, 19, 18, 12, 6, 5, 4, 1):
        for n in range(1 + days_ago % 3):
            moment = NOW - dt.timedelta(days=days_ago, minutes=10 * n)
            app.scheduling.review(
                card, 3 if n or days_ago % 4 else 1, now=moment, duration_ms=20_000 + 1000 * n
            )


async def _home(pilot) -> None:
    await settle(pilot)


async def _review(pilot) -> None:
    await settle(pilot)
    await pilot.press("r")
    await settle(pilot)


async def _revealed(pilot) -> None:
    await _review(pilot)
    await pilot.press("space")
    await pilot.pause()


async def _design(pilot) -> None:
    await settle(pilot)
    pilot.app.start_review("design-basics")
    await settle(pilot)
    await pilot.press("e", *"12000", "escape", "space")
    await pilot.pause()
    view = pilot.app.screen.view
    view.query_one("#check-0").value = True
    view.query_one("#check-1").value = True
    await pilot.pause()


async def _spoken(pilot) -> None:
    """A design card answered aloud (r): notes, the typed numbers, record/import keys, before recording."""
    await settle(pilot)
    pilot.app.start_review("design-basics")
    await settle(pilot)
    await pilot.press("e", *"12000", "escape", "r")
    await pilot.pause()


DESIGN_ANSWER = (
    "First the requirements: the users need fresh dashboards, so the requirement is a latency under "
    "5 seconds for about 12000 events per second. Um, events land in Kafka, Flink aggregates them and "
    "writes Iceberg tables. We partition by user to scale out at the peak. We chose Flink over Spark: "
    "lower latency, at the cost of running it."
)


async def _spoken_result(pilot) -> None:
    """The same card once its answer is transcribed: the checks (design ones, each problem once) and the
    design rubric with the automatic evidence beside each line."""
    from prepdeck.recordings.service import result_json
    from prepdeck.recordings.transcribe import Transcript, Word

    await _spoken(pilot)
    words = [Word(w, i * 0.4, i * 0.4 + 0.3, 0.9) for i, w in enumerate(DESIGN_ANSWER.split())]
    transcript = Transcript(DESIGN_ANSWER, words, words[-1].end + 0.3, "tiny.en", 1.0)
    view = pilot.app.screen.view
    view._show_result(result_json("answer.wav", transcript, (4, 20), kind="design"))
    await pilot.pause()
    view.scroll_to_widget(view.query_one("#metrics"), top=True, animate=False)
    await pilot.pause()


async def _mock_open(pilot, round_: str):
    from prepdeck.tui.screens.mock import MockScreen

    await settle(pilot)
    pilot.app.push_screen(MockScreen(round_, seed=1))
    await settle(pilot)
    for _ in range(5):  # the round starts after the first refresh; its view composes a frame later
        await pilot.pause()
    return pilot.app.screen


async def _mock_design(pilot) -> None:
    """A design mock round, 7 minutes into its clarify phase: the timer bar, the phase line, the card."""
    screen = await _mock_open(pilot, "design")
    pilot.app.clock.advance(minutes=7)
    screen.tick()
    await pilot.pause()


async def _mock_scoring(pilot) -> None:
    """The design round run out (10 + 40 + 10 min), two checklist points ticked at the wrap-up: the rubric."""
    screen = await _mock_open(pilot, "design")
    for minutes in (10, 40, 10):
        pilot.app.clock.advance(minutes=minutes)
        await pilot.press("n")
        await settle(pilot)
    view = next(iter(screen.views.values()))
    view.query_one("#check-0").value = True
    view.query_one("#check-2").value = True
    await pilot.press("n")
    await settle(pilot)
    pilot.app.clear_notifications()  # the phase toasts would cover the rubric
    for _ in range(4):
        await pilot.pause()


async def _sql(pilot) -> None:
    """The SQL card: its prompt, the example's tables, the editor."""
    await settle(pilot)
    pilot.app.start_review("alpha")
    await settle(pilot)
    await pilot.app.screen.show_card(pilot.app.context.decks().card("alpha/dedupe-latest"))
    await settle(pilot)


async def _sql_revealed(pilot) -> None:
    await _sql(pilot)
    await pilot.press("ctrl+g")  # give up: the model answer
    await settle(pilot)


async def _summary(pilot) -> None:
    await _review(pilot)
    while pilot.app.screen.card is not None:
        await pilot.press("space", "4")
        await pilot.pause()
    await pilot.pause()


async def _browser(pilot) -> None:
    await settle(pilot)
    await pilot.press("b")
    await settle(pilot)
    await pilot.press("down")
    await settle(pilot)


async def _help(pilot) -> None:
    await settle(pilot)
    await pilot.press("question_mark")
    await pilot.pause()


async def _stats(pilot) -> None:
    await settle(pilot)
    await pilot.press("t")
    await settle(pilot)


@pytest.mark.parametrize(
    "name, run_before",
    [
        ("home", _home),
        ("review", _review),
        ("revealed", _revealed),
        ("design", _design),
        ("summary", _summary),
        ("browser", _browser),
        ("help", _help),
        ("stats", _stats),
        ("spoken", _spoken),
        ("spoken-result", _spoken_result),
        ("mock-design", _mock_design),
        ("mock-scoring", _mock_scoring),
        ("sql", _sql),
        ("sql-revealed", _sql_revealed),
    ],
)
def test_screen_snapshot(app, snap_compare, name, run_before):
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


# the same screens on a small terminal and a large one (each card type before and after the answer)
@pytest.mark.parametrize("size", [(60, 20), (120, 40)], ids=["60x20", "120x40"])
@pytest.mark.parametrize(
    "name, run_before",
    [
        ("home", _home),
        ("review", _review),
        ("revealed", _revealed),
        ("sql", _sql),
        ("sql-revealed", _sql_revealed),
        ("design", _design),
        ("spoken", _spoken),
        ("browser", _browser),
        ("help", _help),
        ("stats", _stats),
        ("mock", _mock_design),
    ],
)
def test_screen_snapshot_sizes(app, snap_compare, name, run_before, size):
    assert snap_compare(app, terminal_size=size, run_before=run_before)
