"""The daily review as a user lives it (issue 14): no lost notes, real recall, keys that go where the
user looks, every message in sight. Each test replays one of the reported steps through the real app."""

from __future__ import annotations

from pathlib import Path

from sql_cards import DECK, write_deck
from textual.widgets import Checkbox, Input, Static, TextArea
from tui_support import (
    at_home,
    burst,
    make_context,
    new_context,
    open_review,
    pilot_test,
    rendered,
    review_rows,
    reviewing,
    screen_after,
    settle,
    use_utc,
)

from prepdeck.core.paths import database_path
from prepdeck.tui.components.code_view import CodeCardView

# the first card of the judge-test deck alone: a session of one SQL card
ONE_SQL_CARD = DECK[: DECK.index("[[cards]]", DECK.index("[[cards]]") + 1)]
WRONG = """SELECT order_id, status, updated_at FROM order_events
QUALIFY ROW_NUMBER() OVER (PARTITION BY order_id ORDER BY updated_at DESC, status_id ASC) = 1"""


def _sql_context(tmp_path: Path, monkeypatch):
    use_utc(monkeypatch)
    decks = write_deck(tmp_path / "decks", ONE_SQL_CARD).parent
    return make_context(tmp_path / "home", decks)


def _code_view(screen) -> CodeCardView:
    view = screen.view
    assert isinstance(view, CodeCardView)
    return view


async def _type_in_editor(pilot, view: CodeCardView, text: str) -> TextArea:
    """`e` into the card's editor, then `text` in it at once (as a paste): the editor."""
    await pilot.press("e")
    editor = view.query_one("#editor", TextArea)
    editor.load_text(text)
    return editor


def _visible(widget) -> bool:
    """On screen now: a widget scrolled out of its container has no region in the compositor."""
    region = widget.region
    return region.height > 0 and 0 <= region.y < widget.screen.region.height


# 1. design notes are not wiped by "Tab to a point, Space ticks"; Ctrl+Z undoes typing in a field
@pilot_test
async def test_tab_then_space_after_reveal_ticks_a_point_and_keeps_the_notes(tmp_path, monkeypatch):
    ctx = new_context(tmp_path, monkeypatch)
    async with reviewing(ctx, "design-basics") as (pilot, screen):
        await pilot.press("r")  # answer aloud: the spoken view with its note fields
        await pilot.pause()
        await pilot.press("e")
        await pilot.press(*"sla 99.9")
        await pilot.press("escape", "space")
        await pilot.pause()
        assert screen.view is not None and screen.view.revealed
        await pilot.press("tab", "space")
        await pilot.pause()
        view = screen.view
        assert view.query_one("#note-requirements", Input).value == "sla 99.9"
        assert view.query_one("#check-0", Checkbox).value is True
        view.save_notes()  # type: ignore[attr-defined]
        assert ctx.store().get_note("design-basics/clickstream")["requirements"] == "sla 99.9"
    ctx.close()


@pilot_test
async def test_ctrl_z_undoes_typing_in_a_design_field(tmp_path, monkeypatch):
    ctx = new_context(tmp_path, monkeypatch)
    async with reviewing(ctx, "design-basics") as (pilot, screen):
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("e", *"keys", "backspace", "backspace", *"ep")
        field = screen.view.query_one("#note-requirements", Input)  # type: ignore[union-attr]
        assert field.value == "keep"
        await pilot.press("ctrl+z", "ctrl+z", "ctrl+z", "ctrl+z")
        assert field.value == "keys"
        await pilot.press("ctrl+y")
        assert field.value == "key"
        await pilot.press(*["ctrl+z"] * 10)
        assert field.value == ""
    ctx.close()


# 2. a failed code card comes back as recall: an empty editor, not the previous answer
@pilot_test
async def test_a_failed_code_card_comes_back_with_an_empty_editor(tmp_path, monkeypatch):
    ctx = _sql_context(tmp_path, monkeypatch)
    async with reviewing(ctx) as (pilot, screen):
        view = _code_view(screen)
        await _type_in_editor(pilot, view, WRONG)
        await pilot.press("ctrl+r")
        await settle(pilot)
        await pilot.press("ctrl+g")
        await pilot.pause()
        await pilot.press("enter")  # Again, as suggested after giving up
        await settle(pilot)
        assert [r[1] for r in review_rows(database_path(ctx.home))] == [1]
        again = screen.view  # the relearning card, back in the same session
        assert isinstance(again, CodeCardView) and again is not view
        assert again.query_one("#editor", TextArea).text == ""
        await pilot.press("e", "ctrl+r")
        await settle(pilot)
        assert not again.passed and again.attempts == []
    ctx.close()


