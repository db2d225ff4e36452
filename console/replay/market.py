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
without being sent. A seek goes either way: forward it applies the frames between without
sending them; back, it starts again from the recording's preamble (a recording is read
forward only) and does the same up to the target; either way every topic's snapshot goes out
afterwards, as after a resync.
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

from console.domain.replay import ReplayState
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
_SKIP_YIELD_EVERY = 2000
"""Frames skipped (``--from``, a seek) between looks at the rest of the event loop."""
_DRAIN_S = 0.002
_LEAD_LIMIT = 1000
"""Records read ahead at most for the first book frame (the earliest a seek goes)."""
_NAP_S = 0.05
"""Longest sleep before the driver looks again (a pause, a new speed or a seek)."""
TopicKey = tuple[str, str]


class _BookTopic:
    """The recorded book of one topic, in the recording's own strings.

    Deltas are kept as they came and folded in only when someone reads the book (a late
    subscriber's snapshot, REST, an order), so replaying costs little per frame.
    """

    __slots__ = ("_asks", "_bids", "_last", "_pending", "pristine")

    _FOLD_AT = 1000

    def __init__(self) -> None:
        self._bids: dict[str, str] = {}
        self._asks: dict[str, str] = {}
        self._pending: list[dict[str, Any]] = []
        self._last: dict[str, Any] | None = None
        self.pristine: str | None = None
        """The last snapshot's text while no delta followed it."""

    def apply(self, message: dict[str, Any], text: str) -> None:
        data = message["data"]
        if message["type"] == "snapshot":
            self._bids = {p: s for p, s in data["b"]}
            self._asks = {p: s for p, s in data["a"]}
            self._pending.clear()
            self.pristine = text
        else:
            self._pending.append(data)
            if len(self._pending) >= self._FOLD_AT:
                self._fold()
            self.pristine = None
        self._last = message

    @property
    def bids(self) -> dict[str, str]:
        self._fold()
        return self._bids

    @property
    def asks(self) -> dict[str, str]:
        self._fold()
        return self._asks

    def _fold(self) -> None:
        for data in self._pending:
            for side, levels in ((self._bids, data["b"]), (self._asks, data["a"])):
                for price, size in levels:
                    if float(size) == 0:
                        side.pop(price, None)
                    else:
                        side[price] = size
        self._pending.clear()

    def snapshot(self) -> str | None:
        if self.pristine is not None:
            return self.pristine
        if self._last is None:
            return None
        bids = sorted(self.bids.items(), key=lambda level: Decimal(level[0]), reverse=True)
        asks = sorted(self.asks.items(), key=lambda level: Decimal(level[0]))
        frame = {key: value for key, value in self._last.items() if key != "data"}
        frame["type"] = "snapshot"
        head = {k: v for k, v in self._last["data"].items() if k not in ("b", "a")}
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
        lead, first_ns = _read_lead(frames)
        start_ns = lead[0].time_ns if lead else int(source.header["started_ns"])
        super().__init__(
            seed=0,
            speed=1.0 if math.isinf(speed) else speed,
            start_ms=start_ns // 1_000_000,
            instruments=instruments,
            synthetic=False,
        )
        self.source = source
        self.clock = ReplayClock(start_ns, speed)
        self.first_ns = first_ns if first_ns is not None else start_ns
        """The recording time of the first frame (the earliest a seek goes)."""
        self.from_ns = from_ns
        self.frames_sent = 0
        self.frames_applied = 0
        self.finished = asyncio.Event()
        self._lead = lead
        self._frames = frames
        self._listeners: list[FrameListener] = []
        self._backlogs: list[Callable[[], int]] = []
        self._books_by_topic: dict[TopicKey, _BookTopic] = {}
        self._book_topic_of: dict[tuple[str, str], _BookTopic] = {}
        self._stale_books: set[tuple[str, str]] = set()
        self._units: dict[str, _Units] = {}
        self._tickers: dict[TopicKey, _TickerTopic] = {}
        self._recorded_topics = {
            (category, topic)
            for category, topics in source.header.get("topics", {}).items()
            for topic in topics
        }
        self._started = asyncio.Event()
        self._playing = asyncio.Event()
        self._paused_before_start = False
        self._seek_ns: int | None = None
        self._wake = asyncio.Event()
        """Set by play and seek: the driver, waiting while paused or after the end, looks."""
        if autoplay:
            self._started.set()
        self._load_rest()

    # --- the simulator's reading side --------------------------------------------------------

    def now_ms(self) -> int:
        return self.position_ns() // 1_000_000

    def position_ns(self) -> int:
        """Where the replay is: a seek asked for counts at once, before the driver gets there."""
        return self._seek_ns if self._seek_ns is not None else self.clock.position_ns()

    def book(self, category: str, symbol: str) -> SimBook:
        """The book as the recording has it now: brought up to date when someone reads it
        (REST, the matching engine), not at every frame."""
        book = super().book(category, symbol)
        key = (category, symbol)
        if key in self._stale_books:
            self._stale_books.discard(key)
            state = self._book_topic_of[key]
            self._sync(book, state.bids, state.asks)
        return book

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
        """Start (without waiting for a subscriber) or resume after :meth:`pause`."""
        self._started.set()
        self._paused_before_start = False
        self.clock.play()
        self._playing.set()
        self._wake.set()

    def pause(self) -> None:
        """Hold the replay: no frame is sent and REST answers stay at this moment."""
        self._paused_before_start = True
        self.clock.pause()
        self._playing.clear()

    def set_speed(self, speed: float) -> None:
        """Recording seconds per wall second from now on (``math.inf``: as fast as read)."""
        self.clock.set_speed(speed)

    def seek(self, time_ns: int) -> None:
        """Go to ``time_ns`` (epoch ns of the recording; before the first frame means the
        first frame), forward or back, paused or playing, and after the end too. The state
        at the target is built without sending the frames between, then every topic's
        snapshot goes out (clients see a fresh snapshot, as after a resync)."""
        self._seek_ns = max(time_ns, self.first_ns)
        self._wake.set()

    def state(self) -> ReplayState:
        """Position, speed, playing and finished, for the console's status bar."""
        return ReplayState(
            position_ns=self.position_ns(),
            speed=self.clock.speed,
            playing=self.clock.playing,
            finished=self.finished.is_set(),
        )

    def status(self) -> dict[str, object]:
        """What a status bar shows: position, speed, playing, frames sent, finished."""
        return {
            "position_ms": self.now_ms(),
            "speed": "max" if math.isinf(self.clock.speed) else self.clock.speed,
            "playing": self.clock.playing,
            "frames_sent": self.frames_sent,
            "finished": self.finished.is_set(),
            "path": str(self.source.path),
        }

    async def run(self) -> None:
        """Play the recording to its end, then keep serving the last state; a seek (either
        way) after the end plays on from its target."""
        records = self._records()
        if self.from_ns is not None:
            records = await self._skip_to(self.from_ns, records)
        await self._started.wait()
        if not self._paused_before_start:
            self.play()
        while True:
            await self._play_on(records)
            self.finished.set()
            while self._seek_ns is None:
                self._wake.clear()
                await self._wake.wait()
            self.finished.clear()
            records = self._records()

    async def _play_on(self, records: Iterator[Record]) -> None:
        """Send ``records`` at their times until they run out, following seeks."""
        burst = 0
        record = next(records, None)
        while True:
            if self._seek_ns is not None:
                target, self._seek_ns = self._seek_ns, None
                if target < self.clock.position_ns():
                    self._rewind()
                    records = self._records()
                elif record is not None:
                    records = itertools.chain([record], records)
                records = await self._skip_to(target, records)
                self._send_snapshots()
                record = next(records, None)
                continue
            if record is None:
                return
            if not await self._due(record):
                continue  # a seek came while waiting
            if burst >= _YIELD_EVERY:
                await asyncio.sleep(0)
                burst = 0
            self.clock.reached(record.time_ns)
            self._play(record, send=True)
            while self._backlog() > BACKLOG_BYTES:  # noqa: ASYNC110 (sockets drain, no event)
                await asyncio.sleep(_DRAIN_S)
            burst += 1
            record = next(records, None)

    async def _due(self, record: Record) -> bool:
        """Wait until ``record`` is due; False when a seek arrives first."""
        while self._seek_ns is None:
            if not self._playing.is_set():
                self._wake.clear()
                await self._wake.wait()
                continue
            wait = self.clock.wait_s(record.time_ns)
            if wait <= 0:
                return True
            await asyncio.sleep(min(wait, _NAP_S))
        return False

    async def _skip_to(self, target_ns: int, records: Iterator[Record]) -> Iterator[Record]:
        """Apply the records up to ``target_ns`` without sending them and stand the clock at
        the target; the rest, from the first record after it, is returned. (A seek to the
        start applies the first frame, so its snapshot goes out at once, paused or not.)"""
        target_ns = max(target_ns, self.first_ns)
        for skipped, record in enumerate(records, 1):
            if record.time_ns > target_ns:
                self.clock.jump(target_ns)
                return itertools.chain([record], records)
            self._play(record, send=False)
            if skipped % _SKIP_YIELD_EVERY == 0:
                await asyncio.sleep(0)
        self.clock.jump(target_ns)
        return iter(())

    def _rewind(self) -> None:
        """Back to the moment after the preamble: the recording opened again, books and
        tickers as its REST answers had them, prints and candles forgotten (user orders
        stay where they rest)."""
        self.source = RecordingSource(self.source.path)
        self._frames = self.source.frames()
        self._lead = []
        self._books_by_topic.clear()
        self._book_topic_of.clear()
        self._stale_books.clear()
        self._tickers.clear()
        self.forget_prints()
        self._load_rest()

    def _send_snapshots(self) -> None:
        states: list[tuple[TopicKey, _BookTopic | _TickerTopic]] = [
            *self._books_by_topic.items(),
            *self._tickers.items(),
        ]
        for (category, topic), state in states:
            text = state.snapshot()
            if text is not None:
                for listener in self._listeners:
                    listener(category, topic, text)

    def _records(self) -> Iterator[Record]:
        lead, self._lead = self._lead, []
        yield from lead
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
            book_key = (category, symbol)
            self._book_topic_of[book_key] = state
            self._stale_books.add(book_key)
            self.changed(SimMarket.book(self, category, symbol))
        elif kind == "publicTrade":
            for row in message["data"]:
                trade = SimTrade(
                    category,
                    str(row["s"]),
                    str(row["i"]),
                    Decimal(row["p"]),
                    Decimal(row["v"]),
                    "Buy" if row["S"] == "Buy" else "Sell",
                    int(row["T"]),
                )
                self.add_print(trade)
                self._fill_resting(trade)
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
            depth = source.result("/v5/market/orderbook", category, symbol) or {}
            rest_book = _BookTopic()
            levels = {"b": depth.get("b", []), "a": depth.get("a", [])}
            rest_book.apply({"type": "snapshot", "data": levels}, "")
            self._book_topic_of[(category, symbol)] = rest_book
            self._sync(book, rest_book.bids, rest_book.asks)
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

    def _fill_resting(self, trade: SimTrade) -> None:
        """A recorded print trades the user's resting orders it reached, queue model included.

        The print takes the book as the simulator's own prints do (better levels first, the
        size queued ahead of a user order before it); the recorded levels it consumed come
        back with the next read, since the recording, not our fill, says what is left.
        """
        book = SimMarket.book(self, trade.category, trade.symbol)
        if not book.has_resting or self._maker_fill_handler is None:
            return
        book = self.book(trade.category, trade.symbol)
        units = self._units_of(book)
        limit = units.tick(str(trade.price))
        matches = book.take(trade.taker_side, units.lots(str(trade.size)), limit)
        self._stale_books.add((trade.category, trade.symbol))
        for match in matches:
            if match.maker is not None:
                self._maker_fill_handler(book, match, trade.time_ms)
        if matches:
            self.changed(book)

    def _units_of(self, book: SimBook) -> _Units:
        key = book.category + ":" + book.symbol
        units = self._units.get(key)
        if units is None:
            units = self._units[key] = _Units(book)
        return units

    def _sync(self, book: SimBook, bids: dict[str, str], asks: dict[str, str]) -> None:
        """Make the synthetic levels of ``book`` the recorded ones (user orders stay)."""
        units = self._units_of(book)
        side: BybitSide
        for side, levels in ((BUY, bids), (SELL, asks)):
            target = {units.tick(price): units.lots(size) for price, size in levels.items()}
            for tick in book.level_ticks(side):
                if tick not in target and book.synthetic_lots(side, tick):
                    book.set_synthetic(side, tick, 0)
            for tick, lots in target.items():
                book.set_synthetic(side, tick, lots)


