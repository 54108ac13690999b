"""A system-design answer analysed as one: requirements → architecture → scale → reliability → trade-offs.

Design answers name their parts with the domain's own words (latency, Kafka, partitions, replicas, "instead
of"), so each sentence is given the part whose vocabulary it uses most; a sentence that opens by naming
its part ("Requirements: …", "For reliability, …") is in that part. Ties go to the previous sentence's
part (a part goes on for several sentences), else to the part a well-ordered answer would be in by then.
Also counted: numbers that say what they measure (sizing is what separates a design from a sketch; a
bare "10k" or "under 50" is named back to the speaker) and trade-off language, said or not ("cheaper but
slower", "we give up X to get Y"). Warnings are one per problem, never about STAR beats: a part not heard
that has its own message (no numbers at all, no trade-off) is not listed again among the missing parts.
"""

from __future__ import annotations

from typing import Any

from prepdeck.recordings import lexicon as lx
from prepdeck.recordings import star as star_model

PARTS = ("requirements", "architecture", "scale", "reliability", "tradeoffs")
# the order `in_order` checks: sizing may come before the boxes or after them (both are usual)
RANK = {"requirements": 0, "architecture": 1, "scale": 1, "reliability": 2, "tradeoffs": 3}
SHOWN = {"tradeoffs": "trade-offs"}  # how a part is written for people
# fewer words than this cannot be judged as a design: one message says so instead of five
MIN_WORDS = 30
RUN_ON = 40  # words: a sentence this long is a spoken run-on, read clause by clause for the parts heard
# words after a number that say nothing about what it counts ("10k at peak", "under 50 and")
_NOT_A_NOUN = lx.STOPWORDS | {"at", "than", "which", "plus", "more", "less", "or", "so", "is", "are", "and"}
_OPERATORS = {"×", "x", "*", "/", "=", "times", "divided", "over", "top", "≈", "~", "+", "-"}
_RATE_WORDS = {"a", "an", "per", "every", "each"}


def _hits(text: str, phrases: tuple[str, ...]) -> int:
    return sum(f" {p} " in text for p in phrases)


def _signpost(toks: list[Any]) -> str | None:
    """The part a sentence names as its heading in its first five words: the name set off by punctuation
    ("Requirements:", "For reliability,", "start with requirements.") or followed by "is"/"wise"."""
    head = toks[:5]
    for k, t in enumerate(head):
        nxt = toks[k + 1].norm if k + 1 < len(toks) else ""
        if t.comma_after or t.sentence_end or nxt in ("is", "are", "wise"):
            part = next((p for p in PARTS if t.norm in lx.DESIGN_SIGNPOSTS[p]), None)
            if part:
                return part
    return None


def _clauses(toks: list[Any], a: int, b: int) -> list[tuple[int, int]]:
    cuts = [k for k in range(a, b) if toks[k].comma_after]
    return [(x, y) for x, y in zip([a, *(k + 1 for k in cuts)], [*cuts, b], strict=True)]


def _weighs(words: list[str]) -> bool:
    """A gain set against a cost with "but": "cheaper but slower", "costs memory, but we avoid…"."""
    return "but" in words and any(w in lx.TRADEOFF_WEIGHTS for w in words)


def _label(toks: list[Any], spans: list[tuple[int, int]]) -> tuple[list[str | None], int]:
    labels: list[str | None] = []
    tradeoffs = 0
    reached = 0
    for a, b in spans:
        words = [t.norm for t in toks[a : b + 1]]
        text = " " + " ".join(words) + " "
        scores = {part: _hits(text, lx.DESIGN_PARTS[part]) for part in PARTS}
        scores["tradeoffs"] += _weighs(words)
        tradeoffs += scores["tradeoffs"]
        scores["tradeoffs"] *= 2  # its phrases are specific; the others share the domain's nouns
        signposted = _signpost(toks[a : b + 1])
        top = max(scores.values())
        if signposted:
            label: str | None = signposted
        elif not top:
            label = None
        else:
            tied = [p for p in PARTS if scores[p] == top]
            previous = next((p for p in reversed(labels) if p), None)
            later = [p for p in tied if PARTS.index(p) >= reached]
            if "tradeoffs" in tied:  # its language is specific: it wins a tie
                label = "tradeoffs"
            else:
                label = previous if previous in tied else (later or tied)[0]
        if label:
            reached = max(reached, PARTS.index(label))
        labels.append(label)
    return labels, tradeoffs


