"""The sealed supervisor: `python -m prepdeck.checkers.sealed.supervisor MODE LOG [--port N]`.

A warm interpreter (imports done once) that forks one sealed child per job and never runs user code
itself. Started by `client.Sealed` in its own session; prepdeck is its parent, the child's parent is
this process (so `kill(getppid())` from an answer can only reach the supervisor, and Landlock's signal
scope refuses even that where the kernel has it).

Protocol on fds 0/1 (prepdeck <-> supervisor):
  -> {"event": "ready", "landlock": ABI, "subreaper": bool}
  <- header line {"payload_bytes": N, "time_limit_s": s, "session": id?, "clean_after": bool}, then N bytes
  -> header line {"status": "ok"|"time limit"|"crashed"|"too large", "exit": code|null, "result_bytes": M},
     then M bytes: the child's JSON result (forwarded as soon as it is whole: the exit may not be known).

Why it is shaped this way:
- The payload (code, the one case's inputs) goes into a bytearray that the child inherits at fork and
  this process zeroes right after, and results are zeroed once forwarded: a later child forked from here
  cannot find an earlier job's data (a solution, a hidden case) in its copy of this memory.
- This process is a child subreaper: everything the child forks, `setsid` escapes included, is
  re-parented here when its parent dies, and after each job every process left is killed until none is.
  The child's end is decided by its exit (pidfd) or its whole result (length first), never by EOF on a
  pipe an orphan may still hold; either way every process of a job is dead before the next job is read.
- The child's stdout/stderr go to a pipe drained here into a size-capped, rotated log.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import importlib
import json
import os
import select
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from prepdeck.checkers.sealed import limits

MAX_RESULT_BYTES = 16 * 1024 * 1024
LOG_CAP_PER_JOB = 64 * 1024
LOG_MAX_BYTES = 1024 * 1024  # then rotated to .1 (one backup): the log never exceeds ~2 MiB
SPARES = {"python": 2, "pyspark": 3}  # children kept forked and warm: a check's cases each find one
EXIT_GRACE_S = 2.0  # after its result, the child releases its session and exits; then it is killed
REFILL_PAUSE_S = 0.1  # no job for this long after one: the check is over, fork the spares it used
EXECUTORS = {"python": "prepdeck.checkers.python_case", "pyspark": "prepdeck.checkers.spark.runner"}


# ----------------------------------------------------------------------------------------------
# the log


class CappedLog:
    """Appends; past `max_bytes` the file becomes `.1` (one backup), so it never holds more than twice that."""

    def __init__(self, path: Path, max_bytes: int = LOG_MAX_BYTES) -> None:
        self.path = path
        self.max_bytes = max_bytes
        path.parent.mkdir(parents=True, exist_ok=True)

    def write(self, data: bytes | bytearray | memoryview, dropped: int = 0) -> None:
        if not data and not dropped:
            return
        with contextlib.suppress(OSError):
            if self.path.exists() and self.path.stat().st_size > self.max_bytes:
                self.path.replace(self.path.with_name(self.path.name + ".1"))
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(fd, data)
                if dropped:
                    os.write(fd, f"\n[… {dropped} more bytes of output dropped]\n".encode())
            finally:
                os.close(fd)


# ----------------------------------------------------------------------------------------------
# process trees


def my_children() -> list[int]:
    """Direct children of this process (orphans re-parented here included)."""
    pids: list[int] = []
    try:
        for tid in os.listdir("/proc/self/task"):
            with open(f"/proc/self/task/{tid}/children", encoding="ascii") as f:
                pids.extend(int(p) for p in f.read().split())
        return pids
    except OSError:
        pass
    me = str(os.getpid())
    for name in os.listdir("/proc"):
        if name.isdigit():
            with contextlib.suppress(OSError), open(f"/proc/{name}/stat", encoding="utf-8") as f:
                if f.read().rsplit(")", 1)[1].split()[1] == me:
                    pids.append(int(name))
    return pids


def reap() -> None:
    with contextlib.suppress(ChildProcessError):
        while os.waitpid(-1, os.WNOHANG)[0] > 0:
            pass


def kill_all_children(keep: set[int] | None = None, timeout_s: float = 5.0) -> int:
    """SIGKILL every process in this tree until none is left (their orphans come back here); returns how
    many were killed."""
    killed = 0
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        reap()
        pids = [p for p in my_children() if not keep or p not in keep]
        if not pids:
            break
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
                killed += 1
        for pid in pids:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
    return killed


# ----------------------------------------------------------------------------------------------
# one job


def read_exact(fd: int, buf: bytearray) -> bool:
    view = memoryview(buf)
    got = 0
    while got < len(buf):
        n = os.readv(fd, [view[got:]])
        if n == 0:
            return False
        got += n
    return True


def job_waiting(timeout_s: float = 0.0) -> bool:
    """A job is on stdin (the next case of a check) now or within `timeout_s`: start it before forking more
    spares."""
    return bool(select.select([0], [], [], timeout_s)[0])


def read_line(fd: int) -> bytes:
    out = bytearray()
    while True:
        ch = os.read(fd, 1)
        if not ch:
            return bytes(out)
        if ch == b"\n":
            return bytes(out)
        out += ch
        if len(out) > 65536:
            raise ValueError("header too long")


class _Child:
    """A forked sealed child waiting for its job: its pid and our ends of its pipes."""

    def __init__(self, pid: int, w_job: int, r_res: int, r_err: int) -> None:
        self.pid, self.w_job, self.r_res, self.r_err = pid, w_job, r_res, r_err

    def hand(self, header: dict[str, Any], payload: bytearray) -> bool:
        """Send the job; False when the child is gone (then nothing of the job is left in a pipe)."""
        data = bytearray(json.dumps(header).encode() + b"\n") + payload
        view = memoryview(data)
        try:
            while view:
                view = view[os.write(self.w_job, view) :]
            return True
        except OSError:
            return False
        finally:
            view.release()
            data[:] = bytes(len(data))
            with contextlib.suppress(OSError):
                os.close(self.w_job)

    def close(self) -> None:
        for fd in (self.r_res, self.r_err):
            with contextlib.suppress(OSError):
                os.close(fd)


class Supervisor:
    def __init__(self, mode: str, log: Path, port: int | None) -> None:
        self.mode = mode
        self.log = CappedLog(log)
        self.port = port
        self.out = os.dup(1)
        devnull = os.open(os.devnull, os.O_RDWR)
        os.dup2(devnull, 1)
        os.close(devnull)
        self.executor: Any = importlib.import_module(EXECUTORS[mode])
        if hasattr(self.executor, "preload"):
            self.executor.preload()
        gc.freeze()  # what is loaded now stays out of the collector: a forked child does not copy it
        package = Path(__file__).resolve().parent.parent.parent
        hidden = [package / "decks", package / "tests"]  # solutions and hidden cases live there
        # PREPDECK_SEALED_LANDLOCK=0 runs as a kernel without Landlock would (tests of that path)
        enabled = os.environ.get("PREPDECK_SEALED_LANDLOCK") != "0"
        self.landlock = limits.Landlock(limits.readable_roots(hidden), connect_port=port, enabled=enabled)
        self.subreaper = limits.become_subreaper()
        # Landlock ABI 6+ refuses signals out of the sandbox; below that a keeper stands between
        self.keeper = self.landlock.abi < 6
        self.spares: list[_Child] = []

    def send(self, header: dict[str, Any], body: bytes | bytearray = b"") -> None:
        data = (json.dumps(header) + "\n").encode()
        os.write(self.out, data)
        view = memoryview(body)
        while view:
            n = os.write(self.out, view)
            view = view[n:]

    def serve(self) -> None:
        if hasattr(self.executor, "prepare"):
            self.run_trusted(lambda: self.executor.prepare(self.port), 180.0)
        self.send(
            {
                "event": "ready",
                "landlock": self.landlock.abi,
                "subreaper": self.subreaper,
                "keeper": self.keeper,
            }
        )
        while True:
            # the next jobs' children are forked now, while idle, and warm up (a channel to Spark) before
            # their jobs come: what is left of a job's start is handing it the payload through a pipe.
            # Forked after the last job's payload and result were wiped, they hold nothing of theirs; one
            # waiting child cannot reach another (Landlock scopes signals and ptrace to the code's own
            # domain), and every process of a job is gone before the next job is handed out.
            # While a spare is left, the refill waits for a pause: the next case of a check comes within a
            # millisecond of the last result, and a fork (and the new child's warm-up) on its way cost it ~3 ms
            # and more by taking a core from Spark.
            if not self.spares or not job_waiting(REFILL_PAUSE_S):
                while len(self.spares) < SPARES.get(self.mode, 1) and not (self.spares and job_waiting()):
                    self.spares.append(self.fork_child())
            line = read_line(0)
            if not line:
                return
            header = json.loads(line)
            payload = bytearray(int(header["payload_bytes"]))
            if not read_exact(0, payload):
                return
            try:
                status, result, end_job = self.run_job(
                    header, payload, self.spares.pop(0) if self.spares else None
                )
            finally:
                payload[:] = bytes(len(payload))  # wipe: the next child must not find it
            self.send({**status, "result_bytes": len(result)}, result)
            result[:] = bytes(len(result))
            end_job()  # every process of this job is gone before the next job is read
            after = getattr(self.executor, "after_job", None)
            if after is not None and (header.get("clean_after") or status["status"] != "ok"):
                session = header.get("session")
                self.run_trusted(functools.partial(after, self.port, session), 30.0)

    def run_trusted(self, fn: Callable[[], None], timeout_s: float) -> None:
        """Our own code (warm-up, cleaning Spark, interrupting a killed session) in a child: gRPC must not
        run in this process, which forks."""
        me = os.getpid()
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                limits.die_with_parent(me)
                os.close(0)
                fn()
            except BaseException:
                code = 1
            os._exit(code)
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if os.waitpid(pid, os.WNOHANG)[0]:
                break
            time.sleep(0.01)
        kill_all_children(keep=self.spare_pids())

    def spare_pids(self) -> set[int]:
        return {c.pid for c in self.spares}

    def fork_child(self) -> _Child:
        """A sealed child, forked now: it warms up, then waits for its job (header line + payload) on a
        pipe, runs it, writes its result on another and exits."""
        me = os.getpid()
        r_job, w_job = os.pipe()
        r_res, w_res = os.pipe()
        r_err, w_err = os.pipe()
        pid = os.fork()
        if pid == 0:  # the sealed child
            try:
                os.setsid()
                limits.die_with_parent(me)
                if self.keeper:
                    self.keep_watch()
                os.dup2(w_err, 1)
                os.dup2(w_err, 2)
                keep = {1, 2, r_job, w_res, self.landlock.fd}
                os.closerange(0, 1)
                for fd in (self.out, w_job, r_res, r_err, w_err):
                    if fd not in keep:
                        with contextlib.suppress(OSError):
                            os.close(fd)
                warm = getattr(self.executor, "warm_child", None)
                if warm is not None:
                    with contextlib.suppress(Exception):
                        warm(self.port)
                header = json.loads(read_line(r_job))  # its length: a keeper holds the pipe's write end too
                data = bytearray(int(header["payload_bytes"]))
                if not read_exact(r_job, data):
                    os._exit(0)
                os.close(r_job)
                job = json.loads(data)
                data[:] = bytes(len(data))

                def seal() -> None:
                    limits.set_limits(
                        memory_mb=int(job.get("memory_mb") or 0) or (limits.virtual_memory_mb() + 1024),
                        cpu_s=float(header.get("time_limit_s") or 10) + 1,
                        max_files=64,
                        file_bytes=1024 * 1024,
                        extra_tasks=64,
                    )
                    self.landlock.restrict()
                    with contextlib.suppress(OSError):
                        os.close(self.landlock.fd)

                result = self.executor.run_sealed(job, seal)
                out = json.dumps(result, default=str).encode()
            except BaseException as exc:  # our own failure: say so, never a traceback to the user
                out = json.dumps({"internal_error": f"{type(exc).__name__}: {exc}"}).encode()
            view = memoryview(b"%d\n" % len(out) + out)
            with contextlib.suppress(OSError):
                while view:
                    view = view[os.write(w_res, view) :]
            # after the result, off the check's path: the supervisor forwards it without waiting for this
            with contextlib.suppress(BaseException):
                getattr(self.executor, "after_result", lambda: None)()
            os._exit(0)
        for fd in (r_job, w_res, w_err):
            os.close(fd)
        return _Child(pid, w_job, r_res, r_err)

    def run_job(
        self, header: dict[str, Any], payload: bytearray, child: _Child | None = None
    ) -> tuple[dict[str, Any], bytearray, Callable[[], None]]:
        """The job in `child` (a spare forked earlier) or, when that one is gone, in a new one."""
        if child is None or not child.hand(header, payload):
            if child is not None:
                child.close()
                kill_all_children(keep=self.spare_pids())
            child = self.fork_child()
            if not child.hand(header, payload):
                child.close()
                kill_all_children(keep=self.spare_pids())
                return {"status": "crashed", "exit": None}, bytearray(), lambda: None
        return self.watch(child.pid, child.r_res, child.r_err, float(header.get("time_limit_s") or 10))

    def keep_watch(self) -> None:
        """Without Landlock's signal scope the code could kill its parent: make that parent a disposable
        keeper. The keeper returns only in the child; when it is killed the child follows (PDEATHSIG) and
        their orphans come back to this subreaper, which kills them."""
        keeper = os.getpid()
        child = os.fork()
        if child:
            _, status = os.waitpid(child, 0)
            code = os.waitstatus_to_exitcode(status)
            os._exit(code if code >= 0 else 128 - code)
        limits.die_with_parent(keeper)

    def watch(
        self, pid: int, r_res: int, r_err: int, time_limit_s: float
    ) -> tuple[dict[str, Any], bytearray, Callable[[], None]]:
        """The child's result, as soon as all of it has come (its length leads it), and what ends the job:
        wait for the child's exit (the session's release comes after the result), kill what is left, log.
        The caller forwards the result first, then ends the job, before it reads the next one."""
        job = _Watch(pid, r_res, r_err, time.monotonic() + time_limit_s)
        status = job.collect()
        result = job.result if status == "ok" else bytearray()
        if status != "ok":
            job.result[:] = bytes(len(job.result))
        return {"status": status, "exit": job.code}, result, functools.partial(self.end_job, job)

    def end_job(self, job: _Watch) -> None:
        job.wait_exit(min(job.deadline, time.monotonic() + EXIT_GRACE_S))
        if job.code is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(job.pid, signal.SIGKILL)
        kill_all_children(keep=self.spare_pids())
        for fd in (job.r_res, job.r_err, job.pidfd):
            if fd >= 0:
                os.close(fd)
        self.log.write(job.err, job.dropped)
        job.err[:] = bytes(len(job.err))


class _Watch:
    """One running child: its result (`<length>\\n<JSON>`) and its output to the log, read until it ends."""

    def __init__(self, pid: int, r_res: int, r_err: int, deadline: float) -> None:
        self.pid, self.r_res, self.r_err, self.deadline = pid, r_res, r_err, deadline
        self.result = bytearray()
        self.err = bytearray()
        self.dropped = 0
        self.code: int | None = None
        for fd in (r_res, r_err):
            os.set_blocking(fd, False)
        try:
            self.pidfd = os.pidfd_open(pid)
        except (AttributeError, OSError):
            self.pidfd = -1
        self.open_fds = [r_res, r_err]

    def _step(self, until: float) -> bool:
        """Wait for output or the exit until `until`; False when that time has come."""
        remaining = until - time.monotonic()
        if remaining <= 0:
            return False
        waits = self.open_fds + ([self.pidfd] if self.pidfd >= 0 else [])
        ready, _, _ = select.select(waits, [], [], min(remaining, 0.05 if self.pidfd < 0 else remaining))
        for fd in ready:
            if fd != self.pidfd:
                self._read(fd)
        if self.code is None:
            done, wstatus = os.waitpid(self.pid, os.WNOHANG)
            if done:
                self.code = os.waitstatus_to_exitcode(wstatus)
                # what the child wrote before it exited is in the pipe: take it without waiting for EOF
                while self.r_res in self.open_fds and self._read(self.r_res):
                    pass
        return True

    def _read(self, fd: int) -> bool:
        try:
            chunk = os.read(fd, 65536)
        except (BlockingIOError, OSError):
            return False
        if not chunk:
            self.open_fds.remove(fd)
            return False
        if fd == self.r_res:
            if len(self.result) <= MAX_RESULT_BYTES + 32:
                self.result += chunk
        else:
            room = max(0, LOG_CAP_PER_JOB - len(self.err))
            self.err += chunk[:room]
            self.dropped += max(0, len(chunk) - room)
        return True

    def _framed(self) -> str | None:
        """ok when the whole result is here (then only it is kept), an error, or None: more to come."""
        head, newline, _ = bytes(self.result[:24]).partition(b"\n")
        if not newline:
            return "crashed" if len(self.result) >= 24 else None
        if not head.isdigit():
            return "crashed"
        size = int(head)
        if size > MAX_RESULT_BYTES:
            return "too large"
        if len(self.result) < len(head) + 1 + size:
            return None
        body = self.result[len(head) + 1 : len(head) + 1 + size]
        self.result[:] = bytes(len(self.result))
        self.result = body
        return "ok"

    def collect(self) -> str:
        while True:
            framed = self._framed()
            if framed is not None:
                return framed
            if self.code is not None:
                return "crashed"
            if not self._step(self.deadline):
                return "time limit"

    def wait_exit(self, until: float) -> None:
        while self.code is None and self._step(until):
            pass


def main(argv: list[str]) -> int:
    mode, log = argv[0], Path(argv[1])
    port = int(argv[argv.index("--port") + 1]) if "--port" in argv else None
    os.environ["TZ"] = "UTC"
    with contextlib.suppress(AttributeError):
        time.tzset()
    limits.die_with_parent(os.getppid())

    def stop(signum: int, frame: Any) -> None:  # prepdeck stopping us mid-job: take the tree with us
        kill_all_children(timeout_s=2.0)
        os._exit(0)

    signal.signal(signal.SIGTERM, stop)
    supervisor = Supervisor(mode, log, port)
    with contextlib.suppress(BrokenPipeError, KeyboardInterrupt):
        supervisor.serve()
    kill_all_children()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
