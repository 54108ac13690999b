"""A daily copy of the database, the last 7 kept, made when prepdeck first opens it on a day.

`$PREPDECK_HOME/backups/prepdeck-YYYY-MM-DD.db`: SQLite's online backup (consistent while the app
runs), written under a temporary name and checked with `PRAGMA quick_check` before it takes its final
name, so a copy is only ever kept if it is sound. A damaged database is found the same way: the
message names the newest good copy to put back.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from prepdeck.core.store import Store

KEEP = 7


def backups_dir(database: Path) -> Path:
    return database.parent / "backups"


def _copies(database: Path) -> list[Path]:
    folder = backups_dir(database)
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"{database.stem}-????-??-??{database.suffix}"))


def newest_backup(database: Path) -> Path | None:
    copies = _copies(database)
    return copies[-1] if copies else None


def daily_backup(store: Store, today: dt.date | None = None) -> Path | None:
    """Today's copy if there is none yet; then only the newest KEEP copies stay. None when skipped.

    A database with no reviews yet is not copied (nothing to lose). A copy that cannot be written (a full
    or read-only disk) is skipped, never a reason to refuse the database."""
    from prepdeck.core.store import DatabaseDamaged, restore_hint

    path = store.path
    if path is None:
        return None
    day = today or dt.date.today()
    target = backups_dir(path) / f"{path.stem}-{day.isoformat()}{path.suffix}"
    if target.exists():
        return None
    with store.snapshot() as conn:
        if not conn.execute("SELECT EXISTS (SELECT 1 FROM reviews)").fetchone()[0]:
            return None
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        store.backup(tmp)
        check = sqlite3.connect(str(tmp))
        try:
            verdict = check.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            check.close()
        if verdict != "ok":
            raise DatabaseDamaged(f"the database {path} is damaged ({verdict}); {restore_hint(path)}")
        os.replace(tmp, target)
    except sqlite3.Error as exc:
        from prepdeck.core.store import diagnose

        problem = diagnose(exc, path)
        if isinstance(problem, DatabaseDamaged):
            raise problem from exc
        return None  # no room or no rights for the copy: the database itself is fine
    except OSError:
        return None
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
    for old in _copies(path)[:-KEEP]:
        with contextlib.suppress(OSError):
            old.unlink()
    return target
