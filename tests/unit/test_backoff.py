"""Full-jitter backoff: bounded by a doubling ceiling and a cap, reproducible from a seed."""

from __future__ import annotations

import random

import pytest

from console.stream.backoff import FullJitterBackoff


def test_delays_stay_under_a_doubling_ceiling_up_to_the_cap() -> None:
    backoff = FullJitterBackoff(1.0, 8.0, rng=random.Random(1))
    ceilings = []
    for _ in range(8):
        ceiling = backoff.ceiling()
        delay = backoff.next_delay()
        assert 0 <= delay <= ceiling
        ceilings.append(ceiling)
    assert ceilings == [1, 2, 4, 8, 8, 8, 8, 8]
    assert backoff.attempts == 8


def test_jitter_is_full_and_seeded() -> None:
    first = FullJitterBackoff(0.1, 60, rng=random.Random(42))
    second = FullJitterBackoff(0.1, 60, rng=random.Random(42))
    draws = [first.next_delay() for _ in range(30)]
    assert draws == [second.next_delay() for _ in range(30)]
    spread = FullJitterBackoff(10, 10, rng=random.Random(7))
    samples = [spread.next_delay() for _ in range(500)]
    assert min(samples) < 1.0
    assert max(samples) > 9.0


def test_reset_starts_over() -> None:
    backoff = FullJitterBackoff(0.5, 30, rng=random.Random(3))
    for _ in range(5):
        backoff.next_delay()
    backoff.reset()
    assert backoff.attempts == 0
    assert backoff.ceiling() == 0.5
    assert FullJitterBackoff(1, 2).ceiling() == 1


@pytest.mark.parametrize(("base", "cap"), [(0, 1), (2, 1), (-1, 5)])
def test_nonsense_bounds_are_refused(base: float, cap: float) -> None:
    with pytest.raises(ValueError, match="base"):
        FullJitterBackoff(base, cap)
