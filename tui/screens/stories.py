"""The story bank (`s` on the home screen): your behavioral stories × the competencies they answer.

The matrix shows each competency's stories, the gaps (fewer than two stories) and the over-used stories;
the list below shows each story's questions and the delivery of its latest spoken answer. `n` adds a
story, `e` edits the selected one, `d` twice deletes it. On a star card, `y` answers from a story.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, cast

from rich.markup import escape
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from prepdeck.core.store import StoreError
from prepdeck.core.stories import (
    STORY_FIELDS,
    Matrix,
    Story,
    StoryError,
    competencies_for,
    delete_story,
    list_stories,
    matrix,
    save_story,
)
from prepdeck.tui.bindings import bindings_for
from prepdeck.tui.components.fields import TextField
from prepdeck.tui.components.footer import AdaptiveFooter
from prepdeck.tui.workers import background

if TYPE_CHECKING:
    from prepdeck.tui.app import PrepdeckApp


class StoryBankScreen(Screen[None]):
    # ids stories_back, story_new, story_edit, story_delete: remappable under [keys], on the help screen
    BINDINGS: ClassVar[list[BindingType]] = bindings_for("stories")
    DEFAULT_CSS = """
    StoryBankScreen #story-matrix { height: auto; max-height: 16; }
    StoryBankScreen #story-list { height: auto; max-height: 12; margin-top: 1; }
    StoryBankScreen #story-detail { padding: 1 1; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.bank: Matrix | None = None
        self._delete_armed: int | None = None

    @property
    def papp(self) -> PrepdeckApp:
        return cast("PrepdeckApp", self.app)

    def compose(self) -> ComposeResult:
        yield Static("[b]Story bank[/b]  [dim]loading…[/dim]", id="stories-top", classes="topbar")
        with VerticalScroll():
            yield DataTable(id="story-matrix", cursor_type="row", zebra_stripes=True)
            yield DataTable(id="story-list", cursor_type="row")
            yield Static("", id="story-detail")
        yield AdaptiveFooter()

    def on_mount(self) -> None:
        self.load()

    @background("Loading the story bank", group="stories")
    def load(self) -> None:
        app = self.papp
        known = competencies_for(app.context.config.stories.principles)
        bank = matrix(list_stories(app.context.store()), known)
        app.call_from_thread(self._show, bank)

    def _show(self, bank: Matrix) -> None:
        self.bank = bank
        stories = bank.stories
        gaps = f" · [yellow]gaps: {escape(', '.join(bank.gaps))}[/yellow]" if bank.gaps and stories else ""
        self.query_one("#stories-top", Static).update(
            f"[b]Story bank[/b]  {len(stories)} stor{'y' if len(stories) == 1 else 'ies'}{gaps}"
        )
        grid = self.query_one("#story-matrix", DataTable)
        grid.clear(columns=True)
        grid.add_column("Competency")
        grid.add_column("Stories")
        for n in range(len(stories)):
            grid.add_column(f"S{n + 1}")
        for competency in bank.competencies:
            ids = bank.cover[competency]
            count = Text(str(len(ids)), style="bold red" if len(ids) < 2 else "")
            marks = ["●" if s.id in ids else "·" for s in stories]
            grid.add_row(Text(competency), count, *marks)
        listing = self.query_one("#story-list", DataTable)
        listing.clear(columns=True)
        for name in ("", "Story", "Questions", "Last spoken answer"):
            listing.add_column(name)
        for n, story in enumerate(stories):
            used = Text(str(len(story.questions)), style="bold yellow" if story.id in bank.overused else "")
            listing.add_row(f"S{n + 1}", Text(story.title, overflow="ellipsis", no_wrap=True), used,
                            _delivery(story), key=str(story.id))  # fmt: skip
        detail = self.query_one("#story-detail", Static)
        if not stories:
            detail.update(
                "No stories yet. [b]n[/b] adds one: a title, the situation, your task, what you did, the result "
                "and its numbers, and the competencies it can answer. Aim for two stories per competency."
            )
        else:
            self._detail()

    @on(DataTable.RowHighlighted, "#story-list")
    def _highlighted(self) -> None:
        self._delete_armed = None
        self._detail()

    def _selected(self) -> Story | None:
        if self.bank is None or not self.bank.stories:
            return None
        listing = self.query_one("#story-list", DataTable)
        row = listing.cursor_row
        return self.bank.stories[row] if 0 <= row < len(self.bank.stories) else None

    def _detail(self) -> None:
        story = self._selected()
        if story is None or self.bank is None:
            return
        text = Text()
        text.append(story.title + "\n", style="bold")
        text.append("answers: " + (", ".join(story.competencies) or "no competency tagged") + "\n\n")
        for name in STORY_FIELDS:
            text.append(f"{name.capitalize()}: ", style="bold")
            text.append((story.body.get(name) or "—") + "\n")
        if story.questions:
            text.append("\nAnswered from it: " + ", ".join(story.questions) + "\n", style="dim")
        if story.id in self.bank.overused:
            text.append(
                "\nOver-used: it answers far more questions than your other stories; interviewers in one loop "
                "compare notes — give some questions another story.\n",
                style="yellow",
            )
        self.query_one("#story-detail", Static).update(text)

    # -- actions -------------------------------------------------------------------------------------
    def _known(self) -> tuple[str, ...]:
        return competencies_for(self.papp.context.config.stories.principles)

    def action_new_story(self) -> None:
        self.app.push_screen(StoryEditor(None, self._known()), self._saved)

    def action_edit_story(self) -> None:
        story = self._selected()
        if story is None:
            self.notify("No story selected: n adds one.", timeout=3)
            return
        self.app.push_screen(StoryEditor(story, self._known()), self._saved)

    def _saved(self, saved: bool | None) -> None:
        if saved:
            self.load()

    def action_delete_story(self) -> None:
        story = self._selected()
        if story is None:
            return
        if self._delete_armed != story.id:
            self._delete_armed = story.id
            self.notify(f"Press d again to delete “{story.title}”.", timeout=4, markup=False)
            return
        try:
            delete_story(self.papp.context.store(), story.id)
        except StoreError as exc:
            self.notify(f"Not deleted: {exc}", severity="error", markup=False)
            return
        self._delete_armed = None
        self.notify(f"Deleted “{story.title}”.", timeout=3, markup=False)
        self.load()


