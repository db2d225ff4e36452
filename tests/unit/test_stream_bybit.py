"""Bybit protocol helpers: symbol mapping, topics, requests, pongs."""

from __future__ import annotations

import itertools

import orjson
import pytest

from console.config import Settings, StreamSettings
from console.domain import GapPolicy, MarketType
from console.stream import RealTimeMarketDataStreamer, bybit, streamer_for
from console.stream.bybit import BybitSymbol
from console.stream.ccxtpro import CcxtProMarketDataStreamer


@pytest.mark.parametrize(
    ("unified", "category", "venue_id"),
    [
        ("BTC/USDT:USDT", MarketType.LINEAR, "BTCUSDT"),
        ("ETH/USDT", MarketType.SPOT, "ETHUSDT"),
        ("1000PEPE/USDT:USDT", MarketType.LINEAR, "1000PEPEUSDT"),
    ],
)
def test_unified_symbols_map_to_category_and_id(
    unified: str, category: MarketType, venue_id: str
) -> None:
    symbol = BybitSymbol(unified)
    assert symbol.category is category
    assert symbol.venue_id == venue_id
    assert symbol.book_topic(50) == f"orderbook.50.{venue_id}"
    assert symbol.trade_topic() == f"publicTrade.{venue_id}"


@pytest.mark.parametrize("bad", ["BTCUSDT", "btc/usdt", "BTC/USD:BTC", ""])
def test_bad_symbols_are_refused(bad: str) -> None:
    with pytest.raises(ValueError, match=r"symbol|settled"):
        BybitSymbol(bad)


def test_only_bybit_depths() -> None:
    with pytest.raises(ValueError, match="depth"):
        BybitSymbol("BTC/USDT").book_topic(25)


def test_spot_requests_are_chunked_by_ten() -> None:
    topics = [f"publicTrade.C{i}USDT" for i in range(23)]
    ids = itertools.count(1)
    spot = bybit.subscription_requests("subscribe", topics, MarketType.SPOT, ids)
    assert [len(orjson.loads(r)["args"]) for r in spot] == [10, 10, 3]
    linear = bybit.subscription_requests("subscribe", topics, MarketType.LINEAR, ids)
    assert len(linear) == 1
    body = orjson.loads(linear[0])
    assert body == {"req_id": "4", "op": "subscribe", "args": topics}


def test_every_pong_shape() -> None:
    assert bybit.is_pong({"success": True, "ret_msg": "pong", "conn_id": "x", "op": "ping"})
    assert bybit.is_pong({"req_id": "t", "op": "pong", "args": ["1675418560633"]})
    assert not bybit.is_pong({"success": True, "ret_msg": "", "op": "subscribe"})


def test_urls_and_gap_policy() -> None:
    assert (
        bybit.public_url("ws://127.0.0.1:9/", MarketType.SPOT) == "ws://127.0.0.1:9/v5/public/spot"
    )
    assert bybit.gap_policy(StreamSettings()) is GapPolicy.STRICT
    assert bybit.gap_policy(StreamSettings(tolerate_gaps=True)) is GapPolicy.TOLERATE


def test_factory_picks_the_adapter_by_venue() -> None:
    sim = streamer_for(Settings(venue="sim"), "ws://127.0.0.1:1")
    assert isinstance(sim, RealTimeMarketDataStreamer)
    assert sim.ws_base_url == "ws://127.0.0.1:1"
    testnet = streamer_for(Settings(venue="bybit-testnet"))
    assert isinstance(testnet, RealTimeMarketDataStreamer)
    assert testnet.ws_base_url == bybit.TESTNET_WS
    other = streamer_for(Settings(venue="okx"))
    assert isinstance(other, CcxtProMarketDataStreamer)
    assert other.exchange.id == "okx"
    with pytest.raises(ValueError, match="ws_url"):
        streamer_for(Settings(venue="sim"))
