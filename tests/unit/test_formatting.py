"""Numbers in the tables to the precision of what they count, per asset and per market."""

from __future__ import annotations

from decimal import Decimal

import pytest

from console.domain import Market, MarketType
from console.tui.formatting import (
    abbreviate,
    currency_decimals,
    fee_text,
    fit,
    money_text,
    price_text,
    settle_currency,
    size_text,
)


def _market(symbol: str, tick: str, step: str, *, spot: bool = False) -> Market:
    base, _, rest = symbol.partition("/")
    quote, _, settle = rest.partition(":")
    return Market(
        symbol=symbol,
        venue_id=f"{base}{quote}",
        type=MarketType.SPOT if spot else MarketType.LINEAR,
        base=base,
        quote=quote,
        settle=settle or None,
        tick_size=Decimal(tick),
        qty_step=Decimal(step),
    )


BTC_PERP = _market("BTC/USDT:USDT", "0.1", "0.001")
ETH_SPOT = _market("ETH/USDC", "0.01", "0.0001", spot=True)
PEPE_SPOT = _market("PEPE/USDT", "0.0000000001", "0.0000000001", spot=True)
DOGE_PERP = _market("DOGE/USDT:USDT", "0.00001", "1")


@pytest.mark.parametrize(
    ("value", "currency", "expected"),
    [
        ("9999.96400948", "USDT", "9,999.96"),
        ("9999.965", "USDT", "9,999.96"),  # half-even: no drift up
        ("9999.975", "USDC", "9,999.98"),
        ("-1234567.891", "USD", "-1,234,567.89"),
        ("0.25", "BTC", "0.25000000"),
        ("12.123456789", "ETH", "12.12345679"),
        ("0", "USDT", "0.00"),
    ],
)
def test_balances_and_pnl_to_the_currency_precision(
    value: str, currency: str, expected: str
) -> None:
    assert money_text(Decimal(value), currency) == expected


def test_a_coin_traded_finer_than_eight_places_keeps_its_steps() -> None:
    assert currency_decimals("PEPE") == 8
    assert currency_decimals("PEPE", [PEPE_SPOT, BTC_PERP]) == 10
    assert money_text(Decimal("1.0000000001"), "PEPE", [PEPE_SPOT]) == "1.0000000001"
    assert currency_decimals("usdt") == 2


def test_fees_two_places_finer_than_cash_balances() -> None:
    assert fee_text(Decimal("0.0275125"), "USDT") == "0.0275"
    assert fee_text(Decimal("0.00000123"), "BTC") == "0.00000123"
    assert fee_text(Decimal("1234.5"), "USDT") == "1,234.5000"


@pytest.mark.parametrize(
    ("market", "price", "size", "price_shown", "size_shown"),
    [
        (BTC_PERP, "50000.1", "0.5", "50,000.1", "0.500"),
        (BTC_PERP, "49999.95", "1234.5678", "50,000.0", "1,234.568"),
        (ETH_SPOT, "3000", "0.01", "3,000.00", "0.0100"),
        (DOGE_PERP, "0.12345", "15000", "0.12345", "15,000"),
    ],
)
def test_prices_to_the_tick_and_sizes_to_the_lot_step(
    market: Market, price: str, size: str, price_shown: str, size_shown: str
) -> None:
    assert price_text(Decimal(price), market) == price_shown
    assert size_text(Decimal(size), market) == size_shown


def test_without_a_market_the_figure_is_shown_as_given() -> None:
    assert price_text(Decimal("50000.10"), None) == "50,000.1"
    assert size_text(Decimal("0.500"), None) == "0.5"


@pytest.mark.parametrize(
    ("symbol", "market", "expected"),
    [
        ("BTC/USDT:USDT", None, "USDT"),
        ("ETH/USDC", None, "USDC"),
        ("ETH/USDC", ETH_SPOT, "USDC"),
        ("BTC/USD:BTC", None, "BTC"),
        ("ODD", None, "ODD"),
    ],
)
def test_pnl_is_counted_in_the_settle_currency(
    symbol: str, market: Market | None, expected: str
) -> None:
    assert settle_currency(symbol, market) == expected


@pytest.mark.parametrize(
    ("value", "width", "expected"),
    [
        ("1234567.891", 13, "1,234,567.891"),
        ("1234567.891", 8, "1.23M"),
        ("1234567.891", 4, "1.2M"),
        ("1234567.891", 2, "1M"),
        ("1234567.891", 1, "1M"),  # nothing fits: the shortest form, never an empty cell
        ("98765.4", 7, "98.77K"),
        ("-2500000000", 6, "-2.50B"),
        ("3100000000000", 5, "3.10T"),
        ("999.123", 6, "999.12"),
    ],
)
def test_large_numbers_abbreviated_only_when_the_column_is_too_narrow(
    value: str, width: int, expected: str
) -> None:
    amount = Decimal(value)
    assert fit(f"{amount:,f}", amount, width) == expected
    assert abbreviate(amount, width) == expected or len(f"{amount:,f}") <= width