def _number_words(toks: list[Any], numbers: list[dict[str, Any]]) -> tuple[int, list[str]]:
    """(how many numbers say what they measure, the bare ones as said). A number measures something when
    it has a unit, counts a noun ("200 daily pipelines"), or is a rate ("200M a day"); an operand of
    arithmetic ("50,000 × 1 KB", "× 365") and a "top 100" are neither."""
    at: dict[float, int] = {}
    for k, t in enumerate(toks):
        at.setdefault(round(t.start, 2), k)
    sized, bare = 0, []
    said: set[float] = set()  # values already given with a unit: "thirty days … well inside thirty"
    for num in numbers:
        i: int | None = at.get(num["start"])
        if num["unit"]:
            sized += 1
            said.add(num["value"])
            continue
        if i is None or num["value"] in said:
            continue
        j = i + len(num["text"].split()) - 1
        before = toks[i - 1].norm if i else ""
        after = toks[j + 1].norm if j + 1 < len(toks) else ""
        # the × and = signs are not words (tokenize drops them): a number next to a number is arithmetic
        if {before, after} & _OPERATORS or any(
            w[:1].isdigit() or w in lx.NUMBER_WORDS for w in (before, after)
        ):
            continue
        if 1900 <= num["value"] <= 2100 and "," not in num["text"]:
            continue  # a year
        ends = toks[j].comma_after or toks[j].sentence_end or not after
        if not ends and (after in _RATE_WORDS or after not in _NOT_A_NOUN):
            sized += 1
        else:
            bare.append(num["text"])
    return sized, bare


def _told_as_a_story(sentences: list[list[str]]) -> bool:
    """A past project told (I/we did, past tense) instead of a design for this prompt."""
    own = sum(1 for ws in sentences if (r := star_model.read(ws)).event and r.subject in ("i", "we"))
    return own >= max(2, 0.3 * len(sentences))


def analyze(
    toks: list[Any],
    spans: list[tuple[int, int]],
    numbers: list[dict[str, Any]],
    length: str | None = None,
) -> dict[str, Any]:
    """The `design` section: each sentence's part, the parts missing, order, sizing and trade-offs.
    `length`: a timed answer's verdict against its card's target ("short", "ok", "long"), which then
    decides and says whether it is too short; without it (a written answer) the word count does."""
    sentences = [[t.norm for t in toks[a : b + 1]] for a, b in spans]
    labels, tradeoffs = _label(toks, spans)
    # a spoken run-on holds several parts in one sentence ("…, reliability, Redis has a replica, …"): the
    # clauses of a long sentence are read too, for which parts were heard
    clauses = [c for a, b in spans if b - a >= RUN_ON for c in _clauses(toks, a, b)]
    heard = set(labels) | set(_label(toks, clauses)[0]) | ({"tradeoffs"} if tradeoffs else set())
    found = [p for p in PARTS if p in heard]
    order = list(dict.fromkeys(p for p in labels if p))
    firsts = [RANK[p] for p in order]
    sized, bare = _number_words(toks, numbers)
    missing = [p for p in PARTS if p not in found]
    spoken = sum(1 for t in toks if t.filler is None)
    too_short = 0 < spoken < MIN_WORDS and length in (None, "short")
    warnings: list[str] = []
    if too_short:
        if length is None:
            warnings.append(
                f"too short to judge as a design ({spoken} words): walk through the requirements, "
                "architecture, scale, reliability and trade-offs"
            )
    elif toks:
        if _told_as_a_story(sentences):
            warnings.append(
                "this tells what you did on a past project: design it for this prompt instead, "
                "from its requirements"
            )
        unsized = not sized and not bare
        listed = [p for p in missing if not (p == "tradeoffs" or (p == "scale" and unsized))]
        if listed:
            warnings.append("design parts not heard: " + ", ".join(SHOWN.get(p, p) for p in listed))
        if (
            "requirements" in order
            and "architecture" in order
            and order.index("requirements") > order.index("architecture")
        ):
            warnings.append("requirements came after the architecture: state them first")
        if unsized:
            warnings.append("no numbers with units: size it (events a day, GB, latency)")
        elif bare:
            shown = ", ".join(f"“{b}”" for b in bare[:4])
            warnings.append(
                f"numbers without a unit: {shown}: say what each measures (ms? GB? events a second?)"
            )
        if "tradeoffs" in missing:
            warnings.append("no trade-off named: say what you gave up and why")
    return {
        "sentences": [
            {"text": " ".join(t.raw for t in toks[a : b + 1]), "part": part}
            for (a, b), part in zip(spans, labels, strict=True)
        ],
        "parts": {p: {"found": p in found, "sentences": labels.count(p)} for p in PARTS},
        "order": order,
        "in_order": firsts == sorted(firsts),
        "missing": missing,
        "numbers_with_units": sized,
        "numbers_without_units": bare,
        "tradeoffs": tradeoffs,
        "too_short": too_short,
        "warnings": warnings,
    }
