"""Every command-line command that prints deck-, answer- or result-derived text, attacked with terminal
control characters (issue 12): 7-bit ESC/BEL sequences, the 8-bit CSI (U+009B) and OSC (U+009D) that a
UTF-8 terminal acts on as well, DEL, bidi overrides, and file names that are not UTF-8 at all.

Each command runs as a real process; its stdout and stderr bytes must hold none of them raw: text output
shows them visibly (␛, <U+009B>), `--json` escapes them (\\u009b) and still carries the value whole."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

C1 = "\x9b31m\x9d0;pwned\x9c"  # 8-bit CSI colour, 8-bit OSC window title, 8-bit string terminator
C0 = "\x1b[5m\x1b]0;pwned\x07"
BIDI = "\u202eevil\u202c"
HOSTILE = C1 + C0 + "\x7f" + BIDI
# raw in the output = interpretable by the terminal (or, for lone surrogates, unprintable: a traceback)
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def toml_escaped(text: str) -> str:
    return "".join(f"\\u{ord(c):04x}" if ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F else c for c in text)


DECK = f"""
[deck]
id = "hostile"
title = "deck {toml_escaped(HOSTILE)}"
round = "sql"

[[cards]]
id = "recall"
type = "recall"
title = "recall {toml_escaped(HOSTILE)}"
prompt = "p {toml_escaped(HOSTILE)}"
answer = "a {toml_escaped(HOSTILE)}"

[[cards]]
id = "query"
type = "sql"
title = "query {toml_escaped(HOSTILE)}"
prompt = "p"
solution = "SELECT v FROM t"
tables = {{ t = "v VARCHAR" }}
[[cards.cases]]
name = "case {toml_escaped(HOSTILE)}"
[cards.cases.data]
t = "v\\nrow {toml_escaped(HOSTILE)}\\n"

[[cards]]
id = "story"
type = "star"
title = "story {toml_escaped(HOSTILE)}"
prompt = "Tell me about an outage."
"""

ANSWER_TEXT = (
    f"Situation: the nightly load failed {HOSTILE}. Task: I owned the fix. Action: I rebuilt the "
    "pipeline. Result: latency dropped 40%.\n"
)


def run(home: Path, *args: str | bytes, stdin: bytes | None = None) -> tuple[int, str, str]:
    """One real `prepdeck` process; its output decoded as the terminal would, with undecodable bytes kept
    visible to the check (surrogateescape)."""
    done = subprocess.run(
        [sys.executable, "-m", "prepdeck.cli", *args],
        capture_output=True,
        input=stdin,
        env={**os.environ, "PREPDECK_HOME": str(home), "PYTHONIOENCODING": "utf-8"},
        timeout=300,
    )
    out, err = (s.decode("utf-8", "surrogateescape") for s in (done.stdout, done.stderr))
    return done.returncode, out, err


def strings(value: object) -> list[str]:
    """Every string inside a parsed JSON value."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return []


def assert_harmless(args: tuple[str | bytes, ...], out: str, err: str) -> None:
    for name, stream in (("stdout", out), ("stderr", err)):
        found = RAW.search(stream)
        assert found is None, (args, name, repr(found.group(0) if found else ""), stream[:2000])


@pytest.fixture
def hostile(tmp_path: Path) -> dict[str, Path]:
    # the deck's own folder and the files handed to commands carry control characters in their names too
    decks = tmp_path / f"decks{C1}{BIDI}"
    decks.mkdir()
    (decks / "hostile.toml").write_text(DECK, encoding="utf-8")
    answers = tmp_path / "answers"
    answers.mkdir()
    rows = answers / f"rows{C1}.sql"
    # result values that make 8-bit and 7-bit escapes of their own, and a wrong answer's diff
    rows.write_text(
        "SELECT v || chr(155) || '31m' || chr(27) || ']0;x' || chr(7) AS v FROM t", encoding="utf-8"
    )
    error = answers / "error.sql"
    # the engine's error message quotes the answer's literal: the error line must show it visibly
    error.write_text(f"SELECT CAST('{HOSTILE}' AS INTEGER) AS v FROM t", encoding="utf-8")
    text = answers / f"answer{C1}.txt"
    text.write_text(ANSWER_TEXT, encoding="utf-8")
    return {"decks": decks, "rows": rows, "error": error, "text": text, "tmp": tmp_path}


