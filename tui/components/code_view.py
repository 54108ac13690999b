"""Code cards on the review screen: write a query, run it against the judge, see what differs.

`CodeCardView` serves `sql` cards and is built to be extended for `pyspark` cards: the judge call is
one method (`judge`), the editor language, the engine label and the dialect list are class attributes,
and the translation/plan view is one method (`explain`). Everything slow runs in a thread worker and
comes back as a message; a running check can be cancelled (Ctrl+R again) and is cancelled when the
card leaves the screen. Drafts are saved as the user types; every run is stored as an attempt.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from rich.markup import escape
from rich.table import Table
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, ScrollableContainer, Vertical
from textual.message import Message
from textual.widgets import DataTable, Label, Select, Static, TabbedContent, TabPane, TextArea

from prepdeck.decks.starter import is_untouched, starter_code
from prepdeck.decks.text import one_line, visible
from prepdeck.scoring.evidence import CodeAnswer
from prepdeck.tui.bindings import action_here, bindings_for, key_here, leave_editor_binding
from prepdeck.tui.components.card_view import CardView, fenced
from prepdeck.tui.components.deck_markdown import DeckMarkdown
from prepdeck.tui.components.fields import EditorArea, focus_now
from prepdeck.tui.messages import WorkStatus
from prepdeck.tui.text import plain
from prepdeck.tui.workers import background

if TYPE_CHECKING:
    from prepdeck.checkers.result import CaseResult, CheckResult
    from prepdeck.core.store import Store
    from prepdeck.decks.model import Case

EASY_SECONDS = 120  # passing on the first run this fast suggests Easy
DRAFT_DEBOUNCE_S = 0.8
SHOWN_DIFF_ROWS = 20

AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4


@dataclass
class CheckDone(Message):
    """A judge run finished (in a worker); `result` is None when `problem` says why it could not run."""

    run: int
    answer: str
    dialect: str | None
    result: CheckResult | None
    problem: str | None = None
    attempt_id: int | None = None


@dataclass
class ExpectedReady(Message):
    """What the visible example should return (a worker ran the card's solution on it)."""

    index: int
    columns: list[str]
    rows: list[tuple[Any, ...]]


@dataclass
class ExplainDone(Message):
    translated: str | None
    plan: str | None
    problem: str | None = None


def suggest_rating(
    passed: bool, failed_runs: int, gave_up: bool, seconds: float, new_card: bool = False
) -> int | None:
    """Passed on the first run: Good; Easy only for a card seen before, passed on the first run within
    EASY_SECONDS (quick and clean: a first sight is never "trivial"). After failed runs: Hard; gave up: Again."""
    if gave_up:
        return AGAIN
    if not passed:
        return None
    if failed_runs == 0:
        return EASY if seconds < EASY_SECONDS and not new_card else GOOD
    return HARD


# a run that fails on a name (the function to write, a table) is not yet a try at the problem
_NAMING = re.compile(
    r"no function named|table with name \S+ does not exist|no such table|table or view not found",
    re.IGNORECASE,
)


def naming_error(error: str | None) -> bool:
    return bool(error) and _NAMING.search(error or "") is not None


class CodeEditor(EditorArea):
    """The code editor. Escape is left to the screen's `leave` binding: TextArea's own handling moves focus
    to the next widget (the case tabs), which scrolled the card back up away from the run's results."""

    BINDINGS: ClassVar[list[BindingType]] = [
        leave_editor_binding()
    ]  # the footer says "Leave editor", not "End"

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "escape":
            event.prevent_default()  # skips TextArea's handler; the key still bubbles to the screen


class CodeCardView(CardView):
    CARD_TYPES = ("sql",)
    LANGUAGE: ClassVar[str] = "sql"
    ENGINE_LABEL: ClassVar[str] = "DuckDB"
    DIALECTS: ClassVar[tuple[str, ...]] = ("duckdb", "bigquery", "spark", "postgres", "snowflake", "mysql")
    HAS_PLAN: ClassVar[bool] = True  # Ctrl+T shows an engine's plan
    EDITOR_THEME: ClassVar[str] = "monokai"

    DEFAULT_CSS = """
    CodeCardView .code-hint { color: $text-muted; }
    CodeCardView #cases { height: auto; max-height: 18; }
    CodeCardView #cases DataTable { height: auto; max-height: 10; }
    CodeCardView .table-name { color: $text-muted; margin-top: 1; }
    CodeCardView #code-toolbar { height: auto; }
    CodeCardView #dialect { width: 24; }
    CodeCardView #judge-status { padding: 1 1 0 2; width: 1fr; }
    CodeCardView #editor { height: 14; min-height: 6; }
    CodeCardView #results { padding: 0 1; }
    CodeCardView #translation-box { height: auto; max-height: 24; overflow-x: auto; overflow-y: auto; }
    CodeCardView #translation { padding: 0 1; border: round $primary-darken-2; }
    """

    # ids run_check, cycle_dialect, show_translation, give_up: remappable under [keys], on the help screen
    BINDINGS: ClassVar[list[BindingType]] = bindings_for("code")

    def __init__(self, card: Any, context: Any, **kwargs: Any) -> None:
        super().__init__(card, context, **kwargs)
        self.dialect: str | None = None
        self.attempts: list[dict[str, Any]] = []  # {passed, dialect, error, attempt_id}
        self.last_result: CheckResult | None = None
        self.final_answer = ""
        self.passed = False
        self.gave_up = False
        self.running = False
        self._run_counter = 0
        self._cancel: threading.Event | None = None
        self._draft_timer: Any = None
        self._draft_dirty = False
        self._started = self._now()
        self._finished_at: dt.datetime | None = None
        self._hidden_shown = False

    # -- what a subclass (pyspark) changes ----------------------------------------------------------
    def judge(self, answer: str, dialect: str | None, cancel: threading.Event) -> CheckResult:
        """Run the judge (worker thread). Raises ValueError with a one-line reason when it cannot run."""
        from prepdeck.checkers.sql import check_sql

        # the whole config: Spark SQL runs on the Spark the [spark] settings name (remote, memory)
        return check_sql(self.card, answer, dialect, self.context.config, answer_name="editor", cancel=cancel)

    def explain(self, answer: str, dialect: str | None) -> tuple[str, str]:
        """(translated code, plan) for the translation view (worker thread); ValueError when it cannot."""
        from prepdeck.checkers.sql import explain_sql

        return explain_sql(self.card, answer, dialect, self.context.config)

    def engine_name(self) -> str:
        """What runs the answer, for the status line and the plan's title ("postgresql 18.6")."""
        if not self.DIALECTS:  # PySpark and Python cards: one engine
            return self.ENGINE_LABEL
        from prepdeck.checkers.sql import engine_for

        return engine_for(self.dialect, self.context.config)

    def running_status(self) -> str:
        engine, config = self.engine_name(), self.context.config
        limit, each = config.sql.time_limit_s, ""
        if engine.startswith("spark"):  # Spark SQL runs on Spark, under [spark]'s limit for each case
            limit, each = config.spark.time_limit_s, " per case"
        return f"checking on {engine}… (limit {limit:g} s{each}; {self._key('run_check')} cancels)"

    def default_dialect(self) -> str | None:
        return self.context.config.sql.dialect if self.DIALECTS else None

    # -- layout -------------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        card = self.card
        yield self.card_header()
        yield DeckMarkdown(card.prompt, classes="prompt")
        with TabbedContent(id="cases"):
            for index, case in enumerate(card.cases):
                title = f"{case.name} (hidden)" if case.hidden else case.name
                with TabPane(plain(title), id=f"case-{index}"):
                    if case.hidden:
                        yield Static(
                            "[dim]Hidden case: its data is shown once you pass or give up.[/dim]",
                            classes="hidden-note",
                        )
                    else:
                        yield from self._case_tables(case)
        yield Static(self._hint(), classes="code-hint")
        with Horizontal(id="code-toolbar"):
            if self.DIALECTS:
                yield Select(
                    [(d, d) for d in self.DIALECTS],
                    allow_blank=False,
                    id="dialect",
                    value=self._initial_dialect(),
                )
            yield Static("", id="judge-status")
        yield CodeEditor.code_editor(
            self._initial_text(),
            language=self.LANGUAGE,
            theme=self.EDITOR_THEME,
            id="editor",
            soft_wrap=False,
        )
        yield Static("", id="results")
        # the plan's boxes are wider than 80 columns: they scroll sideways instead of breaking across lines
        with ScrollableContainer(id="translation-box"):
            yield Static("", id="translation", classes="hidden")
        yield DeckMarkdown("", id="answer", classes="answer hidden")

    def _hint(self) -> str:
        k = self._key
        parts = [
            f"{k('edit')} edit",
            f"{k('run_check')} run",
            f"{k('give_up')} give up",
            f"{k('flip_schema')} tables/editor",
            f"{k('leave')} leaves the editor, then {self._after_editor()}",
        ]
        if self.HAS_PLAN:
            parts.insert(2, f"{k('show_translation')} {'translation & plan' if self.DIALECTS else 'plan'}")
        if self.DIALECTS:
            parts.insert(2, f"{k('cycle_dialect')} dialect")
        return "[dim]" + escape(" · ".join(parts)) + "[/dim]"

    def _key(self, action_id: str) -> str:
        """The key the user has for `action_id` on this screen now (config.toml [keys] may remap it; a mock
        has its own ids for the review's leave and edit)."""
        return key_here(self, action_id)

    def _after_editor(self) -> str:
        """Once out of the editor: a review reveals and rates; a mock has neither, its next-phase key moves on."""
        if action_here(self, "reveal") == "reveal":
            return f"{self._key('reveal')} reveals and 1–4 rate"
        return f"{self._key('reveal')}: next phase"

    def _case_tables(self, case: Case) -> ComposeResult:
        from prepdeck.decks.tabular import parse_columns, read_csv

        for table, spec in self.card.tables.items():
            try:
                columns = [c.name for c in parse_columns(spec)]
            except ValueError:
                columns = []
            yield Label(f"[b]{escape(table)}[/b] [dim]({escape(spec)})[/dim]", classes="table-name")
            grid: DataTable[Any] = DataTable(
                zebra_stripes=True, cursor_type="none", show_cursor=False, classes="case-table"
            )
            grid.add_columns(*(Text(name) for name in columns))  # a DataTable reads a str label as markup
            text = case.data.get(table)
            if text and text.strip():
                try:
                    csv = read_csv(text)
                except ValueError:
                    csv = None
                if csv is not None:
                    position = {name.lower(): i for i, name in enumerate(csv.header)}
                    for record in csv.rows:
                        grid.add_row(
                            *[
                                _cell(
                                    record[position[c.lower()]]
                                    if c.lower() in position and position[c.lower()] < len(record)
                                    else None
                                )
                                for c in columns
                            ]
                        )
            yield grid

    def _initial_dialect(self) -> str:
        draft = self._draft()
        wanted = (draft[1] if draft and draft[1] else None) or self.default_dialect() or self.DIALECTS[0]
        return wanted if wanted in self.DIALECTS else self.DIALECTS[0]

    def _initial_text(self) -> str:
        draft = self._draft()
        return draft[0] if draft else starter_code(self.card)

    def _draft(self) -> tuple[str, str | None] | None:
        try:
            return self.context.store().get_draft(self.card.global_id)
        except Exception:  # a locked or unreadable database must not stop the card from showing
            return None

    def on_mount(self) -> None:
        self._started = self._now()  # the app's clock (tests drive it), not the wall clock
        self.dialect = self._initial_dialect() if self.DIALECTS else None
        self._show_status("")
        visible = next((i for i, c in enumerate(self.card.cases) if not c.hidden), None)
        if self.card.type == "sql" and visible is not None:
            self._expected_worker(visible)

    @background("Working out the example's expected output", group="code-expected")
    def _expected_worker(self, index: int) -> None:
        from prepdeck.checkers.sql import CardProblem
        from prepdeck.checkers.sql.judge import expected_output

        try:
            columns, rows = expected_output(self.card, self.card.cases[index], self.context.config.sql)
        except (CardProblem, ValueError):  # a card that cannot be judged says so when it is run
            return
        self.post_message(ExpectedReady(index, columns, rows))

    @on(ExpectedReady)
    def _expected_ready(self, message: ExpectedReady) -> None:
        """Under the example's tables, as LeetCode shows it: the output the query should return."""
        message.stop()
        try:
            pane = self.query_one(f"#case-{message.index}", TabPane)
        except Exception:  # the card left the screen meanwhile
            return
        grid: DataTable[Any] = DataTable(
            zebra_stripes=True, cursor_type="none", show_cursor=False, classes="case-table expected-output"
        )
        grid.add_columns(*(Text(one_line(name, CELL_LIMIT)) for name in message.columns))
        for row in message.rows[:SHOWN_DIFF_ROWS]:
            grid.add_row(*_row_text(list(row)))
        pane.mount(Label("[b]expected output[/b]", classes="table-name"), grid)

    def on_unmount(self) -> None:
        if self._cancel is not None:
            self._cancel.set()
        self.save_draft()

    # -- editor and drafts --------------------------------------------------------------------------
    @property
    def editor(self) -> TextArea:
        return self.query_one("#editor", TextArea)

    def focus_editor(self) -> bool:
        focus_now(self.editor)
        return True

    @on(TextArea.Changed, "#editor")
    def _edited(self, event: TextArea.Changed) -> None:
        self._draft_dirty = True
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self._draft_timer = self.set_timer(DRAFT_DEBOUNCE_S, self.save_draft)

    def save_draft(self) -> None:
        if not self._draft_dirty:
            return
        try:
            text = self.editor.text
        except Exception:  # already unmounted: nothing new to save
            return
        try:
            self.context.store().put_draft(self.card.global_id, text, self.dialect)
            self._draft_dirty = False
        except Exception as exc:
            self._notify(f"Draft not saved: {exc}", "warning")

    @on(Select.Changed, "#dialect")
    def _dialect_chosen(self, event: Select.Changed) -> None:
        if isinstance(event.value, str):
            chosen = event.value != self.dialect  # not the Select announcing its first value
            self.dialect = event.value
            self._draft_dirty = True
            self.save_draft()
            self._show_status(f"dialect: {self.dialect}")
            if chosen:
                self._keep_dialect(event.value)

    def _keep_dialect(self, dialect: str) -> None:
        """The dialect picked is the default from now on (next cards, next sessions): [sql] dialect."""
        from prepdeck.core.config_write import set_option

        config = self.context.config
        if config.sql.dialect == dialect:
            return
        try:
            set_option(self.context.home, "sql", "dialect", dialect)
        except OSError as exc:
            self._notify(f"Dialect not saved as the default: {exc}", "warning")
            return
        config.sql.dialect = dialect

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # PySpark has no dialects: keep Ctrl+L out of the footer there; plain Python has no plan (Ctrl+T)
        if action == "show_translation":
            return self.HAS_PLAN
        return not (action == "cycle_dialect" and not self.DIALECTS)

    def action_cycle_dialect(self) -> None:
        if not self.DIALECTS:
            return
        current = self.dialect if self.dialect in self.DIALECTS else self.DIALECTS[0]
        following = self.DIALECTS[(self.DIALECTS.index(current) + 1) % len(self.DIALECTS)]
        self.query_one("#dialect", Select).value = following  # fires Select.Changed

    # -- running the judge ----------------------------------------------------------------------------
    def action_run_check(self) -> None:
        if self.running:
            if self._cancel is not None:
                self._cancel.set()
            self._show_status("cancelling…")
            return
        answer = self.editor.text
        self.save_draft()
        if is_untouched(answer, self.card):
            # not a try: nothing of the user's to judge (and it must not count as a failed first run)
            self._show_status("write the function first" if answer.strip() else "write a query first")
            return
        if self._ask_trust():
            return
        self._run_counter += 1
        # the last verdict is about another text: it goes now, not when this run ends (or is cancelled)
        self.query_one("#results", Static).update("")
        self._cancel = threading.Event()
        self.running = True
        self._show_status(self.running_status())
        self._run_worker(self._run_counter, answer, self.dialect, self._cancel)

    def _ask_trust(self) -> bool:
        """True when the check waits for the user's trust: the deck's own code would run and it is not
        trusted yet. The question shows that code; trusting runs the check, cancelling says how to trust."""
        from prepdeck.core.trust import CODE_CARD_TYPES, is_trusted, refusal, trust

        deck = self.context.decks().deck(self.card.deck_id)
        if self.card.type not in CODE_CARD_TYPES or deck is None or is_trusted(deck, self.context.home):
            return False
        from prepdeck.tui.screens.trust import TrustScreen

        def answered(choice: str | None) -> None:
            if choice is None:
                self._show_status(refusal(deck))
                return
            try:
                trust(deck, self.context.home, folder=choice == "folder")
            except (OSError, ValueError) as exc:
                self._notify(f"Not trusted: {exc}", "error")
                return
            self.action_run_check()

        self.app.push_screen(TrustScreen(deck), answered)
        return True

    @background("Checking the answer", group="code-judge")
    def _run_worker(self, run: int, answer: str, dialect: str | None, cancel: threading.Event) -> None:
        try:
            result = self.judge(answer, dialect, cancel)
        except ValueError as exc:  # CardProblem, unknown dialect, engine problems the judge words itself
            self.post_message(CheckDone(run, answer, dialect, None, problem=str(exc)))
            return
        except Exception as exc:  # the app must survive any judge failure
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            self.post_message(CheckDone(run, answer, dialect, None, problem=f"the judge failed: {first}"))
            return
        attempt_id = None
        if result.error != "cancelled":
            try:
                attempt_id = self.context.store().add_attempt(
                    self.card.global_id,
                    self.card.type,
                    answer,
                    dialect,
                    result.passed,
                    result.elapsed_ms,
                    result.to_json(reveal_hidden=True),
                )
            except Exception as exc:
                self.post_message(WorkStatus(f"attempt not saved: {exc}", busy=False))
        self.post_message(CheckDone(run, answer, dialect, result, attempt_id=attempt_id))

    @on(CheckDone)
    def _check_done(self, message: CheckDone) -> None:
        message.stop()
        if message.run != self._run_counter:
            return  # an older run that was cancelled and replaced
        self.running = False
        if message.result is None:
            self._show_status("could not run")
            self._notify(message.problem or "the judge could not run", "error")
            return
        result = message.result
        if result.error == "cancelled":
            self._show_status("cancelled")
            return
        self.attempts.append(
            {
                "naming": naming_error(result.error),
                "passed": result.passed,
                "dialect": message.dialect,
                "error": result.error,
                "attempt_id": message.attempt_id,
                "elapsed_ms": round(result.elapsed_ms, 1),
            }
        )
        self.last_result = result
        self.final_answer = message.answer
        newly_passed = result.passed and not self.passed
        if result.passed:
            self.passed = True
            self._finished_at = self._finished_at or self._now()
        self._render_results(result)
        # below a 14-row editor the verdict is off a 24-row screen: bring it to the top of the card, where
        # it stays in sight even when the rating bar below grows to show the suggested rating
        results = self.query_one("#results", Static)
        self.call_after_refresh(self.scroll_to_widget, results, top=True, animate=False)
        ok = sum(c.passed for c in result.cases)
        verdict = "passed" if result.passed else "failed"
        self._show_status(
            f"run {len(self.attempts)}: {verdict}, {ok}/{len(result.cases)} cases, {result.elapsed_ms:.0f} ms"
        )
        if newly_passed:
            self._show_hidden_data()
            self.suggest(self.suggested_rating())

    # -- results panel --------------------------------------------------------------------------------
    def _render_results(self, result: CheckResult) -> None:
        self.query_one("#results", Static).update(render_result(result, self.passed or self.gave_up))

    # -- translation and plan ---------------------------------------------------------------------------
    def action_show_translation(self) -> None:
        panel = self.query_one("#translation", Static)
        if not panel.has_class("hidden"):
            panel.add_class("hidden")
            return
        answer = self.editor.text
        if not answer.strip():
            self._show_status("write a query first")
            return
        panel.update(Text("working out the plan…", style="dim"))
        panel.remove_class("hidden")
        self._explain_worker(answer, self.dialect)

    @background("Explaining the query", group="code-explain")
    def _explain_worker(self, answer: str, dialect: str | None) -> None:
        try:
            translated, plan = self.explain(answer, dialect)
        except Exception as exc:  # AnswerError / CardProblem are ValueErrors: one line to show
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            self.post_message(ExplainDone(None, None, first))
            return
        self.post_message(ExplainDone(translated, plan))

    @on(ExplainDone)
    def _explain_done(self, message: ExplainDone) -> None:
        message.stop()
        panel = self.query_one("#translation", Static)
        if message.problem:  # e.g. an unknown table: the one line must be in sight too
            panel.update(Text(message.problem, style="red"))
            self.call_after_refresh(self.scroll_to_widget, panel, animate=False)
            return
        from rich.console import Group
        from rich.syntax import Syntax

        title = f"As run on {self.engine_name()}"
        panel.update(
            Group(
                Text(title, style="bold"),
                Syntax(message.translated or "", self.LANGUAGE, theme=self.EDITOR_THEME, word_wrap=True),
                Text("\nPlan", style="bold"),
                Text(message.plan or "", no_wrap=True),
            )
        )
        # as wide as the plan's widest line (auto width stops at the card's width); the box scrolls sideways
        widest = max((len(line) for line in (message.plan or "").splitlines()), default=0)
        panel.styles.width = max(widest + 4, self.query_one("#translation-box").size.width)
        # opened below the editor, off a 24-row screen: bring it into sight
        self.call_after_refresh(self.scroll_to_widget, panel, top=True, animate=False)

    # -- schema <-> editor -------------------------------------------------------------------------------
    def action_flip_schema(self) -> None:
        """At 80x24 the tables and the editor do not fit together: show one, then the other (focus stays in
        the editor, so typing goes on where it was)."""
        cases = self.query_one("#cases")
        top = cases.virtual_region.y
        if self.scroll_y > top or self.scroll_y + self.size.height <= top + 2:
            self.scroll_to_widget(cases, top=True, animate=False)
        else:
            self.scroll_to_widget(self.editor, top=True, animate=False)

    # -- give up / reveal --------------------------------------------------------------------------------
    def action_give_up(self) -> None:
        if self.passed or self.gave_up:
            return
        self.gave_up = True
        self._finished_at = self._now()
        if self._cancel is not None:
            self._cancel.set()
        self.suggest(AGAIN)
        if self.screen.focused is not None and self in self.screen.focused.ancestors:
            # out of the editor, so 1–4 rate and the model answer is not scrolled away to the cursor
            self.screen.set_focus(None, scroll_visible=False)
        reveal = getattr(self.screen, "action_reveal", None)
        if callable(reveal):
            reveal()  # the review screen reveals through us and shows the rating buttons
        else:
            self.reveal()

    def reveal(self) -> None:
        if self.revealed:
            return
        super().reveal()
        if not self.passed:
            self.gave_up = True  # seeing the solution before passing counts as giving up
            self._finished_at = self._finished_at or self._now()
        self._show_hidden_data()
        if self.last_result is not None:
            self._render_results(self.last_result)
        answer = self.query_one("#answer", DeckMarkdown)
        rendered = answer.update(self.answer_markdown())
        answer.remove_class("hidden")

        async def scroll_when_laid_out() -> None:
            # the Markdown fills in asynchronously: scrolled any earlier, its top is not reachable yet
            await rendered
            self.call_after_refresh(self.scroll_to_widget, answer, top=True, animate=False)

        self.call_later(scroll_when_laid_out)

    def answer_markdown(self) -> str:
        card = self.card
        parts = []
        if card.solution:
            label = f"**Model answer** ({card.dialect})" if self.DIALECTS else "**Model answer**"
            parts += [label, fenced(card.solution, self.LANGUAGE)]
        if card.answer:
            parts.append(without_solution(card.answer, card.solution) if card.solution else card.answer)
        return "\n\n".join(parts) or "*No model answer on this card.*"

    def _show_hidden_data(self) -> None:
        if self._hidden_shown:
            return
        self._hidden_shown = True
        for index, case in enumerate(self.card.cases):
            if not case.hidden:
                continue
            try:
                pane = self.query_one(f"#case-{index}", TabPane)
            except Exception:
                continue
            pane.remove_children()
            pane.mount(Vertical(*self._case_tables(case)))

    # -- the CardView contract ------------------------------------------------------------------------------
    def suggested_rating(self) -> int | None:
        tries = [a for a in self.attempts if not a.get("naming")]  # a wrong name is not a try yet
        failed_runs = sum(1 for a in tries if not a["passed"])
        if self.passed:
            # failed runs before the first pass only
            first_pass = next(i for i, a in enumerate(tries) if a["passed"])
            failed_runs = sum(1 for a in tries[:first_pass] if not a["passed"])
        return suggest_rating(
            self.passed, failed_runs, self.gave_up and not self.passed, self._seconds(), self._new_card()
        )

    def _new_card(self) -> bool:
        """Never reviewed before: its first pass is Good, not Easy."""
        try:
            return self.context.store().last_review(self.card.global_id) is None
        except Exception:  # unreadable database: the cautious suggestion
            return True

    def review_payload(self) -> dict[str, Any] | None:
        result = self.last_result
        summary = None
        if result is not None:
            summary = {
                "passed": result.passed,
                "error": result.error,
                "elapsed_ms": round(result.elapsed_ms, 1),
                "cases": [
                    {
                        "name": c.name,
                        "hidden": c.hidden,
                        "passed": c.passed,
                        "message": c.message or c.error or "",
                    }
                    for c in result.cases
                ],
            }
        return {
            "kind": self.card.type,
            "attempts": len(self.attempts),
            "attempt_ids": [a["attempt_id"] for a in self.attempts if a["attempt_id"] is not None],
            "passed": self.passed,
            "final_answer": self.final_answer or self._editor_text(),
            "dialect": self.dialect,
            "results": summary,
            "gave_up": self.gave_up and not self.passed,
            "seconds": round(self._seconds(), 1),
        }

    def evidence(self) -> CodeAnswer:
        return CodeAnswer(self.card, self.review_payload() or {})

    def commit_evidence(self, store: Store) -> None:
        """The card is being rated: its answer is kept with the review (payload, attempts), and the draft
        goes, so the next review of the card is recall from the starting template, not the old answer."""
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self._draft_dirty = False
        store.delete_draft(self.card.global_id)

    # -- small helpers --------------------------------------------------------------------------------
    def _editor_text(self) -> str:
        try:
            return self.editor.text
        except Exception:
            return ""

    def _now(self) -> dt.datetime:
        now = getattr(self.app, "now", None) if self.is_attached else None
        return now() if callable(now) else dt.datetime.now(dt.UTC)

    def _seconds(self) -> float:
        end = self._finished_at or self._now()
        return max(0.0, (end - self._started).total_seconds())

    def _show_status(self, text: str) -> None:
        try:
            self.query_one("#judge-status", Static).update(
                Text(text, style="dim" if not self.running else "bold")
            )
        except Exception:
            return
        self.post_message(WorkStatus(text if self.running else "", busy=self.running))

    def _notify(self, text: str, severity: str = "information") -> None:
        if self.is_attached:
            self.app.notify(text, severity=severity, timeout=8)  # type: ignore[arg-type]


_FENCED = re.compile(r"^(`{3,}|~{3,})[^\n]*\n(.*?)^\1[ \t]*$\n?", re.MULTILINE | re.DOTALL)


def without_solution(answer: str, solution: str) -> str:
    """The card's explanation without a code block that repeats the solution (many decks open with it,
    and the view already shows the solution under "Model answer")."""
    wanted = " ".join(solution.split())
    for block in _FENCED.finditer(answer):
        if " ".join(block.group(2).split()) == wanted:
            return (answer[: block.start()] + answer[block.end() :]).strip()
    return answer


CELL_LIMIT = 200  # characters of one shown value; the full value is in `prepdeck check --json`


def _cell(value: str | None) -> Text | str:
    if value is None:
        return Text("NULL", style="dim italic")
    if value == "":
        return Text('""', style="dim")
    return Text(one_line(value, CELL_LIMIT))  # data, never markup; one huge value cannot fill the screen


def _row_text(values: list[Any]) -> list[Text | str]:
    return [Text("NULL", style="dim italic") if v is None else Text(one_line(v, CELL_LIMIT)) for v in values]


def render_result(result: CheckResult, reveal_hidden: bool) -> Any:
    """The results panel: a line per case, and for visible (or revealed) failures the rows that differ."""
    from rich.console import Group

    parts: list[Any] = []
    ok = sum(c.passed for c in result.cases)
    head = Text()
    head.append("PASSED" if result.passed else "FAILED", style="bold green" if result.passed else "bold red")
    head.append(f"  {ok}/{len(result.cases)} cases · {result.elapsed_ms:.0f} ms")
    if result.engine or result.dialect:
        # what judged it: "postgresql 18.6", "duckdb 1.4 (translated from mysql)"
        head.append(f" · {result.engine or result.dialect}", style="dim")
    parts.append(head)
    if result.error:
        parts.append(Text(visible(result.error), style="red"))
    for case in result.cases:
        parts.extend(_case_lines(case, reveal_hidden, result.error))
    return Group(*parts)


def _case_lines(case: CaseResult, reveal_hidden: bool, check_error: str | None) -> list[Any]:
    mark = Text("✓ ", style="green") if case.passed else Text("✗ ", style="red")
    line = (
        mark + Text(case.name, style="bold") + (Text(" (hidden)", style="dim") if case.hidden else Text(""))
    )
    reason = case.message or case.error or ""
    if not case.passed and reason and not (check_error and case.error in ("not run", check_error)):
        line.append(f" — {visible(reason)}")
    elif not case.passed and case.error == "not run":
        line.append(" — not run", style="dim")
    out: list[Any] = [line]
    if case.passed or (case.hidden and not reveal_hidden):
        return out
    for title, rows, style in (
        ("missing (expected, not returned)", case.missing, "yellow"),
        ("unexpected (returned, not expected)", case.unexpected, "magenta"),
    ):
        if not rows:
            continue
        # the title on its own line: as a Table title it is wrapped to the table's width, so a one-column
        # result ("x" / "1") showed it three letters a line
        out.append(Text(f" {title}", style=style))
        table = Table(
            show_header=bool(case.columns),
            box=None,
            padding=(0, 1),
        )
        width = len(rows[0])
        names = case.columns if len(case.columns) == width else [f"col{i + 1}" for i in range(width)]
        for name in names:
            table.add_column(Text(one_line(name, CELL_LIMIT)), style=style)
        for values in rows[:SHOWN_DIFF_ROWS]:
            table.add_row(*_row_text(values))
        out.append(table)
    if case.order_mismatch_at is not None and not case.missing and not case.unexpected:
        out.append(
            Text(f"   rows match but the order differs from row {case.order_mismatch_at}", style="yellow")
        )
    return out
