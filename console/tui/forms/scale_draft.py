"""A scale plan as typed into its form, and the checks that turn it into a ScalePlan.

The form calls :func:`check_scale_draft` on every keystroke, as the order form calls
``check_draft``: each field's problem is said next to it, the plan's own refusal (a child
under the venue's minimum, a range too narrow) below, and the risk gate's verdict on each
child too, so what the form shows and what the plan sends cannot disagree. The plan's rules
are :func:`console.domain.scale.plan_scale`; only the wording of the fields is here. Pure
functions, no Textual.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from console.domain import Market, Side
from console.domain.scale import (
    MAX_SCALE_ORDERS,
    MIN_SCALE_ORDERS,
    ScaleDistribution,
    ScalePlan,
    ScaleRefused,
    ScaleSpec,
    plan_scale,
)
from console.tui.forms.amounts import plain_amount
from console.tui.forms.order_draft import RiskCheck, parse_amount

SCALE_FIELDS = ("symbol", "total", "first_price", "last_price", "count", "plan")
"""The fields a problem can be about, in the order the form lists them."""


@dataclass(frozen=True)
class ScaleDraft:
    """The scale form's fields as text and choices."""

    symbol: str
    side: Side = Side.BUY
    total: str = ""
    first_price: str = ""
    last_price: str = ""
    count: str = "10"
    distribution: ScaleDistribution = ScaleDistribution.EVEN
    reduce_only: bool = False


@dataclass(frozen=True)
class ScaleCheck:
    """What is wrong with a scale draft, per field, or the plan it makes."""

    errors: Mapping[str, str] = field(default_factory=dict)
    plan: ScalePlan | None = None


def _count(text: str) -> int | str:
    cleaned = text.strip().lower().removeprefix("x")
    if not cleaned.isdigit() or not MIN_SCALE_ORDERS <= int(cleaned) <= MAX_SCALE_ORDERS:
        return f"Give a number of orders from {MIN_SCALE_ORDERS} to {MAX_SCALE_ORDERS}"
    return int(cleaned)


def check_scale_draft(
    draft: ScaleDraft,
    markets: Mapping[str, Market],
    *,
    risk_check: RiskCheck | None = None,
) -> ScaleCheck:
    """Every problem with ``draft`` (fields, the plan's rules, the risk gate per child), or
    the plan when there is none."""
    market = markets.get(draft.symbol)
    if market is None:
        return ScaleCheck(errors={"symbol": "Pick a symbol the venue lists"})
    values: dict[str, Decimal] = {}
    errors: dict[str, str] = {}
    for name, what in (
        ("total", "total quantity"),
        ("first_price", "first price"),
        ("last_price", "last price"),
    ):
        parsed = parse_amount(getattr(draft, name), what)
        if isinstance(parsed, str):
            errors[name] = parsed
        else:
            values[name] = parsed
    count = _count(draft.count)
    if isinstance(count, str):
        errors["count"] = count
    if errors or isinstance(count, str):
        return ScaleCheck(errors=errors)
    spec = ScaleSpec(
        symbol=draft.symbol,
        side=draft.side,
        total=values["total"],
        first_price=values["first_price"],
        last_price=values["last_price"],
        count=count,
        distribution=draft.distribution,
        reduce_only=draft.reduce_only,
    )
    try:
        plan = plan_scale(spec, market)
    except ScaleRefused as refused:
        return ScaleCheck(errors={"plan": refused.reason})
    if risk_check is not None:
        for child, request in zip(plan.children, plan.requests(), strict=True):
            if (refusal := risk_check(request)) is not None:
                return ScaleCheck(errors={"plan": f"Order {child.number}: {refusal}"})
    return ScaleCheck(plan=plan)


def plan_summary(plan: ScalePlan, market: Market, reference_price: Decimal | None) -> str:
    """One line for the form and the command line: count, range, total, average, value,
    fees (and how many children would take)."""
    fees = plan.fees(market, reference_price)
    first, last = plan.children[0].price, plan.children[-1].price
    text = (
        f"{len(plan.children)} orders {plain_amount(first)} → {plain_amount(last)} · "
        f"{plain_amount(plan.total)} {market.base} · avg {average_text(plan, market)} · "
        f"value {plain_amount(plan.notional)} {market.quote} · "
        f"fee ≈ {money_text(fees.fee)} {market.quote}"
    )
    if fees.taking:
        text += f" · {fees.taking} at or through the market would take"
    return text


def average_text(plan: ScalePlan, market: Market) -> str:
    """The average price to two decimals past the tick (it is rarely on the tick)."""
    places = max(-market.tick_size.normalize().as_tuple().exponent, 0) + 2  # type: ignore[operator]
    return plain_amount(plan.average_price.quantize(Decimal(1).scaleb(-places)))


def money_text(value: Decimal) -> str:
    """A fee in the quote to a hundredth of a cent (never an exponent)."""
    return plain_amount(value.quantize(Decimal("0.0001")))


__all__ = [
    "SCALE_FIELDS",
    "ScaleCheck",
    "ScaleDraft",
    "average_text",
    "check_scale_draft",
    "money_text",
    "plan_summary",
]
