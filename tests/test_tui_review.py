"""The review screen through the real app: reveal, rate, undo, suspend, editors, the summary."""

from __future__ import annotations

import json

from tui_support import Clock, new_context, open_review, pilot_test, review_rows, reviewing, settle

from prepdeck.core.paths import database_path
from prepdeck.tui.screens.review import ReviewScreen


@pilot_test
async def test_reveal_then_rate_commits_before_next_card(tmp_path, monkeypatch):
    ctx = new_context(tmp_path, monkeypatch, design=False)
    db = database_path(ctx.home)
    async with reviewing(ctx) as (pilot, screen):
        first = screen.card
        assert first is not None
        answer = screen.query_one("#answer")
        assert answer.has_class("hidden")
        await pilot.press("space")
        assert not answer.has_class("hidden")
        labels = [str(b.label) for b in screen.query(".rate")]
        assert labels[2].startswith("3 Good · ") and all("·" in label for label in labels)

        # what the database holds at the moment the next card is put on screen
        seen_at_show: list[list[tuple]] = []
        original = screen.show_card

        async def spy(card):
            seen_at_show.append(review_rows(db))
            await original(card)

        screen.show_card = spy  # type: ignore[method-assign]
        await pilot.press("3")
        await pilot.pause()
        assert screen.card is not None and screen.card.global_id != first.global_id
        assert seen_at_show and seen_at_show[0][-1][:2] == (first.global_id, 3)
    ctx.close()


@pilot_test
async def test_rating_before_reveal_records_nothing(tmp_path, monkeypatch):
    ctx = new_context(tmp_path, monkeypatch, design=False)
    async with reviewing(ctx) as (pilot, screen):
        card = screen.card
        await pilot.press("3")
        await pilot.pause()
        assert screen.card is card
        assert review_rows(database_path(ctx.home)) == []
    ctx.close()


@pilot_test
async def test_undo_goes_back_to_the_card_and_restores_it(tmp_path, monkeypatch):
    ctx = new_context(tmp_path, monkeypatch, design=False)
    async with reviewing(ctx) as (pilot, screen):
        first = screen.card
        assert first is not None
        await pilot.press("space", "4")
        await pilot.pause()
        assert screen.card is not first
        assert ctx.store().db.execute("SELECT count(*) FROM card_state").fetchone()[0] == 1
        await pilot.press("u")
        await pilot.pause()
        assert screen.card is first
        assert not screen.view.revealed
        assert review_rows(database_path(ctx.home)) == []
        assert ctx.store().db.execute("SELECT count(*) FROM card_state").fetchone()[0] == 0
        await pilot.press("u")  # nothing left to undo in this session: harmless
        await pilot.pause()
        assert screen.card is first
    ctx.close()


@pilot_test
async def test_suspend_skips_the_card_and_stores_it(tmp_path, monkeypatch):
    ctx = new_context(tmp_path, monkeypatch, design=False)
    async with reviewing(ctx) as (pilot, screen):
        first = screen.card
        assert first is not None
        await pilot.press("s")
        await pilot.pause()
        assert screen.card is not None and screen.card.global_id != first.global_id
        assert ctx.store().suspended() == {first.global_id: "user"}
        assert all(c.global_id != first.global_id for c in screen.session.pending)
    ctx.close()


@pilot_test
async def test_session_ends_with_a_summary_and_every_review_kept(tmp_path, monkeypatch):
    ctx = new_context(tmp_path, monkeypatch, design=False)
    async with reviewing(ctx) as (pilot, screen):
        rated = []
        while screen.card is not None:
            rated.append(screen.card.global_id)
            await pilot.press("space", "4")  # Easy: straight to review, out of today's session
            await pilot.pause()
        summary = screen.query_one("#summary")
        text = str(summary.render())
        assert "Session done" in text and "3 reviews" in text and "Easy 3" in text
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(pilot.app.screen, ReviewScreen)
    assert [r[0] for r in review_rows(database_path(ctx.home))] == rated
    ctx.close()


