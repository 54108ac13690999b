"""The review session: one card at a time, Space reveals, 1–4 rate, `u` undoes, `s` suspends.

Each rating is committed (`Scheduling.review`, one SQLite transaction) on the UI thread before the
next card is shown: it takes milliseconds, and it means quitting, Ctrl+C or a crash at any moment
keeps every answered card. Cards rated into a short (re)learning step come back in the same
session once due, as in Anki (with a 20-minute learn-ahead when nothing else is left).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from rich.markup import escape
from textual import on
from textual.app import ComposeResult
from textual.containers import Container, Horizontal
from textual.screen import Screen
from textual.widgets import Button, Input, Static, TextArea

from prepdeck.checkers import PREWARM_LOOKAHEAD
from prepdeck.core.retention import LABEL as RETENTION_LABEL
from prepdeck.core.retention import MEANING as RETENTION_MEANING
from prepdeck.core.retention import percent, retention_of_reviews
from prepdeck.core.scheduler import LEARN_AHEAD
from prepdeck.core.store import StoreError
from prepdeck.tui.bindings import actions_for, bindings_for, key_hint
from prepdeck.tui.components.card_view import CardView, Placeholder
from prepdeck.tui.components.card_views import spoken_twin, view_class, view_for
from prepdeck.tui.components.footer import NARROW, AdaptiveFooter
from prepdeck.tui.messages import NotesReplaced, QueueLoaded, WorkStatus
from prepdeck.tui.workers import background

if TYPE_CHECKING:
    from prepdeck.decks.model import Card
    from prepdeck.tui.app import PrepdeckApp

RATINGS = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}
NARROW_BAR = 76  # below this width the rating buttons drop their padding and the " · " in their labels


@dataclass
class NotesFromStory:
    """`y` replaced a card's notes with a story's: the notes before, for `u`."""

    card: Card
    before: dict[str, Any]
    title: str


@dataclass
class Answered:
    card: Card
    rating: int
    review_id: int
    duration_ms: int
    leech: bool


@dataclass
class Session:
    """What the session has done and what is left; pure bookkeeping, no widgets."""

    pending: list[Card] = field(default_factory=list)
    learning: list[tuple[dt.datetime, Card]] = field(default_factory=list)  # back today, once due
    answered: list[Answered] = field(default_factory=list)
    suspended: list[Card] = field(default_factory=list)
    # every rating, suspension and story put in the notes, in order, so `u` undoes the newest action whatever
    # it was (as in Anki)
    done: list[Answered | Card | NotesFromStory] = field(default_factory=list)

    def remove(self, card_id: str) -> None:
        self.pending = [c for c in self.pending if c.global_id != card_id]
        self.learning = [(d, c) for d, c in self.learning if c.global_id != card_id]

    def next_card(self, now: dt.datetime) -> Card | None:
        self.learning.sort(key=lambda item: item[0])
        if self.learning and self.learning[0][0] <= now:
            return self.learning.pop(0)[1]
        if self.pending:
            return self.pending.pop(0)
        if self.learning and self.learning[0][0] <= now + LEARN_AHEAD:
            return self.learning.pop(0)[1]
        return None

    def left(self) -> int:
        return len(self.pending) + len(self.learning)


class RatingBar(Horizontal):
    """Before the reveal one "Show answer" button; after it, Again / Hard / Good / Easy with intervals."""

    def compose(self) -> ComposeResult:
        yield Button("Show answer", id="show", classes="show-button")
        for rating, name in RATINGS.items():
            button = Button(
                f"{rating} {name}", id=f"rate-{rating}", classes=f"rate rate-{name.lower()} hidden"
            )
            yield button

    _shown: tuple[dict[int, str], int | None] | None = None

    def on_mount(self) -> None:
        for button in self.query(Button):
            button.can_focus = False  # keys belong to the screen: Space, 1–4

    def on_resize(self) -> None:
        narrow = self.size.width < NARROW_BAR
        if narrow != self.has_class("narrow"):
            self.set_class(narrow, "narrow")
            if self._shown is not None:
                self.show_ratings(*self._shown)

    def show_ratings(self, intervals: dict[int, str], suggested: int | None) -> None:
        self._shown = (intervals, suggested)
        self.query_one("#show").add_class("hidden")
        # narrow: a tighter label, so each button stays one line inside its border
        sep = " " if self.has_class("narrow") else " · "
        for rating, name in RATINGS.items():
            button = self.query_one(f"#rate-{rating}", Button)
            mark = "▸ " if rating == suggested else ""
            interval = intervals.get(rating, "?")
            button.label = f"{mark}{rating} {name}{sep}{interval}" if interval else f"{mark}{rating} {name}"
            button.remove_class("hidden")
            button.set_class(rating == suggested, "suggested")

    def show_reveal(self) -> None:
        self._shown = None
        self.query_one("#show").remove_class("hidden")
        for button in self.query(".rate"):
            button.add_class("hidden").remove_class("suggested")

    def hide_all(self) -> None:
        for button in self.query(Button):
            button.add_class("hidden")


class SessionSummary(Static):
    pass


@dataclass(frozen=True)
class Practice:
    """A practice session: what was chosen (for the top bar) and its cards."""

    label: str
    cards: tuple[Card, ...]


# the code card's keys (Ctrl+R, Ctrl+G, …) also live on the screen, so they work with the editor unfocused:
# the card view's own bindings are in the key chain only while one of its widgets has focus
CARD_ACTIONS = frozenset(a.action for a in actions_for("code"))


class ReviewScreen(Screen[None]):
    # the screen's copies stay out of the footer (the card's hint line names them; the view's own show
    # while the editor has focus), so a 60-column footer keeps "? Help"
    BINDINGS = bindings_for("review") + bindings_for("code", footer=False)

    def __init__(self, deck_id: str | None = None, practice: Practice | None = None) -> None:
        super().__init__()
        self.deck_id = deck_id
        # practice outside the schedule: these cards, each answer logged without moving its FSRS state
        self.practice = practice
        self.session = Session()
        self.card: Card | None = None
        self.view: CardView | None = None
        self.shown_at: dt.datetime | None = None
        self.intervals: dict[int, str] = {}
        self.suggested: int | None = None
        self.finished = False
        self.loaded = False
        self.status = ""
        self._kinds: dict[str, str] = {}  # card id -> new / learning / review, for the top bar

    @property
    def papp(self) -> PrepdeckApp:
        return cast("PrepdeckApp", self.app)

    def compose(self) -> ComposeResult:
        yield Static("", id="top", classes="topbar")
        with Container(id="card-host"):
            yield Placeholder("Loading today's cards…")
        yield RatingBar(id="rating-bar")
        yield AdaptiveFooter()

    def on_mount(self) -> None:
        self._update_top()
        self.set_interval(1.0, self._update_top)
        self.load_queue()

    # -- loading ---------------------------------------------------------------------------------
    @background("Loading today's cards", group="queue")
    def load_queue(self) -> None:
        app = self.papp
        now = app.now()
        if self.practice is not None:
            cards = list(self.practice.cards)
        else:
            cards = app.scheduling.queue(self.deck_id, now=now)
        states = {c.global_id: app.scheduling.state(c.global_id) for c in cards}
        self._kinds = {card_id: _kind(state) for card_id, state in states.items()}
        learning: list[tuple[dt.datetime, Card]] = []
        if self.practice is None:  # a learning card due in a few minutes waits for its time, as in Anki
            for card in cards:
                state = states[card.global_id]
                due = dt.datetime.fromisoformat(state["due"]) if state and _kind(state) == "learning" else now
                if due > now:
                    learning.append((due, card))
        ahead = {card.global_id for _, card in learning}
        self.post_message(QueueLoaded([c for c in cards if c.global_id not in ahead], learning))

    @on(QueueLoaded)
    async def _queue_loaded(self, message: QueueLoaded) -> None:
        self.session.pending = list(message.cards)
        self.session.learning = list(message.learning)
        self.loaded = True
        await self.show_next()

    # -- showing cards ---------------------------------------------------------------------------
    async def show_next(self) -> None:
        card = self.session.next_card(self.papp.now())
        if card is None:
            await self._finish()
        else:
            await self.show_card(card)

    async def show_card(self, card: Card) -> None:
        self.card = card
        self.finished = False
        self.suggested = None
        self.shown_at = self.papp.now()
        host = self.query_one("#card-host")
        await host.remove_children()
        self.view = view_for(card, self.papp.context)
        self.view.id = "card-view"
        await host.mount(self.view)
        self.query_one(RatingBar).show_reveal()
        self.set_focus(self.view if self.view.can_focus else None)
        self._update_top()
        self.refresh_bindings()
        self._prewarm_spark(card)

    def _prewarm_spark(self, card: Card) -> None:
        """Start the engines in the background while a card that needs them is still a few cards away
        (checkers.PREWARM_LOOKAHEAD), so the user rarely waits; their modules are imported only then."""
        upcoming = [card, *self.session.pending[:PREWARM_LOOKAHEAD]]
        if any(c.type == "sql" for c in upcoming):  # the DuckDB worker, and PostgreSQL when it will judge
            from prepdeck.checkers.sql import prewarm, sql_card_near

            _, postgres = sql_card_near(upcoming, self.papp.context.config)
            config = self.papp.context.config
            self.run_worker(
                lambda: prewarm(config, postgres=postgres),
                thread=True,
                group="sql-prewarm",
                exclusive=True,
                exit_on_error=False,
            )
        spark_sql = str(self.papp.context.config.sql.dialect).lower() == "spark"  # Spark SQL runs on Spark
        if any(c.type == "pyspark" or (spark_sql and c.type == "sql") for c in upcoming):
            from prepdeck.tui.components.spark_view import prewarm_if_near

            prewarm_if_near(self, upcoming, self.papp.context)

    async def _finish(self) -> None:
        self.card, self.view, self.finished = None, None, True
        host = self.query_one("#card-host")
        await host.remove_children()
        await host.mount(SessionSummary(self._summary_text(), id="summary"))
        self.query_one(RatingBar).hide_all()
        self._update_top()
        self.refresh_bindings()

    def _summary_text(self) -> str:
        answered = self.session.answered
        if not answered and not self.session.suspended and self.practice is not None:
            return f"[b]Nothing to practise: {escape(self.practice.label)}.[/b]\n\n{self._key('leave')} goes home."
        if not answered and not self.session.suspended:
            deck = f" in {escape(self._deck_title())}" if self.deck_id else ""
            return (
                f"[b]Nothing due{deck}.[/b]\n\nAll caught up. {self._key('leave')} goes home; the browser "
                f"({self._key('browse')} on the "
                "home screen) shows every card."
            )
        by_rating = {r: sum(1 for a in answered if a.rating == r) for r in RATINGS}
        cards = len({a.card.global_id for a in answered})
        seconds = sum(a.duration_ms for a in answered) / 1000
        # retention as the statistics and the report define it (core/retention.py), from the log
        retention = retention_of_reviews(self.papp.context.store(), [a.review_id for a in answered])
        lines = [
            "[b]Practice done[/b] — the schedule was left as it was"
            if self.practice
            else "[b]Session done[/b]",
            "",
            f"{len(answered)} review{'s' if len(answered) != 1 else ''} of {cards} card{'s' if cards != 1 else ''}"
            f" in {_duration(seconds)}",
            "  ".join(f"{RATINGS[r]} [b]{n}[/b]" for r, n in by_rating.items()),
            f"{RETENTION_LABEL} [b]{percent(retention)}[/b] [dim]({RETENTION_MEANING})[/dim]",
        ]
        leeches = [a.card for a in answered if a.leech]
        if leeches:
            lines.append("[yellow]Leeches suspended:[/yellow] " + ", ".join(escape(c.title) for c in leeches))
        if self.session.suspended:
            lines.append(f"Suspended by you: {len(self.session.suspended)}")
        lines += [
            "",
            f"[dim]Every review is saved. {self._key('undo')} undoes the last one; "
            f"{self._key('leave')} goes home.[/dim]",
        ]
        return "\n".join(lines)

    def _update_top(self) -> None:
        if not self.is_mounted:
            return
        session = self.session
        deck = f"practice: {self.practice.label}" if self.practice else self._deck_title()
        parts = [f"[b]{escape(deck)}[/b]"]
        if self.card is not None:
            parts.append(self._counts())
            if self.shown_at is not None:
                seconds = max(0.0, (self.papp.now() - self.shown_at).total_seconds())
                clock = f"{int(seconds) // 60}:{int(seconds) % 60:02d}"
                # a 60-column bar holds the deck's title and the counts, and the clock without its words
                parts.append(clock if self.size.width < NARROW else f"{clock} on card")
        elif self.finished:
            parts.append(f"{len(session.answered)} reviewed")
        if self.status:
            parts.append(f"[dim]{escape(self.status)}[/dim]")
        self.query_one("#top", Static).update("  ·  ".join(parts))

    def _key(self, action_id: str) -> str:
        """The key in force for `action_id` (config.toml [keys] may remap it), escaped for markup."""
        return escape(key_hint(self.app, action_id))

    def _deck_title(self) -> str:
        """The reviewed deck as the home screen names it: its title, not its id."""
        if self.deck_id is None:
            return "all decks"
        deck = self.papp.context.decks().deck(self.deck_id)
        return deck.title if deck is not None else self.deck_id

    def _counts(self) -> str:
        """What is left, as Anki shows it: new / learning / review cards, the one on screen included (a
        count that only falls, not a total that grows as failed cards come back)."""
        kinds = self._kinds
        counts = {"new": 0, "learning": 0, "review": 0}
        for card in [c for c in [self.card, *self.session.pending] if c is not None]:
            counts[kinds.get(card.global_id, "review")] += 1
        counts["learning"] += len(self.session.learning)
        return (
            f"[cyan]{counts['new']} new[/cyan] [red]{counts['learning']} learning[/red] "
            f"[green]{counts['review']} review[/green]"
        )

    @on(WorkStatus)
    def _status(self, message: WorkStatus) -> None:
        self.status = message.text
        self._update_top()

    # -- reveal and rate -------------------------------------------------------------------------
    def action_reveal(self) -> None:
        if self.view is None or self.card is None:
            return
        self.view.reveal()
        self._refresh_intervals()
        suggestion = self.view.suggested_rating()
        if suggestion is not None:
            self.suggested = suggestion
        self.query_one(RatingBar).show_ratings(self.intervals, self.suggested)
        self.refresh_bindings()

    def _refresh_intervals(self) -> None:
        from prepdeck.core.scheduler import format_interval

        assert self.card is not None
        if self.practice is not None:  # practice moves nothing: no interval (the top bar says practice)
            self.intervals = dict.fromkeys(RATINGS, "")
            return
        raw = self.papp.scheduling.next_intervals(self.card, now=self.papp.now())
        self.intervals = {r: format_interval(td) for r, td in raw.items()}

    @on(CardView.SuggestRating)
    def _suggestion(self, message: CardView.SuggestRating) -> None:
        message.stop()
        if message.rating in RATINGS:
            self.suggested = message.rating
            if self.view is not None and self.view.revealed:
                # a transcription reveals the card without Space: this card's intervals, not none or stale
                self._refresh_intervals()
                self.query_one(RatingBar).show_ratings(self.intervals, self.suggested)
                self.refresh_bindings()

    async def action_accept_suggestion(self) -> None:
        if self.view is None:
            if self.finished:
                self.app.pop_screen()
            return
        if not self.view.revealed:
            self.action_reveal()
        else:  # as in Anki, Space or Enter on the answer side is Good when nothing else is suggested
            await self.rate(self.suggested if self.suggested is not None else 3)

    @on(Button.Pressed)
    async def _button(self, event: Button.Pressed) -> None:
        button_id = event.button.id or ""
        if button_id == "show":
            self.action_reveal()
        elif button_id.startswith("rate-"):
            await self.rate(int(button_id.removeprefix("rate-")))

    async def action_rate(self, rating: int) -> None:
        await self.rate(rating)

    async def rate(self, rating: int) -> None:
        card, view = self.card, self.view
        if card is None or view is None:
            return
        if not view.revealed:
            self.notify("Show the answer first (Space), then rate.", timeout=3)
            return
        app = self.papp
        now = app.now()
        duration_ms = answer_ms(self.shown_at or now, now, app.context.config.review.max_answer_seconds)
        try:
            payload = view.review_payload()
            view.commit_evidence(app.context.store())
            if self.practice is not None:
                review_id = app.scheduling.practice(
                    card, rating, now=now, duration_ms=duration_ms, payload=payload
                )
            else:
                outcome = app.scheduling.review(
                    card, rating, now=now, duration_ms=duration_ms, payload=payload
                )
        except StoreError as exc:
            self.notify(f"Not saved: {exc}. The card stays; rate again.", severity="error", timeout=15)
            return
        if self.practice is not None:
            answered = Answered(card, rating, review_id, duration_ms, False)
            self.session.answered.append(answered)
            self.session.done.append(answered)
            self.session.remove(card.global_id)
            if rating == 1:  # failed in practice: once more at the end, as Anki's custom study does
                self.session.pending.append(card)
            app.post_reviews_changed(card.global_id)
            await self.show_next()
            return
        answered = Answered(card, rating, outcome.review_id, duration_ms, outcome.leech)
        self.session.answered.append(answered)
        self.session.done.append(answered)
        self.session.remove(card.global_id)
        if outcome.leech:
            self.notify(
                f"“{card.title}” is a leech (lapsed {app.context.config.review.leech_lapses} times) "
                "and was suspended. Rewrite it or unsuspend it in the browser.",
                title="Leech",
                severity="warning",
                timeout=12,
            )
        elif outcome.due is not None and outcome.due <= now + LEARN_AHEAD * 3:
            self.session.learning.append((outcome.due, card))
            self._kinds = {**self._kinds, card.global_id: "learning"}
        app.post_reviews_changed(card.global_id)
        await self.show_next()

    # -- undo, suspend, editors, leaving --------------------------------------------------------
    async def action_undo(self) -> None:
        app = self.papp
        if not self.session.done:
            self.notify("Nothing to undo in this session.", timeout=3)
            return
        last = self.session.done[-1]
        if isinstance(last, NotesFromStory):
            self._undo_story(last)
            return
        if not isinstance(last, Answered):
            await self._undo_suspend(last)
            return
        newest = app.context.store().last_review()
        if newest is None or newest.id != last.review_id:
            self.notify(
                "The newest review was not made in this session (another prepdeck?); not undoing it.",
                severity="warning",
            )
            return
        try:
            undone = app.scheduling.undo()
        except StoreError as exc:
            self.notify(f"Undo failed: {exc}", severity="error")
            return
        if undone is None:
            return
        self.session.answered.pop()
        self.session.done.pop()
        self.session.remove(last.card.global_id)
        # counted as it was before the rating (a new card rated Good had become "learning")
        self._kinds = {
            **getattr(self, "_kinds", {}),
            last.card.global_id: _kind(app.scheduling.state(last.card.global_id)),
        }
        if self.card is not None:
            self.session.pending.insert(0, self.card)
        app.post_reviews_changed(last.card.global_id)
        self.notify(f"Undone: {RATINGS[last.rating]} on “{last.card.title}”", timeout=3)
        await self.show_card(last.card)

    @on(NotesReplaced)
    def _notes_replaced(self, message: NotesReplaced) -> None:
        message.stop()
        if self.card is not None and self.card.global_id == message.card_id:
            self.session.done.append(NotesFromStory(self.card, message.before, message.title))

    def _undo_story(self, last: NotesFromStory) -> None:
        view = self.view
        try:
            if (
                view is not None
                and view.card.global_id == last.card.global_id
                and hasattr(view, "restore_notes")
            ):
                view.restore_notes(last.before)  # a spoken card's view: shown and saved
            else:
                self.papp.context.store().put_note(last.card.global_id, last.before)
        except StoreError as exc:
            self.notify(f"Undo failed: {exc}", severity="error", markup=False)
            return
        self.session.done.pop()
        self.notify(f"Undone: notes from the story “{last.title}”", timeout=3, markup=False)

    async def _undo_suspend(self, card: Card) -> None:
        try:
            self.papp.scheduling.suspend(card.global_id, False)
        except StoreError as exc:
            self.notify(f"Undo failed: {exc}", severity="error")
            return
        self.session.done.pop()
        self.session.suspended.remove(card)
        if self.card is not None:
            self.session.pending.insert(0, self.card)
        self.papp.post_reviews_changed(card.global_id)
        self.notify(f"Undone: suspended “{card.title}”", timeout=3, markup=False)
        await self.show_card(card)

    async def action_suspend(self) -> None:
        card = self.card
        if card is None:
            return
        try:
            self.papp.scheduling.suspend(card.global_id, True)
        except StoreError as exc:
            self.notify(f"Not suspended: {exc}", severity="error")
            return
        self.session.suspended.append(card)
        self.session.done.append(card)
        self.session.remove(card.global_id)
        self.papp.post_reviews_changed(card.global_id)
        self.notify(
            f"Suspended “{card.title}”. Unsuspend it in the browser (b on the home screen).", timeout=5
        )
        await self.show_next()

    def action_edit(self) -> None:
        if self.view is not None and not self.view.focus_editor():
            self.notify("This card has nothing to type into.", timeout=2)

    async def action_leave(self) -> None:
        focused = self.focused
        if isinstance(focused, (Input, TextArea)) or (
            focused is not None
            and self.view is not None
            and focused is not self.view
            and self.view in focused.ancestors
        ):
            # out of the editor: digits rate again (a focusable view keeps its own keys, e.g. record);
            # the card stays where it is scrolled (the run's results under the editor stay in sight)
            self.set_focus(
                self.view if self.view is not None and self.view.can_focus else None, scroll_visible=False
            )
            return
        if self.finished or not self.session.answered:
            self.app.pop_screen()
        else:  # end early: the summary of what was done; the current card stays due
            await self._finish()

    def focus_next(self, selector: Any = "*") -> Any:
        """Tab from outside the card's fields starts where the card says (a revealed design card: its
        checklist), so Tab, Space ticks a point instead of typing into a note."""
        view = self.view
        if selector == "*" and view is not None and self.focused in (None, view):
            start = view.tab_start()
            if start is not None:
                self.set_focus(start)
                return start
        return super().focus_next(selector)

    def action_scroll_card(self, lines: int) -> None:
        if self.view is not None:
            self.view.scroll_relative(y=lines, animate=False)

    def action_page_card(self, direction: int) -> None:
        if self.view is not None:
            self.view.scroll_relative(y=direction * max(1, self.view.size.height - 2), animate=False)

    def _in_a_field(self) -> bool:
        """Focus is on a field of the card (an input, a checkbox, the editor), not the card itself."""
        focused, view = self.focused, self.view
        return focused is not None and view is not None and focused is not view and view in focused.ancestors

    def _card_action(self, action: str) -> Any:
        """The view's own action method for a card key, when the card on screen has it and allows it."""
        view = self.view
        method = getattr(view, f"action_{action}", None)
        if view is None or not callable(method) or view.check_action(action, ()) is False:
            return None
        return method

    def _forward(self, action: str) -> None:
        method = self._card_action(action)
        if method is not None:
            method()

    def action_run_check(self) -> None:
        self._forward("run_check")

    def action_cycle_dialect(self) -> None:
        self._forward("cycle_dialect")

    def action_show_translation(self) -> None:
        self._forward("show_translation")

    def action_give_up(self) -> None:
        self._forward("give_up")

    def action_flip_schema(self) -> None:
        self._forward("flip_schema")

    def check_action(self, action: str, parameters: tuple[Any, ...]) -> bool | None:
        if action in CARD_ACTIONS:
            return self._card_action(action) is not None
        if action in ("reveal", "suspend", "edit", "rate", "accept_suggestion") and self.card is None:
            return action == "accept_suggestion" and self.finished  # Enter leaves the summary
        if action in ("rate", "accept_suggestion", "reveal", "suspend", "undo") and self._in_a_field():
            # keys typed for a field never rate or suspend the card: Esc leaves the field first
            return False
        if action == "edit" and self.view is not None and not self.view.has_editor():
            return False  # a recall card: nothing to type into, so no "e Edit" in the footer
        if action == "reveal" and self.view is not None and self.view.revealed:
            return False  # the footer shows what is left to do: rate
        if action == "speak":
            spoken = view_class("design", spoken=True)
            return self.card is not None and self.card.type == "design" and not isinstance(self.view, spoken)
        return True

    async def action_speak(self) -> None:
        """Answer a design card aloud: swap in the spoken view."""
        if self.card is None or self.view is None or not self.check_action("speak", ()):
            return
        # capacity numbers already typed come along; the timer on the card keeps running
        spoken = spoken_twin(self.view, self.papp.context)
        revealed = self.view.revealed
        host = self.query_one("#card-host")
        await host.remove_children()
        self.view = spoken
        self.view.id = "card-view"
        await host.mount(self.view)
        if revealed:
            spoken.keep_revealed()
        self.set_focus(self.view if self.view.can_focus else None)
        self.refresh_bindings()


def _kind(state: dict[str, Any] | None) -> str:
    """new, learning (also relearning) or review, for the counts in the top bar."""
    if state is None:
        return "new"
    return "review" if state.get("state") == 2 else "learning"


def answer_ms(shown_at: dt.datetime, now: dt.datetime, max_seconds: float) -> int:
    """Time on the card, capped: a card left open for an hour must not inflate minutes in stats and reports."""
    seconds = (now - shown_at).total_seconds()
    return int(max(0.0, min(seconds, max_seconds)) * 1000)


def _duration(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes} min {secs:02d} s" if minutes else f"{secs} s"
