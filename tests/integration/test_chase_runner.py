"""The chase runner (console/exchange/chase_runner.py) on the real paper engine and its ledger,
fed a scripted market: it follows the touch with coalesced amends, stops at its maximum
distance and on a stale book (leaving or cancelling its order), re-prices a post-only
refusal once, and ends when its order fills or is cancelled."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from console.domain import (
    DepthSnapshot,
    EndpointCategory,
    MarketEventListener,
    Order,
    OrderRequest,
    OrderStatus,
    OrderType,
    RateLimitStatus,
    Side,
    SystemClock,
    TimeInForce,
)
from console.domain.chase import ChaseEnd, ChaseLimits, StopCause, budget_wait
from console.exchange.chase_runner import ChaseOutcome, ChaseRunner, StreamLoss
from console.exchange.ratelimit import BybitRateLimiter, EndpointLimit
from console.paper import Ledger, PaperTradingExchange

from support.scripted_market import LINEAR, MARKETS, Levels, ScriptedMarket
from support.waiting import wait_until

D = Decimal
SYMBOL = LINEAR.symbol
LIMITS = ChaseLimits(max_distance_pct=D("0.5"), min_interval=0.05)


class MovingMarket(ScriptedMarket):
    """The scripted market, telling its listeners (the engine, the runner) of each change,
    as the streamer does."""

    def __init__(self) -> None:
        super().__init__()
        self.listeners: list[MarketEventListener] = []

    def add_listener(self, listener: MarketEventListener) -> None:
        self.listeners.append(listener)

    def remove_listener(self, listener: MarketEventListener) -> None:
        self.listeners.remove(listener)

    def move(self, bids: Levels, asks: Levels, *, stale: bool = False) -> DepthSnapshot:
        book = self.set_book(SYMBOL, bids, asks, stale=stale)
        for listener in list(self.listeners):
            listener.on_book_update(SYMBOL)
        return book

    def print_through(self, price: str, taker: Side) -> None:
        trade = self.trade(SYMBOL, price, "1", taker)
        for listener in list(self.listeners):
            listener.on_trades(SYMBOL, [trade])


@pytest.fixture
async def market() -> MovingMarket:
    scripted = MovingMarket()
    scripted.move(bids=[("100.0", "3")], asks=[("100.2", "3")])
    return scripted


@pytest.fixture
async def engine(tmp_path: Path, market: MovingMarket) -> AsyncIterator[PaperTradingExchange]:
    paper = PaperTradingExchange(
        MARKETS,
        market,
        Ledger(tmp_path / "ledger.sqlite3"),
        clock=SystemClock(),
        starting_balances={"USDT": D(10_000)},
    )
    market.add_listener(paper)
    yield paper
    paper.close()


def no_limits() -> list[RateLimitStatus]:
    """The limiter's status when nothing was sent yet: no window is short of headroom."""
    return []


async def placed(engine: PaperTradingExchange, side: Side, price: str) -> Order:
    return await engine.create_order(
        OrderRequest(
            symbol=SYMBOL,
            side=side,
            type=OrderType.LIMIT,
            quantity=D("0.1"),
            price=D(price),
            time_in_force=TimeInForce.POST_ONLY,
        )
    )


def runner_for(
    order: Order,
    engine: PaperTradingExchange,
    market: MovingMarket,
    *,
    on_stream_loss: StreamLoss = "leave",
    on_change: Callable[[ChaseRunner], None] | None = None,
    rate_limits: Callable[[], list[RateLimitStatus]] = no_limits,
    limits: ChaseLimits = LIMITS,
) -> ChaseRunner:
    return ChaseRunner(
        order,
        LINEAR,
        orders=engine,
        amender=engine,
        books=market,
        rate_limits=rate_limits,
        clock=SystemClock(),
        limits=limits,
        on_stream_loss=on_stream_loss,
        on_change=on_change,
        poll=0.05,
    )


async def started(runner: ChaseRunner, market: MovingMarket) -> asyncio.Task[ChaseOutcome]:
    """The runner's task, once it listens to the market."""
    task = asyncio.create_task(runner.run())
    await wait_until(lambda: runner in market.listeners)
    return task


