"""`prepdeck analyze` as a real process (docs/cli.md): a written answer analysed without audio figures."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from cli_support import prepdeck

DECK = """
[deck]
id = "mine"
title = "Mine"
round = "behavioral"

[[cards]]
id = "outage"
type = "star"
title = "An outage"
prompt = "Tell me about an outage."

[[cards]]
id = "clicks"
type = "design"
title = "Clickstream"
prompt = "Design a clickstream pipeline."
answer = "Kafka, a stream job, Iceberg; sized for the peak."

[[cards]]
id = "def"
type = "recall"
title = "STAR?"
prompt = "STAR?"
answer = "Situation, task, action, result."
"""

STORY = """Our nightly load had been failing twice a week.
I had to make it reliable before the quarter close.
I found a skewed join and salted the key.
Failures went from two a week to none in three months.
"""
DESIGN = """We assume 20 million events a day and analysts need them within five minutes.
Producers write to Kafka and a Flink job lands them in Iceberg on S3.
Retries are safe because the sink is idempotent.
I chose Flink rather than Spark because of event-time windows.
"""


def run(*args: str, home: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return prepdeck(home, *args, stdin=stdin)


@pytest.fixture
def files(tmp_path: Path) -> Path:
    (tmp_path / "decks").mkdir()
    (tmp_path / "decks" / "mine.toml").write_text(DECK, encoding="utf-8")
    (tmp_path / "story.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / "design.txt").write_text(DESIGN, encoding="utf-8")
    return tmp_path


def test_a_story_file_and_stdin_as_json(files: Path, isolated_home: Path) -> None:
    done = run("analyze", str(files / "story.txt"), "-", "--json", home=isolated_home, stdin=STORY)
    assert done.returncode == 0, done.stderr
    first, second = json.loads(done.stdout)
    assert first["file"].endswith("story.txt") and second["file"] == "-"
    assert first["kind"] == "star"
    assert [s["beat"] for s in first["star"]["sentences"]] == ["situation", "task", "action", "result"]
    assert first["star"]["missing"] == [] and first["quantified_result"] is True
    assert first["i_we"]["i"] == 2 and first["i_we"]["we"] == 1
    for key in ("audio", "duration_s", "wpm", "pauses"):
        assert key not in first
    assert second["star"] == first["star"]
    assert not list(isolated_home.iterdir())  # nothing stored: analyze only reads


def test_card_picks_the_design_analysis(files: Path, isolated_home: Path) -> None:
    done = run(
        "analyze", str(files / "design.txt"), "--card", "mine/clicks", "--json",
        "--decks", str(files / "decks"), home=isolated_home,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    (result,) = json.loads(done.stdout)
    assert result["kind"] == "design" and "star" not in result
    assert result["design"]["parts"]["tradeoffs"]["found"] and result["design"]["numbers_with_units"] >= 2
    assert not any("STAR" in w for w in result["warnings"])


def test_human_output_lists_each_sentence_with_its_beat(files: Path, isolated_home: Path) -> None:
    done = run("analyze", str(files / "story.txt"), home=isolated_home)
    assert done.returncode == 0, done.stderr
    assert "STAR: situation → task → action → result" in done.stdout
    assert "[action] I found a skewed join and salted the key." in done.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.txt"], "missing.txt: No such file or directory"),
        (["story.txt", "--card", "mine/nope"], "no card mine/nope"),
        (["story.txt", "--card", "mine/def"], "mine/def is a recall card"),
    ],
)
def test_bad_input_exits_2_with_one_line(
    files: Path, isolated_home: Path, args: list[str], message: str
) -> None:
    args = [str(files / a) if a.endswith(".txt") else a for a in args]
    done = run("analyze", *args, "--decks", str(files / "decks"), home=isolated_home)
    assert done.returncode == 2
    assert message in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_an_unreadable_file_still_analyses_the_others(files: Path, isolated_home: Path) -> None:
    (files / "bin.txt").write_bytes(b"\xff\xfe\x00bad")
    done = run("analyze", str(files / "bin.txt"), str(files / "story.txt"), "--json", home=isolated_home)
    assert done.returncode == 2
    assert "not UTF-8 text" in done.stderr
    assert [r["file"] for r in json.loads(done.stdout)] == [str(files / "story.txt")]


def test_an_empty_answer_is_one_line_and_exit_2(files: Path, isolated_home: Path) -> None:
    (files / "empty.txt").write_text(" \n\n", encoding="utf-8")
    done = run("analyze", str(files / "empty.txt"), "--json", home=isolated_home)
    assert done.returncode == 2 and json.loads(done.stdout) == []
    assert (
        done.stderr.strip()
        == f"prepdeck: {files / 'empty.txt'} is empty: write the answer in it as plain text"
    )


def test_a_bare_card_id_is_accepted_and_a_near_one_is_suggested(files: Path, isolated_home: Path) -> None:
    decks = ("--decks", str(files / "decks"))
    done = run("analyze", str(files / "design.txt"), "--card", "clicks", "--json", *decks, home=isolated_home)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)[0]["kind"] == "design"
    done = run("analyze", str(files / "design.txt"), "--card", "clics", *decks, home=isolated_home)
    assert done.returncode == 2
    assert done.stderr.strip() == "prepdeck: no card clics: did you mean mine/clicks?"


def test_markup_and_escape_codes_in_a_design_answer_print_as_text(files: Path, isolated_home: Path) -> None:
    (files / "marked.txt").write_text(
        "[bold]Kafka[/bold] feeds Flink at 20,000 events a second. \x1b[31mIceberg\x1b[0m keeps 90 days.\n",
        encoding="utf-8",
    )
    done = run(
        "analyze", str(files / "marked.txt"), "--card", "mine/clicks", "--decks", str(files / "decks"),
        home=isolated_home,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "[bold]Kafka[/bold] feeds Flink" in done.stdout and "\x1b" not in done.stdout


def test_human_output_writes_trade_offs_as_people_do(files: Path, isolated_home: Path) -> None:
    done = run(
        "analyze", str(files / "design.txt"), "--card", "mine/clicks", "--decks", str(files / "decks"),
        home=isolated_home,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "→ trade-offs" in done.stdout and "[trade-offs] I chose Flink rather than Spark" in done.stdout
    assert "tradeoffs" not in done.stdout


def test_a_built_in_modeling_card_reads_the_answer_as_a_model(files: Path, isolated_home: Path) -> None:
    (files / "model.txt").write_text(
        "fct_trip has one row per trip request, with rider_key, driver_key and the fare_amount measure.\n"
        "dim_driver keeps its history as SCD type 2 with valid_from and valid_to.\n"
        "Trips are partitioned by request date because analysts query revenue per city per day.\n",
        encoding="utf-8",
    )
    done = run(
        "analyze", str(files / "model.txt"), "--card", "model-ride-sharing", "--json", home=isolated_home
    )
    assert done.returncode == 0, done.stderr
    (result,) = json.loads(done.stdout)
    assert result["design"]["structure"] == "model" and result["design"]["missing"] == []
    assert result["warnings"] == []  # no requirements, reliability or sizes: the card asks for a model
    human = run("analyze", str(files / "model.txt"), "--card", "model-ride-sharing", home=isolated_home)
    assert "  model: " in human.stdout and "[history (SCD)] dim_driver" in human.stdout


@pytest.mark.parametrize("command", ["analyze", "check"])
def test_an_endless_answer_file_is_one_line_not_a_hang(
    files: Path, isolated_home: Path, command: str
) -> None:
    """/dev/zero (or any file far past the limit) is read one byte past the cap, then refused; before, both
    commands read it whole: memory filled until the process was killed."""
    args = (
        ["analyze", "/dev/zero"]
        if command == "analyze"
        else ["check", "sql-exercises/dedupe-latest-row", "/dev/zero"]
    )
    done = prepdeck(isolated_home, *args, timeout=60)
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert "cannot read /dev/zero" in done.stderr and "KB" in done.stderr
