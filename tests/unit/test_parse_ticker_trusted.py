"""``parse_ticker`` builds the ``Ticker`` without pydantic's validation when every value is
already checked; for any ccxt ticker, valid or not, it must give what the fully validated
build gives (the same values, each of the same type and text) or refuse it with the same
message."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from console.domain import Ticker
from console.domain import plausibility as plausible
from console.exchange.errors import MalformedResponse
from console.exchange.parse import (
    _boundary,
    _build,
    _field,
    _optional_price,
    _optional_size,
    _time,
    optional_decimal,
    parse_ticker,
)

RECEIVED = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
FIELDS = ("last", "bid", "ask", "bidVolume", "askVolume", "high", "low", "baseVolume", "percentage")


@_boundary("ticker")
def validated_ticker(ticker: Mapping[str, Any], *, received_at: datetime) -> Ticker:
    """The checked path: the parser's checks, then the model's full validation."""
    symbol = _field(ticker, "symbol", "ticker")
    bid = _optional_price(ticker.get("bid"), "bid")
    ask = _optional_price(ticker.get("ask"), "ask")
    plausible.uncrossed(bid, ask, f"ticker {symbol}")
    return _build(
        Ticker,
        f"ticker {symbol}",
        symbol=symbol,
        timestamp=_time(ticker.get("timestamp")) or received_at,
        last=_optional_price(ticker.get("last"), "last price"),
        bid=bid,
        ask=ask,
        bid_size=_optional_size(ticker.get("bidVolume"), "bid size"),
        ask_size=_optional_size(ticker.get("askVolume"), "ask size"),
        high_24h=_optional_price(ticker.get("high"), "24h high"),
        low_24h=_optional_price(ticker.get("low"), "24h low"),
        volume_24h=_optional_size(ticker.get("baseVolume"), "24h volume"),
        change_24h_pct=optional_decimal(ticker.get("percentage"), "24h change"),
    )


def outcome(parse: Any, ticker: Mapping[str, Any], received_at: datetime) -> object:
    """The ticker as values with their types and texts, or the refusal's message."""
    try:
        result = parse(ticker, received_at=received_at)
    except MalformedResponse as error:
        return ("refused", str(error))
    return (
        result,
        {name: (type(value), str(value)) for name, value in result.__dict__.items()},
        result.model_fields_set,
    )


numbers = st.one_of(
    st.none(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(min_value=0.01, max_value=1e7),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.sampled_from(["", "65000.5", "-1", "0", "abc", "1e30", "NaN", " 7 "]),
    st.booleans(),
)
symbols = st.one_of(
    st.just("BTC/USDT:USDT"), st.text(max_size=12), st.none(), st.integers(), st.just(b"BTC")
)
timestamps = st.one_of(
    st.none(),
    st.integers(min_value=0, max_value=2 * 10**12),
    st.just(int(RECEIVED.timestamp() * 1000)),
    st.just(1.7e12),
    st.sampled_from(["1700000000000", float("nan")]),
)
moments = st.sampled_from(
    [
        RECEIVED,
        RECEIVED.replace(tzinfo=None),
        RECEIVED.astimezone(timezone(timedelta(hours=2))),
    ]
)


plain = st.one_of(st.none(), st.floats(min_value=1e-8, max_value=1e9), st.just(0.0))


@st.composite
def tickers(draw: st.DrawFn) -> dict[str, Any]:
    """Mostly what ccxt hands over (floats, None, an uncrossed book), with a few fields
    replaced by anything a broken venue could send."""
    ticker: dict[str, Any] = {name: draw(plain) for name in FIELDS}
    bid, ask = ticker["bid"], ticker["ask"]
    if bid is not None and ask is not None and bid >= ask:
        ticker["bid"], ticker["ask"] = ask / 2, bid
    ticker["symbol"] = "BTC/USDT:USDT"
    ticker["timestamp"] = None
    for name in draw(st.lists(st.sampled_from((*FIELDS, "symbol", "timestamp")), max_size=3)):
        if name == "symbol":
            ticker["symbol"] = draw(symbols)
        elif name == "timestamp":
            ticker["timestamp"] = draw(timestamps)
        else:
            ticker[name] = draw(numbers)
    if draw(st.booleans()) and draw(st.booleans()):
        del ticker["symbol"]
    return ticker


VALID = {
    "symbol": "BTC/USDT:USDT",
    "timestamp": None,
    "last": 65000.7,
    "bid": 65000.5,
    "ask": 65001.0,
    "bidVolume": 1.234,
    "askVolume": 0.5,
    "high": 67000.5,
    "low": 64000.1,
    "baseVolume": 12345.6,
    "percentage": -0.76,
}


@settings(derandomize=True, max_examples=800, suppress_health_check=[HealthCheck.too_slow])
@given(tickers(), moments)
@example(VALID, RECEIVED)
@example({**VALID, "bid": "65001.0"}, RECEIVED)  # crossed
@example({**VALID, "symbol": 7}, RECEIVED)
@example({**VALID, "percentage": float("nan")}, RECEIVED)
@example({**VALID, "last": 0.0, "bid": None, "percentage": "1.50"}, RECEIVED)
@example(VALID, RECEIVED.replace(tzinfo=None))
def test_the_ticker_parsed_without_validation_is_the_validated_one(
    ticker: dict[str, Any], received_at: datetime
) -> None:
    fast = outcome(parse_ticker, ticker, received_at)

    assert fast == outcome(validated_ticker, ticker, received_at)
