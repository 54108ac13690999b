"""Deck, answer and result text in widgets: always shown as the characters written, never as markup.

A deck title such as `Closing tag only [/bold]` would crash a widget that parses markup, and
`[@click=app.quit]` would become a live action. Control characters are already made visible when a deck
loads (decks/text.py); here only markup is the concern.
"""

from __future__ import annotations

from textual.content import Content
from textual.markup import escape


def esc(text: object) -> str:
    """Data placed inside a markup string the app composes: shown as written."""
    return escape(str(text))


def plain(text: object) -> Content:
    """A widget's whole content taken from data: no markup parsed at all."""
    return Content(str(text))


__all__ = ["esc", "plain"]
