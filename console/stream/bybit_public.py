"""Bybit's public WebSocket feed: one connection (one category) and its symbols' topics.

The feed is the hot path: every frame is decoded once with orjson and handed, by topic, to
a small handler bound to one symbol's state. The frames' shapes are
:mod:`console.stream.bybit_frames` (typed schemas, Bybit's own field names); the handlers
check them with plain comparisons instead of validating each frame with pydantic, which
would cost more than the whole ingest.

This is the stream's trust boundary: every value is checked against
:mod:`console.domain.plausibility` before it reaches a book or a window. ``u`` a positive
int64, ``ts`` and trade ``T`` from 2015 to a little ahead of the clock, trade prices and
sizes finite and in range, trade ids present. A frame that fails is counted as malformed
and dropped whole; if it was a book's, that book is resynced. Book levels stay the venue's
strings on the way in (no parsing per level) and are checked, with the same bounds, when a
reader builds the book; a book refused then as unreadable is counted as malformed too.

A book that reports a gap, a malformed delta, a crossed or unreadable state, or that stops
following the venue (:mod:`console.stream.book_watch`: counted as *suspect*) is resynced by
unsubscribing and subscribing its topic again, which makes Bybit send a fresh snapshot. A
resync that gets no snapshot within the silence timeout is requested again.
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
from console.domain import (
    BookEvent,
    Clock,
    IntegrityFailure,
    MarketType,
    StreamHealth,
    StreamState,
    VenueClock,
)
from console.domain.plausibility import (
    EARLIEST_MS,
    MAX_MAGNITUDE,
    MAX_NUMBER_TEXT,
    MAX_SEQUENCE,
    Implausible,
    allowed_ahead_ms,
)
from console.stream import bybit
from console.stream.backoff import FullJitterBackoff
from console.stream.book_watch import SUSPECT_DUPLICATES, jumps_ahead, prints_through
from console.stream.bybit import BybitSymbol
from console.stream.connection import ReconnectingWebSocket
from console.stream.health import StreamCounters
from console.stream.listeners import ListenerSet
from console.stream.symbol_state import SymbolState, TapeRow

log = logging.getLogger(__name__)

Message = dict[str, Any]
_APPLIED, _RESET = BookEvent.APPLIED, BookEvent.RESET
_ZERO = Decimal(0)
UNREADABLE_BACKOFF_MAX_S = 30.0
"""The longest wait before asking again for a book whose snapshots keep being unreadable."""
_loads = orjson.loads
_UNROUTED = (orjson.JSONDecodeError, KeyError, TypeError)
"""What finding a frame's handler raises when it has none: not JSON (a ``ValueError``), no
``topic`` or one not routed (``KeyError``), not an object or an unhashable topic
(``TypeError``)."""
_FRAME_FAILURES = (
    AttributeError,
    KeyError,
    IndexError,
    TypeError,
    ValueError,
    ArithmeticError,
    RecursionError,
)
"""What a frame of the wrong shape or with implausible values raises in a handler
(:class:`Implausible` is a ValueError): counted as malformed, never fatal."""


class _BookTopic:
    """Feeds ``orderbook.{depth}.{id}`` frames (:class:`BybitBookFrame`) into one book."""

    __slots__ = ("book", "duplicates", "feed", "highest_u", "state", "topic")

    def __init__(self, feed: BybitPublicFeed, state: SymbolState, topic: str) -> None:
        self.feed = feed
        self.state = state
        self.book = state.book
        self.topic = topic
        self.duplicates = 0
        """Deltas in a row that were not newer than the book (see ``book_watch``)."""
        self.highest_u: int | None = None
        """The highest ``u`` this topic delivered, suspect snapshots included."""

    def on_message(self, message: Message) -> None:
        """One frame of this topic; raises one of ``_FRAME_FAILURES`` if it is malformed.

        A bound method, not ``__call__``: the feed's dispatch calls it per frame, and Python
        calls a bound method without the C round trip an instance's ``__call__`` takes.
        """
        data = message["data"]
        sequence = data["u"]
        if not (type(sequence) is int and 0 < sequence <= MAX_SEQUENCE):
            raise Implausible("u", sequence, "is not a positive int64")
        feed = self.feed
        received = feed.wall_offset + feed.monotonic()
        exchange_ms = message.get("ts")
        if exchange_ms is not None:
            if not (
                type(exchange_ms) is int
                and EARLIEST_MS <= exchange_ms <= received * 1000 + feed.max_ahead_ms
            ):
                raise Implausible("ts", exchange_ms, "is not a plausible time")
            feed.record_received_ms(
                received * 1000 - exchange_ms + feed.venue_clock.offset_ms, received
            )
        kind = message["type"]
        if kind == "delta":
            event = self.book.apply_delta(data["b"], data["a"], sequence, exchange_ms, received)
            if event is _APPLIED:  # the common case, kept short
                self.duplicates = 0
                if exchange_ms is not None:
                    feed.latest_exchange_ms = exchange_ms
                if feed.listeners.members:
                    feed.listeners.book_updated(self.state.symbol)
                return
        elif kind == "snapshot":
            reference = self.book.sequence
            if self.highest_u is not None and (reference is None or self.highest_u > reference):
                reference = self.highest_u
            self.highest_u = sequence
            if jumps_ahead(reference, sequence):
                feed.suspect(self, f"snapshot u={sequence} is far ahead of u={reference}")
                return
            event = self.book.apply_snapshot(
                data["b"], data["a"], sequence, exchange_ms=exchange_ms, received_s=received
            )
        else:
            raise Implausible("type", kind, "is neither snapshot nor delta")
        feed.on_book_event(self, event, exchange_ms)


class _TradeTopic:
    """Feeds ``publicTrade.{id}`` frames (:class:`BybitTradeFrame`) into one symbol's window
    and tape. Every row is checked before any is recorded: a frame with one implausible
    row is dropped whole (the caller counts it as malformed)."""

    __slots__ = ("feed", "state")

    def __init__(self, feed: BybitPublicFeed, state: SymbolState) -> None:
        self.feed = feed
        self.state = state

    def on_message(self, message: Message) -> None:
        """One frame of this topic; raises one of ``_FRAME_FAILURES`` if it is malformed."""
        rows = message["data"]
        if type(rows) is not list:
            raise Implausible("data", rows, "is not a list of trades")
        feed = self.feed
        latest_allowed = (feed.wall_offset + feed.monotonic()) * 1000 + feed.max_ahead_ms
        checked: list[TapeRow] = []
        try:
            for row in rows:  # plausibility's rules, inlined: this runs for every trade
                p = row["p"]
                v = row["v"]
                stamp = row["T"]
                side = row["S"]
                trade_id = row["i"]
                if not (type(p) is str and type(v) is str and len(p) + len(v) <= MAX_NUMBER_TEXT):
                    raise Implausible("trade p/v", (p, v), "are not short decimal strings")
                price = Decimal(p)
                size = Decimal(v)
                is_buy = side == "Buy"
                # No is_finite(): an infinity fails the range, and ordering a NaN signals
                # InvalidOperation (an ArithmeticError, turned into Implausible below).
                if not (
                    type(stamp) is int
                    and EARLIEST_MS <= stamp <= latest_allowed
                    and _ZERO < price < MAX_MAGNITUDE  # Decimal to Decimal: twice as fast as to 0
                    and _ZERO < size < MAX_MAGNITUDE
                    and (is_buy or side == "Sell")
                    and type(trade_id) is str
                    and trade_id
                ):
                    raise Implausible(
                        "trade", row, "has an implausible time, price, size, side or id"
                    )
                checked.append((stamp, trade_id, price, size, is_buy))
        except ArithmeticError:
            raise Implausible("trade", row, "has a price or size that is not a number") from None
        if checked:
            state = self.state
            state.record_trades(checked)
            feed.latest_exchange_ms = stamp  # the last row's
            if feed.listeners.members:
                trades = [state.trade_model(row) for row in checked]
                feed.listeners.traded(state.symbol, trades)


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
        venue_clock: VenueClock | None = None,
    ) -> None:
        self.category = category
        self.settings = settings
        self.listeners = listeners
        self.counters = StreamCounters(
            name, clock, venue_clock=venue_clock, slow_after_ms=settings.slow_latency_ms
        )
        self.latency = self.counters.latency
        """Venue stamp to received (every book frame) and to painted (the UI's ladders)."""
        self.record_received_ms = self.latency.record_received_ms
        self.venue_clock = self.latency.venue_clock
        """The received stage's recorder and the offset it is corrected by, read once: the
        book handler records every frame's latency as ``StreamLatency.received`` would."""
        self.latest_exchange_ms: int | None = None
        """Latest exchange timestamp seen on this connection (moves trade windows on)."""
        self.max_ahead_ms = allowed_ahead_ms()
        """How far ``ts`` and trade ``T`` may lead the clock (read once: the hot path)."""
        self._clock = clock
        self.monotonic = clock.monotonic
        """The clock's monotonic seconds, bound once: the handlers read it per frame."""
        self.wall_offset = clock.now().timestamp() - clock.monotonic()
        """Epoch seconds minus monotonic seconds: receive times as epoch seconds
        (:meth:`wall_seconds`, which the handlers inline)."""
        self._symbols: dict[str, BybitSymbol] = {}
        self._states: dict[str, SymbolState] = {}
        self._handlers: dict[str, _BookTopic | _TradeTopic] = {}
        self._routes: dict[str, Callable[[Message], None]] = {}
        """topic -> its handler's ``on_message``: the per-frame dispatch, one dict lookup."""
        self._book_topics: dict[str, str] = {}
        """unified symbol -> its book topic"""
        self._pending_resync: dict[str, float] = {}
        self._resync_due: dict[str, float] = {}
        """book topic -> when to ask again for a book whose snapshots keep being unreadable:
        after 1, 2, 4... s, not at round-trip pace (:meth:`resync`)."""
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
            text_as_bytes=True,
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
        self._route(book_topic, _BookTopic(self, state, book_topic))
        self._route(symbol.trade_topic(), _TradeTopic(self, state))
        self._send_later("subscribe", [book_topic, symbol.trade_topic()])
        return state

    def _route(self, topic: str, handler: _BookTopic | _TradeTopic) -> None:
        self._handlers[topic] = handler
        self._routes[topic] = handler.on_message

    def remove(self, unified: str) -> None:
        symbol = self._symbols.pop(unified, None)
        if symbol is None:
            return
        state = self._states.pop(unified)
        book_topic = self._book_topics.pop(unified)
        topics = [book_topic, symbol.trade_topic()]
        for topic in topics:
            self._handlers.pop(topic, None)
            self._routes.pop(topic, None)
            self._pending_resync.pop(topic, None)
            self._resync_due.pop(topic, None)
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

    def stream_state(self) -> StreamState:
        """The state :meth:`health` reports, without building the rest of it."""
        state = self._connection_state()
        if state is StreamState.LIVE and any(s.book.resyncing for s in self._states.values()):
            return StreamState.RESYNCING
        return state

    def health(self) -> StreamHealth:
        return self.counters.snapshot(state=self.stream_state(), topics=len(self._handlers))

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
        """Ask for a fresh snapshot of ``unified``'s book (after a read found it broken).

        A book refused as unreadable held a level no venue could send: the frame that
        brought it is counted as malformed here, where it is found.
        """
        topic = self._book_topics.get(unified)
        if topic is None:
            return
        state = self._states[unified]
        if state.book.last_failure is IntegrityFailure.UNREADABLE:
            self.count_malformed(f"implausible level in the book of {topic}")
            in_a_row = state.book.unreadable_in_a_row
            if in_a_row > 1:  # the fresh snapshot was unreadable too: ask later (watch_books)
                wait = min(2.0 ** (in_a_row - 2), UNREADABLE_BACKOFF_MAX_S)
                self._resync_due[topic] = self._clock.monotonic() + wait
                return
        self._request_resync(topic)

    def suspect(self, handler: _BookTopic, why: str) -> None:
        """The book stopped following the venue: badge it (readers now get the last good
        view flagged stale), count it and take a fresh snapshot."""
        self.counters.suspect += 1
        self.counters.last_error = f"{handler.topic}: {why}"
        log.warning(
            "%s: book %s is suspect (%s), resyncing", self.counters.name, handler.topic, why
        )
        handler.duplicates = 0
        handler.state.through_touch.reset()
        handler.book.invalidate()
        self._request_resync(handler.topic)

    def _request_resync(self, topic: str) -> None:
        self.counters.resyncs += 1
        if topic in self._pending_resync:
            return
        self._pending_resync[topic] = self._clock.monotonic()
        self._send_later("unsubscribe", [topic], then_subscribe=True)

    # --- frames -----------------------------------------------------------------------------

    def wall_seconds(self) -> float:
        """Receive time as epoch seconds, from the injected clock's monotonic time."""
        return self.wall_offset + self.monotonic()

    def on_frame(self, raw: str | bytes) -> None:
        """One frame as the socket delivered it: decoded once, handed to its topic's handler.

        The common frame (a dict whose ``topic`` is routed) takes two dict lookups to reach
        its handler; everything else (control frames, topics no longer wanted, frames that are
        not JSON objects) goes through :meth:`_on_unrouted`.
        """
        try:
            message = _loads(raw)
            handler = self._routes[message["topic"]]
        except _UNROUTED:
            self._on_unrouted(raw)
            return
        try:
            handler(message)
        except _FRAME_FAILURES as error:
            self.count_malformed(f"{type(error).__name__} {error}: {raw[:120]!r}")
            self._resync_if_book(message)

    def _on_unrouted(self, raw: str | bytes) -> None:
        """The general path, for every frame :meth:`on_frame` found no handler for: not
        JSON, not an object, a control frame (no ``topic``), or a topic this feed does not
        follow (any more). Rare, so it decodes the frame again rather than pass it on."""
        try:
            message = _loads(raw)
        except orjson.JSONDecodeError:
            self.count_malformed(f"not JSON: {raw[:80]!r}")
            return
        try:
            topic = message.get("topic")
            if topic is None:
                self._on_control(message)
                return
            handler = self._routes.get(topic)
            if handler is not None:
                handler(message)
        except _FRAME_FAILURES as error:
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
        elif event is BookEvent.DUPLICATE:
            handler.duplicates += 1
            if handler.duplicates >= SUSPECT_DUPLICATES:
                self.suspect(handler, f"{handler.duplicates} deltas in a row were not newer")

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
        """The connection dropped (or reopened): every book waits for a fresh snapshot, and
        listeners of a book that was live hear of it now, since no frame will come to say so
        (a chase stops on it). A book still waiting for its first snapshot is not news: a
        listener told of it would find no book."""
        was_live = [symbol for symbol, state in self._states.items() if not state.book.resyncing]
        for state in self._states.values():
            state.book.invalidate()
        if self.listeners:
            for symbol in was_live:
                self.listeners.book_updated(symbol)

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

    def watch_books(self, now: float) -> None:
        """The slow checks of every book: broken on read, or printed through for too long.

        The maintenance tick runs this about once a second; ``now`` is monotonic seconds.
        It also asks again for the snapshot of a book found unreadable in a row, when its
        wait is over.
        """
        for topic, due in list(self._resync_due.items()):
            if now >= due:
                del self._resync_due[topic]
                self._request_resync(topic)
        for handler in list(self._handlers.values()):
            if not isinstance(handler, _BookTopic):
                continue
            state = handler.state
            view = state.book.snapshot()  # builds and checks a changed book nobody read yet
            if state.book.take_resync_request():
                self.resync(state.symbol)
                continue
            last = state.last_trade()
            through = last is not None and prints_through(view, last[2])
            sequence = view.sequence if view is not None else None
            if state.through_touch.check(through, last, now, sequence):
                self.suspect(handler, "trades keep printing through its touch")

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
            self.watch_books(now)
            interval = settings.resnapshot_interval
            if settings.tolerate_gaps and interval > 0 and now - self._last_resnapshot > interval:
                self._last_resnapshot = now
                for topic in self._book_topics.values():
                    self._request_resync(topic)
