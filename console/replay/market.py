"""``ReplayMarket``: a recording played back as the simulator's market.

The simulator's REST routes, matching engine and WebSocket hub all read a :class:`SimMarket`;
this one is driven by a recording instead of the synthetic flow. Each recorded frame is
applied to the market's state (the book the matching engine fills orders against, the tape,
the candles, the ticker) and then handed, as the exact recorded text, to the hub, which sends
it to the topic's subscribers (:class:`~console.sim.ws.RecordedTopics`). A client that
subscribes later gets the topic's current snapshot: the recorded snapshot itself while no
delta followed it, otherwise one built from the replayed state in the recording's own strings.

Frames are sent at their recorded receive times, scaled by the speed, from the first
subscription on (or from :meth:`play`). ``from_ns`` fast-forwards: earlier frames are applied
without being sent.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import math
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import orjson

from console.replay.clock import ReplayClock
from console.replay.instruments import sim_instrument
from console.replay.recording import Record, RecordKind
from console.replay.source import RecordingSource
from console.sim.book import BUY, SELL, BybitSide, SimBook
from console.sim.candles import Bar
from console.sim.instruments import Category
from console.sim.market import SimMarket, SimTrade
from console.sim.ws import FrameListener

log = logging.getLogger(__name__)

BACKLOG_BYTES = 256 << 10
"""A subscriber this far behind pauses the replay (only reachable at high speed)."""
_YIELD_EVERY = 200
"""Frames sent back to back before the driver lets the event loop breathe."""
_DRAIN_S = 0.002
TopicKey = tuple[str, str]


class _BookTopic:
    """The recorded book of one topic, in the recording's own strings."""

    __slots__ = ("asks", "bids", "fields", "pristine")

    def __init__(self) -> None:
        self.bids: dict[str, str] = {}
        self.asks: dict[str, str] = {}
        self.fields: dict[str, Any] = {}
        self.pristine: str | None = None
        """The last snapshot's text while no delta followed it."""

    def apply(self, message: dict[str, Any], text: str) -> None:
        data = message["data"]
        if message["type"] == "snapshot":
            self.bids = {p: s for p, s in data["b"]}
            self.asks = {p: s for p, s in data["a"]}
            self.pristine = text
        else:
            for side, levels in ((self.bids, data["b"]), (self.asks, data["a"])):
                for price, size in levels:
                    if Decimal(size) == 0:
                        side.pop(price, None)
                    else:
                        side[price] = size
            self.pristine = None
        self.fields = {key: value for key, value in message.items() if key != "data"}
        self.fields["data"] = {k: v for k, v in data.items() if k not in ("b", "a")}

    def snapshot(self) -> str | None:
        if self.pristine is not None:
            return self.pristine
        if not self.fields:
            return None
        bids = sorted(self.bids.items(), key=lambda level: Decimal(level[0]), reverse=True)
        asks = sorted(self.asks.items(), key=lambda level: Decimal(level[0]))
        frame = dict(self.fields)
        frame["type"] = "snapshot"
        head = frame.pop("data")
        frame["data"] = {"s": head.get("s"), "b": bids, "a": asks, **head}
        return orjson.dumps(frame).decode()


class _TickerTopic:
    __slots__ = ("fields", "frame", "pristine")

    def __init__(self, fields: dict[str, Any]) -> None:
        self.fields = fields
        self.frame: dict[str, Any] = {}
        self.pristine: str | None = None

    def apply(self, message: dict[str, Any], text: str) -> None:
        self.fields.update(message["data"])
        self.frame = {key: value for key, value in message.items() if key != "data"}
        self.pristine = text if message.get("type") == "snapshot" else None

    def snapshot(self) -> str | None:
        if self.pristine is not None:
            return self.pristine
        if not self.frame:
            return None
        frame = {**self.frame, "type": "snapshot", "data": dict(self.fields)}
        return orjson.dumps(frame).decode()


