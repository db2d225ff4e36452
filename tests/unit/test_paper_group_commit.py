"""Group commit: the paper steps of one event-loop turn share one ledger commit (one fsync),
and nothing is acknowledged before it: an awaited order returns, and a fill listener hears,
only once another connection to the ledger file can read what it acknowledges."""

from __future__ import annotations

import asyncio
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest

from console.domain import ManualClock, Order, OrderRequest, OrderType, Side
from console.paper import Ledger, PaperFill, PaperTradingExchange

from support.scripted_market import MARKETS, SPOT, ScriptedMarket
from support.waiting import wait_until

D = Decimal


@pytest.fixture
def market() -> ScriptedMarket:
    scripted = ScriptedMarket()
    scripted.set_book(SPOT.symbol, bids=[("99.9", "3"), ("99.8", "2")], asks=[("100", "1")])
    return scripted


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "ledger.sqlite3"


@pytest.fixture
def engine(path: Path, market: ScriptedMarket) -> PaperTradingExchange:
    return PaperTradingExchange(
        MARKETS,
        market,
        Ledger(path),
        clock=ManualClock(),
        starting_balances={"USDT": D(10_000), "BTC": D(5)},
        group_commit=True,
    )


def buy(price: str, qty: str = "0.1") -> OrderRequest:
    return OrderRequest(
        symbol=SPOT.symbol, side=Side.BUY, type=OrderType.LIMIT, quantity=D(qty), price=D(price)
    )


def committed_orders(path: Path) -> dict[str, str]:
    """order id -> status, as another process reading the file sees it (committed only)."""
    with sqlite3.connect(path) as reader:
        return dict(reader.execute("SELECT order_id, status FROM orders").fetchall())


def committed_fills(path: Path) -> set[str]:
    with sqlite3.connect(path) as reader:
        return {row[0] for row in reader.execute("SELECT fill_id FROM fills")}


async def one_turn() -> None:
    """Yield once: a task created just before runs its first step (and stages its order),
    and this test resumes before the turn's commit, which was scheduled after it."""
    await asyncio.sleep(0)


def staging(engine: PaperTradingExchange) -> bool:
    """Steps wait in the ledger's open group, not yet committed."""
    assert engine.ledger is not None
    return engine.ledger.staging


def count_commits(engine: PaperTradingExchange) -> list[str]:
    """The COMMIT statements the engine's ledger connection runs from now on."""
    commits: list[str] = []
    assert engine.ledger is not None
    engine.ledger._db.set_trace_callback(
        lambda sql: commits.append(sql) if sql == "COMMIT" else None
    )
    return commits


async def test_orders_of_one_turn_share_one_commit_and_return_after_it(
    engine: PaperTradingExchange, path: Path
) -> None:
    commits = count_commits(engine)

    async def place_and_look(request: OrderRequest) -> tuple[Order, str | None]:
        order = await engine.create_order(request)
        return order, committed_orders(path).get(order.order_id)

    results = await asyncio.gather(*(place_and_look(buy("99")) for _ in range(10)))

    assert len(commits) == 1, "ten orders placed in one loop turn, one commit"
    for order, seen_by_reader in results:
        assert seen_by_reader == order.status.value == "open"

    cancels = await asyncio.gather(
        *(engine.cancel_order(order.order_id, SPOT.symbol) for order, _ in results)
    )
    assert len(commits) == 2
    assert set(committed_orders(path).values()) == {"canceled"}
    assert [order.status.value for order in cancels] == ["canceled"] * 10


async def test_a_market_event_fill_is_heard_only_after_its_commit(
    engine: PaperTradingExchange, market: ScriptedMarket, path: Path
) -> None:
    resting = engine.place(buy("99.9", "1"))  # 3 ahead of it at 99.9
    heard: list[tuple[str, bool]] = []

    def listener(paper: PaperFill) -> None:
        heard.append((paper.fill.fill_id, paper.fill.fill_id in committed_fills(path)))

    engine.add_fill_listener(listener)
    engine.on_trades(SPOT.symbol, [market.trade(SPOT.symbol, "99.9", "4", Side.SELL)])

    assert heard == [], "staged, not acknowledged: the turn's commit has not run yet"
    assert committed_fills(path) == set()
    await wait_until(lambda: heard, what="the fill acknowledged")
    assert len(heard) == 1
    _, committed_when_heard = heard[0]
    assert committed_when_heard, "the listener heard of a fill another reader could not see"
    order = await engine.fetch_order(resting.order_id, SPOT.symbol)
    assert order.status.value == "filled"


async def test_a_failed_step_rolls_back_its_whole_turn_and_acknowledges_none_of_it(
    engine: PaperTradingExchange, market: ScriptedMarket, path: Path
) -> None:
    resting = engine.place(buy("99.9", "1"))  # committed at once: a synchronous place
    with sqlite3.connect(path) as admin:  # the disk refuses fills from now on
        admin.execute(
            "CREATE TRIGGER refuse_fills BEFORE INSERT ON fills"
            " BEGIN SELECT RAISE(ABORT, 'no room for fills'); END"
        )
    heard: list[PaperFill] = []
    engine.add_fill_listener(heard.append)

    placing = asyncio.create_task(engine.create_order(buy("99")))
    await one_turn()
    assert staging(engine)
    with pytest.raises(sqlite3.IntegrityError, match="no room for fills"):
        engine.on_trades(SPOT.symbol, [market.trade(SPOT.symbol, "99.8", "2", Side.SELL)])
    with pytest.raises(sqlite3.IntegrityError, match="no room for fills"):
        await placing

    assert heard == []
    assert committed_orders(path) == {resting.order_id: "open"}
    open_orders = await engine.fetch_open_orders()
    assert [order.order_id for order in open_orders] == [resting.order_id]
    assert not staging(engine)


async def test_a_synchronous_place_commits_what_the_turn_staged_before_it(
    engine: PaperTradingExchange, path: Path
) -> None:
    commits = count_commits(engine)
    placing = asyncio.create_task(engine.create_order(buy("99")))
    await one_turn()
    assert staging(engine)
    assert committed_orders(path) == {}

    direct = engine.place(buy("98"))

    assert len(commits) == 1
    staged = await placing
    assert committed_orders(path) == {staged.order_id: "open", direct.order_id: "open"}
    assert len(commits) == 1, "the awaited order was already durable: no second commit"


def test_outside_an_event_loop_every_step_commits_before_it_returns(
    engine: PaperTradingExchange, market: ScriptedMarket, path: Path
) -> None:
    resting = engine.place(buy("99.9", "1"))
    heard: list[str] = []
    engine.add_fill_listener(lambda paper: heard.append(paper.fill.fill_id))

    engine.on_trades(SPOT.symbol, [market.trade(SPOT.symbol, "99.9", "4", Side.SELL)])

    assert heard
    assert set(heard) <= committed_fills(path)
    assert committed_orders(path) == {resting.order_id: "filled"}
