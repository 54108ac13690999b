"""How a long answer is cut for the prompted pass (real Silero VAD on the committed clip, no model), and
the clean-up of its fillers."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest

from prepdeck.recordings.audio import SAMPLE_RATE, load_audio
from prepdeck.recordings.transcribe import (
    PIECE_SPEECH_S,
    VAD_PARAMETERS,
    Word,
    degenerate_segment,
    drop_echoed_fillers,
    prompt_pieces,
)

ANSWER = Path(__file__).parent / "fixtures" / "audio" / "answer_pause.flac"


def _speech_s(samples: np.ndarray) -> float:
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    chunks = get_speech_timestamps(samples, VadOptions(**VAD_PARAMETERS))
    return sum(c["end"] - c["start"] for c in chunks) / SAMPLE_RATE


def test_a_short_answer_is_one_piece() -> None:
    samples = load_audio(ANSWER)
    assert prompt_pieces(samples) == [(0, samples.size)]


def test_a_long_answer_is_cut_in_silences_into_pieces_under_the_limit() -> None:
    answer = np.concatenate([load_audio(ANSWER)] * 6)  # 65 s, about 48 s of speech
    pieces = prompt_pieces(answer)
    assert len(pieces) >= 2
    assert pieces[0][0] == 0 and pieces[-1][1] == answer.size
    assert all(a[1] == b[0] for a, b in itertools.pairwise(pieces))  # no gap, no overlap
    for lo, hi in pieces:
        assert _speech_s(answer[lo:hi]) <= PIECE_SPEECH_S + 0.5
    for _lo, cut in pieces[:-1]:  # every cut falls in silence, never inside a word
        around = answer[cut - SAMPLE_RATE // 10 : cut + SAMPLE_RATE // 10]
        assert np.abs(around).max() < 0.01


def test_speech_longer_than_the_limit_is_never_cut_inside() -> None:
    # two sentences of about 3.8 s with 2.0 s of silence from 4.18 s; a 2-s limit can only cut in it
    samples = load_audio(ANSWER)
    pieces = prompt_pieces(samples, max_speech_s=2.0)
    assert len(pieces) == 2
    assert 4.18 <= pieces[0][1] / SAMPLE_RATE <= 6.18


def test_an_um_written_twice_over_one_hesitation_counts_once() -> None:
    words = [
        Word("So,", 0.40, 0.90, 0.9),
        Word("um,", 1.56, 1.70, 0.6),
        Word("um,", 1.78, 1.90, 0.5),  # 0.22 s later: the decoder repeated itself
        Word("at", 2.10, 2.20, 0.9),
        Word("um,", 3.00, 3.40, 0.6),
        Word("um.", 3.60, 4.00, 0.6),  # 0.6 s later: a real "um, um"
    ]
    kept = drop_echoed_fillers(words)
    assert [w.text for w in kept] == ["So,", "um,", "at", "um,", "um."]
    assert kept[1].end == 1.90


def _words(*probs: float) -> list[Word]:
    return [Word(f"w{i}", i * 0.3, i * 0.3 + 0.2, p) for i, p in enumerate(probs)]


@pytest.mark.parametrize(
    ("text", "no_speech", "logprob", "probs", "prompted", "dropped"),
    [
        # tiny.en on hiss between two sentences (measured): dropped
        (" Thank you.", 0.74, -0.92, (0.01, 0.98), True, True),
        # the same words said clearly at the end of an answer: kept
        (" Thank you.", 0.74, -0.30, (0.91, 0.97), True, False),
        (" Thank you.", 0.10, -0.90, (0.01, 0.98), True, False),  # Whisper thinks it is speech: kept
        (" Right.", 0.70, -1.20, (0.60,), False, True),  # Whisper's own "not speech" test
        # a degenerate decode in capitals after the prompt: dropped (then re-transcribed without it)
        (" SORTON'S SURPRYINGINGLY, UNNERTEEN'S ANUP TO IT", 0.04, -0.99, (0.13, 0.5), True, True),
        (" SORTON'S SURPRYINGINGLY, UNNERTEEN'S ANUP TO IT", 0.04, -0.99, (0.13, 0.5), False, False),
        (" We moved from AWS S3 to GCP and BigQuery.", 0.02, -0.30, (0.9, 0.8), True, False),
        (" OK, SQL.", 0.02, -0.30, (0.9, 0.8), True, False),  # too short to call
    ],
)
def test_degenerate_segments(
    text: str, no_speech: float, logprob: float, probs: tuple[float, ...], prompted: bool, dropped: bool
) -> None:
    assert degenerate_segment(text, no_speech, logprob, _words(*probs), prompted=prompted) is dropped
