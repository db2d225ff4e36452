"""Flatten headless, on the composition root in live mode against the simulator: a close
whose answer the venue drops is looked up by its client order id (it executed), reported
with the order found, and never sent a second time; the kill switch blocks new orders and
lets the closes through."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from console.config import load_settings
from console.domain import OrderRequest, OrderType, Side
from console.exchange.flatten import StepResult, flatten
from console.exchange.risk import RiskRejected, RiskRule
from console.services import Services
from console.sim.server import SIM_UID

from support.live_console import fill_outside_the_console

LINEAR = "BTC/USDT:USDT"


async def test_a_close_whose_answer_is_lost_is_found_not_sent_again(tmp_path: Path) -> None:
    settings = load_settings(
        {"venue": "sim", "mode": "live", "data_dir": tmp_path}, environ={}, dotenv_path=None
    )
    async with Services(settings) as services:
        sim = services.sim
        assert sim is not None
        fill_outside_the_console(sim, "0.030")
        account = sim.context.engine.account(SIM_UID)
        assert account.position("BTCUSDT").size == Decimal("0.03")
        creates = sim.context.requests["/v5/order/create"]
        sim.faults.drop_response(1)

        report = await flatten(services.risk, services.client, services.client.fetch_positions)

        (step,) = report.steps
        assert (step.action, step.result) == ("close", StepResult.DONE)
        assert step.subject == f"long 0.03 {LINEAR}"
        assert report.remaining == ()
        assert account.position("BTCUSDT").size == 0
        assert sim.context.requests["/v5/order/create"] == creates + 1, "sent once"
        assert services.risk.killed
        market = await services.client.market(LINEAR)
        with pytest.raises(RiskRejected) as blocked:
            await services.client.create_order(
                OrderRequest(
                    symbol=LINEAR, side=Side.BUY, type=OrderType.MARKET, quantity=market.min_qty
                )
            )
        assert blocked.value.rule is RiskRule.KILL_SWITCH
