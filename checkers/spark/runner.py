"""The process that runs one answer: `python -m prepdeck.checkers.spark.runner sc://host:port`.

It is started ahead of time (imports done, connected, Spark warmed up), says `ready`, then reads one job
from stdin, runs each of the job's sources in its own Spark Connect session (so one answer never sees
another's temp views or settings), streams one JSON line per event on its protocol channel, and exits.
Whatever the answer does (prints, `spark.stop()`, `sys.exit()`, an endless loop) stays in this process;
the parent enforces the time limit by killing it and interrupting the session on the server.

Protocol (JSON lines; the parent is `pool.py`):
  -> {"event": "ready"}                                   after warm-up
  <- {"tables": {...}, "cases": [...], "runs": [...], "max_rows": N, "today": "ISO datetime, UTC"}
  -> {"event": "session", "run": i, "id": "<uuid>"}
  -> {"event": "case", "run": i, "case": name, "columns": [...], "types": [...], "rows": [...],
      "truncated": bool, "ordered_ok": bool, "stdout": "..."}  or  {..., "error": "one line"}
  -> {"event": "run_error", "run": i, "error": "one line", "fatal": bool}   the source could not run at all
  -> {"event": "plan", "run": i, "plan": "..."}
  -> {"event": "card_error", "error": "..."}              the card's table data is broken
  -> {"event": "done"}
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import logging
import math
import os
import re
import sys
import threading
import warnings
from decimal import Decimal
from typing import Any

from prepdeck.checkers.answer_code import (
    ANSWER_FILE,
    NotLoaded,
    answer_line,
    check_call,
    first_line,
    load_function,
)

MAX_STDOUT = 4000


class _Fatal(Exception):
    """The answer ended its own run (sys.exit, spark.stop): stop running its remaining cases."""


# ----------------------------------------------------------------------------------------------
# values on the wire


def encode(value: Any) -> Any:
    """A collected Spark value as JSON with tags for what JSON lacks (decoded by `protocol.decode`)."""
    from pyspark.sql import Row

    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else {"$float": repr(value)}
    if isinstance(value, Decimal):
        return {"$dec": str(value)}
    if isinstance(value, dt.datetime):
        return {"$ts": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    if isinstance(value, dt.timedelta):
        return {"$td": value.total_seconds()}
    if isinstance(value, bytes | bytearray):
        return {"$bytes": bytes(value).hex()}
    if isinstance(value, Row):
        return {"$struct": [[k, encode(v)] for k, v in value.asDict(recursive=False).items()]}
    if isinstance(value, dict):
        return {"$map": [[encode(k), encode(v)] for k, v in value.items()]}
    if isinstance(value, list | tuple):
        return [encode(v) for v in value]
    return str(value)


# ----------------------------------------------------------------------------------------------
# errors, in one line, pointing into the answer


# the Spark server writes only beneath its own work folder (sealed/confine.py); Hadoop reports the refusal as
# a failed mkdirs of a temporary folder inside the answer's target, or (overwrite) a target it cannot clear
_WRITE_REFUSED = re.compile(
    r"(?:Mkdirs failed to create|Unable to clear output directory) (?:file:)?(\S+?)(?:/_temporary/\S*)?(?=\s|$)"
)


# the Spark server's stand-in interpreter (service.write_no_python_worker): its name or its message shows in
# the server's error when an answer asked it for a Python worker (a UDF, mapInPandas, …)
_NO_PYTHON_WORKER = re.compile(r"no-python-worker|prepdeck: Python code cannot run")


def describe_error(exc: BaseException) -> str:
    """`ErrorClass: message (line N)`: no JVM frames, no Py4J, no plan dump."""
    from pyspark.errors import PySparkException

    from prepdeck.checkers.spark.service import NO_PYTHON_WORKER

    line = answer_line(exc.__traceback__)
    if _NO_PYTHON_WORKER.search(str(exc)):
        return f"refused: {NO_PYTHON_WORKER}" + (f" (line {line})" if line else "")
    if isinstance(exc, PySparkException):
        cond = None
        with contextlib.suppress(Exception):
            cond = exc.getCondition()
        message = first_line(exc.getMessage() if hasattr(exc, "getMessage") else str(exc))
        message = re.sub(r"^\[[A-Z0-9_.]+\]\s*", "", message)
        message = re.sub(r"\s*SQLSTATE:\s*\w+;?\s*$", "", message).rstrip(";").strip()
        with contextlib.suppress(Exception):
            for ctx in exc.getQueryContext() or ():
                site = ctx.callSite() or ""
                if site.startswith(ANSWER_FILE + ":"):
                    line = int(site.rsplit(":", 1)[1])
                    break
        name = cond or type(exc).__name__
    else:
        name = type(exc).__name__
        message = first_line(str(exc))
    refused = _WRITE_REFUSED.search(message)
    if refused:
        message = f"answers cannot write files (the Spark server refused to write {refused.group(1)})"
    where = f" (line {line})" if line else ""
    return f"{name}: {message}{where}" if message else f"{name}{where}"


# ----------------------------------------------------------------------------------------------
# case data as typed DataFrames


def spark_schema(spec: str) -> Any:
    from pyspark.sql import types as T

    from prepdeck.decks.tabular import SPARK_TYPES, base_type, list_type_element, parse_columns

    simple = {
        "string": T.StringType(),
        "int": T.IntegerType(),
        "smallint": T.ShortType(),
        "tinyint": T.ByteType(),
        "bigint": T.LongType(),
        "double": T.DoubleType(),
        "float": T.FloatType(),
        "date": T.DateType(),
        "timestamp": T.TimestampType(),
        "boolean": T.BooleanType(),
    }

    def spark_type(column: str, declared: str) -> T.DataType:
        element = list_type_element(declared)
        if element is not None:  # VARCHAR[]: an array of the element type
            return T.ArrayType(spark_type(column, element), True)
        name = SPARK_TYPES.get(base_type(declared))
        if name is None:
            raise ValueError(f"column {column}: type {declared} has no Spark equivalent here")
        if name == "decimal":
            m = re.search(r"\((\d+)\s*(?:,\s*(\d+))?\)", declared)
            return T.DecimalType(int(m.group(1)), int(m.group(2) or 0)) if m else T.DecimalType(10, 0)
        return simple[name]

    return T.StructType(
        [T.StructField(c.name, spark_type(c.name, c.type), True) for c in parse_columns(spec)]
    )


def table_rows(spec: str, text: str | None) -> list[tuple]:
    """The case's CSV as typed tuples in the declared column order (absent columns are NULL)."""
    from prepdeck.decks.tabular import coerce, list_type_element, list_value, parse_columns, read_csv

    columns = parse_columns(spec)
    if not text or not text.strip():
        return []
    csv = read_csv(text)
    index = {name.lower(): i for i, name in enumerate(csv.header)}
    known = {c.name.lower() for c in columns}
    unknown = [h for h in csv.header if h.lower() not in known]
    if unknown:
        raise ValueError(f"unknown column {unknown[0]!r}")
    rows = []
    for number, record in enumerate(csv.rows, start=1):
        if len(record) != len(csv.header):
            raise ValueError(f"row {number} has {len(record)} fields, the header {len(csv.header)}")
        values = []
        for c in columns:
            i = index.get(c.name.lower())
            try:
                convert = list_value if list_type_element(c.type) is not None else coerce
                values.append(convert(record[i], c.type) if i is not None else None)
            except ValueError as exc:
                raise ValueError(f"row {number}, column {c.name}: {exc}") from None
        rows.append(tuple(values))
    return rows


