"""The phase timer on a fake monotonic clock: phase changes, pauses, overrun, announcements."""

from __future__ import annotations

import pytest

from prepdeck.mocks.timer import PhaseTimer, format_clock


class FakeClock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += seconds


def test_phases_pause_and_overrun_are_recorded() -> None:
    clock = FakeClock()
    timer = PhaseTimer([("coding", 1800), ("optimization", 900)], clock=clock)
    timer.start()
    assert [a.kind for a in timer.tick()] == ["start"]
    clock.advance(600)
    timer.pause()
    clock.advance(300)  # paused: not counted as used
    assert timer.remaining() == 1200
    timer.resume()
    clock.advance(1260)  # 600 + 1260 = 1860 used: one minute over
    assert timer.remaining() == -60
    assert timer.next() == 1
    clock.advance(100)
    coding, optimization = timer.to_json()
    assert coding == {
        "name": "coding",
        "planned_s": 1800.0,
        "used_s": 1860.0,
        "paused_s": 300.0,
        "overrun_s": 60.0,
        "ended": True,
    }
    assert optimization["used_s"] == 100.0 and optimization["ended"] is False
    assert timer.next() is None and timer.done
    assert timer.total_used() == 1960.0
    assert timer.records[1].overrun_s == 0.0


def test_announcements_once_each_warning_then_time_up() -> None:
    clock = FakeClock()
    timer = PhaseTimer([("design", 2400), ("q&a", 300)], clock=clock)
    timer.start()
    timer.tick()
    clock.advance(2400 - 299)  # 4:59 left
    assert [(a.kind, a.phase) for a in timer.tick()] == [("warning", 0)]
    assert timer.tick() == []  # announced once
    clock.advance(299)
    notes = timer.tick()
    assert [(a.kind, a.phase) for a in notes] == [("time_up", 0)]
    assert "time is up" in notes[0].text
    clock.advance(500)
    assert timer.tick() == []  # running over: no repeat
    timer.next()
    clock.advance(301)
    # a short phase gets no 5-minute warning, only its start and the end
    assert [a.kind for a in timer.tick()] == ["start", "time_up"]


def test_paused_time_never_counts_and_no_time_up_while_paused() -> None:
    clock = FakeClock()
    timer = PhaseTimer([("stories", 60)], clock=clock)
    timer.start()
    timer.tick()
    assert timer.toggle_pause() is True
    clock.advance(3600)
    assert timer.tick() == [] and timer.used() == 0.0
    assert timer.toggle_pause() is False
    clock.advance(30)
    assert timer.used() == 30.0 and timer.records[0].paused_s == 3600.0


def test_finish_midway_keeps_started_phases_only() -> None:
    clock = FakeClock()
    timer = PhaseTimer([("clarify", 600), ("design", 2400), ("trade-offs", 600)], clock=clock)
    timer.start()
    clock.advance(700)
    timer.next()
    clock.advance(50)
    timer.finish()
    phases = timer.to_json()
    assert [(p["name"], p["used_s"], p["overrun_s"], p["ended"]) for p in phases] == [
        ("clarify", 700.0, 100.0, True),
        ("design", 50.0, 0.0, True),
    ]
    clock.advance(999)
    assert timer.total_used() == 750.0  # the clock stopped


def test_skipping_a_break_is_marked() -> None:
    clock = FakeClock()
    timer = PhaseTimer([("break", 300, {"kind": "break"}), ("coding", 1800)], clock=clock)
    timer.start()
    timer.next()
    brk = timer.to_json()[0]
    assert brk["skipped"] is True and brk["kind"] == "break"


def test_no_phases_is_an_error_and_clock_format() -> None:
    with pytest.raises(ValueError):
        PhaseTimer([])
    assert format_clock(2700) == "45:00"
    assert format_clock(-65) == "-1:05"
    assert format_clock(3723) == "1:02:03"
