"""Statistics screen (minimal version; the report engineer replaces the body with plots).

Keep the class name `StatsScreen` and its no-argument constructor: the app and the palette open it.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, ClassVar, cast

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

if TYPE_CHECKING:
    from prepdeck.tui.app import PrepdeckApp


class StatsScreen(Screen[None]):
    BINDINGS: ClassVar[list[Binding]] = [Binding("escape,q", "app.pop_screen", "Back")]

    def compose(self) -> ComposeResult:
        yield Static("[b]Statistics[/b]", classes="topbar")
        with VerticalScroll():
            yield Static("[dim]loading…[/dim]", id="stats-body")
        yield Footer()

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exclusive=True)
    def load(self) -> None:
        app = cast("PrepdeckApp", self.app)
        now = app.now()
        with app.context.store().lock:
            days = app.scheduling.heatmap(weeks=2, now=now)
            total = app.context.store().review_count()
        app.call_from_thread(self._show, days, total)

    def _show(self, days: dict[dt.date, int], total: int) -> None:
        peak = max(days.values(), default=0) or 1
        lines = [f"Reviews in total: [b]{total}[/b]", "", "[b]Last 14 days[/b]"]
        for day in sorted(days)[-14:]:
            count = days[day]
            lines.append(f"{day:%a %d %b}  {'█' * round(20 * count / peak):<20} {count}")
        self.query_one("#stats-body", Static).update("\n".join(lines))
