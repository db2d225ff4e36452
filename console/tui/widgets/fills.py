"""Our fills, newest first, as the private stream pushes them (live mode).

Each execution is keyed by its id, so a fill the stream pushed and the rebuild listed again
shows once; the list keeps the latest :data:`FILLS_SHOWN`.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text

from console.domain import Fill, Side
from console.tui.forms.amounts import grouped_amount
from console.tui.forms.theme_colours import theme_colour
from console.tui.widgets.keyed_table import Cells, KeyedDataTable

FILLS_SHOWN = 50


class FillsTable(KeyedDataTable):
    """Time, symbol, side, price, size, fee and maker/taker of each of our fills."""

    DEFAULT_CSS = """
    FillsTable { height: auto; max-height: 8; }
    """

    COLUMNS = (
        ("time", "Time"),
        ("symbol", "Symbol"),
        ("side", "Side"),
        ("price", "Price"),
        ("size", "Size"),
        ("fee", "Fee"),
        ("liquidity", "M/T"),
    )

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self._fills: dict[str, Fill] = {}

    def add_fills(self, fills: Sequence[Fill]) -> None:
        """Show ``fills`` too (ids already shown are kept as they are)."""
        if not fills:
            return
        for fill in fills:
            self._fills.setdefault(fill.fill_id, fill)
        newest = sorted(self._fills.values(), key=lambda f: (f.timestamp, f.fill_id), reverse=True)
        kept = newest[:FILLS_SHOWN]
        self._fills = {fill.fill_id: fill for fill in kept}
        rows = {fill.fill_id: self._cells(fill) for fill in kept}
        if not self.columns:
            self.sync_rows(rows)  # kept until mounted
            return
        self.clear()  # newest on top: rows are re-added in order (fills are rare)
        for key, cells in rows.items():
            self.add_row(*cells, key=key)

    @property
    def fill_ids(self) -> list[str]:
        """The ids shown, newest first."""
        return list(self._fills)

    def _cells(self, fill: Fill) -> Cells:
        colour = theme_colour(self.app, "bid" if fill.side is Side.BUY else "ask")
        fee = grouped_amount(fill.fee)
        return (
            f"{fill.timestamp:%H:%M:%S}",
            fill.symbol,
            Text(fill.side.value.upper(), style=f"bold {colour}"),
            Text(grouped_amount(fill.price), justify="right"),
            Text(grouped_amount(fill.size), justify="right"),
            Text(fee, justify="right"),
            fill.liquidity.value[0].upper(),
        )


__all__ = ["FILLS_SHOWN", "FillsTable"]
