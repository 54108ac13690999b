"""The interview guide's figures as scoring/rubrics.toml holds them: a typo there would move every score."""

from __future__ import annotations

from prepdeck.scoring.rubrics import CODING_COMBINED_MAX, CODING_COMBINED_PASS, ROUND_PHASES, RUBRICS


def test_each_round_has_the_guides_points_and_pass_line() -> None:
    figures = {name: (r.max_score, r.pass_score, len(r.lines)) for name, r in RUBRICS.items()}
    assert figures == {
        "sql": (40, 28, 4),
        "pyspark": (40, 28, 4),
        "design": (100, 75, 7),
        "behavioral": (50, 38, 5),
    }
    assert list(RUBRICS) == ["sql", "pyspark", "design", "behavioral"]  # the order reports show
    assert all(len({line.key for line in r.lines}) == len(r.lines) for r in RUBRICS.values())
    assert RUBRICS["sql"].max_score + RUBRICS["pyspark"].max_score == CODING_COMBINED_MAX
    assert CODING_COMBINED_PASS == 60


def test_each_round_has_the_guides_timings() -> None:
    minutes = {name: [(p.name, p.minutes) for p in phases] for name, phases in ROUND_PHASES.items()}
    assert minutes == {
        "sql": [("coding", 30), ("optimization", 15)],
        "pyspark": [("coding", 35), ("q&a", 10)],
        "design": [("clarify", 10), ("design", 40), ("trade-offs", 10)],
        "behavioral": [("stories", 45)],
    }
