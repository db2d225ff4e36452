"""``PaperTradingExchange``: orders that never leave the process, filled against the live book.

It is a :class:`~console.domain.TradingVenue` (the ExchangeClient routes paper orders here) and
a :class:`~console.domain.MarketEventListener` (the streamer tells it when books change and
trades print, which is what fills resting orders). Every step (an order placed or cancelled,
a market event that filled something) is written to the ledger before the caller hears about
it, so nothing acknowledged is lost by a crash. With ``group_commit`` the steps of one
event-loop turn (async orders, market events) share one ledger commit, one fsync, and their
acknowledgements (the awaited order, the fill listeners) are released only after it.
"""

from __future__ import annotations

import asyncio
import logging
from bisect import bisect_right, insort
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from console.domain import (
    Balance,
    Clock,
    DepthSnapshot,
    Fill,
    Liquidity,
    Market,
    MarketDataSource,
    Order,
    OrderRequest,
    OrderStatus,
    OrderType,
    Side,
    SystemClock,
    TimeInForce,
    Trade,
    TriggerSource,
)
from console.domain import (
    Position as VenuePosition,
)
from console.domain.trusted import trusted
from console.paper.accounts import Accounts
from console.paper.admission import check_funds, check_reduce_only, reduces, reserve_for
from console.paper.amend import plan_amend
from console.paper.errors import PaperOrderNotFound, PaperOrderRejected, SessionNotFound
from console.paper.fees import FeeSchedule
from console.paper.ledger import (
    AccountState,
    FillContext,
    Ledger,
    StoredOrder,
    StoredPosition,
)
from console.paper.matching import (
    BookLiquidity,
    QueuePosition,
    same_side_size,
    through_levels,
    total,
    trade_hits,
    walk_book,
)
from console.paper.models import (
    FillExplanation,
    FillTrigger,
    LevelTake,
    PaperFill,
    Position,
    SessionInfo,
)
from console.paper.orders import WorkingOrder, own_orders_ahead
from console.paper.positions_risk import as_venue_position, liquidation_due
from console.paper.rules import check_market_rules
from console.paper.triggers import PaperTriggers

log = logging.getLogger(__name__)

ZERO = Decimal(0)
_FINAL = frozenset(status for status in OrderStatus if status.is_final)
DEFAULT_LEVERAGE = Decimal(10)

FillListener = Callable[[PaperFill], None]
"""Called with each fill after it is safely in the ledger (the acknowledgement)."""


@dataclass
class _Step:
    """What one engine step changed; written to the ledger in one transaction."""

    orders: dict[str, WorkingOrder] = field(default_factory=dict)
    fills: list[tuple[PaperFill, FillContext]] = field(default_factory=list)

    def touch(self, order: WorkingOrder) -> None:
        self.orders[order.order_id] = order


@dataclass(frozen=True, slots=True)
class _Cause:
    """Why a fill happens, as its explanation will tell it."""

    liquidity: Liquidity
    trigger: FillTrigger
    levels: tuple[LevelTake, ...] = ()
    book_sequence: int | None = None
    ahead: Decimal | None = None
    trade_id: str | None = None


