"""Moving one of our resting orders from the ladder: pick it up, walk it, drop it.

With the ladder cursor on a line holding one of our orders, the pick-up key takes it (the
quantity key takes it for a size change instead); while it is carried the up/down arrows
walk it line by line (the cursor shows where it will go and the ladder's header says what it
will become), Enter amends it and Esc puts it back untouched. The amend is confirmed as a
new order is (always live, paper unless ``ui.confirm_paper_orders`` is off), then sent once
in a worker: ``ExchangeClient.amend_order`` live, the paper engine's ``amend_order`` in
paper (the client keeps venue account operations for live mode). Whether the order keeps
its place in the queue is the venue's rule (a new price loses it, a smaller size keeps it).
A waiting stop, or the position's take-profit / stop-loss, is picked up by its trigger's
line and moves its trigger instead (:mod:`.trigger_mover`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import TYPE_CHECKING, Literal, Protocol

from console.domain import Order, OrderRequest, TradingMode, TriggerSource
from console.tui.forms.amounts import plain_amount
from console.tui.messages import OrderAmended, OrderFailed
from console.tui.trading.ladder_keys import NO_CURSOR
from console.tui.trading.ladder_trading import orders_at, smallest_order

if TYPE_CHECKING:
    from console.tui.trading.host import TradingHost
    from console.tui.trading.order_flow import OrderFlow
    from console.tui.widgets.ladder import OrderBookLadder

log = logging.getLogger(__name__)

CarryMode = Literal["price", "quantity"]


@dataclass(frozen=True)
class Carried:
    """The order picked up, and what it will become when dropped."""

    order: Order
    ladder: OrderBookLadder
    mode: CarryMode
    price: Decimal
    """Where the order will be: its price, or a waiting stop's trigger (which only the
    trigger mover moves, so a stop is carried here for its size alone)."""
    quantity: Decimal

    @property
    def new_price(self) -> Decimal | None:
        """The price the amend sends; None when it stays."""
        return None if self.price == self.order.ladder_price else self.price

    @property
    def new_quantity(self) -> Decimal | None:
        """The size the amend sends; None when it stays."""
        return None if self.quantity == self.order.quantity else self.quantity

    @property
    def changed(self) -> bool:
        return self.new_price is not None or self.new_quantity is not None

    def describe(self) -> str:
        """``moving #42 0.002 @ 60,000 → 0.002 @ 60,010 (Enter/Esc)`` for the ladder header
        (``stop @`` for a waiting stop, which is resized at its trigger)."""
        at = "stop @" if self.order.waiting_trigger else "@"
        line = self.order.ladder_price or Decimal(0)
        was = f"{plain_amount(self.order.quantity)} {at} {plain_amount(line)}"
        will = f"{plain_amount(self.quantity)} {at} {plain_amount(self.price)}"
        return f"moving {self.order.order_id} {was} → {will} (Enter/Esc)"


class TriggerCarrier(Protocol):
    """What carries triggers (:class:`~.trigger_mover.TriggerMover`): the move keys go to it
    while it carries one, and ``m`` asks it first."""

    @property
    def carrying(self) -> bool: ...

    def pick_up(self, ladder: OrderBookLadder) -> bool: ...

    def step(self, direction: int) -> None: ...

    def put_back(self) -> None: ...

    def drop(self) -> None: ...


def amended_request(
    order: Order,
    *,
    quantity: Decimal | None = None,
    price: Decimal | None = None,
    trigger_price: Decimal | None = None,
) -> OrderRequest:
    """``order`` as a request with what the amend changes (for its confirmation)."""
    return OrderRequest(
        symbol=order.symbol,
        side=order.side,
        type=order.type,
        quantity=quantity or order.quantity,
        price=price or order.price,
        time_in_force=order.time_in_force,
        reduce_only=order.reduce_only,
        trigger_price=trigger_price or (order.trigger_price if order.waiting_trigger else None),
        trigger_by=order.trigger_by or TriggerSource.LAST,
    )


class OrderMover:
    """The pick-up / step / drop / put-back keys of the ladder."""

    def __init__(self, host: TradingHost, flow: OrderFlow) -> None:
        self._host = host
        self._flow = flow
        self.carried: Carried | None = None
        self.triggers: TriggerCarrier | None = None
        """Carries waiting stops and the position's TP/SL by their trigger (the console
        sets it; without it only resting orders move)."""

    @property
    def carrying(self) -> bool:
        return self.carried is not None or (self.triggers is not None and self.triggers.carrying)

    def pick_up(self, mode: CarryMode) -> None:
        """Take our order on the cursor's line of the focused ladder (the first of several)."""
        if self._flow.dialog_open():
            self._host.bell()
            return
        if (reason := self._flow.blocked()) is not None:
            self._host.notify(reason, title="Order not moved", severity="warning", timeout=8)
            return
        ladder = self._host.main_screen.focused_ladder()
        if ladder.cursor_price is None:
            self._host.notify(NO_CURSOR, severity="warning")
            return
        if mode == "price" and self.triggers is not None and self.triggers.pick_up(ladder):
            return
        bucket = ladder.tick_size * ladder.multiple
        found = [
            order
            for order in orders_at(ladder.own_orders, ladder.symbol, ladder.cursor_price, bucket)
            if order.status.is_open and (mode == "quantity" or not order.waiting_trigger)
        ]
        if not found:
            self._host.notify(
                f"No order of ours at {plain_amount(ladder.cursor_price)} to move",
                severity="warning",
            )
            return
        order = found[0]
        assert order.ladder_price is not None
        self.carried = Carried(order, ladder, mode, order.ladder_price, order.quantity)
        ladder.focus()
        self._show()

    def step(self, direction: int) -> None:
        """Up (+1) or down (-1): the next ladder line, or one smallest order more or less."""
        carried = self.carried
        if carried is None:
            if self.triggers is not None:
                self.triggers.step(direction)
            return
        ladder = carried.ladder
        if carried.mode == "price":
            ladder.action_cursor(direction)
            if ladder.cursor_price is not None:
                self.carried = replace(carried, price=ladder.cursor_price)
        else:
            market = self._host.markets.get(carried.order.symbol)
            if market is None:
                return
            unit = smallest_order(market, carried.price)
            floor = max(carried.order.filled + market.qty_step, unit)
            quantity = max(floor, carried.quantity + unit * direction)
            self.carried = replace(carried, quantity=market.floor_qty(quantity))
        self._show()

    def put_back(self) -> None:
        """Esc: the order stays where it was; nothing is sent."""
        carried, self.carried = self.carried, None
        if carried is not None:
            carried.ladder.move_note = ""
            carried.ladder.cursor_price = carried.order.ladder_price
        elif self.triggers is not None:
            self.triggers.put_back()

    def drop(self) -> None:
        """Enter: confirm the amend (as a new order is), then send it once in a worker."""
        carried, self.carried = self.carried, None
        if carried is None:
            if self.triggers is not None:
                self.triggers.drop()
            return
        carried.ladder.move_note = ""
        if not carried.changed:
            self._host.notify("The order is where it was: nothing to amend", timeout=4)
            return
        order = carried.order
        price, quantity = carried.new_price, carried.new_quantity
        request = amended_request(order, quantity=quantity, price=price)
        self.confirm_amend(
            order, request, lambda: self.send_amend(order, price=price, quantity=quantity)
        )

    def confirm_amend(self, order: Order, request: OrderRequest, send: Callable[[], None]) -> None:
        """Confirm moving ``order`` to ``request`` as a new order is confirmed (always live;
        paper unless the setting skips it), then ``send``."""
        settings = self._host.settings
        if settings.mode is TradingMode.PAPER and not settings.ui.confirm_paper_orders:
            send()
            return
        market = self._host.markets.get(order.symbol)
        if market is None:
            self._host.notify(f"{order.symbol} is not a market of this venue", severity="error")
            return
        from console.tui.screens.confirm_order import ConfirmOrderScreen

        def confirmed(yes: bool | None) -> None:
            if yes:
                send()

        self._host.push_screen(
            ConfirmOrderScreen(
                request,
                market,
                mode=settings.mode,
                venue=settings.venue,
                reference_price=self._flow.mid(order.symbol),
                price_band_pct=settings.risk.price_band_pct,
                amends=order,
            ),
            callback=confirmed,
        )

    def _show(self) -> None:
        if self.carried is not None:
            self.carried.ladder.move_note = self.carried.describe()

    def send_amend(
        self,
        order: Order,
        *,
        price: Decimal | None = None,
        quantity: Decimal | None = None,
        trigger_price: Decimal | None = None,
    ) -> None:
        """Amend ``order`` once, in a worker (what is None stays as it is)."""
        self._host.run_worker(
            self._amend(order, price, quantity, trigger_price),
            name="amend order",
            group="orders",
            exit_on_error=False,
        )

    async def _amend(
        self,
        order: Order,
        price: Decimal | None,
        quantity: Decimal | None,
        trigger_price: Decimal | None,
    ) -> None:
        from console.exchange import ExchangeError
        from console.paper import PaperOrderNotFound, PaperOrderRejected

        services = self._host.services
        if services is None:
            return
        request = amended_request(
            order, quantity=quantity, price=price, trigger_price=trigger_price
        )
        try:
            if services.paper is not None:
                amended = await services.paper.amend_order(
                    order.order_id,
                    order.symbol,
                    price=price,
                    quantity=quantity,
                    trigger_price=trigger_price,
                )
            else:
                amended = await services.client.amend_order(
                    order.order_id,
                    order.symbol,
                    price=price,
                    quantity=quantity,
                    trigger_price=trigger_price,
                )
        except (ExchangeError, PaperOrderRejected, PaperOrderNotFound) as error:
            self._host.post_message(OrderFailed(request, f"Amend of {order.order_id}: {error}"))
        except Exception as error:  # the last line of defence: words, not a traceback
            log.exception("amend failed")
            self._host.post_message(
                OrderFailed(request, f"The amend of {order.order_id} could not be sent ({error})")
            )
        else:
            self._host.post_message(OrderAmended(amended))
        self._flow.refresh()


__all__ = ["Carried", "OrderMover", "TriggerCarrier", "amended_request"]
