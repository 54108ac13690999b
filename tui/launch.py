"""`prepdeck` and `prepdeck review [DECK_ID]`: open the app, or say in one line why it cannot open."""

from __future__ import annotations

import argparse
import sys

from prepdeck.core.context import Context
from prepdeck.core.store import StoreError


def _open(args: argparse.Namespace, review: bool, deck_id: str | None) -> int:
    context = Context.create(getattr(args, "home", None), getattr(args, "deck_dirs", None))
    try:
        context.store()  # fail here, before the screen is taken over: locked or newer database
        decks = context.decks()
        if deck_id is not None and decks.deck(deck_id) is None:
            known = ", ".join(d.id for d in decks.decks) or "none loaded"
            print(f"prepdeck: no deck '{deck_id}' (decks: {known})", file=sys.stderr)
            return 2
        from prepdeck.tui.app import PrepdeckApp

        app = PrepdeckApp(context, review=review, review_deck=deck_id)
        app.run()
        return app.return_code or 0
    except StoreError as exc:
        print(f"prepdeck: {exc}", file=sys.stderr)
        return 2
    finally:
        context.close()


def run_app(args: argparse.Namespace) -> int:
    return _open(args, review=False, deck_id=None)


def run_review(args: argparse.Namespace) -> int:
    return _open(args, review=True, deck_id=getattr(args, "deck_id", None))
