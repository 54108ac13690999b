"""The `tables` declaration as typed columns, for the judges (the implementation is the deck format's:
`prepdeck.decks.declaration`, so the deck loader and `decks check` use the same reading)."""

from __future__ import annotations

from prepdeck.decks.declaration import DeclaredColumn, column_type, parse_columns

__all__ = ["DeclaredColumn", "column_type", "parse_columns"]