def test_every_command_shows_hostile_text_harmlessly(hostile: dict[str, Path], isolated_home: Path) -> None:
    decks, tmp = str(hostile["decks"]), hostile["tmp"]
    not_utf8 = os.fsencode(tmp) + b"/missing-\x9b\xff.txt"  # a name that does not decode as UTF-8
    sync_dir = tmp / f"sync{C1}"
    sync_dir.mkdir()
    runs: list[tuple[str | bytes, ...]] = [
        ("--decks", decks, "decks", "list"),
        ("decks", "check", decks),
        ("decks", "trust", str(hostile["decks"] / "hostile.toml")),
        ("decks", "untrust", str(hostile["decks"] / "hostile.toml")),
        ("--decks", decks, "check", "hostile/query", str(hostile["rows"]), str(hostile["error"])),
        ("--decks", decks, "grade", "hostile/recall", "good"),
        ("--decks", decks, "analyze", str(hostile["text"]), "--card", "hostile/story"),
        ("analyze", "-"),
        ("analyze", not_utf8),
        ("transcribe", str(tmp / f"missing{C0}{C1}.wav")),
        ("--decks", decks, "record", "hostile/story", "--from", str(tmp / f"gone{C1}.wav")),
        ("--decks", decks, "record", f"hostile/{C1}"),
        ("--decks", decks, "report", "--out", str(tmp / "out")),
        ("--decks", decks, "plan"),
        ("sync", str(sync_dir)),
        ("--decks", decks, "optimize"),
        ("analyze", "a.txt", f"--{C1}{C0}"),  # an unknown option (a file name from a glob): argparse
        (f"{C1}",),
    ]
    for args in runs:
        code, out, err = run(isolated_home, *args, stdin=ANSWER_TEXT.encode())
        assert code in (0, 1, 2), (args, err)
        assert "Traceback" not in err, (args, err)
        assert_harmless(args, out, err)
        if args[-2:] == ("analyze", "-"):  # the text itself is in the summary, shown visibly
            assert "<U+009B>31m<U+009D>0;pwned" in out and "␛[5m␛]0;pwned␇" in out, out
        if "check" in args and "hostile/query" in args:
            assert "<U+009B>31m␛]0;x␇" in out and "␛[5m" in out, out  # result value and error line


def test_every_json_output_escapes_control_characters_and_keeps_the_value(
    hostile: dict[str, Path], isolated_home: Path
) -> None:
    decks, tmp = str(hostile["decks"]), hostile["tmp"]
    sync_dir = tmp / f"sync{C1}"
    sync_dir.mkdir()
    interview_day = (dt.date.today() + dt.timedelta(days=60)).isoformat()  # plan refuses dates > 3 years away
    runs: list[tuple[str, ...]] = [
        ("--decks", decks, "decks", "list", "--json"),
        ("--decks", decks, "check", "hostile/query", str(hostile["rows"]), "--json"),
        ("--decks", decks, "grade", "hostile/recall", "good", "--json"),
        ("--decks", decks, "analyze", str(hostile["text"]), "--json"),
        ("--decks", decks, "report", "--out", str(tmp / "out"), "--json"),
        ("--decks", decks, "plan", "--date", interview_day, "--minutes", "30", "--json"),
        ("sync", str(sync_dir), "--json"),
    ]
    parsed = {}
    for args in runs:
        code, out, err = run(isolated_home, *args)
        assert code in (0, 1), (args, err)
        assert_harmless(args, out, err)
        parsed[args[0] if args[0] == "sync" else args[2]] = json.loads(out)
    # JSON carries the data whole: the escapes decode back to the characters the file and answer held
    (analysed,) = parsed["analyze"]
    assert HOSTILE in analysed["text"] and analysed["file"] == str(hostile["text"])
    (checked,) = parsed["check"]
    assert any("\x9b31m\x1b]0;x\x07" in value for value in strings(checked)), checked
    assert parsed["sync"]["folder"] == str(sync_dir)


@pytest.mark.slow
@pytest.mark.whisper
def test_transcribe_and_record_json_escape_a_hostile_file_name(tmp_path: Path, isolated_home: Path) -> None:
    """The audio file's name is the one attacker-chosen string in `transcribe --json` (a downloaded file);
    `record` stores a copy under its own name but prints the card's title."""
    audio = tmp_path / f"clip{C1}{BIDI}.wav"
    shutil.copy(Path(__file__).parent / "fixtures" / "audio" / "short.wav", audio)
    decks = tmp_path / "decks"
    decks.mkdir()
    (decks / "hostile.toml").write_text(DECK, encoding="utf-8")
    for args in (
        ("transcribe", str(audio), "--json"),
        ("transcribe", str(audio)),
        ("--decks", str(decks), "record", "hostile/story", "--from", str(audio), "--json"),
        ("--decks", str(decks), "record", "hostile/story", "--from", str(audio)),
    ):
        code, out, err = run(isolated_home, *args)
        assert code == 0, (args, err)
        assert_harmless(args, out, err)
        if args[0] == "transcribe" and "--json" in args:
            (result,) = json.loads(out)
            assert result["audio"] == str(audio) and result["text"]
        if args[-1] != "--json" and "record" in args:
            assert "story <U+009B>31m<U+009D>0;pwned" in out, out


def test_a_huge_result_value_is_cut_in_json_and_in_text(
    hostile: dict[str, Path], isolated_home: Path
) -> None:
    """`check --json` keeps values whole up to 10,000 characters and says how much it cut; the text output
    cuts each value to one terminal line."""
    answer = hostile["tmp"] / "huge.sql"
    answer.write_text("SELECT repeat('x', 200000) AS v FROM t", encoding="utf-8")
    args = ("--decks", str(hostile["decks"]), "check", "hostile/query", str(answer))
    code, out, _ = run(isolated_home, *args, "--json")
    (result,) = json.loads(out)
    (value,) = result["cases"][0]["unexpected"][0]
    assert code == 1 and value == "x" * 10_000 + "… (190,000 more characters)"
    code, out, _ = run(isolated_home, *args)
    assert code == 1 and max(len(line) for line in out.splitlines()) < 1000
