"""How many order placements and market events the paper engine processes per second.

Each scenario runs three ways: no ledger (the matching alone), the ledger with
``synchronous=NORMAL`` and with ``synchronous=FULL`` (the default), on a temp directory of
this machine's disk. The market is scripted: a 50-level book per side around 100.0.

- ``limit place+cancel``: a resting limit order that does not cross, then its cancel
  (two ledger commits per pair; figures are per operation).
- ``market walk 3 levels``: a market order that takes three levels (three fills, one commit).
- ``trade events``: public trades at the price of 20 resting orders, eating their queues
  without filling them (nothing to write).
- ``book events``: book updates (new snapshots) with 20 resting orders to re-queue.
- ``filling trades``: trades that fill a resting order each (one commit per event).
- ``async place+cancel x50``: 50 clients each placing and cancelling through the async venue
  surface (``create_order`` / ``cancel_order``), as the app does. With group commit the steps
  of one loop turn share one commit; each client still hears back only after it.

Each figure is measured for this tree and for a baseline revision (``--baseline``, extracted
with ``git archive`` into a temp directory), in fresh processes, alternately, best of
``--rounds``; the ratio new/baseline is what survives a noisy machine. The machine pace is
printed with it. In memory the figure is per second of CPU, with a ledger per second of wall
clock (the fsyncs).

    python bench/paper_matching.py [--n 2000] [--rounds 3] [--baseline 90f0704]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from itertools import count
from pathlib import Path

from console.domain import (
    DepthSnapshot,
    ManualClock,
    Market,
    MarketType,
    OrderRequest,
    OrderType,
    PriceLevel,
    Side,
    Trade,
    TradeStats,
)
from console.paper import Ledger, PaperTradingExchange

D = Decimal
MARKET = Market(
    symbol="BTC/USDT:USDT",
    venue_id="BTCUSDT",
    type=MarketType.LINEAR,
    base="BTC",
    quote="USDT",
    settle="USDT",
    tick_size=D("0.1"),
    qty_step=D("0.001"),
)
NOW = datetime(2026, 1, 2, tzinfo=UTC)


class Book:
    """A scripted MarketDataSource whose snapshot can be replaced (built ahead, not timed)."""

    def __init__(self) -> None:
        self.variants = [self.make(D(i) / 1000) for i in range(3)]
        self.snapshot = self.variants[0]

    @staticmethod
    def make(shift: Decimal) -> DepthSnapshot:
        return DepthSnapshot(
            symbol=MARKET.symbol,
            bids=tuple(PriceLevel(D("99.9") - D("0.1") * i, D(5) + shift) for i in range(50)),
            asks=tuple(PriceLevel(D("100") + D("0.1") * i, D(5) + shift) for i in range(50)),
            received_at=NOW,
        )

    def get_depth_snapshot(self, symbol: str) -> DepthSnapshot | None:
        return self.snapshot

    def get_trade_stats(self, symbol: str) -> TradeStats | None:
        return None


def engine_for(mode: str, folder: Path, book: Book) -> PaperTradingExchange:
    ledger = None
    if mode != "memory":
        ledger = Ledger(
            folder / f"{mode}.sqlite3", synchronous="FULL" if mode == "full" else "NORMAL"
        )
    try:
        return PaperTradingExchange(  # type: ignore[call-arg,unused-ignore]
            {MARKET.symbol: MARKET},
            book,
            ledger,
            clock=ManualClock(),
            starting_balances={"USDT": D(10) ** 12},
            group_commit=True,
        )
    except TypeError:  # a baseline without group commit
        return PaperTradingExchange(
            {MARKET.symbol: MARKET},
            book,
            ledger,
            clock=ManualClock(),
            starting_balances={"USDT": D(10) ** 12},
        )


def limit(side: Side, price: str, qty: str = "0.01") -> OrderRequest:
    return OrderRequest(
        symbol=MARKET.symbol, side=side, type=OrderType.LIMIT, quantity=D(qty), price=D(price)
    )


def trade(ids: count[int], price: str, size: str, taker: Side) -> Trade:
    return Trade(
        symbol=MARKET.symbol,
        trade_id=str(next(ids)),
        price=D(price),
        size=D(size),
        side=taker,
        timestamp=NOW,
    )


def place_cancel(engine: PaperTradingExchange, book: Book, n: int) -> int:
    for _ in range(n):
        order = engine.place(limit(Side.BUY, "99"))
        engine.cancel(order.order_id, MARKET.symbol)
    return 2 * n


def market_walk(engine: PaperTradingExchange, book: Book, n: int) -> int:
    order = OrderRequest(symbol=MARKET.symbol, side=Side.BUY, type=OrderType.MARKET, quantity=D(12))
    for i in range(n):
        book.snapshot = book.variants[i % 2]  # sizes change, so the liquidity is fresh again
        engine.place(order)
    return n


def rest_twenty(engine: PaperTradingExchange) -> None:
    """Twenty resting buys at 98.0 (5 ahead of each in the queue)."""
    for _ in range(20):
        engine.place(limit(Side.BUY, "98", "1"))


def trade_events(engine: PaperTradingExchange, book: Book, n: int) -> int:
    rest_twenty(engine)
    ids = count()
    for _ in range(n):
        engine.on_trades(MARKET.symbol, [trade(ids, "98", "0.001", Side.SELL)])
    return n


def book_events(engine: PaperTradingExchange, book: Book, n: int) -> int:
    rest_twenty(engine)
    for i in range(n):
        book.snapshot = book.variants[i % 3]
        engine.on_book_update(MARKET.symbol)
    return n


def filling_trades(engine: PaperTradingExchange, book: Book, n: int) -> int:
    ids = count()
    for _ in range(n):
        engine.place(limit(Side.SELL, "101", "0.001"))
        engine.on_trades(MARKET.symbol, [trade(ids, "101.1", "0.001", Side.BUY)])
    return n


def async_place_cancel(engine: PaperTradingExchange, book: Book, n: int) -> int:
    clients = 50

    async def client(turns: int) -> None:
        for _ in range(turns):
            order = await engine.create_order(limit(Side.BUY, "99"))
            await engine.cancel_order(order.order_id, MARKET.symbol)

    async def run() -> None:
        await asyncio.gather(*(client(n // clients) for _ in range(clients)))

    asyncio.run(run())
    return 2 * (n // clients) * clients


SCENARIOS: dict[str, Callable[[PaperTradingExchange, Book, int], int]] = {
    "limit place+cancel": place_cancel,
    "market walk 3 levels": market_walk,
    "trade events": trade_events,
    "book events": book_events,
    "filling trades (+placement)": filling_trades,
    "async place+cancel x50": async_place_cancel,
}
MODES = ("memory", "normal", "full")


def machine_pace() -> float:
    """CPU seconds of a 3M-step Python loop, best of 3 (reference: 0.10 s)."""
    best = float("inf")
    for _ in range(3):
        started = time.process_time()
        total = 0
        for number in range(3_000_000):
            total += number
        best = min(best, time.process_time() - started)
    return best


def child(scenario: str, mode: str, n: int) -> None:
    """Run one scenario in one mode in this process and print its operations per second."""
    with tempfile.TemporaryDirectory() as folder:
        book = Book()
        engine = engine_for(mode, Path(folder), book)
        # In memory the work is all CPU: count this process's CPU time, which other load
        # on a shared machine disturbs far less than the wall clock. With a ledger the
        # fsync waits are the cost: count the wall clock.
        clock = time.process_time if mode == "memory" else time.perf_counter
        started = clock()
        operations = SCENARIOS[scenario](engine, book, n)
        elapsed = clock() - started
        engine.close()
    print(f"{operations / elapsed:.1f}")


def extract(revision: str, folder: Path) -> Path:
    """The ``console`` package of ``revision``, unpacked under ``folder`` (the baseline)."""
    root = Path(__file__).resolve().parents[1]
    archive = subprocess.run(
        ["git", "-C", str(root), "archive", "--format=tar", revision, "console"],
        check=True,
        capture_output=True,
    ).stdout
    target = folder / "baseline"
    target.mkdir()
    tar_path = folder / "baseline.tar"
    tar_path.write_bytes(archive)
    with tarfile.open(tar_path) as tar:
        tar.extractall(target, filter="data")
    return target


def run_child(source: Path, scenario: str, mode: str, n: int) -> float:
    # The script's own folder (bench/) comes first on sys.path, then PYTHONPATH: ``console``
    # is imported from ``source``, ahead of the editable install.
    env = dict(os.environ, PYTHONPATH=str(source))
    done = subprocess.run(
        [sys.executable, __file__, "--child", scenario, mode, "--n", str(n)],
        check=False,
        capture_output=True,
        text=True,
        env=env,
    )
    if done.returncode != 0:
        raise SystemExit(f"{scenario} ({mode}) failed under {source}:\n{done.stderr}")
    return float(done.stdout.split()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="operations per scenario and mode")
    parser.add_argument("--rounds", type=int, default=3, help="runs of each variant (best)")
    parser.add_argument("--baseline", default="90f0704", help="git revision to compare with")
    parser.add_argument("--modes", default=",".join(MODES), help="comma-separated modes")
    parser.add_argument("--scenarios", default="", help="comma-separated scenario names")
    parser.add_argument("--child", nargs=2, metavar=("SCENARIO", "MODE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.child[1], args.n)
        return
    modes = args.modes.split(",")
    names = args.scenarios.split(",") if args.scenarios else list(SCENARIOS)
    print(f"machine pace: a 3M-step Python loop takes {machine_pace():.3f} s of CPU (ref 0.10)")
    print(f"baseline {args.baseline}, best of {args.rounds} alternating fresh runs, n={args.n}")
    print(f"{'scenario':<30}{'mode':>8}{'baseline ops/s':>16}{'new ops/s':>12}{'new/base':>10}")
    here = Path(__file__).resolve().parents[1]
    with tempfile.TemporaryDirectory() as folder:
        baseline = extract(args.baseline, Path(folder))
        for name in names:
            for mode in modes:
                old = new = 0.0
                for _ in range(args.rounds):
                    old = max(old, run_child(baseline, name, mode, args.n))
                    new = max(new, run_child(here, name, mode, args.n))
                print(
                    f"{name:<30}{mode:>8}{old:>16,.0f}{new:>12,.0f}{new / old:>9.2f}x", flush=True
                )


if __name__ == "__main__":
    main()
