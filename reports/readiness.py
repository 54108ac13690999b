"""`prepdeck plan [--date YYYY-MM-DD] [--rounds R,…] [--minutes N] [--clear] [--json]` (docs/cli.md).

The recall forecast and the daily load come from `core/plan.py`; the rubric score forecast per round comes
from the weekly reports' scores: the newest week with evidence for the round, moved along its trend over the
last four weeks to the interview date (never past the rubric's range), against the pass line.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import Any

from prepdeck.core.plan import ROUNDS, WEEKDAYS, Plan, PlanSettings, build_plan, load_settings, save_settings
from prepdeck.decks.text import json_text
from prepdeck.scoring.rubrics import RUBRICS


def _fail(message: str) -> int:
    print(f"prepdeck: {message}", file=sys.stderr)
    return 2


# a plan replays every day until the interview: a date further than this is a typo (and year 9999 would
# take the cards' next due days past the calendar's end)
MAX_DAYS_AHEAD = 3 * 366


def parse_dates(text: str, today: dt.date) -> tuple[dt.date, tuple[tuple[str, dt.date], ...]]:
    """`2027-01-15`, or one day per round of a loop: `sql=2027-01-15,design=2027-01-16` (a bare date is the
    day of every round not named). Returns the first day and the rounds on other days; ValueError for a
    day more than three years after `today`."""
    default: dt.date | None = None
    by_round: dict[str, dt.date] = {}
    for part in (p.strip() for p in text.split(",") if p.strip()):
        name, _, day = part.rpartition("=")
        name = name.strip().lower()
        if name and name not in ROUNDS:
            raise ValueError(f"bad --date '{text}': {name!r} is not a round ({', '.join(ROUNDS)})")
        try:
            value = dt.date.fromisoformat(day.strip())
        except ValueError:
            raise ValueError(
                f"bad --date '{text}': use YYYY-MM-DD, or ROUND=YYYY-MM-DD,… for a loop over several days"
            ) from None
        if value > today + dt.timedelta(days=MAX_DAYS_AHEAD):
            raise ValueError(f"bad --date '{text}': {value} is more than three years away")
        if name:
            by_round[name] = value
        else:
            default = value
    if default is None and not by_round:
        raise ValueError(f"bad --date '{text}': use YYYY-MM-DD")
    first = min([d for d in (default, *by_round.values()) if d is not None])
    base = default or first
    return base, tuple((r, d) for r, d in by_round.items() if d != base)


def _rounds_of_dates(text: str | None, default: tuple[str, ...]) -> tuple[str, ...]:
    """The rounds a --date names when it gives only per-round days (`sql=…,design=…`); else `default`."""
    parts = [p for p in (text or "").split(",") if p.strip()]
    if not parts or not all("=" in p for p in parts):
        return default
    named = [p.split("=", 1)[0].strip().lower() for p in parts]
    return tuple(r for r in ROUNDS if r in named)


def parse_rounds(text: str) -> tuple[str, ...]:
    rounds = tuple(dict.fromkeys(part.strip().lower() for part in text.split(",") if part.strip()))
    bad = [r for r in rounds if r not in ROUNDS]
    if bad or not rounds:
        raise ValueError(f"bad --rounds '{text}': use a comma-separated list of {', '.join(ROUNDS)}")
    return rounds


def score_trend(weekly: list[float | None], weeks_ahead: float, max_score: float) -> float | None:
    """The newest weekly score moved along the least-squares slope of the weeks that have one.

    Two scored weeks at least for a slope; the slope is halved (a trend rarely holds) and the forecast
    stays within the rubric's 0..max."""
    points = [(i, s) for i, s in enumerate(weekly) if s is not None]
    if not points:
        return None
    last_x, last = points[-1]
    if len(points) < 2:
        return round(last, 1)
    mean_x = sum(x for x, _ in points) / len(points)
    mean_y = sum(y for _, y in points) / len(points)
    spread = sum((x - mean_x) ** 2 for x, _ in points)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in points) / spread if spread else 0.0
    ahead = weeks_ahead + (len(weekly) - 1 - last_x)
    return round(min(max(last + slope * 0.5 * ahead, 0.0), max_score), 1)


def round_scores(ctx: Any, now: dt.datetime, weeks: int = 4) -> dict[str, list[float | None]]:
    """Each round's weekly rubric score over the last `weeks` weeks, oldest first."""
    from prepdeck.reports.figures import week_figures
    from prepdeck.reports.week import Week

    week = Week.containing(now, None)
    series: list[Week] = []
    for _ in range(weeks):
        series.insert(0, week)
        week = week.previous()
    scores: dict[str, list[float | None]] = {r: [] for r in ROUNDS}
    for wk in series:
        figures = week_figures(ctx.store(), ctx.decks(), wk, now=now)
        for round_name in ROUNDS:
            scores[round_name].append((figures.get("rounds", {}).get(round_name) or {}).get("score"))
    return scores