class ReplayMarket(SimMarket):
    """The simulator's market, moved by a recording.

    Args:
        source: the opened recording.
        speed: recording seconds per wall second; ``math.inf`` sends as fast as clients read.
        from_ns: start here (epoch ns of the recording); earlier frames only build the state.
        autoplay: start at once instead of at the first subscription.
    """

    def __init__(
        self,
        source: RecordingSource,
        *,
        speed: float = 1.0,
        from_ns: int | None = None,
        autoplay: bool = False,
    ) -> None:
        instruments = []
        for category, row in source.instruments():
            ticker = self._recorded_ticker(source, category, row["symbol"])
            last = Decimal(str(ticker.get("lastPrice") or "0") or "0")
            instruments.append(sim_instrument(_category(category), row, last))
        frames = source.frames()
        first = next(frames, None)
        start_ns = first.time_ns if first is not None else int(source.header["started_ns"])
        super().__init__(
            seed=0,
            speed=1.0 if math.isinf(speed) else speed,
            start_ms=start_ns // 1_000_000,
            instruments=instruments,
        )
        self.source = source
        self.clock = ReplayClock(start_ns, speed)
        self.from_ns = from_ns
        self.frames_sent = 0
        self.frames_applied = 0
        self.finished = asyncio.Event()
        self._first = first
        self._frames = frames
        self._listeners: list[FrameListener] = []
        self._backlogs: list[Callable[[], int]] = []
        self._books_by_topic: dict[TopicKey, _BookTopic] = {}
        self._tickers: dict[TopicKey, _TickerTopic] = {}
        self._recorded_topics = {
            (category, topic)
            for category, topics in source.header.get("topics", {}).items()
            for topic in topics
        }
        self._started = asyncio.Event()
        if autoplay:
            self._started.set()
        self._load_rest()

    # --- the simulator's reading side --------------------------------------------------------

    def now_ms(self) -> int:
        return self.clock.position_ns() // 1_000_000

    def ticker(self, category: str, symbol: str) -> dict[str, str]:
        self.book(category, symbol)
        state = self._tickers.get((category, f"tickers.{symbol}"))
        if state is None:
            return {"symbol": symbol}
        return {key: str(value) for key, value in state.fields.items()}

    # --- RecordedTopics (the hub's side) ------------------------------------------------------

    def topic_recorded(self, category: str, topic: str) -> bool:
        return (category, topic) in self._recorded_topics

    def subscribe_frames(self, category: str, topic: str) -> list[str]:
        self._started.set()
        key = (category, topic)
        state = self._books_by_topic.get(key) or self._tickers.get(key)
        snapshot = state.snapshot() if state is not None else None
        return [snapshot] if snapshot is not None else []

    def add_frame_listener(self, listener: FrameListener, backlog: Callable[[], int]) -> None:
        self._listeners.append(listener)
        self._backlogs.append(backlog)

    # --- playing -----------------------------------------------------------------------------

    def play(self) -> None:
        """Start now, without waiting for a subscriber."""
        self._started.set()

    async def run(self) -> None:
        """Play the recording to its end (the server then keeps serving the last state)."""
        records = self._records()
        if self.from_ns is not None:
            for record in records:
                if record.time_ns >= self.from_ns:
                    records = itertools.chain([record], records)
                    self.clock = ReplayClock(record.time_ns, self.clock.speed)
                    break
                self._play(record, send=False)
        await self._started.wait()
        self.clock.play()
        infinite = math.isinf(self.clock.speed)
        burst = 0
        for record in records:
            wait = self.clock.wait_s(record.time_ns)
            if wait > 0:
                await asyncio.sleep(wait)
                burst = 0
            elif burst >= _YIELD_EVERY:
                await asyncio.sleep(0)
                burst = 0
            if infinite:
                self.clock.reached(record.time_ns)
            self._play(record, send=True)
            while self._backlog() > BACKLOG_BYTES:  # noqa: ASYNC110 (sockets drain, no event)
                await asyncio.sleep(_DRAIN_S)
            burst += 1
        self.finished.set()

    def _records(self) -> Iterator[Record]:
        if self._first is not None:
            first, self._first = self._first, None
            yield first
        yield from self._frames

    # --- applying a frame --------------------------------------------------------------------

    def _backlog(self) -> int:
        return max((backlog() for backlog in self._backlogs), default=0)

    def _play(self, record: Record, *, send: bool) -> None:
        """Apply one record to the state and (``send``) hand its text to the hub."""
        if record.kind is not RecordKind.FRAME:
            return
        try:
            message = orjson.loads(record.payload)
        except orjson.JSONDecodeError:
            message = None
        topic = message.get("topic") if isinstance(message, dict) else None
        if not isinstance(message, dict) or not isinstance(topic, str):
            return  # acks and pongs answered one connection; the hub answers its own
        category = record.channel
        try:
            self._apply(category, topic, message, record.text)
        except (KeyError, TypeError, ValueError, ArithmeticError) as error:
            log.warning("replay: recorded %s frame not applied: %s", topic, error)
        self.frames_applied += 1
        if send:
            text = record.text
            for listener in self._listeners:
                listener(category, topic, text)
            self.frames_sent += 1

    def _apply(self, category: str, topic: str, message: dict[str, Any], text: str) -> None:
        kind, _, symbol = topic.rpartition(".")
        key = (category, topic)
        if kind.startswith("orderbook."):
            state = self._books_by_topic.get(key)
            if state is None:
                state = self._books_by_topic[key] = _BookTopic()
            state.apply(message, text)
            book = self.book(category, symbol)
            data = message["data"]
            if message["type"] == "snapshot":
                self._clear(book)
            self._set_levels(book, BUY, data["b"])
            self._set_levels(book, SELL, data["a"])
            self.changed(book)
        elif kind == "publicTrade":
            for row in message["data"]:
                self.add_print(
                    SimTrade(
                        category,
                        str(row["s"]),
                        str(row["i"]),
                        Decimal(row["p"]),
                        Decimal(row["v"]),
                        "Buy" if row["S"] == "Buy" else "Sell",
                        int(row["T"]),
                    )
                )
        elif kind == "tickers":
            ticker = self._tickers.get(key)
            if ticker is None:
                ticker = self._tickers[key] = _TickerTopic({})
            ticker.apply(message, text)

    # --- the REST preamble -------------------------------------------------------------------

    @staticmethod
    def _recorded_ticker(source: RecordingSource, category: str, symbol: str) -> dict[str, Any]:
        result = source.result("/v5/market/tickers", category, symbol) or {}
        rows = result.get("list") or [{}]
        return dict(rows[0])

    def _load_rest(self) -> None:
        source = self.source
        for book in self.books():
            category, symbol = book.category, book.symbol
            self._clear(book)
            depth = source.result("/v5/market/orderbook", category, symbol)
            if depth is not None:
                self._set_levels(book, BUY, depth.get("b", []))
                self._set_levels(book, SELL, depth.get("a", []))
            fields = self._recorded_ticker(source, category, symbol)
            self._tickers[(category, f"tickers.{symbol}")] = _TickerTopic(fields)
            trades = source.result("/v5/market/recent-trade", category, symbol) or {}
            for row in reversed(trades.get("list", [])):
                self.add_print(
                    SimTrade(
                        category,
                        symbol,
                        str(row["execId"]),
                        Decimal(row["price"]),
                        Decimal(row["size"]),
                        "Buy" if row["side"] == "Buy" else "Sell",
                        int(row["time"]),
                    )
                )
            klines = source.result("/v5/market/kline", category, symbol) or {}
            self.install_history(category, symbol, _bars(book, klines.get("list", [])))

    @staticmethod
    def _clear(book: SimBook) -> None:
        for side in (BUY, SELL):
            for tick in book.level_ticks(side):
                book.set_synthetic(side, tick, 0)

    @staticmethod
    def _set_levels(book: SimBook, side: BybitSide, levels: list[list[str]]) -> None:
        instrument = book.instrument
        for price, size in levels:
            tick = int(Decimal(price) / instrument.tick_size)
            book.set_synthetic(side, tick, int(Decimal(size) / instrument.qty_step))


def _category(name: str) -> Category:
    if name not in ("spot", "linear"):
        raise ValueError(f"a replay serves spot and linear, not {name!r}")
    return "spot" if name == "spot" else "linear"


def _bars(book: SimBook, rows: list[list[str]]) -> list[Bar]:
    """Recorded kline rows (newest first, strings) as the simulator's bars (ticks, lots)."""
    instrument = book.instrument
    tick, step = instrument.tick_size, instrument.qty_step

    def ticks(price: str) -> int:
        return int(Decimal(price) / tick)

    bars = [
        Bar(
            int(row[0]),
            ticks(row[1]),
            ticks(row[2]),
            ticks(row[3]),
            ticks(row[4]),
            int(Decimal(row[5]) / step),
            int(Decimal(row[6]) / (tick * step)),
        )
        for row in rows
    ]
    return sorted(bars, key=lambda bar: bar.start_ms)
