"""ExchangeClient end to end: real ccxt async bybit against the simulator on 127.0.0.1.

Every client method is driven through the real signed path; failures are the simulator's
real answers (retCodes, HTTP statuses), translated by the client.
"""

from __future__ import annotations

import asyncio
import gc
import warnings
from collections.abc import AsyncIterator, Mapping
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from console.config import load_settings
from console.domain import (
    EndpointCategory,
    ManualClock,
    MarketType,
    OrderRequest,
    OrderStatus,
    OrderType,
    RateLimitStatus,
    Side,
    TimeInForce,
)
from console.exchange import (
    AuthenticationFailed,
    BadSymbol,
    DuplicateClientOrderId,
    ExchangeClient,
    ExchangeConnectionPool,
    ExchangeError,
    ExchangeUnavailable,
    InsufficientFunds,
    InvalidOrder,
    InvalidRequest,
    LiveTradingVenue,
    OrderNotFound,
    PaperTradingUnavailable,
    RateLimited,
    RequestTimedOut,
    VenueHalted,
    venue_preset,
)
from console.exchange.live import CallThrough
from console.exchange.ratelimit import BybitRateLimiter
from console.sim.server import SIM_UID

from support.live_client import (
    make_client,
    resting_buy,
    sim_credentials,
    sim_endpoints,
    sim_settings,
)
from support.unthrottled import Unthrottled
from support.waiting import wait_until

LINEAR = "BTC/USDT:USDT"
SPOT = "BTC/USDT"


@pytest.fixture
async def client(sim: Any) -> AsyncIterator[ExchangeClient]:
    live = make_client(sim)
    yield live
    await live.close()


# -- market data -------------------------------------------------------------------------


async def test_markets_are_spot_and_linear_with_exact_rules(client: ExchangeClient) -> None:
    markets = await client.load_markets()

    assert {LINEAR, SPOT, "ETH/USDT:USDT", "SOL/USDT:USDT"} <= set(markets)
    assert {m.type for m in markets.values()} == {MarketType.SPOT, MarketType.LINEAR}
    linear = markets[LINEAR]
    assert linear.venue_id == "BTCUSDT"
    assert linear.tick_size > 0
    assert linear.qty_step > 0
    assert isinstance(linear.tick_size, Decimal)


async def test_unknown_symbol_names_close_matches(client: ExchangeClient) -> None:
    with pytest.raises(BadSymbol) as caught:
        await client.market("BTC/USDX:USDT")

    assert LINEAR in caught.value.suggestions
    assert "did you mean" in str(caught.value)


async def test_venue_id_points_at_the_unified_symbols(client: ExchangeClient) -> None:
    with pytest.raises(BadSymbol) as caught:
        await client.fetch_ticker("BTCUSDT")

    assert set(caught.value.suggestions) == {LINEAR, SPOT}


async def test_ticker(client: ExchangeClient) -> None:
    ticker = await client.fetch_ticker(LINEAR)

    assert ticker.symbol == LINEAR
    assert ticker.bid is not None
    assert ticker.ask is not None
    assert ticker.bid < ticker.ask
    assert ticker.timestamp.tzinfo is not None
    assert client.last_latency_ms[EndpointCategory.MARKET_DATA] > 0


async def test_ohlcv_oldest_first(client: ExchangeClient) -> None:
    candles = await client.fetch_ohlcv(LINEAR, "1m", limit=20)

    assert 1 <= len(candles) <= 20
    stamps = [candle.timestamp for candle in candles]
    assert stamps == sorted(stamps)
    assert all(c.low <= min(c.open, c.close) and c.high >= max(c.open, c.close) for c in candles)


async def test_bad_timeframe_and_limit_are_refused_locally(client: ExchangeClient) -> None:
    with pytest.raises(InvalidRequest, match="Unknown timeframe '7m'"):
        await client.fetch_ohlcv(LINEAR, "7m")
    with pytest.raises(InvalidRequest, match="limit"):
        await client.fetch_order_book(LINEAR, limit=0)


async def test_order_book(client: ExchangeClient) -> None:
    book = await client.fetch_order_book(LINEAR, limit=25)

    assert book.symbol == LINEAR
    assert 0 < len(book.bids) <= 25
    assert 0 < len(book.asks) <= 25
    assert not book.is_crossed
    assert [level.price for level in book.bids] == sorted(
        (level.price for level in book.bids), reverse=True
    )


