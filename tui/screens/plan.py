"""The interview plan screen (`i` on the home screen): set the date, the rounds and the minutes a day; see
the readiness forecast per round, what stands in the way, and each day's load until the date.

The figures are `prepdeck plan --json`'s (reports/readiness.py), worked out in a worker.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, ClassVar, cast

from rich.markup import escape
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Input, Label, Static

from prepdeck.core.plan import ROUNDS, PlanSettings, load_settings, save_settings
from prepdeck.core.store import StoreError
from prepdeck.reports.readiness import parse_dates
from prepdeck.tui.bindings import bindings_for
from prepdeck.tui.components.fields import TextField
from prepdeck.tui.components.footer import AdaptiveFooter
from prepdeck.tui.messages import ReviewsChanged
from prepdeck.tui.workers import background

if TYPE_CHECKING:
    from prepdeck.tui.app import PrepdeckApp


class PlanScreen(Screen[None]):
    # ids plan_back, plan_save, plan_clear, plan_cram: remappable under [keys], on the help screen
    BINDINGS: ClassVar[list[BindingType]] = bindings_for("plan")
    DEFAULT_CSS = """
    PlanScreen #plan-form { height: auto; padding: 0 1; }
    /* sized so the whole date shows at 80 columns and every field and Save fit in 60 */
    PlanScreen #plan-form Input { width: 1fr; min-width: 8; padding: 0 1; }
    PlanScreen #plan-form #plan-date { width: 15; }
    PlanScreen #plan-form #plan-minutes { width: 8; }
    PlanScreen #plan-form #plan-save { min-width: 6; }
    PlanScreen #plan-form Label { padding: 1 1 0 0; }
    PlanScreen #plan-body { padding: 1 1; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, Any] | None = None
        self._saved: tuple[str, ...] = ("", "", "")  # the fields as the stored plan fills them
        self._leave_armed = False  # Esc once with unsaved fields warns; Esc again leaves without them

    @property
    def papp(self) -> PrepdeckApp:
        return cast("PrepdeckApp", self.app)

    def compose(self) -> ComposeResult:
        yield Static("[b]Interview plan[/b]  [dim]loading…[/dim]", id="plan-top", classes="topbar")
        with Horizontal(id="plan-form"):
            yield Label("Date")
            yield TextField(placeholder="YYYY-MM-DD", id="plan-date")
            yield Label("Rounds")
            yield TextField(placeholder=",".join(ROUNDS), id="plan-rounds")
            yield Label("Min/day")
            yield TextField(placeholder="30", id="plan-minutes", type="number")
            yield Button("Save", id="plan-save")
        with VerticalScroll(id="plan-scroll"):
            yield Static("", id="plan-body")
        yield AdaptiveFooter()

    def on_mount(self) -> None:
        settings = load_settings(self.papp.context.store())
        if settings is not None:
            self.query_one("#plan-date", Input).value = ",".join(
                [settings.date.isoformat(), *(f"{r}={d.isoformat()}" for r, d in settings.round_dates)]
            )
            self.query_one("#plan-rounds", Input).value = ",".join(settings.rounds)
            self.query_one("#plan-minutes", Input).value = f"{settings.minutes_per_day:g}"
            # with a plan the screen is read (and crammed, ended) before it is edited: start outside the
            # fields, where Ctrl+K and Ctrl+D are the screen's and not the field's line editing
            self.query_one("#plan-scroll").focus()
        self._saved = self._fields()
        self.load()

    def _fields(self) -> tuple[str, ...]:
        return tuple(self.query_one(f, Input).value for f in ("#plan-date", "#plan-rounds", "#plan-minutes"))

    def unsaved_work(self) -> str | None:
        """What leaving would throw away (the app asks before quitting too), or None."""
        return "the plan typed is not saved" if self._fields() != self._saved else None

    @on(Input.Changed)
    def _typed(self) -> None:
        self._leave_armed = False

    def action_back(self) -> None:
        if self.unsaved_work() and not self._leave_armed:
            self._leave_armed = True
            self.notify("Not saved yet: Esc again leaves without it; Ctrl+S saves it.", severity="warning")
            return
        self.app.pop_screen()

    @background("Working out the plan", group="plan")
    def load(self) -> None:
        from prepdeck.reports.readiness import readiness

        app = self.papp
        now = app.now()
        settings = load_settings(app.context.store())
        active = settings is not None and settings.date > app.scheduling.today_day(now)
        data = readiness(app.context, app.scheduling, settings, now) if active and settings else None
        app.call_from_thread(self._show, data)

    @on(ReviewsChanged)
    def _reviews_changed(self) -> None:
        self.load()

    def check_action(self, action: str, parameters: tuple[Any, ...]) -> bool | None:
        if action in ("clear_plan", "cram"):
            return self.data is not None  # no plan: nothing to end, no last days to cram
        return True

    def _show(self, data: dict[str, Any] | None) -> None:
        self.data = data
        self.refresh_bindings()
        top = self.query_one("#plan-top", Static)
        body = self.query_one("#plan-body", Static)
        if data is None:
            top.update("[b]Interview plan[/b]  [dim]none yet[/dim]")
            body.update(
                "Type the interview date, the rounds it has and the minutes a day you can give, then Save "
                "(Ctrl+S).\nprepdeck then paces the new cards, spreads the reviews and brings back what would "
                "fade by the day, and tells you whether the date can be met."
            )
            return
        top.update(
            f"[b]Interview plan[/b]  {data['date']} · [b]{data['days_left']}[/b] day"
            f"{'s' if data['days_left'] != 1 else ''} left · {data['minutes_per_day']:g} min a day"
        )
        body.update(plan_text(data))

    # -- actions -------------------------------------------------------------------------------------
    @on(Button.Pressed, "#plan-save")
    def _save_button(self) -> None:
        self.action_save_plan()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save_plan()

    def action_save_plan(self) -> None:
        app = self.papp
        today = app.scheduling.today_day(app.now())
        date_text = self.query_one("#plan-date", Input).value.strip()
        rounds_text = self.query_one("#plan-rounds", Input).value.strip()
        minutes_text = self.query_one("#plan-minutes", Input).value.strip()
        try:
            date, round_dates = parse_dates(date_text, today)
        except ValueError:
            self.notify(
                f"Date: the interview day as YYYY-MM-DD (e.g. {today + dt.timedelta(days=30)}), or one per round: "
                "sql=YYYY-MM-DD,design=YYYY-MM-DD.",
                severity="warning",
                markup=False,
            )
            return
        if min([date, *(d for _, d in round_dates)]) <= today:
            self.notify("Date: the interview day must be after today.", severity="warning", markup=False)
            return
        rounds = tuple(r.strip().lower() for r in (rounds_text or ",".join(ROUNDS)).split(",") if r.strip())
        if not rounds or any(r not in ROUNDS for r in rounds):
            self.notify(
                f"Rounds: a comma-separated list of {', '.join(ROUNDS)}.", severity="warning", markup=False
            )
            return
        try:
            minutes = float(minutes_text or 30)
        except ValueError:
            minutes = -1.0
        if not 5 <= minutes <= 600:
            self.notify("Min/day: the minutes a day you have, 5 to 600.", severity="warning", markup=False)
            return
        easy = tuple(app.context.config.review.easy_days)
        try:
            named = tuple(dict.fromkeys([*rounds, *(r for r, _ in round_dates)]))
            save_settings(
                app.context.store(), PlanSettings(date, named, minutes, easy, round_dates=round_dates)
            )
        except StoreError as exc:
            self.notify(f"Not saved: {exc}", severity="error", markup=False)
            return
        self._saved = self._fields()
        self.notify("Plan saved: the review queue follows it from now on.", timeout=4)
        app.post_reviews_changed(None)
        self.load()

    def action_clear_plan(self) -> None:
        try:
            save_settings(self.papp.context.store(), None)
        except StoreError as exc:
            self.notify(f"Not cleared: {exc}", severity="error", markup=False)
            return
        for field in ("#plan-date", "#plan-rounds", "#plan-minutes"):
            self.query_one(field, Input).value = ""
        self._saved = self._fields()
        self.notify("Plan ended: scheduling follows each deck's retention again.", timeout=4)
        self.papp.post_reviews_changed(None)
        self.load()

    def action_cram(self) -> None:
        self.papp.start_practice("cram", None, "last days")


