"""BybitRateLimiter: windows, headers and every error path, on an injected clock and sleep."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta

import ccxt.async_support as ccxt
import pytest

from console.config import Settings
from console.domain import EndpointCategory, ManualClock, RateLimitStatus, datetime_to_ms
from console.exchange.errors import RateLimited, RequestTimedOut, VenueHalted
from console.exchange.ratelimit import (
    BybitRateLimiter,
    Failure,
    GenericRateLimiter,
    classify,
    limiter_for,
)

CREATE = "/v5/order/create"
TICKERS = "/v5/market/tickers"
TRADING = EndpointCategory.TRADING
MARKET = EndpointCategory.MARKET_DATA


class Harness:
    """A limiter on a ManualClock whose sleep advances the clock and is recorded."""

    def __init__(self, **kwargs: object) -> None:
        self.clock = ManualClock()
        self.sleeps: list[float] = []
        self.limiter = BybitRateLimiter(clock=self.clock, sleep=self.sleep, **kwargs)  # type: ignore[arg-type]

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.clock.advance(seconds)

    def now_ms(self) -> int:
        return datetime_to_ms(self.clock.now())

    def row(self, endpoint: str | None, category: EndpointCategory = TRADING) -> RateLimitStatus:
        for row in self.limiter.get_status():
            if row.endpoint == endpoint and row.category is category:
                return row
        raise AssertionError(f"no status row for {endpoint}")


def headers(limit: int, remaining: int, reset_ms: int) -> dict[str, str]:
    return {
        "X-Bapi-Limit": str(limit),
        "X-Bapi-Limit-Status": str(remaining),
        "X-Bapi-Limit-Reset-Timestamp": str(reset_ms),
    }


def counting(results: list[object]) -> tuple[Callable[[], Awaitable[str]], list[int]]:
    """A call that raises or returns the next item of ``results``, and its call counter."""
    calls = [0]

    async def call() -> str:
        item = results[min(calls[0], len(results) - 1)]
        calls[0] += 1
        if isinstance(item, BaseException):
            raise item
        return str(item)

    return call, calls


async def test_order_create_is_held_to_ten_per_second_with_a_time_guard() -> None:
    h = Harness()
    for _ in range(10):
        await h.limiter.wait_if_needed(TRADING, CREATE)
    assert h.sleeps == []
    await h.limiter.wait_if_needed(TRADING, CREATE)
    assert sum(h.sleeps) == pytest.approx(1.01)
    row = h.row(CREATE)
    assert (row.limit, row.window_seconds, row.learned_from_headers) == (10, 1.0, False)


MARKET_PATHS = [f"/v5/market/{name}" for name in ("tickers", "orderbook", "kline", "a", "b")]


async def test_market_data_is_held_by_the_ip_window_with_a_margin() -> None:
    h = Harness()
    for index in range(570):
        await h.limiter.wait_if_needed(MARKET, MARKET_PATHS[index % 5])
    assert h.sleeps == []
    await h.limiter.wait_if_needed(MARKET, TICKERS)
    assert sum(h.sleeps) == pytest.approx(5.0)
    market = h.row(None, MARKET)
    assert market.limit == 600
    assert market.window_seconds == 5.0


async def test_one_market_path_is_paced_at_the_ip_budgets_per_second_share() -> None:
    h = Harness()
    for _ in range(120):
        await h.limiter.wait_if_needed(MARKET, TICKERS)
    assert h.sleeps == []
    await h.limiter.wait_if_needed(MARKET, TICKERS)
    assert h.sleeps == [pytest.approx(1.01)]
    assert h.row(TICKERS, MARKET).limit == 120


async def test_category_rows_share_the_ip_headroom() -> None:
    h = Harness()
    for _ in range(5):
        await h.limiter.wait_if_needed(MARKET, TICKERS)
    await h.limiter.wait_if_needed(TRADING, CREATE)
    assert h.row(None, MARKET).used == 5
    assert h.row(None, TRADING).used == 1
    assert h.row(None, MARKET).remaining == h.row(None, TRADING).remaining == 594


def test_headers_teach_limit_remaining_and_reset() -> None:
    h = Harness()
    h.limiter.observe_response(CREATE, 200, headers(10, 7, h.now_ms()))
    info = h.limiter.rate_limit_info[CREATE]
    assert (info.limit, info.remaining) == (10, 7)
    row = h.row(CREATE)
    assert row.learned_from_headers
    assert (row.used, row.remaining) == (3, 7)


def test_a_smaller_learned_limit_shrinks_the_window_a_larger_one_does_not_raise_it() -> None:
    h = Harness()
    h.limiter.update_from_headers(headers(5, 5, h.now_ms()), CREATE)
    assert h.row(CREATE).limit == 5
    h.limiter.update_from_headers(headers(20, 20, h.now_ms()), CREATE)
    assert h.row(CREATE).limit == 5


def test_headers_of_an_undocumented_endpoint_create_its_window() -> None:
    h = Harness()
    h.limiter.observe_response("http://h:1/v5/user/query-api?x=1", 200, headers(10, 9, 0))
    row = h.row("/v5/user/query-api", EndpointCategory.ACCOUNT)
    assert (row.limit, row.remaining) == (10, 9)


@pytest.mark.parametrize(
    "bad",
    [
        {"X-Bapi-Limit": "ten", "X-Bapi-Limit-Status": "1"},
        {"X-Bapi-Limit-Status": "1"},
        {"X-Bapi-Limit": "0", "X-Bapi-Limit-Status": "0"},
        {},
    ],
)
def test_missing_or_malformed_headers_teach_nothing(bad: dict[str, str]) -> None:
    h = Harness()
    h.limiter.update_from_headers(bad, CREATE)
    assert CREATE not in h.limiter.rate_limit_info
    assert not h.row(CREATE).learned_from_headers


async def test_nothing_left_blocks_the_endpoint_until_the_reset_timestamp() -> None:
    h = Harness()
    h.limiter.update_from_headers(headers(10, 0, h.now_ms() + 700), CREATE)
    assert h.row(CREATE).reset_at == h.clock.now() + timedelta(seconds=0.7)
    assert h.row(CREATE).remaining == 0
    await h.limiter.wait_if_needed(TRADING, CREATE)
    assert h.sleeps == [pytest.approx(0.7)]


async def test_a_reset_timestamp_far_in_the_future_is_not_obeyed() -> None:
    h = Harness(endpoints={})
    h.limiter.update_from_headers(headers(10, 0, h.now_ms() + 3_600_000), "/v5/x")
    await h.limiter.wait_if_needed(TRADING, "/v5/x")
    assert sum(h.sleeps) == pytest.approx(1.01)  # the window, not an hour


async def test_venue_counting_more_than_us_is_counted_locally() -> None:
    h = Harness()
    await h.limiter.wait_if_needed(TRADING, CREATE)
    h.limiter.update_from_headers(headers(10, 2, h.now_ms()), CREATE)  # another process
    for _ in range(2):
        await h.limiter.wait_if_needed(TRADING, CREATE)
    assert h.sleeps == []
    await h.limiter.wait_if_needed(TRADING, CREATE)
    assert h.sleeps


async def test_10006_waits_until_the_reset_timestamp_then_retries_even_a_create() -> None:
    h = Harness()
    error = ccxt.RateLimitExceeded('bybit {"retCode":10006,"retMsg":"Too many visits!"}')
    call, calls = counting([error, "ok"])
    reset_ms = h.now_ms() + 400

    async def refused_then_ok() -> str:
        if calls[0] == 0:
            h.limiter.observe_response(CREATE, 200, headers(10, 0, reset_ms))
        return await call()

    result = await h.limiter.execute(refused_then_ok, TRADING, CREATE, idempotent=False)
    assert result == "ok"
    assert calls[0] == 2
    assert h.sleeps[0] == pytest.approx(0.4)
    assert h.limiter.stats.rate_limited == 1


async def test_a_10006_storm_backs_off_and_status_shows_every_step() -> None:
    h = Harness(max_retries=5)
    storm = RateLimited("rate limited", code=10006)
    call, calls = counting([storm, storm, storm, "ok"])
    blocked: list[bool] = []

    async def observed() -> str:
        blocked.append(h.row(CREATE).reset_at is not None)
        return await call()

    assert await h.limiter.execute(observed, TRADING, CREATE, idempotent=False) == "ok"
    assert calls[0] == 4
    assert len(h.sleeps) == 3
    assert h.sleeps == sorted(h.sleeps)  # capped exponential: never shorter than before
    assert all(blocked)


async def test_10006_past_the_retry_budget_surfaces() -> None:
    h = Harness(max_retries=2)
    call, calls = counting([RateLimited("rate limited", code=10006)])
    with pytest.raises(RateLimited):
        await h.limiter.execute(call, MARKET, TICKERS, idempotent=True)
    assert calls[0] == 3


async def test_10002_resyncs_the_clock_and_retries() -> None:
    h = Harness()
    resyncs: list[int] = []

    async def resync() -> None:
        resyncs.append(1)

    h.limiter.clock_resync = resync
    call, calls = counting([ccxt.InvalidNonce('bybit {"retCode":10002,"retMsg":"ts"}'), "ok"])
    assert await h.limiter.execute(call, TRADING, CREATE, idempotent=False) == "ok"
    assert (calls[0], len(resyncs), h.limiter.stats.clock_resyncs) == (2, 1, 1)


async def test_10002_without_a_way_to_resync_is_not_retried() -> None:
    h = Harness()
    call, calls = counting([ccxt.InvalidNonce('bybit {"retCode":10002}')])
    with pytest.raises(ccxt.InvalidNonce):
        await h.limiter.execute(call, TRADING, CREATE, idempotent=True)
    assert calls[0] == 1


async def test_403_halts_all_rest_for_ten_minutes_and_never_loops() -> None:
    h = Harness()
    banned = ccxt.RateLimitExceeded("bybit GET http://h/v5/market/tickers 403 Forbidden access")

    async def ban() -> str:
        h.limiter.observe_response(TICKERS, 403, {})
        raise banned

    with pytest.raises(VenueHalted) as caught:
        await h.limiter.execute(ban, MARKET, TICKERS, idempotent=True)
    until = h.clock.now() + timedelta(minutes=10)
    assert caught.value.until == until
    assert all(row.halted_until == until for row in h.limiter.get_status())

    other, other_calls = counting(["never"])
    with pytest.raises(VenueHalted):
        await h.limiter.execute(other, TRADING, CREATE, idempotent=False)
    assert other_calls[0] == 0
    assert h.sleeps == []  # refused at once, never slept through

    h.limiter.reset_limits()
    assert h.limiter.halted_until == until  # a reset does not lift a ban

    h.clock.advance(600)
    assert await h.limiter.execute(other, TRADING, CREATE, idempotent=False) == "never"
    assert all(row.halted_until is None for row in h.limiter.get_status())


async def test_a_403_seen_only_in_the_exception_still_halts() -> None:
    h = Harness()
    call, calls = counting([ccxt.RateLimitExceeded("bybit GET http://h/x 403 Forbidden")])
    with pytest.raises(VenueHalted):
        await h.limiter.execute(call, MARKET, TICKERS, idempotent=True)
    assert calls[0] == 1
    assert h.limiter.halted_until is not None
    h.limiter.lift_halt()
    assert h.limiter.halted_until is None


async def test_a_timeout_is_retried_for_reads_only() -> None:
    h = Harness()
    read, reads = counting([ccxt.RequestTimeout("timeout"), "ok"])
    assert await h.limiter.execute(read, MARKET, TICKERS, idempotent=True) == "ok"
    assert reads[0] == 2
    assert len(h.sleeps) == 1

    post, posts = counting([RequestTimedOut("no answer"), "sent twice!"])
    with pytest.raises(RequestTimedOut):
        await h.limiter.execute(post, TRADING, CREATE, idempotent=False)
    assert posts[0] == 1


async def test_other_errors_are_the_callers() -> None:
    h = Harness()
    call, calls = counting([ccxt.InsufficientFunds('bybit {"retCode":110007}')])
    with pytest.raises(ccxt.InsufficientFunds):
        await h.limiter.execute(call, TRADING, CREATE, idempotent=True)
    assert calls[0] == 1


async def test_429_blocks_the_endpoint_for_a_backoff() -> None:
    h = Harness()
    h.limiter.observe_response(TICKERS, 429, {})
    await h.limiter.wait_if_needed(MARKET, TICKERS)
    assert len(h.sleeps) == 1
    assert 0 < h.sleeps[0] <= 0.25


async def test_reset_limits_forgets_counts_and_learned_numbers() -> None:
    h = Harness()
    for _ in range(10):
        await h.limiter.wait_if_needed(TRADING, CREATE)
    h.limiter.update_from_headers(headers(5, 0, h.now_ms() + 500), CREATE)
    assert h.limiter.rate_limit_info
    h.limiter.reset_limits()
    assert h.limiter.rate_limit_info == {}, "the venue's last word is forgotten too"
    row = h.row(CREATE)
    assert (row.used, row.limit, row.learned_from_headers) == (0, 10, False)
    await h.limiter.wait_if_needed(TRADING, CREATE)
    assert h.sleeps == []


@pytest.mark.parametrize(
    ("error", "failure"),
    [
        (ccxt.RateLimitExceeded('bybit {"retCode":10006}'), Failure.RATE_LIMITED),
        (RateLimited("x", code=429), Failure.RATE_LIMITED),
        (ccxt.InvalidNonce("bybit x"), Failure.CLOCK_SKEW),
        (ccxt.ExchangeError('bybit {"retCode":10002}'), Failure.CLOCK_SKEW),
        (ccxt.DDoSProtection("binance GET http://h/x 418 I'm a teapot"), Failure.BANNED),
        (ccxt.RequestTimeout("x"), Failure.AMBIGUOUS),
        (ccxt.NetworkError("reset"), Failure.AMBIGUOUS),
        (ConnectionResetError(), Failure.AMBIGUOUS),
        (ccxt.InvalidOrder('bybit {"retCode":110072}'), Failure.FINAL),
        (ValueError("x"), Failure.FINAL),
    ],
)
def test_classify(error: BaseException, failure: Failure) -> None:
    assert classify(error) is failure


def test_classify_reads_the_cause_chain() -> None:
    outer = RuntimeError("wrapped")
    outer.__cause__ = ccxt.RateLimitExceeded('bybit {"retCode":10006}')
    assert classify(outer) is Failure.RATE_LIMITED


def test_limiter_for_picks_bybit_for_bybit_and_sim_and_generic_otherwise() -> None:
    assert isinstance(limiter_for(Settings()), BybitRateLimiter)
    assert isinstance(limiter_for(Settings(venue="bybit-testnet")), BybitRateLimiter)
    generic = limiter_for(Settings(venue="okx"))
    assert isinstance(generic, GenericRateLimiter)
    assert generic.venue == "okx"


async def test_a_timeout_that_lands_during_someone_elses_ban_stays_ambiguous() -> None:
    h = Harness()

    async def timed_out_while_banned() -> str:
        h.limiter.observe_response(TICKERS, 403, {})  # another request got banned meanwhile
        raise RequestTimedOut("no answer")

    with pytest.raises(RequestTimedOut):
        await h.limiter.execute(timed_out_while_banned, TRADING, CREATE, idempotent=False)
    assert h.limiter.halted_until is not None


async def test_a_retry_after_hint_is_used_when_no_headers_were_seen() -> None:
    h = Harness()
    call, calls = counting([RateLimited("x", code=10006, retry_after=0.3), "ok"])
    assert await h.limiter.execute(call, TRADING, CREATE, idempotent=False) == "ok"
    assert h.sleeps == [pytest.approx(0.3)]
    assert calls[0] == 2


async def test_units_are_stamped_when_the_venue_counted_them() -> None:
    h = Harness()
    counted_ms = h.now_ms() + 100

    async def slow_answer() -> str:
        h.clock.advance(0.1)
        h.limiter.observe_response(CREATE, 200, headers(10, 9, counted_ms))
        h.clock.advance(0.4)  # the answer takes long to come back
        return "ok"

    await h.limiter.execute(slow_answer, TRADING, CREATE, idempotent=False)
    for _ in range(9):
        await h.limiter.wait_if_needed(TRADING, CREATE)
    await h.limiter.wait_if_needed(TRADING, CREATE)
    # the first unit frees at 0.1 + 1.01 s (when the venue counted it), not 0.5 + 1.01 s
    assert sum(h.sleeps) == pytest.approx(0.1 + 1.01 - 0.5)


INSTRUMENTS = "/v5/market/instruments-info"
PUBLIC = EndpointCategory.PUBLIC


async def test_a_request_declared_public_is_counted_as_public() -> None:
    """instruments-info sits under /v5/market/, which the path alone files as market data;
    the caller's declaration wins, for the category row and the endpoint's own row."""
    h = Harness()
    await h.limiter.wait_if_needed(PUBLIC, INSTRUMENTS)
    await h.limiter.wait_if_needed(MARKET, TICKERS)

    assert h.row(None, PUBLIC).used == 1
    assert h.row(None, MARKET).used == 1
    assert h.row(INSTRUMENTS, PUBLIC).used == 1


async def test_a_call_that_sends_two_requests_counts_two_everywhere() -> None:
    h = Harness()
    call, calls = counting(["markets"])
    assert await h.limiter.execute(call, PUBLIC, INSTRUMENTS, idempotent=True, requests=2) == (
        "markets"
    )

    assert calls[0] == 1
    assert h.row(None, PUBLIC).used == 2
    assert h.row(INSTRUMENTS, PUBLIC).used == 2
    assert h.limiter.stats.requests == 2
    assert h.row(None, PUBLIC).remaining == 598


async def test_two_requests_wait_for_room_for_both() -> None:
    h = Harness()
    for _ in range(9):
        await h.limiter.wait_if_needed(TRADING, CREATE)
    await h.limiter.wait_if_needed(TRADING, CREATE, requests=2)
    assert sum(h.sleeps) == pytest.approx(1.01), "one slot left of ten: the pair waits"
