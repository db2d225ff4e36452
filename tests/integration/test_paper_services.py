"""Paper mode through the composition root: client -> paper engine, fed by the streamer."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from console.config import Settings
from console.domain import OrderRequest, OrderStatus, OrderType, Side
from console.exchange.errors import InsufficientFunds, OrderNotFound
from console.paper import LEDGER_FILE, Ledger
from console.services import Services

from support.waiting import wait_until

SYMBOL = "BTC/USDT:USDT"


async def test_paper_orders_fill_on_the_sim_book_and_land_in_the_ledger(tmp_path: Path) -> None:
    async with Services(Settings(data_dir=tmp_path)) as services:
        assert services.paper is not None
        assert services.streamer is not None
        market = await services.client.market(SYMBOL)
        services.streamer.ensure_symbol(SYMBOL)
        streamer = services.streamer

        def live_book() -> bool:
            book = streamer.get_depth_snapshot(SYMBOL)
            return book is not None and not book.stale and book.best_ask is not None

        await wait_until(live_book, timeout=5, what="a live book from the simulator")
        book = streamer.get_depth_snapshot(SYMBOL)
        assert book is not None

        order = await services.client.create_order(
            OrderRequest(
                symbol=SYMBOL, side=Side.BUY, type=OrderType.MARKET, quantity=market.min_qty
            )
        )
        assert order.status is OrderStatus.FILLED
        assert order.order_id.startswith(f"P{services.paper.session_id}-")
        assert book.best_bid is not None
        far_below = market.round_price(book.best_bid.price * Decimal("0.98"))  # risk band: 5 %
        resting = await services.client.create_order(
            OrderRequest(
                symbol=SYMBOL,
                side=Side.BUY,
                type=OrderType.LIMIT,
                quantity=market.min_qty,
                price=far_below,
            )
        )
        assert [o.order_id for o in await services.client.fetch_open_orders(SYMBOL)] == [
            resting.order_id
        ]
        usdt = {b.currency: b for b in await services.client.fetch_balance()}["USDT"]
        assert usdt.total == Decimal(10_000) - order.fee
        assert usdt.used > 0
        session = services.paper.session_id

    ledger = Ledger(tmp_path / LEDGER_FILE)
    ledger.verify(session)
    assert {o.order_id for o in ledger.orders(session)} == {order.order_id, resting.order_id}


async def test_paper_refusals_reach_the_caller_in_the_exchange_taxonomy(tmp_path: Path) -> None:
    """The paper engine's own refusals arrive as the same error types live mode raises."""
    async with Services(Settings(data_dir=tmp_path)) as services:
        assert services.streamer is not None
        market = await services.client.market(SYMBOL)
        services.streamer.ensure_symbol(SYMBOL)
        streamer = services.streamer

        def live_book() -> bool:
            book = streamer.get_depth_snapshot(SYMBOL)
            return book is not None and not book.stale

        await wait_until(live_book, timeout=5, what="a live book from the simulator")
        book = streamer.get_depth_snapshot(SYMBOL)
        assert book is not None
        assert book.best_bid is not None
        price = market.round_price(book.best_bid.price)
        # 10x leverage: 90,000 USDT of notional needs 9,000 margin, so two such orders need
        # more than the session's 10,000 USDT (and each stays under the risk gate's cap).
        size = market.floor_qty(Decimal(90_000) / price)
        order = OrderRequest(
            symbol=SYMBOL, side=Side.BUY, type=OrderType.LIMIT, quantity=size, price=price
        )
        await services.client.create_order(order)
        with pytest.raises(InsufficientFunds) as caught:
            await services.client.create_order(order)
        assert "USDT" in str(caught.value)
        with pytest.raises(OrderNotFound):
            await services.client.cancel_order("P999-no-such-order", SYMBOL)