def cases_tables(
    tables: dict[str, str], cases: list[dict[str, Any]]
) -> tuple[dict[str, Any], list[dict[str, list[tuple]]]]:
    """Each table's Spark schema, and each case's rows by table; ValueError names a broken case's data."""
    schemas = {name: spark_schema(spec) for name, spec in tables.items()}
    data = [
        {name: table_rows(spec, case["data"].get(name)) for name, spec in tables.items()} for case in cases
    ]
    return schemas, data


# ----------------------------------------------------------------------------------------------
# the job


class Runner:
    def __init__(self, url: str, channel: Any) -> None:
        self.url = url
        self.channel = channel

    def send(self, **event: Any) -> None:
        self.channel.write(json.dumps(event, default=str) + "\n")
        self.channel.flush()

    def session(self) -> Any:
        from pyspark.sql import SparkSession

        spark = SparkSession.builder.remote(self.url).create()
        # one stream per query: when this process is killed the server sees the stream cancelled and
        # stops the query, and no background ReleaseExecute calls outlive the session
        with contextlib.suppress(AttributeError):
            spark.client.disable_reattachable_execute()
        return spark

    @staticmethod
    def release(spark: Any) -> None:
        with contextlib.suppress(Exception):
            spark.client.release_session()

    def clean_leftovers(self, spark: Any) -> None:
        """Drop the databases, global temp views and tables earlier answers left on our own local server
        (temp views and settings die with their session; these would not)."""
        with contextlib.suppress(Exception):
            for db in spark.catalog.listDatabases():
                if db.name.lower() not in ("default", "global_temp"):
                    spark.sql(f"DROP DATABASE IF EXISTS `{db.name}` CASCADE").collect()
        for database in ("global_temp", "default"):
            with contextlib.suppress(Exception):
                for table in spark.catalog.listTables(database):
                    kind = "VIEW" if table.tableType in ("TEMPORARY", "VIEW") else "TABLE"
                    name = f"global_temp.`{table.name}`" if database == "global_temp" else f"`{table.name}`"
                    if database == "default" and table.isTemporary:
                        continue
                    spark.sql(f"DROP {kind} IF EXISTS {name}").collect()

    def warm_up(self, clean: bool) -> None:
        """Touch the paths a check takes (local data, window, aggregate, collect) on both ends."""
        from pyspark.sql import Window
        from pyspark.sql import functions as F

        spark = self.session()
        if clean:
            self.clean_leftovers(spark)
        schema = spark_schema("k VARCHAR, v INTEGER, ts TIMESTAMP, d DECIMAL(12,2)")
        df = spark.createDataFrame(
            [("a", 1, dt.datetime(2026, 1, 1), Decimal("1.50")), ("a", 2, None, None)], schema
        )
        w = Window.partitionBy("k").orderBy("v")
        out = (
            df.withColumn("r", F.row_number().over(w))
            .groupBy("k")
            .agg(F.sum("v"), F.max("ts"), F.sum("d"), F.max("r"))
            .orderBy("k")
        )
        self.collect(out, 10)
        self.release(spark)

    @staticmethod
    def collect(df: Any, limit: int) -> tuple[list[Any], Any]:
        """Rows and Spark schema in one round trip (DataFrame.collect makes a second one for a conf)."""
        from pyspark.sql.conversion import ArrowTableToRowsConversion

        limited = df.limit(limit)
        try:
            table, schema = limited._to_table()
            if schema is None:
                raise AttributeError
            return ArrowTableToRowsConversion.convert(table, schema), schema
        except (AttributeError, TypeError):  # internals moved: the public, slower way
            return limited.collect(), df.schema

    def run_job(self, job: dict[str, Any]) -> None:
        tables: dict[str, str] = job["tables"]
        if job.get("today"):  # the card's clock for every run of this job (this process runs one job)
            from prepdeck.checkers.spark.clock import freeze

            freeze(dt.datetime.fromisoformat(job["today"]))
        if job.get("clean"):
            spark = self.session()
            self.clean_leftovers(spark)
            self.release(spark)
        try:
            schemas, data = cases_tables(tables, job["cases"])
        except ValueError as exc:
            self.send(event="card_error", error=str(exc))
            return
        for index, run in enumerate(job["runs"]):
            spark = self.session()
            try:
                self.run_source(index, run, job, schemas, data, spark)
            finally:
                self.release(spark)

    def run_source(
        self,
        index: int,
        run: dict[str, Any],
        job: dict[str, Any],
        schemas: dict[str, Any],
        data: list[dict[str, list[tuple]]],
        spark: Any,
    ) -> None:
        from pyspark.sql import DataFrame

        self.send(event="session", run=index, id=spark.session_id)
        out = io.StringIO()
        fn = self.load(index, run, job, spark, out)
        if fn is None:
            return
        for case, rows in zip(job["cases"], data, strict=True):
            frames = {name: spark.createDataFrame(rows[name], schemas[name]) for name in job["tables"]}
            try:
                self.run_case(index, run, case["name"], fn, frames, job["max_rows"], spark, out, DataFrame)
            except _Fatal as exc:
                self.send(event="run_error", run=index, error=str(exc), fatal=True)
                return

    def load(self, index: int, run: dict[str, Any], job: dict[str, Any], spark: Any, out: io.StringIO) -> Any:
        """The answer's function (what its code prints as it loads goes to `out`), or None after sending the
        run_error that says why there is none."""
        try:
            with contextlib.redirect_stdout(out):
                fn = load_function(run["source"], run["function"], describe_error, spark=spark)
            check_call(fn, run["function"], job["tables"])
        except NotLoaded as exc:
            self.send(event="run_error", run=index, error=str(exc), fatal=False)
            return None
        return fn

    def run_case(
        self,
        index: int,
        run: dict[str, Any],
        name: str,
        fn: Any,
        frames: dict[str, Any],
        max_rows: int,
        spark: Any,
        out: io.StringIO,
        dataframe_type: type,
    ) -> None:
        out.seek(0)
        out.truncate()
        event: dict[str, Any] = {"event": "case", "run": index, "case": name}
        try:
            with contextlib.redirect_stdout(out):
                result = fn(**frames)
                if not isinstance(result, dataframe_type):
                    kind = "None (no return statement?)" if result is None else type(result).__name__
                    raise TypeError(f"{run['function']}() returned {kind}, not a DataFrame")
                rows, schema = self.collect(result, max_rows + 1)
        except SystemExit:
            raise _Fatal("the answer called sys.exit()") from None
        except TypeError as exc:
            if spark.is_stopped:
                raise _Fatal("the answer called spark.stop(): the session it was given is closed") from None
            event["error"] = describe_error(exc) if "not a DataFrame" not in str(exc) else str(exc)
            self.send(**event, stdout=out.getvalue()[:MAX_STDOUT])
            return
        except BaseException as exc:
            if spark.is_stopped:
                raise _Fatal("the answer called spark.stop(): the session it was given is closed") from None
            event["error"] = describe_error(exc)
            self.send(**event, stdout=out.getvalue()[:MAX_STDOUT])
            return
        if spark.is_stopped:
            raise _Fatal("the answer called spark.stop(): the session it was given is closed")
        event.update(
            columns=[f.name for f in schema.fields],
            types=[f.dataType.simpleString() for f in schema.fields],
            rows=[[encode(v) for v in row] for row in rows[:max_rows]],
            truncated=len(rows) > max_rows,
            ordered_ok=ends_with_sort(result),
            stdout=out.getvalue()[:MAX_STDOUT],
        )
        self.send(**event)
        if run.get("explain") and not run.get("_explained"):
            run["_explained"] = True
            try:
                plan = result._explain_string(mode="simple")  # type: ignore[attr-defined]  # Spark Connect private API
            except Exception as exc:
                plan = f"explain failed: {describe_error(exc)}"
            self.send(event="plan", run=index, plan=plan)


