"""Stated arithmetic in a design answer, checked: "50 MB/s × 86,400 s = 4.32 TB", "100 GB/day × 365 is
3.6 PB" (it is 36.5 TB), "2 billion a day, which is 23,000 a second".

Only what is said as a computation is checked: numbers joined by an operator (×, x, *, times, /, divided
by) and then by "=", "≈", "is", "that's", "gives"… to a stated result, or one quantity restated in another
unit ("50 MB/s, which is 4.32 TB a day"). A result may start the next step ("… = 50 MB/s, and × 86,400 s
that's …", "Times 86,400 seconds that's …" at the head of the next sentence). Anything else between the
numbers ("of", "for", a noun) ends the computation: nothing is guessed. "so" restates only a rate over
another period ("500 GB a day, so 15 TB a month"). Units are data sizes (decimal
and binary), durations and money; a rate is a unit per period ("MB/s", "a day", "per second"). A bare
multiplier next to a rate counts its periods ("100 GB/day × 365"), and a total labelled per period ("4.32
TB/day" from "50 MB/s × 86,400 s") is the amount in one period. A result is wrong when it is off by more
than a factor of 1.5 (rounding and decimal against binary units are fine); results whose dimensions differ
from the computation's (bytes against events) are not judged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

TOLERANCE = 1.5
BYTES = {"B": 1.0, "KB": 1e3, "MB": 1e6, "GB": 1e9, "TB": 1e12, "PB": 1e15}
BYTES |= {f"{p}iB": 1024.0 ** (k + 1) for k, p in enumerate("KMGTP")}
SECONDS = {
    "ms": 1e-3,
    "s": 1.0,
    "sec": 1.0,
    "second": 1.0,
    "seconds": 1.0,
    "min": 60.0,
    "minute": 60.0,
    "minutes": 60.0,
    "h": 3600.0,
    "hr": 3600.0,
    "hour": 3600.0,
    "hours": 3600.0,
    "d": 86400.0,
    "day": 86400.0,
    "days": 86400.0,
    "week": 604800.0,
    "weeks": 604800.0,
    "month": 2_629_800.0,  # a twelfth of a year: "× 30" days and "× 730" hours both round to it
    "months": 2_629_800.0,
    "year": 31_557_600.0,
    "years": 31_557_600.0,
}
PER_SECOND = {"TPS", "QPS", "RPS"}  # events a second
# what a count counts does not enter the sum: "200,000 × 40 = 8 M rows"
COUNTS = {"", "rows", "records", "events", "requests", "messages", "queries", "files", "users", "partitions",
          "nodes", "servers", "jobs", "pipelines", "tables", "customers"}  # fmt: skip
_MUL = {"×", "x", "*", "times", "multiplied"}
_ADD = {"+", "plus"}
_DIV = {"/", "÷", "divided"}
# not "→": "3 h → 40 min" is a before and after, not an equality
_EQ = {"=", "≈", "~", "is", "are", "gives", "that's", "thats", "equals", "makes", "comes"}
# a quantity restated in another unit: only these say so ("so", "is" alone do not)
_RESTATE = {"=", "≈", "~", "which", "that's", "thats", "i.e", "ie", "or", "equals"}
# words that may stand between the parts of a computation without ending it
_GLUE = {"about", "roughly", "around", "approximately", "approx", "so", "which", "that", "we", "get", "us",
         "and", "then", "by", "to", "a", "total", "i.e", "ie", "or", "it's", "its", "this", "in", "all",
         "be", "will", "would", "gets", "give", "call", "it"}  # fmt: skip
_PERIOD_WORDS = {"a", "an", "per", "every", "each"}


@dataclass
class Quantity:
    value: float  # in bytes, seconds, dollars; a rate per second
    dims: tuple[int, int, int]  # exponents of (bytes, seconds, dollars)
    period: float | None  # a rate's stated period in seconds ("a day": 86,400)
    text: str
    unit: str = ""  # the byte unit said, to write a correction in the speaker's own units
    counts: float = 1.0  # the bare numbers multiplied in (divided: their inverse): "× 365", "/ 86,400"

    def times(self, other: Quantity, divide: bool = False) -> Quantity:
        sign = -1 if divide else 1
        value = self.value / other.value if divide else self.value * other.value
        dims = tuple(a + sign * b for a, b in zip(self.dims, other.dims, strict=True))
        bare = other.value**sign if other.dims == (0, 0, 0) and not other.period else 1.0
        return Quantity(
            value,
            (dims[0], dims[1], dims[2]),
            self.period or other.period,
            f"{self.text} {'/' if divide else '×'} {other.text}",
            counts=self.counts * bare,
        )


def _plus(a: Quantity, b: Quantity) -> Quantity | None:
    """a + b; a bare term before a unit is in that unit ("200 + 500 ms"); None when they are not the same
    kind, or a bare term comes after a unit ("1 GB + 500": 500 what? not judged)."""
    left = _like(b, a.value) if a.dims == (0, 0, 0) and b.dims != (0, 0, 0) else a
    if left.dims != b.dims or left.period != b.period:
        return None
    return Quantity(left.value + b.value, b.dims, b.period, f"{a.text} + {b.text}", b.unit or left.unit)


def _like(q: Quantity, n: float) -> Quantity:
    """`n` said in the unit of `q` (a term whose unit is said once for the whole sum)."""
    factor = BYTES.get(q.unit) or SECONDS.get(q.unit) or 1.0
    per = q.period if q.dims[1] < 0 and q.period else 1.0
    return Quantity(n * factor / per, q.dims, q.period, f"{n:g}", q.unit)


def _unit(unit: str, value: float) -> tuple[float, tuple[int, int, int], float | None, str] | None:
    """(value in base units, dims, period, byte unit) of a number with the unit `_numbers` gave it."""
    base, _, per = unit.partition("/")
    if base in BYTES:
        value, dims, said = value * BYTES[base], (1, 0, 0), base
    elif base in SECONDS:
        value, dims, said = value * SECONDS[base], (0, 1, 0), base
    elif base == "$":
        value, dims, said = value, (0, 0, 1), ""
    elif base in PER_SECOND:
        return value, (0, -1, 0), 1.0, ""
    elif base in COUNTS:
        value, dims, said = value, (0, 0, 0), ""
    else:
        return None  # %, x, people…: not arithmetic this checks
    if not per:
        return value, dims, None, said
    if per in SECONDS:
        return value / SECONDS[per], (dims[0], dims[1] - 1, dims[2]), SECONDS[per], said
    if per.upper() in BYTES or per in BYTES:
        size = BYTES.get(per, BYTES.get(per.upper(), 1.0))
        return value / size, (dims[0] - 1, dims[1], dims[2]), None, said
    return None


def _pieces(raw: str) -> list[str]:
    return [p for p in (x.strip(",.;:!?()").lower() for x in raw.split()) if p]


def _words_in(text: str) -> int:
    return sum(1 for piece in text.split() if any(c.isalnum() for c in piece))


def _joiner(pieces: list[str]) -> str | None:
    """ "mul", "div", "add", "eq" or "restate" for the words between two numbers; None when they are not
    arithmetic."""
    words = set(pieces)
    if not words or not words <= _MUL | _DIV | _ADD | _EQ | _RESTATE | _GLUE:
        return None
    kinds = [k for k, said in (("mul", _MUL), ("div", _DIV), ("add", _ADD), ("eq", _EQ)) if words & said]
    if len(kinds) > 1:
        return None
    if kinds and kinds != ["eq"]:
        return kinds[0]
    # "is" alone only closes a computation: "2 TB is 300 GB in Parquet" restates nothing
    if words & _RESTATE:
        return "restate"
    # "so" only restates a rate over another period ("500 GB a day, so about 15 TB a month"): `check`
    return "eq" if kinds else ("so" if "so" in words else None)


def _near(x: float, y: float) -> bool:
    return y > 0 and 1 / 1.1 <= x / y <= 1.1


def _same(a: Quantity, b: Quantity) -> float | None:
    """What `b` should be, in its own base units, for it to equal `a`; None when they cannot be compared."""
    if a.dims == b.dims:
        if a.period and b.period and a.period != b.period and _near(a.counts, b.period / a.period):
            return (
                a.value * a.period / b.period
            )  # "100 GB/day × 365 = 36.5 TB a year": 365 days make the year
        return a.value
    if (a.dims[0], a.dims[2]) != (b.dims[0], b.dims[2]):
        return None
    if a.dims[1] == b.dims[1] + 1 and b.period:  # an amount labelled per period: "… = 4.32 TB/day"
        return a.value / b.period
    if a.dims[1] == b.dims[1] - 1 and a.period:  # a rate times a count of its periods: "GB/day × 365"
        return a.value * a.period
    return None


def _shown(value: float, unit: str) -> str:
    """A byte amount in the speaker's system of units (decimal or binary), at the largest unit ≥ 1."""
    names = [u for u in BYTES if ("i" in u) == ("i" in unit) or u == "B"]
    best = max((u for u in names if value >= BYTES[u]), key=lambda u: BYTES[u], default="B")
    n = value / BYTES[best]
    digits = f"{n:,.0f}" if n >= 100 else f"{n:.3g}"
    return f"{digits} {best}"


