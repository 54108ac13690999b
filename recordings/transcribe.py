"""Offline transcription with word timings, tuned to keep what an interviewer hears: fillers and pauses.

How it works, and why (figures from `python -m benchmarks.bench_speech`, see benchmarks/RESULTS.md):

- faster-whisper on the CPU, int8, 2 threads, greedy decoding (`beam_size=1`): on this 2-core machine
  beam search costs about twice the time for no measurable gain on the filler and pace figures.
- Voice-activity detection (Silero VAD, `min_silence_duration_ms=500`, `speech_pad_ms=200`) is ON: it
  trims silence before Whisper sees it, and word timestamps are mapped back to the file's timeline.
  Without it Whisper stretches the word before a silence across most of it, and 1-2 s pauses shrink
  below the 1 s threshold (pause recall dropped sharply in the benchmark). It also keeps Whisper from
  inventing words in silence.
- One prompted pass. Whisper is trained on transcripts that leave out "um" and "uh"; the short prompt
  "Um, uh, hmm, er, ah." makes it write hesitations (and commas, which the filler rules use: "test, right,
  and"). Its words are the transcript, the pace and the pauses. A prompt can make Whisper stop early or skip
  a stretch, so every stretch of speech the VAD hears (1.5 s or more) that has no word of the prompted pass
  is transcribed again without the prompt and spliced in by time (status "partial": um/uh may be
  undercounted there). `filler_pass=False` runs the plain pass only.
- The prompt must reach every part of the answer. faster-whisper (like openai-whisper) puts an initial
  prompt before the first 30-s decoding window of a call only when condition_on_previous_text is off, so
  on a 90-s answer the later windows were decoded without it and lost their um/uh. The prompted pass is
  therefore run on pieces of at most 24 s of speech, cut in the middle of silences the VAD finds
  (`prompt_pieces`); each piece is one call whose first window holds it all, as on the short clips the
  prompt was tuned on. Passing the prompt as `hotwords` (every window) was measured too and rejected:
  Whisper then wrote "Um," into the few-second remainder windows at the end of a call (um/uh precision
  0.98 -> 0.75 on the realistic corpus). With tiny.en, filler recall / precision, um/uh recall, before ->
  after (benchmarks/RESULTS.md):
    realistic corpus (clips of 23-33 s)            0.89 / 0.97, 0.83  ->  0.92 / 0.97, 0.93
      held-out half                                0.86 / 0.98, 0.88  ->  0.88 / 0.96, 0.92
    long corpus (three clips joined, 73-93 s)      0.75 / 0.98, 0.57  ->  0.93 / 0.96, 0.93
      held-out half                                0.70 / 0.95, 0.54  ->  0.90 / 0.94, 0.92
  (runs differ by 0.01-0.02: Whisper's temperature fallback samples at random.)
  (the realistic clips gain too: many hold more than 24 s of speech, and Whisper's second window there
  had no prompt either.)
- An um/uh written twice less than 0.35 s apart is one hesitation the decoder repeated (a spoken
  "um, um" takes half a second or more): `drop_echoed_fillers` keeps one.
- Segments that are not what was said are dropped (`degenerate_segment`): "Thank you." written into hiss
  between sentences, and capitals runs after the prompt (then re-transcribed without it by the coverage
  check). Seen on the "noisy" corpus (white noise at 20 dB SNR, benchmarks/RESULTS.md); no change on the
  clean ones.

  Measured with tiny.en on the split corpus of benchmarks/speech_corpus.py (development half: 6 scripts x
  3 voices; held-out half: 6 other scripts x 2 other voices; changes chosen on dev, kept only if held-out
  improved). Filler recall / precision, um/uh recall, pace error, pause recall, CPU seconds for 824 s:
    plain pass only                           dev 0.61/0.98 um/uh 0.17          held-out 0.62/1.00 um/uh 0.38
    plain pass + prompted pass merged by time dev 0.83/0.98 um/uh 0.70 2.5 % 0.97  held-out 0.74/1.00 um/uh 0.62
      (the previous default)                  3.1 % 1.00; 88 s CPU
    prompted pass alone (kept)                dev 0.86/0.98 um/uh 0.70 2.3 % 1.00  held-out 0.76/1.00 um/uh 0.62
                                              2.1 % 1.00; 50 s CPU (-43 %), no stretch needed a retry
  Word error against the scripts (fillers left out, rough: digits count as errors) is the same with and
  without the prompt: dev 0.166 vs 0.159, held-out 0.201 vs 0.217. With `base` the prompt does not pay on
  the held-out half (filler recall 0.66 against 0.74 without it, see benchmarks/RESULTS.md): for the
  accurate setting `speech.filler_pass = false` is worth considering; not changed here (one run).
  Tried and rejected (dev, then held-out, merged with the plain pass as above):
    disfluent prompt "Umm, let me think, like, hmm... Uh, so, you know."  dev 0.81, um/uh 0.63 (worse)
    prompt "Uh, um, uh... um, uh."                          dev 0.78, um/uh 0.57 (worse); held-out 0.76
    suppress_blank=False + suppress_tokens=[]               identical to the default prompt on both halves
    hotwords="Um, uh, hmm, er, ah." instead of the prompt   no recall gain; precision dev 0.95, held-out 0.97
    a third pass with the disfluent prompt, merged too      dev unchanged, held-out 0.78; +60 % CPU
    re-decoding short windows around words of prob < 0.5    dev 0.86/0.93, held-out 0.80/0.91 (precision
      with the prompt (145 windows)                         below 0.95) at 3.5x the CPU of a whole pass
    "a" before a pronoun/determiner counted as "uh"         dev +0 (one um heard as "a" became an uh),
      (analysis rule)                                       held-out unchanged
  The um/uh still missed are spoken mid-sentence with no pause ("it uh kept"); Whisper stretches the next
  word over them ("kept" 9.82-10.26 s over an "uh" at 9.84-10.02 s), so a detector of voiced segments
  between words finds no gap there; telling a vowel inside a word from a filler needs phonetic detail
  that energy and zero-crossings do not give, so no acoustic detector was added.
  That corpus speaks every um/uh as a word at speaking rate with no gap (now the "hard" variant). Real
  filled pauses are lengthened and mostly sit beside a short silence; on the "realistic" variant
  (benchmarks/speech_corpus.py) the same default finds um/uh at 0.80-0.83 dev (two runs) / 0.88 held-out (RESULTS.md).
  Re-tuned on that variant, chosen on dev, checked on held-out; all rejected, defaults unchanged:
    speech_pad_ms 400                       dev um/uh 0.80 -> 0.90 but filler precision 0.97 -> 0.92,
                                            pace error 2.2 -> 3.3 %
    min_silence_duration_ms 300             dev 0.90 -> 0.92 fillers (noise level), held-out um/uh
                                            0.88 -> 0.83, pace 4.1 -> 4.7 %; hard dev precision 0.95
    prompted re-decode of short stretches   86 candidates on dev, the missed fillers were mostly already
      the VAD hears and no word covers      found (Whisper places them late); "Uh," invented in 3
      (>= 0.25 s)                           stretches with no filler
    base without the prompt by default      dev filler recall 0.97 -> 0.85 (um/uh 0.93 -> 0.70);
                                            held-out um/uh 0.88 -> 0.92: dev decides, prompt kept
  Repeat runs of one setting differ by about one filler per half (CTranslate2 threads): gaps of
  0.02-0.03 are noise.
- On more natural voices (benchmarks/bench_natural.py: piper's neural en_US-joe-medium, festival's HTS
  cmu_us_slt_arctic_hts and kal_diphone, espeak; two rates each) the prompted pass sometimes ends a piece
  with a phrase of Whisper's training data ("and we'll see you in the next one. Thanks for watching."),
  every word timed at one instant, or loses its place and stretches one word over seconds of speech. Runs of
  3+ instantaneous words are dropped (`drop_timeless_runs`, both passes) and a word longer than 2 s is
  dropped (`drop_stretched`) so that the coverage check transcribes that speech again without the prompt.
  Dev half, prompted: WER 14.6 % -> 13.5 % (kal at its own rate 23.4 -> 17.7 %), pace error 3.0 -> 2.1 %,
  filler recall unchanged (0.78). The prompt still costs some words on these voices (dev WER 13.5 % with it,
  12.1 % without), but without it um/uh recall falls from 0.59 to 0.17: it is kept. What is still missed
  there: Whisper writes most of those hesitations as a short word ("um" -> "on", "am", "I'm"; "uh" -> "are",
  "up"), at high probability. Tried and rejected: re-decoding a 1.2-s window around each such short word
  with `base` and the prompt (73 candidates on dev): it found 5 of the 30 real fillers and put an um/uh on
  3 of the 43 real words, at 580 s of CPU for 20 minutes of audio.
- Hesitations Whisper drops are looked for in the audio (recordings/hesitation.py; in the default prompted
  path, `filler_pass=False` keeps Whisper's words only): a short voiced stretch
  between silences that no word accounts for becomes an "uh" or "um" (source "acoustic", prob
  ACOUSTIC_PROB); and a lower-case article written before a comma or full stop ("were a, doubling") is
  read as "uh" (`stranded_articles`). Figures: benchmarks/RESULTS.md, "Fillers on natural voices". Tried
  and not kept: rescoring the transcript with Whisper's own decoder (ctranslate2 `align`, the prompt as
  context) with an "uh" inserted before each word. The best-scoring insertion of a clip was often a real
  dropped hesitation, but scoring every position of a 28-s clip took 10 s of CPU (RTF +0.37).
- Two models, one transcript: the default model is base (recordings/models.py), and with the prompt
  tiny.en's prompted pass runs over the same pieces too; its um/uh are added where base wrote none
  within SECOND_TOLERANCE_S (`merge_fillers`). The two miss different hesitations, each writing some as a
  word ("on", "a", "up"): on the natural voices' dev half each alone found 141 of 240 annotated um/uh, 127
  of them the same. Where both heard one they often place it a word apart (0.5-0.8 s), which
  MERGE_TOLERANCE_S (0.5) counted twice (espeak precision 0.82 on dev). base is prompted with hesitant
  speech (PROMPTS["base"], the prompt that did not help tiny.en): alone it then finds 154/240 instead of
  141 at the same WER (11.2 vs 11.1 %). tiny.en alone -> base + tiny.en's um/uh (short prompt for both) ->
  the same with base's hesitant prompt, filler recall, um/uh, precision, WER:
    dev       0.70, 141/240, 0.98, 13.1 %  ->  0.73, 153/240, 0.98, 11.1 %  ->  0.75, 160/240, 0.98, 11.1 %
    held-out  0.71,  61/96,  0.97, 10.3 %  ->  0.75,  60/96,  0.97,  9.0 %  ->  0.78,  64/96,  0.95,  8.6 %
  (held-out was run once for each of the two settings). CPU: 2.4-2.7x tiny.en alone (RTF(CPU/2)
  0.07-0.08 vs 0.03), peak memory 630-670 MB with both loaded. Tried and not kept: base alone with the
  short prompt (dev um/uh 141/240, no more than tiny.en); base with a beam of 5 (152/240, WER 10.1 %,
  +50 % CPU).
- Long files are transcribed in windows of about 4 minutes, cut at the quietest 100 ms near each
  window's end, so a 30-minute answer keeps memory bounded (~15 MB of samples at a time).

`openai-whisper` (the optional extra) is supported for `.pt` checkpoints through a small adapter.
"""

