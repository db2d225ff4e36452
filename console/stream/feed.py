"""One Bybit public connection (one category) and the symbols multiplexed on it.

The feed is the hot path: every frame is decoded once with orjson and handed, by topic, to
a small handler bound to one symbol's state. Book frames go straight into the
:class:`OrderBook` as the venue's strings; trades become ``Decimal`` once and enter the
window and tape. Anything that does not parse is counted as malformed and logged, and if
it touched a book, that book is resynced: never fatal.

A book that reports a gap, a malformed delta or (on read) a crossed or unreadable state is
resynced by unsubscribing and subscribing its topic again, which makes Bybit send a fresh
snapshot. A resync that gets no snapshot within the silence timeout is requested again.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import random
from collections.abc import Callable, Coroutine
from decimal import Decimal
from typing import Any

import orjson

from console.config import StreamSettings
from console.domain import BookEvent, Clock, MarketType, StreamHealth, StreamState
from console.stream import bybit
from console.stream.backoff import FullJitterBackoff
from console.stream.bybit import BybitSymbol
from console.stream.connection import ReconnectingWebSocket
from console.stream.health import StreamCounters
from console.stream.listeners import ListenerSet
from console.stream.symbol_state import SymbolState, TapeRow

log = logging.getLogger(__name__)

Message = dict[str, Any]
_APPLIED, _RESET = BookEvent.APPLIED, BookEvent.RESET


class _BookTopic:
    """Feeds ``orderbook.{depth}.{id}`` frames into one book."""

    __slots__ = ("book", "feed", "state", "topic")

    def __init__(self, feed: BybitPublicFeed, state: SymbolState, topic: str) -> None:
        self.feed = feed
        self.state = state
        self.book = state.book
        self.topic = topic

    def __call__(self, message: Message) -> None:
        data = message["data"]
        sequence = data["u"]
        if type(sequence) is not int:
            raise TypeError("u is not an integer")
        stamp = message.get("ts")
        exchange_ms = stamp if type(stamp) is int else None
        feed = self.feed
        received = feed.wall_seconds()
        if message["type"] == "delta":
            event = self.book.apply_delta(
                data["b"], data["a"], sequence, exchange_ms=exchange_ms, received_s=received
            )
            if event is _APPLIED:  # the common case, kept short
                if exchange_ms is not None:
                    feed.latest_exchange_ms = exchange_ms
                if feed.listeners:
                    feed.listeners.book_updated(self.state.symbol)
                return
        elif message["type"] == "snapshot":
            event = self.book.apply_snapshot(
                data["b"], data["a"], sequence, exchange_ms=exchange_ms, received_s=received
            )
        else:
            raise ValueError(f"unknown book frame type {message['type']!r}")
        feed.on_book_event(self, event, exchange_ms)


class _TradeTopic:
    """Feeds ``publicTrade.{id}`` frames into one symbol's window and tape."""

    __slots__ = ("feed", "state")

    def __init__(self, feed: BybitPublicFeed, state: SymbolState) -> None:
        self.feed = feed
        self.state = state

    def __call__(self, message: Message) -> None:
        state = self.state
        record = state.record_trade
        recorded: list[TapeRow] = []
        latest = None
        for row in message["data"]:
            price, size, stamp, side = Decimal(row["p"]), Decimal(row["v"]), row["T"], row["S"]
            if not (
                type(stamp) is int
                and price.is_finite()
                and size.is_finite()
                and price > 0
                and size > 0
                and side in ("Buy", "Sell")
            ):
                self.feed.count_malformed(f"bad trade row {row!r}")
                continue
            trade_id = row["i"]
            if type(trade_id) is not str:
                trade_id = str(trade_id)
            recorded.append(record(stamp, trade_id, price, size, side == "Buy"))
            latest = stamp
        if latest is not None:
            self.feed.latest_exchange_ms = latest
        if recorded and self.feed.listeners:
            trades = [state.trade_model(row) for row in recorded]
            self.feed.listeners.traded(state.symbol, trades)


