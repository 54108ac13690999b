"""The error log under $PREPDECK_HOME/logs: where a failure shown to the user in one line keeps its
traceback. Rotated at 1 MB, 3 files kept, so it can never fill the disk."""

from __future__ import annotations

import logging
import logging.handlers
import threading
import traceback
from pathlib import Path

MAX_BYTES = 1 << 20
BACKUPS = 2
_lock = threading.Lock()
_handlers: dict[Path, logging.Handler] = {}


def error_log_path(home: Path) -> Path:
    return home / "logs" / "errors.log"


def _logger(home: Path) -> logging.Logger:
    path = error_log_path(home)
    logger = logging.getLogger(f"prepdeck.errors.{path}")
    with _lock:
        if path not in _handlers:
            path.parent.mkdir(parents=True, exist_ok=True)
            handler = logging.handlers.RotatingFileHandler(
                path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
            )
            handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
            logger.addHandler(handler)
            logger.setLevel(logging.ERROR)
            logger.propagate = False  # never to the terminal the app is drawing on
            _handlers[path] = handler
    return logger


def log_exception(home: Path, what: str, exc: BaseException) -> Path | None:
    """Append `what` and the traceback of `exc`; the log's path, or None if it cannot be written
    (a read-only or full home must not turn one failure into two)."""
    text = "".join(traceback.format_exception(exc)).rstrip()
    try:
        _logger(home).error("%s\n%s", what, text)
    except OSError:
        return None
    return error_log_path(home)
