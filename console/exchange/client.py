"""ExchangeClient: the one REST interface the UI uses.

It adapts ccxt's async exchange, converts every answer to domain models at the edge, routes
orders to the live venue or the paper engine by mode, and sends every request through one
choke point (:meth:`ExchangeClient._call`) that applies the rate limiter, measures latency
and translates every failure into :mod:`console.exchange.errors`.
"""

from __future__ import annotations

import difflib
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from decimal import Decimal
from typing import Any, Protocol, TypeVar, runtime_checkable

from console.config import Settings
from console.domain import (
    ApiKeyInfo,
    Balance,
    Candle,
    Clock,
    ClockSample,
    DepthSnapshot,
    EndpointCategory,
    Fill,
    Market,
    MarketDataSource,
    MarketRule,
    Order,
    OrderRefused,
    OrderRequest,
    Position,
    RateLimitStatus,
    RoundTripStatus,
    RuleViolation,
    SystemClock,
    Ticker,
    Trade,
    TradingMode,
    TradingVenue,
    TriggerDirection,
    TriggerSource,
    UnknownOrder,
    datetime_to_ms,
    market_rule_violations,
    resolve_symbol,
)
from console.exchange import endpoints
from console.exchange.amend import AmendRequest, amend_once
from console.exchange.bybit_parse import parse_key_info, server_time_ms
from console.exchange.errors import (
    AuthenticationFailed,
    BadSymbol,
    ExchangeError,
    InvalidOrder,
    InvalidRequest,
    OrderNotSent,
    PaperTradingUnavailable,
    RateLimited,
    outcome_unknown,
    translate,
)
from console.exchange.live import BatchOutcome, CallThrough, CancelOutcome, LiveTradingVenue
from console.exchange.parse import (
    parse_candles,
    parse_markets,
    parse_order_book,
    parse_ticker,
    parse_trades,
)
from console.exchange.parse_account import parse_fill, parse_position
from console.exchange.pool import ExchangeConnectionPool
from console.exchange.ratelimit import RequestLimiter, limiter_for
from console.exchange.risk import RiskGate
from console.exchange.round_trips import RoundTrips
from console.exchange.venues import (
    Credentials,
    VenueEndpoints,
    market_load_requests,
    venue_preset,
)

log = logging.getLogger(__name__)

T = TypeVar("T")

LiveVenueFactory = Callable[[Any, CallThrough], TradingVenue]
"""(pooled ccxt instance, the client's choke point) -> the venue live orders go to."""

LEVERAGE_NOT_MODIFIED = 110043
"""Bybit's answer to a leverage that is already set."""
MAX_LIMIT = 1000
NOT_MODIFIED = 34040
"""Bybit's answer to a trading-stop that changes nothing."""
"""Largest page any Bybit market endpoint serves (kline 1000, orderbook 500/200, trades 1000)."""


@runtime_checkable
class BatchVenue(Protocol):
    """A venue that takes several orders in one request, each with its own outcome."""

    async def create_orders(self, requests: list[OrderRequest]) -> list[BatchOutcome]: ...


@runtime_checkable
class BatchCancelVenue(Protocol):
    """A venue that cancels several orders of one symbol in one request."""

    async def cancel_orders(self, symbol: str, order_ids: list[str]) -> list[CancelOutcome]: ...


@runtime_checkable
class TradingStopVenue(Protocol):
    """A venue that keeps take-profit/stop-loss on a position (the paper engine's triggers)."""

    async def set_trading_stop(
        self,
        symbol: str,
        *,
        take_profit: Decimal | None,
        stop_loss: Decimal | None,
        trigger_by: TriggerSource,
        size: Decimal | None,
    ) -> bool: ...


def check_market_rules(request: OrderRequest, market: Market) -> None:
    """The venue's own rules (tick, step, minimums), checked before anything is signed so the
    trader gets a precise message instead of a round trip and a retCode.

    Raises:
        InvalidOrder: naming the first rule broken and the nearest valid value.
    """
    violations = market_rule_violations(market, quantity=request.quantity, price=request.price)
    if violations:
        raise InvalidOrder(_describe_violation(violations[0], market))


