"""The Textual app: home, review, browser, stats and help screens over one Context.

The app owns one `Scheduling` (store + decks + config + clock). Screens read through it in thread
workers; a review is committed on the UI thread (a few ms) before the next card shows, so a crash or
Ctrl+C never loses an answered card.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import App
from textual.binding import Binding

from prepdeck.core.store import utcnow
from prepdeck.tui.bindings import bindings_for, validate_keymap
from prepdeck.tui.commands import PrepdeckCommands
from prepdeck.tui.messages import ReviewsChanged

if TYPE_CHECKING:
    from prepdeck.core.context import Context
    from prepdeck.core.scheduler import Scheduling

Clock = Callable[[], dt.datetime]

# where other capabilities plug their screens in; tried in order, a missing one shows "coming"
MOCK_SCREENS = ("prepdeck.tui.screens.mock:MockScreen", "prepdeck.mocks.screen:MockScreen")
REPORT_WRITERS = ("prepdeck.reports.app:write_week_report", "prepdeck.reports.weekly:write_week_report")


def _load(targets: tuple[str, ...]) -> Any | None:
    for target in targets:
        module_name, _, name = target.partition(":")
        try:
            return getattr(importlib.import_module(module_name), name)
        except (ImportError, AttributeError):
            continue
    return None


class PrepdeckApp(App[int]):
    CSS_PATH = "app.tcss"
    TITLE = "prepdeck"
    BINDINGS: list[Binding] = bindings_for("app")  # type: ignore[assignment]
    COMMANDS = App.COMMANDS | {PrepdeckCommands}
    ENABLE_COMMAND_PALETTE = True

    def __init__(
        self,
        context: Context,
        *,
        clock: Clock | None = None,
        review: bool = False,
        review_deck: str | None = None,
    ) -> None:
        super().__init__()
        self.context = context
        self.clock: Clock = clock or utcnow
        self._review_on_start = review
        self._review_deck = review_deck
        self.key_problems: list[str] = []

    @cached_property
    def scheduling(self) -> Scheduling:
        from prepdeck.core.scheduler import Scheduling

        ctx = self.context
        return Scheduling(ctx.store(), ctx.decks(), ctx.config, clock=self.clock)

    def now(self) -> dt.datetime:
        return self.clock()

    def on_mount(self) -> None:
        config = self.context.config
        _ = self.scheduling  # builds the deck index; adds its own settings problems (learning steps)
        keymap, self.key_problems = validate_keymap(config.keys, str(config.path or "config.toml"))
        self.set_keymap(keymap)
        problems = [*config.problems, *self.key_problems]
        if problems:
            # one notification, not markup: "[keys]" and "[review]" must show as written, and several
            # separate notifications would push each other off a 24-row screen
            self.notify(
                "\n".join(problems) if len(problems) == 1 else "\n".join(f"• {p}" for p in problems),
                title="Settings" if len(problems) == 1 else f"Settings: {len(problems)} problems",
                severity="warning",
                timeout=12 + 3 * (len(problems) - 1),
                markup=False,
            )
        from prepdeck.tui.screens.home import HomeScreen

        self.push_screen(HomeScreen())
        if self._review_on_start:
            self.start_review(self._review_deck)

    # -- navigation --------------------------------------------------------------------------------
    def start_review(self, deck_id: str | None) -> None:
        from prepdeck.tui.screens.review import ReviewScreen

        self.push_screen(ReviewScreen(deck_id))

    def action_help(self) -> None:
        from prepdeck.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_browse(self) -> None:
        from prepdeck.tui.screens.browser import BrowserScreen

        if not isinstance(self.screen, BrowserScreen):
            self.push_screen(BrowserScreen())

    def action_stats(self) -> None:
        from prepdeck.tui.screens.stats import StatsScreen

        if not isinstance(self.screen, StatsScreen):
            self.push_screen(StatsScreen())

    def action_mock(self) -> None:
        screen = _load(MOCK_SCREENS)
        if screen is None:
            self.notify("Mock interviews are coming: `prepdeck mock ROUND` once they land.", title="Mock")
            return
        self.push_screen(screen())

    # -- background jobs -----------------------------------------------------------------------------
    def action_write_report(self) -> None:
        writer = _load(REPORT_WRITERS)
        if writer is None:
            self.notify("The weekly report is coming: `prepdeck report` once it lands.", title="Report")
            return
        self.notify("Writing this week's report…", title="Report", timeout=3)
        self._write_report(writer)

    @work(thread=True, exclusive=True, group="report")
    def _write_report(self, writer: Callable[..., Any]) -> None:
        try:
            result = writer(self.context, now=self.now())
        except Exception as exc:  # a report failure is shown, never a crash
            self.call_from_thread(self.notify, f"Report failed: {exc}", title="Report", severity="error")
            return
        files = result.get("files", {}) if isinstance(result, dict) else {}
        where = files.get("html") or files.get("md") or str(result)
        self.call_from_thread(self.notify, f"Report written: {where}", title="Report", timeout=15)

    def action_optimize(self) -> None:
        self.notify("Optimizing FSRS parameters from your history…", title="FSRS", timeout=3)
        self._optimize()

    @work(thread=True, exclusive=True, group="optimize")
    def _optimize(self) -> None:
        try:
            result = self.scheduling.optimize()
        except Exception as exc:
            self.call_from_thread(self.notify, f"Optimization failed: {exc}", title="FSRS", severity="error")
            return
        message = getattr(result, "message", None) or str(result)
        self.call_from_thread(self.notify, message, title="FSRS", timeout=12)
        self.call_from_thread(self.post_reviews_changed)

    def post_reviews_changed(self, card_id: str | None = None) -> None:
        """Tell every screen in the stack that counts changed (they refresh when shown)."""
        for screen in self.screen_stack:
            screen.post_message(ReviewsChanged(card_id))
