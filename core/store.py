"""SQLite storage through sqlite-utils: open, migrate, and the small queries every capability shares.

Every write is its own committed transaction before the call returns, so a crash or Ctrl+C never
loses a review, a recording or a transcript that the screen already moved past.
"""

from __future__ import annotations

import datetime as dt
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


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def to_iso(moment: dt.datetime) -> str:
    """UTC ISO-8601 with microseconds, so stored times sort as text."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: prepdeck stores UTC-aware times only")
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds")


def from_iso(text: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(text)
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
    def __init__(self, db: sqlite_utils.Database, path: Path | None, busy_timeout_ms: int = BUSY_TIMEOUT_MS):
        self.db = db
        self.path = path
        self.busy_timeout_ms = busy_timeout_ms
        # one connection shared by the UI thread and workers: writers take turns, so one thread's
        # transaction never swallows another's statements
        self.lock = threading.RLock()

    # -- opening -------------------------------------------------------------------------------
    @classmethod
    def open(cls, path: Path | str, *, migrate: bool = True, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> Store:
        """Open (creating) the database at `path`; `":memory:"` for tests that need no file.

        `busy_timeout_ms`: how long a write waits for another prepdeck holding the database.
        """
        if str(path) == ":memory:":
            conn = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
            store = cls(sqlite_utils.Database(conn), None)
        else:
            path = Path(path)
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                conn = sqlite3.connect(
                    str(path), timeout=busy_timeout_ms / 1000, check_same_thread=False, isolation_level=None
                )
            except (OSError, sqlite3.Error) as exc:
                raise StoreError(f"cannot open the database {path}: {exc}") from exc
            store = cls(sqlite_utils.Database(conn), path, busy_timeout_ms)
        try:
            store._configure()
            if migrate:
                store.migrate()
        except BaseException:
            conn.close()  # a refused or locked database is left exactly as it was
            raise
        return store

    def _configure(self) -> None:
        conn = self.db.conn
        conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout_ms)}")
        conn.execute("PRAGMA foreign_keys = ON")
        try:
            self._refuse_newer()  # before WAL: switching the journal mode would already write to it
        except sqlite3.OperationalError as exc:
            raise self._locked_or(exc) from exc
        if self.path is not None:
            try:
                conn.execute("PRAGMA journal_mode = WAL")
            except sqlite3.OperationalError as exc:
                raise self._locked_or(exc) from exc
            conn.execute("PRAGMA synchronous = NORMAL")  # WAL + NORMAL: durable across app crashes

    def _locked_or(self, exc: sqlite3.Error) -> StoreError:
        if "locked" in str(exc) or "busy" in str(exc):
            return StoreError(
                f"the database {self.path} is locked by another prepdeck (waited {self.busy_timeout_ms / 1000:g} s); "
                "close the other one and try again"
            )
        return StoreError(f"database error in {self.path}: {exc}")

    def schema_version(self) -> int:
        if "meta" not in self.db.table_names():
            return 0
        row = self.db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        return int(row[0]) if row else 0

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
        if self.path is not None and (current > 0 or self.db.table_names()):
            self.backup(self.path.with_name(f"{self.path.stem}.v{current}.backup{self.path.suffix}"))
        conn = self.db.conn
        try:
            for version in range(current + 1, SCHEMA_VERSION + 1):
                conn.execute("BEGIN IMMEDIATE")
                try:
                    MIGRATIONS[version](conn)
                    conn.execute(
                        "INSERT INTO meta (key, value) VALUES ('schema_version', ?) "
                        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                        (str(version),),
                    )
                    conn.execute("COMMIT")
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
        except sqlite3.OperationalError as exc:
            raise self._locked_or(exc) from exc

    def backup(self, target: Path) -> Path:
        """A consistent copy of the live database (SQLite's online backup), e.g. before a migration."""
        target.parent.mkdir(parents=True, exist_ok=True)
        dest = sqlite3.connect(str(target))
        try:
            self.db.conn.backup(dest)
        finally:
            dest.close()
        return target

    def close(self) -> None:
        self.db.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One committed unit of work; BEGIN IMMEDIATE so a second writer waits instead of failing late."""
        conn = self.db.conn
        with self.lock:
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                raise self._locked_or(exc) from exc
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

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