def ends_with_sort(df: Any) -> bool:
    """The outermost logical node is a global Sort (a limit/offset on top keeps the order)."""
    try:
        from pyspark.sql.connect import plan as P
    except ImportError:
        return True
    passthrough = tuple(
        getattr(P, n) for n in ("Limit", "Offset", "Tail", "SubqueryAlias", "Hint") if hasattr(P, n)
    )
    node = getattr(df, "_plan", None)
    while isinstance(node, passthrough):
        node = node._child
    return isinstance(node, P.Sort) and bool(getattr(node, "is_global", True))


# ----------------------------------------------------------------------------------------------


def interrupt(url: str, session_id: str) -> None:
    """Cancel every operation of a session left behind by a killed runner, and release it."""
    from pyspark.sql import SparkSession

    spark = SparkSession.builder.remote(f"{url.rstrip('/')}/;session_id={session_id}").create()
    with contextlib.suppress(Exception):
        spark.interruptAll()
    with contextlib.suppress(Exception):
        spark.client.release_session()


def _quiet() -> None:
    logging.disable(logging.CRITICAL)  # pyspark logs JSON error lines to stderr
    warnings.filterwarnings("ignore")
    os.environ.setdefault("TZ", "UTC")
    with contextlib.suppress(AttributeError):
        import time

        time.tzset()


