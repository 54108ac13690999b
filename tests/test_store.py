"""The SQLite store on real files: migrations and their backup copy, newer databases, locks, crashes."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import prepdeck.core.store as store_module
from prepdeck.core.schema import MIGRATIONS, SCHEMA_VERSION
from prepdeck.core.store import Store, StoreError


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_empty_database_is_created_at_the_current_version(tmp_path: Path) -> None:
    path = tmp_path / "prepdeck.db"
    store = Store.open(path)
    assert store.schema_version() == SCHEMA_VERSION
    assert {"reviews", "card_state", "suspended", "notes", "fsrs_params"} <= set(store.db.table_names())
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("PRAGMA busy_timeout").fetchone()[0] == store_module.BUSY_TIMEOUT_MS
    store.close()
    assert not list(tmp_path.glob("*backup*"))  # nothing to protect in a new database
    reopened = Store.open(path)
    assert reopened.schema_version() == SCHEMA_VERSION
    reopened.close()


def test_version_zero_database_with_data_is_copied_then_migrated(tmp_path: Path) -> None:
    path = tmp_path / "prepdeck.db"
    old = sqlite3.connect(path)  # a pre-release file: tables but no schema version
    old.execute("CREATE TABLE legacy_notes (card TEXT, body TEXT)")
    old.execute("INSERT INTO legacy_notes VALUES ('sql/a', 'keep me')")
    old.commit()
    old.close()
    store = Store.open(path)
    assert store.schema_version() == SCHEMA_VERSION
    assert store.db.execute("SELECT body FROM legacy_notes").fetchone()[0] == "keep me"
    store.close()
    backup = tmp_path / "prepdeck.v0.backup.db"
    copy = sqlite3.connect(backup)
    assert copy.execute("SELECT body FROM legacy_notes").fetchone()[0] == "keep me"
    assert "meta" not in {r[0] for r in copy.execute("SELECT name FROM sqlite_master")}  # taken before
    copy.close()


def test_older_version_is_copied_before_migrating(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "prepdeck.db"
    store = Store.open(path)
    with store.transaction() as c:
        c.execute(
            "INSERT INTO reviews (card_id, deck_id, reviewed_at, rating) "
            "VALUES ('d/c', 'd', '2026-03-01T10:00:00.000000+00:00', 3)"
        )
    store.close()

    def v2(conn: sqlite3.Connection) -> None:
        conn.execute("ALTER TABLE reviews ADD COLUMN device TEXT")

    monkeypatch.setattr(store_module, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    monkeypatch.setitem(MIGRATIONS, SCHEMA_VERSION + 1, v2)
    migrated = Store.open(path)
    assert migrated.schema_version() == SCHEMA_VERSION + 1
    assert migrated.db.execute("SELECT card_id, device FROM reviews").fetchall() == [("d/c", None)]
    migrated.close()
    backup = tmp_path / f"prepdeck.v{SCHEMA_VERSION}.backup.db"
    copy = sqlite3.connect(backup)
    assert copy.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == str(
        SCHEMA_VERSION
    )
    assert copy.execute("SELECT count(*) FROM reviews").fetchone()[0] == 1
    assert "device" not in [r[1] for r in copy.execute("PRAGMA table_info(reviews)")]
    copy.close()


def test_failed_migration_rolls_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "prepdeck.db"
    Store.open(path).close()

    def broken(conn: sqlite3.Connection) -> None:
        conn.execute("CREATE TABLE half_done (x)")
        conn.execute("this is not sql")

    monkeypatch.setattr(store_module, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    monkeypatch.setitem(MIGRATIONS, SCHEMA_VERSION + 1, broken)
    with pytest.raises(StoreError):
        Store.open(path)
    monkeypatch.undo()
    store = Store.open(path)
    assert store.schema_version() == SCHEMA_VERSION and "half_done" not in store.db.table_names()
    store.close()


@pytest.mark.parametrize("journal", ["wal", "delete"])
def test_newer_database_is_refused_and_left_byte_identical(tmp_path: Path, journal: str) -> None:
    path = tmp_path / "prepdeck.db"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA journal_mode = {journal}")
    conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    conn.execute("INSERT INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION + 7),))
    conn.execute("CREATE TABLE reviews (id INTEGER PRIMARY KEY, future_column BLOB)")
    conn.commit()
    conn.close()
    before = {p.name: digest(p) for p in tmp_path.iterdir()}
    with pytest.raises(StoreError, match="newer prepdeck") as caught:
        Store.open(path)
    assert "\n" not in str(caught.value) and "untouched" in str(caught.value)
    assert {p.name: digest(p) for p in tmp_path.iterdir()} == before


def test_locked_database_gives_a_clear_error_after_waiting(tmp_path: Path) -> None:
    path = tmp_path / "prepdeck.db"
    Store.open(path).close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    store = Store.open(path, busy_timeout_ms=150)
    try:
        with pytest.raises(StoreError, match="locked by another prepdeck") as caught:
            store.put_note("d/c", {"situation": "x"})
        assert "0.15 s" in str(caught.value)
        holder.execute("ROLLBACK")
        store.put_note("d/c", {"situation": "x"})  # the same store works once the other lets go
        assert store.get_note("d/c") == {"situation": "x"}
    finally:
        holder.close()
        store.close()


CHILD = textwrap.dedent(
    """
    import datetime as dt, sys
    from prepdeck.core.config import Config
    from prepdeck.core.scheduler import Scheduling
    from prepdeck.core.store import Store
    from prepdeck.decks.model import Card, Deck, DeckSet

    cards = tuple(Card(deck_id="d", id=f"c{i}", type="recall", title="t", prompt="p", answer="a")
                  for i in range(50))
    decks = DeckSet(decks=[Deck(id="d", title="D", round="sql", cards=cards)])
    s = Scheduling(Store.open(sys.argv[1]), decks, Config())
    at = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    i = 0
    while True:
        at += dt.timedelta(minutes=3)
        outcome = s.review(cards[i % 50], 1 + i % 4, now=at, payload={"n": i})
        print(outcome.review_id, flush=True)  # printed only after the commit
        i += 1
    """
)


def test_process_killed_mid_session_keeps_every_committed_review(tmp_path: Path) -> None:
    path = tmp_path / "prepdeck.db"
    Store.open(path).close()
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert child.stdout is not None
    committed = [int(child.stdout.readline()) for _ in range(120)]
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    assert child.returncode == -signal.SIGKILL
    store = Store.open(path)
    ids = {r[0] for r in store.db.execute("SELECT id FROM reviews")}
    assert set(committed) <= ids
    # the cache agrees with the log for every card the killed session touched
    latest = store.db.execute(
        "SELECT r.card_id, r.state_after FROM reviews r WHERE r.id = "
        "(SELECT max(id) FROM reviews WHERE card_id = r.card_id)"
    ).fetchall()
    for card_id, state_after in latest:
        row = store.db.execute("SELECT due, reps FROM card_state WHERE card_id = ?", [card_id]).fetchone()
        after = json.loads(state_after)
        assert row == (after["due"], after["reps"])
    store.close()


def test_a_transaction_inside_another_is_part_of_it(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "prepdeck.db")
    try:

        def put(conn, key: str) -> None:
            conn.execute("INSERT INTO meta (key, value) VALUES (?, 'x')", (key,))

        def keys() -> set[str]:
            return {k for (k,) in store.db.execute("SELECT key FROM meta WHERE key LIKE 'k%'")}

        with store.transaction() as outer:
            put(outer, "k1")
            with pytest.raises(RuntimeError), store.transaction() as inner:
                put(inner, "k2")
                raise RuntimeError  # takes back only its own write
            with store.transaction() as inner:
                put(inner, "k3")
            assert keys() == set()  # another connection sees nothing before the outer commit
        assert keys() == {"k1", "k3"}
        with pytest.raises(RuntimeError), store.transaction() as outer:
            with store.transaction() as inner:
                put(inner, "k4")
            raise RuntimeError  # takes back the inner one's committed part too
        assert keys() == {"k1", "k3"}
        with store.transaction() as again:  # and a new transaction opens normally afterwards
            put(again, "k5")
        assert keys() == {"k1", "k3", "k5"}
    finally:
        store.close()
