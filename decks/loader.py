"""Load and validate deck files (docs/deck-format.md).

Every problem names the file and line; a deck with any problem is skipped whole (never half-loaded),
and the other decks still load. Unknown keys are errors, except inside a table named `x`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import os
import re
import tomllib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, cast

from prepdeck.decks import BUILTIN_DECKS
from prepdeck.decks.declaration import column_type
from prepdeck.decks.locate import KeyPath, key_lines, line_of
from prepdeck.decks.model import (
    CARD_TYPES,
    ROUNDS,
    Card,
    CardType,
    Case,
    Deck,
    DeckProblem,
    DeckSet,
    NumberQuestion,
    Round,
)
from prepdeck.decks.tabular import SPARK_TYPES, coerce, parse_columns, read_csv
from prepdeck.decks.text import one_line, visible_strings

ID_RE = re.compile(r"^[a-z0-9-]{1,100}$")  # ids key the review history and show on every screen
_CARD_HEADER = re.compile(r"^[ \t]*\[\[[ \t]*cards[ \t]*\]\]", re.MULTILINE)
IDENT_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
SQL_DIALECTS = (
    "duckdb",
    "bigquery",
    "spark",
    "spark2",
    "databricks",
    "postgres",
    "snowflake",
    "mysql",
    "trino",
    "presto",
    "redshift",
    "sqlite",
    "tsql",
    "oracle",
    "hive",
    "athena",
    "clickhouse",
)
# the dialects an answer is judged in (`check --dialect`, [sql].dialect), and the other names people use
ANSWER_DIALECTS: tuple[str, ...] = ("duckdb", "bigquery", "spark", "postgres", "snowflake", "mysql")
SQL_DIALECT_ALIASES = {
    "postgresql": "postgres",
    "pg": "postgres",
    "psql": "postgres",
    "sparksql": "spark",
    "spark-sql": "spark",
    "spark_sql": "spark",
    "bq": "bigquery",
    "duck": "duckdb",
}
DEFAULT_TODAY = dt.datetime(2026, 1, 1)
# Lengths a screen can show: the largest built-in prompt is ~1,500 characters and its longest answer ~3,800;
# a title of megabytes would stall every screen that lists it
ONE_LINE_LIMIT = 200  # titles, case names, a card's competency
TEXT_LIMITS = {"prompt": 20_000, "answer": 20_000, "description": 20_000, "solution": 50_000, "item": 2_000}
LIST_LIMIT = 200  # tags, checklist points
MAX_CARDS = 10_000  # the built-in decks hold 35 at most; 100,000 would cost seconds on every screen
MAX_TARGET_SECONDS = 4 * 3600  # a spoken answer; the same bound as recordings' longest audio

COMMON_KEYS = {"id", "type", "title", "prompt", "answer", "tags", "x"}
CODE_KEYS = {"solution", "ordered", "today", "tolerance", "tables", "cases"}
TYPE_KEYS: dict[str, set[str]] = {
    "recall": COMMON_KEYS,
    "sql": COMMON_KEYS | CODE_KEYS | {"dialect"},
    "pyspark": COMMON_KEYS | CODE_KEYS | {"function"},
    "python": COMMON_KEYS | {"solution", "function", "compare", "tolerance", "cases"},
    "design": COMMON_KEYS | {"checklist", "numbers", "target_seconds"},
    "star": COMMON_KEYS | {"competency", "target_seconds", "checklist"},
}
REQUIRED: dict[str, tuple[str, ...]] = {
    "recall": ("answer",),
    "sql": ("solution", "tables", "cases"),
    "pyspark": ("solution", "function", "tables", "cases"),
    "python": ("solution", "function", "cases"),
    "design": ("answer",),
    "star": (),
}
DECK_KEYS = {"id", "title", "round", "description", "desired_retention", "x"}
CASE_KEYS = {"name", "hidden", "expected", "data", "x"}
PYTHON_CASE_KEYS = {"name", "hidden", "expected", "args", "x"}
PYTHON_COMPARE = ("exact", "unordered", "approx")
NUMBER_KEYS = {"question", "answer", "tolerance", "unit", "x"}


class _Validator:
    def __init__(self, path: Path, text: str, real: Path | None = None, sha256: str = ""):
        self.path = path
        self.real = real
        self.sha256 = sha256
        self.source_text = text
        self.text_lines = text.splitlines()
        self.problems: list[DeckProblem] = []
        self._lines: dict[KeyPath, int] | None = None
        # cheap positions of each [[cards]] header, for Card.line; the full key map is built only on a problem
        self.card_lines: list[int] = []
        line, pos = 1, 0
        for m in _CARD_HEADER.finditer(text):
            line += text.count("\n", pos, m.start())
            pos = m.start()
            self.card_lines.append(line)

    @property
    def lines(self) -> dict[KeyPath, int]:
        if self._lines is None:
            self._lines = key_lines(self.source_text)
        return self._lines

    def problem(self, where: KeyPath, message: str, card_id: str | None = None, offset: int = 0) -> None:
        line = line_of(self.lines, where)
        self.problems.append(
            DeckProblem(self.path, None if line is None else line + offset, message, card_id)
        )

    # -- typed getters: record a problem and return None when the value is of the wrong type ----------
    def text(
        self,
        table: dict[str, Any],
        key: str,
        where: KeyPath,
        required: bool = False,
        one_line: bool = False,
        card_id: str | None = None,
    ) -> str | None:
        if key not in table:
            if required:
                self.problem(where, f"missing required key '{key}'", card_id)
            return None
        value = table[key]
        if not isinstance(value, str):
            self.problem((*where, key), f"'{key}' must be a string, not {_kind(value)}", card_id)
            return None
        if required and not value.strip():
            self.problem((*where, key), f"'{key}' is empty", card_id)
            return None
        if one_line and "\n" in value.strip():
            self.problem((*where, key), f"'{key}' must be one line", card_id)
            return None
        limit = ONE_LINE_LIMIT if one_line else TEXT_LIMITS.get(key)
        if limit is not None and len(value) > limit:
            self.problem((*where, key), f"'{key}' is {len(value):,} characters; at most {limit:,}", card_id)
            return None
        return value

    def number(
        self, table: dict[str, Any], key: str, where: KeyPath, card_id: str | None = None
    ) -> float | None:
        value = table.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.problem((*where, key), f"'{key}' must be a number, not {_kind(value)}", card_id)
            return None
        # nan or inf would make every comparison fail (or pass); an integer of 400 digits overflows a float
        too_big = isinstance(value, int) and abs(value) > 2**53
        if too_big or not math.isfinite(value):
            self.problem((*where, key), f"'{key}' must be a finite number of a sensible size", card_id)
            return None
        return float(value)

    def boolean(
        self, table: dict[str, Any], key: str, where: KeyPath, card_id: str | None = None
    ) -> bool | None:
        value = table.get(key)
        if value is None:
            return None
        if not isinstance(value, bool):
            self.problem((*where, key), f"'{key}' must be true or false, not {_kind(value)}", card_id)
            return None
        return value

    def strings(
        self, table: dict[str, Any], key: str, where: KeyPath, card_id: str | None = None
    ) -> tuple[str, ...]:
        value = table.get(key)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem((*where, key), f"'{key}' must be a list of strings", card_id)
            return ()
        if len(value) > LIST_LIMIT or any(len(v) > TEXT_LIMITS["item"] for v in value):
            self.problem(
                (*where, key),
                f"'{key}' may hold at most {LIST_LIMIT} entries of at most {TEXT_LIMITS['item']:,} characters",
                card_id,
            )
            return ()
        return tuple(value)

    def unknown_keys(
        self, table: dict[str, Any], allowed: set[str], where: KeyPath, what: str, card_id: str | None = None
    ) -> None:
        for key in table:
            if key not in allowed:
                hint = _close_match(key, allowed)
                self.problem((*where, key), f"unknown key '{key}' in {what}{hint}", card_id)

    # -- the deck -------------------------------------------------------------------------------------
    def deck(self, data: dict[str, Any], builtin: bool) -> Deck | None:
        self.unknown_keys(data, {"deck", "cards", "x"}, (), "the file")
        meta = data.get("deck")
        if not isinstance(meta, dict):
            self.problem(("deck",), "missing the [deck] table" if meta is None else "'deck' must be a table")
            return None
        self.unknown_keys(meta, DECK_KEYS, ("deck",), "[deck]")
        deck_id = self.text(meta, "id", ("deck",), required=True)
        if deck_id is not None and not ID_RE.match(deck_id):
            self.problem(
                ("deck", "id"),
                f"deck id '{one_line(deck_id, 40)}' may use only a-z, 0-9 and '-', 100 at most",
            )
        title = self.text(meta, "title", ("deck",), required=True, one_line=True)
        round_ = self.text(meta, "round", ("deck",), required=True)
        if round_ is not None and round_ not in ROUNDS:
            self.problem(("deck", "round"), f"round '{round_}' must be one of {', '.join(ROUNDS)}")
        description = self.text(meta, "description", ("deck",)) or ""
        retention = self.number(meta, "desired_retention", ("deck",))
        if retention is not None and not 0.70 <= retention <= 0.97:
            self.problem(
                ("deck", "desired_retention"), f"desired_retention {retention} must be between 0.70 and 0.97"
            )

        raw_cards = data.get("cards")
        cards: list[Card] = []
        if raw_cards is None:
            self.problem((), "the deck has no cards: add [[cards]] entries")
        elif not isinstance(raw_cards, list) or not all(isinstance(c, dict) for c in raw_cards):
            self.problem(("cards",), "'cards' must be an array of tables ([[cards]])")
        elif len(raw_cards) > MAX_CARDS:
            # placed by the cheap [[cards]] scan: the full key map of a file this size costs seconds
            line = self.card_lines[MAX_CARDS] if len(self.card_lines) > MAX_CARDS else None
            message = f"{len(raw_cards):,} cards; a deck may hold at most {MAX_CARDS:,}: split it into decks"
            self.problems.append(DeckProblem(self.path, line, message))
        else:
            seen: dict[str, int] = {}
            for index, raw in enumerate(raw_cards):
                card = self.card(raw, index, deck_id or "")
                cid = raw.get("id") if isinstance(raw.get("id"), str) else None
                if cid is not None:
                    if cid in seen:
                        self.problem(
                            ("cards", index, "id"),
                            f"duplicate card id '{cid}' (first at card #{seen[cid] + 1})",
                            cid,
                        )
                    seen.setdefault(cid, index)
                if card is not None:
                    cards.append(card)
        if self.problems or deck_id is None or title is None or round_ is None:
            return None
        return Deck(
            id=deck_id,
            title=title,
            round=cast(Round, round_),  # checked against ROUNDS above
            cards=tuple(cards),
            description=description,
            desired_retention=retention,
            path=self.path,
            builtin=builtin,
            sha256=self.sha256,
            real_path=self.real,
        )

    # -- a card ---------------------------------------------------------------------------------------
    def card(self, raw: dict[str, Any], index: int, deck_id: str) -> Card | None:
        where: KeyPath = ("cards", index)
        before = len(self.problems)
        cid = self.text(raw, "id", where, required=True)
        if cid is not None and not ID_RE.match(cid):
            self.problem(
                (*where, "id"),
                f"card id '{one_line(cid, 40)}' may use only a-z, 0-9 and '-', 100 at most",
                cid,
            )
        ctype = self.text(raw, "type", where, required=True, card_id=cid)
        if ctype is not None and ctype not in CARD_TYPES:
            self.problem((*where, "type"), f"card type '{ctype}' must be one of {', '.join(CARD_TYPES)}", cid)
            ctype = None
        title = self.text(raw, "title", where, required=True, one_line=True, card_id=cid)
        prompt = self.text(raw, "prompt", where, required=True, card_id=cid)
        if ctype is None:
            return None
        self.unknown_keys(raw, TYPE_KEYS[ctype], where, f"a {ctype} card", cid)
        for key in REQUIRED[ctype]:
            if key not in raw:
                self.problem(where, f"a {ctype} card needs '{key}'", cid)
        answer = self.text(raw, "answer", where, card_id=cid)
        tags = self.strings(raw, "tags", where, cid)
        fields: dict[str, Any] = {}
        if ctype in ("sql", "pyspark"):
            fields = self.code_fields(raw, where, ctype, cid)
        elif ctype == "python":
            fields = self.python_fields(raw, where, cid)
        elif ctype == "design":
            fields = {
                "checklist": self.strings(raw, "checklist", where, cid),
                "numbers": self.numbers(raw, where, cid),
                "target_seconds": self.target_seconds(raw, where, cid),
            }
        elif ctype == "star":
            fields = {
                "competency": self.text(raw, "competency", where, one_line=True, card_id=cid),
                "target_seconds": self.target_seconds(raw, where, cid),
                "checklist": self.strings(raw, "checklist", where, cid),
            }
        extra = raw.get("x", {})
        if not isinstance(extra, dict):
            self.problem((*where, "x"), "'x' must be a table", cid)
        if len(self.problems) > before or cid is None or title is None or prompt is None:
            return None
        return Card(
            deck_id=deck_id,
            id=cid,
            type=cast(CardType, ctype),  # checked against CARD_TYPES above
            title=title.strip(),
            prompt=prompt,
            answer=answer,
            tags=tags,
            extra=extra if isinstance(extra, dict) else {},
            source=self.path,
            line=self.card_lines[index] if index < len(self.card_lines) else None,
            source_real=self.real,
            source_sha256=self.sha256,
            **fields,
        )

    def target_seconds(self, raw: dict[str, Any], where: KeyPath, cid: str | None) -> tuple[int, int] | None:
        value = raw.get("target_seconds")
        if value is None:
            return None
        ok = (
            isinstance(value, list)
            and len(value) == 2
            and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
            and 0 < value[0] <= value[1] <= MAX_TARGET_SECONDS
        )
        if not ok:
            self.problem(
                (*where, "target_seconds"),
                f"'target_seconds' must be [min, max] whole seconds, 0 < min <= max <= {MAX_TARGET_SECONDS}",
                cid,
            )
            return None
        return (value[0], value[1])

    def numbers(self, raw: dict[str, Any], where: KeyPath, cid: str | None) -> tuple[NumberQuestion, ...]:
        value = raw.get("numbers")
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.problem(
                (*where, "numbers"),
                "'numbers' must be an array of tables { question, answer, tolerance, unit }",
                cid,
            )
            return ()
        out = []
        for i, item in enumerate(value):
            at: KeyPath = (*where, "numbers", i)
            self.unknown_keys(item, NUMBER_KEYS, at, "a numbers entry", cid)
            question = self.text(item, "question", at, required=True, card_id=cid)
            if "answer" not in item:
                self.problem(at, "a numbers entry needs 'answer'", cid)
            answer = self.number(item, "answer", at, cid)
            tolerance = self.number(item, "tolerance", at, cid)
            if tolerance is not None and tolerance < 0:
                self.problem((*at, "tolerance"), "'tolerance' must not be negative", cid)
            unit = self.text(item, "unit", at, one_line=True, card_id=cid) or ""
            if question is not None and answer is not None:
                out.append(NumberQuestion(question, answer, 0.05 if tolerance is None else tolerance, unit))
        return tuple(out)

    def code_fields(self, raw: dict[str, Any], where: KeyPath, ctype: str, cid: str | None) -> dict[str, Any]:
        fields: dict[str, Any] = {}
        fields["solution"] = self.text(raw, "solution", where, card_id=cid)
        if ctype == "sql":
            dialect = self.text(raw, "dialect", where, card_id=cid)
            if dialect is not None and dialect.lower() not in SQL_DIALECTS:
                self.problem(
                    (*where, "dialect"),
                    f"unknown dialect '{dialect}' (use one of {', '.join(SQL_DIALECTS)})",
                    cid,
                )
            fields["dialect"] = (dialect or "duckdb").lower()
        else:
            function = self.text(raw, "function", where, card_id=cid)
            if function is not None and not IDENT_RE.match(function):
                self.problem((*where, "function"), f"'{function}' is not a Python function name", cid)
            fields["function"] = function
        fields["ordered"] = bool(self.boolean(raw, "ordered", where, cid))
        fields["today"] = self.today(raw, where, cid)
        tolerance = self.number(raw, "tolerance", where, cid)
        if tolerance is not None and tolerance < 0:
            self.problem((*where, "tolerance"), "'tolerance' must not be negative", cid)
        fields["tolerance"] = 1e-6 if tolerance is None else tolerance
        tables = self.tables(raw, where, ctype, cid)
        fields["tables"] = {name: spec for name, (spec, _) in tables.items()}
        fields["cases"] = self.cases(raw, where, tables, cid)
        return fields

    def python_fields(self, raw: dict[str, Any], where: KeyPath, cid: str | None) -> dict[str, Any]:
        fields: dict[str, Any] = {"solution": self.text(raw, "solution", where, card_id=cid)}
        function = self.text(raw, "function", where, card_id=cid)
        if function is not None and not IDENT_RE.match(function):
            self.problem((*where, "function"), f"'{function}' is not a Python function name", cid)
        fields["function"] = function
        compare = self.text(raw, "compare", where, one_line=True, card_id=cid) or "exact"
        if compare not in PYTHON_COMPARE:
            self.problem((*where, "compare"), f"'compare' must be one of {', '.join(PYTHON_COMPARE)}", cid)
            compare = "exact"
        fields["compare"] = compare
        tolerance = self.number(raw, "tolerance", where, cid)
        if tolerance is not None and tolerance < 0:
            self.problem((*where, "tolerance"), "'tolerance' must not be negative", cid)
        fields["tolerance"] = 1e-6 if tolerance is None else tolerance
        fields["cases"] = self.python_cases(raw, where, cid)
        return fields

    def case_tables(
        self, raw: dict[str, Any], where: KeyPath, keys: set[str], what: str, cid: str | None
    ) -> Iterator[tuple[KeyPath, dict[str, Any], str | None, bool]]:
        """Each [[cards.cases]] table with what every kind of case has checked (its keys, a one-line name
        unique on the card, `hidden`): (its key path, the table, its name or None, hidden)."""
        value = raw.get("cases")
        if value is None:
            return
        if not isinstance(value, list) or not value or not all(isinstance(v, dict) for v in value):
            self.problem((*where, "cases"), "'cases' must be one or more [[cards.cases]] tables", cid)
            return
        names: set[str] = set()
        for i, case in enumerate(value):
            at: KeyPath = (*where, "cases", i)
            self.unknown_keys(case, keys, at, what, cid)
            name = self.text(case, "name", at, required=True, one_line=True, card_id=cid)
            if name is not None:
                if name in names:
                    self.problem((*at, "name"), f"duplicate case name '{name}'", cid)
                names.add(name)
            yield at, case, name, bool(self.boolean(case, "hidden", at, cid))

    def python_cases(self, raw: dict[str, Any], where: KeyPath, cid: str | None) -> tuple[Case, ...]:
        out: list[Case] = []
        for at, case, name, hidden in self.case_tables(raw, where, PYTHON_CASE_KEYS, "a python case", cid):
            args = self.text(case, "args", at, required=True, card_id=cid)
            if args is not None:
                try:
                    parsed = json.loads(args)
                except (ValueError, RecursionError) as exc:
                    self.problem((*at, "args"), f"'args' is not JSON: {exc}", cid)
                    args = None
                else:
                    if not isinstance(parsed, dict) or not all(IDENT_RE.match(k) for k in parsed):
                        self.problem(
                            (*at, "args"),
                            'args must be a JSON object of keyword arguments, e.g. \'{"events": [], "gap_s": 60}\'',
                            cid,
                        )
                        args = None
            expected = self.text(case, "expected", at, card_id=cid)
            if expected is not None:
                try:
                    json.loads(expected)
                except (ValueError, RecursionError) as exc:
                    self.problem((*at, "expected"), f"'expected' is not JSON: {exc}", cid)
            if name is not None and args is not None:
                out.append(Case(name=name, data={}, hidden=hidden, expected=expected, args=args))
        return tuple(out)

    def today(self, raw: dict[str, Any], where: KeyPath, cid: str | None) -> dt.datetime:
        value = raw.get("today")
        if value is None:
            return DEFAULT_TODAY
        if isinstance(value, dt.datetime):
            return value.astimezone(dt.UTC).replace(tzinfo=None) if value.tzinfo else value
        if isinstance(value, dt.date):
            return dt.datetime(value.year, value.month, value.day)
        self.problem(
            (*where, "today"),
            "'today' must be a TOML date (2026-03-31) or local datetime (2026-03-31T09:00:00)",
            cid,
        )
        return DEFAULT_TODAY

    def tables(
        self, raw: dict[str, Any], where: KeyPath, ctype: str, cid: str | None
    ) -> dict[str, tuple[str, list[Any]]]:
        value = raw.get("tables")
        if value is None:
            return {}
        if not isinstance(value, dict) or not value:
            self.problem(
                (*where, "tables"),
                "'tables' must map each table name to its columns, "
                'e.g. { orders = "id VARCHAR, amount DECIMAL(12,2)" }',
                cid,
            )
            return {}
        out: dict[str, tuple[str, list[Any]]] = {}
        for name, spec in value.items():
            at: KeyPath = (*where, "tables", name)
            if not IDENT_RE.match(name):
                self.problem(at, f"table name '{name}' must be a plain identifier", cid)
                continue
            if not isinstance(spec, str):
                self.problem(
                    at, f"table '{name}': columns must be a string such as \"id VARCHAR, ts TIMESTAMP\"", cid
                )
                continue
            try:
                columns = parse_columns(spec)
                for col in columns:
                    column_type(col.name, col.type)  # a type and nothing else: the judges never run the text
            except ValueError as exc:
                self.problem(at, f"table '{name}': {exc}", cid)
                continue
            if ctype == "pyspark":
                for col in columns:
                    if col.base not in SPARK_TYPES:
                        self.problem(
                            at,
                            f"table '{name}': column '{col.name}' has type {col.type}, which has no "
                            "Spark mapping (use VARCHAR, INTEGER, BIGINT, DOUBLE, DECIMAL(p,s), DATE, "
                            "TIMESTAMP or BOOLEAN)",
                            cid,
                        )
            out[name] = (spec, columns)
        return out

    def cases(
        self, raw: dict[str, Any], where: KeyPath, tables: dict[str, tuple[str, list[Any]]], cid: str | None
    ) -> tuple[Case, ...]:
        out: list[Case] = []
        for at, case, name, hidden in self.case_tables(raw, where, CASE_KEYS, "a case", cid):
            expected = self.text(case, "expected", at, card_id=cid)
            if expected is not None:
                try:
                    read_csv(expected)
                except ValueError as exc:
                    self.problem((*at, "expected"), f"expected: {exc}", cid)
            data = case.get("data", {})
            if not isinstance(data, dict):
                self.problem((*at, "data"), "'data' must be a table: table name = CSV text", cid)
                data = {}
            for table, csv_text in data.items():
                self.case_table(table, csv_text, (*at, "data", table), tables, cid)
            if name is not None:
                out.append(
                    Case(
                        name=name,
                        data={k: v for k, v in data.items() if isinstance(v, str)},
                        hidden=hidden,
                        expected=expected,
                    )
                )
        return tuple(out)

    def case_table(
        self,
        table: str,
        csv_text: Any,
        at: KeyPath,
        tables: dict[str, tuple[str, list[Any]]],
        cid: str | None,
    ) -> None:
        if table not in tables:
            if tables:  # with no valid tables the problem was already reported
                self.problem(at, f"data for table '{table}', which 'tables' does not declare", cid)
            return
        if not isinstance(csv_text, str):
            self.problem(at, f"data for '{table}' must be CSV text", cid)
            return

        def first() -> int:  # only needed to place a problem, so computed only then
            return 1 if self._starts_on_next_line(at) else 0

        try:
            parsed = read_csv(csv_text)
        except ValueError as exc:
            self.problem(at, f"table '{table}': {exc}", cid)
            return
        columns = {c.name.lower(): c for c in tables[table][1]}
        header = [h.lower() for h in parsed.header]
        for h in header:
            if h not in columns:
                self.problem(
                    at,
                    f"table '{table}': CSV column '{h}' is not declared "
                    f"(declared: {', '.join(c.name for c in tables[table][1])})",
                    cid,
                    offset=first(),
                )
                return
        if len(set(header)) != len(header):
            self.problem(
                at, f"table '{table}': a CSV column appears twice in the header", cid, offset=first()
            )
            return
        for row, offset in zip(parsed.rows, parsed.row_offsets, strict=True):
            if len(row) != len(header):
                self.problem(
                    at,
                    f"table '{table}': {len(row)} values for {len(header)} columns",
                    cid,
                    offset=first() + offset,
                )
                continue
            for h, v in zip(header, row, strict=True):
                try:
                    coerce(v, columns[h].type)
                except ValueError as exc:
                    self.problem(at, f"table '{table}', column '{h}': {exc}", cid, offset=first() + offset)

    def _starts_on_next_line(self, at: KeyPath) -> bool:
        """TOML drops a newline right after an opening \"\"\", so the CSV header then sits on the next line."""
        line = line_of(self.lines, at)
        if line is None or line > len(self.text_lines):
            return False
        written = self.text_lines[line - 1]
        for delim in ('"""', "'''"):
            if delim in written:
                return written.split(delim, 1)[1].strip() == ""
        return False


