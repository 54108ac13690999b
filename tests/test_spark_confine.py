"""The Spark server's launcher (checkers/sealed/confine.py) lets the command it runs write only beneath the
folder it is given (and /dev/null); it reads and runs programs as before. A real shell, no mocks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from prepdeck.checkers.sealed.limits import landlock_abi

SCRIPT = 'echo in > "$1/in.txt"; echo out > "$2/out.txt"; mkdir "$2/made"; cat /etc/hostname > /dev/null; echo done'


def confined(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    work, outside = tmp_path / "work", tmp_path / "outside"
    work.mkdir()
    outside.mkdir()
    command = [sys.executable, "-m", "prepdeck.checkers.sealed.confine", str(work), "--"]
    command += ["sh", "-c", SCRIPT, "sh", str(work), str(outside)]
    return subprocess.run(command, capture_output=True, text=True, env={**os.environ, **env}, timeout=60)


@pytest.mark.skipif(landlock_abi() < 1, reason="needs Landlock")
def test_the_command_writes_only_beneath_its_folder(tmp_path: Path) -> None:
    run = confined(tmp_path)
    assert (tmp_path / "work" / "in.txt").read_text() == "in\n"
    assert list((tmp_path / "outside").iterdir()) == []  # neither the file nor the folder
    assert "done" in run.stdout  # reading and /dev/null still work
    assert "Landlock" not in run.stderr


def test_without_landlock_it_runs_unconfined_and_says_so_once(tmp_path: Path) -> None:
    run = confined(tmp_path, PREPDECK_SEALED_LANDLOCK="0")  # as on a kernel without Landlock
    assert (tmp_path / "outside" / "out.txt").read_text() == "out\n"
    assert [line for line in run.stderr.splitlines() if "Landlock" in line] == [
        "prepdeck: Landlock unavailable: the Spark server's file writes are NOT confined"
    ]


@pytest.mark.skipif(landlock_abi() < 1, reason="needs Landlock")
def test_with_read_the_command_reads_only_beneath_the_folders_given(tmp_path: Path) -> None:
    (tmp_path / "work").mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text("the user's\n", encoding="utf-8")
    command = [sys.executable, "-m", "prepdeck.checkers.sealed.confine", str(tmp_path / "work"), "--read"]
    command += [
        "/usr",
        "/lib",
        "/lib64",
        "/bin",
        "/etc",
        "--",
        "sh",
        "-c",
        f"cat /etc/hostname; cat {secret}",
    ]
    run = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert "the user's" not in run.stdout  # the file outside the folders given cannot be read
    assert "ermission denied" in run.stderr
    assert run.stdout.strip()  # /etc/hostname, beneath a folder given, still can
