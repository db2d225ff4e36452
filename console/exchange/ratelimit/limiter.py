"""The venue-free part of every limiter: windows, waiting, safe retries, the IP-ban halt.

``WindowedLimiter`` enforces a venue-wide window (Bybit: the IP's 600 per 5 s) and one
window per endpoint, waits for headroom before each request, retries only what the venue
said it did not execute, and halts all REST when the venue bans the IP. Venue modules
(``bybit.py``, ``generic.py``) supply the numbers and read the venue's headers.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TypeVar
from urllib.parse import urlsplit

from console.domain import Clock, EndpointCategory, RateLimitStatus, SystemClock
from console.exchange.endpoints import SERVER_TIME
from console.exchange.errors import VenueHalted
from console.exchange.ratelimit.failures import Backoff, Failure, classify
from console.exchange.ratelimit.window import RollingWindow

log = logging.getLogger(__name__)

T = TypeVar("T")
Sleep = Callable[[float], Awaitable[None]]
ClockResync = Callable[[], Awaitable[None]]

DEFAULT_BAN_SECONDS = 600.0
"""Bybit: after an HTTP 403 "access too frequent", stop all REST for at least 10 minutes."""


MAX_HINT_SECONDS = 60.0
"""A ``retry_after`` longer than this is treated as a bad hint, not obeyed."""


def retry_after(error: BaseException) -> float | None:
    """The ``retry_after`` seconds a ``RateLimited`` error carries, if any."""
    value = getattr(error, "retry_after", None)
    return float(value) if isinstance(value, int | float) else None


@functools.lru_cache(maxsize=512)
def endpoint_key(endpoint: str) -> str:
    """One spelling per endpoint: the URL path with a leading slash, no host, no query.

    The client names endpoints (``v5/order/create``) and the pool reports URLs; both must
    land on the same window. Cached: it runs several times for every request, on a few
    dozen distinct strings.
    """
    path = urlsplit(endpoint).path if "://" in endpoint else endpoint.split("?", 1)[0]
    return "/" + path.strip("/")


@dataclass(frozen=True)
class EndpointLimit:
    """A documented per-endpoint budget: ``limit`` requests per ``period`` seconds."""

    category: EndpointCategory
    limit: int
    period: float = 1.0


@dataclass
class RateLimitInfo:
    """What the venue last said about one endpoint (``X-Bapi-Limit*`` headers)."""

    limit: int
    remaining: int
    reset_timestamp: int
    """Epoch milliseconds when the window resets (Bybit: "now" when not exceeded)."""
    last_updated: float
    """Monotonic seconds when the headers arrived."""


@dataclass
class _Endpoint:
    category: EndpointCategory
    window: RollingWindow | None
    documented: EndpointLimit | None
    cost: float = 1.0
    """Units one request spends in the venue-wide window (the limiter's ``cost``, read once)."""
    info: RateLimitInfo | None = None
    arrivals: deque[float] = field(default_factory=lambda: deque(maxlen=1024))
    """Monotonic moments the venue said it counted requests (from response headers)."""
    blocked_until: float = 0.0
    """Monotonic time before which no request to this endpoint leaves (10006, 429)."""


class _Lease:
    """Units one request holds in the venue-wide and its endpoint's window while in flight.

    On release the units are stamped when the venue counted the request, if a response
    told us so for each request counted and that moment lies between our send and now
    (clocks that agree); else when the answer arrived, which is never earlier than the
    venue's count.
    """

    __slots__ = ("_arrivals", "_endpoint", "_requests", "_sent", "_units", "_venue")

    def __init__(
        self,
        venue: RollingWindow,
        endpoint: RollingWindow | None,
        units: float,
        sent: float,
        arrivals: deque[float],
        requests: int = 1,
    ) -> None:
        self._venue: RollingWindow | None = venue
        self._endpoint = endpoint
        self._units = units
        self._requests = requests
        self._sent = sent
        self._arrivals = arrivals
        venue.begin(units)
        if endpoint is not None:
            endpoint.begin(requests)

    def release(self, now: float) -> None:
        """The answer arrived (or the call failed) at ``now``; idempotent."""
        if self._venue is None:
            return
        stamp = now
        told = 0
        for _ in range(self._requests):
            if not self._arrivals:
                break
            counted = self._arrivals.popleft()
            told += 1
            if self._sent <= counted <= now:
                stamp = counted
        if told < self._requests:
            # One request the venue counts several times (a batch, counted order by order
            # while it runs): its header tells when it came in, not when the last was counted.
            stamp = now
        self._venue.end(stamp, self._units)
        if self._endpoint is not None:
            self._endpoint.end(stamp, self._requests)
        self._venue = None


@dataclass
class LimiterStats:
    """Counters a benchmark or the probe reports; never used for decisions."""

    requests: int = 0
    rate_limited: int = 0
    banned: int = 0
    clock_resyncs: int = 0
    retries: int = 0
    waited_seconds: float = 0.0
    first_admitted: float = 0.0
    """Monotonic time the first request was let through (throughput measurements)."""
    last_admitted: float = 0.0
    """Monotonic time the latest request was let through."""
    by_failure: dict[str, int] = field(default_factory=dict)


class WindowedLimiter:
    """Rolling windows for the venue and its endpoints, safe retries, and a ban halt.

    Args:
        venue: shown in messages ("bybit", "sim", "okx").
        venue_limit: requests (or cost units) allowed venue-wide per ``venue_period``.
        venue_period: seconds of the venue-wide window.
        endpoints: documented per-endpoint budgets, keyed by path.
        venue_margin: fraction of the venue-wide budget kept back (other clients on the IP).
        time_guard: fraction added to every endpoint window's period. Units are stamped
            when the venue counted them (or when their answer came), so latency is already
            covered; the guard absorbs the venue's clock running a little faster than
            ours, at the cost of that fraction of throughput, never a whole request.
        max_retries: retries of refused requests (10006, 10002, idempotent timeouts).
        ban_seconds: how long a 403 halts all REST.
        clock: monotonic time for windows, wall time for the venue's reset timestamps.
        sleep: how to wait (tests inject one that advances a ManualClock).
        backoff: delays when the venue gives no reset time.
    """

    def __init__(
        self,
        *,
        venue: str,
        venue_limit: float,
        venue_period: float,
        endpoints: Mapping[str, EndpointLimit] | None = None,
        venue_margin: float = 0.05,
        time_guard: float = 0.01,
        max_retries: int = 3,
        ban_seconds: float = DEFAULT_BAN_SECONDS,
        clock: Clock | None = None,
        sleep: Sleep | None = None,
        backoff: Backoff | None = None,
    ) -> None:
        self.venue = venue
        self.max_retries = max_retries
        self.ban_seconds = ban_seconds
        self.time_guard = time_guard
        self.clock: Clock = clock or SystemClock()
        self.wall_seconds: Callable[[], float] = (
            time.time if type(self.clock) is SystemClock else self._clock_seconds
        )
        """Epoch seconds of ``clock``'s wall time: ``time.time`` itself for the system clock
        (the moment ``datetime.now(UTC).timestamp()`` gives, without building a datetime for
        every response)."""
        self._sleep: Sleep = sleep or asyncio.sleep
        self.backoff = backoff or Backoff()
        self.venue_limit = venue_limit
        self.venue_period = venue_period
        self._venue_window = RollingWindow(max(venue_limit * (1 - venue_margin), 1), venue_period)
        self._category_windows = {
            category: RollingWindow(venue_limit, venue_period) for category in EndpointCategory
        }
        self._documented = {endpoint_key(k): v for k, v in (endpoints or {}).items()}
        self._endpoints: dict[str, _Endpoint] = {}
        self.halted_until: datetime | None = None
        """Set by an IP ban: no REST call leaves before this moment (UTC)."""
        self.clock_resync: ClockResync | None = None
        """Re-measures the offset to the venue's clock (10002); the client wires ccxt's."""
        self.stats = LimiterStats()
        for key in self._documented:
            self._endpoint(key)

    def _clock_seconds(self) -> float:
        return self.clock.now().timestamp()

    # --- windows -------------------------------------------------------------------------

    def _endpoint(self, key: str, category: EndpointCategory | None = None) -> _Endpoint:
        state = self._endpoints.get(key)
        if state is None:
            documented = self._documented.get(key) or self._default_limit(key)
            window = None
            if documented is not None:
                window = RollingWindow(documented.limit, documented.period * (1 + self.time_guard))
            state = _Endpoint(
                category=category or (documented.category if documented else self._guess(key)),
                window=window,
                documented=documented,
                cost=self.cost(key),
            )
            self._endpoints[key] = state
        return state

    def _default_limit(self, key: str) -> EndpointLimit | None:
        """The budget of an endpoint with no documented one; None means only the
        venue-wide window applies."""
        return None

    def _guess(self, key: str) -> EndpointCategory:
        """Category of an endpoint nobody declared; venue modules know their paths better."""
        return EndpointCategory.PUBLIC

    def cost(self, key: str) -> float:
        """Units one request to ``key`` spends in the venue-wide window."""
        return 1.0

    def _check_halt(self) -> None:
        if self.halted_until is None:
            return
        if self.clock.now() >= self.halted_until:
            log.warning("%s: IP ban window over, REST resumes", self.venue)
            self.halted_until = None
            return
        raise VenueHalted(
            f"{self.venue} banned this IP for too many requests (HTTP 403); no request is sent "
            f"until {self.halted_until:%H:%M:%S} UTC",
            code=403,
            until=self.halted_until,
        )

    async def wait_if_needed(
        self,
        category: EndpointCategory,
        endpoint: str,
        cost: float | None = None,
        *,
        requests: int = 1,
    ) -> None:
        """Wait until one more request to ``endpoint`` fits every window, then count it as
        sent now (callers that run the request themselves; :meth:`execute` does better by
        holding the units until the answer arrives).

        Raises:
            VenueHalted: the venue banned the IP; the halt is never slept through.
        """
        lease = await self._acquire(category, endpoint, cost, requests=requests)
        lease.release(self.clock.monotonic())

    async def _acquire(
        self,
        category: EndpointCategory,
        endpoint: str,
        cost: float | None = None,
        *,
        requests: int = 1,
    ) -> _Lease:
        """Wait for headroom in every window and hold it until the lease is released.

        The request is counted in the category its caller declared (an endpoint's guessed
        or documented family is only the fallback for responses nobody declared), and
        ``requests`` times: one call of ours that sends several (a market load asks once
        per market type) spends a unit for each.
        """
        key = endpoint_key(endpoint)
        state = self._endpoint(key, category)
        state.category = category
        units = (state.cost if cost is None else cost) * requests
        while True:
            lease = self._admit(state, category, units, requests)
            if lease is not None:
                return lease
            delay = self._delay(state, self.clock.monotonic(), units, requests)
            if delay > 0:
                self.stats.waited_seconds += delay
                await self._sleep(delay)

    def _delay(self, state: _Endpoint, now: float, units: float, requests: int) -> float:
        """Seconds until one more request to ``state``'s endpoint fits every window."""
        delay = self._venue_window.wait_time(now, units)
        window = state.window
        if window is not None:
            delay = max(delay, window.wait_time(now, requests))
        return max(delay, state.blocked_until - now)

    def _admit(
        self, state: _Endpoint, category: EndpointCategory, units: float, requests: int
    ) -> _Lease | None:
        """Count the request and lease its units if every window has room now; None when it
        must wait. No coroutine: a request with headroom (the usual case) never yields here.

        Raises:
            VenueHalted: the venue banned the IP; the halt is never slept through.
        """
        if self.halted_until is not None:
            self._check_halt()
        now = self.clock.monotonic()
        if self._delay(state, now, units, requests) > 0:
            return None
        self._category_windows[category].record(now, units)
        stats = self.stats
        stats.requests += requests
        stats.first_admitted = stats.first_admitted or now
        stats.last_admitted = now
        return _Lease(self._venue_window, state.window, units, now, state.arrivals, requests)

    # --- running calls -------------------------------------------------------------------

    async def execute(
        self,
        call: Callable[[], Awaitable[T]],
        category: EndpointCategory,
        endpoint: str,
        *,
        idempotent: bool,
        requests: int = 1,
        max_retries: int | None = None,
    ) -> T:
        """Run ``call`` within the limits; retry only what is safe to retry.

        The ``RequestLimiter`` entry point (``max_retries`` None: the limiter's own).

        - rate limited (10006, 429): the venue refused it; wait until the endpoint's reset
          timestamp (or a backoff) and send again, for any request;
        - clock skew (10002): refused; resync the clock offset and send again;
        - IP ban (403): halt all REST for ``ban_seconds`` and raise ``VenueHalted``; never
          retried, so a ban can never turn into a loop;
        - timeout or lost connection: retried only when ``idempotent`` (a read); for a POST
          the outcome is unknown and the caller must ask the venue what happened;
        - anything else is the caller's.

        ``requests`` is how many HTTP requests ``call`` sends (each is counted).
        """
        retries = self.max_retries if max_retries is None else max_retries
        state = self._endpoints.get(endpoint)
        key = endpoint if state is not None else endpoint_key(endpoint)
        attempt = 0
        while True:
            lease = None
            if state is not None and state.category is category:
                lease = self._admit(state, category, state.cost * requests, requests)
            if lease is None:
                lease = await self._acquire(category, key, requests=requests)
            try:
                return await call()
            except Exception as error:
                lease.release(self.clock.monotonic())
                failure = classify(error)
                self.stats.by_failure[failure.value] = (
                    self.stats.by_failure.get(failure.value, 0) + 1
                )
                if failure is Failure.BANNED:
                    # Only this request's own ban becomes VenueHalted: a timeout that lands
                    # while another request was banned stays ambiguous for its caller.
                    self.halt()
                    self._check_halt()
                    raise
                attempt += 1
                if attempt > retries or not await self._prepare_retry(
                    failure, key, attempt, idempotent=idempotent, hint=retry_after(error)
                ):
                    raise
                self.stats.retries += 1
                state = self._endpoints.get(key)
            finally:
                lease.release(self.clock.monotonic())

    async def execute_with_retry(
        self,
        func: Callable[[], Awaitable[T]],
        category: EndpointCategory,
        endpoint: str,
        max_retries: int | None = None,
        *,
        idempotent: bool = True,
        requests: int = 1,
    ) -> T:
        """:meth:`execute` with its retries given (``max_retries``) and reads by default."""
        return await self.execute(
            func,
            category,
            endpoint,
            idempotent=idempotent,
            requests=requests,
            max_retries=max_retries,
        )

    async def _prepare_retry(
        self,
        failure: Failure,
        key: str,
        attempt: int,
        *,
        idempotent: bool,
        hint: float | None = None,
    ) -> bool:
        """Get ready to send again after ``failure``; False when it must not be re-sent."""
        if failure is Failure.RATE_LIMITED:
            self.stats.rate_limited += 1
            self._block_after_rate_limit(key, attempt, hint)
            return True
        if failure is Failure.CLOCK_SKEW:
            if self.clock_resync is None:
                return False
            self.stats.clock_resyncs += 1
            # Measuring the offset is a request too (the venue's server time): it takes its
            # slot in the windows like any other, and is not retried inside a retry.
            await self.execute_with_retry(
                self.clock_resync, *SERVER_TIME, max_retries=0, idempotent=True
            )
            return True
        if failure is Failure.AMBIGUOUS and idempotent:
            delay = self.backoff.delay(attempt)
            self.stats.waited_seconds += delay
            await self._sleep(delay)
            return True
        return False

    def _block_after_rate_limit(self, key: str, attempt: int, hint: float | None = None) -> None:
        """Hold the endpoint until the venue's reset timestamp (learned from the headers, or
        the error's ``retry_after``), else a backoff; from the second refusal in a row the
        backoff is a floor, so a reset timestamp that is already past cannot spin."""
        state = self._endpoint(key)
        now = self.clock.monotonic()
        wait = self._reset_wait(state)
        if wait is None and hint is not None and 0 <= hint <= MAX_HINT_SECONDS:
            wait = hint
        if wait is None or attempt > 1:
            wait = max(wait or 0.0, self.backoff.delay(attempt))
        state.blocked_until = max(state.blocked_until, now + wait)

    def _reset_wait(self, state: _Endpoint) -> float | None:
        """Seconds until the venue said the endpoint's window resets, if it said so."""
        return None

    def halt(self, seconds: float | None = None) -> None:
        """Stop all REST to the venue (an IP ban) for ``seconds`` (``ban_seconds``)."""
        until = self.clock.now() + timedelta(seconds=seconds or self.ban_seconds)
        if self.halted_until is None or until > self.halted_until:
            if self.halted_until is None:
                self.stats.banned += 1
                log.error("%s: IP banned (HTTP 403); all REST halted until %s", self.venue, until)
            self.halted_until = until

    def lift_halt(self) -> None:
        """Operator override: allow REST again before the ban window is over."""
        self.halted_until = None

    # --- learning from responses ---------------------------------------------------------

    def observe_response(self, endpoint: str, status: int, headers: Mapping[str, str]) -> None:
        """Learn from one HTTP response; a 403/418 means the IP is banned."""
        if status in (403, 418):
            self.halt()
            return
        key = endpoint_key(endpoint)
        if status == 429:
            self._block_after_rate_limit(key, 1)
        self.update_from_headers(headers, key)

    def update_from_headers(self, headers: Mapping[str, str], endpoint: str) -> None:
        """Venue modules that send limit headers override this."""

    # --- status --------------------------------------------------------------------------

    def get_status(self) -> list[RateLimitStatus]:
        """One row per category (its share of the venue-wide window, whose remaining
        headroom all categories share), then one row per endpoint with a known budget."""
        now = self.clock.monotonic()
        wall = self.clock.now()
        venue_used = self._venue_window.used(now)
        venue_reset = wall + timedelta(seconds=self._venue_window.reset_in(now))
        rows = [
            RateLimitStatus(
                category=category,
                used=round(window.used(now)),
                limit=round(self.venue_limit),
                remaining=max(round(self.venue_limit - venue_used), 0),
                window_seconds=self.venue_period,
                reset_at=venue_reset,
                halted_until=self.halted_until,
            )
            for category, window in self._category_windows.items()
        ]
        for key, state in sorted(self._endpoints.items()):
            row = self._endpoint_status(key, state, now, wall)
            if row is not None:
                rows.append(row)
        return rows

    def _endpoint_status(
        self, key: str, state: _Endpoint, now: float, wall: datetime
    ) -> RateLimitStatus | None:
        if state.window is None:
            return None
        limit = round(state.window.limit)
        used = round(state.window.used(now))
        reset_in = max(state.window.reset_in(now), state.blocked_until - now)
        return RateLimitStatus(
            category=state.category,
            endpoint=key,
            used=min(used, limit),
            limit=limit,
            remaining=max(limit - used, 0),
            window_seconds=state.documented.period if state.documented else 1.0,
            reset_at=wall + timedelta(seconds=reset_in),
            halted_until=self.halted_until,
        )

    def reset_limits(self) -> None:
        """Forget every count, block and learned number (a fresh start after a reconnect).

        A venue ban is kept: only :meth:`lift_halt` ends it early, deliberately.
        """
        self._venue_window.clear()
        for window in self._category_windows.values():
            window.clear()
        self._endpoints.clear()
        for key in self._documented:
            self._endpoint(key)


__all__ = [
    "DEFAULT_BAN_SECONDS",
    "EndpointLimit",
    "LimiterStats",
    "RateLimitInfo",
    "WindowedLimiter",
    "endpoint_key",
]
