"""`config.toml` in the user's data directory: every setting has a default, so the file is optional.

Unknown keys are reported (never silently ignored) but do not stop the app: a typo in a setting
falls back to the default and the problem is shown on the home screen and by the CLI.
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from prepdeck.core.paths import config_path
from prepdeck.decks.text import visible


@dataclass
class ReviewConfig:
    new_per_day: int = 20
    reviews_per_day: int = 200
    learning_steps: list[str] = field(default_factory=lambda: ["1m", "10m"])
    relearning_steps: list[str] = field(default_factory=lambda: ["10m"])
    maximum_interval_days: int = 36500
    day_starts_at_hour: int = 4  # a "day" for limits and streaks starts at 04:00 local time, as in Anki
    leech_lapses: int = 8
    desired_retention: float = 0.9  # for decks whose file sets none
    # the time stored for one answer is capped here: a card left open over lunch must not count as study
    # time; 15 minutes, because a code card can honestly take that long
    max_answer_seconds: int = 900
    # spread reviews over the days of their fuzz range by load (Anki's load balancer); easy days carry half
    load_balance: bool = False
    easy_days: list[str] = field(default_factory=list)  # "mon" … "sun"


@dataclass
class DeckOverride:
    desired_retention: float | None = None


@dataclass
class SqlConfig:
    dialect: str = "duckdb"
    time_limit_s: float = 5.0
    memory_limit_mb: int = 512
    max_rows: int = 10_000


@dataclass
class SparkConfig:
    remote: str = ""  # "sc://host:15002" runs checks on an existing Spark Connect server
    time_limit_s: float = 60.0
    driver_memory: str = "512m"
    java_home: str = ""


@dataclass
class SpeechConfig:
    model: str = "base"  # "base" (bundled), "tiny.en" (bundled, faster), a folder, or a model name
    filler_pass: bool = True  # second, prompted pass that recovers um/uh Whisper drops
    language: str = "en"


@dataclass
class StoriesConfig:
    # the company's own principles (e.g. its leadership principles): the story bank's matrix adds a row for each
    principles: list[str] = field(default_factory=list)


@dataclass
class Config:
    review: ReviewConfig = field(default_factory=ReviewConfig)
    decks: dict[str, DeckOverride] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)  # binding id -> key(s), e.g. {"reveal": "space,enter"}
    sql: SqlConfig = field(default_factory=SqlConfig)
    spark: SparkConfig = field(default_factory=SparkConfig)
    speech: SpeechConfig = field(default_factory=SpeechConfig)
    stories: StoriesConfig = field(default_factory=StoriesConfig)
    path: Path | None = None
    problems: list[str] = field(default_factory=list)

    def desired_retention(self, deck_id: str, deck_value: float | None) -> float:
        override = self.decks.get(deck_id)
        if override and override.desired_retention is not None:
            return override.desired_retention
        return deck_value if deck_value is not None else self.review.desired_retention


MAX_CONFIG_BYTES = 1024 * 1024  # a settings file is a few lines; a huge one is a mistake, not read whole

# (low, high) for every number: a value outside is reported and its default kept. NaN and infinity never
# pass (a NaN time limit would remove the limit).
RANGES: dict[str, tuple[float, float]] = {
    "review.new_per_day": (0, 10_000),
    "review.reviews_per_day": (0, 100_000),
    "review.maximum_interval_days": (1, 36_500),
    "review.day_starts_at_hour": (0, 23),
    "review.leech_lapses": (1, 1_000),
    "review.desired_retention": (0.70, 0.97),
    "review.max_answer_seconds": (1, 86_400),
    "sql.time_limit_s": (0.1, 3_600),
    "sql.memory_limit_mb": (16, 1_048_576),
    "sql.max_rows": (1, 10_000_000),
    "spark.time_limit_s": (1, 3_600),
    "decks.desired_retention": (0.70, 0.97),
}
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
STEP_LISTS = {"review.learning_steps", "review.relearning_steps"}
_MEMORY_RE = re.compile(r"^\d+[kmgt]?$", re.IGNORECASE)


class _Reporter:
    """Problems as `PATH:LINE: message`, the line found only when there is a problem to place."""

    def __init__(self, path: Path, text: str, problems: list[str]):
        self.path, self.text, self.problems = path, text, problems
        self._lines: dict[tuple[str | int, ...], int] | None = None

    def __call__(self, where: tuple[str | int, ...], message: str) -> None:
        from prepdeck.decks.locate import key_lines, line_of

        if self._lines is None:
            self._lines = key_lines(self.text)
        line = line_of(self._lines, where)
        message = visible(message)  # a key name written with escape codes must not reach the terminal raw
        self.problems.append(f"{self.path}:{line}: {message}" if line else f"{self.path}: {message}")


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:39] + "…"


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def _check_value(name: str, key: str, value: Any, default: Any) -> tuple[Any, str | None]:
    """(the value to use, or None with the problem) for one setting, against its default's type."""
    rule = RANGES.get(f"{name}.{key}")
    if isinstance(default, bool):
        return (value, None) if isinstance(value, bool) else (None, "expected true or false")
    if isinstance(default, (int, float)) or (default is None and rule):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return None, "expected a number"
        if not math.isfinite(value):
            return None, "expected a finite number"
        if isinstance(default, int) and not float(value).is_integer():
            return None, "expected a whole number"
        if rule and not rule[0] <= value <= rule[1]:
            return None, f"must be between {_num(rule[0])} and {_num(rule[1])}"
        return (int(value) if isinstance(default, int) else float(value)), None
    if isinstance(default, str):
        if not isinstance(value, str):
            return None, "expected a string"
        if f"{name}.{key}" == "spark.driver_memory" and not _MEMORY_RE.match(value):
            return None, 'expected a size such as "512m" or "2g"'
        if f"{name}.{key}" == "sql.dialect":
            from prepdeck.decks.loader import ANSWER_DIALECTS, SQL_DIALECT_ALIASES

            if value.strip().lower() not in (*ANSWER_DIALECTS, *SQL_DIALECT_ALIASES):
                return None, f"unknown SQL dialect (use one of: {', '.join(ANSWER_DIALECTS)})"
        if f"{name}.{key}" == "speech.language" and not re.fullmatch(r"[a-z]{2,3}", value):
            return None, 'expected a language code such as "en"'
        return value, None
    if isinstance(default, list):
        if not isinstance(value, list):
            return None, "expected a list"
        if f"{name}.{key}" == "review.easy_days":
            if not all(isinstance(d, str) and d.lower()[:3] in WEEKDAYS for d in value):
                return None, 'use day names such as "sat", "sun"'
            return [d.lower()[:3] for d in value], None
        if f"{name}.{key}" == "stories.principles":
            if not all(isinstance(p, str) and 0 < len(p.strip()) <= 60 for p in value):
                return None, "expected a list of names of at most 60 characters"
            return [p.strip() for p in value], None
        if f"{name}.{key}" in STEP_LISTS:
            from prepdeck.core.intervals import parse_step

            for step in value:
                try:
                    parse_step(step)
                except ValueError as exc:
                    return None, str(exc)
        return value, None
    return value, None