# 3. a pyspark card starts from the function to write, built from the card's `function` and solution
def test_pyspark_editor_starts_from_the_function_signature(tmp_path, monkeypatch) -> None:
    from prepdeck.decks.model import Card
    from prepdeck.tui.components.spark_view import PySparkCardView

    ctx = new_context(tmp_path, monkeypatch)
    card = Card(
        deck_id="d",
        id="s",
        type="pyspark",
        title="Sessionize",
        prompt="p",
        function="sessionize",
        solution="from pyspark.sql import functions as F\n\n\ndef sessionize(events, gap=1800):\n    return events\n",
    )
    text = PySparkCardView(card, ctx)._initial_text()
    assert text.startswith("from pyspark.sql import functions as F\n")
    assert "def sessionize(events, gap=1800):\n" in text
    assert "return events" not in text  # the signature, never the answer
    ctx.close()


# 4. `u` after `s` undoes the suspension, not the rating before it
@pilot_test
async def test_undo_after_suspend_unsuspends_and_keeps_the_previous_rating(tmp_path, monkeypatch):
    ctx = new_context(tmp_path, monkeypatch, design=False)
    async with reviewing(ctx) as (pilot, screen):
        await pilot.press("space", "3")
        await pilot.pause()
        suspended = screen.card
        assert suspended is not None
        await pilot.press("s")
        await pilot.pause()
        assert suspended.global_id in ctx.store().suspended()
        await pilot.press("u")
        await pilot.pause()
        assert suspended.global_id not in ctx.store().suspended()
        assert screen.card is not None and screen.card.global_id == suspended.global_id
        assert [r[1] for r in review_rows(database_path(ctx.home))] == [3]
        await pilot.press("u")  # then the rating before it
        await pilot.pause()
        assert review_rows(database_path(ctx.home)) == []
    ctx.close()


# 5. digits rate only when no field has focus
@pilot_test
async def test_digits_in_design_fields_never_rate(tmp_path, monkeypatch):
    ctx = new_context(tmp_path, monkeypatch)
    async with reviewing(ctx, "design-basics") as (pilot, screen):
        await pilot.press("space")
        await pilot.pause()
        await pilot.press("e", *"11574", "tab", *"4.32", "tab")
        await pilot.pause()
        view = screen.view
        assert view is not None
        assert view.query_one("#number-0", Input).value == "11574"
        assert view.query_one("#number-1", Input).value == "4.32"
        assert isinstance(screen.focused, Checkbox)  # Tab went on to the checklist
        await pilot.press("4")
        await pilot.pause()
        assert review_rows(database_path(ctx.home)) == []
        await pilot.press("escape", "2")
        await pilot.pause()
        assert [r[1] for r in review_rows(database_path(ctx.home))] == [2]
    ctx.close()


@pilot_test
async def test_keys_typed_in_one_burst_land_in_the_fields_they_were_typed_for(tmp_path, monkeypatch):
    # tmux send-keys / a fast typist: "e" then "11574" reached the screen before "e" had focused the first
    # field, and after Tab "4.32" went into the field just left; a digit could then rate the card
    ctx = new_context(tmp_path, monkeypatch)
    async with reviewing(ctx, "design-basics") as (pilot, screen):
        await pilot.press("space")
        await burst(pilot, "e", *"11574", "tab", *"4.32", "tab", "4")
        view = screen.view
        assert view is not None
        assert view.query_one("#number-0", Input).value == "11574"
        assert view.query_one("#number-1", Input).value == "4.32"
        assert isinstance(screen.focused, Checkbox)  # the second Tab went on to the checklist
        assert review_rows(database_path(ctx.home)) == []  # and the "4" there did not rate
    ctx.close()
    ctx = _sql_context(tmp_path / "sql", monkeypatch)
    async with reviewing(ctx) as (pilot, screen):
        assert isinstance(screen.view, CodeCardView)
        editor = screen.view.query_one("#editor", TextArea)
        editor.load_text("")
        await burst(pilot, "e", *"SELECT 1")
        assert editor.text == "SELECT 1"
        # a priority key waits for the keys typed before it: Ctrl+R ran the query before it was typed
        await pilot.press("escape")
        editor.load_text("")
        await burst(pilot, "e", *"select 1", "ctrl+r")
        assert editor.text == "select 1"
        result = screen.view.last_result
        assert result is not None and "1 column, expected 3" in str(result.cases[0].message)
        # and the keys typed after it go where it put the focus: Ctrl+G leaves the editor, Enter rates
        await burst(pilot, "x", "ctrl+g", "enter")
        assert editor.text == "select 1x" and not screen.session.suspended
        assert [r[1] for r in review_rows(database_path(ctx.home))] == [1]  # Again, the suggestion
    ctx.close()


