"""Spark starts in the background while a pyspark card is still a few cards away (issue 4: pre-warming)."""

from __future__ import annotations

import asyncio

import pytest
from tui_support import Clock, make_context, pilot_test, settle, use_utc

from prepdeck.tui.app import PrepdeckApp
from prepdeck.tui.screens.review import ReviewScreen

WARM_DECK = '''
[deck]
id = "warm"
title = "Warm-up"
round = "pyspark"

[[cards]]
id = "narrow-wide"
type = "recall"
title = "Narrow vs wide"
prompt = "Which transformations shuffle?"
answer = "Wide ones: groupBy, join, distinct, repartition."

[[cards]]
id = "passthrough"
type = "pyspark"
title = "Return the input"
prompt = "Return `events` unchanged."
function = "solve"
solution = "def solve(events):\\n    return events"
tables = { events = "id VARCHAR" }

[[cards.cases]]
name = "example"
[cards.cases.data]
events = """
id
a
"""
'''


@pytest.mark.slow
@pytest.mark.spark
@pilot_test
async def test_spark_starts_while_the_pyspark_card_is_still_ahead(tmp_path, monkeypatch):
    from prepdeck.checkers.spark import service

    use_utc(monkeypatch)
    decks = tmp_path / "decks"
    decks.mkdir()
    (decks / "warm.toml").write_text(WARM_DECK, encoding="utf-8")
    ctx = make_context(tmp_path / "home", decks)
    svc = service(ctx.config)
    assert not svc.ready
    app = PrepdeckApp(ctx, clock=Clock(), review=True, review_deck="warm")
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, ReviewScreen)
            assert screen.card is not None and screen.card.type == "recall"  # the pyspark card is next
            for _ in range(600):  # the start runs in a worker; the recall card stays usable meanwhile
                if svc.ready:
                    break
                await asyncio.sleep(0.1)
            assert svc.ready, svc.status_text
            assert screen.card.type == "recall"
    finally:
        svc.stop()
        ctx.close()
