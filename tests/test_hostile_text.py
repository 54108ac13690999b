"""Deck, answer and result text is shown as text (issue 12): Rich/Textual markup, ANSI/OSC escapes and HTML
in every text field of a deck reach no screen, terminal or report as anything but the characters written."""

from __future__ import annotations

import json
from pathlib import Path

from cli_support import prepdeck
from tui_support import Clock, make_context, pilot_test, settle, use_utc

from prepdeck.tui.app import PrepdeckApp

# markup that crashes (a lone closing tag), markup that acts (a click action), ANSI colour, an OSC window
# title, and HTML; written with TOML escapes because TOML forbids raw control characters in strings
EVIL = (
    r"Closing tag only [/bold] here [@click=app.quit]click[/] [red]red[/red] "
    r"\u001b[31mansi\u001b[0m \u001b]0;pwned\u0007 <script>alert(1)</script> **md**"
)
SHOWN = "Closing tag only [/bold] here [@click=app.quit]click[/]"

HOSTILE_DECK = f'''
[deck]
id = "hostile"
title = "{EVIL}"
round = "sql"
description = "{EVIL}"

[[cards]]
id = "recall"
type = "recall"
title = "{EVIL}"
prompt = "{EVIL}"
answer = "{EVIL}"
tags = ["{EVIL}", "<b>tag</b>"]

[[cards]]
id = "query"
type = "sql"
title = "{EVIL}"
prompt = "{EVIL}"
answer = "{EVIL}"
tags = ["[/bold]"]
solution = 'SELECT v AS "[/bold]" FROM t'
tables = {{ t = "v VARCHAR", u = '"[/b]" INT' }}
[[cards.cases]]
name = "{EVIL}"
[cards.cases.data]
t = """
v
"{EVIL.replace('"', '""')}"
"""

[[cards]]
id = "design"
type = "design"
title = "{EVIL}"
prompt = "{EVIL}"
answer = "{EVIL}"
checklist = ["{EVIL}", "[/]"]
numbers = [{{ question = "{EVIL}", answer = 10, unit = "{EVIL}" }}]

[[cards]]
id = "story"
type = "star"
title = "{EVIL}"
prompt = "{EVIL}"
competency = "{EVIL}"
'''


