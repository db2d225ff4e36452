"""Snapshots of trading in context: the ladder cursor with our own order and the size preset,
the confirmation over the console, and the live status bar once armed with the kill switch
engaged. The console runs on the fixed data of ``support.fixed_scene`` (``connect=False``)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from textual.pilot import Pilot

from console.domain import OrderRequest, OrderType, Side, TradingMode
from console.tui.screens.confirm_order import ConfirmOrderScreen
from console.tui.widgets.status_bar import StatusBar

from support.fixed_scene import MIDS, SIZE, console_app, fed, market

SnapCompare = Callable[..., bool]
BTC = "BTC/USDT:USDT"


def test_ladder_cursor_and_confirmation(snap_compare: SnapCompare, tmp_path: Path) -> None:
    """The BTC ladder has focus; its header reads ``▶ 49,999.5  size 0.001 BTC (x5)``; the
    bid line at 49,999.5 starts with ``▶◆`` (the cursor on our own resting order) and its
    price is in reverse video. Over the console, the blue PAPER ORDER confirmation of a BUY
    0.005 BTC limit at 49,999.5: notional 249.9975 USDT, the maker fee, a band 0.00 % below
    mid inside the 5 % band, and Back (n) / Send paper order (y)."""
    app = console_app(tmp_path, "breakout-dark")
    feed = fed(app)

    async def run_before(pilot: Pilot[int]) -> None:
        await feed(pilot)
        ladder = app.main_screen.ladders[0]
        ladder.focus()
        ladder.cursor_price = Decimal("49999.5")
        for _ in range(2):
            app.trading.ladder_keys.change_size(+1)
        await pilot.pause()
        request = OrderRequest(
            symbol=BTC,
            side=Side.BUY,
            type=OrderType.LIMIT,
            quantity=Decimal("0.005"),
            price=Decimal("49999.5"),
        )
        app.push_screen(
            ConfirmOrderScreen(
                request,
                market(BTC),
                mode=TradingMode.PAPER,
                venue="sim",
                reference_price=MIDS[BTC] - Decimal("0.05"),
                price_band_pct=Decimal(5),
            )
        )
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_live_armed_with_the_kill_switch_engaged(snap_compare: SnapCompare, tmp_path: Path) -> None:
    """Live mode, armed: the status bar stays red end to end; after SIM and the reversed red
    LIVE badge come a red ARMED badge and an amber KILL SWITCH badge (new orders blocked)."""
    app = console_app(tmp_path, "breakout-dark", TradingMode.LIVE)
    feed = fed(app)

    async def run_before(pilot: Pilot[int]) -> None:
        await feed(pilot)
        bar = app.main_screen.query_one(StatusBar)
        bar.show_armed(True)
        bar.show_kill_switch(True)
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
