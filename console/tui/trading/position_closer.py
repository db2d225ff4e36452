"""The close key (and ``close SYM``): close the whole position of one symbol with one
reduce-only order, through the order path every order takes.

The order is a reduce-only market order, or a reduce-only limit joining the touch on the
closing side, as ``ui.close_with`` says (:class:`~console.domain.closing.CloseStyle`). It
is handed to :meth:`OrderFlow.submit_draft
<console.tui.trading.order_flow.OrderFlow.submit_draft>`: the form's checks, the risk gate
(which lets reduce-only orders through its kill switch), the confirmation (live always),
the journal and one send. With no position there is nothing to send, and the trader is told.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from console.domain.closing import CloseStyle, close_request, closing_side
from console.tui.trading.held_positions import position_of
from console.tui.trading.ladder_trading import join_price
from console.tui.trading.order_commands import draft_for

if TYPE_CHECKING:
    from console.tui.trading.host import TradingHost
    from console.tui.trading.order_flow import OrderFlow


class PositionCloser:
    """Closes one symbol's position: the focused ladder's (the key) or a named one."""

    def __init__(self, app: TradingHost, flow: OrderFlow) -> None:
        self._app = app
        self._flow = flow

    def close_focused(self) -> None:
        """The close key: the position of the focused ladder's symbol."""
        self.close(self._app.main_screen.focused_ladder().symbol)

    def close(self, symbol: str) -> None:
        """Close ``symbol``'s whole position, or say why nothing is sent."""
        if self._flow.dialog_open():
            self._app.bell()
            return
        if (reason := self._flow.blocked()) is not None:
            self._app.notify(reason, title="Position not closed", severity="warning", timeout=8)
            return
        market = self._app.markets.get(symbol)
        if market is not None and not market.is_contract:
            self._nothing(f"{symbol} is spot: coins are a balance, not a position to close")
            return
        held = position_of(self._app, symbol)
        if isinstance(held, str):
            self._nothing(held)
            return
        if held is None:
            self._nothing(f"There is no open {symbol} position to close")
            return
        price = None
        if self._app.settings.ui.close_with is CloseStyle.TOUCH:
            book = self._app.market_store.book(symbol)
            price = None if book is None else join_price(closing_side(held), book)
            if price is None:
                self._nothing(f"No order book for {symbol} yet: no touch to close at")
                return
        self._flow.submit_draft(draft_for(close_request(held, price=price)))

    def _nothing(self, why: str) -> None:
        self._app.notify(why, title="Nothing to close", severity="warning", timeout=8)


__all__ = ["PositionCloser"]
