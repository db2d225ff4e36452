"""What the ExchangeClient layer costs over raw ccxt, and ccxt over a bare HTTP GET.

Starts the simulator (in a child process; ``--in-process`` runs it here) and times,
interleaved in one run in a fresh random order each round (so load, warm-up and the caches
a previous request left hit all paths alike), the same ticker request:

- ``ExchangeClient.fetch_ticker`` (symbol check, choke point, our rate limiter learning
  from every answer's headers, translation, parse to Ticker)
- the same client with a pass-through limiter, to tell the client layer's cost from the
  limiter's
- raw ccxt ``fetch_ticker`` on an identically configured instance
- a bare aiohttp GET of ``/v5/market/tickers`` with ``json.loads``

Prints median and p90 per path and the ratios, in wall time and in CPU time of this
process: on a shared machine the wall figures move with the other processes' load, the CPU
ones much less. With the simulator in a child process this process's CPU time is the
client's alone (in-process, the server's work for one request, finishing its response,
lands on whichever path runs next). Requests are paced under the simulator's market-data
budget (120 per endpoint per second) so no 10006 answer skews the figures, and the
limiter's waits are printed (they must be zero: the figure is the layer's cost, not a wait
for budget). The simulator's market does not run.

One process's figure moves by tens of percent between runs on a noisy 2-core machine (its
clients' memory and caches land differently), so the bench runs ``--rounds`` fresh
processes (each its own simulator, the paths alternating inside it) and prints each
round's CPU figure with the machine's pace, then the median over the rounds: the figure.

    python bench/rest_overhead.py [--n 300] [--rounds 3]   (from the repository root)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import aiohttp
from ratelimit import Counting  # bench/ratelimit.py: with no inner limiter, a pass-through
from ui_startup import machine_pace  # bench/ui_startup.py: the pace every entry states

from console.config import load_settings
from console.exchange import Credentials, ExchangeClient, VenueEndpoints, venue_preset
from console.exchange.ratelimit import limiter_for
from console.sim import SimServer

SYMBOL = "BTC/USDT:USDT"
PACE_SECONDS = 0.04
"""Four requests per round, at most ~100 per second: inside the sim's market-data budget.
Each request follows a pause (the loop idle, as before an app's occasional REST call) and
the paths run in a fresh random order each round: a path that always followed the same
other one inherited its warm or cold caches (ccxt's code is cold after the bare GET), which
moved the figures by more than the layer's own cost."""


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


SETTLE_TURNS = 3
"""Event-loop turns a call's CPU is counted for after it returns: the callbacks it left
behind (aiohttp releasing the connection) are its cost, not the next path's."""


async def timed(call: Callable[[], Awaitable[Any]]) -> tuple[float, float]:
    """(wall ms, CPU ms of this process) of one call and the work it left to the loop."""
    started, cpu = time.perf_counter(), time.process_time()
    await call()
    wall = (time.perf_counter() - started) * 1000
    for _ in range(SETTLE_TURNS):
        await asyncio.sleep(0)
    return wall, (time.process_time() - cpu) * 1000


@dataclass(frozen=True)
class SimAddress:
    base_url: str
    ws_url: str
    api_key: str
    api_secret: str


def serve_sim() -> None:
    """Child process: the simulator (market stopped); prints its address, serves until
    stdin closes."""

    async def serve() -> None:
        loop = asyncio.get_running_loop()
        reader = asyncio.StreamReader()
        await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
        async with SimServer(host="127.0.0.1", port=0, seed=7, run_market=False) as sim:
            print(sim.base_url, sim.ws_url, sim.api_key, sim.api_secret, flush=True)
            await reader.read()

    asyncio.run(serve())


async def run(n: int, sim: SimAddress | SimServer) -> dict[str, float]:
    settings = load_settings({"venue": "sim", "mode": "live"}, environ={}, dotenv_path=None)
    if True:  # the body kept its indent from when the simulator was started here
        endpoints = VenueEndpoints(rest_url=sim.base_url, ws_url=sim.ws_url)
        credentials = Credentials(api_key=sim.api_key, secret=sim.api_secret)
        limiter = limiter_for(settings)  # what the client builds itself, kept to read its stats
        client = ExchangeClient(
            settings, endpoints=endpoints, credentials=credentials, limiter=limiter
        )
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
        cpu: dict[str, list[float]] = {name: [] for name in paths}
        try:
            await client.load_markets()
            await unlimited.load_markets()
            await raw.load_markets()
            for _ in range(20):  # warm-up: connections, caches
                for call in paths.values():
                    await call()
                await asyncio.sleep(PACE_SECONDS)
            names = list(paths)
            order = random.Random(7)
            for _ in range(n):
                order.shuffle(names)
                for name in names:
                    wall, used = await timed(paths[name])
                    samples[name].append(wall)
                    cpu[name].append(used)
                    await asyncio.sleep(PACE_SECONDS / len(names))
        finally:
            await client.close()
            await unlimited.close()
            await raw.close()
            await session.close()

    waited = limiter.stats.waited_seconds
    return report(n, samples, cpu, waited)


def report(
    n: int, samples: dict[str, list[float]], cpu: dict[str, list[float]], waited: float
) -> dict[str, float]:
    """Print one round's table; answer its figures (CPU and wall over raw ccxt, the pace)."""
    medians = {name: statistics.median(values) for name, values in samples.items()}
    print(f"REST overhead, N={n} each, interleaved, simulator on 127.0.0.1")
    pace = machine_pace()
    print(f"machine pace: a 3M-step Python loop takes {pace:.3f} s of CPU")
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
        f"ExchangeClient adds {overhead:+.1%} over raw ccxt in wall time (goal < +8%); "
        f"without the limiter {layer:+.1%}"
    )
    cpu_medians = {name: statistics.median(values) for name, values in cpu.items()}
    base = cpu_medians["raw ccxt fetch_ticker"]
    print("CPU ms per request (median): " + ", ".join(
        f"{name.strip()} {value:.3f}" for name, value in cpu_medians.items()
    ))  # fmt: skip
    figures = {
        "cpu": cpu_medians["ExchangeClient.fetch_ticker"] / base - 1,
        "cpu_unlimited": cpu_medians["  without our limiter"] / base - 1,
        "cpu_us": (cpu_medians["ExchangeClient.fetch_ticker"] - base) * 1000,
        "wall": overhead,
        "pace": pace,
        "waited": waited,
    }
    print(
        f"ExchangeClient adds {figures['cpu']:+.1%} ({figures['cpu_us']:+.0f} us) over raw "
        f"ccxt in CPU time (goal < +8%); without the limiter {figures['cpu_unlimited']:+.1%}; "
        f"limiter waits {waited:.3f} s"
    )
    return figures


def summarize(rounds: list[dict[str, float]]) -> None:
    """Each round's figures and their medians: the bench's answer."""
    print(f"\n{len(rounds)} rounds, each a fresh process (CPU over raw ccxt, wall, pace):")
    for number, figures in enumerate(rounds, 1):
        print(
            f"  round {number}: CPU {figures['cpu']:+.1%} ({figures['cpu_us']:+.0f} us), "
            f"without limiter {figures['cpu_unlimited']:+.1%}, wall {figures['wall']:+.1%}, "
            f"pace {figures['pace']:.3f} s, limiter waits {figures['waited']:.3f} s"
        )

    def median(name: str) -> float:
        return statistics.median(figures[name] for figures in rounds)

    print(
        f"median: ExchangeClient.fetch_ticker adds {median('cpu'):+.1%} "
        f"({median('cpu_us'):+.0f} us) over raw ccxt in CPU time (goal < +8%), "
        f"{median('cpu_unlimited'):+.1%} without our limiter, {median('wall'):+.1%} in wall "
        f"time; pace {min(f['pace'] for f in rounds):.3f}-{max(f['pace'] for f in rounds):.3f} s"
    )


async def in_process(n: int) -> dict[str, float]:
    async with SimServer(host="127.0.0.1", port=0, seed=7, run_market=False) as sim:
        return await run(n, sim)


def one_round(n: int) -> dict[str, float]:
    """One round here: the simulator in a child process, the paths alternating."""
    child = subprocess.Popen(
        [sys.executable, __file__, "--serve-sim"], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    try:
        assert child.stdout is not None
        address = SimAddress(*child.stdout.readline().decode().split())
        return asyncio.run(run(n, address))
    finally:
        assert child.stdin is not None
        child.stdin.close()
        child.wait(10)


def fresh_round(n: int) -> dict[str, float]:
    """One round in a fresh process (its table printed as it runs); its figures."""
    done = subprocess.run(
        [sys.executable, __file__, "--n", str(n), "--rounds", "1", "--figures"],
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    )
    table, _, figures = done.stdout.rpartition("FIGURES ")
    print(table, end="", flush=True)
    parsed: dict[str, float] = json.loads(figures)
    return parsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=300, help="requests per path")
    parser.add_argument(
        "--in-process",
        action="store_true",
        help="run the simulator in this process (its work then lands on the CPU figures)",
    )
    parser.add_argument(
        "--rounds", type=int, default=3, help="fresh processes to run; the median is the figure"
    )
    parser.add_argument("--serve-sim", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--figures", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_sim:
        serve_sim()
        return
    if args.in_process:
        asyncio.run(in_process(args.n))
        return
    if args.rounds > 1:
        summarize([fresh_round(args.n) for _ in range(args.rounds)])
        return
    figures = one_round(args.n)
    if args.figures:
        print("FIGURES " + json.dumps(figures))


if __name__ == "__main__":
    main()
