"""What stops a check: the answer cannot run, the card cannot be judged, a run was stopped."""

from __future__ import annotations


class AnswerError(ValueError):
    """The answer cannot run at all; the message is one line a learner can act on."""


class CardProblem(ValueError):
    """The card itself cannot be judged (bad case data, a solution that fails): a deck bug."""


class Stopped(Exception):
    """A run stopped: the answer failed, the time or memory limit, or a cancel; `stop_check` ends
    the whole check (the same error would repeat on every case)."""

    def __init__(self, reason: str, stop_check: bool = True):
        super().__init__(reason)
        self.reason = reason
        self.stop_check = stop_check
