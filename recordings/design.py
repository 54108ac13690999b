"""A design answer analysed as one: requirements → architecture → scale → reliability → trade-offs, or,
for a card that asks for a data model, grain → entities & keys → facts & dimensions → history →
partitioning & access, tests & late data → trade-offs (`frame(card)` decides which, from the card alone).

Design answers name their parts with the domain's own words (latency, Kafka, partitions, replicas, "instead
of"), so each sentence is given the part whose vocabulary it uses most; a sentence that opens by naming
its part ("Requirements: …", "For reliability, …") is in that part. Ties go to the previous sentence's
part (a part goes on for several sentences), else to the part a well-ordered answer would be in by then.
A model answer packs several parts in one line ("fct_trip, one row per trip: keys rider_key…; measures
fare…"), so a model part is heard wherever its words are; so is a part of an answer to a sub-question (a
card that asks one thing: `frame` says which parts it expects). Also counted: numbers that say what they
measure (sizing is what separates a design from a sketch; a bare "10k" or "under 50" is named back to
the speaker) and trade-off language, said or not ("cheaper but slower", "we give up X to get Y").
Warnings are one per problem, never about STAR beats: a part not heard that has its own message (no
numbers at all, no trade-off) is not listed again among the missing parts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from prepdeck.recordings import arithmetic
from prepdeck.recordings import lexicon as lx
from prepdeck.recordings import star as star_model

PARTS = ("requirements", "architecture", "scale", "reliability", "tradeoffs")
MODEL_PARTS = ("grain", "keys", "facts", "history", "access", "tests", "tradeoffs")
# how a part is written for people (the JSON keeps the key)
SHOWN = {
    "tradeoffs": "trade-offs",
    "keys": "entities & keys",
    "facts": "facts & dimensions",
    "history": "history (SCD)",
    "access": "partitioning & access",
    "tests": "tests & late data",
}
# fewer words than this cannot be judged as a design: one message says so instead of five
MIN_WORDS = 30
RUN_ON = 40  # words: a sentence this long is a spoken run-on, read clause by clause for the parts heard
# words after a number that say nothing about what it counts ("10k at peak", "under 50 and")
_NOT_A_NOUN = lx.STOPWORDS | {"at", "than", "which", "plus", "more", "less", "or", "so", "is", "are", "and"}
_OPERATORS = {"×", "x", "*", "/", "=", "times", "divided", "over", "top", "≈", "~", "+", "-"}
_RATE_WORDS = {"a", "an", "per", "every", "each"}
# units that measure how long or how much of a whole, not how much: not a volume
_NOT_VOLUMES = {*arithmetic.SECONDS, "days", "weeks", "months", "years", "%", "x"}
# a sentence with this many volumes in it sizes the design, whatever its main part ("Goal: … about 40
# services, 300 topics and a few changes a week")
VOLUMES_THAT_SIZE = 2
# a number after these names a kind, not an amount: "SCD type 2", "tier 1", "version 3"; or is the value of
# a setting: "replication factor 3", "min ISR 2", "retries 5" (a dotted or snake_case name too:
# "min.insync.replicas 2", "max_active_runs 4")
_LABELS = {"type", "tier", "level", "version", "v", "step", "phase", "layer", "nf", "option", "p", "factor",
           "replication", "replicas", "isr", "retries", "acks", "concurrency", "parallelism"}  # fmt: skip


@dataclass(frozen=True)
class Structure:
    """The parts one kind of answer is read for, in the order a well-told answer gives them."""

    name: str  # "system" or "model": the JSON's `design.structure`
    noun: str  # how messages name the answer: "design", "model"
    parts: tuple[str, ...]
    rank: dict[str, int]  # the order `in_order` checks (equal ranks: either order is usual)
    vocabulary: dict[str, tuple[str, ...]]
    signposts: dict[str, tuple[str, ...]]
    everywhere: bool  # a part is heard wherever its words are, not only as a sentence's main part
    # parts named as a heading by "X is …" too ("Reliability is …", "The grain is …"); "Facts are
    # partitioned by date" is not a heading
    heads_with_is: frozenset[str]


# sizing may come before the boxes or after them (both are usual)
SYSTEM = Structure(
    "system",
    "design",
    PARTS,
    {"requirements": 0, "architecture": 1, "scale": 1, "reliability": 2, "tradeoffs": 3},
    lx.DESIGN_PARTS,
    lx.DESIGN_SIGNPOSTS,
    everywhere=False,
    heads_with_is=frozenset(PARTS),
)
MODEL = Structure(
    "model",
    "model",
    MODEL_PARTS,
    {"grain": 0, "keys": 1, "facts": 1, "history": 2, "access": 2, "tests": 2, "tradeoffs": 3},
    lx.MODEL_PARTS,
    lx.MODEL_SIGNPOSTS,
    everywhere=True,
    heads_with_is=frozenset({"grain"}),
)
RANK = SYSTEM.rank


@dataclass(frozen=True)
class Frame:
    """What a design card asks of its answer: the structure it is read in and whether it must be sized."""

    structure: Structure = SYSTEM
    sized: bool = (
        True  # "no numbers with units" is said only when sizing is asked (and a model's bare numbers)
    )
    expected: tuple[str, ...] | None = None  # the parts asked for; None: the structure's every part
    # a card sized in times only (a latency budget): its durations are its sizes
    timed: bool = False


def _card_text(card: Any, *fields: str) -> str:
    parts = [getattr(card, f, None) for f in fields]
    text = " ".join(x if isinstance(x, str) else " ".join(x or ()) for x in parts)
    return " " + " ".join(re.findall(r"[a-z0-9]+(?:[-'][a-z0-9]+)*", text.lower())) + " "


def frame(card: Any) -> Frame:
    """The frame of a design card's answer, decided here only, from what any deck's card has (built-in or
    a user's). A card whose title or prompt asks for a data model (grain, facts and dimensions, SCD, "Model
    the …", "give the tables"), or tagged as modeling with a prompt that names tables, keys or a schema, is
    read as a model (`_model_frame`); any other as a system design, whole or a sub-question
    (`_system_frame`)."""
    if card is None:
        return Frame()
    asked = _card_text(card, "title", "prompt")
    tags = {t.lower() for t in getattr(card, "tags", ()) or ()}
    cued = _hits(asked, lx.MODEL_CUES)
    tagged = bool(tags & lx.MODEL_TAGS) and _hits(asked, ("table", "tables", "keys", "schema", "model"))
    return _model_frame(card) if cued or tagged else _system_frame(card)


def _model_frame(card: Any) -> Frame:
    """A model is asked for numbers when its prompt gives a volume to design for ("~1 B events/day") or the
    card's own answer computes, and for its partitioning, its tests (invariants, deduplication, late data:
    named twice) and its trade-offs only when the card's own answer or checklist gives them: the grain, keys, facts and
    history are every model's."""
    from prepdeck.recordings.analysis import analyze_text  # here: analysis imports this module

    back = _card_text(card, "answer", "checklist")
    prompt = analyze_text(getattr(card, "prompt", None) or "", "design")["numbers"]
    sized = (
        bool(re.search(r"\d\s*(?:×|x\s*\d)", getattr(card, "answer", None) or ""))
        or _hits(back, ("arithmetic", "row count", "rows per day", "rows a day", "sizing")) > 0
        or any(num["unit"] and num["unit"].split("/")[0] not in _NOT_VOLUMES for num in prompt)
    )
    optional = {
        "access": lx.MODEL_LAYOUT,
        "tests": lx.MODEL_PARTS["tests"],
        "tradeoffs": lx.MODEL_PARTS["tradeoffs"],
    }
    # tests are asked for when the back dwells on them (two of their words): "revenue reconciles with
    # finance" alone says what a fact is for, not how the loads are checked
    least = {"tests": 2}
    expected = tuple(
        p for p in MODEL_PARTS if p not in optional or _hits(back, optional[p]) >= least.get(p, 1)
    )
    return Frame(MODEL, sized=sized, expected=expected)