class BybitPublicFeed:
    """Subscriptions, books and windows of one category, over one reconnecting socket."""

    def __init__(
        self,
        category: MarketType,
        url: str,
        settings: StreamSettings,
        *,
        clock: Clock,
        rng: random.Random,
        listeners: ListenerSet,
        name: str,
    ) -> None:
        self.category = category
        self.settings = settings
        self.listeners = listeners
        self.counters = StreamCounters(name, clock)
        self.latest_exchange_ms: int | None = None
        """Latest exchange timestamp seen on this connection (moves trade windows on)."""
        self._clock = clock
        self._monotonic = clock.monotonic
        self._wall_offset = clock.now().timestamp() - clock.monotonic()
        self._symbols: dict[str, BybitSymbol] = {}
        self._states: dict[str, SymbolState] = {}
        self._handlers: dict[str, Callable[[Message], None]] = {}
        self._book_topics: dict[str, str] = {}
        """unified symbol -> its book topic"""
        self._pending_resync: dict[str, float] = {}
        self._last_resnapshot = clock.monotonic()
        self._req_ids = itertools.count(1)
        self._tasks: set[asyncio.Task[None]] = set()
        self._maintenance: asyncio.Task[None] | None = None
        self.connection = ReconnectingWebSocket(
            url,
            settings=settings,
            counters=self.counters,
            clock=clock,
            backoff=FullJitterBackoff(
                settings.reconnect_base_delay, settings.reconnect_max_delay, rng=rng
            ),
            on_open=self._on_open,
            on_frame=self.on_frame,
            on_down=self._on_down,
            ping_text=lambda: bybit.request("ping", next(self._req_ids)),
        )

    # --- symbols ----------------------------------------------------------------------------

    def topics(self) -> list[str]:
        """Every topic this feed wants, in a stable order."""
        return sorted(self._handlers)

    def state(self, unified: str) -> SymbolState | None:
        return self._states.get(unified)

    def add(self, symbol: BybitSymbol, depth: int) -> SymbolState:
        """Start following ``symbol`` (idempotent); a new depth replaces the old topic."""
        state = self._states.get(symbol.unified)
        if state is not None and state.depth == depth:
            return state
        if state is not None:
            self.remove(symbol.unified)
        state = SymbolState(symbol.unified, depth=depth, gap_policy=bybit.gap_policy(self.settings))
        book_topic = symbol.book_topic(depth)
        self._symbols[symbol.unified] = symbol
        self._states[symbol.unified] = state
        self._book_topics[symbol.unified] = book_topic
        self._handlers[book_topic] = _BookTopic(self, state, book_topic)
        self._handlers[symbol.trade_topic()] = _TradeTopic(self, state)
        self._send_later("subscribe", [book_topic, symbol.trade_topic()])
        return state

    def remove(self, unified: str) -> None:
        symbol = self._symbols.pop(unified, None)
        if symbol is None:
            return
        state = self._states.pop(unified)
        book_topic = self._book_topics.pop(unified)
        topics = [book_topic, symbol.trade_topic()]
        for topic in topics:
            self._handlers.pop(topic, None)
            self._pending_resync.pop(topic, None)
        state.book.invalidate()
        self._send_later("unsubscribe", topics)

    def __len__(self) -> int:
        return len(self._states)

    # --- lifecycle --------------------------------------------------------------------------

    def start(self) -> None:
        self.connection.start()
        if self._maintenance is None:
            self._maintenance = asyncio.get_running_loop().create_task(self._maintain())

    async def stop(self) -> None:
        if self._maintenance is not None:
            self._maintenance.cancel()
            self._maintenance = None
        for task in list(self._tasks):
            task.cancel()
        await self.connection.stop()
        self._on_down()

    @property
    def is_live(self) -> bool:
        """Connected and talking: books read from this feed are current, not stale."""
        return self.connection.connected and self._connection_state() is StreamState.LIVE

    def health(self) -> StreamHealth:
        state = self._connection_state()
        if state is StreamState.LIVE and any(s.book.resyncing for s in self._states.values()):
            state = StreamState.RESYNCING
        return self.counters.snapshot(state=state, topics=len(self._handlers))

    def _connection_state(self) -> StreamState:
        """The connection's state, STALE as soon as the silence outlasts the timeout (the
        watchdog acts on its next tick)."""
        state = self.counters.state
        if state is StreamState.LIVE:
            age = self.counters.last_message_age()
            if age is not None and age > self.settings.silence_timeout:
                return StreamState.STALE
        return state

    # --- resync -----------------------------------------------------------------------------

    def resync(self, unified: str) -> None:
        """Ask for a fresh snapshot of ``unified``'s book (after a read found it broken)."""
        topic = self._book_topics.get(unified)
        if topic is not None:
            self._request_resync(topic)

    def _request_resync(self, topic: str) -> None:
        self.counters.resyncs += 1
        if topic in self._pending_resync:
            return
        self._pending_resync[topic] = self._clock.monotonic()
        self._send_later("unsubscribe", [topic], then_subscribe=True)

    # --- frames -----------------------------------------------------------------------------

    def wall_seconds(self) -> float:
        """Receive time as epoch seconds, from the injected clock's monotonic time."""
        return self._wall_offset + self._monotonic()

    def on_frame(self, raw: str | bytes) -> None:
        try:
            message = orjson.loads(raw)
        except orjson.JSONDecodeError:
            self.count_malformed(f"not JSON: {raw[:80]!r}")
            return
        try:
            topic = message.get("topic")
            if topic is None:
                self._on_control(message)
                return
            handler = self._handlers.get(topic)
            if handler is not None:
                handler(message)
        except (AttributeError, KeyError, TypeError, ValueError, ArithmeticError) as error:
            self.count_malformed(f"{type(error).__name__} {error}: {raw[:120]!r}")
            self._resync_if_book(message)

    def _resync_if_book(self, message: object) -> None:
        """A broken frame of a book topic may have left that book half-patched: rebuild it."""
        topic = message.get("topic") if isinstance(message, dict) else None
        handler = self._handlers.get(topic) if isinstance(topic, str) else None
        if isinstance(handler, _BookTopic):
            handler.book.invalidate()
            self._request_resync(handler.topic)

    def on_book_event(self, handler: _BookTopic, event: BookEvent, exchange_ms: int | None) -> None:
        if exchange_ms is not None:
            self.latest_exchange_ms = exchange_ms
        if event is _APPLIED or event is _RESET:
            if event is _RESET:
                self._pending_resync.pop(handler.topic, None)
            if self.listeners:
                self.listeners.book_updated(handler.state.symbol)
        elif event is BookEvent.GAP_PATCHED:
            self.counters.gaps += 1
            if self.listeners:
                self.listeners.book_updated(handler.state.symbol)
        elif event is BookEvent.GAP:
            self.counters.gaps += 1
            log.info("%s: sequence gap on %s, resyncing", self.counters.name, handler.topic)
            self._request_resync(handler.topic)
        elif event is BookEvent.MALFORMED:
            self.count_malformed(f"malformed levels on {handler.topic}")
            self._request_resync(handler.topic)

    def count_malformed(self, what: str) -> None:
        self.counters.malformed += 1
        log.warning("%s: malformed frame: %s", self.counters.name, what)

    def _on_control(self, message: Message) -> None:
        if bybit.is_pong(message):
            self.connection.pong_received()
        elif message.get("success") is False:
            reason = str(message.get("ret_msg"))
            self.counters.last_error = reason
            log.warning("%s: request refused: %s", self.counters.name, reason)

    # --- connection callbacks ---------------------------------------------------------------

    async def _on_open(self) -> None:
        self._on_down()
        self._pending_resync.clear()
        for text in bybit.subscription_requests(
            "subscribe", self.topics(), self.category, self._req_ids
        ):
            await self.connection.send(text)

    def _on_down(self) -> None:
        for state in self._states.values():
            state.book.invalidate()

    def _send_later(self, op: str, topics: list[str], *, then_subscribe: bool = False) -> None:
        if not self.connection.connected:
            return  # the next open subscribes to every wanted topic
        requests = bybit.subscription_requests(op, topics, self.category, self._req_ids)
        if then_subscribe:
            requests += bybit.subscription_requests(
                "subscribe", topics, self.category, self._req_ids
            )
        self._spawn(self._send_all(requests))

    async def _send_all(self, requests: list[str]) -> None:
        for text in requests:
            await self.connection.send(text)

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _maintain(self) -> None:
        """Re-ask for snapshots that never came; take periodic fresh ones if gaps are tolerated."""
        settings = self.settings
        tick = min(max(settings.silence_timeout / 4, 0.05), 1.0)
        while True:
            await asyncio.sleep(tick)
            now = self._clock.monotonic()
            for topic, asked in list(self._pending_resync.items()):
                if now - asked > settings.silence_timeout and topic in self._handlers:
                    del self._pending_resync[topic]
                    self._request_resync(topic)
            interval = settings.resnapshot_interval
            if settings.tolerate_gaps and interval > 0 and now - self._last_resnapshot > interval:
                self._last_resnapshot = now
                for topic in self._book_topics.values():
                    self._request_resync(topic)