from __future__ import annotations

import functools
import os
import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np

from prepdeck.recordings.audio import SAMPLE_RATE, AudioError, audio_duration, iter_audio
from prepdeck.recordings.hesitation import find_hesitations
from prepdeck.recordings.models import ModelSpec, ModelUnavailable, resolve_model

FILLER_PROMPT = "Um, uh, hmm, er, ah."
# base hears more hesitations after a prompt that is itself hesitant speech (tiny.en does not: see the
# module docstring); the second model keeps FILLER_PROMPT, so the two opinions differ more
PROMPTS = {"base": "Um, so, uh, I think, uh, we, um, had to, uh, you know, um, fix it, uh."}
VOCAL_FILLERS = {"um", "umm", "uhm", "hmm", "hm", "mm", "mmm", "erm", "uh", "uhh", "er", "err", "ah", "eh"}
WINDOW_S = 240.0
CUT_SEARCH_S = 10.0
MERGE_TOLERANCE_S = 0.5
TRUNCATION_RATIO = 0.8
VAD_PARAMETERS = {"min_silence_duration_ms": 500, "speech_pad_ms": 200}
UNCOVERED_MIN_S = 1.5  # speech this long with no word from the prompted pass is transcribed again
COVER_PAD_S = 0.3
ECHO_S = 0.35  # two um/uh closer than this are one (see drop_echoed_fillers)
HYPHEN_GAP_S = 0.15  # a hyphenated word's pieces are contiguous; a longer gap is a pause
TIMELESS_S = 0.02  # a word timed shorter than this was not spoken (see drop_timeless_runs)
TIMELESS_RUN = 3
STRETCHED_S = 2.0  # no word takes this long to say (see drop_stretched)
ACOUSTIC_PROB = 0.5  # the prob given to a hesitation found in the audio, not by Whisper
SECOND_OPINION_MODEL = "tiny.en"  # its um/uh are added to the main model's (see merge_fillers)
SECOND_TOLERANCE_S = 0.8
SECOND_PROGRESS_AT = 0.65  # share of a window's progress given to the main model when a second one runs
PIECE_SPEECH_S = 24.0  # speech per prompted call, under Whisper's 30-s window (see prompt_pieces)


