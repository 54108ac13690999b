"""A deadline beside a running query: at the time limit, or when the caller cancels, it interrupts the
engine (each engine says how) and records why, so the judge can say "time limit" or "cancelled"."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class Watchdog:
    def __init__(
        self,
        interrupt: Callable[[], None],
        seconds: float,
        cancel: threading.Event | None,
        *,
        repeat: bool = False,
        name: str = "prepdeck-sql-watchdog",
    ) -> None:
        """`repeat`: keep interrupting until the query returns (DuckDB forgets an interrupt that lands
        before its query starts)."""
        self.interrupt, self.seconds, self.cancel, self.repeat = interrupt, seconds, cancel, repeat
        self.done = threading.Event()
        self.fired: str | None = None
        self.thread = threading.Thread(target=self._watch, daemon=True, name=name)

    def _watch(self) -> None:
        deadline = time.monotonic() + self.seconds
        while not self.done.is_set():
            left = deadline - time.monotonic()
            if left <= 0:
                self.fired = "time"
            elif self.cancel is not None and self.cancel.is_set():
                self.fired = "cancel"
            if self.fired:
                self.interrupt()
                while self.repeat and not self.done.wait(0.05):
                    self.interrupt()
                return
            self.done.wait(min(left, 0.05) if self.cancel is not None else left)

    def __enter__(self) -> Watchdog:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.done.set()
