"""Latency percentiles of the last minute, in fixed memory (``console.domain.latency``)."""

from __future__ import annotations

import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from console.domain import RollingLatency
from console.domain.latency import (
    BUCKETS,
    RECENT_SLOTS,
    SLOT_SECONDS,
    SLOTS,
    WINDOW_SECONDS,
    bucket_of,
)

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


def middle(bucket: int) -> float:
    """What a bucket reads as, as the module documents it: its geometric middle."""
    return 0.5 if bucket == 0 else 1.05 ** (bucket - 0.5)


def reference_percentile(buckets: list[int], q: float) -> float | None:
    """The bucket of the sample of rank ceil(q * n), read as its middle."""
    if not buckets:
        return None
    return middle(sorted(buckets)[max(1, math.ceil(q * len(buckets))) - 1])


LATENCY_MS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(min_value=0.5, max_value=200_000.0),
    st.sampled_from([1.0, 1.05, 0.999999, 120_000.0, 119_999.99, -0.0]),
)
STEP = st.one_of(st.sampled_from([0.0, 0.25, 2.75, 3.0]), st.integers(0, 90).map(lambda s: s / 4))


@settings(derandomize=True, max_examples=200, deadline=None)
@given(
    operations=st.lists(
        st.tuples(
            st.sampled_from(["record", "record", "record", "back", "read"]), STEP, LATENCY_MS
        ),
        max_size=120,
    )
)
def test_recording_matches_a_list_of_every_sample(
    operations: list[tuple[str, float, float]],
) -> None:
    """The histogram (its inlined bucketing, its slot bounds) against every sample kept in a
    list with :func:`bucket_of`: the same percentiles, exactly. A sample stamped a little
    behind the newest slot (a clock that stepped back) is counted in the newest slot."""
    latency = RollingLatency()
    kept: list[tuple[int, int]] = []  # (slot, bucket)
    now = START
    newest: int | None = None
    for kind, step, value in operations:
        if kind == "back":
            moment = now - 0.25  # behind, never before the last read
        else:
            now += step
            moment = now
        slot = int(moment / SLOT_SECONDS)
        newest = slot if newest is None else max(newest, slot)
        if kind == "read":
            in_minute = [b for s, b in kept if s > newest - SLOTS]
            recent = [b for s, b in kept if s > newest - RECENT_SLOTS]
            summary = latency.summary(moment)
            read = None if summary is None else (summary.p50_ms, summary.p99_ms, summary.samples)
            p50, p99 = reference_percentile(in_minute, 0.5), reference_percentile(in_minute, 0.99)
            assert read == (None if not in_minute else (p50, p99, len(in_minute)))
            assert latency.recent_median(moment) == reference_percentile(recent, 0.5)
        else:
            latency.record(value, moment)
            kept.append((newest, bucket_of(value)))
