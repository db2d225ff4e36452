"""An order as typed into a form, and the checks that turn it into an OrderRequest.

The form calls :func:`check_draft` on every keystroke, so each rule answers in the trader's
words next to the field it is about ("Price must be a multiple of the 0.5 tick (nearest:
101.5)"), and the same function decides whether the form may submit: what the form shows
and what it sends cannot disagree. The venue's market rules themselves are
:func:`console.domain.market_rule_violations`; only their wording is here. Pure functions,
no Textual.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from pydantic import ValidationError

from console.domain import (
    Market,
    MarketRule,
    OrderRequest,
    OrderType,
    RuleViolation,
    Side,
    TimeInForce,
    TriggerDirection,
    TriggerSource,
    market_rule_violations,
)
from console.tui.forms.amounts import plain_amount

RiskCheck = Callable[[OrderRequest], str | None]
"""The pre-trade risk gate: the refusal in the trader's words, or None to let it through."""

_FIELDS = ("symbol", "quantity", "price", "trigger_price", "time_in_force", "order")
"""The fields a problem can be about, in the order the form lists them."""
_MAX_INTEGER_DIGITS = 15
_MAX_FRACTION_DIGITS = 18


@dataclass(frozen=True)
class OrderDraft:
    """The form's fields as text and choices, before anything is known to be valid."""

    symbol: str
    side: Side = Side.BUY
    type: OrderType = OrderType.LIMIT
    quantity: str = ""
    price: str = ""
    time_in_force: TimeInForce = TimeInForce.GTC
    reduce_only: bool = False
    trigger_price: str = ""
    """A stop's trigger (empty: a plain order); the ladder's stop key and ``stop`` fill it."""
    trigger_by: TriggerSource = TriggerSource.LAST
    trigger_direction: TriggerDirection | None = None


@dataclass(frozen=True)
class DraftCheck:
    """What is wrong with a draft, per field, or the request it makes when nothing is."""

    errors: Mapping[str, str] = field(default_factory=dict)
    """Field name (``symbol``, ``quantity``, ``price``, ``time_in_force``, ``order``) -> problem."""
    request: OrderRequest | None = None
    notional: Decimal | None = None
    """Price x quantity when it is known (a limit price, or the reference for a market order)."""

    @property
    def ok(self) -> bool:
        return self.request is not None


def parse_amount(text: str, what: str, *, allow_zero: bool = False) -> Decimal | str:
    """``text`` as an exact positive (or, with ``allow_zero``, non-negative) Decimal, or a
    sentence saying why it is not one."""
    cleaned = text.strip()
    if not cleaned:
        return f"Enter a {what}"
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return f"The {what} must be a number, like 0.25"
    if not value.is_finite():
        return f"The {what} must be a number, like 0.25"
    if value < 0 or (value == 0 and not allow_zero):
        return f"The {what} must be {'zero or more' if allow_zero else 'more than zero'}"
    if value.adjusted() >= _MAX_INTEGER_DIGITS:
        return f"The {what} is too large"
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > _MAX_FRACTION_DIGITS:
        return f"The {what} has too many decimals"
    return value


def _describe_violation(violation: RuleViolation, market: Market) -> tuple[str, str]:
    """The form field a broken market rule belongs to, and what to tell the trader there."""
    match violation.rule:
        case MarketRule.PRICE_TICK:
            nearest = max(violation.nearest or Decimal(0), market.tick_size)
            return "price", (
                f"Price must be a multiple of the {plain_amount(violation.limit)} tick "
                f"(nearest: {plain_amount(nearest)})"
            )
        case MarketRule.QUANTITY_STEP:
            nearest = max(violation.nearest or Decimal(0), market.qty_step, market.min_qty)
            return "quantity", (
                f"Quantity must be a multiple of {plain_amount(violation.limit)} "
                f"(nearest: {plain_amount(nearest)})"
            )
        case MarketRule.MIN_QUANTITY:
            return "quantity", f"Minimum quantity is {plain_amount(violation.limit)} {market.base}"
        case MarketRule.MAX_QUANTITY:
            return "quantity", f"Maximum quantity is {plain_amount(violation.limit)} {market.base}"
        case MarketRule.MIN_NOTIONAL:
            return "order", (
                f"Order value {plain_amount(violation.value)} {market.quote} is below the "
                f"venue's minimum of {plain_amount(violation.limit)} {market.quote}"
            )


