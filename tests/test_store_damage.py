"""A database that is damaged, locked, newer, read-only or on a full disk: one line that says what happened
and what to do, exit 2, and the file left as it was. Plus the daily copy those lines point to.

Read-only and full disks are real: a small tmpfs mounted in the test's folder (root only, as on CI);
without the right to mount, those tests are skipped.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import sqlite3
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from prepdeck.cli import main
from prepdeck.core import backups
from prepdeck.core.paths import database_path
from prepdeck.core.store import Store, StoreError, to_iso, utcnow


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _home_with_a_review(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    store = Store.open(database_path(home))
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO reviews (card_id, deck_id, reviewed_at, rating, kind) VALUES (?, ?, ?, 3, 'grade')",
            ("sql-exercises/dedupe-latest-row", "sql-exercises", to_iso(utcnow())),
        )
    store.close()
    Store.open(database_path(home)).close()  # the first open with something to lose: today's copy
    return home


def _run(home: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    status = main(["--home", str(home), *(args or ("decks", "list"))])
    return status, capsys.readouterr().err


def _one_line(err: str) -> str:
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return err.strip()


# -- damaged -----------------------------------------------------------------------------------------


def _random_bytes(db: Path) -> None:
    db.write_bytes(os.urandom(64 * 1024))


def _corrupt_page(db: Path) -> None:
    data = bytearray(db.read_bytes())
    page = 4096
    data[2 * page : 3 * page] = os.urandom(page)  # a page of the schema's tables, overwritten
    db.write_bytes(bytes(data))


def _truncate(db: Path) -> None:
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 3])


def _bad_schema_version(db: Path) -> None:
    conn = sqlite3.connect(db)
    conn.execute("UPDATE meta SET value = 'abc' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()


@pytest.mark.parametrize("damage", [_random_bytes, _corrupt_page, _truncate, _bad_schema_version])
def test_a_damaged_database_is_one_line_naming_the_backup_and_is_left_alone(
    damage, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = _home_with_a_review(tmp_path)
    db = database_path(home)
    (copy,) = sorted((home / "backups").iterdir())  # the first open of the day made it
    damage(db)
    before = _digest(db)
    status, err = _run(home, capsys)
    line = _one_line(err)
    assert status == 2
    assert line.startswith(f"prepdeck: the database {db} is damaged")
    assert f"restore the copy of {dt.date.today().isoformat()}: cp {copy} {db}" in line
    assert _digest(db) == before
    wal = Path(f"{db}-wal")
    assert not wal.exists() or wal.stat().st_size == 0  # SQLite may open an empty log to read: nothing in it


def test_a_garbage_review_time_is_damage_too(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    home = _home_with_a_review(tmp_path)
    db = database_path(home)
    conn = sqlite3.connect(db)
    conn.execute("UPDATE reviews SET reviewed_at = 'yesterday-ish'")
    conn.commit()
    conn.close()
    status, err = _run(home, capsys, "grade", "sql-exercises/dedupe-latest-row", "good")
    assert status == 2
    line = _one_line(err)
    assert "is damaged (a stored time reads 'yesterday-ish')" in line and "restore the copy of" in line


def test_a_damaged_database_without_a_backup_says_to_move_it_aside(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    _random_bytes(database_path(home))
    status, err = _run(home, capsys)
    assert status == 2
    assert "move it aside to start afresh (no backup of it exists yet)" in _one_line(err)


def test_a_newer_database_is_refused_untouched(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    home = _home_with_a_review(tmp_path)
    db = database_path(home)
    conn = sqlite3.connect(db)
    conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    before = _digest(db)
    status, err = _run(home, capsys)
    assert status == 2 and "written by a newer prepdeck (schema 99" in _one_line(err)
    assert _digest(db) == before


# -- locked -------------------------------------------------------------------------------------------


def test_a_locked_database_is_one_line_and_the_write_waits_its_turn(tmp_path: Path) -> None:
    home = _home_with_a_review(tmp_path)
    db = database_path(home)
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another prepdeck in the middle of a write
    store = Store.open(db, busy_timeout_ms=100)  # reading still works: WAL
    assert store.review_count() == 1
    with pytest.raises(StoreError) as err:
        store.set_meta("x", "1")
    assert str(err.value) == (
        f"the database {db} is locked by another prepdeck (waited 0.1 s); close the other one and try again"
    )
    other.execute("ROLLBACK")
    store.set_meta("x", "1")  # once the other one is done, the same store writes
    assert store.get_meta("x") == "1"
    store.close()
    other.close()


# -- read-only and full disks (real mounts) -----------------------------------------------------------


@contextlib.contextmanager
def _tmpfs(folder: Path, size: str) -> Iterator[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        pytest.skip("mounting a small disk needs root (CI runs as root)")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def _read_only(folder: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)


def test_a_read_only_home_is_one_line_for_a_new_and_an_existing_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with _tmpfs(tmp_path / "ro", "4m") as home:
        _read_only(home)
        status, err = _run(home, capsys)
        assert status == 2
        assert _one_line(err) == (
            f"prepdeck: cannot write to the data folder {home}; make it writable, or choose another with --home DIR"
        )
    with _tmpfs(tmp_path / "ro2", "4m") as mount:
        home = _home_with_a_review(mount)
        db = database_path(home)
        before = _digest(db)
        _read_only(mount)
        status, err = _run(home, capsys)
        assert status == 2 and "cannot write to the data folder" in _one_line(err)
        assert _digest(db) == before


def test_a_full_disk_on_first_open_is_one_line_and_leaves_no_half_made_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with _tmpfs(tmp_path / "full", "16k") as home:
        status, err = _run(home, capsys)
        assert status == 2
        assert _one_line(err) == f"prepdeck: the disk holding {home} is full; free some space and try again"
        assert not [p.name for p in home.iterdir() if p.name.startswith("prepdeck.db")]


# -- the daily copy -----------------------------------------------------------------------------------


def test_one_sound_copy_a_day_and_only_the_last_seven_kept(tmp_path: Path) -> None:
    home = _home_with_a_review(tmp_path)
    db = database_path(home)
    folder = backups.backups_dir(db)
    today = dt.date.today()
    assert [p.name for p in folder.iterdir()] == [f"prepdeck-{today.isoformat()}.db"]
    store = Store.open(db)  # the same day again: no second copy
    assert len(list(folder.iterdir())) == 1
    for days in range(1, 10):
        assert backups.daily_backup(store, today + dt.timedelta(days=days)) is not None
    names = sorted(p.name for p in folder.iterdir())
    assert names == [f"prepdeck-{(today + dt.timedelta(days=d)).isoformat()}.db" for d in range(3, 10)]
    copy = sqlite3.connect(folder / names[-1])
    assert copy.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    assert copy.execute("SELECT count(*) FROM reviews").fetchone()[0] == 1
    copy.close()
    store.close()


def test_an_empty_database_is_not_copied(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "home" / "prepdeck.db")
    assert not (tmp_path / "home" / "backups").exists()
    store.close()


# -- threads ------------------------------------------------------------------------------------------


def test_each_thread_reads_on_its_own_connection_and_a_long_read_never_holds_up_a_write(
    tmp_path: Path,
) -> None:
    home = _home_with_a_review(tmp_path)
    store = Store.open(database_path(home))
    assert not hasattr(store, "lock")  # no lock for callers to remember: the store owns its threads
    seen: dict[str, object] = {}
    with store.snapshot():  # e.g. the weekly report's figures, on the UI thread
        before = store.review_count()

        def worker() -> None:
            seen["reader"] = store.reader()
            store.set_meta("written", "while the report read")  # not blocked by the open snapshot
            seen["count"] = store.review_count()

        thread = threading.Thread(target=worker)
        thread.start()
        thread.join(timeout=60)
        assert not thread.is_alive()
        assert seen["reader"] is not store.reader()
        assert store.get_meta("written") is None  # the snapshot sees one state of the database
        assert store.review_count() == before
    assert store.get_meta("written") == "while the report read"
    store.close()


def test_a_write_that_meets_a_full_disk_is_one_line_and_rolled_back(tmp_path: Path) -> None:
    with _tmpfs(tmp_path / "fills", "1m") as home:
        store = Store.open(database_path(home))
        with pytest.raises(StoreError) as err, store.transaction() as conn:  # a note bigger than the disk
            conn.execute(
                "INSERT INTO notes (card_id, body, updated_at) VALUES ('a/b', ?, 'now')",
                ("x" * 4_000_000,),
            )
        assert str(err.value) == f"the disk holding {home} is full; free some space and try again"
        assert store.get_note("a/b") == {}
        store.set_meta("still", "works")  # the store is usable once the failed write is undone
        assert store.get_meta("still") == "works"
        store.close()