@pilot_test
async def test_again_brings_the_card_back_in_the_same_session(tmp_path, monkeypatch):
    ctx = new_context(tmp_path, monkeypatch, design=False)
    clock = Clock()
    async with reviewing(ctx, clock=clock) as (pilot, screen):
        first = screen.card
        await pilot.press("space", "1")
        await pilot.pause()
        seen = []
        while screen.card is not None and screen.card is not first:
            seen.append(screen.card)
            await pilot.press("space", "4")
            await pilot.pause()
        assert screen.card is first  # shown again once the others are done (learn-ahead)
    ctx.close()


@pilot_test
async def test_design_card_checklist_numbers_and_suggestion(tmp_path, monkeypatch):
    ctx = new_context(tmp_path, monkeypatch)
    async with reviewing(ctx, "design-basics") as (pilot, screen):
        # digits typed into a number field do not rate; Escape leaves the field, then digits rate
        await pilot.press("e")
        await pilot.press("1", "2", "0", "0", "0")
        await pilot.press("escape")
        assert review_rows(database_path(ctx.home)) == []
        assert screen.focused is None
        await pilot.press("space")
        await pilot.pause()
        view = screen.view
        assert view is not None
        # 12000 is within 10 % of 11574; the second number is left empty
        assert [v.correct for v in view.verdicts()] == [True, False]
        view.query_one("#check-0").value = True
        view.query_one("#check-1").value = True
        view.query_one("#check-2").value = True
        await pilot.pause()
        assert screen.suggested == 2  # 4 of 5 points covered (80 %) suggests Hard, highlighted
        assert screen.query_one("#rate-2").has_class("suggested")
        view.query_one("#number-1").value = "500 GB"
        await pilot.pause()
        assert screen.suggested == 3  # everything covered: Good
        assert not screen.query_one("#rate-2").has_class("suggested")
        await pilot.press("enter")  # accept the suggestion
        await pilot.pause()
    rows = review_rows(database_path(ctx.home))
    assert [r[1] for r in rows] == [3]
    payload = json.loads(rows[0][2])
    assert payload["self_check"]["checklist"] == [True, True, True]
    assert payload["self_check"]["numbers"][0]["correct"] is True
    store = ctx.store()
    linked = store.db.execute("SELECT checklist, numbers, review_id FROM self_checks").fetchall()
    review_id = store.db.execute("SELECT id FROM reviews").fetchone()[0]
    assert len(linked) == 1 and linked[0][2] == review_id
    assert json.loads(linked[0][0]) == [True, True, True]
    ctx.close()


@pilot_test
async def test_ctrl_c_mid_session_quits_and_keeps_every_answer(tmp_path, monkeypatch):
    ctx = new_context(tmp_path, monkeypatch, design=False)
    async with reviewing(ctx) as (pilot, screen):
        answered = []
        for rating in ("3", "1"):
            answered.append((screen.card.global_id, int(rating)))
            await pilot.press("space", rating)
            await pilot.pause()
        await pilot.press("space")  # the third card is open, revealed, not rated
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert pilot.app.return_code == 0  # quitting, not the "press ctrl+q" hint
    ctx.close()
    assert [r[:2] for r in review_rows(database_path(ctx.home))] == answered


@pilot_test
async def test_a_leech_is_announced_and_suspended(tmp_path, monkeypatch):
    ctx = new_context(tmp_path, monkeypatch, design=False, config="[review]\nleech_lapses = 1\n")
    clock = Clock()
    async with reviewing(ctx, "alpha", clock=clock) as (pilot, screen):
        first = screen.card
        await pilot.press("space", "4")  # Easy: a review card, due in days
        await pilot.press("escape", "escape")
        await settle(pilot)
        clock.advance(days=60)
        screen = await open_review(pilot, "alpha")
        assert screen.card is first  # due again
        await pilot.press("space", "1")  # a lapse: with leech_lapses = 1 it is a leech
        await pilot.pause()
        assert any(n.title == "Leech" and first.title in n.message for n in pilot.app._notifications)
        assert ctx.store().suspended() == {first.global_id: "leech"}
        assert all(c.global_id != first.global_id for c in screen.session.pending)
        assert all(c.global_id != first.global_id for _, c in screen.session.learning)
    ctx.close()


