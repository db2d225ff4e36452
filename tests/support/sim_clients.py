"""Shared clients for the simulator's REST tests: real ccxt, and raw signed aiohttp calls."""

from __future__ import annotations

import json
import time
from typing import Any

import aiohttp
import ccxt.async_support as ccxt

from console.sim import SimServer
from console.sim.auth import sign


def bybit_for(sim: SimServer, *, api_key: str | None = None, secret: str | None = None) -> Any:
    """ccxt async bybit pointed at the simulator, as bybit-v5.md section 2 recommends."""
    base = sim.base_url
    return ccxt.bybit(
        {
            "apiKey": sim.api_key if api_key is None else api_key,
            "secret": sim.api_secret if secret is None else secret,
            "enableRateLimit": False,
            "has": {"fetchCurrencies": False},
            "urls": {"api": dict.fromkeys(("public", "private", "spot", "futures", "v2"), base)},
            "options": {
                "enableUnifiedAccount": True,
                "enableUnifiedMargin": False,
                "fetchMarkets": {"types": ["spot", "linear"]},
            },
        }
    )


def signed_headers(
    sim: SimServer, payload: str, *, timestamp: int | None = None, recv_window: int = 5000
) -> dict[str, str]:
    stamp = str(timestamp if timestamp is not None else int(time.time() * 1000))
    window = str(recv_window)
    return {
        "X-BAPI-API-KEY": sim.api_key,
        "X-BAPI-TIMESTAMP": stamp,
        "X-BAPI-RECV-WINDOW": window,
        "X-BAPI-SIGN": sign(sim.api_secret, stamp, sim.api_key, window, payload),
        "Content-Type": "application/json",
    }


async def signed_post(
    session: aiohttp.ClientSession, sim: SimServer, path: str, body: str | dict[str, Any]
) -> tuple[int, dict[str, Any], dict[str, str]]:
    """POST exactly ``body`` (a dict becomes compact JSON), signed over those bytes."""
    text = body if isinstance(body, str) else json.dumps(body, separators=(",", ":"))
    async with session.post(
        sim.base_url + path, data=text.encode(), headers=signed_headers(sim, text)
    ) as response:
        return response.status, await response.json(), dict(response.headers)


async def signed_get(
    session: aiohttp.ClientSession, sim: SimServer, path: str, query: str
) -> tuple[int, dict[str, Any], dict[str, str]]:
    async with session.get(
        f"{sim.base_url}{path}?{query}", headers=signed_headers(sim, query)
    ) as response:
        return response.status, await response.json(), dict(response.headers)
