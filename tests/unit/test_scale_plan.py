"""Scale plans (issue 14 part 3): N limit orders between two prices, on the tick and step,
sizes that add up to the total, and refusals that name the child at fault and a fix."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from console.domain import Market, OrderType, Side
from console.domain.scale import (
    MAX_SCALE_ORDERS,
    ScaleDistribution,
    ScaleRefused,
    ScaleSpec,
    plan_scale,
)

from support.builders import linear_market

D = Decimal
BTC = linear_market()


def spec(
    total: str = "0.1",
    first: str = "59000",
    last: str = "58000",
    count: int = 10,
    distribution: ScaleDistribution = ScaleDistribution.EVEN,
    side: Side = Side.BUY,
    market: Market = BTC,
) -> ScaleSpec:
    return ScaleSpec(
        symbol=market.symbol,
        side=side,
        total=D(total),
        first_price=D(first),
        last_price=D(last),
        count=count,
        distribution=distribution,
    )


def test_the_issue_example_is_ten_even_orders_spread_on_the_tick() -> None:
    plan = plan_scale(spec(), BTC)
    expected = "59000 58888.9 58777.8 58666.7 58555.6 58444.4 58333.3 58222.2 58111.1 58000"
    assert [c.price for c in plan.children] == [D(p) for p in expected.split(" ")]
    assert {c.quantity for c in plan.children} == {D("0.01")}
    assert plan.total == D("0.1")
    assert plan.average_price == sum(c.price for c in plan.children) / 10
    requests = plan.requests()
    assert all(r.type is OrderType.LIMIT and r.side is Side.BUY for r in requests)
    assert [r.price for r in requests] == [c.price for c in plan.children]


def test_weighted_sizes_grow_or_shrink_toward_the_last_price() -> None:
    rising = plan_scale(spec("1", count=4, distribution=ScaleDistribution.INCREASING), BTC)
    assert [c.quantity for c in rising.children] == [D("0.1"), D("0.2"), D("0.3"), D("0.4")]
    falling = plan_scale(spec("1", count=4, distribution=ScaleDistribution.DECREASING), BTC)
    assert [c.quantity for c in falling.children] == [D("0.4"), D("0.3"), D("0.2"), D("0.1")]
    assert falling.average_price > rising.average_price, "a buy weighted low averages lower"


def test_fees_are_maker_while_resting_and_taker_through_the_market() -> None:
    plan = plan_scale(spec("0.02", "60100", "59900", count=2), BTC)
    resting = plan.fees(BTC, reference_price=D(61_000))
    assert (resting.taking, resting.fee) == (0, plan.notional * BTC.maker_fee)
    crossing = plan.fees(BTC, reference_price=D(60_000))
    assert crossing.taking == 1
    assert crossing.fee == D("0.01") * (D(60_100) * BTC.taker_fee + D(59_900) * BTC.maker_fee)
    assert crossing.worst_fee == plan.notional * BTC.taker_fee


def test_a_child_below_the_minimum_is_refused_naming_it_and_what_would_work() -> None:
    with pytest.raises(ScaleRefused) as refused:
        plan_scale(spec("0.005", count=10), BTC)
    assert refused.value.reason == (
        "Order 6 of 10 (at 58444.4) would get nothing: 0.005 BTC is too little to share: "
        "give at least 0.01 BTC in total or use at most 5 orders"
    )
    market = linear_market(min_qty=D("0.02"))
    with pytest.raises(ScaleRefused) as refused:
        plan_scale(spec("0.1", count=10, market=market), market)
    assert refused.value.reason == (
        "Order 1 of 10 (at 59000) would be 0.01 BTC, below the minimum size 0.02 BTC: "
        "give at least 0.2 BTC in total or use at most 5 orders"
    )


def test_a_child_below_the_minimum_value_names_the_value() -> None:
    market = linear_market(min_notional=D(100))
    with pytest.raises(ScaleRefused) as refused:
        plan_scale(spec("0.01", count=10, market=market), market)
    assert refused.value.reason == (
        "Order 1 of 10 (at 59000) would be worth 59 USDT, below the minimum 100 USDT: "
        "give at least 0.02 BTC in total or use at most 5 orders"
    )


def test_a_range_too_narrow_for_the_count_is_refused() -> None:
    with pytest.raises(ScaleRefused, match=r"holds only 6 prices at the tick 0\.1: at most 6"):
        plan_scale(spec(first="100", last="100.5", count=7), BTC)
    with pytest.raises(ScaleRefused, match="one price at the tick"):
        plan_scale(spec(first="100.01", last="100.02"), BTC)


def test_a_child_above_the_maximum_asks_for_more_orders() -> None:
    market = linear_market(max_qty=D(1))
    with pytest.raises(ScaleRefused, match="above the maximum 1 BTC: spread it over at least 4"):
        plan_scale(spec("3.5", count=3, market=market), market)


# -- properties ---------------------------------------------------------------------------

ticks = st.sampled_from([D("0.01"), D("0.1"), D("0.5"), D(1)])
steps = st.sampled_from([D("0.001"), D("0.01"), D(1)])


@st.composite
def cases(draw: st.DrawFn) -> tuple[ScaleSpec, Market]:
    market = linear_market(tick_size=draw(ticks), qty_step=draw(steps), min_notional=D(0))
    first = D(draw(st.integers(1, 10**7))) / 100
    last = D(draw(st.integers(1, 10**7))) / 100
    total = D(draw(st.integers(1, 10**6))) / 1000
    return (
        ScaleSpec(
            symbol=market.symbol,
            side=draw(st.sampled_from(list(Side))),
            total=total,
            first_price=first,
            last_price=last,
            count=draw(st.integers(2, MAX_SCALE_ORDERS)),
            distribution=draw(st.sampled_from(list(ScaleDistribution))),
        ),
        market,
    )


@given(cases())
@settings(max_examples=300, derandomize=True)
def test_a_plan_keeps_the_tick_the_step_the_range_and_the_total(
    case: tuple[ScaleSpec, Market],
) -> None:
    asked, market = case
    try:
        plan = plan_scale(asked, market)
    except ScaleRefused as refused:
        reason = refused.reason
        assert reason, "a refusal always says why"
        return
    low = min(asked.first_price, asked.last_price) - market.tick_size / 2
    high = max(asked.first_price, asked.last_price) + market.tick_size / 2
    prices = [c.price for c in plan.children]
    sizes = [c.quantity for c in plan.children]
    assert len(plan.children) == asked.count
    assert all(market.is_on_tick(p) and low <= p <= high for p in prices)
    assert len(set(prices)) == len(prices), "no two children share a price"
    assert prices == sorted(prices, reverse=asked.first_price > asked.last_price)
    assert all(market.is_on_step(q) and q >= market.min_qty for q in sizes)
    assert D(0) <= asked.total - plan.total < market.qty_step, "the total within a step"
    assert min(prices) <= plan.average_price <= max(prices)
    if asked.distribution is ScaleDistribution.EVEN:
        assert max(sizes) - min(sizes) <= market.qty_step
    elif asked.distribution is ScaleDistribution.INCREASING:
        assert sizes == sorted(sizes)
    else:
        assert sizes == sorted(sizes, reverse=True)


@given(cases())
@settings(max_examples=150, derandomize=True)
def test_the_suggested_total_makes_a_plan(case: tuple[ScaleSpec, Market]) -> None:
    asked, market = case
    market = market.model_copy(update={"min_qty": market.qty_step * 3, "min_notional": D(5)})
    try:
        plan_scale(asked, market)
    except ScaleRefused as refused:
        if "give at least " not in refused.reason:
            return
        least = refused.reason.split("give at least ")[1].split(" ")[0]
        plan = plan_scale(asked.model_copy(update={"total": D(least)}), market)
        assert plan.total == D(least)
