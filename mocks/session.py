"""One mock interview outside the screen (as tui/screens/review.py's `Session` is for reviews): its state
machine (pick → running → wrapup → scoring → done, round after round), the phase timer, the evidence the
card views report, the `mocks` rows, and the scorecard through scoring/ (`score_round`).

The screen shows what this says and forwards the user's keys; nothing here knows a widget. The monotonic
clock and the wall clock are given, never guessed, so a test drives a 45-minute round in microseconds.

Evidence (JSON, stored in `mocks.evidence`; `scoring.evidence.mock_evidence` reads it back):
    code:        {card, runs, passed, gave_up, final_answer, dialect, reference, function, error,
                  cases: [{name, hidden, passed}], within_time, attempt_ids}
    discussion:  [{title, card, answer}]                       written answers to the follow-ups
    design:      {card, checklist: [[text, ticked]], numbers: [{question, expected, answer, correct}],
                  spoken: {card, recording_id, analysis, target}, self_check_id}     spoken: answered aloud
    stories:     [{card, recording_id, analysis, target}]      analysis: the speech analysis JSON
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any, Literal

from prepdeck.core.store import Store, to_iso
from prepdeck.mocks import store as mock_store
from prepdeck.mocks.plan import MockPlan, PlannedPhase, RoundPlan
from prepdeck.mocks.timer import Announcement, Monotonic, PhaseTimer
from prepdeck.scoring.card import Scorecard, score_round
from prepdeck.scoring.evidence import (
    AnswerEvidence,
    CodeAnswer,
    DesignAnswer,
    SpokenAnswer,
    code_evidence,
    mock_evidence,
)

SAVE_EVERY_S = 10.0  # clock seconds between progress writes while a phase runs

State = Literal["pick", "running", "wrapup", "scoring", "done"]


def score_mock(
    round_: str, evidence: dict[str, Any], self_scores: Mapping[str, float | None] | None = None
) -> Scorecard:
    """The rubric of `round_` filled from a mock's stored evidence, with the user's points per line."""
    return score_round(round_, mock_evidence(round_, evidence), self_scores or {})


def phase_key(phase: PlannedPhase) -> str:
    """One view per key for the round: the design phases share one card's view, a story has its own."""
    if phase.kind in ("code", "design", "story"):
        return f"{phase.kind}:{phase.card_id}"
    return f"{phase.kind}:{phase.name}"


