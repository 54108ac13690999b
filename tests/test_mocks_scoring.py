"""The rubric filled from known evidence: exact points per line, the self-score taking over where given,
the pass line, and the scorecard stored in the `mocks` table."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from prepdeck.core.store import Store
from prepdeck.mocks import store as mock_store
from prepdeck.mocks.session import score_mock
from prepdeck.scoring.card import combined_coding, parse_self_score
from prepdeck.scoring.measures import sql_features

REFERENCE = """SELECT order_id, status FROM order_events
QUALIFY ROW_NUMBER() OVER (PARTITION BY order_id ORDER BY updated_at DESC) = 1"""
LONG = "I would partition the table by day and cluster it by order id, then read EXPLAIN to check the bytes scanned"


def sql_evidence(**code_changes) -> dict:
    code = {
        "runs": 3,
        "passed": True,
        "gave_up": False,
        "dialect": "duckdb",
        "reference": REFERENCE,
        "reference_dialect": "duckdb",
        "within_time": True,
        "final_answer": "WITH ranked AS (SELECT *, row_number() OVER (PARTITION BY order_id ORDER BY "
        "updated_at DESC) AS rn FROM order_events) SELECT order_id, status FROM ranked WHERE rn = 1",
        "cases": [
            {"name": "example", "hidden": False, "passed": True},
            {"name": "nulls", "hidden": False, "passed": True},
            {"name": "tie", "hidden": True, "passed": False},
            {"name": "empty", "hidden": True, "passed": True},
        ],
    }
    code.update(code_changes)
    return {
        "code": code,
        "discussion": [
            {"title": "At scale", "answer": LONG},
            {"title": "Cost", "answer": "cluster on the key"},
        ],
    }


def lines(card) -> dict[str, tuple]:
    return {ln.key: (ln.auto, ln.self, ln.final, ln.source) for ln in card.lines}


def test_sql_lines_from_judge_sqlglot_follow_ups_and_time() -> None:
    card = score_mock("sql", sql_evidence())
    assert lines(card) == {
        "correctness": (12.0, None, 12.0, "auto"),  # 3 of 4 cases (1 of 2 hidden)
        "advanced_sql": (8.0, None, 8.0, "auto"),  # window + CTE; the reference calls for window + QUALIFY
        "optimization": (8.0, None, 8.0, "auto"),  # 4 ideas: full marks
        "clarity_scale": (6.0, None, 6.0, "auto"),  # in time (1) and 1 of 2 answers ≥ 15 words (0.5)
    }
    by_key = {ln.key: ln for ln in card.lines}
    assert by_key["correctness"].auto == 12.0
    assert "3 of 4 cases passed (hidden: 1 of 2)" in by_key["correctness"].evidence
    assert by_key["advanced_sql"].auto == 8.0
    # partition pruning, clustering, reading the plan, cost model ("bytes"): four ideas = full marks
    assert by_key["optimization"].auto == 8.0
    assert by_key["optimization"].evidence.startswith("4 ideas named: partition pruning, clustering")
    assert by_key["clarity_scale"].auto == 6.0
    assert card.total == 34.0 and card.max_total == 40 and card.pass_score == 28 and card.passed


def test_sql_self_scores_take_over_and_decide_the_pass() -> None:
    card = score_mock("sql", sql_evidence(), {"correctness": 4, "optimization": None, "clarity_scale": 99})
    by_key = {ln.key: ln for ln in card.lines}
    assert (by_key["correctness"].final, by_key["correctness"].source) == (4.0, "self")
    assert (by_key["optimization"].final, by_key["optimization"].source) == (8.0, "auto")
    assert by_key["clarity_scale"].self == 8.0  # clamped to the line's points
    assert card.total == 4 + 8 + 8 + 8 and card.passed
    assert score_mock("sql", sql_evidence(), {"correctness": 0, "advanced_sql": 0}).total == 14.0
    assert not score_mock("sql", sql_evidence(), {"correctness": 0, "advanced_sql": 0}).passed


def test_sql_giving_up_no_windows_and_no_evidence() -> None:
    gave_up = {ln.key: ln for ln in score_mock("sql", sql_evidence(gave_up=True, passed=False)).lines}
    assert gave_up["correctness"].auto == 0.0 and "revealed the solution" in gave_up["correctness"].evidence
    assert gave_up["clarity_scale"].auto == 2.0  # mean of not solved in time (0) and half the answers (0.5)
    plain = {
        ln.key: ln
        for ln in score_mock(
            "sql", sql_evidence(final_answer="SELECT order_id, max(status) FROM order_events GROUP BY 1")
        ).lines
    }
    assert plain["advanced_sql"].auto == 0.0
    cte_only = {
        ln.key: ln
        for ln in score_mock(
            "sql", sql_evidence(final_answer="WITH x AS (SELECT * FROM order_events) SELECT * FROM x")
        ).lines
    }
    assert cte_only["advanced_sql"].auto == 4.0  # the structure, not the window
    nothing = score_mock("sql", {})
    assert [(ln.auto, ln.final, ln.source) for ln in nothing.lines] == [(None, 0.0, "none")] * 4
    assert nothing.total == 0.0 and not nothing.passed


def test_sqlglot_finds_windows_ctes_and_qualify_in_the_dialect() -> None:
    assert sql_features(REFERENCE, "duckdb") == {"window", "qualify"}
    assert sql_features("WITH a AS (SELECT 1) SELECT * FROM a", "bigquery") == {"cte"}
    assert sql_features("SELEC order_id FRM t", "duckdb") is None


PYSPARK_CODE = """
from pyspark.sql import functions as F

