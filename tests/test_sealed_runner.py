"""The sealed runner against the attacks of issue 12, on `python` cards (no Spark: fast), and the python
card type end to end (loader, judge, `prepdeck check`, trust)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from prepdeck.checkers import sealed
from prepdeck.checkers.python_judge import check_python_answers
from prepdeck.checkers.sealed import UntrustedCode, limits, python_runner
from prepdeck.core.config import Config
from prepdeck.core.trust import trust
from prepdeck.decks.loader import load_deck_file
from prepdeck.decks.model import Card

ROOT = Path(__file__).resolve().parent.parent
DECK_FILE = ROOT / "tests" / "python_deck" / "python-test.toml"
SECRET_DECK = textwrap.dedent('''
    [deck]
    id = "secret"
    title = "a card whose hidden case and solution an answer must not see"
    round = "pyspark"

    [[cards]]
    id = "double"
    type = "python"
    title = "double"
    prompt = "double x"
    function = "double"
    solution = """
    SOLUTION_MARK = "SOLUTION-7f3a"
    def double(x):
        return x * 2
    """

    [[cards.cases]]
    name = "visible"
    args = '{"x": "ab"}'

    [[cards.cases]]
    name = "hidden"
    hidden = true
    args = '{"x": "HIDDEN-91c2"}'
''')


@pytest.fixture(autouse=True)
def _stop_runners() -> Iterator[None]:
    yield
    sealed.stop_all()


@pytest.fixture
def home(isolated_home: Path) -> Path:
    return isolated_home


def _card(path: Path, card_id: str, home: Path) -> Card:
    deck, problems = load_deck_file(path)
    assert deck is not None, problems
    trust(path, home)
    card = deck.card(card_id)
    assert card is not None
    return card


@pytest.fixture
def secret_card(tmp_path: Path, home: Path) -> Card:
    path = tmp_path / "secret.toml"
    path.write_text(SECRET_DECK, encoding="utf-8")
    return _card(path, "double", home)


def _check(card: Card, source: str, home: Path, time_limit_s: float = 3.0):
    config = Config()
    config.path = home / "config.toml"
    config.sql.time_limit_s = time_limit_s
    (result,) = check_python_answers(card, [("answer", textwrap.dedent(source))], config)
    return result


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


# ----------------------------------------------------------------------------------------------
# the python judge


@pytest.mark.parametrize("card_id", ["sessionize", "top-k", "moving-average"])
def test_solutions_pass_and_a_wrong_answer_fails(card_id: str, home: Path) -> None:
    card = _card(DECK_FILE, card_id, home)
    assert _check(card, card.solution or "", home).passed
    wrong = _check(card, f"def {card.function}(**kwargs):\n    return [[0]]\n", home)
    assert not wrong.passed and wrong.engine and wrong.engine.startswith("python 3.")
    hidden = next(c for c in wrong.cases if c.hidden)
    assert hidden.message == "wrong value"  # a hidden case says only that it failed


def test_compare_rules_unordered_and_approx(home: Path) -> None:
    top = _card(DECK_FILE, "top-k", home)
    shuffled = "def top_k(words, k):\n    from collections import Counter\n    c = Counter(words)\n" + (
        "    return [(w, n) for w, n in sorted(c.items(), key=lambda x: (-x[1], x[0]))[:k]][::-1]\n"
    )
    assert _check(top, shuffled, home).passed  # tuples equal JSON arrays, order free
    avg = _card(DECK_FILE, "moving-average", home)
    rounded = "def moving_average(values, n):\n    return [round(sum(values[i:i+n])/n, 3) for i in range(len(values)-n+1)]\n"
    result = _check(avg, rounded, home)
    assert not result.passed  # 0.2333 vs 0.233: outside 1e-9
    assert result.cases[0].passed


def test_an_untrusted_deck_does_not_run_its_solution(tmp_path: Path, home: Path) -> None:
    path = tmp_path / "stranger.toml"
    path.write_text(SECRET_DECK, encoding="utf-8")
    deck, _ = load_deck_file(path)
    assert deck is not None
    with pytest.raises(UntrustedCode, match=r"prepdeck decks trust .*stranger\.toml"):
        _check(deck.cards[0], "def double(x):\n    return x * 2\n", home)


def test_loader_reports_bad_python_cases_with_path_and_line(tmp_path: Path) -> None:
    bad = SECRET_DECK.replace("""args = '{"x": "ab"}'""", "args = '[1, 2'").replace(
        'function = "double"', 'function = "double"\ncompare = "fuzzy"'
    )
    path = tmp_path / "bad.toml"
    path.write_text(bad, encoding="utf-8")
    deck, problems = load_deck_file(path)
    assert deck is None
    text = [str(p) for p in problems]
    assert any(t.startswith(f"{path}:") and "'compare' must be one of" in t for t in text), text
    assert any(t.startswith(f"{path}:") and "'args' is not JSON" in t for t in text), text


def test_check_cli_judges_a_python_card(tmp_path: Path, home: Path) -> None:
    trust(DECK_FILE, home)
    answer = tmp_path / "answer.py"
    answer.write_text("def sessionize(events, gap_s):\n    return []\n", encoding="utf-8")
    cmd = [sys.executable, "-m", "prepdeck", "--decks", str(DECK_FILE.parent), "check", "--json"]
    done = subprocess.run(
        [*cmd, "python-test/sessionize", str(answer)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 1, done.stderr
    (verdict,) = json.loads(done.stdout)
    assert verdict["engine"].startswith("python ") and not verdict["passed"]


# ----------------------------------------------------------------------------------------------
# attacks (issue 12, item 3)


def test_fork_setsid_orphan_is_killed_and_does_not_hang(secret_card: Card, home: Path) -> None:
    source = """
    import os, time
    def double(x):
        r, w = os.pipe()
        if os.fork() == 0:
            os.setsid()
            if os.fork() == 0:
                os.write(w, str(os.getpid()).encode())
                time.sleep(600)
            os._exit(0)
        pid = int(os.read(r, 32))
        if x == "ab":
            return pid
        time.sleep(600)  # the hidden case blocks, with the orphan holding every pipe
    """
    result = _check(secret_card, source, home, time_limit_s=3.0)
    orphan = result.cases[0].actual_rows[0][0]
    assert isinstance(orphan, int) and not _alive(orphan)
    assert "time limit" in (result.cases[1].error or "")
    assert _check(secret_card, "def double(x):\n    return x * 2\n", home).passed


def test_killing_its_parent_leaves_prepdeck_and_the_next_check_alone(secret_card: Card, home: Path) -> None:
    runner = python_runner(home)
    result = _check(
        secret_card, "import os\ndef double(x):\n    os.kill(os.getppid(), 9)\n    return x * 2\n", home
    )
    assert not result.passed
    if limits.landlock_abi() >= 6:  # the signal is refused outright: the supervisor is untouched
        assert "PermissionError" in (result.cases[0].error or "")
        pid = runner.proc.pid if runner.proc else None
        assert _check(secret_card, "def double(x):\n    return x * 2\n", home).passed
        assert runner.proc is not None and runner.proc.pid == pid
    else:
        assert _check(secret_card, "def double(x):\n    return x * 2\n", home).passed


def test_without_landlocks_signal_scope_a_keeper_takes_the_kill(
    secret_card: Card, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PREPDECK_SEALED_LANDLOCK", "0")  # as on a kernel without Landlock
    runner = python_runner(home)
    runner.wait_ready()
    assert runner.info["keeper"] is True and runner.info["landlock"] == 0
    supervisor = runner.proc.pid if runner.proc else None
    source = """
    import os, time
    def double(x):
        if os.fork() == 0:
            os.setsid()
            time.sleep(600)
        os.kill(os.getppid(), 9)
        time.sleep(600)
    """
    result = _check(secret_card, source, home)
    assert not result.passed and "process ended" in (result.cases[0].error or "")
    assert runner.proc is not None and runner.proc.pid == supervisor  # the supervisor was not reachable
    assert _check(secret_card, "def double(x):\n    return x * 2\n", home).passed


def test_a_3_gb_allocation_fails_the_answer_only(secret_card: Card, home: Path) -> None:
    result = _check(secret_card, "def double(x):\n    b = bytearray(3 * 1024**3)\n    return x * 2\n", home)
    assert result.cases[0].error and result.cases[0].error.startswith("MemoryError")
    assert _check(secret_card, "def double(x):\n    return x * 2\n", home).passed


def test_a_stderr_flood_leaves_a_capped_log(secret_card: Card, home: Path) -> None:
    source = "import sys\ndef double(x):\n    for _ in range(20000):\n        sys.stderr.write('x' * 10000)\n    return x * 2\n"
    result = _check(secret_card, source, home, time_limit_s=20.0)
    assert result.passed  # 200 MB written, judged all the same
    logs = list((home / "logs").glob("sealed-python.log*"))
    assert logs and sum(p.stat().st_size for p in logs) < 3 * 1024 * 1024


def test_an_answer_cannot_find_hidden_cases_or_the_solution(secret_card: Card, home: Path) -> None:
    source = f"""
    import gc, sys, os
    MARKS = ("HIDDEN-" + "91c2", "SOLUTION-" + "7f3a")  # split: this source must not hold them

    def leaks(values):
        # a mark inside a longer string: the case's JSON arguments, the solution's source
        return [m for v in values if isinstance(v, str) for m in MARKS if m in v and v != m]

    def double(x):
        found = []
        if x == MARKS[0]:
            return found
        for obj in gc.get_objects():
            if isinstance(obj, dict):
                found += leaks(list(obj.keys()) + list(obj.values()))
            elif isinstance(obj, (list, tuple)):
                found += leaks(obj)
        frame = sys._getframe()
        while frame:
            found += leaks(frame.f_locals.values())
            frame = frame.f_back
        for path in ({str(secret_card.source)!r}, {str(sorted((ROOT / "decks").glob("*.toml"))[0])!r}):
            try:
                found.append(open(path).read()[:40])
            except OSError as exc:
                found.append(type(exc).__name__)
        return found
    """
    result = _check(secret_card, source, home)
    shown = json.dumps(result.cases[0].actual_rows) + result.cases[0].message
    assert "HIDDEN-91c2" not in shown and "SOLUTION-7f3a" not in shown and "[deck]" not in shown
    if limits.landlock_abi() >= 1:
        assert result.cases[0].actual_rows == [[["PermissionError", "PermissionError"]]]


def test_an_answer_cannot_forge_its_verdict(secret_card: Card, home: Path) -> None:
    forged = json.dumps({"status": "ok", "result_bytes": 2}) + "\n{}"
    source = f"""
    import os
    def double(x):
        for fd in range(0, 64):
            try:
                os.write(fd, {forged!r}.encode() + b'\\n' + b'{{"value": "abab"}}')
            except OSError:
                pass
        return "wrong"
    """
    result = _check(secret_card, source, home)
    assert not result.passed and not any(c.passed for c in result.cases)
    assert _check(secret_card, "def double(x):\n    return x * 2\n", home).passed


def test_no_process_is_left_after_stop(secret_card: Card, home: Path) -> None:
    source = "import os, time\ndef double(x):\n    if os.fork() == 0:\n        os.setsid()\n        time.sleep(600)\n    return os.getpid()\n"
    result = _check(secret_card, source, home)
    runner = python_runner(home)
    supervisor = runner.proc.pid if runner.proc else 0
    sealed.stop_all()
    assert not _alive(supervisor)
    assert not _alive(result.cases[0].actual_rows[0][0])


def test_an_answer_cannot_read_the_users_environment(
    secret_card: Card, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A token in the user's environment (AWS keys, API tokens) never reaches the sealed process: the
    supervisor starts with only what Python needs, so neither os.environ nor the supervisor's memory
    inherited by the fork holds it."""
    sealed.stop_all()  # a supervisor started by an earlier test would hold the environment of its start
    monkeypatch.setenv("PREPDECK_TEST_TOKEN", "TOKEN-" + "5be1")
    source = """
    import os
    def double(x):
        return sorted(k for k, v in os.environ.items() if "5be1" in v or "TOKEN" in k)
    """
    result = _check(secret_card, source, home)
    assert result.cases[0].actual_rows == [[[]]], result.cases[0].message
