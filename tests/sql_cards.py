"""Small `sql` test cards for the SQL judge tests, written in the deck format and read by the real loader."""

from __future__ import annotations

from pathlib import Path

from prepdeck.decks.loader import load_decks
from prepdeck.decks.model import Card

DECK = '''
[deck]
id = "judge-test"
title = "Judge test cards"
round = "sql"

[[cards]]
id = "latest-order"
type = "sql"
title = "Latest status per order"
prompt = "Each order's latest status (ties: the higher status_id wins)."
today = 2026-03-31
solution = """
SELECT order_id, status, updated_at
FROM order_events
QUALIFY ROW_NUMBER() OVER (PARTITION BY order_id ORDER BY updated_at DESC, status_id DESC) = 1
"""
[cards.tables]
order_events = "order_id VARCHAR, status_id INTEGER, status VARCHAR, updated_at TIMESTAMP"
[[cards.cases]]
name = "example"
[cards.cases.data]
order_events = """
order_id,status_id,status,updated_at
o1,1,NEW,2026-03-30 10:00:00
o1,2,PAID,2026-03-30 11:00:00
o2,3,NEW,2026-03-29 09:00:00
"""
[[cards.cases]]
name = "tie on timestamp"
hidden = true
[cards.cases.data]
order_events = """
order_id,status_id,status,updated_at
o1,5,PAID,2026-03-30 10:00:00
o1,4,NEW,2026-03-30 10:00:00
"""
[[cards.cases]]
name = "empty status"
hidden = true
[cards.cases.data]
order_events = """
order_id,status_id,status,updated_at
o9,1,"",2026-03-30 10:00:00
o8,1,,2026-03-30 10:00:00
"""

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
