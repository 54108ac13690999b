"""Interview plan, load balancing and sync: what a learner gets from them, and what they cost.

    .venv/bin/python -m benchmarks.bench_plan [--write]

1. A synthetic FSRS-6 learner (benchmarks/plan_learner.py: true memory weaker than prepdeck's model) with 300
   cards of four rounds, 45 days to the interview, 30 minutes a day: following the plan vs the queue alone.
2. Load balancing: the same learner in steady state (150 days to settle, 6 new cards a day; and 300, 4):
   the coefficient of variation of the daily number of answers, balanced vs not, and the total work.
3. `build_plan` for 2,000 cards over a 90-day horizon (target ≤ 2 s). (`prepdeck sync`: bench_sync.py.)
"""

from __future__ import annotations

import datetime as dt
import platform
import random
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks import publish
from benchmarks.plan_learner import learner_decks, run_with_plan, run_without_plan
from prepdeck.core.config import Config
from prepdeck.core.plan import PlanSettings, build_plan
from prepdeck.core.scheduler import Scheduling
from prepdeck.core.store import Store

START, END = "<!-- plan:start -->", "<!-- plan:end -->"
DAY0 = dt.date(2026, 3, 2)


def cv(values: list[int]) -> float:
    return statistics.pstdev(values) / statistics.mean(values)


def cv_about_trend(values: list[int]) -> float:
    """The CV left once the least-squares straight line through the days is taken out: the day-to-day part,
    without the slow growth of a collection that still takes new cards."""
    slope, intercept = statistics.linear_regression(range(len(values)), values)
    residuals = [v - (intercept + slope * x) for x, v in enumerate(values)]
    return statistics.pstdev(residuals) / statistics.mean(values)


def learner_figures(folder: Path) -> list[str]:
    planned = run_with_plan(folder / "plan.db", DAY0, days=45, minutes=30)
    queue = run_without_plan(folder / "queue.db", DAY0, days=45, minutes=30)
    rows = []
    for name, o in (("following the plan", planned), ("queue alone (20 new a day)", queue)):
        rows.append(
            f"| {name} | {o.mean_true_recall:.3f} | {o.max_day_minutes:.1f} | {o.days_over_budget} | "
            f"{o.cards_seen_twice}/{o.cards} | {o.reviews} |"
        )
    return [
        "| 300 cards, 45 days, 30 min/day | mean true recall on the day | heaviest day (min) | days > 33 min | "
        "cards seen on ≥ 2 days | answers |",
        "|---|---|---|---|---|---|",
        *rows,
    ]


MEASURED = 90
# (days to settle, new cards a day) -> seed sets; the balancer was tuned on seeds 0-5 of the first only
SCENARIOS = {
    (150, 6): (("tuned on, seeds 0–5", tuple(range(6))), ("held out, seeds 100–109", tuple(range(100, 110)))),
    (300, 4): (("seeds 0–5", tuple(range(6))), ("seeds 100–105", tuple(range(100, 106)))),
}


def balance_row(
    folder: Path, seed: int, settle: int, new: int
) -> tuple[str, float, float, float, float, float]:
    """One seed of the steady state, unbalanced and balanced (same learner, same luck, same fuzz seeds):
    the table row, the CV ratio, the change of the total work, and the floor — the ratio if every answer the
    balancer placed fell on a perfectly even schedule and the rest (new cards, learning and relearning steps,
    intervals under 3 days: nothing it may move) stayed as it was; then the ratio about the trend, and the
    ratio over the first 90 days (the ramp-up from an empty collection) for comparison."""
    runs = {}
    for balanced in (False, True):
        o = run_without_plan(
            folder / f"lb-{settle}-{seed}-{balanced}.db", DAY0, days=settle + MEASURED,
            per_round=(settle + MEASURED) * new // 4 + 5, new_per_day=new, load_balance=balanced, seed=seed,
        )  # fmt: skip
        runs[balanced] = (
            o.daily_reviews[settle:], o.daily_due_reviews[settle:], o.daily_balanced[settle:], o.daily_reviews[:90]
        )  # fmt: skip
    (plain, plain_due, _, plain_start), (even, even_due, placed, even_start) = runs[False], runs[True]
    ratio, work = cv(even) / cv(plain), sum(even) / sum(plain) - 1
    unmovable = [answers - moved for answers, moved in zip(even, placed, strict=True)]
    floor = statistics.pstdev(unmovable) / statistics.mean(even) / cv(plain)
    about_trend = cv_about_trend(even) / cv_about_trend(plain)
    row = (
        f"| {settle} days, {new} new/day | {seed} | {cv(plain):.3f} → {cv(even):.3f} | **{ratio:.2f}** | "
        f"{cv(even_due) / cv(plain_due):.2f} | {work:+.1%} | {floor:.2f} | {about_trend:.2f} |"
    )
    return row, ratio, work, floor, about_trend, cv(even_start) / cv(plain_start)


