"""The weekly figures, asserted exactly against the hand-worked scenario in report_scenario.py."""

from __future__ import annotations

import datetime as dt
import time
from zoneinfo import ZoneInfo

import pytest
from report_scenario import NY, ny, seed_scenario
from report_seed import add_recording, add_review, analysis, small_decks

from prepdeck.core.store import Store
from prepdeck.reports.figures import week_figures
from prepdeck.reports.week import Week, WeekError

CLI_KEYS = {
    "week",
    "start",
    "end",
    "reviews",
    "cards_reviewed",
    "minutes",
    "retention",
    "rounds",
    "speech",
    "files",
}


@pytest.fixture
def local_tz(monkeypatch: pytest.MonkeyPatch):
    """Run the test with the process in New York time, then restore the zone."""
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def store(tmp_path) -> Store:
    s = Store.open(tmp_path / "prepdeck.db")
    seed_scenario(s)
    yield s
    s.close()


def figures(store: Store, week: str = "2026-W10", now: dt.datetime | None = None, tz=None) -> dict:
    return week_figures(store, small_decks(), week, now=now or ny(3, 9, 12), tz=tz)


def test_week_at_a_glance(store, local_tz):
    f = figures(store)
    assert set(f) >= CLI_KEYS
    assert (f["week"], f["start"], f["end"]) == ("2026-W10", "2026-03-02", "2026-03-08")
    # 7 reviews: the W09 one 10 min before local Monday and the W11 one at Monday 00:30 EDT are outside
    assert f["reviews"] == 7
    assert f["cards_reviewed"] == 6
    assert f["minutes"] == 25.5  # 600+300+60+30+180+240+120 s ×1000 ms
    # repeats: revenue (Good), explain-plan (Again, Good); every other review is a card's first
    assert f["retention"] == pytest.approx(2 / 3, abs=1e-4)
    assert f["new_cards"] == 4
    assert f["active_days"] == 6  # no review on Saturday
    assert f["streak"] == 1  # Sunday only: Saturday broke it
    assert [d["reviews"] for d in f["per_day"]] == [1, 1, 1, 2, 1, 0, 1]
    assert f["last_week"] == {"week": "2026-W09", "reviews": 3, "minutes": 25.3, "retention": None}
    assert f["empty"] is False


def test_sql_scorecard_from_judge_evidence(store, local_tz):
    sql = figures(store)["rounds"]["sql"]
    lines = {ln["key"]: ln["score"] for ln in sql["lines"]}
    # correctness: first-try 1/2 and hidden 1/2 on first tries -> 16 × 0.5
    # advanced: the window/CTE card (dedupe) solved 1/1; optimization: recall retention 1/2;
    # clarity & scale: both solved within 10 min (480 s, 200 s)
    assert lines == {"correctness": 8.0, "advanced_sql": 8.0, "optimization": 4.0, "clarity_scale": 8.0}
    assert (sql["score"], sql["max"], sql["pass"], sql["passed"]) == (28.0, 40, 28, True)
    # last week: revenue first try (16) + within time (8); no window problem, no repeat recall review
    assert (sql["last_week"], sql["change"]) == (24.0, 4.0)
    assert all(ln["method"] and ln["evidence"] for ln in sql["lines"])


def test_round_without_evidence_is_null_not_zero(store, local_tz):
    f = figures(store)
    spark = f["rounds"]["pyspark"]
    assert spark["score"] is None and spark["passed"] is None
    assert all(ln["score"] is None for ln in spark["lines"])
    assert spark["last_week"] == 0.0  # W09: solved on the third try, the only evidence then
    assert spark["change"] is None
    assert f["combined"]["sql_pyspark"] == {"score": None, "max": 80, "pass": 60, "passed": None}


