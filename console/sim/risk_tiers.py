"""Bybit's first risk-limit tier of each linear symbol: maintenance-margin rate, the
largest position value it covers and the leverage it allows (``/v5/market/risk-limit``,
``riskId`` 1, maintenance-margin deduction 0)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class RiskTier:
    """The first risk-limit tier of a symbol (Bybit's ``/v5/market/risk-limit``, id 1)."""

    risk_id: int
    limit_value: Decimal
    mmr: Decimal
    max_leverage: Decimal


RISK_TIERS: dict[str, RiskTier] = {
    "BTCUSDT": RiskTier(1, Decimal(2_000_000), Decimal("0.005"), Decimal(100)),
    "ETHUSDT": RiskTier(1, Decimal(1_000_000), Decimal("0.005"), Decimal(100)),
    "SOLUSDT": RiskTier(1, Decimal(200_000), Decimal("0.01"), Decimal(50)),
}
DEFAULT_TIER = RiskTier(1, Decimal(200_000), Decimal("0.01"), Decimal(50))


def risk_tier(symbol: str) -> RiskTier:
    return RISK_TIERS.get(symbol, DEFAULT_TIER)
