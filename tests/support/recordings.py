"""Recordings of the simulator's own stream, and a raw WebSocket client that collects a
replay's frames with their arrival times, for the record/replay tests and bench."""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass, field
from pathlib import Path

import orjson
from websockets.asyncio.client import ClientConnection, connect

from console.replay.recorder import Recorder, target_for
from console.replay.recording import RecordKind, read_records
from console.sim import SimServer

LINEAR = "BTC/USDT:USDT"


@dataclass(frozen=True, slots=True)
class RecordedFrame:
    time_ns: int
    channel: str
    text: str


async def record_sim(
    sim: SimServer, path: Path, seconds: float, symbols: tuple[str, ...] = (LINEAR,)
) -> Path:
    """Record ``sim``'s public stream of ``symbols`` for ``seconds`` into ``path``."""
    recorder = Recorder(target_for("sim", symbols, venue_url=sim.base_url), path)
    await recorder.run_for(seconds)
    return path


def topic_frames(path: Path) -> list[RecordedFrame]:
    """The recorded frames that carry a topic (what a replay sends), in file order."""
    frames = []
    for record in read_records(path):
        if record.kind is RecordKind.FRAME and b'"topic"' in record.payload:
            frames.append(RecordedFrame(record.time_ns, record.channel, record.text))
    return frames


@dataclass
class FrameCollector:
    """One raw connection to a (replaying) simulator: subscribes, then keeps every topic frame."""

    url: str
    topics: list[str]
    frames: list[tuple[float, str]] = field(default_factory=list)
    """(arrival, monotonic seconds; the frame's text)"""
    _task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> FrameCollector:
        ws = await connect(self.url, compression=None, max_size=1 << 24)
        await ws.send(orjson.dumps({"op": "subscribe", "args": self.topics}).decode())
        self._task = asyncio.get_running_loop().create_task(self._read(ws))
        return self

    async def _read(self, ws: ClientConnection) -> None:
        async with ws:
            async for text in ws:
                if isinstance(text, str) and text.startswith('{"topic"'):
                    self.frames.append((time.monotonic(), text))

    async def __aexit__(self, *exc: object) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    def texts(self) -> list[str]:
        return [text for _, text in self.frames]
