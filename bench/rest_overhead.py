"""What the ExchangeClient layer costs over raw ccxt, and ccxt over a bare HTTP GET.

Starts the simulator in-process and times, interleaved in one run (so load and warm-up
hit all three alike), the same ticker request three ways:

- ``ExchangeClient.fetch_ticker`` (symbol check, choke point, our rate limiter learning
  from every answer's headers, translation, parse to Ticker)
- the same client with a pass-through limiter, to tell the client layer's cost from the
  limiter's
- raw ccxt ``fetch_ticker`` on an identically configured instance
- a bare aiohttp GET of ``/v5/market/tickers`` with ``json.loads``

Prints median and p90 per path and the ratios. Requests are paced under the simulator's
market-data budget (120 per endpoint per second) so no 10006 answer skews the figures.

    python bench/rest_overhead.py [--n 300]   (from the repository root)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from ratelimit import Counting  # bench/ratelimit.py: with no inner limiter, a pass-through

from console.config import load_settings
from console.exchange import Credentials, ExchangeClient, VenueEndpoints, venue_preset
from console.sim import SimServer

SYMBOL = "BTC/USDT:USDT"
PACE_SECONDS = 0.04
"""Four requests per round, at most ~100 per second: inside the sim's market-data budget."""


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


async def timed(call: Callable[[], Awaitable[Any]]) -> float:
    started = time.perf_counter()
    await call()
    return (time.perf_counter() - started) * 1000


async def run(n: int) -> None:
    settings = load_settings({"venue": "sim", "mode": "live"}, environ={}, dotenv_path=None)
    async with SimServer(host="127.0.0.1", port=0, seed=7) as sim:
        endpoints = VenueEndpoints(rest_url=sim.base_url, ws_url=sim.ws_url)
        credentials = Credentials(api_key=sim.api_key, secret=sim.api_secret)
        client = ExchangeClient(settings, endpoints=endpoints, credentials=credentials)
        unlimited = ExchangeClient(
            settings, endpoints=endpoints, credentials=credentials, limiter=Counting()
        )
        raw = venue_preset(settings, endpoints).build(credentials)
        session = aiohttp.ClientSession()
        url = f"{sim.base_url}/v5/market/tickers?symbol=BTCUSDT&category=linear"

        async def bare_get() -> Any:
            async with session.get(url) as response:
                return json.loads(await response.text())

        paths: dict[str, Callable[[], Awaitable[Any]]] = {
            "ExchangeClient.fetch_ticker": lambda: client.fetch_ticker(SYMBOL),
            "  without our limiter": lambda: unlimited.fetch_ticker(SYMBOL),
            "raw ccxt fetch_ticker": lambda: raw.fetch_ticker(SYMBOL),
            "bare aiohttp GET": bare_get,
        }
        samples: dict[str, list[float]] = {name: [] for name in paths}
        try:
            await client.load_markets()
            await unlimited.load_markets()
            await raw.load_markets()
            for _ in range(20):  # warm-up: connections, caches
                for call in paths.values():
                    await call()
                await asyncio.sleep(PACE_SECONDS)
            names = list(paths)
            for round_number in range(n):
                rotation = round_number % len(names)
                for name in names[rotation:] + names[:rotation]:
                    samples[name].append(await timed(paths[name]))
                await asyncio.sleep(PACE_SECONDS)
        finally:
            await client.close()
            await unlimited.close()
            await raw.close()
            await session.close()

    medians = {name: statistics.median(values) for name, values in samples.items()}
    print(f"REST overhead, N={n} each, interleaved, simulator on 127.0.0.1")
    print(f"{'path':<30}{'median ms':>12}{'p90 ms':>10}{'vs ccxt':>10}{'vs GET':>9}")
    for name, values in samples.items():
        print(
            f"{name:<30}{medians[name]:>12.3f}{percentile(values, 0.9):>10.3f}"
            f"{medians[name] / medians['raw ccxt fetch_ticker']:>10.3f}"
            f"{medians[name] / medians['bare aiohttp GET']:>9.3f}"
        )
    overhead = medians["ExchangeClient.fetch_ticker"] / medians["raw ccxt fetch_ticker"] - 1
    layer = medians["  without our limiter"] / medians["raw ccxt fetch_ticker"] - 1
    print(
        f"ExchangeClient adds {overhead:+.1%} over raw ccxt (target < +10%); "
        f"without the limiter {layer:+.1%}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=300, help="requests per path")
    asyncio.run(run(parser.parse_args().n))


if __name__ == "__main__":
    main()
