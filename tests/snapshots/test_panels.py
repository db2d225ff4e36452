"""Snapshots of the four data panels (candles, rate limits, balances, open orders), fed fixed
domain values at a fixed terminal size, so a change in their look is seen in review."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from textual.app import App, ComposeResult
from textual.containers import Horizontal, Vertical

from console.domain import (
    Balance,
    Candle,
    EndpointCategory,
    Order,
    OrderStatus,
    OrderType,
    RateLimitStatus,
    Side,
    TimeInForce,
)
from console.tui.widgets.balances import BalancesTable
from console.tui.widgets.candles import CandleChart
from console.tui.widgets.open_orders import OpenOrdersTable
from console.tui.widgets.rate_limits import HaltBanner, RateLimitGauges

SnapCompare = Callable[..., bool]
NOW = datetime(2026, 11, 25, 12, 30, tzinfo=UTC)

CLOSES = ["100", "101.5", "101", "103", "102.5", "104", "103", "101", "100.5", "99", "100", "102"]


def candles() -> list[Candle]:
    bars = []
    previous = Decimal("99.5")
    for minute, text in enumerate(CLOSES):
        close = Decimal(text)
        bars.append(
            Candle(
                timestamp=NOW - timedelta(minutes=len(CLOSES) - minute),
                open=previous,
                high=max(previous, close) + Decimal("0.5"),
                low=min(previous, close) - Decimal("0.5"),
                close=close,
                volume=Decimal(3),
            )
        )
        previous = close
    return bars


def limit(category: EndpointCategory, used: int, limit: int, **extra: object) -> RateLimitStatus:
    values: dict[str, object] = {
        "category": category,
        "used": used,
        "limit": limit,
        "remaining": limit - used,
        "window_seconds": 1.0,
        "reset_at": NOW + timedelta(seconds=1),
    }
    values.update(extra)
    return RateLimitStatus.model_validate(values)


class PanelsHost(App[None]):
    """The panels as the main screen arranges them, with fixed data."""

    CSS = """
    #left { width: 3fr; }
    #right { width: 2fr; }
    """

    def __init__(self, *, halted: bool) -> None:
        super().__init__()
        self._halted = halted

    def compose(self) -> ComposeResult:
        yield HaltBanner()
        with Horizontal():
            with Vertical(id="left"):
                yield CandleChart()
                yield OpenOrdersTable()
            with Vertical(id="right"):
                yield RateLimitGauges()
                yield BalancesTable()

    def on_mount(self) -> None:
        self.query_one(CandleChart).set_candles("BTC/USDT", "1m", candles())
        self.query_one(RateLimitGauges).update_status(
            [
                limit(EndpointCategory.MARKET_DATA, 12, 120),
                limit(EndpointCategory.TRADING, 7, 10),
                limit(
                    EndpointCategory.TRADING,
                    9,
                    10,
                    endpoint="/v5/order/create",
                    learned_from_headers=True,
                ),
                limit(EndpointCategory.ACCOUNT, 1, 10, reset_at=None, window_seconds=5.0),
            ],
            NOW,
        )
        self.query_one(BalancesTable).update_balances(
            [
                Balance(
                    currency="USDT",
                    total=Decimal("10250.75"),
                    free=Decimal("9600.25"),
                    used=Decimal("650.5"),
                ),
                Balance(currency="BTC", total=Decimal("0.125"), free=Decimal("0.125")),
            ]
        )
        self.query_one(OpenOrdersTable).update_orders(
            [
                Order(
                    order_id="o-1",
                    symbol="BTC/USDT",
                    side=Side.BUY,
                    type=OrderType.LIMIT,
                    status=OrderStatus.OPEN,
                    quantity=Decimal("0.01"),
                    price=Decimal("99.5"),
                    time_in_force=TimeInForce.POST_ONLY,
                    created_at=NOW - timedelta(minutes=3),
                ),
                Order(
                    order_id="o-2",
                    symbol="BTC/USDT",
                    side=Side.SELL,
                    type=OrderType.LIMIT,
                    status=OrderStatus.PARTIALLY_FILLED,
                    quantity=Decimal("0.02"),
                    filled=Decimal("0.005"),
                    price=Decimal("104.5"),
                    created_at=NOW - timedelta(minutes=1),
                ),
            ]
        )
        self.query_one(HaltBanner).update_halt(
            NOW + timedelta(minutes=2, seconds=30) if self._halted else None, NOW
        )
        self.query_one(OpenOrdersTable).focus()


def test_panels_with_live_data(snap_compare: SnapCompare) -> None:
    """Left: a 1m BTC/USDT candle chart (green up bars, red down bars, title with the last
    bar's OHLC) over two open orders (a green BUY PostOnly, a red SELL partially filled, the
    first row under the cursor). Right: four rate-limit gauges (market data green with most
    headroom, trading amber at 7/10, the create-order endpoint red at 9/10 tagged "venue",
    account with a 5s window) over USDT and BTC balances. No halt banner."""
    assert snap_compare(PanelsHost(halted=False), terminal_size=(120, 32))


def test_halt_banner_over_the_panels(snap_compare: SnapCompare) -> None:
    """The same panels with a full-width red banner on top: halted by the venue (HTTP 403)
    until 12:32:30 UTC, 2m 30s left."""
    assert snap_compare(PanelsHost(halted=True), terminal_size=(120, 32))
