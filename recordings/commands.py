"""`prepdeck record` and `prepdeck transcribe` (docs/cli.md)."""

from __future__ import annotations

import argparse
import difflib
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from prepdeck.core.context import Context
from prepdeck.core.paths import read_capped
from prepdeck.decks.text import block, json_text, one_line
from prepdeck.recordings.analysis import analyze_text
from prepdeck.recordings.audio import AudioError, AudioUnavailable, audio_duration
from prepdeck.recordings.design import frame as design_frame
from prepdeck.recordings.service import (
    import_audio,
    recording_path,
    result_json,
    shared_transcriber,
    stored_path,
    structure_lines,
    text_summary,
    transcribe_recording,
)

if TYPE_CHECKING:
    from prepdeck.decks.model import DeckSet
    from prepdeck.recordings.transcribe import Transcriber


# the progress lines' own \r and erase-line codes go to the real stderr: sys.stderr shows controls visibly
_TERMINAL = sys.__stderr__
MAX_TEXT_BYTES = 1_000_000  # a written answer is a few KB; /dev/zero or a log file must not fill memory


def _fail(message: str) -> int:
    print(f"prepdeck: {message}", file=sys.stderr)
    return 2


def summary(result: dict[str, Any]) -> str:
    """A few human lines for one analysed answer."""
    head = f"{result['audio']}: {result['duration_s']:.1f} s, model {result['model']}, {result['elapsed_s']:.1f} s to analyse"
    if result.get("no_speech"):
        return f"{head}\n  no speech found"
    f = result["fillers"]
    types = ", ".join(f"{k} {v}" for k, v in f["by_type"].items())
    wpm = f"{result['wpm']:.0f} wpm" if result["wpm"] is not None else "pace n/a"
    lines = [
        head,
        f"  {wpm}; {f['count']} fillers ({f['per_minute']}/min{': ' + types if types else ''}); "
        f"{len(result['pauses'])} pause(s) of 1 s or more",
        f"  I {result['i_we']['i']}× / we {result['i_we']['we']}×; numbers: "
        + (", ".join(n["text"] for n in result["numbers"]) or "none"),
        *structure_lines(result),
    ]
    lines += [f"  ! {w}" for w in result["warnings"]]
    lines.append(f"  “{result['text']}”")
    return "\n".join(lines)


class _Progress:
    """`transcribing a.wav 42%` on stderr, only when stderr is a terminal."""

    def __init__(self, label: str):
        self.label = one_line(label, 60)
        self.tty = sys.stderr.isatty()
        self.last = -1

    def __call__(self, fraction: float) -> None:
        pct = int(fraction * 100)
        if self.tty and pct != self.last:
            self.last = pct
            print(f"\rtranscribing {self.label} {pct:3d}%", end="", file=_TERMINAL, flush=True)

    def done(self) -> None:
        if self.tty and self.last >= 0:
            print("\r\033[K", end="", file=_TERMINAL, flush=True)


def _load_transcriber(ctx: Context, model: str | None) -> Transcriber:
    speech = ctx.config.speech
    return shared_transcriber(model or speech.model, ctx.home, speech.filler_pass, speech.language)


def transcribe(args: argparse.Namespace) -> int:
    from prepdeck.recordings.models import ModelUnavailable

    ctx = Context.for_command(args)
    status, results = 0, []
    readable: list[str] = []
    for name in args.audio:
        try:
            audio_duration(name)
            readable.append(name)
        except AudioError as exc:
            status = _fail(str(exc))
    if readable:
        try:
            transcriber = _load_transcriber(ctx, args.model)
        except ModelUnavailable as exc:
            return _fail(str(exc))
    for name in readable:
        progress = _Progress(Path(name).name)
        try:
            transcript = transcriber.transcribe(name, progress=progress)
        except AudioError as exc:
            progress.done()
            status = _fail(str(exc))
            continue
        progress.done()
        results.append(result_json(name, transcript))
        if not args.json:
            print(block(summary(results[-1])))  # answer text: controls shown, never sent raw
    if args.json:
        print(json_text(results))
    return status


# -- record --------------------------------------------------------------------------------------------


def _record_from_microphone(path: Path, target: tuple[int, int]) -> float:
    from prepdeck.recordings.audio import Recorder

    recorder = Recorder(path)
    recorder.start()  # AudioUnavailable escapes to the caller before anything is written
    stop = threading.Event()
    tty = sys.stderr.isatty()

    def meter() -> None:
        while not stop.wait(0.2):
            if tty:
                level = max(0, min(20, int((recorder.level_dbfs + 60) / 3)))
                print(
                    f"\r● {recorder.elapsed_s:5.1f} s (target {target[0]}–{target[1]} s) "
                    f"[{'#' * level:<20}]  Enter stops",
                    end="",
                    file=_TERMINAL,
                    flush=True,
                )

    print(f"recording to {path}; press Enter to stop", file=sys.stderr)
    thread = threading.Thread(target=meter, daemon=True)
    thread.start()
    try:
        sys.stdin.readline()
    finally:
        stop.set()
        thread.join()
        recorder.stop()
        if tty:
            print("", file=sys.stderr)
    return recorder.elapsed_s


