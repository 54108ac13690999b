#!/usr/bin/env python3
"""One entry point for everything a user or developer runs; needs nothing but Python >= 3.11.

python3 dev.py run [ARGS...]    set up .venv (once) and start prepdeck
python3 dev.py test [PYTEST...] set up .venv with dev tools and run the whole test suite
python3 dev.py lint             ruff check + format check + types
python3 dev.py types            mypy on the package (config in pyproject.toml)
python3 dev.py bench            run the benchmarks in benchmarks/ and print their figures
python3 dev.py setup [--dev]    only set up .venv
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")

# Debian packages the test suite uses: espeak-ng speaks test answers for the Whisper tests,
# chromium renders the weekly report. The app itself needs neither.
TEST_SYSTEM_PACKAGES = {"espeak-ng": "espeak-ng", "chromium": "chromium"}


def _say(msg: str) -> None:
    print(f"[dev] {msg}", flush=True)


def _run(cmd: list[str], **kw) -> None:
    subprocess.run(cmd, check=True, cwd=ROOT, **kw)


def setup(dev: bool) -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 (dev.py must say this on an old Python)
        sys.exit("prepdeck needs Python 3.11 or newer")
    if not PY.exists():
        _say("creating .venv")
        _run([sys.executable, "-m", "venv", str(VENV)])
        _run([str(PY), "-m", "pip", "install", "-q", "--upgrade", "pip"])
    spec = ".[dev]" if dev else "."
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + spec.encode()).hexdigest()
    stamp = VENV / ".prepdeck-installed"
    done = stamp.read_text().split() if stamp.exists() else []
    if digest not in done:
        _say(
            f"installing prepdeck{' with dev tools' if dev else ''} into .venv (first run takes a few minutes)"
        )
        _run([str(PY), "-m", "pip", "install", "-q", "-e", spec])
        stamp.write_text("\n".join([*done, digest]))


def install_test_system_packages() -> None:
    missing = [pkg for cmd, pkg in TEST_SYSTEM_PACKAGES.items() if shutil.which(cmd) is None]
    if not missing:
        return
    apt = shutil.which("apt-get")
    is_root = hasattr(os, "geteuid") and os.geteuid() == 0
    if apt and is_root:
        _say(f"installing {' '.join(missing)} (Debian packages used by the tests)")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run([apt, "update", "-qq"], check=False, env=env, stdout=subprocess.DEVNULL)
        subprocess.run(
            [apt, "install", "-y", "-qq", "--no-install-recommends", *missing],
            check=False,
            env=env,
            stdout=subprocess.DEVNULL,
        )
    else:
        _say(
            f"not installed: {' '.join(missing)}; the tests that need them are skipped (install them with apt)"
        )


def types() -> int:
    """mypy on the package. The repository root *is* `prepdeck`, but mypy names modules after folders
    and cannot follow the editable install's import hook: it reads the tree through a symlink."""
    with tempfile.TemporaryDirectory(prefix="prepdeck-mypy-") as tmp:
        (Path(tmp) / "prepdeck").symlink_to(ROOT, target_is_directory=True)
        cmd = [str(PY), "-m", "mypy", "-p", "prepdeck", "--config-file", str(ROOT / "pyproject.toml")]
        return subprocess.call([*cmd, "--cache-dir", str(ROOT / ".mypy_cache")], cwd=tmp)


def main(argv: list[str]) -> int:
    cmd, rest = (argv[0], argv[1:]) if argv else ("run", [])
    if cmd == "setup":
        setup(dev="--dev" in rest)
        return 0
    if cmd == "run":
        setup(dev=False)
        return subprocess.call([str(BIN / "prepdeck"), *rest], cwd=os.getcwd())
    if cmd == "test":
        setup(dev=True)
        install_test_system_packages()
        return subprocess.call([str(PY), "-m", "pytest", *rest], cwd=ROOT)
    if cmd == "lint":
        setup(dev=True)
        a = subprocess.call([str(PY), "-m", "ruff", "check", "."], cwd=ROOT)
        b = subprocess.call([str(PY), "-m", "ruff", "format", "--check", "."], cwd=ROOT)
        return a or b or types()
    if cmd == "types":
        setup(dev=True)
        return types()
    if cmd == "bench":
        setup(dev=True)
        return subprocess.call([str(PY), "-m", "benchmarks", *rest], cwd=ROOT)
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
