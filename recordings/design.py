"""A system-design answer analysed as one: requirements → architecture → scale → reliability → trade-offs.

Design answers name their parts with the domain's own words (latency, Kafka, partitions, replicas, "instead
of"), so each sentence is given the part whose vocabulary it uses most, ties going to the part a
well-ordered answer would be in by then. Also counted: numbers with units (sizing is what separates a
design from a sketch) and trade-off language. Warnings are one per problem, never about STAR beats.
"""

from __future__ import annotations

from typing import Any

from prepdeck.recordings import lexicon as lx

PARTS = ("requirements", "architecture", "scale", "reliability", "tradeoffs")


def _hits(text: str, phrases: tuple[str, ...]) -> int:
    return sum(f" {p} " in text for p in phrases)


def analyze(toks: list[Any], spans: list[tuple[int, int]], numbers: list[dict[str, Any]]) -> dict[str, Any]:
    """The `design` section: each sentence's part, the parts missing, order, sizing and trade-offs."""
    labels: list[str | None] = []
    tradeoffs = 0
    for a, b in spans:
        text = " " + " ".join(t.norm for t in toks[a : b + 1]) + " "
        scores = {part: _hits(text, lx.DESIGN_PARTS[part]) for part in PARTS}
        scores["tradeoffs"] *= 2  # its phrases are specific; the others share the domain's nouns
        tradeoffs += scores["tradeoffs"] // 2
        best = max(PARTS, key=lambda p: (scores[p], -PARTS.index(p)))
        labels.append(best if scores[best] else None)
    found = [p for p in PARTS if p in labels]
    order = list(dict.fromkeys(p for p in labels if p))
    firsts = [PARTS.index(p) for p in order]
    sized = sum(1 for n in numbers if n["unit"])
    missing = [p for p in PARTS if p not in found]
    warnings = []
    if missing:
        warnings.append("design parts not heard: " + ", ".join(missing))
    if (
        "requirements" in order
        and "architecture" in order
        and order.index("requirements") > order.index("architecture")
    ):
        warnings.append("requirements came after the architecture: state them first")
    if not sized:
        warnings.append("no numbers with units: size it (events a day, GB, latency)")
    if not tradeoffs:
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
        "tradeoffs": tradeoffs,
        "warnings": warnings,
    }
