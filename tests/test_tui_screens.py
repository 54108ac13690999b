"""Home, browser, help and key remapping through the real app; launch errors through the CLI."""

from __future__ import annotations

import sqlite3

from tui_support import NOW, Clock, at_home, new_context, pilot_test, screen_after, settle

from prepdeck.cli import main
from prepdeck.core.paths import database_path
from prepdeck.tui.app import PrepdeckApp
from prepdeck.tui.bindings import validate_keymap
from prepdeck.tui.screens.browser import BrowserScreen
from prepdeck.tui.screens.help import HelpScreen
from prepdeck.tui.screens.home import HomeScreen
from prepdeck.tui.screens.review import ReviewScreen


def table_rows(table) -> list[list[str]]:
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


@pilot_test
async def test_home_lists_decks_counts_and_broken_deck(tmp_path, monkeypatch):
    ctx = new_context(tmp_path, monkeypatch, broken=True)
    async with at_home(ctx) as pilot:
        screen = pilot.app.screen
        assert isinstance(screen, HomeScreen)
        rows = table_rows(screen.query_one("#decks"))
        assert rows[0][:5] == ["All decks", "", "0", "4", "4"]
        assert rows[1][:5] == ["Alpha patterns", "sql", "0", "3", "3"]
        problems = str(screen.query_one("#problems-text").render())
        assert "broken.toml:6: unknown key 'colour'" in problems
        assert not screen.query_one("#problems").has_class("hidden")
        # a review lands in today's count and the new count when the home screen comes back
        await pilot.press("r")
        await settle(pilot)
        await pilot.press("space", "4", "escape")  # ends the session early: its summary
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(pilot.app.screen, HomeScreen)
        rows = table_rows(screen.query_one("#decks"))
        assert rows[0][3] == "3"
        assert "Today 1 reviewed" in str(screen.query_one("#top").render())
    ctx.close()


@pilot_test
async def test_deck_titles_get_the_room_a_wider_terminal_offers(tmp_path, monkeypatch):
    from textual.widgets import DataTable

    for width, title_width in ((80, 18), (120, 40)):
        ctx = new_context(tmp_path / str(width), monkeypatch)
        async with at_home(ctx, size=(width, 24)) as pilot:
            table = pilot.app.screen.query_one("#decks", DataTable)
            widths = {str(key.value): column.width for key, column in table.columns.items()}
            assert widths["title"] == title_width and widths["round"] == 7
            # everything fits: the table never scrolls sideways on the home screen
            assert table.virtual_size.width <= table.size.width
        ctx.close()


@pilot_test
async def test_enter_on_a_deck_reviews_only_that_deck(tmp_path, monkeypatch):
    ctx = new_context(tmp_path, monkeypatch)
    async with at_home(ctx) as pilot:
        screen = await screen_after(pilot, "down", "down", "enter")  # All decks, Alpha, Design basics
        assert isinstance(screen, ReviewScreen)
        assert screen.deck_id == "design-basics"
        assert screen.card is not None and screen.card.deck_id == "design-basics"
    ctx.close()


@pilot_test
async def test_browser_search_suspend_and_history(tmp_path, monkeypatch):
    ctx = new_context(tmp_path, monkeypatch)
    async with at_home(ctx) as pilot:
        card = ctx.decks().card("alpha/null-not-in")
        pilot.app.scheduling.review(card, 3, now=NOW, duration_ms=12_000)
        screen = await screen_after(pilot, "b")
        assert isinstance(screen, BrowserScreen)
        table = screen.query_one("#cards")
        assert table.row_count == 4
        await pilot.press("slash", *"tag:nulls")
        await pilot.pause()
        assert [r[-1] for r in table_rows(table)] == ["null-not-in"]
        await pilot.press("enter")  # back to the table
        await settle(pilot)
        history = str(screen.query_one("#history").render())
        assert "Good" in history and "12s" in history and "2026-11-26 09:15" in history
        await pilot.press("s")
        await pilot.pause()
        assert ctx.store().suspended() == {"alpha/null-not-in": "user"}
        assert "suspended" in table_rows(table)[0]
        assert table_rows(table)[0][2] == "suspended"  # the Due column: the Flag column is off at 80 wide
        await settle(pilot)
        history = str(screen.query_one("#history").render())
        assert "1 review · 0 lapses · suspended" in history and "user" not in history
        await pilot.press("s")
        await pilot.pause()
        assert ctx.store().suspended() == {}
        assert table_rows(table)[0][2] != "suspended"
        # words search title, prompt and answer; filters combine
        await pilot.press("slash", *["backspace"] * 9, *"frames type:recall")
        await pilot.pause()
        assert [r[-1] for r in table_rows(table)] == ["window-frames"]
        await pilot.press(*["backspace"] * 18, *"is:new")
        await pilot.pause()
        assert {r[-1] for r in table_rows(table)} == {"window-frames", "dedupe-latest", "clickstream"}
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert isinstance(pilot.app.screen, HomeScreen)
    ctx.close()


