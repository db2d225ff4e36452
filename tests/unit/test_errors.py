"""Every Bybit retCode and ccxt exception the console meets maps to a readable taxonomy error.

The ccxt exceptions are raised by ccxt's own bybit error handler from Bybit-shaped bodies,
so the tests see exactly the class and message text the client will see.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import ccxt.async_support as ccxt
import pytest

from console.exchange import errors
from console.exchange.errors import translate

URL = "https://api.bybit.com/v5/order/create"
NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


@pytest.fixture(scope="module")
def bybit() -> ccxt.Exchange:
    return ccxt.bybit()


def ccxt_error_for(bybit: ccxt.Exchange, code: int, message: str) -> BaseException:
    """The exception ccxt's bybit raises for an HTTP 200 answer with this retCode."""
    body = json.dumps(
        {"retCode": code, "retMsg": message, "result": {}, "retExtInfo": {}, "time": 1},
        separators=(",", ":"),
    )
    with pytest.raises(ccxt.BaseError) as caught:
        bybit.handle_errors(200, "OK", URL, "POST", {}, body, json.loads(body), {}, None)
    error: BaseException = caught.value
    return error


def http_error_for(bybit: ccxt.Exchange, status: int, reason: str, body: str) -> BaseException:
    with pytest.raises(ccxt.BaseError) as caught:
        bybit.handle_http_status_code(status, reason, URL + "?symbol=X&sign=abc", "GET", body)
    error: BaseException = caught.value
    return error


@pytest.mark.parametrize(
    ("code", "venue_message", "expected", "words"),
    [
        (10001, "Not supported symbols", errors.BadSymbol, "does not trade"),
        (10001, "params error: qty invalid", errors.RequestRejected, "qty invalid"),
        (
            10002,
            "invalid request, please check your server timestamp",
            errors.AuthenticationFailed,
            "clock",
        ),
        (10003, "API key is invalid.", errors.AuthenticationFailed, "API key rejected"),
        (
            10004,
            "error sign! origin_string[1700000000000KEY5000]",
            errors.AuthenticationFailed,
            "secret",
        ),
        (
            10005,
            "Permission denied, please check your API key permissions.",
            errors.PermissionDenied,
            "may not",
        ),
        (10006, "Too many visits!", errors.RateLimited, "Rate limited"),
        (
            10010,
            "Unmatched IP, please check your API key's bound IP addresses.",
            errors.PermissionDenied,
            "whitelisted",
        ),
        (10016, "Server error.", errors.ExchangeUnavailable, "internal error"),
        (110001, "order not exists or too late to cancel", errors.OrderNotFound, "not found"),
        (110003, "Order price is out of permissible range", errors.OrderRejected, "price"),
        (110004, "Insufficient wallet balance", errors.InsufficientFunds, "Insufficient funds"),
        (110007, "ab not enough for new order", errors.InsufficientFunds, "Insufficient funds"),
        (110012, "Insufficient available balance", errors.InsufficientFunds, "Insufficient"),
        (110008, "The order has been finished or canceled", errors.OrderRejected, "already filled"),
        (110017, "orderQty will be truncated to zero", errors.OrderRejected, "rounds to zero"),
        (110072, "OrderLinkedID is duplicate", errors.DuplicateClientOrderId, "duplicate"),
        (110094, "Order does not meet minimum order value", errors.OrderRejected, "minimum"),
        (170131, "Insufficient balance.", errors.InsufficientFunds, "Insufficient"),
        (170136, "Order quantity is lower than the minimum", errors.OrderRejected, "quantity"),
        (170140, "Order value exceeded lower limit", errors.OrderRejected, "value"),
        (170141, "Duplicate clientOrderId", errors.DuplicateClientOrderId, "duplicate"),
        (170213, "Order does not exist.", errors.OrderNotFound, "not found"),
    ],
)
def test_retcode_maps_to_a_readable_error(
    bybit: ccxt.Exchange,
    code: int,
    venue_message: str,
    expected: type[errors.ExchangeError],
    words: str,
) -> None:
    translated = translate(ccxt_error_for(bybit, code, venue_message), now=NOW)

    assert type(translated) is expected
    assert translated.code == code
    assert words in str(translated)
    assert f"(code {code})" in str(translated)
    assert "{" not in str(translated), "no raw JSON in a trader's message"


def test_rejections_carry_the_venues_reason(bybit: ccxt.Exchange) -> None:
    translated = translate(ccxt_error_for(bybit, 110003, "Order price is out of range"))

    assert isinstance(translated, errors.OrderRejected)
    assert translated.reason == "Order price is out of range"


def test_timeout_inside_the_venue_is_an_unknown_outcome(bybit: ccxt.Exchange) -> None:
    error = ccxt_error_for(bybit, 10016, "Request timeout, please try again later")

    assert isinstance(translate(error), errors.RequestTimedOut)


def test_signature_error_never_echoes_the_origin_string(bybit: ccxt.Exchange) -> None:
    error = ccxt_error_for(
        bybit, 10004, "error sign! origin_string[1700000000000CANARYKEY5000category=spot]"
    )
    assert "CANARYKEY" in str(error), "precondition: ccxt's own text leaks the key"

    translated = translate(error)

    assert "CANARYKEY" not in str(translated)
    assert "CANARYKEY" not in repr(translated)