def _fill(obj: Any, table: dict[str, Any], name: str, where: tuple[str, ...], report: _Reporter) -> None:
    known = {f.name for f in fields(obj)}
    for key, value in table.items():
        label = f"[{'.'.join(where)}].{key}"
        if key not in known:
            report((*where, key), f"unknown setting {label}; ignored")
            continue
        default = getattr(obj, key)
        use, problem = _check_value(name, key, value, default)
        if problem is not None:
            report(
                (*where, key),
                f"{label} = {_shown(value)}: {problem}; "
                + ("ignored" if default is None else f"using {_shown(default)}"),
            )
            continue
        setattr(obj, key, use)


def _read(path: Path) -> str:
    """The file's text; ValueError with the reason when it cannot be used."""
    if path.stat().st_size > MAX_CONFIG_BYTES:
        raise ValueError(f"the file is larger than {MAX_CONFIG_BYTES // 1024} KB")
    return path.read_bytes().decode("utf-8-sig")  # a BOM (Windows editors add one) is not a problem


def load_config(home: Path) -> Config:
    path = config_path(home)
    cfg = Config(path=path)
    if not path.is_file():
        return cfg
    try:
        text = _read(path)
        data = tomllib.loads(text)
    except RecursionError:
        cfg.problems.append(f"{path}: nested too deeply to be a settings file; using the default settings")
        return cfg
    except (OSError, ValueError) as exc:  # UnicodeDecodeError and TOMLDecodeError are ValueErrors
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        cfg.problems.append(f"{path}: {reason}; using the default settings")
        return cfg
    report = _Reporter(path, text, cfg.problems)
    for key, value in data.items():
        if key in ("review", "sql", "spark", "speech", "stories"):
            if isinstance(value, dict):
                _fill(getattr(cfg, key), value, key, (key,), report)
            else:
                report((key,), f"'{key}' must be a table ([{key}]); using the defaults")
        elif key == "keys" and isinstance(value, dict):
            for binding_id, keys in value.items():
                if isinstance(keys, str):
                    cfg.keys[binding_id] = keys
                else:
                    report(("keys", binding_id), f'[keys].{binding_id}: expected a string such as "ctrl+r"')
        elif key == "decks" and isinstance(value, dict):
            for deck_id, table in value.items():
                override = DeckOverride()
                if isinstance(table, dict):
                    _fill(override, table, "decks", ("decks", deck_id), report)
                else:
                    report(("decks", deck_id), f"[decks.{deck_id}] must be a table; ignored")
                cfg.decks[deck_id] = override
        else:
            report((key,), f"unknown setting '{key}'; ignored")
    return cfg