async def test_spot_trades(client: ExchangeClient) -> None:
    trades = await client.fetch_trades(SPOT, limit=10)

    assert len(trades) <= 10
    assert all(trade.symbol == SPOT and trade.price > 0 for trade in trades)


async def test_markets_load_once_for_concurrent_callers(sim: Any) -> None:
    seen: list[str] = []

    def observer(path: str, status: int, headers: Mapping[str, str]) -> None:
        seen.append(path)

    pool = ExchangeConnectionPool(observer=observer)
    first = make_client(sim, pool=pool)
    second = make_client(sim, pool=pool)
    try:
        await asyncio.gather(first.load_markets(), second.load_markets(), first.market(LINEAR))
    finally:
        await first.close()
        await second.close()
        await pool.close_all()

    instrument_calls = [path for path in seen if path == "/v5/market/instruments-info"]
    assert len(instrument_calls) == 3, "spot + linear + linear PreLaunch, once"


async def test_observer_sees_rate_limit_headers(sim: Any) -> None:
    seen: list[tuple[str, int, Mapping[str, str]]] = []
    pool = ExchangeConnectionPool(observer=lambda *response: seen.append(response))
    live = make_client(sim, pool=pool)
    try:
        await live.fetch_balance()
    finally:
        await live.close()
        await pool.close_all()

    path, status, headers = seen[-1]
    assert (path, status) == ("/v5/account/wallet-balance", 200)
    assert {"X-Bapi-Limit", "X-Bapi-Limit-Status"} <= {name.title() for name in headers} | set(
        headers
    )


async def test_close_leaves_no_unclosed_session(sim: Any, caplog: pytest.LogCaptureFixture) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        live = make_client(sim)
        await live.fetch_ticker(LINEAR)
        await live.close()
        del live
        gc.collect()
        await asyncio.sleep(0)  # one turn of the loop (no time passes) for a finalizer's warning
    assert "Unclosed" not in caplog.text
    assert "requires to release all resources" not in caplog.text


# -- orders and balances -----------------------------------------------------------------


async def test_balance(client: ExchangeClient) -> None:
    balances = {balance.currency: balance for balance in await client.fetch_balance()}

    usdt = balances["USDT"]
    assert usdt.total > 0
    assert usdt.free + usdt.used == usdt.total


async def test_limit_order_lifecycle(client: ExchangeClient) -> None:
    request = await resting_buy(client)

    created = await client.create_order(request)
    assert created.order_id
    assert created.client_order_id is not None
    assert len(created.client_order_id) <= 36

    fetched = await client.fetch_order(created.order_id, LINEAR)
    assert fetched.status is OrderStatus.OPEN
    assert fetched.price == request.price
    assert fetched.quantity == request.quantity
    assert fetched.client_order_id == created.client_order_id

    open_ids = {order.order_id for order in await client.fetch_open_orders(LINEAR)}
    assert created.order_id in open_ids
    everywhere = {order.order_id for order in await client.fetch_open_orders()}
    assert created.order_id in everywhere

    cancelled = await client.cancel_order(created.order_id, LINEAR)
    assert cancelled.status is OrderStatus.CANCELED
    assert created.order_id not in {o.order_id for o in await client.fetch_open_orders(LINEAR)}


async def test_market_order_fills(client: ExchangeClient) -> None:
    market = await client.market(LINEAR)
    request = OrderRequest(
        symbol=LINEAR, side=Side.BUY, type=OrderType.MARKET, quantity=market.min_qty
    )

    created = await client.create_order(request)
    filled = await client.fetch_order(created.order_id, LINEAR)

    assert filled.status is OrderStatus.FILLED
    assert filled.filled == market.min_qty
    assert filled.average_price is not None


async def test_post_only_and_reduce_only_reach_the_venue(client: ExchangeClient) -> None:
    request = await resting_buy(client, time_in_force=TimeInForce.POST_ONLY)

    created = await client.create_order(request)
    fetched = await client.fetch_order(created.order_id, LINEAR)

    assert fetched.time_in_force is TimeInForce.POST_ONLY
    await client.cancel_order(created.order_id, LINEAR)