def test_design_scorecard_from_checklist_and_capacity(store, local_tz):
    design = figures(store)["rounds"]["design"]
    lines = {ln["key"]: ln["score"] for ln in design["lines"]}
    assert lines == {
        "requirements": 10.0,
        "architecture": 15.0,
        "capacity": 10.0,
        "reliability": 0.0,
        "security": 10.0,
        "tradeoffs": 0.0,
        "communication": None,
    }
    # a line without evidence: the sum of the others, and no pass verdict
    assert (design["score"], design["evidence_max"], design["complete"], design["passed"]) == (
        45.0,
        90,
        False,
        None,
    )


def test_behavioral_scorecard_from_speech_and_self_score(store, local_tz):
    beh = figures(store)["rounds"]["behavioral"]
    lines = {ln["key"]: ln["score"] for ln in beh["lines"]}
    # star: (4/4 + 2/4)/2 × 12 (the first answer's reflection is not a STAR beat); impact: (1/2 + 1/2)/2 × 12;
    # depth: self-score 9/12 only (no words, so no technical terms to count);
    # communication: delivery (0.944 + 0.542)/2 × 8 = 5.94; reflection: heard in 1 of 2 answers × 6
    assert lines == {"star": 9.0, "impact": 6.0, "depth": 9.0, "communication": 5.9, "reflection": 3.0}
    assert (beh["score"], beh["passed"]) == (32.9, False)


def test_speech_and_failures(store, local_tz):
    f = figures(store)
    sp = f["speech"]
    assert (sp["attempts"], sp["fillers_per_minute"], sp["wpm"]) == (
        2,
        6.0,
        135.0,
    )  # 25 fillers / (250 s / 60)
    assert sp["star_beats"] == {"situation": 2, "task": 1, "action": 2, "result": 1}
    assert sp["star_coverage"] == 0.75
    assert f["failed_patterns"] == [
        {"tag": "dedupe", "count": 1},
        {"tag": "optimization", "count": 1},
        {"tag": "window", "count": 1},
    ]
    assert f["hidden_failures"] == [
        {
            "card": "sql-patterns/dedupe-latest",
            "title": "Latest row per transaction",
            "case": "late duplicate",
            "count": 1,
        }
    ]
    assert f["leeches"] == [
        {
            "card": "sql-patterns/partition-pruning",
            "title": "Partition pruning",
            "since": "2026-03-04",
            "lapses": 8,
        }
    ]
    assert f["mocks"]["count"] == 1 and f["mocks"]["rounds"]["sql"][0]["share"] == 0.75
    assert any("Behavioral" in item for item in f["focus"]) and len(f["focus"]) <= 5


def test_retention_per_deck_and_round(store, local_tz):
    f = figures(store)
    by_deck = {d["deck"]: (d["reviews"], d["this_week"]) for d in f["retention_by_deck"]}
    assert by_deck == {
        "sql-patterns": (4, pytest.approx(2 / 3, abs=1e-4)),
        "system-design": (1, None),
        "behavioral": (2, None),
    }
    assert f["retention_by_round"]["sql"]["this_week"] == pytest.approx(2 / 3, abs=1e-4)
    assert f["retention_by_round"]["pyspark"] == {"this_week": None, "last_week": None}


def test_forecast_and_heatmap(store, local_tz):
    f = figures(store)
    due = [d["due"] for d in f["forecast"]]
    # overdue revenue counts today (9 Mar); the leech and the card of a removed deck are left out
    assert len(due) == 14 and due[:4] == [1, 1, 0, 1] and sum(due) == 3
    assert f["forecast"][0]["date"] == "2026-03-09"
    assert len(f["heatmap"]) == 84 and f["heatmap"][-1]["date"] == "2026-03-08"
    assert sum(d["reviews"] for d in f["heatmap"]) == 10  # W09's 3 + W10's 7; W11 is after the map


def test_week_bounds_follow_local_time_not_utc(store, local_tz):
    start, end = Week.parse("2026-W10").bounds()
    assert end - start == dt.timedelta(hours=167)  # daylight saving starts on Sunday 8 March
    # the review at Sunday 23:50 EST (Monday 04:50 UTC) belongs to W09 in New York
    assert figures(store, "2026-W09")["reviews"] == 3
    assert figures(store, "2026-W11")["reviews"] == 1


