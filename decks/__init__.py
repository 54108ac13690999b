"""Deck files: the built-in decks (the *.toml beside this file) and the loader for every deck folder."""

from prepdeck.decks.model import Card, Case, Deck, DeckProblem, DeckSet

__all__ = ["Card", "Case", "Deck", "DeckProblem", "DeckSet"]
