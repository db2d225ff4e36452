"""Chores: periodic panel updates whose timing the paint tick controls."""

from __future__ import annotations

import pytest

from console.tui.paint_chores import Chores


class Ticks:
    """A monotonic clock moved by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_chores_come_due_once_a_period_in_the_order_added() -> None:
    ticks = Ticks()
    chores = Chores(ticks)
    ran: list[str] = []
    chores.every(1.0, lambda: ran.append("clock"))
    chores.every(1.0, lambda: ran.append("activity"), first_after=0.5)
    timeline = []
    for step in range(1, 25):
        ticks.now = 100.0 + step * 0.1
        for chore in chores.due():
            chore()
        timeline.append(list(ran))
        ran.clear()
    due_at = {round(0.1 * (i + 1), 1): names for i, names in enumerate(timeline) if names}
    assert due_at == {0.5: ["activity"], 1.0: ["clock"], 1.5: ["activity"], 2.0: ["clock"]}


def test_a_chore_that_fell_behind_runs_once_and_keeps_its_period() -> None:
    ticks = Ticks()
    chores = Chores(ticks)
    chores.every(1.0, lambda: None)
    ticks.now += 3.7  # the loop was busy
    assert len(chores.due()) == 1
    assert chores.due() == []
    ticks.now += 0.99
    assert chores.due() == []
    ticks.now += 0.02
    assert len(chores.due()) == 1


def test_a_period_must_be_positive() -> None:
    with pytest.raises(ValueError, match="must be positive"):
        Chores().every(0, lambda: None)


def test_one_off_chores_run_once_after_the_periodic_ones() -> None:
    ticks = Ticks()
    chores = Chores(ticks)
    ran: list[str] = []
    chores.every(1.0, lambda: ran.append("clock"))
    chores.soon(lambda: ran.append("candles"))
    ticks.now += 1.0
    for chore in chores.due():
        chore()
    assert ran == ["clock", "candles"]
    assert chores.due() == []
