"""Spoken answers on the review screen (`star` cards, and `design` cards answered aloud).

The question, the user's notes (saved as they type), then: `r` records (level meter, elapsed
time against the card's target), `i` imports a file, `c` cancels a transcription, `p` plays the last
answer back. The audio is saved and its `recordings` row written before transcription starts, in a
worker (recordings/service.py, the pipeline the CLI uses too); then the transcript (fillers highlighted,
pauses marked), one line per check of the delivery and the structure, each problem said once (a design
answer gets design checks, never STAR ones), the trend over the card's last attempts (speech_result.py),
and the round's rubric with automatic evidence beside each line and a field for the user's own score,
which suggests the rating: the /50 behavioral rubric for STAR stories, the /100 system-design rubric for
design cards. A design card keeps its capacity numbers and, once revealed, its model answer and checklist;
the design rubric's automatic points come from those ticks and numbers and the delivery. The points come
from scoring/ (`score_round`), the entry point the mock and the weekly report use too, so an answer gets
the same points everywhere. Self-scores are stored as `{"lines": {line key: points}, ...}`.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.markup import escape
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.validation import Integer
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label, ProgressBar, Static

from prepdeck.recordings.design import frame as design_frame
from prepdeck.scoring.card import Scorecard, score_round, suggested_rating
from prepdeck.scoring.evidence import DesignAnswer, SpokenAnswer, answer_evidence
from prepdeck.scoring.rubrics import RUBRICS, Rubric
from prepdeck.tui.bindings import bindings_for, key_here, key_hint
from prepdeck.tui.components.card_view import CardView
from prepdeck.tui.components.deck_markdown import DeckMarkdown
from prepdeck.tui.components.design_view import DesignSheet, design_answer
from prepdeck.tui.components.fields import TextField, focus_now
from prepdeck.tui.components.speech_result import metrics_text, transcript_text, trend_text
from prepdeck.tui.messages import NotesReplaced
from prepdeck.tui.workers import background

if TYPE_CHECKING:
    from prepdeck.core.store import Store
    from prepdeck.decks.model import Card

NOTE_FIELDS = ("situation", "task", "action", "result", "numbers")
DESIGN_NOTE_FIELDS = ("requirements", "architecture", "capacity", "failures", "trade-offs")


def rubric_for(card: Card) -> Rubric:
    """Design cards are scored on the system-design rubric, stories on the behavioral one."""
    return RUBRICS["design"] if card.type == "design" else RUBRICS["behavioral"]


def note_fields(card: Card) -> tuple[str, ...]:
    return DESIGN_NOTE_FIELDS if card.type == "design" else NOTE_FIELDS


class SpokenCardView(CardView):
    CARD_TYPES = ("star", "design")
    can_focus = True
    DEFAULT_CSS = """
    SpokenCardView Vertical { height: auto; }
    SpokenCardView .note-row, SpokenCardView .rubric-row { height: auto; }
    SpokenCardView .note-label { width: 14; padding: 0 1 0 0; }
    SpokenCardView .note-input, SpokenCardView .rubric-input {
        border: none; height: 1; padding: 0 1; background: $boost;
    }
    /* one-row fields: Input's own focus / invalid border would cover the text, so colour them instead */
    SpokenCardView .note-input:focus, SpokenCardView .rubric-input:focus {
        border: none; background: $accent 30%;
    }
    SpokenCardView .rubric-input.-invalid { border: none; background: $error 30%; }
    SpokenCardView .rubric-input.-invalid:focus { border: none; background: $error 45%; }
    SpokenCardView .note-input { width: 1fr; }
    SpokenCardView #notes { margin-bottom: 1; }
    SpokenCardView .rubric-label { width: 30; padding: 0 1 0 0; }
    SpokenCardView .rubric-input { width: 8; }
    SpokenCardView .rubric-evidence { width: 1fr; padding: 0 0 0 1; }
    SpokenCardView #speech-status { height: auto; }
    """
    # ids record, import_audio, cancel_transcription, play: remappable under [keys], on the help screen
    BINDINGS: ClassVar[list[BindingType]] = bindings_for("speech")

    def __init__(self, card: Any, context: Any, **kwargs: Any) -> None:
        super().__init__(card, context, **kwargs)
        self.recorder: Any = None
        self.player: Any = None
        self.recording_id: int | None = None
        self.recording_path: Path | None = None
        self.result: dict[str, Any] | None = None
        self.scorecard: Scorecard | None = None
        self._cancel = threading.Event()
        self._note_timer: Any = None
        self._note_values: dict[str, str] = {}
        self._story: str | None = None  # the story bank's story these notes came from, if any
        self._story_armed = False  # where nothing undoes y (a mock), y once on typed notes warns first
        self._score_values: dict[str, str] = {}
        self.rubric = rubric_for(card)
        self.fields = note_fields(card)
        # after the last number, back on the view: its keys record, and 1–4 rate
        self.sheet = (
            DesignSheet(self, card, after_last=lambda: focus_now(self)) if card.type == "design" else None
        )

    # -- layout ------------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        card = self.card
        lo, hi = card.speaking_target()
        yield self.card_header()
        yield DeckMarkdown(card.prompt, classes="prompt")
        notes = self._notes()
        self._note_values = {name: str(notes.get(name, "")) for name in self.fields}
        self._story = notes.get("story")  # the story bank's story these notes came from, if any
        what = "design" if self.sheet is not None else "story"
        with Vertical(id="notes", classes="speech-section"):
            leave = escape(key_here(self, "leave"))
            yield Label(f"[b]Your {what} notes[/b] [dim](saved as you type; {leave} leaves a field)[/dim]")
            for name in self.fields:
                with Horizontal(classes="note-row"):
                    yield Label(name.capitalize(), classes="note-label")
                    yield TextField(
                        str(notes.get(name, "")),
                        placeholder=f"{name}…",
                        id=f"note-{name}",
                        classes="note-input",
                    )
            yield Static("", id="notes-analysis", classes="hidden")
        if self.sheet is not None:
            yield from self.sheet.compose_numbers()

        def k(action_id: str) -> str:
            return escape(self._key(action_id))

        yield Static(
            f"[dim]Target {lo}–{hi} s. {k('record')}: record / stop · {k('import_audio')}: import a file"
            f" · {k('play')}: play · {k('cancel_transcription')}: cancel"
            f" · {k('analyze_notes')}: analyse the notes"
            # a star card's y is nowhere else in sight (not in the footer): the story bank is found here; not in
            # a mock, whose keys go to the screen once out of a field (y reaches the card only if clicked)
            + (f" · {k('use_story')}: answer from a story" if self.sheet is None and self._undoable() else "")
            + "[/dim]",
            id="speech-help",
        )
        yield Static("", id="speech-status")
        yield Input(
            placeholder="path to an audio file (wav, flac, mp3, m4a, ogg), Enter imports",
            id="import-path",
            classes="hidden",
        )
        yield ProgressBar(total=100, show_eta=False, id="speech-progress", classes="hidden")
        if self.sheet is not None:
            with Vertical(id="revealed", classes="hidden"):
                if card.answer:
                    yield DeckMarkdown(card.answer, classes="answer")
                yield from self.sheet.compose_checklist()
        rubric = self.rubric
        with Vertical(id="speech-result", classes="hidden"):
            yield Static("", id="transcript")
            yield Static("", id="metrics")
            yield Static("", id="trend")
            yield Label(
                f"[b]{rubric.title} rubric /{rubric.max_score}[/b] [dim](pass {rubric.pass_score}; "
                f"automatic evidence; type your own score per line)[/dim]",
                id="rubric-title",
            )
            for line in rubric.lines:
                with Horizontal(classes="rubric-row"):
                    yield Label(f"{escape(line.label)} /{line.points}", classes="rubric-label")
                    yield TextField(
                        placeholder=f"0–{line.points}",
                        id=f"score-{line.key}",
                        classes="rubric-input",
                        type="integer",
                        # blank keeps the automatic points; out of range is flagged (it is clamped)
                        validators=[Integer(minimum=0, maximum=line.points)],
                        valid_empty=True,
                    )
                    yield Static("", id=f"evidence-{line.key}", classes="rubric-evidence")
            yield Static("", id="rubric-total")

    def on_mount(self) -> None:
        self._show_trend()

    def _key(self, action_id: str) -> str:
        """The key the user has for `action_id` now (config.toml [keys] may remap it)."""
        try:
            return key_hint(self.app, action_id)
        except Exception:  # no app yet: the default key
            return key_hint(None, action_id)

    def _undoable(self) -> bool:
        """Hosted by the review, whose `u` undoes `y` (a mock has no undo)."""
        try:
            return hasattr(self.screen, "action_undo")
        except Exception:  # not on a screen yet
            return False

    def _status(self, message: str) -> None:
        status = self.query_one("#speech-status", Static)
        status.update(escape(message))
        if message:  # the answer to a key the user just pressed: bring it into sight on a scrolled card
            self.call_after_refresh(self.scroll_to_widget, status, animate=False)

    # -- notes ---------------------------------------------------------------------------------------
    def _notes(self) -> dict[str, Any]:
        try:
            return self.context.store().get_note(self.card.global_id)
        except Exception:  # a locked or broken database must not stop the card from showing
            return {}

    @on(Input.Changed, ".note-input")
    def _note_changed(self, event: Input.Changed) -> None:
        if event.input.id:
            self._note_values[event.input.id.removeprefix("note-")] = event.value
        self._story_armed = False
        if self._note_timer is not None:
            self._note_timer.stop()
        self._note_timer = self.set_timer(0.6, self.save_notes)

    def save_notes(self) -> None:
        """Kept in memory as typed, so saving works even while the view is being torn down."""
        if self._note_timer is not None:
            self._note_timer.stop()
            self._note_timer = None
        body: dict[str, Any] = {name: self._note_values.get(name, "") for name in self.fields}
        if self._story:
            body["story"] = self._story
        try:
            self.context.store().put_note(self.card.global_id, body)
        except Exception as exc:  # keep the text on screen; say why it was not saved
            self._status(f"notes not saved: {exc}")

    def action_use_story(self) -> None:
        """Answer this star card from a story of the bank: its fields fill the notes (which remember it)."""
        from prepdeck.core.stories import list_stories
        from prepdeck.tui.screens.stories import StoryPicker

        if self.sheet is not None:
            self._status("a design card is answered from your own design, not a story")
            return
        stories = list_stories(self.context.store())
        if not stories:
            self.app.notify("Your story bank is empty: s on the home screen adds stories.", timeout=5)
            return
        typed = any(self._note_values.get(name, "").strip() for name in self.fields)
        if typed and not self._undoable() and not self._story_armed:
            self._story_armed = True
            self._status(f"{self._key('use_story')} again replaces the notes you typed with a story's")
            return
        self._story_armed = False
        self.app.push_screen(StoryPicker(stories, self.card.competency), self._story_chosen)

    def _story_chosen(self, story: Any) -> None:
        if story is None:
            return
        before: dict[str, Any] = {name: self._note_values.get(name, "") for name in self.fields}
        if self._story:
            before["story"] = self._story
        self.restore_notes({**{name: story.body.get(name, "") for name in self.fields}, "story": story.uid})
        self.post_message(NotesReplaced(self.card.global_id, before, story.title))
        # what was typed here is not lost: the review's undo puts it back (a mock has no undo)
        typed = any(str(before[name]).strip() for name in self.fields)
        back = f" {self._key('undo')} puts your own notes back." if typed and self._undoable() else ""
        self.app.notify(f"Notes from the story “{story.title}”.{back}", timeout=5, markup=False)

    def restore_notes(self, body: dict[str, Any]) -> None:
        """Show and save these notes (a story's fields, or the notes an undo puts back)."""
        for name in self.fields:
            value = str(body.get(name, ""))
            self._note_values[name] = value
            self.query_one(f"#note-{name}", Input).value = value
        self._story = body.get("story") or None
        self.save_notes()

    def _kind(self) -> str:
        return "design" if self.card.type == "design" else "star"

    def action_analyze_notes(self) -> None:
        """The notes read as `prepdeck analyze` reads a written answer: each line's beat (or design part),
        what is missing, whether the result has a number."""
        from prepdeck.recordings.analysis import analyze_text
        from prepdeck.recordings.service import text_summary

        text = "\n".join(v.strip() for name in self.fields if (v := self._note_values.get(name, "")).strip())
        box = self.query_one("#notes-analysis", Static)
        box.remove_class("hidden")
        if not text:
            box.update(Text("nothing written yet: type your notes, then analyse them"))
            return
        result = {"file": "notes", **analyze_text(text, self._kind(), design_frame(self.card))}
        box.update(Text(text_summary(result).split("\n", 1)[1]))  # line 1 counts words: not worth the space

    def on_unmount(self) -> None:
        if self._note_timer is not None:
            self.save_notes()
        if self.recorder is not None and self.recorder.recording:
            self._stop_recording()
        self._cancel.set()

    # -- recording and import ----------------------------------------------------------------------
    def action_toggle_record(self) -> None:
        if self.recorder is not None and self.recorder.recording:
            self._stop_recording()
            return
        from prepdeck.recordings.audio import AudioUnavailable, Recorder
        from prepdeck.recordings.service import recording_path

        path = recording_path(self.context.home, self.card.global_id, ".wav")
        lo, hi = self.card.speaking_target()

        def level(db: float) -> None:
            self.app.call_from_thread(self._meter, db, None, lo, hi)

        def elapsed(s: float) -> None:
            self.app.call_from_thread(self._meter, None, s, lo, hi)

        recorder = Recorder(path, on_level=level, on_elapsed=elapsed)
        try:
            recorder.start()
        except AudioUnavailable as exc:
            self._status(str(exc))
            return
        self.recorder = recorder
        self._level, self._elapsed = -90.0, 0.0
        self._status(f"● recording… {self._key('record')} stops")

    def _meter(self, db: float | None, seconds: float | None, lo: int, hi: int) -> None:
        if db is not None:
            self._level = db
        if seconds is not None:
            self._elapsed = seconds
        bars = max(0, min(20, int((self._level + 60) / 3)))
        over = " [b red]over target[/]" if self._elapsed > hi else ""
        self.query_one("#speech-status", Static).update(
            f"[red]●[/] {self._elapsed:5.1f} s / {lo}–{hi} s  [green]{'█' * bars}[/]{'·' * (20 - bars)}{over}  {escape(self._key('record'))} stops"
        )

    def _stop_recording(self) -> None:
        from prepdeck.recordings.audio import AudioError

        recorder, self.recorder = self.recorder, None
        try:
            path = recorder.stop()
        except AudioError as exc:
            self._status(str(exc))
            path = recorder.path
        self._start_transcription(path, recorder.elapsed_s)

    def action_import_file(self) -> None:
        box = self.query_one("#import-path", Input)
        box.remove_class("hidden")
        box.focus(scroll_visible=False)
        # scroll once the field has a place on screen (at 80x24 it opens below the fold)
        self.call_after_refresh(box.scroll_visible, animate=False)

    @on(Input.Submitted, "#import-path")
    def _import_submitted(self, event: Input.Submitted) -> None:
        from prepdeck.recordings.audio import AudioError
        from prepdeck.recordings.service import import_audio

        src = Path(event.value.strip().strip("'\"")).expanduser()
        try:
            dest, seconds = import_audio(self.context.home, self.card.global_id, src)
        except AudioError as exc:
            self._status(str(exc))
            return
        except OSError as exc:
            self._status(f"cannot import {src}: {exc.strerror or exc}")
            return
        event.input.add_class("hidden")
        self.focus()
        self._start_transcription(dest, seconds)

    def _start_transcription(self, path: Path, seconds: float) -> None:
        from prepdeck.recordings.service import stored_path

        self.recording_path = path
        try:
            self.recording_id = self.context.store().add_recording(
                self.card.global_id, stored_path(self.context.home, path), seconds
            )
        except Exception as exc:  # the audio is on disk either way; say so
            self._status(f"saved {path}, but not in the database: {exc}")
            self.recording_id = None
        self._cancel = threading.Event()
        bar = self.query_one("#speech-progress", ProgressBar)
        bar.update(progress=0)
        bar.remove_class("hidden")
        self._status(f"transcribing {path.name}… {self._key('cancel_transcription')} cancels")
        self._transcribe(path, self.recording_id, self._cancel)

    @background("Transcribing", group="speech")
    def _transcribe(self, path: Path, recording_id: int | None, cancel: threading.Event) -> None:
        from prepdeck.recordings.audio import AudioError
        from prepdeck.recordings.models import ModelUnavailable
        from prepdeck.recordings.service import shared_transcriber, transcribe_recording
        from prepdeck.recordings.transcribe import TranscriptionCancelled

        speech = self.context.config.speech
        store = self.context.store()
        try:
            transcriber = shared_transcriber(
                speech.model, self.context.home, speech.filler_pass, speech.language
            )
            result = transcribe_recording(
                store,
                self.context.home,
                transcriber,
                path,
                recording_id,
                target=self.card.speaking_target(),
                kind=self._kind(),
                frame=design_frame(self.card),
                cancel=cancel,
                progress=lambda f: self.app.call_from_thread(self._progress, f),
            )
        except ModelUnavailable as exc:  # the model failed to load: the row is not marked yet
            if recording_id is not None:
                store.update_recording(recording_id, status="failed", error=str(exc))
            self.app.call_from_thread(self._failed, f"{exc}; the audio is kept in {path}")
            return
        except (AudioError, TranscriptionCancelled) as exc:
            self.app.call_from_thread(self._failed, f"{exc}; the audio is kept in {path}")
            return
        self.app.call_from_thread(self._show_result, result)

    def _progress(self, fraction: float) -> None:
        self.query_one("#speech-progress", ProgressBar).update(progress=round(fraction * 100))

    def _failed(self, message: str) -> None:
        self.query_one("#speech-progress", ProgressBar).add_class("hidden")
        self._status(message)

    def action_cancel(self) -> None:
        self._cancel.set()

    def action_play(self) -> None:
        from prepdeck.recordings.audio import AudioError, AudioUnavailable, Player

        if self.recording_path is None:
            self._status("nothing recorded yet")
            return
        try:
            if self.player is not None:
                self.player.stop()
            self.player = Player(self.recording_path)
            self.player.play()
            self._status(f"▶ playing {self.recording_path.name} ({self._key('play')} plays again)")
        except (AudioUnavailable, AudioError) as exc:
            self._status(str(exc))

    # -- results ---------------------------------------------------------------------------------------
    def _show_result(self, result: dict[str, Any]) -> None:
        self.result = result
        self.query_one("#speech-progress", ProgressBar).add_class("hidden")
        self.query_one("#speech-result").remove_class("hidden")
        if result.get("no_speech"):
            self._status("no speech found in the recording")
        else:
            self._status(f"transcribed with {result['model']} in {result['elapsed_s']:.1f} s")
        self.query_one("#transcript", Static).update(transcript_text(result))
        self.query_one("#metrics", Static).update(metrics_text(result, self.card.type))
        self._show_auto()
        self._show_trend()
        self.reveal()

    def evidence(self) -> SpokenAnswer | DesignAnswer:
        """This answer: its analysis (None until transcribed); a design card's ticks and numbers with it."""
        card = self.card
        spoken = SpokenAnswer(card.global_id, self.result, self.recording_id, card.speaking_target())
        if self.sheet is None:
            return spoken
        return design_answer(card, self.sheet, self.revealed, spoken)

    def _score(self) -> Scorecard:
        return score_round(
            self.rubric.round, answer_evidence(self.rubric.round, self.evidence()), self.self_scores()
        )

    def _show_auto(self) -> None:
        """The automatic points and their evidence beside each rubric line, and the total."""
        self.scorecard = self._score()
        for line in self.scorecard.lines:
            text = (
                f"{line.evidence}: score it yourself"
                if line.auto is None
                else f"auto {line.auto:g}: {line.evidence}"
            )
            self.query_one(f"#evidence-{line.key}", Static).update(Text(text, style="dim"))
        self._update_total()

    def _show_trend(self) -> None:
        try:
            rows = [
                r
                for r in self.context.store().recordings_for(self.card.global_id)
                if r["status"] == "transcribed"
            ]
        except Exception:
            return
        if not rows:
            return
        self.query_one("#trend", Static).update(trend_text(rows))
        self.query_one("#speech-result").remove_class("hidden")

    @on(Input.Changed, ".rubric-input")
    def _score_changed(self, event: Input.Changed) -> None:
        if event.input.id:
            self._score_values[event.input.id.removeprefix("score-")] = event.value
        self._update_total()

    def self_scores(self) -> dict[str, int | None]:
        scores: dict[str, int | None] = {}
        for line in self.rubric.lines:
            raw = self._score_values.get(line.key, "").strip()
            try:
                scores[line.key] = max(0, min(line.points, int(raw))) if raw else None
            except ValueError:
                scores[line.key] = None
        return scores

    def _total(self) -> tuple[float, bool]:
        """(total, every line scored by the user): blank lines count their automatic points."""
        scores = self.self_scores()
        return self._score().total, all(v is not None for v in scores.values())

    def _update_total(self) -> None:
        total, complete = self._total()
        rating = suggested_rating(total, self.rubric)
        names = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}
        note = "" if complete else " [dim](blank lines use the automatic points)[/dim]"
        verdict = "pass" if total >= self.rubric.pass_score else "below pass"
        self.query_one("#rubric-total", Static).update(
            f"[b]{total:g}/{self.rubric.max_score}[/b] ({verdict} {self.rubric.pass_score}) → suggests "
            f"[b]{names[rating]}[/b] ({rating}){note}"
        )
        if self.result is not None:
            self.suggest(rating)

    # -- the CardView contract ---------------------------------------------------------------------------
    def suggested_rating(self) -> int | None:
        if self.result is None:
            # a design card revealed without a recording: its checklist and numbers suggest, as on paper
            if self.sheet is not None and self.revealed:
                from prepdeck.core.selfcheck import suggested_rating as from_coverage

                return from_coverage(self.sheet.coverage())
            return None
        return suggested_rating(self._total()[0], self.rubric)

    def _self_score_payload(self) -> dict[str, Any]:
        """The user's points per rubric line (blank lines left out), with the automatic points beside."""
        total, complete = self._total()
        given = {k: v for k, v in self.self_scores().items() if v is not None}
        return {
            "round": self.rubric.round,
            "lines": given,
            "auto": {ln.key: ln.auto for ln in self.scorecard.lines} if self.scorecard else {},
            "total": total,
            "complete": complete,
            "max": self.rubric.max_score,
        }

    def review_payload(self) -> dict[str, Any] | None:
        sheet = None if self.sheet is None or self.sheet.empty else {"self_check": self.sheet.payload()}
        if self.result is None:
            return sheet
        r = self.result
        speech = {
            "wpm": r["wpm"],
            "fillers_per_minute": r["fillers"]["per_minute"],
            "fillers": r["fillers"]["count"],
            "pauses": len(r["pauses"]),
            "duration_s": r["duration_s"],
        }
        if self.sheet is None:
            speech["star_missing"] = r["star"]["missing"]
        return {
            "recording_id": self.recording_id,
            "self_score": self._self_score_payload(),
            "speech": speech,
            **(sheet or {}),
        }

    def commit_evidence(self, store: Store) -> None:
        if self.recording_id is not None and self.result is not None:
            store.update_recording(self.recording_id, self_score=self._self_score_payload())
        if self.sheet is not None:
            self.sheet.commit(store)

    def tab_start(self) -> Widget | None:
        return self.sheet.first_point() if self.sheet is not None and self.revealed else None

    def focus_editor(self) -> bool:
        focus_now(self.query_one(f"#note-{self.fields[0]}", Input))
        return True

    # -- design cards: the model answer, the checklist and the numbers ---------------------------------
    def reveal(self) -> None:
        self._reveal()

    def keep_revealed(self) -> None:
        """Revealed as the written view it replaces was (`r` after Space): the answer and checklist stay
        shown, and the record controls, not the answer, are brought into sight."""
        self._reveal(scroll_to="#speech-help")

    def _reveal(self, scroll_to: str = "#revealed") -> None:
        if self.revealed:
            return
        super().reveal()
        if self.sheet is not None:
            self.query_one("#revealed").remove_class("hidden")
            self._sheet_changed()
            target = self.query_one(scroll_to)
            self.call_after_refresh(
                self.scroll_to_widget, target, top=scroll_to == "#revealed", animate=False
            )

    @on(Checkbox.Changed)
    @on(Input.Changed, ".number-input")
    def _sheet_changed(self) -> None:
        if self.sheet is None:
            return
        rating = self.sheet.refresh() if self.revealed else None
        if self.result is not None:
            self._show_auto()  # the ticks and numbers move the design rubric's automatic points
        elif rating is not None:
            self.suggest(rating)
