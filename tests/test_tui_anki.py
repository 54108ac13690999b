"""What an Anki user expects of the statistics, the footers and the review's top bar (issue 14)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from tui_support import NOW, Clock, at_home, new_context, pilot_test, settle

from prepdeck.cli import main
from prepdeck.reports.commands import write_report
from prepdeck.tui.app import PrepdeckApp
from prepdeck.tui.screens.review import ReviewScreen


def screen_lines(app) -> list[str]:
    """The terminal's lines as the user reads them now (every layer composited)."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def _rows(ctx, sql: str) -> list[tuple]:
    return ctx.store().db.execute(sql).fetchall()


# a single-deck review names its deck by the title the home screen shows, not by its id
@pilot_test
async def test_a_single_deck_review_shows_the_deck_title(tmp_path, monkeypatch):
    ctx = new_context(tmp_path, monkeypatch)
    async with at_home(ctx) as pilot:
        pilot.app.start_review("alpha")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ReviewScreen)
        top = screen_lines(pilot.app)[0]
        assert top.lstrip().startswith("Alpha patterns") and "alpha " not in top
    ctx.close()


def _seed_first_reviews(app, days_ago: float = 8) -> None:
    """Every alpha card answered once (Good) last week: each comes back today as a card seen before."""
    for card in app.context.decks().deck("alpha").cards:
        app.scheduling.review(card, 3, now=NOW - dt.timedelta(days=days_ago), duration_ms=10_000)


