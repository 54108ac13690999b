"""`prepdeck`, `prepdeck review [DECK_ID]` and `prepdeck mock ROUND`: open the app, or say in one line why
it cannot open, before the screen is taken over (a locked or newer database, no such deck, no cards)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from prepdeck.core.context import Context
from prepdeck.core.store import StoreError

if TYPE_CHECKING:
    from textual.app import App


def _launch(args: argparse.Namespace, build: Callable[[Context], App[Any] | str]) -> int:
    """`build` returns the app to run, or the one line that says why there is none (exit 2)."""
    context = Context.create(getattr(args, "home", None), getattr(args, "deck_dirs", None))
    try:
        context.store()
        app = build(context)
        if isinstance(app, str):
            print(f"prepdeck: {app}", file=sys.stderr)
            return 2
        app.run()
        return app.return_code or 0
    except StoreError as exc:
        print(f"prepdeck: {exc}", file=sys.stderr)
        return 2
    finally:
        context.close()


def _main_app(review: bool, deck_id: str | None) -> Callable[[Context], App[Any] | str]:
    def build(context: Context) -> App[Any] | str:
        decks = context.decks()
        if deck_id is not None and decks.deck(deck_id) is None:
            known = ", ".join(d.id for d in decks.decks) or "none loaded"
            return f"no deck '{deck_id}' (decks: {known})"
        from prepdeck.tui.app import PrepdeckApp

        return PrepdeckApp(context, review=review, review_deck=deck_id)

    return build


def run_app(args: argparse.Namespace) -> int:
    return _launch(args, _main_app(review=False, deck_id=None))


def run_review(args: argparse.Namespace) -> int:
    return _launch(args, _main_app(review=True, deck_id=getattr(args, "deck_id", None)))


def run_mock(args: argparse.Namespace) -> int:
    """Straight into a timed mock round."""

    def build(context: Context) -> App[Any] | str:
        from prepdeck.mocks.plan import NoCards, plan_mock
        from prepdeck.mocks.store import last_seen

        store = context.store()
        try:
            plan = plan_mock(args.round, context.decks(), last_seen(store), suspended=store.suspended())
        except NoCards as exc:
            return str(exc)
        for problem in plan.skipped:
            print(f"prepdeck: the full mock skips a round: {problem}", file=sys.stderr)
        from prepdeck.tui.screens.mock import MockApp

        return MockApp(context, args.round)

    return _launch(args, build)
