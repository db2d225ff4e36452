"""A DataTable that is synced from a full set of rows, touching only what changed.

Balances and open orders arrive as whole lists on every poll. Clearing and re-adding the rows
would reset the cursor and scroll position under the trader's hands, and repaint every cell;
instead each row has a stable key (currency, order id) and a sync adds, updates and removes
by key.

A sync that changed something also drops the table's rendered-cell caches. DataTable keys them
by an update counter that every ``update_cell`` bumps, so after an update no old entry can be
hit again; yet they stay until their LRU bound (10,000 cells, 1,000 rows and lines per table)
pushes them out. Panels updated every second filled those bounds over many minutes: that was
the console's memory creeping by about 5 MB a minute (``bench/ui_latency.py``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.text import Text
from textual.widgets import DataTable

Cells = tuple[str | Text, ...]
"""One row's cells, in column order."""


class KeyedDataTable(DataTable[str | Text]):
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
            # Removing and adding rows clear the caches already; updates only outdate them.
            self._clear_caches()


def _same_cell(old: str | Text, new: str | Text) -> bool:
    """Rich's ``Text.__eq__`` ignores the base style, but a recoloured cell must repaint."""
    if isinstance(old, Text) and isinstance(new, Text):
        return old.plain == new.plain and old.style == new.style and old.spans == new.spans
    return old == new
