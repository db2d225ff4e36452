"""What a failed REST call means for the limiter: wait and retry, resync, halt, or give up.

The limiter sees exceptions raised by ccxt (or by the client's taxonomy wrapping them), so
the cause chain is walked and both the exception types and the venue's codes are read.
Only outcomes where the venue *told us it did not execute* the request (10006, 10002, an
IP ban) are safe to retry for any request; a timeout or a lost connection is ambiguous and
is retried only for idempotent reads.
"""

from __future__ import annotations

import random
import re
from enum import Enum

import ccxt.async_support as ccxt

from console.exchange.errors import (
    ExchangeUnavailable,
    RateLimited,
    RequestTimedOut,
    VenueHalted,
)

RATE_LIMIT_CODE = "10006"
"""Bybit retCode "Too many visits!": the request was refused, nothing executed."""
CLOCK_SKEW_CODE = "10002"
"""Bybit retCode for a timestamp outside recv_window: refused, nothing executed."""

_CODE = re.compile(r'"retCode"\s*:\s*(\d+)')
_HTTP_STATUS = re.compile(r"\s(4\d\d|5\d\d)\s")


_AMBIGUOUS = (
    ccxt.NetworkError,
    RequestTimedOut,
    ExchangeUnavailable,
    TimeoutError,
    ConnectionError,
)
"""Transport failures: the request may or may not have reached the venue."""


class Failure(Enum):
    """The limiter's reading of one failed call."""

    RATE_LIMITED = "rate_limited"
    """10006 or HTTP 429: refused; wait for the window to reset, then retry."""
    CLOCK_SKEW = "clock_skew"
    """10002: refused; resync the clock offset with the server, then retry."""
    BANNED = "banned"
    """HTTP 403 (Bybit) or 418: the IP is banned; halt all REST, never loop."""
    AMBIGUOUS = "ambiguous"
    """Timeout or lost connection: the request may have executed."""
    FINAL = "final"
    """Anything else: the caller's to handle."""


def _chain(error: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def venue_code(error: BaseException) -> str | None:
    """The venue's retCode carried by ``error`` or its causes, if any."""
    for link in _chain(error):
        code = getattr(link, "ret_code", None) or getattr(link, "code", None)
        if isinstance(code, int | str) and str(code).isdigit():
            return str(code)
        found = _CODE.search(str(link))
        if found:
            return found.group(1)
    return None


def http_status(error: BaseException) -> int | None:
    """The HTTP status ccxt wrote into the message (``bybit GET url 403 Forbidden ...``)."""
    for link in _chain(error):
        status = getattr(link, "http_status", None)
        if isinstance(status, int):
            return status
        if isinstance(link, ccxt.BaseError):
            found = _HTTP_STATUS.search(str(link))
            if found:
                return int(found.group(1))
    return None


def classify(error: BaseException) -> Failure:
    """Read one failure; see :class:`Failure` for what each answer lets the limiter do."""
    chain = _chain(error)
    if any(isinstance(link, VenueHalted) for link in chain):
        return Failure.BANNED
    code = venue_code(error)
    if code == RATE_LIMIT_CODE:
        return Failure.RATE_LIMITED
    if code == CLOCK_SKEW_CODE:
        return Failure.CLOCK_SKEW
    status = http_status(error)
    if status in (403, 418):
        return Failure.BANNED
    if status == 429:
        return Failure.RATE_LIMITED
    if any(isinstance(link, ccxt.InvalidNonce) for link in chain):
        return Failure.CLOCK_SKEW
    if any(isinstance(link, ccxt.RateLimitExceeded | RateLimited) for link in chain):
        return Failure.RATE_LIMITED
    if any(isinstance(link, _AMBIGUOUS) for link in chain):
        return Failure.AMBIGUOUS
    return Failure.FINAL


class Backoff:
    """Capped exponential backoff with equal jitter (half fixed, half drawn from a seeded RNG,
    so runs are reproducible and parallel clients do not retry in lockstep)."""

    def __init__(self, base: float = 0.25, cap: float = 10.0, *, seed: int = 0) -> None:
        self.base = base
        self.cap = cap
        self._rng = random.Random(seed)

    def delay(self, attempt: int) -> float:
        """Seconds to wait before retry number ``attempt`` (1-based)."""
        ceiling = min(self.cap, self.base * (2 ** max(attempt - 1, 0)))
        return float(ceiling / 2 + self._rng.uniform(0, ceiling / 2))