# one retention, computed by hand from the log: the session summary, the statistics (header and the
# breakdown by maturity), the report's Markdown, HTML and `report --json` all show it, labelled alike
@pilot_test
async def test_one_retention_everywhere_from_a_seeded_log(tmp_path, monkeypatch, capsys):
    ctx = new_context(tmp_path, monkeypatch, design=False)
    app = PrepdeckApp(ctx, clock=Clock())
    _seed_first_reviews(app)
    again_once = {"alpha/window-frames"}  # forgotten once, then Good like the others
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        while screen.card is not None:
            await pilot.press("space")
            await settle(pilot)
            card_id = screen.card.global_id
            await pilot.press("1" if card_id in again_once else "3")
            again_once.discard(card_id)
            await settle(pilot)
        # by hand: every answer this week is on a card seen last week; one of them Again
        logged = [r for (r,) in _rows(ctx, "SELECT rating FROM reviews WHERE reviewed_at >= '2026-11-23'")]
        assert logged.count(1) == 1 and len(logged) >= 4
        share = f"{100 * (len(logged) - 1) / len(logged):.0f}%"
        expected = f"Retention {share} (answers on cards seen before that were not Again)"
        summary = " ".join(" ".join(screen_lines(app)).split())
        assert expected in summary

        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        stats = " ".join(" ".join(screen_lines(app)).split())
        assert expected in stats
        # the breakdown over the last 30 days holds the same answers, every one on a learning card
        n = len(logged)
        assert f"Retention {share} — — {share}" in stats and f"answers counted {n} 0 0 {n}" in stats

    figures = write_report(ctx, None, None, now=NOW)
    assert figures["retention"] == round((len(logged) - 1) / len(logged), 4)
    md = Path(figures["files"]["md"]).read_text(encoding="utf-8")
    assert (
        f"| retention | {share} |" in md
        and "Retention: answers on cards seen before that were not Again" in md
    )
    assert f"By what the card was when answered: learning {share} · young — · mature —" in md
    assert figures["retention_by_maturity"]["all"]["retention"] == figures["retention"]
    html = Path(figures["files"]["html"]).read_text(encoding="utf-8")
    assert f'<div class="v">{share}</div><div class="k">retention</div>' in html
    assert "Retention: answers on cards seen before that were not Again" in html
    # the command line: `report --json` carries the same value, its summary line the same figure
    monkeypatch.setenv("PREPDECK_HOME", str(ctx.home))  # main() sets it for its children: put back after
    argv = ["--home", str(ctx.home), "--decks", str(tmp_path / "decks"), "report", "--week", "2026-W48"]
    capsys.readouterr()
    assert main([*argv, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["retention"] == figures["retention"]
    assert main(argv) == 0
    assert f"retention {share}" in capsys.readouterr().out
    ctx.close()


# Anki's line: a review card is mature from a 21-day interval on, young below it
def test_maturity_follows_anki_21_day_line():
    from prepdeck.core.retention import maturity
    from prepdeck.core.store import to_iso

    def review(days: float) -> dict:
        return {"state": 2, "last_review": to_iso(NOW), "due": to_iso(NOW + dt.timedelta(days=days))}

    assert maturity(None) == "new"
    assert maturity({"state": 1, "last_review": to_iso(NOW), "due": to_iso(NOW)}) == "learning"
    assert maturity({**review(40), "state": 3}) == "learning"  # relearning after a lapse
    assert maturity(review(20.9)) == "young"
    assert maturity(review(21)) == "mature"


# answer buttons and retention by maturity, checked against the log read by hand
def test_answer_shares_and_retention_by_maturity_match_the_log(tmp_path, monkeypatch):
    import json

    from prepdeck.core.store import from_iso
    from prepdeck.reports.collection import answers, maturity_table

    ctx = new_context(tmp_path, monkeypatch, design=False)
    app = PrepdeckApp(ctx, clock=Clock())
    cards = ctx.decks().deck("alpha").cards
    start = NOW - dt.timedelta(days=200)
    # one card answered Good whenever due (it matures), one Again every fourth time, one never reviewed
    for card, pattern in ((cards[0], [3]), (cards[1], [3, 3, 3, 1])):
        at, n = start, 0
        while at < NOW:
            app.scheduling.review(card, pattern[n % len(pattern)], now=at, duration_ms=5_000)
            n += 1
            due = from_iso(app.scheduling.state(card.global_id)["due"])
            at = max(due, at + dt.timedelta(minutes=1))

    rows = _rows(ctx, "SELECT id, card_id, rating, state_before FROM reviews ORDER BY reviewed_at, id")
    seen: set[str] = set()
    by_kind: dict[str, list[int]] = {"learning": [], "young": [], "mature": []}
    buttons: dict[str, list[int]] = {"learning": [], "review": []}
    for _, card_id, rating, before in rows:
        state = json.loads(before) if before else None
        if state and state["state"] == 2:
            days = (from_iso(state["due"]) - from_iso(state["last_review"])).total_seconds() / 86400
            kind = "mature" if days >= 21 else "young"
        else:
            kind = "learning"
        buttons["learning" if kind == "learning" else "review"].append(rating)
        if card_id in seen:
            by_kind[kind].append(rating)
        seen.add(card_id)
    assert by_kind["mature"] and by_kind["young"] and 1 in by_kind["mature"] + by_kind["young"]

    got = answers(ctx.store(), start, NOW + dt.timedelta(days=1))
    for kind, ratings in by_kind.items():
        assert got["retention"][kind]["answers"] == len(ratings)
        assert got["retention"][kind]["retention"] == round(sum(r > 1 for r in ratings) / len(ratings), 4)
    every = [r for ratings in by_kind.values() for r in ratings]
    assert got["retention"]["all"]["retention"] == round(sum(r > 1 for r in every) / len(every), 4)
    for kind, ratings in buttons.items():
        assert got["buttons"][kind]["answers"] == len(ratings)
        assert got["buttons"][kind]["again"] == round(ratings.count(1) / len(ratings), 4)
        assert got["buttons"][kind]["good"] == round(ratings.count(3) / len(ratings), 4)

    table = maturity_table(ctx.store(), ctx.decks())
    alpha = next(d for d in table["decks"] if d["deck"] == "alpha")
    # the card always Good is mature; the one failing every fourth time was suspended as a leech
    assert (alpha["new"], alpha["learning"], alpha["young"], alpha["mature"]) == (1, 0, 0, 1)
    assert alpha["suspended"] == 1 and alpha["total"] == 3 and table["total"]["mature"] == 1
    ctx.close()


LONG_TITLED_DECK = """
[deck]
id = "orchestration"
title = "Orchestration, dbt, data quality, governance and lineage"
round = "design"

[[cards]]
id = "idempotent-runs"
type = "recall"
title = "Idempotent runs"
prompt = "Why must a backfill be idempotent?"
answer = "Reruns happen: the same input must give the same output, never duplicates."
"""


# the forecast reaches 30 days (f: 90) as text bars, the period (p) moves the answer shares, at 60x20
@pilot_test
async def test_stats_forecast_and_period_keys_at_60x20(tmp_path, monkeypatch):
    ctx = new_context(tmp_path, monkeypatch, design=False)
    (tmp_path / "decks" / "long.toml").write_text(LONG_TITLED_DECK, encoding="utf-8")
    app = PrepdeckApp(ctx, clock=Clock())
    _seed_first_reviews(app, days_ago=40)  # overdue: all three are due today
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        lines = screen_lines(app)
        text = "\n".join(lines)
        assert "Due, next 30 days: 3 · today 3 · tomorrow 0" in text
        chart = next(i for i, line in enumerate(lines) if line.lstrip().startswith("3┤"))
        assert "today" in lines[chart + 5] and "+28d" in lines[chart + 5]  # four rows of bars, the axis
        assert "Answer buttons, last 30 days" not in text  # below: the forecast comes first
        await pilot.press("f")
        await settle(pilot)
        assert "Due, next 90 days: 3" in "\n".join(screen_lines(app))
        await pilot.press("p")  # 30 → 90 days: the first answers, 40 days ago, now count
        await settle(pilot)
        # a long deck title is cut, never the counts
        cards = app.screen.query_one("#stats-cards")
        cards.scroll_visible(animate=False)
        await settle(pilot)
        row = next(line for line in screen_lines(app) if "Orchestration" in line)
        assert row.split()[-6:] == ["1", "0", "0", "0", "0", "1"] and "…" in row
        answers = app.screen.query_one("#stats-answers")
        answers.scroll_visible(animate=False)
        await settle(pilot)
        text = " ".join(" ".join(screen_lines(app)).split())
        assert "Answer buttons, last 90 days" in text and "Learning cards 0% 0% 100% 0% 3" in text
    ctx.close()


# the home footer names the keys a user needs (plan, stories) at 80 columns; what does not fit is behind ?
@pilot_test
async def test_home_footer_lists_plan_and_stories_at_80_columns(tmp_path, monkeypatch):
    ctx = new_context(tmp_path, monkeypatch)
    app = PrepdeckApp(ctx, clock=Clock())
    for size, shown, behind in (
        (
            (80, 24),
            ["r Review all", "b Browse", "t Stats", "m Mock", "i Plan", "s Stories", "q Quit", "? Help"],
            [],
        ),
        ((120, 40), ["i Plan", "s Stories", "w Report", "o Optimize", "q Quit", "? Help", "^p Commands"], []),
        ((60, 20), ["q Quit", "? Help", "r Review all", "i Plan"], ["s Stories"]),
    ):
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            footer = screen_lines(app)[-1]
            assert len(footer.rstrip()) <= size[0]
            for key in shown:
                assert key in footer, (size, key, footer)
            for key in behind:
                assert key not in footer
        app = PrepdeckApp(ctx, clock=Clock())
    ctx.close()


# a dialog's footer shows its own keys, not the keys of the screen underneath
@pilot_test
async def test_dialogs_show_only_their_own_keys(tmp_path, monkeypatch):
    ctx = new_context(tmp_path, monkeypatch)
    async with at_home(ctx) as pilot:
        await pilot.press("ctrl+p")  # the command palette has no footer: the home keys do not show under it
        await settle(pilot)
        assert "Review all" not in screen_lines(pilot.app)[-1]
        await pilot.press("escape")
        await settle(pilot)
        assert "Review all" in screen_lines(pilot.app)[-1]
        await pilot.press("question_mark")
        await settle(pilot)
        footer = screen_lines(pilot.app)[-1]
        assert "esc Close" in footer and "Review all" not in footer and "Commands" not in footer
        await pilot.press("escape", "s")
        await settle(pilot)
        assert "n New" in screen_lines(pilot.app)[-1]  # the story bank's own footer
        await pilot.press("n")
        await settle(pilot)
        footer = screen_lines(pilot.app)[-1]
        assert "^s Save" in footer and "esc Cancel" in footer and "n New" not in footer
    ctx.close()


# the PySpark card's hint line comes from the key registry: remapped keys show, F3 (tables/editor) too
@pilot_test
async def test_pyspark_hint_names_the_keys_in_force(tmp_path, monkeypatch):
    from prepdeck.decks.model import Card
    from prepdeck.tui.components.spark_view import PySparkCardView

    ctx = new_context(tmp_path, monkeypatch, config='[keys]\nrun_check = "f2"\nflip_schema = "f4"\n')
    app = PrepdeckApp(ctx, clock=Clock())
    card = Card(deck_id="d", id="c", type="pyspark", title="t", prompt="p", solution="def f(t): return t")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        hint = PySparkCardView(card, ctx)._hint()  # not mounted: Spark is not started
        assert "F2 run" in hint and "F4 tables/editor" in hint and "Ctrl+R" not in hint
        assert "dialect" not in hint
    ctx.close()


# at 60 columns the review's top bar keeps the deck title, the counts and the clock whole
@pilot_test
async def test_the_review_top_bar_fits_60_columns(tmp_path, monkeypatch):
    ctx = new_context(tmp_path, monkeypatch)
    async with at_home(ctx, size=(60, 20)) as pilot:
        pilot.app.start_review("alpha")
        await settle(pilot)
        top = screen_lines(pilot.app)[0].rstrip()
        assert top.lstrip().startswith("Alpha patterns") and top.endswith("0:00")
    ctx.close()


# hints on screen name the keys in force: remapped under [keys], the home line, the design card and the
# session summary say so (they said r, e / Esc and u whatever the user had)
@pilot_test
async def test_on_screen_hints_follow_remapped_keys(tmp_path, monkeypatch):
    config = '[keys]\nreview_all = "a"\nundo = "z"\nleave = "f6"\nedit = "f7"\n'
    ctx = new_context(tmp_path, monkeypatch, config=config)
    async with at_home(ctx, size=(100, 30)) as pilot:
        text = " ".join(" ".join(screen_lines(pilot.app)).split())
        assert "a reviews all" in text
        pilot.app.start_review("design-basics")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, ReviewScreen)
        assert "F7: type your answers; F6 leaves the field" in " ".join(screen_lines(pilot.app))
        while screen.card is not None:
            await pilot.press("space")
            await settle(pilot)
            await pilot.press("4")
            await settle(pilot)
        text = " ".join(" ".join(screen_lines(pilot.app)).split())
        assert "z undoes the last one; F6 goes home." in text
    ctx.close()


# the mock's rubric hint names the mock's keys in force (it said Esc and n whatever [keys] held)
@pilot_test
async def test_the_mock_rubric_hint_follows_remapped_keys(tmp_path, monkeypatch):
    from prepdeck.tui.screens.mock import MockScreen

    ctx = new_context(tmp_path, monkeypatch, config='[keys]\nmock_next = "f10"\nmock_leave = "f6"\n')
    async with at_home(ctx, size=(100, 30)) as pilot:
        pilot.app.push_screen(MockScreen("design", seed=1))
        await settle(pilot)
        for _ in range(5):  # the round starts after the first refresh
            await pilot.pause()
        for minutes in (10, 40, 10, 0):  # the phases run out, then the wrap-up: the rubric
            pilot.app.clock.advance(minutes=minutes)
            await pilot.press("f10")
            await settle(pilot)
        text = " ".join(" ".join(screen_lines(pilot.app)).split())
        assert "F6 leaves a box · F10 continues · F6 again goes home" in text
    ctx.close()


def _static_texts(screen) -> str:
    """Every Static's text on the screen, shown or scrolled out of sight."""
    from textual.widgets import Static

    return " ".join(str(w.render()) for w in screen.query(Static))


# the mock screen's own messages (picker, end-the-mock warning, scoring line, last round) and the hints of
# the views it hosts name the mock's keys as [keys] has them, not "Escape"/"n"
@pilot_test
async def test_the_mock_messages_follow_remapped_keys(tmp_path, monkeypatch):
    from prepdeck.tui.screens.mock import MockScreen

    config = '[keys]\nmock_next = "f10"\nmock_leave = "f6"\nmock_quit = "f7"\nmock_edit = "f2"\nmock_speak = "f3"\n'
    ctx = new_context(tmp_path, monkeypatch, config=config)
    async with at_home(ctx, size=(100, 30)) as pilot:
        pilot.app.push_screen(MockScreen())
        await settle(pilot)
        assert "F6 goes back." in _static_texts(pilot.app.screen)
        pilot.app.pop_screen()
        await settle(pilot)
        pilot.app.push_screen(MockScreen("design", seed=1))
        await settle(pilot)
        for _ in range(5):  # the round starts after the first refresh; its view composes a frame later
            await pilot.pause()
        shown = _static_texts(pilot.app.screen)
        assert "F3 to answer aloud" in shown and "F2: type your answers; F6 leaves the field" in shown, shown
        await pilot.press("f3")  # aloud: the spoken view's notes
        await settle(pilot)
        assert "saved as you type; F6 leaves a field" in _static_texts(pilot.app.screen)
        await pilot.press("f6")
        await settle(pilot)
        notes = [n.message for n in pilot.app._notifications]
        assert any(m.startswith("Press F6 (or F7) again to end the mock") for m in notes), notes
        for minutes in (10, 40, 10, 0):  # the phases run out, then the wrap-up: the rubric
            pilot.app.clock.advance(minutes=minutes)
            await pilot.press("f10")
            await settle(pilot)
        assert "Saved as you type; F6 goes home." in _static_texts(pilot.app.screen)
        await pilot.press("f10")
        await settle(pilot)
        notes = [n.message for n in pilot.app._notifications]
        assert "That was the last round; F6 goes home." in notes, notes
    ctx.close()
