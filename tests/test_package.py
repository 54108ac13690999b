"""The built wheel is the whole product: every sub-package and data file, no dev tooling, and it works
when installed without `-e` (the rest of the suite runs against the editable install, which cannot tell).

One wheel is built per module (setuptools >= 77 in an isolated build, as `pip install .` does) from a
copy of the source tree, then installed with `--no-deps` into a fresh virtual environment. Its
dependencies are the ones this test runs with: a `.pth` file adds this interpreter's site-packages
after the fresh environment's own, so `prepdeck` itself can only come from the wheel (checked).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
NOT_PACKAGED = {".git", ".venv", "build", "dist", "tests", "benchmarks", "docs", "__pycache__"}

pytestmark = pytest.mark.slow


def _source_files() -> list[Path]:
    """What the wheel must hold: every file of the package tree but tooling, tests and caches."""
    files = [p for p in ROOT.glob("*.py") if p.name not in {"dev.py", "setup.py"}]
    for folder in ROOT.iterdir():
        if folder.is_dir() and folder.name not in NOT_PACKAGED and (folder / "__init__.py").is_file():
            files += [
                p
                for p in folder.rglob("*")
                if p.is_file() and "__pycache__" not in p.parts and not p.name.endswith((".pyc", ".tmp"))
            ]
    return files


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    src = work / "src"  # a copy: an in-tree build would leave build/ and *.egg-info in the repository
    shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns(".git", ".venv", "build", "dist", "__pycache__"))
    out = work / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(src)],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("prepdeck-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    venv = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "-q",
            "--no-deps",
            "--no-index",
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    # the dependencies: this environment's site-packages, after the fresh one's (a .pth line adds a path
    # without running that folder's own .pth files, so the editable prepdeck of .venv stays out)
    purelib = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    (purelib / "zz-prepdeck-test-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return venv


def _run(venv: Path, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "PREPDECK_DECKS"}}
    env["PREPDECK_HOME"] = str(home)
    return subprocess.run(
        [str(venv / "bin" / "prepdeck"), *args],
        cwd=home,
        env=env,
        capture_output=True,
        text=True,
        timeout=540,
    )


def test_the_wheel_holds_every_module_and_data_file_and_no_tooling(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {"prepdeck/" + p.relative_to(ROOT).as_posix() for p in _source_files()}
    assert expected - names == set()  # e.g. a sub-package or a deck, template or stylesheet left out
    assert "prepdeck/checkers/spark/judge.py" in names and "prepdeck/tui/app.tcss" in names
    assert "prepdeck/decks/sql-exercises.toml" in names
    shipped = {n.split("/")[1] for n in names if n.startswith("prepdeck/") and n.count("/") >= 1}
    assert not shipped & {"dev.py", "setup.py", "pyproject.toml", "tests", "benchmarks", "docs"}


def test_the_installed_wheel_judges_sql_and_pyspark_and_transcribes(installed: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    where = subprocess.run(
        [
            str(installed / "bin" / "python"),
            "-c",
            "import prepdeck.checkers.spark, sys; print(prepdeck.__file__)",
        ],
        cwd=home,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert Path(where).is_relative_to(installed)  # the wheel's copy, not the source tree

    decks = {
        name: tomllib.loads((ROOT / "decks" / f"{name}.toml").read_text(encoding="utf-8"))
        for name in ("sql-exercises", "pyspark-exercises")
    }
    for deck_id, suffix in (("sql-exercises", "sql"), ("pyspark-exercises", "py")):
        card = decks[deck_id]["cards"][0]
        answer = home / f"answer.{suffix}"
        answer.write_text(card["solution"], encoding="utf-8")
        done = _run(installed, home, "check", f"{deck_id}/{card['id']}", str(answer), "--json")
        assert done.returncode == 0, done.stderr
        (result,) = json.loads(done.stdout)
        assert result["passed"] is True and result["cases"], result

    done = _run(installed, home, "transcribe", str(FIXTURES / "audio" / "short.wav"), "--json")
    assert done.returncode == 0, done.stderr
    (clip,) = json.loads(done.stdout)
    assert "pipeline" in clip["text"].lower() and clip["model"] == "base"
    # the default model was joined from its two installed halves into the user's models folder, offline
    assert (home / "models" / "whisper-base" / "model.bin").is_file()