def check_draft(
    draft: OrderDraft,
    markets: Mapping[str, Market],
    *,
    risk_check: RiskCheck | None = None,
    reference_price: Decimal | None = None,
) -> DraftCheck:
    """Every problem with ``draft`` against its market's precision and minimums and the
    risk gate; the OrderRequest when there is none.

    Args:
        reference_price: What a market order is expected to fill near (the mid), used for
            its notional; without it a market order's minimum value cannot be checked here
            and is left to the venue.
    """
    errors: dict[str, str] = {}
    market = markets.get(draft.symbol)
    if market is None:
        return DraftCheck(errors={"symbol": "Pick a symbol the venue lists"})
    if not market.active:
        errors["symbol"] = f"{draft.symbol} is not trading right now"

    quantity = parse_amount(draft.quantity, "quantity")
    if isinstance(quantity, str):
        errors["quantity"] = quantity

    price: Decimal | str | None = None
    if draft.type is OrderType.LIMIT:
        price = parse_amount(draft.price, "limit price")
        if isinstance(price, str):
            errors["price"] = price
    elif draft.time_in_force is TimeInForce.POST_ONLY:
        errors["time_in_force"] = "Post-only needs a limit order: a market order always takes"

    trigger: Decimal | str | None = None
    if draft.trigger_price.strip():
        trigger = parse_amount(draft.trigger_price, "trigger price")
        if isinstance(trigger, str):
            errors["trigger_price"] = trigger
        elif not market.is_on_tick(trigger):
            errors["trigger_price"] = (
                f"Trigger price must be a multiple of the {plain_amount(market.tick_size)} tick "
                f"(nearest: {plain_amount(max(market.round_price(trigger), market.tick_size))})"
            )

    known_quantity = quantity if isinstance(quantity, Decimal) else None
    known_price = price if isinstance(price, Decimal) else None
    known_trigger = trigger if isinstance(trigger, Decimal) else None
    unit_price = (
        (known_trigger or reference_price) if draft.type is OrderType.MARKET else known_price
    )
    notional = None if known_quantity is None or unit_price is None else unit_price * known_quantity
    violations = market_rule_violations(
        market, quantity=known_quantity, price=known_price, reference_price=unit_price
    )
    for violation in violations:
        field_name, problem = _describe_violation(violation, market)
        if field_name == "order" and ("quantity" in errors or "price" in errors):
            continue  # the value follows from the fields: fix those first
        errors.setdefault(field_name, problem)
    errors = {name: errors[name] for name in _FIELDS if name in errors}
    if errors:
        return DraftCheck(errors=errors, notional=notional)

    assert isinstance(quantity, Decimal)
    try:
        request = OrderRequest(
            symbol=draft.symbol,
            side=draft.side,
            type=draft.type,
            quantity=quantity,
            price=price if isinstance(price, Decimal) else None,
            time_in_force=draft.time_in_force,
            reduce_only=draft.reduce_only,
            trigger_price=known_trigger,
            trigger_by=draft.trigger_by,
            trigger_direction=draft.trigger_direction if known_trigger is not None else None,
        )
    except ValidationError as error:
        reason = error.errors()[0]["msg"].removeprefix("Value error, ")
        return DraftCheck(errors={"order": reason[:1].upper() + reason[1:]}, notional=notional)
    if risk_check is not None and (refusal := risk_check(request)) is not None:
        return DraftCheck(errors={"order": refusal}, notional=notional)
    return DraftCheck(request=request, notional=notional)
