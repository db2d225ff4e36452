"""A typed order is the form's order: the command line's request, put in the form's fields,
passes the form's checks as the very same OrderRequest (hypothesis)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from console.domain import Market, OrderType, Side, TimeInForce
from console.domain.order_command import (
    CommandContext,
    PlaceOrder,
    order_request,
    parse_command,
    render_command,
)
from console.tui.forms.order_draft import check_draft
from console.tui.trading.order_commands import draft_for

from support.builders import linear_market, spot_market

MARKETS: dict[str, Market] = {
    market.symbol: market for market in (linear_market("BTC"), spot_market("ETH"))
}
CONTEXT = CommandContext(MARKETS, focused="BTC/USDT:USDT")


@st.composite
def valid_orders(draw: st.DrawFn) -> PlaceOrder:
    """Orders that keep the test markets' tick, step and minimums."""
    symbol = draw(st.sampled_from(sorted(MARKETS)))
    market = MARKETS[symbol]
    quantity = market.qty_step * draw(st.integers(1, 100_000))
    limit = draw(st.booleans())
    price = market.tick_size * draw(st.integers(100, 10_000_000)) if limit else None
    if price is not None:
        assume(price * quantity >= market.min_notional)
    choices = list(TimeInForce) if limit else [TimeInForce.GTC, TimeInForce.IOC, TimeInForce.FOK]
    return PlaceOrder(
        draw(st.sampled_from(list(Side))),
        quantity,
        symbol,
        price,
        draw(st.sampled_from(choices)),
        draw(st.booleans()),
    )


@given(valid_orders())
@settings(max_examples=300, derandomize=True)
def test_a_typed_order_passes_the_forms_checks_as_the_same_request(command: PlaceOrder) -> None:
    typed = parse_command(render_command(command), CONTEXT)
    assert isinstance(typed, PlaceOrder)
    request = order_request(typed)
    check = check_draft(draft_for(request), MARKETS)
    assert check.errors == {}
    assert check.request == request
    assert request.type is (OrderType.MARKET if command.price is None else OrderType.LIMIT)


def test_a_typed_order_off_the_tick_gets_the_forms_words() -> None:
    typed = parse_command("buy 0.01 btc @ 59000.05", CONTEXT)
    assert isinstance(typed, PlaceOrder)
    check = check_draft(draft_for(order_request(typed)), MARKETS)
    assert check.request is None
    assert check.errors["price"] == "Price must be a multiple of the 0.1 tick (nearest: 59000.1)"
    assert typed.price == Decimal("59000.05")
