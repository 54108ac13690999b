"""Home: the decks with due / new / total, today's count and streak, a 12-week heatmap, and any
broken deck files with their `PATH:LINE: message`, so a typo in a deck is never silent."""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import TYPE_CHECKING, Any, cast

from rich.markup import escape
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Static
from textual.widgets.data_table import ColumnKey

from prepdeck.tui.bindings import bindings_for, key_hint
from prepdeck.tui.components.data_table import cursor_row_key
from prepdeck.tui.components.footer import AdaptiveFooter
from prepdeck.tui.components.heatmap import Heatmap
from prepdeck.tui.messages import HomeDataLoaded, ReviewsChanged
from prepdeck.tui.workers import background

if TYPE_CHECKING:
    from prepdeck.tui.app import PrepdeckApp

ALL = "__all__"


SIDE_PANEL = 28  # the heatmap column (#side in app.tcss)
OTHER_COLUMNS = 7 + 4 + 4 + 5 + 2 * 5 + 2  # round, due, new, total, cell padding, scrollbar
ROUND_LABELS = {"behavioral": "behav."}  # the one round name wider than its column


NARROW_HOME = 76  # below this the heatmap column goes, so the deck names keep their room


def _title_width(screen_width: int) -> int:
    side = SIDE_PANEL if screen_width >= NARROW_HOME else 0
    return max(14, min(40, screen_width - side - OTHER_COLUMNS - 2))


def local_day(moment: dt.datetime, day_starts_at_hour: int) -> dt.date:
    """The user's "day" for a moment: local time, starting at the configured hour (04:00 as in Anki)."""
    return (moment.astimezone() - dt.timedelta(hours=day_starts_at_hour)).date()


