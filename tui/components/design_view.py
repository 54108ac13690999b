"""System-design cards: the prompt, capacity numbers answered before the reveal, then the model
answer with the checklist as checkboxes the user ticks; the coverage suggests the rating.

The ticks and the numbers are stored as a self-check row (`Store.add_self_check`, linked to the
review by `Scheduling.review`) and in the review payload, so reports and mocks can score them.
The numbers and the checklist are a `DesignSheet`, which the spoken view (a design card answered
aloud, key `r`) composes too, so both ways of answering keep the same evidence.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from rich.markup import escape
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label, Static

from prepdeck.core.selfcheck import NumberVerdict, check_number, coverage, suggested_rating
from prepdeck.scoring.evidence import DesignAnswer, SpokenAnswer
from prepdeck.tui.bindings import action_here, key_here
from prepdeck.tui.components.card_view import CardView
from prepdeck.tui.components.deck_markdown import DeckMarkdown
from prepdeck.tui.components.fields import TextField, focus_now
from prepdeck.tui.text import plain

if TYPE_CHECKING:
    from prepdeck.core.store import Store
    from prepdeck.decks.model import Card


class DesignSheet:
    """The capacity numbers and the checklist of one design card, inside the view `host`."""

    def __init__(self, host: Widget, card: Card, after_last: Callable[[], None]) -> None:
        self.host = host
        self.card = card
        self.after_last = after_last  # Enter in the last number field: focus back to the host's keys, at once
        self.numbers: dict[str, str] = {}  # input id -> text to start with (set before the host mounts)
        self.ticked: list[bool] = []  # checklist ticks to start with (set before the host mounts)
        self._auto_ticked: set[int] = set()  # points a right number ticked (once: the user may untick)

    def carry_from(self, other: DesignSheet) -> None:
        """Start with what was typed and ticked on `other`, the same card's sheet in another view: the
        user's work never vanishes when the view changes, nor does a point they unticked tick again."""
        self.numbers = other.typed_numbers()
        self.ticked = other.ticks()
        self._auto_ticked = set(other._auto_ticked)

    @property
    def empty(self) -> bool:
        return not (self.card.checklist or self.card.numbers)

    # -- layout ------------------------------------------------------------------------------------
    def compose_numbers(self) -> ComposeResult:
        if not self.card.numbers:
            return
        with Vertical(id="numbers", classes="design-section"):
            edit, leave = (escape(key_here(self.host, a)) for a in ("edit", "leave"))
            yield Label(
                f"[b]Capacity numbers[/b] [dim]({edit}: type your answers; {leave} leaves the field)[/dim]"
            )
            for i, q in enumerate(self.card.numbers):
                with Horizontal(classes="number-row"):
                    yield Label(escape(q.question), classes="number-question")
                    yield TextField(
                        self.numbers.get(f"number-{i}", ""),
                        placeholder=q.unit or "number",
                        id=f"number-{i}",
                        classes="number-input",
                        on_enter=partial(self.next_number, i),
                    )
                    yield Static("", id=f"verdict-{i}", classes="number-verdict")

    def compose_checklist(self) -> ComposeResult:
        if self.card.checklist:
            with Vertical(id="checklist", classes="design-section"):
                yield Label("[b]Tick what you covered[/b] [dim](Tab to a point, Space ticks)[/dim]")
                for i, item in enumerate(self.card.checklist):
                    ticked = i < len(self.ticked) and self.ticked[i]
                    yield Checkbox(plain(item), ticked, id=f"check-{i}", classes="check-item")
        yield Static("", id="coverage")

    def next_number(self, index: int) -> None:
        """Enter in number field `index`: on to the next one, as Tab (at once: "50 Enter 4.32" in one burst
        puts 4.32 in the second field); after the last, `after_last`."""
        if index + 1 < len(self.card.numbers):
            focus_now(self.host.query_one(f"#number-{index + 1}", Input))
        else:
            self.after_last()

    # -- state ------------------------------------------------------------------------------------
    def first_point(self) -> Checkbox | None:
        return next(iter(self.host.query(Checkbox).results(Checkbox)), None)

    def typed_numbers(self) -> dict[str, str]:
        """The capacity answers typed so far, by input id."""
        return {
            box.id: box.value
            for box in self.host.query(".number-input").results(Input)
            if box.id and box.value
        }

    def ticks(self) -> list[bool]:
        return [self.host.query_one(f"#check-{i}", Checkbox).value for i in range(len(self.card.checklist))]

    def verdicts(self) -> list[NumberVerdict]:
        return [
            check_number(self.host.query_one(f"#number-{i}", Input).value, q.answer, q.tolerance)
            for i, q in enumerate(self.card.numbers)
        ]

    def coverage(self) -> float | None:
        return coverage(self.ticks(), [v.correct for v in self.verdicts()])

    def payload(self) -> dict[str, Any]:
        cover = self.coverage()
        return {
            "checklist": self.ticks(),
            "numbers": [
                {"question": q.question, "expected": q.answer, **v.to_json()}
                for q, v in zip(self.card.numbers, self.verdicts(), strict=True)
            ],
            "coverage": None if cover is None else round(cover, 3),
        }

    def commit(self, store: Store) -> None:
        if not self.empty:
            store.add_self_check(self.card.global_id, self.ticks(), [v.to_json() for v in self.verdicts()])

    def tick_named_points(self, verdicts: list[NumberVerdict]) -> list[str]:
        """Tick, once, each checklist point that names a number the user got right ("Ingest rate 50 MB/s"
        for 50 MB/s): the arithmetic is that point. The points ticked, for the coverage line."""
        ticked: list[str] = []
        done = self._auto_ticked
        for q, verdict in zip(self.card.numbers, verdicts, strict=True):
            if not verdict.correct:
                continue
            for i, item in enumerate(self.card.checklist):
                if i not in done and names_value(item, q.answer):
                    done.add(i)
                    self.host.query_one(f"#check-{i}", Checkbox).value = True
                    ticked.append(item)
        self._auto_ticked = done
        return ticked

    def refresh(self) -> int | None:
        """Show each number's verdict and the coverage line; the rating the coverage suggests."""
        verdicts = self.verdicts()
        self.tick_named_points(verdicts)
        for i, (q, verdict) in enumerate(zip(self.card.numbers, verdicts, strict=True)):
            expected = f"{q.answer:,.6g}{(' ' + q.unit) if q.unit else ''}"
            if verdict.correct:
                text = f"[green]✓[/green] [dim]{escape(expected)}[/dim]"
            elif verdict.text and verdict.value is None:
                text = f"[red]?[/red] not a number · [dim]{escape(expected)}[/dim]"
            else:
                text = f"[red]✗[/red] {escape(expected)}"
            self.host.query_one(f"#verdict-{i}", Static).update(text)
        cover = self.coverage()
        if cover is None:
            return None
        ticked, total = sum(self.ticks()), len(self.card.checklist)
        right = sum(v.correct for v in verdicts)
        parts = []
        if total:
            parts.append(f"{ticked}/{total} points")
        if self.card.numbers:
            parts.append(f"{right}/{len(self.card.numbers)} numbers")
        if self.card.numbers and right == len(self.card.numbers):
            named = sorted(self._auto_ticked)
            parts.append(
                "numbers ticked their points"
                if named
                else "no checklist point names the numbers: they count here"
            )
        names = {1: "Again", 2: "Hard", 3: "Good"}
        rating = suggested_rating(cover)
        self.host.query_one("#coverage", Static).update(
            f"Coverage {cover:.0%} ({', '.join(parts)}) → suggests [b]{names.get(rating or 0, '')}[/b]"
        )
        return rating


