"""Canary credentials never show up in logs, exception texts or reprs.

The client runs against the simulator with canary credentials registered there, goes
through its success and error paths (bad signature, bad key, unknown order, rate-limited
burst) with every logger at DEBUG, and then everything a trader or a bug report could see is
searched for the canary secret, and for the key where showing it would be a leak.
"""

from __future__ import annotations

import asyncio
import logging
import traceback
from decimal import Decimal
from typing import Any

import pytest

from console.config import load_settings
from console.domain import OrderRequest, OrderType, Side
from console.exchange import (
    Credentials,
    ExchangeClient,
    ExchangeConnectionPool,
    ExchangeError,
    VenueEndpoints,
)
from console.sim import SimServer

from support.unthrottled import Unthrottled

CANARY_SECRET = "CANARY-SECRET-0123456789"
CANARY_KEY = "CANARYKEY42"
LINEAR = "BTC/USDT:USDT"


@pytest.fixture
def debug_logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.DEBUG)
    for name in ("ccxt", "ccxt.base.exchange", "aiohttp", "aiohttp.client", "console", "asyncio"):
        caplog.set_level(logging.DEBUG, logger=name)
    return caplog


def formatted(record: logging.LogRecord) -> str:
    text = record.getMessage()
    if record.exc_info:
        text += "".join(traceback.format_exception(*record.exc_info))
    return text


def everything_shown(errors: list[BaseException], caplog: pytest.LogCaptureFixture) -> str:
    shown = [formatted(record) for record in caplog.records]
    for error in errors:
        shown += [str(error), repr(error)]
        shown += traceback.format_exception(error)
    return "\n".join(shown)


async def collect(errors: list[BaseException], call: Any) -> None:
    try:
        await call
    except ExchangeError as error:
        errors.append(error)


async def test_canary_credentials_never_leak(debug_logs: pytest.LogCaptureFixture) -> None:
    async with SimServer(api_key=CANARY_KEY, api_secret=CANARY_SECRET) as sim:
        await exercise_error_paths(sim, debug_logs)


async def exercise_error_paths(sim: Any, debug_logs: pytest.LogCaptureFixture) -> None:
    settings = load_settings(
        {"venue": "sim", "mode": "live"},
        environ={"EXCHANGE_API_KEY": CANARY_KEY, "EXCHANGE_SECRET": CANARY_SECRET},
        dotenv_path=None,
    )
    endpoints = VenueEndpoints(rest_url=sim.base_url, ws_url=sim.ws_url)
    pool = ExchangeConnectionPool()
    # unthrottled, so a burst of orders draws the simulator's own 10006
    good = ExchangeClient(settings, pool=pool, endpoints=endpoints, limiter=Unthrottled())
    bad_secret = ExchangeClient(
        settings,
        pool=pool,
        endpoints=endpoints,
        credentials=Credentials(api_key=CANARY_KEY, secret=CANARY_SECRET + "-wrong"),
    )
    bad_key = ExchangeClient(
        settings,
        pool=pool,
        endpoints=endpoints,
        credentials=Credentials(api_key="UNKNOWN" + CANARY_KEY, secret=CANARY_SECRET),
    )
    errors: list[BaseException] = []
    try:
        balances = await good.fetch_balance()
        assert balances, "the canary key really signs"
        await collect(errors, bad_secret.fetch_balance())
        await collect(errors, bad_key.fetch_balance())
        await collect(errors, good.fetch_order("no-such-order", LINEAR))
        await collect(errors, good.market("NOPE/USDT"))
        market = await good.market(LINEAR)
        ticker = await good.fetch_ticker(LINEAR)
        assert ticker.bid is not None
        request = OrderRequest(
            symbol=LINEAR,
            side=Side.BUY,
            type=OrderType.LIMIT,
            quantity=max(market.min_qty, Decimal(1)),
            price=market.round_price(ticker.bid * Decimal("0.9")),
        )
        outcomes = await asyncio.gather(
            *(good.create_order(request) for _ in range(14)), return_exceptions=True
        )
        errors += [o for o in outcomes if isinstance(o, BaseException)]
        shown_objects = [good, bad_secret, pool, settings, request, *outcomes]
    finally:
        await good.close()
        await bad_secret.close()
        await bad_key.close()
        await pool.close_all()

    assert {type(error).__name__ for error in errors} >= {
        "AuthenticationFailed",
        "OrderNotFound",
        "BadSymbol",
        "RateLimited",
    }
    text = everything_shown(errors, debug_logs)
    text += "\n".join(repr(obj) + str(obj) for obj in shown_objects)
    assert debug_logs.records, "DEBUG logging was captured"
    assert CANARY_SECRET not in text
    assert CANARY_KEY not in text
