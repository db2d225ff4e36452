"""Domain values refuse what would make money inexact or time ambiguous, at construction."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from pydantic import ValidationError

from console.domain import (
    ApiKeyInfo,
    Balance,
    Candle,
    DepthSnapshot,
    ManualClock,
    OrderRequest,
    OrderType,
    PriceLevel,
    Side,
    TimeInForce,
)

from support.builders import linear_market

NOW = datetime(2026, 1, 2, tzinfo=UTC)


@pytest.mark.parametrize("amount", [0.1, float("nan")])
def test_money_refuses_binary_floats(amount: float) -> None:
    with pytest.raises(ValidationError, match="never a binary float"):
        Balance(currency="USDT", total=amount, free=Decimal(0))


@pytest.mark.parametrize("amount", ["NaN", "Infinity", "-Infinity", Decimal("NaN")])
def test_money_refuses_non_finite_numbers(amount: object) -> None:
    with pytest.raises(ValidationError, match="finite number"):
        Balance(currency="USDT", total=amount, free=Decimal(0))


def test_money_from_strings_is_exact() -> None:
    balance = Balance(currency="USDT", total="0.1", free="0.30000000000000004")
    assert balance.total == Decimal("0.1")
    assert balance.free == Decimal("0.30000000000000004")


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValidationError, match="timezone-aware"):
        Candle(timestamp=datetime(2026, 1, 2), open=1, high=1, low=1, close=1)
    with pytest.raises(ValueError, match="timezone-aware"):
        ManualClock(datetime(2026, 1, 2))


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"type": OrderType.LIMIT}, "a limit order needs a price"),
        ({"type": OrderType.MARKET, "price": "100"}, "a market order takes no price"),
        (
            {"type": OrderType.MARKET, "time_in_force": TimeInForce.POST_ONLY},
            "a market order cannot be post-only",
        ),
        ({"type": OrderType.MARKET, "quantity": "0"}, "greater than zero"),
        ({"type": OrderType.MARKET, "client_order_id": "x" * 37}, "String should match"),
        ({"type": OrderType.MARKET, "client_order_id": "has space"}, "String should match"),
    ],
)
def test_order_request_shape_rules(fields: dict[str, object], message: str) -> None:
    request = {"symbol": "BTC/USDT:USDT", "side": Side.BUY, "quantity": "1"} | fields
    with pytest.raises(ValidationError, match=message):
        OrderRequest.model_validate(request)


def test_depth_snapshot_derives_best_spread_mid_and_crossing() -> None:
    book = DepthSnapshot(
        symbol="BTC/USDT:USDT",
        bids=(PriceLevel(Decimal("99.5"), Decimal(2)), PriceLevel(Decimal(99), Decimal(1))),
        asks=(PriceLevel(Decimal("100.5"), Decimal(3)),),
        received_at=NOW,
    )
    assert book.best_bid == PriceLevel(Decimal("99.5"), Decimal(2))
    assert book.spread == Decimal(1)
    assert book.mid == Decimal(100)
    assert not book.is_crossed
    crossed = book.model_copy(update={"asks": (PriceLevel(Decimal("99.5"), Decimal(1)),)})
    assert crossed.is_crossed
    empty = DepthSnapshot(symbol="X", bids=(), asks=(), received_at=NOW)
    assert empty.mid is None
    assert empty.spread is None
    assert not empty.is_crossed


def test_market_rounding_and_grid_checks() -> None:
    market = linear_market(tick_size=Decimal("0.5"), qty_step=Decimal("0.01"))
    assert market.round_price(Decimal("100.26")) == Decimal("100.5")
    assert market.round_price(Decimal("100.24")) == Decimal("100.0")
    assert market.floor_qty(Decimal("1.239")) == Decimal("1.23")
    assert market.is_on_tick(Decimal("100.5"))
    assert not market.is_on_tick(Decimal("100.2"))
    assert market.is_on_step(Decimal("0.03"))
    assert not market.is_on_step(Decimal("0.035"))


def test_key_rights_are_sorted_and_unique_whoever_builds_them() -> None:
    key = ApiKeyInfo(permissions=("Wallet:Withdraw", "Spot:SpotTrade", "Spot:SpotTrade"))

    assert key.permissions == ("Spot:SpotTrade", "Wallet:Withdraw")
    assert key.can_withdraw


@pytest.mark.parametrize(("ips", "bound"), [((), False), (("*",), False), (("203.0.113.7",), True)])
def test_a_key_is_ip_bound_only_with_addresses_and_no_wildcard(
    ips: tuple[str, ...], bound: bool
) -> None:
    assert ApiKeyInfo(ips=ips).ip_bound is bound
