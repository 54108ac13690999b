"""The command palette (Ctrl+P): every app-level action, plus "Review deck: …" for each deck."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

from prepdeck.tui.text import esc, plain

if TYPE_CHECKING:
    from prepdeck.tui.app import PrepdeckApp


class PrepdeckCommands(Provider):
    def _commands(self) -> list[tuple[str, Callable[[], object], str]]:
        app = cast("PrepdeckApp", self.app)
        commands: list[tuple[str, Callable[[], object], str]] = [
            ("Review all due cards", lambda: app.start_review(None), "every deck, in scheduling order"),
            ("Browse cards", app.action_browse, "search, suspend / unsuspend, history"),
            ("Statistics", app.action_stats, "maturity, answer buttons, retention, forecast"),
            ("Write this week's report", app.action_write_report, "HTML and Markdown in the reports folder"),
            ("Mock interview", app.action_mock, "a timed round, scored against the rubric"),
            ("Optimize FSRS parameters", app.action_optimize, "fit the scheduler to your own history"),
            ("Help: keys", app.action_help, "every key and what it does"),
            ("Quit", app.exit, "every answered card is already saved"),
        ]
        commands += [
            ("Interview plan", app.action_plan, "the date, the readiness forecast and each day's load"),
            ("Story bank", app.action_stories, "your behavioral stories x the competencies they answer"),
            (
                "Practise: today's failures",
                lambda: app.start_practice("failures", None, "today's failures"),
                "again, outside the schedule (FSRS unchanged)",
            ),
            (
                "Practise: weakest for the interview",
                lambda: app.start_practice("weakest", None, "weakest on the day"),
                "the cards predicted weakest on the interview date",
            ),
            (
                "Cram: the last days before the interview",
                lambda: app.start_practice("cram", None, "last days"),
                "every card below the plan's target on the day, weakest first",
            ),
        ]
        for round_name in ("sql", "pyspark", "design", "behavioral"):
            commands.append(
                (
                    f"Practise round: {round_name}",
                    functools.partial(app.start_practice, "round", round_name, f"{round_name} round"),
                    "outside the schedule (FSRS unchanged)",
                )
            )
        tags = sorted({tag for card in app.context.decks().all_cards() for tag in card.tags})
        for tag in tags:
            commands.append(
                (
                    f"Practise tag: {tag}",
                    functools.partial(app.start_practice, "tag", tag, f"#{tag}"),
                    "outside the schedule",
                )
            )
        for deck in app.context.decks().decks:
            commands.append(
                (
                    f"Review deck: {deck.title} ({deck.id})",
                    functools.partial(app.start_review, deck.id),
                    f"{deck.round} round",
                )
            )
        return commands

    async def discover(self) -> Hits:
        for name, callback, help_text in self._commands():
            # names hold deck titles and tags: shown as written, never as markup
            yield DiscoveryHit(plain(name), callback, text=name, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, callback, help_text in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(esc(name)), callback, text=name, help=help_text)
