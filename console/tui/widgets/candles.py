"""Candlesticks for the selected symbol and timeframe, kept current by the live tape.

The app fetches history (REST ``fetch_ohlcv``) and hands it over with :meth:`set_candles`;
between fetches, :meth:`CandleChart.add_trades` folds public prints into the newest bar (or
opens the next one) so the chart moves with the market without polling. The timeframe key
only asks: the chart posts :class:`CandleChart.TimeframeChanged` and the app refetches.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import ClassVar

from textual.app import RenderResult
from textual.binding import Binding, BindingType
from textual.color import Color
from textual.message import Message
from textual.reactive import reactive
from textual_plotext import PlotextPlot

from console.domain import Candle, Trade
from console.tui.forms.theme_colours import theme_colour

TIMEFRAMES: tuple[str, ...] = ("1m", "5m", "15m", "1h", "4h", "1d")
"""The timeframes the cycle key steps through, in ccxt's notation."""

_UNIT_SECONDS = {"m": 60, "h": 3600, "d": 86400}
_INPUT_DATE_FORM = "Y-m-d H:M"
_MAX_BARS = 240
"""History kept; more than a terminal can show is only cost."""
_COLUMNS_PER_BAR = 2
"""A candle and a gap: fewer columns and bodies merge into a smear."""
_AXIS_COLUMNS = 10
LIVE_REDRAW_INTERVAL = 2.0
"""Seconds between redraws caused by live prints. A plotext build plus Textual's render of
its text costs 25-150 ms on the event loop, which every ladder repaint waits behind. Any
refresh of the widget pays that render, a border-title change included, so the title (the
newest bar's numbers) moves with the drawing; the ladder and tape are the live views."""


def timeframe_length(timeframe: str) -> timedelta:
    """``"15m"`` -> 15 minutes. Raises ValueError for a timeframe the chart does not know."""
    count, unit = timeframe[:-1], timeframe[-1:]
    if not count.isdigit() or unit not in _UNIT_SECONDS:
        raise ValueError(f"unknown timeframe {timeframe!r}")
    return timedelta(seconds=int(count) * _UNIT_SECONDS[unit])


def bar_open_time(moment: datetime, timeframe: str) -> datetime:
    """The open time of the bar of ``timeframe`` that contains ``moment`` (UTC-aligned)."""
    length = int(timeframe_length(timeframe).total_seconds())
    epoch = int(moment.timestamp())
    return datetime.fromtimestamp(epoch - epoch % length, tz=UTC)


def fold_trades(candles: Sequence[Candle], trades: Sequence[Trade], timeframe: str) -> list[Candle]:
    """The bars after these prints: a print in the newest bar widens it and moves its close,
    a later print opens new bars; prints older than the newest bar are already in the
    venue's history and are ignored."""
    bars = list(candles)
    for trade in sorted(trades, key=lambda trade: trade.timestamp):
        opened = bar_open_time(trade.timestamp, timeframe)
        if bars and opened < bars[-1].timestamp:
            continue
        if bars and opened == bars[-1].timestamp:
            last = bars[-1]
            bars[-1] = last.model_copy(
                update={
                    "high": max(last.high, trade.price),
                    "low": min(last.low, trade.price),
                    "close": trade.price,
                    "volume": last.volume + trade.size,
                }
            )
        else:
            bars.append(
                Candle(
                    timestamp=opened,
                    open=trade.price,
                    high=trade.price,
                    low=trade.price,
                    close=trade.price,
                    volume=trade.size,
                )
            )
    return bars[-_MAX_BARS:]


