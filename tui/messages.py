"""Messages that carry results of background work (workers) and cross-screen events to the UI thread.

Workers never touch widgets: they post one of these, and the handler on the UI thread updates the
screen. Specialised card views (code, speech) add their own messages in their own modules and may
reuse `WorkStatus` to show progress in the review screen's status line.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.message import Message


@dataclass
class WorkStatus(Message):
    """A line for the status bar: "starting Spark…", "transcribing 40%". Empty text clears it."""

    text: str
    busy: bool = True


@dataclass
class ReviewsChanged(Message):
    """A review was committed, undone or a card (un)suspended: counts on other screens are stale."""

    card_id: str | None = None


@dataclass
class HomeDataLoaded(Message):
    """The home screen's figures, computed in a worker."""

    counts: dict[str, Any]
    today: Any
    heatmap: dict[Any, int]
    plan: Any = None  # core.plan.PlanDay while an interview plan runs
    new_today: int = 0  # the new cards the session over all decks introduces (Scheduling.new_today)


@dataclass
class BrowserRowsLoaded(Message):
    """Every card with its scheduling state, computed in a worker for the deck browser."""

    rows: list[Any]


@dataclass
class QueueLoaded(Message):
    """Today's review session: the cards in order, and the learning cards not due yet, each with its due
    time (shown when due, or when nothing else is left)."""

    cards: list[Any]
    learning: list[tuple[Any, Any]]


@dataclass
class NotesReplaced(Message):
    """`y` put a story's fields in a card's notes: what they were before, so the review's `u` can put them back."""

    card_id: str
    before: dict[str, Any]
    title: str
