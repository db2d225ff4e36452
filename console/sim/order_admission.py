"""Order admission: a create request becomes a :class:`SimOrder`, or Bybit's rejection.

Checks run in Bybit's order: the instrument's filters (tick, lot step, minimum and maximum
size and value, the price band), reduce-only sizing against the position, then the funds the
order needs (spot: the coin it spends; linear: initial margin plus the taker fee).
"""

from __future__ import annotations

from decimal import Decimal

from console.sim import order_rules as rules
from console.sim.accounts import SimAccount
from console.sim.book import BUY, SELL, BybitSide, SimBook
from console.sim.envelopes import BybitError, params_error
from console.sim.ids import SimIds
from console.sim.instruments import SimInstrument
from console.sim.market import SimMarket
from console.sim.orders import ZERO, SimOrder
from console.sim.params import CreateOrderParams
from console.sim.pricing import average_walk_price, lots_of, mark_price, touch_price
from console.sim.tpsl import check_attached
from console.sim.triggers import LAST, check_trigger_side, direction_for, watched_price


class OrderAdmission:
    """Validates create requests against the book and the account, and builds the order."""

    def __init__(self, market: SimMarket, ids: SimIds) -> None:
        self._market = market
        self._ids = ids

    def build(self, account: SimAccount, book: SimBook, p: CreateOrderParams) -> SimOrder:
        """The order the request describes, checked against the instrument's filters."""
        instrument = book.instrument
        is_market = p.orderType == "Market"
        unit = ""
        if instrument.category == "spot" and is_market:
            unit = p.marketUnit or ("quoteCoin" if p.side == BUY else "baseCoin")
        reference = p.price if not is_market and p.price is not None else touch_price(book, p.side)
        if not is_market:
            self._check_limit_price(instrument, p)
        qty, quote_budget = p.qty, None
        if unit == "quoteCoin":
            rules.check_quote_qty(instrument, qty)
            quote_budget = qty
        else:
            if p.reduceOnly and instrument.category == "linear":
                qty = self._reduce_only_qty(account, instrument, p.side, qty)
            rules.check_base_qty(instrument, qty, market=is_market)
            if not p.reduceOnly:
                rules.check_notional(instrument, qty * reference)
        last = self._market.recent_trades(instrument.category, instrument.symbol, 1)
        last_price = last[0].price if last else reference
        linear = instrument.category == "linear"
        direction: int = p.triggerDirection or 0
        trigger_by, stop_type = "", ""
        if p.triggerPrice is not None:
            trigger_by = (p.triggerBy or LAST) if linear else LAST
            current = (
                watched_price(self._market, instrument.category, instrument.symbol, trigger_by)
                or last_price
            )
            if not linear or direction == 0:
                direction = direction_for(p.triggerPrice, current)
            if linear:
                check_trigger_side(direction, p.triggerPrice, current, trigger_by)
            stop_type = "tpslOrder" if p.orderFilter == "tpslOrder" and not linear else "Stop"
        base = p.triggerPrice or (p.price if not is_market and p.price is not None else last_price)
        check_attached(p, base, trigger_by or LAST)
        has_tpsl = p.takeProfit is not None or p.stopLoss is not None
        now = self._market.now_ms()
        return SimOrder(
            order_id=self._ids.order_id(instrument),
            order_link_id=p.orderLinkId or self._ids.default_link_id(instrument),
            instrument=instrument,
            side=p.side,
            order_type=p.orderType,
            qty=qty,
            price=None if is_market else p.price,
            time_in_force="IOC" if is_market else (p.timeInForce or "GTC"),
            created_ms=now,
            updated_ms=now,
            reduce_only=p.reduceOnly and linear,
            market_unit=unit,
            trigger_price=p.triggerPrice,
            trigger_direction=direction,
            trigger_by=trigger_by,
            stop_order_type=stop_type,
            create_type="CreateByStopOrder" if stop_type and linear else "CreateByUser",
            close_on_trigger=p.closeOnTrigger and linear,
            take_profit=p.takeProfit,
            stop_loss=p.stopLoss,
            tpsl_mode=(p.tpslMode or "Full") if has_tpsl else "",
            tp_trigger_by=(p.tpTriggerBy or LAST) if p.takeProfit else "",
            sl_trigger_by=(p.slTriggerBy or LAST) if p.stopLoss else "",
            tp_limit_price=p.tpLimitPrice,
            sl_limit_price=p.slLimitPrice,
            tp_order_type=p.tpOrderType or "Market",
            sl_order_type=p.slOrderType or "Market",
            last_price_on_created=last_price,
            quote_budget=quote_budget,
            sequence=self._ids.next_order_sequence(),
        )

    def check_funds(self, account: SimAccount, book: SimBook, order: SimOrder) -> None:
        """Refuse an order the account cannot pay for (110007 linear, 170131 spot)."""
        if order.reduce_only:
            return
        instrument = book.instrument
        if instrument.category == "spot":
            coin, needed = self._spot_need(book, order)
            available = account.wallet.get(coin, ZERO) - account.locked(coin)
        else:
            position = account.position(instrument.symbol)
            opening = order.qty
            if (position.size > 0 and order.side == SELL) or (
                position.size < 0 and order.side == BUY
            ):
                opening = max(ZERO, order.qty - abs(position.size))
            price = order.price or self._market_price(book, order)
            leverage = account.leverage(instrument.symbol)
            needed = opening * price / leverage + opening * price * instrument.taker_fee
            marks = self._market
            available = account.balance(
                instrument.quote, lambda symbol: mark_price(marks, symbol)
            ).available
        if needed > available:
            raise rules.insufficient_balance(instrument)

    def _spot_need(self, book: SimBook, order: SimOrder) -> tuple[str, Decimal]:
        instrument = book.instrument
        if order.side == BUY:
            if order.quote_budget is not None:
                return instrument.quote, order.quote_budget
            return instrument.quote, order.qty * (order.price or self._market_price(book, order))
        if order.quote_budget is not None:
            price = max(mark_price(self._market, instrument.symbol), Decimal(1))
            return instrument.base, order.quote_budget / price
        return instrument.base, order.qty

    def _market_price(self, book: SimBook, order: SimOrder) -> Decimal:
        return average_walk_price(book, order.side, lots_of(book.instrument, order.qty))

    def _check_limit_price(self, instrument: SimInstrument, p: CreateOrderParams) -> None:
        if p.price is None:
            raise params_error("price is required for a Limit order")
        rules.check_price(instrument, p.price)
        if p.triggerPrice is None:  # Bybit bands a conditional order only once triggered
            rules.check_price_band(
                instrument, p.side, p.price, mark_price(self._market, instrument.symbol)
            )

    def _reduce_only_qty(
        self, account: SimAccount, instrument: SimInstrument, side: BybitSide, qty: Decimal
    ) -> Decimal:
        """Bybit shrinks a reduce-only order to the position; with nothing to reduce: 110017."""
        position = account.position(instrument.symbol)
        reduces = (position.size > 0 and side == SELL) or (position.size < 0 and side == BUY)
        if not reduces:
            raise BybitError(110017, "current position is zero, cannot fix reduce-only order qty")
        return min(qty, abs(position.size))
