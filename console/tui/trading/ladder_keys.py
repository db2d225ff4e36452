"""The ladder's trading keys: turn a key into an order draft at the right price and size,
and hand it to the order flow (which checks, confirms and sends it).

Acts on the focused ladder (or the main one): its symbol, its book, its cursor line.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from console.domain import OrderType, Side
from console.tui.forms.amounts import plain_amount
from console.tui.forms.order_draft import OrderDraft
from console.tui.trading.ladder_trading import SizePreset, improve_price, join_price, orders_at
from console.tui.trading.order_flow import OrderFlow

if TYPE_CHECKING:
    from console.tui.trading.host import TradingHost
    from console.tui.widgets.ladder import OrderBookLadder

NO_CURSOR = "Put the ladder cursor on a price first: press l, then the up/down arrows"


class LadderKeys:
    """Buy or sell at the cursor, join or improve the best price, cancel at the cursor, and
    the size preset (shown in every ladder's header)."""

    def __init__(self, app: TradingHost, flow: OrderFlow) -> None:
        self._app = app
        self._flow = flow
        self.preset = SizePreset()
        """The size the ladder keys send, as a multiple of the smallest order."""

    def _ladder(self) -> OrderBookLadder:
        return self._app.main_screen.focused_ladder()

    def show_size(self) -> None:
        """Write the size preset into every ladder's header."""
        for ladder in self._app.main_screen.ladders:
            book = ladder.snapshot
            ladder.note = self.preset.describe(ladder.market, book.mid if book else None)

    def change_size(self, direction: int) -> None:
        self.preset = self.preset.step(direction)
        self.show_size()

    def at_cursor(self, side: Side) -> None:
        ladder = self._ladder()
        if ladder.cursor_price is None:
            self._app.notify(NO_CURSOR, severity="warning")
            return
        self._place(ladder, side, ladder.cursor_price)

    def join(self, side: Side) -> None:
        ladder = self._ladder()
        price = join_price(side, ladder.snapshot) if ladder.snapshot else None
        self._place(ladder, side, price)

    def improve(self, side: Side) -> None:
        ladder = self._ladder()
        book = ladder.snapshot
        price = improve_price(side, book, ladder.tick_size) if book else None
        self._place(ladder, side, price)

    def _place(self, ladder: OrderBookLadder, side: Side, price: Decimal | None) -> None:
        market = self._app.markets.get(ladder.symbol)
        if price is None or market is None:
            self._app.notify(f"No order book for {ladder.symbol} yet", severity="warning")
            return
        self.show_size()
        draft = OrderDraft(
            symbol=ladder.symbol,
            side=side,
            type=OrderType.LIMIT,
            quantity=plain_amount(self.preset.quantity(market, price)),
            price=plain_amount(price),
        )
        self._flow.submit_draft(draft)

    def form_draft(self) -> OrderDraft:
        """What the order form starts from: the ladder's symbol, a buy at its cursor (or the
        best bid) and the size preset, all editable."""
        ladder = self._ladder()
        market = self._app.markets.get(ladder.symbol)
        book = ladder.snapshot
        price = ladder.cursor_price or (join_price(Side.BUY, book) if book else None)
        if market is None or price is None:
            return OrderDraft(symbol=ladder.symbol)
        return OrderDraft(
            symbol=ladder.symbol,
            quantity=plain_amount(self.preset.quantity(market, price)),
            price=plain_amount(price),
        )

    def cancel_at_cursor(self) -> None:
        ladder = self._ladder()
        if ladder.cursor_price is None:
            self._app.notify(NO_CURSOR, severity="warning")
            return
        bucket = ladder.tick_size * ladder.multiple
        found = orders_at(ladder.own_orders, ladder.symbol, ladder.cursor_price, bucket)
        if not found:
            self._app.notify(
                f"No order of ours at {plain_amount(ladder.cursor_price)}", severity="warning"
            )
            return
        self._flow.cancel([(order.order_id, order.symbol) for order in found])


__all__ = ["NO_CURSOR", "LadderKeys"]