def _kind(value: Any) -> str:
    return {
        bool: "a boolean",
        int: "an integer",
        float: "a number",
        str: "a string",
        list: "a list",
        dict: "a table",
    }.get(type(value), type(value).__name__)


def _close_match(key: str, allowed: Iterable[str]) -> str:
    import difflib

    match = difflib.get_close_matches(key, sorted(allowed), n=1)
    return f" (did you mean '{match[0]}'?)" if match else ""


def _toml_error(path: Path, exc: tomllib.TOMLDecodeError) -> DeckProblem:
    m = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
    message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc)) or "invalid TOML"
    if m:
        return DeckProblem(path, int(m.group(1)), f"TOML syntax error: {message} (column {m.group(2)})")
    return DeckProblem(path, None, f"TOML syntax error: {message}")


MAX_DECK_BYTES = 8 * 1024 * 1024  # the largest built-in deck is ~130 KB; a bigger file is skipped unread


def load_deck_file(path: Path, builtin: bool = False) -> tuple[Deck | None, list[DeckProblem]]:
    """One deck file: the deck, or None and the problems that keep it from loading."""
    path = Path(path)
    try:
        with open(path, "rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            # read at most one byte past the cap: a file that grew since fstat is refused all the same
            raw = fh.read(MAX_DECK_BYTES + 1) if size <= MAX_DECK_BYTES else b""
            if size > MAX_DECK_BYTES or len(raw) > MAX_DECK_BYTES:
                size = max(size, len(raw))
                return None, [
                    DeckProblem(
                        path,
                        None,
                        f"the file is {size / 1024 / 1024:.1f} MB; a deck may be at most "
                        f"{MAX_DECK_BYTES // 1024 // 1024} MB: split it into smaller decks",
                    )
                ]
            real = _real_path(fh.fileno(), path)
        text = raw.decode("utf-8-sig")  # a BOM (some Windows editors add one) is accepted
    except OSError as exc:
        return None, [DeckProblem(path, None, f"cannot read the file: {exc.strerror or exc}")]
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [DeckProblem(path, line, "not UTF-8 text: save the file as UTF-8")]
    try:
        data = visible_strings(tomllib.loads(text))
        validator = _Validator(path, text, real, hashlib.sha256(raw).hexdigest())
        deck = validator.deck(data, builtin)
    except tomllib.TOMLDecodeError as exc:
        return None, [_toml_error(path, exc)]
    except RecursionError:  # arrays or tables nested thousands deep: no deck needs that
        return None, [DeckProblem(path, None, "values nested too deeply: a deck nests a few levels at most")]
    problems = sorted(validator.problems, key=lambda p: p.line or 0)
    return (deck if not problems else None), problems


def _real_path(fd: int, path: Path) -> Path:
    """The real path of the file open as `fd`: the one read, even if a symbolic link on the way changes
    after (Linux names it in /proc); elsewhere the path resolved now."""
    try:
        real = os.readlink(f"/proc/self/fd/{fd}")
        if real.startswith("/") and not real.endswith(" (deleted)"):
            return Path(real)
    except OSError:
        pass
    return path.resolve()


def deck_files(directory: Path) -> list[Path]:
    try:
        return sorted(p for p in directory.glob("*.toml") if p.is_file())
    except OSError:
        return []


def _code_stamp() -> tuple[int, ...]:
    """Changes whenever the loader's own code does, so a cached parse never outlives its parser."""
    here = Path(__file__).parent
    return tuple(p.stat().st_mtime_ns for p in (here / "loader.py", here / "model.py", here / "tabular.py"))


def _load_cached(path: Path, builtin: bool, cache_dir: Path | None) -> tuple[Deck | None, list[DeckProblem]]:
    """`load_deck_file`, remembered in `cache_dir` per file (path, size, mtime): parsing and validating a
    large deck costs seconds, unpickling it milliseconds. Any cache trouble falls back to parsing."""
    if cache_dir is None:
        return load_deck_file(path, builtin=builtin)
    import pickle

    try:
        stat = path.stat()
    except OSError:
        return load_deck_file(path, builtin=builtin)
    key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns, builtin, _code_stamp())
    entry = cache_dir / (hashlib.sha1(key[0].encode()).hexdigest() + ".pickle")
    try:
        cached_key, deck, problems = pickle.loads(entry.read_bytes())
        if cached_key == key:
            return deck, problems
    except Exception:  # missing, stale or unreadable: parse again
        pass
    deck, problems = load_deck_file(path, builtin=builtin)
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = entry.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(pickle.dumps((key, deck, problems), protocol=pickle.HIGHEST_PROTOCOL))
        tmp.replace(entry)
    except OSError:
        pass
    return deck, problems


