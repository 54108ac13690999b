"""prepdeck's side of the sealed runner: start a supervisor, send it one job at a time, get the result.

`Sealed(mode, home)` starts `python -m prepdeck.checkers.sealed.supervisor` in its own session (it dies
with this process), waits for it to be warm, and `run(job, time_limit_s)` returns a `SealedOutcome`:
the child's JSON result, or why there is none ("time limit", "crashed", "too large", "cancelled").
Nothing the child does reaches this process but that result: no verdict is decided in the child.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

READY_TIMEOUT_S = 180.0
GRACE_S = 10.0  # the supervisor enforces the limit itself; this covers killing the tree and a slow machine


# what Python, its locale and the tests' Landlock switch need to start the supervisor
_KEPT_ENV = frozenset(
    {
        "PATH",
        "HOME",
        "LANG",
        "LANGUAGE",
        "TMPDIR",
        "PYTHONPATH",
        "LD_LIBRARY_PATH",
        "PREPDECK_SEALED_LANDLOCK",
    }
)


class SealedUnavailable(RuntimeError):
    """The supervisor could not start; the message is one line."""


@dataclass
class SealedOutcome:
    status: str  # ok | time limit | crashed | too large | cancelled
    result: dict[str, Any] | None = None
    exit: int | None = None


class Sealed:
    def __init__(self, mode: str, home: Path, *, port: int | None = None, env: dict[str, str] | None = None):
        self.mode = mode
        self.home = Path(home)
        self.port = port
        self.env = env
        self.proc: subprocess.Popen[bytes] | None = None
        self.info: dict[str, Any] = {}
        self._frames: queue.Queue[tuple[dict[str, Any], bytes] | None] = queue.Queue()
        self._ready = threading.Event()
        self._lock = threading.Lock()

    @property
    def log_path(self) -> Path:
        return self.home / "logs" / f"sealed-{self.mode}.log"

    def start(self) -> None:
        """Launch the supervisor (returns at once; `wait_ready` waits)."""
        if self.proc is not None and self.proc.poll() is None:
            return
        self._frames = queue.Queue()
        self._ready = threading.Event()
        self.info = {}
        cwd = self.home / "run" / "sealed"
        cwd.mkdir(parents=True, exist_ok=True)
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        # the supervisor (and every child it forks) never holds the user's environment: its tokens and keys
        # would be one os.environ away from the code it runs
        env = {k: v for k, v in (self.env or os.environ).items() if k in _KEPT_ENV or k.startswith("LC_")}
        env.update(TZ="UTC", PYTHONUNBUFFERED="1", PYTHONDONTWRITEBYTECODE="1", PYTHONSAFEPATH="1")
        cmd = [sys.executable, "-m", "prepdeck.checkers.sealed.supervisor", self.mode, str(self.log_path)]
        if self.port:
            cmd += ["--port", str(self.port)]
        with open(self.log_path.with_name(f"sealed-{self.mode}-supervisor.log"), "ab") as err:
            self.proc = subprocess.Popen(
                cmd,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=err,
                cwd=cwd,
                env=env,
                start_new_session=True,
            )
        threading.Thread(target=self._read, args=(self.proc, self._frames, self._ready), daemon=True).start()

    def _read(self, proc: subprocess.Popen[bytes], frames: queue.Queue, ready: threading.Event) -> None:
        assert proc.stdout is not None
        try:
            while line := proc.stdout.readline():
                header = json.loads(line)
                if header.get("event") == "ready":
                    self.info = header
                    ready.set()
                    continue
                body = proc.stdout.read(int(header.get("result_bytes") or 0))
                frames.put((header, body))
        except (OSError, ValueError):
            pass
        frames.put(None)
        ready.set()

    def wait_ready(self, timeout_s: float = READY_TIMEOUT_S) -> None:
        self.start()
        if not self._ready.wait(timeout_s) or not self.info:
            code = self.proc.poll() if self.proc else None
            self.stop()
            reason = (
                f"exited with status {code}" if code is not None else f"not ready after {timeout_s:.0f} s"
            )
            raise SealedUnavailable(f"the sealed runner {reason} (log: {self.log_path})")

    @property
    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None and bool(self.info)

    def run(
        self,
        job: dict[str, Any],
        time_limit_s: float,
        *,
        session: str | None = None,
        clean_after: bool = False,
        cancel: threading.Event | None = None,
    ) -> SealedOutcome:
        with self._lock:
            if not self.alive:
                self.stop()
                self.wait_ready()
            assert self.proc is not None and self.proc.stdin is not None
            payload = json.dumps(job, default=str).encode()
            header = {
                "payload_bytes": len(payload),
                "time_limit_s": time_limit_s,
                "session": session,
                "clean_after": clean_after,
            }
            try:
                self.proc.stdin.write((json.dumps(header) + "\n").encode() + payload)
                self.proc.stdin.flush()
            except OSError:
                self.stop()
                return SealedOutcome("crashed")
            deadline = time.monotonic() + time_limit_s + GRACE_S
            while True:
                if cancel is not None and cancel.is_set():
                    self.stop()  # the child dies with the supervisor (PDEATHSIG); a fresh one starts next
                    return SealedOutcome("cancelled")
                try:
                    frame = self._frames.get(timeout=0.05)
                except queue.Empty:
                    if time.monotonic() > deadline:
                        self.stop()
                        return SealedOutcome("time limit")
                    continue
                if frame is None:
                    self.stop()
                    return SealedOutcome("crashed")
                head, body = frame
                result = None
                if head.get("status") == "ok":
                    try:
                        result = json.loads(body)
                    except ValueError:
                        return SealedOutcome("crashed", exit=head.get("exit"))
                    if not isinstance(result, dict):
                        return SealedOutcome("crashed", exit=head.get("exit"))
                return SealedOutcome(str(head.get("status")), result, head.get("exit"))

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        self.info = {}
        if proc is None:
            return
        with contextlib.suppress(OSError):
            if proc.stdin:
                proc.stdin.close()
        with contextlib.suppress(ProcessLookupError):
            proc.send_signal(signal.SIGTERM)  # it kills its whole tree, orphans included, then exits
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(5)
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(5)
