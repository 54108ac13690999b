"""The interview plan and practice in the real app (Pilot): set a plan, see it at home, practise outside it."""

from __future__ import annotations

import datetime as dt
from contextlib import asynccontextmanager

from tui_support import NOW, Clock, new_context, pilot_test, settle

from prepdeck.core.plan import PlanSettings, load_settings, save_settings
from prepdeck.tui.app import PrepdeckApp
from prepdeck.tui.screens.home import HomeScreen
from prepdeck.tui.screens.plan import PlanScreen
from prepdeck.tui.screens.review import ReviewScreen


@asynccontextmanager
async def _on_plan_screen(ctx, size: tuple[int, int]):
    """The real app on `ctx` at `size`, its plan screen opened from home with `i`: (pilot, screen)."""
    app = PrepdeckApp(ctx, clock=Clock())
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        assert isinstance(app.screen, PlanScreen)
        yield pilot, app.screen


def text(widget) -> str:
    return str(widget.render())


@pilot_test
async def test_a_plan_set_on_its_screen_shows_its_forecast_and_the_home_countdown(tmp_path, monkeypatch):
    ctx = new_context(tmp_path, monkeypatch)
    async with _on_plan_screen(ctx, (100, 30)) as (pilot, screen):
        assert "none yet" in text(screen.query_one("#plan-top"))
        await pilot.click("#plan-date")
        await pilot.press(*"2020-01-01", "enter")  # in the past: refused in one line, nothing saved
        await settle(pilot)
        assert load_settings(ctx.store()) is None
        screen.query_one("#plan-date").value = ""
        await pilot.press(*"2026-12-20")
        await pilot.click("#plan-rounds")
        await pilot.press(*"sql,design")
        await pilot.click("#plan-minutes")
        await pilot.press(*"20", "enter")
        await settle(pilot)
        settings = load_settings(ctx.store())
        assert (
            settings is not None and settings.rounds == ("sql", "design") and settings.minutes_per_day == 20
        )
        assert "24 days left" in text(screen.query_one("#plan-top"))
        body = text(screen.query_one("#plan-body"))
        assert "Readiness on the day" in body and "design" in body and "Each day" in body
        assert "behavioral" not in body
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(pilot.app.screen, HomeScreen)
        top = text(pilot.app.screen.query_one("#top"))
        assert "interview in 24 days" in top and "min planned" in top
        assert top.index("min planned") < 70  # in sight at 80 columns, not cut off at the line's end
        # Ctrl+D on the plan screen ends it; the countdown goes
        await pilot.press("i")
        await settle(pilot)
        await pilot.press("ctrl+d")
        await settle(pilot)
        assert load_settings(ctx.store()) is None
        await pilot.press("escape")
        await settle(pilot)
        assert "interview in" not in text(pilot.app.screen.query_one("#top"))


@pilot_test
async def test_practice_from_the_palette_logs_answers_without_moving_the_schedule(tmp_path, monkeypatch):
    ctx = new_context(tmp_path, monkeypatch)
    clock = Clock()
    app = PrepdeckApp(ctx, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        card = ctx.decks().card("alpha/window-frames")
        assert card is not None
        app.scheduling.review(card, 1, now=NOW)  # failed today
        before = app.scheduling.state(card.global_id)
        clock.advance(minutes=1)
        app.start_practice("failures", None, "today's failures")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen) and screen.practice is not None
        assert "practice: today's failures" in text(screen.query_one("#top"))
        await pilot.press("space")
        await settle(pilot)
        # no interval: nothing moves, and the top bar says practice; "3 Good · practice" on each button
        # wrapped to two lines at 80 columns
        assert [str(screen.query_one(f"#rate-{r}").label) for r in (1, 3)] == ["1 Again", "3 Good"]
        await pilot.press("3")
        await settle(pilot)
        assert app.scheduling.state(card.global_id) == before
        kinds = [r.kind for r in ctx.store().reviews_for(card.global_id)]
        assert kinds == ["review", "practice"]
        assert "Practice done" in text(screen.query_one("#summary"))
        # nothing to practise: one line, no empty session
        app.start_practice("tag", "no-such-tag", "#no-such-tag")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen) and app.screen is screen


@pilot_test
async def test_p_in_the_browser_practises_the_cards_the_search_shows(tmp_path, monkeypatch):
    from prepdeck.tui.screens.browser import BrowserScreen

    ctx = new_context(tmp_path, monkeypatch)
    app = PrepdeckApp(ctx, clock=Clock())
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        assert isinstance(app.screen, BrowserScreen)
        app.screen.query_one("#search").value = "tag:nulls"
        await settle(pilot)
        app.screen.query_one("#cards").focus()
        await pilot.press("p")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen) and screen.practice is not None
        assert [c.global_id for c in screen.practice.cards] == ["alpha/null-not-in"]


@pilot_test
async def test_the_plan_form_fits_the_default_and_a_narrow_terminal(tmp_path, monkeypatch):
    # At 60x20 the minutes field and Save ran off the right edge; at 80x24 a typed date showed "6-12-30".
    for size in ((80, 24), (60, 20)):
        app = PrepdeckApp(new_context(tmp_path / f"{size[0]}", monkeypatch), clock=Clock())
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            await pilot.press("i")
            await settle(pilot)
            screen = app.screen
            for widget in ("#plan-date", "#plan-rounds", "#plan-minutes", "#plan-save"):
                assert screen.query_one(widget).region.right <= size[0], (size, widget)
            date_width = screen.query_one("#plan-date").content_region.width
            assert date_width > len("2026-12-30"), size  # the whole date and the cursor after it