class TranscriptionCancelled(Exception):
    pass


@dataclass
class Word:
    text: str
    start: float
    end: float
    prob: float
    source: str = "pass1"  # pass1 | filler-pass | acoustic (recordings/hesitation.py, stranded_articles)

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "start": round(self.start, 2),
            "end": round(self.end, 2),
            "prob": round(self.prob, 3),
        }


@dataclass
class Transcript:
    text: str
    words: list[Word]
    duration_s: float
    model: str
    elapsed_s: float
    no_speech: bool = False
    filler_pass: str = "off"  # off | merged | partial (pass 2 stopped early) | failed
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["words"] = [w.to_json() for w in self.words]
        data["duration_s"] = round(self.duration_s, 2)
        data["elapsed_s"] = round(self.elapsed_s, 2)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Transcript:
        words = [
            Word(w["text"], float(w["start"]), float(w["end"]), float(w.get("prob", 1.0)))
            for w in data.get("words", [])
        ]
        return cls(
            text=data.get("text", ""),
            words=words,
            duration_s=float(data.get("duration_s", 0.0)),
            model=data.get("model", ""),
            elapsed_s=float(data.get("elapsed_s", 0.0)),
            no_speech=bool(data.get("no_speech", False)),
            filler_pass=data.get("filler_pass", "off"),
            notes=list(data.get("notes", [])),
        )


