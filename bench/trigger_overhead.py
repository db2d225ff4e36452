"""What waiting conditional orders cost the market-event paths that watch them.

Every book change (simulator) and every book update or trade batch (paper engine) now looks
at the symbol's waiting conditional orders. This compares the event rate with none waiting
against ten waiting far from their triggers (five on the last price, five on the mark), so
nothing fires and only the watching is measured.

- ``sim book change``: ``SimMarket.changed`` on the linear BTCUSDT book (every listener runs,
  the order engine's trigger check among them).
- ``paper book update`` / ``paper trades``: ``PaperTradingExchange.on_book_update`` /
  ``on_trades`` with one resting limit order (so the engine does its usual work too).

    python bench/trigger_overhead.py [--n 20000]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal

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
    TriggerSource,
)
from console.paper import PaperTradingExchange
from console.sim.market import SimMarket
from console.sim.params import CreateOrderParams
from console.sim.trading import OrderEngine

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
    def __init__(self) -> None:
        self.snapshot = DepthSnapshot(
            symbol=MARKET.symbol,
            bids=tuple(PriceLevel(D("99.9") - D("0.1") * i, D(5)) for i in range(50)),
            asks=tuple(PriceLevel(D("100") + D("0.1") * i, D(5)) for i in range(50)),
            received_at=NOW,
        )

    def get_depth_snapshot(self, symbol: str) -> DepthSnapshot | None:
        return self.snapshot

    def get_trade_stats(self, symbol: str) -> TradeStats | None:
        return None


def rate(n: int, action: Callable[[], None]) -> float:
    started = time.perf_counter()
    for _ in range(n):
        action()
    return n / (time.perf_counter() - started)


def sim_rate(n: int, waiting: int) -> float:
    market = SimMarket(seed=7)
    engine = OrderEngine(market)
    account = engine.account("bench")
    book = market.book("linear", "BTCUSDT")
    for index in range(waiting):
        engine.create(
            account,
            CreateOrderParams.model_validate(
                {
                    "category": "linear",
                    "symbol": "BTCUSDT",
                    "side": "Buy",
                    "orderType": "Market",
                    "qty": "0.001",
                    "triggerPrice": "900000",
                    "triggerDirection": 1,
                    "triggerBy": "MarkPrice" if index % 2 else "LastPrice",
                }
            ),
        )
    return rate(n, lambda: market.changed(book))


def paper_engine(waiting: int) -> tuple[PaperTradingExchange, Book]:
    book = Book()
    engine = PaperTradingExchange(
        {MARKET.symbol: MARKET},
        book,
        None,
        clock=ManualClock(),
        starting_balances={"USDT": D(1_000_000)},
    )
    engine.place(
        OrderRequest(
            symbol=MARKET.symbol,
            side=Side.BUY,
            type=OrderType.LIMIT,
            quantity=D(1),
            price=D("99.5"),
        )
    )
    for index in range(waiting):
        engine.place(
            OrderRequest(
                symbol=MARKET.symbol,
                side=Side.BUY,
                type=OrderType.MARKET,
                quantity=D(1),
                trigger_price=D(200),
                trigger_by=TriggerSource.MARK if index % 2 else TriggerSource.LAST,
            )
        )
    return engine, book


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20_000)
    args = parser.parse_args()
    trade = Trade(
        symbol=MARKET.symbol,
        trade_id="t",
        price=D("101"),
        size=D("0.001"),
        side=Side.BUY,
        timestamp=NOW,
    )
    print(f"{'events per second':28} {'0 waiting':>12} {'10 waiting':>12} {'ratio':>7}")

    def paper_books(waiting: int) -> float:
        engine = paper_engine(waiting)[0]
        return rate(args.n, lambda: engine.on_book_update(MARKET.symbol))

    def paper_trades(waiting: int) -> float:
        engine = paper_engine(waiting)[0]
        return rate(args.n, lambda: engine.on_trades(MARKET.symbol, [trade]))

    rows: list[tuple[str, Callable[[int], float]]] = [
        ("sim book change", lambda w: sim_rate(args.n, w)),
        ("paper book update", paper_books),
        ("paper trades", paper_trades),
    ]
    for name, measure in rows:
        none, ten = measure(0), measure(10)
        print(f"{name:28} {none:12,.0f} {ten:12,.0f} {ten / none:7.2f}")


if __name__ == "__main__":
    main()
