"""The venue's market rules, written once in the domain and returned as values."""

from __future__ import annotations

from decimal import Decimal

from console.domain import MarketRule, market_rule_violations

from support.builders import linear_market

BTC = linear_market(
    tick_size=Decimal("0.5"),
    min_qty=Decimal("0.002"),
    max_qty=Decimal(100),
    min_notional=Decimal(5),
)


def rules(
    quantity: Decimal | None, price: Decimal | None, reference_price: Decimal | None = None
) -> list[MarketRule]:
    violations = market_rule_violations(
        BTC, quantity=quantity, price=price, reference_price=reference_price
    )
    return [violation.rule for violation in violations]


def test_a_valid_limit_order_breaks_nothing() -> None:
    assert market_rule_violations(BTC, quantity=Decimal("0.002"), price=Decimal(60_000)) == []


def test_every_rule_broken_is_reported_price_first() -> None:
    violations = market_rule_violations(BTC, quantity=Decimal("0.0005"), price=Decimal("0.3"))
    assert [v.rule for v in violations] == [
        MarketRule.PRICE_TICK,
        MarketRule.QUANTITY_STEP,
        MarketRule.MIN_QUANTITY,
        MarketRule.MIN_NOTIONAL,
    ]
    tick, step, _, value = violations
    assert (tick.value, tick.limit, tick.nearest) == (
        Decimal("0.3"),
        Decimal("0.5"),
        Decimal("0.5"),
    )
    assert (step.limit, step.nearest) == (Decimal("0.001"), Decimal(0))
    assert (value.value, value.limit, value.price) == (
        Decimal("0.00015"),
        Decimal(5),
        Decimal("0.3"),
    )


def test_maximum_size() -> None:
    violations = market_rule_violations(BTC, quantity=Decimal(101), price=Decimal(60_000))
    assert [(v.rule, v.limit) for v in violations] == [(MarketRule.MAX_QUANTITY, Decimal(100))]


def test_a_market_order_is_valued_at_the_reference_price_or_not_at_all() -> None:
    small = Decimal("0.002")
    assert rules(quantity=small, price=None, reference_price=Decimal(1000)) == [
        MarketRule.MIN_NOTIONAL
    ]
    assert rules(quantity=small, price=None, reference_price=None) == []
    # a limit price wins over the reference
    assert rules(quantity=small, price=Decimal(60_000), reference_price=Decimal(1000)) == []


def test_an_unknown_quantity_checks_only_the_price() -> None:
    assert rules(quantity=None, price=Decimal("0.3")) == [MarketRule.PRICE_TICK]
