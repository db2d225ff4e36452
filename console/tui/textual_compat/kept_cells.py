"""Textual workaround 15: table cells kept across updates (:class:`KeptCellsTable`).

DataTable keys every rendered cell, row and line by an update counter that each
``update_cell`` bumps, and ``update_cell`` repaints the whole widget: one changed price in
the watchlist rendered every cell of every row again (through Rich's ``Padding`` and
``Text.wrap``), and every line of the widget, the blank ones below the rows too; each line
also worked out the widget's style anew (a walk over every ancestor's styles). A watchlist
redraw cost about 8 ms once a second, a frame's worth of the ladders' budget
(``bench/RESULTS.md``).

:class:`KeptCellsTable` is the same DataTable with three changes, each keeping what Textual
would draw:

- a rendered cell is kept until something it is drawn from changes: the value (the very
  object, held, so its id cannot be reused; ``update_cell`` forgets the cell even when handed
  the same object), its place, width and height, the style it is drawn on, the cursor and
  hover over it, the widget's pseudo-classes and the table's settings; a restyle (a theme or
  focus change reaching ``notify_style_update``) forgets them all;
- ``update_cell`` repaints only the row of the cell; a column that grows or shrinks with it
  (measured on idle) repaints the whole table;
- the widget's style is worked out once per ``render_lines`` rather than once per line.

And one fix: a table drawn at a new width before its Resize event arrived drew its rows
filled to the old width (Textual's rendered rows are not keyed by the width); they are
outdated as the width changes.

:meth:`KeptCellsTable.drop_outdated_renders` drops the renders the update counter outdated
(DataTable keeps them until their LRU bounds, 10,000 cells a table, push them out: tables
updated every second filled those bounds over minutes) without repainting what did not
change.
Textual's ``update_cell`` and ``render_line`` are copied with the changes above;
:func:`data_table_renders_per_update` fails when Textual changes them (the copies must be
checked against the new ones) or when Textual keeps cells across updates itself.
"""

from __future__ import annotations

import ast
import hashlib
import inspect
import textwrap
from typing import Any, Self

from rich.segment import Segment
from rich.style import Style
from textual.geometry import Region
from textual.strip import Strip
from textual.widgets import DataTable
from textual.widgets.data_table import CellDoesNotExist, CellKey, CellType, ColumnKey, RowKey

_Lines = list[list[Segment]]
_Context = tuple[Any, ...]
_Kept = tuple[object, _Context, _Lines]
"""A kept cell: the value drawn (held), what else it was drawn from, its lines."""

_COPIED_SOURCES = {
    "update_cell": "f9650c671b612e57",
    "render_line": "90e40ed0b5b9ebbe",
}
"""A digest of the code (docstrings left out) of each DataTable method copied here, as
Textual 8.2 has it."""


