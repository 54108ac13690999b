"""The Textual app: home, review, browser, stats and help screens over one Context.

The app owns one `Scheduling` (store + decks + config + clock). Screens read through it in thread
workers; a review is committed on the UI thread (a few ms) before the next card shows, so a crash or
Ctrl+C never loses an answered card.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import time
from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events
from textual.app import App

from prepdeck.core.logs import log_exception
from prepdeck.core.paths import database_path
from prepdeck.core.store import StoreError, diagnose, utcnow
from prepdeck.decks.text import one_line
from prepdeck.reports.commands import ReportError
from prepdeck.tui import keyflow
from prepdeck.tui.bindings import bindings_for, key_hint, validate_keymap
from prepdeck.tui.commands import PrepdeckCommands
from prepdeck.tui.messages import ReviewsChanged
from prepdeck.tui.workers import background

if TYPE_CHECKING:
    from textual.notifications import SeverityLevel

    from prepdeck.core.context import Context
    from prepdeck.core.scheduler import Scheduling
    from prepdeck.decks.model import Card
    from prepdeck.tui.screens.review import ReviewScreen

Clock = Callable[[], dt.datetime]
FAILURE_TOAST_S = 12
USER_ERRORS = (StoreError, ReportError)  # one line that says what to do: no traceback worth pointing at
PRACTICE_LIMIT = 50  # cards in a practice session from the palette (the browser's p allows 200)


def open_file(path: Path) -> bool:
    """Open `path` with the desktop's viewer (xdg-open, open), detached; False when there is none."""
    import os
    import shutil
    import subprocess
    import sys

    if sys.platform == "darwin":
        opener = shutil.which("open")
    elif os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        opener = shutil.which("xdg-open")
    else:
        opener = None
    if opener is None:
        return False
    try:
        subprocess.Popen(
            [opener, str(path)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError:
        return False
    return True


class PrepdeckApp(App[int]):
    CSS_PATH = "app.tcss"
    TITLE = "prepdeck"
    BINDINGS = bindings_for("app")
    COMMANDS = App.COMMANDS | {PrepdeckCommands}
    ENABLE_COMMAND_PALETTE = True

    def __init__(
        self,
        context: Context,
        *,
        clock: Clock | None = None,
        monotonic: Callable[[], float] | None = None,
        review: bool = False,
        review_deck: str | None = None,
    ) -> None:
        super().__init__()
        self.context = context
        self.clock: Clock = clock or utcnow
        self._quit_warned: tuple[int, str] | None = None  # (screen, what): the quit already warned about
        # what the mock's timers count in: given, or the given wall clock's (a test moves both at once),
        # else the real monotonic clock
        self.monotonic: Callable[[], float] = monotonic or (
            (lambda: self.clock().timestamp()) if clock is not None else time.monotonic
        )
        self._review_on_start = review
        self._review_deck = review_deck
        self.key_problems: list[str] = []
        self.last_report: Path | None = None  # the report written last (w), for the key that opens it
        self._failure_shown: dict[str, float] = {}  # failure line -> when its toast was shown

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Every notification as plain text: messages carry deck titles and error text, which must never
        be parsed as markup (a lone `[/bold]` crashed the app; `[@click=app.quit]` acted). Screens' and
        widgets' `notify` pass markup=True by default, so it is ignored here, not just defaulted."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    @cached_property
    def scheduling(self) -> Scheduling:
        from prepdeck.core.scheduler import Scheduling

        ctx = self.context
        return Scheduling(ctx.store(), ctx.decks(), ctx.config, clock=self.clock)

    def now(self) -> dt.datetime:
        return self.clock()

    def reload_decks(self) -> None:
        """Read the deck folders again; the scheduler is rebuilt over them when next used."""
        self.context.reload_decks()
        self.__dict__.pop("scheduling", None)  # functools.cached_property keeps its value here

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key):  # a burst of keys is handled in the order typed (tui/keyflow.py)
            if keyflow.in_order(self, event):
                return
            keyflow.routed(self, event)
        await super().on_event(event)

    async def _on_key(self, event: events.Key) -> None:
        if keyflow.came_back(self, event):
            event.prevent_default()  # handed to the widget focused since: not the bindings of where it was

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

    async def action_quit(self) -> None:
        """Quit: answers are saved as they are made, but a screen holding typed text it has not saved yet
        (`unsaved_work()`, e.g. the story editor) gets a warning first, and the second press quits."""
        screen = self.screen
        unsaved = getattr(screen, "unsaved_work", None)
        what = unsaved() if unsaved is not None else None
        if what and self._quit_warned != (id(screen), what):
            self._quit_warned = (id(screen), what)
            self.notify(f"Not quitting: {what}. Press {key_hint(self, 'quit')} again to quit anyway.",
                        severity="warning", markup=False)  # fmt: skip
            return
        self.exit()

    # -- navigation --------------------------------------------------------------------------------
    def start_review(self, deck_id: str | None) -> None:
        from prepdeck.tui.screens.review import ReviewScreen

        self._open_review(ReviewScreen(deck_id))

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
        from prepdeck.tui.screens.mock import MockScreen

        if any(isinstance(screen, MockScreen) for screen in self.screen_stack):
            self.notify("A mock is already open: finish it or leave it (Escape) first.", timeout=4)
            return
        self.push_screen(MockScreen())

    def action_plan(self) -> None:
        from prepdeck.tui.screens.plan import PlanScreen

        if not isinstance(self.screen, PlanScreen):
            self.push_screen(PlanScreen())

    def action_stories(self) -> None:
        from prepdeck.tui.screens.stories import StoryBankScreen

        if not isinstance(self.screen, StoryBankScreen):
            self.push_screen(StoryBankScreen())

    def start_practice(self, what: str, value: str | None, label: str) -> None:
        """Practise now, outside the schedule: answers are logged, the cards' FSRS states stay."""
        try:
            cards = self.scheduling.practice_cards(what, value, now=self.now(), limit=None)
        except StoreError as exc:
            self.notify(f"Practice: {exc}", severity="error", markup=False)
            return
        self.practise(label, cards)

    def practise(self, label: str, cards: list[Card], limit: int = PRACTICE_LIMIT) -> None:
        from prepdeck.tui.screens.review import Practice, ReviewScreen

        if not cards:
            self.notify(f"Nothing to practise: {label}.", timeout=4, markup=False)
            return
        if len(cards) > limit:  # a session of the first ones, and the top bar says so
            label, cards = f"{label} (the first {limit} of {len(cards)})", cards[:limit]
        self._open_review(ReviewScreen(practice=Practice(label, tuple(cards))))

    def _open_review(self, review: ReviewScreen) -> None:
        """A review from the palette during a review replaces it: stacked, the one underneath came back
        showing a card the new one may have rated already (every answer is saved as it is made)."""
        from prepdeck.tui.screens.review import ReviewScreen

        if isinstance(self.screen, ReviewScreen):
            self.switch_screen(review)
        else:
            self.push_screen(review)

    # -- background jobs -----------------------------------------------------------------------------
    def report_failure(self, what: str, exc: BaseException) -> None:
        """A background job failed: one line on screen, the traceback in the error log, the app goes on."""
        where = log_exception(self.context.home, what, exc)
        if isinstance(exc, sqlite3.Error):  # damaged, locked or full, met mid-way: said as the store says it
            exc = diagnose(exc, database_path(self.context.home))
        reason = one_line(exc) or type(exc).__name__
        if not isinstance(exc, USER_ERRORS) and where is not None:
            reason += f" (details in {where})"  # these errors already say what to do
        text = f"{what} failed: {reason}"
        shown = self._failure_shown.get(text)
        if shown is not None and time.monotonic() - shown < FAILURE_TOAST_S:
            return  # the same failure again (a screen loads twice when it opens): one toast is enough
        self._failure_shown[text] = time.monotonic()
        self.notify(text, title=what, severity="error", timeout=FAILURE_TOAST_S, markup=False)

    def action_write_report(self) -> None:
        self.notify("Writing this week's report…", title="Report", timeout=3)
        self._write_report()

    @background("Writing the report", group="report")
    def _write_report(self) -> None:
        from prepdeck.reports.app import write_week_report

        result = write_week_report(self.context, now=self.now())
        self.call_from_thread(self.report_written, result["files"])

    def report_written(self, files: dict[str, Any]) -> None:
        """Say where the report is, in full, and which key opens it."""
        self.last_report = Path(files["html"]).resolve()
        others = [str(Path(f).resolve()) for kind, f in files.items() if kind != "html"]
        self.notify(
            f"Report written: {self.last_report}"
            + "".join(f"\nand {o}" for o in others)
            + f"\n{key_hint(self, 'open_report')} opens it",
            title="Report",
            timeout=20,
            markup=False,
        )

    def action_open_report(self) -> None:
        path = self.last_report
        if path is None:
            self.notify(f"No report written yet: {key_hint(self, 'report')} writes this week's.", timeout=4)
            return
        if open_file(path):
            self.notify(f"Opening {path}", title="Report", timeout=4, markup=False)
        else:  # no desktop (ssh, a bare terminal): the path, to open or copy
            self.notify(f"No desktop to open it with: {path}", title="Report", timeout=20, markup=False)

    def action_optimize(self) -> None:
        self.notify("Optimizing FSRS parameters from your history…", title="FSRS", timeout=3)
        self._optimize()

    @background("Optimizing FSRS parameters", group="optimize")
    def _optimize(self) -> None:
        result = self.scheduling.optimize()
        self.call_from_thread(self.notify, result.message, title="FSRS", timeout=12, markup=False)
        self.call_from_thread(self.post_reviews_changed)

    def post_reviews_changed(self, card_id: str | None = None) -> None:
        """Tell every screen in the stack that counts changed (they refresh when shown)."""
        for screen in self.screen_stack:
            screen.post_message(ReviewsChanged(card_id))
