"""How each line of the interview guide's rubrics (`core/rubrics.py`) is scored from a week's evidence.

Every line is `max × fraction`, where the fraction comes from stored evidence and the method says which.
A line without evidence scores `None` (not 0, not a guess). A round's score is the sum of the lines that
have evidence; it is `None` when none has, and its pass verdict is given only when every line has evidence.
Where the user gave a self-score for a line (design and behavioral answers), the line is the mean of the
automatic fraction and the self-score; with no automatic evidence, the self-score alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from statistics import mean
from typing import Any

from prepdeck.core.rubrics import RUBRICS, Rubric
from prepdeck.reports.evidence import STAR_BEATS, Delivery, RoundEvidence

# time budgets for one card-sized problem (the guide's rounds give 30-35 minutes for a whole task)
SOLVE_BUDGET_S = {"sql": 10 * 60, "pyspark": 15 * 60}
FILLERS_GOOD, FILLERS_BAD = 3.0, 12.0  # fillers per minute: full marks at or under 3, none at 12
PACE_BAND, PACE_ZERO = (130.0, 160.0), (90.0, 200.0)  # words per minute


@dataclass(frozen=True)
class Measure:
    fraction: float | None
    evidence: str  # what was counted, e.g. "5 of 8 problems passed on the first try"


# -- measures -------------------------------------------------------------------------------------


def _share(hits: int, total: int, what: str, nothing: str) -> Measure:
    return Measure(hits / total, f"{hits} of {total} {what}") if total else Measure(None, nothing)


def first_try_and_hidden(ev: RoundEvidence) -> Measure:
    solves = ev.solves
    if not solves:
        return Measure(None, "no judged problems")
    first = sum(s.first_try_passed for s in solves) / len(solves)
    run = sum(s.hidden_run for s in solves)
    passed = sum(s.hidden_passed for s in solves)
    text = f"{sum(s.first_try_passed for s in solves)} of {len(solves)} problems passed on the first try"
    if run:
        text += f"; {passed} of {run} hidden cases passed on first tries"
        return Measure((first + passed / run) / 2, text)
    return Measure(first, text + "; no hidden cases run")


def advanced_sql(ev: RoundEvidence) -> Measure:
    adv = [s for s in ev.solves if s.advanced]
    return _share(
        sum(s.passed and not s.gave_up for s in adv),
        len(adv),
        "window/CTE problems solved",
        "no judged problem whose reference uses windows or CTEs",
    )


def recall_retention(ev: RoundEvidence) -> Measure:
    r = ev.recall_repeat_ratings
    return _share(
        sum(x > 1 for x in r),
        len(r),
        "recall reviews (not a first review) not rated Again",
        "no recall reviews of this round other than first reviews",
    )


def recall_confidence(ev: RoundEvidence) -> Measure:
    r = ev.recall_repeat_ratings
    return _share(
        sum(x >= 3 for x in r),
        len(r),
        "recall reviews (not a first review) rated Good or Easy",
        "no recall reviews of this round other than first reviews",
    )


def solved_in_budget(ev: RoundEvidence) -> Measure:
    budget = SOLVE_BUDGET_S.get(ev.round, 600)
    timed = [s for s in ev.solves if s.seconds is not None or s.gave_up or not s.passed]
    hits = sum(s.passed and not s.gave_up and s.seconds is not None and s.seconds <= budget for s in timed)
    return _share(
        hits,
        len(timed),
        f"timed problems solved within {budget // 60} min",
        "no judged problems with a recorded time",
    )


def clean_runs(ev: RoundEvidence) -> Measure:
    runs = sum(s.runs for s in ev.solves)
    return _share(
        runs - sum(s.runs_with_error for s in ev.solves),
        runs,
        "judge runs without a syntax error, exception or time-out",
        "no judge runs",
    )


_TOPICS = {
    "requirements": r"requir|constraint|clarif|scope|sla|assum|latency|throughput|volume|qps|tps|users",
    "reliability": r"reliab|fault|retr(y|ies)|idempot|replay|failover|durab|backfill|exactly.once|at.least|"
    r"checkpoint|dead.letter|dlq|outage|recover|redundan|monitor|alert",
    "security": r"secur|pii|gdpr|encrypt|access|complian|pci|audit|mask|token|iam|privacy|retention polic",
    "tradeoffs": r"trade.?off|alternativ|\bvs\.?\b|versus|instead|cost",
}


def _topic_coverage(topic: str, label: str) -> Callable[[RoundEvidence], Measure]:
    pattern = re.compile(_TOPICS[topic], re.IGNORECASE)

    def measure(ev: RoundEvidence) -> Measure:
        items = [ticked for sheet in ev.checklists for text, ticked in sheet if pattern.search(text)]
        if items:
            return _share(sum(items), len(items), f"checklist points about {label} covered", "")
        if topic == "tradeoffs" and ev.recall_repeat_ratings:
            return recall_retention(ev)
        return (
            checklist_coverage(ev) if ev.checklists else Measure(None, f"no checklist points about {label}")
        )

    return measure


def checklist_coverage(ev: RoundEvidence) -> Measure:
    items = [ticked for sheet in ev.checklists for _, ticked in sheet]
    return _share(sum(items), len(items), "checklist points covered", "no design checklists ticked")


def capacity_numbers(ev: RoundEvidence) -> Measure:
    return _share(
        sum(ev.numbers), len(ev.numbers), "capacity answers within tolerance", "no capacity answers checked"
    )


def delivery_fraction(d: Delivery) -> float | None:
    parts: list[float] = []
    if d.fillers_per_minute is not None:
        parts.append(_clamp((FILLERS_BAD - d.fillers_per_minute) / (FILLERS_BAD - FILLERS_GOOD)))
    if d.wpm is not None:
        lo, hi = PACE_BAND
        if lo <= d.wpm <= hi:
            parts.append(1.0)
        elif d.wpm < lo:
            parts.append(_clamp((d.wpm - PACE_ZERO[0]) / (lo - PACE_ZERO[0])))
        else:
            parts.append(_clamp((PACE_ZERO[1] - d.wpm) / (PACE_ZERO[1] - hi)))
    return mean(parts) if parts else None


def delivery(ev: RoundEvidence) -> Measure:
    scores = [f for f in (delivery_fraction(d) for d in ev.deliveries) if f is not None]
    if not scores:
        return Measure(None, "no analysed recordings")
    return Measure(mean(scores), f"mean delivery score {mean(scores):.2f} over {len(scores)} recordings")


def star_structure(ev: RoundEvidence) -> Measure:
    found = [len(d.beats) / len(STAR_BEATS) for d in ev.deliveries if d.beats is not None]
    if not found:
        return Measure(None, "no recordings with a STAR analysis")
    total = sum(len(d.beats or ()) for d in ev.deliveries if d.beats is not None)
    return Measure(mean(found), f"{total} of {len(found) * 4} STAR beats found in {len(found)} recordings")


def ownership_impact(ev: RoundEvidence) -> Measure:
    quantified = [d.numbers > 0 for d in ev.deliveries if d.numbers is not None]
    owned = [
        d.i_count >= d.we_count and d.i_count > 0
        for d in ev.deliveries
        if d.i_count is not None and d.we_count is not None
    ]
    parts, texts = [], []
    if quantified:
        parts.append(sum(quantified) / len(quantified))
        texts.append(f"{sum(quantified)} of {len(quantified)} answers quantify the impact")
    if owned:
        parts.append(sum(owned) / len(owned))
        texts.append(f'{sum(owned)} of {len(owned)} say "I" at least as often as "we"')
    return (
        Measure(mean(parts), "; ".join(texts))
        if parts
        else Measure(None, "no recordings with numbers/pronouns")
    )


def story_complete(ev: RoundEvidence) -> Measure:
    rated = [d for d in ev.deliveries if d.beats is not None and d.within_target is not None]
    hits = sum("result" in (d.beats or ()) and bool(d.within_target) for d in rated)
    return _share(
        hits,
        len(rated),
        "answers that reach the result (and its lesson) inside the target time",
        "no analysed STAR answers with a target time",
    )


def _clamp(x: float) -> float:
    return max(0.0, min(1.0, x))


# -- how each line of the guide's rubrics (core/rubrics.py) is scored ---------------------------------


@dataclass(frozen=True)
class LineMethod:
    method: str  # shown in the report; "{max}" is the line's points
    measure: Callable[[RoundEvidence], Measure]


_DELIVERY = (
    f"{{max}} × delivery score of the spoken answers: fillers/min (full ≤ {FILLERS_GOOD:g}, none ≥ "
    f"{FILLERS_BAD:g}) and pace (full within {PACE_BAND[0]:g}–{PACE_BAND[1]:g} wpm, none at "
    f"{PACE_ZERO[0]:g} or {PACE_ZERO[1]:g}), averaged"
)
_FIRST_TRY = (
    "{max} × mean of (first-try pass rate, hidden-case pass rate on first tries) over judged problems"
)

METHODS: dict[tuple[str, str], LineMethod] = {
    ("sql", "correctness"): LineMethod(_FIRST_TRY, first_try_and_hidden),
    ("sql", "advanced_sql"): LineMethod(
        "{max} × share of judged problems whose reference uses window functions or CTEs that you solved",
        advanced_sql,
    ),
    ("sql", "optimization"): LineMethod(
        "{max} × retention on the round's recall cards (reviews that are not a card's first)",
        recall_retention,
    ),
    ("sql", "clarity_scale"): LineMethod(
        f"{{max}} × share of judged problems solved within {SOLVE_BUDGET_S['sql'] // 60} minutes "
        "(a failed or abandoned problem counts as not)",
        solved_in_budget,
    ),
    ("pyspark", "correctness"): LineMethod(_FIRST_TRY, first_try_and_hidden),
    ("pyspark", "scalability"): LineMethod(
        "{max} × retention on the round's recall cards (watermarks, skew, partitioning; not first reviews)",
        recall_retention,
    ),
    ("pyspark", "code_quality"): LineMethod(
        "{max} × share of judge runs that ran without a syntax error, exception or time-out", clean_runs
    ),
    ("pyspark", "tradeoffs"): LineMethod(
        "{max} × share of the round's recall reviews (not first reviews) rated Good or Easy",
        recall_confidence,
    ),
    ("design", "requirements"): LineMethod(
        "{max} × share of checklist points about requirements and constraints you ticked "
        "(all points when the cards have none)",
        _topic_coverage("requirements", "requirements"),
    ),
    ("design", "architecture"): LineMethod(
        "{max} × share of all design checklist points you ticked", checklist_coverage
    ),
    ("design", "capacity"): LineMethod(
        "{max} × share of capacity answers within the card's tolerance", capacity_numbers
    ),
    ("design", "reliability"): LineMethod(
        "{max} × share of checklist points about reliability ticked (all points when the cards have none)",
        _topic_coverage("reliability", "reliability"),
    ),
    ("design", "security"): LineMethod(
        "{max} × share of checklist points about security and compliance ticked "
        "(all points when the cards have none)",
        _topic_coverage("security", "security"),
    ),
    ("design", "tradeoffs"): LineMethod(
        "{max} × share of checklist points about trade-offs ticked (else retention on the round's recall cards)",
        _topic_coverage("tradeoffs", "trade-offs"),
    ),
    ("design", "communication"): LineMethod(_DELIVERY, delivery),
    ("behavioral", "star"): LineMethod(
        "{max} × share of the four STAR beats found per spoken answer, averaged", star_structure
    ),
    ("behavioral", "impact"): LineMethod(
        '{max} × mean of (share of answers that quantify the impact, share saying "I" at least as often as '
        '"we")',
        ownership_impact,
    ),
    ("behavioral", "depth"): LineMethod(
        "{max} × retention on the round's recall cards (deep-dive knowledge; not first reviews)",
        recall_retention,
    ),
    ("behavioral", "communication"): LineMethod(_DELIVERY, delivery),
    ("behavioral", "reflection"): LineMethod(
        "{max} × share of spoken answers that reach the Result beat within the card's target time",
        story_complete,
    ),
}


def _with_points(methods: dict[tuple[str, str], LineMethod]) -> dict[tuple[str, str], LineMethod]:
    """Methods with the line's points written in ("16 × …"), so every reader shows the same text."""
    points = {(r, line.key): line.points for r, rubric in RUBRICS.items() for line in rubric.lines}
    return {key: LineMethod(m.method.format(max=points[key]), m.measure) for key, m in methods.items()}


