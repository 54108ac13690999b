"""The measures behind the rubric lines: each turns a round's evidence into a fraction of the line and the
evidence it counted, or None when the round holds no evidence for it (not 0, not a guess).

Answers (`Delivery`) are measured one by one and averaged, so one spoken answer on the review screen, the
same answer in a mock and the same answer among a week's all get the same fraction.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from dataclasses import dataclass
from statistics import mean

from prepdeck.recordings.analysis import PACE_BAND  # the band the analysis itself advises
from prepdeck.scoring.evidence import STAR_BEATS, Delivery, RoundEvidence

# time budgets for one card-sized problem (the guide's rounds give 30-35 minutes for a whole task)
SOLVE_BUDGET_S = {"sql": 10 * 60, "pyspark": 15 * 60}
FILLERS_GOOD, FILLERS_BAD = 3.0, 12.0  # fillers per minute: full marks at or under 3, none at 12
PACE_ZERO = (90.0, 200.0)  # words per minute at which the pace scores nothing; full inside PACE_BAND
TERMS_FOR_FULL_DEPTH = 3  # distinct technical terms in one answer
WORDS_FOR_AN_ANSWER = 15  # a written follow-up answer counts from this many words
IDEAS_FOR_FULL_MARKS = 4


@dataclass(frozen=True)
class Measure:
    fraction: float | None
    evidence: str  # what was counted, e.g. "5 of 8 problems passed on the first try"


def clamp(x: float) -> float:
    return max(0.0, min(1.0, x))


def _share(hits: int, total: int, what: str, nothing: str) -> Measure:
    return Measure(hits / total, f"{hits} of {total} {what}") if total else Measure(None, nothing)


# -- a week of coding practice -----------------------------------------------------------------------


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


def advanced_solved(ev: RoundEvidence) -> Measure:
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


# -- a mock's one coding answer and its written follow-ups ---------------------------------------------

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


def judge_correctness(ev: RoundEvidence) -> Measure:
    code = ev.code
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


def ideas_named(ev: RoundEvidence, ideas: dict[str, str]) -> Measure:
    text = "\n".join(ev.written)
    if not text.strip():
        return Measure(None, "no written follow-up answers (score what you said aloud yourself)")
    named = [name for name, pattern in ideas.items() if re.search(pattern, text, re.IGNORECASE)]
    return Measure(
        clamp(len(named) / IDEAS_FOR_FULL_MARKS),
        f"{len(named)} idea{'s' if len(named) != 1 else ''} named: {', '.join(named) or 'none'}",
    )


def answered_share(ev: RoundEvidence) -> tuple[int, int]:
    return sum(len(a.split()) >= WORDS_FOR_AN_ANSWER for a in ev.written), len(ev.written)


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


def advanced_sql_used(ev: RoundEvidence) -> Measure:
    code = ev.code
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


def clarity_and_scale(ev: RoundEvidence) -> Measure:
    code = ev.code
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


def code_quality(ev: RoundEvidence) -> Measure:
    code = ev.code
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
    decorators = {
        getattr(d, "id", getattr(d, "attr", ""))
        for n in ast.walk(tree)
        if isinstance(n, ast.FunctionDef)
        for d in n.decorator_list
    }
    checks = {
        f"defines {function or 'a function'}": (function in defined) if function else bool(defined),
        "no collect()/toPandas() on the data": not calls & {"collect", "toPandas", "toLocalIterator"},
        "no Python UDFs": not calls & {"udf", "pandas_udf"} and "udf" not in decorators,
        "passes its cases": bool(code.get("passed")),
    }
    ok = [name for name, good in checks.items() if good]
    missed = [name for name, good in checks.items() if not good]
    text = f"{len(ok)} of {len(checks)} checks" + (f"; missed: {', '.join(missed)}" if missed else "")
    return Measure(len(ok) / len(checks), text)


def tradeoffs_answered(ev: RoundEvidence) -> Measure:
    answered, asked = answered_share(ev)
    if not asked:
        return Measure(None, "no follow-ups asked")
    if not any(a.strip() for a in ev.written):
        return Measure(None, "no written follow-up answers (score what you said aloud yourself)")
    return Measure(
        answered / asked,
        f"{answered} of {asked} follow-ups answered in writing (≥ {WORDS_FOR_AN_ANSWER} words)",
    )


# -- design: checklists and capacity numbers ------------------------------------------------------------

_TOPICS = {
    "requirements": r"requir|constraint|clarif|scope|sla|assum|latency|throughput|volume|qps|tps|users",
    "reliability": r"reliab|fault|retr(y|ies)|idempot|replay|failover|durab|backfill|exactly.once|at.least|"
    r"checkpoint|dead.letter|dlq|outage|recover|redundan|monitor|alert",
    "security": r"secur|pii|gdpr|encrypt|access|complian|pci|audit|mask|token|iam|privacy|retention polic",
    "tradeoffs": r"trade.?off|alternativ|\bvs\.?\b|versus|instead|cost",
}


def checklist_coverage(ev: RoundEvidence) -> Measure:
    items = [ticked for sheet in ev.checklists for _, ticked in sheet]
    return _share(sum(items), len(items), "checklist points covered", "no design checklists ticked")


def topic_coverage(topic: str, label: str) -> Callable[[RoundEvidence], Measure]:
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


def capacity_numbers(ev: RoundEvidence) -> Measure:
    return _share(
        sum(ev.numbers), len(ev.numbers), "capacity answers within tolerance", "no capacity answers checked"
    )


# -- spoken answers, one by one ------------------------------------------------------------------------


def delivery_fraction(d: Delivery) -> float | None:
    """Fillers per minute (linear from full at FILLERS_GOOD to none at FILLERS_BAD) and pace (full inside
    PACE_BAND, linear to none at PACE_ZERO), averaged; None when the answer has neither figure."""
    parts: list[float] = []
    if d.fillers_per_minute is not None:
        parts.append(clamp((FILLERS_BAD - d.fillers_per_minute) / (FILLERS_BAD - FILLERS_GOOD)))
    if d.wpm is not None:
        lo, hi = PACE_BAND
        if lo <= d.wpm <= hi:
            parts.append(1.0)
        elif d.wpm < lo:
            parts.append(clamp((d.wpm - PACE_ZERO[0]) / (lo - PACE_ZERO[0])))
        else:
            parts.append(clamp((PACE_ZERO[1] - d.wpm) / (PACE_ZERO[1] - hi)))
    return mean(parts) if parts else None


def delivery(ev: RoundEvidence) -> Measure:
    scores = [f for f in (delivery_fraction(d) for d in ev.deliveries) if f is not None]
    if not scores:
        return Measure(None, "no analysed spoken answers")
    if len(scores) == 1:
        d = next(d for d in ev.deliveries if delivery_fraction(d) is not None)
        fpm = "–" if d.fillers_per_minute is None else f"{d.fillers_per_minute:g}"
        wpm = "–" if d.wpm is None else f"{d.wpm:g}"
        return Measure(scores[0], f"{fpm} fillers/min, {wpm} wpm: delivery {scores[0]:.2f}")
    return Measure(mean(scores), f"mean delivery score {mean(scores):.2f} over {len(scores)} answers")


def design_communication(ev: RoundEvidence) -> Measure:
    """Per spoken design answer, the mean of its delivery and its structure (share of the design's parts
    heard: requirements, architecture, scale, reliability, trade-offs); averaged over the answers."""
    per_answer: list[float] = []
    texts: list[str] = []
    for d in ev.deliveries:
        parts = []
        said = delivery_fraction(d)
        if said is not None:
            parts.append(said)
        if d.design_parts is not None and d.design_parts[1]:
            heard, expected = d.design_parts
            parts.append(heard / expected)
            texts.append(f"{heard} of {expected} design parts heard")
        if parts:
            per_answer.append(mean(parts))
    if not per_answer:
        return Measure(None, "no analysed spoken answers")
    spoken = delivery(ev).evidence
    if len(per_answer) == 1:
        return Measure(per_answer[0], "; ".join([spoken, *texts]))
    return Measure(mean(per_answer), f"{spoken}; structure of {len(texts)} answers analysed")


def _stories(ev: RoundEvidence) -> list[Delivery]:
    return [d for d in ev.deliveries if d.kind == "star"]


def star_structure(ev: RoundEvidence) -> Measure:
    analysed = [d for d in _stories(ev) if d.beats is not None]
    if not analysed:
        return Measure(None, "no spoken answers with a STAR analysis")
    found = [len(d.beats or ()) / len(STAR_BEATS) for d in analysed]
    if len(analysed) == 1:
        beats = analysed[0].beats or set()
        missing = [b for b in STAR_BEATS if b not in beats]
        return Measure(
            found[0], f"{len(beats)} of 4 STAR beats found; missing: {', '.join(missing) or 'none'}"
        )
    total = sum(len(d.beats or ()) for d in analysed)
    return Measure(mean(found), f"{total} of {len(found) * 4} STAR beats found in {len(found)} answers")


def ownership_impact(ev: RoundEvidence) -> Measure:
    stories = _stories(ev)
    quantified = [bool(d.quantified) for d in stories if d.quantified is not None]
    owned = [
        d.i_count >= d.we_count and d.i_count > 0
        for d in stories
        if d.i_count is not None and d.we_count is not None
    ]
    parts, texts = [], []
    if quantified:
        parts.append(sum(quantified) / len(quantified))
        texts.append(f"{sum(quantified)} of {len(quantified)} answers quantify the result")
    if owned:
        parts.append(sum(owned) / len(owned))
        texts.append(f'{sum(owned)} of {len(owned)} say "I" at least as often as "we"')
    return (
        Measure(mean(parts), "; ".join(texts))
        if parts
        else Measure(None, "no spoken answers with numbers/pronouns")
    )


def technical_depth(ev: RoundEvidence) -> Measure:
    said = [d.terms for d in _stories(ev) if d.terms is not None]
    if not said:
        return Measure(None, "no analysed spoken answers with words")
    named = sorted(set().union(*said))
    return Measure(
        mean(clamp(len(t) / TERMS_FOR_FULL_DEPTH) for t in said),
        f"technical terms: {', '.join(named[:8]) or 'none'} over {len(said)} "
        f"answer{'s' if len(said) != 1 else ''} (judge the depth yourself)",
    )


def reflection_heard(ev: RoundEvidence) -> Measure:
    analysed = [bool(d.reflection) for d in _stories(ev) if d.reflection is not None]
    return _share(
        sum(analysed),
        len(analysed),
        "answers with a lesson or reflection heard",
        "no spoken answers with a STAR analysis",
    )
