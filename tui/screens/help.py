"""Help (`?`): every action with its current keys (after `[keys]` in config.toml) and how to remap."""

from __future__ import annotations

from typing import ClassVar, cast

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from prepdeck.tui.bindings import SCOPES, actions_for, display_key


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[Binding]] = [Binding("escape,q,question_mark", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box"):
            yield Static("[b]Keys[/b]  [dim]Escape closes[/dim]", classes="topbar")
            with VerticalScroll(id="help-scroll"):
                yield Static(self._text(), id="help-text")

    def _text(self) -> str:
        app = self.app
        keymap = cast(dict[str, str], getattr(app, "_keymap", {}))
        lines: list[str] = []
        for scope, title in SCOPES.items():
            lines.append(f"[b]{title}[/b]")
            for action in actions_for(scope):
                keys = keymap.get(action.id, action.keys)
                shown = " / ".join(display_key(app, k) for k in keys.split(","))
                remapped = " [yellow](remapped)[/yellow]" if action.id in keymap else ""
                lines.append(
                    f"  [b]{escape(f'{shown:<11}')}[/b] {escape(action.help or action.description):<34}"
                    f" [dim]{action.id}[/dim]{remapped}"
                )
            lines.append("")
        lines.append("[b]Remap[/b] in config.toml, by the ids above:")
        # "[keys]" is TOML here, not markup: escaped, or it vanishes from the screen
        lines.append(
            f'  [dim]{escape("[keys]")}[/dim]\n  [dim]reveal = "space,enter"[/dim]\n  [dim]rate_good = "j"[/dim]'
        )
        problems = getattr(app, "key_problems", [])
        if problems:
            lines.append("")
            lines.append(f"[b yellow]Problems in {escape('[keys]')}[/b yellow]")
            lines += [f"  {escape(p)}" for p in problems]
        return "\n".join(lines)

    def action_dismiss(self) -> None:  # type: ignore[override]
        self.dismiss(None)
