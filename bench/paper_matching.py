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

    python bench/paper_matching.py [--n 2000]
"""

from __future__ import annotations

import argparse
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


SCENARIOS: dict[str, Callable[[PaperTradingExchange, Book, int], int]] = {
    "limit place+cancel": place_cancel,
    "market walk 3 levels": market_walk,
    "trade events": trade_events,
    "book events": book_events,
    "filling trades (+placement)": filling_trades,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="operations per scenario and mode")
    args = parser.parse_args()
    modes = ("memory", "normal", "full")
    print(f"{'scenario':<30}" + "".join(f"{m + ' ops/s':>16}" for m in modes))
    with tempfile.TemporaryDirectory() as folder:
        for name, scenario in SCENARIOS.items():
            row = f"{name:<30}"
            for mode in modes:
                book = Book()
                engine = engine_for(mode, Path(folder) / name.replace(" ", "_"), book)
                started = time.perf_counter()
                operations = scenario(engine, book, args.n)
                elapsed = time.perf_counter() - started
                row += f"{operations / elapsed:>16,.0f}"
                engine.close()
            print(row, flush=True)


if __name__ == "__main__":
    main()
