"""`prepdeck sync` taking in another machine's whole history: 50,000 reviews of 2,000 cards (target ≤ 2 s).

    .venv/bin/python -m benchmarks.bench_sync [--write] [--runs N]

Machine one logs 50,000 Good answers (one a minute, each card every 2,000 minutes) and writes its sync file
once; each run then syncs a new, empty database from it: read and check the file, store the reviews, replay
the 2,000 cards' logs (50,000 FSRS steps) and write this machine's own file. Wall and CPU time of `sync`
alone, min and median of the runs, with the load average before and after (the machine is shared).
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import publish
from benchmarks.plan_learner import learner_decks
from prepdeck.core.config import Config
from prepdeck.core.scheduler import Scheduling
from prepdeck.core.store import Store, to_iso
from prepdeck.core.sync import sync

START, END = "<!-- sync:start -->", "<!-- sync:end -->"
REVIEWS = 50_000


def shared_folder(folder: Path) -> Path:
    """A sync folder holding machine one's file with its REVIEWS reviews."""
    shared = folder / "shared"
    shared.mkdir()
    cards = list(learner_decks(500).all_cards())
    at = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    rows = []
    for n in range(REVIEWS):
        card = cards[n % len(cards)]
        rows.append((card.global_id, card.deck_id, to_iso(at + dt.timedelta(minutes=n)), 3, 20_000, "review"))
    one = Store.open(folder / "one.db")
    with one.transaction() as conn:
        conn.executemany(
            "INSERT INTO reviews (card_id, deck_id, reviewed_at, rating, duration_ms, kind) VALUES (?, ?, ?, ?, ?, ?)",
            rows,
        )
    sync(one, shared, lambda ids: 0)
    one.close()
    return shared


def one_run(folder: Path, shared: Path, run: int) -> tuple[float, float]:
    """(wall, CPU) seconds of one sync into an empty database."""
    two = Store.open(folder / f"two-{run}.db")
    scheduling = Scheduling(two, learner_decks(500), Config())
    wall, cpu = time.perf_counter(), time.process_time()
    summary = sync(two, shared, scheduling.replay_cards)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    assert summary.received == {"review": REVIEWS} and summary.cards_replayed == 2_000
    two.close()
    return wall, cpu


def main() -> int:
    runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 5
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        shared = shared_folder(folder)
        load_before = os.getloadavg()
        timings = [one_run(folder, shared, run) for run in range(runs)]
        load_after = os.getloadavg()
    walls, cpus = [w for w, _ in timings], [c for _, c in timings]
    lines = [
        "## Sync",
        "",
        f"`.venv/bin/python -m benchmarks.bench_sync --write` on {platform.machine()}, Python "
        f"{platform.python_version()}, {dt.date.today()}, {os.cpu_count()} cores; load average (1 min) "
        f"{load_before[0]:.2f} before, {load_after[0]:.2f} after.",
        "",
        f"- `prepdeck sync` taking in {REVIEWS:,} reviews of 2,000 cards from another machine (read, store, "
        f"replay every card, write its own file), {runs} runs: wall **{min(walls):.2f} s** min, "
        f"{statistics.median(walls):.2f} s median; CPU {min(cpus):.2f} s min, {statistics.median(cpus):.2f} s "
        "median (target ≤ 2 s)",
    ]
    return publish(lines, START, END)


if __name__ == "__main__":
    raise SystemExit(main())
