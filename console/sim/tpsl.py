"""Take-profit and stop-loss: attached to an order at creation, or set on the position
(``position/trading-stop``), as Bybit runs them (``bybit-v5-private.md`` §3.3, §4).

``Full`` TP/SL belong to the whole position: one take-profit and one stop-loss order, sized
to the position and resized with it. ``Partial`` ones are sized by what filled (attached) or
by ``tpSize``/``slSize`` (trading-stop), may be limit orders (``tpLimitPrice``), and there
can be several. Either kind is a conditional, reduce-only, close-on-trigger order that waits
``Untriggered``; when the position closes every one left is ``Deactivated``
(``cancelType`` ``CancelByTpSlTsClear``), in the same push as the closing fill.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal, Protocol

from console.sim import order_rules as rules
from console.sim.accounts import SimAccount
from console.sim.book import BUY, SELL, BybitSide
from console.sim.bybit_rows import fmt
from console.sim.envelopes import BybitError, params_error
from console.sim.ids import SimIds
from console.sim.instruments import SimInstrument
from console.sim.market import SimMarket
from console.sim.orders import Position, SimOrder
from console.sim.params import CreateOrderParams, TradingStopParams
from console.sim.triggers import FALLING, LAST, RISING, TPSL_STOP_TYPES, watched_price

MAX_PARTIAL = 20
"""Bybit: at most 20 partial TP/SL orders per position (110061 beyond)."""
CLEARED = "CancelByTpSlTsClear"

Kind = Literal["TakeProfit", "StopLoss"]


class ConditionalHost(Protocol):
    """What the TP/SL desk needs of the order engine."""

    @property
    def market(self) -> SimMarket: ...

    @property
    def ids(self) -> SimIds: ...

    def arm(self, account: SimAccount, order: SimOrder) -> None: ...

    def deactivate(self, account: SimAccount, order: SimOrder, cancel_type: str) -> None: ...

    def tpsl_orders(self, account: SimAccount, symbol: str) -> list[SimOrder]: ...


@dataclass(frozen=True, slots=True)
class Leg:
    """One TP or SL to place: the trigger, what watches it, and a limit price if any."""

    kind: Kind
    trigger: Decimal
    trigger_by: str
    limit_price: Decimal | None = None


def _holding_side(closing_side: BybitSide) -> BybitSide:
    return BUY if closing_side == SELL else SELL


def check_attached(p: CreateOrderParams, base: Decimal, trigger_by_base: str) -> None:
    """Refuse attached TP/SL Bybit refuses: on a reduce-only order (110057), a limit leg
    outside ``Partial`` mode, or a TP/SL on the wrong side of the entry (10001)."""
    if p.takeProfit is None and p.stopLoss is None:
        if p.tpslMode is not None or p.tpLimitPrice is not None or p.slLimitPrice is not None:
            raise params_error("tpslMode and tp/sl limit prices need takeProfit or stopLoss")
        return
    if p.reduceOnly:
        raise BybitError(110057, "TP/SL cannot be set on a reduce-only order")
    if p.category != "linear":
        raise params_error("takeProfit/stopLoss: the simulator attaches TP/SL to linear orders")
    mode = p.tpslMode or "Full"
    for order_type, limit, name in (
        (p.tpOrderType, p.tpLimitPrice, "tp"),
        (p.slOrderType, p.slLimitPrice, "sl"),
    ):
        if order_type == "Limit" and mode != "Partial":
            raise params_error(f"{name}OrderType Limit needs tpslMode Partial")
        if order_type == "Limit" and limit is None:
            raise params_error(f"{name}LimitPrice is required for a Limit {name.upper()}")
    check_sides(p.side, p.takeProfit, p.stopLoss, base, trigger_by_base)


def check_sides(
    holding: BybitSide,
    take_profit: Decimal | None,
    stop_loss: Decimal | None,
    base: Decimal,
    trigger_by: str,
) -> None:
    """A long's TP above and SL below ``base`` (a short's the other way round), as Bybit
    words the refusal."""
    side_name = "Buy" if holding == BUY else "Sell"
    above, below = ("higher", "lower") if holding == BUY else ("lower", "higher")
    if take_profit and (take_profit <= base if holding == BUY else take_profit >= base):
        raise BybitError(
            10001,
            f"TakeProfit:{fmt(take_profit)} set for {side_name} position should be {above} "
            f"than base_price:{fmt(base)}??{trigger_by}",
        )
    if stop_loss and (stop_loss >= base if holding == BUY else stop_loss <= base):
        raise BybitError(
            10001,
            f"StopLoss:{fmt(stop_loss)} set for {side_name} position should be {below} "
            f"than base_price:{fmt(base)}??{trigger_by}",
        )


class TpslDesk:
    """Places, resizes and clears the TP/SL orders of linear positions."""

    def __init__(self, host: ConditionalHost) -> None:
        self._host = host

    # --- attached at creation -------------------------------------------------------------

    def after_entry_fill(self, account: SimAccount, entry: SimOrder) -> None:
        """An order carrying TP/SL filled (partly): set them, sized as Bybit sizes them."""
        if entry.take_profit is None and entry.stop_loss is None:
            return
        position = account.position(entry.symbol)
        if position.size == 0 or (position.size > 0) != (entry.side == BUY):
            return
        legs = self._legs(
            entry.take_profit,
            entry.stop_loss,
            entry.tp_trigger_by,
            entry.sl_trigger_by,
            entry.tp_limit_price if entry.tp_order_type == "Limit" else None,
            entry.sl_limit_price if entry.sl_order_type == "Limit" else None,
        )
        if entry.tpsl_mode == "Partial":
            children = {
                o.stop_order_type: o
                for o in self._host.tpsl_orders(account, entry.symbol)
                if o.parent_order_id == entry.order_id
            }
            for leg in legs:
                child = children.get(f"Partial{leg.kind}")
                if child is None:
                    self._place(account, entry.instrument, position, leg, "Partial", entry)
                else:
                    child.qty = entry.cum_exec_qty
                    child.updated_ms = self._host.market.now_ms()
            return
        for leg in legs:
            self._set_full(account, entry.instrument, position, leg)

    # --- on the position ------------------------------------------------------------------

    def trading_stop(
        self, account: SimAccount, instrument: SimInstrument, p: TradingStopParams
    ) -> None:
        """``position/trading-stop``: ``Full`` replaces (``"0"`` removes) the position's TP
        or SL; ``Partial`` adds a TP/SL pair of ``tpSize``/``slSize``."""
        if p.trailingStop is not None or p.activePrice is not None:
            raise params_error("trailingStop: the simulator does not run trailing stops")
        if p.positionIdx != 0:
            raise params_error("positionIdx: the simulator runs one-way mode (0)")
        position = account.position(instrument.symbol)
        if position.size == 0:
            raise BybitError(10001, "can not set tp/sl/ts for zero position")
        holding: BybitSide = BUY if position.size > 0 else SELL
        tp_by, sl_by = p.tpTriggerBy or LAST, p.slTriggerBy or LAST
        market = self._host.market
        if p.takeProfit:
            current = watched_price(market, "linear", instrument.symbol, tp_by)
            if current is not None:
                check_sides(holding, p.takeProfit, None, current, tp_by)
        if p.stopLoss:
            current = watched_price(market, "linear", instrument.symbol, sl_by)
            if current is not None:
                check_sides(holding, None, p.stopLoss, current, sl_by)
        if p.tpslMode == "Partial":
            self._partial_stop(account, instrument, position, p, tp_by, sl_by)
            return
        for field in ("tpOrderType", "slOrderType"):
            if getattr(p, field) == "Limit":
                raise params_error(f"{field} Limit needs tpslMode Partial")
        changed = False
        legs: tuple[tuple[Kind, Decimal | None, str], ...] = (
            ("TakeProfit", p.takeProfit, tp_by),
            ("StopLoss", p.stopLoss, sl_by),
        )
        for kind, price, by in legs:
            if price is None:
                continue
            if price == 0:
                changed |= self._clear_full(account, instrument.symbol, position, kind)
            else:
                changed |= self._set_full(account, instrument, position, Leg(kind, price, by))
        if not changed:
            raise BybitError(34040, "not modified")

    def _partial_stop(
        self,
        account: SimAccount,
        instrument: SimInstrument,
        position: Position,
        p: TradingStopParams,
        tp_by: str,
        sl_by: str,
    ) -> None:
        if p.takeProfit is None and p.stopLoss is None:
            raise BybitError(34040, "not modified")
        if p.tpSize is not None and p.slSize is not None and p.tpSize != p.slSize:
            raise BybitError(110058, "tpSize and slSize must be equal for partial TP/SL")
        size = p.tpSize if p.tpSize is not None else p.slSize
        if size is None or size <= 0:
            raise params_error("tpSize/slSize is required for a partial TP/SL")
        rules.check_base_qty(instrument, size, market=True)
        partial = [
            o
            for o in self._host.tpsl_orders(account, instrument.symbol)
            if o.tpsl_mode == "Partial"
        ]
        if len(partial) + 2 > MAX_PARTIAL:
            raise BybitError(110061, "the number of partial TP/SL orders exceeds the limit (20)")
        legs = self._legs(
            p.takeProfit or None,
            p.stopLoss or None,
            tp_by,
            sl_by,
            p.tpLimitPrice if p.tpOrderType == "Limit" else None,
            p.slLimitPrice if p.slOrderType == "Limit" else None,
        )
        for leg in legs:
            self._place(account, instrument, position, leg, "Partial", None, qty=size)

    # --- following the position -----------------------------------------------------------

    def after_fill(self, account: SimAccount, symbol: str) -> None:
        """The position moved: resize the ``Full`` orders to it, and deactivate every TP/SL
        order once it is flat (or flipped to the side they would grow)."""
        position = account.position(symbol)
        for order in self._host.tpsl_orders(account, symbol):
            if order.status != "Untriggered":
                continue
            grows = (order.side == BUY) == (position.size > 0)
            if position.size == 0 or grows:
                self._host.deactivate(account, order, CLEARED)
            elif order.tpsl_mode == "Full" and order.qty != abs(position.size):
                order.qty = abs(position.size)
                order.updated_ms = self._host.market.now_ms()
        if position.size == 0:
            position.take_profit = position.stop_loss = None

    # --- helpers --------------------------------------------------------------------------

    @staticmethod
    def _legs(
        take_profit: Decimal | None,
        stop_loss: Decimal | None,
        tp_by: str,
        sl_by: str,
        tp_limit: Decimal | None,
        sl_limit: Decimal | None,
    ) -> list[Leg]:
        legs = []
        if take_profit:
            legs.append(Leg("TakeProfit", take_profit, tp_by or LAST, tp_limit))
        if stop_loss:
            legs.append(Leg("StopLoss", stop_loss, sl_by or LAST, sl_limit))
        return legs

    def _set_full(
        self, account: SimAccount, instrument: SimInstrument, position: Position, leg: Leg
    ) -> bool:
        current = self._full(account, instrument.symbol, leg.kind)
        if current is not None:
            if current.trigger_price == leg.trigger and current.trigger_by == leg.trigger_by:
                return False
            self._host.deactivate(account, current, "CancelByUser")
        self._place(account, instrument, position, leg, "Full", None)
        if leg.kind == "TakeProfit":
            position.take_profit = leg.trigger
        else:
            position.stop_loss = leg.trigger
        return True

    def _clear_full(self, account: SimAccount, symbol: str, position: Position, kind: Kind) -> bool:
        current = self._full(account, symbol, kind)
        if kind == "TakeProfit":
            position.take_profit = None
        else:
            position.stop_loss = None
        if current is None:
            return False
        self._host.deactivate(account, current, "CancelByUser")
        return True

    def _full(self, account: SimAccount, symbol: str, kind: Kind) -> SimOrder | None:
        for order in self._host.tpsl_orders(account, symbol):
            if order.tpsl_mode == "Full" and order.stop_order_type == kind:
                return order
        return None

    def _place(
        self,
        account: SimAccount,
        instrument: SimInstrument,
        position: Position,
        leg: Leg,
        mode: Literal["Full", "Partial"],
        entry: SimOrder | None,
        *,
        qty: Decimal | None = None,
    ) -> SimOrder:
        host = self._host
        now = host.market.now_ms()
        holding: BybitSide = BUY if position.size > 0 else SELL
        closing = _holding_side(holding)
        profit_rises = holding == BUY
        rises = profit_rises if leg.kind == "TakeProfit" else not profit_rises
        stop_type = leg.kind if mode == "Full" else f"Partial{leg.kind}"
        size = qty if qty is not None else abs(position.size)
        if entry is not None:
            size = entry.cum_exec_qty
        last = host.market.recent_trades("linear", instrument.symbol, 1)
        order = SimOrder(
            order_id=host.ids.order_id(instrument),
            order_link_id="",
            instrument=instrument,
            side=closing,
            order_type="Limit" if leg.limit_price is not None else "Market",
            qty=size,
            price=leg.limit_price,
            time_in_force="GTC" if leg.limit_price is not None else "IOC",
            created_ms=now,
            updated_ms=now,
            reduce_only=True,
            close_on_trigger=True,
            trigger_price=leg.trigger,
            trigger_direction=RISING if rises else FALLING,
            trigger_by=leg.trigger_by,
            stop_order_type=stop_type,
            create_type=f"CreateBy{stop_type}",
            tpsl_mode=mode,
            last_price_on_created=last[0].price if last else None,
            sequence=host.ids.next_order_sequence(),
            parent_order_id=entry.order_id if entry is not None else "",
            status="Untriggered",
        )
        host.arm(account, order)
        return order


def is_tpsl(order: SimOrder) -> bool:
    return order.stop_order_type in TPSL_STOP_TYPES