@pilot_test
async def test_enter_in_a_number_field_moves_on_in_the_order_typed(tmp_path, monkeypatch):
    # Enter moved on through Input.Submitted, a message handled after the keys typed behind it: "11574 Enter
    # 500" in one burst typed 500 into the first field too
    ctx = new_context(tmp_path, monkeypatch)
    async with reviewing(ctx, "design-basics") as (pilot, screen):
        await burst(pilot, "e", *"11574", "enter", *"500", "enter", "space")
        view = screen.view
        assert view is not None
        assert view.query_one("#number-0", Input).value == "11574"
        assert view.query_one("#number-1", Input).value == "500"
        # Enter after the last field gave the keys back to the screen: the Space after it revealed the card
        assert screen.focused is None and view.revealed
        assert review_rows(database_path(ctx.home)) == []
    ctx.close()


@pilot_test
async def test_a_priority_key_waits_for_the_keys_before_it_with_a_table_focused(tmp_path, monkeypatch):
    # with a case's table focused (not a field), Ctrl+R ran at once: "e select 1 Ctrl+R" in one burst ran the
    # empty editor ("write a query first")
    from textual.widgets import DataTable

    from prepdeck.tui.components.fields import focus_now

    ctx = _sql_context(tmp_path, monkeypatch)
    async with reviewing(ctx) as (pilot, screen):
        view = _code_view(screen)
        editor = view.query_one("#editor", TextArea)
        editor.load_text("")
        table = view.query(DataTable).first()
        focus_now(table)
        await settle(pilot)
        assert screen.focused is table
        await burst(pilot, "e", *"select 1", "ctrl+r")
        assert editor.text == "select 1"
        result = view.last_result
        assert result is not None and "1 column, expected 3" in str(result.cases[0].message)
    ctx.close()


# 8. Ctrl+G works with the editor unfocused, and the next Enter rates
@pilot_test
async def test_give_up_outside_the_editor_then_enter_rates_again(tmp_path, monkeypatch):
    ctx = _sql_context(tmp_path, monkeypatch)
    async with reviewing(ctx) as (pilot, screen):
        view = _code_view(screen)
        assert screen.focused is None
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert view.revealed and view.gave_up
        await pilot.press("enter")
        await settle(pilot)
        assert [r[1] for r in review_rows(database_path(ctx.home))] == [1]
    ctx.close()


# 7. a message from `p` appears where the user looks, even with the card scrolled down
@pilot_test
async def test_play_message_is_in_sight_on_a_scrolled_card(tmp_path, monkeypatch):
    ctx = new_context(tmp_path, monkeypatch)
    design = tmp_path / "decks" / "design.toml"
    long_answer = "\\n\\n".join(f"Step {i}: a paragraph of the model answer." for i in range(12))
    design.write_text(
        design.read_text(encoding="utf-8").replace('answer = "Kafka in', f'answer = "{long_answer} Kafka in'),
        encoding="utf-8",
    )
    async with reviewing(ctx, "design-basics") as (pilot, screen):
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("space")  # the model answer and checklist below: scroll down to them
        await settle(pilot)
        screen.view.scroll_end(animate=False)  # type: ignore[union-attr]
        await settle(pilot)
        status = screen.view.query_one("#speech-status", Static)  # type: ignore[union-attr]
        assert not _visible(status)
        await pilot.press("p")
        await settle(pilot)
        assert "nothing recorded" in str(status.render())
        assert _visible(status)
    ctx.close()


