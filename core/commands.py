"""`prepdeck decks list|check`, `prepdeck grade` and `prepdeck optimize` (docs/cli.md).

Every function takes the parsed arguments and returns the exit status. A database problem (locked,
written by a newer prepdeck) is one line on stderr and exit 2, never a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import functools
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from prepdeck.core.context import Context
from prepdeck.core.store import StoreError, to_iso
from prepdeck.decks.text import json_text, one_line

if TYPE_CHECKING:
    from prepdeck.core.scheduler import Scheduling
    from prepdeck.decks.model import DeckSet


def _fail(message: str, status: int = 2) -> int:
    print(f"prepdeck: {message}", file=sys.stderr)
    return status


def _store_errors(func: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    @functools.wraps(func)
    def wrapper(args: argparse.Namespace) -> int:
        try:
            return func(args)
        except StoreError as exc:
            return _fail(str(exc))

    return wrapper


def _context(args: argparse.Namespace) -> Context:
    return Context.for_command(args)


def _scheduling(ctx: Context) -> Scheduling:
    from prepdeck.core.scheduler import Scheduling

    return Scheduling(ctx.store(), ctx.decks(), ctx.config)


def warn_skipped(decks: DeckSet) -> None:
    """A deck skipped because its id was already loaded is never silent: the user may be using the wrong one."""
    for problem in decks.skipped:
        print(f"prepdeck: warning: {one_line(str(problem), None)}", file=sys.stderr)


def _warn_broken(ctx: Context) -> None:
    broken = ctx.decks().broken
    if broken:
        print(
            f"prepdeck: warning: {len(broken)} deck file(s) skipped because of problems "
            "(see `prepdeck decks check`): " + ", ".join(one_line(p, None) for p in broken),
            file=sys.stderr,
        )


@_store_errors
def decks_list(args: argparse.Namespace) -> int:
    from prepdeck.core.trust import trust_state

    ctx = _context(args)
    try:
        decks = ctx.decks()
        counts = _scheduling(ctx).counts()
        rows = [
            {
                "id": d.id,
                "title": d.title,
                "round": d.round,
                "path": str(d.path) if d.path else None,
                "cards": len(d.cards),
                "due": counts[d.id].due + counts[d.id].learning,
                "new": counts[d.id].new,
                "trust": trust_state(d, ctx.home),
            }
            for d in decks.decks
        ]
        if args.json:
            print(json_text(rows))
        else:
            _print_table(rows)
        _warn_broken(ctx)
        return 0
    finally:
        ctx.close()


def _print_table(rows: Sequence[Mapping[str, object]]) -> None:
    if not rows:
        print("no decks loaded")
        return
    headers = ("id", "title", "round", "cards", "due", "new")
    table = [headers, *[tuple(one_line(r[h], 60) for h in headers) for r in rows]]
    widths = [max(len(line[i]) for line in table) for i in range(len(headers))]
    numeric = {"cards", "due", "new"}
    for line in table:
        cells = [
            cell.rjust(w) if h in numeric else cell.ljust(w)
            for cell, w, h in zip(line, widths, headers, strict=True)
        ]
        print("  ".join(cells).rstrip())


def decks_check(args: argparse.Namespace) -> int:
    from prepdeck.decks.loader import check_paths, load_decks

    if args.paths:
        problems = check_paths(args.paths)
        scope = f"{len(args.paths)} path(s)"
    else:
        ctx = _context(args)
        deck_set = load_decks(ctx.deck_dirs)
        problems = deck_set.problems
        scope = f"{len(deck_set.decks) + len(deck_set.broken)} deck file(s)"
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) in {scope}", file=sys.stderr)
        return 1
    print(f"no problems in {scope}")
    return 0


def parse_when(text: str) -> dt.datetime:
    """ISO date or datetime; without an offset it is local time."""
    try:
        moment = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(
            f"bad --at '{text}': use an ISO datetime such as 2026-03-01T18:30 or 2026-03-01T18:30+01:00"
        ) from None
    try:
        if moment.tzinfo is None:
            moment = moment.astimezone()  # naive: the user's local time
        moment = moment.astimezone(dt.UTC)
    except (OverflowError, ValueError, OSError):  # at the edges of the calendar (0001-01-01T00:00+14:00)
        raise ValueError(
            f"bad --at '{text}': out of the calendar's range; give the review's real date"
        ) from None
    if moment.year < 1970:
        raise ValueError(f"bad --at '{text}': a review before 1970 cannot be right; give its real date")
    return moment


def _unknown_card(card_id: str, ctx: Context) -> str:
    known = [c.global_id for c in ctx.decks().all_cards()]
    close = (
        difflib.get_close_matches(card_id, known, n=1) or [g for g in known if g.endswith("/" + card_id)][:1]
    )
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return f"unknown card '{card_id}'{hint}; card ids are DECK_ID/CARD_ID, see `prepdeck decks list`"


@_store_errors
def grade(args: argparse.Namespace) -> int:
    from prepdeck.core.intervals import format_interval
    from prepdeck.core.scheduler import RATING_NAMES, parse_rating

    try:
        rating = parse_rating(args.rating)
        at = parse_when(args.at) if args.at else None
    except ValueError as exc:
        return _fail(str(exc))
    ctx = _context(args)
    try:
        warn_skipped(ctx.decks())
        card = ctx.decks().card(args.card_id)
        if card is None:
            return _fail(_unknown_card(args.card_id, ctx))
        scheduling = _scheduling(ctx)
        now = scheduling.clock()
        if at is not None and at > now + dt.timedelta(minutes=5):
            return _fail(f"--at {args.at} is in the future")
        outcome = scheduling.review(card, rating, now=at, kind="grade")
        reviewed_at = at or now
        if args.json:
            print(
                json_text(
                    {
                        "card": outcome.card_id,
                        "rating": rating,
                        "rating_name": RATING_NAMES[rating],
                        "review_id": outcome.review_id,
                        "reviewed_at": to_iso(reviewed_at),
                        "state": outcome.state,
                        "due": to_iso(outcome.due),
                        "interval": format_interval(outcome.interval),
                        "interval_days": round(outcome.interval.total_seconds() / 86400, 4),
                        "leech": outcome.leech,
                    }
                )
            )
        else:
            due_local = outcome.due.astimezone().strftime("%Y-%m-%d %H:%M")
            history = scheduling.store.reviews_for(outcome.card_id)  # in time order
            if history and history[-1].id != outcome.review_id:
                # slotted in before later reviews: the card's due date comes from the newest one
                print(
                    f"{outcome.card_id}: {RATING_NAMES[rating]} recorded before a later review — "
                    f"history replayed; due {due_local}"
                )
            else:
                print(
                    f"{outcome.card_id}: {RATING_NAMES[rating]} — next in {format_interval(outcome.interval)} "
                    f"(due {due_local})"
                )
            if outcome.leech:
                print(
                    f"{outcome.card_id} is a leech: suspended; rewrite it, then unsuspend it in the deck browser"
                )
            elif outcome.card_id in scheduling.store.suspended():
                print(f"{outcome.card_id} is suspended: recorded, but it stays out of your sessions")
        return 0
    finally:
        ctx.close()


@_store_errors
def optimize(args: argparse.Namespace) -> int:
    ctx = _context(args)
    try:
        result = _scheduling(ctx).optimize()
    finally:
        ctx.close()
    if args.json:
        print(json_text(result.to_json()))
    else:
        print(result.message)
    return 0  # too little history is an answer, not a failure (docs/cli.md); database problems exit 2


@_store_errors
def sync(args: argparse.Namespace) -> int:
    from pathlib import Path

    from prepdeck.core.sync import SyncError
    from prepdeck.core.sync import sync as sync_folder

    ctx = _context(args)
    try:
        scheduling = _scheduling(ctx)
        try:
            summary = sync_folder(ctx.store(), Path(args.folder), scheduling.replay_cards)
        except SyncError as exc:
            return _fail(str(exc))
    finally:
        ctx.close()
    if args.json:
        print(json_text(summary.to_json()))
        return 0

    def counted(counts: dict[str, int]) -> str:
        return (
            ", ".join(f"{n} {kind}{'s' if n != 1 else ''}" for kind, n in sorted(counts.items())) or "nothing"
        )

    others = len(summary.machines)
    print(f"sent (this machine, {summary.machine}): {counted(summary.sent)}")
    print(f"received from {others} other machine{'s' if others != 1 else ''}: {counted(summary.received)}")
    if summary.cards_replayed:
        print(f"{summary.cards_replayed} card(s) rescheduled from the merged history")
    if summary.skipped:
        print(
            f"prepdeck: warning: {summary.skipped} line(s) skipped (a file still being copied, or not a valid "
            "entry); they are read again at the next sync",
            file=sys.stderr,
        )
    return 0


__all__ = ["decks_check", "decks_list", "grade", "optimize", "parse_when", "sync"]
