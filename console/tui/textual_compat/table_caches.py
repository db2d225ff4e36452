"""Textual workaround 4: datatable render caches (:func:`drop_render_caches`).

DataTable keys its rendered cells and rows by an update counter that every ``update_cell``
bumps, so after an update no old entry can be hit again; yet they stay until their LRU
bounds (10,000 cells a table) push them out. Tables updated every second filled those bounds
over minutes.
"""

from __future__ import annotations

from typing import Any

from textual.widgets import DataTable


def drop_render_caches(table: DataTable[Any]) -> None:
    """Drop ``table``'s rendered rows and cells after ``update_cell`` outdated them all.

    Removing and adding rows clear them already; only updates leave them behind.
    """
    clear = getattr(table, "_clear_caches", None)
    if clear is not None:
        clear()
