"""A mock interview's round outside the screen: its evidence and its scorecard."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from prepdeck.scoring.card import Scorecard, score_round
from prepdeck.scoring.evidence import mock_evidence


def score_mock(
    round_: str, evidence: dict[str, Any], self_scores: Mapping[str, float | None] | None = None
) -> Scorecard:
    """The rubric of `round_` filled from a mock's stored evidence, with the user's points per line."""
    return score_round(round_, mock_evidence(round_, evidence), self_scores or {})