def write_hostile(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "hostile.toml"
    path.write_text(HOSTILE_DECK, encoding="utf-8")
    return path


def test_the_hostile_deck_loads(tmp_path: Path) -> None:
    from prepdeck.decks.loader import load_deck_file

    deck, problems = load_deck_file(write_hostile(tmp_path))
    assert not problems, problems
    # control characters are made visible as the deck loads, so no display path can send them raw
    assert deck is not None and deck.title.startswith(SHOWN) and "␛[31mansi␛[0m ␛]0;pwned␇" in deck.title


def _texts(app) -> str:
    """What the screen shows, as plain characters (from the SVG screenshot Textual renders)."""
    import html
    import re

    svg = app.export_screenshot()
    text = re.sub(r"<(?!/text>)[^>]*>", "", re.sub(r"</text>", "", svg))
    return html.unescape(text).replace("\xa0", " ")


@pilot_test
async def test_every_screen_shows_hostile_deck_text_as_written(tmp_path, monkeypatch):
    use_utc(monkeypatch)
    decks = tmp_path / "decks"
    write_hostile(decks)
    ctx = make_context(tmp_path / "home", decks)
    app = PrepdeckApp(ctx, clock=Clock())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert "Closing tag only [/bold] here" in _texts(app)  # home: the deck title
        await pilot.press("question_mark")  # help: its own "[keys]" example is TOML, shown as written
        await settle(pilot)
        help_text = app.screen.query_one("#help-text")
        assert "[keys]" in "".join(strip.text for strip in help_text.render_lines(help_text.size.region))
        await pilot.press("escape")
        await pilot.press("r")  # review every card: reveal, suspend (a notification naming the card), next
        await settle(pilot)
        for _ in range(4):
            shown = _texts(app)
            assert SHOWN in shown, shown[:500]
            assert "\x1b" not in shown
            if app.focused is not None:
                await pilot.press("escape")  # out of the editor (with nothing focused, escape ends)
            await pilot.press("space")
            await settle(pilot)
            await pilot.press("s")
            await settle(pilot)
            notes = [n.message for n in app._notifications]
            assert any(SHOWN in m for m in notes), notes
        await pilot.press("escape", "escape")
        await settle(pilot)
        await pilot.press("b")  # browser: the table and a card's history
        await settle(pilot)
        table = app.screen.query_one("#cards")
        titles = [table.get_row_at(i)[0] for i in range(table.row_count)]
        assert titles and all(str(t).startswith(SHOWN) for t in titles), titles
        assert "Closing tag only [/bold]" in _texts(app)
        await pilot.press("s")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("t")  # statistics
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("ctrl+p")  # the command palette lists deck titles and tags, and searches them
        await settle(pilot)
        await pilot.press(*"[/bold")
        await settle(pilot)
        assert "Closing tag only [/bold]" in _texts(app)
        await pilot.press("escape")
        await settle(pilot)
        from prepdeck.tui.screens.mock import MockScreen

        for round_ in ("sql", "design", "behavioral"):  # mock rounds on the hostile cards
            app.push_screen(MockScreen(round_, seed=1))
            await settle(pilot)
            for _ in range(5):  # the round starts after the first refresh; its view composes a frame later
                await pilot.pause()
            assert isinstance(app.screen, MockScreen)
            assert "Closing tag only [/bold]" in _texts(app), round_
        assert app.is_running and app.return_code is None  # no click action ran app.quit, nothing crashed
    ctx.close()


def test_cli_shows_control_characters_visibly(tmp_path: Path, isolated_home: Path) -> None:
    decks = tmp_path / "decks"
    write_hostile(decks)
    answer = tmp_path / "a.sql"
    # the answer makes escape sequences of its own: result values are shown visibly too
    answer.write_text(
        "SELECT v || chr(27) || ']0;pwned' || chr(7) || repeat('x', 5000) AS v FROM t", encoding="utf-8"
    )
    runs = [
        ["--decks", str(decks), "decks", "list"],
        ["--decks", str(decks), "check", "hostile/query", str(answer)],
        ["--decks", str(decks), "grade", "hostile/recall", "good"],
    ]
    for args in runs:
        done = prepdeck(isolated_home, *args)
        assert done.returncode in (0, 1), done.stderr
        for stream in (done.stdout, done.stderr):
            assert "\x1b" not in stream and "\x07" not in stream, (args, stream)
        if args[2] == "check":
            assert "␛]0;pwned␇" in done.stdout, done.stdout
        if args[2] == "decks":
            assert (
                "Closing tag only [/bold] here" in done.stdout and "…" in done.stdout
            )  # a long title is cut
        assert max(len(line) for line in done.stdout.splitlines()) < 1000  # a 5000-character value is cut
    # --json keeps the values as data (JSON escapes them), whole
    done = prepdeck(isolated_home, "--decks", str(decks), "decks", "list", "--json")
    rows = {r["id"]: r for r in json.loads(done.stdout)}
    assert "␛[31m" in rows["hostile"]["title"] and "\\u001b" not in done.stdout


def test_reports_escape_deck_titles_and_tags(tmp_path: Path, isolated_home: Path) -> None:
    decks = tmp_path / "decks"
    write_hostile(decks)
    evil = decks / "hostile.toml"
    evil.write_text(
        evil.read_text(encoding="utf-8").replace(
            'title = "Closing', 'title = "<img src=x onerror=alert(1)> ![t](http://tracker/p.png) Closing', 1
        ),
        encoding="utf-8",
    )
    for args in (["grade", "hostile/recall", "again"], ["report", "--out", str(tmp_path / "out")]):
        done = prepdeck(isolated_home, "--decks", str(decks), *args)
        assert done.returncode == 0, done.stderr
    md = next((tmp_path / "out").glob("*.md")).read_text(encoding="utf-8")
    page = next((tmp_path / "out").glob("*.html")).read_text(encoding="utf-8")
    assert "Closing tag only" in md and "Closing tag only" in page  # the deck is in both reports
    for text in (md, page):
        assert "<script>" not in text and "<img" not in text
    assert "![t](" not in md and "\\!\\[t\\](http://tracker" in md  # no image fetched when the .md is viewed


def test_a_written_answer_with_escape_codes_is_analysed_and_shown_visibly(
    tmp_path: Path, isolated_home: Path
) -> None:
    answer = tmp_path / "answer.txt"
    answer.write_text(
        "Situation: \x1b]0;pwned\x07 we had an outage \x1b[31m. Task: I owned it. Action: I fixed the "
        "pipeline. Result: latency dropped 40%.\n",
        encoding="utf-8",
    )
    done = prepdeck(isolated_home, "analyze", str(answer))
    assert done.returncode == 0, done.stderr
    assert "\x1b" not in done.stdout and "\x07" not in done.stdout
    assert "␛]0;pwned␇" in done.stdout


def test_markup_in_a_key_setting_is_an_unknown_key_not_a_crash() -> None:
    from prepdeck.tui.bindings import validate_keymap

    keymap, problems = validate_keymap(
        {"reveal": "[/bold]", "rate_good": "ctrl+[@click=app.quit]", "undo": "u"}, "config.toml"
    )
    assert keymap == {"undo": "u"}
    assert len(problems) == 2 and all("unknown key" in p for p in problems)


def test_a_deck_file_named_with_escape_codes_is_named_visibly(tmp_path: Path, isolated_home: Path) -> None:
    decks = tmp_path / "downloads"
    decks.mkdir()
    (decks / "\x1b]0;pwned\x07x.toml").write_text("not toml", encoding="utf-8")
    for args in (["--decks", str(decks), "decks", "list"], ["decks", "check", str(decks)]):
        done = prepdeck(isolated_home, *args)
        both = done.stdout + done.stderr
        assert "\x1b" not in both and "\x07" not in both and "␛]0;pwned␇x.toml" in both, both


LINK_DECK = """
[deck]
id = "links"
title = "Links"
round = "sql"

[[cards]]
id = "linked"
type = "recall"
title = "A card with links"
prompt = "[click](https://evil.example/x) <https://auto.example/y> [js](javascript:alert(1)) [f](file:///etc/passwd)"
answer = "See [the docs](https://evil.example/answer)."
"""


@pilot_test
async def test_a_link_in_a_deck_is_shown_as_text_never_opened(tmp_path, monkeypatch):
    """A stranger's deck cannot make the app open a URL (browser, file:, javascript:) or run an action."""
    import webbrowser

    from textual.widgets import Markdown
    from textual.widgets._markdown import MarkdownParagraph

    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda url, *a, **k: opened.append(url))
    use_utc(monkeypatch)
    decks = tmp_path / "decks"
    decks.mkdir()
    (decks / "links.toml").write_text(LINK_DECK, encoding="utf-8")
    ctx = make_context(tmp_path / "home", decks)
    app = PrepdeckApp(ctx, clock=Clock())
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        prompt = app.screen.query_one(".prompt", Markdown)
        paragraph = prompt.query_one(MarkdownParagraph)
        await pilot.click(paragraph, offset=(1, 0))  # on "click", the first link
        await settle(pilot)
        # the other hrefs, and an action-looking one, as a click on them would deliver them
        for href in (
            "https://auto.example/y",
            "file:///etc/passwd",
            "action:app.quit",
            "[@click=app.quit]x[/]",
        ):
            prompt.post_message(Markdown.LinkClicked(prompt, href))
            await settle(pilot)
        await pilot.press("space")  # the answer's link too
        await settle(pilot)
        answer = app.screen.query_one("#answer", Markdown)
        answer.post_message(Markdown.LinkClicked(answer, "https://evil.example/answer"))
        await settle(pilot)
        notes = [(n.message, n.markup) for n in app._notifications]
        assert opened == []
        for href in (
            "https://evil.example/x",
            "https://auto.example/y",
            "file:///etc/passwd",
            "action:app.quit",
            "[@click=app.quit]x[/]",
            "https://evil.example/answer",
        ):
            assert (f"link: {href}", False) in notes, notes
        assert app.is_running and app.return_code is None
    ctx.close()
