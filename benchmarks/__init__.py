"""Benchmarks: each `bench_<area>.py` prints its figures and can write them into RESULTS.md (`--write`).

Run one with `.venv/bin/python -m benchmarks.bench_<area>`, or all with `.venv/bin/python -m benchmarks`.
Tests never time anything; figures live here.
"""

import sys
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def write_section(block: str, start: str, end: str) -> None:
    """Put `block` (which begins with `start` and ends with `end`) into RESULTS.md, replacing the section
    an earlier run wrote, so each benchmark owns its section and the others are left alone."""
    text = RESULTS.read_text() if RESULTS.exists() else "# Benchmark results\n\n"
    if start in text and end in text:
        head, rest = text.split(start, 1)
        text = head + block.rstrip("\n") + rest.split(end, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + block
    RESULTS.write_text(text)


def publish(lines: list[str], start: str, end: str) -> int:
    """Print a benchmark's section (`lines` between its markers) and, with --write, put it into RESULTS.md."""
    block = "\n".join([start, *lines, end, ""])
    print(block)
    if "--write" in sys.argv:
        write_section(block, start, end)
    return 0
