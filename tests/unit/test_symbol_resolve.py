"""resolve_symbol: the venue's own names and unified symbols, to the markets they mean."""

from __future__ import annotations

import pytest

from console.domain import (
    Market,
    MarketType,
    SymbolMatch,
    looks_unified,
    resolve_symbol,
    resolve_watchlist,
)

from support.builders import linear_market, spot_market


@pytest.fixture
def markets() -> dict[str, Market]:
    listed = [
        spot_market("BTC"),
        linear_market("BTC"),
        linear_market("SOL"),
        spot_market("ETH"),
        linear_market("ETH"),
        # an OKX-style perpetual: the venue's id is not base + quote
        linear_market("DOGE", venue_id="DOGE-USDT-SWAP"),
    ]
    return {market.symbol: market for market in listed}


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("BTC/USDT:USDT", "BTC/USDT:USDT"),
        ("btc/usdt:usdt", "BTC/USDT:USDT"),
        ("BTC/USDT", "BTC/USDT"),
        ("  eth/usdt ", "ETH/USDT"),
        ("SOLUSDT", "SOL/USDT:USDT"),
        ("solusdt", "SOL/USDT:USDT"),
        ("DOGE-USDT-SWAP", "DOGE/USDT:USDT"),
        ("doge_usdt", "DOGE/USDT:USDT"),
    ],
)
def test_one_market_meant_resolves_to_its_unified_symbol(
    markets: dict[str, Market], typed: str, expected: str
) -> None:
    match = resolve_symbol(typed, markets)
    assert match.symbol == expected
    assert match.candidates == (expected,)
    assert not match.ambiguous


@pytest.mark.parametrize("typed", ["BTCUSDT", "btcusdt", "BTC-USDT", "btc usdt"])
def test_a_venue_name_shared_by_spot_and_linear_asks(
    markets: dict[str, Market], typed: str
) -> None:
    match = resolve_symbol(typed, markets)
    assert match.symbol is None
    assert match.ambiguous
    assert match.candidates == ("BTC/USDT", "BTC/USDT:USDT"), "spot first, then linear"
    assert match.text == typed


def test_a_preferred_type_settles_a_tie_and_only_a_tie(markets: dict[str, Market]) -> None:
    assert resolve_symbol("BTCUSDT", markets, prefer=MarketType.LINEAR).symbol == "BTC/USDT:USDT"
    assert resolve_symbol("ETHUSDT", markets, prefer=MarketType.SPOT).symbol == "ETH/USDT"
    assert resolve_symbol("SOLUSDT", markets, prefer=MarketType.SPOT).symbol == "SOL/USDT:USDT"


@pytest.mark.parametrize("typed", ["", "   ", "XRPUSDT", "BTC", "BTC/USD"])
def test_nothing_matching_resolves_to_nothing(markets: dict[str, Market], typed: str) -> None:
    assert resolve_symbol(typed, markets) == SymbolMatch(typed)
    assert resolve_symbol(typed, {}).candidates == ()


def test_a_watchlist_of_venue_names_resolves_in_order_without_duplicates(
    markets: dict[str, Market],
) -> None:
    named = resolve_watchlist(["SOLUSDT", "eth/usdt", "SOL/USDT:USDT", "DOGE-USDT-SWAP"], markets)
    assert named.symbols == ("SOL/USDT:USDT", "ETH/USDT", "DOGE/USDT:USDT")
    assert named.notes == ()


def test_a_watchlist_name_shared_by_spot_and_linear_means_the_linear_and_says_so(
    markets: dict[str, Market],
) -> None:
    named = resolve_watchlist(["BTCUSDT"], markets)
    assert named.symbols == ("BTC/USDT:USDT",)
    assert named.notes == (
        "BTCUSDT names BTC/USDT and BTC/USDT:USDT: watching BTC/USDT:USDT "
        "(name the other to watch it)",
    )


def test_a_watchlist_name_with_no_single_perpetual_is_left_as_typed_and_named() -> None:
    listed = [spot_market("BTC"), spot_market("XBT", venue_id="BTCUSDT")]
    named = resolve_watchlist(["BTCUSDT"], {market.symbol: market for market in listed})
    assert named.symbols == ("BTCUSDT",)
    assert named.notes == ("BTCUSDT names BTC/USDT and XBT/USDT: write the one you mean",)


def test_a_name_no_market_matches_is_kept_for_the_caller_to_report(
    markets: dict[str, Market],
) -> None:
    assert resolve_watchlist(["NOPEUSDT", "BTC/USDT"], markets).symbols == ("NOPEUSDT", "BTC/USDT")


@pytest.mark.parametrize(("name", "unified"), [("BTC/USDT:USDT", True), ("BTCUSDT", False)])
def test_only_a_unified_name_can_be_followed_before_the_markets_load(
    name: str, unified: bool
) -> None:
    assert looks_unified(name) is unified
