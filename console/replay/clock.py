"""The replay clock: where in the recording a replay is, at what speed, paused or not."""

from __future__ import annotations

import math
import time


class ReplayClock:
    """Maps the event loop's monotonic time onto recording time (epoch ns).

    Until :meth:`play` the clock stands at its start; ``speed`` may be ``math.inf`` (as fast
    as the frames can be sent), in which case nothing is ever due in the future.
    """

    def __init__(self, start_ns: int, speed: float = 1.0) -> None:
        if not speed > 0:
            raise ValueError("speed must be greater than zero")
        self.speed = speed
        self._anchor_ns = start_ns
        self._anchor_wall: float | None = None

    @property
    def playing(self) -> bool:
        return self._anchor_wall is not None

    def position_ns(self) -> int:
        """The recording time the replay is at now."""
        if self._anchor_wall is None or math.isinf(self.speed):
            return self._anchor_ns
        elapsed = time.monotonic() - self._anchor_wall
        return self._anchor_ns + int(elapsed * self.speed * 1e9)

    def play(self) -> None:
        if self._anchor_wall is None:
            self._anchor_wall = time.monotonic()

    def pause(self) -> None:
        self._anchor_ns = self.position_ns()
        self._anchor_wall = None

    def set_speed(self, speed: float) -> None:
        if not speed > 0:
            raise ValueError("speed must be greater than zero")
        playing = self.playing
        self.pause()
        self.speed = speed
        if playing:
            self.play()

    def jump(self, record_ns: int) -> None:
        """Stand at ``record_ns`` now (a seek), playing on from there if playing."""
        self._anchor_ns = record_ns
        if self._anchor_wall is not None:
            self._anchor_wall = time.monotonic()

    def reached(self, record_ns: int) -> None:
        """At infinite speed the clock moves with the frames sent, not with the wall."""
        if math.isinf(self.speed):
            self._anchor_ns = max(self._anchor_ns, record_ns)

    def wait_s(self, record_ns: int) -> float:
        """Seconds of wall time until ``record_ns`` is due (0 when due or at infinite speed)."""
        if math.isinf(self.speed):
            return 0.0
        return max(0.0, (record_ns - self.position_ns()) / 1e9 / self.speed)