class MockSession:
    """A mock interview's rounds, phases, evidence and scores. `store` gives the store (it may raise
    StoreError, which the caller shows); `monotonic` drives the timer; `now` stamps the rows."""

    def __init__(self, store: Callable[[], Store], monotonic: Monotonic, now: Callable[[], dt.datetime]):
        self._store = store
        self.monotonic = monotonic
        self.now = now
        self.state: State = "pick"
        self.plan: MockPlan | None = None
        self.round_index = 0
        self.timer: PhaseTimer | None = None
        self.phases: list[PlannedPhase] = []  # of the current round (a leading break included)
        self.mock_id: int | None = None  # the current round's `mocks` row
        self.mock_ids: list[int] = []
        self.full_id: int | None = None  # a full mock: its first round's row ties the rounds together
        self.scorecards: list[Scorecard] = []
        self.evidence: dict[str, Any] = {}  # the current round's, as scored
        self.last_saved = 0.0
        self._solved_in_time: bool | None = None

    # -- the round and its phases -----------------------------------------------------------------
    @property
    def current_plan(self) -> RoundPlan:
        assert self.plan is not None
        return self.plan.rounds[self.round_index]

    @property
    def phase(self) -> PlannedPhase | None:
        if self.timer is None or not 0 <= self.timer.index < len(self.phases):
            return None
        return self.phases[self.timer.index]

    @property
    def more_rounds(self) -> bool:
        return self.plan is not None and self.round_index + 1 < len(self.plan.rounds)

    def begin(self, plan: MockPlan) -> None:
        self.plan = plan
        self.state = "running"
        self.start_round(0)

    def start_round(self, index: int) -> None:
        assert self.plan is not None
        self.round_index = index
        round_ = self.plan.rounds[index].round
        self.phases = [p for p in self.plan.phases if p.round == round_]
        self.mock_id = None
        self.evidence = {}
        self._solved_in_time = None
        self.state = "running"
        self.timer = PhaseTimer(
            [
                (p.name, p.seconds, {"kind": p.kind, **({"card": p.card_id} if p.card_id else {})})
                for p in self.phases
            ],
            clock=self.monotonic,
        )
        self.timer.start()

    def ensure_row(self) -> bool:
        """The round's `mocks` row, created when its first real phase starts (not during a break). True
        when it is a full mock's first row, whose id the evidence then carries (save progress to store it)."""
        phase = self.phase
        if self.mock_id is not None or phase is None or phase.kind == "break":
            return False
        plan = self.current_plan
        self.mock_id = mock_store.create_mock(
            self._store(),
            plan.round,
            plan.card_ids,
            self.phases_json(),
            started_at=to_iso(self.now()),
            evidence={"session": self.full_id} if self.full_id else {},
        )
        self.mock_ids.append(self.mock_id)
        if self.plan is not None and self.plan.round == "full" and self.full_id is None:
            self.full_id = self.mock_id
            return True
        return False

    def tick(self) -> tuple[list[Announcement], bool]:
        """The timer's news since the last tick, and whether progress is due to be saved."""
        if self.timer is None or self.state != "running":
            return [], False
        notes = [n for n in self.timer.tick() if n.kind != "start"]  # starts are announced by advance()
        return notes, self.monotonic() - self.last_saved >= SAVE_EVERY_S

    def advance(self) -> PlannedPhase | None:
        """On to the next phase; None when the round's phases are over."""
        assert self.timer is not None
        following = self.timer.next()
        return None if following is None else self.phases[following]

    def toggle_pause(self) -> bool:
        assert self.timer is not None
        return self.timer.toggle_pause()

    def note_code(self, answer: CodeAnswer | None) -> None:
        """Remember whether the code passed inside its coding phase (the first time it passes)."""
        if self._solved_in_time is not None or self.timer is None or answer is None or not answer.passed:
            return
        current = self.timer.current
        in_code_phase = current is not None and current.meta.get("kind") == "code"
        self._solved_in_time = in_code_phase and self.timer.remaining() >= 0

    # -- evidence ---------------------------------------------------------------------------------
    def record(
        self, answers: Mapping[str, AnswerEvidence | None], discussion: list[dict[str, Any]] | None
    ) -> dict[str, Any]:
        """The round's evidence JSON from each phase's answer (by phase key) and the written follow-ups."""
        ev: dict[str, Any] = {"round": self.current_plan.round}
        if self.full_id:
            ev["session"] = self.full_id
        stories: list[dict[str, Any]] = []
        for key, answer in answers.items():
            if isinstance(answer, CodeAnswer):
                within = self._solved_in_time if answer.passed else False
                ev["code"] = code_evidence(answer, within_time=within)
            elif isinstance(answer, DesignAnswer):
                ev["design"] = answer.to_json()
            elif isinstance(answer, SpokenAnswer) and key.startswith("story:"):
                stories.append(answer.to_json())
        if discussion is not None:
            ev["discussion"] = discussion
        if stories:
            ev["stories"] = stories
        return ev

    def phases_json(self) -> list[dict[str, Any]]:
        if self.timer is None:
            return []
        return [p for p in self.timer.to_json() if p.get("kind") != "break"]

    def save_progress(self, evidence: dict[str, Any], *, ended: bool = False) -> None:
        self.last_saved = self.monotonic()
        if self.mock_id is None:
            return
        store = self._store()
        mock_store.save_progress(
            store,
            self.mock_id,
            phases=self.phases_json(),
            evidence=evidence,
            ended_at=to_iso(self.now()) if ended else None,
        )
        self._link(evidence)

    def _link(self, evidence: dict[str, Any]) -> None:
        if self.mock_id is None:
            return
        attempts = list((evidence.get("code") or {}).get("attempt_ids") or [])
        spoken = [*(evidence.get("stories") or []), (evidence.get("design") or {}).get("spoken") or {}]
        recordings = [s["recording_id"] for s in spoken if s.get("recording_id")]
        mock_store.link_evidence(self._store(), self.mock_id, attempts=attempts, recordings=recordings)

    def end_unfinished(self, evidence: dict[str, Any]) -> bool:
        """Quit midway: stop the clock and keep what was done as an unfinished mock. False: nothing running."""
        if self.state not in ("running", "wrapup") or self.timer is None:
            return False
        self.timer.finish()
        self.state = "done"
        self.save_progress(evidence, ended=True)
        return True

    # -- scoring ----------------------------------------------------------------------------------
    def wrap_up(self) -> None:
        """The phases are over and the design's checklist is to be ticked before scoring."""
        self.state = "wrapup"

    def score(self, evidence: dict[str, Any], design: DesignAnswer | None) -> Scorecard:
        """Close the round and score it; a design's ticks and numbers are stored as the mock's self-check."""
        if self.timer is not None and not self.timer.done:
            self.timer.finish()
        self.state = "scoring"
        if design is not None and self.mock_id is not None and (design.checklist or design.numbers):
            evidence["design"]["self_check_id"] = self._store().add_self_check(
                design.card_id,
                [ticked for _, ticked in design.checklist],
                [{k: n[k] for k in ("answer", "value", "correct") if k in n} for n in design.numbers],
                mock_id=self.mock_id,
            )
        self.evidence = evidence
        return self.rescore({})

    def refresh_evidence(self, evidence: dict[str, Any]) -> None:
        """A judge run or a transcription finished after scoring began: its code and stories count."""
        self.evidence = {**self.evidence, **{k: v for k, v in evidence.items() if k in ("code", "stories")}}

    def rescore(self, self_scores: Mapping[str, float | None]) -> Scorecard:
        card = score_mock(self.current_plan.round, self.evidence, self_scores)
        self.scorecards = [c for c in self.scorecards if c.round != card.round] + [card]
        return card

    def store_scores(self, card: Scorecard) -> None:
        if self.mock_id is None:
            return
        mock_store.save_scores(
            self._store(),
            self.mock_id,
            phases=self.phases_json(),
            evidence=self.evidence,
            scores=card.scores_json(),
            total=card.total,
            max_total=card.max_total,
            ended_at=to_iso(self.now()),
        )
        self._link(self.evidence)

    def earlier(self, limit: int = 8) -> list[mock_store.MockRow]:
        return mock_store.list_mocks(
            self._store(), self.current_plan.round, limit=limit, exclude=self.mock_id
        )

    def next_round(self) -> bool:
        if not self.more_rounds:
            return False
        self.start_round(self.round_index + 1)
        return True
