"""The simulator's matching engine for user orders, against the simulator's own book.

Limit orders take what crosses and rest the remainder in :class:`SimBook` (so they appear in
the REST and WS books); market orders take level by level; PostOnly orders that would take
are accepted and then cancelled (``EC_PostOnlyWillTakeLiquidity``), as on Bybit; IOC keeps
what filled at once, FOK fills entirely or not at all. Balances move with every fill and fee;
linear fills move the one-way position and realise PnL. Conditional orders (``triggerPrice``)
wait as ``Untriggered`` until a print crosses the trigger.
"""

from __future__ import annotations

import itertools
import random
import uuid
from collections.abc import Mapping
from decimal import ROUND_DOWN, Decimal

from console.sim import order_rules as rules
from console.sim.accounts import DEFAULT_BALANCES, LEVERAGE, SimAccount
from console.sim.book import BUY, SELL, BybitSide, Match, RestingOrder, SimBook, opposite
from console.sim.envelopes import BybitError, params_error
from console.sim.instruments import SimInstrument
from console.sim.market import SimMarket, SimTrade
from console.sim.orders import ZERO, SimExecution, SimOrder
from console.sim.params import (
    AmendOrderParams,
    CancelAllParams,
    CancelOrderParams,
    CreateOrderParams,
)

FEE_PLACES = Decimal("0.0000000001")


