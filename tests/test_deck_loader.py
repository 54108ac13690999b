"""The deck loader: every kind of problem is reported as PATH:LINE and never stops the other decks."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from prepdeck.core.paths import BUILTIN_DECKS, deck_dirs
from prepdeck.decks.loader import check_paths, load_deck_file, load_decks
from prepdeck.decks.tabular import coerce, parse_columns, read_csv

GOOD = """\
[deck]
id = "good"
title = "Good deck"
round = "sql"
desired_retention = 0.85

[[cards]]
id = "dedupe"
type = "sql"
title = "Dedupe"
prompt = "Keep the latest row."
solution = "SELECT 1"
tables = { events = "id VARCHAR, amount DECIMAL(12,2), ts TIMESTAMP" }
tags = ["window"]

[[cards.cases]]
name = "example"
[cards.cases.data]
events = \"\"\"
id,amount,ts
a,1.50,2026-01-01 10:00:00
b,,2026-01-02 10:00:00
\"\"\"

[[cards.cases]]
name = "hidden one"
hidden = true
expected = \"\"\"
x
1
\"\"\"

[[cards]]
id = "recall-1"
type = "recall"
title = "What is a window frame?"
prompt = "Explain."
answer = "The rows the function sees."

[cards.x]
anything = "goes here"
"""


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def one_card_deck(
    card_type: str, card_id: str, keys: str, *, title: str = "t", prompt: str = "p", round_: str | None = None
) -> str:
    """A deck (named after its round) whose first card is `card_type` with its title and prompt; `keys` are
    the card's other keys, from line 11 (so problem lines stay where the tests expect them)."""
    round_ = round_ or card_type
    head = f'[deck]\nid = "{round_}"\ntitle = "{round_.title()}"\nround = "{round_}"\n\n'
    card = f'[[cards]]\nid = "{card_id}"\ntype = "{card_type}"\ntitle = "{title}"\nprompt = "{prompt}"\n'
    return head + card + textwrap.dedent(keys)


def problems_of(tmp_path: Path, text: str) -> list[str]:
    path = write(tmp_path, "deck.toml", text)
    deck, problems = load_deck_file(path)
    assert deck is None, "a deck with problems must not load"
    return [f"{p.line}: {p.message}" for p in problems]


def test_good_deck_loads_with_defaults(tmp_path: Path) -> None:
    deck, problems = load_deck_file(write(tmp_path, "good.toml", GOOD))
    assert problems == []
    assert deck is not None and deck.id == "good" and deck.round == "sql" and deck.desired_retention == 0.85
    sql, recall = deck.cards
    assert sql.global_id == "good/dedupe" and sql.dialect == "duckdb" and sql.ordered is False
    assert sql.today == dt.datetime(2026, 1, 1) and sql.tolerance == 1e-6
    assert [c.name for c in sql.cases] == ["example", "hidden one"]
    assert sql.cases[1].hidden and sql.cases[1].expected is not None and sql.cases[1].data == {}
    assert sql.line == 7 and recall.line == 33
    assert recall.extra == {"anything": "goes here"}


def test_toml_syntax_error_names_line(tmp_path: Path) -> None:
    assert problems_of(tmp_path, '[deck]\nid = "a"\ntitle = = "x"\n') == [
        "3: TOML syntax error: Invalid value (column 9)"
    ]


def test_unknown_key_is_an_error_with_a_hint(tmp_path: Path) -> None:
    text = GOOD.replace('tags = ["window"]', 'tags = ["window"]\ntitel = "typo"')
    assert problems_of(tmp_path, text) == ["15: unknown key 'titel' in a sql card (did you mean 'title'?)"]


def test_unknown_key_in_deck_table_and_key_of_other_card_type(tmp_path: Path) -> None:
    text = GOOD.replace('round = "sql"', 'round = "sql"\nowner = "me"').replace(
        'answer = "The rows the function sees."', 'answer = "The rows."\nchecklist = ["a"]'
    )
    found = problems_of(tmp_path, text)
    assert found == ["5: unknown key 'owner' in [deck]", "40: unknown key 'checklist' in a recall card"]


def test_missing_required_keys(tmp_path: Path) -> None:
    text = GOOD.replace('title = "Good deck"\n', "").replace('answer = "The rows the function sees."\n', "")
    assert problems_of(tmp_path, text) == [
        "1: missing required key 'title'",
        "32: a recall card needs 'answer'",
    ]


def test_wrong_types(tmp_path: Path) -> None:
    text = GOOD.replace('tags = ["window"]', 'tags = "window"\nordered = "yes"').replace(
        "desired_retention = 0.85", "desired_retention = 0.99"
    )
    assert problems_of(tmp_path, text) == [
        "5: desired_retention 0.99 must be between 0.70 and 0.97",
        "14: 'tags' must be a list of strings",
        "15: 'ordered' must be true or false, not a string",
    ]


