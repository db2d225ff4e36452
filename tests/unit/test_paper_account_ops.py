"""The paper engine's live-account operations (issue 13): amend with Bybit's queue rule,
per-symbol leverage, positions with margin and liquidation price, and liquidation itself."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from console.domain import ManualClock, OrderRequest, OrderStatus, OrderType, Side
from console.paper import Ledger, PaperOrderRejected, PaperTradingExchange
from console.paper.positions_risk import liquidation_price

from support.scripted_market import LINEAR, MARKETS, SPOT, ScriptedMarket

D = Decimal


@pytest.fixture
def market() -> ScriptedMarket:
    scripted = ScriptedMarket()
    for symbol in (SPOT.symbol, LINEAR.symbol):
        scripted.set_book(
            symbol,
            bids=[("99.9", "3"), ("99.8", "2"), ("99.7", "4")],
            asks=[("100", "1"), ("100.5", "2"), ("101", "5")],
        )
    return scripted


@pytest.fixture
def engine(tmp_path: Path, market: ScriptedMarket) -> PaperTradingExchange:
    return PaperTradingExchange(
        MARKETS,
        market,
        Ledger(tmp_path / "ledger.sqlite3"),
        clock=ManualClock(),
        starting_balances={"USDT": D(10_000), "BTC": D(5)},
    )


def limit(side: Side, price: str, qty: str, symbol: str = SPOT.symbol) -> OrderRequest:
    return OrderRequest(
        symbol=symbol, side=side, type=OrderType.LIMIT, quantity=D(qty), price=D(price)
    )


async def test_a_smaller_quantity_keeps_the_queue_place_a_new_price_loses_it(
    engine: PaperTradingExchange, market: ScriptedMarket
) -> None:
    first = engine.place(limit(Side.BUY, "99.9", "2"))
    second = engine.place(limit(Side.BUY, "99.9", "1"))
    assert engine.queue_ahead(first.order_id) == D("3")
    assert engine.queue_ahead(second.order_id) == D("5"), "behind the book and our first"
    engine.on_trades(SPOT.symbol, [market.trade(SPOT.symbol, "99.9", "2", Side.SELL)])
    assert engine.queue_ahead(first.order_id) == D("1")

    smaller = await engine.amend_order(first.order_id, SPOT.symbol, quantity=D("1.5"))
    assert (smaller.quantity, smaller.price) == (D("1.5"), D("99.9"))
    assert engine.queue_ahead(first.order_id) == D("1"), "a smaller size keeps its place"

    moved = await engine.amend_order(first.order_id, SPOT.symbol, price=D("99.8"))
    assert moved.price == D("99.8")
    assert engine.queue_ahead(first.order_id) == D("2"), "the back of the 99.8 level"

    back = await engine.amend_order(first.order_id, SPOT.symbol, price=D("99.9"))
    assert back.price == D("99.9")
    assert engine.queue_ahead(first.order_id) == D("3") + D("1"), "now behind our second"

    bigger = await engine.amend_order(second.order_id, SPOT.symbol, quantity=D("2"))
    assert bigger.quantity == D("2")
    assert engine.queue_ahead(second.order_id) == D("3") + D("1.5"), "a bigger size re-queues"
    assert engine.ledger is not None
    stored = engine.ledger.order(engine.session_id, first.order_id)
    assert stored is not None
    assert (stored.price, stored.quantity) == (D("99.9"), D("1.5"))


async def test_amend_refusals_say_why(engine: PaperTradingExchange) -> None:
    order = engine.place(limit(Side.BUY, "99.8", "1"))
    with pytest.raises(PaperOrderRejected, match="would cross the best ask 100"):
        await engine.amend_order(order.order_id, SPOT.symbol, price=D("100"))
    with pytest.raises(PaperOrderRejected, match="nothing to amend"):
        await engine.amend_order(order.order_id, SPOT.symbol)
    with pytest.raises(PaperOrderRejected, match="tick size"):
        await engine.amend_order(order.order_id, SPOT.symbol, price=D("99.85"))
    with pytest.raises(PaperOrderRejected, match="insufficient USDT"):
        await engine.amend_order(order.order_id, SPOT.symbol, quantity=D("500"))
    engine.cancel(order.order_id, SPOT.symbol)
    with pytest.raises(PaperOrderRejected, match="not a resting limit order"):
        await engine.amend_order(order.order_id, SPOT.symbol, price=D("99.7"))
    kept = engine._orders[order.order_id].snapshot()
    assert (kept.status, kept.price, kept.quantity) == (OrderStatus.CANCELED, D("99.8"), D("1"))


async def test_leverage_per_symbol_sets_margin_and_the_liquidation_price(
    engine: PaperTradingExchange,
) -> None:
    engine.place(
        OrderRequest(symbol=LINEAR.symbol, side=Side.BUY, type=OrderType.MARKET, quantity=D("1"))
    )
    (position,) = [p for p in engine.venue_positions() if p.symbol == LINEAR.symbol]
    assert (position.side, position.size, position.entry_price) == (Side.BUY, D(1), D(100))
    assert position.leverage == D(10)
    assert position.initial_margin == D(10)
    assert position.liquidation_price == D("90.5"), "100 x (1 - 1/10 + 0.005)"

    assert await engine.set_leverage(LINEAR.symbol, D(20)) is True
    assert await engine.set_leverage(LINEAR.symbol, D(20)) is False, "unchanged, as 110043"
    (position,) = [p for p in engine.venue_positions() if p.symbol == LINEAR.symbol]
    assert (position.leverage, position.initial_margin) == (D(20), D(5))
    assert position.liquidation_price == D("95.5")
    assert engine.leverage(SPOT.symbol) == D(10), "other symbols keep the session's"
    with pytest.raises(PaperOrderRejected, match="not a linear contract"):
        await engine.set_leverage(SPOT.symbol, D(5))
    with pytest.raises(PaperOrderRejected, match="at least 1"):
        await engine.set_leverage(LINEAR.symbol, D("0.5"))


def test_liquidation_price_short_side() -> None:
    assert liquidation_price(Side.SELL, D(100), D(10)) == D("109.5")
    assert liquidation_price(Side.BUY, D(100), D(1), D("0")) is None


async def test_a_mark_through_the_liquidation_price_closes_the_position(
    engine: PaperTradingExchange, market: ScriptedMarket
) -> None:
    await engine.set_leverage(LINEAR.symbol, D(50))
    engine.place(
        OrderRequest(symbol=LINEAR.symbol, side=Side.BUY, type=OrderType.MARKET, quantity=D("1"))
    )
    (position,) = [p for p in engine.venue_positions() if p.symbol == LINEAR.symbol]
    assert position.liquidation_price == D("98.5")
    market.set_book(LINEAR.symbol, bids=[("98.9", "5")], asks=[("99", "5")])
    engine.on_book_update(LINEAR.symbol)
    assert engine._accounts.position_size(LINEAR.symbol) == D(1), "mark 98.95: still above"
    market.set_book(LINEAR.symbol, bids=[("98.4", "5")], asks=[("98.5", "5")])
    engine.on_book_update(LINEAR.symbol)
    assert engine._accounts.position_size(LINEAR.symbol) == D(0), "liquidated at the book"
    last = engine.fills()[-1].fill
    assert (last.side, last.price, last.size) == (Side.SELL, D("98.4"), D(1))


async def test_a_moved_order_keeps_its_new_place_when_the_book_moves(
    engine: PaperTradingExchange, market: ScriptedMarket
) -> None:
    """Resting orders are kept in priority order between market events: an order moved away
    and back must be found behind our order that stayed, when the next book recounts."""
    first = engine.place(limit(Side.BUY, "99.9", "1"))
    second = engine.place(limit(Side.BUY, "99.9", "1"))
    await engine.amend_order(first.order_id, SPOT.symbol, price=D("99.8"))
    await engine.amend_order(first.order_id, SPOT.symbol, price=D("99.9"))
    market.set_book(SPOT.symbol, bids=[("99.9", "3"), ("99.8", "2")], asks=[("100", "1")])
    engine.on_book_update(SPOT.symbol)
    assert engine.queue_ahead(second.order_id) == D("3")
    assert engine.queue_ahead(first.order_id) == D("3") + D("1"), "behind our second"