def test_unknown_retcode_keeps_the_venues_words(bybit: ccxt.Exchange) -> None:
    translated = translate(ccxt_error_for(bybit, 999999, "Something odd happened"))

    assert type(translated) is errors.ExchangeError
    assert str(translated) == "The exchange reported an error: Something odd happened (code 999999)"


def test_http_403_is_an_ip_ban_with_an_end(bybit: ccxt.Exchange) -> None:
    translated = translate(http_error_for(bybit, 403, "Forbidden", "access too frequent"), now=NOW)

    assert isinstance(translated, errors.VenueHalted)
    assert translated.until == NOW + timedelta(minutes=10)
    assert "03:14:05" in str(translated)
    assert "sign=abc" not in str(translated)


def test_http_429_is_rate_limited(bybit: ccxt.Exchange) -> None:
    translated = translate(http_error_for(bybit, 429, "Too Many Requests", ""))

    assert isinstance(translated, errors.RateLimited)


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (500, errors.ExchangeUnavailable),
        (502, errors.ExchangeUnavailable),
        (504, errors.RequestTimedOut),
        (401, errors.AuthenticationFailed),
    ],
)
def test_http_statuses(
    bybit: ccxt.Exchange, status: int, expected: type[errors.ExchangeError]
) -> None:
    translated = translate(http_error_for(bybit, status, "Whatever", "<html>oops</html>"))

    assert isinstance(translated, expected)
    assert "<html>" not in str(translated)


@pytest.mark.parametrize(
    ("raised", "expected"),
    [
        (ccxt.BadSymbol("okx does not have market symbol FOO/BAR"), errors.BadSymbol),
        (
            ccxt.InsufficientFunds("binance Account has insufficient balance"),
            errors.InsufficientFunds,
        ),
        (ccxt.OrderNotFound("okx order 12 not found"), errors.OrderNotFound),
        (ccxt.DuplicateOrderId("kraken duplicate"), errors.DuplicateClientOrderId),
        (ccxt.InvalidOrder("okx order size too small"), errors.OrderRejected),
        (ccxt.PermissionDenied("okx no permission"), errors.PermissionDenied),
        (ccxt.AuthenticationError("okx invalid key"), errors.AuthenticationFailed),
        (ccxt.InvalidNonce("binance timestamp ahead"), errors.AuthenticationFailed),
        (ccxt.RateLimitExceeded("okx slow down"), errors.RateLimited),
        (ccxt.DDoSProtection("cloudflare"), errors.RateLimited),
        (ccxt.RequestTimeout("bybit GET https://x/v5/order/create"), errors.RequestTimedOut),
        (ccxt.OnMaintenance("okx maintenance"), errors.ExchangeUnavailable),
        (ccxt.ExchangeNotAvailable("okx GET https://x down"), errors.ExchangeUnavailable),
        (ccxt.NetworkError("reset by peer"), errors.ExchangeUnavailable),
        (ccxt.BadResponse("not json"), errors.MalformedResponse),
        (ccxt.BadRequest("okx bad"), errors.RequestRejected),
        (ccxt.ArgumentsRequired("bybit fetchOrder() requires a symbol"), errors.RequestRejected),
        (ccxt.NotSupported("okx fetchFoo() not supported"), errors.RequestRejected),
        (ccxt.ExchangeClosedByUser("closed"), errors.ExchangeUnavailable),
        (ccxt.ExchangeError("okx mysterious"), errors.ExchangeError),
        (TimeoutError(), errors.RequestTimedOut),
        (ConnectionResetError("peer"), errors.ExchangeUnavailable),
        (KeyError("apiKey=CANARY"), errors.ExchangeError),
    ],
)
def test_exception_classes_map(raised: BaseException, expected: type[errors.ExchangeError]) -> None:
    translated = translate(raised)

    assert type(translated) is expected
    assert str(translated)


def test_unvetted_exception_text_is_not_repeated() -> None:
    translated = translate(KeyError("apiKey=CANARY"))

    assert "CANARY" not in str(translated)
    assert "KeyError" in str(translated)


def test_translating_twice_changes_nothing() -> None:
    original = errors.RateLimited("slow down", retry_after=1.5)

    assert translate(original) is original


@pytest.mark.parametrize(
    "text",
    [
        "X-BAPI-API-KEY: CANARY123 and more",
        "apiKey=CANARY123&x=1",
        "origin_string[17000CANARY1235000]",
        "https://host/v5/x?api_key=CANARY123&sign=zz",
        "secret: 'CANARY123'",
    ],
)
def test_sanitize_removes_credentials(text: str) -> None:
    assert "CANARY123" not in errors.sanitize(text)


def test_sanitize_leaves_plain_words_alone() -> None:
    text = "Signature for this request is not valid, check the secret you use"

    assert errors.sanitize(text) == text


def test_sanitize_caps_length() -> None:
    assert len(errors.sanitize("word " * 200)) <= 160
