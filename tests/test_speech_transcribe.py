"""Real transcription with the bundled tiny.en model on the committed clips, and the record/transcribe commands."""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path

import pytest

from prepdeck.cli import main
from prepdeck.recordings.analysis import analyze
from prepdeck.recordings.audio import SAMPLE_RATE, load_audio
from prepdeck.recordings.transcribe import (
    Transcriber,
    TranscriptionCancelled,
    is_vocal_filler,
    uncovered_speech,
)

pytestmark = [pytest.mark.slow, pytest.mark.whisper]

FIXTURES = Path(__file__).parent / "fixtures" / "audio"
ANSWER = FIXTURES / "answer_pause.flac"  # 2.0 s of silence from 4.18 s (see fixtures/audio/README.md)
PAUSE = (4.18, 6.18)


@pytest.fixture(scope="session")
def tiny() -> Transcriber:
    return Transcriber("tiny.en")


def words_of(transcript) -> list[str]:
    return [w.text.strip(",.?!").lower() for w in transcript.words]


def test_transcribes_words_with_timings_pause_and_um(tiny: Transcriber) -> None:
    fractions: list[float] = []
    t = tiny.transcribe(ANSWER, progress=fractions.append)
    words = words_of(t)
    for expected in ("job", "pipeline", "decided", "rewrite", "runtime"):
        assert expected in words
    assert t.model == "tiny.en" and t.duration_s == pytest.approx(10.78, abs=0.05)
    starts = [w.start for w in t.words]
    assert starts == sorted(starts) and all(w.end >= w.start for w in t.words)
    # words before the inserted silence end before it; words after it start after it
    assert t.words[words.index("pipeline")].end <= PAUSE[0] + 0.3
    assert t.words[words.index("decided")].start >= PAUSE[1] - 0.5
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    result = analyze(t.words, t.duration_s)
    assert any(
        p["seconds"] >= 1.5 and p["start"] < PAUSE[1] and p["end"] > PAUSE[0] for p in result["pauses"]
    )
    assert result["fillers"]["by_type"].get("um", 0) >= 1  # recovered by the filler pass
    assert t.filler_pass in ("merged", "partial")
    assert any(n["unit"] == "%" for n in result["numbers"])  # "forty percent" (tiny.en hears "4 %" here)


def test_array_input_and_short_windows_keep_the_timeline(tiny: Transcriber) -> None:
    samples = load_audio(ANSWER)
    whole = tiny.transcribe(samples)
    windowed = Transcriber(tiny.spec, window_s=6.0)
    cut = windowed.transcribe(samples)
    assert "runtime" in words_of(cut) and "pipeline" in words_of(cut)
    # the same word is found at the same moment whether the file was cut into windows or not
    t_whole = whole.words[words_of(whole).index("runtime")].start
    t_cut = cut.words[words_of(cut).index("runtime")].start
    assert t_cut == pytest.approx(t_whole, abs=0.6)


def test_silence_says_no_speech(tiny: Transcriber) -> None:
    t = tiny.transcribe(FIXTURES / "silence.flac")
    assert t.no_speech and t.words == [] and t.text == ""
    assert analyze(t.words, t.duration_s)["warnings"] == ["no speech found"]


def test_cancel_between_segments(tiny: Transcriber) -> None:
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(TranscriptionCancelled):
        tiny.transcribe(ANSWER, cancel=cancel)


def test_one_pass_setting_finds_the_words_too() -> None:
    t = Transcriber("tiny.en", filler_pass=False).transcribe(FIXTURES / "short.wav")
    assert t.filler_pass == "off"
    assert {"pipeline", "rows", "hour"} <= set(words_of(t))


# -- the commands ------------------------------------------------------------------------------------------


