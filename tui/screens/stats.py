"""Statistics: the week's summary, the cards by maturity (per deck and in all), the answer buttons and
retention by maturity over a period (`p`: 7, 30, 90 or 365 days), the due forecast as text bars (`f`: next
30 or 90 days), terminal plots of reviews per day, retention per week and fillers per minute, the week's
rubric scores, and `w` to write that week's report (in a worker; a notification says where). `[` and `]`
step through the weeks.

The figures come from `prepdeck.reports` (no Textual there); this screen only draws them.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import TYPE_CHECKING, Any, ClassVar, cast

from rich.console import Group
from rich.markup import escape
from rich.table import Table
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Grid, VerticalScroll
from textual.screen import Screen
from textual.widgets import Static
from textual_plotext import PlotextPlot

from prepdeck.core.retention import LABEL as RETENTION_LABEL
from prepdeck.core.retention import MATURE_DAYS, percent
from prepdeck.core.retention import MEANING as RETENTION_MEANING
from prepdeck.reports.collection import FORECAST_SPANS, PERIODS, RATING_KEYS
from prepdeck.tui.bindings import bindings_for, key_hint
from prepdeck.tui.components.footer import AdaptiveFooter
from prepdeck.tui.components.text_bars import day_bars, days_per_column
from prepdeck.tui.messages import ReviewsChanged
from prepdeck.tui.workers import background

if TYPE_CHECKING:
    from prepdeck.tui.app import PrepdeckApp


class StatsScreen(Screen[None]):
    # ids stats_back, week_report, prev_week, next_week, refresh: remappable under [keys], on the help screen
    BINDINGS: ClassVar[list[BindingType]] = bindings_for("stats")
    DEFAULT_CSS = """
    StatsScreen #stats-plots { grid-size: 2 2; grid-gutter: 1 2; height: 36; min-height: 24; }
    StatsScreen PlotextPlot { height: 1fr; min-height: 10; }
    StatsScreen #plot-fillers { column-span: 2; }
    StatsScreen #stats-summary { padding: 0 1; }
    StatsScreen .stats-section { padding: 1 1 0 1; }
    StatsScreen #stats-scores { padding: 1 1 0 1; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.week_offset = 0  # 0 = this week, -1 = last week…
        self.period_days = 30  # answers and retention over this many days up to the week's end (or now)
        self.forecast_days = FORECAST_SPANS[0]
        self.data: dict[str, Any] | None = None
        self.last_report: dict[str, Any] | None = None

    @property
    def papp(self) -> PrepdeckApp:
        return cast("PrepdeckApp", self.app)

    def compose(self) -> ComposeResult:
        yield Static("[b]Statistics[/b]  [dim]loading…[/dim]", id="stats-top", classes="topbar")
        with VerticalScroll():
            yield Static("", id="stats-summary")
            yield Static("", id="stats-forecast", classes="stats-section")
            yield Static("", id="stats-cards", classes="stats-section")
            yield Static("", id="stats-answers", classes="stats-section")
            with Grid(id="stats-plots"):
                yield PlotextPlot(id="plot-reviews")
                yield PlotextPlot(id="plot-retention")
                yield PlotextPlot(id="plot-fillers")
            yield Static("", id="stats-scores")
        yield AdaptiveFooter()

    def on_mount(self) -> None:
        self.load()

    # -- loading --------------------------------------------------------------------------------------
    def selected_week(self) -> str:
        from prepdeck.reports.week import Week

        now = self.papp.now()
        week = Week.containing(now)
        for _ in range(-self.week_offset):
            week = week.previous()
        for _ in range(self.week_offset):
            week = Week.containing(week.bounds()[1])
        return week.label

    @background("Loading the statistics", group="stats")
    def load(self) -> None:
        from prepdeck.reports.app import stats_data

        data = stats_data(
            self.papp.context,
            self.selected_week(),
            now=self.papp.now(),
            period_days=self.period_days,
            forecast_days=self.forecast_days,
        )
        self.app.call_from_thread(self._show, data)

    def action_refresh(self) -> None:
        self.load()

    def action_week(self, step: int) -> None:
        if self.week_offset + step > 0:
            self.notify("That week has not started yet.", timeout=3)
            return
        self.week_offset += step
        self.query_one("#stats-top", Static).update("[b]Statistics[/b]  [dim]loading…[/dim]")
        self.load()

    def action_period(self) -> None:
        self.period_days = PERIODS[(PERIODS.index(self.period_days) + 1) % len(PERIODS)]
        self.load()

    def action_forecast_span(self) -> None:
        spans = FORECAST_SPANS
        self.forecast_days = spans[(spans.index(self.forecast_days) + 1) % len(spans)]
        self.load()

    @on(ReviewsChanged)
    def _reviews_changed(self) -> None:
        self.load()

    # -- drawing --------------------------------------------------------------------------------------
    def _show(self, data: dict[str, Any]) -> None:
        self.data = data
        f = data["figures"]
        span = f"{dt.date.fromisoformat(f['start']):%a %d %b} – {dt.date.fromisoformat(f['end']):%a %d %b}"
        self.query_one("#stats-top", Static).update(
            f"[b]Statistics[/b]  {f['week']} ({span})   [dim]{escape(self._weeks_hint())}[/dim]"
        )
        summary = (
            f"[b]{f['reviews']}[/b] review{'' if f['reviews'] == 1 else 's'} · [b]{f['minutes']:g}[/b] min · "
            f"{f['cards_reviewed']} card{'' if f['cards_reviewed'] == 1 else 's'} "
            f"({f['new_cards']} new) · {RETENTION_LABEL} [b]{percent(f['retention'])}[/b] "
            f"[dim]({RETENTION_MEANING})[/dim] · "
            f"{f['active_days']}/7 days active · "
            f"streak {f['streak']}"
        )
        if f["empty"]:
            summary += "\n[i]No activity this week: scores stay empty until there is evidence.[/i]"
        self.query_one("#stats-summary", Static).update(summary)
        self.query_one("#stats-answers", Static).update(self._answers(data["period"]))
        self._draw_plots()
        self.query_one("#stats-scores", Static).update(self._scores_text(f))

    def _draw_plots(self) -> None:
        """Everything laid out for the screen's width (again after a resize)."""
        if self.data is None:
            return
        self.query_one("#stats-cards", Static).update(self._maturity(self.data["maturity"]))
        t = self.data["trends"]
        self._bars(
            "#plot-reviews",
            "Reviews per day (30 days)",
            [d["date"][8:] for d in t["per_day"]],
            [d["reviews"] for d in t["per_day"]],
        )
        self._retention(t["retention"])
        self._forecast([d["due"] for d in self.data["forecast"]])
        self._fillers(t["speech"])

    def on_resize(self, event: events.Resize) -> None:
        # the axis labels are thinned for the plots' width: draw them again for the new one
        self.call_after_refresh(self._draw_plots)

    # -- the collection, as Anki shows it ---------------------------------------------------------------
    def _maturity(self, m: dict[str, Any]) -> Group:
        table = _table()
        # the counts keep their width: a long deck title is cut instead (six columns of 5-6 cells, gaps,
        # the section's padding and the scrollbar)
        title_width = max(10, (self.size.width or 80) - 45)
        table.add_column("Deck", overflow="ellipsis", no_wrap=True, min_width=8, max_width=title_width)
        heads = ("new", "learning", "young", "mature", "suspended", "total")
        # short headings: the table fits 60 columns with the deck titles readable
        for head in ("New", "Learn", "Young", "Mature", "Susp.", "Total"):
            table.add_column(head, justify="right", no_wrap=True)
        for row in m["decks"]:
            table.add_row(Text(row["title"]), *(str(row[h]) for h in heads))
        if len(m["decks"]) > 1:
            table.add_row(Text("All decks", style="bold"), *(Text(str(m["total"][h]), "bold") for h in heads))
        return _titled(
            f"Cards by maturity [dim](young: interval under {MATURE_DAYS} days; mature: {MATURE_DAYS} or more)[/dim]",
            table,
        )

    def _answers(self, p: dict[str, Any]) -> Group:
        over = self._period_text(p["days"])
        period = key_hint(self.app, "stats_period")
        buttons = _table()
        buttons.add_column("", no_wrap=True)
        for head in (*RATING_KEYS, "answers"):
            buttons.add_column(head.title(), justify="right", no_wrap=True)
        for kind, label in (("learning", "Learning cards"), ("review", "Review cards")):
            b = p["buttons"][kind]
            buttons.add_row(label, *(percent(b[k]) for k in RATING_KEYS), str(b["answers"]))
        r = p["retention"]
        kinds = ("learning", "young", "mature", "all")
        retention = _table()
        retention.add_column("", no_wrap=True)
        for kind in kinds:
            retention.add_column(kind.title(), justify="right", no_wrap=True)
        retention.add_row(
            Text(RETENTION_LABEL),
            *(Text(percent(r[k]["retention"]), style="bold" if k == "all" else "") for k in kinds),
        )
        retention.add_row("answers counted", *(str(r[k]["answers"]) for k in kinds))
        return Group(
            _titled(f"Answer buttons, {over} [dim]({escape(period)}: period)[/dim]", buttons),
            Text(""),
            _titled(
                f"{RETENTION_LABEL} by card maturity, {over}",
                retention,
                f"{RETENTION_LABEL}: {RETENTION_MEANING}. Young and mature: Anki's true retention "
                f"(review cards, interval under / from {MATURE_DAYS} days).",
            ),
        )

    def _period_text(self, days: int) -> str:
        if self.week_offset == 0:
            return f"last {days} days"
        last = dt.date.fromisoformat(self.data["period"]["last_day"]) if self.data else None
        return f"{days} days to {last:%d %b}" if last else f"{days} days"

    def _forecast(self, due: list[int]) -> None:
        widget = self.query_one("#stats-forecast", Static)
        width = (widget.content_region.width or self.size.width - 4) - 1
        days = len(due)
        other = next(s for s in FORECAST_SPANS if s != days) if days in FORECAST_SPANS else FORECAST_SPANS[0]
        per = days_per_column(days, width - len(str(sum(due))) - 1)
        head = (
            f"[b]Due, next {days} days[/b]: {sum(due)} · today {due[0] if due else 0} · "
            f"tomorrow {due[1] if days > 1 else 0} · {sum(due) / max(days, 1):.1f}/day"
            + (f" · a bar = {per} days" if per > 1 else "")
            + f"  [dim]({escape(key_hint(self.app, 'forecast_span'))}: {other} days)[/dim]"
        )
        widget.update(Text.from_markup(head) + Text("\n" + "\n".join(day_bars(due, width))))

    def _weeks_hint(self) -> str:
        app = self.app
        return (
            f"{key_hint(app, 'prev_week')} {key_hint(app, 'next_week')} weeks · "
            f"{key_hint(app, 'week_report')} report"
        )

    def _bars(self, selector: str, title: str, labels: list[str], values: list[int]) -> None:
        widget = self.query_one(selector, PlotextPlot)
        plt = widget.plt
        plt.clear_figure()
        plt.title(title)
        plt.bar(list(range(len(values))), values, marker="hd", width=0.6)
        positions, shown = thinned_ticks(labels, widget.size.width)
        plt.xticks(cast("list[float]", positions), shown)  # plotext takes ints too
        plt.xlim(-0.7, len(values) - 0.3)
        top = max([*values, 1])
        step = max(1, -(-top // 5))
        plt.ylim(0, top)
        plt.yticks(list(range(0, top + 1, step)))  # counts are whole numbers
        widget.refresh()

    def _retention(self, weeks: list[dict[str, Any]]) -> None:
        widget = self.query_one("#plot-retention", PlotextPlot)
        plt = widget.plt
        plt.clear_figure()
        plt.title("Retention per week (%)")
        points = [(i, 100 * w["retention"]) for i, w in enumerate(weeks) if w["retention"] is not None]
        if points:
            plt.plot([x for x, _ in points], [y for _, y in points], marker="braille")
            plt.scatter([x for x, _ in points], [y for _, y in points])
        positions, shown = thinned_ticks([w["week"][-3:] for w in weeks], widget.size.width)
        plt.xticks(cast("list[float]", positions), shown)
        plt.xlim(-0.5, len(weeks) - 0.5)
        plt.ylim(0, 100)
        widget.refresh()

    def _fillers(self, speech: list[dict[str, Any]]) -> None:
        widget = self.query_one("#plot-fillers", PlotextPlot)
        plt = widget.plt
        plt.clear_figure()
        plt.title("Fillers per minute (latest spoken answers)")
        points = [
            (i + 1, s["fillers_per_minute"])
            for i, s in enumerate(speech)
            if s["fillers_per_minute"] is not None
        ]
        if points:
            plt.plot([x for x, _ in points], [y for _, y in points], marker="braille")
            plt.scatter([x for x, _ in points], [y for _, y in points])
            plt.hline(3, "green")  # the target
            plt.xlim(0.5, len(speech) + 0.5)
            plt.ylim(0, max(6.0, max(y for _, y in points) + 1))
        widget.refresh()

    @staticmethod
    def _scores_text(f: dict[str, Any]) -> str:
        lines = ["[b]Rubric scores this week[/b]"]
        for r in f["rounds"].values():
            if r["score"] is None:
                lines.append(f"  {r['title']:<14} [dim]no evidence[/dim]")
                continue
            verdict = {
                True: "[green]pass[/green]",
                False: "[red]below pass[/red]",
                None: f"[dim]partial ({r['evidence_max']}/{r['max']} pts with evidence)[/dim]",
            }[r["passed"]]
            change = f"  {r['change']:+g} vs last week" if r["change"] is not None else ""
            lines.append(
                f"  {r['title']:<14} {r['score']:g}/{r['max']} (pass {r['pass']})  {verdict}{change}"
            )
        if f["focus"]:
            lines += ["", "[b]Focus next week[/b]"] + [f"  • {escape(item)}" for item in f["focus"]]
        return "\n".join(lines)

    # -- the report ------------------------------------------------------------------------------------
    def action_write_report(self) -> None:
        self.notify(f"Writing the report for {self.selected_week()}…", title="Report", timeout=3)
        self.write_report()

    @background("Writing the report", group="stats-report")
    def write_report(self) -> None:
        from prepdeck.reports.app import write_week_report

        result = write_week_report(self.papp.context, self.selected_week(), now=self.papp.now())
        self.last_report = result
        self.app.call_from_thread(self.papp.report_written, result["files"])


def _table() -> Table:
    return Table(box=None, pad_edge=False, padding=(0, 1))


def _titled(title: str, table: Table, note: str = "") -> Group:
    """A table under its bold title (markup: key hints only) and over a dim note, each as wide as the screen
    (a table's own title and caption wrap at the table's width)."""
    parts: list[Any] = [Text.from_markup(f"[b]{title}[/b]"), table]
    if note:
        parts.append(Text(note, style="dim"))
    return Group(*parts)


def thinned_ticks(labels: list[str], width: int) -> tuple[list[int], list[str]]:
    """Every k-th label (ending on the latest), spaced so none overlap in a plot `width` cells wide.

    plotext drops a label that would overlap another, trying them in the order of a Python set, which
    changes with string hashing from run to run; labels that never overlap make the axis the same on
    every run (and readable).
    """
    if not labels:
        return [], []
    slot = max(len(label) for label in labels) + 2  # the label and a blank cell on each side
    canvas = max(10, (width or 40) - 9)  # minus the y axis labels and the frame
    step = max(1, math.ceil(len(labels) * (slot + 1) / canvas))
    positions = list(range(len(labels) - 1, -1, -step))[::-1]
    return positions, [labels[i] for i in positions]