def _describe_violation(violation: RuleViolation, market: Market) -> str:
    """One broken market rule in the words the client's callers show."""
    value, limit, symbol = violation.value, violation.limit, market.symbol
    match violation.rule:
        case MarketRule.PRICE_TICK:
            return (
                f"Price {value} is not a multiple of the tick size {limit} "
                f"for {symbol} (nearest: {violation.nearest})"
            )
        case MarketRule.QUANTITY_STEP:
            return (
                f"Quantity {value} is not a multiple of the step {limit} "
                f"for {symbol} (e.g. {violation.nearest})"
            )
        case MarketRule.MIN_QUANTITY:
            return f"Quantity {value} is below the minimum {limit} for {symbol}"
        case MarketRule.MAX_QUANTITY:
            return f"Quantity {value} is above the maximum {limit} for {symbol}"
        case MarketRule.MIN_NOTIONAL:
            return f"Order value {value} is below the minimum {limit} {market.quote} for {symbol}"


class ExchangeClient:
    """Market data, orders and balances of one venue, as domain models."""

    def __init__(
        self,
        settings: Settings,
        *,
        pool: ExchangeConnectionPool | None = None,
        limiter: RequestLimiter | None = None,
        paper_venue: TradingVenue | None = None,
        clock: Clock | None = None,
        endpoints: VenueEndpoints | None = None,
        credentials: Credentials | None = None,
        live_venue_factory: LiveVenueFactory = LiveTradingVenue,
        risk_gate: RiskGate | None = None,
        market_data: MarketDataSource | None = None,
    ) -> None:
        """
        Args:
            settings: venue, mode, recv window and (unless ``credentials``) the keys.
            pool: a shared pool; its observer should already feed ``limiter``. Without
                one the client owns a private pool wired to ``limiter.observe_response``
                and closes it in :meth:`close`.
            limiter: governs every request (``execute``); without one the client builds the
                venue's own (:func:`limiter_for`), so no request is ever ungoverned.
            paper_venue: the paper engine that takes orders in paper mode.
            clock: for latency and timestamps (tests inject a ManualClock).
            endpoints: where the simulator listens, for venue ``sim``.
            credentials: overrides the keys of ``settings`` (the simulator's own keys).
            live_venue_factory: builds the live TradingVenue from the pooled ccxt instance
                and this client's choke point; the order-safety layer passes one that wraps
                :class:`LiveTradingVenue` in its journal (its lookups need both too).
            risk_gate: the pre-trade risk gate, applied before anything is signed in both
                modes (issue 4); None applies only the venue's own market rules.
            market_data: live books (the streamer) for the gate's mid price; without a
                fresh book there, the mid comes from a REST ticker.

        Raises:
            UnknownVenue: ``settings.venue`` is neither a preset nor a ccxt id.
        """
        self._settings = settings
        self._preset = venue_preset(settings, endpoints)
        self._limiter: RequestLimiter = (
            limiter if limiter is not None else limiter_for(settings, clock=clock)
        )
        self._owns_pool = pool is None
        self._pool = (
            pool
            if pool is not None
            else ExchangeConnectionPool(observer=self._limiter.observe_response)
        )
        self._paper_venue = paper_venue
        self._market_data = market_data
        self._clock: Clock = clock or SystemClock()
        self._credentials = credentials or Credentials.from_settings(settings)
        self._exchange: Any | None = None
        self._markets: dict[str, Market] | None = None
        self._live_venue_factory = live_venue_factory
        self._risk_gate = risk_gate
        self._live_venue: TradingVenue | None = None
        self.last_latency_ms: dict[EndpointCategory, float] = {}
        """Duration of the latest request per category (the status bar shows it)."""
        self.round_trips = RoundTrips()
        """Round trips per endpoint over the last minute (shown beside the gauges)."""

    def __repr__(self) -> str:
        return f"ExchangeClient(venue={self.venue!r}, mode={self.mode.value!r})"

    @property
    def venue(self) -> str:
        return self._settings.venue

    @property
    def mode(self) -> TradingMode:
        return self._settings.mode

    # -- market data -------------------------------------------------------------------

    async def load_markets(self) -> dict[str, Market]:
        """Every spot and linear market of the venue, by unified symbol (loaded once)."""
        return dict(await self._loaded_markets())

    async def market(self, symbol: str) -> Market:
        """The market of ``symbol``.

        Raises:
            BadSymbol: the venue does not trade it; the message names close matches.
        """
        markets = await self._loaded_markets()
        found = markets.get(symbol)
        if found is None:
            raise _unknown_symbol(symbol, markets, self.venue)
        return found

    async def fetch_ticker(self, symbol: str) -> Ticker:
        markets = self._markets
        if markets is None or symbol not in markets:
            await self.market(symbol)  # loads the markets, or names close matches
        exchange = self._connection()
        raw = await self._call(
            *endpoints.TICKERS, lambda: exchange.fetch_ticker(symbol), idempotent=True
        )
        return parse_ticker(raw, received_at=self._clock.now())

    async def fetch_ohlcv(
        self, symbol: str, timeframe: str = "1m", limit: int = 200
    ) -> list[Candle]:
        """The latest ``limit`` candles, oldest first."""
        await self.market(symbol)
        exchange = self._connection()
        timeframes = exchange.timeframes or {}
        if timeframe not in timeframes:
            raise InvalidRequest(
                f"Unknown timeframe {timeframe!r}: use one of {', '.join(timeframes)}"
            )
        _check_limit(limit)
        raw = await self._call(
            *endpoints.KLINE,
            lambda: exchange.fetch_ohlcv(symbol, timeframe, None, limit),
            idempotent=True,
        )
        return parse_candles(raw)

    async def fetch_order_book(self, symbol: str, limit: int = 50) -> DepthSnapshot:
        await self.market(symbol)
        _check_limit(limit)
        exchange = self._connection()
        raw = await self._call(
            *endpoints.ORDERBOOK, lambda: exchange.fetch_order_book(symbol, limit), idempotent=True
        )
        return parse_order_book(raw, symbol=symbol, received_at=self._clock.now())

    async def fetch_trades(self, symbol: str, limit: int = 50) -> list[Trade]:
        """Recent public trades, oldest first."""
        await self.market(symbol)
        _check_limit(limit)
        exchange = self._connection()
        raw = await self._call(
            *endpoints.RECENT_TRADES,
            lambda: exchange.fetch_trades(symbol, None, limit),
            idempotent=True,
        )
        return parse_trades(raw)

    async def sample_venue_clock(self) -> ClockSample:
        """Ask the venue its time once: when the question left, how long the answer took,
        and the time it gave (Bybit's ``/v5/market/time`` in nanoseconds; another venue's
        ``fetch_time`` in ms). The round trip is timed around the request alone, after the
        limiter let it go."""
        exchange = self._connection()
        bybit = hasattr(exchange, "publicGetV5MarketTime")

        async def ask() -> ClockSample:
            sent = self._clock.now().timestamp()
            started = self._clock.monotonic()
            raw = await (exchange.publicGetV5MarketTime() if bybit else exchange.fetch_time())
            round_trip = self._clock.monotonic() - started
            venue_ms = server_time_ms(raw) if bybit else float(raw)
            return ClockSample(sent_s=sent, round_trip_s=round_trip, venue_ms=venue_ms)

        return await self._call(*endpoints.SERVER_TIME, ask, idempotent=True)

    # -- orders and account (routed by mode) -------------------------------------------

    async def create_order(self, request: OrderRequest) -> Order:
        """Check the venue's rules, then send to the live venue or the paper engine.

        Raises:
            InvalidOrder: a tick, step or minimum rule is broken (nothing was sent).
            OrderNotSent: a read before sending (markets, the risk gate's mid) failed.
            RequestTimedOut: no answer; the order's outcome is unknown (not a failure).
        """
        request = await self._checked(request)
        return await self._routed(lambda venue: venue.create_order(request))

    async def _checked(self, request: OrderRequest, *, rate: bool = True) -> OrderRequest:
        """Market rules and the risk gate; a conditional order without a direction gets the
        one away from the market (a trigger above the mid rises to it, below falls).

        Args:
            rate: False leaves the gate's order-rate rule out (the further orders of a
                batch, which count as the one decision its first order stood for).

        Raises:
            OrderNotSent: a read (markets, the mid) failed: the order certainly never left.
        """
        try:
            return await self._check(request, rate=rate)
        except ExchangeError as error:
            if not outcome_unknown(error):
                raise
            # Only reads failed so far: the order itself certainly never left.
            raise OrderNotSent(f"The order was not sent: {error}", code=error.code) from None

    async def _check(self, request: OrderRequest, *, rate: bool = True) -> OrderRequest:
        market = await self.market(request.symbol)
        check_market_rules(request, market)
        if request.trigger_price is not None and not market.is_on_tick(request.trigger_price):
            raise InvalidOrder(
                f"Trigger price {request.trigger_price} is not a multiple of the tick size "
                f"{market.tick_size} (nearest: {market.round_price(request.trigger_price)})"
            )
        mid: Decimal | None = None
        if self._risk_gate is not None:
            mid = await self._mid(request.symbol)
            self._risk_gate.check(request, market, mid, self._clock.now(), rate=rate)
        if request.trigger_price is not None and request.trigger_direction is None:
            mid = mid if mid is not None else await self._mid(request.symbol)
            if mid is None:
                raise InvalidOrder("No price to tell whether the trigger is above or below")
            direction = TriggerDirection.away_from(request.trigger_price, mid)
            request = request.model_copy(update={"trigger_direction": direction})
        return request

    async def create_orders(self, requests: list[OrderRequest]) -> list[BatchOutcome]:
        """Several orders, each checked first (a refusal here fails that order alone), then
        sent through the venue's batch endpoint where it has one (Bybit: ``create-batch``)
        and one by one through the limiter where it does not. Each order's outcome is its
        own: an Order, or the error that refused it. Nothing is sent twice: every order has
        a client order id and the live venue journals it before sending. The batch is one
        decision the trader confirmed once: the risk gate's order rate counts it once."""
        outcomes: list[BatchOutcome | None] = [None] * len(requests)
        checked: list[tuple[int, OrderRequest]] = []
        for index, request in enumerate(requests):
            try:
                checked.append((index, await self._checked(request, rate=index == 0)))
            except ExchangeError as error:
                outcomes[index] = error
        if checked:
            venue = self._trading_venue()
            batch = [request for _, request in checked]
            if isinstance(venue, BatchVenue) and self._settings.is_bybit:
                answers = await self._routed(lambda v: venue.create_orders(batch))
            else:
                answers = [await self._one_order(venue, request) for request in batch]
            for (index, _), answer in zip(checked, answers, strict=True):
                outcomes[index] = answer
        return [outcome for outcome in outcomes if outcome is not None]

    async def _one_order(self, venue: TradingVenue, request: OrderRequest) -> BatchOutcome:
        try:
            return await self._routed(lambda v: venue.create_order(request))
        except ExchangeError as error:
            return error

    async def cancel_orders(self, symbol: str, order_ids: list[str]) -> list[CancelOutcome]:
        """Cancel several orders of ``symbol``: through the venue's batch endpoint where it
        has one (Bybit: ``cancel-batch``, at most 10 per request, through the limiter), one
        by one where it does not (the paper engine, other venues). Each order's outcome is
        its own, in the order given: None when cancelled, else why not (already filled or
        gone, or an answer that leaves it unknown); nothing is retried blindly."""
        await self.market(symbol)
        venue = self._trading_venue()
        if isinstance(venue, BatchCancelVenue) and self._settings.is_bybit:
            return await self._routed(lambda v: venue.cancel_orders(symbol, order_ids))
        outcomes: list[CancelOutcome] = []
        for order_id in order_ids:
            try:
                await self._routed(lambda v, order_id=order_id: v.cancel_order(order_id, symbol))  # type: ignore[misc]
            except ExchangeError as error:
                outcomes.append(error)
            else:
                outcomes.append(None)
        return outcomes

    async def set_trading_stop(
        self,
        symbol: str,
        *,
        take_profit: Decimal | None = None,
        stop_loss: Decimal | None = None,
        trigger_by: TriggerSource = TriggerSource.LAST,
        size: Decimal | None = None,
    ) -> bool:
        """Take-profit / stop-loss on the open position of a linear symbol (Bybit
        ``position/trading-stop``). Without ``size`` they cover the whole position and
        replace the ones it had (0 removes one); with ``size`` a partial pair is added.
        False when nothing changed (Bybit 34040 "not modified").

        Raises:
            InvalidRequest: a spot symbol, neither price given, or a price off the tick.
        """
        market = await self._linear(symbol)
        if take_profit is None and stop_loss is None:
            raise InvalidRequest("Give a take-profit, a stop-loss or both")
        for name, price in (("take-profit", take_profit), ("stop-loss", stop_loss)):
            if price is not None and (price < 0 or (price and not market.is_on_tick(price))):
                raise InvalidRequest(
                    f"The {name} {price} is not a price on the tick size {market.tick_size}"
                )
        if size is not None and (size <= 0 or not market.is_on_step(size)):
            raise InvalidRequest(f"Size {size} is not a positive multiple of {market.qty_step}")
        if self.mode is TradingMode.PAPER:
            venue = self._trading_venue()
            if not isinstance(venue, TradingStopVenue):
                raise PaperTradingUnavailable("The paper engine keeps no TP/SL on positions")
            return await self._routed(
                lambda v: venue.set_trading_stop(
                    symbol,
                    take_profit=take_profit,
                    stop_loss=stop_loss,
                    trigger_by=trigger_by,
                    size=size,
                )
            )
        exchange = self._live_account("Take-profit/stop-loss")
        body: dict[str, Any] = {
            "category": "linear",
            "symbol": market.venue_id,
            "tpslMode": "Full" if size is None else "Partial",
            "positionIdx": 0,
        }
        if take_profit is not None:
            body.update(takeProfit=format(take_profit, "f"), tpTriggerBy=trigger_by.value)
        if stop_loss is not None:
            body.update(stopLoss=format(stop_loss, "f"), slTriggerBy=trigger_by.value)
        if size is not None and take_profit:
            body["tpSize"] = format(size, "f")
        if size is not None and stop_loss:
            body["slSize"] = format(size, "f")
        try:
            await self._call(
                *endpoints.TRADING_STOP,
                lambda: exchange.privatePostV5PositionTradingStop(body),
                idempotent=size is None,  # a partial pair is added: never sent twice
            )
        except ExchangeError as error:
            if error.code == NOT_MODIFIED:
                return False
            raise
        return True

    async def _mid(self, symbol: str) -> Decimal | None:
        """Mid price for the risk gate: the live book's when it is fresh (no request, no
        rate-limit budget spent per order), else the REST ticker's (bid + ask) / 2, else
        its last price."""
        book = None if self._market_data is None else self._market_data.get_depth_snapshot(symbol)
        if book is not None and not book.stale and book.mid is not None:
            return book.mid
        ticker = await self.fetch_ticker(symbol)
        if ticker.bid is not None and ticker.ask is not None:
            return (ticker.bid + ticker.ask) / 2
        return ticker.last

    async def cancel_order(self, order_id: str, symbol: str) -> Order:
        await self.market(symbol)
        return await self._routed(lambda venue: venue.cancel_order(order_id, symbol))

    async def fetch_order(self, order_id: str, symbol: str) -> Order:
        await self.market(symbol)
        return await self._routed(lambda venue: venue.fetch_order(order_id, symbol))

    async def fetch_open_orders(self, symbol: str | None = None) -> list[Order]:
        if symbol is not None:
            await self.market(symbol)
        return await self._routed(lambda venue: venue.fetch_open_orders(symbol))

    async def fetch_balance(self) -> list[Balance]:
        return await self._routed(lambda venue: venue.fetch_balance())

    async def fetch_key_info(self) -> ApiKeyInfo | None:
        """Whose account the API key reaches and what it may do (withdrawal rights, IP
        allow-list), read from the venue; None on venues that do not report it (only
        Bybit and the simulator do).

        The key is read whatever the mode: its rights are a fact of the key, not of the
        mode, and reading them sends nothing that trades.

        Raises:
            AuthenticationFailed: no API key is set, so there is no key to describe.
        """
        if not self._settings.is_bybit:
            return None
        exchange = self._credentialed_connection("Reading the API key's permissions")
        raw = await self._call(
            *endpoints.KEY_INFO, lambda: exchange.privateGetV5UserQueryApi(), idempotent=True
        )
        return parse_key_info(raw)

    # -- positions, leverage, amend, own fills (live account; issue 13) -------------------

    async def fetch_positions(self, symbol: str | None = None) -> list[Position]:
        """Linear positions: one row for ``symbol`` (flat ones too), else every open one.

        Raises:
            PaperTradingUnavailable: in paper mode (the paper engine keeps its own).
        """
        if symbol is not None:
            await self._linear(symbol)
        exchange = self._live_account("Positions")
        symbols = None if symbol is None else [symbol]
        raw = await self._call(
            *endpoints.POSITION_LIST,
            lambda: exchange.fetch_positions(symbols),
            idempotent=True,
        )
        return [parse_position(row) for row in raw]

    async def set_leverage(self, symbol: str, leverage: Decimal) -> bool:
        """Set a linear symbol's leverage; False when it already had it (Bybit 110043 is
        "not modified", which is not a failure).

        Raises:
            InvalidRequest: a spot symbol, or a leverage below 1.
        """
        await self._linear(symbol)
        if leverage < 1:
            raise InvalidRequest(f"Leverage must be at least 1, not {leverage}")
        exchange = self._live_account("Leverage")
        try:
            await self._call(
                *endpoints.SET_LEVERAGE,
                lambda: exchange.set_leverage(format(leverage, "f"), symbol),
                idempotent=True,
            )
        except ExchangeError as error:
            if error.code == LEVERAGE_NOT_MODIFIED:
                return False
            raise
        return True

    async def amend_order(
        self,
        order_id: str,
        symbol: str,
        *,
        price: Decimal | None = None,
        quantity: Decimal | None = None,
        trigger_price: Decimal | None = None,
    ) -> Order:
        """Move an open order to a new price and/or total quantity (a waiting conditional
        order: its trigger price too); sent once, and read back if the answer is lost
        (:mod:`console.exchange.amend`).

        Raises:
            InvalidOrder: nothing to change, off the tick or step, or the order is not open.
            AmendNotApplied: the answer was lost and the order is unchanged.
        """
        market = await self.market(symbol)
        request = AmendRequest(order_id, symbol, price, quantity, trigger_price)
        if trigger_price is not None and not market.is_on_tick(trigger_price):
            raise InvalidOrder(
                f"Trigger price {trigger_price} is not a multiple of the tick size "
                f"{market.tick_size} (nearest: {market.round_price(trigger_price)})"
            )
        if price is not None and not market.is_on_tick(price):
            raise InvalidOrder(
                f"Price {price} is not a multiple of the tick size {market.tick_size} "
                f"(nearest: {market.round_price(price)})"
            )
        if quantity is not None and not market.is_on_step(quantity):
            raise InvalidOrder(
                f"Quantity {quantity} is not a multiple of the step {market.qty_step} "
                f"(e.g. {market.floor_qty(quantity)})"
            )
        exchange = self._live_account("Moving an order")
        current = await self.fetch_order(order_id, symbol)
        request.check_against(current)
        params: dict[str, Any] = {}
        if trigger_price is not None:
            # ccxt sends triggerBy=LastPrice unless told: keep the order's own source
            source = current.trigger_by or TriggerSource.LAST
            params = {"triggerPrice": format(trigger_price, "f"), "triggerBy": source.value}

        async def send() -> object:
            return await self._call(
                *endpoints.ORDER_AMEND,
                lambda: exchange.edit_order(
                    order_id,
                    symbol,
                    current.type.value,
                    current.side.value,
                    None if quantity is None else format(quantity, "f"),
                    None if price is None else format(price, "f"),
                    params,
                ),
                idempotent=False,
            )

        return await amend_once(request, send, lambda: self.fetch_order(order_id, symbol))

    async def fetch_fills(
        self, symbol: str | None = None, *, since: datetime | None = None
    ) -> list[Fill]:
        """Our executions (Bybit ``execution/list``, every page), oldest first; from ``since``
        when given. Without a symbol, linear and spot are both asked."""
        if symbol is not None:
            await self.market(symbol)
        exchange = self._live_account("Own fills")
        start = None if since is None else datetime_to_ms(since)
        kinds: tuple[str | None, ...] = (None,) if symbol is not None else ("swap", "spot")
        fills: list[Fill] = []
        for kind in kinds:
            params: dict[str, Any] = {"paginate": True}
            if kind is not None:
                params["type"] = kind

            async def fetch(params: dict[str, Any] = params) -> Any:
                return await exchange.fetch_my_trades(symbol, start, None, params)

            raw = await self._call(*endpoints.EXECUTION_LIST, fetch, idempotent=True)
            fills.extend(parse_fill(trade) for trade in raw)
        return sorted(fills, key=lambda fill: (fill.timestamp, fill.fill_id))

    async def _linear(self, symbol: str) -> Market:
        market = await self.market(symbol)
        if not market.is_contract:
            raise InvalidRequest(f"{symbol} is not a linear contract: it has no position")
        return market

    def _live_account(self, purpose: str) -> Any:
        """The signed connection, for account operations the paper engine does not offer."""
        if self.mode is TradingMode.PAPER:
            raise PaperTradingUnavailable(
                f"{purpose}: the venue's account is used in live mode only; paper mode keeps "
                "its own"
            )
        return self._credentialed_connection(purpose)

    # -- status and lifetime -------------------------------------------------------------

    def get_rate_limiter_status(self) -> list[RateLimitStatus]:
        return self._limiter.get_status()

    def round_trip_status(self) -> list[RoundTripStatus]:
        """Per endpoint requested in the last minute: its round trip, p50 and p99."""
        return self.round_trips.statuses(self._clock.monotonic())

    async def close(self) -> None:
        """Give the connection back; close the pool when this client created it."""
        if self._exchange is not None:
            self._pool.release_connection(self._exchange)
            self._exchange = None
            self._live_venue = None
        if self._owns_pool:
            await self._pool.close_all()

    # -- internals -------------------------------------------------------------------------

    async def _loaded_markets(self) -> dict[str, Market]:
        if self._markets is None:
            exchange = self._connection()
            # Another client on the shared instance may have loaded them: that costs nothing.
            raw = exchange.markets or await self._call(
                *endpoints.INSTRUMENTS,
                lambda: self._pool.load_markets(exchange),
                idempotent=True,
                requests=market_load_requests(exchange),
            )
            self._markets = parse_markets(raw, precision_mode=exchange.precisionMode)
        return self._markets

    def _connection(self) -> Any:
        if self._exchange is None:
            self._exchange = self._pool.get_connection(self._preset, self._credentials)
            # Our limiter paces every request; ccxt's throttle on top would only stack
            # (the generic presets ship with it on).
            self._exchange.enableRateLimit = False
        return self._exchange

    async def _routed(self, operation: Callable[[TradingVenue], Awaitable[T]]) -> T:
        """Run an order or account operation on the venue of the current mode.

        The live venue's errors are already in the taxonomy (they pass through ``_call``); the
        paper engine raises the domain's venue-neutral refusals, translated here so the UI
        sees one kind of error whichever mode it is in.
        """
        venue = self._trading_venue()
        try:
            return await operation(venue)
        except (OrderRefused, UnknownOrder) as refusal:
            raise translate(refusal, now=self._clock.now()) from None

    def _trading_venue(self) -> TradingVenue:
        if self.mode is TradingMode.PAPER:
            if self._paper_venue is None:
                raise PaperTradingUnavailable(
                    "Paper trading is not available yet: no paper engine is running "
                    "(start with --mode live to trade for real)"
                )
            return self._paper_venue
        if self._live_venue is None:
            connection = self._credentialed_connection("Live trading")
            self._live_venue = self._live_venue_factory(connection, self._call)
        return self._live_venue

    def _credentialed_connection(self, purpose: str) -> Any:
        """The connection, for a request that must be signed.

        Raises:
            AuthenticationFailed: no keys, so nothing could be signed (said before a request).
        """
        if self._credentials is None:
            raise AuthenticationFailed(f"{purpose} needs EXCHANGE_API_KEY and EXCHANGE_SECRET")
        return self._connection()

    async def _call(
        self,
        category: EndpointCategory,
        endpoint: str,
        fn: Callable[[], Awaitable[T]],
        *,
        idempotent: bool,
        requests: int = 1,
    ) -> T:
        """The one way out to the venue (``requests``: how many HTTP requests ``fn`` sends).

        The limiter runs the request and sees failures already translated (RateLimited with
        retry_after, VenueHalted with until, RequestTimedOut), so its retry policy stays
        venue-free. Errors leave without their ccxt cause attached: ccxt's texts may hold
        the API key (Bybit's 10004 echoes the signed origin string).
        """

        async def timed() -> T:
            started = self._clock.monotonic()
            try:
                return await fn()
            except ExchangeError:
                raise
            except Exception as error:
                translated = self._with_retry_after(
                    translate(error, now=self._clock.now()), endpoint
                )
                log.debug("%s %s failed: %s", category.value, endpoint, translated)
                raise translated from None
            finally:
                ended = self._clock.monotonic()
                elapsed_ms = (ended - started) * 1000
                self.last_latency_ms[category] = elapsed_ms
                self.round_trips.record(category, endpoint, elapsed_ms, ended)

        try:
            return await self._limiter.execute(
                timed, category, endpoint, idempotent=idempotent, requests=requests
            )
        except ExchangeError:
            raise
        except Exception as error:
            raise translate(error, now=self._clock.now()) from None

    def _with_retry_after(self, error: ExchangeError, endpoint: str) -> ExchangeError:
        """Complete a RateLimited with the wait Bybit announced in the refusal's headers
        (``X-Bapi-Limit-Reset-Timestamp``), which ccxt drops from its exception."""
        if not isinstance(error, RateLimited) or error.retry_after is not None:
            return error
        if self._exchange is None:
            return error
        headers = self._pool.last_response_headers(self._exchange, endpoint)
        reset = {name.lower(): value for name, value in headers.items()}.get(
            "x-bapi-limit-reset-timestamp", ""
        )
        if not reset.isdigit():
            return error
        wait = max(int(reset) - datetime_to_ms(self._clock.now()), 0) / 1000
        suffix = "" if error.code is None else f" (code {error.code})"
        summary = error.message.removesuffix(suffix)
        return RateLimited(
            f"{summary}; retry in {wait:.1f} s{suffix}", code=error.code, retry_after=wait
        )


def _check_limit(limit: int) -> None:
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise InvalidRequest(f"limit must be a whole number from 1 to {MAX_LIMIT}, not {limit!r}")


def _unknown_symbol(symbol: str, markets: dict[str, Market], venue: str) -> BadSymbol:
    by_venue_id = list(resolve_symbol(symbol, markets).candidates)
    close = by_venue_id or difflib.get_close_matches(symbol.upper(), list(markets), n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    return BadSymbol(f"{venue} does not trade {symbol!r}{hint}", suggestions=tuple(close))


__all__ = ["ExchangeClient", "LiveVenueFactory", "check_market_rules"]
