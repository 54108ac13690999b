"""The delivery feedback of one analysed answer, one line per thing checked, each problem said once: the
review screen shows these lines instead of the figures *and* the analysis's warnings (which repeated
each other: "pace 183.1 wpm (130–160)" beside "pace 183 wpm is fast").

A story gets the STAR checks (beats, a quantified result, "I" over "we"); a design answer the design
checks (its parts, numbers with units, trade-offs) and never a STAR one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from prepdeck.recordings.design import SHOWN
from prepdeck.scoring.evidence import STAR_BEATS, answer_kind, star_beats
from prepdeck.scoring.measures import FILLERS_GOOD, PACE_BAND

LONG_PAUSE_S = 3.0


@dataclass(frozen=True)
class Check:
    ok: bool
    text: str


def _pace(wpm: float | None) -> Check:
    lo, hi = PACE_BAND
    if wpm is None:
        return Check(True, "pace: too short to measure")
    verdict = "" if lo <= wpm <= hi else (" — slow" if wpm < lo else " — fast")
    return Check(lo <= wpm <= hi, f"pace {wpm:.0f} wpm{verdict} (aim for {lo:g}–{hi:g})")


def delivery_checks(r: dict[str, Any]) -> list[Check]:
    f = r.get("fillers") or {}
    per_minute = f.get("per_minute") or 0.0
    types = ", ".join(f"{k} {v}" for k, v in (f.get("by_type") or {}).items()) or "none"
    pauses = r.get("pauses") or []
    long = [p for p in pauses if p.get("seconds", 0) >= LONG_PAUSE_S]
    dur = r.get("duration") or {}
    out = [] if "wpm" not in r else [_pace(r.get("wpm"))]
    out.append(
        Check(
            per_minute <= FILLERS_GOOD,
            f"fillers {f.get('count', 0)} ({per_minute:g}/min; {types}) (aim for ≤ {FILLERS_GOOD:g}/min)",
        )
    )
    if "pauses" in r:
        text = f"pauses ≥1 s: {len(pauses)}"
        if long:
            text += f", {len(long)} of {LONG_PAUSE_S:g} s or more"
        out.append(Check(not long, text))
    if dur.get("target"):
        lo, hi = dur["target"]
        status = dur.get("status")
        word = {"short": " — short", "long": " — long"}.get(str(status), "")
        out.append(
            Check(status == "ok", f"length {dur.get('speaking_s', 0):.0f} s{word} (target {lo}–{hi} s)")
        )
    return out


def star_checks(r: dict[str, Any]) -> list[Check]:
    star: dict[str, Any] = r["star"] if isinstance(r.get("star"), dict) else {}
    if star.get("story") is False:  # told as what one would do: the one problem worth saying
        return [Check(False, "this is what you would do, not a time you did it: tell one real story")]
    found = star_beats(r) or set()
    missing = [b for b in STAR_BEATS if b not in found]
    beats = Check(
        not missing,
        "STAR: all four beats heard" if not missing else "STAR beats not heard: " + ", ".join(missing),
    )
    impact = [n.get("text", "") for n in r.get("numbers") or [] if isinstance(n, dict) and n.get("impact")]
    said = r.get("quantified_result")
    quantified = said if isinstance(said, bool) else bool(impact)
    if quantified:
        result = Check(True, "result quantified" + (f": {', '.join(impact[:4])}" if impact else ""))
    else:
        result = Check(False, "quantify the result: it has no number (how much faster, cheaper, fewer?)")
    i_we = r.get("i_we") or {}
    i, we = int(i_we.get("i") or 0), int(i_we.get("we") or 0)
    hedges = (r.get("hedges") or {}).get("count", 0)
    owned = Check(i >= we and i > 0, f"I {i}× / we {we}× (say what you did); hedges {hedges}")
    # a missing result beat is already said: no second message that it has no number
    return [beats, owned] if "result" in missing else [beats, result, owned]


def design_checks(r: dict[str, Any]) -> list[Check]:
    """The design analysis (recordings/design.py) as checks: its parts in order, sizing, trade-offs."""
    d = r.get("design")
    if not isinstance(d, dict):
        return []
    warned = [w for w in d.get("warnings") or [] if isinstance(w, str)]

    def said(start: str) -> str | None:  # the analysis's own message, so both views say the same
        return next((w for w in warned if w.startswith(start)), None)

    sums = said("check the arithmetic")  # a wrong figure is said whatever the answer's length
    if d.get("too_short"):  # one problem: a timed answer's length line already says it
        short = said("too short")
        return [Check(False, m) for m in (short, sums) if m]
    order = [SHOWN.get(p, p) for p in d.get("order") or []]
    unsized = said("no numbers with units")
    # trade-offs have their own line, and so has scale when nothing at all was sized
    own_line = {"tradeoffs", *(["scale"] if unsized else [])}
    missing = [SHOWN.get(p, p) for p in d.get("missing", []) if p not in own_line]
    late = said("requirements came after")
    noun = "model" if d.get("structure") == "model" else "design"
    parts = Check(
        not missing and not late,
        f"{noun}: "
        + (" → ".join(order) or "no part heard")
        + (f"; not heard: {', '.join(missing)}" if missing else "")
        + (f"; {late}" if late else ""),
    )
    sized = int(d.get("numbers_with_units") or 0)
    bare = said("numbers without a unit")
    # a model not asked to be sized has no numbers line unless it gave some
    numbers = (
        [
            Check(
                bool(sized) and not bare,
                bare or unsized or f"{sized} number{'s' if sized != 1 else ''} with units",
            )
        ]
        if sized or bare or unsized
        else []
    )
    trade = int(d.get("tradeoffs") or 0)
    asked = ((d.get("parts") or {}).get("tradeoffs") or {}).get("expected", True)  # an estimate card: not
    tradeoffs = (
        [
            Check(
                bool(trade),
                f"trade-offs named {trade}×" if trade else "no trade-off named: say what you gave up and why",
            )
        ]
        if asked or trade
        else []
    )
    story = said("this tells what you did")
    return [
        *([Check(False, story)] if story else []),
        parts,
        *numbers,
        *([Check(False, sums)] if sums else []),
        *tradeoffs,
    ]


def answer_checks(r: dict[str, Any], card_type: str | None = None) -> list[Check]:
    """Every check of one answer: the delivery, then the story's or the design's own."""
    kind = answer_kind(r, card_type)
    return delivery_checks(r) + (design_checks(r) if kind == "design" else star_checks(r))
