"""The card on the review screen: the `CardView` contract and the basic reveal-and-rate view.

A view shows one card. The review screen calls `reveal()` on Space, asks `suggested_rating()` and
`review_payload()` when the user rates (a mock asks `evidence()` for what to score), and calls `commit_evidence(store)` just before the review is
committed (so evidence rows such as self-checks exist when `Scheduling.review` links them). A view
that learns a suggestion later (a judge finished) posts `CardView.SuggestRating(rating)`.

Specialised views (code_view.py, speech_view.py, design_view.py) subclass `CardView`; see
card_views.py for how one is chosen.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static

from prepdeck.tui.components.deck_markdown import DeckMarkdown

if TYPE_CHECKING:
    from prepdeck.core.context import Context
    from prepdeck.core.store import Store
    from prepdeck.decks.model import Card
    from prepdeck.scoring.evidence import AnswerEvidence

TYPE_LABELS = {
    "recall": "recall",
    "sql": "SQL",
    "pyspark": "PySpark",
    "python": "Python",
    "design": "design",
    "star": "STAR",
}


def fenced(code: str, language: str) -> str:
    """Markdown code block that survives backticks inside the code."""
    fence = "```"
    while fence in code:
        fence += "`"
    return f"{fence}{language}\n{code.rstrip()}\n{fence}"


class CardView(VerticalScroll):
    """Base of every card view. Subclasses compose their own widgets and override the hooks."""

    can_focus = False
    # card types this view is meant for; informational
    CARD_TYPES: ClassVar[tuple[str, ...]] = ()

    @dataclass
    class SuggestRating(Message):
        rating: int

    def __init__(self, card: Card, context: Context, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.card = card
        self.context = context
        self.revealed = False

    # -- the contract --------------------------------------------------------------------------
    def reveal(self) -> None:
        """Show the answer side. Called once per card (again is harmless)."""
        self.revealed = True

    def keep_revealed(self) -> None:
        """Show the answer side at once, the view having replaced one of the same card already revealed."""
        self.reveal()

    def review_payload(self) -> dict[str, Any] | None:
        """JSON stored with the review (attempts, verdicts, self-checks); None for nothing."""
        return None

    def suggested_rating(self) -> int | None:
        return None

    def evidence(self) -> AnswerEvidence | None:
        """The answer as scoring evidence (scoring/evidence.py), which a mock scores; None: nothing to score."""
        return None

    def commit_evidence(self, store: Store) -> None:
        """Write evidence rows (self-checks, final drafts) before the review commits. Default: nothing."""

    def focus_editor(self) -> bool:
        """Focus the view's editor or first input (key `e`); False when the view has none."""
        return False

    def has_editor(self) -> bool:
        """Something to type into (key `e` is offered in the footer only then)."""
        return type(self).focus_editor is not CardView.focus_editor

    def tab_start(self) -> Widget | None:
        """Where Tab goes from outside the view's fields (None: the first field, as usual). A revealed
        design card starts at its checklist, as its hint says, not in a note the next Space would edit."""
        return None

    def suggest(self, rating: int | None) -> None:
        if rating is not None:
            self.post_message(self.SuggestRating(rating))

    # -- helpers for subclasses ----------------------------------------------------------------
    def card_header(self) -> Static:
        card = self.card
        tags = "  ".join(f"#{t}" for t in card.tags)
        label = TYPE_LABELS.get(card.type, card.type)
        text = f"[b]{_escape(card.title)}[/b]  [dim]{label} · {card.deck_id}/{card.id}"
        text += f"  {_escape(tags)}[/dim]" if tags else "[/dim]"
        return Static(text, classes="card-title")


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


class BasicCardView(CardView):
    """Any card: the prompt as Markdown; on reveal the answer, the solution or the checklist."""

    CARD_TYPES = ("recall", "sql", "pyspark", "python", "design", "star")

    def compose(self) -> ComposeResult:
        yield self.card_header()
        yield DeckMarkdown(self.card.prompt, classes="prompt")
        yield DeckMarkdown("", classes="answer hidden", id="answer")

    def reveal(self) -> None:
        if self.revealed:
            return
        super().reveal()
        answer = self.query_one("#answer", DeckMarkdown)
        answer.update(self.answer_markdown())
        answer.remove_class("hidden")
        self.call_after_refresh(self.scroll_to_widget, answer, top=True, animate=False)

    def answer_markdown(self) -> str:
        card = self.card
        parts: list[str] = []
        if card.solution:
            language = "python" if card.type in ("pyspark", "python") else "sql"
            parts.append("**Solution**" + (f" ({card.dialect})" if card.type == "sql" else ""))
            parts.append(fenced(card.solution, language))
        if card.answer:
            parts.append(card.answer)
        if card.checklist:
            parts.append("**A strong answer covers**")
            parts.append("\n".join(f"- {item}" for item in card.checklist))
        if card.numbers:
            parts.append("**Numbers**")
            parts.append(
                "\n".join(
                    f"- {q.question} → **{q.answer:g}{(' ' + q.unit) if q.unit else ''}**"
                    for q in card.numbers
                )
            )
        if not parts:
            parts.append("*This card has no answer text: rate how well you answered.*")
        return "\n\n".join(parts)


class Placeholder(Widget):
    """Shown while the session loads or when it is empty."""

    DEFAULT_CSS = "Placeholder { height: 1fr; content-align: center middle; color: $text-muted; }"

    def __init__(self, text: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.text = text

    def render(self) -> str:
        return self.text
