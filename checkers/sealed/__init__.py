"""The sealed runner: every piece of user or deck code (PySpark answers and solutions, python cards) runs
in a forked child of a warm supervisor, sealed by resource limits and Landlock, and hands back only its
result; verdicts are decided in prepdeck. See supervisor.py (the process tree) and limits.py (the seals).

`require_trusted(card, home)` refuses, with the one line cli.md gives, to run the solution of a deck the
user has not trusted (docs/deck-format.md, "Decks that carry code").
"""

from __future__ import annotations

import atexit
import re
import threading
from pathlib import Path

from prepdeck.checkers.sealed.client import Sealed, SealedOutcome, SealedUnavailable
from prepdeck.decks.model import Card

BUILTIN_DECKS = Path(__file__).resolve().parent.parent.parent / "decks"


class UntrustedCode(RuntimeError):
    """The card's deck is not trusted to run its code; the message names `prepdeck decks trust PATH`."""


def require_trusted(card: Card, home: Path | None = None) -> None:
    from prepdeck.core.trust import is_trusted, refusal
    from prepdeck.decks.model import Deck

    # the card as loaded (its real path and the sha256 of the bytes parsed): the solution that would run is
    # this card's, so a file swapped on disk since cannot lend it the trust of other content
    source = card.source_real or (card.source.resolve() if card.source is not None else None)
    builtin = source is not None and source.is_relative_to(BUILTIN_DECKS)
    deck = Deck(
        id=card.deck_id,
        title="",
        round="pyspark",
        cards=(card,),
        path=card.source,
        builtin=builtin,
        sha256=card.source_sha256,
        real_path=source,
    )
    if not is_trusted(deck, home):
        raise UntrustedCode(refusal(deck))


def hidden_error(error: str) -> str:
    """A hidden case's error as its kind and position only: its message could carry the hidden inputs.
    The judges' own lines (time limit, "returned None, not a DataFrame") carry none and are kept."""
    found = re.match(r"([A-Z][\w.]*)(:|\s*\(line \d+\)\s*$|$)", error.strip())
    if not found:
        return error
    kind = found.group(1)
    line = re.search(r"\(line \d+\)\s*$", error)
    return f"{kind} on a hidden case" + (f" {line.group(0).strip()}" if line else "")


_RUNNERS: dict[tuple[str, str], Sealed] = {}
_LOCK = threading.Lock()


def python_runner(home: Path) -> Sealed:
    """The warm plain-Python supervisor of this home (one per process), stopped at exit."""
    key = ("python", str(home))
    with _LOCK:
        runner = _RUNNERS.get(key)
        if runner is None:
            runner = _RUNNERS[key] = Sealed("python", home)
            if len(_RUNNERS) == 1:
                atexit.register(stop_all)
        return runner


def stop_all() -> None:
    with _LOCK:
        runners = list(_RUNNERS.values())
        _RUNNERS.clear()
    for runner in runners:
        runner.stop()


__all__ = [
    "BUILTIN_DECKS",
    "Sealed",
    "SealedOutcome",
    "SealedUnavailable",
    "UntrustedCode",
    "hidden_error",
    "python_runner",
    "require_trusted",
    "stop_all",
]
