"""The watchlist: the trader's symbols with last price and trades/min; pick one to focus it.

Selecting a row (a click, or Enter on the highlighted row) posts
:class:`Watchlist.SymbolChosen`; the screen decides what that means (point the main ladder,
tape and chart at it). Delete on a row posts :class:`Watchlist.RemoveRequested`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import DataTable

from console.domain import Market, TradeStats
from console.tui.formatting import price_text
from console.tui.widgets.keyed_table import Cells, KeyedDataTable


class Watchlist(KeyedDataTable):
    """Symbols in the order the settings list them: symbol, last price, trades/min."""

    DEFAULT_CSS = """
    Watchlist { height: 1fr; }
    """

    COLUMNS = (("symbol", "Symbol"), ("last", "Last"), ("tpm", "T/min"))
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "delete",
            "remove_highlighted",
            "Remove",
            id="watchlist.remove",
            show=False,  # the footer's room is for the trading keys; help lists it
            tooltip="Take the highlighted symbol off the watchlist",
        ),
    ]

    class RemoveRequested(Message):
        """The trader asked to take a symbol off the watchlist."""

        def __init__(self, symbol: str) -> None:
            super().__init__()
            self.symbol = symbol

    class SymbolChosen(Message):
        """The trader picked a symbol in the watchlist."""

        def __init__(self, symbol: str) -> None:
            super().__init__()
            self.symbol = symbol

    def __init__(self, symbols: Sequence[str], *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row")
        self.symbols = tuple(symbols)
        """The symbols listed, in order."""
        self.markets: Mapping[str, Market] = {}
        """The venue's markets: last prices to the tick."""

    def on_mount(self) -> None:
        # Textual runs the subclass's on_mount first; the columns come from the base's.
        self.call_later(self.set_symbols, self.symbols)

    def update_stats(self, stats: dict[str, TradeStats | None]) -> None:
        """Refresh the figures of every listed symbol from its trade statistics."""
        self.sync_rows({symbol: self._cells(symbol, stats.get(symbol)) for symbol in self.symbols})

    def set_symbols(self, symbols: Sequence[str]) -> None:
        """Replace the list (e.g. after a symbol picked in the palette is added)."""
        self.symbols = tuple(symbols)
        self.sync_rows({symbol: self._cells(symbol, None) for symbol in self.symbols})

    def _cells(self, symbol: str, stats: TradeStats | None) -> Cells:
        last = stats.last_price if stats else None
        tpm = f"{stats.trades_per_minute:,.0f}" if stats else "–"
        shown = "–" if last is None else price_text(last, self.markets.get(symbol))
        return (
            Text(symbol, style="bold"),
            Text(shown, justify="right"),
            Text(tpm, justify="right"),
        )

    def action_remove_highlighted(self) -> None:
        if 0 <= self.cursor_row < len(self.ordered_rows):
            key = self.ordered_rows[self.cursor_row].key.value
            if key is not None:
                self.post_message(self.RemoveRequested(key))

    def on_click(self, event: events.Click) -> None:
        """One click picks a symbol (a DataTable alone wants a second click to select)."""
        row = event.style.meta.get("row", -1)
        if isinstance(row, int) and 0 <= row < len(self.ordered_rows):
            key = self.ordered_rows[row].key.value
            if key is not None:
                self.post_message(self.SymbolChosen(key))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is not None:
            self.post_message(self.SymbolChosen(event.row_key.value))