# 6. model answers wrap at 80 columns: the end of a long line is on screen
@pilot_test
async def test_long_model_answer_lines_wrap_at_80_columns(tmp_path, monkeypatch):
    ctx = _sql_context(tmp_path, monkeypatch)
    async with reviewing(ctx) as (pilot, screen):
        await pilot.press("ctrl+g")
        await settle(pilot)
        fence = screen.view.query_one("#answer").query_one("MarkdownFence")  # type: ignore[union-attr]
        assert fence.size.width <= 80
        assert fence.max_scroll_x == 0  # nothing cut off to the right
        solution_lines = len(screen.card.solution.strip().splitlines())  # type: ignore[union-attr]
        assert fence.size.height > solution_lines  # the long QUALIFY line took more than one row
    ctx.close()


# 12. nothing stale: the browser's count follows a suspend toggle; an old verdict goes when a new run starts
@pilot_test
async def test_browser_header_follows_suspend_and_unsuspend(tmp_path, monkeypatch):
    from prepdeck.tui.screens.browser import BrowserScreen

    ctx = new_context(tmp_path, monkeypatch)
    async with at_home(ctx) as pilot:
        screen = await screen_after(pilot, "b")
        assert isinstance(screen, BrowserScreen)
        top = screen.query_one("#top", Static)
        await pilot.press("s")
        await pilot.pause()
        assert "1 suspended" in str(top.render())
        await pilot.press("s")
        await pilot.pause()
        assert "suspended" not in str(top.render())
    ctx.close()


@pilot_test
async def test_a_new_run_clears_the_old_verdict(tmp_path, monkeypatch):
    ctx = _sql_context(tmp_path, monkeypatch)
    async with reviewing(ctx) as (pilot, screen):
        view = _code_view(screen)
        await _type_in_editor(pilot, view, WRONG)
        await pilot.press("ctrl+r")
        await settle(pilot)
        results = view.query_one("#results", Static)
        assert "FAILED" in rendered(results)
        view.action_run_check()  # the run starts; its verdict comes later, from a worker
        assert "FAILED" not in rendered(results)
        view.action_run_check()  # cancelled: no verdict at all, not the old one back
        await settle(pilot)
        assert "FAILED" not in rendered(results) and "PASSED" not in rendered(results)
    ctx.close()


@pilot_test
async def test_the_end_the_mock_toast_does_not_greet_the_next_mock(tmp_path, monkeypatch):
    from mock_decks import write_mock_decks

    from prepdeck.tui.screens.mock import MockScreen

    use_utc(monkeypatch)
    ctx = make_context(tmp_path / "home", write_mock_decks(tmp_path / "decks"))
    async with at_home(ctx, size=(120, 40)) as pilot:
        pilot.app.push_screen(MockScreen("design", seed=1))
        await settle(pilot)
        pilot.app.screen.set_focus(None)
        await pilot.press("escape")
        assert any(n.title == "End the mock?" for n in pilot.app._notifications)
        await pilot.press("escape")
        await settle(pilot)
        pilot.app.push_screen(MockScreen("design", seed=1))
        await settle(pilot)
        assert not any(n.title == "End the mock?" for n in pilot.app._notifications)
    ctx.close()


# 11. help at 80 columns: no markup shows, every binding id on one line, the mock's p explained
@pilot_test
async def test_help_at_80_columns_reads_cleanly(tmp_path, monkeypatch):
    from prepdeck.tui.bindings import ACTIONS
    from prepdeck.tui.screens.help import HelpScreen

    ctx = new_context(tmp_path, monkeypatch)
    async with at_home(ctx) as pilot:
        screen = await screen_after(pilot, "question_mark")
        assert isinstance(screen, HelpScreen)
        text = screen.query_one("#help-text", Static)
        lines = [str(strip.text) for strip in text.render_lines(text.size.region)]
        shown = "\n".join(lines)
        assert "[/b]" not in shown and "[dim]" not in shown
        assert "the week before" in shown and "[ " in shown  # the key "[" itself, not eaten as markup
        for action in ACTIONS:
            assert any(action.id in line.split() for line in lines), action.id
        assert "F8" in shown and "spoken" in shown  # where p plays audio, F8 pauses
    ctx.close()


