"""Seeding a real SQLite store with reviews, judge attempts, recordings and self-checks at chosen times.

Used by the report tests (a small week whose figures are worked out by hand) and by the report benchmark
(a year of daily use). Rows go straight into the tables with explicit timestamps, the way the judges and
the scheduler store them, because the store's own writers stamp "now".
"""

from __future__ import annotations

import datetime as dt
import json
import random
from typing import Any

from prepdeck.core.store import Store, to_iso
from prepdeck.decks.model import Card, Case, Deck, DeckSet, NumberQuestion

DEDUPE_SQL = """
WITH ranked AS (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY transaction_id ORDER BY transaction_ts DESC) AS rn
  FROM transactions)
SELECT transaction_id, amount FROM ranked WHERE rn = 1
"""
REVENUE_SQL = "SELECT country, sum(amount) FROM transactions GROUP BY country"
DESIGN_CHECKLIST = (
    "Clarify latency and throughput requirements",
    "Kafka ingestion partitioned by card",
    "Idempotent writes and replay from the log",
    "Encrypt PII and mask card numbers",
    "Trade-offs: Flink vs Spark streaming",
)


def small_decks() -> DeckSet:
    """One deck per round, with the card types the report distinguishes."""
    sql_cards = (
        Card(
            "sql-patterns",
            "dedupe-latest",
            "sql",
            "Latest row per transaction",
            "…",
            solution=DEDUPE_SQL,
            tags=("dedupe", "window"),
            tables={"transactions": "transaction_id VARCHAR"},
            cases=(Case("example", {}), Case("late duplicate", {}, hidden=True)),
        ),
        Card(
            "sql-patterns",
            "revenue-by-country",
            "sql",
            "Revenue by country",
            "…",
            solution=REVENUE_SQL,
            tags=("aggregation",),
            tables={"transactions": "country VARCHAR"},
            cases=(Case("example", {}), Case("empty table", {}, hidden=True)),
        ),
        Card(
            "sql-patterns",
            "explain-plan",
            "recall",
            "Reading a query plan",
            "…",
            answer="…",
            tags=("optimization",),
        ),
        Card(
            "sql-patterns",
            "partition-pruning",
            "recall",
            "Partition pruning",
            "…",
            answer="…",
            tags=("optimization",),
        ),
    )
    spark_cards = (
        Card(
            "pyspark-tasks",
            "sessionize",
            "pyspark",
            "Sessionize clicks",
            "…",
            solution="def f(): ...",
            function="f",
            tags=("sessionization", "window"),
        ),
        Card("pyspark-tasks", "watermarks", "recall", "Watermarks", "…", answer="…", tags=("streaming",)),
    )
    design_cards = (
        Card(
            "system-design",
            "fraud-stream",
            "design",
            "Real-time fraud detection",
            "…",
            answer="…",
            checklist=DESIGN_CHECKLIST,
            numbers=(NumberQuestion("events/s at peak?", 20000), NumberQuestion("GB/day?", 170)),
        ),
        Card("system-design", "cap-theorem", "recall", "CAP in practice", "…", answer="…", tags=("theory",)),
    )
    star_cards = (
        Card("behavioral", "pipeline-impact", "star", "A pipeline you built", "…", competency="ownership"),
        Card("behavioral", "outage", "star", "An outage you handled", "…", competency="failure"),
        Card("behavioral", "deep-dive-scd2", "recall", "SCD2 MERGE deep-dive", "…", answer="…"),
    )
    return DeckSet(
        decks=[
            Deck("sql-patterns", "SQL patterns", "sql", sql_cards),
            Deck("pyspark-tasks", "PySpark tasks", "pyspark", spark_cards),
            Deck("system-design", "System design", "design", design_cards),
            Deck("behavioral", "Behavioral", "behavioral", star_cards),
        ]
    )


# -- row writers -----------------------------------------------------------------------------------


def add_review(
    store: Store,
    card_id: str,
    at: dt.datetime,
    rating: int,
    duration_ms: int | None = None,
    payload: dict[str, Any] | None = None,
    kind: str = "review",
) -> int:
    with store.transaction() as c:
        cur = c.execute(
            "INSERT INTO reviews (card_id, deck_id, reviewed_at, rating, duration_ms, kind, payload) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                card_id,
                card_id.partition("/")[0],
                to_iso(at),
                rating,
                duration_ms,
                kind,
                json.dumps(payload) if payload is not None else None,
            ),
        )
        return int(cur.lastrowid)


