"""The acoustic hesitation detector (recordings/hesitation.py) on real synthesized speech (fixtures/audio/README.md)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from prepdeck.recordings.analysis import analyze
from prepdeck.recordings.audio import SAMPLE_RATE, load_audio
from prepdeck.recordings.hesitation import find_hesitations, islands
from prepdeck.recordings.transcribe import Transcriber, Word, stranded_articles

FIXTURES = Path(__file__).parent / "fixtures" / "audio"


def timed(*words: tuple[str, float, float]) -> list[Word]:
    return [Word(text, start, end, 0.9) for text, start, end in words]


# Whisper's words for "At my last job" when it swallowed the hesitation before it: the first word is
# stretched from before the hesitation (0.49-0.69 s) over the silence into the next stretch of speech
STRETCHED_FIRST = [("at", 0.34, 1.18), ("my", 1.18, 1.38), ("last", 1.38, 1.74), ("job,", 1.74, 2.08)]


def test_islands_are_the_stretches_between_silences() -> None:
    audio = load_audio(FIXTURES / "uh_then.flac")  # 0.5 s silence, "Uh,", 0.3 s silence, a sentence
    found = islands(audio)
    assert found[0].start == pytest.approx(0.5, abs=0.04) and found[0].end < 0.8
    assert found[1].start > found[0].end + 0.2  # the 0.3-s silence separates them
    assert found[0].voiced > 0.8 and found[0].hiss < 0.5
    assert islands(np.zeros(SAMPLE_RATE, np.float32)) == [] and islands(np.zeros(10, np.float32)) == []


def test_a_hesitation_no_word_accounts_for_is_found() -> None:
    found = find_hesitations(load_audio(FIXTURES / "uh_then.flac"), timed(*STRETCHED_FIRST))
    assert [(h.kind, round(h.start, 1)) for h in found] == [("uh", 0.5)]


def test_the_same_timing_over_a_real_word_with_a_fricative_finds_nothing() -> None:
    # "So," in the same place, Whisper's words timed the same way: its /s/ is not how a hesitation sounds
    audio = load_audio(FIXTURES / "so_then.flac")
    assert find_hesitations(audio, timed(*STRETCHED_FIRST)) == []


def test_a_word_whisper_wrote_accounts_for_its_island() -> None:
    well = load_audio(FIXTURES / "well_then.flac")  # "Well," is voiced through: only its timing tells
    assert find_hesitations(well, timed(("Well,", 0.34, 0.92), *STRETCHED_FIRST[1:])) == []
    uh = load_audio(FIXTURES / "uh_then.flac")  # Whisper wrote the hesitation, timed as an instant
    assert find_hesitations(uh, timed(("Uh,", 0.34, 0.34), *STRETCHED_FIRST)) == []
    # a real word alone between two commas, timed as an instant in the silence after it ("test, right, and")
    alone = load_audio(FIXTURES / "real_word_alone.flac")
    words = timed(("test,", 1.64, 2.06), ("right,", 2.52, 2.52), ("and", 2.84, 2.92), ("the", 2.92, 3.06))
    assert find_hesitations(alone, words) == []


def test_times_follow_the_window_offset() -> None:
    words = [Word(w.text, w.start + 240.0, w.end + 240.0, w.prob) for w in timed(*STRETCHED_FIRST)]
    found = find_hesitations(load_audio(FIXTURES / "uh_then.flac"), words, offset=240.0)
    assert [round(h.start, 1) for h in found] == [240.5]


@pytest.mark.slow
@pytest.mark.whisper
def test_transcriber_adds_the_hesitation_whisper_dropped() -> None:
    # piper's neural voice: "Uh, on my first team I was the only data engineer." tiny.en writes "On my first
    # team" with "On" stretched over the "uh"; the transcript gets the uh back from the audio
    tiny = Transcriber("tiny.en")
    t = tiny.transcribe(FIXTURES / "hesitation_dropped.flac")
    acoustic = [w for w in t.words if w.source == "acoustic"]
    assert [(w.text, round(w.start, 1)) for w in acoustic] == [("uh", 0.5)]
    assert [w.start for w in t.words] == sorted(w.start for w in t.words)
    assert analyze([w.to_json() for w in t.words], t.duration_s)["fillers"]["by_type"].get("uh") == 1
    # a real word alone between commas stays a word, and nothing is added to a clean "Well, at my last job"
    for name in ("real_word_alone.flac", "well_then.flac"):
        assert not [w for w in tiny.transcribe(FIXTURES / name).words if w.source == "acoustic"]


def test_an_article_before_a_comma_is_a_hesitation() -> None:
    words = stranded_articles(timed(("were", 1.6, 2.0), ("a,", 2.0, 2.2), ("doubling", 2.2, 2.5)))
    assert [w.text for w in words] == ["were", "uh,", "doubling"] and words[1].start == 2.0
    kept = timed(
        ("a", 1.0, 1.1), ("plan", 1.1, 1.4), ("A,", 1.4, 1.6), ("the", 1.6, 1.7), ("thing.", 1.7, 2.0)
    )
    assert [w.text for w in stranded_articles(kept)] == ["a", "plan", "A,", "the", "thing."]