def normalize(token: str) -> str:
    return re.sub(r"[^\w'%$.]+", "", token.lower()).strip(".'")


def is_vocal_filler(token: str) -> bool:
    return normalize(token) in VOCAL_FILLERS


# -- backends ------------------------------------------------------------------------------------------


def degenerate_segment(
    text: str, no_speech_prob: float, avg_logprob: float, words: list[Word], *, prompted: bool
) -> bool:
    """A decoded segment that is not what was said, to drop (the coverage check then re-transcribes a
    prompted one without the prompt):

    - Whisper's own "not speech" test (no_speech_prob > 0.6 and avg_logprob < -1.0), widened to a segment
      with a word it hardly believes (< 0.1): in hiss between sentences tiny.en writes "Thank you." with
      no_speech_prob 0.72-0.74, avg_logprob about -0.95 and "Thank" at 0.01 ("you" then follows at 0.98);
    - with the prompt, a run in capitals ("SORTON'S SURPRYINGINGLY, UNNERTEEN'S ..."): a known way
      Whisper's decoding degenerates, seen after the filler prompt on one voice of the benchmark."""
    if no_speech_prob > 0.6 and (avg_logprob < -1.0 or any(w.prob < 0.1 for w in words)):
        return True
    letters = [c for c in text if c.isalpha()]
    return prompted and len(letters) >= 12 and sum(c.isupper() for c in letters) > 0.8 * len(letters)


@dataclass
class _Segment:
    start: float
    end: float
    words: list[Word]


class _FasterWhisper:
    beam_size = 1  # greedy: see the module docstring

    def __init__(self, spec: ModelSpec, threads: int):
        from faster_whisper import WhisperModel

        def load(local_only: bool) -> Any:
            return WhisperModel(
                spec.path, device="cpu", compute_type="int8", cpu_threads=threads, local_files_only=local_only
            )

        try:
            try:
                self.model = load(True)  # a named model already in the Hugging Face cache needs no network
            except Exception:
                if not spec.download:
                    raise
                self.model = load(False)
        except Exception as exc:  # huggingface_hub / CTranslate2 raise many types; all mean "cannot load"
            if spec.download:
                raise ModelUnavailable(
                    f"model {spec.name} is not available offline; use tiny.en or base, or a folder"
                ) from exc
            raise ModelUnavailable(
                f"cannot load the model in {spec.path}: {str(exc).splitlines()[0][:160]}"
            ) from exc

    def segments(self, audio: np.ndarray, prompt: str | None, language: str) -> Iterator[_Segment]:
        segs, _info = self.model.transcribe(
            audio,
            language=language or None,
            beam_size=self.beam_size,
            word_timestamps=True,
            initial_prompt=prompt,
            condition_on_previous_text=False,
            vad_filter=True,
            vad_parameters=VAD_PARAMETERS,
        )
        for s in segs:
            words = [
                Word(w.word.strip(), float(w.start), float(w.end), float(w.probability))
                for w in s.words or []
            ]
            if degenerate_segment(s.text, s.no_speech_prob, s.avg_logprob, words, prompted=bool(prompt)):
                continue
            yield _Segment(float(s.start), float(s.end), [w for w in words if w.text])


