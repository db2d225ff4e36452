"""Candlesticks for the selected symbol and timeframe, kept current by the live tape.

The app fetches history (REST ``fetch_ohlcv``) and hands it over with :meth:`set_candles`;
between fetches, :meth:`CandleChart.add_trades` folds public prints into the newest bar (or
opens the next one) so the chart moves with the market without polling. The timeframe key
only asks: the chart posts :class:`CandleChart.TimeframeChanged` and the app refetches.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import RenderResult
from textual.binding import Binding, BindingType
from textual.color import Color
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip
from textual.worker import Worker, WorkerState
from textual_plotext import PlotextPlot
from textual_plotext.plot import Plot

from console.domain import Candle, Market, Trade
from console.tui.formatting import price_text
from console.tui.forms.theme_colours import theme_colour
from console.tui.textual_compat import (
    LinesDrawnOffLoop,
    LineSetting,
    draw_lines,
    line_setting,
    plotext_theme_name,
    size_plot,
)
from console.tui.widgets.panel_boundary import PanelBoundary

log = logging.getLogger(__name__)

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
"""Seconds between redraws caused by live prints. A plotext build costs several ladder
frames of pure Python (``bench/RESULTS.md``), so these redraws are built in a worker thread
(see :meth:`CandleChart._redraw_now`) and only the finished text is handed to Textual; the
title (the newest bar's numbers) moves with the drawing. The ladder and tape are the live
views."""


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


@dataclass(frozen=True)
class _Drawing:
    """Everything a drawing depends on, read on the event loop, so that it can be built on
    any thread: the plotext build reads nothing of the widget or the app."""

    candles: tuple[Candle, ...]
    timeframe: str
    size: Size
    plotext_theme: str
    up: tuple[int, int, int]
    down: tuple[int, int, int]


@dataclass(frozen=True)
class _Built:
    """A drawing built in the background, with the key and title it was built for, and its
    lines as the chart shows them, drawn there too when the chart's setting was known."""

    key: tuple[object, ...]
    title: str
    text: Text
    lines: tuple[LineSetting, list[Strip]] | None


def _build(plt: Plot, drawing: _Drawing) -> Text:
    """Lay out the plot from ``drawing`` and build its text.

    Prices become floats here only to place marks on a character grid; nothing drawn
    is read back as money. The size and theme calls are the ones ``PlotextPlot.render``
    makes, so a drawing is the same whichever thread built it."""
    plt.clear_data()
    plt.clear_figure()
    daily = timeframe_length(drawing.timeframe) >= timedelta(days=1)
    plt.date_form(_INPUT_DATE_FORM, "d/m" if daily else "H:M")
    width, height = drawing.size
    visible = max(1, (width - _AXIS_COLUMNS) // _COLUMNS_PER_BAR)
    bars = drawing.candles[-visible:]
    if bars:
        plt.candlestick(
            [f"{candle.timestamp:%Y-%m-%d %H:%M}" for candle in bars],
            {
                "Open": [float(candle.open) for candle in bars],
                "Close": [float(candle.close) for candle in bars],
                "High": [float(candle.high) for candle in bars],
                "Low": [float(candle.low) for candle in bars],
            },
            colors=[drawing.up, drawing.down],
        )
    size_plot(plt, width, height)
    plt.theme(drawing.plotext_theme)
    return Text.from_ansi(plt.build())


def _now(show: Callable[[], None]) -> None:
    show()


class CandleChart(PanelBoundary, LinesDrawnOffLoop, PlotextPlot):
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
        self.markets: Mapping[str, Market] = {}
        """The venue's markets, so the title's prices are written to the tick."""
        self._candles: list[Candle] = []
        self._loading = True
        self._version = 0
        """Bumped when the drawing must be rebuilt before the next frame (new history, a
        new timeframe); with size and theme it keys the cached drawing."""
        self._drawn_key: tuple[object, ...] | None = None
        self._drawn: RenderResult = ""
        self._redraw_scheduled = False
        self._redraw_interval = redraw_interval
        self._building = False
        """A live redraw is being built in a worker thread."""
        self._built: _Built | None = None
        """The drawing the worker finished, until the event loop takes it."""
        self._background_plot = Plot()
        """The worker's own plot: plotext figures keep state, and the event loop may draw
        with :attr:`plt` (a resize, new history) while the worker builds."""
        self.show_between_frames: Callable[[Callable[[], None]], None] = _now
        """How a drawing finished in the background is put on screen. Turning it into
        lines costs about a ladder frame's time on the event loop; the app passes its
        chores' ``soon`` so that happens after a ladder frame rather than across one."""
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
        """Rebuild the drawing with the prints folded in since the last one, in a thread.

        The build is pure Python and slow at a wide terminal (``bench/RESULTS.md``); on the
        event loop it held up every ladder repaint behind it. In a thread the loop keeps
        running: it gets the GIL back within the interpreter's switch interval."""
        self._redraw_scheduled = False
        if self._building:  # one build at a time: they share the worker's plot
            self._redraw_scheduled = True
            self.set_timer(self._redraw_interval, self._redraw_now)
            return
        self._building = True
        self._build_in_background(
            self._drawing_key(), self._title(), self._drawing(), line_setting(self)
        )

    @work(thread=True, group="candle-drawing", exit_on_error=False)
    def _build_in_background(
        self,
        key: tuple[object, ...],
        title: str,
        drawing: _Drawing,
        setting: LineSetting | None,
    ) -> None:
        # Left on the chart, not returned: a worker lives in a reference cycle with its task,
        # and a drawing it held (thousands of spans) would wait for the cycle collector.
        text = _build(self._background_plot, drawing)
        lines = None if setting is None else (setting, draw_lines(setting, text))
        self._built = _Built(key, title, text, lines)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Show a drawing built in the background, unless the chart moved on meanwhile
        (new history, timeframe, size or theme: the loop has drawn that itself)."""
        worker = event.worker
        if worker.group != "candle-drawing" or not worker.is_finished:
            return
        event.stop()
        self._building = False
        if event.state is not WorkerState.SUCCESS:
            log.error("candle chart redraw failed", exc_info=worker.error)
            return
        built, self._built = self._built, None
        if built is not None:
            self.show_between_frames(lambda: self._show(built))

    def _show(self, built: _Built) -> None:
        if built.key == self._drawing_key():
            self._drawn, self._drawn_key = built.text, built.key
            self.border_title = built.title
            if built.lines is not None:
                self.use_lines(*built.lines)
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

    def on_resize(self) -> None:
        self.border_title = self._title()  # its short form depends on the width

    def render(self) -> RenderResult:
        if not self._candles:
            # Words, not an empty grid of axes: and the first frame skips a plotext build.
            self.drop_lines()
            return "loading bars…" if self._loading else "no bars yet"
        key = self._drawing_key()
        if key != self._drawn_key:
            self.drop_lines()
            self._drawn = _build(self.plt, self._drawing())
            self._drawn_key = key
        return self._drawn

    def _drawing_key(self) -> tuple[object, ...]:
        return (self.size, self.app.theme, self._version)

    def _drawing(self) -> _Drawing:
        """What to draw now, read from the widget and the app (on the event loop)."""
        return _Drawing(
            candles=tuple(self._candles),
            timeframe=self.timeframe,
            size=self.size,
            plotext_theme=plotext_theme_name(self, self.app.theme),
            up=Color.parse(theme_colour(self.app, "bid")).rgb,
            down=Color.parse(theme_colour(self.app, "ask")).rgb,
        )

    def _title(self) -> str:
        name = f"{self.symbol or 'no symbol'} {self.timeframe}"
        if self._loading:
            return f"{name} · loading…"
        if not self._candles:
            return f"{name} · no bars yet"
        last = self._candles[-1]
        market = self.markets.get(self.symbol) if self.symbol else None
        o, h, low, c = (price_text(v, market) for v in (last.open, last.high, last.low, last.close))
        full = f"{name}  O {o}  H {h}  L {low}  C {c}"
        room = self.size.width - 6  # the border's corners and the spaces around the title
        if room <= 0 or len(full) <= room:
            return full
        short = f"{name}  C {c}"  # a narrow chart keeps the last close, not "L 59…"
        return short if len(short) <= room else name