class OrderEngine:
    """Accepts, matches, amends and cancels user orders; keeps each account's books."""

    def __init__(
        self,
        market: SimMarket,
        *,
        seed: int = 7,
        balances: Mapping[str, Decimal] = DEFAULT_BALANCES,
    ) -> None:
        self._market = market
        self._ids = random.Random(f"orders-{seed}")
        self._balances = dict(balances)
        self._accounts: dict[str, SimAccount] = {}
        self._owners: dict[str, SimAccount] = {}
        self._sequence = 0
        self._order_sequence = itertools.count(1)
        self._pending_triggers: set[tuple[str, str]] = set()
        market.set_maker_fill_handler(self._on_maker_fill)
        market.add_trade_listener(self._on_trade)
        market.add_book_listener(self._on_book_change)

    def account(self, uid: str) -> SimAccount:
        """The account of ``uid``, opened with the starting balances on first use."""
        account = self._accounts.get(uid)
        if account is None:
            account = SimAccount(uid, self._balances)
            self._accounts[uid] = account
        return account

    def mark_price(self, symbol: str) -> Decimal:
        """Mid of the linear book (the simulator's mark), falling back to the spot book."""
        for category in ("linear", "spot"):
            if self._market.has_book(category, symbol):
                book = self._market.book(category, symbol)
                bid, ask = book.best_tick(BUY), book.best_tick(SELL)
                if bid is not None and ask is not None:
                    return book.instrument.price(bid + ask) / 2
        return ZERO

    def coin_price(self, coin: str) -> Decimal:
        """USD value of one unit of ``coin`` (USDT counts as 1)."""
        if coin in ("USDT", "USDC"):
            return Decimal(1)
        return self.mark_price(f"{coin}USDT")

    # --- requests --------------------------------------------------------------------------

    def create(self, account: SimAccount, params: CreateOrderParams) -> SimOrder:
        book = self._book(params.category, params.symbol)
        instrument = book.instrument
        if params.orderLinkId is not None:
            rules.check_link_id(params.orderLinkId)
            if account.link_id_in_use(instrument.category, params.orderLinkId):
                raise rules.duplicate_link_id(instrument)
        order = self._new_order(account, book, params)
        if order.trigger_price is not None:
            order.status = "Untriggered"
            self._register(account, order)
            return order
        self._check_funds(account, book, order)
        self._register(account, order)
        self._work(account, book, order)
        return order

    def amend(self, account: SimAccount, params: AmendOrderParams) -> SimOrder:
        book = self._book(params.category, params.symbol)
        order = account.find_open(params.category, params.orderId, params.orderLinkId)
        if order is None or order.symbol != params.symbol:
            raise rules.order_not_found(book.instrument)
        if params.qty is None and params.price is None and params.triggerPrice is None:
            raise params_error("nothing to amend: give qty, price or triggerPrice")
        instrument = book.instrument
        if params.price is not None:
            if order.order_type == "Market":
                raise params_error("price cannot be amended on a market order")
            rules.check_price(instrument, params.price)
        if params.qty is not None:
            rules.check_base_qty(instrument, params.qty, market=False)
            if params.qty <= order.cum_exec_qty:
                raise BybitError(110008, "Order qty must exceed the filled qty")
        self._market.unrest(book, order.order_id)
        order.price = params.price if params.price is not None else order.price
        order.qty = params.qty if params.qty is not None else order.qty
        order.trigger_price = params.triggerPrice or order.trigger_price
        order.take_profit = params.takeProfit or order.take_profit
        order.stop_loss = params.stopLoss or order.stop_loss
        order.updated_ms = self._market.now_ms()
        if order.status != "Untriggered":
            self._work(account, book, order)
        return order

    def cancel(self, account: SimAccount, params: CancelOrderParams) -> SimOrder:
        book = self._book(params.category, params.symbol)
        order = account.find_open(params.category, params.orderId, params.orderLinkId)
        if order is None or order.symbol != params.symbol:
            raise rules.order_not_found(book.instrument)
        self._cancel(account, book, order)
        return order

    def cancel_all(self, account: SimAccount, params: CancelAllParams) -> list[SimOrder]:
        if params.symbol is not None:
            self._book(params.category, params.symbol)
        chosen = [
            o
            for o in account.open_orders.values()
            if o.category == params.category
            and params.symbol in (None, o.symbol)
            and params.baseCoin in (None, o.instrument.base)
            and params.settleCoin in (None, o.instrument.quote)
            and _matches_filter(o, params.orderFilter)
        ]
        for order in chosen:
            self._cancel(account, self._book(order.category, order.symbol), order)
        return chosen

    # --- matching --------------------------------------------------------------------------

    def _work(self, account: SimAccount, book: SimBook, order: SimOrder) -> None:
        """Match an accepted order against the book and rest or close what is left."""
        now = self._market.now_ms()
        instrument = book.instrument
        limit_tick = _tick(instrument, order.price) if order.order_type == "Limit" else None
        if order.time_in_force == "PostOnly" and limit_tick is not None:
            best = book.best_tick(opposite(order.side))
            if best is not None and (
                best <= limit_tick if order.side == BUY else best >= limit_tick
            ):
                self._finish(account, order, now, "EC_PostOnlyWillTakeLiquidity")
                self._market.changed(book)
                return
        lots = self._lots_to_take(book, order, limit_tick)
        if order.time_in_force == "FOK" and book.available(order.side, limit_tick) < lots:
            self._finish(account, order, now, "EC_CancelForNoFullFill")
            self._market.changed(book)
            return
        matches = self._market.execute(book, order.side, lots, limit_tick)
        for match in matches:
            self._fill(account, order, match, is_maker=False)
        remaining = _lots(instrument, order.qty - order.cum_exec_qty)
        if order.order_type == "Limit" and order.time_in_force in ("GTC", "PostOnly"):
            if remaining > 0 and limit_tick is not None:
                self._market.rest(
                    book, RestingOrder(order.order_id, order.side, limit_tick, remaining)
                )
                return
        elif order.is_open:
            reason = "EC_NoImmediateQtyToFill" if not matches else None
            self._finish(account, order, now, reason)
        self._market.changed(book)

    def _lots_to_take(self, book: SimBook, order: SimOrder, limit_tick: int | None) -> int:
        instrument = book.instrument
        if order.quote_budget is None:
            return _lots(instrument, order.qty - order.cum_exec_qty)
        budget, lots = order.quote_budget, 0
        bids, asks = book.top_ticks(10_000)
        for tick, level_lots in asks if order.side == BUY else bids:
            price = instrument.price(tick)
            level_value = price * instrument.size(level_lots)
            if level_value <= budget:
                budget -= level_value
                lots += level_lots
                continue
            lots += _lots(instrument, budget / price)
            break
        return lots

    def _fill(self, account: SimAccount, order: SimOrder, match: Match, *, is_maker: bool) -> None:
        instrument = order.instrument
        price, qty = instrument.price(match.tick), instrument.size(match.lots)
        rate = instrument.maker_fee if is_maker else instrument.taker_fee
        value = price * qty
        closed: Decimal | None = None
        if instrument.category == "spot":
            if order.side == BUY:
                fee, fee_coin = (qty * rate).quantize(FEE_PLACES), instrument.base
                account.credit(instrument.quote, -value)
                account.credit(instrument.base, qty - fee)
            else:
                fee, fee_coin = (value * rate).quantize(FEE_PLACES), instrument.quote
                account.credit(instrument.base, -qty)
                account.credit(instrument.quote, value - fee)
        else:
            fee, fee_coin = (value * rate).quantize(FEE_PLACES), instrument.quote
            pnl, closed = account.position(instrument.symbol).apply(order.side, qty, price)
            account.credit(fee_coin, pnl - fee)
            account.realised[fee_coin] = account.realised.get(fee_coin, ZERO) + pnl - fee
        now = self._market.now_ms()
        order.cum_exec_qty += qty
        order.cum_exec_value += value
        order.cum_exec_fee += fee
        order.fee_coin = fee_coin
        order.updated_ms = now
        if order.quote_budget is None and order.cum_exec_qty >= order.qty:
            order.status = "Filled"
        elif order.is_open:
            order.status = "PartiallyFilled"
        self._sequence += 1
        account.executions.append(
            SimExecution(
                exec_id=self._exec_id(instrument),
                order_id=order.order_id,
                order_link_id=order.order_link_id,
                instrument=instrument,
                side=order.side,
                order_type=order.order_type,
                order_qty=order.qty,
                order_price=order.price,
                price=price,
                qty=qty,
                fee=fee,
                fee_rate=rate,
                fee_coin=fee_coin,
                is_maker=is_maker,
                leaves_qty=order.leaves_qty,
                time_ms=now,
                seq=self._sequence,
                closed_size=closed,
                mark_price=self.mark_price(instrument.symbol) if closed is not None else None,
                market_unit=order.market_unit,
            )
        )
        account.settle(order)

    def _on_maker_fill(self, book: SimBook, match: Match, time_ms: int) -> None:
        if match.maker is None:
            return
        account = self._owners.get(match.maker.order_id)
        order = account.open_orders.get(match.maker.order_id) if account else None
        if account is None or order is None:
            return
        self._fill(account, order, match, is_maker=True)

    def _on_trade(self, trade: SimTrade) -> None:
        self._pending_triggers.add((trade.category, trade.symbol))

    def _on_book_change(self, category: str, symbol: str) -> None:
        """Fire conditional orders once a print crossed their trigger price."""
        if (category, symbol) not in self._pending_triggers:
            return
        self._pending_triggers.discard((category, symbol))
        trades = self._market.recent_trades(category, symbol, 1)
        if not trades:
            return
        last = trades[0].price
        for account in list(self._accounts.values()):
            for order in list(account.open_orders.values()):
                if (
                    order.status == "Untriggered"
                    and order.category == category
                    and order.symbol == symbol
                    and order.trigger_price is not None
                    and (
                        last >= order.trigger_price
                        if order.trigger_direction == 1
                        else last <= order.trigger_price
                    )
                ):
                    order.status = "New"
                    self._work(account, self._market.book(category, symbol), order)

    # --- helpers ---------------------------------------------------------------------------

    def _book(self, category: str, symbol: str) -> SimBook:
        if not self._market.has_book(category, symbol):
            raise BybitError(10001, "Not supported symbols")
        return self._market.book(category, symbol)

    def _new_order(self, account: SimAccount, book: SimBook, p: CreateOrderParams) -> SimOrder:
        """Validate the request against the instrument's filters and build the order."""
        instrument = book.instrument
        is_market = p.orderType == "Market"
        unit: str = ""
        if instrument.category == "spot" and is_market:
            unit = p.marketUnit or ("quoteCoin" if p.side == BUY else "baseCoin")
        reference = self._reference_price(book, p)
        if not is_market:
            if p.price is None:
                raise params_error("price is required for a Limit order")
            rules.check_price(instrument, p.price)
            if p.triggerPrice is None:  # Bybit bands a conditional order only once triggered
                rules.check_price_band(
                    instrument, p.side, p.price, self.mark_price(instrument.symbol)
                )
        qty = p.qty
        quote_budget: Decimal | None = None
        if unit == "quoteCoin":
            rules.check_quote_qty(instrument, qty)
            quote_budget = qty
        else:
            if p.reduceOnly and instrument.category == "linear":
                qty = self._reduce_only_qty(account, instrument, p.side, qty)
            rules.check_base_qty(instrument, qty, market=is_market)
            if not p.reduceOnly:
                rules.check_notional(instrument, qty * reference)
        now = self._market.now_ms()
        tif = "IOC" if is_market else (p.timeInForce or "GTC")
        last = self._market.recent_trades(instrument.category, instrument.symbol, 1)
        last_price = last[0].price if last else reference
        direction = p.triggerDirection or 0
        if p.triggerPrice is not None and direction == 0:
            direction = 1 if p.triggerPrice >= last_price else 2
        return SimOrder(
            order_id=self._order_id(instrument),
            order_link_id=p.orderLinkId or self._auto_link_id(instrument),
            instrument=instrument,
            side=p.side,
            order_type=p.orderType,
            qty=qty,
            price=None if is_market else p.price,
            time_in_force=tif,
            created_ms=now,
            updated_ms=now,
            reduce_only=p.reduceOnly and instrument.category == "linear",
            market_unit=unit,
            trigger_price=p.triggerPrice,
            trigger_direction=direction,
            take_profit=p.takeProfit,
            stop_loss=p.stopLoss,
            last_price_on_created=last_price,
            quote_budget=quote_budget,
            sequence=next(self._order_sequence),
        )

    def _reference_price(self, book: SimBook, p: CreateOrderParams) -> Decimal:
        """The price a notional check uses: the limit price, or the touch a market order hits."""
        if p.orderType == "Limit" and p.price is not None:
            return p.price
        tick = book.best_tick(opposite(p.side)) or book.best_tick(p.side)
        return book.instrument.price(tick) if tick is not None else ZERO

    def _reduce_only_qty(
        self, account: SimAccount, instrument: SimInstrument, side: BybitSide, qty: Decimal
    ) -> Decimal:
        position = account.position(instrument.symbol)
        reduces = (position.size > 0 and side == SELL) or (position.size < 0 and side == BUY)
        if not reduces:
            raise BybitError(110017, "current position is zero, cannot fix reduce-only order qty")
        return min(qty, abs(position.size))

    def _check_funds(self, account: SimAccount, book: SimBook, order: SimOrder) -> None:
        instrument = book.instrument
        if order.reduce_only:
            return
        if instrument.category == "spot":
            if order.side == BUY:
                coin = instrument.quote
                needed = order.quote_budget or order.qty * (
                    order.price or self._walk_cost(book, order)
                )
            else:
                coin = instrument.base
                needed = order.qty
                if order.quote_budget is not None:
                    needed = order.quote_budget / max(
                        self.mark_price(instrument.symbol), Decimal(1)
                    )
            available = account.wallet.get(coin, ZERO) - account.locked(coin)
        else:
            position = account.position(instrument.symbol)
            opening = order.qty
            if (position.size > 0 and order.side == SELL) or (
                position.size < 0 and order.side == BUY
            ):
                opening = max(ZERO, order.qty - abs(position.size))
            price = order.price or self._walk_cost(book, order)
            needed = opening * price / LEVERAGE + opening * price * instrument.taker_fee
            available = account.balance(instrument.quote, self.mark_price).available
        if needed > available:
            raise rules.insufficient_balance(instrument)

    def _walk_cost(self, book: SimBook, order: SimOrder) -> Decimal:
        """Average price a market order of ``order.qty`` would pay, walking the book."""
        instrument = book.instrument
        bids, asks = book.top_ticks(10_000)
        wanted, cost, got = _lots(instrument, order.qty), ZERO, 0
        for tick, lots in asks if order.side == BUY else bids:
            take = min(lots, wanted - got)
            cost += instrument.price(tick) * take
            got += take
            if got >= wanted:
                break
        return cost / got if got else ZERO

    def _register(self, account: SimAccount, order: SimOrder) -> None:
        account.open_orders[order.order_id] = order
        self._owners[order.order_id] = account

    def _finish(self, account: SimAccount, order: SimOrder, now: int, reason: str | None) -> None:
        order.close(now, reason)
        account.settle(order)

    def _cancel(self, account: SimAccount, book: SimBook, order: SimOrder) -> None:
        self._market.unrest(book, order.order_id)
        order.cancel_type = "CancelByUser"
        if order.status == "Untriggered":
            order.status = "Deactivated"
            order.updated_ms = self._market.now_ms()
            account.settle(order)
        else:
            self._finish(account, order, self._market.now_ms(), None)

    def _order_id(self, instrument: SimInstrument) -> str:
        if instrument.category == "spot":
            return str(1_600_000_000_000_000_000 + self._ids.getrandbits(58))
        return str(uuid.UUID(int=self._ids.getrandbits(128), version=4))

    def _auto_link_id(self, instrument: SimInstrument) -> str:
        """Bybit fills in a numeric orderLinkId for spot orders and leaves linear ones empty."""
        return self._order_id(instrument) if instrument.category == "spot" else ""

    def _exec_id(self, instrument: SimInstrument) -> str:
        if instrument.category == "spot":
            return str(2_200_000_000_000_000_000 + self._sequence)
        return str(uuid.UUID(int=self._ids.getrandbits(128), version=4))


def _tick(instrument: SimInstrument, price: Decimal | None) -> int | None:
    if price is None:
        return None
    return int(price / instrument.tick_size)


def _lots(instrument: SimInstrument, qty: Decimal) -> int:
    return int((qty / instrument.qty_step).to_integral_value(rounding=ROUND_DOWN))


def _matches_filter(order: SimOrder, order_filter: str | None) -> bool:
    if order_filter is None:
        return True
    if order_filter == "StopOrder":
        return order.status == "Untriggered"
    return order.status != "Untriggered"