class PaperTradingExchange:
    """The paper venue of one practice session.

    Args:
        markets: tradable markets by symbol (precision, minimums, fee schedule).
        market_data: where the live books come from (the streamer, or REST polling).
        ledger: the SQLite ledger, a path to one, or None to keep nothing (benchmarks only).
        session_id: resume this session; None starts a new one with ``starting_balances``.
        clock: timestamps of orders and fills.
        fees: fee-rate overrides; by default each market's own rates.
        starting_balances: cash of a new session.
        leverage: initial margin of linear positions and orders is notional / leverage.
        session_name: label of a new session.
        market_loader: where markets come from when none were given yet (the composition
            root passes the ExchangeClient's ``load_markets``); awaited once, on the first
            call of the async venue surface. Resumed open orders on symbols not yet known
            wait (listed, locks held) until their market arrives.
        group_commit: inside a running event loop, the async orders and market events of
            one loop turn are committed together at the end of the turn (one fsync), and
            acknowledged after it. The synchronous ``place`` and ``cancel`` always commit
            before they return.
    """

    def __init__(
        self,
        markets: Mapping[str, Market],
        market_data: MarketDataSource,
        ledger: Ledger | Path | None = None,
        session_id: int | None = None,
        *,
        clock: Clock | None = None,
        fees: FeeSchedule | None = None,
        starting_balances: Mapping[str, Decimal] | None = None,
        leverage: Decimal = DEFAULT_LEVERAGE,
        session_name: str | None = None,
        market_loader: Callable[[], Awaitable[Mapping[str, Market]]] | None = None,
        group_commit: bool = False,
    ) -> None:
        self._group_commit = group_commit
        self._staged: list[_Step] = []
        self._waiters: list[asyncio.Future[None]] = []
        self._flush_handle: asyncio.Handle | None = None
        self._markets: dict[str, Market] = {}
        self._market_loader = market_loader
        self._pending: list[StoredOrder] = []
        self._market_data = market_data
        self._clock: Clock = clock or SystemClock()
        self._fees = fees or FeeSchedule()
        self._ledger = Ledger(ledger) if isinstance(ledger, Path) else ledger
        self._liquidity: dict[str, BookLiquidity] = {}
        self._listeners: list[FillListener] = []
        self._leverage = leverage
        self._default_balances = dict(starting_balances or {"USDT": Decimal(10_000)})
        self._orders: dict[str, WorkingOrder] = {}
        self._resting: dict[str, list[WorkingOrder]] = {}
        self._fills: dict[str, PaperFill] = {}
        self._order_seq = 0
        self._fill_seq = 0
        self._at_risk: set[str] = set()
        """Linear symbols with an open position: their book moves are checked for liquidation."""
        self.session_id = 0
        self._accounts = Accounts(self._default_balances, leverage=leverage)
        self._triggers = PaperTriggers(
            place=self.place,
            validate=self._check_conditional,
            lookup=self._snapshot_of,
            position_size=lambda symbol: self._accounts.position_size(symbol),
            book=market_data.get_depth_snapshot,
            now=self._clock.now,
            session=lambda: self.session_id,
        )
        self._listeners.append(
            lambda paper: self._triggers.on_fill(paper.fill.symbol, paper.fill.order_id)
        )
        if self._ledger is not None and session_id is None:
            self.start_session(session_name)
        elif session_id is not None:
            self.resume_session(session_id)
        self.add_markets(markets)

    def start_session(
        self,
        name: str | None = None,
        starting_balances: Mapping[str, Decimal] | None = None,
        leverage: Decimal | None = None,
    ) -> SessionInfo:
        """Begin a new practice session in the ledger and trade in it from now on.

        The engine object stays the same, so the client and the streamer keep talking to it.
        ``leverage`` (default: the engine's) holds for the session's linear contracts and is
        stored with it, so a resume trades on the same margin.
        """
        ledger = self._require_ledger()
        self._flush()
        balances = dict(starting_balances or self._default_balances)
        session_leverage = self._leverage if leverage is None else leverage
        accounts = Accounts(balances, leverage=session_leverage)  # refuses leverage <= 0
        info = ledger.start_session(
            name or f"practice {self._clock.now():%Y-%m-%d %H:%M}",
            balances,
            session_leverage,
            self._clock.now(),
        )
        self._forget_session()
        self.session_id = info.session_id
        self._accounts = accounts
        self.add_markets(dict(self._markets))
        return info

    def resume_session(self, session_id: int) -> SessionInfo:
        """Trade in an earlier session again: its balances, positions and resting orders.

        Raises:
            SessionNotFound: no such session in the ledger.
        """
        ledger = self._require_ledger()
        self._flush()
        state = ledger.load_state(session_id)
        self._forget_session()
        self.session_id = session_id
        self._accounts = Accounts(
            state.cash,
            leverage=state.info.leverage,
            positions={p.symbol: (p.size, p.cost, p.realised_pnl) for p in state.positions},
        )
        self._order_seq, self._fill_seq = state.order_seq, state.fill_seq
        self._at_risk = {p.symbol for p in state.positions if p.size != 0}
        for stored in state.open_orders:
            if stored.lock_currency is not None and stored.lock_amount is not None:
                self._accounts.lock(stored.order.order_id, stored.lock_currency, stored.lock_amount)
        self._pending = list(state.open_orders)
        self.add_markets(dict(self._markets))
        return state.info

    def _forget_session(self) -> None:
        self._triggers.clear()
        self._orders.clear()
        self._resting.clear()
        self._fills.clear()
        self._pending = []
        self._at_risk = set()

    def _require_ledger(self) -> Ledger:
        if self._ledger is None:
            raise SessionNotFound("this paper engine keeps no ledger, so it has no sessions")
        return self._ledger

    def add_markets(self, markets: Mapping[str, Market]) -> None:
        """Make markets tradable; resumed orders waiting for one of them start resting."""
        self._markets.update(markets)
        self._accounts.register(markets.values())
        waiting = []
        for index, stored in enumerate(self._pending):
            market = self._markets.get(stored.order.symbol)
            if market is None:
                waiting.append(stored)
                continue
            queue = None
            if stored.queue_ahead is not None and stored.queue_at_placement is not None:
                queue = QueuePosition(
                    ahead=stored.queue_ahead, at_placement=stored.queue_at_placement
                )
            work = WorkingOrder.restore(
                stored.order,
                market,
                filled_notional=stored.filled_notional,
                queue=queue,
                sequence=-len(self._pending) + index,
            )
            self._orders[work.order_id] = work
            insort(self._resting.setdefault(work.request.symbol, []), work, key=_priority)
        self._pending = waiting

    async def _ensure_markets(self) -> None:
        if self._market_loader is not None:
            loader, self._market_loader = self._market_loader, None
            self.add_markets(await loader())

    # ----- listeners and views -----------------------------------------------------------

    def add_fill_listener(self, listener: FillListener) -> None:
        self._listeners.append(listener)

    @property
    def ledger(self) -> Ledger | None:
        return self._ledger

    def explanation(self, fill_id: str) -> FillExplanation | None:
        """How a fill of this session was priced (from memory, or the ledger after a restart)."""
        paper = self._fills.get(fill_id)
        if paper is not None:
            return paper.explanation
        if self._ledger is None:
            return None
        return self._ledger.explanation(self.session_id, fill_id)

    def fills(self) -> list[PaperFill]:
        """Fills of this session, oldest first."""
        if self._ledger is not None:
            return self._ledger.fills(self.session_id)
        return list(self._fills.values())

    def positions(self) -> list[Position]:
        """Positions and holdings, with unrealised PnL at the book's mid where one exists."""
        marks: dict[str, Decimal | None] = {}
        for symbol in self._markets:
            book = self._market_data.get_depth_snapshot(symbol)
            marks[symbol] = book.mid if book is not None else None
        return self._accounts.positions(marks)

    def queue_ahead(self, order_id: str) -> Decimal | None:
        """Public size estimated ahead of a resting order (for the ladder)."""
        work = self._orders.get(order_id)
        return None if work is None or work.queue is None else work.queue.ahead

    # ----- TradingVenue -----------------------------------------------------------------

    async def create_order(self, request: OrderRequest) -> Order:
        await self._ensure_markets()
        order = self._place(request, defer=True)
        await self._durable()
        return order

    async def cancel_order(self, order_id: str, symbol: str) -> Order:
        await self._ensure_markets()
        order = self._cancel(order_id, symbol, defer=True)
        await self._durable()
        return order

    @property
    def triggers(self) -> PaperTriggers:
        """The session's conditional orders (amend routes a waiting one's moves here)."""
        return self._triggers

    async def set_trading_stop(
        self,
        symbol: str,
        *,
        take_profit: Decimal | None,
        stop_loss: Decimal | None,
        trigger_by: TriggerSource,
        size: Decimal | None,
    ) -> bool:
        """TP/SL on the paper position (see :mod:`console.paper.triggers`); False when
        nothing changed."""
        await self._ensure_markets()
        return self._triggers.set_trading_stop(
            symbol, take_profit=take_profit, stop_loss=stop_loss, trigger_by=trigger_by, size=size
        )

    async def fetch_order(self, order_id: str, symbol: str) -> Order:
        await self._ensure_markets()
        if self._triggers.owns(order_id):
            return self._triggers.order(order_id, symbol)
        work = self._orders.get(order_id)
        if work is not None and work.request.symbol == symbol:
            return work.snapshot()
        stored = self._ledger.order(self.session_id, order_id) if self._ledger else None
        if stored is None or stored.symbol != symbol:
            raise PaperOrderNotFound(f"no paper order {order_id} on {symbol}")
        return stored

    async def fetch_open_orders(self, symbol: str | None = None) -> list[Order]:
        await self._ensure_markets()
        resting = [
            work.snapshot()
            for sym, orders in self._resting.items()
            if symbol is None or sym == symbol
            for work in orders
        ]
        waiting = [s.order for s in self._pending if symbol is None or s.order.symbol == symbol]
        return resting + waiting + self._triggers.open_orders(symbol)

    async def fetch_balance(self) -> list[Balance]:
        await self._ensure_markets()
        return self._accounts.balances()

    # ----- order entry (synchronous core) ---------------------------------------------

    def place(self, request: OrderRequest) -> Order:
        """Accept, fill what crosses, rest or cancel the rest; return once it is in the ledger.

        Raises:
            PaperOrderRejected: the order breaks a market rule, funds, or its time in force.
        """
        return self._place(request, defer=False)

    def _place(self, request: OrderRequest, *, defer: bool) -> Order:
        if PaperTriggers.takes(request):
            return self._triggers.place(request)
        market = self._markets.get(request.symbol)
        if market is None:
            raise PaperOrderRejected(
                "unknown_symbol", f"{request.symbol} is not a market of this venue"
            )
        book = self._live_book(request.symbol)
        opposite = book.asks if request.side is Side.BUY else book.bids
        check_market_rules(request, market, opposite[0].price if opposite else None)
        self._check_client_id(request)
        check_reduce_only(
            request,
            market,
            self._accounts.position_size(market.symbol),
            (
                work.remaining
                for work in self._resting.get(market.symbol, [])
                if work.request.reduce_only and work.request.side is request.side
            ),
        )
        liquidity = self._liquidity.get(request.symbol)
        if liquidity is None:
            liquidity = self._liquidity[request.symbol] = BookLiquidity()
        takes = walk_book(book, liquidity, request.side, request.quantity, request.price)
        if request.time_in_force is TimeInForce.POST_ONLY and takes:
            raise PaperOrderRejected(
                "post_only_would_take",
                f"post-only {request.side} at {request.price} would take liquidity: the best "
                f"{'ask' if request.side is Side.BUY else 'bid'} is {takes[0].price}",
            )
        lock = check_funds(request, market, takes, self._accounts, self._fees)

        now = self._clock.now()
        self._order_seq += 1
        work = WorkingOrder(
            order_id=f"P{self.session_id}-{self._order_seq}",
            request=request,
            market=market,
            created_at=now,
            updated_at=now,
            sequence=self._order_seq,
        )
        self._orders[work.order_id] = work
        step = _Step()
        step.touch(work)
        if lock is not None:
            self._accounts.lock(work.order_id, *lock)

        available = total(takes)
        if request.time_in_force is TimeInForce.FOK and available < request.quantity:
            self._finish(
                work,
                OrderStatus.CANCELED,
                f"fill-or-kill: the book had {available} of {request.quantity} "
                f"{'within ' + str(request.price) if request.price else ''}".rstrip(),
            )
        else:
            for take in takes:
                cause = _Cause(Liquidity.TAKER, "walk", tuple(takes), book.sequence)
                filled = self._fill(work, take.price, take.size, cause, step)
                liquidity.take(request.side.opposite, take, filled)
                if work.status.is_final:
                    break
            self._after_arrival(work, book, available)
        self._commit(step, defer=defer)
        return work.snapshot()

    def _after_arrival(self, work: WorkingOrder, book: DepthSnapshot, available: Decimal) -> None:
        """What happens to the part the book did not fill on arrival."""
        if work.status.is_final or work.remaining == 0:
            return
        request = work.request
        if request.type is OrderType.MARKET or request.time_in_force is TimeInForce.IOC:
            within = f" within {request.price}" if request.price is not None else ""
            kind = "market order" if request.type is OrderType.MARKET else "immediate-or-cancel"
            self._finish(
                work,
                OrderStatus.CANCELED,
                f"{kind}: the book had {available} of {request.quantity}{within}; "
                f"{work.remaining} not filled",
            )
            return
        resting = self._resting.setdefault(request.symbol, [])
        index = bisect_right(resting, _priority(work), key=_priority)
        resting.insert(index, work)
        own = ZERO
        side, price = request.side, request.price
        for other in reversed(resting[:index]):  # the run of our earlier orders at its price
            if other.request.side is not side or other.request.price != price:
                break
            own += other.remaining
        work.queue = QueuePosition.join(same_side_size(book, request.side, work.price) + own)

    def _check_conditional(self, request: OrderRequest) -> None:
        """A conditional order meets its market's rules when placed (its price band is
        checked once it triggers, as on Bybit)."""
        market = self._markets.get(request.symbol)
        if market is None:
            raise PaperOrderRejected(
                "unknown_symbol", f"{request.symbol} is not a market of this venue"
            )
        check_market_rules(request, market, None)
        trigger = request.trigger_price
        if trigger is not None and not market.is_on_tick(trigger):
            raise PaperOrderRejected(
                "price_precision",
                f"trigger price {trigger} is not a multiple of the tick size {market.tick_size}",
            )

    def _snapshot_of(self, order_id: str) -> Order | None:
        work = self._orders.get(order_id)
        return None if work is None else work.snapshot()

    def cancel(self, order_id: str, symbol: str) -> Order:
        """Cancel a resting order; return once the cancel is in the ledger."""
        return self._cancel(order_id, symbol, defer=False)

    def _cancel(self, order_id: str, symbol: str, *, defer: bool) -> Order:
        if self._triggers.owns(order_id):
            return self._triggers.cancel(order_id, symbol)
        work = self._orders.get(order_id)
        if work is None or work.request.symbol != symbol:
            raise PaperOrderNotFound(f"no paper order {order_id} on {symbol}")
        if work.status in _FINAL:
            raise PaperOrderRejected(
                "order_not_open", f"order {order_id} is already {work.status.value}"
            )
        step = _Step()
        step.touch(work)
        self._finish(work, OrderStatus.CANCELED, "cancelled by the trader")
        self._commit(step, defer=defer)
        return work.snapshot()

    # ----- MarketEventListener ----------------------------------------------------------

    def on_book_update(self, symbol: str) -> None:
        """A new book: move queues, and fill resting orders the book moved through.

        Called at the stream's message rate, so it reads the book only when it has something
        to do with it (resting orders, or size it marked as taken).
        """
        self._triggers.on_book(symbol)
        if symbol in self._at_risk:
            self._liquidate_if_due(symbol)
        resting = self._resting.get(symbol)
        liquidity = self._liquidity.get(symbol)
        if not resting and not liquidity:
            return  # most books: not a ``setdefault``, which builds a BookLiquidity per call
        if liquidity is None:
            liquidity = self._liquidity[symbol] = BookLiquidity()
        book = self._market_data.get_depth_snapshot(symbol)
        if book is None or book.stale:
            return
        liquidity.refresh(book)
        if not resting:
            return
        crossed = _requeue(book, resting)
        if not crossed:
            return
        step = _Step()
        for work in crossed:
            assert work.queue is not None
            side = work.request.side
            takes = through_levels(book, liquidity, side, work.price, work.remaining)
            if not takes:
                continue
            ahead = work.queue.ahead
            work.queue.clear()
            cause = _Cause(Liquidity.MAKER, "book_through", tuple(takes), book.sequence, ahead)
            filled = self._fill(work, work.price, total(takes), cause, step)
            for take in takes:
                used = min(take.size, filled)
                filled -= used
                liquidity.take(side.opposite, take, used)
        self._commit(step, defer=True)

    def on_trades(self, symbol: str, trades: Sequence[Trade]) -> None:
        """Public prints: eat the queue ahead of resting orders, then fill them."""
        self._triggers.on_trades(symbol, trades)
        resting = self._resting.get(symbol)
        if not resting:
            return
        step = _Step()
        for trade in trades:
            budget = printed = trade.size
            run_side: Side | None = None
            run_price = ZERO
            hit: str | None = None
            for work in list(resting):
                if budget <= 0:
                    break
                if work.status in _FINAL:
                    continue
                queue = work.queue
                assert queue is not None
                request = work.request
                if request.side is not run_side or request.price != run_price:
                    assert request.price is not None
                    run_side, run_price = request.side, request.price
                    hit = trade_hits(run_side, run_price, trade.side, trade.price)
                if hit is None:
                    continue
                ahead = queue.ahead
                if hit == "at":
                    leftover = queue.on_trade_at_price(printed)
                    trigger: FillTrigger = "queue"
                else:
                    queue.clear()
                    leftover = printed
                    trigger = "trade_through"
                if leftover <= 0:
                    continue
                size = min(leftover, budget, work.remaining)
                if size > 0:
                    cause = _Cause(Liquidity.MAKER, trigger, ahead=ahead, trade_id=trade.trade_id)
                    budget -= self._fill(work, work.price, size, cause, step)
        self._commit(step, defer=True)

    # ----- internals -------------------------------------------------------------------

    def _live_book(self, symbol: str) -> DepthSnapshot:
        book = self._market_data.get_depth_snapshot(symbol)
        if book is None:
            raise PaperOrderRejected(
                "no_book",
                f"no order book for {symbol} yet; paper orders fill against the live book",
            )
        if book.stale:
            raise PaperOrderRejected(
                "stale_book",
                f"the book for {symbol} is stale (its stream is resyncing); "
                "try again when it is live",
            )
        return book

    def _check_client_id(self, request: OrderRequest) -> None:
        if request.client_order_id is None:
            return
        for work in self._orders.values():
            if work.request.client_order_id == request.client_order_id:
                raise PaperOrderRejected(
                    "duplicate_client_order_id",
                    f"client order id {request.client_order_id} is already used by {work.order_id}",
                )

    def _lock_for(
        self, request: OrderRequest, market: Market, quantity: Decimal
    ) -> tuple[str, Decimal] | None:
        leverage = self._accounts.leverage_for(market.symbol)
        return reserve_for(request, market, quantity, self._fees, leverage)

    def _fill(
        self, work: WorkingOrder, price: Decimal, size: Decimal, cause: _Cause, step: _Step
    ) -> Decimal:
        """Execute up to ``size`` of ``work`` at ``price``; returns the size actually filled."""
        market, request = work.market, work.request
        size = min(size, work.remaining, self._reducible(work))
        if size <= 0:
            if request.reduce_only:
                self._finish(work, OrderStatus.CANCELED, "reduce-only: the position is closed")
                step.touch(work)
            return ZERO
        rate, fee = self._fees.fee(market, cause.liquidity, price * size)
        realised, closed = self._accounts.apply_fill(market, request.side, price, size, fee)
        if market.is_contract:
            self._at_risk.add(market.symbol)
        release = self._lock_for(request, market, size)
        if release is not None:
            self._accounts.release(work.order_id, release[1])
        self._fill_seq += 1
        now = self._clock.now()
        currency = Accounts.settle_currency(market)
        # trusted: prices, sizes and fees come from validated requests, the book and the
        # engine's exact arithmetic (size > 0 was checked above).
        fill = trusted(
            Fill,
            fill_id=f"P{self.session_id}-F{self._fill_seq}",
            order_id=work.order_id,
            symbol=request.symbol,
            side=request.side,
            price=price,
            size=size,
            fee=fee,
            fee_currency=currency,
            liquidity=cause.liquidity,
            timestamp=now,
        )
        explanation = trusted(
            FillExplanation,
            fill_id=fill.fill_id,
            order_id=work.order_id,
            symbol=request.symbol,
            side=request.side,
            price=price,
            size=size,
            liquidity=cause.liquidity,
            fee=fee,
            fee_currency=currency,
            trigger=cause.trigger,
            levels=cause.levels,
            queue_ahead_at_placement=work.queue.at_placement if work.queue else None,
            queue_ahead_before_fill=cause.ahead,
            public_trade_id=cause.trade_id,
            book_sequence=cause.book_sequence,
            fee_rate=rate,
            realised_pnl=realised,
            closed_size=closed,
        )
        paper = trusted(PaperFill, fill=fill, explanation=explanation)
        self._fills[fill.fill_id] = paper
        step.fills.append((paper, FillContext(market.type.value, market.base, currency)))
        work.filled += size
        work.notional += price * size
        work.fee += fee
        work.fee_currency = currency
        work.updated_at = now
        work.status = OrderStatus.PARTIALLY_FILLED
        if work.remaining == 0:
            self._finish(work, OrderStatus.FILLED, None)
        step.touch(work)
        return size

    def _reducible(self, work: WorkingOrder) -> Decimal:
        """How much a fill may be: a reduce-only order never flips or grows the position."""
        if not work.request.reduce_only:
            return work.remaining
        position = self._accounts.position_size(work.request.symbol)
        return abs(position) if reduces(work.request.side, position) else ZERO

    def _finish(self, work: WorkingOrder, status: OrderStatus, reason: str | None) -> None:
        work.status = status
        work.reason = reason
        work.updated_at = self._clock.now()
        self._accounts.release(work.order_id)
        self._unrest(work)

    def _unrest(self, work: WorkingOrder) -> None:
        """Take ``work`` out of its symbol's resting list (by identity; the list stays sorted)."""
        resting = self._resting.get(work.request.symbol)
        if resting:
            for index, other in enumerate(resting):
                if other is work:
                    del resting[index]
                    break

    def _commit(self, step: _Step, *, defer: bool = False) -> None:
        """Write the step, then acknowledge its fills to listeners (never the other way round).

        ``defer`` (with group commit, inside a running loop): the step joins the group staged
        in the ledger, committed by :meth:`_flush` once the loop turn's ready work is done.
        Otherwise the group (this step and any staged before it) is committed right here.
        """
        if not step.orders and not step.fills:
            return
        if self._ledger is None:
            self._acknowledge(step)
            return
        try:
            self._write(self._ledger, step)
        except Exception as error:
            self._abandon_group(error)
            raise
        self._staged.append(step)
        loop = self._group_loop() if defer else None
        if loop is None:
            self._flush()
        elif self._flush_handle is None:
            self._flush_handle = loop.call_soon(self._flush_turn)

    def _group_loop(self) -> asyncio.AbstractEventLoop | None:
        if not self._group_commit:
            return None
        try:
            return asyncio.get_running_loop()
        except RuntimeError:
            return None

    def _flush_turn(self) -> None:
        self._flush_handle = None
        self._flush()

    def _flush(self) -> None:
        """Commit the staged group (one fsync), then release its acknowledgements.

        If the commit fails, nothing of the group was acknowledged: the engine forgets it
        (reloads from the ledger) and every waiting order call raises the error.
        """
        if self._flush_handle is not None:
            self._flush_handle.cancel()
            self._flush_handle = None
        staged, self._staged = self._staged, []
        waiters, self._waiters = self._waiters, []
        if self._ledger is not None:
            try:
                self._ledger.flush(self._account_state() if staged else None)
            except Exception as error:
                self._reload()
                _fail(waiters, error)
                raise
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(None)
        for step in staged:
            self._acknowledge(step)

    def _abandon_group(self, error: Exception) -> None:
        """A step failed to stage and the ledger rolled back its whole group: forget it all."""
        if self._flush_handle is not None:
            self._flush_handle.cancel()
            self._flush_handle = None
        self._staged = []
        waiters, self._waiters = self._waiters, []
        self._reload()
        _fail(waiters, error)

    async def _durable(self) -> None:
        """Return once every step staged so far is committed (at once if none waits)."""
        if not self._staged:
            return
        waiter = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        await waiter

    def _acknowledge(self, step: _Step) -> None:
        for paper, _ in step.fills:
            for listener in self._listeners:
                listener(paper)

    def _write(self, ledger: Ledger, step: _Step) -> None:
        ledger.stage(
            self.session_id,
            orders=[self._stored(work) for work in step.orders.values()],
            fills=step.fills,
            fill_seq=self._fill_seq,
        )

    def _account_state(self) -> AccountState:
        """Balances, positions and counters as the staged steps left them."""
        return AccountState(
            self.session_id,
            self._clock.now(),
            self._accounts.cash_snapshot(),
            self._stored_positions(),
            self._order_seq,
            self._fill_seq,
        )

    def _reload(self) -> None:
        """The ledger refused a step: forget it in memory too, so nothing unrecorded is shown.

        Closed orders and explanations are read back from the ledger on demand; resting
        orders return with the queue estimate they last had in the ledger.
        """
        self.resume_session(self.session_id)

    def _stored(self, work: WorkingOrder) -> StoredOrder:
        lock = self._accounts.locked_by(work.order_id)
        return StoredOrder(
            order=work.snapshot(),
            lock_currency=lock[0] if lock else None,
            lock_amount=lock[1] if lock else None,
            queue_ahead=work.queue.ahead if work.queue else None,
            queue_at_placement=work.queue.at_placement if work.queue else None,
            filled_notional=work.notional,
        )

    def _stored_positions(self) -> list[StoredPosition]:
        return [
            StoredPosition(p.symbol, p.size, p.cost, p.realised_pnl)
            for p in self._accounts.positions()
        ]

    # ----- positions, leverage and amend (issue 13: the live account's operations) ------

    def venue_positions(self) -> list[VenuePosition]:
        """Open positions as the venue reports live ones: leverage, margins, liquidation
        price (:mod:`console.paper.positions_risk`), take-profit and stop-loss, marked at
        the book's mid."""
        positions = []
        for position in self.positions():
            market = self._markets.get(position.symbol)
            contract = market is not None and market.is_contract
            leverage = self._accounts.leverage_for(position.symbol)
            venue = as_venue_position(position, leverage, contract=contract)
            take_profit, stop_loss = self._triggers.protection(position.symbol)
            if take_profit is not None or stop_loss is not None:
                venue = venue.model_copy(
                    update={"take_profit": take_profit, "stop_loss": stop_loss}
                )
            positions.append(venue)
        return positions

    def leverage(self, symbol: str) -> Decimal:
        return self._accounts.leverage_for(symbol)

    async def set_leverage(self, symbol: str, leverage: Decimal) -> bool:
        """A linear symbol's leverage, as ``ExchangeClient.set_leverage`` sets it live;
        False when unchanged. Held for this run of the session (the ledger keeps the
        session's own leverage)."""
        await self._ensure_markets()
        market = self._markets.get(symbol)
        if market is None or not market.is_contract:
            raise PaperOrderRejected("not_linear", f"{symbol} is not a linear contract")
        if leverage < 1:
            raise PaperOrderRejected("bad_leverage", f"leverage must be at least 1, not {leverage}")
        return self._accounts.set_leverage(symbol, leverage)

    async def amend_order(
        self,
        order_id: str,
        symbol: str,
        *,
        price: Decimal | None = None,
        quantity: Decimal | None = None,
        trigger_price: Decimal | None = None,
    ) -> Order:
        """Move a resting order (:mod:`console.paper.amend`): the queue place is kept only
        when the quantity goes down at the same price, as on Bybit. A conditional order
        still waiting moves its trigger (and limit price or size) instead, as Bybit's amend
        takes ``triggerPrice``.

        Raises:
            PaperOrderNotFound: no such order on ``symbol``.
            PaperOrderRejected: the amend breaks a rule, crosses the book or lacks funds,
                or moves a trigger onto the wrong side of the market.
        """
        await self._ensure_markets()
        if self._triggers.owns(order_id):
            return self._triggers.amend(
                order_id, symbol, trigger_price=trigger_price, price=price, quantity=quantity
            )
        if trigger_price is not None:
            raise PaperOrderRejected(
                "no_trigger", f"order {order_id} has no trigger waiting: its trigger cannot move"
            )
        work = self._orders.get(order_id)
        if work is None or work.request.symbol != symbol:
            raise PaperOrderNotFound(f"no paper order {order_id} on {symbol}")
        book = self._live_book(symbol)
        plan = plan_amend(work, book, price=price, quantity=quantity)
        held = self._accounts.locked_by(order_id)
        remaining = plan.request.quantity - work.filled
        lock = self._lock_for(plan.request, work.market, remaining)
        if lock is not None:
            extra = lock[1] - (held[1] if held is not None else ZERO)
            if extra > self._accounts.free(lock[0]):
                raise PaperOrderRejected(
                    "insufficient_funds",
                    f"insufficient {lock[0]}: the amend needs {extra} more but only "
                    f"{self._accounts.free(lock[0])} is free",
                )
        self._unrest(work)  # its place in the priority order may change
        work.request = plan.request
        work.updated_at = self._clock.now()
        self._accounts.release(order_id)
        if lock is not None:
            self._accounts.lock(order_id, *lock)
        if not plan.keeps_queue:
            self._order_seq += 1
            work.sequence = self._order_seq
        resting = self._resting.setdefault(symbol, [])
        insort(resting, work, key=_priority)
        if not plan.keeps_queue:
            own = own_orders_ahead(resting)[order_id]
            side = work.request.side
            work.queue = QueuePosition.join(same_side_size(book, side, work.price) + own)
        step = _Step()
        step.touch(work)
        self._commit(step)
        return work.snapshot()

    def _liquidate_if_due(self, symbol: str) -> None:
        """Close a position whose mark (the book's mid) reached its liquidation price, with
        a reduce-only market order against the book, as the venue's liquidation engine
        would take it over."""
        size = self._accounts.position_size(symbol)
        if size == 0:
            self._at_risk.discard(symbol)
            return
        book = self._market_data.get_depth_snapshot(symbol)
        if book is None or book.stale or book.mid is None:
            return
        (position,) = [p for p in self.venue_positions() if p.symbol == symbol]
        if not liquidation_due(position, book.mid):
            return
        try:
            self.place(
                OrderRequest(
                    symbol=symbol,
                    side=Side.SELL if size > 0 else Side.BUY,
                    type=OrderType.MARKET,
                    quantity=abs(size),
                    reduce_only=True,
                )
            )
        except PaperOrderRejected as refusal:  # e.g. the book is too thin: retried next move
            log.warning("paper liquidation of %s not done: %s", symbol, refusal)

    def close(self) -> None:
        """Commit what is staged, then close the ledger."""
        if self._ledger is not None:
            try:
                self._flush()
            finally:
                self._ledger.close()


