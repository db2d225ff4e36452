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


def _age(fill: Fill) -> tuple[object, str]:
    return fill.timestamp, fill.fill_id


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
        """Show the ``fills`` not shown yet, newest on top; only the newest
        :data:`FILLS_SHOWN` stay. New rows are added and the table re-sorted, so a fill costs
        one row, not a redraw of the list."""
        new = [fill for fill in fills if fill.fill_id not in self._fills]
        if not new:
            return
        for fill in new:
            self._fills[fill.fill_id] = fill
        newest = sorted(self._fills.values(), key=_age, reverse=True)
        dropped = newest[FILLS_SHOWN:]
        self._fills = {fill.fill_id: fill for fill in newest[:FILLS_SHOWN]}
        if not self.columns:  # kept until mounted
            self.sync_rows({fill.fill_id: self._cells(fill) for fill in self._fills.values()})
            return
        for fill in dropped:
            if fill.fill_id in self.rows:
                self.remove_row(fill.fill_id)
        for fill in new:
            if fill.fill_id in self._fills:
                self.add_row(*self._cells(fill), key=fill.fill_id)
        self.sort("time", reverse=True)

    @property
    def fill_ids(self) -> list[str]:
        """The ids shown, newest first."""
        return [str(row.key.value) for row in self.ordered_rows]

    def _cells(self, fill: Fill) -> Cells:
        colour = theme_colour(self.app, "bid" if fill.side is Side.BUY else "ask")
        fee = grouped_amount(fill.fee)
        return (
            f"{fill.timestamp:%H:%M:%S.%f}"[:12],
            fill.symbol,
            Text(fill.side.value.upper(), style=f"bold {colour}"),
            Text(grouped_amount(fill.price), justify="right"),
            Text(grouped_amount(fill.size), justify="right"),
            Text(fee, justify="right"),
            fill.liquidity.value[0].upper(),
        )


__all__ = ["FILLS_SHOWN", "FillsTable"]