def record(args: argparse.Namespace) -> int:
    from prepdeck.recordings.models import ModelUnavailable
    from prepdeck.recordings.transcribe import TranscriptionCancelled

    ctx = Context.for_command(args)
    card = ctx.decks().find(args.card_id)
    if card is None:
        return _fail(_no_card(ctx.decks(), args.card_id))
    if not card.is_spoken:
        return _fail(f"{args.card_id} is a {card.type} card; record answers star and design cards")
    target = card.speaking_target()
    try:
        if args.from_file:
            dest, duration = import_audio(ctx.home, card.global_id, Path(args.from_file))
        else:
            dest = recording_path(ctx.home, card.global_id, ".wav")
            duration = _record_from_microphone(dest, target)
    except AudioUnavailable as exc:  # on the command line, "importing a file" is --from
        return _fail(str(exc).replace("importing a file still works", "--from AUDIO_FILE still works"))
    except AudioError as exc:
        return _fail(str(exc))
    except OSError as exc:
        return _fail(f"cannot save the recording: {exc.strerror or exc}")
    store = ctx.store()
    rec_id = store.add_recording(card.global_id, stored_path(ctx.home, dest), duration)
    try:
        transcriber = _load_transcriber(ctx, getattr(args, "model", None))
    except ModelUnavailable as exc:
        store.update_recording(rec_id, status="failed", error=str(exc))
        print(f"prepdeck: the audio is saved as {dest}", file=sys.stderr)
        return _fail(str(exc))
    try:
        progress = _Progress(dest.name)
        result = transcribe_recording(
            store,
            ctx.home,
            transcriber,
            dest,
            rec_id,
            target=target,
            kind=card.type,
            frame=design_frame(card),
            progress=progress,
        )
        progress.done()
    except (ModelUnavailable, AudioError, TranscriptionCancelled) as exc:
        print(f"prepdeck: the audio is saved as {dest}", file=sys.stderr)
        return _fail(str(exc))
    result["card"] = card.global_id
    if args.json:
        print(json_text([result]))
    else:
        print(f"{card.global_id}: {card.title}")
        print(block(summary(result)))
    ctx.close()
    return 0


# -- analyze -------------------------------------------------------------------------------------------


def _no_card(decks: DeckSet, card_id: str) -> str:
    """The one line for an unknown card: the spoken cards its id is close to, or how ids are written."""
    spoken = [c for c in decks.all_cards() if c.is_spoken]
    bare = [c.global_id for c in spoken if c.id == card_id]
    if len(bare) > 1:
        return f"{card_id} is in several decks: give one of {', '.join(bare)}"
    ids: dict[str, list[str]] = {}
    for c in spoken:
        ids.setdefault(c.id, []).append(c.global_id)
    near = difflib.get_close_matches(card_id.rpartition("/")[2], list(ids), n=3, cutoff=0.6)
    close = [g for m in near for g in ids[m]]
    hint = f"did you mean {', '.join(close)}?" if close else "ids are DECK/CARD, as in the deck files"
    return f"no card {card_id}: {hint}"


def analyze_command(args: argparse.Namespace) -> int:
    """`prepdeck analyze TEXT_FILE… [--card CARD_ID]`: a written answer analysed as a transcript."""
    kind, frame = "star", None
    if args.card:
        ctx = Context.create(getattr(args, "home", None), getattr(args, "deck_dirs", None))
        card = ctx.decks().find(args.card)
        if card is None:
            return _fail(_no_card(ctx.decks(), args.card))
        if not card.is_spoken:
            return _fail(f"{args.card} is a {card.type} card; analyze answers to star and design cards")
        kind, frame = card.type, design_frame(card)
    status, results = 0, []
    for name in args.files:
        try:
            text = read_capped(name, MAX_TEXT_BYTES).decode("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "not UTF-8 text"
            status = _fail(f"cannot read {name}: {reason}")
            continue
        if not text.strip():
            status = _fail(f"{name} is empty: write the answer in it as plain text")
            continue
        result = {"file": name, **analyze_text(text, kind, frame)}
        results.append(result)
        if not args.json:
            print(block(text_summary(result)))
    if args.json:
        print(json_text(results))
    return status