def test_transcribe_json_shape_for_several_files(capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["transcribe", str(ANSWER), str(FIXTURES / "short.wav"), "--json"])
    out = json.loads(capsys.readouterr().out)
    assert status == 0 and len(out) == 2
    first = out[0]
    assert first["audio"] == str(ANSWER) and first["model"] == "base"
    for key, kind in [
        ("duration_s", float),
        ("elapsed_s", float),
        ("text", str),
        ("words", list),
        ("fillers", dict),
        ("wpm", float),
        ("pauses", list),
    ]:
        assert isinstance(first[key], kind), key
    assert set(first["fillers"]) >= {"count", "per_minute", "by_type"}
    assert all(set(w) >= {"text", "start", "end", "filler"} for w in first["words"])
    assert all(set(p) >= {"start", "end", "seconds"} for p in first["pauses"])
    for extra in ("hedges", "i_we", "numbers", "star", "repeats", "warnings", "quantified_result"):
        assert extra in first
    # the STAR sections of docs/cli.md: every transcribed sentence with its beat, the missing beats
    sentences = first["star"]["sentences"]
    assert sentences and " ".join(s["text"] for s in sentences) == first["text"]
    assert {s["beat"] for s in sentences} <= {"situation", "task", "action", "result", "reflection", None}
    assert set(first["star"]["missing"]) <= {"situation", "task", "action", "result"}
    assert set(first["i_we"]) >= {"i", "we"} and isinstance(first["quantified_result"], bool)
    # the second file was transcribed too (tiny.en with the filler prompt hears "rows" as "ros" on this clip,
    # so the check is on the number and the end of the sentence; word error on the benchmark corpus is the
    # same with and without the prompt: see recordings/transcribe.py)
    second = out[1]["text"].lower().replace(",", "")
    assert ("two thousand" in second or "2000" in second) and "every hour" in second


def test_transcribe_exit_2_on_unreadable_file_but_reports_the_good_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty.wav"
    empty.write_bytes(b"")
    status = main(["transcribe", str(empty), str(FIXTURES / "short.wav"), "--json"])
    captured = capsys.readouterr()
    assert status == 2
    assert [r["audio"] for r in json.loads(captured.out)] == [str(FIXTURES / "short.wav")]
    assert captured.err.strip() == f"prepdeck: {empty}: the file is empty"


def test_transcribe_missing_model_is_exit_2_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["transcribe", str(FIXTURES / "short.wav"), "--model", str(tmp_path / "no-model")])
    err = capsys.readouterr().err
    assert status == 2 and err.count("\n") == 1 and "does not exist" in err


DECK = """
[deck]
id = "my-stories"
title = "My stories"
round = "behavioral"

[[cards]]
id = "pipeline-fix"
type = "star"
title = "A pipeline you fixed"
prompt = "Tell me about a time you fixed a failing pipeline."
target_seconds = [5, 30]

[[cards]]
id = "star-recall"
type = "recall"
title = "What does STAR stand for?"
prompt = "STAR?"
answer = "Situation, task, action, result."
"""


@pytest.fixture
def deck_dir(tmp_path: Path) -> Path:
    d = tmp_path / "decks"
    d.mkdir()
    (d / "stories.toml").write_text(DECK)
    return d


def _recordings(home: Path) -> list[sqlite3.Row]:
    conn = sqlite3.connect(home / "prepdeck.db")
    conn.row_factory = sqlite3.Row
    return conn.execute("SELECT * FROM recordings ORDER BY id").fetchall()


