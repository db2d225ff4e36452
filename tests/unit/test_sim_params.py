"""The simulator's parse boundary: each value is bounded once, at the edges exactly."""

from __future__ import annotations

from decimal import Decimal

import pytest

from console.sim.envelopes import BybitError
from console.sim.params import (
    MAX_TIME_MS,
    CreateOrderParams,
    ExecutionParams,
    KlineParams,
    OrderQueryParams,
    parse,
)

ORDER = {"category": "linear", "symbol": "BTCUSDT", "side": "Buy", "orderType": "Limit"}


@pytest.mark.parametrize(
    ("qty", "expected"),
    [
        ("999999999999999.999999999999999999", Decimal("999999999999999.999999999999999999")),
        ("0.000000000000000001", Decimal("1E-18")),
        ("1e14", Decimal("1E+14")),
        (0.25, Decimal("0.25")),
        (10**15 - 1, Decimal(10**15 - 1)),
    ],
)
def test_numbers_at_the_bounds_are_accepted(qty: object, expected: Decimal) -> None:
    assert parse(CreateOrderParams, {**ORDER, "qty": qty}).qty == expected


@pytest.mark.parametrize(
    ("qty", "fragment"),
    [
        ("1e15", "below 1e15"),
        (10**15, "below 1e15"),
        ("-1e15", "below 1e15"),
        ("0.0000000000000000001", "18 decimal places"),
        ("0E+16", "below 1e15"),
        ("1e999999999999999999", "below 1e15"),
        ("1" * 41, "at most 40 characters"),
        ("sNaN", "finite"),
        (float("inf"), "finite"),
        ("²", "expected a number"),
        (True, "expected a number"),
        ([1], "expected a number"),
    ],
)
def test_numbers_beyond_the_bounds_are_10001(qty: object, fragment: str) -> None:
    with pytest.raises(BybitError) as caught:
        parse(CreateOrderParams, {**ORDER, "qty": qty})
    assert caught.value.code == 10001
    assert caught.value.message.startswith("params error: qty: ")
    assert fragment in caught.value.message


def test_cursors_are_short_ascii_offsets() -> None:
    assert parse(OrderQueryParams, {"category": "linear"}).cursor == 0
    assert parse(ExecutionParams, {"category": "spot", "cursor": "123456789"}).cursor == 123456789
    for cursor in ("1234567890", "²", "٣", "-1", "+1", " 1", "1.0", 5):
        with pytest.raises(BybitError, match="cursor: Value error, invalid cursor"):
            parse(OrderQueryParams, {"category": "linear", "cursor": cursor})


def test_times_stop_at_the_last_millisecond_of_9999() -> None:
    kline = {"symbol": "BTCUSDT", "interval": "M"}
    assert parse(KlineParams, {**kline, "end": str(MAX_TIME_MS)}).end == MAX_TIME_MS
    for end in (str(MAX_TIME_MS + 1), "1" * 5000, "-1", "²"):
        with pytest.raises(BybitError, match="params error: end"):
            parse(KlineParams, {**kline, "end": end})


def test_texts_are_bounded() -> None:
    assert parse(CreateOrderParams, {**ORDER, "qty": "1", "orderLinkId": "x" * 64})
    with pytest.raises(BybitError, match="orderLinkId: String should have at most 64"):
        parse(CreateOrderParams, {**ORDER, "qty": "1", "orderLinkId": "x" * 65})
    with pytest.raises(BybitError, match="symbol"):
        parse(CreateOrderParams, {**ORDER, "qty": "1", "symbol": "B" * 5000})
