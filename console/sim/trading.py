"""The simulator's matching engine for user orders, against the simulator's own book.

Limit orders take what crosses and rest the remainder in :class:`SimBook` (so they appear in
the REST and WS books); market orders take level by level; PostOnly orders that would take
are accepted and then cancelled (``EC_PostOnlyWillTakeLiquidity``), as on Bybit; IOC keeps
what filled at once, FOK fills entirely or not at all. Balances move with every fill and fee;
linear fills move the one-way position and realise PnL. Conditional orders (``triggerPrice``)
wait as ``Untriggered`` on the :class:`TriggerBoard` until the price they watch (last, mark or
index) reaches the trigger; TP/SL orders are the :class:`TpslDesk`'s.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from decimal import Decimal

from console.sim import order_rules as rules
from console.sim.account_events import AccountEvent, AccountListener
from console.sim.accounts import DEFAULT_BALANCES, FillEffect, SimAccount
from console.sim.book import BUY, Match, RestingOrder, SimBook, opposite
from console.sim.closed_pnl import ClosedPnl
from console.sim.envelopes import BybitError, params_error
from console.sim.ids import SimIds
from console.sim.instruments import SimInstrument
from console.sim.market import SimMarket
from console.sim.order_admission import OrderAdmission
from console.sim.orders import SimExecution, SimOrder
from console.sim.params import (
    AmendOrderParams,
    CancelAllParams,
    CancelOrderParams,
    CreateOrderParams,
    OrderRefParams,
)
from console.sim.pricing import lots_for_budget, lots_of, mark_price, tick_of
from console.sim.tpsl import CLEARED, TpslDesk, is_tpsl
from console.sim.triggers import (
    MAX_CONDITIONAL_PER_SYMBOL,
    TriggerBoard,
    check_trigger_side,
    matches_filter,
    watched_price,
)

log = logging.getLogger(__name__)


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
        self._ids = SimIds(seed)
        self._admission = OrderAdmission(market, self._ids)
        self._balances = dict(balances)
        self._accounts: dict[str, SimAccount] = {}
        self._owners: dict[str, SimAccount] = {}
        self._triggers = TriggerBoard(market)
        self._tpsl = TpslDesk(self)
        self._firing = False
        self._refire: set[str] = set()
        self._account_listeners: list[AccountListener] = []
        self._book_watchers: list[Callable[[str, str], None]] = []
        market.set_maker_fill_handler(self._on_maker_fill)
        market.add_book_listener(self._on_book_change)

    def account(self, uid: str) -> SimAccount:
        """The account of ``uid``, opened with the starting balances on first use."""
        account = self._accounts.get(uid)
        if account is None:
            account = SimAccount(uid, self._balances)
            self._accounts[uid] = account
        return account

    @property
    def market(self) -> SimMarket:
        return self._market

    @property
    def ids(self) -> SimIds:
        return self._ids

    @property
    def tpsl(self) -> TpslDesk:
        return self._tpsl

    def accounts(self) -> list[SimAccount]:
        return list(self._accounts.values())

    def add_account_listener(self, listener: AccountListener) -> None:
        """``listener(account, event)`` hears every order change, fill, position touch and
        wallet move, synchronously and in order (the private WebSocket batches them)."""
        self._account_listeners.append(listener)

    def remove_account_listener(self, listener: AccountListener) -> None:
        if listener in self._account_listeners:
            self._account_listeners.remove(listener)

    def add_book_watcher(self, watcher: Callable[[str, str], None]) -> None:
        """``watcher(category, symbol)`` runs after the engine has reacted to a book change
        (the liquidation engine watches the mark this way)."""
        self._book_watchers.append(watcher)

    def emit(self, account: SimAccount, event: AccountEvent) -> None:
        for listener in list(self._account_listeners):
            try:
                listener(account, event)
            except Exception:
                log.exception("sim account listener failed")

    def emit_order(self, account: SimAccount, order: SimOrder) -> None:
        """The order's state changed; a linear order touches its position (Bybit pushes
        ``position`` on every create, amend and cancel), and the margin or coins it holds
        move the wallet."""
        if not self._account_listeners:
            return
        self.emit(account, AccountEvent("order", order=order))
        if order.category == "linear":
            self.emit(account, AccountEvent("position", symbol=order.symbol))
        self.emit(account, AccountEvent("wallet"))

    def touch_position(self, account: SimAccount, symbol: str) -> None:
        """Something about the position changed outside a fill (its leverage): push it."""
        if self._account_listeners:
            self.emit(account, AccountEvent("position", symbol=symbol))
            self.emit(account, AccountEvent("wallet"))

    def mark_price(self, symbol: str) -> Decimal:
        """Mid of the linear book (the simulator's mark), falling back to the spot book."""
        return mark_price(self._market, symbol)

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
        order = self._admission.build(account, book, params)
        if order.trigger_price is not None:
            if (
                self._triggers.count(account, order.category, order.symbol)
                >= MAX_CONDITIONAL_PER_SYMBOL
            ):
                raise BybitError(110009, "The number of stop orders exceeds maximum limit allowed")
            order.status = "Untriggered"
            self.arm(account, order)
            return order
        self._admission.check_funds(account, book, order)
        self._register(account, order)
        self.emit_order(account, order)
        self._work(account, book, order)
        return order

    def arm(self, account: SimAccount, order: SimOrder) -> None:
        """Take in a conditional order that waits ``Untriggered``, and push it."""
        self._register(account, order)
        self._triggers.arm(account, order)
        self.emit_order(account, order)

    def deactivate(self, account: SimAccount, order: SimOrder, cancel_type: str) -> None:
        """An untriggered order leaves as ``Deactivated`` (cancelled, or its position closed)."""
        self._triggers.disarm(order)
        order.status = "Deactivated"
        order.cancel_type = cancel_type
        order.updated_ms = self._market.now_ms()
        account.settle(order)
        self.emit_order(account, order)

    def tpsl_orders(self, account: SimAccount, symbol: str) -> list[SimOrder]:
        """The open TP/SL orders of a linear symbol, oldest first."""
        return sorted(
            (
                o
                for o in account.open_orders.values()
                if o.symbol == symbol and o.category == "linear" and is_tpsl(o)
            ),
            key=lambda o: o.sequence,
        )

    def amend(self, account: SimAccount, params: AmendOrderParams) -> SimOrder:
        book, order = self._open_order(account, params)
        if all(
            value is None
            for value in (
                params.qty,
                params.price,
                params.triggerPrice,
                params.triggerBy,
                params.takeProfit,
                params.stopLoss,
            )
        ):
            raise params_error("nothing to amend: give qty, price, triggerPrice or TP/SL")
        if order.status == "Untriggered" and (
            params.triggerPrice is not None or params.triggerBy is not None
        ):
            self._check_new_trigger(order, params)
        instrument = book.instrument
        if params.price is not None:
            if order.order_type == "Market":
                raise params_error("price cannot be amended on a market order")
            rules.check_price(instrument, params.price)
        if params.qty is not None:
            rules.check_base_qty(instrument, params.qty, market=False)
            if params.qty <= order.cum_exec_qty:
                raise BybitError(
                    110064,
                    "The modified contract quantity cannot be less than or equal to "
                    "the filled quantity.",
                )
        if self._shrink_in_place(book, order, params):
            self.emit_order(account, order)
            return order
        self._market.unrest(book, order.order_id)
        order.price = params.price if params.price is not None else order.price
        order.qty = params.qty if params.qty is not None else order.qty
        order.trigger_price = params.triggerPrice or order.trigger_price
        if order.trigger_price is not None and params.triggerBy is not None:
            order.trigger_by = params.triggerBy
        if params.takeProfit is not None:
            order.take_profit = params.takeProfit or None
            order.tp_trigger_by = (
                (params.tpTriggerBy or order.tp_trigger_by or "LastPrice")
                if (order.take_profit)
                else ""
            )
        if params.stopLoss is not None:
            order.stop_loss = params.stopLoss or None
            order.sl_trigger_by = (
                (params.slTriggerBy or order.sl_trigger_by or "LastPrice")
                if (order.stop_loss)
                else ""
            )
        order.tpsl_mode = (
            ((order.tpsl_mode or "Full") if order.take_profit or order.stop_loss else "")
            if not is_tpsl(order)
            else order.tpsl_mode
        )
        order.updated_ms = self._market.now_ms()
        if order.tpsl_mode == "Full" and is_tpsl(order):
            position = account.position(order.symbol)
            if order.stop_order_type == "TakeProfit":
                position.take_profit = order.trigger_price
            else:
                position.stop_loss = order.trigger_price
        self.emit_order(account, order)
        if order.status != "Untriggered":
            self._work(account, book, order)
        return order

    def _check_new_trigger(self, order: SimOrder, params: AmendOrderParams) -> None:
        """A moved trigger must still be on its side of the watched price (110092/110093)."""
        trigger = params.triggerPrice or order.trigger_price
        trigger_by = params.triggerBy or order.trigger_by or "LastPrice"
        if trigger is None or order.category != "linear":
            return
        current = watched_price(self._market, order.category, order.symbol, trigger_by)
        if current is not None:
            check_trigger_side(order.trigger_direction, trigger, current, trigger_by)

    def _shrink_in_place(self, book: SimBook, order: SimOrder, params: AmendOrderParams) -> bool:
        """A resting order whose quantity only goes down keeps its place in the queue, as on
        Bybit; a new price (or a bigger quantity) sends it to the back of its new level."""
        resting = book.resting(order.order_id)
        if (
            resting is None
            or params.qty is None
            or params.qty >= order.qty
            or params.price not in (None, order.price)
            or params.triggerPrice is not None
        ):
            return False
        order.qty = params.qty
        order.updated_ms = self._market.now_ms()
        book.resize_resting(
            order.order_id, lots_of(book.instrument, order.qty - order.cum_exec_qty)
        )
        self._market.changed(book)
        return True

    def cancel(self, account: SimAccount, params: CancelOrderParams) -> SimOrder:
        book, order = self._open_order(account, params)
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
            and matches_filter(o, params.orderFilter)
        ]
        for order in chosen:
            self._cancel(account, self._book(order.category, order.symbol), order)
        return chosen

    # --- matching --------------------------------------------------------------------------

    def _work(self, account: SimAccount, book: SimBook, order: SimOrder) -> None:
        """Match an accepted order against the book and rest or close what is left."""
        now = self._market.now_ms()
        instrument = book.instrument
        limit_tick = (
            tick_of(instrument, order.price)
            if order.order_type == "Limit" and order.price is not None
            else None
        )
        if order.time_in_force == "PostOnly" and limit_tick is not None:
            best = book.best_tick(opposite(order.side))
            if best is not None and (
                best <= limit_tick if order.side == BUY else best >= limit_tick
            ):
                self._finish(account, order, now, "EC_PostOnlyWillTakeLiquidity")
                self._market.changed(book)
                return
        lots = self._lots_to_take(book, order)
        if order.time_in_force == "FOK" and book.available(order.side, limit_tick) < lots:
            self._finish(account, order, now, "EC_CancelForNoFullFill")
            self._market.changed(book)
            return
        matches = self._market.execute(book, order.side, lots, limit_tick)
        for match in matches:
            self._fill(account, order, match, is_maker=False)
        remaining = lots_of(instrument, order.qty - order.cum_exec_qty)
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

    def _lots_to_take(self, book: SimBook, order: SimOrder) -> int:
        if order.quote_budget is None:
            return lots_of(book.instrument, order.qty - order.cum_exec_qty)
        return lots_for_budget(book, order.side, order.quote_budget)

    def liquidate(self, account: SimAccount, instrument: SimInstrument, price: Decimal) -> None:
        """The liquidation engine takes the whole position over at ``price`` (the bankruptcy
        price): a ``CreateByLiq`` market order, filled at once as a ``BustTrade`` without a
        fee (the liquidation fee is the distance from the liquidation price)."""
        position = account.position(instrument.symbol)
        if position.size == 0:
            return
        now = self._market.now_ms()
        order = SimOrder(
            order_id=self._ids.order_id(instrument),
            order_link_id="",
            instrument=instrument,
            side="Sell" if position.size > 0 else "Buy",
            order_type="Market",
            qty=abs(position.size),
            price=None,
            time_in_force="IOC",
            created_ms=now,
            updated_ms=now,
            reduce_only=True,
            last_price_on_created=price,
            sequence=self._ids.next_order_sequence(),
            create_type="CreateByLiq",
        )
        self._register(account, order)
        tick = int((price / instrument.tick_size).to_integral_value())
        match = Match(tick, lots_of(instrument, order.qty), None)
        self._fill(account, order, match, is_maker=False, liquidation=True)

    def _fill(
        self,
        account: SimAccount,
        order: SimOrder,
        match: Match,
        *,
        is_maker: bool,
        liquidation: bool = False,
    ) -> None:
        """Book one execution of ``order``: balances, the order's totals, the fill record."""
        instrument = order.instrument
        price, qty = instrument.price(match.tick), instrument.size(match.lots)
        rate = instrument.maker_fee if is_maker else instrument.taker_fee
        if liquidation:
            rate = Decimal(0)
        entry_before = account.position(instrument.symbol).entry_price
        effect = account.apply_fill(instrument, order.side, price, qty, rate)
        now = self._market.now_ms()
        order.cum_exec_qty += qty
        order.cum_exec_value += price * qty
        order.cum_exec_fee += effect.fee
        order.fee_coin = effect.fee_coin
        order.updated_ms = now
        if order.quote_budget is None and order.cum_exec_qty >= order.qty:
            order.status = "Filled"
        elif order.is_open:
            order.status = "PartiallyFilled"
        sequence = self._ids.next_execution_sequence()
        account.executions.append(
            SimExecution(
                exec_id=self._ids.execution_id(instrument, sequence),
                order_id=order.order_id,
                order_link_id=order.order_link_id,
                instrument=instrument,
                side=order.side,
                order_type=order.order_type,
                order_qty=order.qty,
                order_price=order.price,
                price=price,
                qty=qty,
                fee=effect.fee,
                fee_rate=rate,
                fee_coin=effect.fee_coin,
                is_maker=is_maker,
                leaves_qty=order.leaves_qty,
                time_ms=now,
                seq=sequence,
                closed_size=effect.closed,
                mark_price=self.mark_price(instrument.symbol)
                if effect.closed is not None
                else None,
                market_unit=order.market_unit,
                exec_pnl=effect.pnl,
                exec_type="BustTrade" if liquidation else "Trade",
                create_type=order.create_type,
                stop_order_type=order.stop_order_type,
            )
        )
        if effect.closed:
            self._record_closed_pnl(account, order, effect, entry_before, price, qty, now)
        position = account.positions.get(instrument.symbol)
        if position is not None and instrument.category == "linear":
            position.seq = sequence
            position.updated_ms = now
            position.created_ms = position.created_ms or now
        account.settle(order)
        if self._account_listeners:
            self.emit(account, AccountEvent("execution", execution=account.executions[-1]))
            self.emit_order(account, order)
            self.emit(account, AccountEvent("wallet"))
        if instrument.category == "linear":
            self._tpsl.after_fill(account, instrument.symbol)
            self._tpsl.after_entry_fill(account, order)

    def _record_closed_pnl(
        self,
        account: SimAccount,
        order: SimOrder,
        effect: FillEffect,
        entry: Decimal,
        price: Decimal,
        qty: Decimal,
        now: int,
    ) -> None:
        closed = effect.closed or Decimal(0)
        record = account.closed_pnls.get(order.order_id)
        if record is None:
            record = account.closed_pnls[order.order_id] = ClosedPnl(
                symbol=order.symbol,
                order_id=order.order_id,
                side=order.side,
                qty=order.qty,
                order_price=order.price,
                order_type=order.order_type,
                exec_type="BustTrade" if order.create_type == "CreateByLiq" else "Trade",
                leverage=account.leverage(order.symbol),
                created_ms=now,
            )
        record.add(closed, entry, price, effect.pnl, effect.fee * closed / qty, now)

    def _on_maker_fill(self, book: SimBook, match: Match, time_ms: int) -> None:
        if match.maker is None:
            return
        account = self._owners.get(match.maker.order_id)
        order = account.open_orders.get(match.maker.order_id) if account else None
        if account is None or order is None:
            return
        self._fill(account, order, match, is_maker=True)

    def _on_book_change(self, category: str, symbol: str) -> None:
        self._fire_triggers(symbol)
        for watcher in list(self._book_watchers):
            try:
                watcher(category, symbol)
            except Exception:
                log.exception("sim book watcher failed")

    def _fire_triggers(self, symbol: str) -> None:
        """Fire the conditional orders whose watched price reached their trigger. A fill
        changes the book again: that symbol is looked at once more after this round, not in
        a nested one."""
        if self._firing:
            self._refire.add(symbol)
            return
        self._firing = True
        try:
            pending = {symbol}
            while pending:
                for account, order in self._triggers.due(pending.pop()):
                    if order.status == "Untriggered":
                        self._trigger(account, order)
                pending |= self._refire
                self._refire.clear()
        finally:
            self._firing = False

    def _trigger(self, account: SimAccount, order: SimOrder) -> None:
        """``Untriggered`` -> ``Triggered`` -> ``New``, then matched like any order. A
        reduce-only order shrinks to the position (none left: deactivated); an opening one
        needs its margin now (none: ``Rejected``, as Bybit rejects a triggered order)."""
        self._triggers.disarm(order)
        book = self._book(order.category, order.symbol)
        order.status = "Triggered"
        order.updated_ms = self._market.now_ms()
        self.emit_order(account, order)
        if order.reduce_only:
            position = account.position(order.symbol)
            reduces = (position.size > 0) != (order.side == "Buy") and position.size != 0
            if not reduces:
                self.deactivate(account, order, CLEARED)
                return
            order.qty = min(order.qty, abs(position.size))
        else:
            try:
                self._admission.check_funds(account, book, order)
            except BybitError:
                order.status = "Rejected"
                order.reject_reason = "EC_InsufficientBalance"
                account.settle(order)
                self.emit_order(account, order)
                return
        order.status = "New"
        self.emit_order(account, order)
        self._work(account, book, order)

    # --- helpers ---------------------------------------------------------------------------

    def _book(self, category: str, symbol: str) -> SimBook:
        if not self._market.has_book(category, symbol):
            raise BybitError(10001, "Not supported symbols")
        return self._market.book(category, symbol)

    def _open_order(self, account: SimAccount, ref: OrderRefParams) -> tuple[SimBook, SimOrder]:
        """The open order a request names (by orderId, else orderLinkId), or Bybit's not-found."""
        book = self._book(ref.category, ref.symbol)
        order = account.find_open(ref.category, ref.orderId, ref.orderLinkId)
        if order is None or order.symbol != ref.symbol:
            raise rules.order_not_found(book.instrument)
        return book, order

    def _register(self, account: SimAccount, order: SimOrder) -> None:
        account.open_orders[order.order_id] = order
        self._owners[order.order_id] = account

    def _finish(self, account: SimAccount, order: SimOrder, now: int, reason: str | None) -> None:
        order.close(now, reason)
        account.settle(order)
        self.emit_order(account, order)

    def _cancel(self, account: SimAccount, book: SimBook, order: SimOrder) -> None:
        self._market.unrest(book, order.order_id)
        order.cancel_type = "CancelByUser"
        if order.status == "Untriggered":
            self.deactivate(account, order, "CancelByUser")
        else:
            self._finish(account, order, self._market.now_ms(), None)