async def test_given_client_order_id_is_used(client: ExchangeClient) -> None:
    request = await resting_buy(client, client_order_id="my-order-0001")

    created = await client.create_order(request)

    assert created.client_order_id == "my-order-0001"
    await client.cancel_order(created.order_id, LINEAR)


async def test_duplicate_client_order_id_is_named(client: ExchangeClient) -> None:
    request = await resting_buy(client, client_order_id="dup-0001")
    first = await client.create_order(request)

    with pytest.raises(DuplicateClientOrderId, match="duplicate client order id"):
        await client.create_order(request)

    await client.cancel_order(first.order_id, LINEAR)


async def test_insufficient_funds(client: ExchangeClient) -> None:
    balances = {b.currency: b for b in await client.fetch_balance()}
    market = await client.market(SPOT)
    too_much = market.floor_qty(balances["BTC"].free * 3) if "BTC" in balances else Decimal(5)
    request = OrderRequest(symbol=SPOT, side=Side.SELL, type=OrderType.MARKET, quantity=too_much)

    with pytest.raises(InsufficientFunds, match="Insufficient funds"):
        await client.create_order(request)


async def test_off_tick_price_is_refused_before_sending(client: ExchangeClient) -> None:
    request = await resting_buy(client)
    market = await client.market(LINEAR)
    off_tick = request.model_copy(update={"price": request.price + market.tick_size / 3})  # type: ignore[operator]

    with pytest.raises(InvalidOrder, match="tick size"):
        await client.create_order(off_tick)


async def test_unknown_order(client: ExchangeClient) -> None:
    with pytest.raises(OrderNotFound):
        await client.fetch_order("00000000-0000-0000-0000-000000000000", LINEAR)


async def test_paper_mode_without_engine_never_fakes_a_fill(sim: Any) -> None:
    paper = make_client(sim, mode="paper")
    try:
        request = await resting_buy(paper)
        with pytest.raises(PaperTradingUnavailable, match="not available yet"):
            await paper.create_order(request)
        with pytest.raises(PaperTradingUnavailable):
            await paper.fetch_balance()
    finally:
        await paper.close()


# -- the API key ---------------------------------------------------------------------------

SIM_KEY_RIGHTS = (
    "ContractTrade:Order",
    "ContractTrade:Position",
    "Derivatives:DerivativesTrade",
    "Spot:SpotTrade",
    "Wallet:AccountTransfer",
)
"""What the simulator reports its key may do (``console.sim.routes_account.query_api``)."""


async def test_key_info_names_the_account_and_its_rights(sim: Any) -> None:
    limiter = BybitRateLimiter(venue="sim")
    governed = make_client(sim, limiter=limiter)
    try:
        key = await governed.fetch_key_info()
    finally:
        await governed.close()

    assert key is not None
    assert key.uid == SIM_UID
    assert key.permissions == SIM_KEY_RIGHTS
    assert not key.read_only
    assert not key.can_withdraw
    assert not key.ip_bound, "the simulator's key is open to every IP (ips: ['*'])"
    gauges = governed.get_rate_limiter_status()
    assert any(g.endpoint == "/v5/user/query-api" and g.learned_from_headers for g in gauges)
    assert EndpointCategory.ACCOUNT in governed.last_latency_ms


async def test_key_info_is_read_in_paper_mode_too(sim: Any) -> None:
    """The rights are a fact of the key, whatever the mode; reading them trades nothing."""
    paper = make_client(sim, mode="paper")
    try:
        key = await paper.fetch_key_info()
    finally:
        await paper.close()

    assert key is not None
    assert key.uid == SIM_UID


async def test_key_info_without_keys_says_which_are_missing(sim: Any) -> None:
    keyless = ExchangeClient(sim_settings(), endpoints=sim_endpoints(sim))
    try:
        with pytest.raises(
            AuthenticationFailed, match="needs EXCHANGE_API_KEY and EXCHANGE_SECRET"
        ):
            await keyless.fetch_key_info()
    finally:
        await keyless.close()


async def test_key_info_with_a_rejected_key_is_translated_without_the_key(sim: Any) -> None:
    wrong = make_client(sim, credentials=sim_credentials(sim, secret="wrong-secret"))
    try:
        with pytest.raises(AuthenticationFailed, match="Signature rejected") as caught:
            await wrong.fetch_key_info()
    finally:
        await wrong.close()
    assert sim.api_key not in str(caught.value)


