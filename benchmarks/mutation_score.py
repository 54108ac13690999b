"""What the mutation benchmarks (SQL: mutation.py, Python: mutation_python.py, PySpark: mutation_pyspark.py)
count for one card, and the card's own `[cards.mutation]` settings they all read."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from prepdeck.decks.model import Card

M = TypeVar("M")  # a mutant: its operator and the changed SQL or Python source


@dataclass
class CardScore(Generic[M]):
    card: str
    generated: int = 0
    distinguishable: int = 0
    killed: int = 0
    equivalent_declared: int = 0
    survivors: list[M] = field(default_factory=list)
    problem: str | None = None  # SQL: the solution itself fails on the random data


def mutation_settings(card: Card) -> dict[str, Any]:
    """The card's `mutation` table (equivalent mutants, fuzzing options), empty when it has none."""
    found = card.extra.get("mutation", {}) if isinstance(card.extra, dict) else {}
    return found if isinstance(found, dict) else {}
