"""The evidence a rubric is scored from, read out of what the judges, the speech analysis and the user stored.

Stored JSON is written by other parts of prepdeck (and by older versions of them), so every reader here is
tolerant: a missing or oddly shaped field means "no evidence", never an exception.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

STAR_BEATS: tuple[str, ...] = ("situation", "task", "action", "result")

# a reference SQL solution using these is "advanced SQL" in the rubric's sense (windows, CTEs)
_ADVANCED_SQL = re.compile(r"\bover\s*\(|^\s*with\b|\bqualify\b", re.IGNORECASE | re.MULTILINE)


def uses_advanced_sql(solution: str | None) -> bool:
    return bool(solution and _ADVANCED_SQL.search(solution))


@dataclass
class Solve:
    """One judged problem: a code card answered in the app, over one or more runs of the judge."""

    card_id: str
    round: str
    tries: int
    first_try_passed: bool
    passed: bool
    gave_up: bool
    seconds: float | None
    hidden_run: int = 0  # hidden cases run on the first try
    hidden_passed: int = 0
    runs: int = 0  # judge runs whose answer could run at all or not
    runs_with_error: int = 0  # syntax error, exception, time limit
    advanced: bool = False  # the card's reference solution uses windows / CTEs


@dataclass
class Delivery:
    """One analysed spoken answer."""

    card_id: str | None
    round: str | None
    at: str
    duration_s: float | None
    wpm: float | None
    fillers: int | None
    fillers_per_minute: float | None
    beats: set[str] | None  # STAR beats found; None when the analysis has no STAR section
    target: tuple[int, int] | None
    numbers: int | None  # quantities mentioned (quantified impact)
    i_count: int | None
    we_count: int | None
    length_ok: bool | None = None  # set when the analysis judged the length itself

    @property
    def within_target(self) -> bool | None:
        if self.length_ok is not None:
            return self.length_ok
        if self.duration_s is None or self.target is None:
            return None
        return self.target[0] <= self.duration_s <= self.target[1]


@dataclass
class RoundEvidence:
    round: str
    solves: list[Solve] = field(default_factory=list)
    ratings: list[int] = field(default_factory=list)  # every rating given to the round's cards
    recall_repeat_ratings: list[int] = field(default_factory=list)  # non-code, non-first reviews
    checklists: list[list[tuple[str, bool]]] = field(
        default_factory=list
    )  # (item text, ticked) per self-check
    numbers: list[bool] = field(default_factory=list)  # capacity answers: correct?
    deliveries: list[Delivery] = field(default_factory=list)
    self_scores: dict[str, list[float]] = field(default_factory=dict)  # line key -> fractions of the line max

    @property
    def empty(self) -> bool:
        return not (
            self.solves
            or self.ratings
            or self.checklists
            or self.numbers
            or self.deliveries
            or self.self_scores
        )


# -- tolerant readers for stored JSON -------------------------------------------------------------


def number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def star_beats(analysis: dict[str, Any]) -> set[str] | None:
    """The STAR beats an analysis found, whatever shape its `star` section has."""
    star = analysis.get("star")
    if star is None:
        star = analysis.get("beats")
    if star is None:
        return None
    if isinstance(star, dict) and isinstance(star.get("beats"), (dict, list)):
        star = star["beats"]
    found: set[str] = set()
    if isinstance(star, list):
        for item in star:
            name = item.get("beat") or item.get("name") if isinstance(item, dict) else item
            if isinstance(item, dict) and item.get("found") is False:
                continue
            if isinstance(name, str) and name.lower() in STAR_BEATS:
                found.add(name.lower())
        return found
    if isinstance(star, dict):
        for name, value in star.items():
            if name.lower() not in STAR_BEATS:
                continue
            if isinstance(value, dict):
                ok = value.get("found")
                if ok is None:
                    ok = (number(value.get("seconds")) or 0) > 0 or bool(
                        value.get("text") or value.get("start")
                    )
            else:
                ok = bool(value) if isinstance(value, bool) else (number(value) or 0) > 0
            if ok:
                found.add(name.lower())
        return found
    return None


def _count(value: Any) -> int | None:
    if isinstance(value, list):
        # the speech analysis marks numbers with a unit ("40%", "3 hours") as impact; bare numbers don't count
        if value and all(isinstance(v, dict) and "impact" in v for v in value):
            return sum(bool(v["impact"]) for v in value)
        return len(value)
    if isinstance(value, dict):
        c = number(value.get("count"))
        if c is not None:
            return int(c)
        items = value.get("items") or value.get("found")
        return len(items) if isinstance(items, list) else None
    n = number(value)
    return int(n) if n is not None else None


def pronouns(analysis: dict[str, Any]) -> tuple[int | None, int | None]:
    """("I" count, "we" count) from an analysis, if it has them."""
    for key in ("ownership", "pronouns", "i_we"):
        section = analysis.get(key)
        if isinstance(section, dict):
            i = number(section.get("i", section.get("I")))
            we = number(section.get("we"))
            if i is not None or we is not None:
                return (int(i or 0), int(we or 0))
    i, we = number(analysis.get("i_count")), number(analysis.get("we_count"))
    if i is not None or we is not None:
        return (int(i or 0), int(we or 0))
    return (None, None)


def delivery_from(
    analysis: dict[str, Any],
    *,
    card_id: str | None,
    round_: str | None,
    at: str,
    duration_s: float | None,
    target: tuple[int, int] | None,
) -> Delivery:
    fillers: dict[str, Any] = analysis["fillers"] if isinstance(analysis.get("fillers"), dict) else {}
    duration = number(analysis.get("duration_s")) or duration_s
    count = number(fillers.get("count"))
    per_minute = number(fillers.get("per_minute"))
    if per_minute is None and count is not None and duration:
        per_minute = count / (duration / 60)
    numbers_mentioned = None
    for key in ("numbers", "quantities", "metrics"):
        if key in analysis:
            numbers_mentioned = _count(analysis[key])
            break
    i_count, we_count = pronouns(analysis)
    timing: dict[str, Any] = analysis["duration"] if isinstance(analysis.get("duration"), dict) else {}
    status = timing.get("status")  # the speech analysis's own verdict on length (speaking time vs target)
    return Delivery(
        card_id=card_id,
        round=round_,
        at=at,
        duration_s=duration,
        wpm=number(analysis.get("wpm")),
        fillers=int(count) if count is not None else None,
        fillers_per_minute=per_minute,
        beats=star_beats(analysis),
        target=target,
        numbers=numbers_mentioned,
        i_count=i_count,
        we_count=we_count,
        length_ok=(status == "ok") if status in ("ok", "short", "long") else None,
    )


def self_score_lines(raw: Any) -> dict[str, float]:
    """A stored self-score as {line key: points}; accepts {"lines": {...}} or a flat mapping.

    A line may be a number or {"self": n} / {"score": n} / {"points": n}.
    """
    if not isinstance(raw, dict):
        return {}
    table: dict[str, Any] = raw["lines"] if isinstance(raw.get("lines"), dict) else raw
    out: dict[str, float] = {}
    for key, value in table.items():
        if isinstance(value, dict):
            value = value.get("self", value.get("score", value.get("points")))
        n = number(value)
        if n is not None:
            out[str(key)] = n
    return out


def case_list(result: Any) -> list[dict[str, Any]]:
    cases = result.get("cases") if isinstance(result, dict) else None
    return [c for c in cases if isinstance(c, dict)] if isinstance(cases, list) else []
