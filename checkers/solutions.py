"""What a card's reference solution returns on a case, remembered per process: checking many answers
(several files in one `prepdeck check`, runs in the app) runs each solution once. Shared by both judges."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Generic, TypeVar

from prepdeck.decks.model import Card, Case

T = TypeVar("T")


def solution_key(card: Card, case: Case) -> tuple:
    """Everything the solution's result depends on: an edited card or case is a new entry."""
    return (
        card.global_id,
        card.solution,
        card.dialect,
        card.function,
        card.today,
        tuple(sorted(card.tables.items())),
        case.name,
        tuple(sorted(case.data.items())),
    )


class SolutionCache(Generic[T]):
    """A thread-safe, bounded (least recently used first out) map from (card, case) to a result."""

    def __init__(self, max_entries: int = 512) -> None:
        self._entries: OrderedDict[tuple, T] = OrderedDict()
        self._lock = threading.Lock()
        self._max = max_entries

    def get(self, card: Card, case: Case) -> T | None:
        key = solution_key(card, case)
        with self._lock:
            value = self._entries.get(key)
            if value is not None:
                self._entries.move_to_end(key)
            return value

    def put(self, card: Card, case: Case, value: T) -> None:
        with self._lock:
            self._entries[solution_key(card, case)] = value
            while len(self._entries) > self._max:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
