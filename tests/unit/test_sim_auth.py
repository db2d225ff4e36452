"""Signing, the recv-window rule, rate-limit windows, the IP ban, fault switches, params."""

from __future__ import annotations

import hashlib
from decimal import Decimal

import ccxt
import pytest

from console.sim.auth import ApiCredential, authenticate, sign
from console.sim.envelopes import BybitError
from console.sim.faults import FaultCommand, RestFaults
from console.sim.limits import IpLimiter, RollingWindows, endpoint_limit
from console.sim.params import CreateOrderParams, KlineParams, parse

NOW = 1_767_225_600_000
CREDENTIALS = {"key-1": ApiCredential("key-1", "s3cret", "1000001")}


def headers(
    payload: str, *, key: str = "key-1", secret: str = "s3cret", stamp: int = NOW
) -> dict[str, str]:
    return {
        "X-BAPI-API-KEY": key,
        "X-BAPI-TIMESTAMP": str(stamp),
        "X-BAPI-RECV-WINDOW": "5000",
        "X-BAPI-SIGN": sign(secret, str(stamp), key, "5000", payload),
    }


def test_signature_matches_ccxt_on_the_documented_string() -> None:
    """Bybit's doc vector (its secret is unpublished, so ``secret``), checked against ccxt."""
    payload = "category=option&symbol=BTC-29JUL22-25000-C"
    digest = sign("secret", "1658384314791", "XXXXXXXXXX", "5000", payload)
    message = f"1658384314791XXXXXXXXXX5000{payload}".encode()
    assert digest == ccxt.Exchange.hmac(message, b"secret", hashlib.sha256)
    assert digest == "02e9182e346177050f199ce1e0703d738589e3763805ed71590ced65539a73a7"


def test_valid_request_returns_the_credential_and_secret_stays_out_of_repr() -> None:
    credential = authenticate(headers("a=1&b=2"), "a=1&b=2", CREDENTIALS, NOW)
    assert credential.uid == "1000001"
    assert "s3cret" not in repr(credential)


@pytest.mark.parametrize(
    ("request_headers", "payload", "code", "fragment"),
    [
        (headers("x", key="nobody"), "x", 10003, "API key is invalid"),
        (headers("x", stamp=NOW - 5001), "x", 10002, "req_timestamp[1767225594999]"),
        (headers("x", stamp=NOW + 1000), "x", 10002, "server_timestamp[1767225600000]"),
        (headers("x", secret="wrong"), "x", 10004, "error sign! origin_string["),
        (headers("a=1&b=2"), "b=2&a=1", 10004, "b=2&a=1"),
    ],
)
def test_auth_failures_use_bybit_codes(
    request_headers: dict[str, str], payload: str, code: int, fragment: str
) -> None:
    with pytest.raises(BybitError) as caught:
        authenticate(request_headers, payload, CREDENTIALS, NOW)
    assert caught.value.code == code
    assert fragment in caught.value.message
    assert "s3cret" not in caught.value.message


def test_timestamp_just_inside_the_window_passes() -> None:
    assert authenticate(headers("x", stamp=NOW - 5000), "x", CREDENTIALS, NOW)
    assert authenticate(headers("x", stamp=NOW + 999), "x", CREDENTIALS, NOW)


def test_rolling_window_counts_down_then_refuses_until_the_oldest_expires() -> None:
    windows = RollingWindows()
    key = ("1000001", "/v5/order/create", "linear")
    decisions = [windows.hit(key, 10, NOW + i) for i in range(10)]
    assert [d.remaining for d in decisions] == list(range(9, -1, -1))
    assert decisions[0].reset_ms == NOW
    refused = windows.hit(key, 10, NOW + 500)
    assert not refused.allowed
    assert refused.headers() == {
        "X-Bapi-Limit": "10",
        "X-Bapi-Limit-Status": "0",
        "X-Bapi-Limit-Reset-Timestamp": str(NOW + 1000),
    }
    assert windows.hit(key, 10, NOW + 1000).allowed


def test_documented_endpoint_budgets() -> None:
    assert endpoint_limit("/v5/order/create", "linear") == 10
    assert endpoint_limit("/v5/order/create", "spot") == 20
    assert endpoint_limit("/v5/order/amend", "spot") == 10
    assert endpoint_limit("/v5/order/realtime", "linear") == 50
    assert endpoint_limit("/v5/account/wallet-balance", None) == 50


def test_ip_limit_bans_for_the_configured_time() -> None:
    limiter = IpLimiter(limit=3, window_ms=5000, ban_seconds=2)
    assert all(limiter.allow("1.2.3.4", NOW + i) for i in range(3))
    assert not limiter.allow("1.2.3.4", NOW + 3)
    assert limiter.allow("5.6.7.8", NOW + 3)
    assert not limiter.allow("1.2.3.4", NOW + 1999)
    assert limiter.allow("1.2.3.4", NOW + 2003)
    limiter.ban_everyone(1, NOW + 3000)
    assert limiter.banned("5.6.7.8", NOW + 3500)


def test_fault_switches_fire_for_count_or_seeded_fraction() -> None:
    faults = RestFaults(seed=1)
    faults.rate_limit(2, path="/v5/order/create")
    assert faults.take("/v5/market/time", "rate_limit") is None
    assert faults.take("/v5/order/create", "rate_limit") is not None
    assert faults.take("/v5/order/create", "rate_limit") is not None
    assert faults.take("/v5/order/create", "rate_limit") is None
    faults.drop_response(None, probability=0.5)
    fired = [faults.take("/v5/order/create", "drop_response") is not None for _ in range(40)]
    again = RestFaults(seed=1)
    again.drop_response(None, probability=0.5)
    assert fired == [again.take("/v5/order/create", "drop_response") is not None for _ in range(40)]
    assert 5 < sum(fired) < 35
    faults.clear()
    assert faults.armed == []
    with pytest.raises(RuntimeError):
        faults.ban(5)


@pytest.mark.parametrize(
    "body",
    [
        {"action": "delay"},
        {"action": "reset"},
        {"action": "rate_limit", "count": 0},
        {"action": "explode"},
    ],
)
def test_fault_commands_are_validated(body: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="validation error"):
        FaultCommand.model_validate(body)


def test_params_parse_exact_decimals_and_name_the_bad_field() -> None:
    order = parse(
        CreateOrderParams,
        {
            "category": "linear",
            "symbol": "BTCUSDT",
            "side": "Buy",
            "orderType": "Limit",
            "qty": "0.001",
            "price": 60000.5,
            "reduceOnly": "true",
        },
    )
    assert order.qty == Decimal("0.001")
    assert order.price == Decimal("60000.5")
    assert order.reduceOnly is True
    with pytest.raises(BybitError, match="qty") as caught:
        parse(
            CreateOrderParams,
            {
                "category": "linear",
                "symbol": "X",
                "side": "Buy",
                "orderType": "Limit",
                "qty": "abc",
            },
        )
    assert caught.value.code == 10001
    with pytest.raises(BybitError, match="params error: side"):
        parse(
            CreateOrderParams,
            {"category": "linear", "symbol": "X", "side": "buy", "orderType": "Limit", "qty": "1"},
        )
    with pytest.raises(BybitError, match="limit"):
        parse(KlineParams, {"symbol": "BTCUSDT", "interval": "1", "limit": "many"})
    assert parse(KlineParams, {"symbol": "BTCUSDT", "interval": "1", "start": ""}).start is None
