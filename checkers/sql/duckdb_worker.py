"""DuckDB checks in a child process, so no answer can take the app's memory or time.

One warm worker per prepdeck process (spawned, never forked from a threaded app: duckdb imported, ready
before the first check) runs every DuckDB query of a check: it opens the locked-down connection, loads
each case and runs the solution and the answer (`duckdb_engine`), and sends back at most `max_rows`
rows and `RESULT_BYTES` of them. Its address space is capped (RLIMIT_AS: what it uses at rest plus the
`[sql]` memory limit plus headroom), so `repeat('x', 2000000000)` fails in the worker; DuckDB's own
interrupt stops a query at the time limit, and the app kills the worker outright when it does not
answer within a grace period after that (or at once on cancel) and starts a fresh one. A worker that
dies is a failed query ("the DuckDB worker stopped"), never a crash of the app.
"""

from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from prepdeck.checkers.sql.errors import CardProblem, Stopped
from prepdeck.core.config import SqlConfig

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

    from prepdeck.checkers.sql.duckdb_engine import QueryResult
    from prepdeck.decks.model import Card, Case

RESULT_BYTES = 64 * 1024 * 1024  # rows larger than this in all are refused, not sent
_HEADROOM_MB = 512  # DuckDB's own structures and Python's, above the query memory limit
_GRACE_S = 2.0  # after the time limit, DuckDB's interrupt has this long before the worker is killed


# ---------------------------------------------------------------------------------------------
# the child


def _cap_address_space(memory_limit_mb: int) -> None:
    import resource

    try:
        with open("/proc/self/status", encoding="ascii") as status:
            size_kb = next(int(line.split()[1]) for line in status if line.startswith("VmSize:"))
    except (OSError, StopIteration, ValueError):
        return  # not Linux: DuckDB's memory_limit alone
    limit = size_kb * 1024 + (memory_limit_mb + _HEADROOM_MB) * 1024 * 1024
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _row_bytes(rows: list[tuple[Any, ...]]) -> int:
    return sum(len(v) if isinstance(v, str | bytes) else 16 for row in rows for v in row)


def _serve(pipe: Connection, memory_limit_mb: int) -> None:
    """The worker's loop: one request, one reply, until the pipe closes."""
    from prepdeck.checkers.sql import duckdb_engine

    conn = duckdb_engine.connect(SqlConfig(memory_limit_mb=memory_limit_mb), dt.datetime(2026, 1, 1))
    conn.close()  # warm: DuckDB loaded and initialised once
    _cap_address_space(memory_limit_mb)
    pipe.send(("ready", os.getpid()))
    current = None
    while True:
        try:
            request = pipe.recv()
        except (EOFError, OSError):
            return
        kind = request[0]
        try:
            if kind == "open":
                _, config, today = request
                if current is not None:
                    current.close()
                current = duckdb_engine.connect(config, today)
                reply: tuple[Any, ...] = ("ok",)
            elif kind == "load":
                _, card, case = request
                if current is None:
                    raise RuntimeError("no connection is open")
                duckdb_engine.load_case(current, card, case)
                reply = ("ok",)
            elif kind == "run":
                _, sql, source, dialect, config = request
                if current is None:
                    raise RuntimeError("no connection is open")
                result = duckdb_engine.run_query(
                    current,
                    sql,
                    time_limit_s=config.time_limit_s,
                    max_rows=config.max_rows,
                    memory_limit_mb=config.memory_limit_mb,
                    source=source,
                    dialect=dialect,
                )
                if _row_bytes(result.rows) > RESULT_BYTES:
                    reply = ("stopped", f"the result is larger than {RESULT_BYTES // 2**20} MB", False)
                else:
                    reply = ("rows", result)
            elif kind == "close":
                if current is not None:
                    current.close()
                current = None
                reply = ("ok",)
            else:
                reply = ("error", f"unknown request {kind!r}")
        except Stopped as exc:
            reply = ("stopped", exc.reason, exc.stop_check)
        except CardProblem as exc:
            reply = ("card", str(exc))
        except MemoryError:
            reply = ("stopped", f"memory limit of {memory_limit_mb} MB exceeded", False)
        except Exception as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            reply = ("error", first)
        try:
            pipe.send(reply)
        except MemoryError:
            pipe.send(("stopped", f"memory limit of {memory_limit_mb} MB exceeded", False))


# ---------------------------------------------------------------------------------------------
# the app's side


class WorkerGone(RuntimeError):
    pass


class _Worker:
    """The child: `python -m prepdeck.checkers.sql.duckdb_worker FD MB`, talking over a socket pair
    (a plain subprocess, not multiprocessing's spawn, which would re-import the app's __main__)."""

    def __init__(self, memory_limit_mb: int) -> None:
        import socket
        import subprocess
        import sys
        from multiprocessing.connection import Connection

        self.memory_limit_mb = memory_limit_mb
        ours, theirs = socket.socketpair()
        self.process = subprocess.Popen(
            [sys.executable, "-m", __name__, str(theirs.fileno()), str(memory_limit_mb)],
            pass_fds=[theirs.fileno()],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # a Ctrl+C in the terminal is the app's to handle, not the worker's
        )
        theirs.close()
        self.pipe = Connection(ours.detach())
        self._ready = False

    def wait_ready(self, timeout: float = 60.0) -> None:
        if self._ready:
            return
        if not self.pipe.poll(timeout):
            self.kill()
            raise WorkerGone("the DuckDB worker did not start")
        try:
            self.pipe.recv()
        except (EOFError, OSError):
            raise WorkerGone("the DuckDB worker did not start") from None
        self._ready = True

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def request(self, message: tuple[Any, ...], timeout: float, cancel: threading.Event | None) -> Any:
        self.wait_ready()
        try:
            self.pipe.send(message)
        except (OSError, BrokenPipeError):
            self.kill()
            raise WorkerGone("the DuckDB worker stopped") from None
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if self.pipe.poll(min(0.05, max(left, 0))):
                try:
                    return self.pipe.recv()
                except (EOFError, OSError):
                    self.kill()
                    raise WorkerGone("the DuckDB worker stopped (out of memory?)") from None
            if cancel is not None and cancel.is_set():
                self.kill()
                raise Stopped("cancelled")
            if left <= 0:
                self.kill()
                raise WorkerGone("time")
            if not self.alive:
                self.kill()
                raise WorkerGone("the DuckDB worker stopped (out of memory?)")

    def kill(self) -> None:
        if self.alive:
            self.process.kill()
        with contextlib.suppress(Exception):
            self.process.wait(5)
        self.pipe.close()