def test_bad_ids_round_and_type(tmp_path: Path) -> None:
    text = (
        GOOD.replace('id = "good"', 'id = "Good_Deck"')
        .replace('round = "sql"', 'round = "coding"')
        .replace('type = "recall"', 'type = "flashcard"')
    )
    assert problems_of(tmp_path, text) == [
        "2: deck id 'Good_Deck' may use only a-z, 0-9 and '-', 100 at most",
        "4: round 'coding' must be one of sql, pyspark, design, behavioral",
        "35: card type 'flashcard' must be one of recall, sql, pyspark, python, design, star",
    ]


def test_duplicate_card_id(tmp_path: Path) -> None:
    text = GOOD.replace('id = "recall-1"', 'id = "dedupe"')
    assert problems_of(tmp_path, text) == ["34: duplicate card id 'dedupe' (first at card #1)"]


def test_case_data_problems_point_at_the_csv_row(tmp_path: Path) -> None:
    text = GOOD.replace("b,,2026-01-02 10:00:00", "b,abc,2026-01-02 10:00:00\nc,1.0")
    assert problems_of(tmp_path, text) == [
        "22: table 'events', column 'amount': 'abc' is not a decimal number",
        "23: table 'events': 2 values for 3 columns",
    ]


def test_case_data_for_undeclared_table_or_column(tmp_path: Path) -> None:
    text = (
        GOOD.replace("id,amount,ts", "id,amount,when")
        .replace(
            '[[cards.cases]]\nname = "hidden one"',
            '[[cards.cases]]\nname = "hidden one"\nhidden = true\n[cards.cases.data]\nusers = "id\\n1"',
        )
        .replace('1"\nhidden = true', '1"')
    )
    found = problems_of(tmp_path, text)
    assert found[0] == "20: table 'events': CSV column 'when' is not declared (declared: id, amount, ts)"
    assert found[1] == "29: data for table 'users', which 'tables' does not declare"


def test_duplicate_case_names_and_bad_tables(tmp_path: Path) -> None:
    text = GOOD.replace('name = "hidden one"', 'name = "example"').replace(
        'events = "id VARCHAR, amount DECIMAL(12,2), ts TIMESTAMP"', 'events = "id VARCHAR, id INTEGER"'
    )
    found = problems_of(tmp_path, text)
    assert "13: table 'events': column 'id' declared twice" in found
    assert "26: duplicate case name 'example'" in found


def test_pyspark_card_needs_function_and_spark_types(tmp_path: Path) -> None:
    text = one_card_deck(
        "pyspark",
        "a",
        """\
    solution = "def f(t): return t"
    tables = { t = "m MAP(VARCHAR, INTEGER)" }
    dialect = "spark"

    [[cards.cases]]
    name = "c"
    """,
    )
    assert problems_of(tmp_path, text) == [
        "6: a pyspark card needs 'function'",
        "12: table 't': column 'm' has type MAP(VARCHAR, INTEGER), which has no Spark mapping (use VARCHAR, "
        "INTEGER, BIGINT, DOUBLE, DECIMAL(p,s), DATE, TIMESTAMP or BOOLEAN)",
        "13: unknown key 'dialect' in a pyspark card",
    ]


def test_design_numbers_and_target_seconds(tmp_path: Path) -> None:
    text = one_card_deck(
        "design",
        "fraud",
        """\
    answer = "Kafka, Flink, a feature store."
    target_seconds = [300, 120]
    numbers = [
      { question = "MB/s at 50k TPS x 1 KB?", answer = 50, unit = "MB/s" },
      { question = "no answer" },
    ]
    """,
        title="Fraud",
        prompt="Design it.",
    )
    assert problems_of(tmp_path, text) == [
        "12: 'target_seconds' must be [min, max] whole seconds, 0 < min <= max <= 14400",
        "13: a numbers entry needs 'answer'",
    ]


def test_design_card_loads_numbers(tmp_path: Path) -> None:
    text = one_card_deck(
        "design",
        "fraud",
        """\
    answer = "Kafka."
    checklist = ["clarify", "capacity"]
    numbers = [{ question = "MB/s?", answer = 50, unit = "MB/s" }]
    [[cards]]
    id = "story"
    type = "star"
    title = "Outage"
    prompt = "Tell me about an outage."
    competency = "ownership"
    checklist = ["a measurable result", "own decision"]
    """,
        title="Fraud",
        prompt="Design it.",
    )
    deck, problems = load_deck_file(write(tmp_path, "d.toml", text))
    assert problems == [] and deck is not None
    bad = text.replace('["a measurable result", "own decision"]', '"not a list"')
    assert "checklist" in load_deck_file(write(tmp_path, "bad.toml", bad))[1][0].message
    design, star = deck.cards
    assert design.checklist == ("clarify", "capacity") and design.numbers[0].tolerance == 0.05
    assert star.speaking_target() == (90, 180) and star.competency == "ownership"
    assert star.checklist == ("a measurable result", "own decision")


