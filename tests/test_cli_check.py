"""`prepdeck check`: exit codes 0 / 1 / 2, the JSON shape of cli.md, the human summary, hidden cases."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from sql_cards import DECK, write_deck

from prepdeck.cli import main

RECALL = """
[[cards]]
id = "a-recall-card"
type = "recall"
title = "Recall"
prompt = "What is a window function?"
answer = "A function over a frame of rows."
"""

GOOD = """SELECT order_id, status, updated_at FROM order_events
QUALIFY ROW_NUMBER() OVER (PARTITION BY order_id ORDER BY updated_at DESC, status_id DESC) = 1
"""
WRONG_TIE = GOOD.replace("status_id DESC", "status_id ASC")


@pytest.fixture
def decks(tmp_path: Path) -> Path:
    folder = tmp_path / "decks"
    write_deck(folder, DECK + RECALL)
    return folder


def _answer(tmp_path: Path, name: str, text: str | bytes) -> str:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return str(path)


def _run(decks: Path, *args: str) -> int:
    return main(["check", "--decks", str(decks), *args])


def test_all_passed_exits_0_with_a_summary(
    decks: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    status = _run(decks, "judge-test/latest-order", _answer(tmp_path, "a.sql", GOOD))
    out = capsys.readouterr().out
    assert status == 0
    assert "a.sql (duckdb): passed, 3/3 cases" in out


def test_any_failed_exits_1_and_hidden_cases_show_only_the_kind(
    decks: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    status = _run(
        decks,
        "judge-test/latest-order",
        _answer(tmp_path, "a.sql", GOOD),
        _answer(tmp_path, "b.sql", WRONG_TIE),
    )
    out = capsys.readouterr().out
    assert status == 1
    lines = out.splitlines()
    passed = r".*/a\.sql \(duckdb\): passed, 3/3 cases, \d+ ms, judged on duckdb [\d.]+"
    assert any(re.fullmatch(passed, line) for line in lines), lines
    assert "b.sql (duckdb): FAILED, 2/3 cases" in out
    assert "✗ hidden case 'tie on timestamp': 1 row missing, 1 unexpected" in out
    assert "PAID" not in out  # the hidden case's rows stay hidden


def test_visible_failures_list_the_rows(decks: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    answer = _answer(tmp_path, "c.sql", "SELECT order_id, status, updated_at FROM order_events")
    assert _run(decks, "judge-test/latest-order", answer) == 1
    out = capsys.readouterr().out
    assert "✗ case 'example': 1 unexpected row" in out
    assert "unexpected o1 | NEW | 2026-03-30 10:00:00" in out


def test_json_shape(decks: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    status = _run(
        decks,
        "judge-test/latest-order",
        _answer(tmp_path, "a.sql", GOOD),
        _answer(tmp_path, "b.sql", WRONG_TIE),
        "--json",
    )
    data = json.loads(capsys.readouterr().out)
    assert status == 1
    assert [d["answer"] for d in data] == [str(tmp_path / "a.sql"), str(tmp_path / "b.sql")]
    first, second = data
    assert set(first) == {"card", "answer", "dialect", "engine", "passed", "elapsed_ms", "error", "cases"}
    assert first["card"] == "judge-test/latest-order" and first["dialect"] == "duckdb"
    assert re.fullmatch(r"duckdb \d+\.\d+", first["engine"])
    assert first["passed"] is True and first["error"] is None and isinstance(first["elapsed_ms"], float)
    case = second["cases"][1]
    assert set(case) >= {"name", "hidden", "passed", "error", "message", "missing", "unexpected"}
    assert case == {
        "name": "tie on timestamp",
        "hidden": True,
        "passed": False,
        "error": None,
        "message": "1 row missing, 1 unexpected",
        "missing": [],
        "unexpected": [],
    }
    visible = second["cases"][0]
    assert visible["name"] == "example" and visible["passed"] is True


def test_visible_rows_in_json_are_plain_values(
    decks: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    answer = _answer(
        tmp_path,
        "r.sql",
        """SELECT CAST(ts AS DATE), SUM(amount) FROM payments
        WHERE ts >= CURRENT_DATE - 7 AND ts < CURRENT_DATE GROUP BY 1 ORDER BY 1 DESC""",
    )
    assert _run(decks, "judge-test/recent-revenue", answer, "--json") == 1
    data = json.loads(capsys.readouterr().out)
    example = data[0]["cases"][0]
    assert example["message"] == "wrong order at row 1" and example["order_mismatch_at"] == 1


def test_dialect_option(decks: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    answer = _answer(
        tmp_path,
        "bq.sql",
        """SELECT order_id, status, updated_at FROM order_events
        QUALIFY ROW_NUMBER() OVER (PARTITION BY order_id ORDER BY updated_at DESC, status_id DESC) = 1""",
    )
    assert _run(decks, "judge-test/latest-order", answer, "--dialect", "bigquery", "--json") == 0
    assert json.loads(capsys.readouterr().out)[0]["dialect"] == "bigquery"


def test_a_dialect_the_judge_does_not_support_is_refused_in_one_line(
    decks: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    answer = _answer(tmp_path, "o.sql", "SELECT order_id, status, updated_at FROM order_events")
    assert _run(decks, "judge-test/latest-order", answer, "--dialect", "oracle") == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "oracle" in err and "duckdb" in err


def test_default_dialect_comes_from_config(
    decks: Path, tmp_path: Path, isolated_home: Path, capsys: pytest.CaptureFixture
) -> None:
    (isolated_home / "config.toml").write_text('[sql]\ndialect = "mysql"\n', encoding="utf-8")
    answer = _answer(tmp_path, "m.sql", "SELECT `order_id`, `status`, `updated_at` FROM `order_events`")
    _run(decks, "judge-test/latest-order", answer, "--json")
    assert json.loads(capsys.readouterr().out)[0]["dialect"] == "mysql"


def test_bad_answers_are_graded_failures_exit_1(
    decks: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    files = [
        _answer(tmp_path, "empty.sql", ""),
        _answer(tmp_path, "bin.sql", b"\x00\x01\x02\xff"),
        _answer(tmp_path, "two.sql", "SELECT 1; SELECT 2"),
        _answer(tmp_path, "copy.sql", "COPY t TO 'x'"),
    ]
    assert _run(decks, "judge-test/latest-order", *files, "--json") == 1
    data = json.loads(capsys.readouterr().out)
    errors = [d["error"] for d in data]
    assert errors[0].startswith("the answer is empty")
    assert "NUL bytes" in errors[1] or "not UTF-8" in errors[1]
    assert errors[2].startswith("2 statements")
    assert errors[3].startswith("COPY is not allowed")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["judge-test/nope", "ANSWER"], "unknown card 'judge-test/nope'"),
        (["judge-test/latest-order", "MISSING"], "cannot read"),
        (["judge-test/a-recall-card", "ANSWER"], "is a recall card"),
        (["judge-test/latest-order", "ANSWER", "--dialect", "cobol"], "unknown SQL dialect 'cobol'"),
    ],
)
def test_exit_2(
    decks: Path, tmp_path: Path, capsys: pytest.CaptureFixture, args: list[str], message: str
) -> None:
    answer = _answer(tmp_path, "a.sql", GOOD)
    args = [answer if a == "ANSWER" else str(tmp_path / "missing.sql") if a == "MISSING" else a for a in args]
    assert _run(decks, *args) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_unknown_card_suggests_close_ids(decks: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert _run(decks, "judge-test/latest-ordr", _answer(tmp_path, "a.sql", GOOD)) == 2
    assert "did you mean judge-test/latest-order" in capsys.readouterr().err


def test_a_card_that_cannot_be_judged_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    folder = tmp_path / "broken"
    write_deck(
        folder,
        DECK.replace(
            "SELECT order_id, status, updated_at\nFROM order_events",
            "SELECT order_id, nope, updated_at\nFROM order_events",
        ),
    )
    assert _run(folder, "judge-test/latest-order", _answer(tmp_path, "a.sql", GOOD)) == 2
    assert "the card cannot be judged" in capsys.readouterr().err


def test_pyspark_card_without_the_pyspark_judge_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    folder = tmp_path / "spark"
    write_deck(
        folder,
        """