class HomeScreen(Screen[None]):
    BINDINGS = bindings_for("home")

    @property
    def papp(self) -> PrepdeckApp:
        return cast("PrepdeckApp", self.app)

    def compose(self) -> ComposeResult:
        yield Static("[b]prepdeck[/b]  [dim]loading…[/dim]", id="top", classes="topbar")
        with Horizontal(id="home-main"):
            with Vertical(id="decks-pane"):
                yield DataTable(id="decks", cursor_type="row", zebra_stripes=False)
                yield Static("", id="due-summary")
            with Vertical(id="side"):
                yield Static("[b]Last 12 weeks[/b]", classes="side-title")
                yield Heatmap(id="heatmap")
                yield Static("", id="today")
        with VerticalScroll(id="problems", classes="hidden"):
            yield Static("", id="problems-text")
        yield AdaptiveFooter()

    def on_mount(self) -> None:
        self._add_columns(self.app.size.width)
        self._show_problems()
        self.load()

    def _add_columns(self, width: int) -> None:
        table = self.query_one("#decks", DataTable)
        # fixed widths, stable whatever the titles; the title takes what a wider terminal offers
        table.add_column("Deck", key="title", width=_title_width(width))
        table.add_column("Round", key="round", width=7)
        table.add_column("Due", key="due", width=4)
        table.add_column("New", key="new", width=4)
        table.add_column("Total", key="total", width=5)

    def on_resize(self, event: events.Resize) -> None:
        """Lay the table out again for the new width (it was laid out for the old one)."""
        width = event.size.width
        self.set_class(width < NARROW_HOME, "narrow")
        table = self.query_one("#decks", DataTable)
        title = table.columns.get(ColumnKey("title"))
        if title is None or title.width == _title_width(width):
            return
        selected = self._selected_key()
        table.clear(columns=True)
        self._add_columns(width)
        last = getattr(self, "_last", None)
        if last is not None:
            self._loaded(last)
            if selected is not None:
                with contextlib.suppress(Exception):
                    table.move_cursor(row=table.get_row_index(selected))

    def on_screen_resume(self) -> None:
        self.load()

    @on(ReviewsChanged)
    def _stale(self) -> None:
        if self.is_current:
            self.load()

    def action_refresh(self) -> None:
        self.papp.reload_decks()
        self._show_problems()
        self.load()
        self.notify("Decks reloaded", timeout=2)

    # -- data ------------------------------------------------------------------------------------
    @background("Loading the decks", group="home")
    def load(self) -> None:
        app = self.papp
        now = app.now()
        sched = app.scheduling
        with app.context.store().snapshot():  # the three figures from one state of the database
            counts = sched.counts(now=now)
            today = sched.today(now=now)
            heatmap = sched.heatmap(weeks=12, now=now)
            plan = sched.plan_today(now)
            new_today = sched.new_today(now)
        self.post_message(HomeDataLoaded(counts, today, heatmap, plan, new_today))

    @on(HomeDataLoaded)
    def _loaded(self, message: HomeDataLoaded) -> None:
        self._last = message
        app = self.papp
        decks = app.context.decks().decks
        table = self.query_one("#decks", DataTable)
        selected = self._selected_key()
        table.clear()
        totals = {"due": 0, "new": 0, "unseen": 0, "total": 0}
        rows: list[tuple[str, list[Any]]] = []
        for deck in decks:
            c = message.counts.get(deck.id)
            # Due: reviews and learning cards due now; New: what today's new-card limit will introduce
            due, new, unseen, total = (
                (c.due + c.learning, c.new_today, c.new, c.total) if c else (0, 0, 0, len(deck.cards))
            )
            totals["due"] += due
            totals["unseen"] += unseen
            totals["total"] += total
            rows.append(
                (
                    deck.id,
                    [
                        Text(deck.title, overflow="ellipsis", no_wrap=True),
                        ROUND_LABELS.get(deck.round, deck.round),
                        _num(due, "bold"),
                        _num(new, "cyan"),
                        Text(str(total), justify="right"),
                    ],
                )
            )
        totals["new"] = message.new_today
        if len(decks) > 1:
            table.add_row(
                Text("All decks", style="bold"),
                "",
                _num(totals["due"], "bold"),
                _num(totals["new"], "cyan"),
                Text(str(totals["total"]), justify="right"),
                key=ALL,
            )
        for key, cells in rows:
            table.add_row(*cells, key=key)
        if selected is not None and selected in {k for k, _ in rows} | {ALL}:
            table.move_cursor(row=table.get_row_index(selected))
        self.query_one(Heatmap).set_data(message.heatmap, local_day(app.now(), _day_start(app)))
        today = message.today
        streak = getattr(today, "streak_days", 0)
        countdown = ""
        if message.plan is not None:  # the interview plan: the countdown and today's planned load
            left = (message.plan.interview - message.plan.date).days
            # first, after the name: at the end it fell past the 80th column and was cut off
            countdown = (
                f"[b]interview in {left} day{'s' if left != 1 else ''}[/b], today {message.plan.minutes:.0f} min "
                f"planned (i)  ·  "
            )
        self.query_one("#top", Static).update(
            f"[b]prepdeck[/b]  {countdown}Today [b]{today.reviewed}[/b] reviewed · {today.minutes:.0f} min · "
            f"{today.new_seen} new  ·  streak [b]{streak}[/b] day{'s' if streak != 1 else ''}"
        )
        reviews = sum(message.heatmap.values())
        self.query_one("#today", Static).update(
            f"[dim]{reviews} review{'s' if reviews != 1 else ''} in 12 weeks[/dim]"
        )
        self._totals = totals
        self._update_summary()

    def _update_summary(self) -> None:
        totals = getattr(self, "_totals", None)
        if totals is None:
            return
        decks = self.papp.context.decks()
        if not decks.decks:
            summary = "No decks loaded. Add .toml decks to a deck folder (see `prepdeck decks check`)."
        elif totals["due"] + totals["new"] == 0:
            summary = f"Nothing due: all caught up. [b]{escape(key_hint(self.app, 'browse'))}[/b] browses every card."
        else:
            summary = (
                f"[b]{totals['due']}[/b] due, [b]{totals['new']}[/b] new today "
                f"[dim]({totals['unseen']} unseen)[/dim] · [b]{escape(key_hint(self.app, 'review_all'))}[/b] "
                "reviews all"
            )
        deck = decks.deck(self._selected_key() or "")
        if deck is not None:
            summary += (
                f"\n[dim]{escape(deck.id)}: {len(deck.cards)} cards · {escape(key_hint(self.app, 'review_deck'))} "
                f"reviews it · prepdeck review {escape(deck.id)}[/dim]"
            )
        self.query_one("#due-summary", Static).update(summary)

    @on(DataTable.RowHighlighted, "#decks")
    def _highlighted(self) -> None:
        self._update_summary()

    def _show_problems(self) -> None:
        decks = self.papp.context.decks()
        box = self.query_one("#problems")
        if not decks.problems:
            box.add_class("hidden")
            return
        broken = len(decks.broken) or len({p.path for p in decks.problems})
        lines = [
            f"[b red]{broken} deck file{'s' if broken != 1 else ''} skipped[/b red] "
            "[dim](fix and press F5; `prepdeck decks check` lists the same)[/dim]"
        ]
        lines += [f"[red]{escape(str(p))}[/red]" for p in decks.problems]
        self.query_one("#problems-text", Static).update("\n".join(lines))
        box.remove_class("hidden")

    # -- actions ---------------------------------------------------------------------------------
    def _selected_key(self) -> str | None:
        return cursor_row_key(self.query_one("#decks", DataTable))

    def action_review_all(self) -> None:
        self.papp.start_review(None)

    def action_review_deck(self) -> None:
        key = self._selected_key()
        self.papp.start_review(None if key in (None, ALL) else key)

    @on(DataTable.RowSelected, "#decks")
    def _row_chosen(self, event: DataTable.RowSelected) -> None:
        key = event.row_key.value
        self.papp.start_review(None if key == ALL else key)


def _num(n: int, style: str) -> Text:
    return Text(str(n), style=style if n else "dim", justify="right")


def _day_start(app: PrepdeckApp) -> int:
    return app.context.config.review.day_starts_at_hour
