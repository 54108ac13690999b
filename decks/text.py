"""Text from decks, answers and results, made safe to show in a terminal.

Deck files and query results come from anywhere: an ANSI or OSC escape sequence in a title or a result
value would otherwise reach the user's terminal raw (recolouring it, rewriting the window title, hiding
text). Control characters are shown as visible symbols instead, never interpreted; long values are cut
so one huge value cannot flood the screen. Rich/Textual markup is a separate matter, handled where text
meets a widget (markup off, or `rich.text.Text`).
"""

from __future__ import annotations

import json
import re
from typing import Any, TextIO

TERMINAL_VALUE_LIMIT = 200  # characters of one value (a cell, a title) printed by the CLI
_BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
# C0 (but newline and tab), DEL, C1, the bidirectional controls that reorder what the reader sees, and lone
# surrogates (an undecodable file name), which a UTF-8 terminal stream refuses with an exception
_CONTROL = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}\ud800-\udfff]")


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


def visible_strings(value: Any) -> Any:
    """Every string in a parsed document (a deck, a sync file) with its control characters made visible (ESC
    as ␛): such text reaches terminals, the app and reports, and an ANSI or OSC sequence in it must never
    act there."""
    if isinstance(value, str):
        return visible(value)
    if isinstance(value, list):
        return [visible_strings(v) for v in value]
    if isinstance(value, dict):
        return {visible(k): visible_strings(v) for k, v in value.items()}
    return value


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


# what json.dumps(ensure_ascii=False) leaves raw although a terminal acts on it (DEL, C1 such as the 8-bit
# CSI \x9b, bidi controls) or cannot print it (lone surrogates from undecodable file names)
_JSON_RAW = re.compile(f"[\x7f-\x9f{_BIDI}\u2028\u2029\ud800-\udfff]")


def json_text(value: Any, indent: int | None = 2) -> str:
    """JSON for a terminal or a pipe: other scripts and languages stay readable UTF-8, and every control
    character is a \\u escape (json.dumps escapes only C0), so the data is whole and nothing is interpreted."""
    text = json.dumps(value, indent=indent, ensure_ascii=False, default=str)
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


class VisibleStream:
    """A text stream that shows control characters visibly (see `visible`) before they reach the real
    one: the command line's safety net, so no message, path or value a command prints can drive the
    terminal, whichever code path printed it. Everything else is the wrapped stream's."""

    def __init__(self, stream: TextIO):
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(visible(text))
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


__all__ = ["TERMINAL_VALUE_LIMIT", "VisibleStream", "block", "json_text", "one_line", "truncate", "visible"]
