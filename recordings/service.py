"""The recording pipeline the CLI (`record`, `transcribe`) and the review screen's spoken-answer view share:
where an answer's audio is saved, importing a file, one loaded transcriber per setting, and turning a
transcript into the stored `transcribe --json` object (docs/cli.md) for a story or a design answer."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from prepdeck.recordings import design as design_model
from prepdeck.recordings.analysis import analyze
from prepdeck.recordings.audio import audio_duration

if TYPE_CHECKING:
    from prepdeck.recordings.transcribe import Transcriber

_transcribers: dict[tuple[str, bool, str], Transcriber] = {}
_transcribers_lock = threading.Lock()


def shared_transcriber(model: str, home: Path, filler_pass: bool, language: str) -> Transcriber:
    """One loaded model per setting for the whole process: loading costs seconds, transcribing reuses it."""
    from prepdeck.recordings.transcribe import Transcriber

    key = (model, filler_pass, language)
    with _transcribers_lock:
        if key not in _transcribers:
            _transcribers[key] = Transcriber(model, home=home, filler_pass=filler_pass, language=language)
        return _transcribers[key]


def result_json(
    audio: str,
    transcript: Any,
    target: tuple[int, int] | None = None,
    kind: str = "star",
    frame: design_model.Frame | None = None,
) -> dict[str, Any]:
    """One `transcribe --json` object: the cli.md keys first, then the extra analysis keys. `kind`
    "design" analyses a design answer as one (recordings/design.py, in the card's `frame`), never for STAR
    beats."""
    started = time.perf_counter()
    analysis = analyze(transcript.words, transcript.duration_s, target, kind=kind, frame=frame)
    elapsed = transcript.elapsed_s + (time.perf_counter() - started)
    out: dict[str, Any] = {
        "audio": audio,
        "duration_s": round(transcript.duration_s, 2),
        "model": transcript.model,
        "elapsed_s": round(elapsed, 2),
        "text": analysis.pop("text"),
    }
    out.update(analysis)
    out["no_speech"] = transcript.no_speech
    out["filler_pass"] = transcript.filler_pass
    if transcript.notes:
        # the transcriber's own notes (not a delivery problem): kept apart so a screen can show them once
        out["transcriber_notes"] = list(transcript.notes)
        out["warnings"] = [*out["warnings"], *transcript.notes]
    return out


def recording_path(home: Path, card_global_id: str, suffix: str, now: dt.datetime | None = None) -> Path:
    from prepdeck.core.paths import recordings_dir

    now = now or dt.datetime.now()
    safe = card_global_id.replace("/", "__")
    folder = recordings_dir(home)
    folder.mkdir(parents=True, exist_ok=True)
    base = folder / f"{now:%Y%m%d-%H%M%S}-{safe}"
    path, n = base.with_suffix(suffix), 1
    while path.exists():
        path, n = folder / f"{base.name}-{n}{suffix}", n + 1
    return path


def stored_path(home: Path, path: Path) -> str:
    """Paths inside $PREPDECK_HOME are stored relative to it, so the data folder can move."""
    try:
        return str(path.resolve().relative_to(home.resolve()))
    except ValueError:
        return str(path)


def import_audio(home: Path, card_global_id: str, src: Path) -> tuple[Path, float]:
    """Copy an audio file in as the card's answer: (its path under $PREPDECK_HOME, its length in seconds).
    Raises AudioError for a file that is not audio, OSError when it cannot be copied."""
    seconds = audio_duration(src)
    dest = recording_path(home, card_global_id, src.suffix.lower() or ".audio")
    partial = dest.with_name(f".{dest.name}.partial")
    try:  # copied under another name first: a crash half-way never leaves a cut answer under the real one
        shutil.copyfile(src, partial)
        os.replace(partial, dest)
    finally:
        partial.unlink(missing_ok=True)
    return dest, seconds


def transcribe_recording(
    store: Any,
    home: Path,
    transcriber: Transcriber,
    path: Path,
    recording_id: int | None,
    *,
    target: tuple[int, int] | None,
    kind: str,
    frame: design_model.Frame | None = None,
    cancel: threading.Event | None = None,
    progress: Any = None,
) -> dict[str, Any]:
    """Transcribe and analyse a saved answer and store the result on its `recordings` row; on any failure the
    row is marked failed (never left at 'saved' as if still to come) and the error propagates."""
    try:
        transcript = transcriber.transcribe(path, cancel=cancel, progress=progress)
        result = result_json(stored_path(home, path), transcript, target, kind=kind, frame=frame)
    except Exception as exc:
        if recording_id is not None:
            store.update_recording(recording_id, status="failed", error=str(exc) or type(exc).__name__)
        raise
    if recording_id is not None:
        result["recording_id"] = recording_id
        store.update_recording(
            recording_id,
            model=transcript.model,
            status="transcribed",
            duration_s=transcript.duration_s,
            transcript=transcript.to_json(),
            analysis=result,
        )
    return result


# -- what a person reads ------------------------------------------------------------------------------


def structure_lines(result: dict[str, Any]) -> list[str]:
    """The answer's structure, one line per sentence: its STAR beat, or its part of a design answer."""
    if "design" in result:
        parts = result["design"]["sentences"]
        shown = design_model.SHOWN  # "trade-offs" for people, the JSON's key stays "tradeoffs"
        noun = "model" if result["design"].get("structure") == "model" else "design"
        head = f"  {noun}: " + (
            " → ".join(shown.get(p, p) for p in result["design"]["order"]) or "no parts heard"
        )
        return [head, *(f"    [{shown.get(s['part'], s['part'] or '–')}] {s['text']}" for s in parts)]
    star = result["star"]
    timed = all("seconds" in star["beats"][b] for b in star["order"])
    order = " → ".join(f"{b} {star['beats'][b]['seconds']:.0f}s" if timed else b for b in star["order"])
    head = "  STAR: " + (order or "no beats heard")
    return [head, *(f"    [{s['beat'] or '–'}] {s['text']}" for s in star["sentences"])]


def text_summary(result: dict[str, Any]) -> str:
    """A few human lines for one analysed written answer."""
    f = result["fillers"]
    types = ", ".join(f"{k} {v}" for k, v in f["by_type"].items())
    lines = [
        f"{result['file']}: {len(result['words'])} words; {f['count']} fillers{': ' + types if types else ''}; "
        f"I {result['i_we']['i']}× / we {result['i_we']['we']}×",
        *structure_lines(result),
    ]
    if "quantified_result" in result:
        lines.append(f"  result quantified: {'yes' if result['quantified_result'] else 'no'}")
    lines += [f"  ! {w}" for w in result["warnings"]]
    return "\n".join(lines)
