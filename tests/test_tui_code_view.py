"""The SQL card view in the real app: editor, Ctrl+R runs the real judge in a worker, results, drafts,
dialects, translation and plan, give up, the suggested rating and what is stored with the review."""

from __future__ import annotations

import json
from contextlib import asynccontextmanager
from pathlib import Path

from sql_cards import DECK, write_deck
from textual.widgets import DataTable, Select, Static, TextArea
from tui_support import (
    make_context,
    pilot_test,
    rendered,
    review_rows,
    reviewing,
    settle,
    use_utc,
)

from prepdeck.core.paths import database_path
from prepdeck.tui.components.code_view import CodeCardView, render_result, suggest_rating, without_solution

GOOD = """SELECT order_id, status, updated_at FROM order_events
QUALIFY ROW_NUMBER() OVER (PARTITION BY order_id ORDER BY updated_at DESC, status_id DESC) = 1"""
WRONG = GOOD.replace("status_id DESC", "status_id ASC")


def _context(tmp_path: Path, monkeypatch, config: str | None = None):
    use_utc(monkeypatch)
    decks = write_deck(tmp_path / "decks", DECK).parent
    home = tmp_path / "home"
    home.mkdir(parents=True, exist_ok=True)
    if config:
        (home / "config.toml").write_text(config, encoding="utf-8")
    return make_context(home, decks)


@asynccontextmanager
async def _on_the_card(ctx, size: tuple[int, int] = (120, 50)):
    """The real app on `ctx` at `size`, reviewing the deck's SQL card: (pilot, review screen, its view)."""
    async with reviewing(ctx, size=size) as (pilot, screen):
        view = screen.view
        assert isinstance(view, CodeCardView), type(view)
        assert screen.card is not None and screen.card.global_id == "judge-test/latest-order"
        yield pilot, screen, view


async def _write_and_run(pilot, view: CodeCardView, text: str) -> None:
    await pilot.press("e")
    editor = view.query_one("#editor", TextArea)
    assert editor.has_focus
    editor.load_text(text)
    await pilot.press("ctrl+r")
    await settle(pilot)


def _results_text(view: CodeCardView) -> str:
    return rendered(view.query_one("#results", Static))


@pilot_test
async def test_fail_then_pass_suggests_hard_and_stores_attempts_and_payload(tmp_path, monkeypatch):
    ctx = _context(tmp_path, monkeypatch)
    async with _on_the_card(ctx) as (pilot, screen, view):
        # visible case data is on screen; the hidden cases' data is not
        grids = list(view.query_one("#case-0").query(DataTable))
        assert grids and grids[0].row_count == 3
        assert not list(view.query_one("#case-1").query(DataTable))

        await _write_and_run(pilot, view, WRONG)
        assert view.attempts and not view.attempts[0]["passed"]
        text = _results_text(view)
        assert "FAILED" in text and "tie on timestamp" in text and "1 row missing, 1 unexpected" in text
        assert "PAID" not in text  # the hidden case's rows stay hidden before passing

        await _write_and_run(pilot, view, GOOD)
        assert view.passed
        assert screen.suggested == 2  # passed after a failed run: Hard
        assert list(view.query_one("#case-1").query(DataTable))  # hidden data shown once passed

        attempts = ctx.store().attempts_for("judge-test/latest-order")
        assert [a["passed"] for a in attempts] == [0, 1]
        assert json.loads(attempts[1]["result"])["passed"] is True

        await pilot.press("escape")
        await pilot.press("space")
        assert not view.query_one("#answer").has_class("hidden")
        await pilot.press("enter")  # accept the suggestion
        await settle(pilot)
    import sqlite3

    conn = sqlite3.connect(database_path(ctx.home))
    try:
        rating, payload = conn.execute(
            "SELECT rating, payload FROM reviews WHERE card_id = ?", ["judge-test/latest-order"]
        ).fetchone()
        linked = conn.execute("SELECT COUNT(*) FROM attempts WHERE review_id IS NOT NULL").fetchone()[0]
    finally:
        conn.close()
    data = json.loads(payload)
    assert rating == 2
    assert data["attempts"] == 2 and data["passed"] is True and data["gave_up"] is False
    assert data["final_answer"] == GOOD and data["dialect"] == "duckdb"
    assert data["results"]["cases"][1] == {
        "name": "tie on timestamp",
        "hidden": True,
        "passed": True,
        "message": "",
    }
    assert linked == 2
    ctx.close()


