"""Numbers in the console's tables to the precision of what they count.

A balance of ``9,999.96400948`` USDT asks the trader to read six digits that mean nothing: a
dollar-like currency is read to the cent, a coin to its eighth decimal (a satoshi for BTC).
Prices are read to the market's tick and sizes to its lot step, so two prices line up and a
size is never shown finer than the venue can trade. Every figure carries thousands
separators. Where a column is too narrow for a figure it is abbreviated (``1.23M``); that
happens only in cramped table columns, never in a confirmation, which shows the exact
amount (:func:`console.tui.forms.amounts.plain_amount`).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_EVEN, Decimal

from console.domain import Market, Order, StopKind, TriggerSource
from console.tui.forms.amounts import grouped_amount
from console.tui.widgets.ladder_rows import decimals_of, format_amount

CASH_LIKE = frozenset(
    {"USD", "USDT", "USDC", "USDE", "DAI", "FDUSD", "BUSD", "TUSD", "PYUSD", "EUR", "GBP"}
)
"""Fiat currencies and the coins pegged to them: read to the cent."""
CASH_DECIMALS = 2
"""Places of a balance or PnL in a cash-like currency."""
COIN_DECIMALS = 8
"""Places of a balance in a coin: BTC's satoshi, and enough for any coin's dust."""
FEE_EXTRA_DECIMALS = 2
"""Fees on a small order are fractions of a cent: two places more than the balance shows."""

_SCALES = tuple(
    (Decimal(10) ** power, suffix) for power, suffix in ((12, "T"), (9, "B"), (6, "M"), (3, "K"))
)


def currency_decimals(currency: str, markets: Iterable[Market] = ()) -> int:
    """Display places of an amount of ``currency``: 2 for cash-like currencies, else 8, or
    the lot step's places where a market trades the coin in finer steps than that."""
    if currency.upper() in CASH_LIKE:
        return CASH_DECIMALS
    finer = [decimals_of(m.qty_step) for m in markets if m.base == currency]
    return max([COIN_DECIMALS, *finer])


def settle_currency(symbol: str, market: Market | None = None) -> str:
    """The currency a symbol's PnL is counted in: the market's settle (or quote) currency,
    read from a ccxt unified symbol (``BTC/USDT:USDT``) when the market is not known."""
    if market is not None:
        return market.settle or market.quote
    _, _, rest = symbol.partition("/")
    quote, _, settle = rest.partition(":")
    return settle or quote or symbol


def quantized(value: Decimal, decimals: int) -> Decimal:
    """``value`` rounded half-even to ``decimals`` places (banker's rounding: no drift up)."""
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_EVEN)


def money_text(value: Decimal, currency: str, markets: Iterable[Market] = ()) -> str:
    """A balance or PnL: ``9,999.96`` USDT, ``0.25000000`` BTC."""
    return _grouped(value, currency_decimals(currency, markets))


def fee_text(value: Decimal, currency: str, markets: Iterable[Market] = ()) -> str:
    """A fee: two places finer than a balance of its currency (``0.0275`` USDT)."""
    decimals = currency_decimals(currency, markets)
    if currency.upper() in CASH_LIKE:
        decimals += FEE_EXTRA_DECIMALS
    return _grouped(value, decimals)


def price_text(value: Decimal, market: Market | None) -> str:
    """A price to the market's tick (``50,000.1``); as given when the market is unknown."""
    if market is None:
        return grouped_amount(value)
    return _grouped(value, decimals_of(market.tick_size))


def size_text(value: Decimal, market: Market | None) -> str:
    """A size to the market's lot step (``0.500``); as given when the market is unknown."""
    if market is None:
        return grouped_amount(value)
    return _grouped(value, decimals_of(market.qty_step))


def fit(text: str, value: Decimal, width: int) -> str:
    """``text`` if it fits ``width`` cells, else ``value`` abbreviated (``12.3K``, ``1.23M``)
    with as many places as fit. For narrow table columns only, never for a confirmation."""
    if len(text) <= width:
        return text
    return abbreviate(value, width)


def abbreviate(value: Decimal, width: int) -> str:
    """``value`` in at most ``width`` cells where possible: a K/M/B/T suffix and as many
    places as fit; a figure that fits no abbreviation keeps its whole-number form."""
    scale, suffix = next(
        ((scale, suffix) for scale, suffix in _SCALES if abs(value) >= scale), (Decimal(1), "")
    )
    scaled = value / scale
    for decimals in (2, 1, 0):
        text = f"{quantized(scaled, decimals):,.{decimals}f}{suffix}"
        if len(text) <= width:
            return text
    return text


_STOP_WORDS = {StopKind.STOP: "stop", StopKind.TAKE_PROFIT: "TP", StopKind.STOP_LOSS: "SL"}


def order_type_text(order: Order, market: Market | None = None) -> str:
    """``limit``, ``limit PostOnly``, ``market IOC reduce-only``: what the venue was asked;
    a conditional order says what it is and its trigger (``stop market @58,000 mark``)."""
    words = [order.type.value]
    if order.trigger_price is not None:
        words.insert(0, _STOP_WORDS[order.stop_kind or StopKind.STOP])
        source = "" if order.trigger_by in (None, TriggerSource.LAST) else " mark"
        if order.trigger_by is TriggerSource.INDEX:
            source = " index"
        words.append(f"@{price_text(order.trigger_price, market)}{source}")
    if order.time_in_force.value != "GTC":
        words.append(order.time_in_force.value)
    if order.reduce_only:
        words.append("reduce-only")
    return " ".join(words)


def order_state_text(order: Order) -> str:
    """The order's state; a conditional order's says whether its trigger was reached."""
    if order.waiting_trigger:
        return "waiting trigger"
    status = order.status.value.replace("_", " ")
    return f"triggered, {status}" if order.triggered else status


def _grouped(value: Decimal, decimals: int) -> str:
    return format_amount(quantized(value, decimals), decimals)


__all__ = [
    "CASH_LIKE",
    "abbreviate",
    "currency_decimals",
    "fee_text",
    "fit",
    "money_text",
    "order_state_text",
    "order_type_text",
    "price_text",
    "settle_currency",
    "size_text",
]
