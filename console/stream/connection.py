"""One WebSocket kept open: connect, heartbeat, silence watchdog, reconnect with backoff.

Venue-free: the protocol module supplies the ping text and says when a pong arrived; the
feed receives every frame and re-subscribes in ``on_open``. Failures of every kind (refused
connect, handshake errors, a close, a silent or pong-less peer) end in the same place: the
books are told the stream went down, then a full-jitter delay, then a new connection.

A peer that stops talking is cut by aborting the transport rather than by a close
handshake, which would itself wait for the silent peer.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import (
    ConnectionClosed,
    ConnectionClosedOK,
    InvalidHandshake,
    InvalidURI,
)

from console.config import StreamSettings
from console.domain import Clock, StreamState
from console.stream.backoff import FullJitterBackoff
from console.stream.health import StreamCounters

log = logging.getLogger(__name__)

HEALTHY_AFTER_S = 2.0
"""A connection that stayed up this long resets the backoff; one that drops sooner does not,
so a peer that accepts and then hangs up at once cannot cause a reconnect storm."""
MAX_FRAME_BYTES = 1 << 24
"""A depth-1000 snapshot is about 60 KB; anything near this limit is not a Bybit frame."""
INCOMING_QUEUE = 4096
"""Frames websockets may buffer before it stops reading the socket (back-pressure)."""


class ReconnectingWebSocket:
    """Runs until :meth:`stop`; frames go to ``on_frame`` in arrival order."""

    def __init__(
        self,
        url: str,
        *,
        settings: StreamSettings,
        counters: StreamCounters,
        clock: Clock,
        backoff: FullJitterBackoff,
        on_open: Callable[[], Awaitable[None]],
        on_frame: Callable[[str | bytes], None],
        on_down: Callable[[], None],
        ping_text: Callable[[], str],
        text_as_bytes: bool = False,
    ) -> None:
        """``text_as_bytes``: hand text frames over as the UTF-8 bytes they arrived as, for
        a reader that decodes JSON from bytes anyway (orjson reads bytes faster than ``str``,
        and websockets then skips decoding each frame to ``str`` first)."""
        self.url = url
        self._settings = settings
        self._counters = counters
        self._clock = clock
        self._backoff = backoff
        self._on_open = on_open
        self._on_frame = on_frame
        self._on_down = on_down
        self._ping_text = ping_text
        self._decode = False if text_as_bytes else None
        self._ws: ClientConnection | None = None
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self._awaiting_pong_since: float | None = None
        self._connections = 0
        self._drop_reason: str | None = None

    @property
    def connected(self) -> bool:
        return self._ws is not None

    def start(self) -> None:
        if self._task is None:
            self._stopping = False
            self._task = asyncio.get_running_loop().create_task(self._run(), name=self.url)

    async def stop(self) -> None:
        self._stopping = True
        if self._ws is not None:
            self._ws.transport.abort()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        self._counters.state = StreamState.DOWN

    async def send(self, text: str) -> bool:
        """Send one frame; False when there is no open connection (the next open resends)."""
        ws = self._ws
        if ws is None:
            return False
        try:
            await ws.send(text)
        except ConnectionClosed:
            return False
        return True

    def pong_received(self) -> None:
        self._awaiting_pong_since = None

    def drop(self, reason: str) -> None:
        """Cut the current connection now (it reconnects after the backoff)."""
        if self._ws is not None:
            log.warning("%s: dropping the connection: %s", self.url, reason)
            self._drop_reason = reason
            self._ws.transport.abort()

    async def _run(self) -> None:
        while not self._stopping:
            if self._connections:
                self._counters.reconnects += 1
            self._connections += 1
            if self._counters.state is not StreamState.STALE:
                self._counters.state = StreamState.CONNECTING
            opened_at: float | None = None
            self._drop_reason = None
            try:
                async with connect(
                    self.url,
                    ping_interval=None,
                    compression=None,
                    max_size=MAX_FRAME_BYTES,
                    max_queue=INCOMING_QUEUE,
                    open_timeout=self._settings.pong_timeout,
                    close_timeout=1,
                ) as ws:
                    opened_at = self._clock.monotonic()
                    await self._serve(ws)
            except (OSError, TimeoutError, InvalidHandshake, InvalidURI, ConnectionClosed) as error:
                self._counters.last_error = self._drop_reason or f"{type(error).__name__}: {error}"
                log.info("%s: connection ended: %s", self.url, self._counters.last_error)
            finally:
                self._ws = None
            if self._stopping:
                return
            if self._counters.state is not StreamState.STALE:
                self._counters.state = StreamState.DOWN
            self._on_down()
            lived = self._clock.monotonic() - opened_at if opened_at is not None else 0.0
            if lived >= HEALTHY_AFTER_S:
                self._backoff.reset()
            await asyncio.sleep(self._backoff.next_delay())

    async def _serve(self, ws: ClientConnection) -> None:
        self._ws = ws
        counters, clock, on_frame = self._counters, self._clock, self._on_frame
        counters.last_frame_at = clock.monotonic()
        self._awaiting_pong_since = None
        await self._on_open()
        watchdog = asyncio.get_running_loop().create_task(self._watch(ws))
        recv, decode = ws.recv, self._decode
        try:
            # LIVE only once the venue speaks: a peer that accepts the connection and then
            # says nothing must not read LIVE for a silence timeout (after a STALE it stays
            # STALE, so a venue that keeps accepting and never answering is never shown live)
            frame = await recv(decode)
            counters.state = StreamState.LIVE
            while True:  # ``async for frame in ws``, with ``decode`` passed on
                counters.frames += 1
                counters.last_frame_at = clock.monotonic()
                on_frame(frame)
                frame = await recv(decode)
        except ConnectionClosedOK:
            return
        finally:
            watchdog.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watchdog

    async def _watch(self, ws: ClientConnection) -> None:
        """Ping on schedule; cut the connection on silence or a missing pong."""
        settings, counters, clock = self._settings, self._counters, self._clock
        tick = max(0.01, min(settings.ping_interval, settings.silence_timeout) / 4)
        last_ping = clock.monotonic()
        while True:
            await asyncio.sleep(tick)
            now = clock.monotonic()
            last_frame = counters.last_frame_at or now
            if now - last_frame > settings.silence_timeout:
                counters.state = StreamState.STALE
                self.drop(f"silent for {now - last_frame:.1f}s")
                return
            awaiting = self._awaiting_pong_since
            if awaiting is not None and now - awaiting > settings.pong_timeout:
                counters.state = StreamState.STALE
                self.drop(f"no pong within {settings.pong_timeout:g}s")
                return
            if now - last_ping >= settings.ping_interval:
                last_ping = now
                if awaiting is None:
                    self._awaiting_pong_since = now
                with contextlib.suppress(ConnectionClosed):
                    await ws.send(self._ping_text())
