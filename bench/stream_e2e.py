"""End to end: simulator -> WebSocket -> streamer, many symbols at orderbook.50, sped up.

The simulator runs in a child process (so its CPU is not counted as ours) with ``--symbols``
linear books: BTC/ETH/SOL and clones of them (``BTC2USDT``...), because the stock simulator
lists three linear books. This process runs only the streamer, with a listener that reads a
snapshot on every ``--probe-every``-th book update of each symbol, as a UI would.

Prints messages per second, the CPU share of this process, p50/p99 delay from the
simulator's send timestamp (``ts``) to the snapshot being readable, and resident memory at
the start, during and at the end of the run.
Run: ``python bench/stream_e2e.py [--seconds 60] [--speed 10] [--symbols 20]``.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import functools
import subprocess
import sys
import time
import tracemalloc
from collections import Counter
from collections.abc import Sequence

from console.config import StreamSettings
from console.domain import MarketType, Trade
from console.domain.plausibility import SIMULATED_AHEAD_MS, allow_ahead
from console.sim.instruments import DEFAULT_INSTRUMENTS, SimInstrument
from console.stream import RealTimeMarketDataStreamer


def linear_instruments(count: int) -> list[SimInstrument]:
    stock = [i for i in DEFAULT_INSTRUMENTS if i.category == "linear"]
    books = []
    for n in range(count):
        template = stock[n % len(stock)]
        suffix = "" if n < len(stock) else str(n // len(stock) + 1)
        base = template.base + suffix
        books.append(dataclasses.replace(template, symbol=f"{base}USDT", base=base))
    return books


def serve_sim(speed: float, symbols: int) -> None:
    """Child process: a simulator with ``symbols`` linear books; prints its ws_url."""
    import console.sim.server as server
    from console.sim.market import SimMarket

    server.SimMarket = functools.partial(  # type: ignore[attr-defined, assignment]
        SimMarket, instruments=linear_instruments(symbols)
    )

    async def run() -> None:
        async with server.SimServer(seed=7, speed=speed, rate_limits=False) as sim:
            print(sim.ws_url, flush=True)
            await asyncio.Event().wait()

    asyncio.run(run())


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


class Probe:
    """Reads a snapshot on some book updates and records how old its data is."""

    def __init__(self, streamer: RealTimeMarketDataStreamer, every: int) -> None:
        self.streamer = streamer
        self.every = every
        self.updates = 0
        self.trades = 0
        self.delay_histogram: Counter[int] = Counter()
        """Delays in 0.1 ms bins: constant memory, so the RSS figures are the streamer's."""
        self.crossed = 0
        self.recording = False

    def on_book_update(self, symbol: str) -> None:
        self.updates += 1
        if self.updates % self.every:
            return
        view = self.streamer.get_depth_snapshot(symbol)
        if view is None or view.exchange_time is None:
            return
        if view.is_crossed:
            self.crossed += 1
        if self.recording:
            delay_ms = time.time() * 1000 - view.exchange_time.timestamp() * 1000
            self.delay_histogram[int(delay_ms * 10)] += 1

    def percentile(self, fraction: float) -> float:
        """The delay (ms) below which ``fraction`` of the probes fell."""
        wanted = fraction * self.delay_histogram.total()
        seen = 0
        for bin_, count in sorted(self.delay_histogram.items()):
            seen += count
            if seen >= wanted:
                return bin_ / 10
        return float("nan")

    def on_trades(self, symbol: str, trades: Sequence[Trade]) -> None:
        self.trades += len(trades)


async def measure(ws_url: str, args: argparse.Namespace) -> None:
    books = linear_instruments(args.symbols)
    symbols = [f"{book.base}/USDT:USDT" for book in books]
    if args.speed > 1:  # the simulator's trade times lead the wall clock by design
        allow_ahead(SIMULATED_AHEAD_MS)
    streamer = RealTimeMarketDataStreamer(StreamSettings(depth=50), ws_url, venue="sim")
    probe = Probe(streamer, args.probe_every)
    streamer.add_listener(probe)
    for symbol in symbols:
        streamer.ensure_symbol(symbol)
    async with streamer:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            views = [streamer.get_depth_snapshot(s) for s in symbols]
            if all(v is not None and not v.stale for v in views):
                break
            await asyncio.sleep(0.05)
        feed = streamer.feed(MarketType.LINEAR)
        assert feed is not None
        traced = tracemalloc.take_snapshot() if args.tracemalloc else None
        rss_start = rss_mb()
        frames_start, cpu_start, wall_start = feed.counters.frames, time.process_time(), time.time()
        probe.recording = True
        rss_series = [rss_start]
        while (remaining := args.seconds - (time.time() - wall_start)) > 0:
            await asyncio.sleep(min(10.0, remaining))
            rss_series.append(round(rss_mb(), 1))
        probe.recording = False
        wall = time.time() - wall_start
        cpu = time.process_time() - cpu_start
        frames = feed.counters.frames - frames_start
        health = feed.health()
    if traced is not None:
        growth = tracemalloc.take_snapshot().compare_to(traced, "lineno")
        print("  tracemalloc growth, top 5:")
        for stat in growth[:5]:
            print(f"    {stat}")
    p50, p99 = probe.percentile(0.5), probe.percentile(0.99)
    print(
        f"{args.symbols} symbols at orderbook.50 + publicTrade, speed {args.speed}x, {wall:.0f} s"
    )
    print(f"  messages: {frames:,} = {frames / wall:,.0f} msg/s on one connection")
    print(f"  streamer CPU: {cpu:.1f} s = {cpu / wall * 100:.0f}% of one core")
    print(
        f"  ts -> snapshot readable: p50 {p50:.1f} ms, p99 {p99:.1f} ms "
        f"({probe.delay_histogram.total():,} probes, 1 in {args.probe_every} updates)"
    )
    print(f"  RSS: start {rss_start:.1f} MB, end {rss_series[-1]:.1f} MB; series {rss_series}")
    print(
        f"  health: gaps {health.gaps}, resyncs {health.resyncs}, reconnects {health.reconnects},"
        f" malformed {health.malformed}; crossed reads {probe.crossed}; trades {probe.trades:,}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--speed", type=float, default=10.0)
    parser.add_argument("--symbols", type=int, default=20)
    parser.add_argument("--probe-every", type=int, default=10)
    parser.add_argument("--tracemalloc", action="store_true", help="print what memory grew")
    parser.add_argument("--serve-sim", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_sim:
        serve_sim(args.speed, args.symbols)
        return
    child = subprocess.Popen(
        [sys.executable, __file__, "--serve-sim", "--speed", str(args.speed),
         "--symbols", str(args.symbols)],
        stdout=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        assert child.stdout is not None
        ws_url = child.stdout.readline().strip()
        if args.tracemalloc:
            tracemalloc.start()
        asyncio.run(measure(ws_url, args))
    finally:
        child.terminate()
        child.wait(10)


if __name__ == "__main__":
    main()
