"""The Bybit feed's frame handling, offline: books, trades, malformed frames, gaps, health."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import orjson

from console.config import StreamSettings
from console.domain import ManualClock, StreamState, Trade
from console.stream.bybit_public import BybitPublicFeed
from console.stream.listeners import ListenerSet

from support.stream import linear_feed

TOPIC = "orderbook.50.BTCUSDT"


class Recorder:
    def __init__(self) -> None:
        self.books: list[str] = []
        self.trades: list[Trade] = []

    def on_book_update(self, symbol: str) -> None:
        self.books.append(symbol)

    def on_trades(self, symbol: str, trades: Sequence[Trade]) -> None:
        self.trades.extend(trades)


class Exploding:
    def on_book_update(self, symbol: str) -> None:
        raise RuntimeError("listener bug")

    def on_trades(self, symbol: str, trades: Sequence[Trade]) -> None:
        raise RuntimeError("listener bug")


def make_feed(**settings: Any) -> tuple[BybitPublicFeed, Recorder, ManualClock]:
    listeners = ListenerSet()
    recorder = Recorder()
    listeners.add(Exploding())
    listeners.add(recorder)
    clock = ManualClock()
    feed = linear_feed(settings=StreamSettings(**settings), clock=clock, listeners=listeners)
    return feed, recorder, clock


def book_frame(kind: str, u: int, bids: list[list[str]], asks: list[list[str]]) -> bytes:
    data = {"s": "BTCUSDT", "b": bids, "a": asks, "u": u, "seq": 1}
    return orjson.dumps({"topic": TOPIC, "type": kind, "ts": 1_700_000_000_000, "data": data})


def test_snapshot_and_delta_reach_the_book_and_listeners() -> None:
    feed, recorder, _ = make_feed()
    feed.on_frame(book_frame("snapshot", 100, [["10.0", "1"]], [["10.5", "2"]]))
    feed.on_frame(book_frame("delta", 101, [["10.1", "3"]], []))
    state = feed.state("BTC/USDT:USDT")
    assert state is not None
    view = state.book.snapshot()
    assert view is not None
    assert view.best_bid is not None
    assert view.best_bid.price == Decimal("10.1")
    assert view.sequence == 101
    assert view.received_at == ManualClock().now()
    assert recorder.books == ["BTC/USDT:USDT"] * 2
    assert feed.latest_exchange_ms == 1_700_000_000_000


def test_malformed_frames_are_counted_never_raised() -> None:
    feed, _, _ = make_feed()
    feed.on_frame(book_frame("snapshot", 100, [["10.0", "1"]], [["10.5", "2"]]))
    for raw in (
        b"{not json",
        b"[1, 2]",
        b'"text"',
        orjson.dumps({"topic": TOPIC, "type": "delta"}),
        orjson.dumps({"topic": TOPIC, "type": "delta", "data": {"u": "101", "b": [], "a": []}}),
    ):
        feed.on_frame(raw)
    assert feed.counters.malformed == 5
    state = feed.state("BTC/USDT:USDT")
    assert state is not None
    assert state.book.resyncing  # a broken book frame invalidates the book
    assert feed.counters.resyncs >= 1


def test_gap_resyncs_and_health_says_so() -> None:
    feed, _, _ = make_feed()
    feed.counters.state = StreamState.LIVE
    feed.on_frame(book_frame("snapshot", 100, [["10.0", "1"]], [["10.5", "2"]]))
    assert feed.health().state is StreamState.LIVE
    feed.on_frame(book_frame("delta", 103, [["10.1", "3"]], []))
    health = feed.health()
    assert health.gaps == 1
    assert health.resyncs == 1
    assert health.state is StreamState.RESYNCING
    feed.on_frame(book_frame("snapshot", 200, [["10.0", "1"]], [["10.5", "2"]]))
    assert feed.health().state is StreamState.LIVE


def test_tolerated_gaps_are_counted_and_applied() -> None:
    feed, _, _ = make_feed(tolerate_gaps=True)
    feed.on_frame(book_frame("snapshot", 100, [["10.0", "1"]], [["10.5", "2"]]))
    feed.on_frame(book_frame("delta", 105, [["10.1", "3"]], []))
    state = feed.state("BTC/USDT:USDT")
    assert state is not None
    view = state.book.snapshot()
    assert view is not None
    assert view.sequence == 105
    assert feed.counters.gaps == 1
    assert feed.counters.resyncs == 0


def trade_frame(rows: list[dict[str, Any]]) -> bytes:
    return orjson.dumps({"topic": "publicTrade.BTCUSDT", "type": "snapshot", "data": rows})


def test_trades_enter_window_tape_and_listeners() -> None:
    feed, recorder, _ = make_feed()
    rows = [
        {"T": 1_700_000_000_001, "s": "BTCUSDT", "S": "Buy", "v": "0.5", "p": "100.5", "i": "a"},
        {"T": 1_700_000_000_003, "s": "BTCUSDT", "S": "Sell", "v": "2", "p": "100.4", "i": "c"},
    ]
    feed.on_frame(trade_frame(rows))
    state = feed.state("BTC/USDT:USDT")
    assert state is not None
    stats = state.trade_stats(None)
    assert stats.trade_count == 2
    assert stats.buy_volume == Decimal("0.5")
    assert stats.sell_volume == Decimal(2)
    assert [t.trade_id for t in state.recent_trades(5)] == ["c", "a"]
    assert [t.trade_id for t in recorder.trades] == ["a", "c"]
    assert feed.counters.malformed == 0
    assert feed.latest_exchange_ms == 1_700_000_000_003


def test_a_trade_frame_with_one_bad_row_is_dropped_whole() -> None:
    feed, recorder, _ = make_feed()
    rows = [
        {"T": 1_700_000_000_001, "s": "BTCUSDT", "S": "Buy", "v": "0.5", "p": "100.5", "i": "a"},
        {"T": 1_700_000_000_002, "s": "BTCUSDT", "S": "Sell", "v": "-1", "p": "100.4", "i": "b"},
    ]
    feed.on_frame(trade_frame(rows))
    state = feed.state("BTC/USDT:USDT")
    assert state is not None
    assert state.trade_stats(None).trade_count == 0
    assert recorder.trades == []
    assert feed.counters.malformed == 1


def test_refusals_are_recorded_and_unknown_topics_ignored() -> None:
    feed, _, _ = make_feed()
    feed.on_frame(orjson.dumps({"success": False, "ret_msg": "error:handler not found"}))
    feed.on_frame(orjson.dumps({"topic": "orderbook.50.ETHUSDT", "type": "snapshot", "data": {}}))
    assert feed.counters.last_error == "error:handler not found"
    assert feed.counters.malformed == 0


def test_message_rate_and_age_follow_the_clock() -> None:
    feed, _, clock = make_feed()
    assert feed.health().last_message_age is None
    clock.advance(1.0)
    feed.counters.frames = 50
    feed.counters.last_frame_at = clock.monotonic()
    clock.advance(1.0)
    health = feed.health()
    assert health.messages_per_second == 25.0
    assert health.last_message_age == 1.0
    assert health.topics == 2
