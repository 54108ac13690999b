"""Help (`?`): every action with its current keys (after `[keys]` in config.toml) and how to remap."""

from __future__ import annotations

from typing import Any, ClassVar, cast

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from prepdeck.tui.bindings import SCOPES, actions_for, display_key
from prepdeck.tui.components.footer import AdaptiveFooter


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q,question_mark", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box"):
            yield Static("[b]Keys[/b]  [dim]Escape closes[/dim]", classes="topbar")
            with VerticalScroll(id="help-scroll"):
                yield Static(self._text(), id="help-text")
        yield AdaptiveFooter(own_keys_only=True)

    def _text(self) -> Group:
        """Rich renderables, not markup: keys such as "[" and deck text must show as written; one table
        per screen keeps each binding id on its line (the description wraps instead) at 80 columns."""
        app = self.app
        keymap = cast(dict[str, str], getattr(app, "_keymap", {}))
        parts: list[Any] = []
        for scope, title in SCOPES.items():
            parts.append(Text(title, style="bold"))
            table = Table(box=None, show_header=False, padding=(0, 1), expand=True)
            table.add_column("keys", no_wrap=True, style="bold", min_width=9)
            table.add_column("what", ratio=1)
            table.add_column("id", no_wrap=True, style="dim")
            for action in actions_for(scope):
                keys = keymap.get(action.id, action.keys)
                shown = " / ".join(display_key(app, k) for k in keys.split(","))
                ident = Text(action.id)
                if action.id in keymap:
                    ident.append(" (remapped)", style="yellow")
                table.add_row(shown, action.help or action.description, ident)
            parts += [table, Text("")]
        parts.append(Text.assemble(("Remap", "bold"), " in config.toml, by the ids above:"))
        parts.append(Text('  [keys]\n  reveal = "space,enter"\n  rate_good = "j"', style="dim"))
        problems = getattr(app, "key_problems", [])
        if problems:
            parts += [Text(""), Text("Problems in [keys]", style="bold yellow")]
            parts += [Text(f"  {p}") for p in problems]
        return Group(*parts)

    def action_dismiss(self) -> None:  # type: ignore[override]
        self.dismiss(None)
