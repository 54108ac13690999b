"""Deck trust (docs/deck-format.md "Decks that carry code", docs/cli.md `decks trust`): a downloaded deck's
pyspark solution never runs until the user trusts that file at its exact content, or its folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cli_support import prepdeck

from prepdeck.cli import main
from prepdeck.core.trust import is_trusted, trust, trust_path, untrust
from prepdeck.decks.loader import load_deck_file, load_decks

SPARK_DECK = """
[deck]
id = "stranger"
title = "A deck from the internet"
round = "pyspark"

[[cards]]
id = "identity"
type = "pyspark"
title = "Identity"
prompt = "Return the table."
function = "solve"
solution = "import os\\ndef solve(t):\\n    os.system('touch PWNED')\\n    return t\\n"
tables = { t = "id INTEGER" }
[[cards.cases]]
name = "one"
data = { t = "id\\n1\\n" }

[[cards]]
id = "plain"
type = "sql"
title = "Plain SQL"
prompt = "Return the table."
solution = "SELECT id FROM t"
tables = { t = "id INTEGER" }
[[cards.cases]]
name = "one"
data = { t = "id\\n1\\n" }
"""


@pytest.fixture
def stranger(tmp_path: Path) -> Path:
    folder = tmp_path / "downloads"
    folder.mkdir()
    path = folder / "stranger.toml"
    path.write_text(SPARK_DECK, encoding="utf-8")
    return path


def test_check_refuses_an_untrusted_decks_pyspark_card_as_a_real_process(
    stranger: Path, isolated_home: Path, tmp_path: Path
) -> None:
    answer = tmp_path / "a.py"
    answer.write_text("def solve(t):\n    return t\n", encoding="utf-8")
    done = prepdeck(
        isolated_home,
        "--decks",
        str(stranger.parent),
        "check",
        "stranger/identity",
        str(answer),
        cwd=tmp_path,
    )
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "prepdeck decks trust" in lines[0] and str(stranger) in lines[0]
    assert "Traceback" not in done.stderr and done.stdout == ""
    assert not (tmp_path / "PWNED").exists()


def test_an_untrusted_decks_sql_card_still_runs(stranger: Path, isolated_home: Path, tmp_path: Path) -> None:
    answer = tmp_path / "a.sql"
    answer.write_text("SELECT id FROM t", encoding="utf-8")
    done = prepdeck(isolated_home, "--decks", str(stranger.parent), "check", "stranger/plain", str(answer))
    assert done.returncode == 0, done.stderr
    assert "passed" in done.stdout


def test_trusting_by_cli_lets_the_check_through_and_editing_withdraws_it(
    stranger: Path, isolated_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    done = prepdeck(isolated_home, "--decks", str(stranger.parent), "decks", "trust", "stranger")
    assert done.returncode == 0, done.stderr
    assert str(stranger) in done.stdout
    stored = json.loads(trust_path(isolated_home).read_text(encoding="utf-8"))
    assert list(stored["files"]) == [str(stranger.resolve())]

    answer = tmp_path / "a.py"
    answer.write_text("def solve(t):\n    return t\n", encoding="utf-8")
    # past the trust check, the engine is what answers: without the PySpark judge that is exit 2 "not available"
    monkeypatch.setitem(sys.modules, "prepdeck.checkers.spark", None)
    assert main(["check", "--decks", str(stranger.parent), "stranger/identity", str(answer)]) == 2
    err = capsys.readouterr().err
    assert "PySpark judge is not available" in err and "decks trust" not in err

    stranger.write_text(SPARK_DECK.replace("touch PWNED", "touch PWNED2"), encoding="utf-8")
    assert main(["check", "--decks", str(stranger.parent), "stranger/identity", str(answer)]) == 2
    assert "prepdeck decks trust" in capsys.readouterr().err


def test_trust_is_by_exact_content(stranger: Path, isolated_home: Path) -> None:
    deck, problems = load_deck_file(stranger)
    assert deck is not None and not problems
    assert not is_trusted(deck, isolated_home)
    trust(deck, isolated_home)
    assert is_trusted(deck, isolated_home)
    stranger.write_text(SPARK_DECK + "\n# one more comment\n", encoding="utf-8")
    edited, _ = load_deck_file(stranger)
    assert edited is not None and not is_trusted(edited, isolated_home)
    # the same path in another home is not trusted: trust belongs to the user's data folder
    assert not is_trusted(deck, isolated_home / "elsewhere")
    assert untrust(deck, isolated_home) == [str(stranger.resolve())]
    assert not is_trusted(deck, isolated_home)


def test_folder_trust_covers_every_deck_written_there(stranger: Path, isolated_home: Path) -> None:
    done = prepdeck(isolated_home, "decks", "trust", str(stranger.parent))
    assert done.returncode == 0, done.stderr
    stranger.write_text(SPARK_DECK.replace("touch PWNED", "pass"), encoding="utf-8")
    deck = load_decks([stranger.parent]).deck("stranger")
    assert deck is not None and is_trusted(deck, isolated_home)
    done = prepdeck(
        isolated_home, "decks", "untrust", str(stranger)
    )  # the file alone: its folder still trusts it
    assert done.returncode == 0 and "still trusted through its folder" in done.stdout
    done = prepdeck(isolated_home, "decks", "untrust", str(stranger.parent))
    assert done.returncode == 0 and "untrusted folder" in done.stdout
    assert not is_trusted(deck, isolated_home)


def test_unknown_deck_exits_2_and_builtin_decks_are_trusted(isolated_home: Path) -> None:
    done = prepdeck(isolated_home, "decks", "trust", "no-such-deck")
    assert done.returncode == 2
    assert "unknown deck 'no-such-deck'" in done.stderr and "Traceback" not in done.stderr
    builtin = load_decks([Path(__file__).resolve().parents[1] / "decks"])
    spark_decks = [d for d in builtin.decks if any(c.type == "pyspark" for c in d.cards)]
    assert spark_decks and all(is_trusted(d, isolated_home) for d in spark_decks)


@pytest.mark.parametrize("content", ["{not json", '{"files": {"x": 1}, "folders": "/"}', "[]", "9" * 10])
def test_a_damaged_trust_file_trusts_nothing(stranger: Path, isolated_home: Path, content: str) -> None:
    deck, _ = load_deck_file(stranger)
    assert deck is not None
    trust_path(isolated_home).write_text(content, encoding="utf-8")
    assert not is_trusted(deck, isolated_home)
    trust(deck, isolated_home)  # and trusting again repairs it
    assert is_trusted(deck, isolated_home)


def test_decks_list_json_shows_trust(stranger: Path, isolated_home: Path) -> None:
    done = prepdeck(isolated_home, "--decks", str(stranger.parent), "decks", "list", "--json")
    assert done.returncode == 0, done.stderr
    rows = {r["id"]: r for r in json.loads(done.stdout)}
    assert rows["stranger"]["trust"] == "untrusted"
    assert rows["sql-exercises"]["trust"] == "builtin"


def test_the_app_shows_the_code_and_asks_before_running_an_untrusted_deck(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from textual.widgets import Static, TextArea
    from tui_support import Clock, make_context, pilot_test, settle, use_utc

    from prepdeck.checkers import sealed
    from prepdeck.tui.app import PrepdeckApp
    from prepdeck.tui.screens.trust import TrustScreen

    use_utc(monkeypatch)
    decks = tmp_path / "decks"
    decks.mkdir()
    source = Path(__file__).parent / "python_deck" / "python-test.toml"
    (decks / "python-test.toml").write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    ctx = make_context(tmp_path / "home", decks)

    @pilot_test
    async def scenario() -> None:
        app = PrepdeckApp(ctx, clock=Clock())
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            await pilot.press("r")
            await settle(pilot)
            view = app.screen.view
            card = view.card
            assert card.type == "python"
            await pilot.press("e")
            view.query_one("#editor", TextArea).load_text(card.solution)
            await pilot.press("ctrl+r")
            await settle(pilot)
            assert isinstance(app.screen, TrustScreen)  # asked before any of the deck's code ran
            shown = str(app.screen.query_one("#trust-code-text", Static).render())
            assert card.solution.strip().splitlines()[0] in shown
            await pilot.press("escape")  # cancel: nothing runs, the status says how to trust
            await settle(pilot)
            assert not isinstance(app.screen, TrustScreen) and view.attempts == []
            assert "prepdeck decks trust" in str(view.query_one("#judge-status").render())
            deck = ctx.decks().deck("python-test")
            assert deck is not None and not is_trusted(deck, ctx.home)

            await pilot.press("ctrl+r")
            await settle(pilot)
            assert isinstance(app.screen, TrustScreen)
            await pilot.press("t")  # trust this file: the check then runs
            await settle(pilot)
            assert is_trusted(deck, ctx.home)
            assert [a["passed"] for a in view.attempts] == [True]
        sealed.stop_all()

    scenario()
    ctx.close()


def test_trusting_from_many_processes_at_once_keeps_every_entry(tmp_path: Path, isolated_home: Path) -> None:
    files = []
    for i in range(8):
        path = tmp_path / f"d{i}.toml"
        path.write_text(SPARK_DECK.replace('id = "stranger"', f'id = "s{i}"'), encoding="utf-8")
        files.append(path)
    env = {**os.environ, "PREPDECK_HOME": str(isolated_home)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "prepdeck.cli", "decks", "trust", str(f)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for f in files
    ]
    assert all(p.wait(timeout=120) == 0 for p in procs)
    stored = json.loads(trust_path(isolated_home).read_text(encoding="utf-8"))
    assert sorted(stored["files"]) == sorted(str(f.resolve()) for f in files)


# -- trust binds to the bytes loaded, not to the file's content when the check starts --------------------

SWAP_DECK = """
[deck]
id = "swap"
title = "Swapped on disk"
round = "pyspark"