async def test_it_follows_the_bid_up_in_one_amend_per_burst_of_moves(
    engine: PaperTradingExchange, market: MovingMarket
) -> None:
    order = await placed(engine, Side.BUY, "100.0")
    changes: list[Decimal] = []
    runner = runner_for(
        order, engine, market, on_change=lambda moved: changes.append(moved.state.price)
    )
    engine.add_fill_listener(lambda paper: runner.order_news())  # as the console wires it
    task = await started(runner, market)

    for bid in ("100.1", "100.2", "100.3"):  # one loop turn: the runner sees only the last
        market.move(bids=[(bid, "2")], asks=[("100.5", "2")])
    await wait_until(lambda: runner.state.amends >= 1)
    assert changes == [D("100.3")]
    assert (await engine.fetch_order(order.order_id, SYMBOL)).price == D("100.3")

    market.move(bids=[("100.4", "2")], asks=[("100.6", "2")])
    await wait_until(lambda: runner.state.amends == 2)
    assert runner.state.label() == "CHASE 0.1 (2 amends)"

    market.move(bids=[("100.2", "2")], asks=[("100.3", "2")])  # back towards it: it stays
    market.print_through("100.3", Side.SELL)  # a sell prints through the buy at 100.4
    outcome = await asyncio.wait_for(task, 30)
    assert outcome.end is ChaseEnd.FILLED
    assert outcome.amends == 2
    assert outcome.order is not None
    assert outcome.order.status is OrderStatus.FILLED
    assert outcome.order.price == D("100.4")
    assert runner not in market.listeners


async def test_it_stops_past_the_maximum_distance_and_leaves_the_order(
    engine: PaperTradingExchange, market: MovingMarket
) -> None:
    order = await placed(engine, Side.SELL, "100.2")
    runner = runner_for(order, engine, market)
    task = await started(runner, market)

    market.move(bids=[("99.5", "2")], asks=[("99.6", "2")])  # the bound is 99.7 (0.5%)
    outcome = await asyncio.wait_for(task, 30)
    assert outcome.end is ChaseEnd.STOPPED
    assert outcome.cause is StopCause.DISTANCE
    assert outcome.resting
    assert "99.6" in outcome.reason
    assert "99.7" in outcome.reason
    resting = await engine.fetch_order(order.order_id, SYMBOL)
    assert (resting.status, resting.price) == (OrderStatus.OPEN, D("100.2"))


@pytest.mark.parametrize(
    ("setting", "status"), [("leave", OrderStatus.OPEN), ("cancel", OrderStatus.CANCELED)]
)
async def test_a_stale_book_stops_the_chase_and_the_setting_says_what_becomes_of_the_order(
    engine: PaperTradingExchange,
    market: MovingMarket,
    setting: StreamLoss,
    status: OrderStatus,
) -> None:
    order = await placed(engine, Side.BUY, "100.0")
    runner = runner_for(order, engine, market, on_stream_loss=setting)
    task = await started(runner, market)

    market.move(bids=[("100.1", "2")], asks=[("100.5", "2")], stale=True)
    outcome = await asyncio.wait_for(task, 30)
    assert outcome.end is ChaseEnd.STOPPED
    assert outcome.cause is StopCause.STREAM
    assert outcome.amends == 0, "a stale touch is never followed"
    assert outcome.resting is (setting == "leave")
    assert (await engine.fetch_order(order.order_id, SYMBOL)).status is status


