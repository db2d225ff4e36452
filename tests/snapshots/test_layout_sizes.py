"""The main screen at the terminal sizes people have, fed the fixed data of ``fixed_screen``:
the focused ladder keeps its price, size and cumulative columns at every size, and the other
panels take what is left in their declared order (tape, trades/min, gauges, candles,
watchlist, bottom tables)."""

from __future__ import annotations

from pathlib import Path

from support.fixed_scene import SnapCompare, console_app, fed


def _matches(snap_compare: SnapCompare, tmp_path: Path, size: tuple[int, int]) -> bool:
    app = console_app(tmp_path, "breakout-dark")
    return snap_compare(app, terminal_size=size, run_before=fed(app))


def test_80x24_a_default_terminal(snap_compare: SnapCompare, tmp_path: Path) -> None:
    """80x24: the BTC ladder on the left, 46 columns wide, with Price, Size and Cum columns
    (the ask with our ◆ order is counted as '◆1' on the column line); a narrow tape on the
    right without its side word (▲/▼ only), trades/min, and the gauges in their short form
    ('12/50 1s'). No watchlist and no chart; the bottom shows the tab bar (Balances first)
    with BTC to 8 places and USDT to 2. The status bar drops its venue and REST labels so the
    clock is whole."""
    assert _matches(snap_compare, tmp_path, (80, 24))


def test_120x35_a_laptop(snap_compare: SnapCompare, tmp_path: Path) -> None:
    """120x35: watchlist (34 columns), one ladder of about 52 columns with its depth bar, the
    candle chart under it, and the narrow tape, trades/min and short gauges on the right;
    the bottom tabs below."""
    assert _matches(snap_compare, tmp_path, (120, 35))


def test_160x45_a_wide_window(snap_compare: SnapCompare, tmp_path: Path) -> None:
    """160x45: the tape at its full width with the 'Side' column, the gauges with their bars
    and '1s window'; still one ladder (two would not each get their full width)."""
    assert _matches(snap_compare, tmp_path, (160, 45))


def test_200x50_two_ladders(snap_compare: SnapCompare, tmp_path: Path) -> None:
    """200x50: two ladders side by side (BTC with both ◆ own orders, ETH), each with all of
    its columns and a depth bar; watchlist, full tape, chart and bottom tabs around them."""
    assert _matches(snap_compare, tmp_path, (200, 50))


def test_240x60_three_ladders(snap_compare: SnapCompare, tmp_path: Path) -> None:
    """240x60: three ladders (BTC, ETH and SOL, which has no book yet and says it waits),
    each at least 46 columns; the bottom area is taller (about a sixth of the screen)."""
    assert _matches(snap_compare, tmp_path, (240, 60))
