"""Scale orders: one trader's decision spread as N limit orders over a price range.

A trader who wants 0.1 BTC "somewhere between 59,000 and 58,000" places a plan instead of
ten hand-typed orders: :func:`plan_scale` turns a :class:`ScaleSpec` (side, total, the two
ends of the range, how many orders, how the size is spread) into a :class:`ScalePlan` whose
children sit on the market's ticks and steps and each keep the venue's minimums, or refuses
it with a :class:`ScaleRefused` that says which child breaks which rule and what would work
instead. The plan is what the confirmation shows (total, average price, fees) and what is
sent (:meth:`ScalePlan.requests`). Pure: no I/O.

Prices are spread evenly in whole ticks, so every child is on the tick and no two children
share a price. Sizes are apportioned in whole steps by weight (largest remainder), so they
add up to the total floored to the step, never more.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_DOWN, ROUND_HALF_UP, Decimal
from enum import StrEnum

from pydantic import Field

from console.domain._base import PositiveMoney, Value
from console.domain.enums import OrderType, Side
from console.domain.market import Market
from console.domain.market_rules import MarketRule, RuleViolation, market_rule_violations
from console.domain.orders import OrderRequest

MAX_SCALE_ORDERS = 50
"""Most orders one plan may spread (Bybit's batch takes 10 at a time: 5 requests)."""
MIN_SCALE_ORDERS = 2


class ScaleDistribution(StrEnum):
    """How the total is shared out from the first price to the last."""

    EVEN = "even"
    """Every order the same size (within a step)."""
    INCREASING = "increasing"
    """Sizes grow linearly from the first price to the last (1, 2, ... N parts)."""
    DECREASING = "decreasing"
    """Sizes shrink linearly from the first price to the last (N, ... 2, 1 parts)."""


def weights(distribution: ScaleDistribution, count: int) -> list[int]:
    """The parts of the total each order gets, from the first price to the last."""
    match distribution:
        case ScaleDistribution.EVEN:
            return [1] * count
        case ScaleDistribution.INCREASING:
            return list(range(1, count + 1))
        case ScaleDistribution.DECREASING:
            return list(range(count, 0, -1))


class ScaleSpec(Value):
    """What the trader asks for: ``count`` limit orders from ``first_price`` to
    ``last_price`` (either may be the higher), ``total`` of the base shared by
    ``distribution``."""

    symbol: str
    side: Side
    total: PositiveMoney
    first_price: PositiveMoney
    last_price: PositiveMoney
    count: int = Field(ge=MIN_SCALE_ORDERS, le=MAX_SCALE_ORDERS)
    distribution: ScaleDistribution = ScaleDistribution.EVEN
    reduce_only: bool = False


class ScaleChild(Value):
    """One order of a plan; ``number`` counts from 1 at the first price."""

    number: int
    price: PositiveMoney
    quantity: PositiveMoney

    @property
    def notional(self) -> Decimal:
        return self.price * self.quantity


@dataclass(frozen=True, slots=True)
class ScaleFees:
    """What a plan's fills are expected to cost.

    Attributes:
        fee: children resting at the maker rate, those at or through the reference price at
            the taker rate (all at the maker rate without a reference).
        worst_fee: every child at the higher of the two rates.
        taking: how many children would take liquidity on arrival.
    """

    fee: Decimal
    worst_fee: Decimal
    taking: int


class ScalePlan(Value):
    """A checked plan: its children are on the tick and step and keep the venue's minimums."""

    spec: ScaleSpec
    children: tuple[ScaleChild, ...]

    @property
    def total(self) -> Decimal:
        return sum((child.quantity for child in self.children), Decimal(0))

    @property
    def notional(self) -> Decimal:
        return sum((child.notional for child in self.children), Decimal(0))

    @property
    def average_price(self) -> Decimal:
        """The size-weighted average price if every child fills."""
        return self.notional / self.total

    def takes(self, child: ScaleChild, reference_price: Decimal | None) -> bool:
        """Whether ``child`` would take liquidity at ``reference_price`` (a buy at or above
        it, a sell at or below it)."""
        if reference_price is None:
            return False
        if self.spec.side is Side.BUY:
            return child.price >= reference_price
        return child.price <= reference_price

    def fees(self, market: Market, reference_price: Decimal | None = None) -> ScaleFees:
        """The expected and worst-case fees of filling the whole plan."""
        fee = Decimal(0)
        taking = 0
        for child in self.children:
            takes = self.takes(child, reference_price)
            taking += takes
            fee += child.notional * (market.taker_fee if takes else market.maker_fee)
        worst = self.notional * max(market.maker_fee, market.taker_fee)
        return ScaleFees(fee=fee, worst_fee=worst, taking=taking)

    def requests(self) -> list[OrderRequest]:
        """One GTC limit order per child, in child order (no client order ids: the sender
        gives each its own)."""
        return [
            OrderRequest(
                symbol=self.spec.symbol,
                side=self.spec.side,
                type=OrderType.LIMIT,
                quantity=child.quantity,
                price=child.price,
                reduce_only=self.spec.reduce_only,
            )
            for child in self.children
        ]


class ScaleRefused(ValueError):
    """The plan cannot be made; ``reason`` says which order breaks what, and what would
    work, in the trader's words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _text(value: Decimal) -> str:
    normalized = value.normalize()
    return "0" if normalized == 0 else f"{normalized:f}"


def _price_ticks(spec: ScaleSpec, market: Market) -> list[int]:
    """Each child's price in whole ticks, evenly spread from the first price to the last.

    Raises:
        ScaleRefused: the range rounds to one price, or holds fewer ticks than orders.
    """
    first = int((spec.first_price / market.tick_size).quantize(Decimal(1), ROUND_HALF_UP))
    last = int((spec.last_price / market.tick_size).quantize(Decimal(1), ROUND_HALF_UP))
    tick = _text(market.tick_size)
    if first <= 0 or last <= 0:
        raise ScaleRefused(f"Both ends of the range must be at least one tick ({tick})")
    span = last - first
    if span == 0:
        raise ScaleRefused(
            f"{_text(spec.first_price)}..{_text(spec.last_price)} is one price at the tick "
            f"{tick}: give two different prices"
        )
    if abs(span) < spec.count - 1:
        room = abs(span) + 1
        raise ScaleRefused(
            f"{_text(spec.first_price)}..{_text(spec.last_price)} holds only {room} prices at "
            f"the tick {tick}: at most {room} orders, or a wider range"
        )
    steps = spec.count - 1
    return [
        first + int((Decimal(span * i) / steps).quantize(Decimal(1), ROUND_HALF_UP))
        for i in range(spec.count)
    ]


def _size_steps(total_steps: int, parts: list[int]) -> list[int]:
    """``total_steps`` shared by ``parts`` in whole steps (largest remainder), then ordered
    like the parts so a weighted plan grows or shrinks without a bump."""
    whole = sum(parts)
    floors = [total_steps * part // whole for part in parts]
    left = total_steps - sum(floors)
    by_remainder = sorted(range(len(parts)), key=lambda i: (-(total_steps * parts[i] % whole), i))
    for i in by_remainder[:left]:
        floors[i] += 1
    sizes = sorted(floors)
    order = sorted(range(len(parts)), key=lambda i: (parts[i], -i))
    shared = [0] * len(parts)
    for size, i in zip(sizes, order, strict=True):
        shared[i] = size
    return shared


def _children(spec: ScaleSpec, market: Market) -> list[tuple[int, Decimal, Decimal]]:
    """(number, price, quantity) of every child, quantities possibly zero."""
    ticks = _price_ticks(spec, market)
    total_steps = int((spec.total / market.qty_step).quantize(Decimal(1), ROUND_DOWN))
    sizes = _size_steps(total_steps, weights(spec.distribution, spec.count))
    return [
        (number, tick * market.tick_size, size * market.qty_step)
        for number, (tick, size) in enumerate(zip(ticks, sizes, strict=True), start=1)
    ]


def _first_problem(
    children: list[tuple[int, Decimal, Decimal]], market: Market
) -> tuple[int, Decimal, Decimal, RuleViolation | None] | None:
    """The first child that gets nothing (violation None) or breaks a size or value rule."""
    for number, price, quantity in children:
        if quantity <= 0:
            return number, price, quantity, None
        for violation in market_rule_violations(market, quantity=quantity, price=price):
            return number, price, quantity, violation
    return None


def _works(spec: ScaleSpec, market: Market) -> bool:
    try:
        return _first_problem(_children(spec, market), market) is None
    except ScaleRefused:
        return False


def _smallest_total(spec: ScaleSpec, market: Market) -> Decimal | None:
    """The least total (on the step) that gives every child the venue's minimums."""
    ticks = _price_ticks(spec, market)
    parts = weights(spec.distribution, spec.count)
    whole = sum(parts)
    step = market.qty_step
    needed = Decimal(0)
    for tick, part in zip(ticks, parts, strict=True):
        price = tick * market.tick_size
        least = max(market.min_qty, step, market.min_notional / price)
        least = (least / step).quantize(Decimal(1), ROUND_CEILING) * step
        needed = max(needed, (least * whole / part / step).quantize(Decimal(1), ROUND_CEILING))
    candidate = needed * step
    for _ in range(spec.count + 1):
        if _works(spec.model_copy(update={"total": candidate}), market):
            return candidate
        candidate += step
    return None


def _most_orders(spec: ScaleSpec, market: Market) -> int | None:
    """The most orders (fewer than asked) the same total can be spread over."""
    for count in range(spec.count - 1, MIN_SCALE_ORDERS - 1, -1):
        if _works(spec.model_copy(update={"count": count}), market):
            return count
    return None


def _least_orders(spec: ScaleSpec, market: Market) -> int | None:
    """The fewest orders (more than asked) that keep every child under the maximum size."""
    for count in range(spec.count + 1, MAX_SCALE_ORDERS + 1):
        if _works(spec.model_copy(update={"count": count}), market):
            return count
    return None


def _refusal(
    spec: ScaleSpec,
    market: Market,
    problem: tuple[int, Decimal, Decimal, RuleViolation | None],
) -> ScaleRefused:
    number, price, quantity, violation = problem
    base, quote = market.base, market.quote
    where = f"Order {number} of {spec.count} (at {_text(price)})"
    if violation is not None and violation.rule is MarketRule.MAX_QUANTITY:
        more = _least_orders(spec, market)
        fix = f"spread it over at least {more} orders" if more else "give a smaller total"
        return ScaleRefused(
            f"{where} would be {_text(quantity)} {base}, above the maximum "
            f"{_text(violation.limit)} {base}: {fix}"
        )
    if violation is None:
        what = f"would get nothing: {_text(spec.total)} {base} is too little to share"
    elif violation.rule is MarketRule.MIN_NOTIONAL:
        what = (
            f"would be worth {_text(violation.value)} {quote}, below the minimum "
            f"{_text(violation.limit)} {quote}"
        )
    else:
        what = (
            f"would be {_text(quantity)} {base}, below the minimum size "
            f"{_text(violation.limit)} {base}"
        )
    fixes = []
    if (least := _smallest_total(spec, market)) is not None:
        fixes.append(f"give at least {_text(least)} {base} in total")
    if (fewer := _most_orders(spec, market)) is not None:
        fixes.append(f"use at most {fewer} orders")
    fix = f": {' or '.join(fixes)}" if fixes else ""
    return ScaleRefused(f"{where} {what}{fix}")


def plan_scale(spec: ScaleSpec, market: Market) -> ScalePlan:
    """The plan for ``spec`` on ``market``.

    Raises:
        ScaleRefused: the range cannot hold the orders, or a child would break the venue's
            minimum size or value (or its maximum size); the reason names the child and a
            total or a count that would work.
    """
    if spec.symbol != market.symbol:
        raise ScaleRefused(f"The plan is for {spec.symbol}, not {market.symbol}")
    if not market.active:
        raise ScaleRefused(f"{market.symbol} is not trading right now")
    children = _children(spec, market)
    problem = _first_problem(children, market)
    if problem is not None:
        raise _refusal(spec, market, problem)
    return ScalePlan(
        spec=spec,
        children=tuple(
            ScaleChild(number=number, price=price, quantity=quantity)
            for number, price, quantity in children
        ),
    )


__all__ = [
    "MAX_SCALE_ORDERS",
    "MIN_SCALE_ORDERS",
    "ScaleChild",
    "ScaleDistribution",
    "ScaleFees",
    "ScalePlan",
    "ScaleRefused",
    "ScaleSpec",
    "plan_scale",
    "weights",
]
