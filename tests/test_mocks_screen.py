"""The mock screen in the real app through Pilot, the timer driven by the app's fake clock: the SQL round
judged on DuckDB and scored with a self-score; quitting midway (Escape twice, Ctrl+C) keeps an unfinished
row with the phases so far; the design wrap-up; a full mock's break; no cards; `prepdeck mock`."""

from __future__ import annotations

import json
import sqlite3
from contextlib import asynccontextmanager
from pathlib import Path

from mock_decks import write_mock_decks
from textual.widgets import Input, TextArea
from tui_support import Clock, make_context, pilot_test, settle, use_utc

from prepdeck.core.paths import database_path
from prepdeck.tui.app import PrepdeckApp
from prepdeck.tui.screens.home import HomeScreen
from prepdeck.tui.screens.mock import DiscussionPane, MockScreen, ScoringPane


def _context(tmp_path: Path, monkeypatch, config: str | None = None, **decks: bool):
    use_utc(monkeypatch)
    folder = write_mock_decks(tmp_path / "decks", **decks)
    if config is not None:
        (tmp_path / "home").mkdir()
        (tmp_path / "home" / "config.toml").write_text(config, encoding="utf-8")
    return make_context(tmp_path / "home", folder)


def _mocks(home: Path) -> list[dict]:
    conn = sqlite3.connect(database_path(home))
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute("SELECT * FROM mocks ORDER BY id")]
    finally:
        conn.close()


def _text(widget) -> str:
    return str(widget.render())


async def _step(pilot) -> None:
    """Let the screen mount what the last key changed (views and panes compose a frame later)."""
    await settle(pilot)
    for _ in range(4):
        await pilot.pause()


async def _open(pilot, round_: str | None = None) -> MockScreen:
    await settle(pilot)
    if round_ is None:
        await pilot.press("m")
    else:
        pilot.app.push_screen(MockScreen(round_, seed=1))
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, MockScreen)
    for _ in range(5):  # the round starts after the first refresh; its view composes a frame later
        await pilot.pause()
    return screen


@asynccontextmanager
async def _in_mock(ctx, round_: str | None = None, *, size=(120, 50), clock: Clock | None = None):
    """The real app on `ctx` at `size`, the mock screen open (`_open`): (pilot, mock screen)."""
    app = PrepdeckApp(ctx, clock=clock or Clock())
    async with app.run_test(size=size) as pilot:
        yield pilot, await _open(pilot, round_)