def _ready_when_server_is(url: str, timeout_s: float = 120.0) -> None:
    """Import PySpark now, then wait for the local server's port: the runner is started while the JVM is
    still booting, so the imports overlap the server's start-up instead of following it."""
    import socket
    import time

    import pyspark.sql.connect.session  # noqa: F401  (the slow part: pandas, pyarrow, grpc)

    parent = os.getppid()
    host, _, port = url.removeprefix("sc://").partition(":")
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if os.getppid() != parent:  # the prepdeck that started us is gone
            os._exit(5)
        try:
            with socket.create_connection((host, int(port.split("/")[0])), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)


def main(argv: list[str]) -> None:
    # the protocol gets its own copy of stdout; fd 1 itself goes to /dev/null so nothing the answer or a
    # library writes there can corrupt the channel
    channel = os.fdopen(os.dup(1), "w", encoding="utf-8", buffering=1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    sys.stdout = io.TextIOWrapper(open(devnull, "wb", closefd=False), encoding="utf-8")  # noqa: SIM115
    _quiet()
    url = argv[0]
    status = 0
    try:
        if len(argv) >= 3 and argv[1] == "--interrupt":
            interrupt(url, argv[2])
            return
        if "--local" in argv[1:]:
            _ready_when_server_is(url)
        runner = Runner(url, channel)
        try:
            runner.warm_up(clean="--local" in argv[1:])
        except Exception as exc:
            runner.send(event="failed", error=describe_error(exc))
            status = 3
            return
        runner.send(event="ready")
        line = sys.stdin.readline()
        if not line.strip():
            return  # the parent closed us without a job (app exit)
        runner.run_job(json.loads(line))
        runner.send(event="done")
    except BrokenPipeError:
        status = 4
    finally:
        with contextlib.suppress(Exception):
            channel.flush()
        # skip interpreter shutdown: the gRPC channel's finalizer can hang for seconds
        os._exit(status)


if __name__ == "__main__":
    main(sys.argv[1:])


# ----------------------------------------------------------------------------------------------
# the sealed runner's entry points (checkers/sealed/supervisor.py forks a child per case and calls these)


def _url(port: int | None, job: dict[str, Any] | None = None) -> str:
    if job and job.get("url"):
        return str(job["url"])
    return f"sc://127.0.0.1:{port}"


def preload() -> None:
    """In the supervisor, before any fork: everything a check imports, so each child starts warm. No
    gRPC channel is opened here (a forked child must not inherit one)."""
    import importlib

    _quiet()
    for module in (
        "pyspark.sql.connect.session",
        "pyspark.sql.connect.dataframe",
        "pyspark.sql.connect.functions",
        "pyspark.sql.connect.window",
        "pyspark.sql.connect.conversion",
        "pyspark.sql.connect.plan",
        "pyspark.sql.connect.client.core",
        "pyspark.sql.conversion",
        "pyspark.sql.functions",
        "pyspark.sql.window",
        "pyspark.sql.types",
        "pyspark.errors",
        "prepdeck.checkers.spark.clock",
        "prepdeck.checkers.spark.java_calls",
        "prepdeck.decks.tabular",
    ):
        with contextlib.suppress(ImportError):
            importlib.import_module(module)
    with contextlib.suppress(Exception):  # the Arrow paths a check takes, warmed without a connection
        import pyarrow as pa  # type: ignore[import-untyped]
        from pyspark.sql.conversion import ArrowTableToRowsConversion, LocalDataToArrowConversion

        schema = spark_schema(
            "k VARCHAR, v INTEGER, n BIGINT, x DOUBLE, d DECIMAL(12,2), day DATE, ts TIMESTAMP, ok BOOLEAN"
        )
        row = ("a", 1, 2, 1.5, Decimal("1.50"), dt.date(2026, 1, 1), dt.datetime(2026, 1, 1), True)
        table = LocalDataToArrowConversion.convert([row, (None,) * 8], schema, False)
        sink = pa.BufferOutputStream()
        with pa.ipc.new_stream(sink, table.schema) as writer:
            writer.write_table(table)
        back = pa.ipc.open_stream(sink.getvalue()).read_all()
        ArrowTableToRowsConversion.convert(back, schema)


def prepare(port: int | None) -> None:
    """Trusted, in a child of the supervisor: wait for the local server, then warm both ends up."""
    _quiet()
    url = _url(port)
    _ready_when_server_is(url)
    Runner(url, io.StringIO()).warm_up(clean=True)


def after_job(port: int | None, session: str | None) -> None:
    """Trusted, after an answer: stop what a killed case left running, drop what any case created."""
    _quiet()
    url = _url(port)
    if session:
        with contextlib.suppress(Exception):
            interrupt(url, session)
    runner = Runner(url, io.StringIO())
    spark = runner.session()
    try:
        runner.clean_leftovers(spark)
    finally:
        runner.release(spark)


# in a sealed child: the channel warm_child opened and the address it goes to; the session to release
_WARM: dict[str, Any] = {}


def warm_child(port: int | None) -> None:
    """In a sealed child forked ahead of its job: open the gRPC channel to the local server now (the TCP and
    HTTP/2 handshakes included), so the job's session starts on a ready connection."""
    import grpc
    from pyspark.sql.connect.client import DefaultChannelBuilder

    url = _url(port)
    channel = DefaultChannelBuilder(url).toChannel()
    grpc.channel_ready_future(channel).result(timeout=5)
    _WARM.update(channel=channel, url=url)


def after_result() -> None:
    """In a sealed child, after its result is written: release the session when its job said so."""
    spark = _WARM.pop("release", None)
    if spark is not None:
        Runner.release(spark)


def _attach(job: dict[str, Any]) -> Any:
    """The job's Spark Connect session (the parent names it, to interrupt it if the child is killed), on
    the warm channel when there is one to the job's server."""
    from pyspark.sql import SparkSession
    from pyspark.sql.connect.client import DefaultChannelBuilder
    from pyspark.sql.connect.session import SparkSession as ConnectSession

    address = f"{job['url'].rstrip('/')}/;session_id={job['session']}"
    channel = _WARM.pop("channel", None)
    if channel is not None and _WARM.pop("url", None) == job["url"]:
        builder = DefaultChannelBuilder(address)
        builder.toChannel = lambda: channel  # type: ignore[method-assign]
        # what builder.remote() sets: PySpark's API is then Connect's
        os.environ["SPARK_CONNECT_MODE_ENABLED"] = "1"
        spark: Any = ConnectSession.builder.channelBuilder(builder).create()
    else:
        spark = SparkSession.builder.remote(address).create()
    with contextlib.suppress(AttributeError):
        spark.client.disable_reattachable_execute()
    return spark


def run_sealed(job: dict[str, Any], seal: Any) -> dict[str, Any]:
    """One source on one case, in its own Spark Connect session: the case's result as an event dict."""
    _quiet()
    from pyspark.sql import DataFrame

    from prepdeck.checkers.spark.java_calls import guard_plans

    guard_plans()
    if job.get("sql") is not None:
        spark = _attach(job)
        try:
            return _run_sql(job, spark, seal)
        finally:
            Runner.release(spark)
    if job.get("today"):
        from prepdeck.checkers.spark.clock import freeze

        freeze(dt.datetime.fromisoformat(job["today"]))
    tables: dict[str, str] = job["tables"]
    try:
        schemas = {name: spark_schema(spec) for name, spec in tables.items()}
        rows = {name: table_rows(spec, job["data"].get(name)) for name, spec in tables.items()}
    except ValueError as exc:
        return {"event": "card_error", "error": str(exc)}
    spark = _attach(job)
    frames = {name: spark.createDataFrame(rows[name], schemas[name]) for name in tables}
    channel = io.StringIO()
    runner = Runner(job["url"], channel)
    run = {"function": job["function"], "explain": job.get("explain"), "source": job["source"]}
    seal()
    events: list[dict[str, Any]] = []
    runner.send = lambda **event: events.append(event)  # type: ignore[method-assign]
    fn = runner.load(0, run, job, spark, io.StringIO())
    if fn is not None:
        out = io.StringIO()
        try:
            runner.run_case(0, run, job["case"], fn, frames, job["max_rows"], spark, out, DataFrame)
        except _Fatal as exc:
            events.append({"event": "run_error", "run": 0, "error": str(exc), "fatal": True})
    if job.get("release"):  # the check's last case: its session goes once the result is on its way
        _WARM["release"] = spark
    return {"events": events}


def _run_sql(job: dict[str, Any], spark: Any, seal: Any) -> dict[str, Any]:
    """A Spark SQL answer on every case of a check, in this one child and one session (the child runs no
    code of the answer's: the SQL runs in the server). Visible cases come first; each case's tables travel
    with the query as references the server turns into temp views for that query alone (one round trip a
    case, and no case's view outlives its query); no SQL on files (`csv.`path``); each case gets the
    check's time limit, after which its query is interrupted and the remaining cases are not run."""
    from pyspark.sql.connect.dataframe import DataFrame
    from pyspark.sql.connect.plan import SQL, SubqueryAlias

    from prepdeck.checkers.spark.clock import freeze_sql

    tables: dict[str, str] = job["tables"]
    try:
        schemas, data = cases_tables(tables, job["cases"])
    except ValueError as exc:
        return {"events": [{"event": "card_error", "error": str(exc)}]}
    # one round trip for all; adaptive execution re-plans between stages, which costs tiny data more
    # (measured: 10-30% of the server's CPU a query) than it saves; the UI's plan text (see service.py) is
    # set here too for a remote server
    settings = {"spark.sql.runSQLOnFiles": "false", "spark.sql.adaptive.enabled": "false"}
    spark.conf._set_all({**settings, "spark.sql.ui.explainMode": "simple"}, silent=False)
    seal()
    text = freeze_sql(job["sql"], dt.datetime.fromisoformat(job["today"])) if job.get("today") else job["sql"]
    max_rows = int(job["max_rows"])
    limit = float(job.get("case_time_limit_s") or 60.0)
    events: list[dict[str, Any]] = []
    for position, (case, rows) in enumerate(zip(job["cases"], data, strict=True)):
        event: dict[str, Any] = {"event": "case", "run": 0, "case": case["name"]}
        events.append(event)
        views = [SubqueryAlias(spark.createDataFrame(rows[n], schemas[n])._plan, n) for n in tables]
        df = DataFrame(SQL(text, views=views), spark)
        fired = threading.Event()
        timer = threading.Timer(limit, _interrupt, args=(spark, fired))
        timer.start()
        try:
            result, schema = Runner.collect(df, max_rows + 1)
        except BaseException as exc:
            if fired.is_set():  # the time limit interrupted the query: stop here
                events.pop()
                return {"events": events, "stopped": "time limit"}
            event["error"] = describe_error(exc)
            continue
        finally:
            timer.cancel()
        event.update(
            columns=[f.name for f in schema.fields],
            types=[f.dataType.simpleString() for f in schema.fields],
            rows=[[encode(v) for v in row] for row in result[:max_rows]],
            truncated=len(result) > max_rows,
        )
        if job.get("explain") and position == 0:
            try:
                plan = df._explain_string(mode="formatted")
            except Exception as exc:
                plan = f"explain failed: {describe_error(exc)}"
            events.append({"event": "plan", "run": 0, "plan": plan})
    return {"events": events}


def _interrupt(spark: Any, fired: threading.Event) -> None:
    fired.set()
    with contextlib.suppress(Exception):
        spark.interruptAll()