def _read(
    toks: list[Any], sentence_of: dict[int, int], num: dict[str, Any], i: int
) -> tuple[int, Quantity | None]:
    """(the number's last token, its quantity or None when its unit is not one this checks)."""
    j = i + max(1, _words_in(num["text"])) - 1
    unit = num["unit"]
    words = num["text"].lower().split()
    if (
        unit == "x" and len(words) > 1 and words[-1] in ("times", "x")
    ):  # "2 billion times 500 bytes", "50k x 1 KB"
        unit, j = "", j - 1
    if unit == "$" and "/" in num["text"]:  # "$6.25/TiB"
        unit += "/" + num["text"].rsplit("/", 1)[1].strip(",.;:!?×=≈~ ")
    read = _unit(unit, float(num["value"]))
    if read is None:
        return j, None
    value, dims, period, said = read
    text = re.sub(r"[\s×*=≈~→/.,;:!?+-]+$", "", re.sub(r"[*`(]", "", num["text"]))
    if not unit and num["unit"] == "x":
        text = text.rsplit(maxsplit=1)[0]  # without its operator word
    # "50 MB a second", "2 billion per day": the period said after the number
    if period is None and j + 2 < len(toks) and sentence_of.get(j + 2) == sentence_of.get(j):
        first, second = toks[j + 1].norm, toks[j + 2].norm
        if first in _PERIOD_WORDS and second in SECONDS:
            value, dims, period = value / SECONDS[second], (dims[0], dims[1] - 1, dims[2]), SECONDS[second]
            text += " " + " ".join(t.raw.strip(",.;:!?") for t in toks[j + 1 : j + 3])
            j += 2
    return j, Quantity(value, dims, period, text, said)


