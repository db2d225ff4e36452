"""Prices and sizes read off a book for one order: the mark, a market order's walk, and the
integer ticks and lots the book works in."""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal

from console.sim.book import BUY, BybitSide, SimBook, opposite
from console.sim.instruments import SimInstrument
from console.sim.market import SimMarket

ZERO = Decimal(0)
WHOLE_BOOK = 10_000


def tick_of(instrument: SimInstrument, price: Decimal) -> int:
    """A price already checked against the tick size, as integer ticks."""
    return int(price / instrument.tick_size)


def lots_of(instrument: SimInstrument, qty: Decimal) -> int:
    """A size as whole lots, rounding down what does not fill a lot."""
    return int((qty / instrument.qty_step).to_integral_value(rounding=ROUND_DOWN))


def mark_price(market: SimMarket, symbol: str) -> Decimal:
    """Mid of the linear book on the tick (the simulator's mark, as its ``tickers`` topic
    publishes ``markPrice``), falling back to the spot book."""
    for category in ("linear", "spot"):
        if market.has_book(category, symbol):
            book = market.book(category, symbol)
            mid = book.mid_price()
            if mid is not None:
                return mid.quantize(book.instrument.tick_size)
    return ZERO


def touch_price(book: SimBook, taker_side: BybitSide) -> Decimal:
    """The best price a taker would meet (or the own side's best on an empty side)."""
    tick = book.best_tick(opposite(taker_side))
    if tick is None:
        tick = book.best_tick(taker_side)
    return book.instrument.price(tick) if tick is not None else ZERO


def average_walk_price(book: SimBook, taker_side: BybitSide, lots: int) -> Decimal:
    """Average price a market order of ``lots`` would pay, walking the book."""
    instrument = book.instrument
    bids, asks = book.top_ticks(WHOLE_BOOK)
    cost, got = ZERO, 0
    for tick, level_lots in asks if taker_side == BUY else bids:
        take = min(level_lots, lots - got)
        cost += instrument.price(tick) * take
        got += take
        if got >= lots:
            break
    return cost / got if got else ZERO


def lots_for_budget(book: SimBook, taker_side: BybitSide, budget: Decimal) -> int:
    """Lots a market order sized in the quote coin can take for ``budget``."""
    instrument = book.instrument
    bids, asks = book.top_ticks(WHOLE_BOOK)
    lots = 0
    for tick, level_lots in asks if taker_side == BUY else bids:
        price = instrument.price(tick)
        level_value = price * instrument.size(level_lots)
        if level_value > budget:
            return lots + lots_of(instrument, budget / price)
        budget -= level_value
        lots += level_lots
    return lots