KEYS_CONFIG = """
[keys]
reveal = "x"
rate_good = "j"
nonsense = "k"
undo = "ctrl+wat"
"""


def _help_text(widget) -> str:
    """The help as shown: rendered the width the help box has at 100 columns."""
    from rich.console import Console

    console = Console(width=widget.size.width, record=True)
    console.print(widget.content)
    return console.export_text()


@pilot_test
async def test_keys_remapped_from_config_and_listed_in_help(tmp_path, monkeypatch):
    ctx = new_context(tmp_path, monkeypatch, design=False, config=KEYS_CONFIG)
    async with at_home(ctx, size=(100, 40)) as pilot:
        messages = [n.message for n in pilot.app._notifications]
        assert any("[keys].nonsense: no such action" in m for m in messages)
        assert any("[keys].undo: unknown key 'ctrl+wat'" in m for m in messages)
        screen = await screen_after(pilot, "r")
        assert isinstance(screen, ReviewScreen)
        first = screen.card
        await pilot.press("space")
        assert not screen.view.revealed  # Space no longer reveals
        await pilot.press("x")
        assert screen.view.revealed
        await pilot.press("j")
        await pilot.pause()
        rows = (
            sqlite3.connect(database_path(ctx.home)).execute("SELECT card_id, rating FROM reviews").fetchall()
        )
        assert rows == [(first.global_id, 3)]
        await pilot.press("u")  # the bad remap of undo kept the default key
        await pilot.pause()
        assert screen.card is first
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(pilot.app.screen, HelpScreen)
        text = _help_text(pilot.app.screen.query_one("#help-text"))
        reveal_line = next(
            line for line in text.splitlines() if "reveal" in line and "show the answer" in line
        )
        assert reveal_line.split()[0] == "x" and "(remapped)" in reveal_line
        assert any(line.split()[:1] == ["u"] and "undo" in line for line in text.splitlines())
        assert "no such action" in text
        await pilot.press("escape")
        assert isinstance(pilot.app.screen, ReviewScreen)
    ctx.close()


@pilot_test
async def test_help_lists_card_view_and_statistics_keys_with_remaps(tmp_path, monkeypatch):
    config = '[keys]\nrecord = "ctrl+e"\nprev_week = "comma"\n'
    ctx = new_context(tmp_path, monkeypatch, design=False, config=config)
    async with at_home(ctx, size=(100, 60)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        text = _help_text(pilot.app.screen.query_one("#help-text"))
        lines = text.splitlines()

        def line_of(action_id: str) -> str:
            return next(
                line
                for line in lines
                if line.split()[-1:] == [action_id] or f" {action_id} (remapped)" in line
            )

        for heading in ("Review: SQL and PySpark cards", "Review: spoken answers", "Statistics"):
            assert any(line.startswith(heading) for line in lines), heading
        code = lines.index(next(line for line in lines if line.startswith("Review: SQL")))
        speech = lines.index(next(line for line in lines if line.startswith("Review: spoken")))
        assert code < lines.index(line_of("run_check")) < speech  # grouped under their screen
        assert line_of("run_check").split()[0] == "Ctrl+R"
        assert line_of("give_up").split()[0] == "Ctrl+G"
        assert line_of("cycle_dialect").split()[0] == "Ctrl+L"
        assert line_of("show_translation").split()[0] == "Ctrl+T"
        assert line_of("record").split()[0] == "Ctrl+E" and "(remapped)" in line_of("record")
        assert line_of("import_audio").split()[0] == "i" and line_of("play").split()[0] == "p"
        assert line_of("cancel_transcription").split()[0] == "c"
        assert line_of("prev_week").split()[0] == "," and line_of("next_week").split()[0] == "]"
        assert line_of("week_report").split()[0] == "w"
    ctx.close()


def test_keys_inside_card_views_clash_with_the_review_screen_keys():
    _, problems = validate_keymap({"undo": "p", "run_check": "space"}, "c.toml")
    assert any("'p' is bound to both play and undo" in p and "spoken answers" in p for p in problems)
    assert any("'space' is bound to both" in p and "run_check" in p for p in problems)
    assert validate_keymap({"run_check": "f2", "record": "ctrl+e"}, "c.toml") == (
        {"run_check": "f2", "record": "ctrl+e"},
        [],
    )


def test_validate_keymap_reports_clashes_and_keeps_good_entries():
    keymap, problems = validate_keymap({"reveal": "space,enter", "rate_good": "u", "browse": "?"}, "c.toml")
    assert keymap == {"reveal": "space,enter", "rate_good": "u", "browse": "question_mark"}
    assert any("'u' is bound to both" in p and "review" in p for p in problems)
    assert any("'question_mark' is bound to both" in p for p in problems)


def test_review_unknown_deck_is_one_line_exit_2(tmp_path, monkeypatch, capsys):
    ctx = new_context(tmp_path, monkeypatch)
    status = main(["review", "no-such-deck", "--home", str(ctx.home), "--decks", str(tmp_path / "decks")])
    err = capsys.readouterr().err
    assert status == 2
    assert err.count("\n") == 1 and "no deck 'no-such-deck'" in err and "alpha" in err


def test_newer_database_is_refused_in_one_line(tmp_path, monkeypatch, capsys):
    ctx = new_context(tmp_path, monkeypatch)
    ctx.store().set_meta("schema_version", "99")
    ctx.close()
    before = database_path(ctx.home).read_bytes()
    status = main(["--home", str(ctx.home)])
    err = capsys.readouterr().err
    assert status == 2
    assert err.count("\n") == 1 and "newer prepdeck" in err and "Traceback" not in err
    assert database_path(ctx.home).read_bytes() == before


@pilot_test
async def test_review_on_start_and_command_palette(tmp_path, monkeypatch):
    ctx = new_context(tmp_path, monkeypatch, config='[review]\nlearning_steps = ["1m", "soon"]\n')
    app = PrepdeckApp(ctx, clock=Clock(), review=True, review_deck="alpha")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen) and app.screen.deck_id == "alpha"
        assert app.screen.card is not None and app.screen.card.deck_id == "alpha"
        assert any("learning_steps" in n.message for n in app._notifications)  # a settings problem, shown
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"browse cards")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, BrowserScreen)
    ctx.close()