@pilot_test
async def test_sql_mock_judged_timed_and_scored_with_a_self_score(tmp_path, monkeypatch):
    ctx = _context(tmp_path, monkeypatch)
    clock = Clock()
    async with _in_mock(ctx, clock=clock) as (pilot, screen):
        assert screen.state == "pick"
        await pilot.press("enter")  # the first round in the list: SQL
        await settle(pilot)
        assert screen.state == "running"
        card = screen.current_plan.cards[0]
        assert "coding  30:00 left" in _text(screen.query_one("#mock-timer"))
        row = _mocks(ctx.home)[0]
        assert (
            row["round"] == "sql" and row["finished"] == 0 and json.loads(row["cards"])[0] == card.global_id
        )

        # write the reference answer and judge it on DuckDB (Ctrl+R in the code view)
        view = next(w for k, w in screen.views.items() if k.startswith("code:"))
        await pilot.press("e")
        view.query_one("#editor", TextArea).load_text(card.solution)
        clock.advance(minutes=12)
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert view.passed
        await pilot.press("escape")  # leaves the editor; the mock goes on
        assert screen.state == "running" and not screen._quit_armed

        clock.advance(minutes=20)  # 32 minutes into a 30-minute phase
        screen.tick()
        assert "+2:00 over" in _text(screen.query_one("#mock-timer"))
        await pilot.press("n")
        await _step(pilot)
        assert "optimization" in _text(screen.query_one("#mock-phase"))
        phases = json.loads(_mocks(ctx.home)[0]["phases"])
        assert (phases[0]["name"], phases[0]["used_s"], phases[0]["overrun_s"], phases[0]["ended"]) == (
            "coding",
            1920.0,
            120.0,
            True,
        )

        pane = next(w for w in screen.views.values() if isinstance(w, DiscussionPane))
        pane.query_one("#answer-0", TextArea).load_text(
            "Partition by day, cluster by order_id, check EXPLAIN for the bytes scanned and keep a "
            "materialized view of the latest status"
        )
        clock.advance(minutes=10)
        await pilot.press("p")  # pause…
        assert screen.session.timer.paused and "PAUSED" in _text(screen.query_one("#mock-timer"))
        clock.advance(minutes=30)
        await pilot.press("p")  # …and resume: the 30 paused minutes do not count
        await pilot.press("n")  # the last phase: the rubric
        await _step(pilot)
        assert screen.state == "scoring"
        scoring = screen.query_one(ScoringPane)
        by_key = {ln.key: ln for ln in scoring.card.lines}
        # the reference passed every case, hidden included, 12 minutes into the coding phase
        assert by_key["correctness"].auto == 16.0
        assert by_key["advanced_sql"].auto == 8.0
        assert by_key["optimization"].auto == 8.0
        assert by_key["clarity_scale"].auto == 5.3  # mean of in time (1) and 1 of 3 follow-ups answered

        row = _mocks(ctx.home)[0]
        assert row["finished"] == 1 and row["total"] == 37.3 and row["max_total"] == 40
        phases = json.loads(row["phases"])
        assert [(p["name"], p["used_s"], p["paused_s"]) for p in phases] == [
            ("coding", 1920.0, 0.0),
            ("optimization", 600.0, 1800.0),
        ]

        # a self-score replaces the automatic one; a bad one says why and counts as blank
        box = scoring.query_one("#self-correctness", Input)
        box.focus()
        await pilot.press("1", "0")
        await settle(pilot)
        row = _mocks(ctx.home)[0]
        scores = json.loads(row["scores"])
        assert scores["correctness"]["self"] == 10.0 and scores["correctness"]["source"] == "self"
        assert row["total"] == 31.3
        assert "pass line 28" in _text(scoring.query_one("#score-total"))
        box.value = "99"
        await settle(pilot)
        assert "outside 0–16" in _text(scoring.query_one("#final-correctness"))
        assert _mocks(ctx.home)[0]["total"] == 37.3

        # the judge runs of the mock are linked to it
        conn = sqlite3.connect(database_path(ctx.home))
        assert conn.execute("SELECT count(*), min(mock_id) FROM attempts").fetchone() == (1, row["id"])
        conn.close()

        await pilot.press("escape")  # out of the box
        await pilot.press("escape")  # home: the scored mock stays finished
        await settle(pilot)
        assert isinstance(pilot.app.screen, HomeScreen)
        assert _mocks(ctx.home)[0]["finished"] == 1


@pilot_test
async def test_quitting_a_design_mock_midway_keeps_an_unfinished_row(tmp_path, monkeypatch):
    ctx = _context(tmp_path, monkeypatch)
    clock = Clock()
    async with _in_mock(ctx, "design", clock=clock) as (pilot, screen):
        assert screen.current_plan.cards[0].global_id == "mock-design/clickstream"
        view = next(iter(screen.views.values()))
        view.query_one("#number-0", Input).value = "11.6k"
        clock.advance(minutes=12)
        screen.tick()
        assert "+2:00 over" in _text(screen.query_one("#mock-timer"))
        await pilot.press("n")
        await _step(pilot)
        assert next(iter(screen.views.values())) is view  # one design view across the phases
        clock.advance(minutes=5)
        await pilot.press("p")
        clock.advance(minutes=10)
        await pilot.press("escape")
        assert screen._quit_armed and isinstance(pilot.app.screen, MockScreen)  # asks first
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(pilot.app.screen, HomeScreen)

    (row,) = _mocks(ctx.home)
    assert row["round"] == "design" and row["finished"] == 0 and row["ended_at"] is not None
    assert row["total"] is None
    phases = json.loads(row["phases"])
    assert [(p["name"], p["used_s"], p["paused_s"], p["overrun_s"], p["ended"]) for p in phases] == [
        ("clarify", 720.0, 0.0, 120.0, True),
        ("design", 300.0, 600.0, 0.0, True),
    ]
    evidence = json.loads(row["evidence"])
    assert evidence["design"]["numbers"][0]["correct"] is True


