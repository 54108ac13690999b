"""The one entry point: a round's evidence (scoring/evidence.py) -> its scorecard, each line with its points,
the method that produced them and the evidence it counted. The review screen's spoken answers, the mock,
the stats screen and the weekly report all score through `score_round`.

Each line is `points × fraction` (one decimal), the fraction from the line's measure (scoring/measures.py).
A line without evidence has no automatic score (None: not 0, not a guess). Where the user gave their own
score for a line it replaces the automatic one (over a week: the mean of the self-scores given for it).

Coding lines have two methods, one per kind of evidence: a mock round's one judged answer and written
follow-ups, or a week's judged problems and recall reviews; the method text says which was used. Design and
behavioral lines have one method each, whatever the evidence came from.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from statistics import mean
from typing import Any

from prepdeck.scoring import measures as m
from prepdeck.scoring.evidence import RoundEvidence
from prepdeck.scoring.rubrics import CODING_COMBINED_MAX, CODING_COMBINED_PASS, RUBRICS, Rubric


@dataclass(frozen=True)
class LineMethod:
    method: str  # "{max}" is the line's points
    measure: Callable[[RoundEvidence], m.Measure]


_DELIVERY = LineMethod(
    f"{{max}} × delivery of each spoken answer, averaged: fillers/min (full ≤ {m.FILLERS_GOOD:g}, none ≥ "
    f"{m.FILLERS_BAD:g}) and pace (full within {m.PACE_BAND[0]:g}–{m.PACE_BAND[1]:g} wpm, none at "
    f"{m.PACE_ZERO[0]:g} or {m.PACE_ZERO[1]:g}), averaged",
    m.delivery,
)
_JUDGED = LineMethod(
    "{max} × share of the cases (visible and hidden) your last judged answer passed; "
    "0 when you revealed the solution first",
    m.judge_correctness,
)
_FIRST_TRY = LineMethod(
    "{max} × mean of (first-try pass rate, hidden-case pass rate on first tries) over judged problems",
    m.first_try_and_hidden,
)

# (round, line) -> the method for a mock round's evidence, or the only one
MOCK_METHODS: dict[tuple[str, str], LineMethod] = {
    ("sql", "correctness"): _JUDGED,
    ("sql", "advanced_sql"): LineMethod(
        "{max} × share of what the problem calls for (per its reference solution: a window "
        "function; a CTE or QUALIFY) found in your final SQL by sqlglot",
        m.advanced_sql_used,
    ),
    ("sql", "optimization"): LineMethod(
        f"{{max}} × optimisation ideas named in your written follow-up answers, out of "
        f"{m.IDEAS_FOR_FULL_MARKS} (partition pruning, clustering, plans, projection, "
        "precomputing, incremental, approximation, cost, indexes, joins, early filters)",
        lambda ev: m.ideas_named(ev, m.SQL_IDEAS),
    ),
    ("sql", "clarity_scale"): LineMethod(
        "{max} × mean of (solved within the coding time, share of follow-ups answered in "
        f"writing with ≥ {m.WORDS_FOR_AN_ANSWER} words)",
        m.clarity_and_scale,
    ),
    ("pyspark", "correctness"): _JUDGED,
    ("pyspark", "scalability"): LineMethod(
        f"{{max}} × production ideas named in your written follow-up answers, out of "
        f"{m.IDEAS_FOR_FULL_MARKS} (shuffles, skew, broadcast, AQE, partitioning, watermarks, "
        "state, exactly-once, caching, file layout)",
        lambda ev: m.ideas_named(ev, m.SPARK_IDEAS),
    ),
    ("pyspark", "code_quality"): LineMethod(
        "{max} × share of checks on your final code: defines the card's function, no "
        "collect()/toPandas(), no Python UDFs, passes its cases",
        m.code_quality,
    ),
    ("pyspark", "tradeoffs"): LineMethod(
        f"{{max}} × share of follow-ups answered in writing with ≥ {m.WORDS_FOR_AN_ANSWER} words",
        m.tradeoffs_answered,
    ),
}

# (round, line) -> the method for a week's evidence, and for design and behavioral lines everywhere
METHODS: dict[tuple[str, str], LineMethod] = {
    ("sql", "correctness"): _FIRST_TRY,
    ("sql", "advanced_sql"): LineMethod(
        "{max} × share of judged problems whose reference uses window functions or CTEs that you solved",
        m.advanced_solved,
    ),
    ("sql", "optimization"): LineMethod(
        "{max} × retention on the round's recall cards (reviews that are not a card's first)",
        m.recall_retention,
    ),
    ("sql", "clarity_scale"): LineMethod(
        f"{{max}} × share of judged problems solved within {m.SOLVE_BUDGET_S['sql'] // 60} minutes "
        "(a failed or abandoned problem counts as not)",
        m.solved_in_budget,
    ),
    ("pyspark", "correctness"): _FIRST_TRY,
    ("pyspark", "scalability"): LineMethod(
        "{max} × retention on the round's recall cards (watermarks, skew, partitioning; not first reviews)",
        m.recall_retention,
    ),
    ("pyspark", "code_quality"): LineMethod(
        "{max} × share of judge runs that ran without a syntax error, exception or time-out", m.clean_runs
    ),
    ("pyspark", "tradeoffs"): LineMethod(
        "{max} × share of the round's recall reviews (not first reviews) rated Good or Easy",
        m.recall_confidence,
    ),
    ("design", "requirements"): LineMethod(
        "{max} × share of checklist points about requirements and constraints you ticked "
        "(all points when the cards have none)",
        m.topic_coverage("requirements", "requirements"),
    ),
    ("design", "architecture"): LineMethod(
        "{max} × share of all design checklist points you ticked", m.checklist_coverage
    ),
    ("design", "capacity"): LineMethod(
        "{max} × share of capacity answers within the card's tolerance", m.capacity_numbers
    ),
    ("design", "reliability"): LineMethod(
        "{max} × share of checklist points about reliability ticked (all points when the cards have none)",
        m.topic_coverage("reliability", "reliability"),
    ),
    ("design", "security"): LineMethod(
        "{max} × share of checklist points about security and compliance ticked "
        "(all points when the cards have none)",
        m.topic_coverage("security", "security"),
    ),
    ("design", "tradeoffs"): LineMethod(
        "{max} × share of checklist points about trade-offs ticked (else retention on the round's recall cards)",
        m.topic_coverage("tradeoffs", "trade-offs"),
    ),
    ("design", "communication"): LineMethod(
        "{max} × per spoken answer, mean of (its delivery: fillers/min and pace as on the behavioral "
        "communication line; its structure: share of requirements, architecture, scale, reliability and "
        "trade-offs heard), averaged",
        m.design_communication,
    ),
    ("behavioral", "star"): LineMethod(
        "{max} × share of the four STAR beats (situation, task, action, result) found per spoken answer, "
        "averaged",
        m.star_structure,
    ),
    ("behavioral", "impact"): LineMethod(
        '{max} × mean of (share of answers that quantify the result, share saying "I" at least as often '
        'as "we")',
        m.ownership_impact,
    ),
    ("behavioral", "depth"): LineMethod(
        f"{{max}} × distinct technical terms per spoken answer (full at {m.TERMS_FOR_FULL_DEPTH}), averaged",
        m.technical_depth,
    ),
    ("behavioral", "communication"): _DELIVERY,
    ("behavioral", "reflection"): LineMethod(
        "{max} × share of spoken answers in which a lesson or reflection is heard", m.reflection_heard
    ),
}


def line_method(round_: str, key: str, *, mock: bool = False) -> LineMethod:
    """The method of one line, its points written in ("16 × …") so every reader shows the same text."""
    how = MOCK_METHODS.get((round_, key)) if mock else None
    how = how or METHODS[(round_, key)]
    points = next(line.points for line in RUBRICS[round_].lines if line.key == key)
    return LineMethod(how.method.format(max=points), how.measure)


@dataclass(frozen=True)
class LineScore:
    key: str
    label: str
    max: int
    auto: float | None  # points from the evidence; None without evidence
    method: str
    evidence: str
    self: float | None = None  # the user's own points

    @property
    def score(self) -> float | None:
        """The line's points: the user's where given, else the automatic ones; None with neither."""
        return self.self if self.self is not None else self.auto

    @property
    def final(self) -> float:
        return self.score if self.score is not None else 0.0

    @property
    def source(self) -> str:
        """Where the score comes from: "self", "auto", or "none" (neither: counts 0 in a total)."""
        if self.self is not None:
            return "self"
        return "auto" if self.auto is not None else "none"

    def to_json(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "max": self.max,
            "auto": self.auto,
            "self": self.self,
            "final": self.final,
            "source": self.source,
            "method": self.method,
            "evidence": self.evidence,
        }


@dataclass(frozen=True)
class Scorecard:
    round: str
    title: str
    lines: tuple[LineScore, ...]
    pass_score: int

    @property
    def total(self) -> float:
        """Every line, one without a score counting 0 (a mock's total, a card's suggested rating)."""
        return round(sum(line.final for line in self.lines), 1)

    @property
    def auto_total(self) -> float:
        return round(sum(line.auto or 0.0 for line in self.lines), 1)

    @property
    def max_total(self) -> int:
        return sum(line.max for line in self.lines)

    @property
    def passed(self) -> bool:
        return self.total >= self.pass_score

    @property
    def complete(self) -> bool:
        return all(line.score is not None for line in self.lines)

    def line(self, key: str) -> LineScore:
        return next(ln for ln in self.lines if ln.key == key)

    def scores_json(self) -> dict[str, Any]:
        return {line.key: line.to_json() for line in self.lines}

    def report_json(self) -> dict[str, Any]:
        """The report's view: the sum of the lines with evidence (None when none has), and a pass verdict
        only when every line has evidence."""
        scored = [ln for ln in self.lines if ln.score is not None]
        score = round(sum(ln.final for ln in scored), 1) if scored else None
        return {
            "title": self.title,
            "score": score,
            "max": self.max_total,
            "pass": self.pass_score,
            "evidence_max": sum(ln.max for ln in scored),
            "complete": self.complete,
            "passed": (score >= self.pass_score) if (score is not None and self.complete) else None,
            "lines": [
                {
                    "key": ln.key,
                    "name": ln.label,
                    "max": ln.max,
                    "score": ln.score,
                    "auto": ln.auto,
                    "self": ln.self,
                    "method": ln.method,
                    "evidence": ln.evidence,
                }
                for ln in self.lines
            ],
        }


def _points(points: int, fraction: float | None) -> float | None:
    return None if fraction is None else round(points * m.clamp(fraction), 1)


def score_round(
    round_: str, ev: RoundEvidence, self_scores: Mapping[str, float | None] | None = None
) -> Scorecard:
    """The scorecard of `round_` from its evidence. `self_scores`: line key -> the user's points (None or
    absent: not given); without it, the self-scores stored in the evidence (a week's) are used."""
    rubric: Rubric = RUBRICS[round_]
    lines = []
    for line in rubric.lines:
        how = line_method(round_, line.key, mock=ev.mock)
        got = how.measure(ev)
        method, evidence = how.method, got.evidence
        if self_scores is not None:
            given = self_scores.get(line.key)
            own = None if given is None else round(max(0.0, min(float(line.points), float(given))), 1)
        else:
            fractions = ev.self_scores.get(line.key)
            own = _points(line.points, mean(fractions)) if fractions else None
            if own is not None:
                evidence += f"; your self-score {own:g}/{line.points}" + (
                    f" (mean of {len(fractions)})" if fractions and len(fractions) > 1 else ""
                )
        if own is not None:
            method += "; your self-score replaces it"
        lines.append(
            LineScore(
                line.key, line.label, line.points, _points(line.points, got.fraction), method, evidence, own
            )
        )
    return Scorecard(round_, rubric.title, tuple(lines), rubric.pass_score)


def parse_self_score(text: str, points: int) -> float | None:
    """A typed self-score: blank -> None; "6", "6.5", "6/8" -> 6.0 / 6.5; ValueError with a reason otherwise."""
    raw = text.strip()
    if not raw:
        return None
    raw = raw.split("/", 1)[0].strip().replace(",", ".")
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"'{text.strip()}' is not a number (0–{points})") from None
    if not 0 <= value <= points:
        raise ValueError(f"{value:g} is outside 0–{points}")
    return value


def combined_coding(cards: list[Scorecard]) -> dict[str, Any] | None:
    """SQL + PySpark together (a full mock): the guide also wants 60/80 across both."""
    by_round = {c.round: c for c in cards}
    if "sql" not in by_round or "pyspark" not in by_round:
        return None
    total = round(by_round["sql"].total + by_round["pyspark"].total, 1)
    return {
        "total": total,
        "max": CODING_COMBINED_MAX,
        "pass": CODING_COMBINED_PASS,
        "passed": total >= CODING_COMBINED_PASS,
    }


def suggested_rating(total: float, rubric: Rubric) -> int:
    """Easy from 90% of the rubric, Good from its pass line, Again under half, Hard between."""
    top = rubric.max_score
    if total >= 0.9 * top:
        return 4
    if total >= rubric.pass_score:
        return 3
    if total < 0.5 * top:
        return 1
    return 2
