"""`prepdeck decks trust|untrust PATH_OR_DECK_ID…` (docs/cli.md): exit 0, or 2 on an unknown deck."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from prepdeck.core.context import Context
from prepdeck.core.trust import TrustStore, has_code, trust, untrust
from prepdeck.decks.model import Deck
from prepdeck.decks.text import one_line


def _resolve(ctx: Context, target: str) -> Deck | Path | None:
    """An existing file or folder, else a loaded deck's id."""
    path = Path(target).expanduser()
    if path.exists():
        return path
    return ctx.decks().deck(target)


def _run(args: argparse.Namespace, withdraw: bool) -> int:
    ctx = Context.for_command(args)
    status = 0
    for target in args.targets:
        found = _resolve(ctx, target)
        if found is None:
            print(
                f"prepdeck: unknown deck '{one_line(target)}': give a deck file, a folder or a deck id "
                "from `prepdeck decks list`",
                file=sys.stderr,
            )
            status = 2
            continue
        if isinstance(found, Deck) and found.builtin:
            print(f"{found.id}: built-in decks are always trusted")
            continue
        try:
            if withdraw:
                removed = untrust(found, ctx.home)
                shown = (
                    ", ".join(one_line(r) for r in removed)
                    if removed
                    else f"{one_line(target)} was not trusted"
                )
                print(f"untrusted {shown}" if removed else shown)
                path = found.path if isinstance(found, Deck) else found
                folder = TrustStore.load(ctx.home).folder_of(Path(path).resolve()) if path else None
                if folder:  # the file alone is no longer trusted, but its folder still is
                    print(f"still trusted through its folder: `prepdeck decks untrust {one_line(folder)}`")
            else:
                what = trust(found, ctx.home)
                note = "" if not isinstance(found, Deck) or has_code(found) else " (it has no code to run)"
                print(f"trusted {one_line(what, None)}{note}")
        except OSError as exc:
            print(
                f"prepdeck: cannot {'untrust' if withdraw else 'trust'} {one_line(target)}: {exc.strerror or exc}",
                file=sys.stderr,
            )
            status = 2
    ctx.close()
    return status


def decks_trust(args: argparse.Namespace) -> int:
    return _run(args, withdraw=False)


def decks_untrust(args: argparse.Namespace) -> int:
    return _run(args, withdraw=True)


__all__ = ["decks_trust", "decks_untrust"]
