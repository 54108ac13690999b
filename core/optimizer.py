"""Fit FSRS parameters to the user's own review log with fsrs-rs (Rust; no torch).

Training items follow fsrs-rs: for each card, its reviews in order with the number of days since the
previous one (local days, so two reviews the same evening count as the same day); an item is emitted
at every review that comes on a later day than the one before it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from prepdeck.core.days import DayClock

if TYPE_CHECKING:
    from fsrs_rs_python import FSRSItem, FSRSReview

MIN_REVIEWS = 400


@dataclass(frozen=True)
class OptimizeResult:
    optimized: bool  # new parameters were fitted and stored
    message: str  # one line for the user
    review_count: int
    needed: int = 0  # reviews still missing before optimization can run
    parameters: list[float] | None = None  # the parameters in use after this call
    items: int = 0  # training items built from the log
    log_loss_before: float | None = None
    log_loss_after: float | None = None
    rmse_before: float | None = None
    rmse_after: float | None = None
    extra: dict[str, float] = field(default_factory=dict)

    def to_json(self) -> dict[str, object]:
        return {
            "optimized": self.optimized,
            "message": self.message,
            "review_count": self.review_count,
            "needed": self.needed,
            "items": self.items,
            "parameters": self.parameters,
            "log_loss_before": self.log_loss_before,
            "log_loss_after": self.log_loss_after,
            "rmse_before": self.rmse_before,
            "rmse_after": self.rmse_after,
        }


def training_items(rows: Iterable[tuple[str, str, int]], days: DayClock) -> list[FSRSItem]:
    """rows: (card_id, reviewed_at ISO, rating) ordered by card, then time."""
    from fsrs_rs_python import FSRSItem, FSRSReview

    items: list[FSRSItem] = []
    card: str | None = None
    history: list[FSRSReview] = []
    last_day: dt.date | None = None
    for card_id, reviewed_at, rating in rows:
        day = days.day_of(dt.datetime.fromisoformat(reviewed_at))
        if card_id != card:
            card, history, last_day = card_id, [], None
        delta = (day - last_day).days if last_day is not None else 0
        history.append(FSRSReview(int(rating), delta))
        if delta > 0:
            item = FSRSItem(list(history))
            if item.long_term_review_cnt() > 0:
                items.append(item)
        last_day = day
    return items


def clamp_parameters(parameters: list[float]) -> list[float]:
    """fsrs-rs works in float32: keep each value inside the bounds py-fsrs validates."""
    from fsrs.scheduler import LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS

    return [
        min(max(float(p), lo), hi)
        for p, lo, hi in zip(parameters, LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS, strict=True)
    ]


def fit(
    items: list[FSRSItem], current: list[float]
) -> tuple[list[float], tuple[float, float], tuple[float, float]]:
    """New parameters and (log loss, RMSE) of the current and the new ones on the same items."""
    import fsrs_rs_python as fr

    fitted = clamp_parameters(list(fr.FSRS([]).compute_parameters(items)))
    before = fr.FSRS(list(current)).evaluate(items)
    after = fr.FSRS(fitted).evaluate(items)
    return fitted, (before.log_loss, before.rmse_bins), (after.log_loss, after.rmse_bins)