def _asks_whole(prompt: str) -> bool:
    """Whether a prompt asks for a whole design: a design verb as its ask ("Design a …", "Plan the
    backfill", "how would you build …"), not as a noun ("the fraud design")."""
    text = " ".join(re.findall(r"[a-z0-9]+(?:[-'][a-z0-9]+)*", prompt.lower()))
    if _hits(f" {text} ", lx.WHOLE_DESIGN_PHRASES):
        return True
    for sentence in re.split(r"[.?!:;\n]+", prompt.lower()):
        words = re.findall(r"[a-z0-9]+(?:[-'][a-z0-9]+)*", sentence)
        while words and words[0] in ("please", "now", "then", "so", "first", "and"):
            words = words[1:]
        before = ("you", "to", "would", "and", "then", "we", "i", "please", "can", "could", "should")
        if any(
            w in lx.WHOLE_DESIGN_VERBS and (k == 0 or words[k - 1] in before) for k, w in enumerate(words)
        ):
            return True
    return False


def _shown_in_back(card: Any) -> tuple[set[str], int, bool]:
    """The parts the card's own answer and checklist dwell on (two lines or more, and a third as many as
    their main part), how many figures with a unit they give, and whether all of them are durations."""
    from prepdeck.recordings.analysis import analyze_text  # here: analysis imports this module

    back = "\n".join([getattr(card, "answer", None) or "", *(getattr(card, "checklist", None) or ())])
    result = analyze_text(back, "design")
    design = result["design"]
    parts = [s["part"] for s in design["sentences"]]
    most = max((parts.count(p) for p in PARTS), default=0)
    units = [n["unit"].split("/")[0] for n in result["numbers"] if n["unit"]]
    timed = bool(units) and all(u in arithmetic.SECONDS or u in _NOT_VOLUMES for u in units)
    # a part the answer dwells on: two lines or more, and a third as many as its main part
    return {p for p in PARTS if parts.count(p) >= max(2, most / 3)}, design["numbers_with_units"], timed


