"""Record a Bybit v5 venue's public streams (and the REST a replay needs) into a recording.

The WebSocket side is the console's own :class:`ReconnectingWebSocket` (heartbeat, silence
watchdog, reconnect with backoff); the recorder only subscribes on every open and writes each
frame exactly as it arrived, with its receive time. A reconnect is written as an event, and
the venue's fresh snapshots after it are recorded like any frame, so a replay rebuilds the
books the same way the console did.

Before the streams open, one REST pass takes what a replay must answer without a stream:
instruments, an order book, a ticker, recent trades and minute candles per symbol.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import orjson

from console.config import StreamSettings
from console.domain import MarketType, SystemClock
from console.domain.replay import RecordingFailed
from console.replay.recording import RecordingWriter, RecordKind
from console.stream import bybit
from console.stream.backoff import FullJitterBackoff
from console.stream.bybit import BybitSymbol
from console.stream.connection import ReconnectingWebSocket
from console.stream.health import StreamCounters

log = logging.getLogger(__name__)

MAINNET_REST = "https://api.bybit.com"
TESTNET_REST = "https://api-testnet.bybit.com"
REST_BY_VENUE = {"bybit": MAINNET_REST, "bybit-demo": MAINNET_REST, "bybit-testnet": TESTNET_REST}
CANDLES = 1000
"""Minute candles fetched per symbol (one request: Bybit's largest kline page)."""
_REST_TIMEOUT_S = 15.0
_FLUSH_TICK_S = 0.1


class RecordError(RecordingFailed):
    """The recording could not start (bad symbol, REST refused, unreachable venue)."""


@dataclass(frozen=True, slots=True)
class RecordTarget:
    """Where to record from: the venue's REST base and WebSocket base, and what."""

    venue: str
    rest_url: str
    ws_url: str
    symbols: tuple[str, ...]
    depth: int = 50


def target_for(
    venue: str, symbols: Sequence[str], *, venue_url: str | None = None, depth: int = 50
) -> RecordTarget:
    """Bybit mainnet/testnet/demo by name, or any Bybit-v5 server (the simulator) by URL.

    Raises:
        RecordError: the venue has no Bybit v5 public API, or ``sim`` without ``venue_url``.
    """
    if venue_url is not None:
        base = venue_url.rstrip("/")
        ws = "ws" + base[4:] if base.startswith("http") else base
        return RecordTarget(venue, base, ws, tuple(symbols), depth)
    if venue not in REST_BY_VENUE:
        raise RecordError(
            f"cannot record venue {venue!r}: use bybit, bybit-testnet, bybit-demo, "
            "or --venue-url http://HOST:PORT for a simulator or replay"
        )
    return RecordTarget(
        venue, REST_BY_VENUE[venue], bybit.PUBLIC_WS_BY_VENUE[venue], tuple(symbols), depth
    )


def topics_of(symbol: BybitSymbol, depth: int) -> list[str]:
    """What is recorded per symbol: the book at ``depth``, the prints and the ticker."""
    return [symbol.book_topic(depth), symbol.trade_topic(), f"tickers.{symbol.venue_id}"]


class Recorder:
    """Writes ``target``'s public data into ``writer`` until :meth:`stop`.

    Args:
        target: venue URLs, symbols and depth.
        path: the recording to create.
        settings: heartbeat, silence and reconnect settings of the WebSocket.
    """

    def __init__(
        self, target: RecordTarget, path: Path, settings: StreamSettings | None = None
    ) -> None:
        try:
            self._symbols = [BybitSymbol(s) for s in target.symbols]
        except ValueError as error:
            raise RecordError(str(error)) from None
        if not self._symbols:
            raise RecordError("name at least one symbol to record")
        self.target = target
        self._settings = settings or StreamSettings()
        self._clock = SystemClock()
        self._wall_ns = time.time_ns() - time.monotonic_ns()
        self._req_ids = itertools.count(1)
        self._topics: dict[MarketType, list[str]] = {}
        for symbol in self._symbols:
            self._topics.setdefault(symbol.category, []).extend(topics_of(symbol, target.depth))
        header = {
            "venue": target.venue,
            "symbols": [s.unified for s in self._symbols],
            "depth": target.depth,
            "topics": {c.value: t for c, t in self._topics.items()},
            "started_ns": time.time_ns(),
        }
        self.writer = RecordingWriter(path, header)
        self._sockets: list[ReconnectingWebSocket] = []
        self._flusher: asyncio.Task[None] | None = None
        self.frames = 0
        self.preamble_bytes = 0
        """Compressed bytes of the header and REST snapshot; the rest is the stream."""

    @property
    def path(self) -> Path:
        """The recording being written."""
        return self.writer.path

    def now_ns(self) -> int:
        """Receive time: wall-clock anchored, monotonic between reads (never runs backwards)."""
        return self._wall_ns + time.monotonic_ns()

    async def start(self) -> None:
        """Take the REST snapshot, then open one stream per category.

        Raises:
            RecordError: the REST snapshot failed; the file is removed (it holds nothing).
        """
        try:
            await self._record_rest()
        except BaseException:
            self.writer.close()
            self.writer.path.unlink(missing_ok=True)
            raise
        self._flusher = asyncio.get_running_loop().create_task(self._flush_often())
        for category, topics in self._topics.items():
            self._sockets.append(self._socket(category, topics))
        for socket in self._sockets:
            socket.start()

    async def stop(self) -> None:
        for socket in self._sockets:
            await socket.stop()
        if self._flusher is not None:
            self._flusher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._flusher
        self.writer.close()

    async def run_for(self, seconds: float | None) -> None:
        """Record until ``seconds`` passed (None: until cancelled), then close the file."""
        try:
            await self.start()
            await asyncio.sleep(seconds if seconds is not None else float("inf"))
        finally:
            await self.stop()

    # --- WebSocket --------------------------------------------------------------------------

    def _socket(self, category: MarketType, topics: list[str]) -> ReconnectingWebSocket:
        channel = category.value
        settings = self._settings
        write = self.writer.write
        socket: ReconnectingWebSocket

        def on_frame(raw: str | bytes) -> None:
            payload = raw.encode() if isinstance(raw, str) else raw
            write(RecordKind.FRAME, self.now_ns(), channel, payload)
            self.frames += 1
            if b'"pong"' in payload[:200]:
                with contextlib.suppress(orjson.JSONDecodeError):
                    message = orjson.loads(payload)
                    if isinstance(message, dict) and bybit.is_pong(message):
                        socket.pong_received()

        async def on_open() -> None:
            self._event(channel, "open")
            for text in bybit.subscription_requests("subscribe", topics, category, self._req_ids):
                await socket.send(text)

        socket = ReconnectingWebSocket(
            bybit.public_url(self.target.ws_url, category),
            settings=settings,
            counters=StreamCounters(f"record {channel}", self._clock),
            clock=self._clock,
            backoff=FullJitterBackoff(
                settings.reconnect_base_delay, settings.reconnect_max_delay, rng=random.Random()
            ),
            on_open=on_open,
            on_frame=on_frame,
            on_down=lambda: self._event(channel, "down"),
            ping_text=lambda: bybit.request("ping", next(self._req_ids)),
        )
        return socket

    def _event(self, channel: str, event: str) -> None:
        self.writer.write(RecordKind.EVENT, self.now_ns(), channel, orjson.dumps({"event": event}))

    async def _flush_often(self) -> None:
        while True:
            await asyncio.sleep(_FLUSH_TICK_S)
            self.writer.maybe_flush()

    # --- REST -------------------------------------------------------------------------------

    async def _record_rest(self) -> None:
        timeout = aiohttp.ClientTimeout(total=_REST_TIMEOUT_S)
        async with aiohttp.ClientSession(timeout=timeout) as session:
            for category in self._topics:
                symbols = [s.venue_id for s in self._symbols if s.category is category]
                for venue_id in symbols:
                    await self._rest(session, category, venue_id)
        self.writer.flush()
        self.preamble_bytes = self.writer.bytes_written

    async def _rest(
        self, session: aiohttp.ClientSession, category: MarketType, venue_id: str
    ) -> None:
        spot = category is MarketType.SPOT
        common = {"category": category.value, "symbol": venue_id}
        calls: list[tuple[str, dict[str, Any]]] = [
            ("/v5/market/instruments-info", common),
            ("/v5/market/orderbook", common | {"limit": 200 if spot else 500}),
            ("/v5/market/tickers", common),
            ("/v5/market/recent-trade", common | {"limit": 60 if spot else 1000}),
            ("/v5/market/kline", common | {"interval": "1", "limit": CANDLES}),
        ]
        for path, params in calls:
            result = await self._get(session, path, params)
            if path == "/v5/market/instruments-info" and not result.get("list"):
                raise RecordError(f"{self.target.venue} does not list {category.value} {venue_id}")
            body = orjson.dumps({"path": path, "params": params, "result": result})
            self.writer.write(RecordKind.REST, self.now_ns(), "rest", body)

    async def _get(
        self, session: aiohttp.ClientSession, path: str, params: dict[str, Any]
    ) -> dict[str, Any]:
        url = self.target.rest_url + path
        query = {key: str(value) for key, value in params.items()}
        try:
            async with session.get(url, params=query) as response:
                raw = await response.read()
        except (aiohttp.ClientError, TimeoutError) as error:
            raise RecordError(f"{url}: {type(error).__name__}: {error}") from None
        try:
            answer = orjson.loads(raw)
        except orjson.JSONDecodeError:
            raise RecordError(f"{url}: HTTP {response.status}, not JSON") from None
        if not isinstance(answer, dict) or answer.get("retCode") != 0:
            message = answer.get("retMsg") if isinstance(answer, dict) else None
            raise RecordError(f"{url}: refused ({message or response.status})")
        result = answer.get("result")
        if not isinstance(result, dict):
            raise RecordError(f"{url}: the answer has no result object")
        return result
