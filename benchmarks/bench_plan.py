"""Interview plan, load balancing and sync: what a learner gets from them, and what they cost.

    .venv/bin/python -m benchmarks.bench_plan [--write]

1. A synthetic FSRS-6 learner (benchmarks/plan_learner.py: true memory weaker than prepdeck's model) with 300
   cards of four rounds, 45 days to the interview, 30 minutes a day: following the plan vs the queue alone.
2. Load balancing: the same learner in steady state (150 days to settle, 6 new cards a day; and 300, 4) and
   from an empty collection (20 a day): the coefficient of variation of the daily number of answers (all, and
   review-state ones), balanced vs not, the total work and the new cards introduced.
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
# (days to settle, new cards a day) -> seed sets; the balancer and the intake were tuned on seeds 0-5 of the first
SCENARIOS = {
    (150, 6): (("tuned on, seeds 0–5", tuple(range(6))), ("held out, seeds 100–109", tuple(range(100, 110)))),
    (300, 4): (("seeds 0–5", tuple(range(6))), ("seeds 100–105", tuple(range(100, 106)))),
    (0, 20): (("from an empty collection, seeds 0–2", tuple(range(3))),),
}


def balance_row(folder: Path, seed: int, settle: int, new: int) -> tuple[str, tuple[float, ...]]:
    """One seed of a scenario, unbalanced and balanced (same learner, same luck, same fuzz seeds): the table row
    and (CV ratio of all answers, of review-state answers, change of the total work, of the new cards
    introduced, the ratio about the trend)."""
    runs = {}
    for balanced in (False, True):
        o = run_without_plan(
            folder / f"lb-{settle}-{seed}-{balanced}.db", DAY0, days=settle + MEASURED,
            per_round=(settle + MEASURED) * new // 4 + 5, new_per_day=new, load_balance=balanced, seed=seed,
        )  # fmt: skip
        runs[balanced] = o.daily_reviews[settle:], o.daily_due_reviews[settle:], sum(o.daily_new[settle:])
    (plain, plain_due, plain_new), (even, even_due, even_new) = runs[False], runs[True]
    figures = (
        cv(even) / cv(plain),
        cv(even_due) / cv(plain_due),
        sum(even) / sum(plain) - 1,
        even_new / plain_new - 1,
        cv_about_trend(even) / cv_about_trend(plain),
    )
    row = (
        f"| {settle} days, {new} new/day | {seed} | {cv(plain):.3f} → {cv(even):.3f} | **{figures[0]:.2f}** | "
        f"{cv(plain_due):.3f} → {cv(even_due):.3f} | **{figures[1]:.2f}** | {figures[2]:+.1%} | {figures[3]:+.1%} | "
        f"{figures[4]:.2f} |"
    )
    return row, figures


def balance_figures(folder: Path) -> list[str]:
    """Each scenario: a collection that has settled for some days, then MEASURED days, on every seed."""
    lines = [
        f"Load balancing (the pick of each review's day and the new-card intake): a collection settled for some "
        f"days, then {MEASURED} days measured; each answer judged by the learner's own seeded draw for that card "
        "and answer, so both arms get the same luck.",
        "",
        "| settled, new cards | seed | CV of daily answers, not balanced → balanced | ratio | "
        "CV of daily review-state answers | ratio | total work | new cards | all answers' ratio about the trend |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    summary = []
    met: dict[str, list[str]] = {"all answers": [], "review-state answers": []}
    outside: list[str] = []  # runs whose total work or new cards are not within ±5 % of the unbalanced arm's
    for (settle, new), seed_sets in SCENARIOS.items():
        for name, seeds in seed_sets:
            rows = [balance_row(folder, seed, settle, new) for seed in seeds]
            lines += [row for row, _ in rows]
            ratios, due, works, fresh, trend = ([figures[i] for _, figures in rows] for i in range(5))
            outside += [
                f"{settle} days seed {seed}"
                for seed, w, n in zip(seeds, works, fresh, strict=True)
                if abs(w) > 0.05 or abs(n) > 0.05
            ]

            def spread(values: list[float], fmt: str = ".2f") -> str:
                return f"{statistics.mean(values):{fmt}} ({min(values):{fmt}} to {max(values):{fmt}})"

            for metric, values in zip(met, (ratios, due), strict=True):
                if statistics.mean(values) <= 0.5:
                    met[metric].append(f"{settle} days settled, {name}")
            summary.append(
                f"- {settle} days settled, {new} new/day, {name}: CV ratio of all answers **{spread(ratios)}**, "
                f"of review-state answers **{spread(due)}**, total work {spread(works, '+.1%')}, new cards "
                f"{spread(fresh, '+.1%')}, all answers about the trend {spread(trend)}"
            )
    verdict = "; ".join(f"{metric}: {', '.join(where) or 'none'}" for metric, where in met.items())
    return [
        *lines,
        "",
        *summary,
        "",
        f"The issue's target, a CV ratio ≤ 0.50 (mean of the seeds), is met by — {verdict}. Total work or new "
        f"cards outside ±5 %: {', '.join(outside) or 'none'}.",
        "",
        INTAKE_NOTE,
    ]


INTAKE_NOTE = (
    "What evens the load: (1) each review with a fuzz range (interval ≥ 3 days) goes to the lightest day of it, "
    "nearer days preferred (core/balance.py `balanced_interval`; logged, so replays keep the day); (2) once the "
    "load has settled (42 studied days, and the 28-day mean moved by < 15 % over 28 days), the day's new cards "
    "follow the day's due reviews (`new_card_intake`): fewer on a heavy day, more on a light one, 0 to 2 × "
    "new_per_day, against the last 28 studied days' mean carried forward along its slope. (1) alone gave 0.58 "
    "(tuned seeds) and 0.66 (held out) on the 150-day scenario: about half the answers (new cards' learning "
    "steps, same-day relearning, intervals under 3 days) have no fuzz range and vary on their own; the intake "
    "acts when the day's load is known. Evaluated on seeds 0–5 of that scenario (throwaway variants): the "
    "reference as a plain 7-day mean 0.49 but −3.5 % new cards (it lags the growing load); a 28-day mean 0.43 "
    "but −10 % new cards; making up part of the past weeks' shortfall of new cards each day (7 or 28 days, 25 % "
    "or 10 % a day, also outside a ±10–20 % band only) 0.39–0.58: it undoes the swings, so nothing is made up. "
    "Without the settled condition: seeds 0–5 0.32, held out 0.42, but from an empty collection 1.39 with "
    "−14 % new cards (the intake starved a young collection and made its days less even); with it seeds 0–5 "
    "gave 0.41 in the exploration — variants this close move a 6-seed mean by ±0.1 (the dynamics are chaotic), "
    "so the held-out seeds are the figure to go by. (3) Since session 5, a day whose review-state load is under "
    "the 28-day mean takes review cards of the next 14 days whose fuzz range (from their last review) allows "
    "today, from the most loaded day ahead, up to that mean (`reviews_to_advance`, worked out at the day's first "
    "look). It evens the review-state answers (held out 0.63 → 0.56, 300 days 0.45–0.49 → 0.24–0.37) and leaves "
    "all answers where the intake had them (held out 0.50 → 0.51): the intake already moved new cards against "
    "the review swings, and what is left is same-day relearning and learning steps, which no one knows at the "
    "day's start. Postponing reviews of a heavy day too was measured as an upper bound (card state moved "
    "without a log entry): worse on all answers (0.47 on seeds 0–5), so the logged move was not built."
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
