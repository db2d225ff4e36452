"""A rolling window of weighted request timestamps: the one counting primitive of the limiters.

A rolling (sliding-log) window counts what the venue counts, "requests that arrived in the
last ``period`` seconds", so it never lets a burst through at a bucket edge the way a fixed
window does. The venue stamps a request when it *arrives*, which we never see; we only know
it arrived between our send and our receipt of the answer. So a request holds its unit
while in flight and is stamped when its answer comes back: a unit that has left our window
has certainly left the venue's, whatever the latency. Memory is one entry per request in
the window (at most a few hundred for Bybit's 600 per 5 s).
"""

from __future__ import annotations

from collections import deque


class RollingWindow:
    """At most ``limit`` units of cost in any ``period`` seconds of monotonic time."""

    __slots__ = ("_entries", "_in_flight", "_used", "limit", "period")

    POLL = 0.005
    """Seconds to wait when only requests still in flight hold the window."""

    def __init__(self, limit: float, period: float) -> None:
        if limit <= 0 or period <= 0:
            raise ValueError("a rolling window needs a positive limit and period")
        self.limit = limit
        self.period = period
        self._entries: deque[tuple[float, float]] = deque()
        self._used = 0.0
        self._in_flight = 0.0

    def _prune(self, now: float) -> None:
        horizon = now - self.period
        while self._entries and self._entries[0][0] <= horizon:
            _, cost = self._entries.popleft()
            self._used -= cost
        if not self._entries:
            self._used = 0.0

    def used(self, now: float) -> float:
        """Units spent in the window that ends at ``now``, in flight included."""
        self._prune(now)
        return self._used + self._in_flight

    def wait_time(self, now: float, cost: float = 1.0) -> float:
        """Seconds until ``cost`` more units fit; 0 when they fit now.

        A single request costlier than the whole window is let through on an empty window,
        otherwise it could never be sent.
        """
        self._prune(now)
        total = self._used + self._in_flight
        if total + cost <= self.limit or (not self._entries and not self._in_flight):
            return 0.0
        freed = 0.0
        for stamped, spent in self._entries:
            freed += spent
            if total - freed + cost <= self.limit:
                return max(stamped + self.period - now, 0.0)
        if self._in_flight:
            return self.POLL
        return max(self._entries[-1][0] + self.period - now, 0.0)

    def begin(self, cost: float = 1.0) -> None:
        """A request leaves: it holds ``cost`` units until :meth:`end`."""
        self._in_flight += cost

    def end(self, now: float, cost: float = 1.0) -> None:
        """Stamp the units of a finished request at ``now``: its answer's arrival, or the
        moment the venue says it counted it, if that is known and earlier."""
        self._in_flight = max(self._in_flight - cost, 0.0)
        self.record(now, cost)

    def record(self, now: float, cost: float = 1.0) -> None:
        """Count a request stamped at ``now``; a stamp older than the newest is put in
        order (stamps from the venue's clock arrive slightly out of order). Stamps older
        than a period go first, so a window nobody reads holds one period at most."""
        self._prune(now)
        entries = self._entries
        if entries and now < entries[-1][0]:
            index = len(entries)
            while index > 0 and entries[index - 1][0] > now:
                index -= 1
            entries.insert(index, (now, cost))
        else:
            entries.append((now, cost))
        self._used += cost

    def __len__(self) -> int:
        """Stamped requests held (those of the last period, and any not yet pruned)."""
        return len(self._entries)

    def reset_in(self, now: float) -> float:
        """Seconds until the oldest entry leaves the window (0 when empty)."""
        self._prune(now)
        if not self._entries:
            return 0.0
        return max(self._entries[0][0] + self.period - now, 0.0)

    def clear(self) -> None:
        """Forget stamped units; units in flight stay held until their answers arrive."""
        self._entries.clear()
        self._used = 0.0
