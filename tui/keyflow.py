"""Keys typed in one burst are handled in the order typed, each where the focus is by then.

Textual routes a key when it arrives: to the focused widget, else to the screen; a key the widget does not
use goes back up to the app, whose bindings then run (`e` focuses a field, Tab moves on); priority keys
(Ctrl+R, Ctrl+G on code cards) run at once, ahead of the keys still on their way. Keys that came in one
burst (a fast typist, a paste, tmux send-keys) were all routed before any of that happened: after `e`,
"50" reached the screen's bindings instead of the field; after Tab, "4.32" went into the field just left;
"select 1" then Ctrl+R ran before the query was typed. So:
- the app hands a key that comes back up from where it was routed on to the widget focused since;
- a fresh key for a focused text field of ours goes to that field, priority or not; when its turn comes,
  a priority key (and every key queued behind it) goes back to the app, which then handles it as usual;
  elsewhere (nothing focused, a checkbox, a table), a priority key goes where the keys before it went, after
  them, then runs;
- the field moves the focus for Tab / Shift+Tab itself, at once, and hands the keys queued behind the Tab
  on to the widget focused now; so for Enter in a field where Enter moves on (Input.Submitted, a message,
  came after the keys typed behind it: "50 Enter 4.32" typed 4.32 into the first field).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import events
from textual.app import App
from textual.widget import Widget

_ROUTED = "_prepdeck_routed_to"  # on a key: the widget Textual sent it to
_REQUEUED = "_prepdeck_requeued"  # on a key: sent back to the app by a field, to be handled as usual
_DEFERRED = "_prepdeck_deferred"  # on a key: a priority key sent to the screen to wait its turn
_HANDED_ON = "_prepdeck_handed_on"  # on a field: its own Tab moved the focus on, in the keys' order
WAITING = "_prepdeck_waiting"  # on a field (a class attribute marks our fields): keys go back to the app


def in_order(app: App[Any], event: events.Key) -> bool:
    """The app's on_event, for a key fresh from the terminal: True when it was sent on to be handled in its
    turn (Textual would run a priority key now): to the focused field of ours, or a priority key to the
    focused widget (or the screen) like any other key (it comes back to `came_back`, after the keys before
    it, e.g. an `e` that focuses the editor and the query typed after it)."""
    if event.is_forwarded or getattr(event, _REQUEUED, False):
        return False
    focused = app.focused
    if hasattr(focused, WAITING):
        assert focused is not None
        setattr(event, _ROUTED, focused)
        focused._forward_event(event)
        return True
    if _priority(app, event.key):  # behind the keys already sent where the focus is (or to the screen)
        target = focused or app.screen
        setattr(event, _ROUTED, target)
        setattr(event, _DEFERRED, True)
        target._forward_event(event)
        return True
    return False


def routed(app: App[Any], event: events.Key) -> None:
    """Note where Textual is about to send a key (the app's on_event)."""
    if not event.is_forwarded:
        setattr(event, _ROUTED, app.focused or app.screen)


def pass_on(event: events.Key, to: Widget) -> None:
    again = events.Key(event.key, event.character)
    setattr(again, _ROUTED, to)
    to._forward_event(again)


def came_back(app: App[Any], event: events.Key) -> bool:
    """A key back at the app (no widget used it): True when it was handed on to the widget focused since
    it was routed, instead of running the bindings of the place it was routed to, or when it is a
    deferred priority key, sent to the app again to run as one."""
    target = getattr(event, _ROUTED, None)
    focused = app.focused
    if target is not None and focused is not None and target is not focused:
        pass_on(event, focused)
        return True
    if getattr(event, _DEFERRED, False):
        requeue(app, event)
        return True
    return False


def requeue(app: App[Any], event: events.Key) -> None:
    again = events.Key(event.key, event.character)
    setattr(again, _REQUEUED, True)
    app.post_message(again)


def _priority(app: App[Any], key: str) -> bool:
    return any(
        binding.priority
        for _, bindings in app.screen._binding_chain
        for binding in bindings.key_to_bindings.get(key, ())
    )


def field_key(
    field: Widget, event: events.Key, tab_moves_focus: bool = True, on_enter: Callable[[], None] | None = None
) -> bool:
    """In a text field's key handler, before it types: True when the key was handled here (sent back to
    the app, handed to the widget focused now, or Tab / Shift+Tab moved the focus, or `on_enter`, which
    moves it at once, ran for Enter)."""
    if getattr(event, _REQUEUED, False):
        setattr(field, WAITING, False)  # the keys sent back are through: type here again
    elif getattr(field, WAITING) or _priority(field.app, event.key):
        setattr(field, WAITING, True)
        requeue(field.app, event)
        return True
    screen = field.screen
    if screen.focused is not field:
        if getattr(field, _HANDED_ON, False):  # typed after this field's own Tab: where the focus went
            pass_on(event, screen.focused or screen)
            return True
        return False  # the focus went elsewhere ahead of this key's turn: it was typed here, it stays here
    setattr(field, _HANDED_ON, False)
    if tab_moves_focus and event.key in ("tab", "shift+tab"):
        if event.key == "tab":
            screen.focus_next()
        else:
            screen.focus_previous()
        setattr(field, _HANDED_ON, True)
        return True
    if on_enter is not None and event.key == "enter":
        on_enter()
        setattr(field, _HANDED_ON, True)
        return True
    return False
