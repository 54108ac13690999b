"""Deck files for the mock interview tests (not a test module): every round's work cards and follow-ups."""

from __future__ import annotations

from pathlib import Path

from sql_cards import deck_header, latest_status_card

SQL_DECK = (
    deck_header("mock-sql", "Mock SQL")
    + latest_status_card(select="order_id, status", answer="At scale: partition by day, cluster by order_id.")
    + '''
[[cards]]
id = "total-per-day"
type = "sql"
title = "Total per day"
prompt = "Total amount per day."
solution = "SELECT d, sum(amount) AS total FROM sales GROUP BY d"
tables = { sales = "d DATE, amount INTEGER" }
[[cards.cases]]
name = "example"
[cards.cases.data]
sales = """
d,amount
2026-01-01,5
"""

[[cards]]
id = "partition-pruning"
type = "recall"
title = "Partition pruning"
prompt = "How does partition pruning cut the cost of a query?"
answer = "Filter on the partition column so whole partitions are never read."
tags = ["guide-optimization", "partitioning"]

[[cards]]
id = "select-star"
type = "recall"
title = "SELECT * and cost"
prompt = "Why is SELECT * expensive in BigQuery?"
answer = "Columnar storage bills by the columns read."
tags = ["cost", "bigquery"]

[[cards]]
id = "null-not-in"
type = "recall"
title = "NOT IN with NULLs"
prompt = "Why can NOT IN return nothing?"
answer = "A NULL makes every comparison unknown."
tags = ["null"]
'''
)

DESIGN_DECK = """
[deck]
id = "mock-design"
title = "Mock design"
round = "design"

[[cards]]
id = "no-numbers"
type = "design"
title = "A design without numbers"
prompt = "Design a small batch job."
answer = "A daily Airflow task writing one partition."
checklist = ["Idempotent reruns"]

[[cards]]
id = "clickstream"
type = "design"
title = "Clickstream pipeline"
prompt = "Design a pipeline for 1B click events a day."
answer = "Kafka in, Spark Structured Streaming, Iceberg tables."
checklist = ["Requirements: latency and volume clarified", "Retries and replay from Kafka", "PII encrypted at rest", "Trade-off: batch vs streaming"]
numbers = [
  { question = "Events per second on average", answer = 11574, tolerance = 0.1, unit = "events/s" },
  { question = "Raw GB per day at 500 bytes each", answer = 500, unit = "GB" },
]
"""

STAR_DECK = """
[deck]
id = "mock-star"
title = "Mock behavioral"
round = "behavioral"

[[cards]]
id = "outage"
type = "star"
title = "An outage you handled"
prompt = "Tell me about an outage you handled."
competency = "failure"

[[cards]]
id = "mistake"
type = "star"
title = "A mistake you made"
prompt = "Tell me about a mistake."
competency = "failure"

[[cards]]
id = "conflict"
type = "star"
title = "A conflict"
prompt = "Tell me about a conflict with a colleague."
competency = "conflict"

[[cards]]
id = "pipeline"
type = "star"
title = "A pipeline you built"
prompt = "Tell me about a pipeline you built end to end."
competency = "ownership"

[[cards]]
id = "stakeholder"
type = "star"
title = "Pushing back on a stakeholder"
prompt = "Tell me about pushing back."
competency = "stakeholders"
"""


def write_mock_decks(folder: Path, *, sql: bool = True, design: bool = True, star: bool = True) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for wanted, name, text in (
        (sql, "sql", SQL_DECK),
        (design, "design", DESIGN_DECK),
        (star, "star", STAR_DECK),
    ):
        if wanted:
            (folder / f"mock-{name}.toml").write_text(text, encoding="utf-8")
    return folder
