"""What an order will cost and how far it sits from the market: the numbers the confirmation
shows before anything is sent. Pure functions over domain values, no Textual."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from console.domain import Liquidity, Market, OrderRequest, OrderType, Side, TimeInForce


def order_notional(request: OrderRequest, reference_price: Decimal | None) -> Decimal | None:
    """Price x quantity; a market order is valued at the reference (mid), if there is one."""
    price = request.price if request.price is not None else reference_price
    return None if price is None else price * request.quantity


def _would_take(request: OrderRequest, reference_price: Decimal | None) -> bool | None:
    """Whether the order takes liquidity on arrival; None when a GTC limit cannot be judged."""
    if request.type is OrderType.MARKET or request.time_in_force in (
        TimeInForce.IOC,
        TimeInForce.FOK,
    ):
        return True
    if request.time_in_force is TimeInForce.POST_ONLY:
        return False
    if reference_price is None or request.price is None:
        return None
    if request.side is Side.BUY:
        return request.price >= reference_price
    return request.price <= reference_price


@dataclass(frozen=True)
class FeeEstimate:
    """The fee the order most likely pays, and the most it could pay."""

    liquidity: Liquidity
    """How it is expected to fill."""
    rate: Decimal
    fee: Decimal | None
    worst_rate: Decimal
    worst_fee: Decimal | None
    certain: bool
    """False for a GTC limit whose fate (rest or take) depends on the book when it lands."""


def estimate_fee(
    request: OrderRequest, market: Market, reference_price: Decimal | None
) -> FeeEstimate:
    """Maker for post-only, taker for market/IOC/FOK, and for a GTC limit: maker if it would
    rest at the reference, with the taker fee as the worst case."""
    takes = _would_take(request, reference_price)
    certain = request.type is OrderType.MARKET or request.time_in_force is not TimeInForce.GTC
    notional = order_notional(request, reference_price)
    rate = market.taker_fee if takes else market.maker_fee
    worst_rate = rate if certain else max(market.maker_fee, market.taker_fee)
    return FeeEstimate(
        liquidity=Liquidity.TAKER if takes else Liquidity.MAKER,
        rate=rate,
        fee=None if notional is None else notional * rate,
        worst_rate=worst_rate,
        worst_fee=None if notional is None else notional * worst_rate,
        certain=certain,
    )


@dataclass(frozen=True)
class PriceBandCheck:
    """How far a limit price is from mid, against the trader's fat-finger band."""

    price: Decimal
    mid: Decimal
    band_pct: Decimal
    distance_pct: Decimal
    """Signed: positive above mid."""

    @classmethod
    def measure(cls, price: Decimal, mid: Decimal, band_pct: Decimal) -> PriceBandCheck:
        return cls(price=price, mid=mid, band_pct=band_pct, distance_pct=(price - mid) / mid * 100)

    @property
    def within(self) -> bool:
        return abs(self.distance_pct) <= self.band_pct

    def describe(self) -> str:
        """``0.25 % above mid 100.25, inside the 5 % band`` (or ``OUTSIDE``)."""
        where = "above" if self.distance_pct >= 0 else "below"
        verdict = "inside" if self.within else "OUTSIDE"
        return (
            f"{abs(self.distance_pct):.2f} % {where} mid {self.mid.normalize():f}, "
            f"{verdict} the {self.band_pct.normalize():f} % band"
        )


def percent(rate: Decimal) -> str:
    """``Decimal("0.00055")`` -> ``0.055 %``."""
    return f"{(rate * 100).normalize():f} %"