def add_attempt(
    store: Store,
    card_id: str,
    at: dt.datetime,
    passed: bool,
    cases: list[dict[str, Any]],
    *,
    kind: str = "sql",
    error: str | None = None,
    review_id: int | None = None,
    mock_id: int | None = None,
) -> int:
    result = {"card": card_id, "answer": "<editor>", "passed": passed, "error": error, "cases": cases}
    with store.transaction() as c:
        cur = c.execute(
            "INSERT INTO attempts (card_id, at, kind, answer, dialect, passed, elapsed_ms, result, review_id, mock_id)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                card_id,
                to_iso(at),
                kind,
                "SELECT 1",
                "duckdb",
                int(passed),
                12.5,
                json.dumps(result),
                review_id,
                mock_id,
            ),
        )
        return int(cur.lastrowid)


def case(name: str, passed: bool, hidden: bool = False) -> dict[str, Any]:
    return {
        "name": name,
        "hidden": hidden,
        "passed": passed,
        "error": None,
        "message": None if passed else "1 row missing",
        "missing": [],
        "unexpected": [],
    }


def analysis(
    duration_s: float,
    wpm: float,
    fillers: int,
    beats: Any,
    numbers: int = 0,
    i_count: int = 0,
    we_count: int = 0,
) -> dict[str, Any]:
    """A delivery analysis in the cli.md transcribe shape, plus the STAR/ownership sections."""
    return {
        "duration_s": duration_s,
        "model": "tiny.en",
        "text": "…",
        "words": [],
        "fillers": {"count": fillers, "per_minute": round(fillers / (duration_s / 60), 2), "by_type": {}},
        "wpm": wpm,
        "pauses": [],
        "star": beats,
        "numbers": [{"text": "40%"}] * numbers,
        "ownership": {"i": i_count, "we": we_count},
    }


def add_recording(
    store: Store,
    card_id: str | None,
    at: dt.datetime,
    analysis_json: dict[str, Any] | None,
    *,
    self_score: dict[str, Any] | None = None,
    review_id: int | None = None,
) -> int:
    with store.transaction() as c:
        cur = c.execute(
            "INSERT INTO recordings (card_id, at, path, duration_s, model, status, analysis, self_score, review_id)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                card_id,
                to_iso(at),
                f"recordings/{to_iso(at)[:19]}.wav",
                analysis_json.get("duration_s") if analysis_json else None,
                "tiny.en",
                "transcribed" if analysis_json else "saved",
                json.dumps(analysis_json) if analysis_json else None,
                json.dumps(self_score) if self_score else None,
                review_id,
            ),
        )
        return int(cur.lastrowid)


def add_self_check(
    store: Store,
    card_id: str,
    at: dt.datetime,
    checklist: list[bool],
    numbers: list[dict[str, Any]],
    review_id: int | None = None,
) -> int:
    with store.transaction() as c:
        cur = c.execute(
            "INSERT INTO self_checks (card_id, at, checklist, numbers, review_id) VALUES (?, ?, ?, ?, ?)",
            (card_id, to_iso(at), json.dumps(checklist), json.dumps(numbers), review_id),
        )
        return int(cur.lastrowid)


def set_due(store: Store, card_id: str, due: dt.datetime, lapses: int = 0) -> None:
    with store.transaction() as c:
        c.execute(
            "INSERT OR REPLACE INTO card_state (card_id, deck_id, fsrs_id, state, due, reps, lapses) "
            "VALUES (?, ?, ?, 2, ?, 1, ?)",
            (card_id, card_id.partition("/")[0], abs(hash(card_id)) % 10**9, to_iso(due), lapses),
        )


def suspend(store: Store, card_id: str, since: dt.datetime, reason: str = "leech") -> None:
    with store.transaction() as c:
        c.execute(
            "INSERT OR REPLACE INTO suspended (card_id, reason, since) VALUES (?, ?, ?)",
            (card_id, reason, to_iso(since)),
        )


def add_mock(store: Store, round_: str, at: dt.datetime, total: float, max_total: float) -> int:
    with store.transaction() as c:
        cur = c.execute(
            "INSERT INTO mocks (round, started_at, ended_at, finished, total, max_total) "
            "VALUES (?, ?, ?, 1, ?, ?)",
            (round_, to_iso(at), to_iso(at + dt.timedelta(minutes=45)), total, max_total),
        )
        return int(cur.lastrowid)


# -- a year of daily use (benchmark) --------------------------------------------------------------


