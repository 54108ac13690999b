"""SQLite storage through sqlite-utils: open, migrate, and the small queries every capability shares.

Every write is its own committed transaction before the call returns, so a crash or Ctrl+C never
loses a review, a recording or a transcript that the screen already moved past. The store owns its
threads (see `Store`): callers never lock anything. A module that owns a query of its own (the
scheduler, the report's figures, mocks, sync) reads through `db`/`reader()`/`snapshot()` and writes
through `transaction()`. Every database problem is a `StoreError` of one line (`diagnose`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import json
import sqlite3
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from prepdeck.core.schema import MIGRATIONS, SCHEMA_VERSION


def _import_sqlite_utils() -> ModuleType:
    """sqlite-utils imports pandas and numpy when they are installed (to map their column types): most of a
    second of startup for every command. prepdeck never stores either, so hide them while it loads."""
    hidden = [name for name in ("pandas", "numpy") if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # makes `import name` raise ImportError
    try:
        import sqlite_utils
    finally:
        for name in hidden:
            if name in sys.modules and sys.modules[name] is None:
                del sys.modules[name]
    return sqlite_utils


if TYPE_CHECKING:
    import sqlite_utils
else:
    sqlite_utils = _import_sqlite_utils()

BUSY_TIMEOUT_MS = 5000


class StoreError(Exception):
    """A database problem the user must act on; the message is one line that says what to do."""


class DatabaseDamaged(StoreError):
    """The file is not a sound prepdeck database; the message names the backup to restore."""


class DamagedTime(DatabaseDamaged, ValueError):
    """A stored time that does not parse (still a ValueError for callers that parse foreign text)."""


def _connect(target: str, busy_timeout_ms: int) -> sqlite3.Connection:
    conn = sqlite3.connect(
        target, timeout=busy_timeout_ms / 1000, check_same_thread=False, isolation_level=None
    )
    conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = NORMAL")  # with WAL: durable across app crashes
    return conn


def _remove_database(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(OSError):
            Path(f"{path}{suffix}").unlink()


def restore_hint(path: Path | None) -> str:
    """What to do about a damaged database: the newest daily copy to put in its place, if there is one."""
    from prepdeck.core.backups import newest_backup

    copy = newest_backup(path) if path is not None else None
    if copy is None:
        return "move it aside to start afresh (no backup of it exists yet)"
    return f"restore the copy of {copy.stem[-10:]}: cp {copy} {path}"


def diagnose(exc: BaseException, path: Path | None, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> StoreError:
    """One line for a database error: what happened and what to do."""
    text = str(exc)
    low = text.lower()
    where = path.parent if path is not None else None
    if "locked" in low or "busy" in low:
        return StoreError(
            f"the database {path} is locked by another prepdeck (waited {busy_timeout_ms / 1000:g} s); "
            "close the other one and try again"
        )
    if "not a database" in low or "malformed" in low or "corrupt" in low:
        return DatabaseDamaged(f"the database {path} is damaged ({text}); {restore_hint(path)}")
    if "disk is full" in low or getattr(exc, "errno", None) == errno.ENOSPC:
        return StoreError(f"the disk holding {where} is full; free some space and try again")
    if (
        isinstance(exc, PermissionError)
        or "readonly" in low
        or "read-only" in low
        or "unable to open" in low
        or getattr(exc, "errno", None) in (errno.EACCES, errno.EROFS, errno.EPERM)
    ):
        return StoreError(
            f"cannot write to the data folder {where}; make it writable, or choose another with --home DIR"
        )
    return StoreError(f"database error in {path}: {text}")


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def to_iso(moment: dt.datetime) -> str:
    """UTC ISO-8601 with microseconds, so stored times sort as text."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: prepdeck stores UTC-aware times only")
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds")


