"""The paper session's fills, newest first, in the bottom area; ``f`` explains one.

Prices to the tick, sizes to the lot step and fees to two places finer than the fee
currency's balances (:mod:`console.tui.formatting`), so a fee of a fraction of a cent is
still read.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.text import Text

from console.domain import Fill, Market, Side
from console.tui.formatting import fee_text, price_text, size_text
from console.tui.forms.theme_colours import theme_colour
from console.tui.widgets.keyed_table import Cells, KeyedDataTable

FILLS_SHOWN = 200
"""The newest fills listed; older ones stay in the session's journal (``f`` lists all)."""


class FillsTable(KeyedDataTable):
    """One row per fill, keyed by fill id, newest on top."""

    COLUMNS = (
        ("time", "Time"),
        ("symbol", "Symbol"),
        ("side", "Side"),
        ("price", "Price"),
        ("size", "Size"),
        ("fee", "Fee"),
        ("liquidity", "Liq"),
    )

    def __init__(self, *, name: str | None = None, id: str | None = None) -> None:
        super().__init__(name=name, id=id, cursor_type="row", zebra_stripes=True)
        self.markets: Mapping[str, Market] = {}
        """The venue's markets: prices to the tick, sizes to the lot step."""

    def update_fills(self, fills: Sequence[Fill]) -> None:
        """Show the newest :data:`FILLS_SHOWN` of ``fills`` (given oldest first)."""
        newest = sorted(fills, key=lambda fill: (fill.timestamp, fill.fill_id), reverse=True)
        self.sync_rows({fill.fill_id: self._cells(fill) for fill in newest[:FILLS_SHOWN]})

    def _cells(self, fill: Fill) -> Cells:
        market = self.markets.get(fill.symbol)
        colour = theme_colour(self.app, "bid" if fill.side is Side.BUY else "ask")
        return (
            Text(f"{fill.timestamp:%H:%M:%S}"),
            Text(fill.symbol),
            Text(fill.side.value.upper(), style=f"bold {colour}"),
            Text(price_text(fill.price, market), justify="right"),
            Text(size_text(fill.size, market), justify="right"),
            Text(f"{fee_text(fill.fee, fill.fee_currency)} {fill.fee_currency}", justify="right"),
            Text(fill.liquidity.value),
        )


__all__ = ["FillsTable"]
