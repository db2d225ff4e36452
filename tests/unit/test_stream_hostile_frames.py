"""The Bybit feed's trust boundary, offline: implausible frames are dropped and counted,
and books that stop following the venue are found suspect, resynced and counted.

The app-level regression tests (through the console, over real sockets) are in
``tests/ui/test_hostile_venue.py``; these pin each rule on its own.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import orjson
import pytest

from console.domain import ManualClock, StreamState
from console.stream.book_watch import (
    MAX_SEQUENCE_JUMP,
    SUSPECT_DUPLICATES,
    THROUGH_TOUCH_SECONDS,
)
from console.stream.bybit_public import BybitPublicFeed
from console.stream.symbol_state import SymbolState

from support.stream import linear_feed

SYMBOL = "BTC/USDT:USDT"
TOPIC = "orderbook.50.BTCUSDT"
NOW_MS = int(ManualClock().now().timestamp() * 1000)


def make_feed() -> tuple[BybitPublicFeed, ManualClock]:
    clock = ManualClock()
    feed = linear_feed(clock=clock, symbol=SYMBOL)
    feed.counters.state = StreamState.LIVE
    return feed, clock


def state_of(feed: BybitPublicFeed) -> SymbolState:
    state = feed.state(SYMBOL)
    assert state is not None
    return state


def book(kind: str, u: object, *, ts: object = NOW_MS, bids: Any = None, asks: Any = None) -> bytes:
    data = {
        "s": "BTCUSDT",
        "b": [["100.0", "1"]] if bids is None else bids,
        "a": [["100.5", "2"]] if asks is None else asks,
        "u": u,
        "seq": 1,
    }
    return json.dumps({"topic": TOPIC, "type": kind, "ts": ts, "data": data}).encode()


def trade(**changes: Any) -> bytes:
    row: dict[str, Any] = {
        "T": NOW_MS,
        "s": "BTCUSDT",
        "S": "Buy",
        "v": "0.5",
        "p": "100.2",
        "i": "t-1",
    }
    row.update(changes)
    return orjson.dumps({"topic": "publicTrade.BTCUSDT", "type": "snapshot", "data": [row]})


HOSTILE_TRADES: dict[str, dict[str, Any]] = {
    "T far future": {"T": 10**17},
    "T before 2015": {"T": 1_000},
    "T in seconds": {"T": NOW_MS // 1000},
    "T a string": {"T": str(NOW_MS)},
    "T a float": {"T": float(NOW_MS)},
    "T huge": {"T": 2**63 - 1},
    "p infinite": {"p": "1e999999"},
    "p NaN": {"p": "NaN"},
    "p negative": {"p": "-100"},
    "p huge digits": {"p": "9" * 5000},
    "p a JSON number": {"p": 100.2},
    "v zero": {"v": "0"},
    "v negative": {"v": "-0.5"},
    "S unknown": {"S": "Short"},
    "i missing": {"i": None},
    "i empty": {"i": ""},
}


@pytest.mark.parametrize("case", sorted(HOSTILE_TRADES))
def test_a_hostile_trade_is_dropped_and_counted(case: str) -> None:
    feed, _ = make_feed()
    feed.on_frame(trade(**HOSTILE_TRADES[case]))
    state = state_of(feed)
    assert feed.counters.malformed == 1
    assert list(state.tape) == []
    assert state.trade_stats(None).trade_count == 0
    assert state.recent_trades(5) == []
    assert feed.latest_exchange_ms is None


def test_a_plausible_trade_a_little_ahead_of_the_clock_is_kept() -> None:
    feed, _ = make_feed()
    feed.on_frame(trade(T=NOW_MS + 1_000))
    assert feed.counters.malformed == 0
    assert state_of(feed).recent_trades(1)[0].price == Decimal("100.2")


HOSTILE_BOOKS: dict[str, bytes] = {
    "ts far future": book("snapshot", 10, ts=10**17),
    "ts before 2015": book("snapshot", 10, ts=5),
    "ts a string": book("snapshot", 10, ts="now"),
    "u zero": book("snapshot", 0),
    "u negative": book("snapshot", -3),
    "u beyond int64": book("snapshot", 2**64),
    "u a 30-digit number": book("snapshot", 10**30),
    "u a string": book("snapshot", "11"),
    "u a float": book("snapshot", 11.0),
    "type unknown": orjson.dumps({"topic": TOPIC, "type": "patch", "data": {"u": 3}}),
    "levels truncated": book("snapshot", 10, bids=[["100.0"]]),
    "levels not a list": book("snapshot", 10, asks="x"),
    "data missing": orjson.dumps({"topic": TOPIC, "type": "snapshot"}),
}


@pytest.mark.parametrize("case", sorted(HOSTILE_BOOKS))
def test_a_hostile_book_frame_is_dropped_counted_and_resyncs(case: str) -> None:
    feed, _ = make_feed()
    feed.on_frame(book("snapshot", 5))
    state = state_of(feed)
    assert state.book.snapshot() is not None  # a reader saw the good book
    feed.on_frame(HOSTILE_BOOKS[case])
    assert feed.counters.malformed == 1
    assert state.book.resyncing
    assert feed.counters.resyncs >= 1
    view = state.book.snapshot()
    assert view is not None
    assert view.stale  # the last good book, flagged


@pytest.mark.parametrize(
    "level",
    [["1e999999", "1"], ["9" * 5000, "1"], ["NaN", "1"], ["100.1", "-1"], ["100.1", "1e30"]],
)
def test_an_implausible_level_is_refused_on_read_and_counted_as_malformed(
    level: list[str],
) -> None:
    feed, _ = make_feed()
    feed.on_frame(book("snapshot", 5, asks=[["100.5", "2"], level]))
    state = state_of(feed)
    assert state.book.snapshot() is None  # never shown
    assert state.book.take_resync_request()
    feed.resync(SYMBOL)
    assert feed.counters.malformed == 1
    assert feed.counters.resyncs == 1


def test_a_venue_that_keeps_sending_an_unreadable_book_is_asked_again_later_and_later() -> None:
    """Each unreadable snapshot is one malformed frame; the first is answered with a resync
    at once, the next ones after 1, 2... s (the maintenance tick asks), not at round-trip
    pace; a readable book ends the wait. (A simulator that quoted bids below zero was
    resubscribed 25 times a second.)"""
    feed, clock = make_feed()
    broken = [["100.5", "2"], ["100.1", "-1"]]
    state = state_of(feed)

    def unreadable_snapshot_read(sequence: int) -> None:
        feed.on_frame(book("snapshot", sequence, asks=broken))
        view = state.book.snapshot()
        assert view is None or view.stale  # never shown; at most the last good book, flagged
        if state.book.take_resync_request():
            feed.resync(SYMBOL)

    unreadable_snapshot_read(5)
    assert (feed.counters.malformed, feed.counters.resyncs) == (1, 1)  # asked at once
    unreadable_snapshot_read(6)
    assert (feed.counters.malformed, feed.counters.resyncs) == (2, 1)  # waits 1 s
    clock.advance(0.5)
    feed.watch_books(clock.monotonic())
    assert feed.counters.resyncs == 1
    clock.advance(0.5)
    feed.watch_books(clock.monotonic())
    assert feed.counters.resyncs == 2
    unreadable_snapshot_read(7)
    clock.advance(1.5)
    feed.watch_books(clock.monotonic())
    assert (feed.counters.malformed, feed.counters.resyncs) == (3, 2)  # now waits 2 s
    clock.advance(0.5)
    feed.watch_books(clock.monotonic())
    assert feed.counters.resyncs == 3

    feed.on_frame(book("snapshot", 8))  # readable again: the next failure is asked at once
    feed.watch_books(clock.monotonic())
    unreadable_snapshot_read(9)
    assert (feed.counters.malformed, feed.counters.resyncs) == (4, 4)


def test_a_snapshot_far_ahead_is_suspect_once_and_believed_the_second_time() -> None:
    feed, _ = make_feed()
    feed.on_frame(book("snapshot", 100))
    feed.on_frame(book("delta", 101, bids=[["100.1", "1"]]))
    feed.on_frame(book("snapshot", 101 + MAX_SEQUENCE_JUMP + 1))
    state = state_of(feed)
    assert feed.counters.suspect == 1
    assert state.book.resyncing
    assert state.book.sequence == 101
    feed.on_frame(book("snapshot", 105 + MAX_SEQUENCE_JUMP))
    assert feed.counters.suspect == 1
    assert not state.book.resyncing
    assert state.book.sequence == 105 + MAX_SEQUENCE_JUMP


def test_a_book_whose_deltas_are_all_duplicates_is_suspect_and_resyncs() -> None:
    feed, _ = make_feed()
    feed.on_frame(book("snapshot", 2**62))
    for u in range(2, 2 + SUSPECT_DUPLICATES):
        feed.on_frame(book("delta", u, bids=[["100.1", str(u)]]))
    state = state_of(feed)
    assert feed.counters.suspect == 1
    assert state.book.resyncing
    assert feed.health().suspect == 1
    assert feed.health().state is StreamState.RESYNCING
    feed.on_frame(book("snapshot", 50))
    assert not state.book.resyncing
    assert feed.health().state is StreamState.LIVE


def test_a_stray_duplicate_now_and_then_is_not_suspect() -> None:
    feed, _ = make_feed()
    feed.on_frame(book("snapshot", 100))
    u = 100
    for _ in range(5 * SUSPECT_DUPLICATES):
        u += 1
        feed.on_frame(book("delta", u, bids=[["100.1", str(u)]]))
        feed.on_frame(book("delta", u, bids=[["100.1", str(u)]]))
    assert feed.counters.suspect == 0
    assert not state_of(feed).book.resyncing


def test_trades_printing_through_a_frozen_touch_make_it_suspect() -> None:
    feed, clock = make_feed()
    feed.on_frame(book("snapshot", 5))
    now = NOW_MS
    for step in range(int(THROUGH_TOUCH_SECONDS * 4) + 2):
        now += 250
        feed.on_frame(trade(T=now, p=f"{101 + step}.0", i=f"t-{step}"))
        clock.advance(0.25)
        feed.watch_books(clock.monotonic())
        if feed.counters.suspect:
            break
    assert feed.counters.suspect == 1
    assert state_of(feed).book.resyncing


def test_a_single_sweep_on_a_quiet_market_is_not_suspect() -> None:
    feed, clock = make_feed()
    feed.on_frame(book("snapshot", 5))
    feed.on_frame(trade(p="101.0"))  # through the ask, then nothing for a minute
    for _ in range(240):
        clock.advance(0.25)
        feed.watch_books(clock.monotonic())
    assert feed.counters.suspect == 0
    assert not state_of(feed).book.resyncing


def test_a_quiet_healthy_book_is_never_suspect() -> None:
    feed, clock = make_feed()
    feed.on_frame(book("snapshot", 5))
    now = NOW_MS
    for step in range(400):
        clock.advance(0.25)
        if step % 7 == 0:
            now += 1750
            feed.on_frame(trade(T=now, p="100.5", i=f"t-{step}"))
        feed.watch_books(clock.monotonic())
    assert feed.counters.suspect == 0
    assert feed.counters.malformed == 0


def test_a_book_that_keeps_updating_is_not_suspect_however_its_trades_print() -> None:
    """Prints through the touch say the book is frozen only while the book is: a book whose
    deltas keep arriving follows the venue (a simulator's prints need not match its book)."""
    feed, clock = make_feed()
    feed.on_frame(book("snapshot", 5))
    now = NOW_MS
    for step in range(int(THROUGH_TOUCH_SECONDS * 4) * 3):
        now += 250
        feed.on_frame(book("delta", 6 + step, bids=[["100.1", str(step + 1)]]))
        feed.on_frame(trade(T=now, p=f"{101 + step}.0", i=f"t-{step}"))
        clock.advance(0.25)
        feed.watch_books(clock.monotonic())
    assert feed.counters.suspect == 0
    assert not state_of(feed).book.resyncing