def design_answer(
    card: Card, sheet: DesignSheet, revealed: bool, spoken: SpokenAnswer | None
) -> DesignAnswer:
    """A design card's answer as evidence: the checklist counts once revealed (it is ticked after)."""
    ticks = sheet.ticks() if revealed else []
    return DesignAnswer(
        card.global_id,
        list(zip(card.checklist, ticks, strict=False)),
        [
            {"question": q.question, "expected": q.answer, **v.to_json()}
            for q, v in zip(card.numbers, sheet.verdicts(), strict=True)
        ],
        spoken,
    )


def names_value(text: str, value: float) -> bool:
    """`text` states `value` as people write it: 50, 4.32, 1.58 (for 1.5768), 11,574 or 11574."""
    forms = {f"{value:g}", f"{value:,g}", f"{value:.3g}"}  # never rounded to a bare integer: "2" is not 1.58
    numbers = {m.replace(",", "") for m in re.findall(r"(?<![\w.])\d[\d,]*(?:\.\d+)?", text)}
    return any(form.replace(",", "") in numbers for form in forms if "e" not in form)


class DesignCardView(CardView):
    CARD_TYPES = ("design",)

    def __init__(self, card: Any, context: Any, **kwargs: Any) -> None:
        super().__init__(card, context, **kwargs)
        # after the last number, back to the screen's keys: Space reveals, 1–4 rate
        self.sheet = DesignSheet(self, card, after_last=lambda: self.screen.set_focus(None))

    def compose(self) -> ComposeResult:
        card = self.card
        yield self.card_header()
        lo, hi = card.speaking_target()
        yield DeckMarkdown(card.prompt, classes="prompt")
        speak, done = escape(key_here(self, "speak")), escape(key_here(self, "reveal"))
        if action_here(self, "reveal") != "reveal":  # a mock: its next-phase key; the answer shows at the end
            done = f"the model answer shows when the round ends ({done}: next phase)"
        yield Static(
            f"[dim]Answer on paper in {lo // 60}–{hi // 60} min, then {done}; or {speak} to answer aloud "
            "(recorded, scored /100).[/dim]",
            classes="hint",
        )
        yield from self.sheet.compose_numbers()
        with Vertical(id="revealed", classes="hidden"):
            if card.answer:
                yield DeckMarkdown(card.answer, classes="answer")
            yield from self.sheet.compose_checklist()

    # -- state -----------------------------------------------------------------------------------
    def ticks(self) -> list[bool]:
        return self.sheet.ticks()

    def verdicts(self) -> list[NumberVerdict]:
        return self.sheet.verdicts()

    def coverage(self) -> float | None:
        return self.sheet.coverage()

    # -- contract --------------------------------------------------------------------------------
    def reveal(self) -> None:
        if self.revealed:
            return
        super().reveal()
        revealed = self.query_one("#revealed")
        revealed.remove_class("hidden")
        self._refresh_verdicts()
        self.call_after_refresh(self.scroll_to_widget, revealed, top=True, animate=False)

    def suggested_rating(self) -> int | None:
        return suggested_rating(self.coverage()) if self.revealed else None

    def review_payload(self) -> dict[str, Any] | None:
        return None if self.sheet.empty else {"self_check": self.sheet.payload()}

    def evidence(self) -> DesignAnswer:
        return design_answer(self.card, self.sheet, self.revealed, None)

    def commit_evidence(self, store: Store) -> None:
        self.sheet.commit(store)

    def tab_start(self) -> Widget | None:
        return self.sheet.first_point() if self.revealed else None

    def has_editor(self) -> bool:
        # the checklist shows only once revealed: before that, e has nothing to go to
        return bool(self.card.numbers or (self.card.checklist and self.revealed))

    def focus_editor(self) -> bool:
        targets = list(self.query(Input)) + (list(self.query(Checkbox)) if self.revealed else [])
        empty = [t for t in targets if isinstance(t, Input) and not t.value]
        target = (empty or targets or [None])[0]
        if target is None:
            return False
        focus_now(target)
        return True

    # -- events ----------------------------------------------------------------------------------
    @on(Checkbox.Changed)
    @on(Input.Changed)
    def _changed(self) -> None:
        if self.revealed:
            self._refresh_verdicts()

    def _refresh_verdicts(self) -> None:
        self.suggest(self.sheet.refresh())