def load_decks(dirs: Iterable[Path | str], cache_dir: Path | None = None) -> DeckSet:
    """Every `*.toml` of each folder, folders in the order given (built-in first).

    With `cache_dir`, each file's parse is reused while the file is unchanged.
    """
    result = DeckSet()
    seen_files: set[Path] = set()
    owner: dict[str, Path] = {}
    for directory in dirs:
        directory = Path(directory)
        builtin = directory.resolve() == BUILTIN_DECKS
        for path in deck_files(directory):
            real = path.resolve()
            if real in seen_files:
                continue
            seen_files.add(real)
            deck, problems = _load_cached(path, builtin, cache_dir)
            if deck is not None and deck.id in owner:
                line = line_of(key_lines(path.read_text(encoding="utf-8-sig")), ("deck", "id"))
                first = owner[deck.id]
                how = (
                    f"already loaded from {first}"
                    if first not in result.broken
                    else f"it is the id of {first}, which has problems to fix"
                )
                problems = [
                    DeckProblem(path, line, f"duplicate deck id '{deck.id}': {how}; this file is skipped")
                ]
                result.skipped.extend(problems)
                deck = None
            if deck is None:
                result.problems.extend(problems)
                result.broken.append(path)
                # a deck of the user's own with a typo keeps its id: a later (downloaded) deck must not take
                # its place, and its review history, while it is being fixed
                claimed = _claimed_id(path)
                if claimed is not None:
                    owner.setdefault(claimed, path)
                continue
            owner[deck.id] = path
            result.decks.append(deck)
    return result


