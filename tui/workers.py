"""Background work in the app that can fail without closing it.

Textual's `@work` ends the whole app when a worker raises (`exit_on_error=True`): one locked database
while the home screen counts cards would close the session. Every worker in tui/ is declared with
`@background` instead (tests/test_tui_workers.py checks that no bare `@work` is left): a failure is
shown as one line by `PrepdeckApp.report_failure`, its traceback goes to $PREPDECK_HOME/logs/errors.log,
and the screen stays as it was, usable (Escape, retry). The worker still ends in the ERROR state.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, cast

from textual import work
from textual.worker import Worker

if TYPE_CHECKING:
    from prepdeck.tui.app import PrepdeckApp

R = TypeVar("R")


def background(
    what: str, *, group: str, exclusive: bool = True
) -> Callable[[Callable[..., R]], Callable[..., Worker[R]]]:
    """`@work(thread=True)` that reports a failure as "{what} failed: …" instead of closing the app."""

    def decorate(method: Callable[..., R]) -> Callable[..., Worker[R]]:
        @functools.wraps(method)
        def run(self: Any, *args: Any, **kwargs: Any) -> R:
            try:
                return method(self, *args, **kwargs)
            except Exception as exc:
                app = cast("PrepdeckApp", self.app)
                with contextlib.suppress(RuntimeError):  # the app is closing: nothing to show it on
                    app.call_from_thread(app.report_failure, what, exc)
                raise

        return work(thread=True, exclusive=exclusive, group=group, exit_on_error=False)(run)

    return decorate
