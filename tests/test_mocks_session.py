"""The mock's state machine without a screen: phases on an injected clock, the views' typed answers turned
into the stored evidence, rows written, and the scorecard the same as scoring/ gives for that evidence."""

from __future__ import annotations

import json
import sqlite3

from mock_decks import write_mock_decks
from tui_support import NOW, make_context

from prepdeck.core.paths import database_path
from prepdeck.mocks import store as mock_store
from prepdeck.mocks.plan import plan_mock
from prepdeck.mocks.session import MockSession
from prepdeck.recordings.analysis import analyze
from prepdeck.scoring.card import score_round
from prepdeck.scoring.evidence import SpokenAnswer, mock_evidence

STORY = (
    "At my last job our nightly Spark pipeline kept failing. I was asked to fix it before the audit. "
    "I rewrote the join, I partitioned the table and I added a watermark for late data. "
    "As a result the runtime dropped by 40% and we saved 3000 dollars a month. "
    "I learned to test with production volumes."
)


class Ticks:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def test_a_behavioral_round_from_phases_to_stored_scores(tmp_path) -> None:
    ctx = make_context(tmp_path / "home", write_mock_decks(tmp_path / "decks", sql=False, design=False))
    store = ctx.store()
    plan = plan_mock("behavioral", ctx.decks(), mock_store.last_seen(store), seed=1)
    clock = Ticks()
    session = MockSession(ctx.store, clock, lambda: NOW)
    assert session.state == "pick"
    session.begin(plan)
    assert session.state == "running" and session.ensure_row() is False and session.mock_id is not None

    clock.t += 200  # the first question runs over nothing yet; the clock alone moves the timer
    _notes, save_due = session.tick()
    assert save_due and session.timer is not None and session.timer.records[0].used_s == 200.0

    story = plan.rounds[0].cards[0]
    words = [{"text": w, "start": i * 0.4, "end": i * 0.4 + 0.3} for i, w in enumerate(STORY.split())]
    answer = SpokenAnswer(story.global_id, analyze(words, 30.0, (10, 60)), None, (10, 60))
    evidence = session.record({f"story:{story.global_id}": answer}, None)
    assert evidence["round"] == "behavioral" and evidence["stories"][0]["analysis"]["kind"] == "star"

    while session.advance() is not None:
        pass
    card = session.score(evidence, None)
    assert session.state == "scoring"
    same = score_round("behavioral", mock_evidence("behavioral", evidence), {})
    assert [(ln.key, ln.auto) for ln in card.lines] == [(ln.key, ln.auto) for ln in same.lines]
    assert card.line("star").auto == 12.0

    own = session.rescore({"depth": 5})
    assert own.line("depth").final == 5 and own.total == round(card.total - card.line("depth").final + 5, 1)
    session.store_scores(own)
    conn = sqlite3.connect(database_path(ctx.home))
    total, scores = conn.execute("SELECT total, scores FROM mocks").fetchone()
    conn.close()
    assert total == own.total and json.loads(scores)["depth"]["source"] == "self"
    assert session.next_round() is False  # one round only
    ctx.close()
