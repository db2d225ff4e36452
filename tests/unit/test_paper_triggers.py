"""The paper engine's conditional orders on scripted books: what the shared scenarios with
the simulator (tests/integration/test_trigger_parity.py) do not cover."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from console.domain import (
    ManualClock,
    OrderRequest,
    OrderStatus,
    OrderType,
    Side,
    TriggerSource,
)
from console.paper import Ledger, PaperOrderNotFound, PaperOrderRejected, PaperTradingExchange

from support.scripted_market import LINEAR, MARKETS, ScriptedMarket

D = Decimal
SYMBOL = LINEAR.symbol


@pytest.fixture
def market() -> ScriptedMarket:
    scripted = ScriptedMarket()
    scripted.set_book(SYMBOL, bids=[("99.9", "5")], asks=[("100.1", "5")])
    return scripted


@pytest.fixture
def engine(tmp_path: Path, market: ScriptedMarket) -> PaperTradingExchange:
    return PaperTradingExchange(
        MARKETS,
        market,
        Ledger(tmp_path / "ledger.sqlite3"),
        clock=ManualClock(),
        starting_balances={"USDT": D(10_000)},
    )


def order(side: Side = Side.BUY, quantity: str = "1", **fields: object) -> OrderRequest:
    base: dict[str, object] = {
        "symbol": SYMBOL,
        "side": side,
        "type": OrderType.MARKET,
        "quantity": D(quantity),
    }
    return OrderRequest.model_validate(base | fields)


def move(engine: PaperTradingExchange, market: ScriptedMarket, mid: str) -> None:
    price = D(mid)
    market.set_book(SYMBOL, bids=[(price - D("0.1"), "5")], asks=[(price + D("0.1"), "5")])
    engine.on_book_update(SYMBOL)


async def test_a_stop_limit_rests_once_the_mark_reaches_it(
    engine: PaperTradingExchange, market: ScriptedMarket
) -> None:
    placed = engine.place(
        order(
            type=OrderType.LIMIT,
            price=D("101"),
            trigger_price=D("101.5"),
            trigger_by=TriggerSource.MARK,
        )
    )
    assert [o.order_id for o in await engine.fetch_open_orders(SYMBOL)] == [placed.order_id]
    move(engine, market, "102")  # the mark passes 101.5; the ask (102.1) is above the limit
    fired = await engine.fetch_order(placed.order_id, SYMBOL)
    assert (fired.status, fired.triggered, fired.price, fired.filled) == (
        OrderStatus.OPEN,
        True,
        D("101"),
        D(0),
    )
    (resting,) = await engine.fetch_open_orders(SYMBOL)
    assert (resting.price, resting.trigger_price) == (D("101"), None)


async def test_a_waiting_order_is_cancelled_and_cannot_be_cancelled_twice(
    engine: PaperTradingExchange, market: ScriptedMarket
) -> None:
    placed = engine.place(order(trigger_price=D(102), client_order_id="stop-1"))
    with pytest.raises(PaperOrderRejected, match="already used"):
        engine.place(order(trigger_price=D(103), client_order_id="stop-1"))
    cancelled = engine.cancel(placed.order_id, SYMBOL)
    assert (cancelled.status, cancelled.reason) == (OrderStatus.CANCELED, "cancelled by the trader")
    with pytest.raises(PaperOrderRejected, match="no longer open"):
        engine.cancel(placed.order_id, SYMBOL)
    with pytest.raises(PaperOrderNotFound):
        await engine.fetch_order(placed.order_id, "ETH/USDT:USDT")
    move(engine, market, "103")
    assert (await engine.fetch_order(placed.order_id, SYMBOL)).status is OrderStatus.CANCELED


async def test_a_triggered_order_the_account_cannot_pay_is_rejected(
    engine: PaperTradingExchange, market: ScriptedMarket
) -> None:
    placed = engine.place(
        order(quantity="1000", type=OrderType.LIMIT, price=D(101), trigger_price=D(101))
    )
    move(engine, market, "101.5")
    refused = await engine.fetch_order(placed.order_id, SYMBOL)
    assert refused.status is OrderStatus.REJECTED
    assert refused.reason is not None
    assert refused.reason.startswith("triggered, then refused")


async def test_trading_stop_partial_and_its_refusals(
    engine: PaperTradingExchange, market: ScriptedMarket
) -> None:
    stop = engine.set_trading_stop
    with pytest.raises(PaperOrderRejected, match="position to protect"):
        await stop(
            SYMBOL, take_profit=D(105), stop_loss=None, trigger_by=TriggerSource.LAST, size=None
        )
    engine.place(order(quantity="2"))
    with pytest.raises(PaperOrderRejected, match="take-profit of a long at 99 must be above"):
        await stop(
            SYMBOL, take_profit=D(99), stop_loss=None, trigger_by=TriggerSource.MARK, size=None
        )
    await stop(
        SYMBOL, take_profit=D(105), stop_loss=D(95), trigger_by=TriggerSource.MARK, size=D(1)
    )
    await stop(SYMBOL, take_profit=D(106), stop_loss=None, trigger_by=TriggerSource.MARK, size=None)
    waiting = sorted((o.trigger_price, o.quantity) for o in await engine.fetch_open_orders(SYMBOL))
    assert waiting == [(D(95), D(1)), (D(105), D(1)), (D(106), D(2))]
    await stop(SYMBOL, take_profit=D(0), stop_loss=None, trigger_by=TriggerSource.MARK, size=None)
    assert len(await engine.fetch_open_orders(SYMBOL)) == 2
    move(engine, market, "105.5")  # the partial take-profit sells 1 of 2
    assert [p.size for p in engine.positions() if p.symbol == SYMBOL] == [D(1)]
    (left,) = await engine.fetch_open_orders(SYMBOL)
    assert left.trigger_price == D(95)
    engine.place(order(Side.SELL, "1", reduce_only=True))
    assert await engine.fetch_open_orders(SYMBOL) == []


async def test_a_new_session_forgets_the_waiting_orders(
    engine: PaperTradingExchange,
) -> None:
    engine.place(order(trigger_price=D(102)))
    engine.start_session("again")
    assert await engine.fetch_open_orders(SYMBOL) == []


async def test_a_waiting_trigger_moves_but_not_to_the_wrong_side(
    engine: PaperTradingExchange, market: ScriptedMarket
) -> None:
    placed = engine.place(order(trigger_price=D(102)))
    moved = engine.triggers.amend(placed.order_id, SYMBOL, trigger_price=D(103))
    assert moved.trigger_price == D(103)
    with pytest.raises(PaperOrderRejected, match="rising trigger at 99 must be above"):
        engine.triggers.amend(placed.order_id, SYMBOL, trigger_price=D(99))
    with pytest.raises(PaperOrderRejected, match="no price to move"):
        engine.triggers.amend(placed.order_id, SYMBOL, price=D(101))
    move(engine, market, "102.5")
    assert (await engine.fetch_order(placed.order_id, SYMBOL)).triggered is False
    move(engine, market, "103")
    assert (await engine.fetch_order(placed.order_id, SYMBOL)).status is OrderStatus.FILLED


async def test_tpsl_of_a_resting_limit_are_set_when_it_fills(
    engine: PaperTradingExchange, market: ScriptedMarket
) -> None:
    placed = engine.place(
        order(type=OrderType.LIMIT, price=D("99.9"), take_profit=D(105), stop_loss=D(95))
    )
    assert [o.order_id for o in await engine.fetch_open_orders(SYMBOL)] == [placed.order_id]
    engine.on_trades(SYMBOL, [market.trade(SYMBOL, "99.8", "10", Side.SELL)])  # trades through
    assert (await engine.fetch_order(placed.order_id, SYMBOL)).status is OrderStatus.FILLED
    protecting = sorted(
        (o.trigger_price, o.quantity, o.side) for o in await engine.fetch_open_orders(SYMBOL)
    )
    assert protecting == [(D(95), D(1), Side.SELL), (D(105), D(1), Side.SELL)]


async def test_the_engines_amend_moves_a_waiting_trigger_and_checks_its_tick(
    engine: PaperTradingExchange,
) -> None:
    placed = engine.place(order(trigger_price=D(102)))
    moved = await engine.amend_order(placed.order_id, SYMBOL, trigger_price=D("102.5"))
    assert (moved.order_id, moved.trigger_price) == (placed.order_id, D("102.5"))
    with pytest.raises(PaperOrderRejected, match="not a multiple of the tick size"):
        await engine.amend_order(placed.order_id, SYMBOL, trigger_price=D("102.55"))
    resting = engine.place(order(type=OrderType.LIMIT, price=D(99)))
    with pytest.raises(PaperOrderRejected, match="has no trigger waiting"):
        await engine.amend_order(resting.order_id, SYMBOL, trigger_price=D(98))


async def test_the_positions_whole_tp_and_sl_are_reported_on_it(
    engine: PaperTradingExchange,
) -> None:
    engine.place(order(quantity="2"))
    await engine.set_trading_stop(
        SYMBOL, take_profit=D(110), stop_loss=D(90), trigger_by=TriggerSource.LAST, size=None
    )
    await engine.set_trading_stop(
        SYMBOL, take_profit=D(120), stop_loss=None, trigger_by=TriggerSource.LAST, size=D(1)
    )
    (position,) = engine.venue_positions()
    assert (position.take_profit, position.stop_loss) == (D(110), D(90)), "partial ones aside"
