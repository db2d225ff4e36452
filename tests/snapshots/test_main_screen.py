"""Snapshots of the whole console fed fixed domain values: each theme, a stale stream, a venue
halt, live mode and the help screen.

The app runs with ``connect=False`` (no services) and a ManualClock on the fixed values of
``support.fixed_scene``, so the SVGs are identical run after run.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from console.domain import StreamState, TradingMode

from support.fixed_scene import SIZE, SnapCompare, console_app, fed


@pytest.mark.parametrize("theme", ["breakout-dark", "breakout-light", "breakout-colorblind"])
def test_main_screen_in_each_theme(snap_compare: SnapCompare, tmp_path: Path, theme: str) -> None:
    """The whole console in one theme: SIM + blue PAPER badges top left, the clock at
    03:04:05 UTC top right; two ladders (BTC, ETH) with asks above the spread line and bids
    below, depth bars growing outward, and amber ◆ own-order markers at 49,999.5 (bid) and
    50,000.6 (ask) on BTC; the tape newest first with one large 4.000 print in reverse video;
    the trades/min sparkline ending in a SPIKE; the gauges; below, the tab bar (Balances,
    Positions, Open orders, Fills, Streams) with the balances in front, BTC to 8 places and
    USDT to 2. Bid and ask colours follow the theme (blue/orange in colour-blind)."""
    app = console_app(tmp_path, theme)
    assert snap_compare(app, terminal_size=SIZE, run_before=fed(app))


def test_stale_stream_badges_every_ladder(snap_compare: SnapCompare, tmp_path: Path) -> None:
    """A stream that went quiet: each ladder header carries a STALE badge in the stale colour;
    the bottom's Streams tab is in front and its row reads STALE with a 14 s last-frame age,
    no latency measured (``-`` under Recv and Paint p50/p99), 1 gap, 1 resync, 2 reconnects
    and its last error; the status bar says 0/1 streams live in the alarm colour."""
    app = console_app(tmp_path, "breakout-dark")
    feed = fed(app, state=StreamState.STALE)

    async def run_before(pilot: Pilot[int]) -> None:
        await feed(pilot)
        app.main_screen.panels.show_tab("streams")
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_resyncing_stream_says_so(snap_compare: SnapCompare, tmp_path: Path) -> None:
    """While the book is being rebuilt the ladders say RESYNCING, not STALE."""
    app = console_app(tmp_path, "breakout-dark")
    assert snap_compare(app, terminal_size=SIZE, run_before=fed(app, state=StreamState.RESYNCING))


def test_halt_banner_after_a_403(snap_compare: SnapCompare, tmp_path: Path) -> None:
    """The venue banned our IP: a red banner under the status bar reads HALTED BY VENUE
    (HTTP 403) until 03:13:35 UTC with 9 min 30 s left, and the gauges say HALTED."""
    app = console_app(tmp_path, "breakout-dark")
    assert snap_compare(app, terminal_size=SIZE, run_before=fed(app, halted=True))


def test_live_mode_is_unmistakable(snap_compare: SnapCompare, tmp_path: Path) -> None:
    """Live mode: the status bar is red end to end and the mode badge reads LIVE in reverse
    red, next to the SIM venue badge: nothing like the blue PAPER badge of the other shots."""
    app = console_app(tmp_path, "breakout-dark", TradingMode.LIVE)
    assert snap_compare(app, terminal_size=SIZE, run_before=fed(app))


def test_help_screen_lists_every_binding(snap_compare: SnapCompare, tmp_path: Path) -> None:
    """The help screen over the console: a table of keys (F1 / ?, s, ], [, + / =, -, t,
    ctrl+t, w, l, the trading keys, q / ctrl+q, then the layout keys T, M, G, K, W, B, a, z
    and ctrl+p), each with its action, what it does and its remap id."""
    app = console_app(tmp_path, "breakout-dark")
    feed = fed(app)

    async def run_before(pilot: Pilot[int]) -> None:
        await feed(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