# 10. small and resized terminals
def _footer_keys(screen) -> list[str]:
    """The footer entries drawn wholly on screen."""
    from textual.widgets._footer import FooterKey

    width = screen.app.size.width
    return [k.description for k in screen.query(FooterKey) if k.region.width and k.region.right <= width]


@pilot_test
async def test_home_at_60x20_and_widened_to_120(tmp_path, monkeypatch):
    from textual.widgets import DataTable

    ctx = new_context(tmp_path, monkeypatch)
    async with at_home(ctx, size=(60, 20)) as pilot:
        screen = pilot.app.screen
        table = screen.query_one("#decks", DataTable)
        assert table.columns[next(iter(table.columns))].width >= 14  # deck names, not "Du"
        assert table.virtual_size.width <= table.size.width  # every column in sight
        assert {"Quit", "Help"} <= set(_footer_keys(screen))
        await pilot.resize_terminal(120, 30)
        await settle(pilot)
        title = table.columns[next(iter(table.columns))]
        assert title.width == 40  # laid out again for the wider terminal
    ctx.close()


@pilot_test
async def test_review_at_60x20_keeps_rating_buttons_whole_and_quit_help_in_the_footer(tmp_path, monkeypatch):
    from textual.widgets import Button

    ctx = new_context(tmp_path, monkeypatch, design=False)
    async with reviewing(ctx, size=(60, 20)) as (pilot, screen):
        await pilot.press("space")
        await settle(pilot)
        for button in screen.query(".rate").results(Button):
            label = str(button.label)
            assert button.region.right <= 60
            assert button.region.height == 3 and button.content_region.height == 1, (
                label
            )  # one line, bordered
        assert "Help" in _footer_keys(screen)
    ctx.close()


# 13. `e Edit` only where something can be edited
@pilot_test
async def test_edit_is_offered_only_on_cards_with_something_to_type_into(tmp_path, monkeypatch):
    ctx = new_context(tmp_path, monkeypatch)
    async with reviewing(ctx, "alpha", size=(100, 24)) as (pilot, screen):
        assert screen.card is not None and screen.card.type == "recall"
        assert "Edit" not in _footer_keys(screen)
        pilot.app.pop_screen()
        screen = await open_review(pilot, "design-basics")
        assert "Edit" in _footer_keys(screen)
    ctx.close()


# as in Anki: Space or Enter on the answer side is Good when nothing is suggested
@pilot_test
async def test_space_on_the_answer_side_rates_good(tmp_path, monkeypatch):
    ctx = new_context(tmp_path, monkeypatch, design=False)
    async with reviewing(ctx) as (pilot, _):
        await pilot.press("space", "space")
        await pilot.pause()
        await pilot.press("enter", "enter")
        await pilot.pause()
        assert [r[1] for r in review_rows(database_path(ctx.home))] == [3, 3]
    ctx.close()


# a run that names a table that does not exist is not a failed try: the pass after it is a first-run pass
@pilot_test
async def test_a_wrong_table_name_is_not_a_failed_try(tmp_path, monkeypatch):
    ctx = _sql_context(tmp_path, monkeypatch)
    async with reviewing(ctx) as (pilot, screen):
        view = _code_view(screen)
        editor = await _type_in_editor(pilot, view, WRONG.replace("FROM order_events", "FROM orders"))
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert view.attempts and not view.attempts[0]["passed"]
        editor.load_text(WRONG.replace("status_id ASC", "status_id DESC"))
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert view.passed and screen.suggested == 3  # Good (a new card), not Hard
    ctx.close()


# 9. the plan (Ctrl+T) opens in sight at 80x24, its boxes unbroken (they scroll sideways)
@pilot_test
async def test_plan_panel_opens_in_sight_with_unbroken_boxes(tmp_path, monkeypatch):
    ctx = _sql_context(tmp_path, monkeypatch)
    async with reviewing(ctx) as (pilot, screen):
        view = _code_view(screen)
        await _type_in_editor(pilot, view, WRONG)
        await pilot.press("escape", "ctrl+t")
        await settle(pilot)
        panel = view.query_one("#translation", Static)
        assert _visible(panel) or panel.region.height > 0
        assert panel.region.y < 24 - 5  # its top is on screen, not below the fold
        plan = rendered(panel)
        assert "Plan" in plan
        longest = max(len(line.rstrip()) for line in plan.splitlines())
        assert panel.size.width >= longest - 2  # laid out as wide as its widest line: nothing wrapped
    ctx.close()