[deck]
id = "spark-test"
title = "Spark"
round = "pyspark"

[[cards]]
id = "identity"
type = "pyspark"
title = "Identity"
prompt = "Return the table."
function = "solve"
solution = "def solve(t):\\n    return t\\n"
tables = { t = "id INTEGER" }
[[cards.cases]]
name = "one"
data = { t = "id\\n1\\n" }
""",
    )
    from prepdeck.core.trust import trust

    trust(folder, os.environ["PREPDECK_HOME"])  # past the trust check, the missing engine is what answers
    monkeypatch.setitem(sys.modules, "prepdeck.checkers.spark", None)  # as if the module were not installed
    status = main(
        ["check", "--decks", str(folder), "spark-test/identity", _answer(tmp_path, "a.py", "x = 1")]
    )
    assert status == 2
    assert "the PySpark judge is not available" in capsys.readouterr().err


def test_check_does_not_import_textual(decks: Path, tmp_path: Path) -> None:
    answer = _answer(tmp_path, "a.sql", GOOD)
    code = (
        "import sys\nfrom prepdeck.cli import main\n"
        f"status = main(['check', '--decks', {str(decks)!r}, 'judge-test/latest-order', {answer!r}])\n"
        "print(status, 'textual' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.stdout.strip().splitlines()[-1] == "0 False", done.stderr


def test_the_help_names_every_card_type_check_judges(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    line = next(x for x in capsys.readouterr().out.splitlines() if x.strip().startswith("check"))
    assert "python" in line and "pyspark" in line and "sql" in line


def test_a_spark_sql_check_says_spark_is_starting_before_its_verdict(decks: Path, tmp_path: Path) -> None:
    # the Spark SQL path started Spark silently (seconds with nothing on screen); the line must come first
    # in what a terminal shows, stderr and stdout merged
    answer = _answer(tmp_path, "a.sql", GOOD)
    command = ["check", "--decks", str(decks), "judge-test/latest-order", answer, "--dialect", "spark"]
    done = subprocess.run(
        [sys.executable, "-m", "prepdeck", *command],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=300,
    )
    lines = done.stdout.splitlines()
    assert done.returncode == 0, done.stdout
    verdict = next(i for i, line in enumerate(lines) if "a.sql (spark): passed" in line)
    assert "starting Spark…" in lines[:verdict]


def test_a_spark_sql_check_uses_the_spark_settings_and_says_the_remote_is_unavailable(
    decks: Path, tmp_path: Path
) -> None:
    # the Spark SQL judge got the [sql] settings only: `[spark] remote` was ignored and a local Spark started
    home = tmp_path / "home"
    home.mkdir()
    (home / "config.toml").write_text('[spark]\nremote = "sc://127.0.0.1:9"\n', encoding="utf-8")
    answer = _answer(tmp_path, "a.sql", GOOD)
    command = [
        "check",
        "--decks",
        str(decks),
        "judge-test/latest-order",
        answer,
        "--dialect",
        "spark",
        "--json",
    ]
    done = subprocess.run(
        [sys.executable, "-m", "prepdeck", *command],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PREPDECK_HOME": str(home)},
    )
    assert done.returncode == 0, done.stderr
    assert "connecting to Spark at sc://127.0.0.1:9…" in done.stderr and "starting Spark" not in done.stderr
    engine = json.loads(done.stdout)[0]["engine"]
    assert re.fullmatch(
        r"duckdb \S+ \(translated from spark; Spark unavailable: no Spark Connect server answers at "
        r"sc://127\.0\.0\.1:9\)",
        engine,
    ), engine
