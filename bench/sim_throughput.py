"""How much the simulator can carry: market steps per second, and REST answers per second.

Prints, in one run:

- market steps per second (six books, 100 ms of simulated time each), i.e. the highest
  ``speed`` one core sustains, next to the cost of a step with no books (the loop floor);
- median and p90 latency and requests per second of a public GET (``market/tickers``), a
  signed GET (``order/realtime``) and a signed order create+cancel, sequential over loopback
  with aiohttp, next to ``market/time`` (the pipeline with the least work) as the baseline.

    python bench/sim_throughput.py [--steps 2000] [--n 300]
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

from console.sim import SimMarket, SimServer
from console.sim.auth import sign


def bench_steps(steps: int) -> None:
    market = SimMarket(seed=7, start_ms=1_767_225_600_000)
    started = time.perf_counter()
    market.step(steps)
    elapsed = time.perf_counter() - started
    empty = SimMarket(seed=7, instruments=())
    floor_started = time.perf_counter()
    empty.step(steps)
    floor = time.perf_counter() - floor_started
    trades = sum(len(market.recent_trades(b.category, b.symbol, 1000)) for b in market.books())
    print(f"market: {steps / elapsed:,.0f} steps/s ({elapsed / steps * 1e6:.0f} us/step, 6 books)")
    floor_us, max_speed = floor / steps * 1e6, steps / elapsed / 10
    print(f"        empty-market floor {floor_us:.1f} us/step; max speed ~{max_speed:,.0f}x")
    print(f"        {trades} prints kept over {steps / 10:.0f} simulated seconds")


def headers(sim: SimServer, payload: str) -> dict[str, str]:
    stamp = str(int(time.time() * 1000))
    return {
        "X-BAPI-API-KEY": sim.api_key,
        "X-BAPI-TIMESTAMP": stamp,
        "X-BAPI-RECV-WINDOW": "5000",
        "X-BAPI-SIGN": sign(sim.api_secret, stamp, sim.api_key, "5000", payload),
        "Content-Type": "application/json",
    }


async def bench_rest(n: int) -> None:
    async with (
        SimServer(seed=7, rate_limits=False, ip_limit=10**9) as sim,
        aiohttp.ClientSession() as session,
    ):
        base = sim.base_url
        bid = sim.market.book("linear", "BTCUSDT").top(1)[0][0][0]

        async def public_time() -> Any:
            async with session.get(f"{base}/v5/market/time") as r:
                return await r.read()

        async def public_ticker() -> Any:
            async with session.get(f"{base}/v5/market/tickers?category=linear&symbol=BTCUSDT") as r:
                return await r.read()

        async def signed_open_orders() -> Any:
            query = "category=linear&symbol=BTCUSDT"
            async with session.get(
                f"{base}/v5/order/realtime?{query}", headers=headers(sim, query)
            ) as r:
                return await r.read()

        async def create_cancel() -> Any:
            body = json.dumps(
                {"category": "linear", "symbol": "BTCUSDT", "side": "Buy", "orderType": "Limit",
                 "qty": "0.001", "price": str(bid - 500)}, separators=(",", ":"),
            )  # fmt: skip
            async with session.post(
                f"{base}/v5/order/create", data=body, headers=headers(sim, body)
            ) as r:
                order_id = json.loads(await r.read())["result"]["orderId"]
            body = json.dumps({"category": "linear", "symbol": "BTCUSDT", "orderId": order_id})
            async with session.post(
                f"{base}/v5/order/cancel", data=body, headers=headers(sim, body)
            ) as r:
                return await r.read()

        paths: dict[str, Callable[[], Awaitable[Any]]] = {
            "market/time (baseline)": public_time,
            "market/tickers": public_ticker,
            "order/realtime (signed)": signed_open_orders,
            "create+cancel (2 signed)": create_cancel,
        }
        for call in paths.values():
            for _ in range(20):
                await call()
        print(f"REST over loopback, sequential, n={n} each (market running at 1x):")
        base_median = 0.0
        for name, call in paths.items():
            samples = []
            for _ in range(n):
                started = time.perf_counter()
                await call()
                samples.append((time.perf_counter() - started) * 1000)
            median = statistics.median(samples)
            p90 = statistics.quantiles(samples, n=10)[-1]
            base_median = base_median or median
            print(
                f"  {name:26s} median {median:6.3f} ms  p90 {p90:6.3f} ms  "
                f"{1000 / median:7,.0f} req/s  x{median / base_median:4.2f} of baseline"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=2000)
    parser.add_argument("--n", type=int, default=300)
    args = parser.parse_args()
    bench_steps(args.steps)
    asyncio.run(bench_rest(args.n))


if __name__ == "__main__":
    main()
