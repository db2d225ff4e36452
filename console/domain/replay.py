"""What the interface may do to a replay, and what it shows of one, without importing it.

The replay (``console.replay``) is started by the entry point and served by the simulator;
the interface only sees this contract, so it needs neither layer.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol, runtime_checkable

REPLAY_SPEEDS: tuple[float, ...] = (0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 50.0, math.inf)
"""The speeds the faster/slower keys step through (``inf``: as fast as the frames go)."""


@dataclass(frozen=True, slots=True)
class ReplayState:
    """Where a replay is, for the status bar."""

    position_ns: int
    """Recording time now (epoch ns)."""
    speed: float
    """Recording seconds per wall second; ``math.inf`` as fast as read."""
    playing: bool
    finished: bool
    """Every frame is sent; the venue keeps the last state until a seek back."""

    @property
    def position(self) -> datetime:
        return datetime.fromtimestamp(self.position_ns / 1e9, tz=UTC)

    def describe(self) -> str:
        """``▶ 10:32:05 ×10``, ``❚❚ 10:32:05 ×1``, ``■ end`` (the clock runs on after the
        last frame, so no time is given there)."""
        if self.finished:
            return "■ end"
        moment = f"{self.position:%H:%M:%S}"
        speed = "max" if math.isinf(self.speed) else f"{self.speed:g}"
        return f"{'▶' if self.playing else '❚❚'} {moment} ×{speed}"


def next_speed(speed: float, direction: int) -> float:
    """The next step of :data:`REPLAY_SPEEDS` up (+1) or down (-1) from ``speed``, which
    need not be one of them (``--speed 3`` goes to 5 or 2); the ends stay put."""
    if direction > 0:
        return next((step for step in REPLAY_SPEEDS if step > speed), REPLAY_SPEEDS[-1])
    return next((step for step in reversed(REPLAY_SPEEDS) if step < speed), REPLAY_SPEEDS[0])


@runtime_checkable
class ReplayControls(Protocol):
    """Pause, play, speed and seek one replay (``ReplayMarket`` implements it)."""

    def state(self) -> ReplayState: ...

    def play(self) -> None: ...

    def pause(self) -> None: ...

    def set_speed(self, speed: float) -> None: ...

    def seek(self, time_ns: int) -> None: ...


class RecordingFailed(Exception):
    """A recording could not start: a venue without Bybit v5 public streams, a bad symbol,
    REST refused or unreachable, a file that cannot be written."""


class StreamRecorder(Protocol):
    """Records public streams into a recording file (``console.replay.recorder.Recorder``)."""

    frames: int
    """Frames written so far."""

    @property
    def path(self) -> Path: ...

    async def start(self) -> None:
        """Take the REST preamble and open the streams.

        Raises:
            RecordingFailed: see the class.
        """

    async def stop(self) -> None:
        """Close the streams and the file (everything written is kept)."""


__all__ = [
    "REPLAY_SPEEDS",
    "RecordingFailed",
    "ReplayControls",
    "ReplayState",
    "StreamRecorder",
    "next_speed",
]
