"""The evidence a rubric is scored from: what the judges, the speech analysis and the user stored, for a
week of practice (reports/figures.py collects it from the store), one mock round (`mock_evidence`) or one
spoken answer on the review screen (`answer_evidence`). All three become one `RoundEvidence`, which
`scoring.card.score_round` turns into a scorecard.

Stored JSON is written by other parts of prepdeck (and by older versions of them), so every reader here is
tolerant: a missing or oddly shaped field means "no evidence", never an exception.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from prepdeck.recordings.lexicon import TECH_TERMS

STAR_BEATS: tuple[str, ...] = ("situation", "task", "action", "result")
BEAT_NAMES = (*STAR_BEATS, "reflection")  # what an analysis may report; STAR coverage counts the first four

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
    """One analysed spoken (or written) answer.

    A design answer (`kind` "design") has no STAR section: its beats, reflection, quantified result and
    pronoun counts stay None, so it never counts among STAR answers nor against STAR coverage.
    """

    card_id: str | None
    round: str | None
    at: str
    duration_s: float | None
    wpm: float | None
    fillers: int | None
    fillers_per_minute: float | None
    beats: set[str] | None  # STAR beats found (of STAR_BEATS); None when the answer has no STAR section
    target: tuple[int, int] | None
    numbers: int | None  # quantities with a unit mentioned
    i_count: int | None
    we_count: int | None
    length_ok: bool | None = None  # set when the analysis judged the length itself
    kind: str = "star"  # "star" or "design": which analysis the answer gets
    quantified: bool | None = None  # the result is quantified (a number with a unit)
    reflection: bool | None = None  # a lesson / reflection was heard
    terms: frozenset[str] | None = None  # technical terms said; None when the analysis has no words
    design_parts: tuple[int, int] | None = None  # a design answer: (parts heard, parts expected)

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
    # a mock round (mock_evidence): its coding lines are measured on its one judged answer (`code`, the
    # stored JSON) and its written follow-ups; a week's, on its judged problems and recall reviews
    mock: bool = False
    code: dict[str, Any] = field(default_factory=dict)
    written: list[str] = field(default_factory=list)

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
    """The beats (of BEAT_NAMES) an analysis found, whatever shape its `star` section has: a list of beats
    or of sentences with their beat, or a mapping beat -> found/seconds."""
    star = analysis.get("star")
    if star is None:
        star = analysis.get("beats")
    if star is None:
        return None
    if isinstance(star, dict) and isinstance(star.get("sentences"), list):
        star = [s.get("beat") for s in star["sentences"] if isinstance(s, dict)]
    elif isinstance(star, dict) and isinstance(star.get("beats"), (dict, list)):
        star = star["beats"]
    found: set[str] = set()
    if isinstance(star, list):
        for item in star:
            name = item.get("beat") or item.get("name") if isinstance(item, dict) else item
            if isinstance(item, dict) and item.get("found") is False:
                continue
            if isinstance(name, str) and name.lower() in BEAT_NAMES:
                found.add(name.lower())
        return found
    if isinstance(star, dict):
        for name, value in star.items():
            if name.lower() not in BEAT_NAMES:
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


def technical_terms(analysis: dict[str, Any]) -> frozenset[str] | None:
    """The technical terms (recordings' lexicon) said in the answer; None when it carries no words."""
    words = analysis.get("words")
    if isinstance(words, list) and words:
        said = {str(w.get("text", "")).strip(",.?!;:").lower() for w in words if isinstance(w, dict)}
    elif isinstance(analysis.get("text"), str) and analysis["text"].strip(" .…"):
        said = {w.strip(",.?!;:").lower() for w in analysis["text"].split()}
    else:
        return None
    return frozenset(said & TECH_TERMS)


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


def design_parts(analysis: dict[str, Any]) -> tuple[int, int] | None:
    """(parts heard, parts expected) of a design analysis (recordings/design.py); None without one."""
    design = analysis.get("design")
    parts = design.get("parts") if isinstance(design, dict) else None
    if not isinstance(parts, dict) or not parts:
        return None
    # a narrow card's parts it does not ask for ("expected": false) count neither way
    asked = [p for p in parts.values() if isinstance(p, dict) and p.get("expected", True)]
    return sum(bool(p.get("found")) for p in asked), len(asked)


def answer_kind(analysis: dict[str, Any], card_type: str | None = None) -> str:
    """ "design" for a design card's answer (or an analysis that says so), else "star"."""
    if card_type == "design" or analysis.get("kind") == "design":
        return "design"
    return "star"


def delivery_from(
    analysis: dict[str, Any],
    *,
    card_id: str | None,
    round_: str | None,
    at: str,
    duration_s: float | None,
    target: tuple[int, int] | None,
    card_type: str | None = None,
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
    timing: dict[str, Any] = analysis["duration"] if isinstance(analysis.get("duration"), dict) else {}
    status = timing.get("status")  # the speech analysis's own verdict on length (speaking time vs target)
    kind = answer_kind(analysis, card_type)
    beats = i_count = we_count = quantified = reflection = None
    if kind == "star":
        found = star_beats(analysis)
        if found is not None:
            beats, reflection = found & set(STAR_BEATS), "reflection" in found
        i_count, we_count = pronouns(analysis)
        said = analysis.get("quantified_result")
        quantified = (
            said
            if isinstance(said, bool)
            else (numbers_mentioned > 0 if numbers_mentioned is not None else None)
        )
    return Delivery(
        card_id=card_id,
        round=round_,
        at=at,
        duration_s=duration,
        wpm=number(analysis.get("wpm")),
        fillers=int(count) if count is not None else None,
        fillers_per_minute=per_minute,
        beats=beats,
        target=target,
        numbers=numbers_mentioned,
        i_count=i_count,
        we_count=we_count,
        length_ok=(status == "ok") if status in ("ok", "short", "long") else None,
        kind=kind,
        quantified=quantified,
        reflection=reflection,
        terms=technical_terms(analysis),
        design_parts=design_parts(analysis) if kind == "design" else None,
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


# -- one round's evidence from a mock, or from one answer on the review screen ----------------------------


def _spoken(analysis: Any, round_: str, card_id: str | None, target: Any, card_type: str) -> Delivery | None:
    if not isinstance(analysis, dict) or analysis.get("no_speech"):
        return None
    return delivery_from(
        analysis,
        card_id=card_id,
        round_=round_,
        at="",
        duration_s=number(analysis.get("duration_s")),
        target=tuple(target) if isinstance(target, (list, tuple)) and len(target) == 2 else None,
        card_type=card_type,
    )


@dataclass(frozen=True)
class SpokenAnswer:
    """A spoken answer as a card view holds it: its stored analysis (None until transcribed)."""

    card_id: str
    analysis: dict[str, Any] | None
    recording_id: int | None
    target: tuple[int, int] | None

    def to_json(self) -> dict[str, Any]:
        return {
            "card": self.card_id,
            "recording_id": self.recording_id,
            "analysis": self.analysis,
            "target": list(self.target) if self.target else None,
        }


@dataclass(frozen=True)
class DesignAnswer:
    """A design card's answer: the checklist as ticked (empty until revealed), the capacity numbers as
    typed (`{question, expected, answer, value, correct}` each), and the spoken answer when given aloud."""

    card_id: str
    checklist: list[tuple[str, bool]]
    numbers: list[dict[str, Any]]
    spoken: SpokenAnswer | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "card": self.card_id,
            "checklist": [[text, ticked] for text, ticked in self.checklist],
            "numbers": self.numbers,
        }
        if self.spoken is not None:
            out["spoken"] = self.spoken.to_json()
        return out


@dataclass(frozen=True)
class CodeAnswer:
    """A code card's answer: its review payload (tui/components/code_view.py) and the card it answers."""

    card: Any  # decks.model.Card
    payload: dict[str, Any]

    @property
    def passed(self) -> bool:
        return bool(self.payload.get("passed"))


AnswerEvidence = SpokenAnswer | DesignAnswer | CodeAnswer


def answer_evidence(round_: str, answer: SpokenAnswer | DesignAnswer | None) -> RoundEvidence:
    """The evidence of one answer on the review screen: its analysis, and a design card's ticks and numbers."""
    ev = RoundEvidence(round_)
    spoken: SpokenAnswer | None = answer if isinstance(answer, SpokenAnswer) else None
    card_type = "star"
    if isinstance(answer, DesignAnswer):
        card_type, spoken = "design", answer.spoken
        if answer.checklist:
            ev.checklists.append(list(answer.checklist))
        ev.numbers.extend(bool(n.get("correct")) for n in answer.numbers)
    if spoken is not None:
        delivery = _spoken(spoken.analysis, round_, spoken.card_id, spoken.target, card_type)
        if delivery is not None:
            ev.deliveries.append(delivery)
    return ev


def mock_evidence(round_: str, stored: dict[str, Any]) -> RoundEvidence:
    """A mock round's stored evidence (the `mocks.evidence` JSON; its shape: mocks/session.py) as a
    RoundEvidence."""
    ev = RoundEvidence(round_, mock=True)
    if isinstance(stored.get("code"), dict):
        ev.code = stored["code"]
    if isinstance(stored.get("discussion"), list):
        ev.written = [str(d.get("answer") or "") for d in stored["discussion"] if isinstance(d, dict)]
    design: dict[str, Any] = stored["design"] if isinstance(stored.get("design"), dict) else {}
    checklist = [
        (str(item[0]), bool(item[1]))
        for item in design.get("checklist") or []
        if isinstance(item, (list, tuple)) and len(item) == 2
    ]
    if checklist:
        ev.checklists.append(checklist)
    ev.numbers.extend(bool(n.get("correct")) for n in design.get("numbers") or [] if isinstance(n, dict))
    spoken = [(s, "star") for s in stored.get("stories") or []] + [(design.get("spoken"), "design")]
    for item, card_type in spoken:
        if isinstance(item, dict):
            d = _spoken(item.get("analysis"), round_, item.get("card"), item.get("target"), card_type)
            if d is not None:
                ev.deliveries.append(d)
    return ev


def code_evidence(answer: CodeAnswer, *, within_time: bool | None) -> dict[str, Any]:
    """A mock's `code` evidence from a code card's answer (its review payload, tui/components/code_view.py)."""
    card, payload = answer.card, answer.payload
    results = payload.get("results") or {}
    return {
        "card": card.global_id,
        "runs": int(payload.get("attempts") or 0),
        "passed": bool(payload.get("passed")),
        "gave_up": bool(payload.get("gave_up")),
        "final_answer": payload.get("final_answer") or "",
        "dialect": payload.get("dialect"),
        "reference": card.solution,
        "reference_dialect": card.dialect,
        "function": card.function,
        "error": results.get("error"),
        "cases": [
            {"name": c.get("name"), "hidden": bool(c.get("hidden")), "passed": bool(c.get("passed"))}
            for c in results.get("cases") or []
            if isinstance(c, dict)
        ],
        "seconds": payload.get("seconds"),
        "within_time": within_time,
        "attempt_ids": list(payload.get("attempt_ids") or []),
    }