_LOCK = threading.Lock()
_WORKER: _Worker | None = None


def _worker(memory_limit_mb: int) -> _Worker:
    global _WORKER
    with _LOCK:
        if _WORKER is None or not _WORKER.alive or _WORKER.memory_limit_mb != memory_limit_mb:
            if _WORKER is not None:
                _WORKER.kill()
            _WORKER = _Worker(memory_limit_mb)
        return _WORKER


def _replace(memory_limit_mb: int) -> None:
    """A killed worker's successor starts now, in the background: the next check finds it warm."""
    global _WORKER
    with _LOCK:
        _WORKER = _Worker(memory_limit_mb)


def prewarm(config: SqlConfig | None = None) -> None:
    """Start the worker now (returns at once; it warms up in its own process)."""
    _worker((config or SqlConfig()).memory_limit_mb)


def stop() -> None:
    global _WORKER
    with _LOCK:
        worker, _WORKER = _WORKER, None
    if worker is not None:
        worker.kill()


atexit.register(stop)


_IN_PROCESS = False


@contextlib.contextmanager
def in_process() -> Iterator[None]:
    """Within: DuckDB runs in this process (`prepdeck check`: a one-shot command is itself disposable,
    and starting a worker would double its cost); the engine's own memory and time limits still hold."""
    global _IN_PROCESS
    before, _IN_PROCESS = _IN_PROCESS, True
    try:
        yield
    finally:
        _IN_PROCESS = before


def session(config: SqlConfig, today: dt.datetime, cancel: threading.Event | None = None) -> Any:
    """One check's DuckDB: in the worker (the app), or in this process within `in_process()`."""
    return LocalSession(config, today, cancel) if _IN_PROCESS else WorkerSession(config, today, cancel)


@dataclass
class LocalSession:
    """The same interface as WorkerSession, on a connection in this process."""

    config: SqlConfig
    today: dt.datetime
    cancel: threading.Event | None = None

    def __post_init__(self) -> None:
        from prepdeck.checkers.sql import duckdb_engine

        self._conn = duckdb_engine.connect(self.config, self.today)

    def load(self, card: Card, case: Case) -> None:
        from prepdeck.checkers.sql import duckdb_engine

        duckdb_engine.load_case(self._conn, card, case)

    def run(self, sql: str, source: str | None, dialect: str) -> QueryResult:
        from prepdeck.checkers.sql import duckdb_engine

        return duckdb_engine.run_query(
            self._conn,
            sql,
            time_limit_s=self.config.time_limit_s,
            max_rows=self.config.max_rows,
            memory_limit_mb=self.config.memory_limit_mb,
            cancel=self.cancel,
            source=source,
            dialect=dialect,
        )

    def close(self) -> None:
        self._conn.close()


@dataclass
class WorkerSession:
    """One check's DuckDB, in the worker: `load(card, case)`, `run(sql, source, dialect)`, `close()`."""

    config: SqlConfig
    today: dt.datetime
    cancel: threading.Event | None = None

    def __post_init__(self) -> None:
        self._opened = False
        self._loaded: tuple[Card, Case] | None = None

    def _ask(self, message: tuple[Any, ...], timeout: float) -> Any:
        worker = _worker(self.config.memory_limit_mb)
        try:
            reply = worker.request(message, timeout, self.cancel)
        except WorkerGone as exc:
            _replace(self.config.memory_limit_mb)
            self._opened = False
            if str(exc) == "time":
                raise Stopped(f"time limit of {self.config.time_limit_s:g} s exceeded") from None
            raise Stopped(str(exc), stop_check=False) from None
        except Stopped:
            _replace(self.config.memory_limit_mb)
            self._opened = False
            raise
        kind = reply[0]
        if kind == "stopped":
            raise Stopped(reply[1], stop_check=reply[2])
        if kind == "card":
            raise CardProblem(reply[1])
        if kind == "error":
            raise RuntimeError(reply[1])
        return reply

    def _open(self) -> None:
        if not self._opened:
            self._ask(("open", self.config, self.today), 60.0)
            self._opened = True
            if self._loaded is not None:  # a fresh worker after a killed one: the case again
                self._ask(("load", *self._loaded), 60.0)

    def load(self, card: Card, case: Case) -> None:
        self._loaded = None
        self._open()
        self._ask(("load", card, case), 60.0)
        self._loaded = (card, case)

    def run(self, sql: str, source: str | None, dialect: str) -> QueryResult:
        self._open()
        reply = self._ask(("run", sql, source, dialect, self.config), self.config.time_limit_s + _GRACE_S)
        result: QueryResult = reply[1]
        return result

    def close(self) -> None:
        if self._opened:
            with contextlib.suppress(Stopped, RuntimeError):
                self._ask(("close",), 10.0)
            self._opened = False


if __name__ == "__main__":
    import sys
    from multiprocessing.connection import Connection

    _serve(Connection(int(sys.argv[1])), int(sys.argv[2]))
