"""Offline transcription with word timings, tuned to keep what an interviewer hears: fillers and pauses.

How it works, and why (figures from `python -m benchmarks.bench_speech`, see benchmarks/RESULTS.md):

- faster-whisper on the CPU, int8, 2 threads, greedy decoding (`beam_size=1`): on this 2-core machine
  beam search costs about twice the time for no measurable gain on the filler and pace figures.
- Voice-activity detection (Silero VAD, `min_silence_duration_ms=500`, `speech_pad_ms=200`) is ON: it
  trims silence before Whisper sees it, and word timestamps are mapped back to the file's timeline.
  Without it Whisper stretches the word before a silence across most of it, and 1-2 s pauses shrink
  below the 1 s threshold (pause recall dropped sharply in the benchmark). It also keeps Whisper from
  inventing words in silence.
- Two passes. Whisper is trained on transcripts that leave out "um" and "uh", so pass 1 (no prompt)
  drops many of them; it gives the transcript, the pace and the pauses. Pass 2 runs with the short
  prompt "Um, uh, hmm, er, ah." that makes Whisper write hesitations; only its um/uh-type words are
  taken, and merged into pass 1's timeline by time (a pass-2 filler is added unless pass 1 already has
  a filler within 0.5 s of it). A prompted pass sometimes stops early: when pass 2 returns fewer than
  80 % of pass 1's other words, its fillers are used only up to where it stopped.
- Long files are transcribed in windows of about 4 minutes, cut at the quietest 100 ms near each
  window's end, so a 30-minute answer keeps memory bounded (~15 MB of samples at a time).

`openai-whisper` (the optional extra) is supported for `.pt` checkpoints through a small adapter.
"""

from __future__ import annotations

import os
import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from prepdeck.recordings.audio import SAMPLE_RATE, AudioError, audio_duration, iter_audio
from prepdeck.recordings.models import ModelSpec, ModelUnavailable, resolve_model

FILLER_PROMPT = "Um, uh, hmm, er, ah."
VOCAL_FILLERS = {"um", "umm", "uhm", "hmm", "hm", "mm", "mmm", "erm", "uh", "uhh", "er", "err", "ah", "eh"}
WINDOW_S = 240.0
CUT_SEARCH_S = 10.0
MERGE_TOLERANCE_S = 0.5
TRUNCATION_RATIO = 0.8
VAD_PARAMETERS = {"min_silence_duration_ms": 500, "speech_pad_ms": 200}


class TranscriptionCancelled(Exception):
    pass


@dataclass
class Word:
    text: str
    start: float
    end: float
    prob: float
    source: str = "pass1"  # pass1 | filler-pass

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "start": round(self.start, 2), "end": round(self.end, 2),
                "prob": round(self.prob, 3)}


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
        words = [Word(w["text"], float(w["start"]), float(w["end"]), float(w.get("prob", 1.0)))
                 for w in data.get("words", [])]
        return cls(text=data.get("text", ""), words=words, duration_s=float(data.get("duration_s", 0.0)),
                   model=data.get("model", ""), elapsed_s=float(data.get("elapsed_s", 0.0)),
                   no_speech=bool(data.get("no_speech", False)), filler_pass=data.get("filler_pass", "off"),
                   notes=list(data.get("notes", [])))


def normalize(token: str) -> str:
    return re.sub(r"[^\w'%$.]+", "", token.lower()).strip(".'")


def is_vocal_filler(token: str) -> bool:
    return normalize(token) in VOCAL_FILLERS


# -- backends ------------------------------------------------------------------------------------------

@dataclass
class _Segment:
    start: float
    end: float
    words: list[Word]


class _FasterWhisper:
    def __init__(self, spec: ModelSpec, threads: int):
        from faster_whisper import WhisperModel

        def load(local_only: bool) -> Any:
            return WhisperModel(spec.path, device="cpu", compute_type="int8", cpu_threads=threads,
                                local_files_only=local_only)

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
                    f"model {spec.name} is not available offline; use tiny.en or base, or a folder") from exc
            raise ModelUnavailable(f"cannot load the model in {spec.path}: {str(exc).splitlines()[0][:160]}") from exc

    def segments(self, audio: np.ndarray, prompt: str | None, language: str) -> Iterator[_Segment]:
        segs, _info = self.model.transcribe(
            audio, language=language or None, beam_size=1, word_timestamps=True, initial_prompt=prompt,
            condition_on_previous_text=False, vad_filter=True, vad_parameters=VAD_PARAMETERS,
        )
        for s in segs:
            if s.no_speech_prob > 0.6 and s.avg_logprob < -1.0:  # Whisper's own "this was not speech" test
                continue
            words = [Word(w.word.strip(), float(w.start), float(w.end), float(w.probability)) for w in s.words or []]
            yield _Segment(float(s.start), float(s.end), [w for w in words if w.text])


