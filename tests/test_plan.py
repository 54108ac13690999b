"""The interview plan: a synthetic FSRS-6 learner follows it on a real SQLite file; the CLI as a process."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.plan_learner import learner_decks, run_with_plan
from prepdeck.core.config import Config
from prepdeck.core.days import DayClock
from prepdeck.core.plan import PlanSettings, build_plan, recall_on
from prepdeck.core.scheduler import GOOD, Scheduling
from prepdeck.core.store import Store
from prepdeck.reports.readiness import parse_rounds, score_trend

START = dt.date(2026, 3, 2)


def study_day() -> dt.date:
    """Today as prepdeck counts days (they start at 04:00 local time): a run at 01:00 is still yesterday."""
    return DayClock(Config().review.day_starts_at_hour).day_of(dt.datetime.now(dt.UTC))


def test_a_learner_following_the_plan_is_ready_on_the_day_within_the_budget(tmp_path: Path) -> None:
    # 300 cards of four rounds, 45 days, 30 minutes a day; the learner's true memory is weaker than the
    # model prepdeck plans with, and it fails a card as often as its true recall says
    outcome = run_with_plan(tmp_path / "plan.db", START, days=45, minutes=30)
    assert outcome.cards == 300
    assert outcome.mean_true_recall >= 0.90, outcome
    assert outcome.days_over_budget == 0, outcome.daily_minutes
    assert outcome.cards_seen_twice == 300  # every new card answered on two different days before the date


def _scheduling(tmp_path: Path, per_round: int = 10) -> Scheduling:
    store = Store.open(tmp_path / "p.db")
    return Scheduling(
        store,
        learner_decks(per_round),
        Config(),
        clock=lambda: dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC),
        tz=dt.UTC,
    )


def test_a_card_that_would_not_hold_until_the_date_is_advanced(tmp_path: Path) -> None:
    scheduling = _scheduling(tmp_path, per_round=1)
    card = scheduling.decks.card("sql/c000")
    assert card is not None
    at = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)
    for _ in range(4):  # learned well: its next review falls weeks ahead
        outcome = scheduling.review(card, GOOD, now=at)
        reviewed, at = at, max(outcome.due, at + dt.timedelta(minutes=1))
    at = reviewed + dt.timedelta(days=1)  # the day after that last review
    due_day = outcome.due.date()
    assert (due_day - at.date()).days > 10
    date = due_day - dt.timedelta(days=2)  # the interview comes before that review would
    cards = scheduling.plan_cards(["sql"], now=at)
    before = recall_on(cards[0].state, cards[0].scheduler, date)
    plan = build_plan(
        cards,
        PlanSettings(date=date, rounds=("sql",), minutes_per_day=30, target=min(0.99, before + 0.02)),
        at.date(),
    )
    advanced = [d for d in plan.days if "sql/c000" in d.advanced]
    assert len(advanced) == 1 and advanced[0].date < date
    assert plan.forecast["sql"].recall is not None and plan.forecast["sql"].recall > before
    # at a target the card meets by itself, nothing is advanced
    holds = PlanSettings(date=date, rounds=("sql",), minutes_per_day=30, target=before - 0.05)
    relaxed = build_plan(scheduling.plan_cards(["sql"], now=at), holds, at.date())
    assert all(not d.advanced and not d.card_ids for d in relaxed.days)
    scheduling.store.close()


def test_a_date_too_close_for_the_minutes_says_so_and_what_would_meet_it(tmp_path: Path) -> None:
    scheduling = _scheduling(tmp_path, per_round=40)
    settings = PlanSettings(date=START + dt.timedelta(days=6), minutes_per_day=10)
    plan = build_plan(scheduling.plan_cards(settings.rounds), settings, START)
    assert not plan.feasible
    assert any("cannot be introduced in time" in p for p in plan.problems)
    assert any(s.startswith("give it ") and "min a day" in s for s in plan.suggestions)
    # the plan never fills a day past the minutes with new cards
    assert all(d.minutes <= 10 * 1.10 for d in plan.days)
    scheduling.store.close()


def test_easy_days_carry_half_the_load(tmp_path: Path) -> None:
    scheduling = _scheduling(tmp_path, per_round=25)
    settings = PlanSettings(date=START + dt.timedelta(days=28), minutes_per_day=20, easy_days=("sun",))
    plan = build_plan(scheduling.plan_cards(settings.rounds), settings, START)
    sundays = [d.minutes for d in plan.days if d.date.weekday() == 6]
    others = [d.minutes for d in plan.days if d.date.weekday() != 6]
    assert sundays and max(sundays) <= 10 * 1.10
    assert max(others) > max(sundays)
    scheduling.store.close()


def test_score_trend_is_the_newest_score_moved_along_half_the_slope() -> None:
    assert score_trend([None, None, None, None], 4, 40) is None
    assert score_trend([None, 20.0, None, None], 4, 40) == 20.0
    # 20, 24, 28 over three weeks: slope 4 a week, halved → +2 a week, 4 weeks ahead: 28 + 8
    assert score_trend([None, 20.0, 24.0, 28.0], 4, 40) == 36.0
    assert score_trend([30.0, 35.0, 38.0, 40.0], 10, 40) == 40.0  # never past the rubric's maximum
    with pytest.raises(ValueError, match="bad --rounds"):
        parse_rounds("sql,oracle")


def _prepdeck(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PREPDECK_HOME": str(home)}
    return subprocess.run([sys.executable, "-m", "prepdeck", *args], capture_output=True, text=True, env=env)


def test_plan_command_sets_shows_and_clears_the_plan(tmp_path: Path) -> None:
    date = (study_day() + dt.timedelta(days=30)).isoformat()
    run = _prepdeck(
        tmp_path, "plan", "--date", date, "--rounds", "sql,behavioral", "--minutes", "45", "--json"
    )
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    assert data["date"] == date and data["rounds"] == ["sql", "behavioral"] and data["minutes_per_day"] == 45
    assert set(data["forecast"]) == {"sql", "behavioral"}
    assert data["forecast"]["sql"]["max"] == 40 and data["forecast"]["sql"]["pass"] == 28
    assert data["forecast"]["sql"]["score"] is None  # no evidence yet
    assert 0 <= data["forecast"]["sql"]["recall"] <= 1
    assert len(data["daily"]) == 30 and data["days_left"] == 30
    assert set(data["daily"][0]) == {"date", "reviews", "new", "minutes"}
    shown = _prepdeck(tmp_path, "plan")  # the stored plan, shown again
    assert shown.returncode == 0 and f"Interview on {date}" in shown.stdout and "45 min a day" in shown.stdout
    cleared = _prepdeck(tmp_path, "plan", "--clear")
    assert cleared.returncode == 0
    none = _prepdeck(tmp_path, "plan")  # no plan: said, not an error (docs/cli.md: 2 for bad input only)
    assert none.returncode == 0 and "no interview plan yet" in none.stdout and not none.stderr
    as_json = _prepdeck(tmp_path, "plan", "--json")
    assert as_json.returncode == 0 and json.loads(as_json.stdout) is None, as_json.stderr
    report = _prepdeck(tmp_path, "report", "--json", "--out", str(tmp_path / "out"))
    assert json.loads(report.stdout)["plan"] is None  # the same "no plan" as the report's
    minutes = _prepdeck(tmp_path, "plan", "--minutes", "30")  # nothing to change: bad input
    assert minutes.returncode == 2 and "--date" in minutes.stderr and len(minutes.stderr.splitlines()) == 1


NEAR = (dt.date.today() + dt.timedelta(days=60)).isoformat()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--date", "2020-01-01"], "is not in the future"),
        (["--date", "next friday"], "bad --date 'next friday': use YYYY-MM-DD"),
        (["--date", NEAR, "--rounds", "sql,chess"], "bad --rounds 'sql,chess'"),
        (["--date", NEAR, "--minutes", "0"], "bad --minutes 0"),
        # was saved, then every `plan`, `report` and the home screen stopped on an OverflowError
        (["--date", "9999-12-31"], "9999-12-31 is more than three years away"),
        (["--date", f"sql={NEAR},design=2200-01-01"], "2200-01-01 is more than three years away"),
    ],
)
def test_plan_command_refuses_bad_input_in_one_line(tmp_path: Path, args: list[str], message: str) -> None:
    run = _prepdeck(tmp_path, "plan", *args)
    assert run.returncode == 2
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], run.stderr
    shown = _prepdeck(tmp_path, "plan")  # nothing was saved
    assert shown.returncode == 0 and "no interview plan yet" in shown.stdout, shown.stderr


def test_the_queue_follows_the_plan_new_cards_and_advanced_reviews(tmp_path: Path) -> None:
    from prepdeck.core.plan import save_settings

    scheduling = _scheduling(tmp_path, per_round=30)
    now = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)
    plain = scheduling.queue(now=now)
    assert len(plain) == 20  # new_per_day without a plan
    save_settings(
        scheduling.store,
        PlanSettings(date=START + dt.timedelta(days=20), rounds=("sql", "design"), minutes_per_day=15),
    )
    today = scheduling.plan_today(now)
    assert today is not None and today.rounds == ("sql", "design") and 0 < today.new < 30
    queue = scheduling.queue(now=now)
    planned = [c for c in queue if c.deck_id in ("sql", "design")]
    others = [c for c in queue if c.deck_id not in ("sql", "design")]
    assert len(planned) == today.new  # the plan's pace for its rounds
    assert len(others) == 20  # rounds outside the plan keep the daily limit
    # introducing one planned card takes one off today's plan, and the day's figure does not move
    scheduling.review(planned[0], GOOD, now=now)
    again = scheduling.queue(now=now + dt.timedelta(minutes=1))
    assert (
        len([c for c in again if c.deck_id in ("sql", "design") and c.global_id != planned[0].global_id])
        == today.new - 1
    )
    assert scheduling.plan_today(now + dt.timedelta(minutes=1)) == today
    scheduling.store.close()


def test_practice_is_logged_but_leaves_the_schedule_alone(tmp_path: Path) -> None:
    scheduling = _scheduling(tmp_path, per_round=3)
    card = scheduling.decks.card("sql/c000")
    assert card is not None
    now = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)
    scheduling.review(card, 1, now=now)  # failed today
    before = scheduling.state(card.global_id)
    assert [c.global_id for c in scheduling.practice_cards("failures", now=now)] == ["sql/c000"]
    scheduling.practice(card, GOOD, now=now + dt.timedelta(minutes=2), duration_ms=5000)
    scheduling.practice(card, GOOD, now=now + dt.timedelta(minutes=3))
    assert scheduling.state(card.global_id) == before
    kinds = [r.kind for r in scheduling.store.reviews_for(card.global_id)]
    assert kinds == ["review", "practice", "practice"]
    # the log stays the truth: a rebuild ignores practice, and undo takes it back without touching the state
    scheduling.rebuild()
    assert scheduling.state(card.global_id) == before
    undone = scheduling.undo()
    assert undone is not None and undone.kind == "practice" and scheduling.state(card.global_id) == before
    # practising a new card does not make it seen, nor spend the day's new cards
    fresh = scheduling.decks.card("sql/c001")
    assert fresh is not None
    count = len(scheduling.queue(now=now))
    scheduling.practice(fresh, GOOD, now=now + dt.timedelta(minutes=5))
    assert scheduling.state(fresh.global_id) is None and len(scheduling.queue(now=now)) == count
    assert [c.global_id for c in scheduling.practice_cards("round", "design")] == [
        "design/c000",
        "design/c001",
        "design/c002",
    ]
    weakest = scheduling.practice_cards("weakest", now=now + dt.timedelta(days=3))
    assert [c.global_id for c in weakest] == ["sql/c000"]  # the only card seen
    scheduling.store.close()


def test_the_weekly_report_gains_the_plan_forecast_and_the_story_bank(tmp_path: Path) -> None:
    from prepdeck.core.stories import save_story

    date = (study_day() + dt.timedelta(days=21)).isoformat()
    assert _prepdeck(tmp_path, "plan", "--date", date, "--rounds", "behavioral").returncode == 0
    store = Store.open(tmp_path / "prepdeck.db")
    save_story(store, "<script>alert(1)</script> load fix", {"result": "0 failures"}, ["ownership"])
    store.close()
    run = _prepdeck(tmp_path, "report", "--json", "--out", str(tmp_path / "out"))
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    assert data["plan"]["date"] == date and set(data["plan"]["forecast"]) == {"behavioral"}
    assert data["stories"]["count"] == 1 and "conflict" in data["stories"]["gaps"]
    md = Path(data["files"]["md"]).read_text()
    assert "## Interview plan" in md and f"Interview on {date}" in md and "## Story bank" in md
    html = Path(data["files"]["html"]).read_text()
    assert 'id="plan"' in html and 'id="stories"' in html
    assert "<script>alert(1)</script>" not in html and "<script>alert(1)</script>" not in md


def test_a_loop_over_several_days_plans_each_round_for_its_own_day(tmp_path: Path) -> None:
    scheduling = _scheduling(tmp_path, per_round=12)
    sql_day, design_day = START + dt.timedelta(days=10), START + dt.timedelta(days=20)
    settings = PlanSettings(
        date=sql_day, rounds=("sql", "design"), minutes_per_day=30, round_dates=(("design", design_day),)
    )
    assert settings.last_date == design_day and settings.date_for("sql") == sql_day
    plan = build_plan(scheduling.plan_cards(settings.rounds), settings, START)
    assert plan.days[-1].date == design_day - dt.timedelta(days=1)
    for day in plan.days:  # nothing of the SQL round is planned on or after its day; design goes on
        if day.date >= sql_day:
            assert not [c for c in day.card_ids if c.startswith("sql/")]
    assert any(c.startswith("design/") for d in plan.days if d.date >= sql_day for c in d.card_ids)
    assert plan.forecast["sql"].unseen == 0 and plan.forecast["design"].unseen == 0
    scheduling.store.close()
    # the command line takes one day per round, and prints them
    home = tmp_path / "cli"
    first, second = study_day() + dt.timedelta(days=20), study_day() + dt.timedelta(days=22)
    run = _prepdeck(home, "plan", "--date", f"sql={first},behavioral={second}", "--json")
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    assert data["date"] == first.isoformat() and data["dates"] == {
        "sql": first.isoformat(),
        "behavioral": second.isoformat(),
    }
    assert data["rounds"] == ["sql", "behavioral"] and len(data["daily"]) == 22
    bad = _prepdeck(home, "plan", "--date", f"chess={first}")
    assert bad.returncode == 2 and "'chess' is not a round" in bad.stderr
