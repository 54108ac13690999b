"""`prepdeck report`: files written, JSON per cli.md, Markdown content, and the one-line errors (exit 2)."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest
from report_scenario import ny, seed_scenario
from report_seed import small_decks

from prepdeck.cli import main
from prepdeck.core.context import Context
from prepdeck.core.paths import database_path
from prepdeck.core.store import Store
from prepdeck.reports.commands import write_report


@pytest.fixture
def local_tz(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def seeded_home(isolated_home: Path) -> Path:
    store = Store.open(database_path(isolated_home))
    seed_scenario(store)
    store.close()
    return isolated_home


def scenario_context(home: Path) -> Context:
    ctx = Context.create(home)
    ctx._decks = small_decks()  # the scenario's cards, not the built-in decks
    return ctx


def test_report_writes_html_and_markdown(seeded_home, local_tz):
    ctx = scenario_context(seeded_home)
    fig = write_report(ctx, "2026-W10", now=ny(3, 9, 12))
    ctx.close()
    html = Path(fig["files"]["html"])
    md = Path(fig["files"]["md"])
    assert html == seeded_home / "reports" / "report-2026-W10.html" and html.is_file()
    assert md == seeded_home / "reports" / "report-2026-W10.md" and md.is_file()
    page = html.read_text(encoding="utf-8")
    # self-contained: inline SVG charts, no script, nothing fetched
    assert page.count("<svg") >= 5
    assert "<script" not in page
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "@import" not in page and "url(http" not in page
    assert "28/40" in page and "below pass" in page and "partial: evidence for 90 of 100 points" in page
    assert "first-try pass rate" in page  # the method is printed


def test_markdown_holds_the_scorecards_and_methods(seeded_home, local_tz):
    ctx = scenario_context(seeded_home)
    md = Path(write_report(ctx, "2026-W10", now=ny(3, 9, 12))["files"]["md"]).read_text(encoding="utf-8")
    ctx.close()
    assert md.startswith("# Weekly report · 2026-W10\n")
    assert "| SQL | 28/40 | 28/40 | pass | +4 |" in md
    assert "| PySpark | no evidence | 28/40 | — | — |" in md
    assert "| Behavioral | 32.9/50 | 38/50 | below pass | — |" in md
    assert (
        "| Correctness & edge cases | 8/16 | 1 of 2 problems passed on the first try; 1 of 2 hidden cases "
        "passed on first tries |"
    ) in md
    assert "| Latest row per transaction | late duplicate | 1 |" in md
    assert "| 2026-03-08 | An outage you handled | 100 s | 120 | 9 | situation, action |" in md
    assert "2026-03-05     2  ████████████████████" in md  # busiest day is a full bar
    assert "## Mock interviews" in md
    # every table row has the same number of cells as its header
    for block in re.findall(r"(?:^\|.*\|\n)+", md, flags=re.MULTILINE):
        rows = block.strip().split("\n")
        widths = {len(re.split(r"(?<!\\)\|", row)) for row in rows}
        assert len(widths) == 1, block


def test_cli_json_has_the_cli_md_keys(seeded_home, local_tz, capsys):
    out = seeded_home / "out"
    assert main(["report", "--week", "2026-W10", "--out", str(out), "--json"]) == 0
    fig = json.loads(capsys.readouterr().out)
    assert {
        "week",
        "start",
        "end",
        "reviews",
        "cards_reviewed",
        "minutes",
        "retention",
        "rounds",
        "speech",
        "files",
    } <= set(fig)
    # the built-in decks do not hold the scenario's cards, but counts come from the log itself
    assert (fig["week"], fig["reviews"], fig["cards_reviewed"], fig["minutes"]) == ("2026-W10", 7, 6, 25.5)
    assert fig["retention"] == pytest.approx(0.6667, abs=1e-4)
    assert set(fig["rounds"]) == {"sql", "pyspark", "design", "behavioral"}
    assert fig["rounds"]["sql"]["max"] == 40 and fig["rounds"]["design"]["pass"] == 75
    assert set(fig["speech"]) >= {"attempts", "fillers_per_minute", "wpm"}
    assert fig["files"] == {"html": str(out / "report-2026-W10.html"), "md": str(out / "report-2026-W10.md")}
    assert Path(fig["files"]["html"]).is_file()


def test_cli_summary_and_default_folder(isolated_home, capsys):
    assert main(["report", "--week", "2026-W10"]) == 0
    out = capsys.readouterr().out
    assert "week 2026-W10" in out and "no activity" in out
    assert (isolated_home / "reports" / "report-2026-W10.md").is_file()
    md = (isolated_home / "reports" / "report-2026-W10.md").read_text(encoding="utf-8")
    assert "**No activity this week.**" in md and "| SQL | no evidence |" in md


@pytest.mark.parametrize("week", ["2026-W54", "26-W10", "2026W10", "next"])
def test_cli_invalid_week_exits_2_with_one_line(isolated_home, capsys, week):
    assert main(["report", "--week", week]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("prepdeck report: invalid week")
    assert not (isolated_home / "reports").exists()


def test_cli_unwritable_folder_exits_2(isolated_home, capsys, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    for target in (blocker, blocker / "sub"):
        assert main(["report", "--out", str(target)]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "cannot write the report" in err and "Traceback" not in err


def test_rewriting_a_report_replaces_it_whole(seeded_home, local_tz):
    ctx = scenario_context(seeded_home)
    first = Path(write_report(ctx, "2026-W10", now=ny(3, 9, 12))["files"]["html"]).read_text(encoding="utf-8")
    second = Path(write_report(ctx, "2026-W10", now=ny(3, 9, 12))["files"]["html"])
    ctx.close()
    assert len(second.read_text(encoding="utf-8")) > 0.9 * len(first)
    assert [p.name for p in second.parent.iterdir() if p.name.startswith(".")] == []  # no temp files left


def test_user_text_is_escaped_in_html_and_kept_inside_markdown_cells(seeded_home, local_tz):
    from prepdeck.reports.figures import week_figures
    from prepdeck.reports.render import render_html, render_md

    store = Store.open(database_path(seeded_home))
    fig = week_figures(store, small_decks(), "2026-W10", now=ny(3, 9, 12))
    store.close()
    fig["leeches"][0]["title"] = "<script>alert(1)</script> | pipes"
    fig["hidden_failures"][0]["title"] = "a | b\nnext line"
    page = render_html(fig)
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    md = render_md(fig)
    assert "| a \\| b next line | late duplicate | 1 |" in md
