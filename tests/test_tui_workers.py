"""A failed background job never closes the app: each screen's load fails on a locked database, the app
shows one line per failure, keeps the traceback in $PREPDECK_HOME/logs/errors.log and stays usable."""

from __future__ import annotations

import ast
from pathlib import Path

from tui_support import Clock, new_context, pilot_test, settle

from prepdeck.core.logs import error_log_path
from prepdeck.core.store import Store, StoreError
from prepdeck.tui.app import PrepdeckApp
from prepdeck.tui.screens.browser import BrowserScreen
from prepdeck.tui.screens.home import HomeScreen
from prepdeck.tui.screens.review import ReviewScreen

TUI = Path(__file__).resolve().parent.parent / "tui"
LOCKED = (
    "the database prepdeck.db is locked by another prepdeck (waited 5 s); close the other one and try again"
)


def _messages(app: PrepdeckApp) -> list[str]:
    return [n.message for n in app._notifications]


@pilot_test
async def test_each_screen_load_fails_softly_and_the_app_goes_on(tmp_path, monkeypatch):
    ctx = new_context(tmp_path, monkeypatch)

    def locked(self: Store) -> dict[str, str]:
        raise StoreError(LOCKED)

    real = Store.suspended
    monkeypatch.setattr(Store, "suspended", locked)  # counts, the queue and the browser all read it
    app = PrepdeckApp(ctx, clock=Clock())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.is_running and isinstance(app.screen, HomeScreen)
        assert _messages(app) == [f"Loading the decks failed: {LOCKED}"]

        await pilot.press("b")
        await settle(pilot)
        assert app.is_running and isinstance(app.screen, BrowserScreen)
        assert _messages(app)[-1] == f"Loading the cards failed: {LOCKED}"
        await pilot.press("escape")

        await pilot.press("r")
        await settle(pilot)
        assert app.is_running and isinstance(app.screen, ReviewScreen)
        assert _messages(app)[-1] == f"Loading today's cards failed: {LOCKED}"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)

        # the lock is gone: the same screen loads on a refresh
        monkeypatch.setattr(Store, "suspended", real)
        await pilot.press("f5")
        await settle(pilot)
        table = app.screen.query_one("#decks")
        assert table.row_count >= 2 and app.is_running
    log = error_log_path(ctx.home).read_text(encoding="utf-8")
    for what in ("Loading the decks", "Loading the cards", "Loading today's cards"):
        assert f" {what}\nTraceback (most recent call last)" in log
    assert f"StoreError: {LOCKED}" in log
    ctx.close()


@pilot_test
async def test_an_unexpected_error_names_the_log_and_markup_in_it_is_shown_as_text(tmp_path, monkeypatch):
    ctx = new_context(tmp_path, monkeypatch)

    def broken(self: Store) -> dict[str, str]:
        raise ValueError("bad value [/bold] in a row")  # markup in a message must not crash the toast

    monkeypatch.setattr(Store, "suspended", broken)
    app = PrepdeckApp(ctx, clock=Clock())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.is_running
        (message,) = _messages(app)
        where = error_log_path(ctx.home)
        assert message == f"Loading the decks failed: bad value [/bold] in a row (details in {where})"
    ctx.close()


def test_every_worker_in_tui_is_declared_to_fail_softly() -> None:
    """No bare `@work` (which closes the app on an error) and no `run_worker` without exit_on_error=False."""
    problems = []
    for path in sorted(TUI.rglob("*.py")):
        if path.name == "workers.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                for deco in node.decorator_list:
                    target = deco.func if isinstance(deco, ast.Call) else deco
                    if isinstance(target, ast.Name) and target.id == "work":
                        problems.append(f"{path.name}:{deco.lineno}: @work")
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "run_worker"
                and not any(
                    k.arg == "exit_on_error" and isinstance(k.value, ast.Constant) and k.value.value is False
                    for k in node.keywords
                )
            ):
                problems.append(f"{path.name}:{node.lineno}: run_worker without exit_on_error=False")
    assert problems == []
