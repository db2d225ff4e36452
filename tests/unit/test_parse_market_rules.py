"""A parsed Market's rules (tick, step, minimums) refuse an order before anything is signed."""

from __future__ import annotations

from decimal import Decimal

import pytest

from console.domain import OrderRequest, OrderType, Side
from console.exchange import InvalidOrder, check_market_rules

from support.builders import linear_market

MARKET = linear_market(min_qty=Decimal("0.002"), max_qty=Decimal(100))


def limit_buy(quantity: str, price: str) -> OrderRequest:
    return OrderRequest(
        symbol=MARKET.symbol,
        side=Side.BUY,
        type=OrderType.LIMIT,
        quantity=Decimal(quantity),
        price=Decimal(price),
    )


def test_an_order_inside_every_rule_passes() -> None:
    check_market_rules(limit_buy("0.002", "50000.1"), MARKET)


@pytest.mark.parametrize(
    ("quantity", "price", "message"),
    [
        ("0.002", "50000.15", r"tick size 0.1 .*nearest: 50000.2"),
        ("0.0025", "50000", r"step 0.001 .*e.g. 0.002"),
        ("0.001", "50000", r"below the minimum 0.002"),
        ("100.001", "50000", r"above the maximum 100"),
        ("0.002", "2000", r"Order value 4.000 is below the minimum 5 USDT"),
    ],
    ids=["off-tick", "off-step", "below-min-qty", "above-max-qty", "below-min-notional"],
)
def test_each_rule_names_itself_and_a_valid_value(quantity: str, price: str, message: str) -> None:
    with pytest.raises(InvalidOrder, match=message):
        check_market_rules(limit_buy(quantity, price), MARKET)


def test_market_orders_skip_the_notional_rule() -> None:
    request = OrderRequest(
        symbol=MARKET.symbol, side=Side.SELL, type=OrderType.MARKET, quantity=Decimal("0.002")
    )

    check_market_rules(request, MARKET)
