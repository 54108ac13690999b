"""The `mocks` table: one row per round played, written as the round goes.

The row is created when the round starts and updated at every phase change (and every few seconds
while a phase runs), so quitting, Ctrl+C or a crash keeps what was done: such a row has `finished = 0`.
A `full` mock is one row per round, tied together by `evidence.session`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from prepdeck.core.store import Store, inserted_id, to_iso, utcnow


@dataclass(frozen=True)
class MockRow:
    id: int
    round: str
    started_at: str
    ended_at: str | None
    finished: bool
    phases: list[dict[str, Any]]
    cards: list[str]
    evidence: dict[str, Any]
    scores: dict[str, Any]
    total: float | None
    max_total: float | None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> MockRow:
        return cls(
            id=row["id"],
            round=row["round"],
            started_at=row["started_at"],
            ended_at=row["ended_at"],
            finished=bool(row["finished"]),
            phases=_loads(row["phases"], []),
            cards=_loads(row["cards"], []),
            evidence=_loads(row["evidence"], {}),
            scores=_loads(row["scores"], {}),
            total=row["total"],
            max_total=row["max_total"],
        )

    @property
    def passed(self) -> bool | None:
        """Against the round's pass line; None until the round is scored."""
        from prepdeck.scoring.rubrics import RUBRICS

        rubric = RUBRICS.get(self.round)
        if rubric is None or self.total is None or not self.finished:
            return None
        return self.total >= rubric.pass_score


def _loads(text: str | None, default: Any) -> Any:
    if not text:
        return default
    try:
        return json.loads(text)
    except ValueError:
        return default


def create_mock(
    store: Store,
    round_: str,
    cards: list[str],
    phases: list[dict[str, Any]],
    started_at: str | None = None,
    evidence: dict[str, Any] | None = None,
) -> int:
    with store.transaction() as c:
        cur = c.execute(
            "INSERT INTO mocks (round, started_at, finished, phases, cards, evidence) VALUES (?, ?, 0, ?, ?, ?)",
            (
                round_,
                started_at or to_iso(utcnow()),
                json.dumps(phases),
                json.dumps(cards),
                json.dumps(evidence or {}),
            ),
        )
        return inserted_id(cur)


def save_progress(
    store: Store,
    mock_id: int,
    *,
    phases: list[dict[str, Any]] | None = None,
    evidence: dict[str, Any] | None = None,
    ended_at: str | None = None,
) -> None:
    """Update what is known so far; the row stays unfinished."""
    sets: dict[str, Any] = {}
    if phases is not None:
        sets["phases"] = json.dumps(phases)
    if evidence is not None:
        sets["evidence"] = json.dumps(evidence)
    if ended_at is not None:
        sets["ended_at"] = ended_at
    if not sets:
        return
    with store.transaction() as c:
        c.execute(
            f"UPDATE mocks SET {', '.join(f'{k} = ?' for k in sets)} WHERE id = ?", (*sets.values(), mock_id)
        )


def save_scores(
    store: Store,
    mock_id: int,
    *,
    phases: list[dict[str, Any]],
    evidence: dict[str, Any],
    scores: dict[str, Any],
    total: float,
    max_total: float,
    ended_at: str | None = None,
) -> None:
    """Every phase done: the rubric filled in; the mock counts as finished."""
    with store.transaction() as c:
        c.execute(
            "UPDATE mocks SET phases = ?, evidence = ?, scores = ?, total = ?, max_total = ?, finished = 1, "
            "ended_at = COALESCE(?, ended_at, ?) WHERE id = ?",
            (
                json.dumps(phases),
                json.dumps(evidence),
                json.dumps(scores),
                total,
                max_total,
                ended_at,
                to_iso(utcnow()),
                mock_id,
            ),
        )


def link_evidence(
    store: Store,
    mock_id: int,
    *,
    attempts: Sequence[int] = (),
    recordings: Sequence[int] = (),
    self_checks: Sequence[int] = (),
) -> None:
    """Mark the judge runs, recordings and self-checks made during the mock as the mock's."""
    with store.transaction() as c:
        for table, ids in (("attempts", attempts), ("recordings", recordings), ("self_checks", self_checks)):
            for row_id in ids:
                c.execute(f"UPDATE {table} SET mock_id = ? WHERE id = ?", (mock_id, row_id))


def get_mock(store: Store, mock_id: int) -> MockRow | None:
    rows = list(store.db.query("SELECT * FROM mocks WHERE id = ?", [mock_id]))
    return MockRow.from_row(rows[0]) if rows else None


def list_mocks(
    store: Store, round_: str | None = None, limit: int | None = None, exclude: int | None = None
) -> list[MockRow]:
    """Earlier mocks, newest first (of one round when given)."""
    sql = "SELECT * FROM mocks WHERE (? IS NULL OR round = ?) AND (? IS NULL OR id != ?) ORDER BY started_at DESC, id DESC"
    params: list[Any] = [round_, round_, exclude, exclude]
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return [MockRow.from_row(r) for r in store.db.query(sql, params)]


def last_seen(store: Store) -> dict[str, str]:
    """card id -> when the user last saw it: a review, a judge run, or a mock (ISO, UTC)."""
    seen: dict[str, str] = {}

    def note(card_id: str | None, at: str | None) -> None:
        if card_id and at and at > seen.get(card_id, ""):
            seen[card_id] = at

    for card_id, at in store.db.execute("SELECT card_id, max(reviewed_at) FROM reviews GROUP BY card_id"):
        note(card_id, at)
    for card_id, at in store.db.execute("SELECT card_id, max(at) FROM attempts GROUP BY card_id"):
        note(card_id, at)
    for cards, at in store.db.execute("SELECT cards, started_at FROM mocks"):
        for card_id in _loads(cards, []):
            note(card_id, at)
    return seen
