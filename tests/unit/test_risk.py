"""The pre-trade risk gate: each rule refuses with its name and numbers; nothing above the
limits ever passes (property test); the kill switch blocks first, then cancels."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from console.config import RiskSettings
from console.domain import (
    Balance,
    Order,
    OrderRequest,
    OrderStatus,
    OrderType,
    Side,
)
from console.exchange.risk import RiskGate, RiskRejected, RiskRule, kill

from support.builders import linear_market

NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
MARKET = linear_market()
MID = Decimal(30000)


def gate(**limits: object) -> RiskGate:
    return RiskGate(RiskSettings.model_validate(limits))


def limit(qty: str, price: str) -> OrderRequest:
    return OrderRequest(
        symbol=MARKET.symbol,
        side=Side.BUY,
        type=OrderType.LIMIT,
        quantity=Decimal(qty),
        price=Decimal(price),
    )


def market(qty: str) -> OrderRequest:
    return OrderRequest(
        symbol=MARKET.symbol, side=Side.SELL, type=OrderType.MARKET, quantity=Decimal(qty)
    )


def test_an_order_inside_every_limit_passes() -> None:
    gate(max_order_notional=1000).check(limit("0.01", "30000"), MARKET, MID, NOW)


def test_max_notional_names_the_numbers() -> None:
    with pytest.raises(RiskRejected) as refused:
        gate(max_order_notional=1000).check(limit("0.04", "30000"), MARKET, MID, NOW)
    assert refused.value.rule is RiskRule.MAX_NOTIONAL
    assert refused.value.numbers == {"notional": Decimal("1200.00"), "limit": Decimal(1000)}
    assert "1200.00 USDT" in str(refused.value)
    assert "1000 USDT" in str(refused.value)


def test_market_orders_are_valued_at_mid() -> None:
    with pytest.raises(RiskRejected) as refused:
        gate(max_order_notional=1000).check(market("0.04"), MARKET, MID, NOW)
    assert refused.value.rule is RiskRule.MAX_NOTIONAL
    with pytest.raises(RiskRejected) as no_mid:
        gate().check(market("0.01"), MARKET, None, NOW)
    assert no_mid.value.rule is RiskRule.NO_REFERENCE_PRICE


def test_price_band_around_mid() -> None:
    checker = gate(price_band_pct=2)
    checker.check(limit("0.01", "30600"), MARKET, MID, NOW)  # exactly 2 %
    with pytest.raises(RiskRejected) as refused:
        checker.check(limit("0.01", "30700"), MARKET, MID, NOW)
    assert refused.value.rule is RiskRule.PRICE_BAND
    assert refused.value.numbers["band"] == Decimal(2)
    assert "29400.0 to 30600.0" in str(refused.value)
    with pytest.raises(RiskRejected) as no_mid:
        checker.check(limit("0.01", "30000"), MARKET, None, NOW)
    assert no_mid.value.rule is RiskRule.NO_REFERENCE_PRICE


def test_order_rate_is_a_rolling_second() -> None:
    checker = gate(max_orders_per_second=2)
    checker.check(limit("0.01", "30000"), MARKET, MID, NOW)
    checker.check(limit("0.01", "30000"), MARKET, MID, NOW + timedelta(milliseconds=500))
    with pytest.raises(RiskRejected) as refused:
        checker.check(limit("0.01", "30000"), MARKET, MID, NOW + timedelta(milliseconds=900))
    assert refused.value.rule is RiskRule.ORDER_RATE
    assert refused.value.numbers == {"count": 2, "limit": 2}
    checker.check(limit("0.01", "30000"), MARKET, MID, NOW + timedelta(seconds=1))


def test_refused_orders_do_not_use_up_the_rate() -> None:
    checker = gate(max_orders_per_second=1, max_order_notional=100)
    with pytest.raises(RiskRejected):
        checker.check(limit("1", "30000"), MARKET, MID, NOW)
    checker.check(limit("0.001", "30000"), MARKET, MID, NOW)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(
    qty=st.decimals(min_value="0.001", max_value="100", places=3),
    price=st.decimals(min_value="1", max_value="100000", places=1),
    mid=st.decimals(min_value="1", max_value="100000", places=1),
    cap=st.decimals(min_value="10", max_value="1000000", places=0),
    band=st.decimals(min_value="0.1", max_value="50", places=1),
)
def test_nothing_above_the_limits_ever_passes(
    qty: Decimal, price: Decimal, mid: Decimal, cap: Decimal, band: Decimal
) -> None:
    checker = gate(max_order_notional=cap, price_band_pct=band, max_orders_per_second=10**6)
    try:
        checker.check(limit(str(qty), str(price)), MARKET, mid, NOW)
    except RiskRejected:
        return
    assert qty * price <= cap
    assert abs(price - mid) / mid * 100 <= band


class Venue:
    def __init__(self) -> None:
        self.open = [
            Order(
                order_id=f"o{i}",
                symbol=MARKET.symbol,
                side=Side.BUY,
                type=OrderType.LIMIT,
                status=OrderStatus.OPEN,
                quantity=Decimal(1),
                price=Decimal(1),
            )
            for i in range(3)
        ]
        self.gate_killed_at_first_cancel: bool | None = None
        self.gate: RiskGate | None = None

    async def create_order(self, request: OrderRequest) -> Order:
        raise AssertionError("no orders during a kill")

    async def cancel_order(self, order_id: str, symbol: str) -> Order:
        if self.gate_killed_at_first_cancel is None and self.gate is not None:
            self.gate_killed_at_first_cancel = self.gate.killed
        if order_id == "o1":
            raise RuntimeError("cancel failed")
        found = next(o for o in self.open if o.order_id == order_id)
        return found.model_copy(update={"status": OrderStatus.CANCELED})

    async def fetch_order(self, order_id: str, symbol: str) -> Order:
        raise AssertionError

    async def fetch_open_orders(self, symbol: str | None = None) -> list[Order]:
        return list(self.open)

    async def fetch_balance(self) -> list[Balance]:
        return []


async def test_kill_switch_blocks_then_cancels_all_and_stays_until_released() -> None:
    checker = gate()
    venue = Venue()
    venue.gate = checker
    cancelled = await kill(checker, venue, "operator pressed K")
    assert venue.gate_killed_at_first_cancel is True
    assert [o.order_id for o in cancelled] == ["o0", "o2"]  # o1's failure did not stop o2
    with pytest.raises(RiskRejected) as refused:
        checker.check(limit("0.01", "30000"), MARKET, MID, NOW)
    assert refused.value.rule is RiskRule.KILL_SWITCH
    assert "operator pressed K" in str(refused.value)
    checker.release()
    checker.check(limit("0.01", "30000"), MARKET, MID, NOW)


def test_a_preview_refuses_like_check_but_does_not_use_up_the_rate() -> None:
    checker = gate(max_orders_per_second=1, max_order_notional=100)
    for _ in range(3):
        checker.check(limit("0.001", "30000"), MARKET, MID, NOW, record=False)
    with pytest.raises(RiskRejected):
        checker.check(limit("1", "30000"), MARKET, MID, NOW, record=False)
    checker.check(limit("0.001", "30000"), MARKET, MID, NOW)
    with pytest.raises(RiskRejected) as refused:
        checker.check(limit("0.001", "30000"), MARKET, MID, NOW, record=False)
    assert refused.value.rule is RiskRule.ORDER_RATE
