"""What an order needs from the account before the paper engine accepts it.

Funds a limit order reserves while it rests, what a market order must be able to pay for the
levels it would take, and whether a reduce-only order can still reduce. Pure functions over
the account; the engine calls them and records nothing when one refuses.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

from console.domain import Liquidity, Market, OrderRequest, OrderType, Side
from console.paper.accounts import Accounts
from console.paper.errors import PaperOrderRejected
from console.paper.fees import FeeSchedule
from console.paper.models import LevelTake

ZERO = Decimal(0)
Reserve = tuple[str, Decimal]
"""(currency, amount)."""


def reserve_for(
    request: OrderRequest, market: Market, quantity: Decimal, fees: FeeSchedule, leverage: Decimal
) -> Reserve | None:
    """Funds a limit order locks for ``quantity``: at its own price, with the worse fee rate.

    Spot buys lock quote (notional plus fee), spot sells lock the base they sell, contracts
    lock initial margin (notional / leverage) plus fee. Market and reduce-only orders lock
    nothing: the first never rest, the second only release margin.
    """
    if request.type is OrderType.MARKET or request.reduce_only:
        return None
    assert request.price is not None
    worst = fees.worst_rate(market)
    notional = request.price * quantity
    if market.is_contract:
        return Accounts.settle_currency(market), notional / leverage + notional * worst
    if request.side is Side.BUY:
        return market.quote, notional + notional * worst
    return market.base, quantity


def check_funds(
    request: OrderRequest,
    market: Market,
    takes: Sequence[LevelTake],
    accounts: Accounts,
    fees: FeeSchedule,
) -> Reserve | None:
    """Refuse an order the free balance cannot carry (a market order: the levels it takes).

    Returns what the order locks while it rests (:func:`reserve_for` of its whole quantity),
    so the engine does not compute it twice.
    """
    leverage = accounts.leverage_for(market.symbol)
    reserve = need = reserve_for(request, market, request.quantity, fees, leverage)
    if need is None and not request.reduce_only:
        taker = fees.rate(market, Liquidity.TAKER)
        cost = sum((take.price * take.size for take in takes), ZERO)
        if market.is_contract:
            need = Accounts.settle_currency(market), cost / leverage + cost * taker
        elif request.side is Side.BUY:
            need = market.quote, cost + cost * taker
        else:
            need = market.base, request.quantity
    if need is None:
        return reserve
    currency, amount = need
    free = accounts.free(currency)
    if amount > free:
        raise PaperOrderRejected(
            "insufficient_funds",
            f"insufficient {currency}: the order needs {amount} but only {free} is free "
            f"({accounts.used(currency)} in use by orders and positions)",
        )
    return reserve


def check_reduce_only(
    request: OrderRequest, market: Market, position: Decimal, pending: Iterable[Decimal]
) -> None:
    """A reduce-only order must face a position and fit in what other reduce-only orders
    (``pending``: their remaining sizes on the same side) have not already claimed."""
    if not request.reduce_only:
        return
    if not market.is_contract:
        raise PaperOrderRejected(
            "reduce_only_spot", f"reduce-only applies to contracts; {market.symbol} is spot"
        )
    if not reduces(request.side, position):
        raise PaperOrderRejected(
            "reduce_only_would_increase",
            f"reduce-only {request.side} would not reduce the {market.symbol} position "
            f"({position})",
        )
    claimed = sum(pending, ZERO)
    if request.quantity > abs(position) - claimed:
        raise PaperOrderRejected(
            "reduce_only_too_large",
            f"reduce-only quantity {request.quantity} exceeds the {abs(position) - claimed} "
            f"left to reduce (position {position}, {claimed} in other reduce-only orders)",
        )


def reduces(side: Side, position: Decimal) -> bool:
    """Would an order on ``side`` make this signed position smaller?"""
    return position < 0 if side is Side.BUY else position > 0