@pilot_test
async def test_a_plan_that_cannot_be_made_says_why_in_sight(tmp_path, monkeypatch):
    # Ctrl+T in the editor on a query naming an unknown table: the error box opened below the fold
    ctx = _sql_context(tmp_path, monkeypatch)
    async with reviewing(ctx) as (pilot, screen):
        view = _code_view(screen)
        await _type_in_editor(pilot, view, "select * from no_such_table")
        await pilot.press("ctrl+t")
        await settle(pilot)
        panel = view.query_one("#translation", Static)
        assert "no_such_table" in rendered(panel)
        assert _visible(panel) and panel.region.bottom <= 24 - 4  # above the rating bar and the footer
    ctx.close()


# as in Anki: the top bar counts what is left as new / learning / review, never a total that grows
@pilot_test
async def test_top_bar_counts_new_learning_and_review(tmp_path, monkeypatch):
    ctx = new_context(tmp_path, monkeypatch, design=False)
    async with reviewing(ctx, size=(100, 24)) as (pilot, screen):
        top = screen.query_one("#top", Static)
        assert "3 new 0 learning 0 review" in str(top.render())
        await pilot.press("space", "1")  # Again: back in the same session, as learning
        await pilot.pause()
        assert "2 new 1 learning 0 review" in str(top.render())
    ctx.close()


# the dialect picked is the default from then on (config.toml), not reset to duckdb on the next card
@pilot_test
async def test_the_dialect_picked_becomes_the_default(tmp_path, monkeypatch):
    from prepdeck.core.config import load_config

    ctx = _sql_context(tmp_path, monkeypatch)
    (ctx.home / "config.toml").write_text("# mine\n[review]\nnew_per_day = 20\n", encoding="utf-8")
    async with reviewing(ctx) as (pilot, screen):
        view = _code_view(screen)
        assert view.dialect == "duckdb"
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert view.dialect == "bigquery"
        card = screen.card
        pilot.app.scheduling.review(card, 3, now=pilot.app.now(), duration_ms=1000)
        ctx.store().delete_draft(card.global_id)
        await screen.show_card(card)
        await settle(pilot)
        assert screen.view.dialect == "bigquery"  # type: ignore[union-attr]
    text = (ctx.home / "config.toml").read_text(encoding="utf-8")
    assert text.startswith("# mine\n[review]\nnew_per_day = 20\n")
    assert load_config(ctx.home).sql.dialect == "bigquery"
    ctx.close()


# after `w`: the report's full path, and a key that opens it (or shows the path with no desktop)
@pilot_test
async def test_after_w_the_full_path_is_shown_and_v_opens_or_names_it(tmp_path, monkeypatch):
    ctx = new_context(tmp_path, monkeypatch)
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setattr("sys.platform", "linux")  # no desktop: the path is shown instead
    async with at_home(ctx, size=(100, 24)) as pilot:
        await pilot.press("w")
        await settle(pilot)
        html = (ctx.home / "reports").resolve()
        messages = [n.message for n in pilot.app._notifications]
        written = next(m for m in messages if m.startswith("Report written: "))
        assert str(html) in written and "v opens it" in written
        await pilot.press("v")
        await pilot.pause()
        last = [n.message for n in pilot.app._notifications][-1]
        assert last.startswith("No desktop to open it with: ") and str(html) in last
    ctx.close()


# one "retention", defined as the statistics define it and labelled: first answers to new cards do not count
@pilot_test
async def test_session_retention_counts_only_cards_seen_before(tmp_path, monkeypatch):
    ctx = new_context(tmp_path, monkeypatch, design=False)
    async with reviewing(ctx, size=(100, 30)) as (pilot, screen):
        await pilot.press("space", "1")  # a new card forgotten: learning, not a lapse of recall
        await pilot.pause()
        for _ in range(2):
            await pilot.press("space", "3")
            await pilot.pause()
        await pilot.press("space", "3")  # the forgotten card again, now seen before: recalled
        await pilot.pause()
        await pilot.press("escape")  # end here: the summary
        await pilot.pause()
        summary = str(screen.query_one("#summary", Static).render())
        assert "Retention 100%" in summary and "cards seen before" in summary
    ctx.close()


