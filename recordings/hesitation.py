"""Filled pauses Whisper left out, found in the audio (issue 16).

On natural voices Whisper drops many hesitations outright. What it does with the audio of a dropped "uh" is
to stretch a neighbouring word over it, even across the short silence a hesitation sits beside ("Uh, on my
first team" came out as "On" timed 0.34-0.96 s over an "uh" at 0.49-0.68 s, silence, and "on" at 0.87 s),
or to leave it in a gap between two words. Either way the audio holds a stretch of sound bounded by silence
(an `Island`) that no word accounts for. This module finds such islands and writes a filler there.

A word accounts for the island its end falls in, or for the island it starts in when it ends in the silence
after it: Whisper's word ends sit close to the audio or late in the silence after a word ("right," stretched
to the comma, or timed as an instant there), while its starts are pulled early into the silence before a
word (measured on benchmarks/natural_corpus.py's voices). An island no word accounts for that is short
(one syllable, not a phrase), voiced (a vowel or a nasal, not a breath or a click) and free of fricatives
and bursts (not "so" or "like", whose /s/ and /k/ leave unvoiced high-frequency frames) is a dropped filler.
It becomes "um" when its last third is a nasal murmur (voiced, energy above 1 kHz falling), else "uh".

What it cannot find: a hesitation attached to a word with no silence between ("that uh kept", "and um I"),
which is how festival's voices and often piper's say them (spans of 70-280 ms, median 110-280 ms by voice),
nor one Whisper wrote as a short word ("on", "I'm"). Telling those from the word beside them needs phonetic
detail that energy, voicing and spectral tilt do not give. A sustained real word that Whisper mistimes the
same way ("Well," timed from before it into the next phrase) would be taken for one: not seen on the
benchmark, where Whisper times such words on their own audio.

Features are computed with numpy only, per 10-ms frame: energy, autocorrelation voicing, and the share of
energy above 1 kHz; in noise (a floor within SILENCE_DB of the speech) no silence bounds an island and
nothing is found. Nothing is trained or downloaded; the thresholds were chosen on the development half of
the natural-voice corpus and then run once on its held-out half (benchmarks/RESULTS.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from prepdeck.recordings.audio import SAMPLE_RATE
from prepdeck.recordings.lexicon import VOCAL

HOP = SAMPLE_RATE // 100  # 10-ms frames
FRAME = 4 * HOP  # 40 ms: two periods of a 50-Hz voice, enough for an autocorrelation peak
SILENCE_DB = 35.0  # a frame this far below the speech level (95th percentile of frames) is silence
FLOOR_DB = -70.0  # and any frame below this (about -67 dBFS) is silence, whatever the level
MIN_GAP_S = 0.15  # shorter silences are stop closures inside speech (dev: 0.10 split words into false
# hesitations, 0.12 and 0.15 found the same ones; the longer keeps a margin for slow speakers)
MIN_ISLAND_S = 0.08  # shorter bursts are clicks and plosive releases
MAX_ISLAND_S = 0.8  # a hesitation is one drawn-out syllable; longer islands are phrases
MIN_VOICED = 0.6  # share of an island's frames that must be voiced (a vowel or nasal, not noise)
VOICED_R = 0.45  # normalised autocorrelation peak that marks a voiced frame
BLOCK = 3000  # frames per block of spectra (30 s)
MAX_HISS = 0.5  # an unvoiced frame with more energy above 1 kHz than this is a fricative or a burst
END_SLACK_S = 0.1  # how far from an island a word's end may fall and still be that island's word


class _Word(Protocol):
    text: str
    start: float
    end: float


@dataclass
class Hesitation:
    kind: str  # um | uh
    start: float  # seconds in the file's timeline
    end: float


@dataclass
class Island:
    start: float  # seconds in the analysed samples
    end: float
    voiced: float  # share of voiced frames
    nasal_end: bool  # the last third is a low-band murmur (an "m"), for um vs uh
    hiss: float  # largest share of energy above 1 kHz in an unvoiced frame (a fricative or a burst)


def frame_features(samples: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(energy dB, voicing 0-1, share of energy above 1 kHz) per 10-ms frame, computed BLOCK frames at a
    time so that a 4-minute window costs ~30 MB, not ~400 MB of spectra."""
    n = 1 + (samples.size - FRAME) // HOP if samples.size >= FRAME else 0
    parts = [_features(samples, k, min(n, k + BLOCK)) for k in range(0, n, BLOCK)]
    if not parts:
        empty = np.zeros(0)
        return empty, empty, empty
    energy, voicing, high = (np.concatenate(p) for p in zip(*parts, strict=True))
    return energy, voicing, high


