"""Positions with their PnL, leverage, margin and liquidation price, live and paper alike.

Live positions come from the private stream's position pushes (or the REST fallback) and
are re-marked at the book's mid on every book move between pushes
(:meth:`console.domain.Position.at_mark`); paper ones come from the paper engine, marked at
the mid, with Bybit's isolated-margin figures (:mod:`console.paper.positions_risk`).
Realised PnL is cumulative where the venue reports it. Flat symbols with no realised PnL
are left out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from rich.text import Text

from console.domain import Market, Position
from console.tui.formatting import money_text, price_text, settle_currency, size_text
from console.tui.forms.theme_colours import theme_colour
from console.tui.widgets.keyed_table import Cells, KeyedDataTable


class PositionsTable(KeyedDataTable):
    """One row per symbol with a position (or realised PnL)."""

    DEFAULT_CSS = """
    PositionsTable {
        height: auto;
        max-height: 8;
    }
    """

    COLUMNS = (
        ("symbol", "Symbol"),
        ("size", "Size"),
        ("entry", "Entry"),
        ("mark", "Mark"),
        ("upnl", "uPnL"),
        ("rpnl", "rPnL"),
        ("leverage", "Lev"),
        ("margin", "Margin"),
        ("liq", "Liq"),
    )

    def __init__(self, *, name: str | None = None, id: str | None = None) -> None:
        super().__init__(name=name, id=id, cursor_type="row", zebra_stripes=True)
        self.markets: Mapping[str, Market] = {}
        """The venue's markets: prices to the tick, sizes to the lot step, PnL to the
        precision of the settle currency."""

    def update_positions(self, positions: Sequence[Position]) -> None:
        shown = [p for p in positions if p.size != 0 or (p.realised_pnl or 0) != 0]
        self.sync_rows({p.symbol: self._cells(p) for p in sorted(shown, key=lambda p: p.symbol)})

    def _signed(self, amount: Decimal | None, currency: str) -> Text:
        if amount is None:
            return Text("–", justify="right", style="dim")
        text = f"{'+' if amount > 0 else ''}{money_text(amount, currency)}"
        if amount == 0:
            return Text(text, justify="right")
        colour = theme_colour(self.app, "bid" if amount > 0 else "ask")
        return Text(text, justify="right", style=colour)

    def _cells(self, position: Position) -> Cells:
        market = self.markets.get(position.symbol)
        currency = settle_currency(position.symbol, market)

        def price(value: Decimal | None) -> Text:
            shown = "–" if value is None else price_text(value, market)
            return Text(shown, justify="right")

        return (
            Text(position.symbol, style="bold"),
            Text(size_text(position.signed_size, market), justify="right"),
            price(position.entry_price),
            price(position.mark_price),
            self._signed(position.unrealised_pnl, currency),
            self._signed(position.realised_pnl, currency),
            Text("–" if position.leverage is None else f"{position.leverage.normalize():f}x"),
            Text(
                "–"
                if position.initial_margin is None
                else money_text(position.initial_margin, currency),
                justify="right",
            ),
            price(position.liquidation_price),
        )


__all__ = ["PositionsTable"]