def from_iso(text: str) -> dt.datetime:
    """A time as the store keeps it; anything else in the database means the file was damaged."""
    try:
        moment = dt.datetime.fromisoformat(text)
    except (TypeError, ValueError):
        from prepdeck.core.paths import data_home, database_path

        db = database_path(data_home())
        raise DamagedTime(
            f"the database {db} is damaged (a stored time reads {str(text)[:40]!r}); {restore_hint(db)}"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


@dataclass(frozen=True)
class Review:
    id: int
    card_id: str
    deck_id: str
    reviewed_at: dt.datetime
    rating: int
    duration_ms: int | None
    kind: str
    state_before: dict[str, Any] | None
    state_after: dict[str, Any] | None
    payload: dict[str, Any] | None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Review:
        def load(v: str | None) -> Any:
            return json.loads(v) if v else None

        return cls(
            id=row["id"],
            card_id=row["card_id"],
            deck_id=row["deck_id"],
            reviewed_at=from_iso(row["reviewed_at"]),
            rating=row["rating"],
            duration_ms=row["duration_ms"],
            kind=row["kind"],
            state_before=load(row["state_before"]),
            state_after=load(row["state_after"]),
            payload=load(row["payload"]),
        )


class Store:
    """The database, safe to use from any thread.

    Reads run on a connection of the calling thread's own (WAL: they never wait for a writer and always
    see every committed write). Writes go through `transaction()`, on one writer connection that the
    store's threads take in turn; a second prepdeck process waits up to `busy_timeout_ms`.
    """

    def __init__(self, path: Path | None, writer: sqlite3.Connection, busy_timeout_ms: int = BUSY_TIMEOUT_MS):
        self.path = path
        self.busy_timeout_ms = busy_timeout_ms
        self._writer = writer
        self._write_lock = threading.RLock()
        self._depth = 0  # transactions open on the writer (only the thread holding the lock opens one)
        self._local = threading.local()
        self._closed = False
        # bumped through note_change() by a writer whose readers keep caches (the scheduler's card_state):
        # other instances on this store compare it; data_version() covers other processes
        self.generation = 0

    # -- opening -------------------------------------------------------------------------------
    @classmethod
    def open(cls, path: Path | str, *, migrate: bool = True, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> Store:
        """Open (creating) the database at `path`; `":memory:"` for tests that need no file (one thread).

        Every problem is a StoreError of one line that says what to do, and leaves the file as it was.
        """
        if str(path) == ":memory:":
            store = cls(None, _connect(":memory:", busy_timeout_ms))
        else:
            path = Path(path)
            existed = path.exists()
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                writer = _connect(str(path), busy_timeout_ms)
            except (OSError, sqlite3.Error) as exc:
                raise diagnose(exc, path) from exc
            store = cls(path, writer, busy_timeout_ms)
            store._created = not existed
        try:
            store._configure()
            if migrate:
                store.migrate()
            if store.path is not None:
                from prepdeck.core.backups import daily_backup

                daily_backup(store)
        except BaseException as exc:
            store.close()  # a refused, damaged or locked database is left exactly as it was
            if store.path is not None and store._created:
                _remove_database(store.path)  # ours, half-made (a full disk): no empty file left behind
            if isinstance(exc, sqlite3.Error):
                raise diagnose(exc, store.path, busy_timeout_ms) from exc
            raise
        return store

    _created = False

    def _configure(self) -> None:
        self._refuse_newer()  # before WAL: switching the journal mode would already write to it
        if self.path is not None:
            self._writer.execute("PRAGMA journal_mode = WAL")

    def schema_version(self) -> int:
        with self._write_lock:
            conn = self._writer
            if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'meta'").fetchone():
                return 0
            row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        try:
            return int(row[0]) if row else 0
        except (TypeError, ValueError):
            raise DatabaseDamaged(
                f"the database {self.path} is damaged (its schema version is {row[0]!r}); {restore_hint(self.path)}"
            ) from None

    def _refuse_newer(self) -> int:
        current = self.schema_version()
        if current > SCHEMA_VERSION:
            raise StoreError(
                f"the database {self.path} was written by a newer prepdeck (schema {current}, this one knows "
                f"{SCHEMA_VERSION}); upgrade prepdeck — the database was left untouched"
            )
        return current

    def migrate(self) -> None:
        """Bring the database to SCHEMA_VERSION; copy it aside first; refuse a newer one."""
        current = self._refuse_newer()
        if current == SCHEMA_VERSION:
            return
        # copy anything that already holds data (an older prepdeck's, or a version-0 file with tables)
        has_tables = self._writer.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchone()
        if self.path is not None and (current > 0 or has_tables):
            self.backup(self.path.with_name(f"{self.path.stem}.v{current}.backup{self.path.suffix}"))
        for version in range(current + 1, SCHEMA_VERSION + 1):
            with self.transaction() as conn:
                MIGRATIONS[version](conn)
                conn.execute(
                    "INSERT INTO meta (key, value) VALUES ('schema_version', ?) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (str(version),),
                )

    def backup(self, target: Path) -> Path:
        """A consistent copy of the live database (SQLite's online backup), e.g. before a migration."""
        target.parent.mkdir(parents=True, exist_ok=True)
        dest = sqlite3.connect(str(target))
        try:
            with self._write_lock:
                self._writer.backup(dest)
        finally:
            dest.close()
        return target

    def close(self) -> None:
        """Close the writer and this thread's reader (other threads' readers close with their thread)."""
        self._closed = True
        reader = getattr(self._local, "conn", None)
        if reader is not None and reader is not self._writer:
            reader.close()
        self._local = threading.local()
        with self._write_lock:
            self._writer.close()

    # -- connections ---------------------------------------------------------------------------
    def reader(self) -> sqlite3.Connection:
        """The calling thread's own connection, for reads (an in-memory store has only the writer)."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            if self._closed:
                raise StoreError("the database is closed")
            conn = self._writer if self.path is None else _connect(str(self.path), self.busy_timeout_ms)
            self._local.conn = conn
        return conn

    @property
    def db(self) -> sqlite_utils.Database:
        """sqlite-utils over the calling thread's reader (for `query`); writes go through `transaction()`."""
        db = getattr(self._local, "db", None)
        if db is None or db.conn is not self.reader():
            db = self._local.db = sqlite_utils.Database(self.reader())
        return db

    @contextmanager
    def snapshot(self) -> Iterator[sqlite3.Connection]:
        """Several reads that see one state of the database (a read transaction on this thread's reader),
        e.g. every figure of a weekly report, without holding up any writer. Writes committed meanwhile,
        this thread's own included, are seen only after it ends: read-only work goes inside."""
        conn = self.reader()
        depth = getattr(self._local, "snapshot_depth", 0)
        if depth == 0 and conn is not self._writer:
            conn.execute("BEGIN")
        self._local.snapshot_depth = depth + 1
        try:
            yield conn
        finally:
            self._local.snapshot_depth = depth
            if depth == 0 and conn is not self._writer:
                conn.execute("COMMIT")

    def note_change(self) -> int:
        with self._write_lock:
            self.generation += 1
            return self.generation

    def data_version(self) -> int:
        """Changes when another process commits (never for this store's own writes): see `generation`."""
        with self._write_lock:
            return int(self._writer.execute("PRAGMA data_version").fetchone()[0])

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One committed unit of work; BEGIN IMMEDIATE so a second writer waits instead of failing late.

        Opened inside this thread's own transaction, it is a savepoint of that one: its failure takes back
        only its own writes, and what it wrote is committed (or rolled back) with the outer transaction."""
        with self._write_lock:
            conn = self._writer
            depth = self._depth
            begin, end = (
                ("BEGIN IMMEDIATE", "COMMIT") if depth == 0 else (f"SAVEPOINT t{depth}", f"RELEASE t{depth}")
            )
            try:
                conn.execute(begin)
            except sqlite3.OperationalError as exc:
                raise diagnose(exc, self.path, self.busy_timeout_ms) from exc
            self._depth = depth + 1
            try:
                yield conn
                conn.execute(end)
            except BaseException as exc:
                with contextlib.suppress(sqlite3.Error):  # e.g. SQLite already rolled back on a full disk
                    if depth == 0:
                        conn.execute("ROLLBACK")
                    else:
                        conn.execute(f"ROLLBACK TO t{depth}")
                        conn.execute(f"RELEASE t{depth}")
                if isinstance(exc, sqlite3.Error):  # a damaged page, a full disk: one line, as everywhere
                    raise diagnose(exc, self.path, self.busy_timeout_ms) from exc
                raise
            finally:
                self._depth = depth

    # -- meta ----------------------------------------------------------------------------------
    def get_meta(self, key: str, default: str | None = None) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction() as c:
            c.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    # -- reviews -------------------------------------------------------------------------------
    def reviews_for(self, card_id: str) -> list[Review]:
        rows = self.db.query("SELECT * FROM reviews WHERE card_id = ? ORDER BY reviewed_at, id", [card_id])
        return [Review.from_row(r) for r in rows]

    def last_review(self, card_id: str | None = None) -> Review | None:
        if card_id is None:
            rows = list(self.db.query("SELECT * FROM reviews ORDER BY id DESC LIMIT 1"))
        else:
            rows = list(
                self.db.query("SELECT * FROM reviews WHERE card_id = ? ORDER BY id DESC LIMIT 1", [card_id])
            )
        return Review.from_row(rows[0]) if rows else None

    def reviews_between(self, start: dt.datetime, end: dt.datetime) -> list[Review]:
        rows = self.db.query(
            "SELECT * FROM reviews WHERE reviewed_at >= ? AND reviewed_at < ? ORDER BY reviewed_at, id",
            [to_iso(start), to_iso(end)],
        )
        return [Review.from_row(r) for r in rows]

    def review_count(self) -> int:
        return self.db.execute("SELECT count(*) FROM reviews").fetchone()[0]

    # -- suspension ----------------------------------------------------------------------------
    def card_states(self) -> dict[str, dict[str, Any]]:
        """card id -> its cached FSRS state, due time, lapses and reps (reviewed cards only)."""
        rows = self.db.query("SELECT card_id, state, due, lapses, reps FROM card_state")
        return {r["card_id"]: r for r in rows}

    def suspended(self) -> dict[str, str]:
        return {r["card_id"]: r["reason"] for r in self.db.query("SELECT card_id, reason FROM suspended")}

    def set_suspended(self, card_id: str, suspended: bool, reason: str = "user") -> None:
        with self.transaction() as c:
            if suspended:
                c.execute(
                    "INSERT OR REPLACE INTO suspended (card_id, reason, since) VALUES (?, ?, ?)",
                    (card_id, reason, to_iso(utcnow())),
                )
            else:
                c.execute("DELETE FROM suspended WHERE card_id = ?", (card_id,))

    # -- notes and drafts ----------------------------------------------------------------------
    def get_note(self, card_id: str) -> dict[str, Any]:
        row = self.db.execute("SELECT body FROM notes WHERE card_id = ?", [card_id]).fetchone()
        return json.loads(row[0]) if row else {}

    def put_note(self, card_id: str, body: dict[str, Any]) -> None:
        with self.transaction() as c:
            c.execute(
                "INSERT OR REPLACE INTO notes (card_id, body, updated_at) VALUES (?, ?, ?)",
                (card_id, json.dumps(body), to_iso(utcnow())),
            )

    def get_draft(self, card_id: str) -> tuple[str, str | None] | None:
        row = self.db.execute("SELECT answer, dialect FROM drafts WHERE card_id = ?", [card_id]).fetchone()
        return (row[0], row[1]) if row else None

    def delete_draft(self, card_id: str) -> None:
        with self.transaction() as c:
            c.execute("DELETE FROM drafts WHERE card_id = ?", (card_id,))

    def put_draft(self, card_id: str, answer: str, dialect: str | None = None) -> None:
        with self.transaction() as c:
            c.execute(
                "INSERT OR REPLACE INTO drafts (card_id, answer, dialect, updated_at) VALUES (?, ?, ?, ?)",
                (card_id, answer, dialect, to_iso(utcnow())),
            )

    # -- judge attempts ------------------------------------------------------------------------
    def add_attempt(
        self,
        card_id: str,
        kind: str,
        answer: str,
        dialect: str | None,
        passed: bool,
        elapsed_ms: float | None,
        result: dict[str, Any],
        mock_id: int | None = None,
    ) -> int:
        with self.transaction() as c:
            cur = c.execute(
                "INSERT INTO attempts (card_id, at, kind, answer, dialect, passed, elapsed_ms, result, mock_id) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    card_id,
                    to_iso(utcnow()),
                    kind,
                    answer,
                    dialect,
                    int(passed),
                    elapsed_ms,
                    json.dumps(result),
                    mock_id,
                ),
            )
            return inserted_id(cur)

    def attempts_for(self, card_id: str, unlinked_only: bool = False) -> list[dict[str, Any]]:
        sql = "SELECT * FROM attempts WHERE card_id = ?"
        if unlinked_only:
            sql += " AND review_id IS NULL"
        return list(self.db.query(sql + " ORDER BY at, id", [card_id]))

    # -- recordings ----------------------------------------------------------------------------
    def add_recording(
        self, card_id: str | None, path: str, duration_s: float | None, mock_id: int | None = None
    ) -> int:
        with self.transaction() as c:
            cur = c.execute(
                "INSERT INTO recordings (card_id, at, path, duration_s, mock_id) VALUES (?, ?, ?, ?, ?)",
                (card_id, to_iso(utcnow()), path, duration_s, mock_id),
            )
            return inserted_id(cur)

    def update_recording(self, recording_id: int, **fields: Any) -> None:
        allowed = {
            "duration_s",
            "model",
            "status",
            "error",
            "transcript",
            "analysis",
            "self_score",
            "review_id",
        }
        bad = set(fields) - allowed
        if bad:
            raise ValueError(f"unknown recording fields: {sorted(bad)}")
        values = {k: json.dumps(v) if isinstance(v, (dict, list)) else v for k, v in fields.items()}
        with self.transaction() as c:
            sets = ", ".join(f"{k} = ?" for k in values)
            c.execute(f"UPDATE recordings SET {sets} WHERE id = ?", (*values.values(), recording_id))

    def recordings_for(self, card_id: str) -> list[dict[str, Any]]:
        return list(self.db.query("SELECT * FROM recordings WHERE card_id = ? ORDER BY at, id", [card_id]))

    # -- design self-checks --------------------------------------------------------------------
    def add_self_check(
        self, card_id: str, checklist: list[bool], numbers: list[dict[str, Any]], mock_id: int | None = None
    ) -> int:
        with self.transaction() as c:
            cur = c.execute(
                "INSERT INTO self_checks (card_id, at, checklist, numbers, mock_id) VALUES (?, ?, ?, ?, ?)",
                (card_id, to_iso(utcnow()), json.dumps(checklist), json.dumps(numbers), mock_id),
            )
            return inserted_id(cur)


def inserted_id(cur: sqlite3.Cursor) -> int:
    """The rowid an INSERT on `cur` just made (typed optional: None only before any insert)."""
    if cur.lastrowid is None:
        raise RuntimeError("no row inserted")
    return cur.lastrowid


def link_evidence(conn: sqlite3.Connection, card_id: str, review_id: int) -> None:
    """Attach the card's not-yet-rated judge runs, recordings and self-checks to the review just made
    (inside its transaction). Evidence from a mock interview belongs to that mock, never to a review."""
    for table in ("attempts", "recordings", "self_checks"):
        conn.execute(
            f"UPDATE {table} SET review_id = ? WHERE card_id = ? AND review_id IS NULL AND mock_id IS NULL",
            (review_id, card_id),
        )
