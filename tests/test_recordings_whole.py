"""A spoken answer is kept whole or not at all: no cut audio file under its real name, no row left at
'saved' by an answer that can never be transcribed."""

from __future__ import annotations

import sqlite3
import tomllib
import wave
from pathlib import Path

import pytest
from test_store_damage import _tmpfs

from prepdeck.cli import main
from prepdeck.core.paths import BUILTIN_DECKS, database_path

FIXTURES = Path(__file__).parent / "fixtures" / "audio"


def _star_card() -> str:
    deck = tomllib.loads((BUILTIN_DECKS / "behavioral.toml").read_text(encoding="utf-8"))
    card = next(c for c in deck["cards"] if c["type"] == "star")
    return f"{deck['deck']['id']}/{card['id']}"


def test_a_wav_claiming_1_hz_is_refused_before_anything_is_stored(tmp_path: Path, capsys) -> None:
    forged = tmp_path / "forged.wav"
    with wave.open(str(forged), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(1)  # 80,000 frames would read as a 22-hour answer
        w.writeframes(b"\x00\x01" * 80_000)
    home = tmp_path / "home"
    status = main(["--home", str(home), "record", _star_card(), "--from", str(forged)])
    err = capsys.readouterr().err
    assert status == 2
    assert err.count("\n") == 1 and "forged.wav: the file claims a sample rate of 1 Hz" in err
    assert not (home / "recordings").exists()
    db = database_path(home)
    if db.exists():
        rows = sqlite3.connect(db).execute("SELECT count(*) FROM recordings").fetchone()[0]
        assert rows == 0


def test_an_answer_copied_onto_a_full_disk_leaves_no_cut_file(tmp_path: Path, capsys) -> None:
    with _tmpfs(tmp_path / "small", "64k") as home:
        status = main(["--home", str(home), "record", _star_card(), "--from", str(FIXTURES / "short.wav")])
        err = capsys.readouterr().err
        assert status == 2
        assert err.startswith("prepdeck: cannot save the recording: No space left on device")
        assert [p.name for p in (home / "recordings").iterdir()] == []


def test_any_failure_while_transcribing_marks_the_row_failed(tmp_path: Path) -> None:
    from prepdeck.core.store import Store
    from prepdeck.recordings.service import transcribe_recording

    class Broken:  # whatever goes wrong inside (a decoder's own error, a bug), not only the known errors
        def transcribe(self, *args: object, **kwargs: object) -> None:
            raise MemoryError("cannot allocate")

    home = tmp_path / "home"
    store = Store.open(database_path(home))
    rec = store.add_recording("behavioral/x", "recordings/x.wav", 3.0)
    with pytest.raises(MemoryError):
        transcribe_recording(store, home, Broken(), home / "x.wav", rec, target=None, kind="star")  # type: ignore[arg-type]
    row = store.db.execute("SELECT status, error FROM recordings WHERE id = ?", [rec]).fetchone()
    assert row == ("failed", "cannot allocate")
    store.close()
