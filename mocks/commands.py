"""`prepdeck mock ROUND`: open the app straight into a timed mock round, or say in one line why not."""

from __future__ import annotations

import argparse
import sys

from prepdeck.core.context import Context
from prepdeck.core.store import StoreError


def mock(args: argparse.Namespace) -> int:
    from prepdeck.mocks.plan import NoCards, plan_mock
    from prepdeck.mocks.store import last_seen

    round_ = args.round
    context = Context.create(getattr(args, "home", None), getattr(args, "deck_dirs", None))
    try:
        store = context.store()  # fail before the screen is taken over: locked or newer database
        try:
            plan = plan_mock(round_, context.decks(), last_seen(store), suspended=store.suspended())
        except NoCards as exc:
            print(f"prepdeck: {exc}", file=sys.stderr)
            return 2
        for problem in plan.skipped:
            print(f"prepdeck: the full mock skips a round: {problem}", file=sys.stderr)
        from prepdeck.tui.screens.mock import MockApp

        app = MockApp(context, round_)
        app.run()
        return app.return_code or 0
    except StoreError as exc:
        print(f"prepdeck: {exc}", file=sys.stderr)
        return 2
    finally:
        context.close()
