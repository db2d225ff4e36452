"""The candle chart: live prints fold into the newest bar, and the timeframe key asks the app."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from rich.color import Color
from rich.segment import Segment
from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.pilot import Pilot
from textual.theme import Theme

from console.domain import Candle, Side, Trade
from console.tui.forms.theme_colours import theme_colour
from console.tui.widgets.candle_drawing import BODY, WICK
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


def drawn(chart: CandleChart) -> str:
    """The chart's drawing as text, a line per row."""
    return "\n".join(strip.text for strip in chart.lines)


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
        assert drawn(chart).strip() == "loading bars…"  # words, not an empty grid of axes
        chart.set_candles("BTC/USDT", "1m", [])
        assert drawn(chart).strip() == "no bars yet"
        chart.set_candles("BTC/USDT", "1m", HISTORY)
        await pilot.pause()
        assert chart.border_title == "BTC/USDT 1m  O 102  H 103  L 100  C 101"
        assert "12:00" in drawn(chart)
        assert BODY in drawn(chart)
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
        text = drawn(chart)
        assert len(chart.candles) == 100
        assert "12:00" not in text
        assert "13:35" in text  # the newest bar on a round time (13:39 is the newest bar)
        ends = {line[-2:] for line in text.splitlines()[:-2]} - {"  "}
        assert ends == {f"{BODY} ", f"{WICK} "}, "the newest bar ends the chart, then a gap"


async def test_live_prints_redraw_at_a_capped_rate() -> None:
    async with chart_showing_history() as (chart, pilot):
        first = chart.lines
        assert chart.lines is first, "an unchanged chart is not drawn again"
        for second in range(61, 71):
            chart.add_trades([trade(second, "101.5")])
            await pilot.pause()
        assert chart._redraw_scheduled
        assert chart.lines is first, "prints wait for the timer to draw the chart again"
        assert not str(chart.border_title).endswith("C 101.5"), "and so does the title"
        await wait_until(lambda: str(chart.border_title).endswith("C 101.5"), pilot=pilot)
        assert not chart._redraw_scheduled
        assert chart.lines is not first, "the timer draws the chart with the prints"
        assert str(chart.border_title).endswith("C 101.5")
        assert chart.candles[-1].volume == Decimal("7.0")


async def test_a_live_redraw_is_shown_when_the_app_says() -> None:
    """The app hands the chart its chores' ``soon``: a redraw with live prints is drawn
    after the next ladder frame, not whenever the timer fires."""
    app = ChartHost()
    async with app.run_test(size=(80, 20)) as pilot:
        chart = app.query_one(CandleChart)
        held: list[Callable[[], None]] = []
        chart.show_between_frames = held.append
        chart.set_candles("BTC/USDT", "1m", HISTORY)
        await pilot.pause()
        first = chart.lines
        chart.add_trades([trade(61, "101.5")])
        await wait_until(lambda: bool(held), timeout=5.0, pilot=pilot)  # the 0.5 s timer
        assert len(held) == 1
        assert chart.lines is first, "due, but not drawn until the app runs it"
        held.pop()()
        assert chart.lines is not first
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


def _all_lines(chart: CandleChart) -> list[list[Segment]]:
    width, height = chart.region.size
    return [list(strip) for strip in chart.render_lines(Region(0, 0, width, height))]


def _bar_colours(chart: CandleChart) -> set[tuple[int, int, int]]:
    """The colours of the bars' bodies on screen (every bar has one)."""
    return {
        segment.style.color.get_truecolor()
        for line in _all_lines(chart)
        for segment in line
        if segment.text == BODY and segment.style and segment.style.color
    }


def _truecolor(colour: str) -> tuple[int, int, int]:
    return Color.parse(colour).get_truecolor()


async def test_the_screen_shows_the_chart_drawing_in_the_themes_colours() -> None:
    """What Textual puts on screen inside the border is the chart's drawing; bars rising
    are in the theme's bid colour and falling in its ask colour, and a theme change draws
    them again in the new theme's."""
    async with chart_showing_history() as (chart, pilot):
        chart.add_trades([trade(61, "101.5"), trade(125, "103")])
        await wait_until(lambda: str(chart.border_title).endswith("C 103"), pilot=pilot)
        inside = ["".join(s.text for s in line)[1:-1] for line in _all_lines(chart)[1:-1]]
        assert inside == [strip.text for strip in chart.lines]
        app = chart.app
        bid, ask = theme_colour(app, "bid"), theme_colour(app, "ask")
        assert _bar_colours(chart) == {_truecolor(bid), _truecolor(ask)}

        app.register_theme(
            Theme(
                name="chart-test",
                primary="#0178D4",
                variables={"bid": "#3355FF", "ask": "#FF33CC"},
            )
        )
        app.theme = "chart-test"
        await pilot.pause()
        assert _bar_colours(chart) == {_truecolor("#3355FF"), _truecolor("#FF33CC")}