class _OpenAIWhisper:
    """Adapter for openai-whisper `.pt` checkpoints (pip install 'prepdeck[openai-whisper]')."""

    def __init__(self, spec: ModelSpec, threads: int):
        try:
            import torch
            import whisper
        except ImportError as exc:
            raise ModelUnavailable(
                f"{spec.path} needs openai-whisper: pip install 'prepdeck[openai-whisper]'"
            ) from exc
        torch.set_num_threads(threads)
        try:
            self.model = whisper.load_model(spec.path, device="cpu")
        except Exception as exc:  # torch raises several types for a bad checkpoint
            raise ModelUnavailable(f"cannot load {spec.path}: {str(exc).splitlines()[0][:160]}") from exc

    def segments(self, audio: np.ndarray, prompt: str | None, language: str) -> Iterator[_Segment]:
        result = self.model.transcribe(
            audio,
            language=language or None,
            word_timestamps=True,
            initial_prompt=prompt,
            condition_on_previous_text=False,
            fp16=False,
        )
        for s in result.get("segments", []):
            words = [
                Word(w["word"].strip(), float(w["start"]), float(w["end"]), float(w.get("probability", 1.0)))
                for w in s.get("words", [])
            ]
            nsp, logprob = float(s.get("no_speech_prob", 0.0)), float(s.get("avg_logprob", 0.0))
            if degenerate_segment(s.get("text", ""), nsp, logprob, words, prompted=bool(prompt)):
                continue
            yield _Segment(float(s["start"]), float(s["end"]), [w for w in words if w.text])


def _load_backend(spec: ModelSpec, threads: int) -> _FasterWhisper | _OpenAIWhisper:
    return (_OpenAIWhisper if spec.backend == "openai-whisper" else _FasterWhisper)(spec, threads)


# -- windows -----------------------------------------------------------------------------------------


