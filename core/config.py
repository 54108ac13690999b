"""`config.toml` in the user's data directory: every setting has a default, so the file is optional.

Unknown keys are reported (never silently ignored) but do not stop the app: a typo in a setting
falls back to the default and the problem is shown on the home screen and by the CLI.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from prepdeck.core.paths import config_path


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
    model: str = "tiny.en"  # "tiny.en" (bundled), "base" (bundled, accurate), a folder, or a model name
    filler_pass: bool = True  # second, prompted pass that recovers um/uh Whisper drops
    language: str = "en"


@dataclass
class Config:
    review: ReviewConfig = field(default_factory=ReviewConfig)
    decks: dict[str, DeckOverride] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)  # binding id -> key(s), e.g. {"reveal": "space,enter"}
    sql: SqlConfig = field(default_factory=SqlConfig)
    spark: SparkConfig = field(default_factory=SparkConfig)
    speech: SpeechConfig = field(default_factory=SpeechConfig)
    path: Path | None = None
    problems: list[str] = field(default_factory=list)

    def desired_retention(self, deck_id: str, deck_value: float | None) -> float:
        override = self.decks.get(deck_id)
        if override and override.desired_retention is not None:
            return override.desired_retention
        return deck_value if deck_value is not None else self.review.desired_retention


def _fill(obj: Any, table: dict[str, Any], where: str, problems: list[str]) -> None:
    known = {f.name: f for f in fields(obj)}
    for key, value in table.items():
        f = known.get(key)
        if f is None:
            problems.append(f"{where}: unknown setting '{key}'")
            continue
        default = getattr(obj, key)
        if isinstance(default, bool) and not isinstance(value, bool):
            problems.append(f"{where}.{key}: expected true or false")
        elif isinstance(default, (int, float)) and not isinstance(default, bool):
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                problems.append(f"{where}.{key}: expected a number")
            else:
                setattr(obj, key, type(default)(value) if isinstance(default, float) else value)
            continue
        elif isinstance(default, str) and not isinstance(value, str):
            problems.append(f"{where}.{key}: expected a string")
        elif isinstance(default, list) and not isinstance(value, list):
            problems.append(f"{where}.{key}: expected a list")
        else:
            setattr(obj, key, value)


def load_config(home: Path) -> Config:
    path = config_path(home)
    cfg = Config(path=path)
    if not path.exists():
        return cfg
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        cfg.problems.append(f"{path}: {exc}; using the default settings")
        return cfg
    where = str(path)
    for key, value in data.items():
        if key in ("review", "sql", "spark", "speech"):
            if isinstance(value, dict):
                _fill(getattr(cfg, key), value, f"{where}: [{key}]", cfg.problems)
                if key == "review":
                    days = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
                    bad = [
                        d for d in cfg.review.easy_days if not isinstance(d, str) or d.lower()[:3] not in days
                    ]
                    if bad:
                        cfg.problems.append(
                            f'{where}: [review].easy_days: use day names such as "sat", "sun"'
                        )
                        cfg.review.easy_days = []
                    cfg.review.easy_days = [d.lower()[:3] for d in cfg.review.easy_days]
                if key == "review" and cfg.review.max_answer_seconds < 1:
                    cfg.problems.append(f"{where}: [review].max_answer_seconds must be at least 1; using 900")
                    cfg.review.max_answer_seconds = ReviewConfig.max_answer_seconds
            else:
                cfg.problems.append(f"{where}: '{key}' must be a table")
        elif key == "keys" and isinstance(value, dict):
            for binding_id, keys in value.items():
                if isinstance(keys, str):
                    cfg.keys[binding_id] = keys
                else:
                    cfg.problems.append(f'{where}: [keys].{binding_id}: expected a string such as "ctrl+r"')
        elif key == "decks" and isinstance(value, dict):
            for deck_id, table in value.items():
                override = DeckOverride()
                if isinstance(table, dict):
                    _fill(override, table, f"{where}: [decks.{deck_id}]", cfg.problems)
                    r = override.desired_retention
                    if r is not None and not 0.70 <= r <= 0.97:
                        cfg.problems.append(f"{where}: [decks.{deck_id}].desired_retention must be 0.70–0.97")
                        override.desired_retention = None
                cfg.decks[deck_id] = override
        else:
            cfg.problems.append(f"{where}: unknown setting '{key}'")
    return cfg
