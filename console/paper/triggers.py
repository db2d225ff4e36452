"""Conditional orders and take-profit / stop-loss for the paper engine, as Bybit runs them.

A conditional order (``OrderRequest.trigger_price``) waits, open but untriggered, until the
price it watches reaches its trigger in its direction; then its order is placed through the
engine like any other (checks, funds, ledger). The watched prices come from the live stream:
``LastPrice`` is the last public print, ``MarkPrice`` the book's mid, and ``IndexPrice`` the
mid as well (the paper engine sees no spot index). A trigger already on the wrong side of the
market is refused, as Bybit refuses it (110092 / 110093).

Take-profit / stop-loss attached to an order become reduce-only conditional orders on the
position once the order fills; ``set_trading_stop`` sets them on the position directly
(whole position, replacing the earlier ones; or a partial pair of a given size). The
whole-position ones follow the position's size; every one left is deactivated (cancelled)
when the position closes or turns.

Untriggered orders live in memory only: they are not in the ledger, so a restart forgets them
(the orders they placed once triggered are in the ledger like any other).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Literal

from console.domain import (
    DepthSnapshot,
    Order,
    OrderRequest,
    OrderStatus,
    OrderType,
    Side,
    StopKind,
    TimeInForce,
    Trade,
    TriggerDirection,
    TriggerSource,
)
from console.paper.errors import PaperOrderNotFound, PaperOrderRejected

ZERO = Decimal(0)
Kind = Literal["Stop", "TakeProfit", "StopLoss", "PartialTakeProfit", "PartialStopLoss"]
Protection = Literal["TakeProfit", "StopLoss"]
_PLAIN = {"trigger_price": None, "trigger_direction": None, "take_profit": None, "stop_loss": None}
_UNTRIGGERED = {"trigger_price": None, "trigger_direction": None}


@dataclass
class Conditional:
    """One order waiting for its trigger (or what became of it)."""

    order_id: str
    request: OrderRequest
    """The order to place once triggered; keeps the trigger fields for display."""
    kind: Kind
    direction: TriggerDirection
    created_at: datetime
    updated_at: datetime
    status: OrderStatus = OrderStatus.OPEN
    child_id: str | None = None
    reason: str | None = None

    @property
    def waiting(self) -> bool:
        return self.status is OrderStatus.OPEN and self.child_id is None

    @property
    def is_tpsl(self) -> bool:
        return self.kind != "Stop"

    @property
    def full(self) -> bool:
        return self.kind in ("TakeProfit", "StopLoss")

    def crossed(self, price: Decimal) -> bool:
        trigger = self.request.trigger_price
        assert trigger is not None
        return price >= trigger if self.direction is TriggerDirection.RISING else price <= trigger

    def snapshot(self, child: Order | None) -> Order:
        """Before the trigger, the waiting order; after it, the placed order's state under
        this order's id (Bybit keeps the id across the trigger)."""
        request = self.request
        extra = {
            "order_id": self.order_id,
            "trigger_price": request.trigger_price,
            "trigger_by": request.trigger_by,
            "stop_kind": StopKind.from_bybit(self.kind),
            "take_profit": request.take_profit,
            "stop_loss": request.stop_loss,
        }
        if child is not None:
            return child.model_copy(update={**extra, "triggered": True})
        return Order(
            client_order_id=request.client_order_id,
            symbol=request.symbol,
            side=request.side,
            type=request.type,
            status=self.status,
            quantity=request.quantity,
            price=request.price,
            time_in_force=request.time_in_force,
            reduce_only=request.reduce_only,
            created_at=self.created_at,
            updated_at=self.updated_at,
            reason=self.reason,
            **extra,
        )