@pilot_test
async def test_ctrl_c_in_a_behavioral_mock_keeps_the_phases_so_far(tmp_path, monkeypatch):
    ctx = _context(tmp_path, monkeypatch)
    clock = Clock()
    async with _in_mock(ctx, "behavioral", clock=clock) as (pilot, screen):
        assert len(screen.session.phases) == 4
        clock.advance(minutes=11)
        await pilot.press("n")
        await _step(pilot)
        clock.advance(minutes=3)
        screen.set_focus(None)
        await pilot.press("ctrl+c")
        await settle(pilot)
    (row,) = _mocks(ctx.home)
    assert row["finished"] == 0
    phases = json.loads(row["phases"])
    assert [(p["name"], p["used_s"]) for p in phases] == [("question 1", 660.0), ("question 2", 180.0)]
    assert len(json.loads(row["evidence"])["stories"]) == 2


async def _design_round_to_scoring(pilot, screen: MockScreen, clock: Clock, view) -> None:
    """Run the design round's three phases out, tick checklist points 1, 2 and 4 at the wrap-up, score."""
    from textual.widgets import Checkbox

    for minutes in (10, 40, 10):
        clock.advance(minutes=minutes)
        await pilot.press("n")
        await _step(pilot)
    assert screen.state == "wrapup" and view.revealed
    assert _text(screen.query_one("#mock-phase")).startswith("Time. Tick")  # the time did run out
    for i in (0, 1, 3):
        view.query_one(f"#check-{i}", Checkbox).value = True
    await pilot.press("n")
    await _step(pilot)
    assert screen.state == "scoring"


@pilot_test
async def test_design_wrap_up_ticks_the_checklist_then_scores(tmp_path, monkeypatch):
    ctx = _context(tmp_path, monkeypatch)
    clock = Clock()
    async with _in_mock(ctx, "design", clock=clock) as (pilot, screen):
        view = next(iter(screen.views.values()))
        view.query_one("#number-0", Input).value = "11574"
        view.query_one("#number-1", Input).value = "2 TB"
        await _design_round_to_scoring(pilot, screen, clock, view)
        card = screen.query_one(ScoringPane).card
        assert [(ln.key, ln.auto) for ln in card.lines] == [
            ("requirements", 10.0),
            ("architecture", 18.8),
            ("capacity", 10.0),
            ("reliability", 15.0),
            ("security", 0.0),
            ("tradeoffs", 10.0),
            ("communication", None),
        ]
    (row,) = _mocks(ctx.home)
    assert row["finished"] == 1 and row["total"] == 63.8
    conn = sqlite3.connect(database_path(ctx.home))
    assert conn.execute("SELECT checklist, mock_id FROM self_checks").fetchall() == [
        ("[true, true, false, true]", row["id"])
    ]
    conn.close()


