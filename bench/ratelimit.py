"""One workload, three clients, side by side against the simulator (Bybit's limits):

- ``ours``: ExchangeClient through BybitRateLimiter (ccxt's throttle off);
- ``ccxt``: ExchangeClient with ccxt's own default throttle (leaky bucket, rateLimit 20 ms
  and per-endpoint costs) and no limiter of ours;
- ``none``: no limiter at all.

Each client gets a fresh simulator in its own process (so one client's ban cannot touch
the next) and fires the same mixed workload with many concurrent workers, as fast as it
can. Printed per client: completed requests per second, 10006 answers, HTTP 403 answers.

    python bench/ratelimit.py --requests 800 --workers 50
"""

from __future__ import annotations

import argparse
import asyncio
import random
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Mapping
from decimal import Decimal
from typing import Any, TypeVar

from console.config import load_settings
from console.domain import EndpointCategory, OrderRequest, OrderType, RateLimitStatus, Side
from console.exchange import Credentials, ExchangeClient, ExchangeConnectionPool, VenueEndpoints
from console.exchange.ratelimit import BybitRateLimiter, Failure, RequestLimiter, classify
from console.exchange.venues import venue_preset

T = TypeVar("T")
LINEAR = "BTC/USDT:USDT"


class Counting:
    """Counts 10006 and 403 answers for any client; delegates to our limiter if given."""

    def __init__(self, inner: BybitRateLimiter | None = None) -> None:
        self.inner = inner
        self.rate_limited = 0
        self.banned = 0

    async def execute(
        self,
        call: Callable[[], Awaitable[T]],
        category: EndpointCategory,
        endpoint: str,
        *,
        idempotent: bool,
        requests: int = 1,
    ) -> T:
        async def counted() -> T:
            try:
                return await call()
            except Exception as error:
                if classify(error) is Failure.RATE_LIMITED:
                    self.rate_limited += 1
                raise

        if self.inner is None:
            return await counted()
        return await self.inner.execute(
            counted, category, endpoint, idempotent=idempotent, requests=requests
        )

    def observe_response(self, endpoint: str, status: int, headers: Mapping[str, str]) -> None:
        if status == 403:
            self.banned += 1
        if self.inner is not None:
            self.inner.observe_response(endpoint, status, headers)

    def get_status(self) -> list[RateLimitStatus]:
        return [] if self.inner is None else self.inner.get_status()


class SimProcess:
    """``python -m console.sim`` on a free port (the client must not share its CPU)."""

    def __enter__(self) -> SimProcess:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "console.sim", "--port", "0"],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        for line in self.process.stdout:
            if line.startswith("REST"):
                self.base_url = line.split()[1]
            if line.startswith("Ctrl-C"):
                break
        return self

    def __exit__(self, *exc: object) -> None:
        self.process.terminate()
        self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()


async def run_client(name: str, requests: int, workers: int, seed: int) -> dict[str, Any]:
    with SimProcess() as sim:
        counting = Counting(BybitRateLimiter(venue="sim") if name == "ours" else None)
        limiter: RequestLimiter = counting
        pool = ExchangeConnectionPool(observer=counting.observe_response)
        settings = load_settings({"venue": "sim", "mode": "live"}, environ={}, dotenv_path=None)
        endpoints = VenueEndpoints(rest_url=sim.base_url, ws_url=sim.base_url)
        credentials = Credentials(api_key="sim-key", secret="sim-secret")
        client = ExchangeClient(
            settings, pool=pool, limiter=limiter, endpoints=endpoints, credentials=credentials
        )
        try:
            await client.load_markets()
            market = await client.market(LINEAR)
            ticker = await client.fetch_ticker(LINEAR)
            assert ticker.bid is not None
            order = OrderRequest(
                symbol=LINEAR,
                side=Side.BUY,
                type=OrderType.LIMIT,
                quantity=market.min_qty,
                price=market.round_price(ticker.bid * Decimal("0.9")),
            )
            if name == "ccxt":
                exchange = pool.get_connection(venue_preset(settings, endpoints), credentials)
                exchange.enableRateLimit = True  # ccxt's own throttle, as shipped
            await asyncio.sleep(1.1)  # the set-up calls leave every window
            counting.rate_limited = counting.banned = 0

            kinds: list[Callable[[], Awaitable[Any]]] = [
                lambda: client.fetch_ticker(LINEAR),
                lambda: client.fetch_order_book(LINEAR, 50),
                lambda: client.fetch_open_orders(LINEAR),
                lambda: client.fetch_balance(),
                lambda: client.create_order(order),
            ]
            weights = [55, 20, 10, 8, 7]
            rng = random.Random(seed)
            workload = rng.choices(range(len(kinds)), weights, k=requests)
            queue: asyncio.Queue[int] = asyncio.Queue()
            for kind in workload:
                queue.put_nowait(kind)
            outcomes: Counter[str] = Counter()

            async def worker() -> None:
                while not queue.empty():
                    kind = queue.get_nowait()
                    try:
                        await kinds[kind]()
                        outcomes["ok"] += 1
                    except Exception as error:
                        outcomes[type(error).__name__] += 1

            started = time.perf_counter()
            await asyncio.gather(*(worker() for _ in range(workers)))
            elapsed = time.perf_counter() - started
        finally:
            await client.close()
            await pool.close_all()
    return {
        "client": name,
        "completed_per_s": outcomes["ok"] / elapsed,
        "completed": outcomes["ok"],
        "elapsed_s": elapsed,
        "10006": counting.rate_limited,
        "403": counting.banned,
        "failed": sum(v for k, v in outcomes.items() if k != "ok"),
    }


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=800, help="workload size")
    parser.add_argument("--workers", type=int, default=50, help="concurrent callers")
    parser.add_argument("--seed", type=int, default=3, help="workload mix seed")
    args = parser.parse_args()
    print(
        f"workload: {args.requests} requests (55% ticker, 20% book, 10% open orders, "
        f"8% balance, 7% create), {args.workers} concurrent workers"
    )
    print(
        f"{'client':<6} {'completed/s':>12} {'completed':>10} {'seconds':>8} {'10006':>6} "
        f"{'403':>5} {'failed':>7}"
    )
    for name in ("ours", "ccxt", "none"):
        row = await run_client(name, args.requests, args.workers, args.seed)
        print(
            f"{row['client']:<6} {row['completed_per_s']:>12.1f} {row['completed']:>10} "
            f"{row['elapsed_s']:>8.2f} {row['10006']:>6} {row['403']:>5} {row['failed']:>7}"
        )


if __name__ == "__main__":
    asyncio.run(main())