def _claimed_id(path: Path) -> str | None:
    """The `[deck] id` a file that failed to load means to have, when it can be read at all."""
    try:
        if path.stat().st_size > MAX_DECK_BYTES:
            return None
        meta = tomllib.loads(path.read_bytes().decode("utf-8-sig")).get("deck")
    except (OSError, ValueError, RecursionError):  # not UTF-8, not TOML, nested too deep
        return None
    deck_id = meta.get("id") if isinstance(meta, dict) else None
    return deck_id if isinstance(deck_id, str) and ID_RE.match(deck_id) else None


def check_paths(paths: Iterable[Path | str]) -> list[DeckProblem]:
    """Validate the given files and folders (folders: their *.toml), including duplicate deck ids."""
    files: list[Path] = []
    problems: list[DeckProblem] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            files.extend(deck_files(p))
        elif p.exists():
            files.append(p)
        else:
            problems.append(DeckProblem(p, None, "no such file or folder"))
    owner: dict[str, Path] = {}
    for path in files:
        deck, found = load_deck_file(path)
        problems.extend(found)
        if deck is not None:
            if deck.id in owner:
                line = line_of(key_lines(path.read_text(encoding="utf-8-sig")), ("deck", "id"))
                problems.append(
                    DeckProblem(path, line, f"duplicate deck id '{deck.id}': also in {owner[deck.id]}")
                )
            else:
                owner[deck.id] = path
    return problems


def default_paths(dirs: Iterable[Path]) -> list[Path]:
    return [Path(d) for d in dirs if Path(d).is_dir()]


__all__ = ["check_paths", "deck_files", "load_deck_file", "load_decks"]
