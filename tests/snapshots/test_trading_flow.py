"""Snapshots of trading in context: the ladder cursor with our own order and the size preset,
the confirmation over the console, and the live status bar once armed with the kill switch
engaged. The console runs on the fixed data of ``support.fixed_scene`` (``connect=False``)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from textual.pilot import Pilot

from console.domain import (
    Order,
    OrderRequest,
    OrderStatus,
    OrderType,
    Position,
    Side,
    TradingMode,
)
from console.domain.chase import ChaseLimits, ChaseState
from console.domain.scale import ScaleSpec, plan_scale
from console.tui.screens.confirm_order import ConfirmOrderScreen
from console.tui.trading.chases import MARKS as CHASE_MARKS
from console.tui.widgets.ladder import LadderMark
from console.tui.widgets.status_bar import StatusBar

from support.fixed_scene import MIDS, NOW, SIZE, console_app, fed, market, own_orders

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


def test_ladder_with_a_stop_a_take_profit_a_scale_preview_and_a_chase(
    snap_compare: SnapCompare, tmp_path: Path
) -> None:
    """The toolkit's marks on one ladder, each written by its own tool: a waiting sell stop
    (``STOP 0.01`` at its trigger 49,999.2, no ◆: it is not on the book), the long position's
    ``TP`` at 50,000.8 and ``SL`` at 49,999.1, a sell scale plan being previewed (``S1``..``S3``
    at 50,000.1 / .3 / .5, one ladder line each), and a chasing buy at the best bid 49,999.9
    (◆ with ``CHASE 0.001 (2 amends)``, cut to the narrow ladder's room)."""
    app = console_app(tmp_path, "breakout-dark")
    feed = fed(app)

    async def run_before(pilot: Pilot[int]) -> None:
        await feed(pilot)
        screen = app.main_screen
        stop = Order(
            order_id="stop-1",
            symbol=BTC,
            side=Side.SELL,
            type=OrderType.MARKET,
            status=OrderStatus.OPEN,
            quantity=Decimal("0.010"),
            trigger_price=Decimal("49999.2"),
            created_at=NOW,
        )
        chased = Order(
            order_id="chase-1",
            symbol=BTC,
            side=Side.BUY,
            type=OrderType.LIMIT,
            status=OrderStatus.OPEN,
            quantity=Decimal("0.001"),
            price=Decimal("49999.9"),
            created_at=NOW,
        )
        screen.show_account([], [*own_orders(), stop, chased])
        screen.show_positions(
            [
                Position(
                    symbol=BTC,
                    side=Side.BUY,
                    size=Decimal("0.100"),
                    entry_price=Decimal(49_990),
                    take_profit=Decimal("50000.8"),
                    stop_loss=Decimal("49999.1"),
                )
            ]
        )
        spec = ScaleSpec(
            symbol=BTC,
            side=Side.SELL,
            total=Decimal("0.030"),
            first_price=Decimal("50000.1"),
            last_price=Decimal("50000.5"),
            count=3,
        )
        app.trading.scale.show(plan_scale(spec, market(BTC)))
        chase = ChaseState.start(
            BTC,
            Side.BUY,
            Decimal("0.001"),
            Decimal("49999.7"),
            tick_size=Decimal("0.1"),
            limits=ChaseLimits(max_distance_pct=Decimal("0.5"), min_interval=0.5),
        )
        chase = chase.amended(Decimal("49999.8")).amended(Decimal("49999.9"))
        ladder = screen.ladders[0]
        ladder.set_marks(CHASE_MARKS, [LadderMark(chase.price, chase.label())])
        await pilot.pause()
        lines = [ladder.render_line(y).text for y in range(ladder.size.height)]
        assert any("STOP 0.01" in line and "49,999.2" in line for line in lines)
        assert any("CHASE 0.001" in line and "49,999.9" in line for line in lines)
        assert any("TP" in line and "50,000.8" in line for line in lines)
        assert sum("S1" in line or "S2" in line or "S3" in line for line in lines) == 3

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
