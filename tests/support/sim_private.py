"""Helpers for the simulator's private side: a still market whose mark a test can move."""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import AsyncIterator, Sequence
from decimal import Decimal
from typing import Any

import aiohttp

from console.sim import SimServer
from console.sim.book import BUY, SELL
from console.sim.ws_private import auth_signature


def move_mark(
    sim: SimServer, symbol: str, mark: Decimal, *, lots: int = 5_000, category: str = "linear"
) -> None:
    """Rebuild the linear book's touch around ``mark`` (one tick either side) and tell the
    engine, as a market move would: the mark is the mid on the tick. The spot book
    (``category="spot"``) moves the index the same way."""
    book = sim.market.book(category, symbol)
    tick_size = book.instrument.tick_size
    centre = int(mark / tick_size)
    for tick in book.level_ticks(BUY):
        if tick >= centre:
            book.set_synthetic(BUY, tick, 0)
    for tick in book.level_ticks(SELL):
        if tick <= centre:
            book.set_synthetic(SELL, tick, 0)
    book.set_synthetic(BUY, centre - 1, lots)
    book.set_synthetic(SELL, centre + 1, lots)
    sim.market.changed(book)


def print_at(sim: SimServer, symbol: str, price: Decimal, *, taker: str = "Buy") -> None:
    """A public print of one lot at exactly ``price`` on the linear book: the touch is
    rebuilt so the taker's side meets ``price`` first (a buyer lifts the ask there, a
    seller hits the bid), then the engine hears the print."""
    book = sim.market.book("linear", symbol)
    tick = book.instrument.tick_size
    move_mark(sim, symbol, price - tick if taker == BUY else price + tick)
    sim.market.execute(book, BUY if taker == BUY else SELL, 1, None)
    sim.market.changed(book)


class PrivateSocket:
    """A raw client of the simulator's ``/v5/private``: send JSON, read the next frames."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws

    async def send(self, frame: dict[str, Any]) -> None:
        await self.ws.send_str(json.dumps(frame))

    async def receive(self, timeout: float = 5.0) -> dict[str, Any]:
        message = await self.ws.receive(timeout=timeout)
        assert message.type is aiohttp.WSMsgType.TEXT, message
        frame: dict[str, Any] = json.loads(message.data)
        return frame

    async def auth(self, sim: SimServer, *, expires: int | str | None = None) -> dict[str, Any]:
        when = expires if expires is not None else int(time.time() * 1000) + 10_000
        signature = auth_signature(sim.api_secret, int(when))
        await self.send({"req_id": "a1", "op": "auth", "args": [sim.api_key, when, signature]})
        return await self.receive()

    async def pushes(self, count: int) -> list[dict[str, Any]]:
        """The next ``count`` pushes (frames with a topic), skipping acks and pongs."""
        got: list[dict[str, Any]] = []
        while len(got) < count:
            frame = await self.receive()
            if "topic" in frame:
                got.append(frame)
        return got


@contextlib.asynccontextmanager
async def private_socket(
    sim: SimServer, topics: Sequence[str] = ("order", "execution", "position", "wallet")
) -> AsyncIterator[PrivateSocket]:
    """An authenticated private socket subscribed to ``topics`` (nothing when empty)."""
    async with (
        aiohttp.ClientSession() as session,
        session.ws_connect(f"{sim.ws_url}/v5/private") as ws,
    ):
        socket = PrivateSocket(ws)
        if topics:
            assert (await socket.auth(sim))["success"] is True
            await socket.send({"req_id": "s1", "op": "subscribe", "args": list(topics)})
            assert (await socket.receive())["success"] is True
        yield socket
