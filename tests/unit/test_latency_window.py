"""Latency percentiles of the last minute, in fixed memory (``console.domain.latency``)."""

from __future__ import annotations

import math
import random

import pytest

from console.domain import RollingLatency
from console.domain.latency import BUCKETS, SLOT_SECONDS, WINDOW_SECONDS, bucket_of

START = 1_700_000_000.0
"""An epoch second, as the feeds pass receive times."""


def test_percentiles_are_within_the_buckets_precision() -> None:
    rng = random.Random(5)
    values = [rng.lognormvariate(math.log(40), 0.6) for _ in range(5_000)]
    latency = RollingLatency()
    for index, value in enumerate(values):
        latency.record(value, START + index * 0.01)  # 50 s of samples
    summary = latency.summary(START + 50)
    assert summary is not None
    ordered = sorted(values)
    true_p50 = ordered[len(ordered) // 2 - 1]
    true_p99 = ordered[math.ceil(0.99 * len(ordered)) - 1]
    assert summary.samples == len(values)
    assert summary.p50_ms == pytest.approx(true_p50, rel=0.03)
    assert summary.p99_ms == pytest.approx(true_p99, rel=0.03)


def test_a_constant_latency_reads_as_itself() -> None:
    latency = RollingLatency()
    for index in range(100):
        latency.record(300.0, START + index * 0.05)
    summary = latency.summary(START + 5)
    assert summary is not None
    assert summary.p50_ms == pytest.approx(300.0, rel=0.025)
    assert summary.p99_ms == pytest.approx(300.0, rel=0.025)


def test_samples_older_than_a_minute_are_forgotten() -> None:
    latency = RollingLatency()
    for index in range(100):
        latency.record(1_000.0, START + index * 0.1)  # 10 s of slow frames
    for index in range(100):
        latency.record(10.0, START + 30 + index * 0.1)  # then fast ones
    both = latency.summary(START + 40)
    assert both is not None
    assert both.samples == 200
    assert both.p99_ms == pytest.approx(1_000.0, rel=0.025)
    later = latency.summary(START + 11 + WINDOW_SECONDS)
    assert later is not None
    assert later.samples == 100  # the slow ones fell out of the minute
    assert later.p99_ms == pytest.approx(10.0, rel=0.025)
    assert latency.summary(START + 41 + WINDOW_SECONDS + SLOT_SECONDS) is None


def test_the_recent_median_follows_the_last_seconds_only() -> None:
    latency = RollingLatency()
    for index in range(400):
        latency.record(5.0, START + index * 0.1)  # 40 s fast
    assert latency.recent_median(START + 40) == pytest.approx(5.0, rel=0.025)
    for index in range(60):
        latency.record(800.0, START + 40 + index * 0.1)  # 6 s late
    recent = latency.recent_median(START + 46)
    assert recent == pytest.approx(800.0, rel=0.025)
    minute = latency.summary(START + 46)
    assert minute is not None
    assert minute.p50_ms == pytest.approx(5.0, rel=0.025)  # the minute still says fast
    assert latency.recent_median(START + 46 + 3 * SLOT_SECONDS) is None  # nothing new since


def test_out_of_range_values_land_in_the_end_buckets() -> None:
    assert bucket_of(-25.0) == 0  # a clock offset slightly off: early, read as under 1 ms
    assert bucket_of(0.2) == 0
    assert bucket_of(1.0) == 1
    assert bucket_of(1e9) == BUCKETS - 1
    assert bucket_of(math.nan) == BUCKETS - 1  # never hidden as fast
    latency = RollingLatency()
    latency.record(-3.0, START)
    summary = latency.summary(START)
    assert summary is not None
    assert summary.p50_ms < 1.0


def test_nothing_recorded_reads_as_none() -> None:
    latency = RollingLatency()
    assert latency.summary(START) is None
    assert latency.recent_median(START) is None


def test_a_long_pause_empties_every_slot() -> None:
    latency = RollingLatency()
    latency.record(50.0, START)
    latency.record(60.0, START + 10 * WINDOW_SECONDS)  # an hour later
    summary = latency.summary(START + 10 * WINDOW_SECONDS)
    assert summary is not None
    assert summary.samples == 1
    assert summary.p50_ms == pytest.approx(60.0, rel=0.025)
