"""The composition root in live mode on venue sim starts the private stream, and says whether
the account view is on the stream or must fall back to REST polling."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from console.config import load_settings
from console.domain import OrderRequest, OrderType, Side
from console.services import Services
from console.sim.trading_desks import private_ws_hub

from support.waiting import wait_until

LINEAR = "BTC/USDT:USDT"


async def test_live_mode_streams_the_account_and_falls_back_when_down(tmp_path: Path) -> None:
    settings = load_settings(
        {"venue": "sim", "mode": "live", "data_dir": tmp_path},
        environ={"BREAKOUT_STREAM__RECONNECT_BASE_DELAY": "0.5"},
        dotenv_path=None,
    )
    async with Services(settings) as services:
        stream = services.private_stream
        assert stream is not None
        await wait_until(lambda: services.account_streaming)
        assert services.account_source == "private stream"
        order = await services.client.create_order(
            OrderRequest(symbol=LINEAR, side=Side.BUY, type=OrderType.MARKET,
                         quantity=Decimal("0.010"))
        )  # fmt: skip
        await wait_until(
            lambda: any(f.order_id == order.order_id for f in stream.view.fills.values())
        )
        assert services.sim is not None
        for connection in private_ws_hub(services.sim.app).connections:
            connection.drop()
        await wait_until(lambda: not services.account_streaming)
        assert services.account_source == "REST polling"
        await wait_until(lambda: services.account_streaming)
        (position,) = stream.view.open_positions()
        assert (position.symbol, position.size) == (LINEAR, Decimal("0.01"))


async def test_paper_mode_has_no_private_stream(tmp_path: Path) -> None:
    settings = load_settings(
        {"venue": "sim", "mode": "paper", "data_dir": tmp_path}, environ={}, dotenv_path=None
    )
    async with Services(settings) as services:
        assert services.private_stream is None
        assert (services.account_streaming, services.account_source) == (False, "paper engine")
