"""What the simulator's public and private WebSocket endpoints share: opening a client's
socket, and reading its requests beside the connection's writer until it goes away."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import Protocol

from aiohttp import WSMsgType, web

MAX_REQUEST_BYTES = 1 << 20
"""A client request larger than this closes the socket (aiohttp's own limit, kept)."""


class SilenceFaults(Protocol):
    def is_silent(self, now: float) -> bool: ...


class ServedConnection(Protocol):
    """One client of an endpoint: answers requests, writes its queued frames."""

    @property
    def faults(self) -> SilenceFaults: ...

    def handle_request(self, text: str) -> None: ...

    async def write_loop(self) -> None: ...


async def open_socket(request: web.Request) -> web.WebSocketResponse:
    """The client's WebSocket, uncompressed as our client asks (permessage-deflate tripled
    the cost per frame)."""
    ws = web.WebSocketResponse(autoping=True, compress=False, max_msg_size=MAX_REQUEST_BYTES)
    await ws.prepare(request)
    return ws


async def serve_requests(
    ws: web.WebSocketResponse, connection: ServedConnection, on_close: Callable[[], None]
) -> None:
    """Answer the client's text requests (none while a silence fault holds) with the
    connection's writer running beside; when the client goes, ``on_close`` forgets the
    connection first, then the writer is stopped."""
    writer = asyncio.create_task(connection.write_loop())
    try:
        async for message in ws:
            if message.type is WSMsgType.TEXT:
                if not connection.faults.is_silent(asyncio.get_running_loop().time()):
                    connection.handle_request(message.data)
            elif message.type is WSMsgType.ERROR:
                break
    finally:
        on_close()
        writer.cancel()
        with contextlib.suppress(asyncio.CancelledError, ConnectionError):
            await writer