@pilot_test
async def test_first_run_pass_fast_suggests_good_on_a_new_card_easy_on_a_seen_one(tmp_path, monkeypatch):
    ctx = _context(tmp_path, monkeypatch)
    async with _on_the_card(ctx) as (pilot, screen, view):  # the clock does not move: solved in 0 s
        await _write_and_run(pilot, view, GOOD)
        assert view.passed and screen.suggested == 3  # first sight: Good, never Easy
        card = screen.card
        pilot.app.scheduling.review(card, 3, now=pilot.app.now(), duration_ms=1000)  # seen once before
        await screen.show_card(card)
        await settle(pilot)
        view = screen.view
        await _write_and_run(pilot, view, GOOD)
        assert view.passed and screen.suggested == 4
    ctx.close()


def test_suggestion_rules() -> None:
    assert suggest_rating(True, 0, False, 30) == 4
    assert suggest_rating(True, 0, False, 30, new_card=True) == 3
    assert suggest_rating(True, 0, False, 600) == 3
    assert suggest_rating(True, 2, False, 30) == 2
    assert suggest_rating(False, 3, True, 30) == 1
    assert suggest_rating(False, 1, False, 30) is None


@pilot_test
async def test_give_up_reveals_solution_and_hidden_data_and_suggests_again(tmp_path, monkeypatch):
    ctx = _context(tmp_path, monkeypatch)
    async with _on_the_card(ctx) as (pilot, screen, view):
        await _write_and_run(pilot, view, WRONG)
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert view.revealed and view.gave_up
        assert screen.suggested == 1
        assert not view.query_one("#answer").has_class("hidden")
        assert list(view.query_one("#case-1").query(DataTable))
        assert "PAID" in _results_text(view)  # the hidden case's diff is shown now
        assert view.review_payload()["gave_up"] is True
    ctx.close()


@pilot_test
async def test_draft_and_dialect_survive_leaving_the_card(tmp_path, monkeypatch):
    ctx = _context(tmp_path, monkeypatch)
    async with _on_the_card(ctx) as (pilot, _, view):
        await pilot.press("e")
        view.query_one("#editor", TextArea).load_text("SELECT `order_id` FROM order_events")
        await pilot.press("ctrl+l", "ctrl+l", "ctrl+l", "ctrl+l", "ctrl+l")  # duckdb -> … -> mysql
        await pilot.pause()
        assert view.query_one("#dialect", Select).value == "mysql" and view.dialect == "mysql"
        await pilot.pause(1.0)  # the debounced save
        assert ctx.store().get_draft("judge-test/latest-order") == (
            "SELECT `order_id` FROM order_events",
            "mysql",
        )
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert view.last_result is not None and view.last_result.dialect == "mysql"
        assert view.last_result.cases[0].message == "1 column, expected 3"

    # a new session on the same card starts from the draft, in its dialect
    async with _on_the_card(ctx) as (pilot, _, view):
        assert view.query_one("#editor", TextArea).text == "SELECT `order_id` FROM order_events"
        assert view.dialect == "mysql"
    ctx.close()


@pilot_test
async def test_translation_and_plan(tmp_path, monkeypatch):
    ctx = _context(tmp_path, monkeypatch)
    async with _on_the_card(ctx) as (pilot, _, view):
        await pilot.press("e")
        view.query_one("#editor", TextArea).load_text(
            "SELECT IFF(status_id > 1, 'late', 'early') FROM order_events"
        )
        view.query_one("#dialect", Select).value = "snowflake"
        await pilot.press("ctrl+t")
        await settle(pilot)
        panel = view.query_one("#translation", Static)
        assert not panel.has_class("hidden")
        text = rendered(panel)
        assert "CASE WHEN" in text.upper() and "Plan" in text and "ORDER_EVENTS" in text.upper()
    ctx.close()


