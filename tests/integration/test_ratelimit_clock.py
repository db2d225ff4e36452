"""10002 end to end: a signed request with a skewed timestamp is refused by the simulator,
the limiter has ccxt re-measure the offset to the venue's clock, and the retry passes."""

from __future__ import annotations

from pathlib import Path

from console.config import load_settings
from console.exchange import Credentials, ExchangeClient, ExchangeConnectionPool, VenueEndpoints
from console.exchange.journal import OrderJournal
from console.exchange.ratelimit import BybitRateLimiter, limiter_for
from console.exchange.safe_orders import OrderSafety
from console.exchange.venues import venue_preset
from console.sim import SimServer


async def test_a_skewed_clock_is_resynced_and_the_request_retried(
    sim: SimServer, tmp_path: Path
) -> None:
    settings = load_settings(
        {"venue": "sim", "mode": "live", "data_dir": tmp_path}, environ={}, dotenv_path=None
    )
    limiter = BybitRateLimiter(venue="sim")
    pool = ExchangeConnectionPool(observer=limiter.observe_response)
    endpoints = VenueEndpoints(rest_url=sim.base_url, ws_url=sim.ws_url)
    credentials = Credentials(api_key=sim.api_key, secret=sim.api_secret)
    journal = OrderJournal.in_data_dir(tmp_path)
    safety = OrderSafety("sim", journal, limiter=limiter)
    client = ExchangeClient(
        settings,
        pool=pool,
        limiter=limiter,
        endpoints=endpoints,
        credentials=credentials,
        live_venue_factory=safety.build,
    )
    try:
        exchange = pool.get_connection(venue_preset(settings, endpoints), credentials)
        exchange.options["timeDifference"] = -60_000  # we sign 60 s in the future
        balances = await client.fetch_balance()
        assert balances
        assert limiter.stats.clock_resyncs == 1
        assert limiter.stats.by_failure == {"clock_skew": 1}
        # the balance twice and the server-time read between, all admitted by the limiter
        assert limiter.stats.requests == 3
        assert "/v5/market/time" in {row.endpoint for row in limiter.get_status()}
        assert abs(exchange.options["timeDifference"]) < 1_000
    finally:
        await client.close()
        await pool.close_all()
        journal.close()


async def test_with_our_limiter_ccxts_own_throttle_is_off() -> None:
    """No request is made: okx is never contacted (the public internet is off limits)."""
    settings = load_settings({"venue": "okx"}, environ={}, dotenv_path=None)
    limiter = limiter_for(settings)
    pool = ExchangeConnectionPool(observer=limiter.observe_response)
    client = ExchangeClient(settings, pool=pool, limiter=limiter)
    try:
        exchange = pool.get_connection(venue_preset(settings), None)
        assert exchange.enableRateLimit is True  # as the generic preset ships it
        client._connection()
        assert exchange.enableRateLimit is False
    finally:
        await client.close()
        await pool.close_all()
