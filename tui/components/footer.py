"""The footer every screen uses: at narrow widths it packs its keys tighter, drops the command palette
entry (Ctrl+P still works) and puts "? Help" and "q Quit" first, so they are never the entries cut off."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

NARROW = 80
FIRST_WHEN_NARROW = ("app.help", "app.quit")


class AdaptiveFooter(Footer):
    def on_resize(self, event: events.Resize) -> None:
        narrow = event.size.width < NARROW
        self.compact = narrow
        self.show_command_palette = not narrow

    def compose(self) -> ComposeResult:
        items = list(super().compose())
        if not self.compact:
            yield from items
            return
        first = [w for w in items if isinstance(w, FooterKey) and w.action in FIRST_WHEN_NARROW]
        yield from first + [w for w in items if w not in first]
