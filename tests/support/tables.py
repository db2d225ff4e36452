"""Stock DataTable helpers for the tests that hold the console's tables to Textual's."""

from __future__ import annotations

from typing import Any

from textual.widgets import DataTable


def drop_render_caches(table: DataTable[Any]) -> None:
    """Drop a stock ``table``'s rendered rows and cells after ``update_cell`` outdated them
    all (DataTable keeps them until their LRU bounds push them out): what the console's
    ``KeptCellsTable.drop_outdated_renders`` does, for the stock table the tests compare it
    with."""
    table._clear_caches()
