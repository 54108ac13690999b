"""Design-card self-checks without any UI: reading the user's capacity numbers and scoring coverage.

Shared by the review screen's design view and mock interviews, so both grade numbers the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NUMBER = re.compile(
    r"^\s*(?P<num>[-+]?(?:\d[\d,_ ]*(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)\s*"
    r"(?:(?P<mag>[kKmMbBgGtT]|bn|mn|mm)(?![a-zA-Z]))?"
)
_MAGNITUDE = {"k": 1e3, "m": 1e6, "mm": 1e6, "mn": 1e6, "b": 1e9, "bn": 1e9, "g": 1e9, "t": 1e12}


def parse_number(text: str) -> float | None:
    """'1,200', '1.2k', '3M', '2.5e6', '40 TB', '7kb' (a unit after the number is ignored) -> float; None when unreadable."""
    match = _NUMBER.match(text.replace("\u202f", "").replace("\u00a0", ""))
    if not match:
        return None
    try:
        value = float(match["num"].replace(",", "").replace("_", "").replace(" ", ""))
    except ValueError:
        return None
    mag = match["mag"]
    return value * _MAGNITUDE[mag.lower()] if mag else value


def within(answer: float, expected: float, tolerance: float) -> bool:
    """Relative tolerance; an expected 0 needs an answer within `tolerance` of 0."""
    if expected == 0:
        return abs(answer) <= tolerance
    return abs(answer - expected) <= tolerance * abs(expected)


@dataclass(frozen=True)
class NumberVerdict:
    text: str
    value: float | None
    correct: bool

    def to_json(self) -> dict[str, object]:
        return {"answer": self.text, "value": self.value, "correct": self.correct}


def check_number(text: str, expected: float, tolerance: float) -> NumberVerdict:
    value = parse_number(text) if text.strip() else None
    return NumberVerdict(text.strip(), value, value is not None and within(value, expected, tolerance))


def coverage(checklist: list[bool], numbers_correct: list[bool]) -> float | None:
    """Share of checklist points ticked and numbers right; None when the card has neither."""
    items = list(checklist) + list(numbers_correct)
    return sum(items) / len(items) if items else None


def suggested_rating(cover: float | None) -> int | None:
    """Coverage -> rating: most points → Good, about half → Hard, less → Again. Easy is the user's call."""
    if cover is None:
        return None
    if cover >= 0.85:
        return 3
    if cover >= 0.5:
        return 2
    return 1