def _system_frame(card: Any) -> Frame:
    """A prompt that asks for a whole design expects every part. A sub-question ("How do you guarantee
    exactly-once?", "Work out the volume…", "What do you alert on?") expects what it asks — the parts it names
    ("state your assumptions": requirements), the sizing for an estimate, the trade-offs for a choice — and
    the other parts the card's own answer spends two lines on; with none of these, every part."""
    prompt = re.sub(r'"[^"]*"|“[^”]*”', " ", getattr(card, "prompt", None) or "")  # quoted: the interviewer
    if _asks_whole(prompt):
        return Frame()
    words = _card_text(type("Prompt", (), {"prompt": prompt})(), "prompt")
    named = {p for p in PARTS if _hits(words, SYSTEM.signposts[p])}
    named |= {"scale"} if _hits(words, lx.ESTIMATE_ASKS) else set()
    # a choice: asked in words ("decide", "which", "vs") or as a question with "or" ("Embed it or call a server?")
    choice = _hits(words, lx.CHOICE_ASKS) or any(" or " in q for q in re.findall(r"[^.?!]*\?", prompt))
    named |= {"tradeoffs"} if choice else set()
    # the answer's own lines: not its trade-offs (a list of questions "X or Y?" reads as weighing)
    shown, figures, timed = _shown_in_back(card)
    named |= shown - {"tradeoffs"}
    expected = tuple(p for p in PARTS if p in named) or None
    # numbers are asked for by an estimate, or by an answer that gives its own ("130 TB for 30 days")
    sized = expected is None or _hits(words, lx.ESTIMATE_ASKS) > 0 or figures >= 2
    return Frame(expected=expected, sized=sized, timed=timed)


