"""Venue presets build the ccxt instance each venue needs, and unknown venues are named."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from typing import Any

import pytest

from console.config import load_settings
from console.exchange import (
    Credentials,
    ExchangeConnectionPool,
    UnknownVenue,
    VenueEndpoints,
    venue_preset,
)
from console.exchange.pool import credentials_fingerprint
from console.exchange.venues import market_load_requests

SIM = VenueEndpoints(rest_url="http://127.0.0.1:40001/", ws_url="ws://127.0.0.1:40002")


def settings_for(venue: str, **extra: Any) -> Any:
    return load_settings({"venue": venue, **extra}, environ={}, dotenv_path=None)


@pytest.fixture
def exchanges() -> Iterator[list[Any]]:
    """Instances built by a test; none opens a session (no request is made)."""
    built: list[Any] = []
    yield built
    for exchange in built:
        assert exchange.session is None


def test_sim_points_every_rest_and_ws_url_at_the_simulator(exchanges: list[Any]) -> None:
    exchange = venue_preset(settings_for("sim"), SIM).build(None)
    exchanges.append(exchange)

    api = exchange.urls["api"]
    for key in ("public", "private", "spot", "futures", "v2"):
        assert api[key] == "http://127.0.0.1:40001"
    assert api["ws"]["public"]["linear"] == "ws://127.0.0.1:40002/v5/public/linear"
    assert api["ws"]["public"]["spot"] == "ws://127.0.0.1:40002/v5/public/spot"
    assert api["ws"]["private"]["contract"] == "ws://127.0.0.1:40002/v5/private"


def test_bybit_presets_skip_the_probe_and_ccxts_throttle(exchanges: list[Any]) -> None:
    exchange = venue_preset(settings_for("sim", recv_window_ms=7000), SIM).build(None)
    exchanges.append(exchange)

    assert exchange.enableRateLimit is False
    assert exchange.has["fetchCurrencies"] is False
    assert exchange.options["enableUnifiedAccount"] is True
    assert exchange.options["enableUnifiedMargin"] is False
    assert exchange.options["fetchMarkets"]["types"] == ["spot", "linear"]
    assert exchange.options["recvWindow"] == 7000


def test_testnet_and_demo_switch_ccxts_urls(exchanges: list[Any]) -> None:
    testnet = venue_preset(settings_for("bybit-testnet")).build(None)
    demo = venue_preset(settings_for("bybit-demo")).build(None)
    mainnet = venue_preset(settings_for("bybit")).build(None)
    exchanges.extend([testnet, demo, mainnet])

    assert "api-testnet." in testnet.urls["api"]["public"]
    assert "api-demo." in demo.urls["api"]["private"]
    assert mainnet.urls["api"]["public"].startswith("https://api.{")


def test_other_ccxt_venues_keep_ccxts_throttle(exchanges: list[Any]) -> None:
    preset = venue_preset(settings_for("okx"))
    exchange = preset.build(None)
    exchanges.append(exchange)

    assert preset.is_bybit is False
    assert exchange.id == "okx"
    assert exchange.enableRateLimit is True


def test_unknown_venue_names_close_matches() -> None:
    with pytest.raises(UnknownVenue, match=r"'bybitt'.*did you mean bybit"):
        venue_preset(settings_for("bybitt"))


def test_sim_without_a_running_simulator_is_refused() -> None:
    with pytest.raises(UnknownVenue, match="running simulator"):
        venue_preset(settings_for("sim"))


def test_credentials_reach_ccxt_but_not_the_preset(exchanges: list[Any]) -> None:
    preset = venue_preset(settings_for("bybit"))
    credentials = Credentials(api_key="KEY-123", secret="CANARY-SECRET-0123456789")
    exchange = preset.build(credentials)
    exchanges.append(exchange)

    assert exchange.apiKey == "KEY-123"
    assert exchange.secret == "CANARY-SECRET-0123456789"
    assert "CANARY" not in repr(preset) + repr(credentials) + str(preset.config)


def test_fingerprint_is_stable_and_reveals_nothing() -> None:
    first = Credentials(api_key="KEY-123", secret="CANARY-SECRET-0123456789")
    same = Credentials(api_key="KEY-123", secret="CANARY-SECRET-0123456789")
    other = Credentials(api_key="KEY-123", secret="another-secret")

    assert credentials_fingerprint(first) == credentials_fingerprint(same)
    assert credentials_fingerprint(first) != credentials_fingerprint(other)
    assert "CANARY" not in credentials_fingerprint(first)
    assert credentials_fingerprint(None) == "public"


async def test_pool_shares_one_instance_per_venue_and_key() -> None:
    pool = ExchangeConnectionPool()
    preset = venue_preset(settings_for("sim"), SIM)
    other_sim = venue_preset(
        settings_for("sim"), VenueEndpoints(rest_url="http://127.0.0.1:40009", ws_url="ws://x")
    )
    key = Credentials(api_key="k", secret="s")

    first = pool.get_connection(preset, key)
    second = pool.get_connection(preset, key)
    public = pool.get_connection(preset, None)
    elsewhere = pool.get_connection(other_sim, key)

    assert first is second
    assert public is not first
    assert elsewhere is not first
    assert "instances=3" in repr(pool)
    pool.release_connection(first)
    assert pool.get_connection(preset, key) is first
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        await pool.close_all()
    assert "instances=0" in repr(pool)
    with pytest.raises(ValueError, match="does not belong"):
        pool.release_connection(first)


@pytest.mark.parametrize(
    ("venue", "expected"),
    [
        ("binance", 7000),
        ("binanceusdm", 7000),
        ("mexc", 7000),
        ("bingx", 7000),
        ("xt", "7000"),  # ccxt keeps xt's window as text
        ("okx", None),
        ("kraken", None),
    ],
)
def test_recv_window_reaches_every_ccxt_venue_that_has_one(
    exchanges: list[Any], venue: str, expected: int | str | None
) -> None:
    """ccxt's classes with a ``recvWindow`` option get the console's setting; the others
    are left without one (ccxt would ignore it, and a reader would think it applies)."""
    exchange = venue_preset(settings_for(venue, recv_window_ms=7000)).build(None)
    exchanges.append(exchange)

    assert exchange.options.get("recvWindow") == expected


def test_a_market_load_counts_one_request_per_market_type(exchanges: list[Any]) -> None:
    bybit = venue_preset(settings_for("bybit")).build(None)
    okx = venue_preset(settings_for("okx")).build(None)
    kraken = venue_preset(settings_for("kraken")).build(None)
    exchanges.extend([bybit, okx, kraken])

    assert market_load_requests(bybit) == 2, "spot and linear"
    assert market_load_requests(okx) == len(okx.options["fetchMarkets"]["types"])
    assert market_load_requests(kraken) == 1
