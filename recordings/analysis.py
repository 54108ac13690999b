"""Delivery analysis of a spoken answer from its timed words: what an interviewer hears.

Pure Python on `[{text, start, end, prob?}]` (Whisper words, punctuation attached), so it is tested on
hand-written transcripts. `analyze()` returns the `transcribe --json` keys (words with `filler`,
`fillers`, `wpm`, `pauses`) and extra keys: `duration`, `hedges`, `i_we`, `numbers`, `star`, `repeats`,
`warnings`.

Fillers: a word is counted only where it carries no meaning. The rules, by type:
- um / uh (and hmm, er, erm, ah): always; um-like sounds count as "um", uh-like ones as "uh".
- basically, literally: always (in a spoken answer they are almost never load-bearing).
- like: not after a subject, modal or auxiliary ("I like", "would like", "to like": the verb), not after
  a word of comparison ("looks like", "something like", "just like"), not before a determiner or
  pronoun ("like a", "like the", "like this": the preposition); but always when set off by commas
  ("we had, like, ...") and when it approximates a number ("like three hours").
- so: at the very start of the answer, set off by a comma ("So, ..."), or next to another filler
  ("um so", "so basically"); never in "so that", "so far", "so much", "and so on", "I think so".
  A mid-sentence or sentence-initial "so" that links a cause to its effect is meaning-bearing.
- actually: at the start of a sentence, set off by commas, or next to another filler; mid-sentence
  ("what actually happened", "it actually worked") it marks a contrast and is not counted.
- right: as a tag ("..., right?") or a sentence opener set off ("Right, so ..."); never in "right now",
  "the right answer", "right after".
- you know / I mean: not in "do you know", "as you know", "what I mean is", nor before a complement
  ("you know that ...", "I mean it"), unless set off by a comma or a clause follows ("I mean it was
  simple": the comma lost in transcription).
- kind of / sort of: not after a determiner ("this kind of data", "what sort of problem") nor before a
  common noun of the domain ("kind of data"); otherwise they hedge ("kind of slow") and count.

Sentence boundaries come from Whisper's punctuation, or a silence of 0.8 s or more.

STAR beats: the answer is split into sentences; each sentence scores cue phrases for situation,
task, action, result and reflection ("at my last job", "I was asked to", "I decided", "as a result",
"I learned"); a dynamic programme assigns every sentence to a beat so the beats keep their order and
each sentence's position (situation early, result late) breaks ties. A beat is "found" when at least one
of its sentences has one of its cues; its seconds run from its first sentence to the next beat.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

# words that show technical depth in a spoken answer (the behavioral rubric's "technical depth" line)
TECH_TERMS = frozenset(
    {
        "airflow",
        "alerting",
        "backfill",
        "batch",
        "bigquery",
        "broadcast",
        "cache",
        "cdc",
        "checkpoint",
        "compaction",
        "contract",
        "dbt",
        "dedupe",
        "delta",
        "flink",
        "iceberg",
        "idempotent",
        "index",
        "join",
        "joins",
        "kafka",
        "latency",
        "lineage",
        "merge",
        "monitoring",
        "orchestration",
        "parquet",
        "partition",
        "partitioned",
        "partitioning",
        "pipeline",
        "queries",
        "query",
        "retries",
        "retry",
        "s3",
        "schema",
        "shuffle",
        "skew",
        "sla",
        "snowflake",
        "spark",
        "sql",
        "streaming",
        "test",
        "tests",
        "throughput",
        "warehouse",
        "watermark",
        "watermarks",
    }
)


PACE_BAND = (130, 160)
PACE_WARN = (110, 180)
PAUSE_MIN_S = 1.0
SENTENCE_GAP_S = 0.8

UM_SOUNDS = {"um", "umm", "ummm", "uhm", "hmm", "hm", "mm", "mmm", "erm"}
UH_SOUNDS = {"uh", "uhh", "er", "err", "ah", "eh"}
FILLER_TYPES = (
    "um",
    "uh",
    "like",
    "so",
    "basically",
    "actually",
    "you know",
    "i mean",
    "kind of",
    "sort of",
    "right",
    "literally",
)

DETERMINERS = {
    "a",
    "an",
    "the",
    "this",
    "that",
    "these",
    "those",
    "what",
    "which",
    "some",
    "any",
    "every",
    "each",
    "one",
    "same",
    "different",
    "other",
    "another",
    "our",
    "my",
    "their",
    "his",
    "her",
    "its",
    "your",
    "no",
    "whatever",
    "first",
    "new",
    "similar",
    "specific",
    "particular",
    "certain",
    "all",
}
OBJECT_STARTERS = {
    "a",
    "an",
    "the",
    "this",
    "that",
    "these",
    "those",
    "my",
    "our",
    "your",
    "his",
    "her",
    "their",
    "its",
    "it",
    "us",
    "them",
    "me",
    "him",
    "any",
    "some",
    "when",
    "what",
    "how",
    "each",
    "every",
    "other",
    "most",
    "someone",
    "somebody",
    "something",
    "anything",
    "everything",
    "nothing",
}
LIKE_VERB_BEFORE = {
    "i",
    "we",
    "you",
    "they",
    "he",
    "she",
    "would",
    "i'd",
    "we'd",
    "you'd",
    "they'd",
    "do",
    "does",
    "did",
    "don't",
    "didn't",
    "doesn't",
    "to",
    "really",
    "also",
    "might",
    "may",
    "will",
    "could",
    "should",
    "wouldn't",
    "people",
    "not",
    "'d",
}
LIKE_COMPARE_BEFORE = {
    "look",
    "looks",
    "looked",
    "looking",
    "seem",
    "seems",
    "seemed",
    "sound",
    "sounds",
    "sounded",
    "feel",
    "feels",
    "felt",
    "something",
    "anything",
    "nothing",
    "everything",
    "things",
    "stuff",
    "much",
    "more",
    "less",
    "exactly",
    "just",
    "act",
    "acts",
    "acted",
}
SO_NOT_BEFORE = {"that", "much", "many", "far", "long", "few", "little", "called", "forth", "on"}
SO_NOT_AFTER = {"and", "or", "think", "hope", "guess", "said", "not", "say", "believe", "suppose"}
RIGHT_NOT_NEXT = {
    "now",
    "away",
    "after",
    "before",
    "answer",
    "thing",
    "way",
    "side",
    "call",
    "choice",
    "person",
    "tool",
    "one",
    "time",
    "place",
    "there",
    "here",
    "then",
    "at",
    "to",
    "into",
    "about",
}
KNOW_NOT_BEFORE = {
    "do",
    "did",
    "don't",
    "didn't",
    "if",
    "as",
    "would",
    "does",
    "that",
    "who",
    "what",
    "to",
    "you'd",
    "whether",
    "could",
    "might",
    "let",
}
KNOW_COMPLEMENT = {
    "that",
    "how",
    "what",
    "where",
    "why",
    "when",
    "who",
    "whether",
    "if",
    "the",
    "a",
    "about",
    "it",
    "this",
    "them",
    "him",
    "her",
    "me",
    "us",
    "everything",
    "something",
    "anything",
    "exactly",
}
MEAN_NOT_BEFORE = {"what", "do", "did", "don't", "didn't", "if", "you", "really"}
MEAN_COMPLEMENT = {"that", "it", "to", "what", "this", "when"}
# "I mean it was simple": a verb after "it"/"this" makes it the subject of a new clause, so "I mean" is
# the discourse marker with its comma lost in transcription, not "I mean it" (= I am serious)
CLAUSE_VERBS = {
    "is", "was", "were", "are", "has", "had", "will", "would", "could", "can", "did", "does",
    "isn't", "wasn't", "didn't", "doesn't", "won't", "wouldn't", "couldn't", "took", "worked",
    "failed", "broke", "made", "cost", "went", "ran", "meant", "seemed", "felt", "looked",
}  # fmt: skip
DOMAIN_NOUNS = {
    "data",
    "problem",
    "problems",
    "issue",
    "issues",
    "thing",
    "things",
    "system",
    "systems",
    "pipeline",
    "pipelines",
    "job",
    "jobs",
    "query",
    "queries",
    "table",
    "tables",
    "work",
    "person",
    "team",
    "question",
    "situation",
    "approach",
    "tool",
    "tools",
    "project",
    "change",
    "error",
    "errors",
    "stuff",
    "role",
    "model",
    "schema",
    "test",
    "tests",
    "feedback",
    "conflict",
    "decision",
}
VOCAL = UM_SOUNDS | UH_SOUNDS

HEDGES = (
    "i think",
    "i guess",
    "i believe",
    "i suppose",
    "i feel like",
    "i'm not sure",
    "maybe",
    "probably",
    "perhaps",
    "might",
    "somewhat",
    "a little bit",
    "hopefully",
    "sort of",
    "kind of",
)
I_WORDS = {"i", "me", "my", "mine", "myself", "i'm", "i've", "i'd", "i'll"}
WE_WORDS = {"we", "us", "our", "ours", "ourselves", "we're", "we've", "we'd", "we'll"}

NUMBER_WORDS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "half": 0.5,
    "dozen": 12,
}
SCALE_WORDS = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000, "k": 1_000}
UNITS = {
    "%": "%",
    "percent": "%",
    "percentage": "%",
    "x": "x",
    "times": "x",
    "fold": "x",
    "ms": "ms",
    "millisecond": "ms",
    "milliseconds": "ms",
    "second": "s",
    "seconds": "s",
    "minute": "min",
    "minutes": "min",
    "hour": "h",
    "hours": "h",
    "day": "days",
    "days": "days",
    "week": "weeks",
    "weeks": "weeks",
    "month": "months",
    "months": "months",
    "year": "years",
    "years": "years",
    "dollars": "$",
    "dollar": "$",
    "kb": "KB",
    "mb": "MB",
    "gb": "GB",
    "tb": "TB",
    "pb": "PB",
    "gigabytes": "GB",
    "terabytes": "TB",
    "petabytes": "PB",
    "megabytes": "MB",
    "rows": "rows",
    "row": "rows",
    "records": "records",
    "events": "events",
    "users": "users",
    "customers": "customers",
    "queries": "queries",
    "jobs": "jobs",
    "tables": "tables",
    "pipelines": "pipelines",
    "engineers": "engineers",
    "people": "people",
    "nodes": "nodes",
    "servers": "servers",
    "files": "files",
    "dashboards": "dashboards",
    "teams": "teams",
    "incidents": "incidents",
    "tickets": "tickets",
    "requests": "requests",
    "partitions": "partitions",
    "messages": "messages",
}

STAR_BEATS = ("situation", "task", "action", "result", "reflection")
STAR_CENTRES = (0.1, 0.25, 0.5, 0.8, 0.95)
STAR_CUES: dict[str, tuple[str, ...]] = {
    "situation": (
        "at my last job",
        "at my previous",
        "at my last company",
        "at my current",
        "when i was at",
        "when i was working",
        "i was working",
        "we had a",
        "we had an",
        "there was a",
        "our team",
        "the team was",
        "the company",
        "back in",
        "context",
        "background",
        "situation",
        "at the time",
        "years ago",
        "last year",
        "we were running",
        "we were using",
        "our pipeline",
        "the pipeline was",
        "i joined",
    ),
    "task": (
        "my task",
        "i was asked",
        "i was responsible",
        "responsible for",
        "my job was",
        "my role",
        "the goal",
        "goal was",
        "i needed to",
        "we needed to",
        "i had to",
        "we had to",
        "the challenge",
        "challenge was",
        "the problem was",
        "objective",
        "i was tasked",
        "the task",
        "deadline",
        "needed to",
        "my responsibility",
        "i owned",
        "i was in charge",
    ),
    "action": (
        "i decided",
        "so i",
        "first i",
        "then i",
        "i started",
        "i built",
        "i wrote",
        "i designed",
        "i proposed",
        "i implemented",
        "i set up",
        "i led",
        "i talked",
        "i reached out",
        "i migrated",
        "i added",
        "i created",
        "i rewrote",
        "i introduced",
        "i worked with",
        "i organized",
        "i profiled",
        "i investigated",
        "i analyzed",
        "i moved",
        "i replaced",
        "i split",
        "i automated",
        "i partitioned",
        "i convinced",
        "i scheduled",
        "what i did",
        "my approach",
        "i ran",
        "i changed",
        "i refactored",
        "i tested",
        "i measured",
        "i dug",
        "i found",
        "i broke",
        "i wrote up",
        "i paired",
        "i backfilled",
    ),
    "result": (
        "as a result",
        "the result",
        "result was",
        "in the end",
        "outcome",
        "ended up",
        "which meant",
        "led to",
        "resulted",
        "went from",
        "down from",
        "up from",
        "reduced",
        "improved",
        "saved",
        "cut the",
        "cut it",
        "dropped",
        "faster",
        "increased",
        "since then",
        "fewer",
        "no longer",
        "percent",
        "%",
        "hours to",
        "minutes to",
    ),
    "reflection": (
        "i learned",
        "learned that",
        "lesson",
        "next time",
        "in hindsight",
        "looking back",
        "i would do",
        "i'd do",
        "differently",
        "takeaway",
        "what i learned",
        "i realized",
        "if i did it again",
    ),
}
STOPWORDS = {
    "the",
    "a",
    "an",
    "and",
    "or",
    "to",
    "of",
    "in",
    "on",
    "it",
    "that",
    "is",
    "was",
    "we",
    "i",
    "for",
    "with",
    "this",
    "so",
    "at",
    "be",
    "as",
    "but",
    "had",
    "have",
    "were",
    "are",
    "then",
    "they",
}


@dataclass
class Token:
    raw: str
    norm: str
    start: float
    end: float
    prob: float
    sentence_start: bool = False
    comma_after: bool = False
    sentence_end: bool = False
    question: bool = False
    filler: str | None = None


def _norm(text: str) -> str:
    t = text.lower().replace("’", "'").strip()
    return re.sub(r"^[^\w$]+|[^\w%]+$", "", t)


def tokenize(words: list[dict[str, Any]] | list[Any]) -> list[Token]:
    toks: list[Token] = []
    for w in words:
        get = w.get if isinstance(w, dict) else (lambda k, d=None, w=w: getattr(w, k, d))
        raw = str(get("text", "")).strip()
        norm = _norm(raw)
        if not norm:
            if raw.startswith("%") and toks:  # Whisper sometimes times "40%" as "40" + "%"
                toks[-1].raw += raw
                toks[-1].norm += "%"
                toks[-1].end = float(get("end", toks[-1].end))
            continue
        toks.append(
            Token(raw, norm, float(get("start", 0.0)), float(get("end", 0.0)), float(get("prob", 1.0) or 1.0))
        )
    toks.sort(key=lambda t: (t.start, t.end))
    for i, t in enumerate(toks):
        t.comma_after = t.raw.rstrip().endswith((",", ";", ":", "—", "-"))
        t.question = t.raw.rstrip().endswith("?")
        t.sentence_end = t.raw.rstrip().endswith((".", "?", "!"))
        gap = t.start - toks[i - 1].end if i else 0.0
        t.sentence_start = i == 0 or toks[i - 1].sentence_end or gap >= SENTENCE_GAP_S
    return toks


def _is_number(norm: str) -> bool:
    return bool(re.fullmatch(r"\$?\d[\d,.]*(%|x|k|m|b|ms|s|gb|tb|mb|pb)?", norm)) or norm in NUMBER_WORDS


# -- fillers ---------------------------------------------------------------------------------------------


def _detect_fillers(toks: list[Token]) -> list[tuple[str, int, int]]:
    """(type, first index, last index) for every filler, multi-word ones as one hit."""
    hits: list[tuple[str, int, int]] = []
    n = len(toks)

    def norm(i: int) -> str | None:
        return toks[i].norm if 0 <= i < n else None

    def opens(i: int) -> bool:  # starts a sentence or follows a comma
        return toks[i].sentence_start or (i > 0 and toks[i - 1].comma_after)

    def closes(i: int) -> bool:  # followed by a comma or the end of a sentence
        return toks[i].comma_after or toks[i].sentence_end or i == n - 1

    def near_filler(i: int, j: int) -> bool:
        before = norm(i - 1)
        after = norm(j + 1)
        return (
            (bool(hits) and hits[-1][2] == i - 1)
            or before in VOCAL
            or after in VOCAL
            or after in {"basically", "um", "uh", "like", "yeah"}
        )

    i = 0
    while i < n:
        w, nxt, prev = toks[i].norm, norm(i + 1), norm(i - 1)
        pair = f"{w} {nxt}" if nxt else w
        kind: str | None = None
        last = i
        if pair == "you know":
            set_off = toks[i + 1].comma_after or toks[i + 1].sentence_end
            if set_off or (prev not in KNOW_NOT_BEFORE and norm(i + 2) not in KNOW_COMPLEMENT):
                kind, last = "you know", i + 1
        elif pair == "i mean":
            set_off = toks[i + 1].comma_after
            clause = norm(i + 2) in ("it", "this") and norm(i + 3) in CLAUSE_VERBS
            if prev not in MEAN_NOT_BEFORE and (set_off or clause or norm(i + 2) not in MEAN_COMPLEMENT):
                kind, last = "i mean", i + 1
        elif pair in ("kind of", "sort of"):
            if prev not in DETERMINERS and norm(i + 2) not in DOMAIN_NOUNS and not (toks[i].sentence_end):
                kind, last = pair, i + 1
        elif w in UM_SOUNDS:
            kind = "um"
        elif w in UH_SOUNDS:
            kind = "uh"
        elif w in ("basically", "literally"):
            kind = w
        elif w == "like":
            if toks[i].comma_after or (i > 0 and toks[i - 1].comma_after and prev not in LIKE_VERB_BEFORE):
                kind = "like"
            elif prev in LIKE_VERB_BEFORE or prev in LIKE_COMPARE_BEFORE:
                kind = None
            elif nxt is not None and _is_number(nxt):
                kind = "like"
            elif nxt in OBJECT_STARTERS:
                kind = None
            else:
                kind = "like"
        elif w == "so":
            if (nxt in SO_NOT_BEFORE and not toks[i].comma_after) or prev in SO_NOT_AFTER:
                kind = None
            elif i == 0 or toks[i].comma_after or near_filler(i, i):
                kind = "so"
        elif w == "actually":
            if (
                toks[i].sentence_start
                or toks[i].comma_after
                or (i > 0 and toks[i - 1].comma_after)
                or near_filler(i, i)
            ):
                kind = "actually"
        elif (
            w == "right"
            and nxt not in RIGHT_NOT_NEXT
            and prev not in DETERMINERS | {"all", "is", "was", "be"}
        ):
            tag = toks[i].question or (i > 0 and toks[i - 1].comma_after and closes(i))
            opener = toks[i].sentence_start and (closes(i) or nxt == "so")
            if tag or opener:
                kind = "right"
        if kind:
            hits.append((kind, i, last))
        i = last + 1
    return hits


# -- the parts of the analysis ---------------------------------------------------------------------------


def _count_phrases(norms: list[str], phrases: tuple[str, ...], skip: set[int] | None = None) -> Counter[str]:
    counts: Counter[str] = Counter()
    for phrase in phrases:
        parts = phrase.split()
        for i in range(len(norms) - len(parts) + 1):
            if norms[i : i + len(parts)] == parts and (skip is None or i in skip):
                counts[phrase] += 1
    return counts


def _numbers(toks: list[Token]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    i, n = 0, len(toks)
    while i < n:
        t = toks[i]
        m = re.fullmatch(r"(\$)?(\d[\d,]*(?:\.\d+)?)(%|x|k|m|b|ms|s|gb|tb|mb|pb)?", t.norm)
        value: float | None = None
        unit = ""
        j = i
        if m:
            value = float(m.group(2).replace(",", ""))
            suffix = (m.group(3) or "").lower()
            if suffix in ("k", "m", "b"):
                value *= {"k": 1e3, "m": 1e6, "b": 1e9}[suffix]
            elif suffix:
                unit = UNITS.get(suffix, suffix.upper())
            if m.group(1):
                unit = "$"
        elif t.norm in NUMBER_WORDS and not (
            t.norm == "one"
            and (i + 1 >= n or (toks[i + 1].norm not in UNITS and toks[i + 1].norm not in SCALE_WORDS))
        ):
            value = float(NUMBER_WORDS[t.norm])
            while (
                j + 1 < n
                and toks[j + 1].norm in NUMBER_WORDS
                and NUMBER_WORDS[toks[j + 1].norm] < 10
                and value >= 20
                and value % 10 == 0
            ):
                value += NUMBER_WORDS[toks[j + 1].norm]
                j += 1
        if value is None:
            i += 1
            continue
        while j + 1 < n and toks[j + 1].norm in SCALE_WORDS:
            value *= SCALE_WORDS[toks[j + 1].norm]
            j += 1
        if not unit and j + 1 < n and toks[j + 1].norm in UNITS:
            unit = UNITS[toks[j + 1].norm]
            j += 1
        text = " ".join(x.raw.strip(",.;:!?") for x in toks[i : j + 1])
        found.append(
            {"text": text, "value": value, "unit": unit, "start": round(t.start, 2), "impact": bool(unit)}
        )
        i = j + 1
    return found


def _clauses(toks: list[Token]) -> list[tuple[int, int]]:
    """Sentences, further cut at commas: one sentence often carries two beats ("I rewrote it, and it
    cut the runtime by 40%")."""
    spans, begin = [], 0
    for i, t in enumerate(toks):
        if i > begin and (t.sentence_start or toks[i - 1].comma_after):
            spans.append((begin, i - 1))
            begin = i
    if toks:
        spans.append((begin, len(toks) - 1))
    return spans


def _star(toks: list[Token]) -> dict[str, Any]:
    spans = _clauses(toks)
    if not spans:
        return {
            "beats": {b: {"found": False, "seconds": 0.0} for b in STAR_BEATS},
            "order": [],
            "missing": list(STAR_BEATS[:4]),
        }
    t0, t_end = toks[0].start, toks[-1].end
    total = max(t_end - t0, 1e-6)
    cues: list[list[list[str]]] = []
    for a, b in spans:
        text = " " + " ".join(t.norm for t in toks[a : b + 1]) + " "
        cues.append(
            [
                [c for c in STAR_CUES[beat] if f" {c} " in text or (c == "%" and "%" in text)]
                for beat in STAR_BEATS
            ]
        )
    k, m = len(spans), len(STAR_BEATS)

    def score(s: int, beat: int) -> float:
        a, b = spans[s]
        mid = ((toks[a].start + toks[b].end) / 2 - t0) / total
        return 2.0 * len(cues[s][beat]) - 1.5 * abs(mid - STAR_CENTRES[beat])

    best = [[float("-inf")] * m for _ in range(k)]
    back = [[0] * m for _ in range(k)]
    for beat in range(m):
        best[0][beat] = score(0, beat)
    for s in range(1, k):
        for beat in range(m):
            prev = max(range(beat + 1), key=lambda p: best[s - 1][p])
            best[s][beat] = best[s - 1][prev] + score(s, beat)
            back[s][beat] = prev
    assign = [0] * k
    assign[-1] = max(range(m), key=lambda b: best[k - 1][b])
    for s in range(k - 1, 0, -1):
        assign[s - 1] = back[s][assign[s]]
    beats: dict[str, Any] = {}
    for beat_i, beat in enumerate(STAR_BEATS):
        idx = [s for s in range(k) if assign[s] == beat_i]
        if not idx:
            beats[beat] = {"found": False, "seconds": 0.0}
            continue
        start = toks[spans[idx[0]][0]].start
        after = idx[-1] + 1
        end = toks[spans[after][0]].start if after < k else t_end
        hit = sorted({c for s in idx for c in cues[s][beat_i]})
        beats[beat] = {
            "found": bool(hit),
            "seconds": round(end - start, 1),
            "start": round(start, 2),
            "end": round(end, 2),
            "share": round((end - start) / total, 2),
            "cues": hit,
        }
    order = [b for b in STAR_BEATS if beats[b]["found"]]
    return {"beats": beats, "order": order, "missing": [b for b in STAR_BEATS[:4] if not beats[b]["found"]]}


def _repeats(toks: list[Token], fillers: set[int]) -> dict[str, Any]:
    content = [t.norm for i, t in enumerate(toks) if i not in fillers]
    phrases: list[dict[str, Any]] = []
    taken: list[tuple[str, int]] = []
    for n in (4, 3, 2):
        grams = Counter(" ".join(content[i : i + n]) for i in range(len(content) - n + 1))
        for gram, count in grams.most_common():
            need = 3 if n == 2 else 2
            if count < need:
                break
            if all(w in STOPWORDS for w in gram.split()):
                continue
            if any(gram in longer and count <= c for longer, c in taken):
                continue
            taken.append((gram, count))
            phrases.append({"phrase": gram, "count": count})
    restarts = [
        {"word": toks[i].norm, "start": round(toks[i].start, 2)}
        for i in range(len(toks) - 1)
        if i not in fillers and toks[i].norm == toks[i + 1].norm and toks[i].norm not in VOCAL
    ]
    return {"phrases": phrases[:10], "restarts": restarts}


# -- the whole analysis ----------------------------------------------------------------------------------


def analyze(
    words: list[dict[str, Any]] | list[Any],
    duration_s: float,
    target: tuple[int, int] | list[int] | None = None,
) -> dict[str, Any]:
    toks = tokenize(words)
    minutes = duration_s / 60 if duration_s > 0 else 0.0
    hits = _detect_fillers(toks)
    filler_idx: dict[int, str] = {}
    for kind, a, b in hits:
        for i in range(a, b + 1):
            filler_idx[i] = kind
            toks[i].filler = kind
    by_type = Counter(kind for kind, _a, _b in hits)
    spoken = [t for t in toks if t.norm not in VOCAL]

    span = (toks[-1].end - toks[0].start) if toks else 0.0
    wpm = round(len(spoken) / span * 60, 1) if span >= 3.0 and spoken else None

    pauses = []
    for i in range(1, len(toks)):
        gap = toks[i].start - toks[i - 1].end
        if gap >= PAUSE_MIN_S:
            pauses.append(
                {
                    "start": round(toks[i - 1].end, 2),
                    "end": round(toks[i].start, 2),
                    "seconds": round(gap, 2),
                    "after": toks[i - 1].norm,
                    "before": toks[i].norm,
                    "word_index": i,
                }
            )

    norms = [t.norm for t in toks]
    hedge_starts = {a for kind, a, _b in hits if kind in ("kind of", "sort of")}
    hedges = _count_phrases(norms, tuple(h for h in HEDGES if h not in ("kind of", "sort of")))
    hedges.update(_count_phrases(norms, ("kind of", "sort of"), skip=hedge_starts))
    i_count = sum(1 for w in norms if w in I_WORDS)
    we_count = sum(1 for w in norms if w in WE_WORDS)
    numbers = _numbers(toks)
    star = _star(toks)
    repeats = _repeats(toks, set(filler_idx))

    filler_count = sum(by_type.values())
    duration: dict[str, Any] = {"seconds": round(duration_s, 1), "speaking_s": round(span, 1)}
    if target:
        lo, hi = int(target[0]), int(target[1])
        duration.update(target=[lo, hi], status="short" if span < lo else ("long" if span > hi else "ok"))

    warnings: list[str] = []
    if not toks:
        warnings.append("no speech found")
    else:
        if wpm is not None and wpm < PACE_WARN[0]:
            warnings.append(f"pace {wpm:.0f} wpm is slow (aim for {PACE_BAND[0]}–{PACE_BAND[1]})")
        elif wpm is not None and wpm > PACE_WARN[1]:
            warnings.append(f"pace {wpm:.0f} wpm is fast (aim for {PACE_BAND[0]}–{PACE_BAND[1]})")
        if minutes and filler_count / minutes > 6:
            warnings.append(f"{filler_count / minutes:.1f} fillers a minute (aim for under 3)")
        long_pauses = [p for p in pauses if p["seconds"] >= 3]
        if long_pauses:
            warnings.append(f"{len(long_pauses)} pause(s) of 3 s or more")
        if duration.get("status") == "short":
            warnings.append(f"{span:.0f} s is short for this question (target {target[0]}–{target[1]} s)")
        elif duration.get("status") == "long":
            warnings.append(f"{span:.0f} s is long for this question (target {target[0]}–{target[1]} s)")
        if we_count >= 5 and we_count > 1.5 * i_count:
            warnings.append(f"'we' {we_count}× against 'I' {i_count}×: say what you did")
        if not any(n["impact"] for n in numbers):
            warnings.append("no numbers with units: quantify the result")
        if star["missing"]:
            warnings.append("STAR beats not heard: " + ", ".join(star["missing"]))

    hedge_total = sum(hedges.values())
    return {
        "text": " ".join(t.raw for t in toks),
        "words": [
            {
                "text": t.raw,
                "start": round(t.start, 2),
                "end": round(t.end, 2),
                "filler": t.filler is not None,
                **({"filler_type": t.filler} if t.filler else {}),
                "prob": round(t.prob, 3),
            }
            for t in toks
        ],
        "fillers": {
            "count": filler_count,
            "per_minute": round(filler_count / minutes, 1) if minutes else 0.0,
            "share": round(filler_count / len(toks), 3) if toks else 0.0,
            "by_type": {k: by_type[k] for k in FILLER_TYPES if by_type[k]},
        },
        "wpm": wpm,
        "pauses": pauses,
        "duration": duration,
        "hedges": {
            "count": hedge_total,
            "per_minute": round(hedge_total / minutes, 1) if minutes else 0.0,
            "by_type": dict(hedges),
        },
        "i_we": {
            "i": i_count,
            "we": we_count,
            "i_share": round(i_count / (i_count + we_count), 2) if i_count + we_count else None,
        },
        "numbers": numbers,
        "star": star,
        "repeats": repeats,
        "warnings": warnings,
    }
