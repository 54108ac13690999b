"""A timed mock interview: the timer is the interviewer.

Pick a round (or arrive with one from `prepdeck mock ROUND`); each phase shows its work — the code
view for sql/pyspark problems, the follow-up questions with a box per answer, the design view (`r`
answers it aloud instead: its delivery and structure then score the communication line), the
spoken-answer view for STAR questions — under an always-visible timer: phase, time left (red and
counting up once over), total. A phase change is announced (notification and bell); `p` pauses, `n`
moves on. Running over is allowed and recorded.

The `mocks` row is written when the round starts and updated at every phase change and every few
seconds, so quitting (Escape twice, `q`, Ctrl+C) or a crash keeps what was done as an unfinished mock.
After the last phase, the rubric: automatic scores with their evidence and a self-score box per line,
the total against the pass line, and the earlier mocks of the round beside it.

Every view of a round stays mounted (hidden) until the round is scored, so a judge run or a
transcription still working when the user moves on lands in the scores.

The round's state machine, timer, evidence, rows and scores are `mocks.session.MockSession`; this screen
shows them and forwards keys. Each card view reports its answer through its typed `evidence()`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, cast

from rich.markup import escape
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Container, Vertical
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from prepdeck.core.store import StoreError
from prepdeck.mocks import store as mock_store
from prepdeck.mocks.plan import ROUND_CHOICES, ROUND_TITLES, NoCards, PlannedPhase, RoundPlan, plan_mock
from prepdeck.mocks.session import MockSession, phase_key
from prepdeck.mocks.timer import Monotonic, format_clock
from prepdeck.scoring.card import Scorecard
from prepdeck.scoring.evidence import AnswerEvidence, CodeAnswer, DesignAnswer
from prepdeck.scoring.rubrics import ROUND_PHASES
from prepdeck.tui.app import PrepdeckApp
from prepdeck.tui.bindings import bindings_for, key_in_force
from prepdeck.tui.components.card_view import CardView
from prepdeck.tui.components.card_views import spoken_twin, view_class, view_for
from prepdeck.tui.components.fields import focus_now
from prepdeck.tui.components.footer import AdaptiveFooter
from prepdeck.tui.components.mock_panes import BreakPane, DiscussionPane, ScoringPane

if TYPE_CHECKING:
    from prepdeck.core.context import Context

TICK_S = 0.25


def round_summary(round_: str) -> str:
    if round_ == "full":
        return "all four rounds in order, a 5-minute break between them (n skips a break)"
    phases = ROUND_PHASES[round_]
    total = sum(p.minutes for p in phases)
    return f"{total} min: " + " + ".join(f"{p.minutes} {p.name}" for p in phases)


class MockScreen(Screen[None]):
    """One mock interview: a round picker, the timed phases, then the rubric of each round."""

    DEFAULT_CSS = """
    MockScreen #mock-phase { height: auto; padding: 0 1; background: $boost; }
    MockScreen #mock-host { height: 1fr; }
    MockScreen #mock-picker { padding: 0 2; }
    MockScreen #round-list { height: auto; max-height: 9; }
    DiscussionPane { height: 1fr; padding: 0 2; }
    DiscussionPane .mock-prompt-title { margin-top: 1; }
    DiscussionPane .mock-answer { height: 6; }
    ScoringPane { height: 1fr; padding: 0 2; }
    ScoringPane #scoring-lines { height: auto; }
    ScoringPane #scoring-earlier { height: auto; margin: 1 0; }
    ScoringPane .score-line { height: auto; }
    ScoringPane .score-head { height: 3; }
    ScoringPane .score-label { width: 1fr; padding: 1 1 0 0; }
    ScoringPane .score-input { width: 12; }
    ScoringPane .score-final { width: 24; padding: 1 0 0 1; }
    ScoringPane #score-total { margin: 1 0 0 0; }
    MockScreen .mock-break { padding: 2 4; height: 1fr; }
    """

    BINDINGS: ClassVar[list[BindingType]] = bindings_for("mock")
    # the review actions a hosted card view names in its hints, as this screen's (bindings.key_here)
    # (no reveal here: a design card's answer shows when its round ends, `mock_next` through the last phase)
    KEY_IDS: ClassVar[dict[str, str]] = {
        "leave": "mock_leave",
        "edit": "mock_edit",
        "speak": "mock_speak",
        "reveal": "mock_next",
    }

    def __init__(
        self, round_: str | None = None, *, seed: int | None = None, clock: Monotonic | None = None
    ) -> None:
        super().__init__()
        self.requested = round_
        self.seed = seed
        self._clock = clock  # the timers' clock; without one, the app's (`PrepdeckApp.monotonic`)
        self._session: MockSession | None = None  # made on first use: it needs the app's store and clocks
        self.views: dict[str, Widget] = {}  # phase key -> its widget (kept mounted for the round)
        self.scoring: ScoringPane | None = None
        self._quit_armed = False
        self._last_evidence: dict[str, Any] = {}

    @property
    def papp(self) -> PrepdeckApp:
        return cast(PrepdeckApp, self.app)

    @property
    def context(self) -> Context:
        return self.papp.context

    @property
    def session(self) -> MockSession:
        if self._session is None:
            self._session = MockSession(
                self.context.store, self._clock or self.papp.monotonic, lambda: self.papp.now()
            )
        return self._session

    @property
    def state(self) -> str:
        return self.session.state

    @property
    def current_plan(self) -> RoundPlan:
        return self.session.current_plan

    # -- layout ------------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Static("", id="mock-timer", classes="topbar")
        yield Static("", id="mock-phase")
        with Container(id="mock-host"):
            yield Vertical(id="mock-picker")
        yield AdaptiveFooter()

    def on_mount(self) -> None:
        picker = self.query_one("#mock-picker")
        leave = escape(key_in_force(self, "mock_leave"))
        picker.mount(
            Static(
                "[b]Mock interview[/b] [dim]— which round? Enter starts; the timer starts at once. "
                f"{leave} goes back.[/dim]",
                classes="card-title",
            )
        )
        options = [Option(f"{ROUND_TITLES[r]:<14} {round_summary(r)}", id=r) for r in ROUND_CHOICES]
        picker.mount(OptionList(*options, id="round-list"))
        self._update_bar()
        self.set_interval(TICK_S, self.tick)
        if self.requested is not None:
            self.call_after_refresh(self.start, self.requested)
        else:
            self.call_after_refresh(lambda: self.query_one("#round-list", OptionList).focus())

    @on(OptionList.OptionSelected, "#round-list")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.start(event.option.id)

    # -- starting --------------------------------------------------------------------------------------
    def start(self, round_: str) -> None:
        if self.state != "pick":
            return
        ctx = self.context
        try:
            store = ctx.store()
            plan = plan_mock(
                round_,
                ctx.decks(),
                mock_store.last_seen(store),
                suspended=store.suspended(),
                seed=self.seed if self.seed is not None else _daily_seed(self.papp.now()),
            )
        except NoCards as exc:
            self.notify(str(exc), title="Mock", severity="error", timeout=15)
            self.query_one("#mock-phase", Static).update(f"[red]{escape(str(exc))}[/red]")
            return
        except StoreError as exc:
            self.notify(f"Cannot start: {exc}", title="Mock", severity="error", timeout=15)
            return
        for problem in plan.skipped:
            self.notify(f"Skipped: {problem}", title="Mock", severity="warning", timeout=12)
        self.query_one("#mock-picker").remove()
        self.session.begin(plan)
        self.views = {}
        self._show_phase()

    # -- phases ----------------------------------------------------------------------------------------
    def _show_phase(self) -> None:
        phase = self.session.phase
        assert phase is not None
        try:
            if self.session.ensure_row():
                self._save_progress()  # a full mock's first row: its id goes into the evidence
        except StoreError as exc:
            self.notify(f"The mock is not being saved: {exc}", severity="error", timeout=15)
        host = self.query_one("#mock-host")
        key = phase_key(phase)
        for widget in self.views.values():
            widget.display = False
        widget = self.views.get(key)
        if widget is None:
            widget = self._build(phase)
            widget.id = f"phase-{self.session.round_index}-{len(self.views)}"
            self.views[key] = widget
            host.mount(widget)
        widget.display = True
        if isinstance(widget, CardView) and widget.can_focus:
            self.call_after_refresh(self.set_focus, widget)
        else:
            self.call_after_refresh(self.set_focus, None)
        self._update_phase_line()
        self._update_bar()
        self.refresh_bindings()

    def _build(self, phase: PlannedPhase) -> Widget:
        if phase.kind == "break":
            return BreakPane(
                f"[b]Break[/b]\n\n{escape(phase.what)}. Stand up, drink some water.", classes="mock-break"
            )
        if phase.kind == "discussion":
            return DiscussionPane(self.current_plan)
        card = self.context.decks().card(phase.card_id or "")
        assert card is not None
        return view_for(card, self.context)

    def _update_phase_line(self) -> None:
        phase = self.session.phase
        if phase is None:
            return
        real = [p for p in self.session.phases if p.kind != "break"]
        position = f"{real.index(phase) + 1}/{len(real)}" if phase in real else "break"
        title = ROUND_TITLES[phase.round]
        self.query_one("#mock-phase", Static).update(
            f"[b]{escape(title)}[/b] · phase {position}: [b]{escape(phase.name)}[/b] "
            f"({format_clock(phase.seconds)}) — {escape(phase.what)}"
        )

    def tick(self) -> None:
        """Called a few times a second (and by tests after moving the clock)."""
        notes, save_due = self.session.tick()
        for note in notes:
            self.notify(
                note.text,
                title="Time",
                severity="warning" if note.kind == "time_up" else "information",
                timeout=8,
            )
            self.app.bell()
        if save_due:
            self._save_progress()
        self._update_bar()

    def _update_bar(self) -> None:
        if not self.is_mounted:
            return
        bar = self.query_one("#mock-timer", Static)
        timer = self.session.timer
        if self.state == "pick" or timer is None:
            bar.update("[b]Mock interview[/b]  [dim]pick a round[/dim]")
            return
        title = ROUND_TITLES[self.current_plan.round]
        if self.state != "running" or timer.current is None:
            bar.update(
                f"[b]{escape(title)}[/b]  ·  time used {format_clock(timer.total_used())} of "
                f"{format_clock(timer.total_planned())}  ·  [dim]{self.state}[/dim]"
            )
            return
        left = timer.remaining()
        phase = timer.current.name
        clock = (
            f"[b]{format_clock(left)}[/b] left"
            if left >= 0
            else f"[b red]+{format_clock(-left)} over[/b red]"
        )
        resume = escape(key_in_force(self, "mock_pause"))
        paused = f"  ·  [b yellow]PAUSED ({resume} resumes)[/b yellow]" if timer.paused else ""
        bar.update(
            f"[b]{escape(title)}[/b] · {escape(phase)}  {clock}  ·  total {format_clock(timer.total_used())}"
            f" / {format_clock(timer.total_planned())}{paused}"
        )

    # -- keys --------------------------------------------------------------------------------------------
    def action_toggle_pause(self) -> None:
        if self.session.timer is None or self.state != "running":
            return
        paused = self.session.toggle_pause()
        resume = key_in_force(self, "mock_pause")
        self.notify(
            f"Paused: the clock stops until {resume}." if paused else "Resumed.",
            title="Time",
            markup=False,
            timeout=3,
        )
        self._save_progress()
        self._update_bar()

    def action_next_phase(self) -> None:
        if self.state == "running":
            self._advance()
        elif self.state == "wrapup":
            self._score_round()
        elif self.state == "scoring":
            self._next_round()

    def _advance(self) -> None:
        if self.session.timer is None:
            return
        self.session.note_code(self._code_answer())
        following = self.session.advance()
        self._save_progress()
        if following is None:
            self._round_over()
            return
        self._show_phase()
        self.notify(
            f"Now: {following.name} — {format_clock(following.seconds)}. {following.what}",
            title="Next phase",
            timeout=8,
        )
        self.app.bell()

    def _round_over(self) -> None:
        plan = self.current_plan
        title = ROUND_TITLES[plan.round]
        timer = self.session.timer
        last = timer.records[-1] if timer is not None else None
        # n before the last phase's time ran out ends the round early: saying "Time" would be untrue
        early = last is not None and last.used_s < last.planned_s
        if early and timer is not None:
            used, planned = format_clock(timer.total_used()), format_clock(timer.total_planned())
            self.notify(
                f"{title} round ended early: {used} of {planned} used.", title="Round ended", timeout=6
            )
        else:
            self.notify(f"Time: the {title} round is over.", title="Time", timeout=6)
        self.app.bell()
        design = self._design_view()
        if design is not None:
            # the checklist is the design evidence: tick what was covered before scoring
            self.session.wrap_up()
            for widget in self.views.values():
                widget.display = widget is design
            design.reveal()
            self.query_one("#mock-phase", Static).update(
                f"[b]{'Round ended.' if early else 'Time.'}[/b] Tick what your design covered and check your "
                f"capacity numbers; {escape(key_in_force(self, 'mock_next'))} shows the rubric."
            )
            self._update_bar()
            self.refresh_bindings()
            return
        self._score_round()

    def action_edit(self) -> None:
        for widget in self.views.values():
            if widget.display and isinstance(widget, (CardView, DiscussionPane)):
                if not widget.focus_editor():
                    self.notify("Nothing to type into here.", timeout=2)
                return
        if self.scoring is not None and self.scoring.display:
            focus_now(self.scoring.query(Input).first())

    def action_leave(self) -> None:
        focused = self.focused
        if isinstance(focused, (Input, TextArea)) or (
            focused is not None
            and not isinstance(focused, CardView)
            and any(isinstance(a, CardView) for a in focused.ancestors)
        ):
            self.set_focus(None)  # out of the editor: the screen's keys work again
            return
        self.action_quit_mock()

    def action_quit_mock(self) -> None:
        if self.state in ("running", "wrapup") and not self._quit_armed:
            self._quit_armed = True
            leave, quit_ = (key_in_force(self, a) for a in ("mock_leave", "mock_quit"))
            self.notify(
                f"Press {leave} (or {quit_}) again to end the mock here; what you did is kept as an unfinished mock.",
                title="End the mock?",
                markup=False,
                severity="warning",
                timeout=6,
            )
            self.set_timer(6, self._disarm)
            return
        self._end_unfinished()
        if self._quit_armed:  # its "End the mock?" toast is answered: it must not greet the next mock
            self.app.clear_notifications()
        self.app.pop_screen()

    def _disarm(self) -> None:
        self._quit_armed = False

    def _paper_design_view(self) -> CardView | None:
        """The design view on screen while it is still the written one (r turns it into the spoken one)."""
        view = self._design_view()
        if view is None or not view.display or isinstance(view, view_class("design", spoken=True)):
            return None
        return view

    async def action_speak(self) -> None:
        """Answer the design aloud: the same card in the spoken view, the capacity numbers typed so far kept;
        its delivery and structure then score the communication line (else left to the self-score)."""
        view = self._paper_design_view()
        if view is None or self.state != "running":
            return
        key = next(k for k, w in self.views.items() if w is view)
        spoken = spoken_twin(view, self.context)
        spoken.id = view.id
        await view.remove()
        self.views[key] = spoken
        await self.query_one("#mock-host").mount(spoken)
        self.set_focus(spoken if spoken.can_focus else None)
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[Any, ...]) -> bool | None:
        if action == "speak":
            return self.state == "running" and self._paper_design_view() is not None
        if action == "toggle_pause":
            return self.state == "running"
        if action == "next_phase":
            return self.state in ("running", "wrapup", "scoring")
        if action == "edit":
            return self.state != "pick"  # the round picker has nothing to type into
        return True

    # -- evidence ----------------------------------------------------------------------------------------
    @on(CardView.SuggestRating)
    def _view_news(self, message: CardView.SuggestRating) -> None:
        """A judge or a transcription finished: note a pass in time; rescore if the rubric is showing."""
        message.stop()
        self.session.note_code(self._code_answer())
        if self.state == "scoring" and self.scoring is not None:
            self.session.refresh_evidence(self.evidence())
            self._rescore()

    def _answers(self) -> dict[str, AnswerEvidence | None]:
        """Each card view's answer, by phase key (views being torn down cannot answer: NoMatches)."""
        return {k: w.evidence() for k, w in self.views.items() if isinstance(w, CardView) and w.is_mounted}

    def _code_answer(self) -> CodeAnswer | None:
        view = next((w for k, w in self.views.items() if k.startswith("code:")), None)
        answer = view.evidence() if isinstance(view, CardView) and view.is_mounted else None
        return answer if isinstance(answer, CodeAnswer) else None

    def _design_view(self) -> CardView | None:
        return next(
            (w for k, w in self.views.items() if k.startswith("design:") and isinstance(w, CardView)), None
        )

    def evidence(self) -> dict[str, Any]:
        """The round's evidence JSON now (mocks/session.py's shape)."""
        discussion = next((w for w in self.views.values() if isinstance(w, DiscussionPane)), None)
        return self.session.record(self._answers(), discussion.answers() if discussion is not None else None)

    def _safe_evidence(self) -> dict[str, Any]:
        """The evidence now, or the last that could be read (views being torn down on quit can't answer)."""
        with contextlib.suppress(NoMatches):
            self._last_evidence = self.evidence()
        return self._last_evidence

    def _save_progress(self, ended: bool = False) -> None:
        try:
            self.session.save_progress(self._safe_evidence(), ended=ended)
        except StoreError as exc:
            self.notify(f"Progress not saved: {exc}", severity="error", timeout=10)

    def _end_unfinished(self) -> None:
        """Quit midway: stop the clock, keep everything as an unfinished mock."""
        if self.state == "pick":
            return  # left at the round picker: no round, no evidence to read
        try:
            self.session.end_unfinished(self._safe_evidence())
        except StoreError as exc:
            self.notify(f"Progress not saved: {exc}", severity="error", timeout=10)

    def on_unmount(self) -> None:
        self._end_unfinished()  # Ctrl+C / Ctrl+Q quit the app from anywhere: keep what was done

    def on_screen_suspend(self) -> None:
        if self.state in ("running", "wrapup"):
            self._save_progress()  # another screen on top (help): everything so far is on disk

    # -- scoring ---------------------------------------------------------------------------------------------
    def _score_round(self) -> None:
        design = self._design_view()
        answer = design.evidence() if design is not None else None
        try:
            card = self.session.score(self.evidence(), answer if isinstance(answer, DesignAnswer) else None)
        except StoreError as exc:
            self.notify(f"Checklist not saved: {exc}", severity="error")
            card = self.session.rescore({})
        earlier = []
        with contextlib.suppress(StoreError):
            earlier = self.session.earlier()
        for widget in self.views.values():
            widget.display = False
        references = [(p.title, p.reference) for p in self.current_plan.prompts if p.reference]
        self.scoring = ScoringPane(card, earlier, references, id=f"scoring-{self.session.round_index}")
        self.query_one("#mock-host").mount(self.scoring)
        self._store_scores(card)
        leave, next_ = (escape(key_in_force(self, a)) for a in ("mock_leave", "mock_next"))
        self.query_one("#mock-phase", Static).update(
            "[b]Scoring.[/b] "
            + (
                f"{next_}: on to the break and the next round."
                if self.session.more_rounds
                else f"Saved as you type; {leave} goes home."
            )
        )
        self._update_bar()
        self.refresh_bindings()

    @on(Input.Changed, ".score-input")
    def _self_score_typed(self) -> None:
        self._rescore()

    def _rescore(self) -> None:
        if self.scoring is None:
            return
        try:
            own, problems = self.scoring.self_scores()
        except NoMatches:  # the rubric is still being laid out; it scores itself once mounted
            return
        card = self.session.rescore(own)
        self.scoring.refresh_card(card, problems)
        self._store_scores(card)

    def _store_scores(self, card: Scorecard) -> None:
        try:
            self.session.store_scores(card)
        except StoreError as exc:
            self.notify(f"Scores not saved: {exc}", severity="error", timeout=10)

    def _next_round(self) -> None:
        if not self.session.more_rounds:
            leave = key_in_force(self, "mock_leave")
            self.notify(f"That was the last round; {leave} goes home.", timeout=4, markup=False)
            return
        for widget in [*self.views.values(), *([self.scoring] if self.scoring else [])]:
            widget.remove()
        self.scoring = None
        self.views = {}
        self.session.next_round()
        self._show_phase()
        self.app.bell()


def _daily_seed(now: dt.datetime) -> int:
    """A new choice each day, the same all day (re-opening a mock today gives the same questions)."""
    return int(now.strftime("%Y%m%d"))


class MockApp(PrepdeckApp):
    """The app opened straight into a mock round (`prepdeck mock ROUND`); when the mock ends, the user is
    back in the shell that ran the command (not on a home screen they never asked for)."""

    CSS_PATH = str(Path(__file__).resolve().parent.parent / "app.tcss")

    def __init__(self, context: Context, round_: str, **kwargs: Any) -> None:
        super().__init__(context, **kwargs)
        self.mock_round = round_

    def on_mount(self) -> None:
        # Textual also runs PrepdeckApp.on_mount (it dispatches to every class's handler): that one pushes
        # the home screen, so the mock goes on top of it once both have run
        self._mock = MockScreen(self.mock_round)
        self.call_after_refresh(self.push_screen, self._mock)

    def pop_screen(self) -> Any:
        leaving = self.screen is getattr(self, "_mock", None)
        popped = super().pop_screen()
        if leaving:
            self.exit(0)
        return popped
