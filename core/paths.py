"""Where user data and decks live (see docs/cli.md)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from prepdeck.decks import BUILTIN_DECKS


def data_home(override: str | os.PathLike[str] | None = None) -> Path:
    """`--home`, else `$PREPDECK_HOME`, else the platform's user data directory for prepdeck."""
    if override:
        return Path(override).expanduser()
    env = os.environ.get("PREPDECK_HOME")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_path

    return user_data_path("prepdeck", appauthor=False)


def database_path(home: Path) -> Path:
    return home / "prepdeck.db"


def recordings_dir(home: Path) -> Path:
    return home / "recordings"


def reports_dir(home: Path) -> Path:
    return home / "reports"


def config_path(home: Path) -> Path:
    return home / "config.toml"


def deck_dirs(home: Path, cli_dirs: Sequence[str | os.PathLike[str]] | None = None) -> list[Path]:
    """Deck folders in load order: built-in, $PREPDECK_HOME/decks, $PREPDECK_DECKS, --decks.

    The first deck to claim an id keeps it, so a downloaded deck never takes the place of a built-in
    deck or of the user's own (whose review history would then apply to a stranger's cards).
    """
    dirs: list[Path] = [BUILTIN_DECKS, home / "decks"]
    for part in os.environ.get("PREPDECK_DECKS", "").split(os.pathsep):
        if part.strip():
            dirs.append(Path(part).expanduser())
    dirs.extend(Path(d).expanduser() for d in cli_dirs or [])
    return dirs


def read_capped(name: str, limit: int) -> bytes:
    """A file's bytes ('-': standard input), at most `limit`: OSError (strerror says why) for a bigger one
    or an endless one (/dev/zero, a pipe that never ends), read no further than one byte past the limit."""
    import sys

    if name == "-":
        data = sys.stdin.buffer.read(limit + 1)
    else:
        with open(name, "rb") as fh:
            data = fh.read(limit + 1)
    if len(data) > limit:
        raise OSError(0, f"larger than {limit // 1000:,} KB")
    return data
