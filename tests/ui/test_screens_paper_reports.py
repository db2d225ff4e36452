"""The paper session summary and the fill explanation, fed the paper engine's own models."""

from __future__ import annotations

from decimal import Decimal

from textual.widgets import DataTable, Static

from console.domain import Liquidity, Side
from console.paper import (
    FillExplanation,
    LevelTake,
    Position,
    SessionInfo,
    SessionSummary,
    TradeResult,
)
from console.tui.screens.fill_explanation import FillExplanationScreen
from console.tui.screens.session_summary import SessionSummaryScreen

from support.screen_host import ScreenHost

SESSION = SessionInfo(
    session_id=3,
    name="breakout drills",
    started_at="2026-11-25T09:30:00+00:00",
    last_active_at="2026-11-25T11:45:10+00:00",
    starting_balances={"USDT": Decimal("10000"), "BTC": Decimal("0")},
    leverage=Decimal("1"),
    fill_count=6,
)
SUMMARY = SessionSummary(
    session=SESSION,
    balances={"USDT": Decimal("10042.3"), "BTC": Decimal("0.01")},
    realised_pnl=Decimal("45.5"),
    fees=Decimal("3.2"),
    net_pnl=Decimal("42.3"),
    volume=Decimal("6400.5"),
    trade_count=6,
    best_trade=TradeResult(
        fill_id="f5",
        symbol="BTC/USDT",
        side=Side.SELL,
        price=Decimal("101.5"),
        size=Decimal("0.2"),
        net_pnl=Decimal("30.1"),
    ),
    worst_trade=TradeResult(
        fill_id="f2",
        symbol="BTC/USDT",
        side=Side.SELL,
        price=Decimal("98"),
        size=Decimal("0.1"),
        net_pnl=Decimal("-4.75"),
    ),
    open_positions=(
        Position(
            symbol="BTC/USDT",
            size=Decimal("0.01"),
            entry_price=Decimal("100"),
            realised_pnl=Decimal(0),
        ),
    ),
    open_orders=2,
)
WALK = FillExplanation(
    fill_id="f7",
    order_id="o9",
    symbol="BTC/USDT",
    side=Side.BUY,
    price=Decimal("100.6"),
    size=Decimal("0.5"),
    liquidity=Liquidity.TAKER,
    trigger="walk",
    levels=(
        LevelTake(
            price=Decimal("100.5"),
            size=Decimal("0.3"),
            displayed=Decimal("0.3"),
            available=Decimal("0.3"),
        ),
        LevelTake(
            price=Decimal("100.75"),
            size=Decimal("0.2"),
            displayed=Decimal("1.2"),
            available=Decimal("0.9"),
        ),
    ),
    book_sequence=881234,
    fee_rate=Decimal("0.00055"),
    fee=Decimal("0.027665"),
    fee_currency="USDT",
)
QUEUED = FillExplanation(
    fill_id="f8",
    order_id="o10",
    symbol="BTC/USDT",
    side=Side.SELL,
    price=Decimal("101"),
    size=Decimal("0.25"),
    liquidity=Liquidity.MAKER,
    trigger="queue",
    queue_ahead_at_placement=Decimal("1.4"),
    queue_ahead_before_fill=Decimal("0"),
    public_trade_id="pt-5521",
    fee_rate=Decimal("0.0002"),
    fee=Decimal("0.00505"),
    fee_currency="USDT",
    realised_pnl=Decimal("0.25"),
    closed_size=Decimal("0.25"),
)


def text_of(host: ScreenHost[None], widget_id: str) -> str:
    return str(host.modal.query_one(f"#{widget_id}", Static).render())


async def test_session_summary_lays_out_the_figures() -> None:
    app: ScreenHost[None] = ScreenHost(SessionSummaryScreen(SUMMARY))
    async with app.run_test(size=(100, 34)) as pilot:
        assert text_of(app, "title") == (
            'Practice session "breakout drills" · started 2026-11-25 09:30 UTC'
            " · last active 2026-11-25 11:45 UTC"
        )
        assert text_of(app, "figures").splitlines() == [
            "Net PnL       +42.3 USDT",
            "Realised      +45.5 USDT",
            "Fees          3.2 USDT",
            "Volume        6,400.5 USDT over 6 fills",
            "Best trade    SELL 0.2 BTC/USDT @ 101.5  +30.1 USDT",
            "Worst trade   SELL 0.1 BTC/USDT @ 98  -4.75 USDT",
            "BTC           0.01 (started with 0)",
            "USDT          10,042.3 (started with 10,000)",
            "Position      BTC/USDT 0.01 @ 100",
            "Open orders   2",
        ]
        await pilot.press("escape")
        assert app.results == [None]


async def test_an_empty_session_says_nothing_closed_yet() -> None:
    empty = SUMMARY.model_copy(
        update={
            "best_trade": None,
            "worst_trade": None,
            "net_pnl": Decimal(0),
            "trade_count": 1,
            "open_positions": (),
        }
    )
    app: ScreenHost[None] = ScreenHost(SessionSummaryScreen(empty, currency="USDC"))
    async with app.run_test(size=(100, 34)) as pilot:
        figures = text_of(app, "figures")
        assert "Net PnL       0 USDC" in figures
        assert "over 1 fill\n" in figures
        assert "Best trade    no closing trade yet" in figures
        assert "Position" not in figures
        await pilot.press("q")
        assert app.results == [None]


async def test_a_taker_fill_lists_the_levels_it_consumed() -> None:
    app: ScreenHost[None] = ScreenHost(FillExplanationScreen(WALK))
    async with app.run_test(size=(100, 34)) as pilot:
        assert text_of(app, "headline") == "Paper fill  BUY 0.5 BTC/USDT @ 100.6  taker"
        assert "walking the book" in text_of(app, "why")
        levels = app.modal.query_one("#levels", DataTable)
        assert [[str(cell) for cell in levels.get_row_at(i)] for i in range(levels.row_count)] == [
            ["100.5", "0.3", "0.3", "0.3"],
            ["100.75", "0.2", "1.2", "0.9"],
        ]
        assert text_of(app, "details").splitlines() == [
            "Fee            0.055 % taker = 0.027665 USDT",
            "Book sequence  881234",
            "Ids            fill f7 · order o9",
        ]
        await pilot.click("#close")
        assert app.results == [None]


async def test_a_resting_fill_shows_the_queue_ahead_and_the_print() -> None:
    app: ScreenHost[None] = ScreenHost(FillExplanationScreen(QUEUED))
    async with app.run_test(size=(100, 34)):
        assert "queue ahead" in text_of(app, "why")
        assert not app.modal.query("#levels")
        assert text_of(app, "details").splitlines() == [
            "Queue ahead    1.4 when placed",
            "               first in line when it filled",
            "Public trade   pt-5521",
            "Fee            0.02 % maker = 0.00505 USDT",
            "Realised PnL   0.25 on 0.25 closed (before fee)",
            "Ids            fill f8 · order o10",
        ]
