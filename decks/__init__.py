"""Deck files: the built-in decks (the *.toml beside this file) and the loader for every deck folder.

The lowest layer of prepdeck: it imports nothing else of the package (tests/test_import_contract.py)."""

from pathlib import Path

from prepdeck.decks.model import Card, Case, Deck, DeckProblem, DeckSet

BUILTIN_DECKS = Path(__file__).resolve().parent

__all__ = ["BUILTIN_DECKS", "Card", "Case", "Deck", "DeckProblem", "DeckSet"]