class PaperTriggers:
    """The conditional orders of one paper engine.

    Args:
        place: the engine's order entry (a plain request: no trigger, no TP/SL).
        validate: the engine's checks of a request against its market (before arming).
        lookup: an engine order's current state by id.
        position_size: signed size of a symbol's position.
        book: the live book of a symbol (or None).
        now: the engine's clock.
        session: the engine's session id (order ids are ``P<session>-C<n>``).
    """

    def __init__(
        self,
        *,
        place: Callable[[OrderRequest], Order],
        validate: Callable[[OrderRequest], None],
        lookup: Callable[[str], Order | None],
        position_size: Callable[[str], Decimal],
        book: Callable[[str], DepthSnapshot | None],
        now: Callable[[], datetime],
        session: Callable[[], int],
    ) -> None:
        self._place = place
        self._validate = validate
        self._lookup = lookup
        self._position_size = position_size
        self._book = book
        self._now = now
        self._session = session
        self._sequence = 0
        self._orders: dict[str, Conditional] = {}
        self._waiting: dict[str, list[Conditional]] = {}
        self._last: dict[str, Decimal] = {}
        self._entries: dict[str, OrderRequest] = {}
        """Orders placed with TP/SL attached, by order id, until their TP/SL are set."""
        self._firing = False

    def clear(self) -> None:
        """Another session begins: its conditional orders are not this one's."""
        self._orders.clear()
        self._waiting.clear()
        self._entries.clear()

    def _new_id(self) -> str:
        self._sequence += 1
        return f"P{self._session()}-C{self._sequence}"

    # --- order entry ------------------------------------------------------------------------

    @staticmethod
    def takes(request: OrderRequest) -> bool:
        """Whether the request is this module's (a trigger, or TP/SL attached)."""
        return (
            request.trigger_price is not None
            or request.take_profit is not None
            or request.stop_loss is not None
        )

    def place(self, request: OrderRequest) -> Order:
        """Arm a conditional order, or place an order whose TP/SL follow its fills."""
        if request.trigger_price is not None:
            self._validate(request)
            self._check_client_id(request)
            return self._arm(request, "Stop").snapshot(None)
        order = self._place(request.model_copy(update=_PLAIN))
        self._entries[order.order_id] = request
        self._after_fill(order.symbol, order.order_id)
        return order

    def _arm(self, request: OrderRequest, kind: Kind) -> Conditional:
        assert request.trigger_price is not None
        current = self.watched_price(request.symbol, request.trigger_by)
        direction = request.trigger_direction
        if current is None:
            if direction is None:
                raise PaperOrderRejected(
                    "no_book", f"no price for {request.symbol} yet to place a trigger against"
                )
        else:
            direction = direction or (
                TriggerDirection.RISING
                if request.trigger_price > current
                else TriggerDirection.FALLING
            )
            _check_side(direction, request.trigger_price, current, request.trigger_by)
        now = self._now()
        conditional = Conditional(
            order_id=self._new_id(),
            request=request.model_copy(update={"trigger_direction": direction}),
            kind=kind,
            direction=direction,
            created_at=now,
            updated_at=now,
        )
        self._orders[conditional.order_id] = conditional
        self._waiting.setdefault(request.symbol, []).append(conditional)
        return conditional

    def _check_client_id(self, request: OrderRequest) -> None:
        if request.client_order_id is None:
            return
        for conditional in self._orders.values():
            if conditional.request.client_order_id == request.client_order_id:
                raise PaperOrderRejected(
                    "duplicate_client_order_id",
                    f"client order id {request.client_order_id} is already used by "
                    f"{conditional.order_id}",
                )

    # --- the venue surface ------------------------------------------------------------------

    def owns(self, order_id: str) -> bool:
        return order_id in self._orders

    def order(self, order_id: str, symbol: str) -> Order:
        conditional = self._orders.get(order_id)
        if conditional is None or conditional.request.symbol != symbol:
            raise PaperOrderNotFound(f"no paper order {order_id} on {symbol}")
        child = None if conditional.child_id is None else self._lookup(conditional.child_id)
        return conditional.snapshot(child)

    def open_orders(self, symbol: str | None) -> list[Order]:
        return [
            c.snapshot(None)
            for sym, waiting in self._waiting.items()
            if symbol is None or sym == symbol
            for c in waiting
        ]

    def cancel(self, order_id: str, symbol: str) -> Order:
        """Cancel a waiting order (Bybit: ``Deactivated``); a triggered one is the engine's."""
        conditional = self._orders.get(order_id)
        if conditional is None or conditional.request.symbol != symbol:
            raise PaperOrderNotFound(f"no paper order {order_id} on {symbol}")
        if not conditional.waiting:
            raise PaperOrderRejected(
                "order_not_open", f"order {order_id} was triggered or is no longer open"
            )
        self._deactivate(conditional, "cancelled by the trader")
        return conditional.snapshot(None)

    def amend(
        self,
        order_id: str,
        symbol: str,
        *,
        trigger_price: Decimal | None = None,
        price: Decimal | None = None,
        quantity: Decimal | None = None,
    ) -> Order:
        """Move a waiting order's trigger (still on its side of the market), limit price or
        quantity; a triggered one is an ordinary order of the engine."""
        conditional = self._orders.get(order_id)
        if conditional is None or conditional.request.symbol != symbol:
            raise PaperOrderNotFound(f"no paper order {order_id} on {symbol}")
        if not conditional.waiting:
            raise PaperOrderRejected(
                "order_not_open", f"order {order_id} was triggered or is no longer open"
            )
        request = conditional.request
        if trigger_price is not None:
            current = self.watched_price(symbol, request.trigger_by)
            if current is not None:
                _check_side(conditional.direction, trigger_price, current, request.trigger_by)
        changes = {
            name: value
            for name, value in (
                ("trigger_price", trigger_price),
                ("price", price),
                ("quantity", quantity),
            )
            if value is not None
        }
        if price is not None and request.type is not OrderType.LIMIT:
            raise PaperOrderRejected("market_has_no_price", "a market order has no price to move")
        if not changes:
            raise PaperOrderRejected("nothing_to_amend", "nothing to amend: give a new value")
        amended = OrderRequest.model_validate(request.model_dump() | changes)
        self._validate(amended)
        conditional.request = amended
        conditional.updated_at = self._now()
        return conditional.snapshot(None)

    def set_trading_stop(
        self,
        symbol: str,
        *,
        take_profit: Decimal | None,
        stop_loss: Decimal | None,
        trigger_by: TriggerSource,
        size: Decimal | None,
    ) -> bool:
        """TP/SL on the position: whole-position ones replace the earlier ones (0 removes),
        a ``size`` adds a partial pair. False when nothing changed (Bybit's 34040)."""
        position = self._position_size(symbol)
        if position == 0:
            raise PaperOrderRejected("no_position", f"no {symbol} position to protect")
        holding = Side.BUY if position > 0 else Side.SELL
        legs: tuple[tuple[Protection, Decimal | None], ...] = (
            ("TakeProfit", take_profit),
            ("StopLoss", stop_loss),
        )
        changed = False
        for kind, price in legs:
            if price is None:
                continue
            if price == 0:
                if size is None:
                    for old in self._tpsl(symbol, full=True, kind=kind):
                        self._deactivate(old, "removed by the trader")
                        changed = True
                continue
            current = self.watched_price(symbol, trigger_by)
            if current is not None:
                _check_protects(holding, kind, price, current)
            changed |= self._protect(symbol, holding, kind, price, trigger_by, size)
        return changed

    def protection(self, symbol: str) -> tuple[Decimal | None, Decimal | None]:
        """The whole-position take-profit and stop-loss of ``symbol`` (Bybit reports them
        on the position as ``takeProfit`` / ``stopLoss``)."""
        prices: dict[str, Decimal | None] = {"TakeProfit": None, "StopLoss": None}
        for conditional in self._tpsl(symbol, full=True):
            prices[conditional.kind] = conditional.request.trigger_price
        return prices["TakeProfit"], prices["StopLoss"]

    # --- the market -------------------------------------------------------------------------

    def watched_price(self, symbol: str, source: TriggerSource) -> Decimal | None:
        if source is TriggerSource.LAST and symbol in self._last:
            return self._last[symbol]
        book = self._book(symbol)
        return None if book is None or book.stale else book.mid

    def on_trades(self, symbol: str, trades: Sequence[Trade]) -> None:
        if trades:
            self._last[symbol] = trades[-1].price
            if symbol in self._waiting:
                self._fire(symbol)

    def on_book(self, symbol: str) -> None:
        if symbol in self._waiting:
            self._fire(symbol)

    def on_fill(self, symbol: str, order_id: str) -> None:
        """The engine filled an order: TP/SL follow the position and attached ones are set."""
        self._after_fill(symbol, order_id)

    # --- internals --------------------------------------------------------------------------

    def _fire(self, symbol: str) -> None:
        if self._firing:
            return
        self._firing = True
        try:
            prices: dict[TriggerSource, Decimal | None] = {}
            for conditional in list(self._waiting.get(symbol, ())):
                source = conditional.request.trigger_by
                if source not in prices:
                    prices[source] = self.watched_price(symbol, source)
                price = prices[source]
                if conditional.waiting and price is not None and conditional.crossed(price):
                    self._trigger(conditional)
        finally:
            self._firing = False

    def _trigger(self, conditional: Conditional) -> None:
        self._unwait(conditional)
        request = conditional.request
        if conditional.is_tpsl:
            position = self._position_size(request.symbol)
            if position == 0 or (position > 0) == (request.side is Side.BUY):
                self._deactivate(conditional, "the position is closed")
                return
            request = request.model_copy(update={"quantity": min(request.quantity, abs(position))})
        conditional.updated_at = self._now()
        try:
            child = self.place(request.model_copy(update=_UNTRIGGERED))
        except PaperOrderRejected as refusal:
            conditional.status = OrderStatus.REJECTED
            conditional.reason = f"triggered, then refused: {refusal.reason}"
            return
        conditional.child_id = child.order_id

    def _after_fill(self, symbol: str, order_id: str) -> None:
        position = self._position_size(symbol)
        for conditional in self._tpsl(symbol):
            grows = (conditional.request.side is Side.BUY) == (position > 0)
            if position == 0 or grows:
                self._deactivate(conditional, "the position is closed")
            elif conditional.full and conditional.request.quantity != abs(position):
                conditional.request = conditional.request.model_copy(
                    update={"quantity": abs(position)}
                )
        entry = self._entries.get(order_id)
        if entry is None:
            return
        order = self._lookup(order_id)
        if order is None or order.status.is_final:
            self._entries.pop(order_id, None)
        if order is None or order.filled == 0 or position == 0:
            return
        if (position > 0) != (entry.side is Side.BUY):
            return
        legs: tuple[tuple[Protection, Decimal | None], ...] = (
            ("TakeProfit", entry.take_profit),
            ("StopLoss", entry.stop_loss),
        )
        for kind, price in legs:
            if price is not None:
                self._protect(symbol, entry.side, kind, price, entry.trigger_by, None)
        self._entries.pop(order_id, None)

    def _protect(
        self,
        symbol: str,
        holding: Side,
        kind: Protection,
        price: Decimal,
        source: TriggerSource,
        size: Decimal | None,
    ) -> bool:
        """Place a TP or SL conditional; False when the same whole-position one is set."""
        if size is None:
            for old in self._tpsl(symbol, full=True, kind=kind):
                if old.request.trigger_price == price and old.request.trigger_by is source:
                    return False
                self._deactivate(old, "replaced")
        rises = (kind == "TakeProfit") == (holding is Side.BUY)
        request = OrderRequest(
            symbol=symbol,
            side=holding.opposite,
            type=OrderType.MARKET,
            quantity=size if size is not None else abs(self._position_size(symbol)),
            time_in_force=TimeInForce.IOC,
            reduce_only=True,
            trigger_price=price,
            trigger_direction=TriggerDirection.RISING if rises else TriggerDirection.FALLING,
            trigger_by=source,
        )
        now = self._now()
        partial: Kind = "PartialTakeProfit" if kind == "TakeProfit" else "PartialStopLoss"
        conditional = Conditional(
            order_id=self._new_id(),
            request=request,
            kind=kind if size is None else partial,
            direction=request.trigger_direction or TriggerDirection.RISING,
            created_at=now,
            updated_at=now,
        )
        self._orders[conditional.order_id] = conditional
        self._waiting.setdefault(symbol, []).append(conditional)
        return True

    def _tpsl(
        self, symbol: str, *, full: bool | None = None, kind: str | None = None
    ) -> list[Conditional]:
        return [
            c
            for c in self._waiting.get(symbol, ())
            if c.is_tpsl
            and (full is None or c.full == full)
            and (kind is None or c.kind.endswith(kind))
        ]

    def _deactivate(self, conditional: Conditional, reason: str) -> None:
        self._unwait(conditional)
        conditional.status = OrderStatus.CANCELED
        conditional.reason = reason
        conditional.updated_at = self._now()

    def _unwait(self, conditional: Conditional) -> None:
        waiting = self._waiting.get(conditional.request.symbol)
        if waiting is not None and conditional in waiting:
            waiting.remove(conditional)
            if not waiting:
                del self._waiting[conditional.request.symbol]


def _check_side(
    direction: TriggerDirection, trigger: Decimal, current: Decimal, source: TriggerSource
) -> None:
    """Bybit's 110092 / 110093: a rising trigger must be above the watched price, a falling
    one below."""
    if direction is TriggerDirection.RISING and trigger <= current:
        raise PaperOrderRejected(
            "trigger_wrong_side",
            f"a rising trigger at {trigger} must be above the {source.value} {current}",
        )
    if direction is TriggerDirection.FALLING and trigger >= current:
        raise PaperOrderRejected(
            "trigger_wrong_side",
            f"a falling trigger at {trigger} must be below the {source.value} {current}",
        )


def _check_protects(holding: Side, kind: str, price: Decimal, current: Decimal) -> None:
    """A long's take-profit above the market and stop-loss below (a short's the other way)."""
    above = (kind == "TakeProfit") == (holding is Side.BUY)
    if (price <= current) if above else (price >= current):
        name = "take-profit" if kind == "TakeProfit" else "stop-loss"
        where = "above" if above else "below"
        raise PaperOrderRejected(
            "tpsl_wrong_side",
            f"the {name} of a {'long' if holding is Side.BUY else 'short'} at {price} must be "
            f"{where} the market {current}",
        )
