"""The interviewer's clock: a phase timer over an injectable monotonic clock.

Nothing here sleeps or schedules: the screen calls `tick()` a few times a second and shows what it
returns. Time only moves when the clock says so, which is what lets tests drive a 45-minute round in
microseconds. Running over a phase is allowed (interviews do overrun) and recorded; a phase ends only
when the user moves on (`next()`) or the mock ends (`finish()`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

Monotonic = Callable[[], float]

# announce this long before a phase's time is up (only for phases long enough to need it)
WARN_BEFORE_S = 5 * 60


@dataclass
class PhaseRecord:
    """One phase as it went: time actually used (pauses excluded), time paused, overrun."""

    name: str
    planned_s: float
    used_s: float = 0.0
    paused_s: float = 0.0
    started: bool = False
    ended: bool = False
    skipped: bool = False  # moved on within a second (a skipped break)
    meta: dict[str, Any] = field(default_factory=dict)  # the caller's labels: round, kind, card

    @property
    def overrun_s(self) -> float:
        return max(0.0, self.used_s - self.planned_s)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "planned_s": round(self.planned_s, 1),
            "used_s": round(self.used_s, 1),
            "paused_s": round(self.paused_s, 1),
            "overrun_s": round(self.overrun_s, 1),
            "ended": self.ended,
            **({"skipped": True} if self.skipped else {}),
            **self.meta,
        }


@dataclass(frozen=True)
class Announcement:
    kind: str  # "start" | "warning" | "time_up" | "done"
    phase: int
    text: str


class PhaseTimer:
    def __init__(
        self,
        phases: Sequence[tuple[str, float] | tuple[str, float, dict[str, Any]]],
        clock: Monotonic = time.monotonic,
        warn_before_s: float = WARN_BEFORE_S,
    ) -> None:
        if not phases:
            raise ValueError("a timer needs at least one phase")
        self.clock = clock
        self.warn_before_s = warn_before_s
        self.records = [PhaseRecord(p[0], float(p[1]), meta=dict(p[2]) if len(p) > 2 else {}) for p in phases]
        self.index = -1  # not started
        self.paused = False
        self.done = False
        self._mark: float = 0.0  # clock value when the current stretch (running or paused) began
        self._announced: set[tuple[str, int]] = set()
        self._pending: list[Announcement] = []

    # -- moving through phases ------------------------------------------------------------------
    def start(self) -> None:
        if self.index >= 0:
            return
        self._enter(0)

    def next(self) -> int | None:
        """End the current phase and start the next; None (and the timer done) after the last one."""
        if self.done:
            return None
        if self.index < 0:
            self.start()
            return self.index
        self._close_current(moving_on=True)
        if self.index + 1 >= len(self.records):
            self.done = True
            self._pending.append(Announcement("done", self.index, "time: the round is over"))
            return None
        self._enter(self.index + 1)
        return self.index

    def finish(self) -> None:
        """Stop the clock where it is (end of the mock, or the user quit): the current phase is closed."""
        if self.done or self.index < 0:
            self.done = True
            return
        self._close_current()
        self.done = True

    def _enter(self, index: int) -> None:
        self.index = index
        self.paused = False
        self._mark = self.clock()
        record = self.records[index]
        record.started = True
        self._pending.append(Announcement("start", index, f"{record.name}: {_clock(record.planned_s)}"))

    def _close_current(self, moving_on: bool = False) -> None:
        self._flush()
        record = self.records[self.index]
        record.ended = True
        record.skipped = moving_on and record.used_s < 1.0
        self.paused = False

    def _flush(self) -> None:
        """Move the time since the last mark into the current phase's used or paused time."""
        if self.index < 0 or self.done:
            return
        now = self.clock()
        stretch = max(0.0, now - self._mark)
        record = self.records[self.index]
        if self.paused:
            record.paused_s += stretch
        else:
            record.used_s += stretch
        self._mark = now

    # -- pause ------------------------------------------------------------------------------------
    def pause(self) -> None:
        if self.index < 0 or self.done or self.paused:
            return
        self._flush()
        self.paused = True

    def resume(self) -> None:
        if not self.paused:
            return
        self._flush()
        self.paused = False

    def toggle_pause(self) -> bool:
        """Pause or resume; True when now paused."""
        if self.paused:
            self.resume()
        else:
            self.pause()
        return self.paused

    # -- reading ------------------------------------------------------------------------------------
    @property
    def current(self) -> PhaseRecord | None:
        return self.records[self.index] if 0 <= self.index < len(self.records) and not self.done else None

    def used(self) -> float:
        """Time used in the current phase so far (pauses excluded)."""
        self._flush()
        record = self.current
        return record.used_s if record else 0.0

    def remaining(self) -> float:
        """Seconds left in the current phase; negative when running over."""
        record = self.current
        return record.planned_s - self.used() if record else 0.0

    def total_used(self) -> float:
        self._flush()
        return sum(r.used_s for r in self.records)

    def total_planned(self) -> float:
        return sum(r.planned_s for r in self.records)

    def tick(self) -> list[Announcement]:
        """What to announce since the last tick: phase starts, "5 min left", "time is up"."""
        record = self.current
        if record is not None and not self.paused:
            left = self.remaining()
            if (
                record.planned_s > 2 * self.warn_before_s
                and 0 < left <= self.warn_before_s
                and ("warning", self.index) not in self._announced
            ):
                self._announced.add(("warning", self.index))
                self._pending.append(
                    Announcement("warning", self.index, f"{record.name}: {_clock(left)} left")
                )
            if left <= 0 and ("time_up", self.index) not in self._announced:
                self._announced.add(("time_up", self.index))
                self._pending.append(
                    Announcement(
                        "time_up",
                        self.index,
                        f"{record.name}: time is up — n moves on (running over is recorded)",
                    )
                )
        out, self._pending = self._pending, []
        return out

    def to_json(self, include_current: bool = True) -> list[dict[str, Any]]:
        """Every phase that has started (the current one with its time so far), for the database."""
        self._flush()
        return [r.to_json() for r in self.records if r.ended or (include_current and r.started)]


def _clock(seconds: float) -> str:
    return format_clock(seconds)


def format_clock(seconds: float) -> str:
    """45:00, 4:05, 1:02:03; a leading minus for time over."""
    sign = "-" if seconds < 0 else ""
    whole = int(abs(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{sign}{hours}:{minutes:02d}:{secs:02d}" if hours else f"{sign}{minutes}:{secs:02d}"
