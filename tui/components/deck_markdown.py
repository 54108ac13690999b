"""Markdown from a deck (prompts, answers, solutions, model answers): links are shown, never followed.

A shared deck is a stranger's text. Textual's Markdown opens a clicked link in the browser (or whatever the
system maps `file:`, `javascript:` or a custom scheme to); here a click only shows the target, as text.
"""

from __future__ import annotations

from textual.widgets import Markdown


class DeckMarkdown(Markdown):
    """Markdown whose link clicks show the target in a notification instead of opening it."""

    def __init__(
        self,
        markdown: str | None = None,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        # open_links=False and prevent_default below: either alone keeps the base class from opening the URL
        super().__init__(markdown, name=name, id=id, classes=classes, open_links=False)

    def on_markdown_link_clicked(self, event: Markdown.LinkClicked) -> None:
        # prevent_default: Markdown's own handler (the base class, called after this one) opens the URL
        event.prevent_default()
        event.stop()
        self.notify(f"link: {event.href}", title="Not opened", markup=False)


__all__ = ["DeckMarkdown"]
