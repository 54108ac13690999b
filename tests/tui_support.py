"""Small deck folders, a fixed clock and an app factory for the TUI tests (not a test module)."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from prepdeck.core.config import load_config
from prepdeck.core.context import Context
from prepdeck.tui.app import PrepdeckApp
from prepdeck.tui.screens.review import ReviewScreen

NOW = dt.datetime(2026, 11, 26, 9, 15, tzinfo=dt.UTC)

RECALL_DECK = '''
[deck]
id = "alpha"
title = "Alpha patterns"
round = "sql"

[[cards]]
id = "window-frames"
type = "recall"
title = "ROWS vs RANGE frames"
prompt = "What does `ROWS BETWEEN 6 PRECEDING AND CURRENT ROW` cover when days are missing?"
answer = "Seven **rows**, not seven days: with gaps it reaches further back in time."
tags = ["window", "frames"]

[[cards]]
id = "null-not-in"
type = "recall"
title = "NOT IN with NULLs"
prompt = "Why can `NOT IN (subquery)` return no rows at all?"
answer = "If the subquery yields a NULL, every comparison is UNKNOWN. Use NOT EXISTS."
tags = ["nulls", "anti-join"]

[[cards]]
id = "dedupe-latest"
type = "sql"
title = "Latest row per key"
prompt = "Keep the latest row per `id` from `events(id, ts)`."
solution = "SELECT id, max(ts) AS ts FROM events GROUP BY id"
tables = { events = "id VARCHAR, ts TIMESTAMP" }
tags = ["dedupe"]

[[cards.cases]]
name = "example"
[cards.cases.data]
events = """
id,ts
a,2026-01-01 10:00:00
"""
'''

DESIGN_DECK = """
[deck]
id = "design-basics"
title = "Design basics"
round = "design"

[[cards]]
id = "clickstream"
type = "design"
title = "Clickstream pipeline"
prompt = "Design a pipeline for 1B click events a day."
answer = "Kafka in, Spark Structured Streaming, Iceberg tables, a daily batch for corrections."
checklist = ["Partitioning and keys", "Late data and watermarks", "Exactly-once sink"]
numbers = [
  { question = "Events per second on average", answer = 11574, tolerance = 0.1, unit = "events/s" },
  { question = "Raw GB per day at 500 bytes each", answer = 500, unit = "GB" },
]
"""

BROKEN_DECK = """
[deck]
id = "broken"
title = "Broken"
round = "sql"
colour = "red"
"""


def write_decks(folder: Path, *, broken: bool = False, design: bool = True) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "alpha.toml").write_text(RECALL_DECK, encoding="utf-8")
    if design:
        (folder / "design.toml").write_text(DESIGN_DECK, encoding="utf-8")
    if broken:
        (folder / "broken.toml").write_text(BROKEN_DECK, encoding="utf-8")
    return folder


def make_context(home: Path, decks: Path) -> Context:
    """A Context over only the test decks (not the built-in ones)."""
    home.mkdir(parents=True, exist_ok=True)
    return Context(home=home, deck_dirs=[decks], config=load_config(home))


def use_utc(monkeypatch) -> None:
    """Local days and times as UTC, so snapshots and day boundaries do not depend on the machine."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, start: dt.datetime = NOW) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += dt.timedelta(**kwargs)


def new_context(
    tmp_path: Path, monkeypatch, *, broken: bool = False, design: bool = True, config: str | None = None
) -> Context:
    use_utc(monkeypatch)
    decks = write_decks(tmp_path / "decks", broken=broken, design=design)
    home = tmp_path / "home"
    home.mkdir(parents=True, exist_ok=True)
    if config is not None:
        (home / "config.toml").write_text(config, encoding="utf-8")
    return make_context(home, decks)


async def settle(pilot) -> None:
    """Let workers finish and their messages land."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


def review_rows(db_path: Path) -> list[tuple]:
    """What another process would read from the database right now."""
    import sqlite3

    conn = sqlite3.connect(db_path)
    try:
        return conn.execute("SELECT card_id, rating, payload FROM reviews ORDER BY id").fetchall()
    finally:
        conn.close()


def pilot_test(fn):
    """Run an async Pilot scenario as a plain test (no asyncio plugin needed)."""
    import asyncio
    import functools

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        asyncio.run(fn(*args, **kwargs))

    return wrapper


async def burst(pilot, *keys: str) -> None:
    """Send keys as one burst from the terminal (a fast typist, a paste, tmux send-keys): all arrive before
    the app handles the first, unlike `pilot.press`, which waits for each key to be handled."""
    from textual import events
    from textual.keys import _character_to_key

    for key in keys:
        char = {"tab": "\t", "space": " ", "enter": "\r"}.get(key, key if len(key) == 1 else None)
        if len(key) == 1 and not key.isalnum():
            key = _character_to_key(key)  # " " is the key "space", "." "full_stop", as a terminal sends them
        event = events.Key(key, char)
        event.set_sender(pilot.app)
        pilot.app._driver.send_message(event)
    await settle(pilot)
    for _ in range(3):
        await pilot.pause()


async def screen_after(pilot, *keys: str):
    """Press `keys`, let what they start finish: the screen on top then."""
    await pilot.press(*keys)
    await settle(pilot)
    return pilot.app.screen


async def open_review(pilot, deck: str | None = None) -> ReviewScreen:
    """From the home screen, a review of `deck`, or of everything due (the key r): its screen."""
    await settle(pilot)
    if deck is None:
        await pilot.press("r")
    else:
        pilot.app.start_review(deck)
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ReviewScreen)
    return screen


@asynccontextmanager
async def at_home(
    ctx: Context, *, size: tuple[int, int] = (80, 24), clock: Clock | None = None
) -> AsyncIterator:
    """The real app on `ctx` at `size`, settled on its home screen: the pilot."""
    app = PrepdeckApp(ctx, clock=clock or Clock())
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        yield pilot


@asynccontextmanager
async def reviewing(
    ctx: Context, deck: str | None = None, *, size: tuple[int, int] = (80, 24), clock: Clock | None = None
) -> AsyncIterator[tuple]:
    """The real app on `ctx` at `size`, a review started (`open_review`): (pilot, review screen)."""
    async with at_home(ctx, size=size, clock=clock) as pilot:
        yield pilot, await open_review(pilot, deck)


def rendered(static, width: int = 120) -> str:
    """What a Static shows (its markup applied), as plain text lines `width` wide."""
    from rich.console import Console

    console = Console(width=width, record=True)
    console.print(static.content)
    return console.export_text()
