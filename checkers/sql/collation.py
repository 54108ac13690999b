"""Why a MySQL answer's text may group, match or sort differently from the card's expected rows: MySQL's
default collation (utf8mb4_0900_ai_ci, emulated in the translation) treats 'PAID', 'paid' and 'Páid' as one
value. When a failed case holds such values, the verdict says so, and how to keep them apart."""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from prepdeck.decks.model import Card, Case


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def equal_under_mysql(card: Card, case: Case) -> tuple[str, str] | None:
    """Two different text values of the case's data that MySQL's default collation calls equal, if any."""
    from prepdeck.checkers.sql.declaration import card_columns
    from prepdeck.checkers.sql.duckdb_engine import TEXT_BASES
    from prepdeck.decks.tabular import read_csv

    seen: dict[str, str] = {}
    for table, columns in card_columns(card).items():
        text = case.data.get(table)
        if not text:
            continue
        try:
            csv = read_csv(text)
        except ValueError:
            continue
        bases = {c.name.lower(): c.base for c in columns}
        wanted = [i for i, name in enumerate(csv.header) if bases.get(name.lower()) in TEXT_BASES]
        for row in csv.rows:
            for i in wanted:
                value = row[i] if i < len(row) else ""
                if not value:
                    continue
                first = seen.setdefault(_fold(value), value)
                if first != value:
                    return first, value
    return None


def mysql_collation_note(card: Card, case: Case) -> str | None:
    """One sentence for a failed MySQL case whose data holds text MySQL calls equal (values named only
    for a visible case: a hidden case's data stays hidden)."""
    pair = equal_under_mysql(card, case)
    if pair is None:
        return None
    which = "some values of this case" if case.hidden else f"'{pair[0]}' and '{pair[1]}'"
    return (
        f"MySQL compares text without case or accents: {which} are one value in comparisons, GROUP BY, "
        "DISTINCT, ORDER BY and joins; write BINARY col or col COLLATE utf8mb4_bin to keep them apart"
    )