def _features(samples: np.ndarray, first: int, last: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    window = np.hanning(FRAME)
    idx = np.arange(FRAME)[None, :] + HOP * np.arange(first, last)[:, None]
    frames = samples[idx] * window[None, :]
    spec = np.fft.rfft(frames, n=2 * FRAME)
    power = spec.real**2 + spec.imag**2
    ac = np.fft.irfft(power, n=2 * FRAME)[:, :FRAME]
    # the window's own autocorrelation shrinks with lag; dividing by it keeps a periodic frame near 1
    wac = np.correlate(window, window, "full")[FRAME - 1 :]
    lo, hi = SAMPLE_RATE // 400, SAMPLE_RATE // 60  # pitch between 60 and 400 Hz
    norm = ac[:, lo:hi] / (ac[:, :1] + 1e-12) / (wac[lo:hi] / wac[0])[None, :]
    voicing = np.clip(norm.max(axis=1), 0.0, 1.0)
    energy = 10 * np.log10(ac[:, 0] / FRAME + 1e-12)
    freqs = np.fft.rfftfreq(2 * FRAME, 1 / SAMPLE_RATE)
    high = power[:, freqs >= 1000].sum(axis=1) / (power[:, freqs >= 60].sum(axis=1) + 1e-12)
    return energy, voicing, high


def islands(samples: np.ndarray) -> list[Island]:
    """Stretches of sound bounded by silences of at least MIN_GAP_S (seconds within `samples`)."""
    energy, voicing, high = frame_features(samples)
    if energy.size == 0:
        return []
    level = float(np.percentile(energy, 95))
    loud = energy > max(level - SILENCE_DB, FLOOR_DB)
    out: list[Island] = []
    min_gap = round(MIN_GAP_S * 100)
    k, n = 0, loud.size
    while k < n:
        if not loud[k]:
            k += 1
            continue
        a, quiet = k, 0
        while k < n and quiet < min_gap:
            quiet = 0 if loud[k] else quiet + 1
            k += 1
        b = k - quiet  # one past the last loud frame
        seg = slice(a, b)
        voiced = voicing[seg] >= VOICED_R
        tail = slice(a + 2 * (b - a) // 3, b)
        nasal = bool(
            voiced[-max(1, (b - a) // 3) :].mean() > 0.6 and high[tail].mean() < 0.5 * high[seg].mean()
        )
        # times: frame k covers k*10 ms .. k*10 ms + 40 ms; its centre is +20 ms
        unvoiced_high = high[seg][~voiced & loud[seg]]
        hiss = float(unvoiced_high.max()) if unvoiced_high.size else 0.0
        out.append(Island(a / 100 + 0.02, b / 100 + 0.02, float(voiced.mean()), nasal, hiss))
    return out


def _kind(isl: Island) -> str:
    return "um" if isl.nasal_end else "uh"


def _hesitation_like(isl: Island) -> bool:
    """One short, voiced stretch with no fricative or burst in it: how "uh" and "um" sound, and not "so",
    "this" or "like" (whose /s/ or /k/ leaves unvoiced high-frequency frames)."""
    return (
        MIN_ISLAND_S <= isl.end - isl.start <= MAX_ISLAND_S
        and isl.voiced >= MIN_VOICED
        and isl.hiss < MAX_HISS
    )


def find_hesitations(samples: np.ndarray, words: Sequence[_Word], offset: float = 0.0) -> list[Hesitation]:
    """Hesitations Whisper left out of `words` (timed in the file's timeline; `samples` start at `offset`):
    islands that sound like one (`_hesitation_like`) and that no word accounts for. A word accounts for the
    island its end falls in, or the island it starts in when it ends in the silence after that island:
    Whisper stretches a word's end late into the silence after it, never early."""
    out: list[Hesitation] = []
    ends = [w.end - offset for w in words]
    found = islands(samples)
    for i, isl in enumerate(found):
        if not _hesitation_like(isl):
            continue
        if any(isl.start < e <= isl.end + END_SLACK_S for e in ends):
            continue  # a word ends in it: the island is that word
        next_start = found[i + 1].start if i + 1 < len(found) else float("inf")
        if any(isl.start - END_SLACK_S <= w.start - offset and w.end - offset <= next_start for w in words):
            # a word in it or in the silence after it: "right," stretched into a comma's silence, or timed as
            # an instant there (both seen); an "uh" Whisper dropped has no word of its own there
            continue
        # Whisper may have written this hesitation, timed as an instant beside the island: then no gap
        after = next((k for k, e in enumerate(ends) if e > isl.end), len(words))
        if not any(_is_filler(w.text) for w in words[max(0, after - 1) : after + 1]):
            out.append(Hesitation(_kind(isl), isl.start + offset, isl.end + offset))
    return out


def _norm(text: str) -> str:
    return text.strip(",.?!;:\"'").lower()


def _is_filler(text: str) -> bool:
    return _norm(text) in VOCAL
