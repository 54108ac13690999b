"""Moved to decks/text.py (the lowest layer, so the deck loader can use it); kept so imports of the old place
still work."""

from prepdeck.decks.text import TERMINAL_VALUE_LIMIT, block, one_line, truncate, visible

__all__ = ["TERMINAL_VALUE_LIMIT", "block", "one_line", "truncate", "visible"]
