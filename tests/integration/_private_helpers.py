"""Helpers for the simulator's private side: a still market whose mark a test can move."""

from __future__ import annotations

from decimal import Decimal

from console.sim import SimServer
from console.sim.book import BUY, SELL


def move_mark(sim: SimServer, symbol: str, mark: Decimal, *, lots: int = 5_000) -> None:
    """Rebuild the linear book's touch around ``mark`` (one tick either side) and tell the
    engine, as a market move would: the mark is the mid on the tick."""
    book = sim.market.book("linear", symbol)
    tick_size = book.instrument.tick_size
    centre = int(mark / tick_size)
    for tick in book.level_ticks(BUY):
        if tick >= centre:
            book.set_synthetic(BUY, tick, 0)
    for tick in book.level_ticks(SELL):
        if tick <= centre:
            book.set_synthetic(SELL, tick, 0)
    book.set_synthetic(BUY, centre - 1, lots)
    book.set_synthetic(SELL, centre + 1, lots)
    sim.market.changed(book)
