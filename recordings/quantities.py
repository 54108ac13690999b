"""Which numbers in a sentence measure something (a unit, %, money, x, a count of things, a before→after),
as opposed to saying when something happened or how long the work took. Used by the STAR reading
(recordings/star.py) and for `quantified_result`."""

from __future__ import annotations

import re

from prepdeck.recordings import lexicon as lx


def _number_word(w: str) -> bool:
    """A number spelled out, hyphenated ones too ("forty-one")."""
    return w in lx.NUMBER_WORDS or ("-" in w and all(p in lx.NUMBER_WORDS for p in w.split("-")))


def _counted(words: list[str], i: int) -> bool:
    """A number that counts things: "fifteen dashboards", "six failed releases" (a plural noun within two
    words; verbs in -s are rare right after a number)."""
    for w in words[i + 1 : i + 3]:
        if len(w) > 3 and w.endswith("s") and not w.endswith("ss") and w not in lx.NOT_COUNTED:
            return True
        if w in lx.DETERMINERS or _number_word(w):
            return False
    return False


def quantities(words: list[str]) -> list[int]:
    """Indexes of numbers that measure something (a unit, %, money, x, a count of things), not when
    something happened ("two weeks later")."""
    out = []
    for i, w in enumerate(words):
        nxt = words[i + 1] if i + 1 < len(words) else ""
        after = words[i + 2] if i + 2 < len(words) else ""
        numeric = bool(re.fullmatch(r"\$?\d[\d,.]*(%|x|k|m|ms|s|h|gb|tb|mb|pb)?", w)) or _number_word(w)
        clock = bool(re.fullmatch(r"\d{1,2}(:\d\d)?(am|pm)?", w)) and (
            ":" in w or w.endswith(("am", "pm")) or nxt in lx.CLOCK
        )
        if clock or (numeric and nxt in lx.CLOCK):
            if i and words[i - 1] in ("by", "before", "until"):
                out.append(i)  # "ready by 7:30", "finished before 6 am": when it is done, measured
            continue  # "at 2 am the job died": when it happened
        if w == "half" and nxt in ("an", "a"):
            continue  # "half an hour later": when
        if w in lx.FRACTIONS and i and words[i - 1] in ("a", "one", "by", "two", "three"):
            numeric = True  # "by a third", "two thirds"
        if (
            w in ("hundred", "thousand", "million")
            and i
            and words[i - 1] in ("a", "couple", "few", "several")
        ):
            numeric = True  # "a couple thousand a week"
        if not numeric or (w == "one" and nxt not in lx.UNITS):
            continue
        if nxt in ("later", "ago", "earlier") or after in ("later", "ago", "earlier"):
            continue  # when, not how much
        before = [x for x in words[max(0, i - 3) : i] if x not in lx.APPROXIMATELY]
        if before and before[-1] in ("last", "past"):
            continue  # "the last three sprints": which ones, not how much
        if before and before[-1] in lx.SPENT_FOR and nxt in lx.DURATIONS:
            continue  # "spent about two months", "for like two weeks": how long it took to do, not an outcome
        has_unit = bool(re.search(r"[%x$]|\d(k|m|ms|s|h|gb|tb|mb|pb)$", w)) or nxt in lx.UNITS
        if nxt in ("a", "an", "per") and after in lx.RATE_UNITS:
            has_unit = True  # "five a day"
        if nxt in lx.SCALE_WORDS or w in lx.FRACTIONS or _counted(words, i):
            has_unit = True
        # the other side may be a few words away: "from a couple thousand a week to zero"
        if (i and words[i - 1] == "from" and "to" in words[i + 1 : i + 6]) or (
            i > 1 and words[i - 1] == "to" and "from" in words[max(0, i - 7) : i - 1]
        ):
            has_unit = True  # "from twelve to two": a before→after even without a unit
        if has_unit:
            out.append(i)
    for i in range(len(words) - 3):
        # "from minutes to seconds", "from days to hours": a before→after in units alone
        if (
            words[i] == "from"
            and words[i + 1] in lx.DURATIONS
            and words[i + 2] == "to"
            and words[i + 3] in lx.DURATIONS
        ):
            out.append(i + 1)
        # "a day instead of the week": a before→after in words, without a digit
        if (
            words[i] in ("a", "an", "one")
            and words[i + 1] in lx.DURATIONS
            and words[i + 2 : i + 4] == ["instead", "of"]
        ):
            out.append(i + 1)
        # "minutes instead of hours": units alone on both sides
        if (
            words[i] in lx.DURATIONS
            and words[i + 1 : i + 3] == ["instead", "of"]
            and lx.DURATIONS & set(words[i + 3 : i + 5])
        ):
            out.append(i)
    out += [
        i
        for i, w in enumerate(words)
        if w in lx.MULTIPLIERS
        and i not in out
        and w != "x"
        and not (w == "half" and i + 1 < len(words) and words[i + 1] in lx.DURATIONS)  # "a half hour"
    ]
    return sorted(out)
