"""The Bybit feed's fast paths against the checked paths they stand for, under hypothesis.

``on_frame`` reaches a routed topic's handler in two dict lookups and sends every other frame
to the general path (``_on_unrouted``); the trade handler checks each row with fewer calls
than the plausibility rules written out. Whatever the frames, well-formed or hostile, both
ways must leave the same books, tapes, windows and counters, and refuse the same frames.
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from typing import Any

import orjson
from hypothesis import given, settings
from hypothesis import strategies as st

from console.domain import ManualClock, StreamState
from console.domain.plausibility import (
    EARLIEST_MS,
    MAX_MAGNITUDE,
    MAX_NUMBER_TEXT,
    allowed_ahead_ms,
)
from console.stream.bybit_public import BybitPublicFeed

from support.stream import linear_feed

SYMBOL = "BTC/USDT:USDT"
BOOK_TOPIC = "orderbook.50.BTCUSDT"
TRADE_TOPIC = "publicTrade.BTCUSDT"
NOW_MS = int(ManualClock().now().timestamp() * 1000)


def make_feed() -> BybitPublicFeed:
    feed = linear_feed(symbol=SYMBOL)
    feed.counters.state = StreamState.LIVE
    return feed


PRICES = [f"{whole}.{tenth}" for whole in range(99, 102) for tenth in range(0, 10, 5)]
NUMBER_TEXT = st.one_of(
    st.sampled_from(PRICES),
    st.sampled_from(["0", "1", "0.5", "2.50", "-1", "1e999999", "NaN", "sNaN", "-NaN"]),
    st.sampled_from(["Infinity", "-Infinity", "1e17", "1e18", "0E-5", "-0", "abc", "", " 1"]),
    st.just("9" * (MAX_NUMBER_TEXT + 1)),
    st.text(max_size=6),
)
VALUE = st.one_of(
    NUMBER_TEXT,
    st.integers(-5, 5),
    st.floats(allow_nan=False, allow_infinity=False),
    st.none(),
    st.lists(st.integers(), max_size=2),
)
LEVEL = st.one_of(
    st.tuples(st.sampled_from(PRICES), st.sampled_from(["0", "1", "2.5", "0.001"])).map(list),
    st.lists(VALUE, max_size=3),
    VALUE,
)
SEQUENCE = st.one_of(
    st.integers(9, 14),
    st.integers(1, 40),
    st.sampled_from([0, -1, 2**63, 11.0, "12", True, None]),
)
STAMP = st.one_of(
    st.just(NOW_MS),
    st.integers(NOW_MS - 10_000, NOW_MS + allowed_ahead_ms() + 10_000),
    st.sampled_from([EARLIEST_MS - 1, EARLIEST_MS, NOW_MS // 1000, float(NOW_MS), "now"]),
)


@st.composite
def book_frame(draw: st.DrawFn) -> bytes:
    data: dict[str, Any] = {
        "s": "BTCUSDT",
        "b": draw(st.lists(LEVEL, max_size=5)),
        "a": draw(st.lists(LEVEL, max_size=5)),
        "u": draw(SEQUENCE),
    }
    frame: dict[str, Any] = {
        "topic": BOOK_TOPIC,
        "type": draw(st.sampled_from(["delta", "delta", "delta", "snapshot", "patch"])),
        "data": data,
    }
    frame["ts"] = draw(STAMP)
    for key in draw(st.sets(st.sampled_from(["type", "data", "ts"]), max_size=1)):
        del frame[key]
    return json.dumps(frame).encode()


@st.composite
def trade_row(draw: st.DrawFn) -> dict[str, Any]:
    row: dict[str, Any] = {
        "T": draw(STAMP),
        "s": "BTCUSDT",
        "S": draw(st.sampled_from(["Buy", "Sell", "Short", None])),
        "v": draw(st.one_of(NUMBER_TEXT, VALUE)),
        "p": draw(st.one_of(NUMBER_TEXT, VALUE)),
        "i": draw(st.sampled_from(["t-1", "t-2", "", None, 7])),
    }
    for key in draw(st.sets(st.sampled_from(list(row)), max_size=1)):
        del row[key]
    return row


def trade_frame(rows: object) -> bytes:
    return json.dumps(
        {"topic": TRADE_TOPIC, "type": "snapshot", "ts": NOW_MS, "data": rows}
    ).encode()


OTHER_FRAME = st.sampled_from(
    [
        b'{"success":true,"ret_msg":"pong","conn_id":"c","op":"ping"}',
        b'{"success":false,"ret_msg":"bad topic","conn_id":"c","op":"subscribe"}',
        b'{"topic":"orderbook.50.ETHUSDT","type":"delta","data":{"u":3}}',
        b'{"topic":["unhashable"],"data":{}}',
        b'{"topic":null}',
        b"[1, 2]",
        b'"text"',
        b"17",
        b"not json",
        b"{",
    ]
)
FRAME = st.one_of(
    book_frame(),
    st.lists(trade_row(), max_size=3).map(trade_frame),
    VALUE.map(trade_frame),
    OTHER_FRAME,
)
VALID_SNAPSHOT = orjson.dumps(
    {
        "topic": BOOK_TOPIC,
        "type": "snapshot",
        "ts": NOW_MS,
        "data": {"s": "BTCUSDT", "b": [["99.0", "1"]], "a": [["101.0", "1"]], "u": 10},
    }
)


def observed(feed: BybitPublicFeed) -> tuple[object, ...]:
    """Everything a frame can change that anyone reads."""
    state = feed.state(SYMBOL)
    assert state is not None
    view = state.book.snapshot()
    counters = feed.counters
    latency = feed.latency.readout().received
    return (
        None if view is None else (view.bids, view.asks, view.sequence, view.stale),
        state.book.resyncing,
        list(state.tape),
        state.trade_stats(None),
        feed.latest_exchange_ms,
        (counters.malformed, counters.gaps, counters.resyncs, counters.suspect),
        counters.last_error,
        None if latency is None else (latency.p50_ms, latency.samples),
    )


@settings(derandomize=True, max_examples=300, deadline=None)
@given(frames=st.lists(FRAME, max_size=25))
def test_the_fast_dispatch_equals_the_general_path(frames: list[bytes]) -> None:
    """Every frame through ``on_frame`` (routed frames straight to their handler) leaves
    what the general path, which looks everything up step by step, leaves."""
    fast, general = make_feed(), make_feed()
    fast.on_frame(VALID_SNAPSHOT)
    general._on_unrouted(VALID_SNAPSHOT)
    for raw in frames:
        fast.on_frame(raw)
        general._on_unrouted(raw)
        assert observed(fast) == observed(general)


def plausible_row(row: dict[str, Any], now_ms: int) -> tuple[object, ...] | None:
    """The trade rules written out (the checked path): the tape row, or None if refused."""
    try:
        p, v, stamp, side, trade_id = row["p"], row["v"], row["T"], row["S"], row["i"]
    except KeyError:
        return None
    if type(p) is not str or type(v) is not str or len(p) + len(v) > MAX_NUMBER_TEXT:
        return None
    try:
        price, size = Decimal(p), Decimal(v)
    except InvalidOperation:
        return None
    if not (type(stamp) is int and EARLIEST_MS <= stamp <= now_ms + allowed_ahead_ms()):
        return None
    for number in (price, size):
        if not (number.is_finite() and 0 < number < MAX_MAGNITUDE):
            return None
    if side not in ("Buy", "Sell") or type(trade_id) is not str or not trade_id:
        return None
    return (stamp, trade_id, price, size, side == "Buy")


@settings(derandomize=True, max_examples=400, deadline=None)
@given(rows=st.lists(trade_row(), min_size=1, max_size=3))
def test_trade_rows_are_kept_or_refused_exactly_as_the_rules_say(
    rows: list[dict[str, Any]],
) -> None:
    """A frame is kept whole when every row passes the rules, else dropped whole and
    counted; the kept rows are the rules' own reading of them."""
    feed = make_feed()
    feed.on_frame(trade_frame(rows))
    expected = [plausible_row(row, NOW_MS) for row in rows]
    state = feed.state(SYMBOL)
    assert state is not None
    if all(row is not None for row in expected):
        assert feed.counters.malformed == 0
        assert list(state.tape) == expected
    else:
        assert feed.counters.malformed == 1
        assert list(state.tape) == []
        assert state.trade_stats(None).trade_count == 0
