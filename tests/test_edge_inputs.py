"""Smaller attacks from issue 12 (item 11), each through the real command line: a review date or ISO week at
the edges of the calendar, a WAV whose header claims 1 Hz, and DuckDB's advice to run a `SET` that answers may
not run. Each ends in one line and exit 2 (or a graded failure), never a traceback, nothing stored."""

from __future__ import annotations

import sqlite3
import subprocess
import wave
from pathlib import Path

import pytest
from cli_support import prepdeck
from sql_cards import DECK, write_deck


def _one_line(done: subprocess.CompletedProcess[str], status: int = 2) -> str:
    assert done.returncode == status, done.stderr
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    return lines[0]


@pytest.mark.parametrize(
    ("at", "says"),
    [
        ("0001-01-01T00:00+14:00", "out of the calendar's range"),
        ("9999-12-31T23:59-14:00", "out of the calendar's range"),
        ("0001-01-02T00:00", "before 1970"),
    ],
)
def test_grade_at_the_edges_of_the_calendar(isolated_home: Path, at: str, says: str) -> None:
    line = _one_line(prepdeck(isolated_home, "grade", "sql-exercises/top-n-row-number", "good", "--at", at))
    assert says in line and at in line
    db = isolated_home / "prepdeck.db"
    if db.exists():
        assert sqlite3.connect(db).execute("SELECT count(*) FROM reviews").fetchone() == (0,)


@pytest.mark.parametrize("week", ["9999-W52", "0001-W01"])
def test_report_week_at_the_edges_of_the_calendar(isolated_home: Path, tmp_path: Path, week: str) -> None:
    line = _one_line(prepdeck(isolated_home, "report", "--week", week, "--out", str(tmp_path / "out")))
    assert f"invalid week '{week}'" in line and "1970" in line
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def _one_hz_wav(path: Path) -> Path:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(1)  # 80,000 frames: a day of "audio" by the header
        w.writeframes(b"\x00\x01" * 80_000)
    return path


def test_a_wav_claiming_1_hz_is_refused_before_anything_is_stored(
    isolated_home: Path, tmp_path: Path
) -> None:
    wav = _one_hz_wav(tmp_path / "one_hz.wav")
    line = _one_line(prepdeck(isolated_home, "record", "behavioral/failure-outage", "--from", str(wav)))
    assert "sample rate of 1 Hz" in line
    db = isolated_home / "prepdeck.db"
    if db.exists():
        assert sqlite3.connect(db).execute("SELECT count(*) FROM recordings").fetchone() == (0,)
    assert not any((isolated_home / "recordings").glob("**/*.wav"))
    assert "sample rate of 1 Hz" in _one_line(prepdeck(isolated_home, "transcribe", str(wav)))


def test_too_deep_an_answer_is_not_told_to_run_set(isolated_home: Path, tmp_path: Path) -> None:
    decks = tmp_path / "decks"
    write_deck(decks, DECK)
    answer = tmp_path / "deep.sql"
    answer.write_text("SELECT " + "(" * 1500 + "1" + ")" * 1500 + " AS x", encoding="utf-8")
    done = prepdeck(isolated_home, "--decks", str(decks), "check", "judge-test/latest-order", str(answer))
    assert done.returncode == 1, done.stderr
    assert "depth" in done.stdout and "nest fewer expressions" in done.stdout
    assert "SET" not in done.stdout
