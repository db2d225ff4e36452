"""Market rules an order must meet before the paper engine accepts it (the venue's own).

The rules themselves are :func:`console.domain.market_rule_violations`; here the first one an
order breaks becomes a :class:`PaperOrderRejected` naming the rule and the numbers, so the
trader can fix the order without guessing.
"""

from __future__ import annotations

from decimal import Decimal

from console.domain import Market, MarketRule, OrderRequest, RuleViolation, market_rule_violations
from console.paper.errors import PaperOrderRejected

_CODES = {
    MarketRule.PRICE_TICK: "price_precision",
    MarketRule.QUANTITY_STEP: "quantity_precision",
    MarketRule.MIN_QUANTITY: "below_min_quantity",
    MarketRule.MAX_QUANTITY: "above_max_quantity",
    MarketRule.MIN_NOTIONAL: "below_min_notional",
}
"""The paper engine's rejection code for each rule (kept in the ledger)."""


def check_market_rules(
    request: OrderRequest, market: Market, reference_price: Decimal | None
) -> None:
    """Tick size, quantity step, minimum and maximum size, minimum notional.

    ``reference_price`` prices a market order's notional (the best opposite price); a limit
    order uses its own price.
    """
    if not market.active:
        raise PaperOrderRejected("market_inactive", f"{market.symbol} is not trading")
    violations = market_rule_violations(
        market, quantity=request.quantity, price=request.price, reference_price=reference_price
    )
    if violations:
        first = violations[0]
        raise PaperOrderRejected(_CODES[first.rule], _describe_violation(first, request, market))


def _describe_violation(violation: RuleViolation, request: OrderRequest, market: Market) -> str:
    value, limit, symbol = violation.value, violation.limit, market.symbol
    match violation.rule:
        case MarketRule.PRICE_TICK:
            return (
                f"price {value} is not a multiple of the tick size {limit} "
                f"for {symbol} (nearest: {violation.nearest})"
            )
        case MarketRule.QUANTITY_STEP:
            return (
                f"quantity {value} is not a multiple of the step {limit} "
                f"for {symbol} (rounded down: {violation.nearest})"
            )
        case MarketRule.MIN_QUANTITY:
            return f"quantity {value} is below the minimum {limit} for {symbol}"
        case MarketRule.MAX_QUANTITY:
            return f"quantity {value} is above the maximum {limit} for {symbol}"
        case MarketRule.MIN_NOTIONAL:
            return (
                f"order value {value} ({request.quantity} x {violation.price}) is "
                f"below the minimum {limit} for {symbol}"
            )
