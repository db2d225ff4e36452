"""Property tests: no sequence of form inputs crashes the order form or lets out an order that
breaks the market's rules or the risk gate."""

from __future__ import annotations

import asyncio
from decimal import Decimal

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from textual.widgets import Checkbox, Input, Select

from console.domain import OrderRequest, OrderType, Side, TimeInForce
from console.exchange.client import check_market_rules
from console.tui.forms.order_draft import OrderDraft, check_draft
from console.tui.screens.order_entry import OrderEntryScreen

from support.order_form import MARKETS, at_most_1000_usdt
from support.screen_host import FormHost

AMOUNT_TEXT = st.one_of(
    st.sampled_from(["", "0", "0.002", "0.0025", "0.01", "5", "100.5", "100.3", "1e3", "NaN"]),
    st.sampled_from(["Infinity", "-0", "-1", "1e-30", "9" * 20, " 12 ", "1,5", "0x10", "١٢"]),
    st.decimals(min_value=Decimal("0.0001"), max_value=Decimal(5000), places=4).map(str),
    st.text(alphabet="0123456789.-eE+ nNaIif", max_size=10),
)
DRAFTS = st.builds(
    OrderDraft,
    symbol=st.sampled_from([*MARKETS, "XRP/USDT"]),
    side=st.sampled_from(Side),
    type=st.sampled_from(OrderType),
    quantity=AMOUNT_TEXT,
    price=AMOUNT_TEXT,
    time_in_force=st.sampled_from(TimeInForce),
    reduce_only=st.booleans(),
)


def assert_sendable(request: OrderRequest) -> None:
    """The oracle: what the venue and the risk gate require, checked from the Market alone
    and by the exchange client's own pre-send check."""
    market = MARKETS[request.symbol]
    check_market_rules(request, market)
    assert market.is_on_step(request.quantity)
    assert market.min_qty <= request.quantity
    assert market.max_qty is None or request.quantity <= market.max_qty
    if request.type is OrderType.LIMIT:
        assert request.price is not None
        assert market.is_on_tick(request.price)
        assert request.price * request.quantity >= market.min_notional
    else:
        assert request.price is None
        assert request.time_in_force is not TimeInForce.POST_ONLY
    assert at_most_1000_usdt(request) is None


@settings(max_examples=400, derandomize=True, deadline=None)
@given(draft=DRAFTS)
@example(draft=OrderDraft("BTC/USDT", quantity="0.1", price="100.5"))
@example(draft=OrderDraft("ETH/USDT", type=OrderType.MARKET, quantity="0.01"))
def test_check_draft_never_raises_and_only_passes_sendable_orders(draft: OrderDraft) -> None:
    check = check_draft(draft, MARKETS, risk_check=at_most_1000_usdt)
    if check.request is None:
        assert check.errors
    else:
        assert not check.errors
        assert check.request.symbol == draft.symbol
        assert_sendable(check.request)


FIELD_EDITS = st.one_of(
    st.tuples(st.just("quantity"), AMOUNT_TEXT),
    st.tuples(st.just("price"), AMOUNT_TEXT),
    st.tuples(st.just("symbol"), st.sampled_from(list(MARKETS))),
    st.tuples(st.just("side"), st.sampled_from(Side)),
    st.tuples(st.just("type"), st.sampled_from(OrderType)),
    st.tuples(st.just("time_in_force"), st.sampled_from(TimeInForce)),
    st.tuples(st.just("reduce_only"), st.booleans()),
    st.tuples(st.just("keys"), st.text(alphabet="0123456789.e-", min_size=1, max_size=4)),
    st.tuples(st.just("review"), st.just("")),
)


async def run_form(edits: list[tuple[str, object]]) -> list[OrderRequest | None]:
    app = FormHost(OrderEntryScreen(MARKETS, risk_check=at_most_1000_usdt))
    async with app.run_test(size=(100, 40)) as pilot:
        screen = app.form
        for name, value in edits:
            if app.screen is not screen:
                break
            if name in ("quantity", "price"):
                screen.query_one(f"#{name}", Input).value = str(value)
            elif name == "reduce_only":
                screen.query_one("#reduce_only", Checkbox).value = bool(value)
            elif name == "keys":
                screen.query_one("#quantity", Input).focus()
                await pilot.press(*str(value))
            elif name == "review":
                await pilot.press("ctrl+r")
            else:
                screen.query_one(f"#{name}", Select).value = value
            await pilot.pause()
        if app.screen is screen:
            await pilot.press("ctrl+r")
            await pilot.pause()
    return app.results


@settings(
    max_examples=12,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(edits=st.lists(FIELD_EDITS, max_size=8))
@example(edits=[("quantity", "0.1"), ("price", "100.5")])
@example(edits=[("type", OrderType.MARKET), ("keys", "0.2"), ("time_in_force", TimeInForce.IOC)])
@example(edits=[("quantity", "20"), ("price", "100"), ("review", ""), ("quantity", "0.5")])
def test_no_sequence_of_inputs_crashes_the_form_or_sends_a_bad_order(
    edits: list[tuple[str, object]],
) -> None:
    results = asyncio.run(run_form(edits))
    assert len(results) <= 1
    for request in results:
        if request is not None:
            assert_sendable(request)
