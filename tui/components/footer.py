"""The footer every screen uses. It shows only what fits on one line: at narrow widths it packs its keys
tighter and puts "? Help" and "q Quit" first; keys that still do not fit are left out from the end of the
screen's list (the help screen lists every key, so they are behind `?`), the command palette entry first
(Ctrl+P still works)."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

NARROW = 80
FIRST_WHEN_NARROW = ("app.help", "app.quit")
KEPT = ("app.help", "app.quit")  # never left out: help leads to every key that was


def key_width(key: FooterKey, compact: bool) -> int:
    """Cells a key takes in the footer (Textual's Footer CSS: padding, and a margin when compact)."""
    text = len(key.key_display) + 1 + len(key.description)
    if "-command-palette" in key.classes:
        return text + 4  # its border, padding either side of the key and after it
    return (
        text + 1 if compact else text + 2
    )  # a margin after it / padding either side of the key and after it


class AdaptiveFooter(Footer):
    _laid_out_for = 0  # the width the keys were chosen for

    def __init__(self, *, own_keys_only: bool = False) -> None:
        """`own_keys_only`: a dialog's footer, its own keys alone (not the app's, nor the palette's), so it
        never offers what the dialog does not do."""
        super().__init__(show_command_palette=not own_keys_only)
        self.own_keys_only = own_keys_only

    def on_mount(self) -> None:
        self.app.screen_change_signal.subscribe(self, self._screen_changed)

    def _screen_changed(self, screen: Screen[object]) -> None:
        # under a dialog (the command palette has no footer of its own) these keys are not the ones in
        # force: hidden, not removed, so the screen beneath keeps its layout
        self.styles.visibility = "visible" if screen is self.screen else "hidden"

    def on_resize(self, event: events.Resize) -> None:
        narrow = event.size.width < NARROW
        self.compact = narrow
        self.show_command_palette = not narrow and not self.own_keys_only
        if event.size.width != self._laid_out_for:
            self.call_after_refresh(self.recompose)

    def compose(self) -> ComposeResult:
        items = list(super().compose())
        if self.own_keys_only:
            own = {b.action for node, b, _, _ in self.screen.active_bindings.values() if node is self.screen}
            items = [w for w in items if isinstance(w, FooterKey) and w.action in own]
        if self.compact:
            first = [w for w in items if isinstance(w, FooterKey) and w.action in FIRST_WHEN_NARROW]
            items = first + [w for w in items if w not in first]
        width = self.size.width or self.app.size.width
        self._laid_out_for = width
        yield from fitting(items, width, self.compact)


def fitting(items: list[Widget], width: int, compact: bool) -> list[Widget]:
    """The items that fit in `width`, in order: the command palette entry goes first, then keys from the end
    of the list, never the help key."""
    keys = [w for w in items if isinstance(w, FooterKey)]
    widths = {id(w): key_width(w, compact) for w in keys}
    shown = list(items)

    def total() -> int:
        return sum(widths.get(id(w), 0) for w in shown)

    palette = [w for w in shown if "-command-palette" in w.classes]
    if palette and total() > width:
        shown.remove(palette[0])
    for w in reversed(keys):
        if total() <= width:
            break
        if w in shown and w.action not in KEPT and "-command-palette" not in w.classes:
            shown.remove(w)
    return shown
