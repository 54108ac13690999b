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

STAR beats (recordings/star.py): each sentence gets a beat from what it says and where it stands, with
a Viterbi pass over the sentences; `quantified_result` is whether a result sentence measures something.
A design answer (`kind="design"`) gets the design analysis (recordings/design.py) instead, with no STAR
warnings. Word lists live in recordings/lexicon.py.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from prepdeck.recordings import design as design_model
from prepdeck.recordings import star as star_model
from prepdeck.recordings.lexicon import (
    CLAUSE_VERBS,
    DETERMINERS,
    DOMAIN_NOUNS,
    FILLER_TYPES,
    HEDGES,
    I_WORDS,
    KNOW_COMPLEMENT,
    KNOW_NOT_BEFORE,
    LIKE_COMPARE_BEFORE,
    LIKE_VERB_BEFORE,
    MEAN_COMPLEMENT,
    MEAN_NOT_BEFORE,
    NUMBER_WORDS,
    OBJECT_STARTERS,
    RIGHT_NOT_NEXT,
    SCALE_WORDS,
    SIZE_UNITS,
    SO_NOT_AFTER,
    SO_NOT_BEFORE,
    STOPWORDS,
    TECH_TERMS,
    UH_SOUNDS,
    UM_SOUNDS,
    UNITS,
    VOCAL,
    WE_WORDS,
)  # fmt: skip
from prepdeck.recordings.quantities import quantities

PACE_BAND = (130, 160)
PACE_WARN = (110, 180)
PAUSE_MIN_S = 1.0
SENTENCE_GAP_S = 0.8

STAR_BEATS = star_model.BEATS
__all__ = ["TECH_TERMS", "analyze", "analyze_text", "sentences", "tokenize"]


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


# "e.g." and "vs." never end a sentence; "a.m." or "approx." only before a capital ("by 9 a.m. the load…")
_ARROWS = {"→", "->", "-->", "=>", "⇒", "⟶"}
_NEVER_ENDS = {"e.g.", "i.e.", "vs.", "cf.", "viz.", "eg.", "ie."}
_ABBREVIATIONS = {
    "a.m.",
    "p.m.",
    "approx.",
    "etc.",
    "mr.",
    "mrs.",
    "ms.",
    "dr.",
    "min.",
    "sec.",
    "no.",
    "est.",
}


def _ends_sentence(raw: str, nxt: str) -> bool:
    if not raw.endswith((".", "?", "!")):
        return False
    if raw.endswith(".."):  # an abbreviation at the end of a typed line (analyze_text adds the stop)
        return True
    word = raw.lower().lstrip("(\"'“‘")
    if word in _NEVER_ENDS:
        return False
    return word not in _ABBREVIATIONS or nxt[:1].isupper()


def tokenize(words: list[dict[str, Any]] | list[Any]) -> list[Token]:
    toks: list[Token] = []
    for w in words:
        get = w.get if isinstance(w, dict) else (lambda k, d=None, w=w: getattr(w, k, d))
        raw = str(get("text", "")).strip()
        norm = "to" if raw.rstrip(".,;:") in _ARROWS else _norm(raw)  # "3 h → 40 min" reads "3 h to 40 min"
        if not norm:
            if raw.startswith("%") and toks:  # Whisper sometimes times "40%" as "40" + "%"
                toks[-1].raw += raw
                toks[-1].norm += "%"
                toks[-1].end = float(get("end", toks[-1].end))
            elif raw and toks:  # "→", "-": kept in the sentence's text, not a word of its own
                toks[-1].raw += " " + raw
            continue
        toks.append(
            Token(raw, norm, float(get("start", 0.0)), float(get("end", 0.0)), float(get("prob", 1.0) or 1.0))
        )
    toks.sort(key=lambda t: (t.start, t.end))
    for i, t in enumerate(toks):
        t.comma_after = t.raw.rstrip().endswith((",", ";", ":", "—", "-"))
        t.question = t.raw.rstrip().endswith("?")
        t.sentence_end = _ends_sentence(t.raw.rstrip(), toks[i + 1].raw if i + 1 < len(toks) else "")
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


def _word_value(norm: str) -> float | None:
    """A number word, hyphenated ones too ("twenty-four" stays one word): its value, else None."""
    parts = norm.split("-")
    if all(p in NUMBER_WORDS for p in parts) and len(parts) <= 2:
        return float(sum(NUMBER_WORDS[p] for p in parts))
    return None


