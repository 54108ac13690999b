"""Keys typed in one burst land where the focus is when each is handled, as the user typed them.

Textual routes a key when it arrives: to the focused widget, else to the screen; a key the widget does not
use goes back up to the app, whose bindings then run (`e` focuses a field, Tab moves on). Keys that came
in the same burst (a fast typist, a paste, tmux send-keys) were all routed before that happened: after
`e`, "50" reached the screen's bindings instead of the field; after Tab, "4.32" went into the field just
left; and a digit meant for a field could rate the card. So:
- the app hands a key that comes back up from where it was routed on to the widget focused since;
- a text field moves the focus for Tab / Shift+Tab itself, at once, and hands the keys queued behind the
  Tab on to the widget focused now.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.app import App
from textual.widget import Widget

_ROUTED = "_prepdeck_routed_to"  # set on a key: the widget Textual sent it to
_HANDED_ON = "_prepdeck_handed_on"  # set on a field: its own Tab moved the focus on, in the keys' order


def routed(app: App[Any], event: events.Key) -> None:
    """Note where Textual is about to send a key fresh from the terminal (the app's on_event)."""
    if not event.is_forwarded:
        setattr(event, _ROUTED, app.focused or app.screen)


def pass_on(event: events.Key, to: Widget) -> None:
    again = events.Key(event.key, event.character)
    setattr(again, _ROUTED, to)
    to._forward_event(again)


def came_back_elsewhere(app: App[Any], event: events.Key) -> bool:
    """A key back at the app (no widget used it): True when it was handed on to the widget focused since
    it was routed, instead of running the bindings of the place it was routed to."""
    target = getattr(event, _ROUTED, None)
    focused = app.focused
    if target is None or focused is None or target is focused:
        return False
    pass_on(event, focused)
    return True


def field_key(field: Widget, event: events.Key, tab_moves_focus: bool = True) -> bool:
    """In a text field's key handler, before it types: True when the key was handled here (handed to the
    widget focused now, or Tab / Shift+Tab moved the focus)."""
    screen = field.screen
    if screen.focused is not field:
        if getattr(field, _HANDED_ON, False):  # typed after this field's own Tab: where the focus went
            pass_on(event, screen.focused or screen)
            return True
        # the focus went elsewhere ahead of this key's turn (a priority key such as Ctrl+G typed after
        # it): it was typed here, so it stays here (sent to the screen, an "s" would suspend the card)
        return False
    setattr(field, _HANDED_ON, False)
    if tab_moves_focus and event.key in ("tab", "shift+tab"):
        if event.key == "tab":
            screen.focus_next()
        else:
            screen.focus_previous()
        setattr(field, _HANDED_ON, True)
        return True
    return False