def test_explicit_zone_gives_the_same_week_whatever_the_process_zone(store, monkeypatch):
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    try:
        f = figures(store, tz=NY)
        utc = figures(store)
    finally:
        monkeypatch.undo()
        time.tzset()
    assert [d["reviews"] for d in f["per_day"]] == [1, 1, 1, 2, 1, 0, 1]
    # read in UTC the week gains Sunday 23:50 EST (Monday 04:50 UTC) and loses Sunday 23:30 EDT,
    # and Thursday 20:05 / Friday 19:00 EST move to the next UTC day
    assert [d["reviews"] for d in utc["per_day"]] == [2, 1, 1, 1, 1, 1, 0]


def test_half_hour_zone_splits_days_at_local_midnight(tmp_path):
    kolkata = ZoneInfo("Asia/Kolkata")  # UTC+5:30: local midnight is 18:30 UTC
    s = Store.open(tmp_path / "db.sqlite")
    add_review(s, "sql-patterns/explain-plan", dt.datetime(2026, 3, 3, 18, 29, tzinfo=dt.UTC), 3)
    add_review(s, "sql-patterns/explain-plan", dt.datetime(2026, 3, 3, 18, 31, tzinfo=dt.UTC), 3)
    f = week_figures(s, small_decks(), "2026-W10", now=dt.datetime(2026, 3, 9, tzinfo=dt.UTC), tz=kolkata)
    assert [d["reviews"] for d in f["per_day"]] == [0, 1, 1, 0, 0, 0, 0]
    assert f["retention"] == 1.0 and f["new_cards"] == 1


def test_streak_counts_back_from_today_inside_the_current_week(store, local_tz):
    # Friday evening: Fri, Thu, Wed, Tue, Mon and Sunday 1 March (W09) -> 6; Saturday 28 Feb had none
    assert figures(store, now=ny(3, 6, 21))["streak"] == 6
    assert figures(store, now=ny(3, 6, 21), week=None)["week"] == "2026-W10"


def test_empty_week_has_null_scores_and_says_so(tmp_path, local_tz):
    s = Store.open(tmp_path / "empty.db")
    f = week_figures(s, small_decks(), "2026-W10", now=ny(3, 9, 12))
    assert f["empty"] is True
    assert (f["reviews"], f["cards_reviewed"], f["minutes"], f["retention"]) == (0, 0, 0.0, None)
    assert all(r["score"] is None and r["passed"] is None for r in f["rounds"].values())
    assert f["speech"]["attempts"] == 0 and f["speech"]["fillers_per_minute"] is None
    assert f["focus"][0].startswith("No reviews this week")


def test_untranscribed_or_failed_recordings_are_not_evidence(tmp_path, local_tz):
    s = Store.open(tmp_path / "r.db")
    add_recording(s, "behavioral/outage", ny(3, 4, 9), None)  # saved, never transcribed
    add_recording(s, "behavioral/outage", ny(3, 4, 10), analysis(60, 140, 2, ["situation"]))
    f = week_figures(s, small_decks(), "2026-W10", now=ny(3, 9, 12))
    assert f["speech"]["attempts"] == 1
    assert f["rounds"]["behavioral"]["lines"][0]["score"] == 3.0  # 1 of 4 beats × 12


@pytest.mark.parametrize("bad", ["2026-W54", "2026-W00", "2026-10", "W10", "2026-w10x", ""])
def test_invalid_week_is_a_one_line_error(bad):
    with pytest.raises(WeekError) as err:
        Week.parse(bad)
    message = str(err.value)
    assert "\n" not in message and message.startswith("invalid week")


def test_week_53_exists_in_long_years():
    assert Week.parse("2026-W53").monday == dt.date(2026, 12, 28)
    with pytest.raises(WeekError):
        Week.parse("2025-W53")


