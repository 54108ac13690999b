"""Line numbers for TOML keys. `tomllib` gives values but no positions, and the deck format promises
`PATH:LINE` for every problem, so this scans the text once and maps each key path
(e.g. ("cards", 3, "cases", 1, "data", "events")) to the line where it is written.
"""

from __future__ import annotations

import re

KeyPath = tuple[str | int, ...]

_BARE = re.compile(r"[A-Za-z0-9_-]+")


def _split_key(text: str) -> list[str]:
    """`a."b.c".d` -> ["a", "b.c", "d"]."""
    parts: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch in " \t.":
            i += 1
        elif ch in "\"'":
            end = text.find(ch, i + 1)
            if end < 0:
                break
            parts.append(text[i + 1 : end])
            i = end + 1
        else:
            m = _BARE.match(text, i)
            if not m:
                break
            parts.append(m.group(0))
            i = m.end()
    return parts


def _key_and_rest(line: str) -> tuple[str, str] | None:
    """Split `key = value` honouring quoted keys; None when the line holds no key."""
    i, n = 0, len(line)
    while i < n:
        ch = line[i]
        if ch in "\"'":
            end = line.find(ch, i + 1)
            if end < 0:
                return None
            i = end + 1
        elif ch == "=":
            return line[:i], line[i + 1 :]
        elif ch == "#":
            return None
        else:
            i += 1
    return None


def _scan_value(rest: str, state: dict[str, object]) -> None:
    """Track multi-line strings and arrays/inline tables spanning lines."""
    i, n = 0, len(rest)
    delim = state["string"]
    if delim in ('"""', "'''") and "\\" not in rest:
        # fast path for the body of a multi-line string: one search instead of a character walk
        end = rest.find(str(delim))
        if end < 0:
            return
        state["string"] = None
        i = end + 3
    while i < n:
        ch = rest[i]
        if state["string"]:
            delim = str(state["string"])
            if ch == "\\" and delim[0] == '"':  # escaped character inside a basic string
                i += 2
                continue
            if rest.startswith(delim, i):
                state["string"] = None
                i += len(delim)
                continue
            i += 1
            continue
        if rest.startswith('"""', i) or rest.startswith("'''", i):
            state["string"] = rest[i : i + 3]
            i += 3
        elif ch in "\"'":
            state["string"] = ch
            i += 1
        elif ch in "[{":
            state["depth"] = int(state["depth"]) + 1  # type: ignore[call-overload]
            i += 1
        elif ch in "]}":
            state["depth"] = int(state["depth"]) - 1  # type: ignore[call-overload]
            i += 1
        elif ch == "#":
            break
        else:
            i += 1
    # a single-quoted/double-quoted basic string cannot span lines
    if state["string"] in ('"', "'"):
        state["string"] = None


def key_lines(text: str) -> dict[KeyPath, int]:
    positions: dict[KeyPath, int] = {}
    counters: dict[KeyPath, int] = {}  # array-of-tables path -> index of its latest element
    current: KeyPath = ()
    state: dict[str, object] = {"string": None, "depth": 0}

    def resolve(parts: list[str]) -> KeyPath:
        path: KeyPath = ()
        for p in parts:
            path = (*path, p)
            if path in counters:
                path = (*path, counters[path])
        return path

    for lineno, line in enumerate(text.splitlines(), 1):
        if state["string"] or int(state["depth"]) > 0:  # type: ignore[call-overload]
            _scan_value(line, state)
            continue
        s = line.strip()
        if not s or s.startswith("#"):
            continue
        if s.startswith("[["):
            parts = _split_key(s[2 : s.find("]]")] if "]]" in s else s[2:])
            if not parts:
                continue
            base = (*resolve(parts[:-1]), parts[-1])
            counters[base] = counters.get(base, -1) + 1
            current = (*base, counters[base])
            positions.setdefault(base, lineno)
            positions[current] = lineno
        elif s.startswith("["):
            parts = _split_key(s[1 : s.find("]")] if "]" in s else s[1:])
            current = resolve(parts)
            positions.setdefault(current, lineno)
        else:
            kv = _key_and_rest(line)
            if kv is None:
                continue
            parts = _split_key(kv[0])
            for k in range(1, len(parts) + 1):
                positions.setdefault((*current, *parts[:k]), lineno)
            _scan_value(kv[1], state)
    return positions


def line_of(positions: dict[KeyPath, int], path: KeyPath) -> int | None:
    """The line of `path`, or of its nearest written ancestor."""
    for end in range(len(path), 0, -1):
        line = positions.get(path[:end])
        if line is not None:
            return line
    return None