def plan_json(plan: Plan, scores: dict[str, list[float | None]]) -> dict[str, Any]:
    weeks_ahead = plan.days_left / 7
    forecast: dict[str, Any] = {}
    for round_name, f in plan.forecast.items():
        rubric = RUBRICS[round_name]
        forecast[round_name] = {
            "recall": f.recall,
            "score": score_trend(scores.get(round_name, []), weeks_ahead, rubric.max_score),
            "max": rubric.max_score,
            "pass": rubric.pass_score,
            "cards": f.cards,
            "below_0_8": f.below,
            "unseen": f.unseen,
        }
    dates = {"dates": {r: plan.settings.date_for(r).isoformat() for r in plan.settings.rounds}}
    return {
        "date": plan.settings.date.isoformat(),
        **(dates if plan.settings.round_dates else {}),
        "rounds": list(plan.settings.rounds),
        "minutes_per_day": plan.settings.minutes_per_day,
        "easy_days": list(plan.settings.easy_days),
        "target": plan.settings.target,
        "days_left": plan.days_left,
        "feasible": plan.feasible,
        "problems": plan.problems,
        "suggestions": plan.suggestions,
        "forecast": forecast,
        "daily": [d.to_json() for d in plan.days],
    }


def readiness(ctx: Any, scheduling: Any, settings: PlanSettings, now: dt.datetime) -> dict[str, Any]:
    """The plan's figures (`plan --json`'s shape), for the command line and the app's plan screen."""
    today = scheduling.today_day(now)
    result = build_plan(scheduling.plan_cards(settings.rounds, now), settings, today)
    return plan_json(result, round_scores(ctx, now))


def _print(data: dict[str, Any]) -> None:
    when = (
        ", ".join(f"{r} {d}" for r, d in data["dates"].items()) if "dates" in data else f"on {data['date']}"
    )
    print(
        f"Interview {when} ({data['days_left']} days left) · rounds {', '.join(data['rounds'])} · "
        f"{data['minutes_per_day']:g} min a day"
    )
    print()
    print(f"{'round':<11}{'recall on the day':>18}{'below 0.8':>11}{'score':>10}{'pass':>6}")
    for round_name, f in data["forecast"].items():
        recall = "–" if f["recall"] is None else f"{f['recall']:.2f}"
        score = "–" if f["score"] is None else f"{f['score']:g}/{f['max']}"
        print(f"{round_name:<11}{recall:>18}{f['below_0_8']:>11}{score:>10}{f['pass']:>6}")
    print()
    if data["feasible"]:
        print("The plan meets the date with the minutes given.")
    else:
        print("The date cannot be met as planned:")
        for problem in data["problems"]:
            print(f"  - {problem}")
        if data["suggestions"]:
            print("What would meet it: " + "; ".join(data["suggestions"]) + ".")
    print()
    print("day         reviews   new   minutes")
    for day in data["daily"][:14]:
        print(f"{day['date']}  {day['reviews']:>7}  {day['new']:>4}  {day['minutes']:>8.1f}")
    if len(data["daily"]) > 14:
        print(f"… {len(data['daily']) - 14} more days (--json for all)")


def plan(args: argparse.Namespace) -> int:
    from prepdeck.core.context import Context
    from prepdeck.core.scheduler import Scheduling
    from prepdeck.core.store import StoreError, utcnow

    ctx = Context.for_command(args)
    try:
        now = utcnow()
        scheduling = Scheduling(ctx.store(), ctx.decks(), ctx.config)
        today = scheduling.today_day(now)
        current = load_settings(ctx.store())
        if args.clear:
            save_settings(ctx.store(), None)
            print("interview plan cleared: scheduling follows each deck's retention again")
            return 0
        try:
            date, round_dates = parse_dates(args.date, today) if args.date else (None, ())
        except ValueError as exc:
            return _fail(f"{exc}, e.g. {today + dt.timedelta(days=30)}")
        if date is not None and min([date, *(d for _, d in round_dates)]) <= today:
            return _fail(f"--date {args.date} is not in the future; give the day of the interview")
        try:
            rounds = parse_rounds(args.rounds) if args.rounds else None
        except ValueError as exc:
            return _fail(str(exc))
        minutes = args.minutes
        if minutes is not None and not 5 <= minutes <= 600:
            return _fail(f"bad --minutes {minutes:g}: give the minutes a day you have, 5 to 600")
        if current is None and date is None:
            if rounds is not None or minutes is not None:  # a change to a plan that does not exist
                return _fail("no interview plan yet: give its date too (--date YYYY-MM-DD)")
            # showing no plan is not an error (spec: 2 only for a past date or a bad round); JSON: null,
            # as the report's "plan" without one
            print(
                "null"
                if args.json
                else "no interview plan yet: set one with `prepdeck plan --date YYYY-MM-DD`"
            )
            return 0
        base = current or PlanSettings(date=date or today)
        easy = tuple(d for d in ctx.config.review.easy_days if d in WEEKDAYS)
        settings = PlanSettings(
            date=date or base.date,
            rounds=rounds or _rounds_of_dates(args.date, base.rounds),
            round_dates=round_dates if date else base.round_dates,
            minutes_per_day=float(minutes) if minutes is not None else base.minutes_per_day,
            easy_days=easy,
            target=base.target,
        )
        if settings.last_date <= today:
            return _fail(
                f"the interview date {settings.date} has passed: the plan has ended; set a new one with --date or --clear it"
            )
        if date is not None or rounds is not None or minutes is not None:
            save_settings(ctx.store(), settings)
        data = readiness(ctx, scheduling, settings, now)
    except StoreError as exc:
        return _fail(str(exc))
    finally:
        ctx.close()
    if args.json:
        print(json_text(data))
    else:
        _print(data)
    return 0
