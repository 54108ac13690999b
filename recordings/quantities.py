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


# a span of time said in words, on either side of a before→after: "a week", "an afternoon", "a few minutes"
_SPAN = (
    r"(?:(?:an?|one|a few|a couple of|several|about|roughly|just|under|less than|half an?|most of an?) )?"
    r"(?:milliseconds?|seconds?|minutes?|hours?|days?|weeks?|months?|years?|quarters?|sprints?|afternoon|morning"
    r"|evening|night|hourly|daily|weekly|monthly)"
)
# an amount said without a number: "dozens", "a handful", "single digits", "none"
_AMOUNT = r"(?:dozens|hundreds|thousands|a handful|single digits|double digits|none|zero|nothing|almost none)"
# how often, said in words: "every day", "every single morning", "once a month", "daily"
_FREQ = r"(?:every (?:single )?\w+|once an? \w+|twice an? \w+|daily|weekly|monthly|hourly|nightly)"
_SOFT = r"(?:(?:like|maybe|about|roughly|around|almost) )?"
_BEFORE_AFTER = re.compile(
    rf"\bfrom (?:{_SPAN}|{_AMOUNT})(?: an? \w+)? (?:down |up )?to (?:{_SPAN}|{_AMOUNT})\b"
    rf"|\bfrom {_SOFT}{_FREQ} (?:down )?to {_SOFT}(?:{_FREQ}|never|none)\b"  # "from every day to once a month"
    rf"|\b{_SPAN} (?:instead of|not|rather than) (?:the |a |an )?(?:{_SPAN}|\w+ly)\b"  # "an afternoon instead of a week", "hourly instead of daily"
)
_NUM = r"(?:\d+|" + "|".join(w for w in lx.NUMBER_WORDS if w != "half") + ")"
# "one team instead of four on call": a count weighed against the one before
_COUNT_INSTEAD = re.compile(rf"\b{_NUM} (?:\w+ ){{0,2}}instead of (?:the |a )?{_NUM}\b")
# "back under a minute", "less than an hour", "a couple of hours a week", "down to zero", "by a factor of three"
_BOUND = re.compile(
    r"\b(?:under|below|less than) (?:an?|one) (second|minute|hour|day|week)\b"
    r"|\ba couple of (?:seconds|minutes|hours|days|weeks|months)\b(?! (?:later|ago|earlier))"
    r"|\b(?:to|down to|dropped to|fell to) (?:zero|none|single digits|a handful)\b"
    r"|\bby a factor of \w+"
    r"|\b(?:hundreds|thousands|millions) of (?:dollars|euros|pounds|hours|rows|users|customers|queries)\b"
)
# "a team of five", "the five of us": how many people did the work, not what it changed
_PEOPLE = re.compile(r"\b(?:team|group|squad) of (?:\w+ )?$")


_WHEN = frozenset({"in", "within", "after", "each", "every", "per", "next", "last", "this", "that"})


def _which(words: list[str], i: int) -> bool:
    """A small number after "the" names which things ("the two use cases that mattered", "the three
    competing versions"), it does not measure them; "every one of the 48,000 rows" still counts."""
    w = words[i]
    small = (w in lx.NUMBER_WORDS and lx.NUMBER_WORDS[w] <= 10) or (w.isdigit() and int(w) <= 10)
    # "the top 10 customers moved first": which ones, whatever the size
    return bool(i) and ((words[i - 1] == "the" and small) or words[i - 1] == "top")


def _version(words: list[str], i: int) -> bool:
    """A version, not an amount: "Spark 3.5", "Python 3", "version 2"."""
    return bool(i) and words[i - 1] in lx.VERSIONED and bool(re.fullmatch(r"\d+(\.\d+)*", words[i]))


def quantities(words: list[str]) -> list[int]:
    """Indexes of numbers that measure something (a unit, %, money, x, a count of things), not when
    something happened ("two weeks later"), which things ("the two teams") or a version ("Spark 3.5")."""
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
            # "by a third", "two thirds"; but "within a quarter", "the next quarter" say when
            numeric = not (w.startswith("quarter") and i > 1 and words[i - 2] in lx.SPENT_FOR | _WHEN)
        if (
            w in ("hundred", "thousand", "million")
            and i
            and words[i - 1] in ("a", "couple", "few", "several")
        ):
            numeric = True  # "a couple thousand a week"
        if not numeric or (w == "one" and nxt not in lx.UNITS) or _version(words, i):
            continue
        if after in ("earlier", "early") and lx.DONE_WORDS & set(words[max(0, i - 4) : i]):
            pass  # "the batch finished three hours earlier": how much sooner, measured
        elif after == "later" and lx.DELIVERED & set(words[max(0, i - 6) : i]):
            pass  # "We shipped the churn model seven weeks later" (not the six months planned): how long it took
        elif nxt in ("later", "ago", "earlier") or after in ("later", "ago", "earlier"):
            continue  # when, not how much
        before = [x for x in words[max(0, i - 3) : i] if x not in lx.APPROXIMATELY]
        if before and before[-1] in ("last", "past"):
            continue  # "the last three sprints": which ones, not how much
        opening = [x for x in words[:i] if x not in lx.APPROXIMATELY and x not in lx.OPENERS]
        if opening in (["within"], ["after"], ["in"]) and (
            nxt in lx.DURATIONS or nxt.rstrip("s") in lx.DURATIONS
        ):
            continue  # "Within two quarters, most teams had adopted it": when it got there, not a measure
        if before and before[-1] in lx.SPENT_FOR and nxt in lx.DURATIONS:
            continue  # "spent about two months", "for like two weeks": how long it took to do, not an outcome
        has_unit = bool(re.search(r"[%x$]|\d(k|m|ms|s|h|gb|tb|mb|pb)$", w)) or nxt in lx.UNITS
        if nxt in ("a", "an", "per") and after in lx.RATE_UNITS:
            has_unit = True  # "five a day"
        if nxt == "time" and (after.endswith("er") or after in ("more", "less", "as")):
            has_unit = True  # "three time faster": "times" said as it is sometimes said
        if nxt in lx.SCALE_WORDS or w in lx.FRACTIONS or _counted(words, i):
            has_unit = True
        # the other side may be a few words away: "from a couple thousand a week to zero"
        if (i and words[i - 1] == "from" and "to" in words[i + 1 : i + 6]) or (
            i > 1 and words[i - 1] == "to" and "from" in words[max(0, i - 7) : i - 1]
        ):
            has_unit = True  # "from twelve to two": a before→after even without a unit
        team = bool(_PEOPLE.search(" ".join(words[max(0, i - 3) : i]) + " "))
        if has_unit and not team and not (_which(words, i) and " from " not in f" {' '.join(words)} "):
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
    text = " ".join(words)
    # "from a week to an afternoon", "back under a minute": measured in words, without a digit
    compared = [*_BEFORE_AFTER.finditer(text), *_COUNT_INSTEAD.finditer(text)]
    for m in [*compared, *_BOUND.finditer(text)]:
        at = len(text[: m.start()].split())
        if m not in compared and at and words[at - 1] in lx.SPENT_FOR | {"after", "within"}:
            continue  # "after a couple of months", "spent a couple of weeks": when, or how long the work took
        if at not in out:
            out.append(at)
    out += [
        i
        for i, w in enumerate(words)
        if w in lx.MULTIPLIERS
        and i not in out
        and w != "x"
        and not (w == "half" and i + 1 < len(words) and words[i + 1] in lx.DURATIONS)  # "a half hour"
    ]
    return sorted(out)
