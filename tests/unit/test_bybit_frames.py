"""The typed Bybit frame schemas agree with the samples, the simulator and the feed's checks."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import orjson
import pytest
from pydantic import BaseModel, ValidationError

from console.sim.market import SimMarket, SimTrade
from console.sim.ws_publishers import BookPublisher, TradePublisher
from console.stream.bybit_frames import (
    BybitBookFrame,
    BybitControlFrame,
    BybitTradeFrame,
)
from console.stream.bybit_public import BybitPublicFeed

from support.stream import linear_feed

FIXTURES = Path(__file__).parents[1] / "fixtures" / "bybit"
SAMPLES: dict[str, type[BaseModel]] = {
    "orderbook-snapshot.json": BybitBookFrame,
    "orderbook-delta.json": BybitBookFrame,
    "public-trade.json": BybitTradeFrame,
    "pong-linear.json": BybitControlFrame,
    "subscribe-ack-spot.json": BybitControlFrame,
}


def sample(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((FIXTURES / name).read_text())
    return loaded


def make_feed() -> BybitPublicFeed:
    return linear_feed()


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_every_sample_fits_its_schema(name: str) -> None:
    SAMPLES[name].model_validate_json((FIXTURES / name).read_text())


def test_the_feed_takes_the_samples() -> None:
    feed = make_feed()
    state = feed.state("BTC/USDT:USDT")
    assert state is not None
    snapshot = sample("orderbook-snapshot.json")
    feed.on_frame(orjson.dumps(snapshot))
    view = state.book.snapshot()
    assert view is not None
    assert view.best_bid is not None
    assert view.best_ask is not None
    assert (str(view.best_bid.price), str(view.best_ask.price)) == ("16493.50", "16611.00")
    delta = sample("orderbook-delta.json")  # another day's prices: only its shape matters
    delta["data"]["u"] = snapshot["data"]["u"] + 1
    feed.on_frame(orjson.dumps(delta))
    assert state.book.sequence == snapshot["data"]["u"] + 1
    feed.on_frame(orjson.dumps(sample("public-trade.json")))
    feed.on_frame(orjson.dumps(sample("pong-linear.json")))
    assert feed.counters.malformed == 0
    assert [t.trade_id for t in state.recent_trades(5)] == ["20f43950-d8dd-5b31-9112-a178eb6023af"]


def test_the_simulators_frames_fit_the_schemas() -> None:
    market = SimMarket(seed=3, start_ms=1_700_000_000_000)
    rng = random.Random(3)
    book = BookPublisher(market, market.book("linear", "BTCUSDT"), 50, rng)
    trades = TradePublisher("linear", "BTCUSDT", rng)

    def on_trade(trade: SimTrade) -> None:
        if trade.category == "linear" and trade.symbol == "BTCUSDT":
            trades.add(trade)

    market.add_trade_listener(on_trade)
    BybitBookFrame.model_validate_json(orjson.dumps(book.snapshot_frame()))
    seen = {"delta": 0, "trades": 0}
    for _ in range(300):
        market.step(2)
        delta, printed = book.poll(), trades.flush()
        if delta is not None:
            BybitBookFrame.model_validate_json(orjson.dumps(delta))
            seen["delta"] += 1
        if printed is not None:
            BybitTradeFrame.model_validate_json(orjson.dumps(printed))
            seen["trades"] += 1
    assert seen["delta"] > 0
    assert seen["trades"] > 0


TRADE_ROW: dict[str, Any] = sample("public-trade.json")["data"][0]
HOSTILE_ROWS: list[dict[str, Any]] = [
    {"T": 10**17},
    {"T": 5},
    {"T": "1672304486865"},
    {"p": "1e999999"},
    {"p": "-1"},
    {"p": "9" * 5000},
    {"p": 16578.5},
    {"v": "NaN"},
    {"S": "Short"},
    {"i": ""},
    {"i": None},
]


@pytest.mark.parametrize("change", HOSTILE_ROWS, ids=lambda c: repr(c)[:30])
def test_the_schema_and_the_feed_both_refuse_a_hostile_trade(change: dict[str, Any]) -> None:
    frame = sample("public-trade.json")
    frame["data"] = [{**TRADE_ROW, **change}]
    feed = make_feed()
    feed.on_frame(json.dumps(frame).encode())
    assert feed.counters.malformed == 1
    if "T" in change and change["T"] == 10**17:
        return  # "too far ahead" needs the clock: the feed's rule, not the schema's
    with pytest.raises(ValidationError):
        BybitTradeFrame.model_validate_json(json.dumps(frame))
