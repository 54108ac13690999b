"""The statistics screen in the real app: terminal plots from the store, week navigation, and `w` writing
the week's report in a worker with a notification that says where."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from report_seed import add_recording, add_review, analysis
from textual_plotext import PlotextPlot
from tui_support import NOW, Clock, new_context, pilot_test, settle

from prepdeck.tui.app import PrepdeckApp
from prepdeck.tui.screens.stats import StatsScreen


def seed(ctx) -> None:
    store = ctx.store()
    day = dt.timedelta(days=1)
    monday = dt.datetime(2026, 11, 23, 8, tzinfo=dt.UTC)  # NOW is Thursday 26 Nov 2026, ISO week 48
    add_review(store, "alpha/window-frames", monday - 7 * day, 3, 20_000)  # W47: first review
    add_review(store, "alpha/window-frames", monday, 1, 30_000)
    add_review(store, "alpha/window-frames", monday + day, 3, 30_000)
    add_review(store, "alpha/null-not-in", monday + 2 * day, 4, 60_000)
    add_recording(store, None, monday + day, analysis(90, 140, 6, ["situation", "task"]))


def plot_text(screen: StatsScreen, selector: str) -> str:
    return screen.query_one(selector, PlotextPlot).plt.build()


@pilot_test
async def test_stats_screen_plots_and_writes_the_report(tmp_path, monkeypatch):
    ctx = new_context(tmp_path, monkeypatch)
    seed(ctx)
    app = PrepdeckApp(ctx, clock=Clock())
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, StatsScreen)
        f = screen.data["figures"]
        assert (f["week"], f["reviews"], f["minutes"]) == ("2026-W48", 3, 2.0)
        assert f["retention"] == 0.5  # window-frames: Again then Good; null-not-in is a first review
        assert "2026-W48" in str(screen.query_one("#stats-top").render())
        assert "3 reviews" in str(screen.query_one("#stats-summary").render()).replace("\x1b", "")
        reviews = plot_text(screen, "#plot-reviews")
        assert "Reviews per day" in reviews and any(block in reviews for block in "▄▀█▟▙▛▜")
        assert "Retention per week" in plot_text(screen, "#plot-retention")
        assert "Due, next 30 days" in str(screen.query_one("#stats-forecast").render())
        assert screen.data["trends"]["speech"] == [
            {"date": "2026-11-24", "fillers_per_minute": 4.0, "wpm": 140}
        ]
        assert "Rubric scores" in str(screen.query_one("#stats-scores").render())
        if shot := __import__("os").environ.get("PREPDECK_STATS_SHOT"):
            app.save_screenshot(shot)

        await pilot.press("w")
        await settle(pilot)
        html = Path(screen.last_report["files"]["html"])
        assert html == ctx.home / "reports" / "report-2026-W48.html" and html.is_file()
        assert html.with_suffix(".md").is_file()
        messages = [n.message for n in app._notifications]
        assert any(str(html) in m for m in messages), messages

        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert screen.data["figures"]["week"] == "2026-W47"
        assert screen.data["figures"]["reviews"] == 1
        await pilot.press("right_square_bracket", "right_square_bracket")  # no further than this week
        await settle(pilot)
        assert screen.data["figures"]["week"] == "2026-W48"
    ctx.close()


@pilot_test
async def test_report_failure_is_a_notification_not_a_crash(tmp_path, monkeypatch):
    ctx = new_context(tmp_path, monkeypatch)
    (ctx.home / "reports").write_text("a file where the folder should be")
    app = PrepdeckApp(ctx, clock=Clock(NOW))
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        assert isinstance(app.screen, StatsScreen)
        assert app.screen.last_report is None
        assert any(
            n.message.startswith("Writing the report failed: cannot write the report")
            for n in app._notifications
        )
        # the empty week still shows, with no scores invented
        f = app.screen.data["figures"]
        assert f["empty"] and all(r["score"] is None for r in f["rounds"].values())
    ctx.close()
