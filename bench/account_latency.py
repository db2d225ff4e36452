"""A fill on the simulator to the console's positions panel showing it: over the private
stream, and over the old 2 s REST polling (the fallback); and the account REST requests per
minute each way.

The real console (``ConsoleApp``, headless, live mode) runs against the simulator in a child
process (``ui_latency.py``'s set-up: its market steps do not share our event loop, as a real
venue's would not). Each fill is a market buy booked straight in the simulator's engine (as
another device trading the account would make one), asked for over the child's stdin and
stamped by the child when the engine has booked it; the panel side is stamped when the
Positions table's size cell shows the new size (looked at every half millisecond on the
app's own loop). Both stamps are the machine's wall clock. Then the private stream is
stopped, so the console falls back to polling every 2 s as it did before issue 13, and the
same is measured again. The console's account reads (wallet balance, open orders, positions,
executions) are counted from its HTTP responses. The stream-only figures without a UI are
``private_stream_latency.py``'s. The Positions tab is shown first, as the trader watching it
would: a table in a hidden tab draws nothing until its tab is shown.

Run: ``python bench/account_latency.py [--fills 200] [--poll-fills 10]``.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from private_stream_latency import fill_once, percentile
from ui_latency import external_services

from console.config import Settings, StreamSettings
from console.sim import SimServer
from console.tui.app import ConsoleApp
from console.tui.widgets.positions import PositionsTable

SYMBOL = "BTC/USDT:USDT"
ACCOUNT_READS = (
    "/v5/account/wallet-balance",
    "/v5/order/realtime",
    "/v5/position/list",
    "/v5/execution/list",
)
QUANTITY = Decimal("0.001")


def counting_services(ws_url: str, counts: Counter[str]) -> Any:
    """``ui_latency``'s services on the external simulator, counting every HTTP response by
    endpoint (the pool's observer sees each one)."""
    base = external_services(ws_url)

    class CountingServices(base):  # type: ignore[misc, valid-type]
        def _start_pool(self, limiter: Any) -> Any:
            pool = super()._start_pool(limiter)
            observe: Callable[[str, int, Mapping[str, str]], None] = pool._observer

            def counted(endpoint: str, status: int, headers: Mapping[str, str]) -> None:
                counts[endpoint] += 1
                observe(endpoint, status, headers)

            pool._observer = counted
            return pool

    return CountingServices


def shown_size(app: ConsoleApp) -> Decimal:
    table = app.main_screen.query_one(PositionsTable)
    if SYMBOL not in {key.value for key in table.rows}:
        return Decimal(0)
    return Decimal(str(table.get_row(SYMBOL)[1]).replace(",", ""))


async def until(condition: Callable[[], bool], step: float = 0.0005, timeout: float = 30) -> None:
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError("the console never showed it")
        await asyncio.sleep(step)


class Venue:
    """The simulator in its child process: ``fill()`` books a market buy there and returns
    the wall-clock time the engine booked it."""

    def __init__(self, child: subprocess.Popen[str]) -> None:
        assert child.stdin is not None
        assert child.stdout is not None
        self._stdin = child.stdin
        self._stdout = child.stdout

    def ask_fill(self) -> None:
        self._stdin.write("fill\n")
        self._stdin.flush()

    def booked_at(self) -> float:
        return float(self._stdout.readline())


async def measure(
    app: ConsoleApp, venue: Venue, counts: Counter[str], fills: int, rng: random.Random, gap: float
) -> tuple[list[float], float]:
    """Latencies (ms) of ``fills`` fills, and the console's account reads per minute."""
    latencies = []
    reads_before, started = sum(counts[p] for p in ACCOUNT_READS), time.perf_counter()
    for _ in range(fills):
        await asyncio.sleep(rng.uniform(0, gap))
        wanted = shown_size(app) + QUANTITY
        venue.ask_fill()
        await until(lambda wanted=wanted: shown_size(app) >= wanted)  # type: ignore[misc]
        shown = time.time()
        latencies.append((shown - venue.booked_at()) * 1000)
    minutes = (time.perf_counter() - started) / 60
    return latencies, (sum(counts[p] for p in ACCOUNT_READS) - reads_before) / minutes


async def run(ws_url: str, venue: Venue, fills: int, poll_fills: int) -> None:
    rng = random.Random(1)
    counts: Counter[str] = Counter()
    with tempfile.TemporaryDirectory() as data:
        settings = Settings.model_validate(
            {
                "venue": "sim",
                "mode": "live",
                "symbols": (SYMBOL,),
                "data_dir": Path(data),
                "stream": StreamSettings(silence_timeout=5.0),
            }
        )
        app = ConsoleApp(settings, services_factory=counting_services(ws_url, counts))
        async with app.run_test(size=(200, 50)):
            app.main_screen.panels.show_tab("positions")
            await until(lambda: app.services is not None and app.services.account_streaming)
            services = app.services
            assert services is not None
            assert services.private_stream is not None
            stream, stream_rpm = await measure(app, venue, counts, fills, rng, gap=0.02)
            await services.private_stream.stop()
            await until(lambda: not services.account_streaming)
            polled, poll_rpm = await measure(app, venue, counts, poll_fills, rng, gap=2.0)

    for name, values, rpm in (
        ("private stream", stream, stream_rpm),
        ("REST polling every 2 s", polled, poll_rpm),
    ):
        print(
            f"{name:24} fills={len(values):4d} p50={statistics.median(values):8.2f} ms "
            f"p99={percentile(values, 0.99):8.2f} ms  account REST requests/min={rpm:6.1f}"
        )


def serve(speed: float) -> None:
    """Child process: the simulator; prints its ws_url, then books a market buy for every
    ``fill`` line on stdin and prints the wall-clock time it was booked."""

    async def serve_forever() -> None:
        rng = random.Random(2)
        loop = asyncio.get_running_loop()
        reader = asyncio.StreamReader()
        await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
        async with SimServer(seed=7, speed=speed, rate_limits=False) as sim:
            print(sim.ws_url, flush=True)
            while await reader.readline():
                fill_once(sim, rng, side="Buy")
                print(time.time(), flush=True)

    asyncio.run(serve_forever())


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--fills", type=int, default=200)
    parser.add_argument("--poll-fills", type=int, default=10)
    parser.add_argument("--speed", type=float, default=1.0)
    parser.add_argument("--serve-sim", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_sim:
        serve(args.speed)
        return
    child = subprocess.Popen(
        [sys.executable, __file__, "--serve-sim", "--speed", str(args.speed)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        ws_url = child.stdout.readline().strip()
        asyncio.run(run(ws_url, Venue(child), args.fills, args.poll_fills))
    finally:
        child.terminate()
        child.wait()


if __name__ == "__main__":
    main()