async def test_a_book_untrusted_for_less_than_the_grace_holds_the_chase_and_it_goes_on(
    engine: PaperTradingExchange, market: MovingMarket
) -> None:
    """A resync after a gap: the book reads stale for a moment. The chase amends nothing to
    the stale touch, and once the book is trusted again it follows the new touch."""
    order = await placed(engine, Side.BUY, "100.0")
    runner = runner_for(order, engine, market, limits=replace(LIMITS, stream_grace=30.0))
    task = await started(runner, market)

    market.move(bids=[("100.1", "2")], asks=[("100.5", "2")], stale=True)
    await wait_until(lambda: runner.state.lost_since is not None, what="the stale book seen")
    assert runner.state.amends == 0, "a stale touch is never followed"
    market.move(bids=[("100.2", "2")], asks=[("100.5", "2")])
    await wait_until(lambda: runner.state.price == D("100.2"), what="the chase following again")
    assert runner.state.lost_since is None
    assert not task.done()
    assert (await engine.fetch_order(order.order_id, SYMBOL)).price == D("100.2")
    await engine.cancel_order(order.order_id, SYMBOL)
    runner.order_news()
    outcome = await asyncio.wait_for(task, 30)
    assert outcome.end is ChaseEnd.CANCELLED


async def test_a_post_only_refusal_is_repriced_once_not_in_a_loop(
    engine: PaperTradingExchange, market: MovingMarket
) -> None:
    """A locked touch: the bid rose to the ask, so following it would take. The engine
    refuses the amend; the runner tries the new touch once more, is refused again, and
    stops, with the order left where it was."""
    order = await placed(engine, Side.BUY, "100.0")
    runner = runner_for(order, engine, market)
    task = await started(runner, market)

    market.move(bids=[("100.3", "2")], asks=[("100.3", "2")])
    outcome = await asyncio.wait_for(task, 30)
    assert outcome.end is ChaseEnd.STOPPED
    assert outcome.cause is StopCause.REJECTED
    assert outcome.amends == 0
    assert (await engine.fetch_order(order.order_id, SYMBOL)).price == D("100.0")


async def test_cancelling_the_order_ends_the_chase(
    engine: PaperTradingExchange, market: MovingMarket
) -> None:
    order = await placed(engine, Side.BUY, "100.0")
    runner = runner_for(order, engine, market)
    task = await started(runner, market)

    cancelled = await engine.cancel_order(order.order_id, SYMBOL)
    runner.order_news(cancelled)
    outcome = await asyncio.wait_for(task, 30)
    assert outcome.end is ChaseEnd.CANCELLED
    assert outcome.order == cancelled


async def test_an_order_gone_from_the_open_orders_is_read_back(
    engine: PaperTradingExchange, market: MovingMarket
) -> None:
    """The account update no longer lists the order: the runner asks the venue what became
    of it (here: cancelled elsewhere) and ends."""
    order = await placed(engine, Side.BUY, "100.0")
    runner = runner_for(order, engine, market)
    task = await started(runner, market)

    await engine.cancel_order(order.order_id, SYMBOL)
    runner.order_news()
    outcome = await asyncio.wait_for(task, 30)
    assert outcome.end is ChaseEnd.CANCELLED


async def test_an_amend_waits_until_the_limiter_has_headroom_beyond_the_reserve(
    engine: PaperTradingExchange, market: MovingMarket
) -> None:
    """Two of the amend window's three requests are used (by another order's amends): one
    left is the reserve for a cancel, so the chase's amend waits for the window to free."""
    amend = "/v5/order/amend"
    limiter = BybitRateLimiter(
        clock=SystemClock(), endpoints={amend: EndpointLimit(EndpointCategory.TRADING, 3, 2.0)}
    )

    async def elsewhere() -> None:
        """Another order's amend, counted by the limiter."""

    for _ in range(2):
        await limiter.execute(elsewhere, EndpointCategory.TRADING, amend, idempotent=False)
    assert budget_wait(limiter.get_status(), SystemClock().now(), endpoint=amend) > 0
    order = await placed(engine, Side.BUY, "100.0")
    headroom_then: list[float] = []
    runner = runner_for(
        order,
        engine,
        market,
        rate_limits=limiter.get_status,
        on_change=lambda _: headroom_then.append(
            budget_wait(limiter.get_status(), SystemClock().now(), endpoint=amend)
        ),
    )
    task = await started(runner, market)

    market.move(bids=[("100.1", "2")], asks=[("100.5", "2")])
    await wait_until(lambda: runner.state.amends == 1)
    assert headroom_then == [0.0], "the amend left only once the window had room again"
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