def big_decks(cards_per_deck: int = 120) -> DeckSet:
    decks = []
    for deck_id, round_, kind in (
        ("sql-big", "sql", "sql"),
        ("spark-big", "pyspark", "pyspark"),
        ("design-big", "design", "design"),
        ("star-big", "behavioral", "star"),
    ):
        cards = []
        for i in range(cards_per_deck):
            card_type = kind if i % 3 == 0 else "recall"
            cards.append(
                Card(
                    deck_id,
                    f"c{i:03d}",
                    card_type,
                    f"Card {i}",
                    "…",
                    answer="…",
                    solution=DEDUPE_SQL if card_type in ("sql", "pyspark") else None,
                    checklist=DESIGN_CHECKLIST if card_type == "design" else (),
                    tags=(f"tag{i % 7}",),
                    cases=(Case("example", {}), Case("edge", {}, hidden=True)),
                )
            )
        decks.append(Deck(deck_id, deck_id, round_, tuple(cards)))
    return DeckSet(decks=decks)


def seed_year(
    store: Store,
    decks: DeckSet,
    end: dt.datetime,
    *,
    days: int = 365,
    reviews_per_day: int = 140,
    recordings: int = 300,
    seed: int = 7,
) -> dict[str, int]:
    """`days` of daily reviews ending at `end`, with judge attempts on code cards and analysed recordings."""
    rng = random.Random(seed)
    cards = decks.all_cards()
    spoken = [c for c in cards if c.is_spoken]
    review_rows, attempt_rows, rec_rows = [], [], []
    review_id = 0
    start = end - dt.timedelta(days=days)
    for day in range(days):
        base = start + dt.timedelta(days=day, hours=7)
        for n in range(reviews_per_day):
            card = rng.choice(cards)
            at = base + dt.timedelta(seconds=25 * n + rng.randint(0, 20))
            review_id += 1
            payload = None
            if card.is_code:
                passed = rng.random() < 0.8
                payload = {
                    "attempts": 1 if passed else 2,
                    "passed": passed,
                    "gave_up": not passed,
                    "seconds": rng.randint(60, 900),
                    "dialect": "duckdb",
                }
                result = {
                    "passed": passed,
                    "error": None,
                    "cases": [case("example", True), case("edge", passed, hidden=True)],
                }
                attempt_rows.append(
                    (
                        card.global_id,
                        to_iso(at - dt.timedelta(seconds=5)),
                        card.type,
                        "SELECT 1",
                        "duckdb",
                        int(passed),
                        10.0,
                        json.dumps(result),
                        review_id,
                    )
                )
            review_rows.append(
                (
                    review_id,
                    card.global_id,
                    card.deck_id,
                    to_iso(at),
                    rng.choice((1, 2, 3, 3, 3, 4)),
                    rng.randint(5_000, 60_000),
                    "review",
                    json.dumps(payload) if payload else None,
                )
            )
    for i in range(recordings):
        card = rng.choice(spoken)
        at = start + dt.timedelta(days=days * i / recordings, hours=20)
        beats = {
            b: {"found": rng.random() < 0.8, "seconds": 10.0}
            for b in ("situation", "task", "action", "result")
        }
        a = analysis(
            rng.uniform(60, 200),
            rng.uniform(110, 180),
            rng.randint(0, 20),
            beats,
            numbers=rng.randint(0, 3),
            i_count=rng.randint(0, 10),
            we_count=rng.randint(0, 10),
        )
        rec_rows.append(
            (
                card.global_id,
                to_iso(at),
                "recordings/x.wav",
                a["duration_s"],
                "tiny.en",
                "transcribed",
                json.dumps(a),
            )
        )
    with store.transaction() as c:
        c.executemany(
            "INSERT INTO reviews (id, card_id, deck_id, reviewed_at, rating, duration_ms, kind, payload) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            review_rows,
        )
        c.executemany(
            "INSERT INTO attempts (card_id, at, kind, answer, dialect, passed, elapsed_ms, result, "
            "review_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            attempt_rows,
        )
        c.executemany(
            "INSERT INTO recordings (card_id, at, path, duration_s, model, status, analysis) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            rec_rows,
        )
        c.executemany(
            "INSERT INTO card_state (card_id, deck_id, fsrs_id, state, due, reps, lapses) "
            "VALUES (?, ?, ?, 2, ?, 5, 1)",
            [
                (c_.global_id, c_.deck_id, i, to_iso(end + dt.timedelta(hours=rng.randint(-48, 24 * 20))))
                for i, c_ in enumerate(cards)
            ],
        )
    return {"reviews": len(review_rows), "attempts": len(attempt_rows), "recordings": len(rec_rows)}