@pilot_test
async def test_runaway_query_is_a_failed_run_and_the_app_stays_responsive(tmp_path, monkeypatch):
    ctx = _context(tmp_path, monkeypatch, config="[sql]\ntime_limit_s = 0.5\n")
    async with _on_the_card(ctx) as (pilot, _, view):
        await _write_and_run(
            pilot,
            view,
            "WITH RECURSIVE r AS (SELECT 1 AS x UNION ALL SELECT x + 1 FROM r) "
            "SELECT x, x, x FROM r WHERE x < 0",
        )
        assert view.last_result is not None
        assert view.last_result.error == "time limit of 0.5 s exceeded"
        assert not view.running
        await _write_and_run(pilot, view, GOOD)
        assert view.passed
    ctx.close()


def test_render_result_hides_hidden_rows_until_revealed() -> None:
    from rich.console import Console

    from prepdeck.checkers.result import CaseResult, CheckResult

    result = CheckResult(
        "d/c",
        "editor",
        "duckdb",
        False,
        12.0,
        cases=[
            CaseResult("secret", True, False, message="1 row missing", missing=[["s3cr3t", 1]]),
            CaseResult("open", False, False, message="wrong order at row 2", order_mismatch_at=2),
        ],
    )

    def text(reveal: bool) -> str:
        console = Console(width=100, record=True)
        console.print(render_result(result, reveal))
        return console.export_text()

    assert "s3cr3t" not in text(False) and "1 row missing" in text(False)
    assert "s3cr3t" in text(True)
    assert "order differs from row 2" in text(False)


@pilot_test
async def test_run_check_remapped_in_config_runs_the_judge_and_the_hint_says_so(tmp_path, monkeypatch):
    ctx = _context(tmp_path, monkeypatch, config='[keys]\nrun_check = "f2"\ngive_up = "ctrl+b"\n')
    async with _on_the_card(ctx) as (pilot, _, view):
        assert pilot.app.key_problems == []
        hint = str(view.query_one(".code-hint", Static).render())
        assert "F2 run" in hint and "Ctrl+B give up" in hint and "Ctrl+R" not in hint
        await pilot.press("e")
        view.query_one("#editor", TextArea).load_text(GOOD)
        await pilot.press("ctrl+r")  # the default key no longer runs
        await settle(pilot)
        assert view.attempts == [] and not view.running
        await pilot.press("f2")
        await settle(pilot)
        assert [a["passed"] for a in view.attempts] == [True]
        assert "F2 cancels" in view.running_status()
    ctx.close()


def _in_sight(view: CodeCardView, selector: str) -> bool:
    """The widget's first row is inside the card's visible region."""
    region = view.query_one(selector).region
    return view.region.y <= region.y < view.region.bottom


@pilot_test
async def test_at_80x24_the_verdict_and_the_model_answer_come_into_sight(tmp_path, monkeypatch):
    """Below a 14-row editor the run's results were off screen; Escape jumped back to the case tabs; after
    Ctrl+G the editor kept focus (1–4 typed into it) and the model answer stayed below the fold."""
    ctx = _context(tmp_path, monkeypatch)
    async with _on_the_card(ctx, size=(80, 24)) as (pilot, screen, view):
        await _write_and_run(pilot, view, WRONG)
        assert view.last_result is not None and not view.last_result.passed
        assert _in_sight(view, "#results") and view.query_one("#results").region.bottom <= view.region.bottom
        scrolled = view.scroll_y
        # in the editor Escape only leaves it, and the footer says so; outside, it ends the session
        assert screen.active_bindings["escape"].binding.description == "Leave editor"
        await pilot.press("escape")
        await settle(pilot)
        assert screen.focused is None and view.scroll_y == scrolled  # out of the editor, card stays put
        assert screen.active_bindings["escape"].binding.description == "End"
        await pilot.press("e")
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert screen.focused is None and view.revealed
        assert _in_sight(view, "#answer")
        await pilot.press("1")
        await settle(pilot)
        assert len(review_rows(database_path(ctx.home))) == 1  # the digit rated, not typed into the editor
    ctx.close()


def test_the_model_answer_does_not_repeat_the_solution_block() -> None:
    solution = "SELECT id\nFROM t\nQUALIFY ROW_NUMBER() OVER (PARTITION BY id ORDER BY ts DESC) = 1\n"
    answer = (
        "```sql\nSELECT id\nFROM t\nQUALIFY ROW_NUMBER() OVER (PARTITION BY id ORDER BY ts DESC) = 1\n```\n\n"
        "**Why it works.** One row per id.\n\n```sql\nSELECT id FROM t  -- another way\n```\n"
    )
    assert without_solution(answer, solution) == (
        "**Why it works.** One row per id.\n\n```sql\nSELECT id FROM t  -- another way\n```"
    )
    assert without_solution("Just prose.", solution) == "Just prose."


