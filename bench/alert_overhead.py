"""What alerts cost the paths that feed them (issue 15).

Price alerts are checked on every print the streamer hands over, so this measures the
alert book's side of that: a print of a market with no alerts (one lookup), and a print of
a market with N price alerts none of which fires (the comparison per alert). Spread and the
once-a-second kinds read values the app computes anyway and are not measured here.

    python bench/alert_overhead.py [--n 200000] [--alerts 20]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal

from console.domain.alerts import AlertBook, AlertKind

NOW = datetime(2026, 1, 2, tzinfo=UTC)
WATCHED = "BTC/USDT:USDT"
OTHER = "ETH/USDT:USDT"


def per_call(
    work: Callable[[], object], n: int, clock: Callable[[], float] = time.perf_counter
) -> float:
    """Seconds per call, best of three runs of ``n``, on ``clock`` (wall time by default;
    ``time.process_time`` for CPU)."""
    best = float("inf")
    for _ in range(3):
        started = clock()
        for _ in range(n):
            work()
        best = min(best, (clock() - started) / n)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=200_000)
    parser.add_argument("--alerts", type=int, default=20)
    args = parser.parse_args()
    book = AlertBook()
    for i in range(args.alerts):
        level = Decimal(61_000 + 10 * i) if i % 2 else Decimal(59_000 - 10 * i)
        book.add(AlertKind.PRICE, symbol=WATCHED, above=bool(i % 2), level=level, now=NOW)
    price = Decimal("60000.5")

    def unwatched() -> object:
        return book.wants(AlertKind.PRICE, OTHER)

    def watched() -> object:
        return book.wants(AlertKind.PRICE, WATCHED) and book.check(
            AlertKind.PRICE, WATCHED, price, NOW
        )

    miss = per_call(unwatched, args.n)
    hit = per_call(watched, args.n // 10)
    print(f"print of a market without alerts:       {miss * 1e9:8.0f} ns")
    print(f"print of a market with {args.alerts:3d} price alerts: {hit * 1e6:8.2f} us")
    print(f"per alert:                              {hit / args.alerts * 1e9:8.0f} ns")


if __name__ == "__main__":
    main()
