"""The layout plan: the ladder's room first at every terminal size, then the other panels in
their declared order; the bottom area sized by the rows that matter."""

from __future__ import annotations

import pytest

from console.tui.layout import (
    BOTTOM_CHROME,
    LADDER_MIN_HEIGHT,
    LADDER_WIDTH,
    SCREEN_CHROME,
    SIDE_WIDTHS,
    WATCHLIST_WIDTH,
    plan_layout,
)

SIZES = [(80, 24), (100, 30), (120, 35), (160, 45), (200, 50), (240, 60)]


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_the_ladder_keeps_its_room_at_every_size(width: int, height: int) -> None:
    plan = plan_layout(width, height, bottom_rows=2, gauge_lines=(2, 8))
    assert width - plan.watchlist_width - plan.side_width >= LADDER_WIDTH
    body = height - SCREEN_CHROME - plan.bottom_height
    candles = body // 3 if plan.candles else 0
    assert body - candles >= LADDER_MIN_HEIGHT
    assert "tape" in plan.shown  # the tape is the first panel to get room, even at 80x24
    assert plan.side_width in SIDE_WIDTHS


def test_panels_give_way_in_the_declared_order() -> None:
    narrow = plan_layout(80, 24)
    assert narrow.watchlist_width == 0
    assert narrow.side_width == SIDE_WIDTHS[0]
    assert not narrow.candles
    laptop = plan_layout(120, 35)
    assert (laptop.watchlist_width, laptop.side_width) == (WATCHLIST_WIDTH, SIDE_WIDTHS[0])
    assert laptop.candles
    wide = plan_layout(160, 45)
    assert (wide.watchlist_width, wide.side_width) == (WATCHLIST_WIDTH, SIDE_WIDTHS[1])


def test_hidden_panels_leave_their_room_to_the_ladder() -> None:
    plan = plan_layout(120, 35, hidden=frozenset({"tape", "activity", "gauges", "watchlist"}))
    assert (plan.side_width, plan.watchlist_width) == (0, 0)
    assert plan.shown == {"candles", "bottom"}
    assert "bottom" not in plan_layout(120, 35, hidden=frozenset({"bottom"})).shown


def test_the_bottom_area_follows_the_rows_that_matter() -> None:
    few = plan_layout(160, 45, bottom_rows=1)
    many = plan_layout(160, 45, bottom_rows=12)
    too_many = plan_layout(160, 45, bottom_rows=500)
    assert few.bottom_height < many.bottom_height == BOTTOM_CHROME + 12
    assert too_many.bottom_height == int((45 - SCREEN_CHROME) * 0.4)


def test_a_tiny_terminal_drops_the_bottom_area_before_the_ladder() -> None:
    plan = plan_layout(80, 18)
    assert plan.bottom_height == 0
    assert {"tape", "activity", "gauges"} <= plan.shown  # the side column keeps its panels
