"""Small `sql` test cards for the SQL judge tests, written in the deck format and read by the real loader."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from prepdeck.decks.loader import load_decks
from prepdeck.decks.model import Card

ORDER_EVENTS = "order_id VARCHAR, status_id INTEGER, status VARCHAR, updated_at TIMESTAMP"
LATEST_EXAMPLE = """
order_id,status_id,status,updated_at
o1,1,NEW,2026-03-30 10:00:00
o1,2,PAID,2026-03-30 11:00:00
o2,3,NEW,2026-03-29 09:00:00
"""
LATEST_TIE = """
order_id,status_id,status,updated_at
o1,5,PAID,2026-03-30 10:00:00
o1,4,NEW,2026-03-30 10:00:00
"""


def toml_value(value: str | bool | int | float | dt.date) -> str:
    """A TOML value; text holding a line break as a multi-line basic string."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | dt.date):
        return value.isoformat() if isinstance(value, dt.date) else repr(value)
    if "\n" in value:
        body = value.replace("\\", "\\\\").replace('"""', '\\"""')
        return '"""\n' + body.strip("\n") + '\n"""'
    return json.dumps(value, ensure_ascii=False)


def case(name: str, *, hidden: bool = False, expected: str | None = None, **data: str) -> str:
    """One [[cards.cases]] table: its name, whether it is hidden, and each table's CSV."""
    lines = ["[[cards.cases]]", f"name = {toml_value(name)}"]
    if hidden:
        lines.append("hidden = true")
    if expected is not None:
        lines.append(f"expected = {toml_value(expected)}")
    if data:
        lines.append("[cards.cases.data]")
        lines += [f"{table} = {toml_value(csv)}" for table, csv in data.items()]
    return "\n".join(lines) + "\n"


def sql_card(
    card_id: str,
    *,
    title: str,
    prompt: str,
    solution: str,
    tables: dict[str, str],
    cases: list[str],
    **fields: str | bool | dt.date,
) -> str:
    """One `sql` [[cards]] table in the deck format; `fields` are its other keys (today, ordered, answer)."""
    lines = ["[[cards]]", f'id = "{card_id}"', 'type = "sql"', f"title = {toml_value(title)}"]
    lines.append(f"prompt = {toml_value(prompt)}")
    lines += [f"{key} = {toml_value(value)}" for key, value in fields.items()]
    lines.append(f"solution = {toml_value(solution)}")
    lines.append("[cards.tables]")
    lines += [f"{table} = {toml_value(columns)}" for table, columns in tables.items()]
    return "\n".join(lines) + "\n" + "".join(cases) + "\n"


LATEST_CASES = [
    case("example", order_events=LATEST_EXAMPLE),
    case("tie on timestamp", hidden=True, order_events=LATEST_TIE),
]


def latest_status_card(
    card_id: str = "latest-order",
    *,
    select: str = "order_id, status, updated_at",
    columns: str = ORDER_EVENTS,
    cases: list[str] | None = None,
    title: str = "Latest status per order",
    prompt: str = "Each order's latest status (ties: the higher status_id wins).",
    **fields: str | bool | dt.date,
) -> str:
    """The judges' favourite card: each order's latest status, ties broken by status_id (a QUALIFY
    solution); by default LATEST_CASES (an example and a hidden tie)."""
    solution = f"""
SELECT {select}
FROM order_events
QUALIFY ROW_NUMBER() OVER (PARTITION BY order_id ORDER BY updated_at DESC, status_id DESC) = 1
"""
    return sql_card(
        card_id,
        title=title,
        prompt=prompt,
        solution=solution,
        tables={"order_events": columns},
        cases=LATEST_CASES if cases is None else cases,
        **fields,
    )


def deck_header(deck_id: str, title: str, round_: str = "sql") -> str:
    return f'[deck]\nid = "{deck_id}"\ntitle = {toml_value(title)}\nround = "{round_}"\n\n'


DECK = (
    deck_header("judge-test", "Judge test cards")
    + latest_status_card(
        today=dt.date(2026, 3, 31),
        cases=[
            *LATEST_CASES,
            case(
                "empty status",
                hidden=True,
                order_events="""
order_id,status_id,status,updated_at
o9,1,"",2026-03-30 10:00:00
o8,1,,2026-03-30 10:00:00
""",
            ),
        ],
    )
    + '''
[[cards]]
id = "recent-revenue"
type = "sql"
title = "Revenue of the last 7 days by day"
prompt = "Revenue per day for the 7 days before today (today excluded), oldest first."
ordered = true
today = 2026-03-31
solution = """
SELECT CAST(ts AS DATE) AS day, SUM(amount) AS revenue
FROM payments
WHERE ts >= CURRENT_DATE - INTERVAL 7 DAY AND ts < CURRENT_DATE
GROUP BY 1
ORDER BY 1
"""
[cards.tables]
payments = "id VARCHAR, amount DECIMAL(12,2), ts TIMESTAMP"
[[cards.cases]]
name = "example"
[cards.cases.data]
payments = """
id,amount,ts
p1,10.00,2026-03-30 10:00:00
p2,5.50,2026-03-30 12:00:00
p3,7.25,2026-03-24 00:00:00
p4,1.00,2026-03-23 23:59:59
p5,99.00,2026-03-31 08:00:00
"""
[[cards.cases]]
name = "boundaries"
hidden = true
[cards.cases.data]
payments = """
id,amount,ts
p1,1.00,2026-03-24 00:00:00
p2,2.00,2026-03-30 23:59:59
p3,4.00,2026-03-31 00:00:00
"""

[[cards]]
id = "fixed-expected"
type = "sql"
title = "Given expected"
prompt = "Count, ratio and first day per country."
solution = "SELECT country, COUNT(*), AVG(x), MIN(d) FROM t GROUP BY country"
[cards.tables]
t = "country VARCHAR, x DOUBLE, d DATE"
[[cards.cases]]
name = "example"
expected = """
country,n,avg_x,first_day
US,2,0.3333333333,2026-01-01
"",1,1,2026-02-01 00:00:00
"""
[cards.cases.data]
t = """
country,x,d
US,0.5,2026-01-01
US,0.1666666667,2026-01-05
"",1.0,2026-02-01
"""
'''
)


def write_deck(folder: Path, text: str = DECK, name: str = "judge-test.toml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def load_card(tmp_path: Path, card_id: str, text: str = DECK) -> Card:
    folder = tmp_path / "decks"
    write_deck(folder, text)
    decks = load_decks([folder])
    assert not decks.problems, [str(p) for p in decks.problems]
    card = decks.card(f"judge-test/{card_id}")
    assert card is not None
    return card