def test_not_utf8_and_missing_deck_table(tmp_path: Path) -> None:
    path = tmp_path / "bin.toml"
    path.write_bytes(b'[deck]\nid = "x"\ntitle = "\xff"\n')
    deck, problems = load_deck_file(path)
    assert deck is None and [(p.line, p.message) for p in problems] == [
        (3, "not UTF-8 text: save the file as UTF-8")
    ]
    assert problems_of(tmp_path, '[[cards]]\nid = "a"\n')[0] == "None: missing the [deck] table"


def test_broken_deck_is_skipped_and_others_load(tmp_path: Path) -> None:
    write(tmp_path / "a", "good.toml", GOOD)
    write(
        tmp_path / "a", "broken.toml", GOOD.replace('id = "good"', 'id = "other"').replace("round", "rounds")
    )
    result = load_decks([tmp_path / "a"])
    assert [d.id for d in result.decks] == ["good"]
    assert [p.name for p in result.broken] == ["broken.toml"]
    assert f"{tmp_path / 'a' / 'broken.toml'}:4: unknown key 'rounds' in [deck] (did you mean 'round'?)" in [
        str(p) for p in result.problems
    ]


def test_duplicate_deck_id_across_folders_keeps_the_first(tmp_path: Path) -> None:
    first = write(tmp_path / "one", "x.toml", GOOD)
    second = write(tmp_path / "two", "y.toml", GOOD)
    result = load_decks([tmp_path / "one", tmp_path / "two"])
    assert [d.path for d in result.decks] == [first]
    assert [str(p) for p in result.problems] == [
        f"{second}:2: duplicate deck id 'good': already loaded from {first}; this file is skipped"
    ]
    found = check_paths([tmp_path / "one", tmp_path / "two"])
    assert [str(p) for p in found] == [f"{second}:2: duplicate deck id 'good': also in {first}"]


def test_discovery_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    monkeypatch.setenv("PREPDECK_DECKS", os.pathsep.join([str(tmp_path / "env1"), str(tmp_path / "env2")]))
    home = tmp_path / "home"
    assert deck_dirs(home, [str(tmp_path / "cli")]) == [
        BUILTIN_DECKS,
        home / "decks",
        tmp_path / "env1",
        tmp_path / "env2",
        tmp_path / "cli",
    ]


def test_check_paths_reports_missing_path(tmp_path: Path) -> None:
    found = check_paths([tmp_path / "nope.toml"])
    assert [str(p) for p in found] == [f"{tmp_path / 'nope.toml'}: no such file or folder"]


def test_csv_keeps_null_and_empty_string_apart() -> None:
    table = read_csv('a,b,c\n1,,""\n"x,y","say ""hi""",\n')
    assert table.header == ["a", "b", "c"]
    assert table.rows == [["1", None, ""], ["x,y", 'say "hi"', None]]


def test_columns_and_coercion() -> None:
    cols = parse_columns("id VARCHAR, amount DECIMAL(12,2), ts TIMESTAMP")
    assert [(c.name, c.base) for c in cols] == [("id", "VARCHAR"), ("amount", "DECIMAL"), ("ts", "TIMESTAMP")]
    assert coerce("2026-03-30 10:00:00", "TIMESTAMP") == dt.datetime(2026, 3, 30, 10)
    assert coerce("", "VARCHAR") == "" and coerce(None, "INTEGER") is None
    with pytest.raises(ValueError, match="not a date"):
        coerce("30/03/2026", "DATE")


def test_parse_cache_is_reused_and_follows_file_changes(tmp_path: Path) -> None:
    import os

    folder, cache = tmp_path / "decks", tmp_path / "cache"
    path = write(folder, "good.toml", GOOD)
    first = load_decks([folder], cache_dir=cache)
    assert [d.id for d in first.decks] == ["good"] and len(list(cache.glob("*.pickle"))) == 1
    assert load_decks([folder], cache_dir=cache).decks == first.decks
    # an edit (new size and mtime) is parsed again: here it breaks the deck, and the cache must not hide it
    path.write_text(GOOD.replace('round = "sql"', 'round = "sql"\nowner = "me"'), encoding="utf-8")
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10_000_000))
    edited = load_decks([folder], cache_dir=cache)
    assert edited.decks == [] and [p.line for p in edited.problems] == [5]
    # a corrupt cache entry is ignored, not fatal
    next(cache.glob("*.pickle")).write_bytes(b"not a pickle")
    assert load_decks([folder], cache_dir=cache).problems[0].line == 5
