"""The pre-trade risk gate: fat-finger and runaway guards, checked before anything is signed.

The venue's own rules (tick, step, minimum quantity and notional) are checked by
``console.exchange.client.check_market_rules`` on the same path; this gate adds the
trader's limits from ``Settings.risk``: maximum notional per order, a price band around mid
for limit orders, a maximum order rate, and a kill switch. Every refusal is a
:class:`RiskRejected` that names the rule and carries the numbers that broke it.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Mapping
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from console.config import RiskSettings
from console.domain import Market, Order, OrderRequest, OrderType, TradingVenue
from console.exchange.errors import InvalidOrder

log = logging.getLogger(__name__)


class RiskRule(StrEnum):
    """The rules of the gate; a refusal names one."""

    KILL_SWITCH = "kill_switch"
    MAX_NOTIONAL = "max_notional"
    PRICE_BAND = "price_band"
    ORDER_RATE = "order_rate"
    NO_REFERENCE_PRICE = "no_reference_price"


class RiskRejected(InvalidOrder):
    """The gate refused an order; nothing was signed or sent.

    Attributes:
        rule: which rule.
        numbers: the values that decided it (limit, actual, ...), for display and tests.
    """

    def __init__(self, rule: RiskRule, message: str, numbers: Mapping[str, object]) -> None:
        super().__init__(f"Risk gate ({rule.value}): {message}")
        self.rule = rule
        self.numbers = dict(numbers)


class RiskGate:
    """Applies ``RiskSettings`` to each order before it is signed, in paper and live mode.

    Args:
        settings: the limits.
    """

    def __init__(self, settings: RiskSettings) -> None:
        self.settings = settings
        self._accepted: deque[datetime] = deque()
        self.kill_reason: str | None = None
        """Why the kill switch is engaged; None when orders may flow."""

    def __repr__(self) -> str:
        return f"RiskGate(killed={self.killed})"

    @property
    def killed(self) -> bool:
        return self.kill_reason is not None

    def check(
        self,
        request: OrderRequest,
        market: Market,
        mid: Decimal | None,
        now: datetime,
        *,
        record: bool = True,
        rate: bool = True,
    ) -> None:
        """Refuse ``request`` if it breaks a rule; count it toward the rate if it passes.

        Args:
            request: the order.
            market: its market (quote currency for messages).
            mid: the current mid price; needed for market orders' notional and the band.
            now: the moment (UTC), for the order-rate window.
            record: False previews the verdict (an order form checking as the trader
                types) without counting the order toward the rate.
            rate: False skips the order-rate rule: the further orders of one batch the
                trader confirmed once (a scale plan) count as that one decision.

        Raises:
            RiskRejected: naming the rule and the numbers.
        """
        if self.kill_reason is not None:
            raise RiskRejected(
                RiskRule.KILL_SWITCH,
                f"new orders are blocked ({self.kill_reason}); release the kill switch first",
                {"reason": self.kill_reason},
            )
        reference = request.price if request.price is not None else mid
        if reference is None:
            raise RiskRejected(
                RiskRule.NO_REFERENCE_PRICE,
                f"no mid price for {market.symbol}, so a market order's value is unknown",
                {"symbol": market.symbol},
            )
        self._check_notional(request, market, reference)
        if request.type is OrderType.LIMIT:
            self._check_band(request, market, mid)
        if rate:
            self._check_rate(now, record=record)

    def _check_notional(self, request: OrderRequest, market: Market, reference: Decimal) -> None:
        notional = request.quantity * reference
        limit = self.settings.max_order_notional
        if notional > limit:
            raise RiskRejected(
                RiskRule.MAX_NOTIONAL,
                f"order value {notional:f} {market.quote} is above the maximum {limit:f} "
                f"{market.quote} per order",
                {"notional": notional, "limit": limit},
            )

    def _check_band(self, request: OrderRequest, market: Market, mid: Decimal | None) -> None:
        assert request.price is not None
        if mid is None:
            raise RiskRejected(
                RiskRule.NO_REFERENCE_PRICE,
                f"no mid price for {market.symbol} to check the limit price against",
                {"symbol": market.symbol, "price": request.price},
            )
        band = self.settings.price_band_pct
        distance_pct = abs(request.price - mid) / mid * 100
        if distance_pct > band:
            low = market.round_price(mid * (1 - band / 100))
            high = market.round_price(mid * (1 + band / 100))
            raise RiskRejected(
                RiskRule.PRICE_BAND,
                f"limit price {request.price:f} is {distance_pct:.2f} % from mid {mid:f}; "
                f"allowed {band:f} % ({low:f} to {high:f})",
                {"price": request.price, "mid": mid, "distance_pct": distance_pct, "band": band},
            )

    def _check_rate(self, now: datetime, *, record: bool) -> None:
        horizon = now - timedelta(seconds=1)
        while self._accepted and self._accepted[0] <= horizon:
            self._accepted.popleft()
        limit = self.settings.max_orders_per_second
        if len(self._accepted) >= limit:
            raise RiskRejected(
                RiskRule.ORDER_RATE,
                f"{len(self._accepted)} orders in the last second; the maximum is {limit}",
                {"count": len(self._accepted), "limit": limit},
            )
        if record:
            self._accepted.append(now)

    def engage(self, reason: str = "kill switch engaged") -> None:
        """Block every new order until :meth:`release`."""
        self.kill_reason = reason
        log.warning("kill switch engaged: %s", reason)

    def release(self) -> None:
        """Allow new orders again."""
        self.kill_reason = None
        log.warning("kill switch released")


async def kill(gate: RiskGate, venue: TradingVenue, reason: str = "kill switch") -> list[Order]:
    """The kill switch: block new orders first, then cancel every open order.

    Blocking comes first so nothing new slips in while the cancels run; a cancel that fails
    does not stop the others, and the gate stays engaged whatever happens.

    Returns:
        The orders as the venue reported them after each cancel.
    """
    gate.engage(reason)
    cancelled: list[Order] = []
    for order in await venue.fetch_open_orders():
        try:
            cancelled.append(await venue.cancel_order(order.order_id, order.symbol))
        except Exception as error:
            log.error("kill switch: cancel of %s failed: %s", order.order_id, error)
    return cancelled


__all__ = ["RiskGate", "RiskRejected", "RiskRule", "kill"]
