"""The mock screen's own panes (tui/screens/mock.py): the follow-up questions of a coding round, a break,
and the rubric of a scored round (automatic points with their evidence and method, a self-score box per
line, the total against the pass line, the earlier mocks of the round)."""

from __future__ import annotations

from typing import Any

from rich.markup import escape
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Input, Label, Static, TextArea

from prepdeck.mocks import store as mock_store
from prepdeck.mocks.plan import RoundPlan
from prepdeck.scoring.card import Scorecard, parse_self_score
from prepdeck.scoring.rubrics import RUBRICS
from prepdeck.tui.bindings import key_in_force
from prepdeck.tui.components.deck_markdown import DeckMarkdown
from prepdeck.tui.components.fields import EditorArea, focus_now


class DiscussionPane(VerticalScroll):
    """The follow-up questions of a coding round, each with a box for a written answer."""

    def __init__(self, plan: RoundPlan, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.plan = plan

    def compose(self) -> ComposeResult:
        edit, leave = (escape(key_in_force(self, a)) for a in ("mock_edit", "mock_leave"))
        yield Static(
            "[b]Follow-up questions[/b] [dim]Answer aloud as you would to the interviewer, and jot the "
            f"key points in the box (they are scored). {edit}: first box · Tab: next · {leave} leaves a box[/dim]",
            classes="card-title",
        )
        for i, prompt in enumerate(self.plan.prompts):
            yield Static(f"[b]{i + 1}. {escape(prompt.title)}[/b]", classes="mock-prompt-title")
            yield DeckMarkdown(prompt.text, classes="prompt")
            yield EditorArea("", id=f"answer-{i}", classes="mock-answer", soft_wrap=True)

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
        focus_now(target)
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
        leave, next_ = (escape(key_in_force(self, a)) for a in ("mock_leave", "mock_next"))
        yield Static(
            f"[b]{escape(card.title)} mock: the rubric[/b]  [dim]type your own score per line (blank = "
            f"the automatic score); {leave} leaves a box · {next_} continues · {leave} again goes home[/dim]",
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
                yield DeckMarkdown(f"**{title}**\n\n{text}", classes="answer")

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
