"""Core benchmark: scheduling and storage at scale, memory, and time to the first screen.

    .venv/bin/python -m benchmarks.bench_core [--cards 50000] [--reviews 500000] [--write] [--keep DIR]

Builds a data home in a temporary folder: synthetic decks (TOML, 10,000 cards a file) and a database whose
review log comes from simulating a daily user (new cards every day, every due card reviewed when due), run
through the real scheduler so every row carries its FSRS states. Then measures, each in a fresh process where
caches matter: the due query (`queue()` and `counts()`), a review commit, rebuild, memory, and the time from
starting Python to the app's first screen (headless, `App.run_test`). Targets (issue 2): first screen
<= 0.6 s, due query <= 20 ms and review commit <= 5 ms at 50,000 cards / 500,000 reviews.
"""

from __future__ import annotations

import argparse
import datetime as dt
import heapq
import json
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks import RESULTS, write_section

START, END = "<!-- core:start -->", "<!-- core:end -->"
REPO = Path(__file__).resolve().parent.parent
SIM_START = dt.datetime(2025, 1, 1, 4, 0, tzinfo=dt.UTC)
CARDS_PER_FILE = 10_000


# -- building the data ---------------------------------------------------------------------------
def write_decks(home: Path, cards: int) -> None:
    folder = home / "decks"
    folder.mkdir(parents=True, exist_ok=True)
    rounds = ("sql", "pyspark", "design", "behavioral")
    for index, first in enumerate(range(0, cards, CARDS_PER_FILE)):
        lines = [f'[deck]\nid = "bench-{index}"\ntitle = "Bench {index}"\nround = "{rounds[index % 4]}"\n']
        for n in range(first, min(cards, first + CARDS_PER_FILE)):
            lines.append(
                f'[[cards]]\nid = "c{n:06d}"\ntype = "recall"\ntitle = "Card {n}"\n'
                f'prompt = "What does pattern {n} compute, and when does it break?"\n'
                f'answer = "Pattern {n}: a window over the partition; it breaks on ties."\ntags = ["t{n % 7}"]\n'
            )
        (folder / f"bench-{index}.toml").write_text("\n".join(lines), encoding="utf-8")


def _rating(rng: random.Random, state: int | None) -> int:
    again, hard, good = (0.15, 0.25, 0.95) if state in (None, 1, 3) else (0.10, 0.20, 0.95)
    roll = rng.random()
    return 1 if roll < again else 2 if roll < hard else 3 if roll < good else 4


