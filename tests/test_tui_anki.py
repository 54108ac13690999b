"""What an Anki user expects of the statistics, the footers and the review's top bar (issue 14)."""

from __future__ import annotations

from tui_support import Clock, new_context, pilot_test, settle

from prepdeck.tui.app import PrepdeckApp
from prepdeck.tui.screens.review import ReviewScreen


def screen_lines(app) -> list[str]:
    """The terminal's lines as the user reads them now (every layer composited)."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


# a single-deck review names its deck by the title the home screen shows, not by its id
@pilot_test
async def test_a_single_deck_review_shows_the_deck_title(tmp_path, monkeypatch):
    ctx = new_context(tmp_path, monkeypatch)
    app = PrepdeckApp(ctx, clock=Clock())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.start_review("alpha")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        top = screen_lines(app)[0]
        assert top.lstrip().startswith("Alpha patterns") and "alpha " not in top
    ctx.close()