class CandleChart(PlotextPlot):
    """A candlestick chart; ``t`` cycles the timeframe."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "t",
            "cycle_timeframe",
            "Timeframe",
            id="candles.timeframe",
            tooltip="Show the next timeframe (1m, 5m, 15m, 1h, 4h, 1d)",
        ),
    ]

    DEFAULT_CSS = """
    CandleChart {
        min-height: 8;
        border: round $panel-lighten-2;
    }
    """

    can_focus = True

    timeframe: reactive[str] = reactive("1m")
    """The bar length shown, in ccxt's notation; changed by the cycle key or :meth:`set_candles`."""

    class TimeframeChanged(Message):
        """The trader picked another timeframe: the app should fetch its history."""

        def __init__(self, timeframe: str) -> None:
            super().__init__()
            self.timeframe = timeframe

    def __init__(
        self,
        *,
        timeframe: str = "1m",
        redraw_interval: float = LIVE_REDRAW_INTERVAL,
        name: str | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id)
        timeframe_length(timeframe)
        self.set_reactive(CandleChart.timeframe, timeframe)
        self.symbol: str | None = None
        """The symbol whose bars are shown; trades of other symbols are ignored."""
        self._candles: list[Candle] = []
        self._loading = True
        self._version = 0
        """Bumped when the drawing must be rebuilt (new history, timeframe, the live-redraw
        timer); with size and theme it keys the cached drawing."""
        self._drawn_key: tuple[object, ...] | None = None
        self._drawn: RenderResult = ""
        self._redraw_scheduled = False
        self._redraw_interval = redraw_interval
        self.border_title = self._title()
        self.border_subtitle = "t: timeframe"

    @property
    def candles(self) -> tuple[Candle, ...]:
        """The bars as currently drawn, oldest first."""
        return tuple(self._candles)

    def set_candles(self, symbol: str, timeframe: str, candles: Sequence[Candle]) -> None:
        """Replace the history shown (a fresh fetch for this symbol and timeframe)."""
        timeframe_length(timeframe)
        self.symbol = symbol
        self.set_reactive(CandleChart.timeframe, timeframe)
        self._candles = sorted(candles, key=lambda candle: candle.timestamp)[-_MAX_BARS:]
        self._loading = False
        self._version += 1
        self.border_title = self._title()
        self.refresh()

    def add_trades(self, trades: Sequence[Trade]) -> None:
        """Fold live prints of the shown symbol into the newest bars."""
        mine = [trade for trade in trades if trade.symbol == self.symbol]
        if not mine or self._loading:
            return
        self._candles = fold_trades(self._candles, mine, self.timeframe)
        if not self._redraw_scheduled:
            self._redraw_scheduled = True
            self.set_timer(self._redraw_interval, self._redraw_now)

    def _redraw_now(self) -> None:
        self._redraw_scheduled = False
        self._version += 1
        self.border_title = self._title()
        self.refresh()

    def action_cycle_timeframe(self) -> None:
        position = TIMEFRAMES.index(self.timeframe) if self.timeframe in TIMEFRAMES else -1
        self.timeframe = TIMEFRAMES[(position + 1) % len(TIMEFRAMES)]
        self._candles = []
        self._loading = True
        self._version += 1
        self.border_title = self._title()
        self.post_message(self.TimeframeChanged(self.timeframe))
        self.refresh()

    def render(self) -> RenderResult:
        if not self._candles:
            # Words, not an empty grid of axes: and the first frame skips a plotext build.
            return "loading bars…" if self._loading else "no bars yet"
        key = (self.size, self.app.theme, self._version)
        if key != self._drawn_key:
            self._draw()
            self._drawn = super().render()
            self._drawn_key = key
        return self._drawn

    def _title(self) -> str:
        name = f"{self.symbol or 'no symbol'} {self.timeframe}"
        if self._loading:
            return f"{name} · loading…"
        if not self._candles:
            return f"{name} · no bars yet"
        last = self._candles[-1]
        return f"{name}  O {last.open:f}  H {last.high:f}  L {last.low:f}  C {last.close:f}"

    def _draw(self) -> None:
        """Lay out the plot from the current bars; plotext builds it when rendered.

        Prices become floats here only to place marks on a character grid; nothing drawn
        is read back as money."""
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        daily = timeframe_length(self.timeframe) >= timedelta(days=1)
        plt.date_form(_INPUT_DATE_FORM, "d/m" if daily else "H:M")
        visible = max(1, (self.size.width - _AXIS_COLUMNS) // _COLUMNS_PER_BAR)
        bars = self._candles[-visible:]
        if not bars:
            return
        up = Color.parse(theme_colour(self.app, "bid")).rgb
        down = Color.parse(theme_colour(self.app, "ask")).rgb
        plt.candlestick(
            [f"{candle.timestamp:%Y-%m-%d %H:%M}" for candle in bars],
            {
                "Open": [float(candle.open) for candle in bars],
                "Close": [float(candle.close) for candle in bars],
                "High": [float(candle.high) for candle in bars],
                "Low": [float(candle.low) for candle in bars],
            },
            colors=[up, down],
        )
