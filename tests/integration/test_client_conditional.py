"""ExchangeClient's conditional orders, TP/SL and batches against the simulator over real
ccxt: the unified params it sends, the trigger direction it infers, ``set_trading_stop``,
and ``create_orders`` through Bybit's create-batch with each order journaled and settled on
its own."""

from __future__ import annotations

from collections.abc import AsyncIterator
from decimal import Decimal
from pathlib import Path

import pytest

from console.config import load_settings
from console.domain import (
    ManualClock,
    OrderRequest,
    OrderStatus,
    OrderType,
    Side,
    TriggerDirection,
    TriggerSource,
)
from console.exchange import ExchangeClient, ExchangeError, InvalidOrder, InvalidRequest
from console.exchange.errors import OrderRejected
from console.exchange.journal import JournalState, OrderJournal
from console.exchange.order_ids import ClientOrderIds
from console.exchange.safe_orders import OrderSafety
from console.paper import Ledger, PaperTradingExchange
from console.sim import SimServer

from support.live_client import make_client, sim_credentials, sim_endpoints
from support.scripted_market import MARKETS, ScriptedMarket
from support.sim_private import move_mark, print_at

D = Decimal
LINEAR = "BTC/USDT:USDT"


@pytest.fixture
async def still() -> AsyncIterator[SimServer]:
    async with SimServer(seed=7, run_market=False) as server:
        move_mark(server, "BTCUSDT", D(60_000))
        print_at(server, "BTCUSDT", D("60000.1"))
        move_mark(server, "BTCUSDT", D(60_000))
        yield server


@pytest.fixture
async def client(still: SimServer) -> AsyncIterator[ExchangeClient]:
    live = make_client(still)
    yield live
    await live.close()


def market_buy(quantity: str = "0.01", **extra: object) -> OrderRequest:
    return OrderRequest(
        symbol=LINEAR, side=Side.BUY, type=OrderType.MARKET, quantity=D(quantity), **extra
    )


async def test_a_stop_is_sent_away_from_the_market_and_reported_triggered(
    still: SimServer, client: ExchangeClient
) -> None:
    placed = await client.create_order(market_buy(trigger_price=D(60_500)))
    assert (placed.status, placed.trigger_price, placed.triggered) == (
        OrderStatus.PENDING,  # Bybit acknowledges ids only
        D(60_500),
        False,
    )
    waiting = await client.fetch_order(placed.order_id, LINEAR)
    assert (waiting.status, waiting.trigger_price, waiting.triggered) == (
        OrderStatus.OPEN,
        D(60_500),
        False,
    )
    assert [o.order_id for o in await client.fetch_open_orders(LINEAR)] == [placed.order_id]
    print_at(still, "BTCUSDT", D(60_500))
    fired = await client.fetch_order(placed.order_id, LINEAR)
    assert (fired.status, fired.filled, fired.triggered) == (OrderStatus.FILLED, D("0.01"), True)


async def test_a_trigger_on_the_wrong_side_is_refused(client: ExchangeClient) -> None:
    stop = market_buy(trigger_price=D(59_000), trigger_direction=TriggerDirection.RISING)
    with pytest.raises(OrderRejected, match="rising trigger must be above"):
        await client.create_order(stop)
    assert await client.fetch_open_orders(LINEAR) == []


async def test_attached_tpsl_then_the_position_stop_moved(
    still: SimServer, client: ExchangeClient
) -> None:
    await client.create_order(
        market_buy(
            "0.02", take_profit=D(61_000), stop_loss=D(59_000), trigger_by=TriggerSource.MARK
        )
    )
    (position,) = await client.fetch_positions(LINEAR)
    assert (position.take_profit, position.stop_loss) == (D(61_000), D(59_000))
    protecting = await client.fetch_open_orders(LINEAR)
    assert sorted(o.trigger_price or D(0) for o in protecting) == [D(59_000), D(61_000)]
    assert all(o.reduce_only and o.side is Side.SELL for o in protecting)
    assert await client.set_trading_stop(LINEAR, stop_loss=D(59_500)) is True
    assert await client.set_trading_stop(LINEAR, stop_loss=D(59_500)) is False  # not modified
    assert await client.set_trading_stop(
        LINEAR, take_profit=D(62_000), stop_loss=D(58_000), size=D("0.01")
    )
    (position,) = await client.fetch_positions(LINEAR)
    assert (position.take_profit, position.stop_loss) == (D(61_000), D(59_500))
    assert len(await client.fetch_open_orders(LINEAR)) == 4
    with pytest.raises(InvalidRequest, match="tick size"):
        await client.set_trading_stop(LINEAR, take_profit=D("62000.05"))
    move_mark(still, "BTCUSDT", D(61_050))  # the mark reaches the take-profit
    (position,) = await client.fetch_positions(LINEAR)
    assert position.is_flat
    assert await client.fetch_open_orders(LINEAR) == []