def _read_lead(records: Iterator[Record]) -> tuple[list[Record], int | None]:
    """The records up to the first order-book frame, and its time: where a seek to the start
    lands, so the book is there at once. Without a book frame early on (a recording of
    trades only) the time is that of the first frame of any topic (None: no frame at all)."""
    lead: list[Record] = []
    first_topic_ns: int | None = None
    for record in records:
        lead.append(record)
        if record.kind is not RecordKind.FRAME or b'"topic"' not in record.payload:
            continue
        if b'"orderbook.' in record.payload[:64]:
            return lead, record.time_ns
        if first_topic_ns is None:
            first_topic_ns = record.time_ns
        if len(lead) >= _LEAD_LIMIT:
            break
    return lead, first_topic_ns


class _Units:
    """Price and size strings to the book's ticks and lots, remembered (prices repeat)."""

    __slots__ = ("_lots", "_step", "_tick", "_ticks")

    _LIMIT = 100_000

    def __init__(self, book: SimBook) -> None:
        self._tick = book.instrument.tick_size
        self._step = book.instrument.qty_step
        self._ticks: dict[str, int] = {}
        self._lots: dict[str, int] = {}

    def tick(self, price: str) -> int:
        tick = self._ticks.get(price)
        if tick is None:
            if len(self._ticks) > self._LIMIT:
                self._ticks.clear()
            tick = self._ticks[price] = int(Decimal(price) / self._tick)
        return tick

    def lots(self, size: str) -> int:
        lots = self._lots.get(size)
        if lots is None:
            if len(self._lots) > self._LIMIT:
                self._lots.clear()
            lots = self._lots[size] = int(Decimal(size) / self._step)
        return lots


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
