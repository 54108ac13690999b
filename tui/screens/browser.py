"""The deck browser: every card with its scheduling state; search by words and `tag:` / `deck:` /
`type:` / `is:` filters; `s` suspends or unsuspends; the selected card's history on the right."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from rich.markup import escape
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static

from prepdeck.core.intervals import format_interval
from prepdeck.core.store import StoreError, from_iso
from prepdeck.tui.bindings import bindings_for
from prepdeck.tui.components.data_table import cursor_row_key
from prepdeck.tui.components.fields import TextField
from prepdeck.tui.components.footer import AdaptiveFooter
from prepdeck.tui.messages import BrowserRowsLoaded, ReviewsChanged
from prepdeck.tui.workers import background

if TYPE_CHECKING:
    from prepdeck.core.store import Review
    from prepdeck.decks.model import Card
    from prepdeck.tui.app import PrepdeckApp

STATE_NAMES = {0: "new", 1: "learning", 2: "review", 3: "relearning"}
RATING_NAMES = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}
RATING_STYLES = {1: "red", 2: "yellow", 3: "green", 4: "cyan"}
COLUMNS = (
    ("title", "Title", 26),
    ("type", "Type", 7),
    ("due", "Due", 8),
    ("state", "State", 10),
    ("lapses", "Lapses", 6),
    ("flag", "Flag", 9),
    ("deck", "Deck", None),
    ("id", "ID", None),
)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


@dataclass
class CardRow:
    card: Card
    state: int  # 0 new, else fsrs.State
    due: dt.datetime | None
    lapses: int
    reps: int
    suspended: str | None  # None, "user" or "leech"

    @property
    def search_text(self) -> str:
        c = self.card
        return " ".join((c.title, c.prompt, c.global_id, " ".join(c.tags), c.answer or "")).lower()


def matches(row: CardRow, query: str, now: dt.datetime) -> bool:
    """Words must all appear; `tag:x` `deck:x` `type:x` `is:due|new|suspended|leech|learning` filter."""
    text = None
    for token in query.lower().split():
        key, sep, value = token.partition(":")
        if sep and key == "tag":
            if not any(value == t.lower() or t.lower().startswith(value) for t in row.card.tags):
                return False
        elif sep and key == "deck":
            if value not in row.card.deck_id.lower():
                return False
        elif sep and key == "type":
            if row.card.type != value:
                return False
        elif sep and key == "is":
            flags = {
                "new": row.state == 0,
                "due": row.state != 0 and row.due is not None and row.due <= now and not row.suspended,
                "suspended": row.suspended is not None,
                "leech": row.suspended == "leech",
                "learning": row.state in (1, 3),
                "review": row.state == 2,
            }
            if not flags.get(value, False):
                return False
        else:
            text = text if text is not None else row.search_text
            if token not in text:
                return False
    return True


class BrowserScreen(Screen[None]):
    BINDINGS = bindings_for("browser")

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, CardRow] = {}

    @property
    def papp(self) -> PrepdeckApp:
        return cast("PrepdeckApp", self.app)

    def compose(self) -> ComposeResult:
        yield Static("[b]Browse[/b]  [dim]loading…[/dim]", id="top", classes="topbar")
        # a TextField (Ctrl+A selects all, Ctrl+Z undoes, as in every field); it does not select its text when
        # focused: a key typed on the table starts the query
        yield TextField(
            placeholder="search: words  tag:window  deck:sql  type:design  is:due|new|suspended|leech",
            id="search",
        )
        with Horizontal(id="browser-main"):
            table: DataTable[str | Text] = DataTable(id="cards", cursor_type="row")
            yield table
            with Vertical(id="history-pane"), VerticalScroll(id="history-scroll"):
                yield Static("[dim]Select a card to see its history.[/dim]", id="history")
        yield AdaptiveFooter()

    def on_mount(self) -> None:
        table = self.query_one("#cards", DataTable)
        for key, label, width in COLUMNS:
            table.add_column(label, key=key, width=width)
        table.focus()
        self.load()

    @on(ReviewsChanged)
    def _stale(self) -> None:
        if self.is_current:
            self.load()

    # -- data ------------------------------------------------------------------------------------
    @background("Loading the cards", group="browser")
    def load(self) -> None:
        ctx = self.papp.context
        store = ctx.store()
        with store.snapshot():
            states = store.card_states()
            suspended = store.suspended()
        rows = []
        for card in ctx.decks().all_cards():
            gid = card.global_id
            st = states.get(gid)
            rows.append(
                CardRow(
                    card,
                    int(st["state"]) if st else 0,
                    from_iso(st["due"]) if st else None,
                    int(st["lapses"]) if st else 0,
                    int(st["reps"]) if st else 0,
                    suspended.get(gid),
                )
            )
        self.post_message(BrowserRowsLoaded(rows))

    @on(BrowserRowsLoaded)
    def _loaded(self, message: BrowserRowsLoaded) -> None:
        self.rows = {r.card.global_id: r for r in message.rows}
        self.apply_filter()

    def apply_filter(self) -> None:
        table = self.query_one("#cards", DataTable)
        query = self.query_one("#search", Input).value.strip()
        now = self.papp.now()
        keep = self._selected_id()
        table.clear()
        shown = [r for r in self.rows.values() if matches(r, query, now)]
        for row in shown:
            table.add_row(*self._cells(row, now), key=row.card.global_id)
        if keep is not None and keep in {r.card.global_id for r in shown}:
            table.move_cursor(row=table.get_row_index(keep))
        self._shown = shown
        self._show_header()
        if not shown:
            self.query_one("#history", Static).update("[dim]No card matches.[/dim]")

    def _cells(self, row: CardRow, now: dt.datetime) -> list[str | Text]:
        card = row.card
        if row.suspended:  # not due at all; and at 80 columns the Flag column is out of sight
            due = Text(
                "leech" if row.suspended == "leech" else "suspended",
                style="red" if row.suspended == "leech" else "yellow",
            )
        elif row.state == 0:
            due = Text("new", style="cyan")
        elif row.due is not None and row.due <= now:
            due = Text("now", style="bold")
        else:
            due = Text(_relative_due(row.due, now) if row.due else "")
        flag = {"user": Text("suspended", style="yellow"), "leech": Text("leech", style="red")}.get(
            row.suspended or "", Text("")
        )
        return [
            Text(card.title),  # data, never markup
            card.type,
            due,
            STATE_NAMES.get(row.state, str(row.state)),
            Text(str(row.lapses), justify="right"),
            flag,
            card.deck_id,
            Text(card.id, style="dim"),
        ]

    def _selected_id(self) -> str | None:
        return cursor_row_key(self.query_one("#cards", DataTable))

    # -- events ----------------------------------------------------------------------------------
    @on(Input.Changed, "#search")
    def _search(self) -> None:
        self.apply_filter()

    @on(Input.Submitted, "#search")
    def _search_done(self) -> None:
        self.query_one("#cards", DataTable).focus()

    @on(DataTable.RowHighlighted, "#cards")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key.value is not None:
            self.load_history(event.row_key.value)

    @background("Loading the card's history", group="history")
    def load_history(self, card_id: str) -> None:
        store = self.papp.context.store()
        reviews = store.reviews_for(card_id)
        self.app.call_from_thread(self._show_history, card_id, reviews)

    def _show_history(self, card_id: str, reviews: list[Review]) -> None:
        row = self.rows.get(card_id)
        if row is None:
            return
        card = row.card
        lines = [f"[b]{escape(card.title)}[/b]", f"[dim]{escape(card_id)} · {card.type}[/dim]"]
        if card.tags:
            lines.append("[dim]" + escape(" ".join(f"#{t}" for t in card.tags)) + "[/dim]")
        state = STATE_NAMES.get(row.state, "?")
        flag = {"user": "[yellow]suspended[/yellow]", "leech": "[red]leech, suspended[/red]"}
        lines.append(
            f"{state} · {_count(row.reps, 'review')} · {_count(row.lapses, 'lapse')}"
            + (f" · {flag.get(row.suspended, row.suspended)}" if row.suspended else "")
        )
        if row.due is not None:
            lines.append(f"due {row.due.astimezone().strftime('%Y-%m-%d %H:%M')}")
        lines.append("")
        if not reviews:
            lines.append("[dim]Never reviewed.[/dim]")
        else:
            lines.append("[b]History[/b] [dim](newest first)[/dim]")
            for review in reversed(reviews):
                when = review.reviewed_at.astimezone().strftime("%Y-%m-%d %H:%M")
                taken = f"{review.duration_ms / 1000:.0f}s" if review.duration_ms is not None else "–"
                style = RATING_STYLES.get(review.rating, "")
                kind = "" if review.kind == "review" else f" [dim]{review.kind}[/dim]"
                lines.append(
                    f"{when} [{style}]{RATING_NAMES.get(review.rating, '?'):<5}[/{style}] {taken:>5}{kind}"
                )
        self.query_one("#history", Static).update("\n".join(lines))

    def on_key(self, event: events.Key) -> None:
        """Typing on the table starts a search: a first-time user types into what looks like the search box
        ("type:star" went t, y, then p practised every card). A key bound here (s, p, /) keeps its action."""
        if not event.is_printable or not event.character or event.character.isspace():
            return
        search = self.query_one("#search", Input)
        if self.focused is search:  # typed on the table just before the search took the focus: the query's
            search.insert_text_at_cursor(event.character)  # (keys typed in the search never reach here)
        elif isinstance(self.focused, DataTable) and event.key not in self.active_bindings:
            search.value = event.character  # a new query, as `/` then a key gives
            search.cursor_position = len(search.value)
            self.set_focus(search)  # at once: the keys after this one go to the search
        else:
            return
        event.stop()
        event.prevent_default()

    # -- actions ---------------------------------------------------------------------------------
    def action_search(self) -> None:
        search = self.query_one("#search", Input)
        search.select_all()  # what is typed next replaces the query
        search.focus()

    def action_back(self) -> None:
        if isinstance(self.focused, Input):
            self.query_one("#cards", DataTable).focus()
        else:
            self.app.pop_screen()

    def _show_header(self) -> None:
        """Counts of the rows shown; again after a suspend toggles one (it must not say a stale count)."""
        shown = getattr(self, "_shown", [])
        query = self.query_one("#search", Input).value.strip()
        suspended = sum(1 for r in shown if r.suspended)
        self.query_one("#top", Static).update(
            f"[b]Browse[/b]  {len(shown)} of {len(self.rows)} cards"
            + (f" · {suspended} suspended" if suspended else "")
            + (f"  [dim]matching[/dim] {escape(query)}" if query else "")
        )

    def action_practise_shown(self) -> None:
        """Practise the cards the search shows, in the order shown, outside the schedule."""
        table = self.query_one("#cards", DataTable)
        ids = [str(key.value) for key in table.rows]
        cards = [self.rows[card_id].card for card_id in ids if card_id in self.rows]
        query = self.query_one("#search", Input).value.strip()
        self.papp.practise(query or "cards shown in the browser", cards, limit=200)

    def action_suspend(self) -> None:
        card_id = self._selected_id()
        row = self.rows.get(card_id or "")
        if row is None:
            return
        suspend = row.suspended is None
        try:
            self.papp.scheduling.suspend(row.card.global_id, suspend)
        except StoreError as exc:
            self.notify(f"Not changed: {exc}", severity="error")
            return
        row.suspended = "user" if suspend else None
        table = self.query_one("#cards", DataTable)
        cells = self._cells(row, self.papp.now())
        table.update_cell(row.card.global_id, "due", cells[2])
        table.update_cell(row.card.global_id, "flag", cells[5])
        self._show_header()
        self.notify(f"{'Suspended' if suspend else 'Unsuspended'} “{row.card.title}”", timeout=3)
        self._show_history(row.card.global_id, [])
        self.load_history(row.card.global_id)
        for screen in self.app.screen_stack:
            if screen is not self:
                screen.post_message(ReviewsChanged(row.card.global_id))


def _relative_due(due: dt.datetime, now: dt.datetime) -> str:
    """ "in 3h", "in 4d", "in 5mo" (as on the rating buttons): what a user scans for; the exact time is in
    the side panel."""
    return f"in {format_interval(max(due - now, dt.timedelta(0)))}"