def _unit(norm: str) -> str:
    """The unit a word names: "GB", "events", "MB/s" (a unit per something), or ""."""
    units = UNITS | SIZE_UNITS
    if norm in units:
        return units[norm]
    left, _, right = norm.partition("/")
    return f"{units[left]}/{right}" if right and left in units else ""


def _counts(norm: str) -> bool:
    """Whether a word names things counted ("events", "rows/day"), not a size or a duration."""
    unit = _unit(norm).split("/")[0]
    return bool(unit) and unit not in SIZE_UNITS.values() and unit.isalpha() and unit.islower()


# after a figure, "10 M events", "3 bn rows": millions and billions written short
_SCALES = {**SCALE_WORDS, "m": 1e6, "mn": 1e6, "bn": 1e9}


def _numbers(toks: list[Token]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    i, n = 0, len(toks)
    while i < n:
        t = toks[i]
        m = re.fullmatch(
            r"(\$)?(\d[\d,]*(?:\.\d+)?)(%|x|k|m|b|ms|s|gb|tb|mb|pb|kb|tib|gib)?(/[a-z]+)?", t.norm
        )
        value: float | None = None
        unit = ""
        j = i
        head, _, tail = t.norm.partition("-")  # "one-gigabyte": a number word joined to its unit
        if m:
            value = float(m.group(2).replace(",", ""))
            suffix = (m.group(3) or "").lower()
            if suffix in ("k", "m", "b"):
                value *= {"k": 1e3, "m": 1e6, "b": 1e9}[suffix]
            elif suffix:
                unit = _unit(suffix) or suffix.upper()
            if m.group(4) and unit:
                unit += m.group(4)
            if m.group(1):
                unit = "$"
        elif tail and head in NUMBER_WORDS and _unit(tail):
            value, unit = float(NUMBER_WORDS[head]), _unit(tail)
        elif _word_value(t.norm) is not None and not (
            t.norm == "one"
            and (i + 1 >= n or (not _unit(toks[i + 1].norm) and toks[i + 1].norm not in SCALE_WORDS))
        ):
            value, j = _words_number(toks, i)
        elif (
            t.norm in ("a", "an")
            and i + 1 < n
            and toks[i + 1].norm in ("hundred", "thousand", "million", "billion")
        ):
            value, j = _words_number(toks, i)  # "a hundred terabytes"
        if value is None:
            i += 1
            continue
        while m and j + 1 < n and toks[j + 1].norm in _SCALES:
            value *= _SCALES[toks[j + 1].norm]
            j += 1
        # "1 B events/day": a B before what it counts is billions, not bytes
        if m and not unit and j + 2 < n and toks[j + 1].norm == "b" and _counts(toks[j + 2].norm):
            value *= 1e9
            j += 1
        if not unit and j + 1 < n and _unit(toks[j + 1].norm):
            unit = _unit(toks[j + 1].norm)
            j += 1
        text = " ".join(x.raw.strip(",.;:!?") for x in toks[i : j + 1])
        found.append(
            {"text": text, "value": value, "unit": unit, "start": round(t.start, 2), "impact": bool(unit)}
        )
        i = j + 1
    return found


def _words_number(toks: list[Token], i: int) -> tuple[float, int]:
    """A number said in words from toks[i]: "four hundred thirty", "one thousand four hundred forty",
    "a hundred thousand"; (its value, the index of its last word)."""
    total, current, j = 0.0, 0.0, i - 1
    while j + 1 < len(toks):
        w = toks[j + 1].norm
        value = _word_value(w)
        tens = current % 100 >= 20 and current % 10 == 0  # "eighty six", "four hundred thirty two"
        if value is not None and value < 100 and (current % 100 == 0 or current < 20 <= value or tens):
            if current % 100 and value >= 10:
                break  # "five ten": two numbers, not one
            current += value
        elif w == "point" and j >= i and (decimals := _decimals(toks, j + 2)):
            fraction, j = decimals  # "four point three terabytes"
            return total + current + fraction, j
        elif w in ("a", "an") and j + 1 == i:
            current = 1.0
        elif w == "hundred" and j >= i:
            current = (current or 1.0) * 100
        elif w in ("thousand", "million", "billion") and j >= i:
            total += (current or 1.0) * SCALE_WORDS[w]
            current = 0.0
        else:
            break
        j += 1
        if toks[j].comma_after or toks[j].sentence_end:
            break
    return total + current, j


def _decimals(toks: list[Token], k: int) -> tuple[float, int] | None:
    """The digits said after "point" from toks[k] ("three", "three two"): (their value, the last index)."""
    digits = ""
    while (
        k < len(toks) and (v := _word_value(toks[k].norm)) is not None and v < 10 and "-" not in toks[k].norm
    ):
        digits += str(int(v))
        if toks[k].comma_after or toks[k].sentence_end:
            k += 1
            break
        k += 1
    return (float("0." + digits), k - 1) if digits else None


def sentences(toks: list[Token]) -> list[tuple[int, int]]:
    """(first, last) token index of each sentence: Whisper's punctuation, or a silence of 0.8 s."""
    spans, begin = [], 0
    for i, t in enumerate(toks):
        if i > begin and t.sentence_start:
            spans.append((begin, i - 1))
            begin = i
    if toks:
        spans.append((begin, len(toks) - 1))
    return spans


def _star(toks: list[Token], spans: list[tuple[int, int]], timed: bool) -> tuple[dict[str, Any], bool]:
    """The `star` section and whether the result is quantified (a result sentence measures something)."""
    words = [[t.norm for t in toks[a : b + 1]] for a, b in spans]
    beats_of, story = star_model.label(words)
    t0 = toks[0].start if toks else 0.0
    t_end = toks[-1].end if toks else 0.0
    total = max(t_end - t0, 1e-6)
    beats: dict[str, Any] = {}
    for beat in STAR_BEATS:
        idx = [s for s, b in enumerate(beats_of) if b == beat]
        entry: dict[str, Any] = {"found": bool(idx), "sentences": len(idx)}
        if timed:
            entry["seconds"] = 0.0
        if idx and timed:  # from its first sentence to the start of the next beat's
            after = next((s for s in range(idx[0] + 1, len(spans)) if beats_of[s] not in (beat, None)), None)
            start = toks[spans[idx[0]][0]].start
            end = toks[spans[after][0]].start if after is not None else t_end
            entry.update(
                seconds=round(end - start, 1),
                start=round(start, 2),
                end=round(end, 2),
                share=round((end - start) / total, 2),
            )
        beats[beat] = entry
    order = list(dict.fromkeys(b for b in beats_of if b))
    # what one would do, or usually does, has no result that happened to measure
    quantified = story and any(
        b == "result" and quantities(ws) for b, ws in zip(beats_of, words, strict=True)
    )
    section = {
        "story": story,
        "sentences": [
            {"text": " ".join(t.raw for t in toks[a : b + 1]), "beat": beat}
            for (a, b), beat in zip(spans, beats_of, strict=True)
        ],
        "beats": beats,
        "order": order,
        "missing": [b for b in STAR_BEATS[:4] if not beats[b]["found"]],
    }
    return section, quantified


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


def _pronouns(toks: list[Token]) -> tuple[int, int]:
    """I and we counts; "US" in capitals is the country (a US region), not "us"."""
    i_count = sum(1 for t in toks if t.norm in I_WORDS)
    we_count = sum(1 for t in toks if t.norm in WE_WORDS and t.raw.strip(",.;:!?\"'()") != "US")
    return i_count, we_count


def analyze(
    words: list[dict[str, Any]] | list[Any],
    duration_s: float,
    target: tuple[int, int] | list[int] | None = None,
    kind: str = "star",
    timed: bool = True,
    frame: design_model.Frame | None = None,
) -> dict[str, Any]:
    """The analysis of one answer. `kind` "design" gives the design analysis instead of STAR, read in the
    card's `frame` (recordings/design.py `frame(card)`); `timed` False (a written answer) leaves out what
    only audio has: pace, pauses, durations, per-minute rates."""
    toks = tokenize(words)
    minutes = duration_s / 60 if duration_s > 0 and timed else 0.0
    hits = _detect_fillers(toks)
    filler_idx: dict[int, str] = {}
    for filler_kind, a, b in hits:
        for i in range(a, b + 1):
            filler_idx[i] = filler_kind
            toks[i].filler = filler_kind
    by_type = Counter(filler_kind for filler_kind, _a, _b in hits)
    spoken = [t for t in toks if t.norm not in VOCAL]

    span = (toks[-1].end - toks[0].start) if toks else 0.0
    wpm = round(len(spoken) / span * 60, 1) if span >= 3.0 and spoken else None

    pauses: list[dict[str, Any]] = []
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
    hedge_starts = {a for filler_kind, a, _b in hits if filler_kind in ("kind of", "sort of")}
    hedges = _count_phrases(norms, tuple(h for h in HEDGES if h not in ("kind of", "sort of")))
    hedges.update(_count_phrases(norms, ("kind of", "sort of"), skip=hedge_starts))
    i_count, we_count = _pronouns(toks)
    numbers = _numbers(toks)
    spans = sentences(toks)
    repeats = _repeats(toks, set(filler_idx))

    filler_count = sum(by_type.values())
    duration: dict[str, Any] = {"seconds": round(duration_s, 1), "speaking_s": round(span, 1)}
    lo, hi = (int(target[0]), int(target[1])) if target else (0, 0)
    if target:
        duration.update(target=[lo, hi], status="short" if span < lo else ("long" if span > hi else "ok"))

    out: dict[str, Any] = {"kind": "design" if kind == "design" else "star"}
    warnings: list[str] = []
    if kind == "design":
        length = duration.get("status") if timed else None
        out["design"] = design_model.analyze(toks, spans, numbers, length=length, frame=frame)
    else:
        out["star"], out["quantified_result"] = _star(toks, spans, timed)
    if not toks:
        warnings.append("no speech found" if timed else "no text found")
    else:
        if timed and wpm is not None and wpm < PACE_WARN[0]:
            warnings.append(f"pace {wpm:.0f} wpm is slow (aim for {PACE_BAND[0]}–{PACE_BAND[1]})")
        elif timed and wpm is not None and wpm > PACE_WARN[1]:
            warnings.append(f"pace {wpm:.0f} wpm is fast (aim for {PACE_BAND[0]}–{PACE_BAND[1]})")
        if minutes and filler_count / minutes > 6:
            warnings.append(f"{filler_count / minutes:.1f} fillers a minute (aim for under 3)")
        long_pauses = [p for p in pauses if p["seconds"] >= 3]
        if timed and long_pauses:
            warnings.append(f"{len(long_pauses)} pause(s) of 3 s or more")
        if timed and target and duration.get("status") == "short":
            warnings.append(f"{span:.0f} s is short for this question (target {target[0]}–{target[1]} s)")
        elif timed and target and duration.get("status") == "long":
            warnings.append(f"{span:.0f} s is long for this question (target {target[0]}–{target[1]} s)")
        if kind == "design":
            warnings += out["design"]["warnings"]
        else:
            warnings += _star_warnings(out["star"], out["quantified_result"], i_count, we_count)

    hedge_total = sum(hedges.values())
    out.update(
        {
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
            "repeats": repeats,
            "warnings": warnings,
        }
    )
    if not timed:  # a written answer: no audio figures (docs/cli.md, `analyze --json`)
        for key in ("wpm", "pauses", "duration"):
            out.pop(key)
        out["fillers"].pop("per_minute")
        out["hedges"].pop("per_minute")
        for w in out["words"]:
            w.pop("start"), w.pop("end"), w.pop("prob")
    return out


def _star_warnings(star: dict[str, Any], quantified: bool, i_count: int, we_count: int) -> list[str]:
    """One message per problem of a behavioral answer."""
    if not star["story"]:
        return ["this is what you would do, not a time you did it: tell one real story"]
    out = []
    if we_count >= 5 and we_count > 1.5 * i_count:
        out.append(f"'we' {we_count}× against 'I' {i_count}×: say what you did")
    if star["missing"]:
        out.append("STAR beats not heard: " + ", ".join(star["missing"]))
    if "result" not in star["missing"] and not quantified:
        out.append("quantify the result: it has no number (how much faster, cheaper, fewer?)")
    return out


_WORD = re.compile(r"\S+")
_BULLETS = {"-", "*", "•", "–", "—", "+"}


def analyze_text(text: str, kind: str = "star", frame: design_model.Frame | None = None) -> dict[str, Any]:
    """A written or pasted answer analysed as a transcript (`prepdeck analyze`): sentences come from its
    punctuation and line breaks, and there are no audio figures."""
    words: list[dict[str, Any]] = []
    at = 0.0  # one time step per word: a piece with no word in it ("→", "-") leaves no silence behind
    for line in text.splitlines():
        pieces = _WORD.findall(line)
        if (
            pieces and pieces[0] in _BULLETS
        ):  # a list marker: dropped, it would join the line to the one before
            pieces = pieces[1:]
        for i, piece in enumerate(pieces):
            # a line break ends a sentence even without a full stop (notes are often written as lines),
            # or after an abbreviation ("… vs.")
            ends = piece.endswith((".", "?", "!", ",", ";", ":"))
            if i == len(pieces) - 1 and (
                not ends or (piece.endswith(".") and not _ends_sentence(piece, "A"))
            ):
                piece += "."
            words.append({"text": piece, "start": at, "end": at + 0.5})
            at += 1.0 if _norm(piece) else 0.0
    return analyze(words, 0.0, kind=kind, timed=False, frame=frame)
