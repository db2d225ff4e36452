"""ExchangeClient's live account operations against the simulator over real ccxt: positions,
leverage, moving an order (and what happens when the amend's answer is lost), own fills."""

from __future__ import annotations

from collections.abc import AsyncIterator
from decimal import Decimal

import pytest

from console.domain import OrderStatus, OrderType, Side
from console.domain.orders import OrderRequest
from console.exchange import ExchangeClient, InvalidOrder, InvalidRequest, PaperTradingUnavailable
from console.exchange.amend import AmendNotApplied
from console.sim import SimServer

from support.live_client import make_client, resting_buy

LINEAR = "BTC/USDT:USDT"


@pytest.fixture
async def client(sim: SimServer) -> AsyncIterator[ExchangeClient]:
    live = make_client(sim)
    yield live
    await live.close()


async def buy(client: ExchangeClient, quantity: str = "0.010") -> None:
    await client.create_order(
        OrderRequest(
            symbol=LINEAR, side=Side.BUY, type=OrderType.MARKET, quantity=Decimal(quantity)
        )
    )


async def test_positions_show_what_the_fill_opened() -> None:
    async with SimServer(seed=7, balances={"USDT": Decimal(1000)}) as small:
        client = make_client(small)
        try:
            (flat,) = await client.fetch_positions(LINEAR)
            assert (flat.is_flat, flat.side) == (True, None)
            await buy(client, "0.100")
            (position,) = await client.fetch_positions(LINEAR)
            everything = await client.fetch_positions()
        finally:
            await client.close()
    assert (position.symbol, position.side, position.size) == (LINEAR, Side.BUY, Decimal("0.1"))
    assert position.leverage == 10
    assert position.entry_price is not None
    assert position.liquidation_price is not None
    assert position.liquidation_price < position.entry_price
    assert position.initial_margin == pytest.approx(position.entry_price * Decimal("0.01"))
    assert [p.symbol for p in everything] == [LINEAR]


async def test_a_well_funded_cross_long_has_no_liquidation_price(client: ExchangeClient) -> None:
    await buy(client)
    (position,) = await client.fetch_positions(LINEAR)
    assert position.liquidation_price is None


async def test_set_leverage_reports_whether_it_changed(client: ExchangeClient) -> None:
    assert await client.set_leverage(LINEAR, Decimal(25)) is True
    assert await client.set_leverage(LINEAR, Decimal(25)) is False
    (position,) = await client.fetch_positions(LINEAR)
    assert position.leverage == 25
    with pytest.raises(InvalidRequest):
        await client.set_leverage("BTC/USDT", Decimal(5))


async def test_amend_moves_price_and_quantity(client: ExchangeClient) -> None:
    request = await resting_buy(client)
    order = await client.create_order(request)
    assert request.price is not None
    market = await client.market(LINEAR)
    lower = request.price - 10 * market.tick_size
    moved = await client.amend_order(order.order_id, LINEAR, price=lower)
    assert (moved.price, moved.quantity, moved.status) == (
        lower,
        request.quantity,
        OrderStatus.OPEN,
    )
    bigger = request.quantity * 2
    resized = await client.amend_order(order.order_id, LINEAR, quantity=bigger)
    assert (resized.price, resized.quantity) == (lower, bigger)
    with pytest.raises(InvalidOrder):
        await client.amend_order(order.order_id, LINEAR, quantity=bigger)
    with pytest.raises(InvalidOrder):
        await client.amend_order(order.order_id, LINEAR, price=lower + market.tick_size / 2)


async def test_an_amend_whose_answer_is_lost_is_read_back_never_resent(
    sim: SimServer, client: ExchangeClient
) -> None:
    request = await resting_buy(client)
    order = await client.create_order(request)
    assert request.price is not None
    tick = (await client.market(LINEAR)).tick_size
    sim.faults.drop_response(1, path="/v5/order/amend")
    applied = await client.amend_order(order.order_id, LINEAR, price=request.price - tick)
    assert applied.price == request.price - tick
    sim.faults.reset(1, path="/v5/order/amend")
    with pytest.raises(AmendNotApplied):
        await client.amend_order(order.order_id, LINEAR, price=request.price - 2 * tick)
    unchanged = await client.fetch_order(order.order_id, LINEAR)
    assert unchanged.price == request.price - tick  # a blind resend would have moved it


async def test_fills_are_the_simulators_executions(sim: SimServer, client: ExchangeClient) -> None:
    await buy(client)
    await buy(client, "0.020")
    fills = await client.fetch_fills()
    account = sim.context.engine.account("1000001")
    assert {f.fill_id for f in fills} == {e.exec_id for e in account.executions}
    assert sum(f.size for f in fills) == Decimal("0.03")
    assert all(f.symbol == LINEAR for f in fills)


async def test_paper_mode_has_no_venue_positions(sim: SimServer) -> None:
    paper = make_client(sim, mode="paper")
    try:
        with pytest.raises(PaperTradingUnavailable):
            await paper.fetch_positions(LINEAR)
    finally:
        await paper.close()
