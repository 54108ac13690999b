"""The question asked before a deck's own code first runs (docs/deck-format.md, "Decks that carry code").

Checking an answer to a `pyspark` or `python` card runs the deck's solution. A deck that is not built in
runs it only once trusted, so the app shows the code that would run and asks: trust this file (at its
current content), trust its folder (where the user writes their own decks), or cancel.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from prepdeck.core.trust import CODE_CARD_TYPES
from prepdeck.tui.components.footer import AdaptiveFooter

if TYPE_CHECKING:
    from prepdeck.decks.model import Deck


class TrustScreen(ModalScreen[str | None]):
    """Returns "file", "folder" or None (cancelled)."""

    DEFAULT_CSS = """
    TrustScreen { align: center middle; }
    #trust-box { width: 90%; height: 90%; border: thick $warning; background: $surface; padding: 0 1; }
    #trust-code { height: 1fr; border: round $panel; }
    #trust-buttons { height: auto; align: center middle; }
    #trust-buttons Button { margin: 0 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("t", "choose('file')", "Trust file"),
        Binding("f", "choose('folder')", "Trust folder"),
        Binding("escape,c", "choose('')", "Cancel"),
    ]

    def __init__(self, deck: Deck) -> None:
        super().__init__()
        self.deck = deck

    def compose(self) -> ComposeResult:
        deck = self.deck
        with Vertical(id="trust-box"):
            # data from the deck is Text, never markup
            yield Static(Text.assemble(("Run this deck's code?", "bold"), f"  {deck.id}  ·  {deck.path}"))
            yield Static(
                Text(
                    "Checking an answer runs the deck's solution below as you, on this machine. Trust it "
                    "only if you know where the deck comes from. Editing the file withdraws the trust.",
                    style="dim",
                )
            )
            with VerticalScroll(id="trust-code"):
                yield Static(Text(self.code()), id="trust-code-text")
            with Horizontal(id="trust-buttons"):
                yield Button("Trust this file (t)", id="file", variant="warning")
                yield Button("Trust the folder (f)", id="folder")
                yield Button("Cancel (Esc)", id="cancel", variant="primary")
        yield AdaptiveFooter(own_keys_only=True)

    def code(self) -> str:
        """Every solution of the deck that would run, card by card."""
        parts = []
        for card in self.deck.cards:
            if card.type in CODE_CARD_TYPES and card.solution:
                parts.append(f"# ── {card.id} ({card.type}) " + "─" * 20 + f"\n{card.solution.rstrip()}\n")
        return "\n".join(parts)

    def on_mount(self) -> None:
        self.query_one("#cancel", Button).focus()  # Enter alone never trusts

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_choose("" if event.button.id == "cancel" else str(event.button.id))

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice or None)
