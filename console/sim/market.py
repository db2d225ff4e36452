"""The simulated market: the single source of truth that the REST and WS halves both read.

``SimMarket`` owns the books, the tape (recent prints), the minute candles and the
simulator clock. The synthetic flow (``synthetic_flow.py``) and the user's orders
(``trading.py``) change it only through :meth:`SimMarket.execute`, :meth:`SimMarket.rest` and
:meth:`SimMarket.unrest`, so every print reaches the trade listeners and every change reaches
the book listeners, whoever caused it.

The market moves in 100 ms steps. :meth:`step` advances it by hand (deterministic tests);
:meth:`run` advances it in real time, ``speed`` times faster than the wall clock.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from console.sim.book import BybitSide, Match, RestingOrder, SimBook
from console.sim.candles import MINUTE_MS, Bar, CandleSeries
from console.sim.instruments import DEFAULT_INSTRUMENTS, Category, SimInstrument
from console.sim.past_trades import past_prints
from console.sim.synthetic_flow import SyntheticFlow, backfill_bars
from console.sim.tickers import ticker_fields

log = logging.getLogger(__name__)

STEP_MS = 100
"""Simulated milliseconds per step."""
TAPE_LENGTH = 1000
"""Recent prints kept per book (Bybit's recent-trade returns at most 1000)."""
HISTORY_MINUTES = 1440
"""Minute bars of synthetic history before the first live print: one day."""
SPOT_TRADE_ID_BASE = 2_100_000_000_000_000_000
"""Spot trade ids count up from here (past prints count up to it), like Bybit's numeric ids."""


@dataclass(frozen=True, slots=True)
class SimTrade:
    """One public print, synthetic or caused by a user order."""

    category: str
    symbol: str
    trade_id: str
    price: Decimal
    size: Decimal
    taker_side: BybitSide
    time_ms: int


TradeListener = Callable[[SimTrade], None]
BookListener = Callable[[str, str], None]
MakerFillHandler = Callable[[SimBook, Match, int], None]
"""Called for each execution against a resting user order: (book, match, time_ms)."""
TakerFillHandler = Callable[[SimBook, list[Match], int], None]


class UnknownSymbolError(KeyError):
    """The category/symbol pair is not listed by the simulator."""


class SimMarket:
    """Books, tape, candles and clock of the simulator, evolving from one seed.

    ``synthetic=False`` leaves the books empty and still: something else fills them (a
    replay of a recording, ``console/replay``).
    """

    def __init__(
        self,
        *,
        seed: int = 7,
        speed: float = 1.0,
        start_ms: int | None = None,
        instruments: Iterable[SimInstrument] = DEFAULT_INSTRUMENTS,
        synthetic: bool = True,
    ) -> None:
        if speed <= 0:
            raise ValueError("speed must be greater than zero")
        self.seed = seed
        self.speed = speed
        self._start_ms = start_ms if start_ms is not None else int(time.time() * 1000)
        self._steps = 0
        self._books: dict[tuple[str, str], SimBook] = {
            (i.category, i.symbol): SimBook(i) for i in instruments
        }
        self._tapes: dict[tuple[str, str], deque[SimTrade]] = {
            key: deque(maxlen=TAPE_LENGTH) for key in self._books
        }
        self._candles: dict[tuple[str, str], CandleSeries] = {}
        self._backfilled: set[tuple[str, str]] = set()
        self._past_told: set[tuple[str, str]] = set()
        self._id_rng = random.Random(f"ids-{seed}")
        self._trade_count = 0
        self._trade_listeners: list[TradeListener] = []
        self._book_listeners: list[BookListener] = []
        self._maker_fill_handler: MakerFillHandler | None = None
        self._flow = (
            SyntheticFlow(list(self._books.values()), random.Random(seed), self._flow_execute)
            if synthetic
            else None
        )

    # --- reading ---------------------------------------------------------------------------

    def now_ms(self) -> int:
        """Simulator time: the start time plus the simulated time of every step so far."""
        return self._start_ms + self._steps * STEP_MS

    @property
    def steps(self) -> int:
        return self._steps

    def has_book(self, category: str, symbol: str) -> bool:
        return (category, symbol) in self._books

    def book(self, category: str, symbol: str) -> SimBook:
        try:
            return self._books[(category, symbol)]
        except KeyError:
            raise UnknownSymbolError(f"{category}/{symbol}") from None

    def books(self) -> list[SimBook]:
        return list(self._books.values())

    def instruments(self, category: str) -> list[SimInstrument]:
        return [b.instrument for (c, _), b in self._books.items() if c == category]

    def symbols(self, category: str) -> list[str]:
        return [i.symbol for i in self.instruments(category)]

    def recent_trades(self, category: str, symbol: str, limit: int) -> list[SimTrade]:
        """The latest ``limit`` prints, newest first; from the first second the tape holds
        the prints of the history candles too (see :meth:`_tell_past`)."""
        if not self.has_book(category, symbol):
            raise UnknownSymbolError(f"{category}/{symbol}")
        tape = self._tell_past(category, symbol)
        return list(reversed(tape))[:limit]

    def last_price(self, category: str, symbol: str) -> Decimal | None:
        """The latest print's price (what ``LastPrice`` triggers watch), read in O(1)."""
        if not self.has_book(category, symbol):
            raise UnknownSymbolError(f"{category}/{symbol}")
        tape = self._tell_past(category, symbol)
        return tape[-1].price if tape else None

    def candles(self, category: str, symbol: str) -> CandleSeries:
        self.book(category, symbol)
        return self._series(category, symbol)

    def ticker(self, category: str, symbol: str) -> dict[str, str]:
        """Bybit ``market/tickers`` fields for one symbol (strings, as Bybit sends them)."""
        book = self.book(category, symbol)
        spot = self._books.get(("spot", symbol))
        return ticker_fields(book, self._series(category, symbol), self.now_ms(), spot)

    def fair_price(self, coin: str) -> float:
        if self._flow is None:
            raise UnknownSymbolError(f"{coin}: no synthetic market here")
        return self._flow.fair_price(coin)

    # --- listeners -------------------------------------------------------------------------

    def add_trade_listener(self, callback: TradeListener) -> None:
        """``callback`` receives every print, synthetic or from a user order."""
        self._trade_listeners.append(callback)

    def remove_trade_listener(self, callback: TradeListener) -> None:
        if callback in self._trade_listeners:
            self._trade_listeners.remove(callback)

    def add_book_listener(self, callback: BookListener) -> None:
        """``callback(category, symbol)`` runs after each change of that book."""
        self._book_listeners.append(callback)

    def remove_book_listener(self, callback: BookListener) -> None:
        if callback in self._book_listeners:
            self._book_listeners.remove(callback)

    def set_maker_fill_handler(self, handler: MakerFillHandler) -> None:
        """The trading engine learns here that a resting user order traded."""
        self._maker_fill_handler = handler

    # --- changing --------------------------------------------------------------------------

    def step(self, count: int = 1) -> None:
        """Advance the market by ``count`` steps of 100 ms simulated time."""
        for _ in range(count):
            versions = {key: book.version for key, book in self._books.items()}
            self._steps += 1
            if self._flow is not None:
                self._flow.step()
            for key, book in self._books.items():
                if book.version != versions[key]:
                    self._notify_book(book)

    def execute(
        self, book: SimBook, taker_side: BybitSide, lots: int, limit_tick: int | None
    ) -> list[Match]:
        """Take liquidity: print each execution, fill user makers, update candles."""
        matches = book.take(taker_side, lots, limit_tick) if lots > 0 else []
        now = self.now_ms()
        series = self._series(book.category, book.symbol, with_history=False)
        for match in matches:
            series.record(now, match.tick, match.lots)
            self._print(book, match, taker_side, now)
            if match.maker is not None and self._maker_fill_handler is not None:
                self._maker_fill_handler(book, match, now)
        return matches

    def rest(self, book: SimBook, order: RestingOrder) -> None:
        """Put a user order in the book and tell the book listeners."""
        book.add_resting(order)
        self._notify_book(book)

    def unrest(self, book: SimBook, order_id: str) -> RestingOrder | None:
        """Take a user order out of the book (cancel or amend) and tell the listeners."""
        order = book.remove_resting(order_id)
        if order is not None:
            self._notify_book(book)
        return order

    def changed(self, book: SimBook) -> None:
        """Tell the book listeners about a change made outside a step (a user order)."""
        self._notify_book(book)

    def add_print(self, trade: SimTrade) -> None:
        """A print that happened elsewhere (a replayed recording): taped, charted, announced."""
        book = self._books.get((trade.category, trade.symbol))
        if book is None:
            raise UnknownSymbolError(f"{trade.category}/{trade.symbol}")
        instrument = book.instrument
        tick = int(trade.price / instrument.tick_size)
        lots = int(trade.size / instrument.qty_step)
        self._series(trade.category, trade.symbol, with_history=False).record(
            trade.time_ms, tick, lots
        )
        self._tape(trade)

    def forget_prints(self) -> None:
        """Drop every print and candle (a replay going back in time starts them again from
        its recording); books, instruments and user orders stay."""
        for tape in self._tapes.values():
            tape.clear()
        self._candles.clear()
        self._backfilled.clear()
        self._past_told.clear()

    def install_history(self, category: str, symbol: str, bars: Iterable[Bar]) -> None:
        """Chart history from elsewhere (a recording) instead of the synthetic backfill; the
        tape then holds only prints given to :meth:`add_print`, none made up from the bars."""
        self.book(category, symbol)
        key = (category, symbol)
        series = self._candles.setdefault(key, CandleSeries())
        self._backfilled.add(key)
        self._past_told.add(key)
        series.seed(bars)

    async def run(self) -> None:
        """Advance the market in real time until cancelled, ``speed`` times faster than wall.

        At most 100 steps run per wake-up, so a host that cannot keep up (about 200x on one
        core, see ``bench/sim_throughput.py``) gets a slower market, never a stalled loop.
        """
        loop = asyncio.get_running_loop()
        interval = STEP_MS / 1000 / self.speed
        started, base = loop.time(), self._steps
        while True:
            due = base + int((loop.time() - started) / interval)
            burst = min(due - self._steps, 100)
            if burst > 0:
                self.step(burst)
            await asyncio.sleep(max(interval, 0.005))

    # --- internals -------------------------------------------------------------------------

    def _series(self, category: str, symbol: str, *, with_history: bool = True) -> CandleSeries:
        """The candles of a book; the synthetic history is made the first time it is read.

        Each book's history has its own seeded stream, so it is the same whichever book is
        read first, and live prints recorded before it keep their bars. Servers that never
        chart (most tests) skip the cost.
        """
        key = (category, symbol)
        series = self._candles.get(key)
        if series is None:
            self.book(category, symbol)
            series = self._candles[key] = CandleSeries()
        if with_history and key not in self._backfilled:
            self._backfilled.add(key)
            instrument = self.book(category, symbol).instrument
            rng = random.Random(f"history-{self.seed}-{category}-{symbol}")
            series.seed(backfill_bars(instrument, rng, self._start_ms, HISTORY_MINUTES))
        return series

    def _tell_past(self, category: str, symbol: str) -> deque[SimTrade]:
        """The tape of a book, with the prints of its history candles before the live ones.

        Made the first time the tape is read, like the candles it comes from, from the book's
        own seeded stream: the same whichever book is read first, whenever. Only minutes
        before the live market's first minute are used, which live prints never touch, so
        every past print stays inside its candle. Past trade ids sort before the live ones
        and come from their own stream, so the live ids do not move.
        """
        key = (category, symbol)
        tape = self._tapes[key]
        if key in self._past_told:
            return tape
        self._past_told.add(key)
        wanted = TAPE_LENGTH - len(tape)
        if wanted <= 0:
            return tape
        first_live_minute = self._start_ms - self._start_ms % MINUTE_MS
        bars = self._series(category, symbol).minute_bars(0, first_live_minute - 1)
        rng = random.Random(f"past-{self.seed}-{category}-{symbol}")
        prints = past_prints(bars, rng, wanted)
        instrument = self.book(category, symbol).instrument
        past = [
            SimTrade(
                category=category,
                symbol=symbol,
                trade_id=(
                    str(SPOT_TRADE_ID_BASE - len(prints) + index)
                    if category == "spot"
                    else str(uuid.UUID(int=rng.getrandbits(128), version=4))
                ),
                price=instrument.price(p.tick),
                size=instrument.size(p.lots),
                taker_side=p.taker_side,
                time_ms=p.time_ms,
            )
            for index, p in enumerate(prints)
        ]
        tape = self._tapes[key] = deque([*past, *tape], maxlen=TAPE_LENGTH)
        return tape

    def _flow_execute(
        self, book: SimBook, side: BybitSide, lots: int, limit_tick: int | None
    ) -> None:
        self.execute(book, side, lots, limit_tick)

    def _next_trade_id(self, category: str) -> str:
        self._trade_count += 1
        if category == "spot":
            return str(SPOT_TRADE_ID_BASE + self._trade_count)
        return str(uuid.UUID(int=self._id_rng.getrandbits(128), version=4))

    def _print(self, book: SimBook, match: Match, taker_side: BybitSide, now: int) -> None:
        instrument = book.instrument
        trade = SimTrade(
            category=instrument.category,
            symbol=instrument.symbol,
            trade_id=self._next_trade_id(instrument.category),
            price=instrument.price(match.tick),
            size=instrument.size(match.lots),
            taker_side=taker_side,
            time_ms=now,
        )
        self._tape(trade)

    def _tape(self, trade: SimTrade) -> None:
        self._tapes[(trade.category, trade.symbol)].append(trade)
        for listener in list(self._trade_listeners):
            try:
                listener(trade)
            except Exception:
                log.exception("sim trade listener failed")

    def _notify_book(self, book: SimBook) -> None:
        for listener in list(self._book_listeners):
            try:
                listener(book.category, book.symbol)
            except Exception:
                log.exception("sim book listener failed")


__all__ = ["Category", "SimMarket", "SimTrade", "UnknownSymbolError"]
