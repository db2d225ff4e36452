"""Issue 11 finding 9: implausible REST values are refused at the edge, as MalformedResponse.

The inputs are ccxt unified dicts as ccxt's bybit parser returns them, each with one value
a broken or hostile venue could send.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from console.domain import OrderRequest, OrderType, Side
from console.exchange.errors import MalformedResponse
from console.exchange.parse import (
    parse_balances,
    parse_candle,
    parse_markets,
    parse_order,
    parse_order_book,
    parse_ticker,
    parse_trade,
)

RECEIVED = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
STAMP = 1_760_000_000_000


def order(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": "1609920528435648000",
        "clientOrderId": "bc0123",
        "symbol": "BTC/USDT:USDT",
        "type": "limit",
        "side": "buy",
        "amount": 0.01,
        "price": 60000.5,
        "filled": 0.0,
        "status": "open",
        "timestamp": STAMP,
        "info": {"orderStatus": "New"},
    }
    base.update(changes)
    return base


def ticker(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"symbol": "BTC/USDT:USDT", "bid": 60000.1, "ask": 60000.2, "last": 1.0}
    base.update(changes)
    return base


def trade(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": "t1",
        "symbol": "BTC/USDT:USDT",
        "price": 60000.1,
        "amount": 0.5,
        "side": "buy",
        "timestamp": STAMP,
    }
    base.update(changes)
    return base


def test_a_plausible_order_parses() -> None:
    parsed = parse_order(order())
    assert parsed.order_id == "1609920528435648000"
    assert parsed.price == Decimal("60000.5")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"id": None}, "order id"),
        ({"id": ""}, "order id"),
        ({"price": -5.0}, "price"),
        ({"amount": -1.0}, "quantity"),
        ({"filled": 0.02}, "more than its size"),
        ({"filled": -0.001}, "filled quantity"),
        ({"price": "1e999999"}, "price"),
        ({"price": "9" * 5000}, "price"),
        ({"timestamp": 10**17}, "order creation time"),
        ({"timestamp": 10**25}, "order creation time"),
        ({"lastUpdateTimestamp": 5}, "before 2015"),
        ({"average": float("inf")}, "average price"),
    ],
)
def test_an_implausible_order_is_a_malformed_response(
    changes: dict[str, Any], message: str
) -> None:
    with pytest.raises(MalformedResponse, match=message):
        parse_order(order(**changes))


def test_a_missing_order_id_never_becomes_the_string_none() -> None:
    request = OrderRequest(
        symbol="BTC/USDT:USDT",
        side=Side.BUY,
        type=OrderType.LIMIT,
        quantity=Decimal("0.01"),
        price=Decimal(60000),
    )
    with pytest.raises(MalformedResponse, match="order id"):
        parse_order({"id": None, "info": {}}, request=request)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"bid": 60000.3, "ask": 60000.2}, "crossed"),
        ({"bid": 60000.2, "ask": 60000.2}, "crossed"),
        ({"ask": "1e999999"}, "ask"),
        ({"bid": -1.0}, "bid"),
        ({"bidVolume": -3.0}, "bid size"),
        ({"last": float("nan")}, "last price"),
        ({"timestamp": 10**17}, "ahead of the clock"),
    ],
)
def test_an_implausible_ticker_is_a_malformed_response(
    changes: dict[str, Any], message: str
) -> None:
    with pytest.raises(MalformedResponse, match=message):
        parse_ticker(ticker(**changes), received_at=RECEIVED)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"price": "1e999999"}, "trade price"),
        ({"price": 0.0}, "trade price"),
        ({"amount": -0.5}, "trade size"),
        ({"id": None}, "trade id"),
        ({"timestamp": 10**17}, "trade time"),
        ({"timestamp": None}, "without a time"),
    ],
)
def test_an_implausible_trade_is_a_malformed_response(
    changes: dict[str, Any], message: str
) -> None:
    with pytest.raises(MalformedResponse, match=message):
        parse_trade(trade(**changes))


def test_a_crossed_or_negative_rest_book_is_a_malformed_response() -> None:
    good = {"bids": [[10.0, 1.0]], "asks": [[10.5, 2.0]], "timestamp": STAMP}
    assert parse_order_book(good, symbol="X", received_at=RECEIVED).mid == Decimal("10.25")
    for book in (
        {"bids": [[11.0, 1.0]], "asks": [[10.5, 2.0]]},
        {"bids": [[10.0, -1.0]], "asks": [[10.5, 2.0]]},
        {"bids": [[10.0, 1.0]], "asks": [["1e999999", 2.0]]},
        {"bids": [[10.0, 1.0]], "asks": [[10.5]]},
        {"bids": [[10.0, 1.0]], "asks": [[10.5, 2.0]], "timestamp": 10**17},
    ):
        with pytest.raises(MalformedResponse):
            parse_order_book(book, symbol="X", received_at=RECEIVED)


def test_negative_balances_are_a_malformed_response() -> None:
    assert parse_balances({"total": {"USDT": 10.0}, "used": {"USDT": 4.0}})[0].free == 6
    for balance in (
        {"total": {"USDT": -10.0}},
        {"total": {"USDT": 10.0}, "free": {"USDT": -1.0}},
        {"total": {"USDT": 10.0}, "used": {"USDT": 11.0}},
        {"total": {"USDT": "1e999999"}},
    ):
        with pytest.raises(MalformedResponse):
            parse_balances(balance)


def test_an_out_of_range_candle_time_is_a_malformed_response_not_an_os_error() -> None:
    with pytest.raises(MalformedResponse, match="candle"):
        parse_candle([10**17, 1.0, 2.0, 0.5, 1.5, 3.0])
    with pytest.raises(MalformedResponse, match="candle"):
        parse_candle([2**70, 1.0, 2.0, 0.5, 1.5, 3.0])


def test_one_implausible_market_is_left_out_not_the_whole_list() -> None:
    def market(symbol: str, tick: object) -> dict[str, Any]:
        return {
            "symbol": symbol,
            "id": symbol.replace("/", "").split(":")[0],
            "base": symbol.split("/")[0],
            "quote": "USDT",
            "settle": "USDT",
            "swap": True,
            "linear": True,
            "precision": {"price": tick, "amount": 0.001},
            "limits": {"amount": {"min": 0.001}, "cost": {"min": 5.0}},
        }

    parsed = parse_markets(
        {
            "BTC": market("BTC/USDT:USDT", 0.1),
            "ETH": market("ETH/USDT:USDT", "1e999999"),
            "SOL": market("SOL/USDT:USDT", -0.01),
        }
    )
    assert list(parsed) == ["BTC/USDT:USDT"]
