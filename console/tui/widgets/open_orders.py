"""The trader's working orders, with keys to cancel one or all of them.

The table only asks: cancelling is the app's job (it owns the exchange client and decides
whether a cancel-all needs a confirmation), so the keys post typed messages up.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets.data_table import RowDoesNotExist

from console.domain import Market, Order, Side
from console.tui.formatting import order_state_text, order_type_text, price_text, size_text
from console.tui.forms.theme_colours import theme_colour
from console.tui.widgets.keyed_table import Cells, KeyedDataTable


class OpenOrdersTable(KeyedDataTable):
    """One row per order, keyed by order id; ``c`` cancels the selected order, ``C`` all."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "c",
            "cancel_selected",
            "Cancel order",
            id="open_orders.cancel",
            tooltip="Cancel the order under the cursor",
        ),
        Binding(
            "C",
            "cancel_all",
            "Cancel all",
            id="open_orders.cancel_all",
            tooltip="Cancel every open order",
        ),
    ]

    DEFAULT_CSS = """
    OpenOrdersTable {
        height: auto;
        max-height: 14;
    }
    """

    COLUMNS = (
        ("symbol", "Symbol"),
        ("side", "Side"),
        ("type", "Type"),
        ("price", "Price"),
        ("quantity", "Qty"),
        ("filled", "Filled"),
        ("status", "Status"),
    )

    class CancelRequested(Message):
        """The trader asked to cancel one order."""

        def __init__(self, order_id: str, symbol: str) -> None:
            super().__init__()
            self.order_id = order_id
            self.symbol = symbol

    class CancelAllRequested(Message):
        """The trader asked to cancel every open order."""

    def __init__(self, *, name: str | None = None, id: str | None = None) -> None:
        super().__init__(name=name, id=id, cursor_type="row", zebra_stripes=True)
        self._symbols: dict[str, str] = {}
        """Order id -> symbol, because a cancel needs both."""
        self.markets: Mapping[str, Market] = {}
        """The venue's markets: prices to the tick, quantities to the lot step."""

    def update_orders(self, orders: Sequence[Order]) -> None:
        """Show exactly these orders; orders new to the table are added oldest first."""
        ordered = sorted(orders, key=_age_order)
        self._symbols = {order.order_id: order.symbol for order in ordered}
        self.sync_rows({order.order_id: self._cells(order) for order in ordered})

    @property
    def selected_order_id(self) -> str | None:
        """The order under the cursor, or None when the table is empty."""
        if not self.row_count:
            return None
        try:
            row_key, _ = self.coordinate_to_cell_key(self.cursor_coordinate)
        except RowDoesNotExist:
            return None
        return row_key.value

    def action_cancel_selected(self) -> None:
        order_id = self.selected_order_id
        if order_id is None:
            self.notify("No open order selected", severity="warning")
            return
        self.post_message(self.CancelRequested(order_id, self._symbols[order_id]))

    def action_cancel_all(self) -> None:
        if not self.current_rows:
            self.notify("No open orders to cancel", severity="warning")
            return
        self.post_message(self.CancelAllRequested())

    def _cells(self, order: Order) -> Cells:
        side_colour = theme_colour(self.app, "bid" if order.side is Side.BUY else "ask")
        market = self.markets.get(order.symbol)
        price = "market" if order.price is None else price_text(order.price, market)
        return (
            Text(order.symbol),
            Text(order.side.value.upper(), style=f"bold {side_colour}"),
            Text(order_type_text(order, market)),
            Text(price, justify="right"),
            Text(size_text(order.quantity, market), justify="right"),
            Text(size_text(order.filled, market), justify="right"),
            Text(order_state_text(order)),
        )


_NEVER = datetime.min.replace(tzinfo=UTC)


def _age_order(order: Order) -> tuple[datetime, str]:
    """Oldest first; orders without a creation time first of all, then by id, so the order
    of rows never depends on the order the venue listed them in."""
    return (order.created_at or _NEVER, order.order_id)