METHODS = _with_points(METHODS)


def score_round(rubric: Rubric, ev: RoundEvidence) -> dict[str, Any]:
    """The scorecard of one round: each line with its points, method and evidence; None where none."""
    lines: list[dict[str, Any]] = []
    for line in rubric.lines:
        how = METHODS[(rubric.round, line.key)]
        m = how.measure(ev)
        fraction, evidence, method = m.fraction, m.evidence, how.method
        selfs = ev.self_scores.get(line.key)
        if selfs:
            own = mean(selfs)
            own_text = f"your self-score {own * line.points:.1f}/{line.points} (mean of {len(selfs)})"
            if fraction is None:
                fraction, evidence = own, own_text
            else:
                fraction, evidence = (fraction + own) / 2, f"{evidence}; {own_text}"
            method += "; averaged with your self-score"
        lines.append(
            {
                "key": line.key,
                "name": line.label,
                "max": line.points,
                "score": None if fraction is None else round(line.points * _clamp(fraction), 1),
                "method": method,
                "evidence": evidence,
            }
        )
    scored = [ln for ln in lines if ln["score"] is not None]
    score = round(sum(ln["score"] for ln in scored), 1) if scored else None
    complete = len(scored) == len(lines)
    return {
        "title": rubric.title,
        "score": score,
        "max": rubric.max_score,
        "pass": rubric.pass_score,
        "evidence_max": sum(ln["max"] for ln in scored),
        "complete": complete,
        "passed": (score >= rubric.pass_score) if (score is not None and complete) else None,
        "lines": lines,
    }
