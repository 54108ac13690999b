"""`prepdeck decks list|check`, `grade` and `optimize` run as real processes (docs/cli.md)."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from cli_support import prepdeck

DECK = """\
[deck]
id = "tiny"
title = "Tiny deck"
round = "sql"
desired_retention = 0.85

[[cards]]
id = "first"
type = "recall"
title = "First"
prompt = "What is a window function?"
answer = "A function over a frame of rows related to the current row."

[[cards]]
id = "second"
type = "recall"
title = "Second"
prompt = "ROWS vs RANGE?"
answer = "Physical rows vs values."
"""

BROKEN = """\
[deck]
id = "broken"
title = "Broken"
round = "sql"

[[cards]]
id = "a"
type = "recall"
title = "A"
prompt = "Q"
answer = "A"
colour = "red"
"""


def run(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    return prepdeck(home, *args)


@pytest.fixture
def deck_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "decks"
    folder.mkdir()
    (folder / "tiny.toml").write_text(DECK, encoding="utf-8")
    return folder


def test_decks_list_json(deck_dir: Path, isolated_home: Path) -> None:
    result = run("decks", "list", "--json", "--decks", str(deck_dir), home=isolated_home)
    assert result.returncode == 0, result.stderr
    decks = json.loads(result.stdout)
    tiny = next(d for d in decks if d["id"] == "tiny")
    assert tiny == {
        "id": "tiny",
        "title": "Tiny deck",
        "round": "sql",
        "path": str(deck_dir / "tiny.toml"),
        "cards": 2,
        "due": 0,
        "new": 2,
        "trust": "no code",
    }
    assert decks[-1]["id"] == "tiny"  # --decks folders load after the built-in decks
    run("grade", "tiny/first", "again", "--decks", str(deck_dir), home=isolated_home)
    after = json.loads(run("decks", "list", "--json", "--decks", str(deck_dir), home=isolated_home).stdout)
    tiny = next(d for d in after if d["id"] == "tiny")
    assert (tiny["due"], tiny["new"]) == (1, 1)  # in learning, due within a minute


def test_decks_list_human_table_and_skipped_deck_warning(deck_dir: Path, isolated_home: Path) -> None:
    (deck_dir / "broken.toml").write_text(BROKEN, encoding="utf-8")
    result = run("decks", "list", "--decks", str(deck_dir), home=isolated_home)
    assert result.returncode == 0
    assert re.search(r"^tiny\s+Tiny deck\s+sql\s+2\s+0\s+2$", result.stdout, re.M), result.stdout
    assert "broken.toml" in result.stderr and "Traceback" not in result.stderr


def test_decks_check_reports_path_and_line(deck_dir: Path, isolated_home: Path) -> None:
    clean = run("decks", "check", str(deck_dir / "tiny.toml"), home=isolated_home)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    broken = deck_dir / "broken.toml"
    broken.write_text(BROKEN, encoding="utf-8")
    result = run("decks", "check", str(broken), home=isolated_home)
    assert result.returncode == 1
    assert re.search(rf"^{re.escape(str(broken))}:12: .*colour", result.stdout, re.M), result.stdout
    # default: every deck it would load, including --decks folders
    every = run("decks", "check", "--decks", str(deck_dir), home=isolated_home)
    assert every.returncode == 1 and f"{broken}:12:" in every.stdout
    missing = run("decks", "check", str(deck_dir / "nope.toml"), home=isolated_home)
    assert missing.returncode == 1 and "nope.toml" in missing.stdout


def test_builtin_decks_are_clean(isolated_home: Path) -> None:
    result = run("decks", "check", home=isolated_home)
    assert result.returncode == 0, result.stdout


def test_grade_records_a_review(deck_dir: Path, isolated_home: Path) -> None:
    result = run("grade", "tiny/first", "easy", "--json", "--decks", str(deck_dir), home=isolated_home)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["card"] == "tiny/first" and out["rating"] == 4 and out["rating_name"] == "easy"
    assert out["state"] == "review" and out["interval_days"] >= 1 and out["leech"] is False
    human = run("grade", "tiny/second", "3", "--decks", str(deck_dir), home=isolated_home)
    assert human.returncode == 0 and human.stdout.startswith("tiny/second: good — next in 10m")
    db = sqlite3.connect(isolated_home / "prepdeck.db")
    rows = db.execute("SELECT card_id, rating, kind FROM reviews ORDER BY id").fetchall()
    db.close()
    assert rows == [("tiny/first", 4, "grade"), ("tiny/second", 3, "grade")]


def test_grade_before_a_later_review_says_the_history_was_replayed(
    deck_dir: Path, isolated_home: Path
) -> None:
    later = run(
        "grade",
        "tiny/first",
        "good",
        "--at",
        "2026-11-20T10:00:00+00:00",
        "--decks",
        str(deck_dir),
        home=isolated_home,
    )
    assert later.stdout.startswith("tiny/first: good — next in 10m (due 2026-11-20")
    earlier = run(
        "grade",
        "tiny/first",
        "good",
        "--at",
        "2026-11-10T10:00:00+00:00",
        "--decks",
        str(deck_dir),
        home=isolated_home,
    )
    assert earlier.returncode == 0, earlier.stderr
    # the due date is the card's, after both reviews: no "next in 10m" beside it
    assert earlier.stdout.startswith(
        "tiny/first: good recorded before a later review — history replayed; due "
    )
    assert "next in" not in earlier.stdout


def test_grade_at_a_naive_time_is_local(deck_dir: Path, isolated_home: Path) -> None:
    env_tz = {"TZ": "Asia/Kolkata"}  # UTC+05:30, no DST
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "prepdeck",
            "grade",
            "tiny/first",
            "good",
            "--at",
            "2026-03-01T18:30",
            "--json",
            "--decks",
            str(deck_dir),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "PREPDECK_HOME": str(isolated_home), **env_tz},
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["reviewed_at"] == "2026-03-01T13:00:00.000000+00:00"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["tiny/nope", "good"], "unknown card 'tiny/nope'"),
        (["first", "good"], "did you mean 'tiny/first'"),
        (["tiny/first", "great"], "bad rating 'great'"),
        (["tiny/first", "5"], "bad rating '5'"),
        (["tiny/first", "good", "--at", "yesterday"], "bad --at 'yesterday'"),
        (["tiny/first", "good", "--at", "2999-01-01T00:00"], "in the future"),
    ],
)
def test_grade_bad_input_exits_2_with_one_line(
    deck_dir: Path, isolated_home: Path, args: list[str], message: str
) -> None:
    result = run("grade", *args, "--decks", str(deck_dir), home=isolated_home)
    assert result.returncode == 2
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert result.stdout == ""


def test_database_from_a_newer_prepdeck_exits_2(deck_dir: Path, isolated_home: Path) -> None:
    db = sqlite3.connect(isolated_home / "prepdeck.db")
    db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    db.execute("INSERT INTO meta VALUES ('schema_version', '999')")
    db.commit()
    db.close()
    for args in (["decks", "list"], ["grade", "tiny/first", "good"], ["optimize"]):
        result = run(*args, "--decks", str(deck_dir), home=isolated_home)
        assert result.returncode == 2, args
        assert "newer prepdeck" in result.stderr and "Traceback" not in result.stderr


def test_optimize_says_how_many_reviews_are_missing(deck_dir: Path, isolated_home: Path) -> None:
    run("grade", "tiny/first", "good", "--decks", str(deck_dir), home=isolated_home)
    result = run("optimize", "--json", home=isolated_home)
    assert result.returncode == 0  # too little history is an answer, not an error (docs/cli.md)
    out = json.loads(result.stdout)
    assert out["optimized"] is False and out["review_count"] == 1 and out["needed"] == 399
    human = run("optimize", home=isolated_home)
    assert "399 more" in human.stdout


def test_every_command_that_reads_the_settings_says_what_is_wrong_in_them(isolated_home: Path) -> None:
    # `plan`, `report` and `decks trust` used the defaults in place of a bad value without a word, while
    # `decks list` and the app said it (README: "reported as PATH:LINE: message and its default is used")
    (isolated_home / "config.toml").write_text('[review]\neasy_days = "sun"\n', encoding="utf-8")
    warning = "config.toml:2: [review].easy_days = 'sun': expected a list; using []"
    for args in (
        ("plan",),
        ("report", "--out", str(isolated_home / "out")),
        ("decks", "trust", "no-such-deck"),
    ):
        result = run(*args, home=isolated_home)
        assert warning in result.stderr, (args, result.stderr)
        assert result.stderr.count("easy_days") == 1, args
