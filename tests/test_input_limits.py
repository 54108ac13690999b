"""Hostile input files (issue 12): a deck or config file nested thousands deep, a huge deck, a BOM, nonsense
settings and a downloaded deck reusing a built-in or the user's own deck id. Each ends in a clear message,
the right exit status and the default or first deck kept, never a traceback; the CLI runs as real processes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cli_support import prepdeck
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prepdeck.core.config import Config, load_config
from prepdeck.decks.loader import load_deck_file, load_decks

DECK = """
[deck]
id = "{id}"
title = "{title}"
round = "sql"

[[cards]]
id = "one"
type = "recall"
title = "One"
prompt = "Q?"
answer = "A."
"""


def _deep(kind: str) -> str:
    if kind == "array":
        return "x = " + "[" * 5000 + "]" * 5000 + "\n"
    return "x = " + "{a = " * 5000 + "1" + "}" * 5000 + "\n"


@pytest.mark.parametrize("kind", ["array", "table"])
def test_a_deck_nested_5000_deep_is_one_problem_and_every_command_runs(
    tmp_path: Path, isolated_home: Path, kind: str
) -> None:
    folder = tmp_path / "decks"
    folder.mkdir()
    (folder / "deep.toml").write_text(_deep(kind), encoding="utf-8")
    listed = prepdeck(isolated_home, "--decks", str(folder), "decks", "list")
    assert listed.returncode == 0, listed.stderr
    assert "Traceback" not in listed.stderr and "deep.toml" in listed.stderr
    checked = prepdeck(isolated_home, "decks", "check", str(folder / "deep.toml"))
    assert checked.returncode == 1
    assert f"{folder / 'deep.toml'}: values nested too deeply" in checked.stdout


@pytest.mark.parametrize("kind", ["array", "table"])
def test_a_config_nested_5000_deep_falls_back_to_defaults(isolated_home: Path, kind: str) -> None:
    (isolated_home / "config.toml").write_text(_deep(kind), encoding="utf-8")
    done = prepdeck(isolated_home, "decks", "list")
    assert done.returncode == 0, done.stderr
    assert "nested too deeply" in done.stderr and "Traceback" not in done.stderr


def test_a_1gb_deck_is_skipped_unread_with_a_message(tmp_path: Path, isolated_home: Path) -> None:
    folder = tmp_path / "decks"
    folder.mkdir()
    huge = folder / "huge.toml"
    with open(huge, "wb") as fh:  # sparse: costs no disk, but 1 GB to anyone who reads it
        fh.truncate(1024**3)
    done = prepdeck(isolated_home, "--decks", str(folder), "decks", "list")
    assert done.returncode == 0, done.stderr
    assert "huge.toml" in done.stderr
    problem = load_deck_file(huge)[1]
    assert len(problem) == 1 and "1024.0 MB; a deck may be at most" in problem[0].message


def test_max_rss_of_a_start_with_a_1gb_deck_stays_small(tmp_path: Path, isolated_home: Path) -> None:
    folder = tmp_path / "decks"
    folder.mkdir()
    with open(folder / "huge.toml", "wb") as fh:
        fh.truncate(1024**3)
    code = (
        "import resource, subprocess, sys\n"
        "subprocess.run([sys.executable, '-m', 'prepdeck.cli', '--decks', sys.argv[1], 'decks', 'list'],"
        " capture_output=True)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(folder)],
        capture_output=True,
        text=True,
        env={**os.environ, "PREPDECK_HOME": str(isolated_home)},
        timeout=120,
    )
    max_rss_kb = int(done.stdout.strip())
    assert max_rss_kb < 400 * 1024  # reading the file would take 1 GB at least


def test_a_deck_with_a_bom_loads(tmp_path: Path) -> None:
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + DECK.format(id="bom", title="With BOM").encode())
    deck, problems = load_deck_file(path)
    assert deck is not None and not problems and deck.id == "bom"


BAD_SETTINGS = [
    (
        '[review]\ndesired_retention = "high"\n',
        2,
        "[review].desired_retention",
        ("review", "desired_retention", 0.9),
    ),
    ("[sql]\ntime_limit_s = nan\n", 2, "[sql].time_limit_s", ("sql", "time_limit_s", 5.0)),
    ("[sql]\ntime_limit_s = inf\n", 2, "[sql].time_limit_s", ("sql", "time_limit_s", 5.0)),
    ("[sql]\ntime_limit_s = -1\n", 2, "[sql].time_limit_s", ("sql", "time_limit_s", 5.0)),
    ("[sql]\nmemory_limit_mb = 1e30\n", 2, "[sql].memory_limit_mb", ("sql", "memory_limit_mb", 512)),
    (
        "[review]\nday_starts_at_hour = 99\n",
        2,
        "[review].day_starts_at_hour",
        ("review", "day_starts_at_hour", 4),
    ),
    (
        '# x\n[review]\n\nlearning_steps = ["abc"]\n',
        4,
        "[review].learning_steps",
        ("review", "learning_steps", ["1m", "10m"]),
    ),
    (
        '[review]\nlearning_steps = ["9999999999d"]\n',
        2,
        "[review].learning_steps",
        ("review", "learning_steps", ["1m", "10m"]),
    ),
    ('[sql]\ndialect = "nonsense"\n', 2, "[sql].dialect", ("sql", "dialect", "duckdb")),
    ('[speech]\nlanguage = "[/bold]"\n', 2, "[speech].language", ("speech", "language", "en")),
    ("[spark]\ntime_limit_s = -inf\n", 2, "[spark].time_limit_s", ("spark", "time_limit_s", 60.0)),
    ('[spark]\ndriver_memory = "lots"\n', 2, "[spark].driver_memory", ("spark", "driver_memory", "512m")),
    ("[review]\nnew_per_day = 2.5\n", 2, "[review].new_per_day", ("review", "new_per_day", 20)),
]


@pytest.mark.parametrize(("text", "line", "label", "expect"), BAD_SETTINGS)
def test_a_bad_setting_is_reported_with_its_line_and_the_default_kept(
    isolated_home: Path, text: str, line: int, label: str, expect: tuple[str, str, object]
) -> None:
    path = isolated_home / "config.toml"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode())  # a BOM, too, is accepted
    cfg = load_config(isolated_home)
    section, key, default = expect
    assert getattr(getattr(cfg, section), key) == default
    assert len(cfg.problems) == 1 and cfg.problems[0].startswith(f"{path}:{line}: {label} = ")
    done = prepdeck(isolated_home, "decks", "list")
    assert (
        done.returncode == 0 and f"{path}:{line}: {label}" in done.stderr and "Traceback" not in done.stderr
    )


def test_good_settings_still_apply(isolated_home: Path) -> None:
    (isolated_home / "config.toml").write_text(
        '[review]\ndesired_retention = 0.85\nlearning_steps = ["2m", "1h"]\nnew_per_day = 5.0\n'
        '[sql]\ntime_limit_s = 2\ndialect = "PostgreSQL"\n[decks.mine]\ndesired_retention = 0.8\n',
        encoding="utf-8",
    )
    cfg = load_config(isolated_home)
    assert not cfg.problems
    assert cfg.review.desired_retention == 0.85 and cfg.review.learning_steps == ["2m", "1h"]
    assert cfg.review.new_per_day == 5 and isinstance(cfg.review.new_per_day, int)
    assert cfg.sql.time_limit_s == 2.0 and cfg.desired_retention("mine", None) == 0.8


def test_an_escape_code_in_a_setting_name_is_shown_not_sent(isolated_home: Path) -> None:
    (isolated_home / "config.toml").write_text('[review]\n"\\u001b]0;pwned\\u0007" = 1\n', encoding="utf-8")
    done = prepdeck(isolated_home, "decks", "list")
    assert done.returncode == 0
    assert "\x1b" not in done.stderr and "\x07" not in done.stderr and "␛]0;pwned␇" in done.stderr


# -- deck order ----------------------------------------------------------------------------------------


def test_a_downloaded_deck_never_replaces_the_users_own_or_a_builtin(
    tmp_path: Path, isolated_home: Path
) -> None:
    own = isolated_home / "decks"
    own.mkdir()
    (own / "mine.toml").write_text(DECK.format(id="mine", title="My own deck"), encoding="utf-8")
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    (downloads / "evil.toml").write_text(DECK.format(id="mine", title="A stranger's deck"), encoding="utf-8")
    (downloads / "evil2.toml").write_text(DECK.format(id="sql-exercises", title="Fake"), encoding="utf-8")

    done = prepdeck(isolated_home, "--decks", str(downloads), "grade", "mine/one", "good")
    assert done.returncode == 0, done.stderr
    assert (
        f"{downloads / 'evil.toml'}:3: duplicate deck id 'mine': already loaded from {own / 'mine.toml'}"
        in (done.stderr)
    )
    env_done = prepdeck(isolated_home, "decks", "list", "--json", env={"PREPDECK_DECKS": str(downloads)})
    import json

    rows = {r["id"]: r for r in json.loads(env_done.stdout)}
    assert rows["mine"]["title"] == "My own deck"
    assert rows["sql-exercises"]["title"] == "SQL exercises"
    assert "evil.toml" in env_done.stderr and "evil2.toml" in env_done.stderr


# -- fuzz ----------------------------------------------------------------------------------------------

_scalars = st.one_of(
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
)
_toml_values = st.recursive(
    _scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(min_size=1, max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)
_keys = st.sampled_from(
    [
        "deck",
        "cards",
        "review",
        "sql",
        "spark",
        "speech",
        "keys",
        "decks",
        "id",
        "title",
        "round",
        "type",
        "prompt",
        "answer",
        "tables",
        "cases",
        "solution",
        "x",
        "desired_retention",
        "time_limit_s",
    ]
) | st.text(min_size=1, max_size=8)
_documents = st.dictionaries(
    _keys, _toml_values | st.dictionaries(_keys, _toml_values, max_size=6), max_size=6
)


def _dump(data: dict) -> str:
    """A small TOML writer: every value as an inline value, so any structure round-trips."""
    import json
    import math

    def value(v: object) -> str:
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, float):
            if math.isnan(v):
                return "nan"
            if math.isinf(v):
                return "inf" if v > 0 else "-inf"
            return repr(v)
        if isinstance(v, int):
            return str(v)
        if isinstance(v, str):
            return json.dumps(v)
        if isinstance(v, list):
            return "[" + ", ".join(value(x) for x in v) + "]"
        assert isinstance(v, dict)
        return "{" + ", ".join(f"{json.dumps(k)} = {value(x)}" for k, x in v.items()) + "}"

    return "".join(f"{json.dumps(k)} = {value(v)}\n" for k, v in data.items())


# no example database: the test must not write into the repository (.hypothesis/)
FUZZ = settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@FUZZ
@given(st.binary(max_size=400))
def test_fuzz_random_bytes_never_crash_the_loaders(tmp_path: Path, raw: bytes) -> None:
    _both_loaders(tmp_path, raw)


@FUZZ
@given(_documents)
def test_fuzz_random_toml_structures_never_crash_the_loaders(tmp_path: Path, data: dict) -> None:
    _both_loaders(tmp_path, _dump(data).encode())


@FUZZ
@given(
    st.dictionaries(
        st.sampled_from(["review", "sql", "spark", "speech", "decks"]),
        st.dictionaries(_keys, _toml_values, max_size=6),
        max_size=4,
    )
)
def test_fuzz_config_tables_give_valid_settings(tmp_path: Path, data: dict) -> None:
    _both_loaders(tmp_path, _dump(data).encode())
    cfg = load_config(tmp_path)
    import math

    for section in (cfg.review, cfg.sql, cfg.spark):
        for name, default in vars(type(section)()).items():
            got = getattr(section, name)
            assert type(got) is type(default), (name, got)
            if isinstance(got, float):
                assert math.isfinite(got)
    assert 0 <= cfg.review.day_starts_at_hour <= 23 and 0.7 <= cfg.review.desired_retention <= 0.97


def _both_loaders(folder: Path, raw: bytes) -> None:
    (folder / "deck.toml").write_bytes(raw)
    deck, problems = load_deck_file(folder / "deck.toml")
    assert (deck is None) == bool(problems)
    assert all(isinstance(str(p), str) for p in problems)
    assert isinstance(load_decks([folder]).decks, list)
    (folder / "config.toml").write_bytes(raw)
    cfg = load_config(folder)
    assert isinstance(cfg, Config) and all(isinstance(p, str) for p in cfg.problems)


@pytest.mark.parametrize(
    ("line", "says"),
    [
        ("desired_retention = nan", "'desired_retention' must be a finite number"),
        ("desired_retention = 1" + "0" * 400, "'desired_retention' must be a finite number"),
    ],
)
def test_deck_numbers_must_be_finite(tmp_path: Path, line: str, says: str) -> None:
    path = tmp_path / "deck.toml"
    path.write_text(
        DECK.format(id="n", title="N").replace('round = "sql"', f'round = "sql"\n{line}'), encoding="utf-8"
    )
    deck, problems = load_deck_file(path)
    assert deck is None and [p.message for p in problems] == [says + " of a sensible size"]


def test_card_tolerance_and_speaking_targets_are_bounded(tmp_path: Path) -> None:
    path = tmp_path / "deck.toml"
    path.write_text(
        DECK.format(id="n", title="N")
        + '\n[[cards]]\nid = "d"\ntype = "design"\ntitle = "D"\nprompt = "P"\nanswer = "A"\n'
        "target_seconds = [1, 9223372036854775807]\n"
        'numbers = [{ question = "q", answer = inf }]\n',
        encoding="utf-8",
    )
    deck, problems = load_deck_file(path)
    assert deck is None
    assert any("target_seconds" in p.message for p in problems)
    assert any("'answer' must be a finite number" in p.message for p in problems)


def test_text_a_screen_cannot_show_is_a_deck_problem(tmp_path: Path) -> None:
    path = tmp_path / "deck.toml"
    path.write_text(DECK.format(id="long", title="T" * 5000), encoding="utf-8")
    deck, problems = load_deck_file(path)
    assert deck is None and [(p.line, p.message) for p in problems] == [
        (4, "'title' is 5,000 characters; at most 200")
    ]
    path.write_text(DECK.format(id="long", title="T").replace('answer = "A."', f'answer = "{"a" * 30000}"'))
    assert "'answer' is 30,000 characters" in load_deck_file(path)[1][0].message


def test_a_deck_of_more_than_10000_cards_is_refused_with_the_line_of_the_first_one_too_many(
    tmp_path: Path,
) -> None:
    card = '\n[[cards]]\nid = "c{i}"\ntype = "recall"\ntitle = "T"\nprompt = "P"\nanswer = "A"\n'
    head = '[deck]\nid = "many"\ntitle = "Many"\nround = "sql"\n'
    path = tmp_path / "many.toml"
    path.write_text(head + "".join(card.format(i=i) for i in range(10_001)), encoding="utf-8")
    deck, problems = load_deck_file(path)
    assert deck is None
    assert [(p.line, p.message) for p in problems] == [
        (5 + 7 * 10_000 + 1, "10,001 cards; a deck may hold at most 10,000: split it into decks")
    ]


def test_an_oversized_config_is_not_read(isolated_home: Path) -> None:
    path = isolated_home / "config.toml"
    with open(path, "wb") as fh:  # sparse: 1 GB to anyone who reads it
        fh.truncate(1024**3)
    cfg = load_config(isolated_home)
    assert cfg.review.new_per_day == 20
    assert cfg.problems == [f"{path}: the file is larger than 1024 KB; using the default settings"]


def test_a_megabyte_id_or_key_gives_a_short_problem_line(tmp_path: Path, isolated_home: Path) -> None:
    folder = tmp_path / "decks"
    folder.mkdir()
    text = DECK.format(id="a" * 1_000_000, title="T").replace(
        'answer = "A."', f'answer = "A."\n{"k" * 500_000} = 1'
    )
    (folder / "huge-id.toml").write_text(text, encoding="utf-8")
    done = prepdeck(isolated_home, "decks", "check", str(folder))
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert len(lines) == 2 and all(len(line) <= 1000 for line in lines)
    assert "may use only a-z, 0-9 and '-', 100 at most" in done.stdout and "unknown key" in done.stdout


def test_a_broken_deck_of_the_users_own_keeps_its_id_from_a_downloaded_one(
    tmp_path: Path, isolated_home: Path
) -> None:
    own = isolated_home / "decks"
    own.mkdir()
    (own / "mine.toml").write_text(
        DECK.format(id="mine", title="Mine").replace('round = "sql"', 'round = "sql"\ncolour = "red"'),
        encoding="utf-8",
    )
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    (downloads / "evil.toml").write_text(DECK.format(id="mine", title="Stranger"), encoding="utf-8")
    loaded = load_decks([own, downloads])
    assert loaded.deck("mine") is None
    assert any(
        f"duplicate deck id 'mine': it is the id of {own / 'mine.toml'}, which has problems to fix" in str(p)
        for p in loaded.skipped
    )