def plan_text(data: dict[str, Any]) -> str:
    """The plan as the screen shows it (Rich markup; every value from data is a number or escaped)."""
    lines = ["[b]Readiness on the day[/b] (if the plan is followed)", ""]
    lines.append(f"{'round':<12}{'recall':>8}{'below 0.8':>11}{'unseen':>8}{'score':>10}{'pass':>6}")
    for name, f in data["forecast"].items():
        recall = "–" if f["recall"] is None else f"{f['recall']:.2f}"
        score = "–" if f["score"] is None else f"{f['score']:g}/{f['max']}"
        lines.append(
            f"{escape(name):<12}{recall:>8}{f['below_0_8']:>11}{f['unseen']:>8}{score:>10}{f['pass']:>6}"
        )
    lines.append("")
    if data["feasible"]:
        lines.append("[green]The plan meets the date with the minutes given.[/green]")
    else:
        lines.append("[yellow]The date cannot be met as planned:[/yellow]")
        lines += [f"  • {escape(p)}" for p in data["problems"]]
        if data["suggestions"]:
            lines.append("What would meet it: " + escape("; ".join(data["suggestions"])) + ".")
    lines += ["", "[b]Each day[/b]", f"{'day':<14}{'reviews':>8}{'new':>6}{'minutes':>9}"]
    for day in data["daily"]:
        when = dt.date.fromisoformat(day["date"])
        lines.append(f"{when:%a %d %b}    {day['reviews']:>8}{day['new']:>6}{day['minutes']:>9.1f}")
    lines += [
        "",
        "[dim]Ctrl+K (outside the fields) crams the cards below target on the day (the schedule is left alone).[/dim]",
    ]
    return "\n".join(lines)
