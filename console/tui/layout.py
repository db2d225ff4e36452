"""Which panels the main screen shows at a given terminal size, and how wide and tall.

The ladder is the reason the console exists, so it is placed first and gives way last: the
focused ladder always keeps :data:`LADDER_WIDTH` columns (price, size, cumulative size and a
sliver of depth bar) and :data:`LADDER_MIN_HEIGHT` lines. The other panels take what is left
in the order of :data:`PANELS`, each first at its essential width (the tape drops its side
word, the gauges their bars), then at its full width; a panel with no room left collapses
(its key then shows it zoomed, see :mod:`console.tui.panels`). Extra ladders appear only
where each gets the full width (see ``ladder_count`` in :mod:`console.tui.screens.main`).

Pure arithmetic, tested without a terminal.
"""

from __future__ import annotations

from dataclasses import dataclass

PANELS: tuple[str, ...] = ("tape", "activity", "gauges", "candles", "watchlist", "bottom")
"""The panels besides the ladder, in the order they are given room: the first keeps its
place longest as the terminal shrinks."""
LADDER_WIDTH = 46
"""Columns of the focused ladder, border included: price, size, cumulative, a depth bar."""
LADDER_MIN_HEIGHT = 14
"""Lines of the focused ladder, border included: header, columns, spread, 5 levels a side."""
SIDE_WIDTHS = (34, 56)
"""The right column (tape, trades/min, gauges): its essential and its full width."""
WATCHLIST_WIDTH = 34
"""The watchlist is shown whole or not at all: its symbols are its point (``s`` and the
``[``/``]`` keys reach every symbol without it)."""
TAPE_MIN_HEIGHT = 8
ACTIVITY_HEIGHTS = (4, 6)
"""Trades per minute: the summary and a one-line sparkline, or a taller sparkline."""
CANDLES_MIN_HEIGHT = 8
BOTTOM_CHROME = 3
"""Lines of the bottom area that are not rows: the tab bar (2) and the table header."""
BOTTOM_MAX_SHARE = 0.4
"""The bottom area never takes more than this share of the lines below the status bar."""
SCREEN_CHROME = 2
"""The status bar and the footer."""


@dataclass(frozen=True, slots=True)
class LayoutPlan:
    """Sizes of the main screen's panels; a width or height of 0 means not shown."""

    watchlist_width: int
    side_width: int
    tape: bool
    activity_height: int
    gauges_height: int
    candles: bool
    bottom_height: int

    @property
    def shown(self) -> frozenset[str]:
        """The panels this plan shows."""
        flags = {
            "tape": self.tape and self.side_width > 0,
            "activity": self.activity_height > 0 and self.side_width > 0,
            "gauges": self.gauges_height > 0 and self.side_width > 0,
            "candles": self.candles,
            "watchlist": self.watchlist_width > 0,
            "bottom": self.bottom_height > 0,
        }
        return frozenset(panel for panel, shown in flags.items() if shown)


def plan_layout(
    width: int,
    height: int,
    *,
    hidden: frozenset[str] = frozenset(),
    bottom_rows: int = 0,
    gauge_lines: tuple[int, int] = (1, 1),
    banner_lines: int = 0,
) -> LayoutPlan:
    """Give the ladder its room first, then the other panels in the order of :data:`PANELS`.

    Args:
        width: the screen's columns.
        height: the screen's lines.
        hidden: panels the trader hid; they take no room.
        bottom_rows: rows that matter in the bottom tables (open orders, positions): the
            bottom area grows to show them, up to :data:`BOTTOM_MAX_SHARE` of the height.
        gauge_lines: lines the rate-limit gauges draw in a narrow panel (one per category)
            and in a wide one (one per window).
        banner_lines: lines the halt banner takes while it is shown.
    """
    lines = max(0, height - SCREEN_CHROME - banner_lines)
    bottom = 0
    if "bottom" not in hidden:
        wanted = BOTTOM_CHROME + max(bottom_rows, 3, lines // 6)
        room = min(lines - LADDER_MIN_HEIGHT, int(lines * BOTTOM_MAX_SHARE))
        bottom = min(wanted, room) if room > BOTTOM_CHROME else 0
    body = lines - bottom

    side_panels = [p for p in ("tape", "activity", "gauges") if p not in hidden]
    room = width - LADDER_WIDTH
    side = 0
    if side_panels and room >= SIDE_WIDTHS[0]:
        side, room = SIDE_WIDTHS[0], room - SIDE_WIDTHS[0]
    watchlist = 0
    if "watchlist" not in hidden and room >= WATCHLIST_WIDTH:
        watchlist, room = WATCHLIST_WIDTH, room - WATCHLIST_WIDTH
    if side and room >= SIDE_WIDTHS[1] - side:
        side = SIDE_WIDTHS[1]

    tape = side > 0 and "tape" in side_panels
    left = body - (TAPE_MIN_HEIGHT if tape else 0)
    activity = 0
    if side and "activity" in side_panels and left >= ACTIVITY_HEIGHTS[0]:
        activity, left = ACTIVITY_HEIGHTS[0], left - ACTIVITY_HEIGHTS[0]
    gauges = 0
    narrow_lines, wide_lines = gauge_lines
    wanted = 1 + (narrow_lines if side < SIDE_WIDTHS[1] else wide_lines)
    if side and "gauges" in side_panels and left >= 1 + narrow_lines:
        gauges = min(left, wanted)
        left -= gauges
    if activity and left >= ACTIVITY_HEIGHTS[1] - activity:
        activity = ACTIVITY_HEIGHTS[1]

    # The ladders and the chart share the centre 2:1 (console.tcss).
    candles = "candles" not in hidden and body // 3 >= CANDLES_MIN_HEIGHT
    candles = candles and body - body // 3 >= LADDER_MIN_HEIGHT
    return LayoutPlan(
        watchlist_width=watchlist,
        side_width=side,
        tape=tape,
        activity_height=activity,
        gauges_height=gauges,
        candles=candles,
        bottom_height=bottom,
    )


__all__ = [
    "BOTTOM_CHROME",
    "LADDER_MIN_HEIGHT",
    "LADDER_WIDTH",
    "PANELS",
    "SCREEN_CHROME",
    "SIDE_WIDTHS",
    "WATCHLIST_WIDTH",
    "LayoutPlan",
    "plan_layout",
]
