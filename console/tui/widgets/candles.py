"""Candlesticks for the selected symbol and timeframe, kept current by the live tape.

The app fetches history (REST ``fetch_ohlcv``) and hands it over with :meth:`set_candles`;
between fetches, :meth:`CandleChart.add_trades` folds public prints into the newest bar (or
opens the next one) so the chart moves with the market without polling. The timeframe key
only asks: the chart posts :class:`CandleChart.TimeframeChanged` and the app refetches.

The chart is a Line API widget: :mod:`console.tui.widgets.candle_drawing` draws its lines
on the event loop, when its size, theme or bars change (live prints at most every
:data:`LIVE_REDRAW_INTERVAL`), and they are kept until then.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

from console.domain import Candle, Market, Trade
from console.tui.formatting import price_text
from console.tui.forms.theme_colours import theme_colour
from console.tui.widgets.candle_drawing import ChartStyles, draw_candles
from console.tui.widgets.kept_styles import KeptStyles
from console.tui.widgets.panel_boundary import PanelBoundary

TIMEFRAMES: tuple[str, ...] = ("1m", "5m", "15m", "1h", "4h", "1d")
"""The timeframes the cycle key steps through, in ccxt's notation."""

_UNIT_SECONDS = {"m": 60, "h": 3600, "d": 86400}
_MAX_BARS = 240
"""History kept; more than a terminal can show is only cost."""
LIVE_REDRAW_INTERVAL = 2.0
"""Seconds between redraws caused by live prints: the chart shows the bars' shape, the
ladder and the tape are the live views. A redraw is cheap (about a millisecond at a wide
terminal, ``bench/candle_chart.py``) and the title (the newest bar's numbers) moves with it."""


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


def _now(show: Callable[[], None]) -> None:
    show()


class CandleChart(PanelBoundary, Widget):
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

    COMPONENT_CLASSES: ClassVar[set[str]] = {"candle-chart--axis", "candle-chart--label"}

    DEFAULT_CSS = """
    CandleChart {
        width: 1fr;
        height: 1fr;
        min-height: 8;
        border: round $panel-lighten-2;
    }
    CandleChart > .candle-chart--axis { color: $foreground-muted; }
    CandleChart > .candle-chart--label { color: $foreground; }
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
        self._markets: Mapping[str, Market] = {}
        self._candles: list[Candle] = []
        self._loading = True
        self._version = 0
        """Bumped when the drawing must be rebuilt before the next frame (new history, a
        new timeframe, live prints folded in); with size and theme it keys the drawing."""
        self._drawn_key: tuple[object, ...] | None = None
        self._lines: list[Strip] = []
        self._kept_styles = KeptStyles(self)
        self._redraw_scheduled = False
        self._redraw_interval = redraw_interval
        self.show_between_frames: Callable[[Callable[[], None]], None] = _now
        """How a redraw with live prints is put on screen: the app passes its chores'
        ``soon``, so the drawing is built after a ladder frame rather than across one."""
        self.border_title = self._title()
        self.border_subtitle = "t: timeframe"

    @property
    def markets(self) -> Mapping[str, Market]:
        """The venue's markets, so prices (title, axis) are written to the tick."""
        return self._markets

    @markets.setter
    def markets(self, markets: Mapping[str, Market]) -> None:
        self._markets = markets
        self._version += 1
        self.border_title = self._title()
        self.refresh()

    @property
    def candles(self) -> tuple[Candle, ...]:
        """The bars as currently drawn, oldest first."""
        return tuple(self._candles)

    @property
    def lines(self) -> list[Strip]:
        """The chart's lines as drawn now (its content, inside the border)."""
        return self._current_lines()

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
        """Fold live prints of the shown symbol into the newest bars; they are drawn at
        most every ``redraw_interval`` seconds."""
        mine = [trade for trade in trades if trade.symbol == self.symbol]
        if not mine or self._loading:
            return
        self._candles = fold_trades(self._candles, mine, self.timeframe)
        if not self._redraw_scheduled:
            self._redraw_scheduled = True
            self.set_timer(self._redraw_interval, self._redraw_now)

    def _redraw_now(self) -> None:
        self._redraw_scheduled = False
        self.show_between_frames(self._show_prints)

    def _show_prints(self) -> None:
        """Draw the bars with the prints folded in since the last drawing, and their title."""
        self._version += 1
        self.border_title = self._title()
        self._current_lines()
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

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._kept_styles.clear()
        self._drawn_key = None

    def render_line(self, y: int) -> Strip:
        lines = self._current_lines()
        return lines[y] if y < len(lines) else Strip.blank(self.size.width, self._kept_styles.base)

    def _current_lines(self) -> list[Strip]:
        """The drawing for the chart's size, theme and bars, drawn again when one changed."""
        key = (self.size, self.app.theme, self._version)
        if key != self._drawn_key:
            self._lines = self._draw()
            self._drawn_key = key
        return self._lines

    def _draw(self) -> list[Strip]:
        width, height = self.size
        if not self._candles:
            # words, not an empty grid of axes
            words = "loading bars…" if self._loading else "no bars yet"
            base = self._kept_styles.base
            first = Strip([Segment(words[:width], base)]).adjust_cell_length(width, base)
            return [first, *(Strip.blank(width, base) for _ in range(height - 1))]
        return draw_candles(
            self._candles,
            width,
            height,
            bar_length=timeframe_length(self.timeframe),
            market=self._market(),
            styles=self._styles(),
        )

    def _market(self) -> Market | None:
        """The shown symbol's market, so prices are written to its tick."""
        return self._markets.get(self.symbol) if self.symbol else None

    def _styles(self) -> ChartStyles:
        kept = self._kept_styles
        base = kept.base
        return ChartStyles(
            base=base,
            up=base + Style(color=theme_colour(self.app, "bid")),
            down=base + Style(color=theme_colour(self.app, "ask")),
            axis=kept.component("candle-chart--axis"),
            label=kept.component("candle-chart--label"),
        )

    def _title(self) -> str:
        name = f"{self.symbol or 'no symbol'} {self.timeframe}"
        if self._loading:
            return f"{name} · loading…"
        if not self._candles:
            return f"{name} · no bars yet"
        last = self._candles[-1]
        market = self._market()
        o, h, low, c = (price_text(v, market) for v in (last.open, last.high, last.low, last.close))
        full = f"{name}  O {o}  H {h}  L {low}  C {c}"
        room = self.size.width - 6  # the border's corners and the spaces around the title
        if room <= 0 or len(full) <= room:
            return full
        short = f"{name}  C {c}"  # a narrow chart keeps the last close, not "L 59…"
        return short if len(short) <= room else name
