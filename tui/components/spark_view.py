"""`pyspark` cards on the review screen: the code card view, judged on the warm local Spark.

Everything but the engine comes from `CodeCardView` (case tables, editor with drafts, Ctrl+R in a
worker, results and diff, give up, suggested rating). Added here: a Python editor, a Spark status line
("starting Spark… / Spark ready / Spark failed: …") that follows the shared `SparkService`, Spark started
as soon as the card is shown, and the physical plan of the user's result (Ctrl+T).

For the review screen: `prewarm_if_near(widget, upcoming_cards, context)` starts Spark in a worker when a
pyspark card is among the next few cards, so the user rarely waits for the JVM.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from prepdeck.tui.components.code_view import CodeCardView
from prepdeck.tui.messages import WorkStatus

if TYPE_CHECKING:
    from prepdeck.checkers.result import CheckResult


class PySparkCardView(CodeCardView):
    CARD_TYPES = ("pyspark",)
    LANGUAGE: ClassVar[str] = "python"
    ENGINE_LABEL: ClassVar[str] = "Spark"
    DIALECTS: ClassVar[tuple[str, ...]] = ()

    DEFAULT_CSS = """
    PySparkCardView #spark-status { color: $text-muted; padding: 0 1; }
    PySparkCardView #spark-status.failed { color: $error; }
    """

    def __init__(self, card: Any, context: Any, **kwargs: Any) -> None:
        super().__init__(card, context, **kwargs)
        self._unsubscribe: Any = None
        self._plans: dict[str, str] = {}  # answer text -> physical plan from its last run

    # -- engine hooks -------------------------------------------------------------------------------
    def _service(self) -> Any:
        from prepdeck.checkers.spark import service

        return service(self.context.config)

    def judge(self, answer: str, dialect: str | None, cancel: threading.Event) -> CheckResult:
        from prepdeck.checkers.spark import SparkUnavailable, check_pyspark_answers

        try:
            [result] = check_pyspark_answers(
                self.card,
                [("editor", answer)],
                self.context.config,
                explain=True,
                status=lambda text: None,
                cancel=cancel,
            )
        except SparkUnavailable as exc:
            raise ValueError(str(exc)) from None
        if result.plan:
            self._plans = {answer: result.plan}
        return result

    def explain(self, answer: str, dialect: str | None) -> tuple[str, str]:
        plan = self._plans.get(answer)
        if plan is None:
            result = self.judge(answer, None, threading.Event())
            plan = result.plan or (
                f"no plan: {result.error}" if result.error else "no plan: the answer did not run"
            )
        return answer, plan

    def running_status(self) -> str:
        limit = self.context.config.spark.time_limit_s
        starting = "" if self._service().ready else "starting Spark, then "
        return f"{starting}checking on Spark… (limit {limit:g} s per case; {self._key('run_check')} cancels)"

    def default_dialect(self) -> str | None:
        return None

    # -- layout ---------------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield from super().compose()
        yield Static("", id="spark-status")

    def on_mount(self) -> None:
        super().on_mount()
        svc = self._service()
        self._spark_status(svc.status_text)
        self._unsubscribe = svc.on_status(self._status_from_thread)
        if not svc.ready and svc.state != "starting":
            self.run_worker(
                lambda: _start_quietly(svc),
                thread=True,
                group="spark-start",
                exclusive=True,
                exit_on_error=False,
            )

    def on_unmount(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        super().on_unmount()

    def _status_from_thread(self, text: str) -> None:
        if not self.is_attached:
            return
        try:
            self.app.call_from_thread(self._spark_status, text)
        except RuntimeError:  # already on the UI thread
            self._spark_status(text)

    def _spark_status(self, text: str) -> None:
        try:
            label = self.query_one("#spark-status", Static)
        except Exception:
            return
        label.set_class(text.startswith("Spark failed"), "failed")
        label.update(Text(text))


def _start_quietly(svc: Any) -> None:
    from prepdeck.checkers.spark import SparkUnavailable

    # on failure the status line shows "Spark failed: …", and a check will say it again
    with contextlib.suppress(SparkUnavailable):
        svc.start()


def prewarm_if_near(widget: Any, upcoming: Sequence[Any], context: Any) -> bool:
    """Start Spark in a thread worker of `widget` when a pyspark card (or, with spark the default SQL
    dialect, a sql card) is among the next cards.

    Call it whenever the review screen shows a card, with the current card first in `upcoming`.
    Returns True when a start was requested. Never raises; cheap when Spark is already up.
    """
    try:
        from prepdeck.checkers.spark import PREWARM_LOOKAHEAD, pyspark_card_near, service

        # Spark SQL answers run on the same Spark: a sql card counts when spark is the default dialect
        spark_sql = str(getattr(context.config.sql, "dialect", "")).lower() == "spark" and any(
            getattr(c, "type", None) == "sql" for c in upcoming[: PREWARM_LOOKAHEAD + 1]
        )
        if not (pyspark_card_near(upcoming, 0, PREWARM_LOOKAHEAD) or spark_sql):
            return False
        svc = service(context.config)
        if svc.ready or svc.state == "starting":
            return False

        def start() -> None:
            widget.post_message(WorkStatus("starting Spark…", busy=True))
            _start_quietly(svc)
            widget.post_message(WorkStatus("" if svc.ready else svc.status_text, busy=False))

        widget.run_worker(start, thread=True, group="spark-prewarm", exclusive=True, exit_on_error=False)
        return True
    except Exception:  # a pre-warm must never disturb the review
        return False
