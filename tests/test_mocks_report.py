"""The weekly report's mock interviews section: the trend per round with date, total/max and pass, in the
--json figures, the Markdown and the HTML, from rows written the way the mock screen writes them."""

from __future__ import annotations

import json

from prepdeck.cli import main
from prepdeck.core.context import Context
from prepdeck.mocks import store as mock_store
from prepdeck.mocks.session import score_mock


def _seed(home) -> None:
    context = Context.create(home)
    store = context.store()
    # sql: one below the line (self-scored correctness 2: 2 + 8 + 8 + 8 = 26/40), then a pass (40/40);
    # design: quit midway (unfinished, unscored)
    for day, own in (("2026-11-17", {"correctness": 2}), ("2026-11-24", {})):
        mock_id = mock_store.create_mock(store, "sql", ["s/a"], [], started_at=f"{day}T10:00:00.000000+00:00")
        evidence = {
            "code": {
                "runs": 1,
                "passed": True,
                "within_time": True,
                "final_answer": "SELECT 1",
                "cases": [
                    {"name": "a", "hidden": False, "passed": True},
                    {"name": "b", "hidden": True, "passed": True},
                ],
            },
            "discussion": [
                {
                    "answer": "partition and cluster the table, read EXPLAIN, use a materialized "
                    "view so the daily query scans only the new partition"
                }
            ],
        }
        card = score_mock("sql", evidence, own)
        mock_store.save_scores(
            store,
            mock_id,
            phases=[],
            evidence=evidence,
            scores=card.scores_json(),
            total=card.total,
            max_total=card.max_total,
        )
    mock_store.create_mock(
        store,
        "design",
        ["d/a"],
        [{"name": "clarify", "used_s": 300.0}],
        started_at="2026-11-25T09:00:00.000000+00:00",
    )
    context.close()


def test_report_json_markdown_and_html_show_the_mock_trend(tmp_path, monkeypatch, capsys) -> None:
    home = tmp_path / "home"
    monkeypatch.setenv("TZ", "UTC")
    _seed(home)
    code = main(
        ["--home", str(home), "report", "--week", "2026-W48", "--out", str(tmp_path / "out"), "--json"]
    )
    assert code == 0
    fig = json.loads(capsys.readouterr().out)
    mocks = fig["mocks"]
    assert mocks["count"] == 3 and mocks["this_week"] == 2
    rows = [(m["date"], m["total"], m["max"], m["passed"], m["finished"]) for m in mocks["rounds"]["sql"]]
    assert rows == [("2026-11-17", 26.0, 40.0, False, True), ("2026-11-24", 40.0, 40.0, True, True)]
    assert [(m["passed"], m["finished"], m["total"]) for m in mocks["rounds"]["design"]] == [
        (None, False, None)
    ]

    md = (tmp_path / "out" / "report-2026-W48.md").read_text()
    section = md.split("## Mock interviews", 1)[1].split("## ", 1)[0]
    assert "| SQL | 2026-11-17 | 26/40 | below | yes |" in section
    assert "| SQL | 2026-11-24 (this week) | 40/40 | pass | yes |" in section
    assert "| System design | 2026-11-25 (this week) |" in section and section.rstrip().endswith("| — | no |")

    html = (tmp_path / "out" / "report-2026-W48.html").read_text()
    block = html.split('<section id="mocks">', 1)[1].split("</section>", 1)[0]
    assert (
        "<th>Pass?</th>" in block and block.count("<td>pass</td>") == 1 and block.count("<td>below</td>") == 1
    )
    assert 'id="chart-mocks"' in block
