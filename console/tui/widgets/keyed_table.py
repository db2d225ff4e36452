"""A DataTable that is synced from a full set of rows, touching only what changed.

Balances and open orders arrive as whole lists on every poll. Clearing and re-adding the rows
would reset the cursor and scroll position under the trader's hands, and repaint every cell;
instead each row has a stable key (currency, order id) and a sync adds, updates and removes
by key.

The table renders again only the cells that changed and repaints only their rows, and a
sync that changed something drops the renders every update outdates
(:class:`console.tui.textual_compat.KeptCellsTable` says why).

A table in a tab that is not shown only keeps the rows (:attr:`KeyedDataTable.current_rows`)
and draws nothing: Textual checks a widget's own visibility, not its tab's, so a hidden table
that changed asked for a repaint the compositor could not place, and the next frame rebuilt
its map of every widget (once a second, about 1.4 ms of CPU and cyclic garbage each time;
a column that changed width also laid out the screen; ``bench/RESULTS.md``). The table
catches up as its tab is chosen, in the same call, so the tab's first frame shows the
current rows. A table in an area that is not displayed (the bottom area the trader hid, or
that had no room) waits the same way, and catches up as the area is displayed again
(:func:`catch_up_tables_in`, called by whoever displays it); so does a table while another
panel is zoomed, catching up as the zoom ends.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.text import Text
from textual import events
from textual.widget import Widget
from textual.widgets import ContentSwitcher, TabPane

from console.tui.textual_compat import KeptCellsTable
from console.tui.widgets.panel_boundary import PanelBoundary

Cells = tuple[str | Text, ...]
"""One row's cells, in column order."""


class KeyedDataTable(PanelBoundary, KeptCellsTable[str | Text]):
    """A DataTable whose rows are replaced as a whole set, diffed by row key."""

    COLUMNS: Sequence[tuple[str, str]] = ()
    """``(key, label)`` of each column; subclasses declare theirs."""

    _rows: Mapping[str, Cells] = {}
    """The rows of the last sync, drawn or not."""

    _behind = False
    """The drawn rows lag :attr:`_rows`: handed over before the columns were added (they need
    the app to measure), or while the table's tab or area was hidden."""

    _pane: TabPane | None = None
    """The tab the table is in, if any."""

    @property
    def current_rows(self) -> Mapping[str, Cells]:
        """The rows of the last sync (row key -> cells, in the order given), whether or not
        they are drawn yet: what the table shows, or will show the moment its tab is."""
        return self._rows

    def on_mount(self) -> None:
        for key, label in self.COLUMNS:
            self.add_column(label, key=key)
        self._pane = next((node for node in self.ancestors if isinstance(node, TabPane)), None)
        if self._pane is not None and isinstance(self._pane.parent, ContentSwitcher):
            self.watch(self._pane.parent, "current", self._tab_chosen, init=False)
        self.watch(self.screen, "maximized", self._zoom_changed, init=False)
        self._catch_up()

    def on_show(self, event: events.Show) -> None:
        """A fallback: a table shown some way other than its switcher's ``current`` (none
        is known) still catches up, a frame late."""
        with self.contained():
            self._catch_up()

    def sync_rows(self, rows: Mapping[str, Cells]) -> None:
        """Make the table show exactly ``rows`` (row key -> cells), in the mapping's order
        for new rows; rows already shown keep their place so the cursor does not jump.
        In a hidden tab or area the rows are kept and drawn when it is shown."""
        self._rows = rows
        self._behind = True
        if self.columns and not self.is_hidden:
            self._catch_up()

    @property
    def is_hidden(self) -> bool:
        """Nothing of the table can be seen: its tab or an area it is in is hidden, or
        another panel is zoomed."""
        return self.in_hidden_tab or self.in_hidden_area or self.outside_the_zoom

    @property
    def in_hidden_tab(self) -> bool:
        """The table is in a tab that is not the one shown (its rows wait)."""
        pane = self._pane
        if pane is None or not isinstance(pane.parent, ContentSwitcher):
            return False
        current = pane.parent.current
        return current is not None and current != pane.id

    @property
    def in_hidden_area(self) -> bool:
        """A container of the table other than its tab is not displayed (its rows wait)."""
        return any(not node.display for node in self.ancestors if node is not self._pane)

    @property
    def outside_the_zoom(self) -> bool:
        """Another widget fills the screen (``Screen.maximized``); the table is neither in it
        nor in what the screen shows beside it (its rows wait)."""
        screen = self.screen
        zoomed = screen.maximized
        if zoomed is None or zoomed is self or zoomed in self.ancestors:
            return False
        allowed = screen.ALLOW_IN_MAXIMIZED_VIEW
        if allowed is None:
            allowed = self.app.ALLOW_IN_MAXIMIZED_VIEW
        beside = set(screen.query_children(allowed))
        return not any(node in beside for node in self.ancestors)

    def area_shown(self) -> None:
        """Called as a container of the table is displayed again, before the frame that
        shows it: the table draws the rows it kept, unless its tab is still hidden."""
        if not self.is_hidden:
            with self.contained():
                self._catch_up()

    def _tab_chosen(self, current: str | None) -> None:
        """Called as the tab switcher changes tabs, before the frame that shows it."""
        if self._pane is not None and current == self._pane.id:
            self.area_shown()

    def _zoom_changed(self, zoomed: Widget | None) -> None:
        """Called as a zoom starts or ends, before the frame that shows it."""
        self.area_shown()

    def _catch_up(self) -> None:
        """Draw the rows of the last sync, if the table lags them."""
        if not self._behind or not self.columns:
            return
        self._behind = False
        self._draw(self._rows)

    def _draw(self, rows: Mapping[str, Cells]) -> None:
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
            self.drop_outdated_renders()


def catch_up_tables_in(area: Widget) -> None:
    """The tables in ``area``, just displayed again, draw the rows they kept while it was
    hidden, before its first frame."""
    for table in area.query(KeyedDataTable):
        table.area_shown()


def _same_cell(old: str | Text, new: str | Text) -> bool:
    """Rich's ``Text.__eq__`` ignores the base style, but a recoloured cell must repaint."""
    if isinstance(old, Text) and isinstance(new, Text):
        return old.plain == new.plain and old.style == new.style and old.spans == new.spans
    return old == new
