"""Intervals as people read and write them: learning steps ("10m"), button labels ("3d", "2.1mo"), fuzz."""

from __future__ import annotations

import datetime as dt
import functools
import math
import random
import re

_STEP_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$")
MAX_STEP_DAYS = 365  # a step is minutes to days; longer is a typo that would overflow a date
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "": 60}  # a bare number is minutes, as in Anki


def parse_step(value: str | int | float) -> dt.timedelta:
    """ "1m", "10m", "1h", "1d", "30s" (or a number of minutes) -> timedelta."""
    if isinstance(value, bool):
        raise ValueError(f'learning step {value!r}: use a duration such as "10m", "1h" or "1d"')
    text = str(value) if isinstance(value, (int, float)) else value
    match = _STEP_RE.match(text)
    if not match or float(match.group(1)) <= 0:
        raise ValueError(f'learning step {value!r}: use a duration such as "10m", "1h" or "1d"')
    seconds = float(match.group(1)) * _UNIT_SECONDS[match.group(2)]
    if not seconds <= MAX_STEP_DAYS * 86400:  # also NaN/inf, which timedelta cannot hold
        raise ValueError(f"learning step {value!r}: at most {MAX_STEP_DAYS}d")
    return dt.timedelta(seconds=seconds)


def parse_steps(values: list[str] | tuple[str, ...], where: str) -> tuple[list[dt.timedelta], list[str]]:
    """Parse every step; a bad one is reported and left out rather than stopping the app."""
    steps: list[dt.timedelta] = []
    problems: list[str] = []
    for value in values:
        try:
            steps.append(parse_step(value))
        except ValueError as exc:
            problems.append(f"{where}: {exc}")
    return steps, problems


def format_interval(td: dt.timedelta) -> str:
    """Short labels as Anki shows on its buttons: "<1m", "10m", "1.5h", "3d", "2.1mo", "1.4y"."""
    seconds = td.total_seconds()
    if seconds < 60:
        return "<1m"
    minutes = seconds / 60
    if minutes < 60:
        return f"{round(minutes)}m"
    hours = minutes / 60
    if hours < 24:
        return f"{_one_decimal(hours)}h"
    days = hours / 24
    if days < 30:
        return f"{round(days)}d"
    if days < 365:
        return f"{_one_decimal(days / 30)}mo"
    return f"{_one_decimal(days / 365)}y"


def _one_decimal(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


# (from days, to days, share of the interval added to the fuzz range): the ranges Anki and FSRS use
_FUZZ_RANGES = ((2.5, 7.0, 0.15), (7.0, 20.0, 0.10), (20.0, math.inf, 0.05))


@functools.lru_cache(maxsize=4096)  # a log's replay asks for the same few hundred intervals over and over
def fuzz_range(days: int, maximum: int) -> tuple[int, int]:
    delta = 1.0 + sum(share * max(min(float(days), end) - start, 0.0) for start, end, share in _FUZZ_RANGES)
    high = min(round(days + delta), maximum)
    low = min(max(2, round(days - delta)), high)
    return low, high


def fuzz_days(days: int, seed: int, maximum: int) -> int:
    """Spread a review interval a little so cards learned together don't stay due together.

    Seeded (not random) so replaying the review log reproduces every due date exactly.
    """
    if days < 2.5:
        return days
    return fuzz_pick(*fuzz_range(days, maximum), seed)


def fuzz_pick(low: int, high: int, seed: int) -> int:
    """The seeded day within a fuzz range."""
    return random.Random(seed).randint(low, high)
