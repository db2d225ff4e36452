"""Where latency shows and where it is measured: the Streams table's columns and SLOW, the
ladder's SLOW badge and its paint hook, the status bar's venue clock (fixed values)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from textual.app import App, ComposeResult
from textual.widgets import Label

from console.domain import (
    DepthSnapshot,
    LatencySummary,
    PriceLevel,
    StreamHealth,
    StreamState,
    TradingMode,
    VenueClockReading,
)
from console.tui.widgets.ladder import OrderBookLadder
from console.tui.widgets.status_bar import StatusBar
from console.tui.widgets.stream_health import StreamHealthTable

D = Decimal
STAMP = datetime(2026, 11, 26, 10, 0, 0, 250_000, tzinfo=UTC)


def book(stamp: datetime | None = STAMP, *, top: str = "100", stale: bool = False) -> DepthSnapshot:
    return DepthSnapshot(
        symbol="BTC/USDT",
        bids=tuple(PriceLevel(D(top) - D("0.5") * i, D(1)) for i in range(30)),
        asks=tuple(PriceLevel(D(top) + D("0.5") + D("0.5") * i, D(1)) for i in range(30)),
        exchange_time=stamp,
        received_at=STAMP,
        stale=stale,
    )


class Host(App[None]):
    def compose(self) -> ComposeResult:
        yield StatusBar(venue="sim", mode=TradingMode.PAPER, is_sim=True)
        yield OrderBookLadder("BTC/USDT")
        yield StreamHealthTable()


def health(*, slow: bool, state: StreamState = StreamState.LIVE) -> StreamHealth:
    return StreamHealth(
        stream="sim linear",
        state=state,
        received_latency=LatencySummary(p50_ms=412.4, p99_ms=1_530.2, samples=900),
        painted_latency=None,
        slow=slow,
    )


async def test_the_streams_table_shows_latency_and_slow() -> None:
    app = Host()
    async with app.run_test(size=(160, 40)) as pilot:
        table = app.query_one(StreamHealthTable)
        table.update_health([health(slow=True)])
        await pilot.pause()
        cells = [str(cell) for cell in table.get_row("sim linear")]
        assert cells[1] == "SLOW"
        assert cells[4:6] == ["412/1,530 ms", "-"]  # nothing painted this stream's books
        table.update_health([health(slow=True, state=StreamState.STALE)])
        await pilot.pause()
        assert str(table.get_row("sim linear")[1]) == "STALE"  # silence outranks lateness
        table.update_health([health(slow=False)])
        await pilot.pause()
        assert str(table.get_row("sim linear")[1]) == "LIVE"


async def test_the_ladder_reports_each_new_book_once_as_it_draws_it() -> None:
    painted: list[tuple[str, int]] = []
    app = Host()
    async with app.run_test(size=(160, 40)) as pilot:
        ladder = app.query_one(OrderBookLadder)
        ladder.paint_listener = lambda symbol, ms: painted.append((symbol, ms))
        ladder.snapshot = book()
        await pilot.pause()
        assert painted == [("BTC/USDT", int(STAMP.timestamp() * 1000))]
        ladder.snapshot = book(STAMP + timedelta(seconds=1))  # same lines: nothing to draw
        await pilot.pause()
        assert len(painted) == 1
        ladder.snapshot = book(STAMP + timedelta(seconds=2), top="101")
        await pilot.pause()
        assert painted[-1][1] == int(STAMP.timestamp() * 1000) + 2000
        ladder.snapshot = book(STAMP + timedelta(seconds=3), top="102", stale=True)
        await pilot.pause()
        assert len(painted) == 2  # a stale book is the last good one, not a fresh paint
        ladder.snapshot = book(None, top="103")
        await pilot.pause()
        assert len(painted) == 2  # no venue stamp, nothing to measure


async def test_a_slow_stream_badges_the_ladder_without_distrusting_the_book() -> None:
    app = Host()
    async with app.run_test(size=(160, 40)) as pilot:
        ladder = app.query_one(OrderBookLadder)
        ladder.snapshot = book()
        ladder.slow = True
        await pilot.pause()
        assert "SLOW" in ladder.render_line(0).text
        assert ladder.badge is None  # the book is current, only late
        ladder.stream_state = StreamState.STALE
        await pilot.pause()
        header = ladder.render_line(0).text
        assert "STALE" in header
        assert "SLOW" not in header  # one badge: the worse one
        ladder.stream_state = StreamState.LIVE
        ladder.slow = False
        await pilot.pause()
        assert "SLOW" not in ladder.render_line(0).text


async def test_the_status_bar_shows_the_venue_clock_once_measured() -> None:
    app = Host()
    async with app.run_test(size=(160, 40)) as pilot:
        bar = app.query_one(StatusBar)
        label = bar.query_one("#status-venue-clock", Label)
        bar.update_venue_clock(None)
        await pilot.pause()
        assert not label.has_class("-measured")
        assert label.size.width == 0
        reading = VenueClockReading(
            offset_ms=-37.6, round_trip_ms=9.0, error_ms=4.5, measured_at=STAMP, samples=3
        )
        bar.update_venue_clock(reading)
        await pilot.pause()
        assert label.has_class("-measured")
        assert str(label.content) == "clock -38±4 ms"
        assert label.size.width > 0
