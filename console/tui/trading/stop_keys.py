"""The ladder's stop keys: a stop order, or the position's take-profit / stop-loss, at the
cursor's line.

``S`` places a stop-market order of the ladder's size preset with its trigger at the cursor:
a sell stop when the cursor is below the last price, a buy stop above it; the order flow
checks, confirms and sends it like the other ladder keys' orders. ``E`` sets the take-profit
and ``D`` the stop-loss of the focused symbol's position at the cursor
(:mod:`.position_stops`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from console.domain import StopKind
from console.tui.forms.amounts import plain_amount
from console.tui.trading.ladder_keys import NO_CURSOR
from console.tui.trading.position_stops import StopsChange
from console.tui.trading.stop_orders import last_price, stop_draft, stop_side

if TYPE_CHECKING:
    from console.tui.trading.host import TradingHost
    from console.tui.trading.ladder_keys import LadderKeys
    from console.tui.trading.order_flow import OrderFlow
    from console.tui.trading.position_stops import PositionStops


class StopKeys:
    """``S``, ``E`` and ``D`` on the focused ladder."""

    def __init__(
        self,
        host: TradingHost,
        flow: OrderFlow,
        ladder_keys: LadderKeys,
        position_stops: PositionStops,
    ) -> None:
        self._host = host
        self._flow = flow
        self._ladder_keys = ladder_keys
        self._position_stops = position_stops

    def stop_at_cursor(self) -> None:
        """A stop-market order with its trigger on the cursor's line."""
        ladder = self._host.main_screen.focused_ladder()
        trigger = ladder.cursor_price
        if trigger is None:
            self._host.notify(NO_CURSOR, severity="warning")
            return
        market = self._host.markets.get(ladder.symbol)
        last = last_price(self._host.market_store, ladder.symbol)
        if market is None or last is None:
            self._host.notify(f"No price for {ladder.symbol} yet", severity="warning")
            return
        side = stop_side(trigger, last)
        if side is None:
            self._host.notify(
                f"The cursor is at the last price {plain_amount(last)}: a stop there would "
                "trigger at once; move it above (buy stop) or below (sell stop)",
                severity="warning",
            )
            return
        self._ladder_keys.show_size()
        quantity = self._ladder_keys.preset.quantity(market, trigger)
        self._flow.submit_draft(stop_draft(ladder.symbol, side, quantity, trigger))

    def protect_at_cursor(self, kind: StopKind) -> None:
        """The position's take-profit (``kind`` TAKE_PROFIT) or stop-loss at the cursor."""
        if self._flow.dialog_open():
            self._host.bell()
            return
        ladder = self._host.main_screen.focused_ladder()
        price = ladder.cursor_price
        if price is None:
            self._host.notify(NO_CURSOR, severity="warning")
            return
        if kind is StopKind.TAKE_PROFIT:
            change = StopsChange(ladder.symbol, take_profit=price)
        else:
            change = StopsChange(ladder.symbol, stop_loss=price)
        self._position_stops.ask(change)


__all__ = ["StopKeys"]