async def test_create_orders_journals_and_settles_each_order(
    still: SimServer, tmp_path: Path
) -> None:
    settings = load_settings(
        {"venue": "sim", "mode": "live", "data_dir": tmp_path}, environ={}, dotenv_path=None
    )
    journal = OrderJournal.in_data_dir(tmp_path)
    safety = OrderSafety("sim", journal, ids=ClientOrderIds())
    client = ExchangeClient(
        settings,
        endpoints=sim_endpoints(still),
        credentials=sim_credentials(still),
        live_venue_factory=safety.build,
    )
    try:
        assert (await safety.start(client)).clean
        limit = OrderRequest(
            symbol=LINEAR, side=Side.BUY, type=OrderType.LIMIT, quantity=D("0.01"), price=D(59_000)
        )
        outcomes = await client.create_orders(
            [
                limit,
                market_buy(trigger_price=D(59_000), trigger_direction=TriggerDirection.RISING),
                limit.model_copy(update={"price": D("59000.05")}),  # off the tick: not sent
                limit.model_copy(update={"price": D(58_900)}),
            ]
        )
        open_orders = await client.fetch_open_orders(LINEAR)
        used = {
            status.endpoint: status.used
            for status in client.get_rate_limiter_status()
            if status.endpoint is not None
        }
    finally:
        await client.close()
    assert used.get("/v5/order/create-batch") == 3  # one request, counted per order
    assert used.get("/v5/order/create", 0) == 0
    first, refused, off_tick, last = outcomes
    assert not isinstance(first, ExchangeError)
    assert not isinstance(last, ExchangeError)
    assert isinstance(refused, OrderRejected)
    assert refused.code == 110092
    assert isinstance(off_tick, ExchangeError)
    assert {o.order_id for o in open_orders} == {first.order_id, last.order_id}
    states = sorted(entry.state for entry in journal.entries())
    assert states == sorted([JournalState.CONFIRMED, JournalState.CONFIRMED, JournalState.REJECTED])


async def test_paper_mode_sends_a_batch_one_by_one_and_keeps_tpsl(
    still: SimServer, tmp_path: Path
) -> None:
    scripted = ScriptedMarket()
    scripted.set_book(LINEAR, bids=[("59999.9", "5")], asks=[("60000.1", "5")])
    engine = PaperTradingExchange(
        MARKETS, scripted, Ledger(tmp_path / "ledger.sqlite3"), clock=ManualClock()
    )
    client = make_client(still, mode="paper", paper_venue=engine)
    try:
        limit = OrderRequest(
            symbol=LINEAR, side=Side.BUY, type=OrderType.LIMIT, quantity=D("0.01"), price=D(59_000)
        )
        placed, refused, bought = await client.create_orders(
            [
                limit,
                market_buy(trigger_price=D(59_000), trigger_direction=TriggerDirection.RISING),
                market_buy(),
            ]
        )
        assert isinstance(refused, OrderRejected)
        assert not isinstance(placed, ExchangeError)
        assert not isinstance(bought, ExchangeError)
        assert bought.status is OrderStatus.FILLED
        assert await client.set_trading_stop(LINEAR, stop_loss=D(59_500)) is True
        assert await client.set_trading_stop(LINEAR, stop_loss=D(59_500)) is False
        stops = [o for o in await client.fetch_open_orders(LINEAR) if o.trigger_price]
        assert [(o.side, o.trigger_price, o.quantity) for o in stops] == [
            (Side.SELL, D(59_500), D("0.01"))
        ]
    finally:
        await client.close()
        engine.close()


async def test_a_waiting_trigger_is_moved_keeping_its_price_source(
    client: ExchangeClient,
) -> None:
    placed = await client.create_order(
        market_buy(trigger_price=D(60_500), trigger_by=TriggerSource.MARK)
    )
    moved = await client.amend_order(placed.order_id, LINEAR, trigger_price=D(60_700))
    assert (moved.trigger_price, moved.trigger_by, moved.triggered) == (
        D(60_700),
        TriggerSource.MARK,
        False,
    )
    with pytest.raises(OrderRejected, match="rising trigger must be above"):
        await client.amend_order(placed.order_id, LINEAR, trigger_price=D(59_000))
    cancelled = await client.cancel_order(placed.order_id, LINEAR)
    assert (cancelled.status, cancelled.triggered) == (OrderStatus.CANCELED, False)
    limit = OrderRequest(
        symbol=LINEAR, side=Side.BUY, type=OrderType.LIMIT, quantity=D("0.01"), price=D(59_000)
    )
    plain = await client.create_order(limit)
    with pytest.raises(InvalidOrder, match="no trigger waiting"):
        await client.amend_order(plain.order_id, LINEAR, trigger_price=D(59_500))