async def test_venues_other_than_bybit_report_no_key_info() -> None:
    settings = load_settings(
        {"venue": "binance", "mode": "live", "api_key": "k", "secret": "s"},
        environ={},
        dotenv_path=None,
    )
    other = ExchangeClient(settings)
    try:
        assert await other.fetch_key_info() is None
    finally:
        await other.close()


# -- credentials, clock and limits -------------------------------------------------------


async def test_wrong_key(sim: Any) -> None:
    wrong = make_client(sim, credentials=sim_credentials(sim, api_key="not-a-key"))
    try:
        with pytest.raises(AuthenticationFailed, match="API key rejected") as caught:
            await wrong.fetch_balance()
    finally:
        await wrong.close()
    assert caught.value.code == 10003


async def test_wrong_secret(sim: Any) -> None:
    wrong = make_client(sim, credentials=sim_credentials(sim, secret="wrong-secret"))
    try:
        with pytest.raises(AuthenticationFailed, match="Signature rejected") as caught:
            await wrong.fetch_balance()
    finally:
        await wrong.close()
    assert caught.value.code == 10004
    assert sim.api_key not in str(caught.value)


async def test_stale_timestamp(sim: Any) -> None:
    pool = ExchangeConnectionPool()
    shared_instance(sim, pool).options["timeDifference"] = 60_000  # our clock 60 s behind
    stale = make_client(sim, pool=pool)
    try:
        with pytest.raises(AuthenticationFailed, match="clock") as caught:
            await stale.fetch_balance()
    finally:
        await stale.close()
        await pool.close_all()
    assert caught.value.code == 10002


async def test_rate_limit_burst_is_readable(sim: Any) -> None:
    client = make_client(sim, limiter=Unthrottled())
    try:
        request = await resting_buy(client)
        results = await asyncio.gather(
            *(client.create_order(request.model_copy()) for _ in range(14)),
            return_exceptions=True,
        )
    finally:
        await client.close()

    limited = [r for r in results if isinstance(r, RateLimited)]
    placed = [r for r in results if not isinstance(r, BaseException)]
    assert limited, results
    assert "Rate limited" in str(limited[0])
    assert limited[0].code == 10006
    assert len(placed) <= 10


async def test_a_client_built_without_a_limiter_is_governed_by_the_venues_own(
    client: ExchangeClient,
) -> None:
    request = await resting_buy(client)
    results = await asyncio.gather(
        *(client.create_order(request.model_copy()) for _ in range(14)), return_exceptions=True
    )

    assert [r for r in results if isinstance(r, BaseException)] == []
    status: list[RateLimitStatus] = client.get_rate_limiter_status()
    create = next(row for row in status if row.endpoint == "/v5/order/create")
    assert (create.limit, create.learned_from_headers) == (10, True)


async def test_burst_through_the_bybit_limiter_is_paced_not_refused(sim: Any) -> None:
    limiter = BybitRateLimiter(venue="sim")
    paced = make_client(sim, limiter=limiter)
    try:
        request = await resting_buy(paced)
        results = await asyncio.gather(
            *(paced.create_order(request.model_copy()) for _ in range(14)), return_exceptions=True
        )
        gauges = paced.get_rate_limiter_status()
    finally:
        await paced.close()

    assert [r for r in results if isinstance(r, BaseException)] == []
    assert any(g.endpoint == "/v5/order/create" and g.learned_from_headers for g in gauges)
    assert paced.last_latency_ms[EndpointCategory.TRADING] > 0


async def test_live_venue_factory_builds_the_live_path(sim: Any) -> None:
    built: list[Any] = []

    def factory(exchange: Any, call: CallThrough) -> LiveTradingVenue:
        built.append(exchange)
        return LiveTradingVenue(exchange, call, client_order_ids=lambda: "fixed-id-0001")

    live = make_client(sim, live_venue_factory=factory)
    try:
        order = await live.create_order(await resting_buy(live))
        await live.fetch_open_orders(LINEAR)
    finally:
        await live.close()

    assert order.client_order_id == "fixed-id-0001"
    assert len(built) == 1


