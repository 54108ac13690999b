"""Benchmarks: each `bench_<area>.py` prints its figures and can write them into RESULTS.md (`--write`).

Run one with `.venv/bin/python -m benchmarks.bench_<area>`, or all with `.venv/bin/python -m benchmarks`.
Tests never time anything; figures live here.
"""

import os
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


def tree_cpu_ms(pid: int) -> float:
    """CPU time (user + system) of a process, its reaped children and its live descendants, in ms (Linux)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as f:
            children = [int(c) for c in f.read().split()]
    except OSError:
        return 0.0
    ticks = sum(int(v) for v in fields[11:15])  # utime stime cutime cstime
    return ticks * 1000 / os.sysconf("SC_CLK_TCK") + sum(tree_cpu_ms(c) for c in children)


def publish(lines: list[str], start: str, end: str) -> int:
    """Print a benchmark's section (`lines` between its markers) and, with --write, put it into RESULTS.md."""
    block = "\n".join([start, *lines, end, ""])
    print(block)
    if "--write" in sys.argv:
        write_section(block, start, end)
    return 0
