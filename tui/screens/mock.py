"""A timed mock interview: the timer is the interviewer.

Pick a round (or arrive with one from `prepdeck mock ROUND`); each phase shows its work — the code
view for sql/pyspark problems, the follow-up questions with a box per answer, the design view (`r`
answers it aloud instead: its delivery then scores the communication line), the spoken-answer view for
STAR questions — under an always-visible timer: phase, time left (red and counting up once over),
total. A phase change is announced (notification and bell); `p` pauses, `n`
moves on. Running over is allowed and recorded.

The `mocks` row is written when the round starts and updated at every phase change and every few
seconds, so quitting (Escape twice, `q`, Ctrl+C) or a crash keeps what was done as an unfinished mock.
After the last phase, the rubric: automatic scores with their evidence and a self-score box per line,
the total against the pass line, and the earlier mocks of the round beside it.

Every view of a round stays mounted (hidden) until the round is scored, so a judge run or a
transcription still working when the user moves on lands in the scores.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, cast

from rich.markup import escape
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Horizontal, Vertical, VerticalScroll
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Input, Label, Markdown, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from prepdeck.core.store import StoreError, to_iso
from prepdeck.mocks import store as mock_store
from prepdeck.mocks.plan import (
    ROUND_CHOICES,
    ROUND_TITLES,
    MockPlan,
    NoCards,
    PlannedPhase,
    RoundPlan,
    plan_mock,
)
from prepdeck.mocks.session import score_mock
from prepdeck.mocks.timer import Monotonic, PhaseTimer, format_clock
from prepdeck.scoring.card import Scorecard, parse_self_score
from prepdeck.scoring.evidence import code_evidence
from prepdeck.scoring.rubrics import ROUND_PHASES, RUBRICS
from prepdeck.tui.app import PrepdeckApp
from prepdeck.tui.bindings import bindings_for
from prepdeck.tui.components.card_view import CardView
from prepdeck.tui.components.card_views import spoken_twin, view_class, view_for

if TYPE_CHECKING:
    from prepdeck.core.context import Context

SAVE_EVERY_S = 10.0  # clock seconds between progress writes while a phase runs
TICK_S = 0.25


def round_summary(round_: str) -> str:
    if round_ == "full":
        return "all four rounds in order, a 5-minute break between them (n skips a break)"
    phases = ROUND_PHASES[round_]
    total = sum(p.minutes for p in phases)
    return f"{total} min: " + " + ".join(f"{p.minutes} {p.name}" for p in phases)


class DiscussionPane(VerticalScroll):
    """The follow-up questions of a coding round, each with a box for a written answer."""

    def __init__(self, plan: RoundPlan, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.plan = plan

    def compose(self) -> ComposeResult:
        yield Static(
            "[b]Follow-up questions[/b] [dim]Answer aloud as you would to the interviewer, and jot the "
            "key points in the box (they are scored). e: first box · Tab: next · Esc leaves a box[/dim]",
            classes="card-title",
        )
        for i, prompt in enumerate(self.plan.prompts):
            yield Static(f"[b]{i + 1}. {escape(prompt.title)}[/b]", classes="mock-prompt-title")
            yield Markdown(prompt.text, classes="prompt")
            yield TextArea("", id=f"answer-{i}", classes="mock-answer", soft_wrap=True)

    def answers(self) -> list[dict[str, Any]]:
        return [
            {"title": p.title, "card": p.card_id, "answer": self.query_one(f"#answer-{i}", TextArea).text}
            for i, p in enumerate(self.plan.prompts)
        ]

    def focus_editor(self) -> bool:
        boxes = list(self.query(TextArea))
        empty = [b for b in boxes if not b.text.strip()]
        target = (empty or boxes or [None])[0]
        if target is None:
            return False
        target.focus()
        return True


class BreakPane(Static):
    pass


class ScoringPane(VerticalScroll):
    """The rubric of one round: automatic score and evidence per line, a self-score box, the total."""

    def __init__(
        self,
        card: Scorecard,
        earlier: list[mock_store.MockRow],
        references: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.card = card
        self.earlier = earlier
        self.references = references

    def compose(self) -> ComposeResult:
        card = self.card
        yield Static(
            f"[b]{escape(card.title)} mock: the rubric[/b]  [dim]type your own score per line (blank = "
            "the automatic score); Esc leaves a box · n continues · Esc again goes home[/dim]",
            classes="card-title",
        )
        yield Static("", id="score-total")
        with Vertical(id="scoring-lines"):
            for line in card.lines:
                with Vertical(classes="score-line"):
                    with Horizontal(classes="score-head"):
                        yield Label(f"{escape(line.label)} /{line.max}", classes="score-label")
                        yield Input(placeholder=f"0–{line.max}", id=f"self-{line.key}", classes="score-input")
                        yield Static("", id=f"final-{line.key}", classes="score-final")
                    yield Static(self._auto_text(line.key), id=f"auto-{line.key}", classes="score-auto")
        yield Static(self._earlier_text(), id="scoring-earlier")
        if self.references:
            yield Static("[b]What strong follow-up answers say[/b]", classes="mock-prompt-title")
            for title, text in self.references:
                yield Markdown(f"**{title}**\n\n{text}", classes="answer")

    def on_mount(self) -> None:
        self.refresh_card(self.card)

    def _auto_text(self, key: str) -> str:
        line = next(ln for ln in self.card.lines if ln.key == key)
        auto = "—" if line.auto is None else f"{line.auto:g}"
        return f"[dim]auto {auto}: {escape(line.evidence)}\n    {escape(line.method)}[/dim]"

    def _earlier_text(self) -> str:
        rubric = RUBRICS[self.card.round]
        lines = [
            f"[b]Earlier {escape(self.card.title)} mocks[/b]",
            f"[dim]pass line {rubric.pass_score}/{rubric.max_score}[/dim]",
        ]
        if not self.earlier:
            lines.append("none yet: this is the first")
        for row in self.earlier:
            if row.total is None or not row.finished:
                lines.append(f"{row.started_at[:10]}  [dim]unfinished[/dim]")
                continue
            mark = "[green]pass[/green]" if row.passed else "[red]below[/red]"
            lines.append(f"{row.started_at[:10]}  {row.total:g}/{row.max_total:g}  {mark}")
        return "\n".join(lines)

    def self_scores(self) -> tuple[dict[str, float | None], dict[str, str]]:
        """Typed self-scores and a problem per line that could not be read (that line then counts as blank)."""
        scores: dict[str, float | None] = {}
        problems: dict[str, str] = {}
        for line in self.card.lines:
            text = self.query_one(f"#self-{line.key}", Input).value
            try:
                scores[line.key] = parse_self_score(text, line.max)
            except ValueError as exc:
                scores[line.key] = None
                problems[line.key] = str(exc)
        return scores, problems

    def refresh_card(self, card: Scorecard, problems: dict[str, str] | None = None) -> None:
        self.card = card
        problems = problems or {}
        for line in card.lines:
            if line.key in problems:
                text = f"[red]{escape(problems[line.key])}[/red]"
            else:
                source = {"self": "yours", "auto": "auto", "none": "no evidence"}[line.source]
                text = f"= [b]{line.final:g}[/b] [dim]({source})[/dim]"
            self.query_one(f"#final-{line.key}", Static).update(text)
            self.query_one(f"#auto-{line.key}", Static).update(self._auto_text(line.key))
        verdict = "[b green]PASS[/b green]" if card.passed else "[b red]below the pass line[/b red]"
        self.query_one("#score-total", Static).update(
            f"Total [b]{card.total:g}/{card.max_total}[/b] · pass line {card.pass_score} → {verdict}  "
            f"[dim](automatic alone: {card.auto_total:g})[/dim]"
        )


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

    BINDINGS: ClassVar[list[Binding]] = bindings_for("mock")

    def __init__(
        self, round_: str | None = None, *, seed: int | None = None, clock: Monotonic | None = None
    ) -> None:
        super().__init__()
        self.requested = round_
        self.seed = seed
        self._clock = clock
        self.state = "pick"  # pick | running | wrapup | scoring | done
        self.plan: MockPlan | None = None
        self.round_index = 0
        self.timer: PhaseTimer | None = None
        self.phases: list[PlannedPhase] = []  # of the current round (a leading break included)
        self.mock_id: int | None = None
        self.mock_ids: list[int] = []
        self.session: int | None = None
        self.views: dict[str, Widget] = {}  # phase key -> its widget (kept mounted for the round)
        self.scorecards: list[Scorecard] = []
        self.scoring: ScoringPane | None = None
        self._solved_in_time: bool | None = None
        self._last_save = 0.0
        self._quit_armed = False
        self._started_at: str | None = None
        self._evidence: dict[str, Any] = {}
        self._last_evidence: dict[str, Any] = {}

    @property
    def papp(self) -> PrepdeckApp:
        return cast(PrepdeckApp, self.app)

    @property
    def context(self) -> Context:
        return self.papp.context

    def monotonic(self) -> float:
        if self._clock is not None:
            return self._clock()
        clock = getattr(self.app, "clock", None)
        if clock is None or getattr(clock, "__name__", "") == "utcnow":
            return time.monotonic()
        return cast(dt.datetime, clock()).timestamp()  # a test's clock drives the timer too

    # -- layout ------------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Static("", id="mock-timer", classes="topbar")
        yield Static("", id="mock-phase")
        with Container(id="mock-host"):
            yield Vertical(id="mock-picker")
        yield Footer()

    def on_mount(self) -> None:
        picker = self.query_one("#mock-picker")
        picker.mount(
            Static(
                "[b]Mock interview[/b] [dim]— which round? Enter starts; the timer starts at once. "
                "Escape goes back.[/dim]",
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
        self.plan = plan
        self.query_one("#mock-picker").remove()
        self.state = "running"
        self._start_round(0)

    def _start_round(self, index: int) -> None:
        assert self.plan is not None
        self.round_index = index
        plan = self.plan.rounds[index]
        phases = [p for p in self.plan.phases if p.round == plan.round]
        self.phases = phases
        self.views = {}
        self.mock_id = None
        self._solved_in_time = None
        self.timer = PhaseTimer(
            [
                (p.name, p.seconds, {"kind": p.kind, **({"card": p.card_id} if p.card_id else {})})
                for p in phases
            ],
            clock=self.monotonic,
        )
        self.timer.start()
        self._show_phase()

    def _ensure_row(self) -> None:
        """The round's `mocks` row, created when its first real phase starts (not during a break)."""
        if self.mock_id is not None or self.timer is None:
            return
        current = self.phases[self.timer.index]
        if current.kind == "break":
            return
        plan = self.current_plan
        self._started_at = to_iso(self.papp.now())
        evidence = {"session": self.session} if self.session else {}
        try:
            self.mock_id = mock_store.create_mock(
                self.context.store(),
                plan.round,
                plan.card_ids,
                self._phases_json(),
                started_at=self._started_at,
                evidence=evidence,
            )
        except StoreError as exc:
            self.notify(f"The mock is not being saved: {exc}", severity="error", timeout=15)
            return
        self.mock_ids.append(self.mock_id)
        if self.plan is not None and self.plan.round == "full" and self.session is None:
            self.session = self.mock_id
            self._save_progress()

    @property
    def current_plan(self) -> RoundPlan:
        assert self.plan is not None
        return self.plan.rounds[self.round_index]

    # -- phases ----------------------------------------------------------------------------------------
    def _phase_key(self, phase: PlannedPhase) -> str:
        if phase.kind in ("code", "design"):
            return f"{phase.kind}:{phase.card_id}"
        if phase.kind == "story":
            return f"story:{phase.card_id}"
        return f"{phase.kind}:{phase.name}"

    def _show_phase(self) -> None:
        assert self.timer is not None
        phase = self.phases[self.timer.index]
        self._ensure_row()
        host = self.query_one("#mock-host")
        key = self._phase_key(phase)
        for widget in self.views.values():
            widget.display = False
        widget = self.views.get(key)
        if widget is None:
            widget = self._build(phase)
            widget.id = f"phase-{self.round_index}-{len(self.views)}"
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
        if self.timer is None:
            return
        phase = self.phases[self.timer.index]
        real = [p for p in self.phases if p.kind != "break"]
        position = f"{real.index(phase) + 1}/{len(real)}" if phase in real else "break"
        title = ROUND_TITLES[phase.round]
        self.query_one("#mock-phase", Static).update(
            f"[b]{escape(title)}[/b] · phase {position}: [b]{escape(phase.name)}[/b] "
            f"({format_clock(phase.seconds)}) — {escape(phase.what)}"
        )

    def tick(self) -> None:
        """Called a few times a second (and by tests after moving the clock)."""
        timer = self.timer
        if timer is None or self.state != "running":
            self._update_bar()
            return
        for note in timer.tick():
            if note.kind == "start":
                continue  # phase starts are announced by action_next_phase
            self.notify(
                note.text,
                title="Time",
                severity="warning" if note.kind == "time_up" else "information",
                timeout=8,
            )
            self.app.bell()
        now = self.monotonic()
        if now - self._last_save >= SAVE_EVERY_S:
            self._save_progress()
        self._update_bar()

    def _update_bar(self) -> None:
        if not self.is_mounted:
            return
        bar = self.query_one("#mock-timer", Static)
        timer = self.timer
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
        paused = "  ·  [b yellow]PAUSED (p resumes)[/b yellow]" if timer.paused else ""
        bar.update(
            f"[b]{escape(title)}[/b] · {escape(phase)}  {clock}  ·  total {format_clock(timer.total_used())}"
            f" / {format_clock(timer.total_planned())}{paused}"
        )

    # -- keys --------------------------------------------------------------------------------------------
    def action_toggle_pause(self) -> None:
        if self.timer is None or self.state != "running":
            return
        paused = self.timer.toggle_pause()
        self.notify("Paused: the clock stops until p." if paused else "Resumed.", title="Time", timeout=3)
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
        timer = self.timer
        if timer is None:
            return
        self._capture_code_timing()
        following = timer.next()
        self._save_progress()
        if following is None:
            self._round_over()
            return
        phase = self.phases[following]
        self._show_phase()
        self.notify(
            f"Now: {phase.name} — {format_clock(phase.seconds)}. {phase.what}", title="Next phase", timeout=8
        )
        self.app.bell()

    def _round_over(self) -> None:
        plan = self.current_plan
        self.notify(f"Time: the {ROUND_TITLES[plan.round]} round is over.", title="Time", timeout=6)
        self.app.bell()
        design = next((w for w in self.views.values() if _is_design_view(w)), None)
        if design is not None:
            # the checklist is the design evidence: tick what was covered before scoring
            self.state = "wrapup"
            for widget in self.views.values():
                widget.display = widget is design
            cast(CardView, design).reveal()
            self.query_one("#mock-phase", Static).update(
                "[b]Time.[/b] Tick what your design covered and check your capacity numbers; n shows the rubric."
            )
            self._update_bar()
            self.refresh_bindings()
            return
        self._score_round()

    def action_edit(self) -> None:
        for widget in self.views.values():
            if widget.display and hasattr(widget, "focus_editor"):
                if not widget.focus_editor():  # type: ignore[attr-defined]
                    self.notify("Nothing to type into here.", timeout=2)
                return
        if self.scoring is not None and self.scoring.display:
            self.scoring.query(Input).first().focus()

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
            self.notify(
                "Press Escape (or q) again to end the mock here; what you did is kept as an unfinished mock.",
                title="End the mock?",
                severity="warning",
                timeout=6,
            )
            self.set_timer(6, self._disarm)
            return
        self._end_unfinished()
        self.app.pop_screen()

    def _disarm(self) -> None:
        self._quit_armed = False

    def _paper_design_view(self) -> CardView | None:
        """The design view on screen while it is still the written one (r turns it into the spoken one)."""
        spoken = view_class("design", spoken=True)
        if spoken is view_class("design"):  # no spoken view installed
            return None
        return next(
            (
                cast(CardView, w)
                for w in self.views.values()
                if w.display and _is_design_view(w) and not isinstance(w, spoken)
            ),
            None,
        )

    async def action_speak(self) -> None:
        """Answer the design aloud: the same card in the spoken view, the capacity numbers typed so far kept;
        the delivery then scores the communication line (else left to the self-score)."""
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
        return True

    # -- evidence ----------------------------------------------------------------------------------------
    @on(CardView.SuggestRating)
    def _view_news(self, message: CardView.SuggestRating) -> None:
        """A judge or a transcription finished: note a pass in time; rescore if the rubric is showing."""
        message.stop()
        self._capture_code_timing()
        if self.state == "scoring" and self.scoring is not None:
            self._rescore()

    def _capture_code_timing(self) -> None:
        if self._solved_in_time is not None or self.timer is None:
            return
        view = self._code_view()
        if view is None or not getattr(view, "passed", False):
            return
        current = self.timer.current
        in_code_phase = current is not None and current.meta.get("kind") == "code"
        self._solved_in_time = in_code_phase and self.timer.remaining() >= 0

    def _code_view(self) -> CardView | None:
        return next((cast(CardView, w) for k, w in self.views.items() if k.startswith("code:")), None)

    def evidence(self) -> dict[str, Any]:
        plan = self.current_plan
        ev: dict[str, Any] = {"round": plan.round}
        if self.session:
            ev["session"] = self.session
        code = self._code_view()
        if code is not None:
            within = self._solved_in_time if getattr(code, "passed", False) else False
            ev["code"] = code_evidence(code.card, code.review_payload(), within_time=within)
        discussion = next((w for w in self.views.values() if isinstance(w, DiscussionPane)), None)
        if discussion is not None:
            ev["discussion"] = discussion.answers()
        design = next((w for w in self.views.values() if _is_design_view(w)), None)
        if design is not None:
            card = cast(CardView, design).card
            ticks = design.ticks() if design.is_mounted and cast(CardView, design).revealed else []  # type: ignore[attr-defined]
            verdicts = design.verdicts() if design.is_mounted else []  # type: ignore[attr-defined]
            ev["design"] = {
                "card": card.global_id,
                "checklist": [[item, tick] for item, tick in zip(card.checklist, ticks, strict=False)],
                "numbers": [
                    {"question": q.question, "expected": q.answer, **v.to_json()}
                    for q, v in zip(card.numbers, verdicts, strict=True)
                ],
            }
            if hasattr(design, "recording_id"):  # answered aloud: the delivery is evidence too
                ev["design"]["spoken"] = {
                    "card": card.global_id,
                    "recording_id": getattr(design, "recording_id", None),
                    "analysis": getattr(design, "result", None),
                    "target": list(card.speaking_target()),
                }
        stories = [cast(CardView, w) for k, w in self.views.items() if k.startswith("story:")]
        if stories:
            ev["stories"] = [
                {
                    "card": v.card.global_id,
                    "recording_id": getattr(v, "recording_id", None),
                    "analysis": getattr(v, "result", None),
                    "target": list(v.card.speaking_target()),
                }
                for v in stories
            ]
        return ev

    def _safe_evidence(self) -> dict[str, Any]:
        """The evidence now, or the last that could be read (views being torn down on quit can't answer)."""
        with contextlib.suppress(Exception):  # NoMatches from a view that is already unmounted
            self._last_evidence = self.evidence()
        return self._last_evidence

    def _phases_json(self) -> list[dict[str, Any]]:
        if self.timer is None:
            return []
        return [p for p in self.timer.to_json() if p.get("kind") != "break"]

    def _save_progress(self, ended: bool = False) -> None:
        self._last_save = self.monotonic()
        if self.mock_id is None:
            return
        try:
            store = self.context.store()
            evidence = self._safe_evidence()
            mock_store.save_progress(
                store,
                self.mock_id,
                phases=self._phases_json(),
                evidence=evidence,
                ended_at=to_iso(self.papp.now()) if ended else None,
            )
            self._link(evidence)
        except StoreError as exc:
            self.notify(f"Progress not saved: {exc}", severity="error", timeout=10)

    def _link(self, evidence: dict[str, Any]) -> None:
        if self.mock_id is None:
            return
        attempts = list((evidence.get("code") or {}).get("attempt_ids") or [])
        spoken = [*(evidence.get("stories") or []), (evidence.get("design") or {}).get("spoken") or {}]
        recordings = [s["recording_id"] for s in spoken if s.get("recording_id")]
        mock_store.link_evidence(self.context.store(), self.mock_id, attempts=attempts, recordings=recordings)

    def _end_unfinished(self) -> None:
        """Quit midway: stop the clock, keep everything as an unfinished mock."""
        if self.state in ("running", "wrapup") and self.timer is not None:
            self.timer.finish()
            self._save_progress(ended=True)
            self.state = "done"

    def on_unmount(self) -> None:
        self._end_unfinished()  # Ctrl+C / Ctrl+Q quit the app from anywhere: keep what was done

    def on_screen_suspend(self) -> None:
        if self.state in ("running", "wrapup"):
            self._save_progress()  # another screen on top (help): everything so far is on disk

    # -- scoring ---------------------------------------------------------------------------------------------
    def _score_round(self) -> None:
        if self.timer is not None and not self.timer.done:
            self.timer.finish()
        self.state = "scoring"
        evidence = self.evidence()
        design = next((w for w in self.views.values() if _is_design_view(w)), None)
        if design is not None and self.mock_id is not None and (design.card.checklist or design.card.numbers):  # type: ignore[attr-defined]
            try:
                self_check = self.context.store().add_self_check(
                    design.card.global_id,
                    design.ticks(),  # type: ignore[attr-defined]
                    [v.to_json() for v in design.verdicts()],
                    mock_id=self.mock_id,
                )  # type: ignore[attr-defined]
                evidence["design"]["self_check_id"] = self_check
            except StoreError as exc:
                self.notify(f"Checklist not saved: {exc}", severity="error")
        self._evidence = evidence
        card = score_mock(self.current_plan.round, evidence)
        earlier = []
        with contextlib.suppress(StoreError):
            earlier = mock_store.list_mocks(
                self.context.store(), self.current_plan.round, limit=8, exclude=self.mock_id
            )
        for widget in self.views.values():
            widget.display = False
        references = [(p.title, p.reference) for p in self.current_plan.prompts if p.reference]
        self.scoring = ScoringPane(card, earlier, references, id=f"scoring-{self.round_index}")
        self.query_one("#mock-host").mount(self.scoring)
        self._store_scores(card)
        more = self.plan is not None and self.round_index + 1 < len(self.plan.rounds)
        self.query_one("#mock-phase", Static).update(
            "[b]Scoring.[/b] "
            + ("n: on to the break and the next round." if more else "Saved as you type; Escape goes home.")
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
        if "code" in self._evidence or "stories" in self._evidence:
            self._evidence = {
                **self._evidence,
                **{k: v for k, v in self.evidence().items() if k in ("code", "stories")},
            }
        card = score_mock(self.current_plan.round, self._evidence, own)
        self.scoring.refresh_card(card, problems)
        self._store_scores(card)

    def _store_scores(self, card: Scorecard) -> None:
        if self.mock_id is None:
            return
        try:
            mock_store.save_scores(
                self.context.store(),
                self.mock_id,
                phases=self._phases_json(),
                evidence=self._evidence,
                scores=card.scores_json(),
                total=card.total,
                max_total=card.max_total,
                ended_at=to_iso(self.papp.now()),
            )
            self._link(self._evidence)
        except StoreError as exc:
            self.notify(f"Scores not saved: {exc}", severity="error", timeout=10)
            return
        self.scorecards = [c for c in self.scorecards if c.round != card.round] + [card]

    def _next_round(self) -> None:
        if self.plan is None or self.round_index + 1 >= len(self.plan.rounds):
            self.notify("That was the last round; Escape goes home.", timeout=4)
            return
        for widget in [*self.views.values(), *([self.scoring] if self.scoring else [])]:
            widget.remove()
        self.scoring = None
        self.state = "running"
        self._start_round(self.round_index + 1)
        self.app.bell()


def _is_design_view(widget: Widget) -> bool:
    return isinstance(widget, CardView) and widget.card.type == "design" and hasattr(widget, "ticks")


def _daily_seed(now: dt.datetime) -> int:
    """A new choice each day, the same all day (re-opening a mock today gives the same questions)."""
    return int(now.strftime("%Y%m%d"))


class MockApp(PrepdeckApp):
    """The app opened straight into a mock round (`prepdeck mock ROUND`); Escape lands on the home screen."""

    CSS_PATH = str(Path(__file__).resolve().parent.parent / "app.tcss")

    def __init__(self, context: Context, round_: str, **kwargs: Any) -> None:
        super().__init__(context, **kwargs)
        self.mock_round = round_

    def on_mount(self) -> None:
        # Textual also runs PrepdeckApp.on_mount (it dispatches to every class's handler): that one pushes
        # the home screen, so the mock goes on top of it once both have run
        self.call_after_refresh(self.push_screen, MockScreen(self.mock_round))