@pilot_test
async def test_r_answers_the_design_aloud_and_the_delivery_scores_communication(tmp_path, monkeypatch):
    from prepdeck.tui.components.speech_view import SpokenCardView

    ctx = _context(tmp_path, monkeypatch)
    clock = Clock()
    async with _in_mock(ctx, "design", clock=clock) as (pilot, screen):
        paper = next(iter(screen.views.values()))
        paper.query_one("#number-0", Input).value = "11574"
        assert screen.active_bindings["r"].binding.description == "Aloud"
        await pilot.press("r")
        await _step(pilot)
        view = next(iter(screen.views.values()))
        assert isinstance(view, SpokenCardView) and view is not paper and not paper.is_attached
        assert view.query_one("#number-0", Input).value == "11574"  # the typed number came along
        assert screen.focused is view  # r now records (the spoken view's own key)
        assert screen.evidence()["design"]["spoken"]["analysis"] is None  # not recorded yet
        # what a transcription leaves on the view (the spoken view's own tests run Whisper for real)
        view.result = {
            "duration_s": 420.0,
            "wpm": 145,
            "fillers": {"count": 7, "per_minute": 1.0},
            "duration": {"status": "ok"},
            "words": [{"text": "kafka"}],
        }
        await _design_round_to_scoring(pilot, screen, clock, view)
        lines = {ln.key: ln.auto for ln in screen.query_one(ScoringPane).card.lines}
        assert lines["communication"] == 10.0 and lines["requirements"] == 10.0
    (row,) = _mocks(ctx.home)
    assert json.loads(row["evidence"])["design"]["checklist"][0][1] is True


@pilot_test
async def test_full_mock_breaks_between_rounds_and_ties_rows_to_a_session(tmp_path, monkeypatch):
    ctx = _context(tmp_path, monkeypatch, design=False)
    clock = Clock()
    async with _in_mock(ctx, "full", clock=clock) as (pilot, screen):
        assert [r.round for r in screen.session.plan.rounds] == ["sql", "behavioral"]
        for _ in range(2):
            clock.advance(minutes=5)
            await pilot.press("n")
            await _step(pilot)
        assert screen.state == "scoring"
        await pilot.press("n")  # on to the break
        await settle(pilot)
        assert screen.state == "running" and screen.session.timer.current.name == "break"
        assert len(_mocks(ctx.home)) == 1  # no row for a round still on its break
        await pilot.press("n")  # skip the break
        await settle(pilot)
        assert screen.session.timer.current.name == "question 1"
    first, second = _mocks(ctx.home)
    assert (first["round"], first["finished"], second["round"], second["finished"]) == (
        "sql",
        1,
        "behavioral",
        0,
    )
    assert json.loads(first["evidence"])["session"] == first["id"]
    assert json.loads(second["evidence"])["session"] == first["id"]
    assert all(p.get("kind") != "break" for p in json.loads(second["phases"]))


@pilot_test
async def test_a_round_without_cards_says_which_deck_to_add(tmp_path, monkeypatch):
    ctx = _context(tmp_path, monkeypatch, sql=False)
    async with _in_mock(ctx) as (pilot, screen):
        await pilot.press("enter")  # SQL
        await settle(pilot)
        assert screen.state == "pick"
        assert 'no sql cards: add a deck with type = "sql" cards' in _text(screen.query_one("#mock-phase"))
        await pilot.press("down", "down", "enter")  # design works
        await settle(pilot)
        assert screen.state == "running" and screen.current_plan.round == "design"


