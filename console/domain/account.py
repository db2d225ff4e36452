"""What the account holds."""

from __future__ import annotations

from decimal import Decimal

from console.domain._base import Money, Value


class Balance(Value):
    """One currency of the account. ``used`` is locked by open orders or margin."""

    currency: str
    total: Money
    free: Money
    used: Money = Decimal(0)
