"""Conditional orders and TP/SL: each scenario is written once and run against the simulator
(live client over real ccxt) and the paper engine (scripted books); both must give the same
order states and fills.

The two markets are driven the same way: ``mark(p)`` puts the touch one tick either side of
``p`` without a print (the mark is the mid on both), ``trade(p, taker)`` prints one small
trade at exactly ``p`` with the taker's side of the book at ``p``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from decimal import Decimal
from pathlib import Path
from typing import Protocol

import pytest

from console.domain import (
    ManualClock,
    Order,
    OrderRequest,
    OrderStatus,
    OrderType,
    Side,
    StopKind,
    TriggerDirection,
    TriggerSource,
)
from console.exchange import ExchangeClient
from console.exchange.errors import OrderRejected, translate
from console.paper import Ledger, PaperTradingExchange
from console.sim import SimServer

from support.live_client import make_client
from support.scripted_market import LINEAR, MARKETS, ScriptedMarket
from support.sim_private import move_mark, print_at

D = Decimal
SYMBOL = LINEAR.symbol
TICK = D("0.1")


class Venue(Protocol):
    """What a scenario does to a venue and its market."""

    async def place(self, request: OrderRequest) -> Order: ...

    async def order(self, order_id: str) -> Order: ...

    async def open_orders(self) -> list[Order]: ...

    async def position(self) -> Decimal: ...

    async def trading_stop(
        self, *, take_profit: Decimal | None = None, stop_loss: Decimal | None = None
    ) -> None: ...

    def mark(self, price: Decimal) -> None: ...

    def trade(self, price: Decimal, taker: Side) -> None: ...


class SimVenue:
    def __init__(self, sim: SimServer, client: ExchangeClient) -> None:
        self.sim, self.client = sim, client

    async def place(self, request: OrderRequest) -> Order:
        return await self.client.create_order(request)

    async def order(self, order_id: str) -> Order:
        return await self.client.fetch_order(order_id, SYMBOL)

    async def open_orders(self) -> list[Order]:
        return await self.client.fetch_open_orders(SYMBOL)

    async def position(self) -> Decimal:
        (position,) = await self.client.fetch_positions(SYMBOL)
        return position.signed_size

    async def trading_stop(
        self, *, take_profit: Decimal | None = None, stop_loss: Decimal | None = None
    ) -> None:
        await self.client.set_trading_stop(SYMBOL, take_profit=take_profit, stop_loss=stop_loss)

    def mark(self, price: Decimal) -> None:
        move_mark(self.sim, LINEAR.venue_id, price)

    def trade(self, price: Decimal, taker: Side) -> None:
        print_at(self.sim, LINEAR.venue_id, price, taker="Buy" if taker is Side.BUY else "Sell")


class PaperVenue:
    def __init__(self, engine: PaperTradingExchange, market: ScriptedMarket) -> None:
        self.engine, self.market = engine, market

    async def place(self, request: OrderRequest) -> Order:
        try:
            return await self.engine.create_order(request)
        except Exception as error:
            raise translate(error) from None

    async def order(self, order_id: str) -> Order:
        return await self.engine.fetch_order(order_id, SYMBOL)

    async def open_orders(self) -> list[Order]:
        return await self.engine.fetch_open_orders(SYMBOL)

    async def position(self) -> Decimal:
        sizes = [p.size for p in self.engine.positions() if p.symbol == SYMBOL]
        return sizes[0] if sizes else D(0)

    async def trading_stop(
        self, *, take_profit: Decimal | None = None, stop_loss: Decimal | None = None
    ) -> None:
        await self.engine.set_trading_stop(
            SYMBOL,
            take_profit=take_profit,
            stop_loss=stop_loss,
            trigger_by=TriggerSource.LAST,
            size=None,
        )

    def _touch(self, bid: Decimal, ask: Decimal) -> None:
        self.market.set_book(SYMBOL, bids=[(bid, "5")], asks=[(ask, "5")])
        self.engine.on_book_update(SYMBOL)

    def mark(self, price: Decimal) -> None:
        self._touch(price - TICK, price + TICK)

    def trade(self, price: Decimal, taker: Side) -> None:
        if taker is Side.BUY:
            self._touch(price - 2 * TICK, price)
        else:
            self._touch(price, price + 2 * TICK)
        self.engine.on_trades(SYMBOL, [self.market.trade(SYMBOL, price, "0.001", taker)])


@pytest.fixture(params=["sim", "paper"])
async def venue(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Venue]:
    """Either venue, its market at mark 60000 after a print at 60000.1."""
    if request.param == "sim":
        async with SimServer(seed=7, run_market=False) as sim:
            client = make_client(sim)
            sim_venue = SimVenue(sim, client)
            try:
                await start(sim_venue)
                yield sim_venue
            finally:
                await client.close()
        return
    market = ScriptedMarket()
    engine = PaperTradingExchange(
        MARKETS,
        market,
        Ledger(tmp_path / "ledger.sqlite3"),
        clock=ManualClock(),
        starting_balances={"USDT": D(100_000)},
    )
    paper = PaperVenue(engine, market)
    await start(paper)
    yield paper
    engine.close()


async def start(venue: Venue) -> None:
    venue.mark(D(60_000))
    venue.trade(D("60000.1"), Side.BUY)
    venue.mark(D(60_000))


def buy(quantity: str = "0.01", **extra: object) -> OrderRequest:
    return OrderRequest(
        symbol=SYMBOL, side=Side.BUY, type=OrderType.MARKET, quantity=D(quantity), **extra
    )


def state(order: Order) -> tuple[OrderStatus, bool, Decimal, Decimal | None]:
    return order.status, order.triggered, order.filled, order.average_price


Scenario = Callable[[Venue], Awaitable[None]]


async def a_last_price_stop_waits_for_a_print(venue: Venue) -> None:
    placed = await venue.place(buy(trigger_price=D(60_500)))
    waiting = await venue.order(placed.order_id)
    assert state(waiting) == (OrderStatus.OPEN, False, D(0), None)
    assert (waiting.stop_kind, waiting.trigger_by) == (StopKind.STOP, TriggerSource.LAST)
    venue.mark(D(60_600))  # the mid passes the trigger, but nothing printed there
    assert state(await venue.order(placed.order_id)) == (OrderStatus.OPEN, False, D(0), None)
    venue.trade(D(60_500), Side.BUY)
    assert state(await venue.order(placed.order_id)) == (
        OrderStatus.FILLED,
        True,
        D("0.01"),
        D(60_500),
    )
    assert await venue.position() == D("0.01")


async def a_mark_price_stop_fires_on_the_mid(venue: Venue) -> None:
    sell = buy(trigger_price=D(59_900), trigger_by=TriggerSource.MARK).model_copy(
        update={"side": Side.SELL}
    )
    placed = await venue.place(sell)
    venue.mark(D(59_850))
    assert state(await venue.order(placed.order_id)) == (
        OrderStatus.FILLED,
        True,
        D("0.01"),
        D("59849.9"),
    )
    assert await venue.position() == D("-0.01")


async def a_trigger_on_the_wrong_side_is_refused(venue: Venue) -> None:
    with pytest.raises(OrderRejected):
        await venue.place(buy(trigger_price=D(59_000), trigger_direction=TriggerDirection.RISING))
    assert await venue.open_orders() == []


async def attached_tpsl_close_on_the_stop_loss(venue: Venue) -> None:
    await venue.place(buy(take_profit=D(61_000), stop_loss=D(59_000)))
    protecting = await venue.open_orders()
    assert sorted((o.side, o.reduce_only, o.trigger_price) for o in protecting) == [
        (Side.SELL, True, D(59_000)),
        (Side.SELL, True, D(61_000)),
    ]
    assert {o.trigger_price: o.stop_kind for o in protecting} == {
        D(59_000): StopKind.STOP_LOSS,
        D(61_000): StopKind.TAKE_PROFIT,
    }
    by_trigger = {o.trigger_price: o.order_id for o in protecting}
    venue.trade(D(58_990), Side.SELL)
    assert await venue.position() == 0
    assert await venue.open_orders() == []
    stop_loss = await venue.order(by_trigger[D(59_000)])
    assert state(stop_loss) == (OrderStatus.FILLED, True, D("0.01"), D(58_990))
    take_profit = await venue.order(by_trigger[D(61_000)])
    assert (take_profit.status, take_profit.triggered) == (OrderStatus.CANCELED, False)


async def a_position_take_profit_closes_it_all(venue: Venue) -> None:
    await venue.place(buy("0.02"))
    await venue.trading_stop(take_profit=D(60_500))
    (take_profit,) = await venue.open_orders()
    assert (take_profit.quantity, take_profit.trigger_price) == (D("0.02"), D(60_500))
    await venue.place(buy("0.01"))
    (resized,) = await venue.open_orders()
    assert resized.quantity == D("0.03")
    venue.trade(D(60_500), Side.BUY)
    assert await venue.position() == 0
    closed = await venue.order(take_profit.order_id)
    assert state(closed) == (OrderStatus.FILLED, True, D("0.03"), D("60499.8"))


SCENARIOS: list[Scenario] = [
    a_last_price_stop_waits_for_a_print,
    a_mark_price_stop_fires_on_the_mid,
    a_trigger_on_the_wrong_side_is_refused,
    attached_tpsl_close_on_the_stop_loss,
    a_position_take_profit_closes_it_all,
]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.__name__ for s in SCENARIOS])
async def test_the_simulator_and_the_paper_engine_agree(venue: Venue, scenario: Scenario) -> None:
    await scenario(venue)
