"""Reconnect delays: capped exponential backoff with full jitter.

Full jitter (``uniform(0, min(cap, base * 2**attempt))``) spreads the reconnects of many
clients after a venue-wide drop instead of synchronising them, and keeps us well under
Bybit's limit of 500 connections per 5 minutes per IP. The RNG is injectable so tests and
simulations are reproducible.
"""

from __future__ import annotations

import random


class FullJitterBackoff:
    """Delays for successive failed attempts; :meth:`reset` after a healthy connection."""

    def __init__(self, base: float, cap: float, *, rng: random.Random | None = None) -> None:
        if base <= 0 or cap < base:
            raise ValueError("need 0 < base <= cap")
        self.base = base
        self.cap = cap
        self._rng = rng or random.Random()
        self._attempt = 0

    @property
    def attempts(self) -> int:
        """Failures since the last reset."""
        return self._attempt

    def ceiling(self) -> float:
        """The largest delay the next attempt may draw."""
        return min(self.cap, self.base * float(2 ** min(self._attempt, 62)))

    def next_delay(self) -> float:
        delay = self._rng.uniform(0.0, self.ceiling())
        self._attempt += 1
        return delay

    def reset(self) -> None:
        self._attempt = 0
