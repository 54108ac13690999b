"""Run every benchmark module: `.venv/bin/python -m benchmarks [NAME…] [--write] [--quick]`.

NAME selects modules (`core` runs bench_core); options starting with '-' are passed to each module.
"""

from __future__ import annotations

import importlib
import inspect
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    names = [a for a in argv if not a.startswith("-")]
    options = [a for a in argv if a.startswith("-")]
    found = sorted(p.stem for p in Path(__file__).resolve().parent.glob("bench_*.py"))
    chosen = [m for m in found if not names or m.removeprefix("bench_") in names or m in names]
    unknown = [n for n in names if n not in found and f"bench_{n}" not in found]
    if unknown:
        print(f"benchmarks: unknown {', '.join(unknown)}; there are {', '.join(found)}", file=sys.stderr)
        return 2
    status = 0
    for name in chosen:
        print(f"== {name}", flush=True)
        entry = importlib.import_module(f"benchmarks.{name}").main
        takes_argv = bool(inspect.signature(entry).parameters)
        saved = sys.argv
        sys.argv = [f"benchmarks.{name}", *options]
        try:
            code = entry(list(options)) if takes_argv else entry()
        finally:
            sys.argv = saved
        status = status or int(code or 0)
    return status


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
