"""The limiter's fast paths give what its general paths give.

``execute`` admits a request with headroom without a coroutine, finding the endpoint by
the name it was given; ``_acquire`` always takes the general way (the endpoint's name made
canonical, the declared category set, the waiting loop). Driven by the same requests,
two limiters must admit each at the same moment and end with the same windows. The header
reader looks up Bybit's own spelling first: it must find what a scan of every spelling
finds.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st
from multidict import CIMultiDict, CIMultiDictProxy

from console.domain import EndpointCategory, ManualClock, SystemClock, datetime_to_ms
from console.exchange.ratelimit import BybitRateLimiter
from console.exchange.ratelimit.bybit import (
    LIMIT_HEADER,
    REMAINING_HEADER,
    RESET_HEADER,
    _header,
)

SPELLINGS = {
    "/v5/order/create": ["/v5/order/create", "v5/order/create", "http://h/v5/order/create?x=1"],
    "/v5/market/tickers": ["/v5/market/tickers", "/v5/market/tickers/", "v5/market/tickers"],
    "/v5/position/list": ["/v5/position/list"],
}
requests = st.lists(
    st.tuples(
        st.sampled_from(sorted(SPELLINGS)),
        st.integers(min_value=0, max_value=2),
        st.sampled_from(list(EndpointCategory)),
        st.sampled_from([0.0, 0.001, 0.02, 0.3, 1.5]),
        st.one_of(st.none(), st.integers(min_value=0, max_value=12)),
    ),
    max_size=60,
)


class Driven:
    """A limiter on its own ManualClock, its sleep advancing that clock."""

    def __init__(self) -> None:
        self.clock = ManualClock()
        self.limiter = BybitRateLimiter(clock=self.clock, sleep=self.sleep)
        self.admitted: list[float] = []

    async def sleep(self, seconds: float) -> None:
        self.clock.advance(seconds)

    def learn(self, endpoint: str, remaining: int | None) -> None:
        if remaining is not None:
            reset = datetime_to_ms(self.clock.now())
            self.limiter.observe_response(
                endpoint,
                200,
                {
                    "X-Bapi-Limit": "10",
                    "X-Bapi-Limit-Status": str(remaining),
                    "X-Bapi-Limit-Reset-Timestamp": str(reset),
                },
            )


@settings(derandomize=True, max_examples=150, deadline=None)
@given(requests)
def test_a_request_is_admitted_when_the_general_path_admits_it(
    sequence: list[tuple[str, int, EndpointCategory, float, int | None]],
) -> None:
    fast, general = Driven(), Driven()

    async def drive() -> None:
        for endpoint, spelling, category, pause, remaining in sequence:
            name = SPELLINGS[endpoint][spelling % len(SPELLINGS[endpoint])]
            for driven in (fast, general):
                driven.clock.advance(pause)

            async def call(
                driven: Driven = fast, name: str = name, remaining: int | None = remaining
            ) -> None:
                driven.admitted.append(driven.clock.monotonic())
                driven.learn(name, remaining)

            await fast.limiter.execute(call, category, name, idempotent=True)
            lease = await general.limiter._acquire(category, name)
            await call(general)
            lease.release(general.clock.monotonic())

    asyncio.run(drive())

    assert fast.admitted == general.admitted
    assert fast.limiter.get_status() == general.limiter.get_status()
    assert fast.limiter.stats == general.limiter.stats


names = st.sampled_from([LIMIT_HEADER, REMAINING_HEADER, RESET_HEADER])


def scanned(headers: dict[str, str], name: str) -> str | None:
    for key, value in headers.items():
        if key.lower() == name:
            return value
    return None


@st.composite
def header_sets(draw: st.DrawFn) -> dict[str, str]:
    """Each limit header at most once, in any spelling, among others."""
    headers = {draw(st.sampled_from(["Content-Type", "Traceid", "Timenow", "X-Bapi-Limit-X"])): "x"}
    for name in (LIMIT_HEADER, REMAINING_HEADER, RESET_HEADER):
        if draw(st.booleans()):
            upper = draw(st.lists(st.booleans(), min_size=len(name), max_size=len(name)))
            spelled = "".join(c.upper() if up else c for c, up in zip(name, upper, strict=True))
            headers[spelled] = str(draw(st.integers(min_value=0, max_value=10**13)))
    return headers


@settings(derandomize=True, max_examples=300)
@given(header_sets(), names)
def test_a_limit_header_is_found_in_any_spelling(headers: dict[str, str], name: str) -> None:
    expected = scanned(headers, name)

    assert _header(headers, name) == expected
    assert _header(CIMultiDictProxy(CIMultiDict(headers)), name) == expected


def test_the_system_clock_s_wall_seconds_are_its_datetime_s() -> None:
    limiter = BybitRateLimiter(clock=SystemClock())
    before = datetime.now(UTC).timestamp()
    seconds = limiter.wall_seconds()
    after = datetime.now(UTC).timestamp()

    assert before - 1e-6 <= seconds <= after + 1e-6
    manual = BybitRateLimiter(clock=ManualClock())
    assert manual.wall_seconds() == ManualClock().now().timestamp()
