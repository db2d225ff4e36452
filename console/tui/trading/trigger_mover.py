"""Moving a trigger from the ladder with the order-move keys: a waiting stop, or the
position's take-profit / stop-loss.

``m`` on a line holding a ``STOP``/``TP``/``SL`` mark picks it up; the arrows walk its
trigger line by line (the header says what it will become), Enter moves it and Esc leaves it.
A waiting conditional order is amended with its new trigger price (Bybit's amend takes
``triggerPrice``; the paper engine's amend moves a waiting trigger the same way), confirmed
as an amend of the order; the position's whole-position TP/SL is set again through
``position/trading-stop`` (:mod:`.position_stops`), confirmed as that. Either is sent once.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from typing import TYPE_CHECKING

from console.domain import Order, StopKind
from console.tui.forms.amounts import plain_amount
from console.tui.trading.ladder_trading import orders_at
from console.tui.trading.order_mover import amended_request
from console.tui.trading.position_stops import StopsChange
from console.tui.trading.trigger_marks import LABELS, PositionStop, position_stop_at

if TYPE_CHECKING:
    from console.tui.trading.host import TradingHost
    from console.tui.trading.order_mover import OrderMover
    from console.tui.trading.position_stops import PositionStops
    from console.tui.widgets.ladder import OrderBookLadder


@dataclass(frozen=True)
class CarriedTrigger:
    """A trigger picked up: a waiting order's, or the position's TP/SL, and where it goes."""

    ladder: OrderBookLadder
    was: Decimal
    price: Decimal
    order: Order | None = None
    stop: PositionStop | None = None

    @property
    def label(self) -> str:
        if self.stop is not None:
            return LABELS[self.stop.kind]
        assert self.order is not None
        kind = self.order.stop_kind or StopKind.STOP
        return f"{LABELS[kind]} {plain_amount(self.order.remaining)}"

    def describe(self) -> str:
        """``moving STOP 0.01 trigger 58,000 → 57,990 (Enter/Esc)`` for the ladder header."""
        return (
            f"moving {self.label} trigger {plain_amount(self.was)} → "
            f"{plain_amount(self.price)} (Enter/Esc)"
        )


class TriggerMover:
    """Pick up / step / drop / put back for triggers; the order mover hands its keys here
    when the cursor's line holds a trigger."""

    def __init__(
        self, host: TradingHost, orders: OrderMover, position_stops: PositionStops
    ) -> None:
        self._host = host
        self._orders = orders
        self._position_stops = position_stops
        self.carried: CarriedTrigger | None = None

    @property
    def carrying(self) -> bool:
        return self.carried is not None

    def pick_up(self, ladder: OrderBookLadder) -> bool:
        """Take the position's TP/SL, or a waiting trigger of ours, on the cursor's line;
        False when the line holds neither."""
        line = ladder.cursor_price
        if line is None:
            return False
        stop = position_stop_at(ladder, self._host.main_screen.position(ladder.symbol))
        if stop is not None:
            self.carried = CarriedTrigger(ladder, stop.price, stop.price, stop=stop)
        else:
            bucket = ladder.tick_size * ladder.multiple
            waiting = [
                order
                for order in orders_at(ladder.own_orders, ladder.symbol, line, bucket)
                if order.waiting_trigger and order.trigger_price is not None
            ]
            if not waiting:
                return False
            trigger = waiting[0].trigger_price
            assert trigger is not None
            self.carried = CarriedTrigger(ladder, trigger, trigger, order=waiting[0])
        ladder.focus()
        self._show()
        return True

    def step(self, direction: int) -> None:
        """The trigger one ladder line up (+1) or down (-1)."""
        carried = self.carried
        if carried is None:
            return
        carried.ladder.action_cursor(direction)
        if carried.ladder.cursor_price is not None:
            self.carried = replace(carried, price=carried.ladder.cursor_price)
        self._show()

    def put_back(self) -> None:
        """Esc: nothing is sent; the cursor returns to the trigger's line."""
        carried, self.carried = self.carried, None
        if carried is not None:
            carried.ladder.move_note = ""
            carried.ladder.cursor_price = carried.was

    def drop(self) -> None:
        """Enter: confirm, then move the trigger once."""
        carried, self.carried = self.carried, None
        if carried is None:
            return
        carried.ladder.move_note = ""
        if carried.price == carried.was:
            self._host.notify("The trigger is where it was: nothing to move", timeout=4)
            return
        if carried.stop is not None:
            stop = carried.stop
            take_profit = carried.price if stop.kind is StopKind.TAKE_PROFIT else None
            stop_loss = carried.price if stop.kind is StopKind.STOP_LOSS else None
            change = StopsChange(stop.symbol, take_profit=take_profit, stop_loss=stop_loss)
            self._position_stops.ask(change, was=carried.was)
            return
        order = carried.order
        assert order is not None
        price = carried.price
        request = amended_request(order, trigger_price=price)
        self._orders.confirm_amend(
            order, request, lambda: self._orders.send_amend(order, trigger_price=price)
        )

    def _show(self) -> None:
        if self.carried is not None:
            self.carried.ladder.move_note = self.carried.describe()


__all__ = ["CarriedTrigger", "TriggerMover"]
