"""The composition root in live mode on venue sim: start-up reconciliation before order
entry, every order journaled, the risk gate before signing, the kill switch; and the same
gate in paper mode."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from console.config import load_settings
from console.domain import OrderRequest, OrderStatus, OrderType, Side
from console.exchange.journal import JournalState
from console.exchange.risk import RiskRejected, RiskRule, kill
from console.services import Services

LINEAR = "BTC/USDT:USDT"


async def resting(services: Services, quantity: str = "0.001") -> OrderRequest:
    market = await services.client.market(LINEAR)
    ticker = await services.client.fetch_ticker(LINEAR)
    assert ticker.bid is not None
    return OrderRequest(
        symbol=LINEAR,
        side=Side.BUY,
        type=OrderType.LIMIT,
        quantity=Decimal(quantity),
        price=market.round_price(ticker.bid * Decimal("0.97")),
    )


async def test_live_mode_reconciles_journals_gates_and_kills(tmp_path: Path) -> None:
    settings = load_settings(
        {"venue": "sim", "mode": "live", "data_dir": tmp_path},
        environ={"BREAKOUT_RISK__MAX_ORDER_NOTIONAL": "1000"},
        dotenv_path=None,
    )
    async with Services(settings) as services:
        assert services.reconciliation is not None
        assert services.reconciliation.clean
        assert services.order_safety is not None
        journal = services.order_safety.journal

        order = await services.client.create_order(await resting(services))
        assert order.client_order_id is not None
        entry = journal.get(order.client_order_id)
        assert entry is not None
        assert entry.state is JournalState.CONFIRMED
        assert entry.order_id == order.order_id

        rows_before = len(journal.entries())
        with pytest.raises(RiskRejected) as refused:
            await services.client.create_order(await resting(services, "1"))
        assert refused.value.rule is RiskRule.MAX_NOTIONAL
        assert len(journal.entries()) == rows_before  # refused before anything was written

        cancelled = await kill(services.risk, services.client, "test")
        assert [o.status for o in cancelled] == [OrderStatus.CANCELED]
        with pytest.raises(RiskRejected) as blocked:
            await services.client.create_order(await resting(services))
        assert blocked.value.rule is RiskRule.KILL_SWITCH
        assert await services.client.fetch_open_orders(LINEAR) == []


async def test_paper_mode_passes_the_same_gate(tmp_path: Path) -> None:
    settings = load_settings(
        {"venue": "sim", "mode": "paper", "data_dir": tmp_path},
        environ={"BREAKOUT_RISK__PRICE_BAND_PCT": "1"},
        dotenv_path=None,
    )
    async with Services(settings) as services:
        assert services.order_safety is None
        with pytest.raises(RiskRejected) as refused:
            await services.client.create_order(await resting(services))  # 3 % under mid
        assert refused.value.rule is RiskRule.PRICE_BAND
        assert "from mid" in str(refused.value)


async def test_lookup_by_client_id_finds_open_and_closed_orders_and_misses_unknown_ones(
    tmp_path: Path,
) -> None:
    settings = load_settings(
        {"venue": "sim", "mode": "live", "data_dir": tmp_path}, environ={}, dotenv_path=None
    )
    async with Services(settings) as services:
        assert services.order_safety is not None
        venue = services.order_safety.venue
        assert venue is not None
        order = await services.client.create_order(await resting(services))
        assert order.client_order_id is not None
        lookup = venue.reconciler.lookup
        found = await lookup.find_by_client_id(order.client_order_id, LINEAR)
        assert found is not None
        assert (found.order_id, found.status) == (order.order_id, OrderStatus.OPEN)

        await services.client.cancel_order(order.order_id, LINEAR)
        closed = await lookup.find_by_client_id(order.client_order_id, LINEAR)
        assert closed is not None
        assert closed.status is OrderStatus.CANCELED
        assert await lookup.find_by_client_id(services.order_safety.ids(), LINEAR) is None
