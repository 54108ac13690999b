"""Which decks may run their own code (docs/deck-format.md, "Decks that carry code").

A `pyspark` or `python` card's solution is code, and checking an answer runs it. Built-in decks are
trusted; any other deck with such a card runs its code only once the user has trusted it, either the file
at its exact content (sha256: editing the file withdraws the trust) or a folder where the user writes
their own decks. Trust lives in `$PREPDECK_HOME/trust.json`, written atomically. Pure: no Textual.
"""

from __future__ import annotations

import hashlib
import json
import os
import shlex
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from prepdeck.core.paths import data_home

if TYPE_CHECKING:
    from prepdeck.decks.model import Deck

CODE_CARD_TYPES = ("pyspark", "python")  # cards whose deck-supplied solution is executed
TRUST_FILE = "trust.json"
MAX_TRUST_FILE_BYTES = 4 * 1024 * 1024  # a damaged or hostile trust file is ignored, never parsed whole


def _home(home: Path | str | None) -> Path:
    # without an explicit home, $PREPDECK_HOME (the CLI sets it from --home, so child processes agree)
    return Path(home) if home is not None else data_home()


def trust_path(home: Path | str | None = None) -> Path:
    return _home(home) / TRUST_FILE


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def has_code(deck: Deck) -> bool:
    return any(card.type in CODE_CARD_TYPES for card in deck.cards)


@dataclass
class TrustStore:
    files: dict[str, str] = field(default_factory=dict)  # resolved file path -> sha256 of trusted content
    folders: list[str] = field(default_factory=list)  # resolved folder paths

    @classmethod
    def load(cls, home: Path | str | None = None) -> TrustStore:
        """The stored trust; a missing, oversized or damaged file trusts nothing (the safe reading)."""
        path = trust_path(home)
        try:
            if path.stat().st_size > MAX_TRUST_FILE_BYTES:
                return cls()
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError):
            return cls()
        if not isinstance(data, dict):
            return cls()
        files = data.get("files")
        folders = data.get("folders")
        return cls(
            files={k: v for k, v in files.items() if isinstance(k, str) and isinstance(v, str)}
            if isinstance(files, dict)
            else {},
            folders=[f for f in folders if isinstance(f, str)] if isinstance(folders, list) else [],
        )

    def save(self, home: Path | str | None = None) -> None:
        """Atomically: a crash mid-write leaves the old trust file, never half of one."""
        path = trust_path(home)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{TRUST_FILE}.{os.getpid()}.tmp")
        payload = json.dumps(
            {"version": 1, "files": self.files, "folders": sorted(set(self.folders))}, indent=2
        )
        try:
            with open(tmp, "w", encoding="utf-8") as fh:
                fh.write(payload + "\n")
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)

    def folder_of(self, file: Path) -> str | None:
        parent = str(file.parent)
        return parent if parent in self.folders else None


def _real(path: Path | str) -> Path:
    return Path(path).expanduser().resolve()


def _deck_sha256(deck: Deck) -> str | None:
    """The hash of the bytes the deck was loaded from (its code is what would run); never the file's
    current content, which may have changed since: a deck built without it is trusted by folder only."""
    return getattr(deck, "sha256", "") or None


def _deck_real(deck: Deck) -> Path | None:
    """Where the deck was read from, symbolic links resolved as they were then."""
    real = getattr(deck, "real_path", None)
    return real if real is not None else (_real(deck.path) if deck.path is not None else None)


def trust_state(deck: Deck, home: Path | str | None = None) -> str:
    """'builtin', 'no code', 'file', 'folder' or 'untrusted'."""
    if deck.builtin:
        return "builtin"
    if not has_code(deck):
        return "no code"
    real = _deck_real(deck)
    if real is None:
        return "untrusted"
    store = TrustStore.load(home)
    if store.folder_of(real):
        return "folder"
    stored = store.files.get(str(real))
    if stored is not None and stored == _deck_sha256(deck):
        return "file"
    return "untrusted"


def is_trusted(deck: Deck, home: Path | str | None = None) -> bool:
    """May this deck's own code (pyspark/python solutions) run? Decks without such code always may."""
    return trust_state(deck, home) != "untrusted"


def refusal(deck: Deck) -> str:
    """One line: why the deck's code does not run and the command that lets it."""
    from prepdeck.decks.text import one_line

    where = shlex.quote(str(deck.path)) if deck.path else deck.id
    return one_line(
        f"deck '{deck.id}' is not trusted to run its code: read {deck.path or 'it'}, "
        f"then run `prepdeck decks trust {where}`",
        limit=None,
    )


@contextmanager
def _locked(home: Path | str | None) -> Iterator[None]:
    """One writer at a time (two `decks trust` at once must not lose an entry); POSIX only, else a no-op."""
    try:
        import fcntl
    except ImportError:
        yield
        return
    path = trust_path(home).with_name(f".{TRUST_FILE}.lock")
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def trust(target: Deck | Path | str, home: Path | str | None = None, folder: bool = False) -> str:
    """Trust a deck file at its current content, or a folder (a folder path, or `folder=True` for the
    folder of a deck/file). Returns what was trusted, for the user. OSError when the file cannot be read."""
    with _locked(home):
        return _trust(target, home, folder)


def _trust(target: Deck | Path | str, home: Path | str | None, folder: bool) -> str:
    store = TrustStore.load(home)
    if not isinstance(target, (str, Path)):
        real = _deck_real(target)
        if real is None:
            raise ValueError(f"deck '{target.id}' has no file to trust")
        digest = _deck_sha256(target)  # what the user was shown, even if the file changed since
    else:
        real = _real(target)
        digest = None
    if real.is_dir() or folder:
        where = real if real.is_dir() else real.parent
        if str(where) not in store.folders:
            store.folders.append(str(where))
        store.save(home)
        return f"folder {where}"
    if digest is None:
        digest = file_sha256(real)
    store.files[str(real)] = digest
    store.save(home)
    return f"{real} (sha256 {digest[:12]}…)"


def untrust(target: Deck | Path | str, home: Path | str | None = None) -> list[str]:
    """Withdraw the trust given to a file or a folder. Returns what was withdrawn (may be empty)."""
    with _locked(home):
        return _untrust(target, home)


def _untrust(target: Deck | Path | str, home: Path | str | None) -> list[str]:
    store = TrustStore.load(home)
    path = target if isinstance(target, (str, Path)) else target.path
    if path is None:
        return []
    real = _real(path)
    removed: list[str] = []
    if str(real) in store.files:
        del store.files[str(real)]
        removed.append(str(real))
    if str(real) in store.folders:
        store.folders = [f for f in store.folders if f != str(real)]
        removed.append(f"folder {real}")
    if removed:
        store.save(home)
    return removed


__all__ = [
    "CODE_CARD_TYPES",
    "TrustStore",
    "has_code",
    "is_trusted",
    "refusal",
    "trust",
    "trust_state",
    "untrust",
]
