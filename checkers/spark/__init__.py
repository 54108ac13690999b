"""The PySpark judge: answers to `pyspark` cards run on a warm local Spark Connect server.

Design (why this shape):
- Spark's JVM takes seconds to start and much longer to warm up, so one Spark Connect server is started
  per prepdeck process (lazily, or early by `prewarm` when a pyspark card is near in the review queue),
  tuned for tiny data (one shuffle partition, UI off, C1-only JIT, small heap from `spark.driver_memory`,
  ANSI on, UTC) with its logs in `$PREPDECK_HOME/logs/`, and stopped at exit.
- The user's code never runs in the app's process: each answer runs in its own Python subprocess
  (`runner.py`) with its own Spark Connect session. A session has its own temp views and settings, so
  answers cannot see each other's leftovers; `spark.stop()` or `sys.exit()` only end that subprocess;
  an endless Python loop or a runaway Spark job is stopped at the wall-clock limit (`spark.time_limit_s`)
  by killing the subprocess and interrupting its session's operations on the server, so the next check
  finds Spark idle. Runners are started one ahead (imports done, connected, warm), so a warm check pays
  for the work, not for Python start-up.
- `spark.remote = "sc://host:15002"` (or `--spark-remote`) uses an existing Spark Connect server
  instead; everything else is the same.
- Classic PySpark (Py4J, one SparkContext per process) could not isolate answers or kill a stuck one
  without losing the warm JVM; Spark Connect gives both, and keeps Java frames out of the client's errors.

Public API: `check_pyspark_answers(card, answers, config, explain=False)`, `service(config)` (the
`SparkService`: `start()`, `ready`, `status_text`, `on_status()`, `stop()`), `prewarm(config)` and
`pyspark_card_near(queue, position)` for the review screen.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from prepdeck.checkers import PREWARM_LOOKAHEAD
from prepdeck.checkers.spark.judge import (
    SparkCardProblem,
    check_pyspark_answers,
    clear_expected_cache,
    prewarm,
    service,
)
from prepdeck.checkers.spark.service import SparkService, SparkUnavailable, stop_all


def pyspark_card_near(queue: Sequence[Any], position: int = 0, lookahead: int = PREWARM_LOOKAHEAD) -> bool:
    """True when one of the cards at `position` … `position + lookahead` of the queue is a pyspark card:
    the review screen then calls `prewarm(config)` in a worker."""
    return any(
        getattr(card, "type", None) == "pyspark" for card in queue[position : position + lookahead + 1]
    )


__all__ = [
    "PREWARM_LOOKAHEAD",
    "SparkCardProblem",
    "SparkService",
    "SparkUnavailable",
    "check_pyspark_answers",
    "clear_expected_cache",
    "prewarm",
    "pyspark_card_near",
    "service",
    "stop_all",
]
