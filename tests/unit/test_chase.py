"""The chase order's decisions (console/domain/chase.py): follow the touch away, within the
maximum distance, one amend at a time and not faster than the interval or the rate budget
allows, coalescing the moves in between; stop when the stream is stale; re-price a post-only
refusal once."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from console.domain import EndpointCategory, RateLimitStatus, Side
from console.domain.chase import (
    Amend,
    ChaseLimits,
    ChaseState,
    Hold,
    Stop,
    StopCause,
    WaitUntil,
    after_would_cross,
    budget_wait,
    chase_bound,
    decide,
)

from support.scripted_market import ScriptedMarket

D = Decimal
SYMBOL = "BTC/USDT:USDT"
TICK = D("0.1")
LIMITS = ChaseLimits(max_distance_pct=D("0.5"), min_interval=0.5)
NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
AMEND = "/v5/order/amend"


def buy_at(price: str) -> ChaseState:
    return ChaseState.start(SYMBOL, Side.BUY, D("0.01"), D(price), tick_size=TICK, limits=LIMITS)


def sell_at(price: str) -> ChaseState:
    return ChaseState.start(SYMBOL, Side.SELL, D("0.01"), D(price), tick_size=TICK, limits=LIMITS)


def book(bid: str, ask: str, *, stale: bool = False) -> ScriptedMarket:
    market = ScriptedMarket()
    market.set_book(SYMBOL, [(bid, "1")], [(ask, "1")], stale=stale)
    return market


def decide_on(
    state: ChaseState,
    bid: str,
    ask: str,
    *,
    now: float = 100.0,
    stale: bool = False,
    wait: float = 0,
) -> object:
    snapshot = book(bid, ask, stale=stale).get_depth_snapshot(SYMBOL)
    return decide(state, snapshot, now=now, limits=LIMITS, budget_wait=wait)


def test_a_buy_follows_the_bid_up_and_a_sell_the_ask_down() -> None:
    assert decide_on(buy_at("60000"), "60010.5", "60011") == Amend(D("60010.5"))
    assert decide_on(sell_at("60000"), "59989", "59989.5") == Amend(D("59989.5"))


def test_it_does_not_follow_the_touch_back_towards_it() -> None:
    """A buy whose bid fell below it is the best bid already: nothing to amend."""
    assert decide_on(buy_at("60000"), "59990", "60000.1") == Hold()
    assert decide_on(buy_at("60000"), "60000", "60000.1") == Hold()
    assert decide_on(sell_at("60000"), "60000", "60010") == Hold()


def test_the_bound_is_the_maximum_distance_rounded_onto_the_tick_towards_the_start() -> None:
    assert chase_bound(Side.BUY, D("60000"), D("0.5"), TICK) == D("60300")
    assert chase_bound(Side.SELL, D("60000"), D("0.5"), TICK) == D("59700")
    assert chase_bound(Side.BUY, D("100.03"), D("1"), D("0.01")) == D("101.03")
    assert chase_bound(Side.BUY, D("100.05"), D("0.333"), D("0.1")) == D("100.3")
    assert chase_bound(Side.SELL, D("100.05"), D("0.333"), D("0.1")) == D("99.8")


def test_it_follows_up_to_the_bound_and_stops_past_it() -> None:
    state = buy_at("60000")
    assert decide_on(state, "60300", "60300.1") == Amend(D("60300"))
    stop = decide_on(state, "60300.1", "60300.2")
    assert isinstance(stop, Stop)
    assert stop.cause is StopCause.DISTANCE
    assert "60300.1" in stop.reason
    assert "60300" in stop.reason
    assert "0.5%" in stop.reason
    sold = decide_on(sell_at("60000"), "59699.8", "59699.9")
    assert isinstance(sold, Stop)
    assert sold.cause is StopCause.DISTANCE


def test_a_stale_or_missing_book_stops_the_chase() -> None:
    stop = decide_on(buy_at("60000"), "60010", "60011", stale=True)
    assert isinstance(stop, Stop)
    assert stop.cause is StopCause.STREAM
    missing = decide(buy_at("60000"), None, now=0.0, limits=LIMITS)
    assert isinstance(missing, Stop)
    assert missing.cause is StopCause.STREAM


def test_a_stale_book_stops_even_while_an_amend_is_in_flight() -> None:
    state = buy_at("60000").sent(100.0)
    stop = decide_on(state, "60010", "60011", stale=True, now=100.1)
    assert isinstance(stop, Stop)
    assert stop.cause is StopCause.STREAM


def test_an_untrusted_book_holds_the_chase_for_the_grace_then_stops_it() -> None:
    limits = replace(LIMITS, stream_grace=2.0)
    stale = book("60010", "60011", stale=True).get_depth_snapshot(SYMBOL)
    fresh = book("60010", "60011").get_depth_snapshot(SYMBOL)
    state = buy_at("60000").book_seen(stale, 100.0)
    assert state.lost_since == 100.0
    assert decide(state, stale, now=100.0, limits=limits) == WaitUntil(102.0)
    later = state.book_seen(stale, 101.9)
    assert later.lost_since == 100.0, "the grace counts from the first untrusted look"
    assert decide(later, stale, now=101.9, limits=limits) == WaitUntil(102.0)
    stop = decide(state.book_seen(stale, 102.0), stale, now=102.0, limits=limits)
    assert isinstance(stop, Stop)
    assert stop.cause is StopCause.STREAM
    assert "for 2 s" in stop.reason
    back = later.book_seen(fresh, 101.95)
    assert back.lost_since is None
    assert decide(back, fresh, now=101.95, limits=limits) == Amend(D("60010"))
    missing = buy_at("60000").book_seen(None, 5.0)
    assert decide(missing, None, now=6.0, limits=limits) == WaitUntil(7.0)


def test_one_amend_in_flight_at_most() -> None:
    state = buy_at("60000").sent(100.0)
    assert decide_on(state, "60010", "60011", now=200.0) == Hold()


def test_the_next_amend_waits_for_the_minimum_interval() -> None:
    state = buy_at("60000").sent(100.0).amended(D("60010"))
    assert decide_on(state, "60020", "60021", now=100.2) == WaitUntil(100.5)
    assert decide_on(state, "60020", "60021", now=100.5) == Amend(D("60020"))


def test_touch_moves_during_the_wait_coalesce_into_one_amend_to_the_latest_touch() -> None:
    """Three moves inside one interval: the waits name one time, and the amend then goes to
    the last touch, not once per move."""
    state = buy_at("60000").sent(100.0).amended(D("60010"))
    decisions = [
        decide_on(state, bid, "60100", now=now)
        for bid, now in (("60011", 100.1), ("60015", 100.2), ("60019", 100.3))
    ]
    assert decisions == [WaitUntil(100.5)] * 3
    assert decide_on(state, "60019", "60100", now=100.5) == Amend(D("60019"))


def test_the_rate_budget_can_hold_an_amend_back_longer_than_the_interval() -> None:
    state = buy_at("60000")
    assert decide_on(state, "60010", "60011", now=100.0, wait=2.0) == WaitUntil(102.0)


def test_an_applied_amend_counts_and_moves_the_label() -> None:
    state = buy_at("60000")
    assert state.label() == "CHASE 0.01 (0 amends)"
    state = state.sent(1.0).amended(D("60010"))
    assert state.label() == "CHASE 0.01 (1 amend)"
    state = state.sent(2.0).amended(D("60020")).sent(3.0).amended(D("60030"))
    assert (state.price, state.amends, state.in_flight) == (D("60030"), 3, False)
    assert state.label() == "CHASE 0.01 (3 amends)"


def test_a_post_only_refusal_reprices_once_then_stops() -> None:
    state = buy_at("60000").sent(1.0)
    once = after_would_cross(state)
    assert isinstance(once, ChaseState)
    assert once.repriced
    assert not once.in_flight
    twice = after_would_cross(once.sent(2.0))
    assert isinstance(twice, Stop)
    assert twice.cause is StopCause.REJECTED


def test_a_successful_amend_gives_the_reprice_back() -> None:
    state = after_would_cross(buy_at("60000").sent(1.0))
    assert isinstance(state, ChaseState)
    state = state.sent(2.0).amended(D("60010"))
    assert not state.repriced
    assert isinstance(after_would_cross(state.sent(3.0)), ChaseState)


def status(
    remaining: int,
    *,
    endpoint: str | None = AMEND,
    category: EndpointCategory = EndpointCategory.TRADING,
    reset_in: float | None = 0.8,
    halted_for: float | None = None,
) -> RateLimitStatus:
    return RateLimitStatus(
        category=category,
        endpoint=endpoint,
        used=10 - remaining,
        limit=10,
        remaining=remaining,
        window_seconds=1.0,
        reset_at=None if reset_in is None else NOW + timedelta(seconds=reset_in),
        halted_until=None if halted_for is None else NOW + timedelta(seconds=halted_for),
    )


def test_budget_wait_is_zero_with_headroom_beyond_the_reserve() -> None:
    assert budget_wait([status(5), status(100, endpoint=None)], NOW, endpoint=AMEND) == 0.0


def test_budget_wait_keeps_a_reserve_for_a_cancel() -> None:
    assert budget_wait([status(1)], NOW, endpoint=AMEND) == 0.8
    assert budget_wait([status(1, reset_in=None)], NOW, endpoint=AMEND) == 1.0


def test_budget_wait_reads_the_trading_category_and_ignores_other_endpoints() -> None:
    assert budget_wait([status(0, endpoint=None, reset_in=2.5)], NOW, endpoint=AMEND) == 2.5
    others = [
        status(0, endpoint="/v5/order/create"),
        status(0, endpoint=None, category=EndpointCategory.MARKET_DATA),
    ]
    assert budget_wait(others, NOW, endpoint=AMEND) == 0.0


def test_budget_wait_waits_out_a_ban() -> None:
    assert budget_wait([status(9, halted_for=30)], NOW, endpoint=AMEND) == 30.0
