"""Pre-trade checks Bybit applies to a new or amended order, with Bybit's codes per category.

Spot and linear reject the same mistakes with different codes (e.g. a duplicate
``orderLinkId`` is 110072 on linear and 170141 on spot); this module is where that mapping
lives, so the engine reads as the trading logic alone.
"""

from __future__ import annotations

import re
from decimal import Decimal

from console.sim.envelopes import BybitError, params_error
from console.sim.instruments import SimInstrument

LINK_ID_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,36}")
PRICE_BAND = Decimal("0.1")
"""Linear limit orders more than 10 % through the mark price are refused (110003)."""


def _spot(instrument: SimInstrument) -> bool:
    return instrument.category == "spot"


def check_link_id(link_id: str) -> None:
    if not LINK_ID_PATTERN.fullmatch(link_id):
        raise params_error("orderLinkId must be 1 to 36 characters of letters, digits, '_' or '-'")


def duplicate_link_id(instrument: SimInstrument) -> BybitError:
    if _spot(instrument):
        return BybitError(170141, "Duplicate clientOrderId.")
    return BybitError(110072, "OrderLinkedID is duplicate")


def order_not_found(instrument: SimInstrument) -> BybitError:
    if _spot(instrument):
        return BybitError(170213, "Order does not exist.")
    return BybitError(110001, "order not exists or too late to cancel")


def insufficient_balance(instrument: SimInstrument) -> BybitError:
    if _spot(instrument):
        return BybitError(170131, "Insufficient balance.")
    return BybitError(110007, "ab not enough for new order")


def check_price(instrument: SimInstrument, price: Decimal) -> None:
    if price <= 0:
        raise params_error("price must be greater than 0")
    if price % instrument.tick_size:
        if _spot(instrument):
            raise BybitError(170134, "Order price has too many decimals.")
        raise params_error(f"price must be a multiple of tickSize {instrument.tick_size}")


def check_base_qty(instrument: SimInstrument, qty: Decimal, *, market: bool) -> None:
    """Quantity in the base coin: positive, on the lot step, within the min and max."""
    if qty <= 0:
        raise params_error("qty must be greater than 0")
    if qty % instrument.qty_step:
        if _spot(instrument):
            raise BybitError(170137, "Order quantity has too many decimals.")
        raise params_error(f"qty must be a multiple of qtyStep {instrument.qty_step}")
    if qty < instrument.min_qty:
        if _spot(instrument):
            raise BybitError(
                170136, f"Order quantity is lower than the minimum {instrument.min_qty}."
            )
        raise params_error(
            f"The number of contracts is below the minimum allowed: {instrument.min_qty}"
        )
    ceiling = instrument.max_market_qty if market else instrument.max_qty
    if qty > ceiling:
        if _spot(instrument):
            raise BybitError(170135, f"Order quantity exceeded the maximum {ceiling}.")
        raise params_error(f"The number of contracts exceeds the maximum allowed: {ceiling}")


def check_quote_qty(instrument: SimInstrument, amount: Decimal) -> None:
    """Spot market orders sized in the quote coin."""
    if amount <= 0:
        raise params_error("qty must be greater than 0")
    if amount % instrument.quote_precision:
        raise BybitError(170137, "Order quantity has too many decimals.")
    check_notional(instrument, amount)


def check_notional(instrument: SimInstrument, notional: Decimal) -> None:
    if notional >= instrument.min_notional:
        return
    if _spot(instrument):
        raise BybitError(
            170140, f"Order value exceeded lower limit: minimum {instrument.min_notional} USDT."
        )
    raise BybitError(
        110094, f"Order does not meet minimum order value {instrument.min_notional}USDT"
    )


def check_price_band(instrument: SimInstrument, side: str, price: Decimal, mark: Decimal) -> None:
    """Linear only: a limit price far through the mark is a typo, not a trade."""
    if _spot(instrument):
        return
    if (side == "Buy" and price > mark * (1 + PRICE_BAND)) or (
        side == "Sell" and price < mark * (1 - PRICE_BAND)
    ):
        raise BybitError(110003, "Order price is out of permissible range")
