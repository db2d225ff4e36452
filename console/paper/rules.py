"""Market rules an order must meet before the paper engine accepts it (the venue's own).

Each failure raises :class:`PaperOrderRejected` naming the rule and the numbers, so the trader
can fix the order without guessing.
"""

from __future__ import annotations

from decimal import Decimal

from console.domain import Market, OrderRequest, OrderType
from console.paper.errors import PaperOrderRejected


def check_market_rules(
    request: OrderRequest, market: Market, reference_price: Decimal | None
) -> None:
    """Tick size, quantity step, minimum and maximum size, minimum notional.

    ``reference_price`` prices a market order's notional (the best opposite price); a limit
    order uses its own price.
    """
    if not market.active:
        raise PaperOrderRejected("market_inactive", f"{market.symbol} is not trading")
    if request.type is OrderType.LIMIT:
        assert request.price is not None
        if not market.is_on_tick(request.price):
            raise PaperOrderRejected(
                "price_precision",
                f"price {request.price} is not a multiple of the tick size {market.tick_size} "
                f"for {market.symbol} (nearest: {market.round_price(request.price)})",
            )
    if not market.is_on_step(request.quantity):
        raise PaperOrderRejected(
            "quantity_precision",
            f"quantity {request.quantity} is not a multiple of the step {market.qty_step} "
            f"for {market.symbol} (rounded down: {market.floor_qty(request.quantity)})",
        )
    if request.quantity < market.min_qty:
        raise PaperOrderRejected(
            "below_min_quantity",
            f"quantity {request.quantity} is below the minimum {market.min_qty} "
            f"for {market.symbol}",
        )
    if market.max_qty is not None and request.quantity > market.max_qty:
        raise PaperOrderRejected(
            "above_max_quantity",
            f"quantity {request.quantity} is above the maximum {market.max_qty} "
            f"for {market.symbol}",
        )
    price = request.price if request.price is not None else reference_price
    if price is not None and price * request.quantity < market.min_notional:
        raise PaperOrderRejected(
            "below_min_notional",
            f"order value {price * request.quantity} ({request.quantity} x {price}) is below "
            f"the minimum {market.min_notional} for {market.symbol}",
        )
