"""The interview guide's rubrics, pass lines and round timings: one definition for the report, the
mock interviews and the app. The guide's own figures are data, in rubrics.toml beside this file.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path


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


def _load_guide() -> tuple[dict[str, Rubric], dict[str, tuple[Phase, ...]]]:
    guide = tomllib.loads(Path(__file__).with_name("rubrics.toml").read_text(encoding="utf-8"))
    rubrics = {
        name: Rubric(name, r["title"], tuple(RubricLine(*line) for line in r["lines"]), r["pass_score"])
        for name, r in guide["rubrics"].items()
    }
    return rubrics, {name: tuple(Phase(*p) for p in phases) for name, phases in guide["phases"].items()}


# by round, in the guide's order: sql, pyspark, design, behavioral
RUBRICS, ROUND_PHASES = _load_guide()

# SQL + PySpark together must reach 60/80 (75%) as well as each round's own line.
CODING_COMBINED_PASS = 60
CODING_COMBINED_MAX = 80
