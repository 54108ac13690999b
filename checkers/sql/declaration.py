"""The `tables` declaration as typed columns, for the judges (the implementation is the deck format's:
`prepdeck.decks.declaration`, so the deck loader and `decks check` use the same reading), and a case's
CSV read against it, the same way for every engine that loads tables."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from prepdeck.checkers.sql.errors import CardProblem
from prepdeck.decks.declaration import DeclaredColumn, column_type, parse_columns

if TYPE_CHECKING:
    from prepdeck.decks.model import Card, Case

__all__ = ["DeclaredColumn", "card_columns", "case_rows", "column_type", "parse_columns"]


def card_columns(card: Card) -> dict[str, list[DeclaredColumn]]:
    """Every table of the card with its declared columns; CardProblem naming the table when one does
    not parse."""
    columns_of = {}
    for table, spec in card.tables.items():
        try:
            columns_of[table] = parse_columns(spec)
        except ValueError as exc:
            raise CardProblem(f"{card.global_id}: table {table}: {exc}") from None
    return columns_of


def case_rows(
    card: Card, case: Case, table: str, columns: list[DeclaredColumn]
) -> tuple[list[DeclaredColumn], list[list[Any]]]:
    """The case's CSV for `table` as (the declared columns its header names, in header order; the rows
    as typed Python values). ([], []) when the case leaves the table empty. CardProblem naming the case,
    table, row and column when the data does not fit the declaration."""
    from prepdeck.decks.tabular import coerce, read_csv

    where = f"{card.global_id}, case '{case.name}'"
    text = case.data.get(table)
    if not text or not text.strip():
        return [], []
    try:
        csv = read_csv(text)
    except ValueError as exc:
        raise CardProblem(f"{where}: table {table}: {exc}") from None
    by_name = {c.name.lower(): c for c in columns}
    header = []
    for name in csv.header:
        column = by_name.get(name.lower())
        if column is None:
            raise CardProblem(f"{where}: table {table} has no column '{name}'")
        header.append(column)
    rows = []
    for number, record in enumerate(csv.rows, start=1):
        if len(record) != len(header):
            raise CardProblem(
                f"{where}: table {table}, row {number}: {len(record)} fields, the header names {len(header)}"
            )
        row = []
        for column, raw in zip(header, record, strict=True):
            try:
                row.append(coerce(raw, column.written))
            except ValueError as exc:
                raise CardProblem(
                    f"{where}: table {table}, row {number}, column {column.name}: {exc}"
                ) from None
        rows.append(row)
    return header, rows