def test_record_from_file_stores_audio_row_transcript_and_analysis(
    isolated_home: Path, deck_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(
        ["--decks", str(deck_dir), "record", "my-stories/pipeline-fix", "--from", str(ANSWER), "--json"]
    )
    out = json.loads(capsys.readouterr().out)
    assert status == 0 and out[0]["card"] == "my-stories/pipeline-fix"
    (row,) = _recordings(isolated_home)
    assert (
        row["status"] == "transcribed"
        and row["card_id"] == "my-stories/pipeline-fix"
        and row["model"] == "base"
    )
    stored = isolated_home / row["path"]
    assert row["path"].startswith("recordings/") and stored.read_bytes() == ANSWER.read_bytes()
    analysis = json.loads(row["analysis"])
    assert analysis["duration"]["target"] == [5, 30] and analysis["recording_id"] == row["id"]
    assert analysis["kind"] == "star" and analysis["star"]["sentences"] == out[0]["star"]["sentences"]
    assert "runtime" in json.loads(row["transcript"])["text"].lower()


def test_record_keeps_the_audio_when_transcription_cannot_start(
    isolated_home: Path, deck_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(
        [
            "--decks",
            str(deck_dir),
            "record",
            "my-stories/pipeline-fix",
            "--from",
            str(ANSWER),
            "--model",
            str(tmp_path / "gone"),
        ]
    )
    err = capsys.readouterr().err
    assert status == 2 and "does not exist" in err
    (row,) = _recordings(isolated_home)
    assert row["status"] == "failed" and "does not exist" in row["error"]
    assert (isolated_home / row["path"]).stat().st_size == ANSWER.stat().st_size


@pytest.mark.parametrize(
    ("card", "message"),
    [
        ("my-stories/nope", "no card my-stories/nope"),
        ("my-stories/star-recall", "is a recall card"),
    ],
)
def test_record_rejects_unknown_and_unspoken_cards(
    deck_dir: Path, card: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--decks", str(deck_dir), "record", card, "--from", str(ANSWER)]) == 2
    assert message in capsys.readouterr().err


def test_record_unreadable_file_and_no_microphone(
    isolated_home: Path, deck_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.ogg"
    bad.write_bytes(b"OggS not really")
    assert main(["--decks", str(deck_dir), "record", "my-stories/pipeline-fix", "--from", str(bad)]) == 2
    assert "bad.ogg" in capsys.readouterr().err
    try:
        import sounddevice  # noqa: F401
    except OSError:
        assert main(["--decks", str(deck_dir), "record", "my-stories/pipeline-fix"]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "libportaudio2" in err and "--from AUDIO_FILE still works" in err
    assert not (isolated_home / "prepdeck.db").exists() or _recordings(isolated_home) == []


def test_sample_rate_constant_is_whispers() -> None:
    assert SAMPLE_RATE == 16_000


# -- the prompted pass and its coverage check ------------------------------------------------------------


def test_the_filler_prompt_reaches_every_part_of_a_long_answer(tiny: Transcriber) -> None:
    # 93 s, three answers of the benchmark corpus joined (fixtures/audio/README.md): more than one 30-s
    # Whisper window. With the prompt given once per call, only the first window got it: 3 of the 5
    # hesitations were found.
    truth = json.loads((FIXTURES / "long_answer.json").read_text())
    fractions: list[float] = []
    t = tiny.transcribe(FIXTURES / "long_answer.flac", progress=fractions.append)
    assert fractions == sorted(fractions) and len(fractions) > 3 and fractions[-1] == 1.0  # piece by piece
    heard = [w.start for w in t.words if is_vocal_filler(w.text)]
    # Whisper writes a hesitation at or just after it (0.1-0.4 s after on this clip)
    found = [any(a - 0.5 <= h <= b + 0.6 for h in heard) for _kind, a, b in truth["filled_pauses"]]
    assert sum(found) >= 4, (heard, truth["filled_pauses"])
    assert len(heard) <= len(found) + 1  # and not invented
    result = analyze(t.words, t.duration_s)
    pauses = [(p["start"], p["end"]) for p in result["pauses"]]
    assert all(any(a < e and s < b for s, e in pauses) for a, b in truth["pauses"])
    true_wpm = truth["words"] / (truth["speech_end"] - truth["speech_start"]) * 60
    assert result["wpm"] == pytest.approx(true_wpm, rel=0.08)


def test_default_pass_is_prompted_and_covers_all_speech(tiny: Transcriber) -> None:
    t = tiny.transcribe(ANSWER)
    assert t.filler_pass == "merged" and t.notes == []
    # every stretch of speech the VAD hears has words from the single prompted pass
    assert uncovered_speech(load_audio(ANSWER), t.words) == []


def test_uncovered_speech_finds_the_sentence_no_word_covers(tiny: Transcriber) -> None:
    samples = load_audio(ANSWER)
    first_only = [w for w in tiny.transcribe(samples).words if w.end <= PAUSE[0] + 0.3]
    spans = uncovered_speech(samples, first_only)
    assert len(spans) == 1
    start, end = spans[0]
    assert PAUSE[1] - 0.5 <= start <= PAUSE[1] + 0.6 and end >= 9.5  # the second sentence, after the silence


class _StopsEarly:
    """The real backend, except that a prompted run stops at the inserted silence (what a prompt sometimes
    does to Whisper: it ends the transcript early)."""

    def __init__(self, backend) -> None:
        self.backend = backend

    def segments(self, audio, prompt, language):
        for seg in self.backend.segments(audio, prompt, language):
            if prompt:
                seg.words = [w for w in seg.words if w.end <= PAUSE[0] + 0.3]
                yield seg
                return
            yield seg


def test_a_prompted_pass_that_stops_early_is_completed_without_the_prompt(tiny: Transcriber) -> None:
    stopping = Transcriber(tiny.spec)
    stopping._backend = _StopsEarly(stopping._backend)
    t = stopping.transcribe(ANSWER)
    words = words_of(t)
    assert "runtime" in words and "pipeline" in words  # the second sentence came from the unprompted retry
    assert t.filler_pass == "partial" and t.notes
    starts = [w.start for w in t.words]
    assert starts == sorted(starts)
    assert t.words[words.index("decided")].start >= PAUSE[1] - 0.5  # on the file's timeline
