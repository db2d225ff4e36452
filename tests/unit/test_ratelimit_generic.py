"""GenericRateLimiter: ccxt's rateLimit and endpoint costs as one weighted window."""

from __future__ import annotations

import ccxt.async_support as ccxt
import pytest

from console.domain import EndpointCategory, ManualClock
from console.exchange.errors import VenueHalted
from console.exchange.ratelimit import GenericRateLimiter, ccxt_costs


def test_costs_are_read_from_the_ccxt_api_table() -> None:
    costs = ccxt_costs(
        {
            "public": {"get": {"depth": {"cost": 5}, "time": 1}},
            "private": {"post": {"order": {"cost": 2.5}}, "get": {"depth": 7}},
            "junk": "not a table",
        }
    )
    assert costs["/depth"] == (7.0, True)
    assert costs["/time"] == (1.0, False)
    assert costs["/order"] == (2.5, True)


async def test_built_from_a_real_ccxt_instance() -> None:
    exchange = ccxt.binance()
    try:
        limiter = GenericRateLimiter.from_exchange(exchange)
        assert limiter.venue == "binance"
        assert limiter.venue_limit == pytest.approx(1000 / exchange.rateLimit)
        assert limiter.cost("/depth") >= 1
    finally:
        await exchange.close()


async def test_costly_endpoints_spend_more_of_the_window() -> None:
    clock = ManualClock()
    sleeps: list[float] = []

    async def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        clock.advance(seconds)

    limiter = GenericRateLimiter(
        venue="x",
        rate_limit_ms=100,  # 10 units per second, 9.5 after the margin
        costs={"heavy": (5.0, False), "light": (1.0, False)},
        clock=clock,
        sleep=sleep,
    )
    await limiter.wait_if_needed(EndpointCategory.MARKET_DATA, "heavy")
    for _ in range(4):
        await limiter.wait_if_needed(EndpointCategory.MARKET_DATA, "light")
    assert sleeps == []
    await limiter.wait_if_needed(EndpointCategory.MARKET_DATA, "heavy")
    assert sleeps == [pytest.approx(1.0)]
    rows = {row.category: row for row in limiter.get_status() if row.endpoint is None}
    assert rows[EndpointCategory.MARKET_DATA].used == 5


async def test_418_halts_everything() -> None:
    clock = ManualClock()
    limiter = GenericRateLimiter(venue="binance", rate_limit_ms=50, clock=clock)
    limiter.observe_response("/api/v3/order", 418, {})

    async def never() -> None:
        raise AssertionError("sent while halted")

    with pytest.raises(VenueHalted):
        await limiter.execute(never, EndpointCategory.TRADING, "/api/v3/order", idempotent=False)


@pytest.mark.parametrize(
    ("path", "category"),
    [
        ("/api/v3/order", EndpointCategory.TRADING),
        ("/api/v3/account", EndpointCategory.ACCOUNT),
        ("/api/v3/depth", EndpointCategory.MARKET_DATA),
        ("/api/v3/time", EndpointCategory.PUBLIC),
    ],
)
async def test_undeclared_paths_get_a_sensible_category(
    path: str, category: EndpointCategory
) -> None:
    limiter = GenericRateLimiter(venue="x", rate_limit_ms=50, clock=ManualClock())
    await limiter.wait_if_needed(category, path)
    rows = {row.category: row for row in limiter.get_status() if row.endpoint is None}
    assert rows[category].used == 1
    assert limiter._guess(path) is category


async def test_the_real_cost_is_charged_when_the_answer_names_the_venue_path() -> None:
    clock = ManualClock()
    sleeps: list[float] = []

    async def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        clock.advance(seconds)

    limiter = GenericRateLimiter(
        venue="x",
        rate_limit_ms=100,  # 9.5 units per second after the margin
        costs={"ticker/24hr": (5.0, False)},
        clock=clock,
        sleep=sleep,
    )
    assert limiter.cost("/v5/market/tickers") == 1.0  # a logical name: one unit up front
    await limiter.wait_if_needed(EndpointCategory.MARKET_DATA, "/v5/market/tickers")
    limiter.observe_response("/api/v3/ticker/24hr", 200, {})  # the answer: 5 units in all
    rows = {row.category: row for row in limiter.get_status() if row.endpoint is None}
    assert rows[EndpointCategory.MARKET_DATA].remaining == 5
    for _ in range(4):
        await limiter.wait_if_needed(EndpointCategory.MARKET_DATA, "/v5/market/tickers")
    assert sleeps == []
    await limiter.wait_if_needed(EndpointCategory.MARKET_DATA, "/v5/market/tickers")
    assert sleeps == [pytest.approx(1.0)]
