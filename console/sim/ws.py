"""The simulator's public WebSocket: Bybit v5 ``/v5/public/linear`` and ``/v5/public/spot``.

It serves the same :class:`SimMarket` as the REST half, so orders placed through REST move
the streamed book and print streamed trades. ``install_public_ws(app, market)`` mounts it on
the simulator's aiohttp app (one port for REST and WS) and returns the :class:`PublicWsHub`;
tests reach it later with :func:`public_ws_hub`.

Protocol (see ``bybit-v5.md`` section 5): ``subscribe`` / ``unsubscribe`` / ``ping`` with
the category's own ack and pong shapes, ``req_id`` echoed; a snapshot follows each subscribe;
``u`` is strictly +1 per topic on every connection unless a fault says otherwise
(``ws_faults.py``). Frames are text, uncompressed (compression tripled the per-frame cost).

A client cannot make the simulator grow: a topic is subscribed once per connection, each
connection's unsent frames are bounded in bytes (:class:`WsLimits`; a reader that falls that
far behind is disconnected, as Bybit drops slow consumers), connections per client address are
capped (the handshake beyond the cap gets HTTP 429), and a closed connection leaves nothing
behind in the hub. Every bad request is answered with Bybit's failure shape on a connection
that stays open.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import math
import random
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import orjson
from aiohttp import web

from console.sim.envelopes import wall_ms
from console.sim.http import admin_command
from console.sim.market import SimMarket, SimTrade
from console.sim.ws_faults import (
    MAX_FRAME_DELAY_S,
    ConnectionFaults,
    WsFaultCommand,
    WsPushCommand,
)
from console.sim.ws_publishers import (
    BOOK_PUSH_MS,
    BookPublisher,
    BookView,
    Frame,
    TickerPublisher,
    TradePublisher,
)
from console.sim.ws_serving import open_socket, serve_requests

log = logging.getLogger(__name__)

CATEGORIES = ("linear", "spot")
SPOT_MAX_ARGS = 10
"""Bybit spot accepts at most ten topics per subscribe request."""
_IDLE_PUMP_S = 0.05
_BOOK_DEPTHS = frozenset(str(depth) for depth in BOOK_PUSH_MS)
"""Depths as Bybit spells them: not ``"050"`` (a second name for one topic), not ``"²"``."""


SEND_QUEUE_BYTES = 2 << 20
"""Unsent bytes per connection (queued plus the socket's write buffer) before the client
counts as too slow and is disconnected: seconds of a console's streams, so only a reader that
stopped (or cannot keep up at all) reaches it."""
CONNECTIONS_PER_ADDRESS = 100
"""Open connections per client address (Bybit allows 1000 per IP per market type; a
simulator serves a few consoles). With the queue bound, at most 200 MiB per address."""


@dataclass(frozen=True, slots=True)
class WsLimits:
    """What one client may hold of the simulator's WebSocket resources."""

    send_queue_bytes: int = SEND_QUEUE_BYTES
    connections_per_address: int = CONNECTIONS_PER_ADDRESS


TopicKey = tuple[str, str]
"""(category, topic)"""
FrameListener = Callable[[str, str, str], None]
"""(category, topic, frame text): sends the frame to the topic's subscribers."""


class RecordedTopics(Protocol):
    """A market that brings its own frames (a replay): the hub forwards them verbatim.

    With one, the hub publishes nothing of its own: a subscribe gets the frames
    :meth:`subscribe_frames` returns (the topic's current snapshot), then every frame the
    market hands to the listener for that topic.
    """

    def topic_recorded(self, category: str, topic: str) -> bool: ...

    def subscribe_frames(self, category: str, topic: str) -> list[str]: ...

    def add_frame_listener(self, listener: FrameListener, backlog: Callable[[], int]) -> None:
        """``listener`` takes each frame; ``backlog()`` is the largest unsent bytes of a client
        (a replay at high speed waits on it instead of outrunning its readers)."""


class SimWsConnection:
    """One client connection: its subscriptions, its outgoing queue and its fault switches.

    The fault methods are the Python API tests use; ``POST /sim/admin/ws-faults`` calls the
    same methods.
    """

    def __init__(
        self,
        hub: PublicWsHub,
        category: str,
        ws: web.WebSocketResponse,
        request: web.Request,
        queue_limit: int = SEND_QUEUE_BYTES,
    ) -> None:
        self.hub = hub
        self.category = category
        self.conn_id = hub.new_conn_id()
        self.topics: set[str] = set()
        self.faults = ConnectionFaults()
        self.frames_sent = 0
        self.closed = False
        """Set once the connection is over (or being dropped): nothing more is queued."""
        self.peak_pending_bytes = 0
        """The most :attr:`pending_bytes` ever reached (the slow-reader bound's witness)."""
        self._ws = ws
        self._request = request
        self._queue_limit = queue_limit
        self._outbox: deque[tuple[str, int, float]] = deque()
        """(text, bytes, loop time it may leave at)"""
        self._outbox_bytes = 0
        self._wake = asyncio.Event()
        self._shift: dict[str, int] = {}
        """Per book topic: this connection's ``u`` minus the topic's ``u`` (faults move it)."""
        self._held: dict[str, str] = {}

    # --- fault switches (the test API) ------------------------------------------------------

    def drop(self) -> None:
        """Cut the TCP connection without a close frame."""
        transport = self._request.transport
        if transport is not None:
            transport.abort()

    def skip_sequence(self, topic: str | None = None) -> None:
        self.faults.arm("skip_u", topic)

    def duplicate_next(self, topic: str | None = None) -> None:
        self.faults.arm("duplicate", topic)

    def reorder_next(self, topic: str | None = None) -> None:
        self.faults.arm("reorder", topic)

    def go_silent(self, seconds: float | None = None) -> None:
        """Send nothing (data or pongs) for ``seconds``, or until :meth:`clear_faults`."""
        now = asyncio.get_running_loop().time()
        self.faults.silent_until = now + seconds if seconds is not None else math.inf

    def delay_frames(self, seconds: float) -> None:
        """Send every frame ``seconds`` late from now on (0 for on time), in order."""
        if not 0 <= seconds <= MAX_FRAME_DELAY_S:
            raise ValueError(f"a frame delay is 0 to {MAX_FRAME_DELAY_S:g} s, not {seconds!r}")
        self.faults.delay_s = seconds

    def clear_faults(self) -> None:
        self.faults.clear()

    def restart_sequence(self, topic: str | None = None) -> None:
        """Push a snapshot with ``u = 1`` now (a venue restart); the sequence goes on from 1."""
        for publisher in self._book_publishers(topic):
            self._shift[publisher.topic] = 1 - publisher.u
            self._send(publisher.snapshot_frame(u=1))

    def push_crossed(self, topic: str | None = None) -> None:
        """Push an in-sequence delta that crosses the book (a bid above the best ask)."""
        for publisher in self._book_publishers(topic):
            u = self._next_u(publisher)
            self._send(publisher.crossed_frame(u))

    def send_malformed(self) -> None:
        """Send a frame that is not JSON, then an in-sequence delta with a broken payload."""
        self._send('{"topic":"orderbook.50.BTCUSDT","type":"delta","data":{"b":[["1')
        for publisher in self._book_publishers(None)[:1]:
            u = self._next_u(publisher)
            broken = {"s": publisher.book.symbol, "b": [["1"]], "a": "x", "u": u, "seq": 0}
            self._send({"topic": publisher.topic, "type": "delta", "ts": wall_ms(), "data": broken})

    def push(self, command: WsPushCommand) -> bool:
        """Send the command's frame if this connection follows its topic (the admin push)."""
        if command.topic not in self.topics:
            return False
        if command.text is not None:
            self._send(command.text)
            return True
        frame = dict(command.frame or {})
        if command.in_sequence:
            publisher = self.hub.book_publisher(self.category, command.topic)
            if publisher is None:
                return False
            data = frame.get("data")
            frame["data"] = {
                **(data if isinstance(data, dict) else {}),
                "u": self._next_u(publisher),
            }
        # json, not orjson: a hostile frame may hold integers beyond 64 bits.
        self._send(json.dumps(frame, separators=(",", ":")))
        return True

    def true_view(self, topic: str, u: int) -> BookView | None:
        """The book the simulator published at this connection's ``u`` for ``topic``."""
        publisher = self.hub.book_publisher(self.category, topic)
        if publisher is None:
            return None
        return publisher.view_at(u - self._shift.get(topic, 0))

    # --- delivery ---------------------------------------------------------------------------

    def deliver_book(self, publisher: BookPublisher, frame: Frame, text: str) -> None:
        """Send a book frame (``text`` is ``frame`` encoded), applying this connection's faults."""
        topic = publisher.topic
        shift = self._shift.get(topic, 0)
        if self.faults.take("skip_u", topic):
            shift = self._shift[topic] = shift + 1
        if shift:
            data = {**frame["data"], "u": frame["data"]["u"] + shift}
            text = _encode({**frame, "data": data})
        held = self._held.pop(topic, None)
        if self.faults.take("reorder", topic):
            self._held[topic] = text
        else:
            self._send(text)
            if self.faults.take("duplicate", topic):
                self._send(text)
        if held is not None:
            self._send(held)

    def deliver(self, text: str) -> None:
        self._send(text)

    def subscribe_snapshot(self, publisher: BookPublisher) -> None:
        self._shift.pop(publisher.topic, None)
        self._held.pop(publisher.topic, None)
        self._send(publisher.snapshot_frame())

    def _next_u(self, publisher: BookPublisher) -> int:
        """Take one ``u`` for an injected frame, so later deltas stay contiguous after it."""
        shift = self._shift.get(publisher.topic, 0)
        self._shift[publisher.topic] = shift + 1
        return publisher.u + shift + 1

    def _book_publishers(self, topic: str | None) -> list[BookPublisher]:
        chosen = []
        for name in sorted(self.topics):
            if name.startswith("orderbook.") and (topic is None or topic == name):
                publisher = self.hub.book_publisher(self.category, name)
                if publisher is not None:
                    chosen.append(publisher)
        return chosen

    @property
    def pending_bytes(self) -> int:
        """Bytes accepted for this client and not yet handed to the kernel."""
        transport = self._request.transport
        buffered = transport.get_write_buffer_size() if transport is not None else 0
        return self._outbox_bytes + buffered

    def _send(self, frame: Frame | str) -> None:
        now = asyncio.get_running_loop().time()
        if self.closed or self.faults.is_silent(now):
            return
        text = frame if isinstance(frame, str) else _encode(frame)
        size = len(text) if text.isascii() else len(text.encode())
        pending = self.pending_bytes + size
        if pending > self._queue_limit:
            log.warning(
                "sim ws %s: the client fell %d bytes behind (limit %d); disconnecting it",
                self.conn_id,
                pending,
                self._queue_limit,
            )
            self.release()
            self.drop()
            return
        self._outbox.append((text, size, now + self.faults.delay_s))
        self._outbox_bytes += size
        self.peak_pending_bytes = max(self.peak_pending_bytes, pending)
        self._wake.set()

    async def write_loop(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            while not self._outbox:
                if self.closed:
                    return
                self._wake.clear()
                await self._wake.wait()
            wait = self._outbox[0][2] - loop.time()
            if wait > 0:  # a delay fault holds the frame back
                await asyncio.sleep(wait)
                continue  # the outbox may have been released meanwhile
            text, size, _ = self._outbox.popleft()
            self._outbox_bytes -= size
            if self._ws.closed:
                return
            await self._ws.send_str(text)
            self.frames_sent += 1

    def release(self) -> None:
        """Stop queueing and free what is queued; the writer ends."""
        self.closed = True
        self._outbox.clear()
        self._outbox_bytes = 0
        self._wake.set()

    # --- requests ---------------------------------------------------------------------------

    def handle_request(self, text: str) -> None:
        """Answer one client request; a defect of ours is logged and answered, never fatal."""
        try:
            self._handle_request(text)
        except Exception:
            log.exception("sim ws %s: unexpected error on a request", self.conn_id)
            self._send(self._answer(None, "", False, "error:internal error"))

    def _handle_request(self, text: str) -> None:
        try:
            request = orjson.loads(text)
            if not isinstance(request, dict):
                raise TypeError("a request is a JSON object")
        except (orjson.JSONDecodeError, TypeError):
            self._send(self._answer(None, "", False, "error:invalid request"))
            return
        op = request.get("op")
        req_id = request.get("req_id")
        if op == "ping":
            self._send(self._answer(req_id, "ping", True, "pong"))
        elif op in ("subscribe", "unsubscribe"):
            self._handle_subscription(str(op), req_id, request.get("args"))
        else:
            self._send(self._answer(req_id, str(op), False, "error:request not supported"))

    def _handle_subscription(self, op: str, req_id: Any, args: Any) -> None:
        if not isinstance(args, list) or not all(isinstance(a, str) for a in args) or not args:
            self._send(self._answer(req_id, op, False, "error:args must be a list of topics"))
            return
        args = list(dict.fromkeys(args))  # a topic named twice is one subscription
        if self.category == "spot" and len(args) > SPOT_MAX_ARGS:
            self._send(self._answer(req_id, op, False, "error:args size >10"))
            return
        problems = (self.hub.topic_problem(self.category, topic) for topic in args)
        problem = next((p for p in problems if p is not None), None)
        if problem is None and op == "subscribe":
            already = next((t for t in args if t in self.topics), None)
            if already is not None:
                problem = f"already subscribed,topic:{already}"
        if problem is not None:
            self._send(self._answer(req_id, op, False, f"error:{problem}"))
            return
        ret_msg = op if self.category == "spot" else ""
        self._send(self._answer(req_id, op, True, ret_msg))
        for topic in args:
            if op == "subscribe":
                self.topics.add(topic)
                self.hub.attach(self, topic)
            elif topic in self.topics:
                self.topics.discard(topic)
                self.hub.detach(self, topic)

    def _answer(self, req_id: Any, op: str, success: bool, ret_msg: str) -> Frame:
        """Bybit's ack/pong shape per category: linear always has ``req_id``; spot echoes it."""
        answer: Frame = {"success": success, "ret_msg": ret_msg, "conn_id": self.conn_id}
        if self.category == "linear" or req_id is not None:
            answer["req_id"] = req_id if req_id is not None else ""
        answer["op"] = op
        return answer


class PublicWsHub:
    """All public connections and the topic publishers they share; one pump drives them."""

    def __init__(
        self,
        market: SimMarket,
        limits: WsLimits | None = None,
        recorded: RecordedTopics | None = None,
    ) -> None:
        self.market = market
        self.recorded = recorded
        self.limits = limits or WsLimits()
        self.connections: list[SimWsConnection] = []
        self._per_address: dict[str, int] = {}
        self._rng = random.Random(f"ws-{market.seed}")
        self._books: dict[TopicKey, BookPublisher] = {}
        self._tickers: dict[TopicKey, TickerPublisher] = {}
        self._trades: dict[TopicKey, TradePublisher] = {}
        self._subscribers: dict[TopicKey, dict[SimWsConnection, None]] = {}
        """Per topic, its connections: a dict as an ordered set, so none is there twice."""
        self._due: dict[TopicKey, float] = {}
        self._silent_until: dict[str, float] = {}
        """Per category, until when new connections are silent too (:meth:`go_silent`)."""
        self._pump_task: asyncio.Task[None] | None = None
        market.add_trade_listener(self._on_trade)
        if recorded is not None:
            recorded.add_frame_listener(self.publish_recorded, self.backlog_bytes)

    def new_conn_id(self) -> str:
        return str(uuid.UUID(int=self._rng.getrandbits(128), version=4))

    def book_publisher(self, category: str, topic: str) -> BookPublisher | None:
        return self._books.get((category, topic))

    def connections_of(self, category: str) -> list[SimWsConnection]:
        return [c for c in self.connections if c.category == category]

    def go_silent(self, category: str, seconds: float) -> None:
        """A venue that still accepts connections but says nothing on ``category`` for
        ``seconds``: its open connections, and those made meanwhile, send nothing."""
        until = asyncio.get_running_loop().time() + seconds
        self._silent_until[category] = until
        for connection in self.connections_of(category):
            connection.faults.silent_until = until

    # --- topics -----------------------------------------------------------------------------

    def topic_problem(self, category: str, topic: str) -> str | None:
        """Why ``topic`` cannot be served on ``category``; None when it can."""
        parts = topic.split(".")
        if parts[0] == "orderbook" and len(parts) == 3:
            if parts[1] not in _BOOK_DEPTHS:
                return f"handler not found,topic:{topic}"
        elif parts[0] not in ("publicTrade", "tickers") or len(parts) != 2:
            return f"handler not found,topic:{topic}"
        if not self.market.has_book(category, parts[-1]):
            return f"Invalid symbol :[{topic}]"
        if self.recorded is not None and not self.recorded.topic_recorded(category, topic):
            return f"not in the recording,topic:{topic}"
        return None

    def attach(self, connection: SimWsConnection, topic: str) -> None:
        key = (connection.category, topic)
        if self.recorded is not None:
            for text in self.recorded.subscribe_frames(connection.category, topic):
                connection.deliver(text)
            self._subscribers.setdefault(key, {})[connection] = None
            return
        kind, *rest = topic.split(".")
        symbol = rest[-1]
        if kind == "orderbook":
            publisher = self._books.get(key)
            if publisher is None:
                book = self.market.book(connection.category, symbol)
                publisher = BookPublisher(self.market, book, int(rest[0]), self._rng)
                self._books[key] = publisher
            self._publish_book(key, publisher)
            connection.subscribe_snapshot(publisher)
        elif kind == "tickers":
            ticker = self._tickers.get(key)
            if ticker is None:
                ticker = TickerPublisher(self.market, connection.category, symbol, self._rng)
                self._tickers[key] = ticker
            connection.deliver(_encode(ticker.snapshot_frame()))
        elif key not in self._trades:
            self._trades[key] = TradePublisher(connection.category, symbol, self._rng)
        self._subscribers.setdefault(key, {})[connection] = None
        self._ensure_pump()

    def detach(self, connection: SimWsConnection, topic: str) -> None:
        key = (connection.category, topic)
        subscribers = self._subscribers.get(key)
        if subscribers is not None:
            subscribers.pop(connection, None)
            if not subscribers:
                del self._subscribers[key]

    def subscriber_count(self) -> int:
        """(connection, topic) pairs the hub delivers to; 0 once every connection closed."""
        return sum(len(subscribers) for subscribers in self._subscribers.values())

    def connections_from(self, address: str) -> int:
        return self._per_address.get(address, 0)

    # --- HTTP -------------------------------------------------------------------------------

    async def handle(self, request: web.Request) -> web.StreamResponse:
        category = request.match_info["category"]
        address = request.remote or "unknown"
        cap = self.limits.connections_per_address
        if self._per_address.get(address, 0) >= cap:
            return web.Response(
                status=429, text=f"too many connections from {address} (at most {cap})"
            )
        self._per_address[address] = self._per_address.get(address, 0) + 1
        try:
            return await self._serve(request, category)
        finally:
            left = self._per_address.pop(address) - 1
            if left:
                self._per_address[address] = left

    async def _serve(self, request: web.Request, category: str) -> web.WebSocketResponse:
        ws = await open_socket(request)
        connection = SimWsConnection(self, category, ws, request, self.limits.send_queue_bytes)
        silent_until = self._silent_until.get(category)
        if silent_until is not None and silent_until > asyncio.get_running_loop().time():
            connection.faults.silent_until = silent_until
        self.connections.append(connection)

        def forget() -> None:
            self.connections.remove(connection)
            for topic in list(connection.topics):
                self.detach(connection, topic)
            connection.topics.clear()
            connection.release()

        await serve_requests(ws, connection, forget)
        return ws

    async def admin_faults(self, request: web.Request) -> web.Response:
        command = await admin_command(request, WsFaultCommand)
        applied = 0
        for connection in list(self.connections):
            if command.category is None or command.category == connection.category:
                _apply(connection, command)
                applied += 1
        return web.json_response({"applied": applied})

    async def admin_push(self, request: web.Request) -> web.Response:
        """``POST /sim/admin/ws-push``: send a :class:`WsPushCommand`'s frame to subscribers."""
        command = await admin_command(request, WsPushCommand)
        pushed = 0
        for connection in list(self.connections):
            if command.category in (None, connection.category) and connection.push(command):
                pushed += 1
        return web.json_response({"pushed": pushed})

    async def admin_connections(self, request: web.Request) -> web.Response:
        rows = [
            {"conn_id": c.conn_id, "category": c.category, "topics": sorted(c.topics)}
            for c in self.connections
        ]
        return web.json_response({"connections": rows})

    async def close(self, app: web.Application | None = None) -> None:
        if self._pump_task is not None:
            self._pump_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._pump_task
            self._pump_task = None
        for connection in list(self.connections):
            connection.drop()

    # --- publishing -------------------------------------------------------------------------

    def _ensure_pump(self) -> None:
        if self._pump_task is None or self._pump_task.done():
            self._pump_task = asyncio.get_running_loop().create_task(self._pump())

    async def _pump(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            try:
                next_due = self._publish_due(loop.time())
            except Exception:
                log.exception("sim ws publishing failed")
                next_due = loop.time() + _IDLE_PUMP_S
            await asyncio.sleep(max(next_due - loop.time(), 0.0005))

    def _publish_due(self, now: float) -> float:
        next_due = now + _IDLE_PUMP_S
        publishers: list[tuple[TopicKey, BookPublisher | TickerPublisher]] = [
            *self._books.items(),
            *self._tickers.items(),
        ]
        for key, publisher in publishers:
            if not self._subscribers.get(key):
                continue
            due = self._due.get(key, now)
            if due <= now:
                if isinstance(publisher, BookPublisher):
                    self._publish_book(key, publisher)
                else:
                    self._broadcast(key, publisher.poll())
                due = self._due[key] = now + publisher.interval_s
            next_due = min(next_due, due)
        for key, trades in self._trades.items():
            if self._subscribers.get(key):
                self._broadcast(key, trades.flush())
        return next_due

    def _publish_book(self, key: TopicKey, publisher: BookPublisher) -> None:
        frame = publisher.poll()
        if frame is None:
            return
        text = _encode(frame)
        for connection in tuple(self._subscribers.get(key, ())):
            connection.deliver_book(publisher, frame, text)

    def _broadcast(self, key: TopicKey, frame: Frame | None) -> None:
        if frame is None:
            return
        text = _encode(frame)
        for connection in tuple(self._subscribers.get(key, ())):
            connection.deliver(text)

    def publish_recorded(self, category: str, topic: str, text: str) -> None:
        """Send a recorded frame as it is to the topic's subscribers."""
        for connection in tuple(self._subscribers.get((category, topic), ())):
            connection.deliver(text)

    def backlog_bytes(self) -> int:
        """The most bytes any open connection has not yet sent."""
        return max((c.pending_bytes for c in self.connections), default=0)

    def _on_trade(self, trade: SimTrade) -> None:
        publisher = self._trades.get((trade.category, f"publicTrade.{trade.symbol}"))
        if publisher is not None and self._subscribers.get((trade.category, publisher.topic)):
            publisher.add(trade)


def _apply(connection: SimWsConnection, command: WsFaultCommand) -> None:
    action, topic = command.action, command.topic
    if action == "drop":
        connection.drop()
    elif action == "skip_u":
        connection.skip_sequence(topic)
    elif action == "restart_u":
        connection.restart_sequence(topic)
    elif action == "silence":
        connection.go_silent(command.seconds)
    elif action == "malformed":
        connection.send_malformed()
    elif action == "duplicate":
        connection.duplicate_next(topic)
    elif action == "reorder":
        connection.reorder_next(topic)
    elif action == "crossed":
        connection.push_crossed(topic)
    elif action == "delay":
        connection.delay_frames(command.seconds or 0.0)
    else:
        connection.clear_faults()


def _encode(frame: Frame) -> str:
    return orjson.dumps(frame).decode()


PUBLIC_WS_KEY = web.AppKey("public_ws", PublicWsHub)


def install_public_ws(
    app: web.Application,
    market: SimMarket,
    limits: WsLimits | None = None,
    recorded: RecordedTopics | None = None,
) -> PublicWsHub:
    """Mount the public WebSocket and its admin endpoints on the simulator's app."""
    hub = PublicWsHub(market, limits, recorded)
    app[PUBLIC_WS_KEY] = hub
    app.router.add_get("/v5/public/{category:linear|spot}", hub.handle)
    app.router.add_post("/sim/admin/ws-faults", hub.admin_faults)
    app.router.add_post("/sim/admin/ws-push", hub.admin_push)
    app.router.add_get("/sim/admin/ws-connections", hub.admin_connections)
    app.on_shutdown.append(hub.close)
    return hub


def public_ws_hub(app: web.Application) -> PublicWsHub:
    """The hub ``install_public_ws`` mounted on ``app`` (tests drive faults through it)."""
    return app[PUBLIC_WS_KEY]


__all__ = [
    "PublicWsHub",
    "RecordedTopics",
    "SimWsConnection",
    "WsFaultCommand",
    "WsLimits",
    "WsPushCommand",
    "install_public_ws",
    "public_ws_hub",
]
