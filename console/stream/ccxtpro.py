"""The streamer surface over ccxt.pro, for venues without a native adapter.

ccxt.pro keeps each venue's book itself (``watch_order_book``) and hands back its whole
current book on every update; we copy it into our :class:`OrderBook` as a snapshot, so the
reads, the crossed-book guard and the stale flags are the same as on the native path. ccxt
gives prices and sizes as binary floats; they enter the book as their shortest round-trip
decimal text (``repr``), which is the venue's own decimal string for any price a venue
quotes. Timestamps, trade prices, sizes and ids pass :mod:`console.domain.plausibility`;
what fails is counted as malformed and dropped, as on the native path. A read that finds
the book crossed un-watches the symbol, so the next watch starts from a fresh venue
snapshot.

Each symbol has two watch loops (book, trades); a failure is counted and retried after a
full-jitter backoff. ccxt.pro multiplexes symbols on its own connections.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Callable, Coroutine
from decimal import Decimal
from typing import Any

import ccxt
import ccxt.pro

from console.config import StreamSettings
from console.domain import Clock, GapPolicy, StreamHealth, StreamState, SystemClock, VenueClock
from console.domain import plausibility as plausible
from console.domain.plausibility import Implausible
from console.stream.backoff import FullJitterBackoff
from console.stream.base import MarketDataStreamer
from console.stream.health import StreamCounters
from console.stream.latency import StreamLatency
from console.stream.symbol_state import SymbolState

log = logging.getLogger(__name__)


def _text(number: object) -> str:
    """A ccxt number as decimal text: floats by their shortest round-trip form."""
    return repr(number) if isinstance(number, float) else str(number)


def _levels(side: Any) -> list[list[str]]:
    return [[_text(level[0]), _text(level[1])] for level in side]


class CcxtProMarketDataStreamer(MarketDataStreamer):
    """Books and trades of any ccxt.pro venue, behind the streamer surface."""

    def __init__(
        self,
        settings: StreamSettings,
        exchange: str | Any,
        *,
        config: dict[str, Any] | None = None,
        clock: Clock | None = None,
        rng: random.Random | None = None,
        venue_clock: VenueClock | None = None,
    ) -> None:
        super().__init__(venue_clock)
        self.settings = settings
        self.exchange = (
            getattr(ccxt.pro, exchange)(config or {}) if isinstance(exchange, str) else exchange
        )
        self._clock = clock or SystemClock()
        self._wall_offset = self._clock.now().timestamp() - self._clock.monotonic()
        self._rng = rng or random.Random()
        self.counters = StreamCounters(
            f"{self.exchange.id} ccxt.pro",
            self._clock,
            venue_clock=self.venue_clock,
            slow_after_ms=settings.slow_latency_ms,
        )
        self._states: dict[str, SymbolState] = {}
        self._sequences: dict[str, int] = {}
        self._tasks: dict[str, list[asyncio.Task[None]]] = {}
        self._started = False
        self._latest_ms: int | None = None
        self._failures = 0

    def ensure_symbol(self, symbol: str, depth: int | None = None) -> None:
        depth = depth or self.settings.depth
        state = self._states.get(symbol)
        if state is not None and state.depth == depth:
            return
        if state is not None:
            self.remove_symbol(symbol)
        self._states[symbol] = SymbolState(symbol, depth=depth, gap_policy=GapPolicy.STRICT)
        self._sequences[symbol] = 0
        if self._started:
            self._start_watching(symbol)

    def remove_symbol(self, symbol: str) -> None:
        for task in self._tasks.pop(symbol, []):
            task.cancel()
        state = self._states.pop(symbol, None)
        if state is not None:
            state.book.invalidate()

    def symbols(self) -> list[str]:
        return sorted(self._states)

    def health(self) -> list[StreamHealth]:
        state = self.counters.state
        age = self.counters.last_message_age()
        if state is StreamState.LIVE and age is not None and age > self.settings.silence_timeout:
            state = StreamState.STALE
        return [self.counters.snapshot(state=state, topics=2 * len(self._states))]

    async def start(self) -> None:
        self._started = True
        for symbol in self._states:
            if symbol not in self._tasks:
                self._start_watching(symbol)

    async def stop(self) -> None:
        self._started = False
        tasks = [task for group in self._tasks.values() for task in group]
        self._tasks.clear()
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await self.exchange.close()
        self.counters.state = StreamState.DOWN

    # --- watch loops ------------------------------------------------------------------------

    def _start_watching(self, symbol: str) -> None:
        loop = asyncio.get_running_loop()
        self._tasks[symbol] = [
            loop.create_task(self._watch(symbol, self._next_book), name=f"book {symbol}"),
            loop.create_task(self._watch(symbol, self._next_trades), name=f"trades {symbol}"),
        ]

    async def _watch(self, symbol: str, step: Callable[[str], Coroutine[Any, Any, None]]) -> None:
        backoff = FullJitterBackoff(
            self.settings.reconnect_base_delay,
            self.settings.reconnect_max_delay,
            rng=random.Random(self._rng.random()),
        )
        while True:
            try:
                await step(symbol)
                backoff.reset()
            except asyncio.CancelledError:
                raise
            except ccxt.UnsubscribeError:
                continue  # our own resync un-watched this symbol: watch again, fresh snapshot
            except Exception as error:  # ccxt raises many kinds; each is one failed watch
                self.counters.last_error = f"{type(error).__name__}: {error}"
                self.counters.reconnects += 1
                self.counters.state = StreamState.DOWN
                state = self._states.get(symbol)
                if state is not None:
                    state.book.invalidate()
                log.info("ccxt.pro %s: %s", symbol, self.counters.last_error)
                await asyncio.sleep(backoff.next_delay())

    def _frame_seen(self) -> None:
        self.counters.frames += 1
        self.counters.last_frame_at = self._clock.monotonic()
        self.counters.state = StreamState.LIVE

    async def _next_book(self, symbol: str) -> None:
        state = self._states[symbol]
        book = await self.exchange.watch_order_book(symbol, state.depth)
        self._frame_seen()
        timestamp = book.get("timestamp")
        exchange_ms = None
        if timestamp is not None:
            try:
                exchange_ms = plausible.timestamp_ms(timestamp, self._now_ms(), "book timestamp")
            except Implausible as error:
                self.counters.malformed += 1
                log.warning("ccxt.pro %s: book dropped: %s", symbol, error)
                return
        sequence = self._sequences[symbol] = self._sequences[symbol] + 1
        received_s = self._wall_offset + self._clock.monotonic()
        if exchange_ms is not None:
            self._latest_ms = exchange_ms
            self.counters.latency.received(exchange_ms, received_s)
        state.book.apply_snapshot(
            _levels(book["bids"][: state.depth]),
            _levels(book["asks"][: state.depth]),
            sequence,
            exchange_ms=exchange_ms,
            received_s=received_s,
        )
        if self.listeners:
            self.listeners.book_updated(symbol)

    async def _next_trades(self, symbol: str) -> None:
        state = self._states[symbol]
        trades = await self.exchange.watch_trades(symbol)
        self._frame_seen()
        rows = []
        now_ms = self._now_ms()
        for trade in trades:
            try:
                price = plausible.price(Decimal(_text(trade["price"])), "trade price")
                size = Decimal(_text(trade["amount"]))
                if not plausible.is_positive_size(size):
                    raise Implausible("trade size", size, "is not a positive size in range")
                timestamp = plausible.timestamp_ms(trade["timestamp"], now_ms, "trade time")
                trade_id = plausible.identifier(trade.get("id"), "trade id")
            except (KeyError, TypeError, ValueError, ArithmeticError) as error:
                self.counters.malformed += 1
                log.warning("ccxt.pro %s: bad trade %r: %s", symbol, trade, error)
                continue
            rows.append(
                state.record_trade(timestamp, trade_id, price, size, trade.get("side") == "buy")
            )
            self._latest_ms = max(self._latest_ms or 0, timestamp)
        if rows and self.listeners:
            self.listeners.traded(symbol, [state.trade_model(row) for row in rows])

    def _now_ms(self) -> int:
        return int((self._wall_offset + self._clock.monotonic()) * 1000)

    # --- MarketDataStreamer hooks -----------------------------------------------------------

    def _state(self, symbol: str) -> SymbolState | None:
        return self._states.get(symbol)

    def _is_live(self, symbol: str) -> bool:
        age = self.counters.last_message_age()
        return (
            self.counters.state is StreamState.LIVE
            and age is not None
            and age <= self.settings.silence_timeout
        )

    def _exchange_now_ms(self, symbol: str) -> int | None:
        return self._latest_ms

    def stream_name(self, symbol: str) -> str | None:
        return self.counters.name if symbol in self._states else None

    def _latency(self, symbol: str) -> StreamLatency | None:
        return self.counters.latency if symbol in self._states else None

    def _resync(self, symbol: str) -> None:
        """ccxt.pro cannot resubscribe one topic in place: un-watch, and the loop re-watches."""
        self.counters.resyncs += 1
        un_watch = getattr(self.exchange, "un_watch_order_book", None)
        state = self._states.get(symbol)
        if un_watch is None or state is None:
            return
        # The depth must be explicit: ccxt's bybit otherwise un-watches orderbook.500, a
        # topic Bybit retired in 2025, and the unsubscribe is refused.
        task = asyncio.get_running_loop().create_task(un_watch(symbol, {"limit": state.depth}))
        task.add_done_callback(_log_failure)


def _log_failure(task: asyncio.Task[Any]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.info("ccxt.pro un-watch failed: %s", task.exception())