def _hits(text: str, phrases: tuple[str, ...]) -> int:
    return sum(f" {p} " in text for p in phrases)


def _signpost(toks: list[Any], structure: Structure) -> str | None:
    """The part a sentence names as its heading in its first five words: the name set off by punctuation
    ("Requirements:", "For reliability,", "start with requirements.") or followed by "is"/"wise"."""
    head = toks[:5]
    for k, t in enumerate(head):
        nxt = toks[k + 1].norm if k + 1 < len(toks) else ""
        set_off = t.comma_after or t.sentence_end
        # "Volume-wise, …": hyphenated words stay one word
        name, wise = (t.norm[:-5], True) if t.norm.endswith("-wise") else (t.norm, False)
        if set_off or wise or nxt in ("is", "are", "wise"):
            part = next((p for p in structure.parts if name in structure.signposts[p]), None)
            if part and (set_off or wise or part in structure.heads_with_is):
                return part
    return None


def _clauses(toks: list[Any], a: int, b: int) -> list[tuple[int, int]]:
    cuts = [k for k in range(a, b) if toks[k].comma_after]
    return [(x, y) for x, y in zip([a, *(k + 1 for k in cuts)], [*cuts, b], strict=True)]


def _weighs(words: list[str]) -> bool:
    """A gain set against a cost with "but": "cheaper but slower", "costs memory, but we avoid…"."""
    return "but" in words and any(w in lx.TRADEOFF_WEIGHTS for w in words)


_MEASURE_NAMES = {"amount", "amt", "qty", "quantity", "price", "revenue"}


def _shapes(words: list[str]) -> list[str]:
    """The words, with what a column or table name says by its shape: "rider_key" is a key column,
    "amount_minor" a measure, "fct_trip" a fact table, "dim_city" a dimension table."""
    out = []
    for w in words:
        out.append(w)
        if "_" in w:
            if re.search(r"_(key|id|sk|uuid)$", w):
                out += ["key", "column"]
            if set(w.split("_")) & _MEASURE_NAMES:
                out += ["measure"]  # "amount_minor", "net_revenue", "qty_sold": a fact's measure
            if w.startswith(("fct_", "fact_")):
                out += ["fact", "table"]
            elif w.startswith("dim_"):
                out += ["dimension", "table"]
    return out


def _label(
    toks: list[Any], spans: list[tuple[int, int]], structure: Structure = SYSTEM
) -> tuple[list[str | None], int, set[str]]:
    """Each span's part, how often trade-off language was used, and every part whose words were used."""
    parts = structure.parts
    labels: list[str | None] = []
    tradeoffs = 0
    reached = 0
    used: set[str] = set()
    for a, b in spans:
        words = [t.norm for t in toks[a : b + 1]]
        text = " " + " ".join(_shapes(words)) + " "
        scores = {part: _hits(text, structure.vocabulary[part]) for part in parts}
        scores["tradeoffs"] += _weighs(words)
        if "scale" in scores:
            scores["scale"] = max(0, scores["scale"] - _hits(text, lx.FREQUENCIES))
        tradeoffs += scores["tradeoffs"]
        used |= {p for p in parts if scores[p]}
        scores["tradeoffs"] *= 2  # its phrases are specific; the others share the domain's nouns
        signposted = _signpost(toks[a : b + 1], structure)
        top = max(scores.values())
        if signposted:
            label: str | None = signposted
        elif not top:
            label = None
        else:
            tied = [p for p in parts if scores[p] == top]
            previous = next((p for p in reversed(labels) if p), None)
            later = [p for p in tied if parts.index(p) >= reached]
            if "tradeoffs" in tied:  # its language is specific: it wins a tie
                label = "tradeoffs"
            else:
                label = previous if previous in tied else (later or tied)[0]
        if label:
            reached = max(reached, parts.index(label))
        labels.append(label)
    return labels, tradeoffs, used