def test_plot_axis_labels_are_thinned_so_none_overlap():
    from itertools import pairwise

    from prepdeck.tui.screens.stats import thinned_ticks

    labels = [f"{day:02d}" for day in range(1, 31)]
    for width in (20, 37, 60, 120):
        positions, shown = thinned_ticks(labels, width)
        assert positions[-1] == 29 and shown[-1] == "30"  # the latest day is always labelled
        assert shown == [labels[i] for i in positions]
        canvas = width - 9
        columns = [p * canvas / len(labels) for p in positions]  # where plotext puts each label
        assert all(b - a >= 4 for a, b in pairwise(columns)), width
    assert thinned_ticks(labels, 400)[1] == labels and thinned_ticks([], 80) == ([], [])


@pilot_test
async def test_settings_problems_are_one_readable_notification(tmp_path, monkeypatch):
    """Every problem of config.toml shows at 80x24, with its [section] as written (not eaten as markup)."""
    config = '[review]\nnew_per_dy = 5\n\n[keys]\nreveal = "ctrl+banana"\nrate_good = "1"\n'
    ctx = new_context(tmp_path, monkeypatch, config=config)
    async with at_home(ctx) as pilot:
        assert isinstance(pilot.app.screen, HomeScreen)
        settings = [n for n in pilot.app._notifications if n.title.startswith("Settings")]
        assert len(settings) == 1 and not settings[0].markup
        message = settings[0].message
        assert "[review]" in message and "new_per_dy" in message
        assert "[keys].reveal" in message and "ctrl+banana" in message
        assert message.count("'1' is bound to both rate_again and rate_good") == 1  # not once per card view
    ctx.close()


@pilot_test
async def test_typing_on_the_browser_table_goes_to_the_search(tmp_path, monkeypatch):
    # a first-time user typed "type:star" into what looks like the search box: t and y did nothing and p
    # practised every card shown; the keys bound on the table (s, p) keep their action
    from prepdeck.tui.screens.review import ReviewScreen

    ctx = new_context(tmp_path, monkeypatch)
    async with at_home(ctx) as pilot:
        screen = await screen_after(pilot, "b")
        assert isinstance(screen, BrowserScreen) and screen.focused is screen.query_one("#cards")
        await pilot.press(*"type:sql")
        await settle(pilot)
        assert pilot.app.screen is screen and screen.query_one("#search").value == "type:sql"
        assert [r[-1] for r in table_rows(screen.query_one("#cards"))] == ["dedupe-latest"]
        await pilot.press("ctrl+a", *"type:sql")  # Ctrl+A selects all here too (it went to the line start)
        await settle(pilot)
        assert screen.query_one("#search").value == "type:sql"
        await pilot.press("enter", "p")  # back on the table, p practises what the search shows
        await settle(pilot)
        assert isinstance(pilot.app.screen, ReviewScreen)
        assert [c.global_id for c in pilot.app.screen.practice.cards] == ["alpha/dedupe-latest"]