def balance_figures(folder: Path) -> list[str]:
    """Each scenario: a collection that has settled for some days, then MEASURED days, on every seed."""
    lines = [
        f"Load balancing, steady state: a collection settled for some days, then {MEASURED} days measured, "
        "every answer counted (learning steps included); each answer judged by the learner's own seeded draw for "
        "that card and answer, so both arms get the same luck.",
        "",
        "| settled, new cards | seed | CV of daily answers, not balanced → balanced | ratio | "
        "review-state answers ratio | total work | floor | ratio about the trend |",
        "|---|---|---|---|---|---|---|---|",
    ]
    summary = []
    all_floors: list[tuple[float, float]] = []
    outside: list[str] = []  # runs whose balanced arm's total work is not within ±5 % of the unbalanced one
    for (settle, new), seed_sets in SCENARIOS.items():
        for name, seeds in seed_sets:
            rows = [balance_row(folder, seed, settle, new) for seed in seeds]
            lines += [row for row, *_ in rows]
            ratios, works, floors, trend, start = ([r[i] for r in rows] for i in range(1, 6))
            all_floors += zip(ratios, floors, strict=True)
            outside += [
                f"{settle} days seed {seed}" for seed, w in zip(seeds, works, strict=True) if abs(w) > 0.05
            ]
            summary.append(
                f"- {settle} days settled, {new} new/day, {name}: CV ratio **{statistics.mean(ratios):.2f}** "
                f"(range {min(ratios):.2f}–{max(ratios):.2f}), total work {statistics.mean(works):+.1%} "
                f"({min(works):+.1%} to {max(works):+.1%}), floor {statistics.mean(floors):.2f} "
                f"({min(floors):.2f}–{max(floors):.2f}), about the trend {statistics.mean(trend):.2f} "
                f"({min(trend):.2f}–{max(trend):.2f}); over the first 90 days instead (the ramp-up) "
                f"{statistics.mean(start):.2f} ({min(start):.2f}–{max(start):.2f})"
            )
    floors = [floor for _, floor in all_floors]
    gap = statistics.mean(ratio - floor for ratio, floor in all_floors)
    return [
        *lines,
        "",
        *summary,
        "",
        f"{FLOOR_NOTE} The balanced arm's ratio is {gap:.2f} above its floor on average, and the floor itself is "
        f"above 0.50 on {sum(f > 0.5 for f in floors)} of {len(floors)} runs. Total work outside ±5 %: "
        f"{', '.join(outside) or 'none'}. {TREND_NOTE}",
        "",
        PICKERS_NOTE,
    ]


FLOOR_NOTE = (
    "The issue's target (ratio ≤ 0.50) is **not met**. *floor*: the ratio if every answer the balancer placed "
    "fell on a perfectly even schedule and all the rest stayed as it was: new cards and their learning steps, "
    "same-day relearning steps after a lapse, and intervals under 3 days (no fuzz range, so nothing a balancer "
    "may move) are about half of the answers and vary from day to day on their own."
)
TREND_NOTE = (
    "*about the trend*: both arms with their straight-line trend taken out (the load still grows by ~0.1 "
    "answers a day with 6 new cards a day, which no balancer removes). Over the first 90 days the ramp-up "
    "dominates both arms. The 300-day collection (fewer new cards, so a smaller share that may not move) comes "
    "near the target, but its balanced arm does more work: more answers to review-state cards, not more lapses "
    "(checked on seeds 5 and 105: +9 % review-state answers, +3–4 % others); why is not pinned down."
)
PICKERS_NOTE = (
    "Other pickers, evaluated on seeds 0–5 of the 150-day scenario only (throwaway variants of the cost in "
    "core/balance.py, not kept): plain lightest day 0.65 (work −3.6 %, down to −5.9 %); Anki 24.11-like "
    "weighted random choice ∝ 1/(count² · interval) 0.78; the lightest by *predicted* load (due counts plus the "
    "cards still to come, from the last 28 days' intervals) 0.65, with the nearness pull as well 0.59 but "
    "+5.5 % work; the day furthest below the straight line through the counts around the range 0.63 (on the "
    "300-day collection 0.53, work +2.3 %); nearness n^0.1 0.61, n^0.3 0.66. Kept: lightest day × n^0.2, the "
    "seeded fuzz breaking exact ties, over the whole fuzz range (0.58)."
)


def plan_speed(folder: Path) -> float:
    decks = learner_decks(500)  # 2,000 cards
    store = Store.open(folder / "speed.db")
    scheduling = Scheduling(
        store, decks, Config(), clock=lambda: dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC), tz=dt.UTC
    )
    rng = random.Random(3)
    at = dt.datetime(2026, 1, 1, 9, tzinfo=dt.UTC)
    for card in list(decks.all_cards())[:1200]:  # 1,200 seen, 800 new
        scheduling.review(
            card, rng.choice([1, 3, 3, 3, 4]), now=at + dt.timedelta(minutes=rng.randrange(60 * 24 * 50))
        )
    settings = PlanSettings(date=DAY0 + dt.timedelta(days=90), minutes_per_day=60)
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        build_plan(scheduling.plan_cards(settings.rounds), settings, DAY0)
        timings.append(time.perf_counter() - started)
    store.close()
    return statistics.median(timings)


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        learner = learner_figures(folder)
        balance = balance_figures(folder)
        plan_s = plan_speed(folder)
    lines = [
        "## Interview plan, load balancing, sync",
        "",
        f"`.venv/bin/python -m benchmarks.bench_plan --write` on {platform.machine()}, Python "
        f"{platform.python_version()}, {dt.date.today()}; the learner: benchmarks/plan_learner.py.",
        "",
        *learner,
        "",
        *balance,
        "",
        f"- `build_plan` for 2,000 cards (1,200 seen, 800 new) over 90 days: **{plan_s:.2f} s** median of 3 (≤ 2 s)",
        "- `prepdeck sync` of 50,000 reviews: the Sync section (benchmarks/bench_sync.py)",
    ]
    return publish(lines, START, END)


if __name__ == "__main__":
    raise SystemExit(main())
