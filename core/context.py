"""What every command and the app share: the data home, the settings, the decks and the store.

Loading is lazy so a command pays only for what it touches (startup time matters for `prepdeck check`).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from prepdeck.core.config import Config, load_config
from prepdeck.core.paths import data_home, database_path, deck_dirs

if TYPE_CHECKING:
    import argparse

    from prepdeck.core.store import Store
    from prepdeck.decks.model import DeckSet


@dataclass
class Context:
    home: Path
    deck_dirs: list[Path]
    config: Config
    _decks: DeckSet | None = field(default=None, repr=False)
    _store: Store | None = field(default=None, repr=False)

    @classmethod
    def create(
        cls, home: str | Path | None = None, extra_deck_dirs: Sequence[str | os.PathLike[str]] | None = None
    ) -> Context:
        root = data_home(home)
        return cls(home=root, deck_dirs=deck_dirs(root, extra_deck_dirs), config=load_config(root))

    @classmethod
    def for_command(cls, args: argparse.Namespace) -> Context:
        """A command's context (`--home`, `--decks`), with the settings file's problems said first on stderr,
        one `prepdeck: warning: PATH:LINE: message` each (its default is used); the app shows them at home."""
        ctx = cls.create(getattr(args, "home", None), getattr(args, "deck_dirs", None))
        for problem in ctx.config.problems:
            print(f"prepdeck: warning: {problem}", file=sys.stderr)
        return ctx

    def decks(self) -> DeckSet:
        if self._decks is None:
            from prepdeck.decks.loader import load_decks

            self._decks = load_decks(self.deck_dirs, cache_dir=self.home / "cache" / "decks")
        return self._decks

    def reload_decks(self) -> DeckSet:
        self._decks = None
        return self.decks()

    def store(self) -> Store:
        if self._store is None:
            from prepdeck.core.store import Store

            self._store = Store.open(database_path(self.home))
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
