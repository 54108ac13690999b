"""Interview plan, load balancing and sync: what a learner gets from them, and what they cost.

    .venv/bin/python -m benchmarks.bench_plan [--write]

1. A synthetic FSRS-6 learner (benchmarks/plan_learner.py: true memory weaker than prepdeck's model) with 300
   cards of four rounds, 45 days to the interview, 30 minutes a day: following the plan vs the queue alone.
2. Load balancing: the same learner in steady state (150 days to settle, 90 measured, 6 new cards a day):
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


def balance_figures(folder: Path) -> list[str]:
    """Steady state: a collection that has settled (`warm` days), then 90 measured days, three seeds."""
    lines = [
        "| steady state, 90 days | seed | CV of daily answers, not balanced → balanced | ratio | "
        "review-state answers CV | total work |",
        "|---|---|---|---|---|---|",
    ]
    ratios = []
    for warm, new in ((150, 6), (300, 4)):
        per_round = (warm + 90) * new // 4 + 5
        for seed in (7, 8, 9):
            runs = {}
            for balanced in (False, True):
                o = run_without_plan(
                    folder / f"lb-{warm}-{seed}-{balanced}.db", DAY0, days=warm + 90, per_round=per_round,
                    new_per_day=new, load_balance=balanced, seed=seed,
                )  # fmt: skip
                runs[balanced] = (o.daily_reviews[warm:], o.daily_due_reviews[warm:])
            (plain, plain_due), (even, even_due) = runs[False], runs[True]
            ratio = cv(even) / cv(plain)
            ratios.append(ratio)
            lines.append(
                f"| {warm} days settled, {new} new/day | {seed} | {cv(plain):.3f} → {cv(even):.3f} | {ratio:.2f} | "
                f"{cv(plain_due):.3f} → {cv(even_due):.3f} | {sum(even) / sum(plain) - 1:+.1%} |"
            )
    lines.append("")
    lines.append(
        f"Mean CV ratio balanced/unbalanced: **{statistics.mean(ratios):.2f}** over {len(ratios)} runs "
        f"(range {min(ratios):.2f}–{max(ratios):.2f}; the issue's target ≤ 0.50)."
    )
    return lines


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
