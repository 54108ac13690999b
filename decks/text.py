"""Text from decks, answers and results, made safe to show in a terminal.

Deck files and query results come from anywhere: an ANSI or OSC escape sequence in a title or a result
value would otherwise reach the user's terminal raw (recolouring it, rewriting the window title, hiding
text). Control characters are shown as visible symbols instead, never interpreted; long values are cut
so one huge value cannot flood the screen. Rich/Textual markup is a separate matter, handled where text
meets a widget (markup off, or `rich.text.Text`).
"""

from __future__ import annotations

import re

TERMINAL_VALUE_LIMIT = 200  # characters of one value (a cell, a title) printed by the CLI
_BIDI = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
# C0 (but newline and tab), DEL, C1, and the bidirectional controls that reorder what the reader sees
_CONTROL = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}]")


def _show(match: re.Match[str]) -> str:
    ch = match.group(0)
    code = ord(ch)
    if code < 0x20:
        return chr(0x2400 + code)  # the Unicode "control picture": ␛ for ESC, ␍ for CR, ␀ for NUL
    if code == 0x7F:
        return "\u2421"  # ␡
    return f"<U+{code:04X}>"


def visible(text: str) -> str:
    """Control characters (except newline and tab) replaced by visible symbols."""
    return _CONTROL.sub(_show, text)


def truncate(text: str, limit: int | None = TERMINAL_VALUE_LIMIT) -> str:
    if limit is None or len(text) <= limit:
        return text
    return text[: max(limit - 1, 0)] + "…"


def one_line(text: object, limit: int | None = TERMINAL_VALUE_LIMIT) -> str:
    """A value for one line of terminal output: controls visible, newlines as ⏎, cut to `limit`."""
    s = visible(str(text).replace("\r\n", "\n")).replace("\n", "⏎").replace("\t", " ")
    return truncate(s, limit)


def block(text: object, limit: int | None = None) -> str:
    """Multi-line text for the terminal: controls visible, line breaks kept, cut to `limit` characters."""
    return truncate(visible(str(text)), limit)


__all__ = ["TERMINAL_VALUE_LIMIT", "block", "one_line", "truncate", "visible"]
