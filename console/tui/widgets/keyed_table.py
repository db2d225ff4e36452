"""A DataTable that is synced from a full set of rows, touching only what changed.

Balances and open orders arrive as whole lists on every poll. Clearing and re-adding the rows
would reset the cursor and scroll position under the trader's hands, and repaint every cell;
instead each row has a stable key (currency, order id) and a sync adds, updates and removes
by key.

A sync that changed something also drops the table's rendered-cell caches, which every
update outdates but DataTable keeps until their LRU bounds push them out
(:func:`console.tui.textual_compat.drop_render_caches` says why).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.text import Text
from textual.widgets import DataTable

from console.tui.textual_compat import drop_render_caches
from console.tui.widgets.panel_boundary import PanelBoundary

Cells = tuple[str | Text, ...]
"""One row's cells, in column order."""


class KeyedDataTable(PanelBoundary, DataTable[str | Text]):
    """A DataTable whose rows are replaced as a whole set, diffed by row key."""

    COLUMNS: Sequence[tuple[str, str]] = ()
    """``(key, label)`` of each column; subclasses declare theirs."""

    _pending: Mapping[str, Cells] | None = None
    """Rows handed over before the table was mounted (columns need the app to measure)."""

    def on_mount(self) -> None:
        for key, label in self.COLUMNS:
            self.add_column(label, key=key)
        if self._pending is not None:
            self.sync_rows(self._pending)
            self._pending = None

    def sync_rows(self, rows: Mapping[str, Cells]) -> None:
        """Make the table show exactly ``rows`` (row key -> cells), in the mapping's order
        for new rows; rows already shown keep their place so the cursor does not jump."""
        if not self.columns:
            self._pending = rows
            return
        column_keys = [key for key, _ in self.COLUMNS]
        wanted = set(rows)
        updated = False
        for row_key in [key.value for key in self.rows if key.value not in wanted]:
            if row_key is not None:
                self.remove_row(row_key)
        for row_key, cells in rows.items():
            if row_key in self.rows:
                current = self.get_row(row_key)
                for column_key, old, new in zip(column_keys, current, cells, strict=True):
                    if not _same_cell(old, new):
                        self.update_cell(row_key, column_key, new, update_width=True)
                        updated = True
            else:
                self.add_row(*cells, key=row_key)
        if updated:
            drop_render_caches(self)


def _same_cell(old: str | Text, new: str | Text) -> bool:
    """Rich's ``Text.__eq__`` ignores the base style, but a recoloured cell must repaint."""
    if isinstance(old, Text) and isinstance(new, Text):
        return old.plain == new.plain and old.style == new.style and old.spans == new.spans
    return old == new
