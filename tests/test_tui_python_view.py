"""A python card in the real app: the editor starts with the function's def line, Ctrl+R judges in the
sealed runner (no Spark), hidden cases say only that they failed, and a pass suggests a rating."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import TextArea
from tui_support import Clock, make_context, pilot_test, settle, use_utc

from prepdeck.checkers import sealed
from prepdeck.core.trust import trust
from prepdeck.tui.app import PrepdeckApp
from prepdeck.tui.components.python_view import PythonCardView
from prepdeck.tui.screens.review import ReviewScreen

SOURCE = Path(__file__).resolve().parent / "python_deck" / "python-test.toml"


def _one_card_deck(folder: Path) -> Path:
    """The test deck's first card alone, so the review opens it."""
    text = SOURCE.read_text(encoding="utf-8")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "python-test.toml"
    path.write_text(text.split('\n[[cards]]\nid = "top-k"')[0], encoding="utf-8")
    return path


def _results(view: PythonCardView) -> str:
    from rich.console import Console
    from textual.widgets import Static

    console = Console(width=120, record=True)
    console.print(view.query_one("#results", Static).content)
    return console.export_text()


@pilot_test
async def test_a_python_card_is_written_run_and_judged_in_the_app(tmp_path, monkeypatch):
    use_utc(monkeypatch)
    deck = _one_card_deck(tmp_path / "decks")
    home = tmp_path / "home"
    ctx = make_context(home, deck.parent)
    trust(deck, home)
    app = PrepdeckApp(ctx, clock=Clock())
    try:
        async with app.run_test(size=(120, 50)) as pilot:
            await settle(pilot)
            await pilot.press("r")
            await settle(pilot)
            screen = pilot.app.screen
            assert isinstance(screen, ReviewScreen)
            view = screen.view
            assert isinstance(view, PythonCardView), type(view)
            editor = view.query_one("#editor", TextArea)
            assert editor.text.startswith("def sessionize(events, gap_s):\n")  # what the judge calls

            await pilot.press("e")
            editor.load_text("def sessionize(events, gap_s):\n    return []\n")
            await pilot.press("ctrl+r")
            await settle(pilot)
            text = _results(view)
            assert view.attempts and not view.attempts[0]["passed"]
            assert "returned []" in text and "u2" not in text  # the hidden case's arguments stay hidden

            editor.load_text(ctx.decks().all_cards()[0].solution or "")
            await pilot.press("ctrl+r")
            await settle(pilot)
            assert view.passed and screen.suggested == 2  # passed after a failed run: Hard
    finally:
        sealed.stop_all()
