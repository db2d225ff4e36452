"""A rolling window of weighted request timestamps: the one counting primitive of the limiters.

A rolling (sliding-log) window counts exactly what the venue counts, "requests whose start
lies in the last ``period`` seconds", so it never lets a burst through at a bucket edge the
way a fixed window does. Memory is one entry per request in the window (at most a few
hundred for Bybit's 600 per 5 s), which is cheap.
"""

from __future__ import annotations

from collections import deque


class RollingWindow:
    """At most ``limit`` units of cost in any ``period`` seconds of monotonic time."""

    __slots__ = ("_entries", "_used", "limit", "period")

    def __init__(self, limit: float, period: float) -> None:
        if limit <= 0 or period <= 0:
            raise ValueError("a rolling window needs a positive limit and period")
        self.limit = limit
        self.period = period
        self._entries: deque[tuple[float, float]] = deque()
        self._used = 0.0

    def _prune(self, now: float) -> None:
        horizon = now - self.period
        while self._entries and self._entries[0][0] <= horizon:
            _, cost = self._entries.popleft()
            self._used -= cost
        if not self._entries:
            self._used = 0.0

    def used(self, now: float) -> float:
        """Units spent in the window that ends at ``now``."""
        self._prune(now)
        return self._used

    def wait_time(self, now: float, cost: float = 1.0) -> float:
        """Seconds until ``cost`` more units fit; 0 when they fit now.

        A single request costlier than the whole window is let through on an empty window,
        otherwise it could never be sent.
        """
        self._prune(now)
        if self._used + cost <= self.limit or not self._entries:
            return 0.0
        freed = 0.0
        for started, spent in self._entries:
            freed += spent
            if self._used - freed + cost <= self.limit:
                return max(started + self.period - now, 0.0)
        return max(self._entries[-1][0] + self.period - now, 0.0)

    def record(self, now: float, cost: float = 1.0) -> None:
        """Count a request that starts at ``now``."""
        self._entries.append((now, cost))
        self._used += cost

    def reset_in(self, now: float) -> float:
        """Seconds until the oldest entry leaves the window (0 when empty)."""
        self._prune(now)
        if not self._entries:
            return 0.0
        return max(self._entries[0][0] + self.period - now, 0.0)

    def clear(self) -> None:
        self._entries.clear()
        self._used = 0.0
