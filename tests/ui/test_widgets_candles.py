"""The candle chart: live prints fold into the newest bar, and the timeframe key asks the app."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from rich.segment import Segment
from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.pilot import Pilot

from console.domain import Candle, Side, Trade
from console.tui.widgets.candles import CandleChart, bar_open_time, fold_trades, timeframe_length

from support.builders import spot_market
from support.waiting import wait_until

T0 = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def candle(minute: int, open_: str, close: str) -> Candle:
    low, high = sorted((Decimal(open_), Decimal(close)))
    return Candle(
        timestamp=T0 + timedelta(minutes=minute),
        open=Decimal(open_),
        high=high + 1,
        low=low - 1,
        close=Decimal(close),
        volume=Decimal("2"),
    )


def trade(second: int, price: str, size: str = "0.5", symbol: str = "BTC/USDT") -> Trade:
    return Trade(
        symbol=symbol,
        trade_id=f"t{second}-{price}",
        price=Decimal(price),
        size=Decimal(size),
        side=Side.BUY,
        timestamp=T0 + timedelta(seconds=second),
    )


HISTORY = [candle(0, "100", "102"), candle(1, "102", "101")]


class ChartHost(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.asked: list[str] = []

    def compose(self) -> ComposeResult:
        yield CandleChart(redraw_interval=0.5)

    def on_candle_chart_timeframe_changed(self, message: CandleChart.TimeframeChanged) -> None:
        self.asked.append(message.timeframe)


@asynccontextmanager
async def chart_showing_history() -> AsyncIterator[tuple[CandleChart, Pilot[None]]]:
    """A chart in an 80x20 terminal, given :data:`HISTORY` and drawn once."""
    app = ChartHost()
    async with app.run_test(size=(80, 20)) as pilot:
        chart = app.query_one(CandleChart)
        chart.set_candles("BTC/USDT", "1m", HISTORY)
        await pilot.pause()
        yield chart, pilot


def test_timeframes_and_bar_alignment() -> None:
    assert timeframe_length("15m") == timedelta(minutes=15)
    assert timeframe_length("4h") == timedelta(hours=4)
    assert bar_open_time(T0 + timedelta(minutes=7, seconds=3), "5m") == T0 + timedelta(minutes=5)
    with pytest.raises(ValueError, match="unknown timeframe"):
        timeframe_length("1w")


def test_prints_widen_the_newest_bar_open_the_next_and_skip_old_ones() -> None:
    bars = fold_trades(
        HISTORY,
        [trade(75, "99.5"), trade(10, "500"), trade(70, "104", "1"), trade(130, "103", "0.25")],
        "1m",
    )
    assert bars[0] == HISTORY[0]
    assert (bars[1].high, bars[1].low, bars[1].close, bars[1].volume) == (
        Decimal("104"),
        Decimal("99.5"),
        Decimal("99.5"),
        Decimal("3.5"),
    )
    assert bars[2] == Candle(
        timestamp=T0 + timedelta(minutes=2),
        open=Decimal("103"),
        high=Decimal("103"),
        low=Decimal("103"),
        close=Decimal("103"),
        volume=Decimal("0.25"),
    )


async def test_chart_draws_history_and_follows_the_tape() -> None:
    app = ChartHost()
    async with app.run_test(size=(80, 20)) as pilot:
        chart = app.query_one(CandleChart)
        assert "loading" in str(chart.border_title)
        assert chart.render() == "loading bars…"  # words, not an empty grid of axes
        chart.set_candles("BTC/USDT", "1m", [])
        assert chart.render() == "no bars yet"
        chart.set_candles("BTC/USDT", "1m", HISTORY)
        await pilot.pause()
        drawn = str(chart.render())
        assert chart.border_title == "BTC/USDT 1m  O 102  H 103  L 100  C 101"
        assert "12:00" in drawn
        chart.add_trades([trade(65, "105", symbol="ETH/USDT"), trade(66, "104")])
        await pilot.pause()
        assert chart.candles[-1].close == Decimal("104")
        await wait_until(lambda: str(chart.border_title).endswith("C 104"), pilot=pilot)
        assert str(chart.border_title).endswith("H 104  L 100  C 104")


async def test_timeframe_key_cycles_and_asks_the_app_to_refetch() -> None:
    app = ChartHost()
    async with app.run_test(size=(80, 20)) as pilot:
        chart = app.query_one(CandleChart)
        chart.set_candles("BTC/USDT", "4h", HISTORY)
        chart.focus()
        await pilot.press("t", "t")
        await pilot.pause()
        assert app.asked == ["1d", "1m"]
        assert chart.timeframe == "1m"
        assert chart.candles == ()
        chart.add_trades([trade(1, "100")])
        assert chart.candles == (), "prints wait for the new history instead of mixing timeframes"
        assert chart.border_title == "BTC/USDT 1m · loading…"


async def test_only_the_newest_bars_that_fit_are_drawn() -> None:
    app = ChartHost()
    async with app.run_test(size=(50, 16)) as pilot:
        chart = app.query_one(CandleChart)
        chart.set_candles("BTC/USDT", "1m", [candle(minute, "100", "101") for minute in range(100)])
        await pilot.pause()
        drawn = str(chart.render())
        assert len(chart.candles) == 100
        assert "12:00" not in drawn
        assert "13:39" in drawn


async def test_live_prints_redraw_at_a_capped_rate() -> None:
    async with chart_showing_history() as (chart, pilot):
        first = chart.render()
        assert chart.render() is first, "an unchanged chart is not rebuilt"
        for second in range(61, 71):
            chart.add_trades([trade(second, "101.5")])
            await pilot.pause()
        assert chart._redraw_scheduled
        assert chart.render() is first, "prints wait for the timer to rebuild the drawing"
        assert not str(chart.border_title).endswith("C 101.5"), "and so does the title"
        await wait_until(lambda: str(chart.border_title).endswith("C 101.5"), pilot=pilot)
        assert not chart._redraw_scheduled
        assert chart.render() is not first, "the timer rebuilds the drawing with the prints"
        assert str(chart.border_title).endswith("C 101.5")
        assert chart.candles[-1].volume == Decimal("7.0")


async def test_a_drawing_built_in_the_background_is_shown_when_the_app_says() -> None:
    """The app hands the chart its chores' ``soon``: a finished live drawing goes on screen
    after the next ladder frame, not the moment the worker thread ends."""
    app = ChartHost()
    async with app.run_test(size=(80, 20)) as pilot:
        chart = app.query_one(CandleChart)
        held: list[Callable[[], None]] = []
        chart.show_between_frames = held.append
        chart.set_candles("BTC/USDT", "1m", HISTORY)
        await pilot.pause()
        first = chart.render()
        chart.add_trades([trade(61, "101.5")])
        # the 0.5 s redraw timer, then the worker thread
        await wait_until(lambda: bool(held), timeout=5.0, pilot=pilot)
        assert len(held) == 1
        assert chart.render() is first, "built, but not shown until the app runs it"
        held.pop()()
        assert chart.render() is not first
        assert str(chart.border_title).endswith("C 101.5")


async def test_the_title_writes_prices_to_the_markets_tick() -> None:
    """Bars arrive as the venue wrote them (``59984.40``); the title shows the tick's places
    with thousands separators, like the ladder."""
    app = ChartHost()
    async with app.run_test(size=(120, 20)) as pilot:
        chart = app.query_one(CandleChart)
        chart.markets = {"BTC/USDT": spot_market()}
        bar = Candle(
            timestamp=T0,
            open=Decimal("60011.4"),
            high=Decimal("60012.60"),
            low=Decimal("59984.40"),
            close=Decimal("59993.5"),
            volume=Decimal("2"),
        )
        chart.set_candles("BTC/USDT", "1m", [bar])
        await pilot.pause()
        assert chart.border_title == "BTC/USDT 1m  O 60,011.4  H 60,012.6  L 59,984.4  C 59,993.5"


async def test_a_replaced_background_drawing_is_freed_without_the_cycle_collector() -> None:
    """A worker sits in a reference cycle with its task: a drawing it held would stay until
    the collector ran (thousands of spans every two seconds). Once the next drawing replaces
    it, the first is gone by reference counting alone."""
    async with chart_showing_history() as (chart, pilot):
        chart.add_trades([trade(61, "101.5")])
        await wait_until(lambda: str(chart.border_title).endswith("C 101.5"), pilot=pilot)
        gc.collect()
        gc.disable()
        try:
            first = chart.render()
            shown, plain = id(first), str(first)
            del first
            chart.add_trades([trade(62, "101.7")])
            await wait_until(lambda: str(chart.border_title).endswith("C 101.7"), pilot=pilot)
            still_there = [
                item for item in gc.get_objects() if id(item) == shown and str(item) == plain
            ]
        finally:
            gc.enable()
    assert still_there == []


def _all_lines(chart: CandleChart) -> list[list[Segment]]:
    width, height = chart.region.size
    return [list(strip) for strip in chart.render_lines(Region(0, 0, width, height))]


async def test_the_chart_shows_its_live_drawing_as_textual_draws_it() -> None:
    """A live redraw's lines come from the worker thread; they are the lines Textual draws
    for the same drawing; and a theme change draws the chart on the loop again."""
    async with chart_showing_history() as (chart, pilot):
        first = chart.render()
        chart.add_trades([trade(61, "101.5"), trade(125, "103")])
        await wait_until(lambda: chart.render() is not first, pilot=pilot)
        assert chart._lines_given is not None, "the worker drew the lines"
        ours = _all_lines(chart)
        assert chart._lines_given is not None, "and they fit the chart: they were shown"
        chart.drop_lines()
        chart.refresh()
        assert _all_lines(chart) == ours
        assert chart.candles[-1].timestamp == T0 + timedelta(minutes=2)

        chart.add_trades([trade(130, "104")])
        await wait_until(lambda: chart._lines_given is not None, pilot=pilot)
        app = chart.app
        app.theme = "textual-light" if app.theme != "textual-light" else "nord"
        await pilot.pause()
        themed = _all_lines(chart)
        assert chart._lines_given is None
        chart.refresh()
        assert _all_lines(chart) == themed