def _fail(waiters: Sequence[asyncio.Future[None]], error: Exception) -> None:
    for waiter in waiters:
        if not waiter.done():
            waiter.set_exception(error)


def _priority(work: WorkingOrder) -> tuple[Decimal, int]:
    """Best price first (highest bid, lowest ask), then arrival: who a taker meets first.

    Each symbol's resting list is kept in this order (``insort`` on arrival), so no market
    event sorts it again. Orders at one side and price form one run, by arrival.
    """
    return (-work.price if work.request.side is Side.BUY else work.price, work.sequence)


def _requeue(book: DepthSnapshot, resting: Sequence[WorkingOrder]) -> list[WorkingOrder]:
    """Move every resting order's queue to the new book; return those the book crossed.

    The queue of an order is the public size at its price plus our earlier orders there
    (the venue never saw them). Walking the list in priority order, the orders of one side
    and price come as one run by arrival, so the level is looked up once per run and our
    own size ahead is a running sum. An order is *crossed* when the best opposite level is
    at or through its price (only those can fill), returned in priority order.
    """
    best_ask = book.asks[0].price if book.asks else None
    best_bid = book.bids[0].price if book.bids else None
    crossed: list[WorkingOrder] = []
    run_side: Side | None = None
    run_price = ZERO
    level = running = ZERO
    run_crossed = False
    for work in resting:
        request = work.request
        side, price = request.side, request.price
        assert price is not None
        assert work.queue is not None
        if side is not run_side or price != run_price:
            run_side, run_price = side, price
            level, running = same_side_size(book, side, price), ZERO
            if side is Side.BUY:
                run_crossed = best_ask is not None and best_ask <= price
            else:
                run_crossed = best_bid is not None and best_bid >= price
        work.queue.on_level(level + running)
        running += request.quantity - work.filled
        if run_crossed:
            crossed.append(work)
    return crossed