def _delivery(story: Story) -> Text:
    d = story.delivery
    if not d:
        return Text("not spoken yet", style="dim")
    parts = []
    if d.get("fillers_per_minute") is not None:
        parts.append(f"{d['fillers_per_minute']:.1f} fillers/min")
    if d.get("wpm") is not None:
        parts.append(f"{d['wpm']:.0f} wpm")
    if d.get("missing"):
        parts.append("no " + "/".join(d["missing"]))
    if d.get("quantified_result") is False:
        parts.append("result not quantified")
    return Text(" · ".join(parts) or "spoken")


class StoryEditor(ModalScreen[bool]):
    """Add or edit one story: the title, the STAR fields, the numbers, the competencies."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]
    DEFAULT_CSS = """
    StoryEditor { align: center middle; }
    StoryEditor > VerticalScroll { width: 90%; max-width: 100; height: auto; max-height: 90%;
                             border: round $accent; padding: 0 1; background: $surface; }
    StoryEditor Input { margin-bottom: 0; }
    """

    def __init__(self, story: Story | None, known: tuple[str, ...]) -> None:
        super().__init__()
        self.story = story
        self.known = known
        self._discard_armed = False  # Esc once on a changed story warns; Esc again discards it

    def compose(self) -> ComposeResult:
        story = self.story
        # Scrolls: at 80x24 the seven fields are taller than the dialog, and Tab must bring each into view.
        with VerticalScroll(can_focus=False):
            yield Label("[b]Edit story[/b]" if story else "[b]New story[/b]")
            yield TextField(story.title if story else "", placeholder="Title", id="story-title")
            for name in STORY_FIELDS:
                yield TextField(
                    story.body.get(name, "") if story else "",
                    placeholder=name.capitalize(),
                    id=f"story-{name}",
                )
            yield TextField(
                ", ".join(story.competencies) if story else "",
                placeholder="Competencies: " + ", ".join(self.known),
                id="story-competencies",
            )
            yield Label("[dim]Ctrl+S saves · Esc cancels[/dim]")
        yield AdaptiveFooter(own_keys_only=True)

    def _values(self) -> tuple[str, dict[str, str], str]:
        """(title, the STAR fields, the competencies as typed)."""
        title = self.query_one("#story-title", Input).value
        body = {name: self.query_one(f"#story-{name}", Input).value for name in STORY_FIELDS}
        return title, body, self.query_one("#story-competencies", Input).value

    def unsaved_work(self) -> str | None:
        """What one key press would throw away (the app asks before quitting), or None."""
        story = self.story
        saved = (
            (story.title, {n: story.body.get(n, "") for n in STORY_FIELDS}, ", ".join(story.competencies))
            if story
            else ("", dict.fromkeys(STORY_FIELDS, ""), "")
        )
        return None if self._values() == saved else "the story you are writing is not saved"

    @on(Input.Changed)
    def _typed(self) -> None:
        self._discard_armed = False

    def action_save(self) -> None:
        app = cast("PrepdeckApp", self.app)
        title, body, raw = self._values()
        competencies = [c for c in raw.split(",") if c.strip()]
        try:
            save_story(
                app.context.store(),
                title,
                body,
                competencies,
                self.known,
                self.story.id if self.story else None,
            )
        except (StoryError, StoreError) as exc:
            self.notify(f"Not saved: {exc}", severity="warning", markup=False)
            return
        self.dismiss(True)

    def action_cancel(self) -> None:
        if self.unsaved_work() and not self._discard_armed:  # a whole story typed must not go on one key
            self._discard_armed = True
            self.notify("Not saved yet: Esc again discards this story; Ctrl+S saves it.", severity="warning")
            return
        self.dismiss(False)


class StoryPicker(ModalScreen[Any]):
    """Choose the story a star card is answered from (Enter), or Escape."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "choose", "Choose"),  # the list takes Enter first: this one names it in the footer
        Binding("escape", "cancel", "Cancel"),
    ]
    DEFAULT_CSS = """
    StoryPicker { align: center middle; }
    StoryPicker > Vertical { width: 80%; max-width: 90; height: auto; max-height: 80%;
                             border: round $accent; padding: 0 1; background: $surface; }
    """

    def __init__(self, stories: list[Story], competency: str | None) -> None:
        super().__init__()
        self.stories = stories
        self.competency = competency

    def compose(self) -> ComposeResult:
        fitting = sorted(
            self.stories, key=lambda s: (self.competency not in s.competencies, len(s.questions))
        )
        self.ordered = fitting
        with Vertical():
            hint = f" (tagged {self.competency} first)" if self.competency else ""
            yield Label(f"[b]Answer from a story[/b]{escape(hint)}")
            yield OptionList(
                *[
                    Option(Text(f"{s.title} — {', '.join(s.competencies) or 'untagged'}"), id=str(s.id))
                    for s in fitting
                ]
            )
        yield AdaptiveFooter(own_keys_only=True)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.ordered[event.option_index])

    def action_choose(self) -> None:
        index = self.query_one(OptionList).highlighted
        if index is not None:
            self.dismiss(self.ordered[index])

    def action_cancel(self) -> None:
        self.dismiss(None)
