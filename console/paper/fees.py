"""Maker and taker fee rates: the market's schedule unless the session overrides it."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from console.domain import Liquidity, Market

BYBIT_BASE_MAKER = Decimal("0.0002")
"""Bybit's non-VIP maker rate for linear contracts (0.02 %)."""
BYBIT_BASE_TAKER = Decimal("0.00055")
"""Bybit's non-VIP taker rate for linear contracts (0.055 %)."""


@dataclass(frozen=True, slots=True)
class FeeSchedule:
    """Overrides apply to every market; without them each market's own rates are used
    (and a market built without rates carries Bybit's base tier, see ``Market``)."""

    maker_override: Decimal | None = None
    taker_override: Decimal | None = None

    def rate(self, market: Market, liquidity: Liquidity) -> Decimal:
        if liquidity is Liquidity.MAKER:
            return market.maker_fee if self.maker_override is None else self.maker_override
        return market.taker_fee if self.taker_override is None else self.taker_override

    def worst_rate(self, market: Market) -> Decimal:
        """The higher of the two: what an order must reserve before it knows how it fills."""
        return max(
            self.rate(market, Liquidity.MAKER), self.rate(market, Liquidity.TAKER), Decimal(0)
        )

    def fee(
        self, market: Market, liquidity: Liquidity, notional: Decimal
    ) -> tuple[Decimal, Decimal]:
        """(rate, fee) for a fill of ``notional``; exact, never rounded (a rebate is negative)."""
        rate = self.rate(market, liquidity)
        return rate, notional * rate
