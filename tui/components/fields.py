"""Text fields and editors: typing never replaces a whole note by surprise, Ctrl+Z undoes, Ctrl+A selects all.

Textual's `Input` selects its whole text when focused by Tab, so the next key (Space, a digit) replaced
a note the user had written; and it has no undo. `TextField` keeps the cursor at the end on focus and
keeps the values it had, so Ctrl+Z steps back one edit at a time (Ctrl+Y steps forward again).
Textual binds Ctrl+A to "line start" (Home does that too); in both field kinds it selects all, as users of
any desktop editor (and Anki's) expect.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.widget import Widget
from textual.widgets import Input, TextArea

from prepdeck.tui.keyflow import field_key

UNDO_DEPTH = 200  # edits kept per field


SELECT_ALL = Binding("ctrl+a", "select_all", "Select all", show=False)


class EditorArea(TextArea):
    BINDINGS: ClassVar[list[BindingType]] = [SELECT_ALL]
    _prepdeck_waiting = False  # keyflow.WAITING: keys typed here are handled in order (tui/keyflow.py)

    async def _on_key(self, event: events.Key) -> None:
        if field_key(self, event, tab_moves_focus=self.tab_behavior == "focus"):
            event.stop()
            event.prevent_default()  # TextArea's own handler would type it here


class TextField(Input):
    _prepdeck_waiting = False  # keyflow.WAITING: keys typed here are handled in order (tui/keyflow.py)
    BINDINGS: ClassVar[list[BindingType]] = [
        SELECT_ALL,
        Binding("ctrl+z", "undo_edit", "Undo", show=False),
        Binding("ctrl+y", "redo_edit", "Redo", show=False),
    ]

    def __init__(
        self, value: str | None = None, *, on_enter: Callable[[], None] | None = None, **kwargs: Any
    ) -> None:
        """`on_enter`: Enter moves the focus on (it must do so at once, e.g. with `focus_now`) instead of
        submitting, in the order typed (tui/keyflow.py)."""
        kwargs.setdefault("select_on_focus", False)
        super().__init__(value, **kwargs)
        self._enter_moves_on = on_enter
        self._past: list[str] = []
        self._future: list[str] = []
        self._shown = value or ""
        self._restoring = False

    async def _on_key(self, event: events.Key) -> None:
        if field_key(self, event, on_enter=self._enter_moves_on):
            event.stop()
            event.prevent_default()  # Input's own handler would type it here

    def _watch_value(self, value: str) -> None:
        super()._watch_value(value)
        if not hasattr(self, "_shown") or value == self._shown:  # still in __init__: the starting value
            return
        if not self._restoring:
            self._past = [*self._past, self._shown][-UNDO_DEPTH:]
            self._future = []
        self._shown = value

    def _step(self, source: list[str], target: list[str]) -> None:
        if not source:
            return
        target.append(self.value)
        self._restoring = True
        try:
            self.value = source.pop()
        finally:
            self._restoring = False
        self.cursor_position = len(self.value)

    def action_undo_edit(self) -> None:
        self._step(self._past, self._future)

    def action_redo_edit(self) -> None:
        self._step(self._future, self._past)


def focus_now(widget: Widget) -> None:
    """Focus `widget` before the next key is handled. `Widget.focus()` waits its turn in the message
    queue, behind keys already typed: `e` then "50" in one burst (a fast typist, a paste, tmux) sent the
    digits to the screen, and a Tab then took the rest to another field."""
    widget.screen.set_focus(widget)
