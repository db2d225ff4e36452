"""The offset to the venue's clock (``console.domain.venue_clock``) and Bybit's time answer."""

from __future__ import annotations

import math

import pytest

from console.domain import ClockSample, ImplausibleClockSample, VenueClock
from console.exchange.bybit_parse import server_time_ms
from console.exchange.errors import MalformedResponse

SENT = 1_767_000_000.0


def sample(offset_ms: float, round_trip_s: float, *, sent: float = SENT) -> ClockSample:
    """What a venue ``offset_ms`` ahead answers when it stamps half-way through the trip."""
    return ClockSample(
        sent_s=sent,
        round_trip_s=round_trip_s,
        venue_ms=(sent + round_trip_s / 2) * 1000 + offset_ms,
    )


def test_the_offset_assumes_the_answer_was_stamped_half_way() -> None:
    # sent at t, back at t + 0.2 s, the venue said t + 0.1 s + 250 ms: 250 ms ahead
    assert sample(250.0, 0.2).offset_ms == pytest.approx(250.0)
    assert sample(-40.0, 0.05).offset_ms == pytest.approx(-40.0)
    sent_at_the_end = ClockSample(sent_s=SENT, round_trip_s=0.2, venue_ms=SENT * 1000 + 200)
    assert sent_at_the_end.offset_ms == pytest.approx(100.0)  # off by at most half the trip


def test_the_shortest_round_trip_is_believed() -> None:
    clock = VenueClock()
    assert clock.offset_ms == 0.0
    assert clock.reading is None
    clock.add(sample(130.0, 0.30))  # a slow trip, its answer waited in a queue
    assert clock.offset_ms == pytest.approx(130.0)
    reading = clock.add(sample(100.0, 0.02))
    assert clock.offset_ms == pytest.approx(100.0)
    assert reading.round_trip_ms == pytest.approx(20.0)
    assert reading.error_ms == pytest.approx(10.0)
    assert reading.samples == 2
    clock.add(sample(90.0, 0.08))  # longer than the best: not believed
    assert clock.offset_ms == pytest.approx(100.0)
    assert clock.reading is not None
    assert clock.reading.measured_at.timestamp() == pytest.approx(SENT)


def test_old_samples_expire_so_drift_is_followed() -> None:
    clock = VenueClock(keep=3)
    clock.add(sample(100.0, 0.01))
    for minute in range(1, 4):  # the clocks drifted; later trips are a little slower
        clock.add(sample(100.0 + minute * 5, 0.03, sent=SENT + 60 * minute))
    assert clock.offset_ms == pytest.approx(115.0)  # the best kept one is the newest
    assert clock.reading is not None
    assert clock.reading.samples == 3


@pytest.mark.parametrize(
    ("bad", "why"),
    [
        (ClockSample(sent_s=SENT, round_trip_s=-0.1, venue_ms=SENT * 1000), "round trip"),
        (ClockSample(sent_s=SENT, round_trip_s=math.nan, venue_ms=SENT * 1000), "round trip"),
        (ClockSample(sent_s=SENT, round_trip_s=11.0, venue_ms=SENT * 1000), "round trip"),
        (ClockSample(sent_s=SENT, round_trip_s=0.1, venue_ms=math.inf), "not a time"),
        (ClockSample(sent_s=SENT, round_trip_s=0.1, venue_ms=SENT), "a day or more"),  # seconds
    ],
)
def test_implausible_samples_are_refused_and_change_nothing(bad: ClockSample, why: str) -> None:
    clock = VenueClock()
    clock.add(sample(20.0, 0.05))
    with pytest.raises(ImplausibleClockSample, match=why):
        clock.add(bad)
    assert clock.offset_ms == pytest.approx(20.0)
    assert clock.reading is not None
    assert clock.reading.samples == 1


def test_keep_must_hold_a_sample() -> None:
    with pytest.raises(ValueError, match="at least one"):
        VenueClock(keep=0)


def test_bybit_time_answer_is_read_as_finely_as_it_says() -> None:
    answer = {
        "retCode": 0,
        "result": {"timeSecond": "1767000000", "timeNano": "1767000000123456789"},
        "time": 1767000000124,
    }
    assert server_time_ms(answer) == pytest.approx(1767000000123.456789)
    seconds_only = {"result": {"timeSecond": "1767000000"}, "time": 1767000000124}
    assert server_time_ms(seconds_only) == 1767000000500.0  # the middle of that second
    envelope_only = {"result": {}, "time": 1767000000124}
    assert server_time_ms(envelope_only) == 1767000000124.0


@pytest.mark.parametrize(
    "answer",
    [
        {"result": {"timeNano": "-5"}},
        {"result": {"timeNano": "1e18"}, "time": "soon"},
        {"result": "nothing"},
        {"result": {"timeNano": "9" * 40}},
    ],
)
def test_a_time_answer_without_a_time_is_malformed(answer: dict[str, object]) -> None:
    with pytest.raises(MalformedResponse, match="holds no time"):
        server_time_ms(answer)
