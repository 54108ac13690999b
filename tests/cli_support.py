"""`prepdeck` as a real process for the command-line tests (not a test module)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def prepdeck(
    home: Path,
    *args: str,
    stdin: str | None = None,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 300,
) -> subprocess.CompletedProcess[str]:
    """`prepdeck ARGS` with $PREPDECK_HOME = home (plus `env`), its output captured as text."""
    return subprocess.run(
        [sys.executable, "-m", "prepdeck.cli", *args],
        capture_output=True,
        text=True,
        input=stdin,
        cwd=cwd,
        env={**os.environ, "PREPDECK_HOME": str(home), **(env or {})},
        timeout=timeout,
    )