def test_reads_the_speech_analysis_as_recordings_store_it(tmp_path, local_tz):
    """The delivery analysis from prepdeck.recordings (not a hand-made dict): beats, numbers, I/we, length."""
    from prepdeck.recordings.analysis import analyze

    text = (
        "At my last company our nightly pipeline took three hours. I was asked to own the redesign. "
        "I profiled the Spark jobs and I rewrote the joins, um, with broadcast joins. As a result runtime "
        "dropped by 60% and we saved 2000 dollars a month."
    )
    words, t = [], 0.0
    for w in text.split():
        words.append({"text": w, "start": t, "end": t + 0.3})
        t += 0.4
    result = analyze(words, t + 1, (90, 180))
    s = Store.open(tmp_path / "speech.db")
    rec = add_recording(s, "behavioral/pipeline-impact", ny(3, 4, 9), result)
    with s.transaction() as c:
        c.execute("UPDATE recordings SET duration_s = ? WHERE id = ?", (t + 1, rec))
    f = week_figures(s, small_decks(), "2026-W10", now=ny(3, 9, 12))
    lines = {ln["key"]: ln for ln in f["rounds"]["behavioral"]["lines"]}
    assert lines["star"]["score"] == 12.0  # all four beats heard
    assert lines["impact"]["score"] == 12.0  # numbers with units, and "I" (4) over "we" (2)
    assert lines["reflection"]["score"] == 0.0  # 18 s is short of the 90-180 s target
    assert f["speech"]["items"][0]["within_target"] is False
    assert f["speech"]["fillers_per_minute"] == pytest.approx(1 / ((t + 1) / 60), abs=0.05)


def test_payloads_of_the_app_views_are_evidence_without_rows(tmp_path, local_tz):
    """The code view's payload (last run under "results") and the design view's ("self_check")."""
    s = Store.open(tmp_path / "payload.db")
    add_review(
        s,
        "sql-patterns/revenue-by-country",
        ny(3, 3, 10),
        2,
        90_000,
        {
            "kind": "sql",
            "attempts": 1,
            "attempt_ids": [],
            "passed": True,
            "final_answer": "SELECT 1",
            "dialect": "duckdb",
            "gave_up": False,
            "seconds": 90.0,
            "results": {
                "passed": True,
                "error": None,
                "elapsed_ms": 3.0,
                "cases": [
                    {"name": "example", "hidden": False, "passed": True, "message": ""},
                    {"name": "empty table", "hidden": True, "passed": True, "message": ""},
                ],
            },
        },
    )
    add_review(
        s,
        "system-design/fraud-stream",
        ny(3, 4, 10),
        3,
        300_000,
        {
            "self_check": {
                "checklist": [True, True, True, True, False],
                "numbers": [
                    {"question": "q", "expected": 20000, "answer": "20k", "value": 20000, "correct": True}
                ],
                "coverage": 0.83,
            }
        },
    )
    f = week_figures(s, small_decks(), "2026-W10", now=ny(3, 9, 12))
    sql = {ln["key"]: ln["score"] for ln in f["rounds"]["sql"]["lines"]}
    assert sql["correctness"] == 16.0 and sql["clarity_scale"] == 8.0
    design = {ln["key"]: ln["score"] for ln in f["rounds"]["design"]["lines"]}
    assert design["architecture"] == 20.0 and design["capacity"] == 20.0 and design["tradeoffs"] == 0.0


def test_a_code_card_revealed_without_a_run_is_not_a_judge_failure(tmp_path, local_tz):
    """Space on a SQL card before any run, then Good: no verdict, so neither a failed solve nor a pattern
    to drill; the review itself still counts."""
    s = Store.open(tmp_path / "noruns.db")
    payload = {"kind": "sql", "attempts": 0, "attempt_ids": [], "passed": False, "gave_up": True}
    add_review(s, "sql-patterns/revenue-by-country", ny(3, 3, 10), 3, 60_000, payload)
    f = week_figures(s, small_decks(), "2026-W10", now=ny(3, 9, 12))
    assert f["reviews"] == 1
    assert f["failed_patterns"] == []
    assert f["rounds"]["sql"]["score"] is None  # no judge evidence at all, not a zero
    assert not any("Drill the pattern" in line for line in f["focus"])
