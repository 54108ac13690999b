"""A mock round's rubric (core/rubrics.py) filled from what happened in it, plus the user's own score.

Every line gets an automatic score with the method that produced it and the evidence it counted, or
None when the mock holds no evidence for it (say, a design answer not given aloud — `r` on the design
phase — has no delivery to measure). The user types a self-score per line; the final score of a line is
the self-score where given, else the automatic one, else 0 — and the scorecard says which. The round
passes at the rubric's line.

Design and behavioral lines are measured exactly as the weekly report measures them (reports/scoring.py),
so a mock and a week of practice are comparable; the coding rounds are measured on the one answer of the
mock (its last judged run), which the report cannot do.

Evidence (JSON, stored in `mocks.evidence`):
    code:        {card, runs, passed, gave_up, final_answer, dialect, reference, function, error,
                  cases: [{name, hidden, passed}], within_time}
    discussion:  [{title, card, answer}]                       written answers to the follow-ups
    design:      {card, checklist: [[text, ticked]], numbers: [{question, answer, correct}],
                  spoken: {card, recording_id, analysis, target}}     spoken: when answered aloud
    stories:     [{card, recording_id, analysis, target}]      analysis: the speech analysis JSON
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from dataclasses import dataclass
from statistics import mean
from typing import Any

from prepdeck.core.rubrics import CODING_COMBINED_MAX, CODING_COMBINED_PASS, RUBRICS, Rubric
from prepdeck.recordings.analysis import TECH_TERMS

WORDS_FOR_AN_ANSWER = 15  # a written follow-up answer counts from this many words
IDEAS_FOR_FULL_MARKS = 4

# distinct optimisation ideas recognised in written answers: name -> pattern
SQL_IDEAS: dict[str, str] = {
    "partition pruning": r"partition",
    "clustering / sort keys": r"cluster|sort key|z-?order|bucket",
    "reading the plan": r"explain|query plan|\bplan\b",
    "scanning fewer columns": r"select \*|projection|only the columns|fewer columns|columnar",
    "precomputing": r"materiali[sz]ed|pre-?aggregat|precomput|summary table|rollup",
    "incremental processing": r"incremental|only new|watermark|merge|since the last",
    "approximation": r"approx|hyperloglog|\bhll\b|sampl",
    "cost model": r"cost|bytes (scanned|billed|processed)|slot|credit|warehouse size",
    "indexes": r"\bindex",
    "join strategy": r"broadcast|shuffle|join order|semi-?join|skew",
    "filter early": r"filter (early|first)|predicate push|push(ed)? down|where clause",
}
SPARK_IDEAS: dict[str, str] = {
    "shuffles": r"shuffle|exchange|wide transformation",
    "skew handling": r"skew|salt|hot key",
    "broadcast joins": r"broadcast",
    "adaptive execution": r"\baqe\b|adaptive",
    "partitioning": r"repartition|coalesce|partition",
    "watermarks / late data": r"watermark|late (data|event|arriv)",
    "state management": r"\bstate\b|state store|ttl|timeout",
    "exactly-once": r"exactly.once|idempot|checkpoint",
    "caching": r"\bcache|persist",
    "file layout": r"small files|compaction|parquet|delta|iceberg",
}
TERMS_PER_ANSWER = 3


@dataclass(frozen=True)
class LineScore:
    key: str
    label: str
    max: int
    auto: float | None
    method: str
    evidence: str
    self: float | None = None

    @property
    def final(self) -> float:
        if self.self is not None:
            return self.self
        return self.auto if self.auto is not None else 0.0

    @property
    def source(self) -> str:
        """Where the final score comes from: "self", "auto", or "none" (neither: counts 0)."""
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

    def scores_json(self) -> dict[str, Any]:
        return {line.key: line.to_json() for line in self.lines}


@dataclass(frozen=True)
class Measure:
    fraction: float | None
    evidence: str


# -- shared measures -----------------------------------------------------------------------------


def _clamp(x: float) -> float:
    return max(0.0, min(1.0, x))


def judge_correctness(ev: dict[str, Any]) -> Measure:
    code = ev.get("code") or {}
    cases = [c for c in code.get("cases") or [] if isinstance(c, dict)]
    if not code.get("runs") or not cases:
        if code.get("error"):
            return Measure(0.0, f"the last answer did not run: {code['error']}")
        return Measure(None, "no judged answer")
    ok = sum(bool(c.get("passed")) for c in cases)
    hidden = [c for c in cases if c.get("hidden")]
    text = f"{ok} of {len(cases)} cases passed"
    if hidden:
        text += f" (hidden: {sum(bool(c.get('passed')) for c in hidden)} of {len(hidden)})"
    text += f" on run {code['runs']}"
    if code.get("gave_up") and not code.get("passed"):
        return Measure(0.0, text + "; you revealed the solution before passing")
    return Measure(ok / len(cases), text)


def _answers(ev: dict[str, Any]) -> list[str]:
    return [str(d.get("answer") or "") for d in ev.get("discussion") or [] if isinstance(d, dict)]


def ideas_named(ev: dict[str, Any], ideas: dict[str, str]) -> Measure:
    text = "\n".join(_answers(ev))
    if not text.strip():
        return Measure(None, "no written follow-up answers (score what you said aloud yourself)")
    named = [name for name, pattern in ideas.items() if re.search(pattern, text, re.IGNORECASE)]
    return Measure(
        _clamp(len(named) / IDEAS_FOR_FULL_MARKS),
        f"{len(named)} idea{'s' if len(named) != 1 else ''} named: {', '.join(named) or 'none'}",
    )


def answered_share(ev: dict[str, Any]) -> tuple[int, int]:
    answers = _answers(ev)
    return sum(len(a.split()) >= WORDS_FOR_AN_ANSWER for a in answers), len(answers)


# -- SQL -------------------------------------------------------------------------------------------


def sql_features(sql: str, dialect: str | None) -> set[str] | None:
    """{"window", "cte", "qualify"} found in the SQL by sqlglot; None when it does not parse."""
    import sqlglot
    from sqlglot import exp

    try:
        trees = [t for t in sqlglot.parse(sql, read=dialect or None) if t is not None]
    except (sqlglot.errors.ParseError, sqlglot.errors.TokenError, ValueError):
        return None
    found: set[str] = set()
    for tree in trees:
        if tree.find(exp.Window):
            found.add("window")
        if tree.find(exp.CTE):
            found.add("cte")
        if tree.find(exp.Qualify):
            found.add("qualify")
    return found


def advanced_sql(ev: dict[str, Any]) -> Measure:
    code = ev.get("code") or {}
    answer = str(code.get("final_answer") or "")
    if not answer.strip():
        return Measure(None, "no final SQL")
    used = sql_features(answer, code.get("dialect"))
    if used is None:
        return Measure(0.0, "the final SQL does not parse")
    # what the problem calls for: the features of the reference solution, windows and query structure
    wanted: set[str] = set()
    reference = sql_features(str(code.get("reference") or ""), code.get("reference_dialect")) or set()
    if "window" in reference:
        wanted.add("window")
    if reference & {"cte", "qualify"}:
        wanted.add("structure")
    have = {"window"} & used | ({"structure"} if used & {"cte", "qualify"} else set())
    names = ", ".join(sorted(used)) or "none"
    if not wanted:
        ok = bool(code.get("passed"))
        return Measure(
            1.0 if ok else 0.0,
            f"the problem needs neither windows nor CTEs; used: {names}; "
            + ("passed" if ok else "not passed"),
        )
    hits = len(wanted & have)
    return Measure(
        hits / len(wanted),
        f"used: {names}; the problem calls for "
        + " and ".join("a window function" if w == "window" else "a CTE or QUALIFY" for w in sorted(wanted)),
    )


def clarity_and_scale(ev: dict[str, Any]) -> Measure:
    code = ev.get("code") or {}
    within = code.get("within_time")
    answered, asked = answered_share(ev)
    parts, texts = [], []
    if within is not None:
        parts.append(1.0 if within and code.get("passed") else 0.0)
        texts.append(
            "solved within the coding time"
            if within and code.get("passed")
            else "not solved within the coding time"
        )
    if asked:
        parts.append(answered / asked)
        texts.append(f"{answered} of {asked} follow-ups answered in writing (≥ {WORDS_FOR_AN_ANSWER} words)")
    if not parts:
        return Measure(None, "no coding phase or follow-ups")
    return Measure(mean(parts), "; ".join(texts))


# -- PySpark -------------------------------------------------------------------------------------


def code_quality(ev: dict[str, Any]) -> Measure:
    code = ev.get("code") or {}
    source = str(code.get("final_answer") or "")
    if not source.strip():
        return Measure(None, "no final code")
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        return Measure(0.0, f"the final code does not parse (line {exc.lineno})")
    function = code.get("function")
    defined = {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}
    calls = {
        n.func.attr if isinstance(n.func, ast.Attribute) else getattr(n.func, "id", "")
        for n in ast.walk(tree)
        if isinstance(n, ast.Call)
    }
    checks = {
        f"defines {function or 'a function'}": (function in defined) if function else bool(defined),
        "no collect()/toPandas() on the data": not calls & {"collect", "toPandas", "toLocalIterator"},
        "no Python UDFs": not calls & {"udf", "pandas_udf"}
        and "udf"
        not in {
            getattr(d, "id", getattr(d, "attr", ""))
            for n in ast.walk(tree)
            if isinstance(n, ast.FunctionDef)
            for d in n.decorator_list
        },
        "passes its cases": bool(code.get("passed")),
    }
    ok = [name for name, good in checks.items() if good]
    missed = [name for name, good in checks.items() if not good]
    text = f"{len(ok)} of {len(checks)} checks" + (f"; missed: {', '.join(missed)}" if missed else "")
    return Measure(len(ok) / len(checks), text)


def tradeoffs_answered(ev: dict[str, Any]) -> Measure:
    answered, asked = answered_share(ev)
    if not asked:
        return Measure(None, "no follow-ups asked")
    if not any(a.strip() for a in _answers(ev)):
        return Measure(None, "no written follow-up answers (score what you said aloud yourself)")
    return Measure(
        answered / asked,
        f"{answered} of {asked} follow-ups answered in writing (≥ {WORDS_FOR_AN_ANSWER} words)",
    )


# -- design and behavioral: the weekly report's measures on this mock's evidence --------------------


def _round_evidence(round_: str, ev: dict[str, Any]) -> Any:
    from prepdeck.reports.evidence import RoundEvidence, delivery_from

    out = RoundEvidence(round_)
    design = ev.get("design") or {}
    checklist = [
        (str(item[0]), bool(item[1]))
        for item in design.get("checklist") or []
        if isinstance(item, (list, tuple)) and len(item) == 2
    ]
    if checklist:
        out.checklists.append(checklist)
    out.numbers.extend(bool(n.get("correct")) for n in design.get("numbers") or [] if isinstance(n, dict))
    spoken = [*(ev.get("stories") or []), design.get("spoken")]  # a design answered aloud has a delivery too
    for story in spoken:
        analysis = story.get("analysis") if isinstance(story, dict) else None
        if isinstance(analysis, dict) and not analysis.get("no_speech"):
            target = story.get("target")
            out.deliveries.append(
                delivery_from(
                    analysis,
                    card_id=story.get("card"),
                    round_=round_,
                    at="",
                    duration_s=analysis.get("duration_s"),
                    target=tuple(target) if isinstance(target, (list, tuple)) and len(target) == 2 else None,
                )
            )
    return out


def _report_measure(round_: str, key: str) -> tuple[str, Callable[[dict[str, Any]], Measure]]:
    from prepdeck.reports.scoring import METHODS

    how = METHODS[(round_, key)]

    def measure(ev: dict[str, Any]) -> Measure:
        m = how.measure(_round_evidence(round_, ev))
        return Measure(m.fraction, m.evidence)

    return how.method, measure


def technical_depth(ev: dict[str, Any]) -> Measure:
    per_answer: list[float] = []
    named: set[str] = set()
    for story in ev.get("stories") or []:
        analysis = story.get("analysis") if isinstance(story, dict) else None
        if not isinstance(analysis, dict) or analysis.get("no_speech"):
            continue
        words = {
            str(w.get("text", "")).strip(",.?!;:").lower()
            for w in analysis.get("words") or []
            if isinstance(w, dict)
        }
        terms = words & TECH_TERMS
        named |= terms
        per_answer.append(_clamp(len(terms) / TERMS_PER_ANSWER))
    if not per_answer:
        return Measure(None, "no analysed spoken answers")
    return Measure(
        mean(per_answer),
        f"technical terms: {', '.join(sorted(named)[:10]) or 'none'} "
        f"over {len(per_answer)} answers (judge the depth yourself)",
    )


# -- the lines of each round -----------------------------------------------------------------------

_FIXED: dict[tuple[str, str], tuple[str, Callable[[dict[str, Any]], Measure]]] = {
    ("sql", "correctness"): (
        "{max} × share of the cases (visible and hidden) your last judged answer passed; "
        "0 when you revealed the solution first",
        judge_correctness,
    ),
    ("sql", "advanced_sql"): (
        "{max} × share of what the problem calls for (per its reference solution: a window "
        "function; a CTE or QUALIFY) found in your final SQL by sqlglot",
        advanced_sql,
    ),
    ("sql", "optimization"): (
        f"{{max}} × optimisation ideas named in your written follow-up answers, out of "
        f"{IDEAS_FOR_FULL_MARKS} (partition pruning, clustering, plans, projection, "
        "precomputing, incremental, approximation, cost, indexes, joins, early filters)",
        lambda ev: ideas_named(ev, SQL_IDEAS),
    ),
    ("sql", "clarity_scale"): (
        "{max} × mean of (solved within the coding time, share of follow-ups answered in "
        f"writing with ≥ {WORDS_FOR_AN_ANSWER} words)",
        clarity_and_scale,
    ),
    ("pyspark", "correctness"): (
        "{max} × share of the cases (visible and hidden) your last judged answer passed; "
        "0 when you revealed the solution first",
        judge_correctness,
    ),
    ("pyspark", "scalability"): (
        f"{{max}} × production ideas named in your written follow-up answers, out of "
        f"{IDEAS_FOR_FULL_MARKS} (shuffles, skew, broadcast, AQE, partitioning, watermarks, "
        "state, exactly-once, caching, file layout)",
        lambda ev: ideas_named(ev, SPARK_IDEAS),
    ),
    ("pyspark", "code_quality"): (
        "{max} × share of checks on your final code: defines the card's function, no "
        "collect()/toPandas(), no Python UDFs, passes its cases",
        code_quality,
    ),
    ("pyspark", "tradeoffs"): (
        f"{{max}} × share of follow-ups answered in writing with ≥ {WORDS_FOR_AN_ANSWER} words",
        tradeoffs_answered,
    ),
    ("behavioral", "depth"): (
        f"{{max}} × technical terms per spoken answer (full at {TERMS_PER_ANSWER}), averaged",
        technical_depth,
    ),
}


def line_method(round_: str, key: str) -> tuple[str, Callable[[dict[str, Any]], Measure]]:
    if (round_, key) in _FIXED:
        return _FIXED[(round_, key)]
    return _report_measure(round_, key)


def score_mock(
    round_: str, evidence: dict[str, Any], self_scores: dict[str, float | None] | None = None
) -> Scorecard:
    """The rubric of `round_` filled from `evidence`; `self_scores`: line key -> points (None/absent = not given)."""
    rubric: Rubric = RUBRICS[round_]
    own = self_scores or {}
    lines = []
    for line in rubric.lines:
        method, measure = line_method(round_, line.key)
        m = measure(evidence)
        auto = None if m.fraction is None else round(line.points * _clamp(m.fraction), 1)
        given = own.get(line.key)
        mine = None if given is None else round(max(0.0, min(float(line.points), float(given))), 1)
        lines.append(
            LineScore(
                line.key, line.label, line.points, auto, method.format(max=line.points), m.evidence, mine
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


# -- building evidence from what a card view reports ---------------------------------------------------


def code_evidence(card: Any, payload: dict[str, Any] | None, *, within_time: bool | None) -> dict[str, Any]:
    """The `code` evidence from a code card's review payload (tui/components/code_view.py)."""
    payload = payload or {}
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