def _number_words(toks: list[Any], numbers: list[dict[str, Any]]) -> tuple[int, list[str], list[int]]:
    """(how many numbers say what they measure, the bare ones as said, where the volumes are). A number
    measures something when it has a unit, counts a noun ("200 daily pipelines"), or is a rate ("200M a
    day"); an operand of arithmetic ("50,000 × 1 KB", "× 365") and a "top 100" are neither. A volume is a
    measure of how much (bytes, events, rows, tables, a rate), not of how long ("a 30-day window", "1 hour
    stale") or a percentage: the tokens where volumes are said."""
    at: dict[float, int] = {}
    for k, t in enumerate(toks):
        at.setdefault(round(t.start, 2), k)
    sized, bare, volumes = 0, [], []
    said: set[float] = set()  # values already given with a unit: "thirty days … well inside thirty"
    for num in numbers:
        i: int | None = at.get(num["start"])
        if num["unit"] in ("rows", "records") and num["value"] == 1:
            continue  # "one row per loan": a grain, not a size
        if num["unit"]:
            sized += 1
            said.add(num["value"])
            if i is not None and num["unit"] not in _NOT_VOLUMES:
                volumes.append(i)
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
        if before in _LABELS or (before[:1].isalpha() and ("." in before or "_" in before)):
            continue  # "SCD type 2": a kind, not an amount; "replication factor 3": a setting
        if _counted_by_heading(toks, i):
            sized += 1  # "Partitions: … the minimum is 10": the heading says what it counts
            said.add(num["value"])
            volumes.append(i)
            continue
        ends = toks[j].comma_after or toks[j].sentence_end or not after
        if not ends and (after in _RATE_WORDS or after not in _NOT_A_NOUN):
            sized += 1
            volumes.append(i)
        else:
            bare.append(num["text"])
    return sized, bare, volumes


def _counted_by_heading(toks: list[Any], i: int) -> bool:
    """Whether the number at `i` is in a sentence headed by what it counts: a plural noun set off by a colon
    that names no part ("Partitions: …", "Brokers: 6"; not "Requirements: …")."""
    s = i
    while s > 0 and not toks[s].sentence_start:
        s -= 1
    head = toks[s]
    signposts = {w for ws in (*lx.DESIGN_SIGNPOSTS.values(), *lx.MODEL_SIGNPOSTS.values()) for w in ws}
    return (
        s < i
        and head.raw.rstrip().endswith(":")
        and head.norm.isalpha()
        and head.norm.endswith("s")
        and not head.norm.endswith("ss")
        and head.norm not in signposts
    )


def _told_as_a_story(sentences: list[list[str]]) -> bool:
    """A past project told (I/we did, past tense) instead of a design for this prompt."""
    own = sum(1 for ws in sentences if (r := star_model.read(ws)).event and r.subject in ("i", "we"))
    return own >= max(2, 0.3 * len(sentences))