def _windows(blocks: Iterator[np.ndarray], window_s: float) -> Iterator[tuple[float, np.ndarray]]:
    """Regroup audio blocks into (offset_s, samples) windows cut at a quiet moment near `window_s`."""
    size, frame = int(window_s * SAMPLE_RATE), SAMPLE_RATE // 10
    search = int(min(CUT_SEARCH_S, window_s / 2) * SAMPLE_RATE)
    pending: list[np.ndarray] = []
    have, offset = 0, 0
    for block in blocks:
        pending.append(block)
        have += block.size
        while have >= size + search:
            buf = np.concatenate(pending)
            tail = buf[size - search : size]
            energy = np.square(tail[: tail.size // frame * frame].reshape(-1, frame)).mean(axis=1)
            cut = size - search + int(np.argmin(energy)) * frame + frame // 2
            yield offset / SAMPLE_RATE, buf[:cut]
            offset += cut
            pending, have = [buf[cut:]], buf.size - cut
    if have:
        yield offset / SAMPLE_RATE, np.concatenate(pending)


def merge_fillers(
    pass1: list[Word], pass2: list[Word], tolerance: float = MERGE_TOLERANCE_S
) -> tuple[list[Word], str]:
    """Add pass 2's um/uh to pass 1's words where pass 1 has none within `tolerance`; returns (words,
    "merged" | "partial").

    Used for the second model's prompted pass (SECOND_OPINION_MODEL): two models miss different
    hesitations (each writes some as a word: "on", "a"), and where both heard one they often place it a
    word apart ("Uh, we" / "we uh,"), hence SECOND_TOLERANCE_S, wider than MERGE_TOLERANCE_S (the
    two-pass design of one model measured in the module docstring)."""
    others1 = sum(1 for w in pass1 if not is_vocal_filler(w.text))
    others2 = sum(1 for w in pass2 if not is_vocal_filler(w.text))
    status = "merged"
    limit = float("inf")
    if others1 and others2 < TRUNCATION_RATIO * others1:
        status = "partial"  # pass 2 stopped early: trust its fillers only where it still transcribed
        limit = max((w.end for w in pass2 if not is_vocal_filler(w.text)), default=0.0)
    have = [(w.start + w.end) / 2 for w in pass1 if is_vocal_filler(w.text)]
    merged = [Word(w.text, w.start, w.end, w.prob, w.source) for w in pass1]
    for w in pass2:
        if not is_vocal_filler(w.text) or w.start > limit:
            continue
        mid = (w.start + w.end) / 2
        if any(abs(mid - m) <= tolerance for m in have):
            continue
        have.append(mid)
        for other in merged:  # pass 1 often stretched a neighbour over the filler it dropped: shrink it
            if other.start < w.end and w.start < other.end and not is_vocal_filler(other.text):
                if mid <= (other.start + other.end) / 2:
                    other.start = min(max(other.start, w.end), other.end)
                else:
                    other.end = max(min(other.end, w.start), other.start)
        merged.append(Word(w.text, w.start, w.end, w.prob, source="filler-pass"))
    merged.sort(key=lambda w: (w.start, w.end))
    return merged, status


def speech_chunks(window: np.ndarray) -> list[dict[str, int]]:
    """Silero VAD's speech chunks ({"start", "end"} in samples) with the transcriber's settings; [] when
    faster-whisper's VAD is not installed (openai-whisper alone): then nothing is cut or re-checked."""
    try:
        from faster_whisper.vad import VadOptions, get_speech_timestamps
    except ImportError:
        return []
    return list(get_speech_timestamps(window, VadOptions(**VAD_PARAMETERS)))


def uncovered_speech(
    window: np.ndarray,
    words: list[Word],
    min_s: float = UNCOVERED_MIN_S,
    chunks: list[dict[str, int]] | None = None,
) -> list[tuple[float, float]]:
    """Stretches of detected speech (seconds in `window`) of at least `min_s` with no word in them."""
    if chunks is None:
        chunks = speech_chunks(window)
    covered = sorted((w.start - COVER_PAD_S, w.end + COVER_PAD_S) for w in words)
    out: list[tuple[float, float]] = []
    for chunk in chunks:
        t, end = chunk["start"] / SAMPLE_RATE, chunk["end"] / SAMPLE_RATE
        for a, b in covered:
            if b <= t:
                continue
            if a >= end:
                break
            if a - t >= min_s:
                out.append((t, a))
            t = max(t, b)
        if end - t >= min_s:
            out.append((t, end))
    return out


def prompt_pieces(
    window: np.ndarray, max_speech_s: float = PIECE_SPEECH_S, chunks: list[dict[str, int]] | None = None
) -> list[tuple[int, int]]:
    """`window` cut (sample ranges) in the middle of silences between speech chunks, into pieces of at most
    `max_speech_s` of speech, so that one call's first 30-s window holds each piece and its prompt (see the
    module docstring). A single chunk longer than the limit stays whole: Whisper's own windows take over."""
    if window.size <= max_speech_s * SAMPLE_RATE:
        return [(0, window.size)]
    if chunks is None:
        chunks = speech_chunks(window)
    pieces: list[tuple[int, int]] = []
    start, speech = 0, 0
    for prev, chunk in pairwise(chunks):
        speech += prev["end"] - prev["start"]
        if speech + chunk["end"] - chunk["start"] > max_speech_s * SAMPLE_RATE:
            cut = (prev["end"] + chunk["start"]) // 2
            pieces.append((start, cut))
            start, speech = cut, 0
    pieces.append((start, window.size))
    return pieces


def drop_echoed_fillers(words: list[Word]) -> list[Word]:
    """Drop an um/uh that Whisper wrote twice: a second one starting less than ECHO_S after the first.

    A spoken "um, um" takes half a second or more (each filled pause lasts 200 ms at least); two written
    within ECHO_S of each other, nothing between them, are one hesitation that the decoder repeated
    (seen with the filler prompt: "um, um" at 1.56 s and 1.78 s over one 0.4-s um)."""
    out: list[Word] = []
    for w in words:
        last = out[-1] if out else None
        if last and is_vocal_filler(w.text) and is_vocal_filler(last.text) and w.start - last.start < ECHO_S:
            last.end = max(last.end, w.end)
            continue
        out.append(w)
    return out


def drop_timeless_runs(words: list[Word]) -> list[Word]:
    """Drop runs of TIMELESS_RUN or more words that take no time: words nobody spoke. Whisper sometimes ends
    a prompted piece with a phrase of its training data ("and we'll see you in the next one. Thanks for
    watching.", "For now, we're going to go ahead and see how it works."), every word of it timed at the
    same instant, the first at a probability near 0 (benchmarks/bench_natural.py, festival and piper
    voices). A spoken word lasts 0.1 s at least; um/uh, which Whisper times as instants, do not count."""
    out: list[Word] = []
    run: list[Word] = []
    for w in [*words, None]:
        if w is not None and w.end - w.start < TIMELESS_S and not is_vocal_filler(w.text):
            run.append(w)
            continue
        if len(run) < TIMELESS_RUN:
            out.extend(run)
        run = []
        if w is not None:
            out.append(w)
    return out


def drop_stretched(words: list[Word]) -> list[Word]:
    """Drop a word timed over more than STRETCHED_S: the decoder lost its place ("I added a" with "a" over
    the 3.3 s in which "the false positives went down by half" was said). The coverage check then finds
    that speech without a word and transcribes it again without the prompt."""
    return [w for w in words if w.end - w.start <= STRETCHED_S or is_vocal_filler(w.text)]


def add_hesitations(words: list[Word], window: np.ndarray, offset: float) -> list[Word]:
    """`words` plus the hesitations Whisper left out that the audio shows (recordings/hesitation.py), in
    time order. They carry prob ACOUSTIC_PROB: no decoder scored them."""
    extra = [
        Word(h.kind, h.start, h.end, ACOUSTIC_PROB, source="acoustic")
        for h in find_hesitations(window, words, offset)
    ]
    return sorted([*words, *extra], key=lambda w: (w.start, w.end)) if extra else words


def stranded_articles(words: list[Word]) -> list[Word]:
    """ "were a, doubling" -> "were uh, doubling": an article never ends a phrase, so a lower-case "a", "an" or
    "the" that Whisper wrote with a comma or a full stop after it is a hesitation it heard as a schwa (seen on
    festival's voices, whose "uh" is a 100-ms schwa). Capitals stay ("plan A, plan B")."""
    out: list[Word] = []
    for w in words:
        m = re.fullmatch(r"(a|an|the)([,.])", w.text)
        out.append(Word("uh" + m.group(2), w.start, w.end, w.prob, "acoustic") if m else w)
    return out


def join_hyphenated(words: list[Word]) -> list[Word]:
    """ "on-premise" stays one word: Whisper times a hyphenated word as "on" + "-premise" (or "on" + "-" +
    "premise"), which would read as two words and a dash. A piece starting with a hyphen, or the piece
    after a lone hyphen, joins the word before it when no pause lies between them. Numbers split the same
    way ("2" + ",000", seen with the filler prompt) are joined too, or "2,000 tables" would read as 2."""
    out: list[Word] = []
    for w in words:
        prev = out[-1] if out else None
        joins = (
            prev is not None
            and w.start - prev.end < HYPHEN_GAP_S
            and (
                (w.text.startswith("-") and not w.text.startswith("--") and prev.text[-1:].isalnum())
                or (prev.text.endswith("-") and prev.text[-2:-1].isalnum() and w.text[:1].isalnum())
                or (re.match(r"[,.]\d", w.text) is not None and prev.text[-1:].isdigit())
            )
        )
        if prev is not None and joins:
            prev.text += w.text
            prev.end = max(prev.end, w.end)
            prev.prob = min(prev.prob, w.prob)
            continue
        out.append(Word(w.text, w.start, w.end, w.prob, w.source))
    return out


def _shifted(report: Callable[[float], None], start: float, seg_end: float) -> None:
    report(start + seg_end)


def _scaled(report: Callable[[float], None], base: float, share: float, seg_end: float) -> None:
    report(base + share * seg_end)


def _ignore(_seg_end: float) -> None:
    pass


def _join_text(words: list[Word]) -> str:
    return " ".join(w.text for w in words).strip()


# -- the transcriber ---------------------------------------------------------------------------------


class Transcriber:
    """Loads the model once; `transcribe()` can then be called for many files (CLI, app, benchmark)."""

    def __init__(
        self,
        model_spec: str | ModelSpec | None = None,
        *,
        home: Path | None = None,
        filler_pass: bool = True,
        language: str = "en",
        threads: int = 2,
        window_s: float = WINDOW_S,
        second_opinion: str | ModelSpec | None = SECOND_OPINION_MODEL,
    ):
        self.spec = model_spec if isinstance(model_spec, ModelSpec) else resolve_model(model_spec, home)
        self.filler_pass = filler_pass
        self.language = language
        self.window_s = window_s
        self._backend = _load_backend(self.spec, threads)
        # a second model's um/uh (see merge_fillers); only with the prompt, and never the same model
        self._second: _FasterWhisper | _OpenAIWhisper | None = None
        if filler_pass and second_opinion is not None:
            second = (
                second_opinion
                if isinstance(second_opinion, ModelSpec)
                else resolve_model(second_opinion, home)
            )
            if second.path != self.spec.path:
                self._second = _load_backend(second, threads)
        if language and language != "en" and self.spec.name.endswith(".en"):
            raise ModelUnavailable(
                f'model {self.spec.name} only understands English; set speech.language = "en"'
            )

    @property
    def model_name(self) -> str:
        return self.spec.name

    def transcribe(
        self,
        audio: str | os.PathLike[str] | np.ndarray,
        *,
        progress: Callable[[float], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> Transcript:
        """Transcribe a file or a 16 kHz mono float32 array; raises AudioError on unreadable input."""
        started = time.perf_counter()
        if isinstance(audio, np.ndarray):
            samples = audio.astype(np.float32, copy=False).reshape(-1)
            duration = samples.size / SAMPLE_RATE
            blocks: Iterator[np.ndarray] = iter([samples])
        else:
            duration = audio_duration(audio)
            blocks = iter_audio(audio)
        words: list[Word] = []
        statuses: list[str] = []
        seen_audio = False
        for offset, window in _windows(blocks, self.window_s):
            seen_audio = True
            win_len = window.size / SAMPLE_RATE

            def report(seg_end: float, offset: float = offset, win_len: float = win_len) -> None:
                if progress and duration > 0:
                    progress(min(1.0, (offset + min(seg_end, win_len)) / duration))

            if not self.filler_pass:
                plain = drop_timeless_runs(self._run(window, None, offset, report, cancel))
                words.extend(drop_echoed_fillers(plain))
                continue
            chunks = speech_chunks(window)  # once per window: for the pieces and the coverage check
            pieces = prompt_pieces(window, chunks=chunks)
            # with a second model, the main one takes about two thirds of the time: the progress shown
            share = SECOND_PROGRESS_AT if self._second is not None else 1.0
            found = self._prompted(
                window, pieces, offset, functools.partial(_scaled, report, 0.0, share), cancel
            )
            found = drop_stretched(drop_timeless_runs(found))
            status = "merged"
            for a, b in uncovered_speech(
                window, [Word(w.text, w.start - offset, w.end - offset, w.prob) for w in found], chunks=chunks
            ):
                # the prompted pass stopped early or skipped a stretch: transcribe it again without the prompt
                lo, hi = max(0, int((a - 0.2) * SAMPLE_RATE)), int((b + 0.2) * SAMPLE_RATE)
                extra = drop_timeless_runs(
                    self._run(window[lo:hi], None, offset + lo / SAMPLE_RATE, _ignore, cancel)
                )
                found.extend(
                    w for w in extra if offset + a - 0.3 <= (w.start + w.end) / 2 <= offset + b + 0.3
                )
                status = "partial"
            found.sort(key=lambda w: (w.start, w.end))
            found = stranded_articles(found)
            if self._second is not None:
                rest = functools.partial(_scaled, report, share * win_len, 1.0 - share)
                other = self._prompted(window, pieces, offset, rest, cancel, self._second)
                other = stranded_articles(drop_stretched(drop_timeless_runs(other)))
                found, _status = merge_fillers(found, other, SECOND_TOLERANCE_S)
            found = add_hesitations(found, window, offset)
            statuses.append(status)
            words.extend(drop_echoed_fillers(found))
            report(win_len)
        if not seen_audio:
            raise AudioError(f"{audio}: contains no audio samples")
        filler_status = "off"
        if self.filler_pass:
            filler_status = "partial" if "partial" in statuses else ("merged" if statuses else "off")
        notes = []
        if filler_status == "partial":
            notes.append("the prompted pass skipped part of the audio; um/uh may be undercounted there")
        if progress:
            progress(1.0)
        return Transcript(
            text=_join_text(words),
            words=words,
            duration_s=duration,
            model=self.model_name,
            elapsed_s=time.perf_counter() - started,
            no_speech=not words,
            filler_pass=filler_status,
            notes=notes,
        )

    def _prompted(
        self,
        window: np.ndarray,
        pieces: list[tuple[int, int]],
        offset: float,
        report: Callable[[float], None],
        cancel: threading.Event | None,
        backend: _FasterWhisper | _OpenAIWhisper | None = None,
    ) -> list[Word]:
        found: list[Word] = []
        prompt = PROMPTS.get(self.spec.name, FILLER_PROMPT) if backend is None else FILLER_PROMPT
        for lo, hi in pieces:
            # each piece is decoded on its own so that the prompt reaches every ~30 s of speech
            start = lo / SAMPLE_RATE
            on_segment = functools.partial(_shifted, report, start)  # a piece's times start at 0
            found += self._run(window[lo:hi], prompt, offset + start, on_segment, cancel, backend)
        return found

    def _run(
        self,
        window: np.ndarray,
        prompt: str | None,
        offset: float,
        on_segment: Callable[[float], None],
        cancel: threading.Event | None,
        backend: _FasterWhisper | _OpenAIWhisper | None = None,
    ) -> list[Word]:
        out: list[Word] = []
        for seg in (backend or self._backend).segments(window, prompt, self.language):
            if cancel is not None and cancel.is_set():
                raise TranscriptionCancelled("transcription cancelled")
            for w in join_hyphenated(seg.words):
                out.append(Word(w.text, w.start + offset, w.end + offset, w.prob))
            on_segment(seg.end)
        if cancel is not None and cancel.is_set():
            raise TranscriptionCancelled("transcription cancelled")
        return out