# a design answer whose capacity numbers are right ticks the checklist points that name them
@pilot_test
async def test_right_capacity_numbers_tick_the_points_that_name_them(tmp_path, monkeypatch):
    ctx = new_context(tmp_path, monkeypatch)
    design = tmp_path / "decks" / "design.toml"
    design.write_text(
        design.read_text(encoding="utf-8").replace(
            '"Exactly-once sink"', '"Exactly-once sink", "About 500 GB of raw events per day"'
        ),
        encoding="utf-8",
    )
    async with reviewing(ctx, "design-basics", size=(100, 30)) as (pilot, screen):
        await pilot.press("e", *"11574", "tab", *"500", "escape", "space")
        await settle(pilot)
        view = screen.view
        assert view is not None
        assert view.query_one("#check-3", Checkbox).value is True  # "About 500 GB …": the number's point
        assert view.query_one("#check-0", Checkbox).value is False
        assert "numbers ticked their points" in rendered(view.query_one("#coverage", Static))
    ctx.close()


# at 80x24 the schema stays reachable while typing: F3 flips between the tables and the editor
@pilot_test
async def test_f3_flips_between_the_tables_and_the_editor(tmp_path, monkeypatch):
    ctx = _sql_context(tmp_path, monkeypatch)
    async with reviewing(ctx) as (pilot, screen):
        view = _code_view(screen)
        await pilot.press("e", *"SELECT")
        await settle(pilot)
        table_name = view.query_one(".table-name")
        assert not _visible(table_name)  # typing: the editor fills the card
        await pilot.press("f3")
        await settle(pilot)
        assert _visible(table_name) and view.editor.has_focus
        await pilot.press(*" 1")
        await pilot.press("f3")
        await settle(pilot)
        assert _visible(view.editor) and view.editor.text == "SELECT 1"
    ctx.close()


# as on LeetCode: the SQL card shows what the visible example should return
@pilot_test
async def test_sql_card_shows_the_expected_output_of_the_visible_example(tmp_path, monkeypatch):
    from textual.widgets import DataTable

    ctx = _sql_context(tmp_path, monkeypatch)
    async with reviewing(ctx, size=(100, 40)) as (pilot, screen):
        await settle(pilot)
        view = _code_view(screen)
        grid = view.query_one(".expected-output", DataTable)
        rows = {tuple(str(c) for c in grid.get_row_at(i)) for i in range(grid.row_count)}
        # o1's latest is PAID (11:00), o2 has one row
        assert [str(c.label) for c in grid.columns.values()] == ["order_id", "status", "updated_at"]
        assert {r[:2] for r in rows} == {("o1", "PAID"), ("o2", "NEW")}
    ctx.close()


@pilot_test
async def test_ctrl_a_selects_all_in_the_code_editor_and_in_a_note_field(tmp_path, monkeypatch):
    # Textual's Ctrl+A moved to the line start; a user who selects all and types expected a fresh answer
    ctx = _sql_context(tmp_path, monkeypatch)
    async with reviewing(ctx) as (pilot, screen):
        view = _code_view(screen)
        editor = await _type_in_editor(pilot, view, "SELECT 1\nFROM t")
        await pilot.press("ctrl+a")
        assert editor.selected_text == "SELECT 1\nFROM t"
        await pilot.press("x")
        assert editor.text == "x"
    ctx.close()
    ctx = new_context(tmp_path / "design", monkeypatch)
    async with reviewing(ctx, "design-basics") as (pilot, screen):
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("e", *"sla 99.9", "ctrl+a", "z")
        assert screen.view.query_one("#note-requirements", Input).value == "z"  # type: ignore[union-attr]
    ctx.close()


@pilot_test
async def test_the_home_heatmap_counts_one_review_in_the_singular(tmp_path, monkeypatch):
    # "1 reviews in 12 weeks" under the heatmap after the first answer
    ctx = new_context(tmp_path, monkeypatch)
    async with reviewing(ctx, size=(120, 40)) as (pilot, _):
        await pilot.press("space", "3")
        await settle(pilot)
        await pilot.press("escape", "escape")  # the session's summary, then home
        await settle(pilot)
        assert "1 review in 12 weeks" in rendered(pilot.app.screen.query_one("#today", Static))
    ctx.close()