def sessionize(events):
    rows = events.collect()
    return events.groupBy("user_id").agg(F.count("*"))
"""


def test_pyspark_lines() -> None:
    ev = {
        "code": {
            "runs": 1,
            "passed": True,
            "function": "sessionize",
            "final_answer": PYSPARK_CODE,
            "cases": [
                {"name": "a", "hidden": False, "passed": True},
                {"name": "b", "hidden": True, "passed": True},
            ],
        },
        "discussion": [
            {
                "answer": "Salt the hot key, broadcast the small side and set a watermark for late events "
                "so the state store does not grow without bound"
            },
            {"answer": ""},
            {"answer": "checkpoint"},
        ],
    }
    by_key = {ln.key: ln for ln in score_mock("pyspark", ev).lines}
    assert by_key["correctness"].auto == 16.0
    # skew handling, broadcast joins, watermarks / late data, state management: 4 ideas
    assert by_key["scalability"].auto == 12.0
    # defines sessionize, collect() used, no UDFs, passes: 3 of 4
    assert by_key["code_quality"].auto == 4.5 and "collect()" in by_key["code_quality"].evidence
    assert by_key["tradeoffs"].auto == 2.0  # 1 of 3 follow-ups answered with ≥ 15 words
    broken = {ln.key: ln for ln in score_mock("pyspark", {"code": {"final_answer": "def f(:"}}).lines}
    assert broken["code_quality"].auto == 0.0


DESIGN = {
    "design": {
        "checklist": [
            ["Requirements: latency and volume clarified", True],
            ["Retries and replay from Kafka", True],
            ["PII encrypted at rest", False],
            ["Trade-off: batch vs streaming", True],
        ],
        "numbers": [{"correct": True}, {"correct": False}],
    }
}


def test_design_lines_from_checklist_and_capacity_answers() -> None:
    card = score_mock("design", DESIGN)
    assert [(ln.key, ln.auto) for ln in card.lines] == [
        ("requirements", 10.0),
        ("architecture", 18.8),
        ("capacity", 10.0),
        ("reliability", 15.0),
        ("security", 0.0),
        ("tradeoffs", 10.0),
        ("communication", None),
    ]
    assert card.total == 63.8 and not card.passed  # pass line 75
    with_self = score_mock("design", DESIGN, {"communication": 8, "security": 6})
    assert with_self.total == 77.8 and with_self.passed


def analysis(wpm, per_minute, beats, numbers, i, we, status, words) -> dict:
    return {
        "duration_s": 120.0,
        "wpm": wpm,
        "fillers": {"count": 2, "per_minute": per_minute},
        "star": {"beats": {b: {"found": b in beats} for b in ("situation", "task", "action", "result")}},
        "numbers": [{"text": n, "impact": True} for n in numbers],
        "i_we": {"i": i, "we": we},
        "duration": {"status": status},
        "words": [{"text": w} for w in words],
    }


STORIES = {
    "stories": [
        {
            "card": "b/one",
            "target": [90, 180],
            "analysis": analysis(
                145, 1.0, {"situation", "task", "action"}, ["40%"], 5, 2, "ok", ["Kafka", "partition,", "the"]
            ),
        },
        {
            "card": "b/two",
            "target": [90, 180],
            "analysis": analysis(
                200,
                12.0,
                {"situation", "task", "action", "result"},
                [],
                1,
                4,
                "long",
                ["spark", "shuffle.", "skew", "airflow"],
            ),
        },
        {"card": "b/three", "analysis": None},  # not answered: no evidence, not zero
    ]
}


def test_behavioral_lines_from_speech_metrics() -> None:
    card = score_mock("behavioral", STORIES)
    assert [(ln.key, ln.auto) for ln in card.lines] == [
        ("star", 10.5),  # 3 of 4 and 4 of 4 beats
        ("impact", 6.0),  # 1 of 2 quantified; 1 of 2 say "I" at least as often as "we"
        ("depth", 10.0),  # 2 terms (of 3) and 4 terms (capped): mean 0.833
        ("communication", 4.0),  # delivery 1.0 (1 filler/min, 145 wpm) and 0.0 (12/min, 200 wpm)
        ("reflection", 0.0),  # neither answer has a lesson or reflection heard
    ]
    assert card.total == 30.5 and card.max_total == 50 and not card.passed
    assert score_mock("behavioral", STORIES, {"reflection": 5, "depth": 8}).total == 33.5


def test_a_design_answered_aloud_scores_communication_from_its_delivery() -> None:
    fluent = analysis(145, 1.0, set(), [], 0, 3, "ok", ["kafka"])
    halting = analysis(200, 12.0, set(), [], 0, 3, "long", ["kafka"])
    spoken = {
        "design": {**DESIGN["design"], "spoken": {"card": "d/x", "target": [300, 600], "analysis": fluent}}
    }
    lines = {ln.key: ln.auto for ln in score_mock("design", spoken).lines}
    assert lines["communication"] == 10.0  # 1 filler a minute at 145 wpm: the whole line
    spoken["design"]["spoken"]["analysis"] = halting
    assert {ln.key: ln.auto for ln in score_mock("design", spoken).lines}["communication"] == 0.0
    spoken["design"]["spoken"]["analysis"] = None  # switched to aloud but never recorded: no evidence
    assert {ln.key: ln.auto for ln in score_mock("design", spoken).lines}["communication"] is None


def test_behavioral_on_the_real_speech_analysis() -> None:
    from prepdeck.recordings.analysis import analyze

    text = (
        "The situation was a nightly pipeline that failed. My task was to fix it. I rewrote the Spark job, "
        "I added a watermark and partitioned the table. As a result the runtime dropped by 40% and costs "
        "fell by 3000 dollars a month. I learned to test with production volumes."
    )
    words, t = [], 0.0
    for token in text.split():
        words.append({"text": token, "start": t, "end": t + 0.3, "prob": 0.9})
        t += 0.42
    result = analyze(words, t + 0.5, (20, 180))
    card = score_mock("behavioral", {"stories": [{"card": "b/x", "analysis": result, "target": [20, 180]}]})
    by_key = {ln.key: ln for ln in card.lines}
    assert (
        by_key["star"].auto
        == 12.0
        * len([b for b in ("situation", "task", "action", "result") if result["star"]["beats"][b]["found"]])
        / 4
    )
    assert by_key["impact"].auto == 12.0  # quantified, and all "I"
    assert by_key["depth"].auto == 12.0  # spark, watermark, partitioned…
    assert by_key["communication"].auto is not None


def test_parse_self_score() -> None:
    assert parse_self_score("", 8) is None
    assert parse_self_score(" 6 ", 8) == 6.0
    assert parse_self_score("6.5/8", 8) == 6.5
    assert parse_self_score("6,5", 8) == 6.5
    with pytest.raises(ValueError, match="outside 0–8"):
        parse_self_score("9", 8)
    with pytest.raises(ValueError, match="not a number"):
        parse_self_score("good", 8)


def test_combined_coding_line() -> None:
    sql = score_mock("sql", sql_evidence())
    assert combined_coding([sql]) is None
    spark = score_mock("pyspark", {}, {"correctness": 16, "scalability": 8, "code_quality": 2})
    assert combined_coding([sql, spark]) == {"total": 60.0, "max": 80, "pass": 60, "passed": True}


def test_scores_are_stored_and_listed_per_round(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "db.sqlite")
    first = mock_store.create_mock(store, "sql", ["s/a"], [], started_at="2026-11-01T10:00:00.000000+00:00")
    card = score_mock("sql", sql_evidence(), {"correctness": 4})
    mock_store.save_scores(
        store,
        first,
        phases=[{"name": "coding"}],
        evidence=sql_evidence(),
        scores=card.scores_json(),
        total=card.total,
        max_total=card.max_total,
    )
    second = mock_store.create_mock(store, "sql", ["s/b"], [], started_at="2026-11-02T10:00:00.000000+00:00")
    mock_store.create_mock(store, "design", ["d/a"], [])
    rows = mock_store.list_mocks(store, "sql")
    assert [r.id for r in rows] == [second, first]
    done = rows[1]
    assert (
        done.finished and done.total == 26.0 and done.max_total == 40 and done.passed is False
    )  # 4 + 8 + 8 + 6 < 28
    assert done.scores["correctness"] == {
        **done.scores["correctness"],
        "auto": 12.0,
        "self": 4.0,
        "final": 4.0,
        "source": "self",
    }
    assert rows[0].finished is False and rows[0].passed is None
    assert [r.id for r in mock_store.list_mocks(store, "sql", exclude=second)] == [first]
    raw = store.db.execute("SELECT scores FROM mocks WHERE id = ?", [first]).fetchone()[0]
    assert json.loads(raw)["advanced_sql"]["method"].startswith("8 × share of what the problem calls for")