def check(
    toks: list[Any], spans: list[tuple[int, int]], numbers: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Every stated computation and restatement: {"said", "right"}, and "should_be" on a wrong one."""
    at: dict[float, list[int]] = {}
    for k, t in enumerate(toks):
        at.setdefault(round(t.start, 2), []).append(k)
    sentence_of = {k: s for s, (a, b) in enumerate(spans) for k in range(a, b + 1)}
    placed: list[tuple[int, int, Quantity | None]] = []
    for num in numbers:
        # a typed "→" shares its time with the number after it: the number's token is the one it starts
        head = num["text"].lstrip("~≈*`($ ")[:1].lower()
        i = next((k for k in at.get(num["start"], []) if toks[k].norm.lstrip("$")[:1] == head), None)
        if i is not None:
            placed.append((i, *_read(toks, sentence_of, num, i)))
    results: list[dict[str, Any]] = []
    expr: Quantity | None = None  # what the numbers so far compute
    computed = False  # whether `expr` came out of an operator (else it is one quantity as said)
    ops: set[str] = set()  # the operators used: a sum mixed with a product is not judged (which comes first?)
    for n, (i, _j, q) in enumerate(placed):
        here = sentence_of.get(i, 0)
        before = placed[n - 1] if n else None
        if before is None or sentence_of.get(before[1]) != here:
            # a step that starts the sentence from the last quantity of the one before: "Times 86,400 …"
            lead = _joiner(_pieces(" ".join(t.raw for t in toks[spans[here][0] : i])))
            carried = before is not None and sentence_of.get(before[1]) == here - 1 and lead in ("mul", "div")
            join = lead if carried else None
        else:
            rest = toks[before[1]].raw.split(maxsplit=1)[1:]  # the signs written after the number: "KB ="
            join = _joiner(_pieces(" ".join(rest + [t.raw for t in toks[before[1] + 1 : i]])))
        if q is None:
            expr, computed, ops = None, False, set()
            continue
        added = _plus(expr, q) if expr is not None and join == "add" else None
        if expr is None or join is None or (join == "add" and added is None):
            expr, computed, ops = q, False, set()
        elif join in ("mul", "div", "add"):
            expr, computed = added or expr.times(q, divide=join == "div"), True
            ops.add(join)
        elif "add" in ops and ops & {"mul", "div"}:
            expr, computed, ops = q, False, set()
        else:
            # a result of a computation, or one quantity restated in another unit ("50 MB/s, or 4.32 TB a day")
            # a restatement is of the same kind of thing (an amount, a rate) in other units
            restated = (
                join == "restate"
                and expr.dims == q.dims != (0, 0, 0)
                and (expr.unit, expr.period) != (q.unit, q.period)
            ) or (
                join == "so"
                and not computed
                and expr.dims == q.dims
                and q.dims[1] == -1
                and None not in (expr.period, q.period)
                and expr.period != q.period
            )
            should = _same(expr, q) if (computed and join != "so") or restated else None
            if should is not None and should > 0 and q.value > 0:
                right = 1 / TOLERANCE <= q.value / should <= TOLERANCE
                item: dict[str, Any] = {"said": f"{expr.text} = {q.text}", "right": right}
                if not right:
                    item["should_be"] = _should_be(should, q)
                results.append(item)
            expr, computed, ops = q, False, set()
    return results


_PER = {1.0: "a second", 60.0: "a minute", 3600.0: "an hour", 86400.0: "a day", 604800.0: "a week",
        2_629_800.0: "a month", 31_557_600.0: "a year"}  # fmt: skip


def _figure(n: float) -> str:
    return f"{n:,.0f}" if n >= 100 else f"{n:.3g}"


def _should_be(value: float, said: Quantity) -> str:
    """The right figure in the unit family the speaker used ("4.32 TB a day" where "4.3 GB per day" was said)."""
    rate = said.period if said.dims[1] < 0 else None
    amount = value * rate if rate else value
    if said.dims[0] == 1:
        text = _shown(amount, said.unit or "B")
    elif said.dims[2] == 1:
        text = "$" + _figure(amount)
    elif said.dims == (0, 1, 0) and said.unit in SECONDS:
        text = f"{_figure(amount / SECONDS[said.unit])} {said.unit}"
    else:
        text = _figure(amount)
    return f"{text} {_PER[rate]}" if rate in _PER else text


def message(checks: list[dict[str, Any]]) -> str | None:
    """One line for the wrong ones (at most two shown), or None."""
    wrong = [c for c in checks if not c["right"]]
    if not wrong:
        return None
    said = "; ".join(
        f"{c['said'].rsplit(' = ', 1)[0]} is about {c['should_be']}, not {c['said'].rsplit(' = ', 1)[1]}"
        for c in wrong[:2]
    )
    return f"check the arithmetic: {said}"
