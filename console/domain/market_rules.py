"""The venue's market rules for an order (tick, quantity step, minimum and maximum size,
minimum value), written once.

:func:`market_rule_violations` returns what an order breaks as values, in the order a trader
would fix them; each caller words them its own way: the exchange client and the paper engine
refuse the order with the first one, the order form shows each next to its field. The
simulator keeps its own copy of these rules on purpose: it is the independent oracle the
console is tested against.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from console.domain._base import Value
from console.domain.market import Market


class MarketRule(StrEnum):
    """A rule of the venue's market that an order can break."""

    PRICE_TICK = "price_tick"
    """The price must be a multiple of the tick size."""
    QUANTITY_STEP = "quantity_step"
    """The quantity must be a multiple of the quantity step."""
    MIN_QUANTITY = "min_quantity"
    MAX_QUANTITY = "max_quantity"
    MIN_NOTIONAL = "min_notional"
    """Price x quantity must reach the market's minimum order value."""


class RuleViolation(Value):
    """One broken rule, with the numbers a message needs."""

    rule: MarketRule
    value: Decimal
    """What the order has: the price, the quantity, or the order value."""
    limit: Decimal
    """What the rule asks: the tick, the step, the minimum or the maximum."""
    nearest: Decimal | None = None
    """For the tick and the step: the price rounded to the tick, the quantity rounded down
    to the step (possibly zero: callers that suggest it may raise it to a valid minimum)."""
    price: Decimal | None = None
    """For the minimum value: the price the value was reckoned at."""


def market_rule_violations(
    market: Market,
    *,
    quantity: Decimal | None,
    price: Decimal | None,
    reference_price: Decimal | None = None,
) -> list[RuleViolation]:
    """Every market rule an order of ``quantity`` at ``price`` breaks, price first.

    Args:
        market: the venue's rules for the symbol.
        quantity: the order's size; None when it is not known yet (a form with the field
            empty), which skips the size and value rules.
        price: a limit price; None for a market order (or a form with no valid price).
        reference_price: what a market order is expected to fill near, for its value;
            ignored when ``price`` is given. Without either, the value is not checked.
    """
    violations: list[RuleViolation] = []
    if price is not None and not market.is_on_tick(price):
        violations.append(
            RuleViolation(
                rule=MarketRule.PRICE_TICK,
                value=price,
                limit=market.tick_size,
                nearest=market.round_price(price),
            )
        )
    if quantity is None:
        return violations
    if not market.is_on_step(quantity):
        violations.append(
            RuleViolation(
                rule=MarketRule.QUANTITY_STEP,
                value=quantity,
                limit=market.qty_step,
                nearest=market.floor_qty(quantity),
            )
        )
    if quantity < market.min_qty:
        violations.append(
            RuleViolation(rule=MarketRule.MIN_QUANTITY, value=quantity, limit=market.min_qty)
        )
    if market.max_qty is not None and quantity > market.max_qty:
        violations.append(
            RuleViolation(rule=MarketRule.MAX_QUANTITY, value=quantity, limit=market.max_qty)
        )
    unit_price = price if price is not None else reference_price
    if unit_price is not None and unit_price * quantity < market.min_notional:
        violations.append(
            RuleViolation(
                rule=MarketRule.MIN_NOTIONAL,
                value=unit_price * quantity,
                limit=market.min_notional,
                price=unit_price,
            )
        )
    return violations


__all__ = ["MarketRule", "RuleViolation", "market_rule_violations"]
