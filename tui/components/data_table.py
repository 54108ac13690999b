"""The row under the cursor of a row-cursor table (the home screen's decks, the browser's cards)."""

from __future__ import annotations

from typing import Any, cast

from textual.widgets import DataTable
from textual.widgets.data_table import CellDoesNotExist


def cursor_row_key(table: DataTable[Any]) -> str | None:
    """The key the row under the cursor was added with; None when the table has no rows (or no columns)."""
    try:
        return cast(str, table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
    except CellDoesNotExist:
        return None
