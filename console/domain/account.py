"""What the account holds, and what the API key that reaches it may do."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator

from console.domain._base import Money, Value

OPEN_TO_ALL_IPS = "*"
"""Bybit's entry in ``ips`` for a key that any address may use."""


class Balance(Value):
    """One currency of the account. ``used`` is locked by open orders or margin."""

    currency: str
    total: Money
    free: Money
    used: Money = Decimal(0)


def _sorted_unique(rights: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted(set(rights)))


class ApiKeyInfo(Value):
    """The API key as the venue describes it: whose account, and what it may do.

    Never holds the key or its secret; it is safe to show and to log.
    """

    uid: str | None = None
    """The account (user id) the key belongs to; None when the venue did not say."""
    read_only: bool = False
    """The key may read but not trade (live orders would be refused)."""
    permissions: Annotated[tuple[str, ...], AfterValidator(_sorted_unique)] = ()
    """What the key may do, as ``"Group:Right"`` (``"Spot:SpotTrade"``), sorted."""
    ips: tuple[str, ...] = ()
    """The IP allow-list; empty, or ``"*"``, when any address may use the key."""

    @property
    def can_withdraw(self) -> bool:
        """The key may move funds off the venue, which a trading key never needs."""
        return any("withdraw" in permission.lower() for permission in self.permissions)

    @property
    def ip_bound(self) -> bool:
        """Only the listed addresses may use the key (a stolen key is useless elsewhere)."""
        return bool(self.ips) and OPEN_TO_ALL_IPS not in self.ips
