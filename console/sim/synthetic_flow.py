"""The synthetic order flow: what makes the simulated market move, one 100 ms step at a time.

Per coin a fair price random-walks; the spot and linear books of that coin follow the same
fair price (linear with a small basis), so they track each other. Per book and step:

1. quotes the fair price moved past are pulled; resting user orders there are traded
   through (that prints, and fills them);
2. the touch is refilled at the new fair price;
3. a random taker prints with a probability that gives a few trades per second;
4. a few levels churn (resize, cancel, insert) so WS deltas keep flowing;
5. the far end is trimmed or extended so each side keeps a few hundred levels.

Everything random comes from the one ``random.Random`` handed in, consumed in a fixed order,
so the event sequence is a pure function of the seed and the number of steps.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence

from console.sim.book import BUY, SELL, BybitSide, SimBook
from console.sim.candles import MINUTE_MS, Bar
from console.sim.instruments import SimInstrument

LEVELS_PER_SIDE = 300
"""Target number of synthetic levels per side (Bybit's deepest public book is 1000)."""
STEP_VOLATILITY = 0.00004
"""Standard deviation of the fair price's log return per 100 ms step (about 0.8 %/hour)."""
TRADE_PROBABILITY = 0.3
"""Chance of a random print per book per step: about three trades a second at speed 1."""
CHURN_PER_STEP = 3
"""Level changes per book per step: thirty book updates a second at speed 1."""

Executor = Callable[[SimBook, BybitSide, int, int | None], object]
"""How the flow trades: (book, taker side, lots, limit tick or None). Prints and fills."""


class SyntheticFlow:
    """Drives every book of the market from one seeded random stream."""

    def __init__(self, books: Sequence[SimBook], rng: random.Random, execute: Executor) -> None:
        self._books = list(books)
        self._rng = rng
        self._execute = execute
        self._fair: dict[str, float] = {}
        for book in self._books:
            self._fair.setdefault(book.instrument.base, float(book.instrument.start_price))
        self._coins = sorted(self._fair)
        for book in self._books:
            self._build(book)

    def fair_price(self, coin: str) -> float:
        return self._fair[coin]

    def step(self) -> None:
        rng = self._rng
        for coin in self._coins:
            self._fair[coin] *= math.exp(rng.gauss(0.0, STEP_VOLATILITY))
        for book in self._books:
            self._step_book(book)

    # --- per book ---------------------------------------------------------------------------

    def _edges(self, book: SimBook) -> tuple[int, int]:
        """Best bid and best ask ticks the fair price implies: a one-tick spread around it."""
        instrument = book.instrument
        fair = self._fair[instrument.base] * (1 + float(instrument.basis))
        bid = math.floor(fair / float(instrument.tick_size))
        return bid, bid + 1

    def _size(self, instrument: SimInstrument, distance: int) -> int:
        """Synthetic size at ``distance`` levels from the touch: grows away from mid."""
        base = instrument.touch_lots * (1 + distance / 30)
        return max(1, int(base * self._rng.lognormvariate(0.0, 0.6)))

    def _gap(self, instrument: SimInstrument) -> int:
        return self._rng.randint(1, max(1, 2 * instrument.level_gap_ticks - 1))

    def _build(self, book: SimBook) -> None:
        bid_edge, ask_edge = self._edges(book)
        for side, edge in ((BUY, bid_edge), (SELL, ask_edge)):
            direction = -1 if side == BUY else 1
            tick = edge
            for index in range(LEVELS_PER_SIDE):
                book.set_synthetic(side, tick, self._size(book.instrument, index))
                tick += direction * self._gap(book.instrument)

    def _step_book(self, book: SimBook) -> None:
        bid_edge, ask_edge = self._edges(book)
        self._requote(book, SELL, ask_edge - 1)
        self._requote(book, BUY, bid_edge + 1)
        self._refill(book, BUY, bid_edge)
        self._refill(book, SELL, ask_edge)
        if self._rng.random() < TRADE_PROBABILITY:
            self._random_print(book)
        for _ in range(CHURN_PER_STEP):
            self._churn(book)
        for side in (BUY, SELL):
            self._keep_depth(book, side)

    def _requote(self, book: SimBook, side: BybitSide, stale_from: int) -> None:
        """Pull synthetic quotes the fair price moved past; trade through user orders there.

        Market makers cancel stale quotes rather than being run over, so the move itself
        prints nothing; a user order left at a stale price is taken by an arbitrageur, which
        prints and fills it.
        """
        taker = BUY if side == SELL else SELL
        stale, index = False, 0
        while index < book.level_count(side):
            tick = book.tick_at(side, index)
            if (tick > stale_from) if side == SELL else (tick < stale_from):
                break
            stale = True
            if book.synthetic_lots(side, tick):
                book.set_synthetic(side, tick, 0)
            if book.lots_at(side, tick):  # user orders stay, for the taker below
                index += 1
        if stale and book.best_tick(side) is not None:
            self._execute(book, taker, book.available(taker, stale_from), stale_from)

    def _refill(self, book: SimBook, side: BybitSide, edge: int) -> None:
        """Put liquidity back between the fair price and the current best after a move."""
        instrument = book.instrument
        best = book.best_tick(side)
        direction = -1 if side == BUY else 1
        tick = edge
        placed = 0
        while placed < 50 and (best is None or (tick - best) * direction < 0):
            if book.synthetic_lots(side, tick) == 0:
                book.set_synthetic(side, tick, self._size(instrument, placed))
            placed += 1
            tick += direction * self._gap(instrument)

    def _random_print(self, book: SimBook) -> None:
        instrument = book.instrument
        side: BybitSide = BUY if self._rng.random() < 0.5 else SELL
        lots = max(1, int(instrument.trade_lots * self._rng.lognormvariate(0.0, 1.0)))
        lots = min(lots, 3 * instrument.touch_lots)
        self._execute(book, side, lots, None)

    def _churn(self, book: SimBook) -> None:
        rng = self._rng
        instrument = book.instrument
        side: BybitSide = BUY if rng.random() < 0.5 else SELL
        count = book.level_count(side)
        if not count:
            return
        index = min(int(rng.expovariate(0.1)), count - 1)
        tick = book.tick_at(side, index)
        action = rng.random()
        if action < 0.45:
            book.set_synthetic(side, tick, self._size(instrument, index))
        elif action < 0.75:
            book.set_synthetic(side, tick, 0)
        else:
            direction = -1 if side == BUY else 1
            new_tick = tick + direction * self._gap(instrument)
            if book.lots_at(side, new_tick) == 0:
                book.set_synthetic(side, new_tick, self._size(instrument, index + 1))

    def _keep_depth(self, book: SimBook, side: BybitSide) -> None:
        ticks = book.level_ticks(side)
        direction = -1 if side == BUY else 1
        if not ticks:
            return
        if len(ticks) < LEVELS_PER_SIDE:
            tick = ticks[-1]
            for index in range(len(ticks), LEVELS_PER_SIDE):
                tick += direction * self._gap(book.instrument)
                book.set_synthetic(side, tick, self._size(book.instrument, index))
        elif len(ticks) > LEVELS_PER_SIDE + 60:
            for tick in ticks[LEVELS_PER_SIDE:]:
                book.set_synthetic(side, tick, 0)


def backfill_bars(
    instrument: SimInstrument, rng: random.Random, end_ms: int, minutes: int
) -> list[Bar]:
    """Synthetic minute bars ending at the instrument's start price, oldest first.

    The chart and the 24 h ticker need history the live flow has not made yet; walking
    backwards from the start price makes the last bar meet the live market.
    """
    tick_size = float(instrument.tick_size)
    close = float(instrument.start_price) * (1 + float(instrument.basis))
    minute_volatility = STEP_VOLATILITY * math.sqrt(MINUTE_MS / 100)
    last_start = end_ms - end_ms % MINUTE_MS  # the bar the live market continues
    bars: list[Bar] = []
    for index in range(minutes):
        open_ = close * math.exp(-rng.gauss(0.0, minute_volatility))
        high = max(open_, close) * (1 + abs(rng.gauss(0.0, minute_volatility / 2)))
        low = min(open_, close) * (1 - abs(rng.gauss(0.0, minute_volatility / 2)))
        lots = int(instrument.trade_lots * 180 * rng.lognormvariate(0.0, 0.5))
        ticks = [int(p / tick_size + 0.5) for p in (open_, high, low, close)]
        open_tick, high_tick, low_tick, close_tick = ticks
        bar = Bar(
            last_start - index * MINUTE_MS,
            open_tick,
            high_tick,
            low_tick,
            close_tick,
            volume=lots,
            turnover=lots * (open_tick + close_tick) // 2,
        )
        bars.append(bar)
        close = open_
    bars.reverse()
    return bars
