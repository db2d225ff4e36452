"""The console on fixed domain values, for snapshots: books, prints, candles, balances, orders,
stream health and rate limits built arithmetically, so the SVGs are identical run after run.

The app runs with ``connect=False`` (no services) and a ManualClock; ``fed`` hands the values to
the main screen as the paint loop would.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from textual.pilot import Pilot

from console.config import Settings
from console.domain import (
    Balance,
    Candle,
    DepthSnapshot,
    EndpointCategory,
    ManualClock,
    Market,
    MarketType,
    Order,
    OrderStatus,
    OrderType,
    PriceLevel,
    RateLimitStatus,
    Side,
    StreamHealth,
    StreamState,
    Trade,
    TradeStats,
    TradingMode,
)
from console.tui.app import ConsoleApp

NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
SIZE = (200, 50)
SYMBOLS = ("BTC/USDT:USDT", "ETH/USDT:USDT", "SOL/USDT:USDT")
MIDS = {"BTC/USDT:USDT": Decimal(50_000), "ETH/USDT:USDT": Decimal(3_000)}

SnapCompare = Callable[..., bool]
"""pytest-textual-snapshot's ``snap_compare`` fixture."""


def market(symbol: str) -> Market:
    base = symbol.split("/")[0]
    return Market(
        symbol=symbol,
        venue_id=f"{base}USDT",
        type=MarketType.LINEAR,
        base=base,
        quote="USDT",
        settle="USDT",
        tick_size=Decimal("0.1") if base == "BTC" else Decimal("0.01"),
        qty_step=Decimal("0.001"),
    )


def book(symbol: str, *, stale: bool = False) -> DepthSnapshot:
    tick = market(symbol).tick_size
    mid = MIDS.get(symbol, Decimal(150))

    def size(i: int) -> Decimal:
        return Decimal("0.250") + Decimal((i * 7) % 11) / 8

    return DepthSnapshot(
        symbol=symbol,
        bids=tuple(PriceLevel(mid - tick * (i + 1), size(i)) for i in range(50)),
        asks=tuple(PriceLevel(mid + tick * i, size(i + 3)) for i in range(50)),
        sequence=1000,
        received_at=NOW,
        stale=stale,
    )


def prints(symbol: str) -> list[Trade]:
    mid = MIDS[symbol]
    return [
        Trade(
            symbol=symbol,
            trade_id=f"t{i}",
            price=mid + Decimal("0.1") * ((i * 3) % 5 - 2),
            size=Decimal("4.000") if i == 17 else Decimal("0.100") + Decimal(i % 4) / 10,
            side=Side.BUY if i % 3 else Side.SELL,
            timestamp=NOW - timedelta(seconds=40 - i),
        )
        for i in range(40)
    ]


def candles() -> list[Candle]:
    bars = []
    close = Decimal(49_900)
    for minute in range(60):
        opened = close
        close = opened + Decimal((minute * 37) % 23 - 10) * 3
        bars.append(
            Candle(
                timestamp=NOW.replace(second=0) - timedelta(minutes=60 - minute),
                open=opened,
                high=max(opened, close) + 12,
                low=min(opened, close) - 9,
                close=close,
                volume=Decimal(5),
            )
        )
    return bars


def own_orders() -> list[Order]:
    return [
        Order(
            order_id="o-1",
            symbol="BTC/USDT:USDT",
            side=Side.BUY,
            type=OrderType.LIMIT,
            status=OrderStatus.OPEN,
            quantity=Decimal("0.500"),
            price=Decimal("49999.5"),
            created_at=NOW - timedelta(minutes=3),
        ),
        Order(
            order_id="o-2",
            symbol="BTC/USDT:USDT",
            side=Side.SELL,
            type=OrderType.LIMIT,
            status=OrderStatus.OPEN,
            quantity=Decimal("0.200"),
            price=Decimal("50000.6"),
            created_at=NOW - timedelta(minutes=1),
        ),
    ]


def health(state: StreamState) -> list[StreamHealth]:
    return [
        StreamHealth(
            stream="sim linear",
            state=state,
            topics=6,
            messages_per_second=42.0,
            last_message_age=0.2 if state is StreamState.LIVE else 14.0,
            gaps=0 if state is StreamState.LIVE else 1,
            resyncs=0 if state is StreamState.LIVE else 1,
            reconnects=0 if state is StreamState.LIVE else 2,
            last_error=None if state is StreamState.LIVE else "no frame for 14 s",
        )
    ]


def limits(*, halted: bool) -> list[RateLimitStatus]:
    until = NOW + timedelta(minutes=9, seconds=30) if halted else None
    return [
        RateLimitStatus(
            category=EndpointCategory.MARKET_DATA,
            used=12,
            limit=50,
            remaining=38,
            window_seconds=1.0,
            halted_until=until,
        ),
        RateLimitStatus(
            category=EndpointCategory.TRADING,
            used=9,
            limit=10,
            remaining=1,
            window_seconds=1.0,
            halted_until=until,
        ),
    ]


def console_app(tmp_path: Path, theme: str, mode: TradingMode = TradingMode.PAPER) -> ConsoleApp:
    settings = Settings(theme=theme, mode=mode, symbols=SYMBOLS, data_dir=tmp_path / "data")
    app = ConsoleApp(settings, clock=ManualClock(NOW), connect=False)
    app.animation_level = "none"
    return app


def fed(
    app: ConsoleApp, *, state: StreamState = StreamState.LIVE, halted: bool = False
) -> Callable[[Pilot[int]], Awaitable[None]]:
    """A ``run_before`` that hands the fixed values to the screen, as the paint loop would."""

    async def run_before(pilot: Pilot[int]) -> None:
        await pilot.pause()
        screen = app.main_screen
        screen.show_markets({symbol: market(symbol) for symbol in SYMBOLS})
        screen.show_connection("● connected")
        screen.show_health(health(state))
        for symbol in MIDS:
            screen.show_book(symbol, book(symbol, stale=state is not StreamState.LIVE))
        screen.show_trades("BTC/USDT:USDT", prints("BTC/USDT:USDT"))
        screen.show_candles("BTC/USDT:USDT", "1m", candles())
        stats = {
            symbol: TradeStats(
                symbol=symbol,
                trade_count=120 + i * 30,
                buy_count=70,
                sell_count=50 + i * 30,
                last_price=MIDS.get(symbol, Decimal(150)),
                as_of=NOW,
            )
            for i, symbol in enumerate(SYMBOLS)
        }
        screen.show_activity(stats, [3, 5, 8, 6, 4, 7, 9, 12, 10, 8, 6, 30])
        screen.show_account(
            [
                Balance(currency="USDT", total=Decimal(10_000), free=Decimal(7_480)),
                Balance(currency="BTC", total=Decimal("0.25"), free=Decimal("0.25")),
            ],
            own_orders(),
        )
        screen.show_rate_limits(limits(halted=halted), NOW)
        screen.show_clock(NOW, 12.0)
        await pilot.pause()

    return run_before