def shared_instance(sim: Any, pool: ExchangeConnectionPool) -> Any:
    """The pooled ccxt instance a client on ``pool`` will use (to tune ccxt knobs)."""
    return pool.get_connection(
        venue_preset(sim_settings(), sim_endpoints(sim)), sim_credentials(sim)
    )


async def test_order_timeout_is_an_unknown_outcome_not_a_failure(sim: Any) -> None:
    pool = ExchangeConnectionPool()
    shared_instance(sim, pool).timeout = 300  # ms
    live = make_client(sim, pool=pool)
    try:
        request = await resting_buy(live, client_order_id="slow-0001")
        sim.faults.delay(1.0, path="/v5/order/create")
        with pytest.raises(RequestTimedOut, match="outcome") as caught:
            await live.create_order(request)

        async def the_order_landed() -> bool:
            orders = await live.fetch_open_orders(LINEAR)
            return "slow-0001" in {order.client_order_id for order in orders}

        # the venue answers after its 1 s delay, long after we stopped listening
        await wait_until(the_order_landed, timeout=10, poll=0.1, what="the timed-out order")
        open_orders = await live.fetch_open_orders(LINEAR)
    finally:
        await live.close()
        await pool.close_all()

    assert not isinstance(caught.value, ExchangeUnavailable)
    assert "slow-0001" in {order.client_order_id for order in open_orders}


async def test_dropped_order_answer_is_an_unknown_outcome(client: ExchangeClient, sim: Any) -> None:
    request = await resting_buy(client)
    sim.faults.drop_response(path="/v5/order/create")

    with pytest.raises(ExchangeError) as caught:
        await client.create_order(request)

    assert isinstance(caught.value, RequestTimedOut | ExchangeUnavailable)
    assert str(caught.value)


async def test_ip_ban_halts_with_an_end_time(sim: Any) -> None:
    clock = ManualClock()
    banned = make_client(sim, clock=clock)
    try:
        await banned.load_markets()
        sim.faults.ban(30)
        with pytest.raises(VenueHalted, match="HTTP 403") as caught:
            await banned.fetch_ticker(LINEAR)
    finally:
        await banned.close()

    assert caught.value.until == clock.now() + timedelta(minutes=10)
    assert "access too frequent" not in str(caught.value)


async def test_spot_market_buy_is_sized_in_the_base_coin(client: ExchangeClient) -> None:
    market = await client.market(SPOT)
    quantity = market.floor_qty(market.min_qty * 3)
    request = OrderRequest(symbol=SPOT, side=Side.BUY, type=OrderType.MARKET, quantity=quantity)

    created = await client.create_order(request)
    filled = await client.fetch_order(created.order_id, SPOT)

    assert filled.status is OrderStatus.FILLED
    assert filled.filled == quantity
    assert filled.symbol == SPOT


async def test_rate_limit_answer_says_when_to_retry(sim: Any) -> None:
    client = make_client(sim, limiter=Unthrottled())  # ours would wait and retry instead
    try:
        await client.load_markets()
        sim.faults.rate_limit(1, path="/v5/market/tickers")
        with pytest.raises(RateLimited) as caught:
            await client.fetch_ticker(LINEAR)
    finally:
        await client.close()

    assert caught.value.retry_after is not None
    assert 0 <= caught.value.retry_after <= 1.0
    assert "retry in" in str(caught.value)
    assert str(caught.value).endswith("(code 10006)")


async def test_the_market_load_is_two_public_requests_in_the_limiter(sim: Any) -> None:
    """Loading markets asks the simulator's instruments-info for spot and for linear: both
    requests are counted, under PUBLIC (as declared), none under MARKET_DATA."""
    limiter = BybitRateLimiter(venue="sim")
    governed = make_client(sim, limiter=limiter)
    try:
        markets = await governed.load_markets()
        gauges = governed.get_rate_limiter_status()
    finally:
        await governed.close()

    assert {m.type for m in markets.values()} == {MarketType.SPOT, MarketType.LINEAR}
    by_category = {g.category: g.used for g in gauges if g.endpoint is None}
    assert by_category[EndpointCategory.PUBLIC] == 2
    assert by_category[EndpointCategory.MARKET_DATA] == 0
    instruments = next(g for g in gauges if g.endpoint == "/v5/market/instruments-info")
    assert (instruments.category, instruments.used) == (EndpointCategory.PUBLIC, 2)
    assert limiter.stats.requests == 2