def analyze(
    toks: list[Any],
    spans: list[tuple[int, int]],
    numbers: list[dict[str, Any]],
    length: str | None = None,
    frame: Frame | None = None,
) -> dict[str, Any]:
    """The `design` section: each sentence's part, the parts missing, order, sizing and trade-offs.
    `length`: a timed answer's verdict against its card's target ("short", "ok", "long"), which then
    decides and says whether it is too short; without it (a written answer) the word count does.
    `frame`: what the card asks (`frame(card)`); without one, a system design that is sized."""
    frame = frame or Frame()
    structure = frame.structure
    parts = structure.parts
    sentences = [[t.norm for t in toks[a : b + 1]] for a, b in spans]
    labels, tradeoffs, used = _label(toks, spans, structure)
    # a spoken run-on holds several parts in one sentence ("…, reliability, Redis has a replica, …"): the
    # clauses of a long sentence are read too, for which parts were heard
    clauses = [c for a, b in spans if b - a >= RUN_ON for c in _clauses(toks, a, b)]
    heard = set(labels) | set(_label(toks, clauses, structure)[0]) | ({"tradeoffs"} if tradeoffs else set())
    if structure.everywhere or frame.expected is not None:
        heard |= used  # a model, or a sub-question: a part is heard wherever its words are
    sized, bare, volumes = _number_words(toks, numbers)
    if structure is SYSTEM:
        per_sentence = [sum(a <= i <= b for i in volumes) for a, b in spans]
        if any(n >= VOLUMES_THAT_SIZE for n in per_sentence):
            heard.add("scale")
        if frame.sized and not frame.timed and not volumes and not bare:
            # sizing talk with no volume ("partitioned by date", "a TTL of 2 days") has not sized it (bare
            # numbers have their own message)
            heard.discard("scale")
    found = [p for p in parts if p in heard]
    order = list(dict.fromkeys(p for p in labels if p))
    firsts = [structure.rank[p] for p in order]
    if not frame.sized and structure is MODEL:
        bare = []  # a model not asked to be sized: its numbers are kinds and codes ("type 2", "3NF")
    expected = parts if frame.expected is None else frame.expected
    missing = [p for p in parts if p not in found and p in expected]
    sums = arithmetic.check(toks, spans, numbers)
    spoken = sum(1 for t in toks if t.filler is None)
    too_short = 0 < spoken < MIN_WORDS and length in (None, "short")
    warnings: list[str] = []
    if too_short:
        if length is None:
            *most, last = [SHOWN.get(p, p) for p in expected]
            walk = f"{', '.join(most)} and {last}" if most else last
            warnings.append(
                f"too short to judge as a {structure.noun} ({spoken} words): walk through the {walk}"
            )
    elif toks:
        if _told_as_a_story(sentences):
            warnings.append(
                f"this tells what you did on a past project: {structure.noun} it for this prompt instead, "
                f"from its {parts[0]}"
            )
        unsized = frame.sized and not sized and not bare
        listed = [p for p in missing if not (p == "tradeoffs" or (p == "scale" and unsized))]
        if listed:
            warnings.append(
                f"{structure.noun} parts not heard: " + ", ".join(SHOWN.get(p, p) for p in listed)
            )
        if "requirements" in order:
            # what a whole design must do frames everything after it: said after any other part, it is
            # late; a sub-question's assumptions may follow its sums, not its boxes
            before = order[: order.index("requirements")]
            late = before[:1] if frame.expected is None else [p for p in before if p == "architecture"]
            if late:
                warnings.append(
                    f"requirements came after the {SHOWN.get(late[0], late[0])}: state them first"
                )
        if unsized:
            warnings.append("no numbers with units: size it (events a day, GB, latency)")
        elif bare:
            shown = ", ".join(f"“{b}”" for b in bare[:4])
            warnings.append(
                f"numbers without a unit: {shown}: say what each measures (ms? GB? events a second?)"
            )
        if "tradeoffs" in missing:
            warnings.append("no trade-off named: say what you gave up and why")
    wrong = arithmetic.message(sums)
    if wrong:  # a wrong figure is its own problem, whatever the answer's length or structure
        warnings.append(wrong)
    return {
        "structure": structure.name,
        "sentences": [
            {"text": " ".join(t.raw for t in toks[a : b + 1]), "part": part}
            for (a, b), part in zip(spans, labels, strict=True)
        ],
        "parts": {
            p: {"found": p in found, "sentences": labels.count(p), "expected": p in expected} for p in parts
        },
        "order": order,
        "in_order": firsts == sorted(firsts),
        "missing": missing,
        "numbers_with_units": sized,
        "numbers_without_units": bare,
        "tradeoffs": tradeoffs,
        "arithmetic": sums,
        "too_short": too_short,
        "warnings": warnings,
    }
