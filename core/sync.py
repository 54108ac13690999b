"""One history on several machines through a folder the user already syncs (`prepdeck sync DIR`).

Each machine owns one file in the folder, `prepdeck-<machine>.jsonl`, and is the only one that writes it:
its own reviews, the undos of reviews it had already shared, its notes and its recordings' metadata (the
audio stays where it was recorded). A sync rewrites this machine's file whole (a temporary file renamed
over it, so another machine never reads half of it), then reads every other machine's file and takes
each entry once, by its global id. The review log is the truth, so every card touched is then replayed
from its log in one order that all machines share: two machines end with the same card states.

A file another machine is still writing may end in half a line (a sync tool copying it): that line is
skipped and read at the next sync; an entry that does not validate is skipped and counted, never stored.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import secrets
import sqlite3
import stat
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from prepdeck.core.store import Store, from_iso, to_iso, utcnow
from prepdeck.decks.text import visible_strings

FORMAT = "prepdeck-sync"
VERSION = 1
_MACHINE_RE = re.compile(r"^[0-9a-f]{12}$")
_FILE_RE = re.compile(r"^prepdeck-([0-9a-f]{12})\.jsonl$")


class SyncError(Exception):
    """The folder cannot be used; one line saying what to do."""


@dataclass
class SyncSummary:
    folder: str
    machine: str
    sent: dict[str, int] = field(default_factory=dict)  # what this machine's file now holds, by kind
    received: dict[str, int] = field(default_factory=dict)  # entries taken from the other machines' files
    machines: list[str] = field(default_factory=list)  # the other machines whose files were read
    skipped: int = 0  # lines that were half-written or did not validate
    cards_replayed: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "folder": self.folder,
            "machine": self.machine,
            "sent": self.sent,
            "received": self.received,
            "machines": self.machines,
            "skipped": self.skipped,
            "cards_replayed": self.cards_replayed,
        }


def machine_id(store: Store) -> str:
    """This database's machine id: made once, kept in `meta`, so a copied database must not sync as the same
    machine (`prepdeck sync` would then treat the copy's reviews as its own)."""
    current = store.get_meta("machine_id")
    if current and _MACHINE_RE.match(current):
        return current
    made = secrets.token_hex(6)
    store.set_meta("machine_id", made)
    return made


def sync_file(folder: Path, machine: str) -> Path:
    return folder / f"prepdeck-{machine}.jsonl"


def _check_folder(folder: Path) -> None:
    if not folder.exists():
        raise SyncError(
            f"the sync folder {folder} does not exist; create it or give the folder your sync tool shares"
        )
    if not folder.is_dir():
        raise SyncError(f"{folder} is not a folder; give the folder your sync tool shares")
    if not os.access(folder, os.R_OK | os.W_OK | os.X_OK):
        raise SyncError(f"cannot read and write the sync folder {folder}; check its permissions")


# -- writing this machine's file ----------------------------------------------------------------------
def _own_entries(store: Store, machine: str) -> Iterator[dict[str, Any]]:
    conn = store.db.conn
    with store.transaction() as tx:  # give this machine's unshared entries their global id, once
        # numbered from a counter, not the row id: SQLite hands an undone review's row id to the next one
        row = tx.execute("SELECT value FROM meta WHERE key = 'sync_sequence'").fetchone()
        sequence = int(row[0]) if row else 0
        for table in ("reviews", "recordings"):
            ids = [
                i
                for (i,) in tx.execute(
                    f"SELECT id FROM {table} WHERE uid IS NULL AND origin IS NULL ORDER BY id"
                )
            ]
            for local_id in ids:
                sequence += 1
                tx.execute(f"UPDATE {table} SET uid = ? WHERE id = ?", (f"{machine}-{sequence}", local_id))
        tx.execute(
            "INSERT INTO meta (key, value) VALUES ('sync_sequence', ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (str(sequence),),
        )
    rows = conn.execute(
        "SELECT uid, card_id, deck_id, reviewed_at, rating, duration_ms, kind, payload, "
        "json_extract(state_after, '$.balanced_days') FROM reviews WHERE origin IS NULL ORDER BY id"
    )
    for uid, card_id, deck_id, reviewed_at, rating, duration_ms, kind, payload, balanced_days in rows:
        extra = {"balanced_days": balanced_days} if balanced_days is not None else {}
        yield {
            **extra,
            "t": "review",
            "uid": uid,
            "card_id": card_id,
            "deck_id": deck_id,
            "reviewed_at": reviewed_at,
            "rating": rating,
            "duration_ms": duration_ms,
            "kind": kind,
            "payload": json.loads(payload) if payload else None,
        }
    for uid, at in conn.execute(
        "SELECT uid, at FROM sync_undone WHERE uid LIKE ? ORDER BY uid", (f"{machine}-%",)
    ):
        yield {"t": "undo", "uid": uid, "at": at}
    for card_id, body, updated_at in conn.execute(
        "SELECT card_id, body, updated_at FROM notes ORDER BY card_id"
    ):
        yield {"t": "note", "card_id": card_id, "body": json.loads(body), "updated_at": updated_at}
    stories = conn.execute(
        "SELECT uid, title, body, competencies, updated_at, deleted FROM stories ORDER BY id"
    ).fetchall()
    for uid, title, body, competencies, updated_at, deleted in stories:
        yield {
            "t": "story",
            "uid": uid,
            "title": title,
            "body": json.loads(body),
            "competencies": json.loads(competencies),
            "updated_at": updated_at,
            "deleted": bool(deleted),
        }
    rows = conn.execute(
        "SELECT uid, card_id, at, duration_s, model, status, transcript, analysis, self_score FROM recordings "
        "WHERE origin IS NULL AND status != 'saved' ORDER BY id"
    )
    for uid, card_id, at, duration_s, model, status, transcript, analysis, self_score in rows:
        yield {
            "t": "recording",
            "uid": uid,
            "card_id": card_id,
            "at": at,
            "duration_s": duration_s,
            "model": model,
            "status": status,
            "transcript": json.loads(transcript) if transcript else None,
            "analysis": json.loads(analysis) if analysis else None,
            "self_score": json.loads(self_score) if self_score else None,
        }


def write_own_file(store: Store, folder: Path, machine: str) -> dict[str, int]:
    """Rewrite this machine's file whole, atomically; returns how many entries of each kind it holds."""
    target = sync_file(folder, machine)
    counts: dict[str, int] = {}
    header = {"format": FORMAT, "version": VERSION, "machine": machine, "written_at": to_iso(utcnow())}
    temporary: Path | None = None
    try:
        # a fresh name made with O_EXCL: a symbolic link planted in the shared folder under a name we would
        # use (a sync tool or a git repository carries links) must not make us write through it
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
        temporary = Path(name)
        os.fchmod(fd, 0o644)  # as a plain new file would be: the sync tool and the other machines read it
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(json.dumps(header) + "\n")
            for entry in _own_entries(store, machine):
                counts[entry["t"]] = counts.get(entry["t"], 0) + 1
                out.write(json.dumps(entry, separators=(",", ":"), ensure_ascii=False) + "\n")
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    except OSError as exc:
        if temporary is not None:
            temporary.unlink(missing_ok=True)
        raise SyncError(
            f"cannot write {target}: {exc.strerror or exc}; check the folder's free space and permissions"
        ) from exc
    return counts


# -- reading the other machines' files ---------------------------------------------------------------
def _text(value: Any, limit: int = 400) -> bool:
    return isinstance(value, str) and 0 < len(value) <= limit


# another machine's clock may run ahead a little; an entry dated further ahead is refused as `grade --at`
# refuses one: a note dated in year 9999 would win every later edit, a review there overflows the calendar
_AHEAD = dt.timedelta(days=1)
_MAX_DURATION_MS = 24 * 3600 * 1000  # SQLite integers end at 2**63; no answer takes a day
MAX_FILE_BYTES = 512 * 1024 * 1024  # years of reviews and transcripts take a few MB


def _time(value: Any, latest: dt.datetime) -> bool:
    if not _text(value, 64):
        return False
    try:
        moment = from_iso(value)
    except (ValueError, OverflowError):
        return False
    return moment.tzinfo is not None and dt.datetime(2000, 1, 1, tzinfo=dt.UTC) <= moment <= latest


def _json_object(value: Any) -> bool:
    return value is None or isinstance(value, dict)


def _valid(entry: Any, machine: str, latest: dt.datetime) -> bool:
    """An entry this machine may store: the right types, and a global id of the machine that wrote it."""
    if not isinstance(entry, dict):
        return False
    kind = entry.get("t")
    owned = _text(entry.get("uid"), 64) and str(entry["uid"]).startswith(f"{machine}-")
    if kind == "review":
        rating, duration = entry.get("rating"), entry.get("duration_ms")
        return (
            owned
            and _text(entry.get("card_id"))
            and _text(entry.get("deck_id"))
            and _time(entry.get("reviewed_at"), latest)
            and type(rating) is int
            and 1 <= rating <= 4
            and (duration is None or (type(duration) is int and 0 <= duration <= _MAX_DURATION_MS))
            and _text(entry.get("kind"), 20)
            and (entry.get("payload") is None or isinstance(entry["payload"], dict))
            and (
                entry.get("balanced_days") is None
                or (type(entry["balanced_days"]) is int and entry["balanced_days"] > 0)
            )
        )
    if kind == "undo":
        return bool(owned)
    if kind == "note":
        return (
            _text(entry.get("card_id"))
            and isinstance(entry.get("body"), dict)
            and all(isinstance(v, str) for v in entry["body"].values())
            and _time(entry.get("updated_at"), latest)
        )
    if kind == "story":  # any machine may edit a story: the newest edit wins, by its time
        return (
            _text(entry.get("uid"), 64)
            and _text(entry.get("title"), 200)
            and isinstance(entry.get("body"), dict)
            and all(isinstance(v, str) for v in entry["body"].values())
            and isinstance(entry.get("competencies"), list)
            and all(_text(c, 80) for c in entry["competencies"])
            and _time(entry.get("updated_at"), latest)
            and isinstance(entry.get("deleted"), bool)
        )
    if kind == "recording":
        duration = entry.get("duration_s")
        return (
            owned
            and (entry.get("card_id") is None or _text(entry.get("card_id")))
            and _time(entry.get("at"), latest)
            and (duration is None or (isinstance(duration, (int, float)) and 0 <= duration < 86400))
            and (entry.get("model") is None or _text(entry.get("model"), 200))
            and _text(entry.get("status"), 20)
            and all(_json_object(entry.get(k)) for k in ("transcript", "analysis", "self_score"))
        )
    return False


def _read_regular(path: Path) -> bytes:
    """The file's bytes; OSError for anything but a regular file of a sane size: a named pipe put in the
    folder must not hang the sync, nor a huge file exhaust memory."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as fh:
        info = os.fstat(fh.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_FILE_BYTES:
            raise OSError(f"{path} is not a sync file")
        data = fh.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise OSError(f"{path} is too large")
    return data


def read_entries(
    path: Path, machine: str, now: dt.datetime | None = None
) -> tuple[list[dict[str, Any]], int]:
    """The valid entries of another machine's file, and how many lines were skipped.

    A last line without its newline is a file still being copied: skipped now, read next time."""
    try:
        data = _read_regular(path)
    except OSError:
        return [], 1
    latest = (now or utcnow()) + _AHEAD
    lines = data.split(b"\n")
    tail = lines.pop()  # b"" when the file ends with a newline, else a line still being written
    skipped = 1 if tail.strip() else 0
    entries: list[dict[str, Any]] = []
    for number, raw in enumerate(lines):
        try:
            entry = visible_strings(json.loads(raw))  # stories and notes reach the screens
        except (json.JSONDecodeError, UnicodeDecodeError, RecursionError):
            skipped += 1
            continue
        if number == 0:
            if not (
                isinstance(entry, dict) and entry.get("format") == FORMAT and entry.get("machine") == machine
            ):
                return [], skipped + len(lines)  # not a prepdeck sync file of that machine: take nothing
            continue
        if _valid(entry, machine, latest):
            entries.append(entry)
        else:
            skipped += 1
    return entries, skipped


def _dumps(value: Any) -> str | None:
    return None if value is None else json.dumps(value)


_INSERT_REVIEW = (
    "INSERT OR IGNORE INTO reviews (card_id, deck_id, reviewed_at, rating, duration_ms, kind, payload, uid, "
    "origin, state_after) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def merge_entries(
    conn: sqlite3.Connection, entries: list[dict[str, Any]], machine: str
) -> tuple[dict[str, int], set[str]]:
    """Store what is new among another machine's entries, inside the caller's transaction; returns counts
    and the cards whose log changed."""
    received: dict[str, int] = {}
    touched: set[str] = set()
    undone = {uid for (uid,) in conn.execute("SELECT uid FROM sync_undone")}
    # that machine's reviews this database holds already (its uids all start "<machine>-")
    known = {
        uid
        for (uid,) in conn.execute(
            "SELECT uid FROM reviews WHERE uid >= ? AND uid < ?", (f"{machine}-", f"{machine}.")
        )
    }
    new_reviews: list[tuple[Any, ...]] = []  # inserted together, before anything that may look for them

    def insert_new_reviews() -> None:
        if new_reviews:
            added = conn.executemany(_INSERT_REVIEW, new_reviews).rowcount
            if added:
                received["review"] = received.get("review", 0) + added
            new_reviews.clear()

    for entry in entries:
        kind = entry["t"]
        if kind == "review":
            if entry["uid"] in undone or entry["uid"] in known:
                continue
            known.add(entry["uid"])
            touched.add(entry["card_id"])
            new_reviews.append(
                (
                    entry["card_id"],
                    entry["deck_id"],
                    to_iso(from_iso(entry["reviewed_at"])),
                    entry["rating"],
                    entry["duration_ms"],
                    entry["kind"],
                    _dumps(entry.get("payload")),
                    entry["uid"],
                    machine,
                    # the day a balanced review was put on: the replay keeps it (a flag of state_after)
                    json.dumps({"balanced_days": entry["balanced_days"]})
                    if entry.get("balanced_days")
                    else None,
                )
            )
            continue
        insert_new_reviews()
        if kind == "undo":
            if entry["uid"] in undone:
                continue
            undone.add(entry["uid"])
            conn.execute(
                "INSERT OR IGNORE INTO sync_undone (uid, at) VALUES (?, ?)",
                (entry["uid"], to_iso(utcnow())),
            )
            row = conn.execute("SELECT card_id FROM reviews WHERE uid = ?", (entry["uid"],)).fetchone()
            if row:
                conn.execute("DELETE FROM reviews WHERE uid = ?", (entry["uid"],))
                touched.add(row[0])
                received["undo"] = received.get("undo", 0) + 1
        elif kind == "note":
            cur = conn.execute(
                "INSERT INTO notes (card_id, body, updated_at) VALUES (?, ?, ?) ON CONFLICT (card_id) DO UPDATE "
                "SET body = excluded.body, updated_at = excluded.updated_at "
                "WHERE excluded.updated_at > notes.updated_at",
                (entry["card_id"], json.dumps(entry["body"]), entry["updated_at"]),
            )
            if cur.rowcount:
                received["note"] = received.get("note", 0) + 1
        elif kind == "story":
            cur = conn.execute(
                "INSERT INTO stories (uid, title, body, competencies, updated_at, deleted) VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (uid) DO UPDATE SET title = excluded.title, body = excluded.body, "
                "competencies = excluded.competencies, updated_at = excluded.updated_at, deleted = excluded.deleted "
                "WHERE excluded.updated_at > stories.updated_at",
                (
                    entry["uid"],
                    entry["title"],
                    json.dumps(entry["body"]),
                    json.dumps(entry["competencies"]),
                    entry["updated_at"],
                    int(entry["deleted"]),
                ),
            )
            if cur.rowcount:
                received["story"] = received.get("story", 0) + 1
        elif kind == "recording":
            cur = conn.execute(
                "INSERT OR IGNORE INTO recordings (card_id, at, path, duration_s, model, status, transcript, "
                "analysis, self_score, uid, origin) VALUES (?, ?, '', ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    entry.get("card_id"),
                    entry["at"],
                    entry.get("duration_s"),
                    entry.get("model"),
                    entry["status"],
                    _dumps(entry.get("transcript")),
                    _dumps(entry.get("analysis")),
                    _dumps(entry.get("self_score")),
                    entry["uid"],
                    machine,
                ),
            )
            if cur.rowcount:
                received["recording"] = received.get("recording", 0) + 1
    insert_new_reviews()
    return received, touched


def sync(store: Store, folder: Path, replay: Any, now: dt.datetime | None = None) -> SyncSummary:
    """Write this machine's file, merge every other machine's, replay the cards whose log changed.

    `replay(card_ids)` recomputes those cards from their log (the scheduler's job: it knows the decks); its
    transaction is part of the merge's, so the reviews taken in and the states they give are stored
    together or not at all (reviews stored without their replay would never be replayed: a later sync
    finds nothing new in them). An entry dated more than a day after `now` (default: the clock) is skipped."""
    folder = Path(folder).expanduser()
    _check_folder(folder)
    machine = machine_id(store)
    summary = SyncSummary(folder=str(folder), machine=machine)
    files = []
    for path in sorted(folder.iterdir()):
        match = _FILE_RE.match(path.name)
        if not match or match.group(1) == machine:
            continue
        entries, skipped = read_entries(path, match.group(1), now)
        summary.skipped += skipped
        summary.machines.append(match.group(1))
        files.append((match.group(1), entries))
    touched: set[str] = set()
    # read first, then write: what we write then already holds the undos of reviews that came in
    with store.transaction() as conn:
        for other, entries in files:
            received, cards = merge_entries(conn, entries, other)
            touched |= cards
            for kind, count in received.items():
                summary.received[kind] = summary.received.get(kind, 0) + count
        summary.cards_replayed = replay(sorted(touched)) if touched else 0
    store.note_change()  # caches read while the transaction was open are stale now that it committed
    summary.sent = write_own_file(store, folder, machine)
    return summary
