"""Account view latency: a fill on the simulator to the fill in the console's account view,
over the native private stream and over REST polling every 2 s (the fallback), and the
account REST requests per minute each way.

Headless (no TUI): the simulator runs in-process; fills are made with the simulator's own
engine so that only the account path is timed and counted. The stream side stamps each fill
when the engine books it and again when the stream's view has it; the polling side polls
``fetch_fills`` + ``fetch_open_orders`` + ``fetch_positions`` + ``fetch_balance`` every
``--interval`` seconds, as the TUI's account poll does.

Run: ``python bench/private_stream_latency.py [--fills 200] [--poll-fills 10]``.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import time
from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import TypeVar

from console.config import StreamSettings, load_settings
from console.domain import EndpointCategory
from console.exchange import Credentials, ExchangeClient, VenueEndpoints
from console.sim import SimServer
from console.sim.account_events import AccountEvent
from console.sim.accounts import SimAccount
from console.sim.params import CreateOrderParams
from console.sim.server import SIM_UID
from console.stream.bybit_private import BybitPrivateStream, private_url

T = TypeVar("T")


class CountingLimiter:
    """Lets every request through and counts the account reads."""

    def __init__(self) -> None:
        self.requests = 0

    async def execute(
        self,
        call: Callable[[], Awaitable[T]],
        category: EndpointCategory,
        endpoint: str,
        *,
        idempotent: bool,
        requests: int = 1,
    ) -> T:
        self.requests += requests
        return await call()

    def observe_response(self, *args: object, **kwargs: object) -> None:
        return None

    def get_status(self) -> list[object]:
        return []


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def fill_once(sim: SimServer, rng: random.Random, side: str | None = None) -> str:
    """A market order of 0.001 BTC booked in the simulator's engine (random side unless
    given); returns its order id."""
    engine = sim.context.engine
    side = side or rng.choice(("Buy", "Sell"))
    order = engine.create(
        engine.account(SIM_UID),
        CreateOrderParams(
            category="linear", symbol="BTCUSDT", side=side, orderType="Market", qty=Decimal("0.001")
        ),
    )
    return order.order_id


async def run(fills: int, poll_fills: int, interval: float) -> None:
    rng = random.Random(1)
    async with SimServer(seed=7, rate_limits=False) as sim:
        limiter = CountingLimiter()
        client = ExchangeClient(
            load_settings({"venue": "sim", "mode": "live"}, environ={}, dotenv_path=None),
            endpoints=VenueEndpoints(rest_url=sim.base_url, ws_url=sim.ws_url),
            credentials=Credentials(api_key=sim.api_key, secret=sim.api_secret),
            limiter=limiter,  # type: ignore[arg-type]
        )
        markets = await client.load_markets()
        booked: dict[str, float] = {}

        def stamp(account: SimAccount, event: AccountEvent) -> None:
            if event.kind == "execution" and event.execution is not None:
                booked.setdefault(event.execution.order_id, time.perf_counter())

        sim.context.engine.add_account_listener(stamp)
        stream = BybitPrivateStream(
            private_url(sim.ws_url),
            api_key=sim.api_key,
            secret=sim.api_secret,
            rest=client,
            symbols={(m.type.value, m.venue_id): m.symbol for m in markets.values()},
            settings=StreamSettings(),
        )
        seen: dict[str, float] = {}

        def arrived(kind: str) -> None:
            if kind == "fill":
                now = time.perf_counter()
                for fill in stream.view.fills.values():
                    seen.setdefault(fill.order_id, now)

        stream.add_listener(arrived)
        await stream.start()
        while not stream.live:
            await asyncio.sleep(0.01)
        before = limiter.requests
        started = time.perf_counter()
        stream_latency = []
        for _ in range(fills):
            order_id = fill_once(sim, rng)
            while order_id not in seen:
                await asyncio.sleep(0.0005)
            stream_latency.append((seen[order_id] - booked[order_id]) * 1000)
            await asyncio.sleep(rng.uniform(0, 0.01))
        minutes = (time.perf_counter() - started) / 60
        stream_rpm = (limiter.requests - before) / minutes
        await stream.stop()

        poll_latency = []
        before = limiter.requests
        started = time.perf_counter()
        known = {f.fill_id for f in await client.fetch_fills()}

        async def poll() -> None:
            while True:
                await asyncio.sleep(interval)
                await client.fetch_open_orders()
                await client.fetch_positions()
                await client.fetch_balance()
                for fill in await client.fetch_fills():
                    if fill.fill_id not in known:
                        known.add(fill.fill_id)
                        seen.setdefault(fill.order_id, time.perf_counter())

        poller = asyncio.create_task(poll())
        for _ in range(poll_fills):
            await asyncio.sleep(rng.uniform(0, interval))
            order_id = fill_once(sim, rng)
            while order_id not in seen:
                await asyncio.sleep(0.005)
            poll_latency.append((seen[order_id] - booked[order_id]) * 1000)
        poller.cancel()
        minutes = (time.perf_counter() - started) / 60
        poll_rpm = (limiter.requests - before) / minutes
        await client.close()

    for name, values, rpm in (
        ("private stream", stream_latency, stream_rpm),
        (f"REST polling every {interval:g} s", poll_latency, poll_rpm),
    ):
        print(
            f"{name:28} fills={len(values):4d} p50={statistics.median(values):8.2f} ms "
            f"p99={percentile(values, 0.99):8.2f} ms  account REST requests/min={rpm:6.1f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fills", type=int, default=200)
    parser.add_argument("--poll-fills", type=int, default=10)
    parser.add_argument("--interval", type=float, default=2.0)
    args = parser.parse_args()
    asyncio.run(run(args.fills, args.poll_fills, args.interval))


if __name__ == "__main__":
    main()