class KeptCellsTable(DataTable[CellType]):
    """A DataTable that renders again only the cells that changed."""

    _kept_cells: dict[RowKey, dict[tuple[ColumnKey | None, bool, bool], _Kept]] | None = None
    """Rendered cells by row, then by column, cursor over it and hover over it."""

    _line_style: Style | None = None
    """The widget's style while ``render_lines`` runs (worked out once for all its lines)."""

    _drawn_width = -1
    """The widget's width when it last drew."""

    def drop_outdated_renders(self) -> None:
        """Drop the rows, cells and lines Textual rendered before the last update (they are
        keyed by the update counter, so none can be hit again), keeping the lines on screen
        and the cells kept here."""
        self._row_render_cache.clear()
        self._cell_render_cache.clear()
        self._row_renderable_cache.clear()
        self._line_cache.clear()
        self._offset_cache.clear()
        self._ordered_row_cache.clear()

    def update_cell(
        self,
        row_key: RowKey | str,
        column_key: ColumnKey | str,
        value: CellType,
        *,
        update_width: bool = False,
    ) -> None:
        """Textual's ``update_cell``, repainting only the cell's row (see the module)."""
        if isinstance(row_key, str):
            row_key = RowKey(row_key)
        if isinstance(column_key, str):
            column_key = ColumnKey(column_key)
        if row_key not in self._row_locations or column_key not in self._column_locations:
            raise CellDoesNotExist(
                f"No cell exists for row_key={row_key!r}, column_key={column_key!r}."
            )
        self._data[row_key][column_key] = value
        self._update_count += 1
        if update_width:
            self._updated_cells.add(CellKey(row_key, column_key))
            self._require_update_dimensions = True
        self._forget_cells(row_key, column_key)
        self.refresh_row(self.get_row_index(row_key))

    def remove_row(self, row_key: RowKey | str) -> None:
        super().remove_row(row_key)
        self._forget_cells(RowKey(row_key) if isinstance(row_key, str) else row_key)

    def remove_column(self, column_key: ColumnKey | str) -> None:
        super().remove_column(column_key)
        column = ColumnKey(column_key) if isinstance(column_key, str) else column_key
        for cells in (self._kept_cells or {}).values():
            for key in [key for key in cells if key[0] == column]:
                del cells[key]

    def clear(self, columns: bool = False) -> Self:
        self._kept_cells = None
        return super().clear(columns)

    def notify_style_update(self) -> None:
        self._kept_cells = None
        super().notify_style_update()

    def render_lines(self, crop: Region) -> list[Strip]:
        width = self.size.width
        if width != self._drawn_width:
            # Textual outdates its rows as the Resize event arrives, which may be after the
            # first frame at the new width: rows drawn in it kept the old width's filling.
            self._drawn_width = width
            self._update_count += 1
        self._line_style = self.rich_style
        try:
            return super().render_lines(crop)
        finally:
            self._line_style = None

    def render_line(self, y: int) -> Strip:
        """Textual's ``render_line``, with the style ``render_lines`` worked out once."""
        width, _height = self.size
        scroll_x, scroll_y = self.scroll_offset
        row_key_at = self._row_locations.get_key
        fixed_rows_height = 0
        for row_index in range(self.fixed_rows):
            fixed_rows_height += self.get_row_height(row_key_at(row_index))  # type: ignore[arg-type]
        if self.show_header:
            fixed_rows_height += self.get_row_height(self._header_row_key)
        if y >= fixed_rows_height:
            y += scroll_y
        style = self._line_style
        if style is None:
            style = self.rich_style
        return self._render_line(y, scroll_x, scroll_x + width, style)

    def _update_column_widths(self, updated_cells: set[CellKey]) -> None:
        """Textual's measuring of updated cells; a column whose width changed repaints the
        table (Textual's repaint by ``update_cell`` covered it)."""
        widths = self._column_widths()
        super()._update_column_widths(updated_cells)
        if self._column_widths() != widths:
            self._update_count += 1
            self.refresh()

    def _column_widths(self) -> list[int]:
        return [column.content_width for column in self.columns.values()]

    def _render_cell(
        self,
        row_index: int,
        column_index: int,
        base_style: Style,
        width: int,
        cursor: bool = False,
        hover: bool = False,
    ) -> _Lines:
        """Textual's rendering of the cell, or the same lines kept from an earlier call
        drawn from the same things."""
        if row_index == -1:
            row_key = self._header_row_key
            height = self.header_height
            column_key = self._column_locations.get_key(column_index)
            value: object = None if column_key is None else self.columns[column_key].label
        else:
            row_key = self._row_locations.get_key(row_index)  # type: ignore[assignment]
            row = self.rows[row_key]
            if row.auto_height:  # measured by rendering: Textual's own path
                return super()._render_cell(
                    row_index, column_index, base_style, width, cursor, hover
                )
            height = row.height
            column_key = self._column_locations.get_key(column_index)
            if column_index == -1:
                value = row.label
            else:
                value = self._data[row_key].get(column_key) if column_key is not None else None
        context = (
            row_index,
            column_index,
            base_style,
            width,
            height,
            self._show_hover_cursor,
            self._pseudo_class_state,
            self.show_cursor,
            self._should_render_row_labels,
            self.fixed_rows,
            self.fixed_columns,
            self.cell_padding,
            self.cursor_foreground_priority,
            self.cursor_background_priority,
        )
        kept_cells = self._kept_cells
        if kept_cells is None:
            kept_cells = self._kept_cells = {}
        cells = kept_cells.get(row_key)
        if cells is None:
            cells = kept_cells[row_key] = {}
        slot = (column_key, cursor, hover)
        kept = cells.get(slot)
        if kept is not None and kept[0] is value and kept[1] == context:
            return kept[2]
        lines = super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        cells[slot] = (value, context, lines)
        return lines

    def _forget_cells(self, row_key: RowKey, column_key: ColumnKey | None = None) -> None:
        """Forget the kept cells of a row, or of one cell of it."""
        kept_cells = self._kept_cells
        if kept_cells is None:
            return
        if column_key is None:
            kept_cells.pop(row_key, None)
            return
        cells = kept_cells.get(row_key)
        if cells is not None:
            for key in [key for key in cells if key[0] == column_key]:
                del cells[key]


def _digest(function: Any) -> str:
    """A digest of a function's code, its docstring left out."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    definition = tree.body[0]
    assert isinstance(definition, ast.FunctionDef)
    body = definition.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        definition.body = body[1:]
    return hashlib.sha256(ast.dump(definition).encode()).hexdigest()[:16]


def copied_sources_changed() -> list[str]:
    """The DataTable methods copied here whose code is no longer the one copied."""
    return [
        name
        for name, digest in _COPIED_SOURCES.items()
        if _digest(getattr(DataTable, name)) != digest
    ]


def data_table_renders_per_update() -> bool:
    """Whether Textual still renders every cell again after any update (its cell cache is
    keyed by the update counter), repaints the whole table on ``update_cell`` and works out
    the widget's style for each line; and the methods copied here are Textual's."""
    render_cell = inspect.getsource(DataTable._render_cell)
    update_cell = inspect.getsource(DataTable.update_cell)
    render_line = inspect.getsource(DataTable.render_line)
    return (
        "self._update_count," in render_cell
        and "self.refresh()" in update_cell
        and "self.rich_style" in render_line
        and not copied_sources_changed()
    )