def test_pyspark_cards_have_no_dialect_key_in_the_footer(tmp_path, monkeypatch) -> None:
    from prepdeck.decks.model import Card
    from prepdeck.tui.components.spark_view import PySparkCardView

    ctx = _context(tmp_path, monkeypatch)
    card = Card(deck_id="d", id="c", type="pyspark", title="t", prompt="p", solution="def f(t): return t")
    assert PySparkCardView(card, ctx).check_action("cycle_dialect", ()) is False
    assert PySparkCardView(card, ctx).check_action("run_check", ()) is True
    assert CodeCardView(card, ctx).check_action("cycle_dialect", ()) is True
    ctx.close()


def test_python_cards_offer_no_plan_key_and_hint_the_keys_they_have(tmp_path, monkeypatch) -> None:
    # "^t Plan" on a python card only ever said "plain Python has no query plan"; the hint left out F3
    from prepdeck.decks.model import Card
    from prepdeck.tui.components.python_view import PythonCardView

    ctx = _context(tmp_path, monkeypatch)
    card = Card(deck_id="d", id="c", type="python", title="t", prompt="p", solution="def f(x): return x")
    view = PythonCardView(card, ctx)
    assert view.check_action("show_translation", ()) is False
    assert view.check_action("cycle_dialect", ()) is False
    assert view.check_action("run_check", ()) is True
    hint = view._hint()
    assert "plan" not in hint and "dialect" not in hint
    assert "F3 tables/editor" in hint and "Ctrl+R run" in hint
    ctx.close()


@pilot_test
async def test_a_python_check_says_the_remapped_key_cancels_it(tmp_path, monkeypatch):
    use_utc(monkeypatch)
    home = tmp_path / "home"
    home.mkdir()
    (home / "config.toml").write_text('[keys]\nrun_check = "f2"\n', encoding="utf-8")
    decks = Path(__file__).parent / "python_deck"
    ctx = make_context(home, decks)
    async with reviewing(ctx, "python-test", size=(100, 40)) as (_, screen):
        view = screen.view
        assert view.card.type == "python"
        assert "F2 cancels" in view.running_status() and "Ctrl+R" not in view.running_status()
    ctx.close()


@pilot_test
async def test_a_narrow_wrong_answer_shows_the_diff_titles_whole_at_80_columns(tmp_path, monkeypatch):
    # as a table title, "unexpected (returned, not expected)" wrapped to the width of a narrow result:
    # three letters a line, twenty lines tall
    ctx = _context(tmp_path, monkeypatch)
    async with _on_the_card(ctx, size=(80, 24)) as (pilot, _, view):
        await _write_and_run(pilot, view, "SELECT 1 AS a, 2 AS b, 3 AS c")
        static = view.query_one("#results", Static)
        lines = [line.strip() for line in rendered(static, static.content_region.width).splitlines()]
        assert "unexpected (returned, not expected)" in lines
        assert "missing (expected, not returned)" in lines
    ctx.close()


@pilot_test
async def test_a_spark_sql_check_runs_on_the_configured_spark_and_says_when_it_is_unreachable(
    tmp_path, monkeypatch
):
    # the Spark SQL judge got the [sql] settings only: `[spark] remote` was ignored (a local Spark started)
    config = '[sql]\ndialect = "spark"\n\n[spark]\nremote = "sc://127.0.0.1:9"\ntime_limit_s = 42\n'
    ctx = _context(tmp_path, monkeypatch, config)
    async with _on_the_card(ctx) as (pilot, _, view):
        # the status while it runs names the limit Spark applies ([spark], per case), not [sql]'s 5 s
        assert "(limit 42 s per case;" in view.running_status(), view.running_status()
        await _write_and_run(pilot, view, GOOD)
        await pilot.wait_for_scheduled_animations()
        result = view.last_result
        assert result is not None and result.passed  # judged by the translation instead
        why = "Spark unavailable: no Spark Connect server answers at sc://127.0.0.1:9"
        assert why in (result.engine or ""), result.engine
        assert why in " ".join(_results_text(view).split())
    ctx.close()