def test_cli_mock_without_cards_exits_2_with_one_line(tmp_path, capsys, monkeypatch):
    from prepdeck.cli import main
    from prepdeck.core import paths

    # only the user's own star deck: no built-in decks (they hold cards of every round)
    monkeypatch.setattr(paths, "BUILTIN_DECKS", tmp_path / "no-builtins")
    folder = write_mock_decks(tmp_path / "decks", sql=False, design=False)
    code = main(["--home", str(tmp_path / "home"), "--decks", str(folder), "mock", "pyspark"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.strip().splitlines() == [
        'prepdeck: no pyspark cards: add a deck with type = "pyspark" cards (a function judged on Spark, '
        "see deck-format.md)"
    ]


@pilot_test
async def test_prepdeck_mock_opens_the_app_straight_into_the_round(tmp_path, monkeypatch):
    from prepdeck.tui.screens.mock import MockApp

    ctx = _context(tmp_path, monkeypatch)
    app = MockApp(ctx, "sql", clock=Clock())
    async with app.run_test(size=(120, 50)) as pilot:
        await _step(pilot)
        screen = app.screen
        assert isinstance(screen, MockScreen) and screen.state == "running"
        assert screen.current_plan.round == "sql" and "coding" in _text(screen.query_one("#mock-timer"))
        screen.set_focus(None)
        await pilot.press("q", "q")  # q twice ends it, unfinished, and returns to the shell
        await _step(pilot)
    assert app.return_value == 0
    assert _mocks(ctx.home)[0]["finished"] == 0


@pilot_test
async def test_the_rubric_shows_earlier_mocks_of_the_round(tmp_path, monkeypatch):
    from prepdeck.mocks import store as mock_store

    ctx = _context(tmp_path, monkeypatch)
    store = ctx.store()
    old = mock_store.create_mock(store, "sql", [], [], started_at="2026-11-10T10:00:00.000000+00:00")
    mock_store.save_scores(store, old, phases=[], evidence={}, scores={}, total=30.0, max_total=40)
    mock_store.create_mock(store, "sql", [], [], started_at="2026-11-12T10:00:00.000000+00:00")  # quit midway
    mock_store.create_mock(store, "design", [], [], started_at="2026-11-13T10:00:00.000000+00:00")
    clock = Clock()
    async with _in_mock(ctx, "sql", clock=clock) as (pilot, screen):
        for _ in range(2):
            clock.advance(minutes=1)
            await pilot.press("n")
            await _step(pilot)
        earlier = _text(screen.query_one("#scoring-earlier"))
    lines = earlier.splitlines()
    assert lines[0] == "Earlier SQL mocks" and "pass line 28/40" in lines[1]
    assert lines[2:] == ["2026-11-12  unfinished", "2026-11-10  30/40  pass"]


@pilot_test
async def test_the_round_picker_offers_no_edit_key(tmp_path, monkeypatch):
    # the picker has nothing to type into: "e Edit" in its footer did nothing at all
    async with _in_mock(_context(tmp_path, monkeypatch), size=(80, 24)) as (pilot, screen):
        assert screen.state == "pick" and not screen.check_action("edit", ())
        await pilot.press("enter")  # SQL
        await _step(pilot)
        assert screen.state == "running" and screen.check_action("edit", ())


@pilot_test
async def test_leaving_the_round_picker_before_any_round_is_quiet(tmp_path, monkeypatch):
    # Escape on the picker, or quitting the app there, unmounts a mock that never started: that crashed
    # the app (the evidence of a round that has no plan)
    async with _in_mock(_context(tmp_path, monkeypatch), size=(80, 24)) as (pilot, screen):
        assert screen.state == "pick"
        await pilot.press("escape")
        await _step(pilot)
        await _open(pilot)
        await pilot.press("ctrl+q")
        await _step(pilot)
    assert pilot.app.return_code in (0, None)
    assert _mocks(pilot.app.context.home) == []


@pilot_test
async def test_the_palette_does_not_stack_a_second_mock_on_a_running_one(tmp_path, monkeypatch):
    # "Mock interview" from Ctrl+P inside a mock pushed a second mock, two clocks running
    async with _in_mock(_context(tmp_path, monkeypatch), size=(80, 24)) as (pilot, screen):
        await pilot.press("enter")  # SQL
        await _step(pilot)
        pilot.app.action_mock()
        await _step(pilot)
        assert pilot.app.screen is screen
        assert sum(isinstance(s, MockScreen) for s in pilot.app.screen_stack) == 1


@pilot_test
async def test_ending_the_phases_early_says_so_instead_of_time(tmp_path, monkeypatch):
    # n through every phase said "Time." and "Time: the System design round is over." though time was left
    ctx = _context(tmp_path, monkeypatch)
    clock = Clock()
    async with _in_mock(ctx, "design", clock=clock) as (pilot, screen):
        for _ in range(3):
            clock.advance(minutes=1)
            await pilot.press("n")
            await _step(pilot)
        assert screen.state == "wrapup"
        messages = [n.message for n in pilot.app._notifications]
        assert "System design round ended early: 3:00 of 1:00:00 used." in messages
        assert not any("round is over" in m for m in messages)
        phase_line = _text(screen.query_one("#mock-phase"))
        assert phase_line.startswith("Round ended. Tick what your design covered")


@pilot_test
async def test_the_design_hint_in_a_mock_names_the_mock_keys_and_they_do_what_it_says(tmp_path, monkeypatch):
    # the hint said "then Space", the review's reveal key: a mock has no reveal (Space did nothing there);
    # the answer shows when the round's last phase ends, on the mock's next-phase key, remapped here
    ctx = _context(tmp_path, monkeypatch, config='[keys]\nmock_next = "j"\nmock_pause = "k"\n')
    async with _in_mock(ctx, "design") as (pilot, screen):
        view = next(iter(screen.views.values()))
        hint = _text(view.query_one(".hint"))
        assert "Space" not in hint
        assert "then the model answer shows when the round ends (j: next phase); or r to answer" in hint
        await pilot.press("space")
        await _step(pilot)
        assert not view.revealed and screen.session.phase.name == "clarify"
        await pilot.press("k")
        assert "PAUSED (k resumes)" in _text(screen.query_one("#mock-timer"))
        await pilot.press("k")
        for phase in ("design", "trade-offs"):
            await pilot.press("j")
            await _step(pilot)
            assert screen.session.phase.name == phase and not view.revealed
        await pilot.press("j")
        await _step(pilot)
        assert screen.state == "wrapup" and view.revealed
        assert _text(screen.query_one("#mock-phase")).endswith("capacity numbers; j shows the rubric.")
        await pilot.press("j")
        await _step(pilot)
        assert screen.state == "scoring"


@pilot_test
async def test_the_code_hint_in_a_mock_names_the_mock_keys_not_reveal_and_rate(tmp_path, monkeypatch):
    # the SQL view said "Esc leaves the editor, then Space reveals and 1–4 rate" in a mock, which has neither
    ctx = _context(tmp_path, monkeypatch, config='[keys]\nmock_next = "j"\nmock_leave = "f4"\n')
    async with _in_mock(ctx, "sql") as (pilot, screen):
        view = next(w for k, w in screen.views.items() if k.startswith("code:"))
        hint = _text(view.query_one(".code-hint"))
        assert hint.endswith("F4 leaves the editor, then j: next phase")
        assert "Space" not in hint and "rate" not in hint
        await pilot.press("e")
        assert isinstance(screen.focused, TextArea)
        await pilot.press("f4")
        assert screen.focused is None and not screen._quit_armed  # out of the editor, the mock goes on
        await pilot.press("j")
        await _step(pilot)
        assert screen.session.phase.kind == "discussion"


@pilot_test
async def test_y_in_a_mock_asks_before_a_story_replaces_the_notes_typed(tmp_path, monkeypatch):
    # a mock has no undo: y put a story over the notes typed in the round, and they were gone
    from prepdeck.core.stories import save_story
    from prepdeck.tui.components.speech_view import SpokenCardView

    ctx = _context(tmp_path, monkeypatch)
    save_story(ctx.store(), "Retry storm", {"situation": "Retries took the API down."}, ["failure"])
    async with _in_mock(ctx, "behavioral") as (pilot, screen):
        view = next(w for w in screen.views.values() if isinstance(w, SpokenCardView))
        # out of a field the mock's keys go to the screen: y reaches the card only once it is clicked, so the
        # hint does not offer it there
        assert "story" not in _text(view.query_one("#speech-help"))
        await pilot.press("e", *"my own notes", "escape")
        await _step(pilot)
        situation = view.query_one("#note-situation")
        assert situation.value == "my own notes"
        view.focus()
        await pilot.press("y")
        await _step(pilot)
        assert screen.app.screen is screen and situation.value == "my own notes"
        assert "y again replaces the notes you typed" in _text(view.query_one("#speech-status"))
        await pilot.press("y")  # asked twice: the picker, and the story goes in
        await _step(pilot)
        await pilot.press("enter")
        await _step(pilot)
        assert situation.value == "Retries took the API down."
