"""The footer every screen uses: at narrow widths it packs its keys tighter and drops the command palette
entry (Ctrl+P still works), so the last entries, "q Quit" and "? Help", stay on a 60-column screen."""

from __future__ import annotations

from textual import events
from textual.widgets import Footer

NARROW = 80


class AdaptiveFooter(Footer):
    def on_resize(self, event: events.Resize) -> None:
        narrow = event.size.width < NARROW
        self.compact = narrow
        self.show_command_palette = not narrow
