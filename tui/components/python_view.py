"""`python` cards on the review screen: the code card view, judged in the sealed runner without Spark.

Everything comes from `CodeCardView` (editor with drafts and the function's `def` line to start from, Ctrl+R
in a worker, results, give up, suggested rating); added here: the case arguments shown as JSON.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Label, Static

from prepdeck.tui.components.code_view import CodeCardView

if TYPE_CHECKING:
    from prepdeck.checkers.result import CheckResult
    from prepdeck.decks.model import Case


class PythonCardView(CodeCardView):
    CARD_TYPES = ("python",)
    LANGUAGE: ClassVar[str] = "python"
    ENGINE_LABEL: ClassVar[str] = "Python"
    DIALECTS: ClassVar[tuple[str, ...]] = ()
    HAS_PLAN: ClassVar[bool] = False

    def judge(self, answer: str, dialect: str | None, cancel: threading.Event) -> CheckResult:
        from prepdeck.checkers.python_judge import check_python_answers
        from prepdeck.checkers.sealed import SealedUnavailable, UntrustedCode

        try:
            [result] = check_python_answers(
                self.card, [("editor", answer)], self.context.config, cancel=cancel
            )
        except (SealedUnavailable, UntrustedCode) as exc:
            raise ValueError(str(exc)) from None
        return result

    def explain(self, answer: str, dialect: str | None) -> tuple[str, str]:
        return answer, "plain Python has no query plan"

    def running_status(self) -> str:
        return f"checking… ({self._key('run_check')} cancels)"

    def default_dialect(self) -> str | None:
        return None

    def _case_tables(self, case: Case) -> ComposeResult:
        yield Label("arguments (JSON)", classes="table-name")
        yield Static(Text(case.args or "{}"), classes="case-args")
