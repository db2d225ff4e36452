"""Snapshots of the trading dialogs (issue 7) with fixed data at a fixed terminal size."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from textual.app import App
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input

from console.domain import (
    Liquidity,
    OrderRequest,
    OrderType,
    Side,
    TimeInForce,
    TradingMode,
)
from console.paper import (
    FillExplanation,
    LevelTake,
    Position,
    SessionInfo,
    SessionSummary,
    TradeResult,
)
from console.tui.forms.order_draft import OrderDraft
from console.tui.screens.arm_live import ArmLiveScreen
from console.tui.screens.confirm_order import ConfirmOrderScreen
from console.tui.screens.fill_explanation import FillExplanationScreen
from console.tui.screens.order_entry import OrderEntryScreen
from console.tui.screens.session_summary import SessionSummaryScreen
from console.tui.screens.start_session import StartSessionScreen

from support.builders import linear_market

SnapCompare = Callable[..., bool]
SIZE = (100, 34)

BTC = linear_market()


class DialogHost(App[None]):
    """An empty app with one dialog pushed over it."""

    def __init__(self, screen: Screen[Any]) -> None:
        super().__init__()
        self.dialog = screen

    def on_mount(self) -> None:
        self.push_screen(self.dialog)


async def steady_cursor(pilot: Pilot[None]) -> None:
    """Input cursors blink on a timer; hold them on so every run draws the same frame."""
    await pilot.pause()
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    await pilot.pause()


def refuse_over_5000(request: OrderRequest) -> str | None:
    notional = request.notional
    if notional is not None and notional > 5000:
        return f"Order value {notional:f} USDT is above your 5000 USDT maximum per order"
    return None


def test_order_form_with_validation_errors(snap_compare: SnapCompare) -> None:
    """A blue-framed order form with a PAPER badge, titled SELL BTC/USDT:USDT in red: under
    the quantity 0.0155, "Quantity must be a multiple of 0.001 (nearest: 0.015)"; under the
    price 64000.25, "Price must be a multiple of the 0.1 tick (nearest: 64000.3)"; the rules
    line reads tick 0.1, step 0.001 BTC, min 0.001 BTC, min value 5 USDT."""
    screen = OrderEntryScreen(
        {BTC.symbol: BTC},
        draft=OrderDraft(BTC.symbol, side=Side.SELL, quantity="0.0155", price="64000.25"),
        risk_check=refuse_over_5000,
    )
    assert snap_compare(DialogHost(screen), terminal_size=SIZE, run_before=steady_cursor)


def test_order_form_refused_by_the_risk_gate(snap_compare: SnapCompare) -> None:
    """A valid BUY 0.1 at 64000 that the risk gate refuses: fields clean, value 6400 USDT,
    and the refusal "Order value 6400.0 USDT is above your 5000 USDT maximum per order" in red
    under it."""
    screen = OrderEntryScreen(
        {BTC.symbol: BTC},
        draft=OrderDraft(BTC.symbol, quantity="0.1", price="64000"),
        risk_check=refuse_over_5000,
    )
    assert snap_compare(DialogHost(screen), terminal_size=SIZE, run_before=steady_cursor)


def test_confirmation_of_a_live_order(snap_compare: SnapCompare) -> None:
    """A red-framed dialog with a red "LIVE ORDER · bybit · REAL MONEY" banner; BUY 0.05 BTC
    limit 64000; notional 3200 USDT; fee 0.64 USDT maker 0.02 % up to 1.76 USDT if it takes;
    price band in green "0.39 % below mid 64250, inside the 5 % band"; Back focused."""
    request = OrderRequest(
        symbol=BTC.symbol,
        side=Side.BUY,
        type=OrderType.LIMIT,
        quantity=Decimal("0.05"),
        price=Decimal("64000"),
    )
    screen = ConfirmOrderScreen(
        request,
        BTC,
        mode=TradingMode.LIVE,
        venue="bybit",
        reference_price=Decimal("64250"),
        price_band_pct=Decimal("5"),
    )
    assert snap_compare(DialogHost(screen), terminal_size=SIZE)


def test_confirmation_of_a_paper_order_outside_the_band(snap_compare: SnapCompare) -> None:
    """A blue "PAPER ORDER · sim" banner; SELL 0.2 BTC limit 70000 PostOnly; fee at the
    maker rate only; the band line in red: "8.95 % above mid 64250, OUTSIDE the 5 % band";
    Send focused."""
    request = OrderRequest(
        symbol=BTC.symbol,
        side=Side.SELL,
        type=OrderType.LIMIT,
        quantity=Decimal("0.2"),
        price=Decimal("70000"),
        time_in_force=TimeInForce.POST_ONLY,
    )
    screen = ConfirmOrderScreen(
        request,
        BTC,
        mode=TradingMode.PAPER,
        venue="sim",
        reference_price=Decimal("64250"),
        price_band_pct=Decimal("5"),
    )
    assert snap_compare(DialogHost(screen), terminal_size=SIZE)


def test_arm_live_modal(snap_compare: SnapCompare) -> None:
    """A red-framed modal titled "ARM LIVE TRADING · REAL MONEY": venue bybit, account
    "UID 4242 (unified trading)", key rights read, order, withdraw, with an amber warning that
    the key can withdraw; the phrase box half typed ("ARM LIVE"), Arm button disabled."""
    screen = ArmLiveScreen("bybit", "UID 4242 (unified trading)", ["read", "order", "withdraw"])

    async def half_typed(pilot: Pilot[None]) -> None:
        await steady_cursor(pilot)
        await pilot.press(*"ARM LIVE")

    assert snap_compare(DialogHost(screen), terminal_size=SIZE, run_before=half_typed)


SESSION = SessionInfo(
    session_id=3,
    name="breakout drills",
    started_at="2026-11-25T09:30:00+00:00",
    last_active_at="2026-11-25T11:45:10+00:00",
    starting_balances={"USDT": Decimal("10000")},
    leverage=Decimal("10"),
    fill_count=8,
)


def test_session_summary(snap_compare: SnapCompare) -> None:
    """Session "breakout drills": net PnL +118.4 USDT in green, realised +124.9, fees 6.5,
    volume 48,210.75 USDT over 8 fills, best trade +96.2 (green), worst -21.35 (red),
    USDT balance next to its 10,000 start, one open position and 1 open order."""
    summary = SessionSummary(
        session=SESSION,
        balances={"USDT": Decimal("10118.4")},
        realised_pnl=Decimal("124.9"),
        fees=Decimal("6.5"),
        net_pnl=Decimal("118.4"),
        volume=Decimal("48210.75"),
        trade_count=8,
        best_trade=TradeResult(
            fill_id="f6",
            symbol=BTC.symbol,
            side=Side.SELL,
            price=Decimal("64410.5"),
            size=Decimal("0.1"),
            net_pnl=Decimal("96.2"),
        ),
        worst_trade=TradeResult(
            fill_id="f3",
            symbol=BTC.symbol,
            side=Side.BUY,
            price=Decimal("64120"),
            size=Decimal("0.05"),
            net_pnl=Decimal("-21.35"),
        ),
        open_positions=(
            Position(
                symbol=BTC.symbol,
                size=Decimal("-0.02"),
                entry_price=Decimal("64380.5"),
                realised_pnl=Decimal(0),
            ),
        ),
        open_orders=1,
    )
    assert snap_compare(DialogHost(SessionSummaryScreen(summary)), terminal_size=SIZE)


def test_fill_explanation_of_a_market_order(snap_compare: SnapCompare) -> None:
    """A taker BUY 0.35 @ 64001.3 (green): "took liquidity on arrival, walking the book",
    a table of the three levels consumed (price, took, book showed, left for us: the second
    level had 0.1 taken by an earlier paper order), then fee 0.055 % taker and the ids."""
    explanation = FillExplanation(
        fill_id="f9",
        order_id="o12",
        symbol=BTC.symbol,
        side=Side.BUY,
        price=Decimal("64001.3"),
        size=Decimal("0.35"),
        liquidity=Liquidity.TAKER,
        trigger="walk",
        levels=(
            LevelTake(
                price=Decimal("64000.5"),
                size=Decimal("0.12"),
                displayed=Decimal("0.12"),
                available=Decimal("0.12"),
            ),
            LevelTake(
                price=Decimal("64001.5"),
                size=Decimal("0.2"),
                displayed=Decimal("0.3"),
                available=Decimal("0.2"),
            ),
            LevelTake(
                price=Decimal("64003"),
                size=Decimal("0.03"),
                displayed=Decimal("1.5"),
                available=Decimal("1.5"),
            ),
        ),
        book_sequence=5501234,
        fee_rate=Decimal("0.00055"),
        fee=Decimal("12.3202502"),
        fee_currency="USDT",
    )
    assert snap_compare(DialogHost(FillExplanationScreen(explanation)), terminal_size=SIZE)


def test_start_session_form(snap_compare: SnapCompare) -> None:
    """A "Paper practice session" dialog: one resumable session (#3 breakout drills, 8
    fills) in a list, then the new-session fields pre-filled: name, USDT 10000, BTC 0, an
    empty Other row, leverage 10; no errors."""
    screen = StartSessionScreen(
        default_balances={"USDT": Decimal("10000"), "BTC": Decimal("0")},
        default_leverage=Decimal("10"),
        default_name="practice 2026-11-25",
        sessions=[SESSION],
    )
    assert snap_compare(DialogHost(screen), terminal_size=SIZE, run_before=steady_cursor)