def build_log(home: Path, target: int) -> dict[str, Any]:
    """Simulate a daily user until the log holds `target` reviews; returns "now" (the next morning)."""
    from prepdeck.core.config import Config
    from prepdeck.core.review_log import dumps as _dumps
    from prepdeck.core.review_log import write_states
    from prepdeck.core.scheduler import Scheduling
    from prepdeck.core.store import Store, from_iso, to_iso
    from prepdeck.decks.loader import load_decks

    started = time.perf_counter()
    decks = load_decks([home / "decks"])
    load_s = time.perf_counter() - started
    cards = decks.all_cards()
    store = Store.open(home / "prepdeck.db")
    s = Scheduling(store, decks, Config(), tz=dt.UTC)
    rng = random.Random(2026)
    new_per_day = max(1, -(-len(cards) // 400))  # every card introduced within 400 days
    heap: list[tuple[dt.datetime, int, int]] = []
    states: dict[str, dict[str, Any]] = {}
    rows: list[tuple[Any, ...]] = []
    next_new = seq = day = 0
    started = time.perf_counter()
    while len(rows) < target:
        day_start = SIM_START + dt.timedelta(days=day)
        moment = day_start + dt.timedelta(hours=13)
        for _ in range(new_per_day):
            if next_new < len(cards):
                heapq.heappush(heap, (moment, seq, next_new))
                seq, next_new = seq + 1, next_new + 1
        day_end = day_start + dt.timedelta(days=1)
        while heap and heap[0][0] < day_end and len(rows) < target:
            due, _, index = heapq.heappop(heap)
            moment = max(moment, due) + dt.timedelta(seconds=rng.randint(4, 40))
            card = cards[index]
            gid = card.global_id
            before = states.get(gid)
            rating = _rating(rng, before["state"] if before else None)
            after, _ = s._step(gid, card.deck_id, before, rating, moment)
            rows.append(
                (
                    gid,
                    card.deck_id,
                    to_iso(moment),
                    rating,
                    rng.randint(3000, 90000),
                    "review",
                    _dumps(before) if before else None,
                    _dumps(after),
                )
            )
            states[gid] = after
            heapq.heappush(heap, (from_iso(after["due"]), seq, index))
            seq += 1
        day += 1
    simulate_s = time.perf_counter() - started
    started = time.perf_counter()
    with store.transaction() as conn:
        conn.executemany(
            "INSERT INTO reviews (card_id, deck_id, reviewed_at, rating, duration_ms, kind, "
            "state_before, state_after) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        write_states(conn, states)
        for card in rng.sample(cards, len(cards) // 100):  # 1 % suspended
            conn.execute(
                "INSERT OR IGNORE INTO suspended (card_id, reason, since) VALUES (?, 'user', ?)",
                (card.global_id, rows[-1][2]),
            )
    insert_s = time.perf_counter() - started
    store.close()
    now = SIM_START + dt.timedelta(days=day, hours=5)  # the next morning, 09:00 UTC
    return {
        "now": now.isoformat(),
        "days": day,
        "reviews": len(rows),
        "cards_seen": len(states),
        "load_decks_s": load_s,
        "simulate_s": simulate_s,
        "insert_s": insert_s,
        "db_mb": (home / "prepdeck.db").stat().st_size / 2**20,
    }


# -- measuring (child processes) -----------------------------------------------------------------
def _timed(fn: Callable[[], Any], repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def _summary(ms: list[float]) -> dict[str, float]:
    ordered = sorted(ms)
    return {
        "median": statistics.median(ordered),
        "p95": ordered[max(0, int(len(ordered) * 0.95) - 1)],
        "max": ordered[-1],
        "n": len(ordered),
    }


def child_queries(home: Path, now: dt.datetime) -> dict[str, Any]:
    from prepdeck.core.config import Config
    from prepdeck.core.scheduler import Scheduling
    from prepdeck.core.store import Store
    from prepdeck.decks.loader import load_decks

    decks = load_decks([home / "decks"])
    t = time.perf_counter()
    store = Store.open(home / "prepdeck.db")
    open_ms = (time.perf_counter() - t) * 1000
    t = time.perf_counter()
    s = Scheduling(store, decks, Config(), clock=lambda: now, tz=dt.UTC)
    init_ms = (time.perf_counter() - t) * 1000
    r: dict[str, Any] = {"open_ms": open_ms, "scheduling_init_ms": init_ms}
    r["counts_cold_ms"] = _timed(lambda: s.counts(now=now), 1)[0]
    r["queue_cold_ms"] = _timed(lambda: s.queue(now=now), 1)[0]
    r["counts_ms"] = _summary(_timed(lambda: s.counts(now=now), 50))
    r["queue_ms"] = _summary(_timed(lambda: s.queue(now=now), 50))
    first_deck = decks.decks[0].id
    r["queue_deck_ms"] = _summary(_timed(lambda: s.queue(first_deck, now=now), 50))
    session = s.queue(now=now)
    counts = s.counts(now=now)
    r["queue_len"] = len(session)
    r["due_today"] = sum(c.due + c.learning for c in counts.values())
    r["new_today"] = len([c for c in session if s.state(c.global_id) is None])
    r["next_intervals_ms"] = _summary(_timed(lambda: s.next_intervals(session[0], now=now), 50))
    commits: list[float] = []
    after_review: list[float] = []
    for i, card in enumerate(session[:200]):
        moment = now + dt.timedelta(seconds=10 * i)
        commits.extend(_timed(lambda c=card, m=moment: s.review(c, 3, now=m, duration_ms=12000), 1))
        after_review.extend(_timed(lambda m=moment: s.queue(now=m), 1))
    r["review_commit_ms"] = _summary(commits)
    r["queue_after_review_ms"] = _summary(after_review)
    r["undo_ms"] = _summary(_timed(s.undo, 20))
    r["today_ms"] = _summary(_timed(lambda: s.today(now=now), 20))
    r["heatmap_ms"] = _summary(_timed(lambda: s.heatmap(12, now=now), 20))
    # another process writes (e.g. `prepdeck grade`): the next due query reloads what it caches
    other = Store.open(home / "prepdeck.db")
    Scheduling(other, decks, Config(), tz=dt.UTC).review(decks.all_cards()[-1], 3, now=now)
    other.close()
    r["queue_after_external_write_ms"] = _timed(lambda: s.queue(now=now), 1)[0]
    t = time.perf_counter()
    r["rebuild_cards"] = s.rebuild()
    r["rebuild_s"] = time.perf_counter() - t
    store.close()
    return r


def peak_rss_mb() -> float:
    """This process's own peak RSS. (ru_maxrss would report the forking parent's peak: it survives exec.)"""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_memory(home: Path, now: dt.datetime) -> dict[str, Any]:
    import tracemalloc

    tracemalloc.start()
    from prepdeck.core.config import Config
    from prepdeck.core.scheduler import Scheduling
    from prepdeck.core.store import Store
    from prepdeck.decks.loader import load_decks

    decks = load_decks([home / "decks"])
    decks_mb = tracemalloc.get_traced_memory()[0] / 2**20
    s = Scheduling(Store.open(home / "prepdeck.db"), decks, Config(), clock=lambda: now, tz=dt.UTC)
    s.counts(now=now)
    s.queue(now=now)
    current, peak = tracemalloc.get_traced_memory()
    return {
        "decks_mb": decks_mb,
        "after_queue_mb": current / 2**20,
        "peak_traced_mb": peak / 2**20,
        "max_rss_mb": peak_rss_mb(),
    }


STARTUP = """
import time, sys
t_import = time.time()
import asyncio, datetime as dt
from prepdeck.core.context import Context
from prepdeck.tui.app import PrepdeckApp
now = dt.datetime.fromisoformat(sys.argv[1]) if len(sys.argv) > 1 else None
async def run():
    app = PrepdeckApp(Context.create(), clock=(lambda: now) if now else None)
    async with app.run_test(size=(80, 24)) as pilot:
        print("drawn", time.time(), flush=True)
        await app.workers.wait_for_complete()
        await pilot.pause()
        print("loaded", time.time(), flush=True)
        hwm = [l for l in open("/proc/self/status") if l.startswith("VmHWM:")][0].split()[1]
        print("rss", int(hwm) / 1024, flush=True)
asyncio.run(run())
"""


def probe_startup(home: Path, now: str | None, runs: int = 5) -> dict[str, Any]:
    drawn, loaded, rss, cpu = [], [], [], []
    env = {**os.environ, "PREPDECK_HOME": str(home)}
    env.pop("PREPDECK_DECKS", None)
    for _ in range(runs):
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        begin = time.time()
        out = subprocess.run(
            [sys.executable, "-c", STARTUP, *([now] if now else [])],
            capture_output=True,
            text=True,
            env=env,
            cwd=tempfile.gettempdir(),
            timeout=300,
        )
        if out.returncode:
            return {"error": out.stderr.strip().splitlines()[-1] if out.stderr.strip() else "failed"}
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - usage.ru_utime + after.ru_stime - usage.ru_stime)
        marks = dict(line.split() for line in out.stdout.split("\n") if line.strip())
        drawn.append(float(marks["drawn"]) - begin)
        loaded.append(float(marks["loaded"]) - begin)
        rss.append(float(marks["rss"]))
    return {
        "drawn_s": statistics.median(drawn),
        "drawn_min_s": min(drawn),
        "loaded_s": statistics.median(loaded),
        "rss_mb": statistics.median(rss),
        "cpu_s": statistics.median(cpu),
        "runs": runs,
    }


def _child(kind: str, home: Path, now: str) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_core", "--child", kind, str(home), now],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=3600,
    )
    if out.returncode:
        raise RuntimeError(f"{kind} probe failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


# -- reporting -----------------------------------------------------------------------------------
def machine() -> str:
    load = os.getloadavg()[0]
    return (
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}), "
        f"Python {platform.python_version()}, SQLite {__import__('sqlite3').sqlite_version}, "
        f"load average {load:.1f} when the run started"
    )


def markdown(
    cmd: str,
    info: str,
    build: dict[str, Any],
    q: dict[str, Any],
    mem: dict[str, Any],
    start_plain: dict[str, Any],
    start_big: dict[str, Any],
) -> str:
    def ms(d: dict[str, float]) -> str:
        return f"{d['median']:.2f} ms (p95 {d['p95']:.2f}, max {d['max']:.2f}, n={int(d['n'])})"

    def startup(d: dict[str, Any]) -> str:
        if "error" in d:
            return f"failed: {d['error']}"
        return (
            f"first screen {d['drawn_s']:.2f} s (best {d['drawn_min_s']:.2f}), home filled {d['loaded_s']:.2f} s; "
            f"CPU time of the whole run {d['cpu_s']:.2f} s; max RSS {d['rss_mb']:.0f} MB (median of {d['runs']})"
        )

    return "\n".join(
        [
            START,
            "## Core: scheduling, storage, startup",
            "",
            f"Command: `{cmd}`  ",
            f"Machine: {info}  ",
            f"Date: {dt.date.today().isoformat()}",
            "",
            f"Data: {build['cards_seen']:,} of the deck cards reviewed, {build['reviews']:,} reviews over "
            f"{build['days']} simulated days (database {build['db_mb']:.0f} MB); decks: synthetic TOML, "
            f"{CARDS_PER_FILE:,} cards a file, loaded in {build['load_decks_s']:.1f} s. "
            f"Today's session: {q['queue_len']} cards ({q['due_today']} due, new limit 20).",
            "",
            "| figure | measured | target |",
            "|---|---|---|",
            f"| due query: `queue()` (warm) | {ms(q['queue_ms'])} | ≤ 20 ms |",
            f"| due query: `counts()` (warm) | {ms(q['counts_ms'])} | ≤ 20 ms |",
            f"| `queue()` right after each review commit | {ms(q['queue_after_review_ms'])} | ≤ 20 ms |",
            f"| `queue()` / `counts()` cold (first call of a process) | {q['queue_cold_ms']:.1f} / "
            f"{q['counts_cold_ms']:.1f} ms | |",
            f"| `queue()` after another process wrote | {q['queue_after_external_write_ms']:.1f} ms | |",
            f"| `queue(deck)` (warm) | {ms(q['queue_deck_ms'])} | |",
            f"| review commit (`review()`: FSRS + log row + state, committed) | {ms(q['review_commit_ms'])} | ≤ 5 ms |",
            f"| undo | {ms(q['undo_ms'])} | |",
            f"| `next_intervals()` (4 buttons) | {ms(q['next_intervals_ms'])} | |",
            f"| `today()` / `heatmap(12)` | {q['today_ms']['median']:.2f} / {q['heatmap_ms']['median']:.2f} ms | |",
            f"| open store / build `Scheduling` over 50k cards | {q['open_ms']:.1f} / {q['scheduling_init_ms']:.1f} ms | |",
            f"| `rebuild()` of card_state from the whole log | {q['rebuild_s']:.1f} s ({q['rebuild_cards']:,} cards) | |",
            f"| memory: decks in memory (tracemalloc) | {mem['decks_mb']:.0f} MB | |",
            f"| memory: after counts + queue (tracemalloc current / peak) | {mem['after_queue_mb']:.0f} / "
            f"{mem['peak_traced_mb']:.0f} MB | |",
            f"| memory: process max RSS (decks + store + queue) | {mem['max_rss_mb']:.0f} MB | |",
            f"| `prepdeck` → first screen, built-in decks, new user | {startup(start_plain)} | ≤ 0.6 s |",
            f"| `prepdeck` → first screen, 50k cards / 500k reviews | {startup(start_big)} | |",
            "",
            "Startup is measured from spawning the Python process to `App.run_test()` handing over the first drawn "
            "screen (headless, 80×24), then to the home screen's data worker finishing; wall clock, so a loaded "
            "machine inflates it. 'Warm' means the Scheduling already holds the set of reviewed card ids (it keeps "
            "it up to date itself after each review, and reloads it when another connection writes).",
            END,
            "",
        ]
    )


def write_results(block: str) -> None:
    write_section(block, START, END)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="bench_core")
    ap.add_argument("--cards", type=int, default=50_000)
    ap.add_argument("--reviews", type=int, default=500_000)
    ap.add_argument("--write", action="store_true", help="write the figures into benchmarks/RESULTS.md")
    ap.add_argument("--keep", type=Path, help="build the data home here and keep it")
    ap.add_argument("--reuse", type=Path, help="measure a data home an earlier --keep built")
    ap.add_argument("--quick", action="store_true", help="5,000 cards / 50,000 reviews")
    ap.add_argument("--child", nargs=3, metavar=("KIND", "HOME", "NOW"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        kind, home, now = args.child
        fn = child_queries if kind == "queries" else child_memory
        print(json.dumps(fn(Path(home), dt.datetime.fromisoformat(now))))
        return 0
    if args.quick:
        args.cards, args.reviews = 5_000, 50_000
    info = machine()
    print(info, flush=True)
    home = args.reuse or args.keep or Path(tempfile.mkdtemp(prefix="prepdeck-bench-"))
    fresh_home = Path(tempfile.mkdtemp(prefix="prepdeck-bench-new-"))
    try:
        if args.reuse:
            build = json.loads((home / "bench.json").read_text())
        else:
            write_decks(home, args.cards)
            build = build_log(home, args.reviews)
            (home / "bench.json").write_text(json.dumps(build))
        print(
            f"built {build['reviews']:,} reviews over {build['days']} days in {build['simulate_s']:.0f} s "
            f"(+{build['insert_s']:.0f} s insert), db {build['db_mb']:.0f} MB",
            flush=True,
        )
        start_plain = probe_startup(fresh_home, None)
        print(f"startup, new user: {start_plain}", flush=True)
        start_big = probe_startup(home, build["now"], runs=3)
        print(f"startup, big home: {start_big}", flush=True)
        mem = _child("memory", home, build["now"])
        print(f"memory: {mem}", flush=True)
        q = _child("queries", home, build["now"])
        for key, value in q.items():
            print(f"  {key}: {value}")
        cmd = (
            ".venv/bin/python -m benchmarks.bench_core"
            + (" --quick" if args.quick else "")
            + (
                ""
                if args.quick or (args.cards, args.reviews) == (50_000, 500_000)
                else f" --cards {args.cards} --reviews {args.reviews}"
            )
            + (" --write" if args.write else "")
            + (f" --reuse {args.reuse} (a home built by --keep)" if args.reuse else "")
        )
        block = markdown(cmd, info, build, q, mem, start_plain, start_big)
        print(block)
        if args.write:
            write_results(block)
            print(f"wrote {RESULTS}")
    finally:
        if args.keep is None and args.reuse is None:
            shutil.rmtree(home, ignore_errors=True)
        shutil.rmtree(fresh_home, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