@pilot_test
async def test_time_on_a_card_is_capped_by_max_answer_seconds(tmp_path, monkeypatch):
    ctx = new_context(tmp_path, monkeypatch, design=False, config="[review]\nmax_answer_seconds = 600\n")
    assert ctx.config.problems == []
    clock = Clock()
    async with reviewing(ctx, clock=clock) as (pilot, screen):
        clock.advance(hours=1)  # left open over lunch
        await pilot.press("space", "3")
        await pilot.pause()
        clock.advance(seconds=42)  # the next card, answered in 42 s
        await pilot.press("space", "3")
        await pilot.pause()
        assert [a.duration_ms for a in screen.session.answered] == [600_000, 42_000]
    stored = ctx.store().db.execute("SELECT duration_ms FROM reviews ORDER BY id").fetchall()
    assert [row[0] for row in stored] == [600_000, 42_000]
    assert pilot.app.scheduling.today(now=clock.now).minutes == round((600 + 42) / 60, 1)
    ctx.close()


def test_max_answer_seconds_defaults_to_15_minutes_and_rejects_nonsense(tmp_path, monkeypatch):
    assert new_context(tmp_path / "a", monkeypatch, design=False).config.review.max_answer_seconds == 900
    ctx = new_context(tmp_path / "b", monkeypatch, design=False, config="[review]\nmax_answer_seconds = 0\n")
    assert ctx.config.review.max_answer_seconds == 900
    assert any("max_answer_seconds = 0: must be between 1" in p for p in ctx.config.problems)


@pilot_test
async def test_undo_puts_the_card_back_in_its_count(tmp_path, monkeypatch):
    # a new card rated Good goes to "learning"; undone, it is new again in the top bar, not learning
    ctx = new_context(tmp_path, monkeypatch, design=False)
    async with reviewing(ctx, size=(100, 30)) as (pilot, screen):
        before = screen._counts()
        assert "0 learning" in before
        await pilot.press("space", "3")
        await pilot.pause()
        assert "1 learning" in screen._counts()
        await pilot.press("u")
        await pilot.pause()
        assert screen._counts() == before
    ctx.close()


@pilot_test
async def test_a_review_started_from_the_palette_replaces_the_one_on_screen(tmp_path, monkeypatch):
    # stacked, the review underneath came back showing a card the new one had already rated
    ctx = new_context(tmp_path, monkeypatch, design=False)
    async with reviewing(ctx, size=(100, 30)) as (pilot, _):
        pilot.app.start_practice("round", "sql", "sql round")
        await settle(pilot)
        pilot.app.start_review(None)
        await settle(pilot)
        assert sum(isinstance(s, ReviewScreen) for s in pilot.app.screen_stack) == 1
        assert pilot.app.screen.practice is None
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(pilot.app.screen, ReviewScreen)
    ctx.close()


@pilot_test
async def test_a_learning_card_waits_for_its_time_at_session_start_and_comes_when_due(tmp_path, monkeypatch):
    # after a restart mid-session, a card due in ten minutes was shown before the new cards left
    ctx = new_context(tmp_path, monkeypatch, design=False)
    clock = Clock()
    async with reviewing(ctx, clock=clock) as (pilot, screen):
        learning = screen.card
        await pilot.press("space", "3")  # Good on a new card: learning, back in 10 minutes
        await settle(pilot)
        assert screen.card is not None and screen.card.global_id != learning.global_id
        pilot.app.pop_screen()  # home (Esc would first leave the SQL card's editor)
        await settle(pilot)
        clock.advance(minutes=1)
        screen = await open_review(pilot)  # the session starts again
        assert screen.card.global_id != learning.global_id  # new cards first
        assert screen.session.left() >= 1
        clock.advance(minutes=10)  # now it is due: it comes next, before the new cards left
        await pilot.press("space", "4")
        await settle(pilot)
        assert screen.card.global_id == learning.global_id
        assert screen.session.pending  # new cards were still waiting
    ctx.close()
