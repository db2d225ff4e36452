"""Closing a position: the one order that takes it to zero and can do nothing else.

A close is reduce-only, so whatever happens meanwhile (a fill elsewhere, a second press of
the key) it can shrink the position but never open one the other way. It goes out at
market (certain, pays the spread) or as a limit joining the touch on the closing side (the
ask to sell a long, the bid to buy back a short: a maker price that waits for the market),
as the trader's setting :class:`CloseStyle` says.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from console.domain.enums import OrderType, Side
from console.domain.orders import OrderRequest
from console.domain.positions import Position


class CloseStyle(StrEnum):
    """How a single position is closed (``ui.close_with``); flatten always uses market."""

    MARKET = "market"
    """A reduce-only market order: flat now, at whatever the book gives."""
    TOUCH = "touch"
    """A reduce-only limit at the best price on the closing side: maker, but may wait."""


def closing_side(position: Position) -> Side:
    """The side that reduces ``position``: sell a long, buy back a short."""
    return Side.SELL if position.side is Side.BUY else Side.BUY


def close_request(position: Position, *, price: Decimal | None = None) -> OrderRequest:
    """The reduce-only order that closes the whole of ``position``: at market, or a GTC
    limit at ``price``.

    Raises:
        ValueError: the position is flat (there is nothing to close).
    """
    if position.is_flat or position.side is None:
        raise ValueError(f"there is no {position.symbol} position to close")
    return OrderRequest(
        symbol=position.symbol,
        side=closing_side(position),
        type=OrderType.MARKET if price is None else OrderType.LIMIT,
        quantity=position.size,
        price=price,
        reduce_only=True,
    )


def describe_position(position: Position) -> str:
    """``long 0.01 BTC/USDT:USDT`` (or ``flat``), for notices and reports."""
    if position.is_flat:
        return f"flat {position.symbol}"
    way = "long" if position.side is Side.BUY else "short"
    return f"{way} {position.size.normalize():f} {position.symbol}"


__all__ = ["CloseStyle", "close_request", "closing_side", "describe_position"]
