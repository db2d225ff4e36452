"""The rolling window counts exactly what a venue's sliding window counts."""

from __future__ import annotations

import pytest

from console.exchange.ratelimit import RollingWindow


def test_requests_fit_until_the_limit_then_wait_for_the_oldest_to_leave() -> None:
    window = RollingWindow(limit=3, period=1.0)
    for moment in (0.0, 0.1, 0.2):
        assert window.wait_time(moment) == 0.0
        window.record(moment)
    assert window.wait_time(0.3) == pytest.approx(0.7)
    assert window.wait_time(1.0) == 0.0
    assert window.used(1.05) == 2


def test_weighted_costs_free_as_many_old_entries_as_needed() -> None:
    window = RollingWindow(limit=10, period=1.0)
    window.record(0.0, 4)
    window.record(0.5, 4)
    assert window.wait_time(0.6, cost=2) == 0.0
    assert window.wait_time(0.6, cost=6) == pytest.approx(0.4)
    assert window.wait_time(0.6, cost=9) == pytest.approx(0.9)


def test_a_request_costlier_than_the_whole_window_passes_on_an_empty_window() -> None:
    window = RollingWindow(limit=2, period=1.0)
    assert window.wait_time(0.0, cost=5) == 0.0
    window.record(0.0, 5)
    assert window.wait_time(0.5, cost=1) == pytest.approx(0.5)


def test_reset_in_and_clear() -> None:
    window = RollingWindow(limit=2, period=5.0)
    assert window.reset_in(0.0) == 0.0
    window.record(1.0)
    assert window.reset_in(2.0) == pytest.approx(4.0)
    window.clear()
    assert window.used(2.0) == 0


def test_a_window_needs_positive_numbers() -> None:
    with pytest.raises(ValueError, match="positive"):
        RollingWindow(limit=0, period=1.0)


def test_in_flight_units_hold_the_window_until_their_answer_is_stamped() -> None:
    window = RollingWindow(limit=2, period=1.0)
    window.begin()
    window.begin()
    assert window.used(0.0) == 2
    assert window.wait_time(0.5) == RollingWindow.POLL
    window.end(0.3)
    window.end(0.2)  # the venue counted it earlier: stamps are kept in order
    assert window.wait_time(0.5) == pytest.approx(0.7)
    assert window.wait_time(1.25) == 0.0


def test_a_window_nobody_reads_holds_one_period_of_stamps() -> None:
    """The limiter records every request into its category windows, which only the gauges
    read: recording alone must not let a window grow with the run."""
    window = RollingWindow(limit=10_000, period=1.0)
    for step in range(20_000):
        window.record(step / 1000)

    assert len(window) <= 1_001
    assert window.used(19.999) == len(window)
