"""The scale form's checks (issue 14 part 3): each field's problem next to it, the plan's
refusal below, the risk gate asked for every child, and the one-line summary."""

from __future__ import annotations

from decimal import Decimal

from console.domain import OrderRequest, Side
from console.domain.scale import ScaleDistribution
from console.tui.forms.scale_draft import ScaleDraft, check_scale_draft, plan_summary

from support.builders import linear_market

BTC = linear_market()
MARKETS = {BTC.symbol: BTC}


def draft(**changes: object) -> ScaleDraft:
    fields: dict[str, object] = {
        "symbol": BTC.symbol,
        "total": "0.1",
        "first_price": "59000",
        "last_price": "58000",
        "count": "10",
    }
    return ScaleDraft(**(fields | changes))  # type: ignore[arg-type]


def test_each_field_says_what_is_wrong_with_it() -> None:
    check = check_scale_draft(draft(total="", first_price="abc", count="x1"), MARKETS)
    assert check.plan is None
    assert check.errors == {
        "total": "Enter a total quantity",
        "first_price": "The first price must be a number, like 0.25",
        "count": "Give a number of orders from 2 to 50",
    }
    assert check_scale_draft(draft(symbol="NOPE"), MARKETS).errors == {
        "symbol": "Pick a symbol the venue lists"
    }


def test_the_plan_refusal_and_the_risk_gate_name_the_child() -> None:
    small = check_scale_draft(draft(total="0.005"), MARKETS)
    assert small.errors["plan"].startswith("Order 6 of 10 (at 58444.4) would get nothing")

    def gate(request: OrderRequest) -> str | None:
        return "Risk gate (price_band): too far" if request.price == Decimal(58000) else None

    refused = check_scale_draft(draft(), MARKETS, risk_check=gate)
    assert refused.errors == {"plan": "Order 10: Risk gate (price_band): too far"}


def test_a_good_draft_makes_the_plan_and_its_summary() -> None:
    check = check_scale_draft(
        draft(count="x4", total="1", distribution=ScaleDistribution.INCREASING), MARKETS
    )
    assert check.errors == {}
    assert check.plan is not None
    assert check.plan.spec.side is Side.BUY
    assert [c.quantity for c in check.plan.children] == [
        Decimal("0.1"),
        Decimal("0.2"),
        Decimal("0.3"),
        Decimal("0.4"),
    ]
    summary = plan_summary(check.plan, BTC, reference_price=Decimal(58_500))
    assert summary == (
        "4 orders 59000 → 58000 · 1 BTC · avg 58333.33 · value 58333.33 USDT · "
        "fee ≈ 17.8383 USDT · 2 at or through the market would take"
    ), "two buys at or above the mid take: 17633.34 x 0.055 % + 40699.99 x 0.02 %"