[[cards]]
id = "inc"
type = "python"
title = "Increment"
prompt = "Return x plus one."
function = "inc"
solution = "def inc(x):\\n    return x + {step}\\n"
[[cards.cases]]
name = "one"
args = '{{"x": 1}}'
"""
# the solution computes the expected value: an answer returning x + 2 passes only if the step-2 solution ran
PLUS_TWO = ("a.py", "def inc(x):\n    return x + 2\n")


def _write_swap(folder: Path, step: int) -> Path:
    """The swap deck whose solution adds `step`, as folder/swap.toml."""
    folder.mkdir(exist_ok=True)
    path = folder / "swap.toml"
    path.write_text(SWAP_DECK.format(step=step), encoding="utf-8")
    return path


def _swap_card(folder: Path):
    decks = load_decks([folder])
    card = decks.card("swap/inc")
    assert card is not None, [str(p) for p in decks.problems]
    return card


def test_a_deck_swapped_for_trusted_content_after_loading_never_runs_the_loaded_code(
    tmp_path: Path, isolated_home: Path
) -> None:
    from prepdeck.checkers.python_judge import check_python_answers
    from prepdeck.checkers.sealed import UntrustedCode

    folder = tmp_path / "downloads"
    _write_swap(folder, 2)  # the stranger's version, loaded
    loaded = _swap_card(folder)
    trust(_write_swap(folder, 1), isolated_home)  # then the file the user reads and trusts
    with pytest.raises(UntrustedCode, match="not trusted"):
        check_python_answers(loaded, [PLUS_TWO])  # the step-2 solution would have made PLUS_TWO pass
    # the content trusted does run, and judges by its own solution
    (result,) = check_python_answers(_swap_card(folder), [PLUS_TWO])
    assert result.error is None and not result.passed


def test_a_symbolic_link_moved_into_a_trusted_folder_after_loading_lends_no_trust(
    tmp_path: Path, isolated_home: Path
) -> None:
    from prepdeck.checkers.python_judge import check_python_answers
    from prepdeck.checkers.sealed import UntrustedCode

    mine, downloads = tmp_path / "mine", tmp_path / "downloads"
    _write_swap(downloads, 2)
    _write_swap(mine, 1)
    trust(mine, isolated_home)  # the user's own folder
    shown = tmp_path / "shown"
    shown.mkdir()
    link = shown / "swap.toml"
    link.symlink_to(downloads / "swap.toml")
    loaded = _swap_card(shown)  # read through the link: the stranger's file
    link.unlink()
    link.symlink_to(mine / "swap.toml")  # now the link leads into the trusted folder
    with pytest.raises(UntrustedCode):
        check_python_answers(loaded, [PLUS_TWO])


def test_trusting_a_loaded_deck_trusts_what_was_shown_not_what_the_file_became(
    tmp_path: Path, isolated_home: Path
) -> None:
    path = _write_swap(tmp_path / "downloads", 1)
    shown, _ = load_deck_file(path)  # the app shows this deck's code and the user presses t
    assert shown is not None
    _write_swap(path.parent, 2)  # swapped while the modal was open
    trust(shown, isolated_home)
    assert is_trusted(shown, isolated_home)
    swapped, _ = load_deck_file(path)
    assert swapped is not None and not is_trusted(swapped, isolated_home)