@pilot_test
async def test_end_plan_and_cram_are_offered_only_with_a_plan(tmp_path, monkeypatch):
    # without a plan Ctrl+D said "Plan ended" and Ctrl+K "Nothing to practise: last days"
    ctx = new_context(tmp_path, monkeypatch)
    async with _on_plan_screen(ctx, (100, 30)) as (pilot, screen):
        assert not screen.check_action("clear_plan", ()) and not screen.check_action("cram", ())
        await pilot.click("#plan-date")
        await pilot.press(*"2026-12-20", "enter")
        await settle(pilot)
        assert load_settings(ctx.store()) is not None
        assert screen.check_action("clear_plan", ()) and screen.check_action("cram", ())


@pilot_test
async def test_ctrl_k_and_ctrl_d_edit_the_field_being_typed_in_and_act_outside_it(tmp_path, monkeypatch):
    # they were priority keys: Ctrl+K in a field started a cram session, Ctrl+D ended the plan
    ctx = new_context(tmp_path, monkeypatch)
    app = PrepdeckApp(ctx, clock=Clock())
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        await pilot.click("#plan-date")
        await pilot.press(*"2026-12-20", "enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PlanScreen) and load_settings(ctx.store()) is not None
        rounds = screen.query_one("#plan-rounds")
        await pilot.click("#plan-rounds")
        await pilot.press(*"sql,design", "home", "ctrl+d")
        assert rounds.value == "ql,design"  # deleted right, the plan still there
        assert load_settings(ctx.store()) is not None
        await pilot.press("ctrl+k")
        await settle(pilot)
        assert rounds.value == "" and app.screen is screen  # deleted to the end, no cram session
        assert not any("practise" in n.message for n in app._notifications)
        await pilot.press("escape")
        await settle(pilot)
        # reopened with a plan, the screen starts outside the fields: Ctrl+K crams
        await pilot.press("i")
        await settle(pilot)
        assert isinstance(app.screen, PlanScreen)
        assert app.focused is not None and app.focused.id == "plan-scroll"
        await pilot.press("ctrl+k")
        await settle(pilot)
        # a new deck has nothing below target yet: the cram answers that it has nothing to practise
        assert any(n.message == "Nothing to practise: last days." for n in app._notifications)


@pilot_test
async def test_home_shows_the_new_cards_the_session_brings_with_a_plan(tmp_path, monkeypatch):
    # With a plan for sql, the plan sets the sql deck's new cards and new_per_day the other decks'; home
    # showed new_per_day for each deck and for all of them (1 new today) while the session opened with 3.
    ctx = new_context(tmp_path, monkeypatch, config="[review]\nnew_per_day = 1\n")
    save_settings(ctx.store(), PlanSettings(date=NOW.date() + dt.timedelta(days=3), rounds=("sql",)))
    app = PrepdeckApp(ctx, clock=Clock())
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        sched = app.scheduling
        planned = sched.plan_today(NOW)
        assert planned is not None and planned.new >= 2  # more than new_per_day: the case that showed it
        new = [c.global_id for c in sched.queue(now=NOW) if sched.state(c.global_id) is None]
        table = app.screen.query_one("#decks")
        shown = {key: str(table.get_row(key)[3]) for key in ("alpha", "design-basics", "__all__")}
        assert shown == {
            "alpha": str(sum(c.startswith("alpha/") for c in new)),
            "design-basics": "1",
            "__all__": str(len(new)),
        }
        assert f"{len(new)} new today" in text(app.screen.query_one("#due-summary"))
        await pilot.press("r")  # the session says the same
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert f"{len(new)} new" in text(app.screen.query_one("#top"))


@pilot_test
async def test_a_practice_session_cut_to_its_first_cards_says_so(tmp_path, monkeypatch):
    # "Practise tag: bulk" opened 50 of 55 cards and the top bar said "practice: #bulk", as if all of them
    ctx = new_context(tmp_path, monkeypatch)
    cards = "".join(
        f'[[cards]]\nid = "c{n}"\ntype = "recall"\ntitle = "Card {n}"\nprompt = "p"\nanswer = "a"\ntags = ["bulk"]\n'
        for n in range(55)
    )
    deck = '[deck]\nid = "bulk"\ntitle = "Bulk"\nround = "sql"\n'
    (tmp_path / "decks" / "bulk.toml").write_text(deck + cards, encoding="utf-8")
    app = PrepdeckApp(ctx, clock=Clock())
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.start_practice("tag", "bulk", "#bulk")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen) and screen.practice is not None
        assert len(screen.practice.cards) == 50
        assert "practice: #bulk (the first 50 of 55)" in text(screen.query_one("#top"))


@pilot_test
async def test_esc_on_the_plan_screen_asks_before_dropping_what_was_typed(tmp_path, monkeypatch):
    # a date typed and not saved went with one Esc (and with Ctrl+Q)
    ctx = new_context(tmp_path, monkeypatch)
    async with _on_plan_screen(ctx, (100, 30)) as (pilot, screen):
        await pilot.click("#plan-date")
        await pilot.press(*"2026-12-20", "escape")
        await settle(pilot)
        assert pilot.app.screen is screen and screen.query_one("#plan-date").value == "2026-12-20"
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert pilot.app.is_running
        await pilot.press("ctrl+s")  # saved: Esc leaves at once
        await settle(pilot)
        assert load_settings(ctx.store()) is not None
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(pilot.app.screen, HomeScreen)
        await pilot.press("i")
        await settle(pilot)
        await pilot.click("#plan-minutes")
        await pilot.press("backspace", "escape", "escape")  # asked once, the second Esc leaves without it
        await settle(pilot)
        assert isinstance(pilot.app.screen, HomeScreen)
        settings = load_settings(ctx.store())
        assert settings is not None and settings.minutes_per_day == 30
