"""The simulator makes its trading side (engine, margin desk, private stream) at the first
request that needs an account: serving only the public side, it has not imported it
(``bench/ui_startup.py``: the console's first ladder waits for the simulator's imports), and
the first signed request, by a third-party client, finds the account as a server that made
it at start would. The request models of the trading routes are built at their first use
too (pydantic's ``defer_build``)."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal

TRADING_SIDE = (
    "console.sim.trading",
    "console.sim.margin",
    "console.sim.ws_private",
    "console.sim.order_admission",
    "console.sim.tpsl",
)

SCRIPT = f"""
import asyncio, json, sys
import aiohttp
import ccxt.async_support as ccxt
from console.sim import SimServer, params

TRADING_SIDE = {TRADING_SIDE!r}


def loaded():
    return [name for name in TRADING_SIDE if name in sys.modules]


async def main():
    report = {{}}
    async with SimServer(seed=11) as sim, aiohttp.ClientSession() as session:
        for path in (
            "/v5/market/instruments-info?category=linear",
            "/v5/market/orderbook?category=linear&symbol=BTCUSDT",
            "/v5/market/kline?category=linear&symbol=BTCUSDT&interval=1",
        ):
            async with session.get(sim.base_url + path) as response:
                assert (await response.json())["retCode"] == 0, path
        async with session.ws_connect(sim.ws_url + "/v5/public/linear") as ws:
            await ws.send_json({{"op": "subscribe", "args": ["orderbook.50.BTCUSDT"]}})
            while "topic" not in (frame := await ws.receive_json(timeout=10)):
                pass
            report["public_topic"] = frame["topic"]
        report["after_public"] = loaded()
        report["made_after_public"] = sim.context.desks.made
        report["order_params_built"] = params.CreateOrderParams.__pydantic_complete__
        bybit = ccxt.bybit({{
            "apiKey": sim.api_key,
            "secret": sim.api_secret,
            "enableRateLimit": False,
            "has": {{"fetchCurrencies": False}},
            "urls": {{"api": dict.fromkeys(
                ("public", "private", "spot", "futures", "v2"), sim.base_url
            )}},
            "options": {{
                "enableUnifiedAccount": True,
                "enableUnifiedMargin": False,
                "fetchMarkets": {{"types": ["spot", "linear"]}},
            }},
        }})
        try:
            balance = await bybit.fetch_balance()
        finally:
            await bybit.close()
        report["usdt_total"] = str(balance["total"]["USDT"])
        report["after_signed"] = loaded()
    print(json.dumps(report))


asyncio.run(main())
"""


def test_the_public_side_alone_leaves_the_trading_side_unmade_and_a_signed_call_makes_it() -> None:
    answer = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120, check=True
    )
    report = json.loads(answer.stdout.splitlines()[-1])
    assert report["public_topic"] == "orderbook.50.BTCUSDT"
    assert report["after_public"] == []
    assert report["made_after_public"] is False
    assert report["order_params_built"] is False, "the trading routes' models build on first use"
    assert Decimal(report["usdt_total"]) == Decimal(100_000)
    assert report["after_signed"] == list(TRADING_SIDE)