class _OpenAIWhisper:
    """Adapter for openai-whisper `.pt` checkpoints (pip install 'prepdeck[openai-whisper]')."""

    def __init__(self, spec: ModelSpec, threads: int):
        try:
            import torch
            import whisper
        except ImportError as exc:
            raise ModelUnavailable(
                f"{spec.path} needs openai-whisper: pip install 'prepdeck[openai-whisper]'") from exc
        torch.set_num_threads(threads)
        try:
            self.model = whisper.load_model(spec.path, device="cpu")
        except Exception as exc:  # torch raises several types for a bad checkpoint
            raise ModelUnavailable(f"cannot load {spec.path}: {str(exc).splitlines()[0][:160]}") from exc

    def segments(self, audio: np.ndarray, prompt: str | None, language: str) -> Iterator[_Segment]:
        result = self.model.transcribe(audio, language=language or None, word_timestamps=True,
                                       initial_prompt=prompt, condition_on_previous_text=False, fp16=False)
        for s in result.get("segments", []):
            words = [Word(w["word"].strip(), float(w["start"]), float(w["end"]), float(w.get("probability", 1.0)))
                     for w in s.get("words", [])]
            yield _Segment(float(s["start"]), float(s["end"]), [w for w in words if w.text])


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
            tail = buf[size - search:size]
            energy = np.square(tail[: tail.size // frame * frame].reshape(-1, frame)).mean(axis=1)
            cut = size - search + int(np.argmin(energy)) * frame + frame // 2
            yield offset / SAMPLE_RATE, buf[:cut]
            offset += cut
            pending, have = [buf[cut:]], buf.size - cut
    if have:
        yield offset / SAMPLE_RATE, np.concatenate(pending)


def merge_fillers(pass1: list[Word], pass2: list[Word]) -> tuple[list[Word], str]:
    """Add pass 2's um/uh to pass 1's words; returns (words, "merged" | "partial")."""
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
        if any(abs(mid - m) <= MERGE_TOLERANCE_S for m in have):
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


def _join_text(words: list[Word]) -> str:
    return " ".join(w.text for w in words).strip()


# -- the transcriber ---------------------------------------------------------------------------------

class Transcriber:
    """Loads the model once; `transcribe()` can then be called for many files (CLI, app, benchmark)."""

    def __init__(self, model_spec: str | ModelSpec | None = None, *, home: Path | None = None,
                 filler_pass: bool = True, language: str = "en", threads: int = 2, window_s: float = WINDOW_S):
        self.spec = model_spec if isinstance(model_spec, ModelSpec) else resolve_model(model_spec, home)
        self.filler_pass = filler_pass
        self.language = language
        self.window_s = window_s
        backend = _OpenAIWhisper if self.spec.backend == "openai-whisper" else _FasterWhisper
        self._backend = backend(self.spec, threads)
        if language and language != "en" and self.spec.name.endswith(".en"):
            raise ModelUnavailable(f"model {self.spec.name} only understands English; set speech.language = \"en\"")

    @property
    def model_name(self) -> str:
        return self.spec.name

    def transcribe(self, audio: str | os.PathLike[str] | np.ndarray, *,
                   progress: Callable[[float], None] | None = None,
                   cancel: threading.Event | None = None) -> Transcript:
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
        total_steps = 2 if self.filler_pass else 1
        seen_audio = False
        for offset, window in _windows(blocks, self.window_s):
            seen_audio = True
            win_len = window.size / SAMPLE_RATE

            def report(step: int, seg_end: float, offset: float = offset, win_len: float = win_len) -> None:
                if progress and duration > 0:
                    done = offset + (step + min(seg_end, win_len) / win_len) / total_steps * win_len
                    progress(min(1.0, done / duration))

            pass1 = self._run(window, None, offset, lambda end: report(0, end), cancel)
            if self.filler_pass and pass1:
                pass2 = self._run(window, FILLER_PROMPT, offset, lambda end: report(1, end), cancel)
                pass1, status = merge_fillers(pass1, pass2)
                statuses.append(status)
            words.extend(pass1)
            report(total_steps - 1, win_len)
        if not seen_audio:
            raise AudioError(f"{audio}: contains no audio samples")
        filler_status = "off"
        if self.filler_pass:
            filler_status = "partial" if "partial" in statuses else ("merged" if statuses else "off")
        notes = []
        if filler_status == "partial":
            notes.append("the filler pass stopped early on part of the audio; um/uh may be undercounted there")
        if progress:
            progress(1.0)
        return Transcript(text=_join_text(words), words=words, duration_s=duration, model=self.model_name,
                          elapsed_s=time.perf_counter() - started, no_speech=not words,
                          filler_pass=filler_status, notes=notes)

    def _run(self, window: np.ndarray, prompt: str | None, offset: float,
             on_segment: Callable[[float], None], cancel: threading.Event | None) -> list[Word]:
        out: list[Word] = []
        for seg in self._backend.segments(window, prompt, self.language):
            if cancel is not None and cancel.is_set():
                raise TranscriptionCancelled("transcription cancelled")
            for w in seg.words:
                out.append(Word(w.text, w.start + offset, w.end + offset, w.prob))
            on_segment(seg.end)
        if cancel is not None and cancel.is_set():
            raise TranscriptionCancelled("transcription cancelled")
        return out
