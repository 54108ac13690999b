"""The interview guide's rubrics, pass lines and round timings: one definition for the report, the
mock interviews and the app.

The guide's system-design rubric says "pass ≥ 75/100" while its composite summary says 70; prepdeck uses
the rubric's own 75 (the stricter line, and the one printed beside the rubric).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RubricLine:
    key: str
    label: str
    points: int


@dataclass(frozen=True)
class Rubric:
    round: str
    title: str
    lines: tuple[RubricLine, ...]
    pass_score: int

    @property
    def max_score(self) -> int:
        return sum(line.points for line in self.lines)


@dataclass(frozen=True)
class Phase:
    name: str
    minutes: int
    what: str


RUBRICS: dict[str, Rubric] = {
    "sql": Rubric(
        "sql",
        "SQL",
        (
            RubricLine("correctness", "Correctness & edge cases", 16),
            RubricLine("advanced_sql", "Use of advanced SQL (window functions, CTEs)", 8),
            RubricLine("optimization", "Explanation of optimization & cost", 8),
            RubricLine("clarity_scale", "Clarity & handling of scale", 8),
        ),
        pass_score=28,
    ),
    "pyspark": Rubric(
        "pyspark",
        "PySpark",
        (
            RubricLine("correctness", "Correctness of algorithm & code", 16),
            RubricLine("scalability", "Scalability & production considerations", 12),
            RubricLine("code_quality", "Code quality & testability", 6),
            RubricLine("tradeoffs", "Explanation & trade-offs (streaming vs batch)", 6),
        ),
        pass_score=28,
    ),
    "design": Rubric(
        "design",
        "System design",
        (
            RubricLine("requirements", "Clarified requirements & constraints", 10),
            RubricLine("architecture", "High-level architecture completeness", 25),
            RubricLine("capacity", "Scalability & capacity planning (incl. arithmetic)", 20),
            RubricLine("reliability", "Reliability & fault tolerance", 15),
            RubricLine("security", "Security & compliance", 10),
            RubricLine("tradeoffs", "Trade-offs & alternatives", 10),
            RubricLine("communication", "Clarity & communication", 10),
        ),
        pass_score=75,
    ),
    "behavioral": Rubric(
        "behavioral",
        "Behavioral",
        (
            RubricLine("star", "Clear storytelling and structure (STAR)", 12),
            RubricLine("impact", "Ownership & measurable impact", 12),
            RubricLine("depth", "Technical depth & correctness", 12),
            RubricLine("communication", "Communication & stakeholder handling", 8),
            RubricLine("reflection", "Reflection & learning", 6),
        ),
        pass_score=38,
    ),
}

# SQL + PySpark together must reach 60/80 (75%) as well as each round's own line.
CODING_COMBINED_PASS = 60
CODING_COMBINED_MAX = 80

# The guide's timings for each round, phase by phase.
ROUND_PHASES: dict[str, tuple[Phase, ...]] = {
    "sql": (
        Phase("coding", 30, "write the query; it is judged on every case"),
        Phase("optimization", 15, "explain how you would make it fast and cheap at scale"),
    ),
    "pyspark": (
        Phase("coding", 35, "write the function; it is judged on Spark"),
        Phase("q&a", 10, "streaming, late data, skew: answer the follow-ups"),
    ),
    "design": (
        Phase("clarify", 10, "ask the clarifying questions"),
        Phase("design", 40, "draw the architecture, do the capacity arithmetic"),
        Phase("trade-offs", 10, "trade-offs, failure modes, Q&A"),
    ),
    "behavioral": (Phase("stories", 45, "three or four STAR questions, answered aloud"),),
}
