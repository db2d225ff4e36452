"""One stream's two latency stages and its SLOW flag (``console.stream.latency``), on a
manual clock and a venue clock with a known offset."""

from __future__ import annotations

import orjson
import pytest

from console.domain import ClockSample, ManualClock, VenueClock
from console.stream.latency import READOUT_EVERY_S, StreamLatency

from support.stream import linear_feed


def venue_ahead(clock: ManualClock, offset_ms: float) -> VenueClock:
    """A venue clock measured ``offset_ms`` ahead of ``clock`` (an instant round trip)."""
    venue = VenueClock()
    sent = clock.now().timestamp()
    venue.add(ClockSample(sent_s=sent, round_trip_s=0.0, venue_ms=sent * 1000 + offset_ms))
    return venue


def test_both_stages_are_corrected_by_the_venue_clock() -> None:
    clock = ManualClock()
    latency = StreamLatency(clock, venue_ahead(clock, 2_000.0), slow_after_ms=500.0)
    for _ in range(50):
        clock.advance(0.1)
        now_ms = latency.wall_seconds() * 1000
        # stamped by a venue 2 s ahead, 80 ms before it reached us
        latency.received(int(now_ms + 2_000 - 80), now_ms / 1000)
        clock.advance(0.02)  # drawn 20 ms later
        latency.painted(int(now_ms + 2_000 - 80))
    readout = latency.readout()
    assert readout.received is not None
    assert readout.painted is not None
    assert readout.received.p50_ms == pytest.approx(80.0, rel=0.03)
    assert readout.painted.p50_ms == pytest.approx(100.0, rel=0.03)
    assert readout.received.samples == readout.painted.samples == 50
    assert not readout.slow


def test_slow_follows_the_last_seconds_and_the_readout_is_reused_briefly() -> None:
    clock = ManualClock()
    latency = StreamLatency(clock, slow_after_ms=500.0)
    for _ in range(30):
        clock.advance(0.1)
        now = latency.wall_seconds()
        latency.received(int(now * 1000) - 900, now)
    assert latency.readout().slow
    clock.advance(READOUT_EVERY_S / 2)
    now = latency.wall_seconds()
    for _ in range(100):
        latency.received(int(now * 1000) - 20, now)
    assert latency.readout().slow  # worked out a moment ago: reused
    for _ in range(60):
        clock.advance(0.1)  # the late frames fall out of the last few seconds
        now = latency.wall_seconds()
        latency.received(int(now * 1000) - 20, now)
    readout = latency.readout()
    assert not readout.slow
    assert readout.received is not None
    assert readout.received.p99_ms == pytest.approx(900.0, rel=0.03)  # still in the minute


def test_nothing_measured_reads_as_nothing() -> None:
    readout = StreamLatency(ManualClock(), slow_after_ms=500.0).readout()
    assert readout.received is None
    assert readout.painted is None
    assert not readout.slow


def test_the_feed_records_what_the_received_stage_would() -> None:
    """The Bybit feed works each book frame's latency out itself (one call per frame, not
    two): the readout must be the one ``StreamLatency.received`` leads to."""
    clock = ManualClock()
    venue = venue_ahead(clock, 1_500.0)
    feed = linear_feed(clock=clock, venue_clock=venue)
    reference = StreamLatency(clock, venue, slow_after_ms=500.0)
    for u, late_ms in enumerate([3, 40, 250, 700, 1_900, 12, 0], start=1):
        clock.advance(0.7)
        now = feed.wall_seconds()
        stamp = int(now * 1000) + 1_500 - late_ms
        data = {"s": "BTCUSDT", "b": [["10.0", "1"]], "a": [["10.5", "1"]], "u": u}
        kind = "snapshot" if u == 1 else "delta"
        feed.on_frame(
            orjson.dumps({"topic": "orderbook.50.BTCUSDT", "type": kind, "ts": stamp, "data": data})
        )
        reference.received(stamp, now)
    assert feed.counters.malformed == 0
    assert feed.latency.readout() == reference.readout()
    assert feed.latency.readout().received is not None
