"""Candlesticks drawn cell by cell, straight to a widget's lines.

The chart used to be drawn by plotext: a text of ANSI escapes that Rich parsed back and
Textual then turned into lines, tens of milliseconds of pure Python for each redraw of a wide
chart (``bench/RESULTS.md``), so it ran in a worker thread behind two workarounds of
Textual's internals. A candle is two glyphs in one column, so this module places them itself
and hands back the lines (``Strip``s) in about a millisecond, on the event loop.

The layout, as a trader reads it::

     60,012.0┤          │
             │  █ │   █ █
     60,000.0┤  │ █ │ █ │
     59,990.0┤    │ █
             └────┬─────────┬
                12:15     12:20

A price axis on the left, labelled with round prices (to the market's tick, with thousands
separators, like the ladder) about every :data:`LABEL_EVERY` rows and always on the top and
bottom rows; the bars one column each with a blank column between, the newest at the right;
a body (``█``, open to close) over a wick (``│``, low to high), coloured as the ladder
colours bids (close at or above open) and asks (below); a time axis below with a tick
(``┬``) under each labelled bar, labelled at round times (``H:M``, or ``d/m`` for bars of a
day or more). Whole cells only: a row spans ``(high - low) / rows`` of price and a price is
drawn in the row whose span holds it.

Pure: it reads nothing of Textual's app or widgets, only the values it is given.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from decimal import ROUND_CEILING, Decimal

from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from console.domain import Candle, Market
from console.tui.formatting import price_text

COLUMNS_PER_BAR = 2
"""A bar and a gap: fewer columns and bodies merge into a smear."""
TIME_AXIS_ROWS = 2
"""The time axis's line (with its ticks) and its labels, below the plot."""
LABEL_EVERY = 4
"""At most this many rows from one price label to the next."""
TIME_LABEL_WIDTH = 5
"""``12:05`` or ``25/11``."""
TIME_LABEL_GAP = 2
"""Spaces between two time labels on round times (one at least where missing bars squeeze
them)."""
BODY, WICK = "█", "│"
AXIS, AXIS_TICK, CORNER, TIME_AXIS, TIME_TICK = "│", "┤", "└", "─", "┬"

_NICE_SECONDS = (
    60,
    120,
    300,
    600,
    900,
    1800,
    3600,
    7200,
    10800,
    14400,
    21600,
    43200,
    86400,
    172800,
    604800,
    1209600,
)
"""Steps between time labels that read as round times (1 min ... 2 weeks)."""
_DECADES = 3
"""Powers of ten tried below a row's span for its round label price."""


@dataclass(frozen=True, slots=True)
class ChartStyles:
    """The styles the chart is drawn in: its blank cells (the widget's own style: Textual
    does not lay it under a Line API widget's lines), bars by direction, the axes, their
    labels."""

    base: Style
    up: Style
    down: Style
    axis: Style
    label: Style


@dataclass(frozen=True, slots=True)
class _PriceRows:
    """The plot's rows, top first, and the prices each covers: row ``r`` from the bottom
    holds the prices ``p`` with ``r <= (p - low) * rows / (high - low) < r + 1`` (the top row
    also ``high``). Flat prices (``high == low``) sit on the middle row."""

    low: Decimal
    high: Decimal
    rows: int

    def row_of(self, price: Decimal) -> int:
        """The row (from the top) that holds ``price``, for a price in ``low..high``."""
        span = self.high - self.low
        if span == 0:
            return (self.rows - 1) // 2
        above = int((price - self.low) * self.rows // span)
        return self.rows - 1 - min(max(above, 0), self.rows - 1)

    def holds(self, row: int, price: Decimal) -> bool:
        return self.low <= price <= self.high and self.row_of(price) == row

    def label_price(self, row: int, tick: Decimal | None) -> Decimal | None:
        """The roundest price in ``row`` (fewest significant digits; a multiple of ``tick``
        when given), or None when the row holds no multiple of the tick."""
        span = self.high - self.low
        if span == 0:
            return self.low if row == self.row_of(self.low) else None
        above = self.rows - 1 - row
        start = self.low + span * above / self.rows
        height = span / self.rows
        for step in _round_steps(height, tick):
            first = (start / step).to_integral_value(rounding=ROUND_CEILING) * step
            for price in (first, first + step):
                if self.holds(row, price):
                    return price
        return None


def _round_steps(height: Decimal, tick: Decimal | None) -> list[Decimal]:
    """Steps to try for a round price in a row ``height`` tall, roundest first: 5, 2 and 1
    times the powers of ten from above the height to :data:`_DECADES` below it (multiples of
    the tick only), then the tick itself."""
    top = height.adjusted() + 1
    steps = [
        Decimal(multiple).scaleb(power)
        for power in range(top, top - _DECADES - 1, -1)
        for multiple in (5, 2, 1)
    ]
    if tick is None:
        return steps
    return [step for step in steps if step >= tick and step % tick == 0] + [tick]


def _visible_count(candles: int, width: int, axis_width: int) -> int:
    """Bars that fit right of an axis ``axis_width`` wide in a chart ``width`` wide."""
    return max(0, min(candles, (width - axis_width) // COLUMNS_PER_BAR))


def _plot_rows(height: int) -> int:
    """Rows of bars in a chart ``height`` tall: all but the time axis, when there is room
    for one under at least one row of bars."""
    return height - TIME_AXIS_ROWS if height > TIME_AXIS_ROWS else height


def _price_rows(bars: Sequence[Candle], rows: int) -> _PriceRows:
    low = min(min(bar.low, bar.open, bar.close) for bar in bars)
    high = max(max(bar.high, bar.open, bar.close) for bar in bars)
    return _PriceRows(low, high, rows)


def _label_rows(rows: int) -> list[int]:
    """The rows (from the top) that carry a price label: the top and bottom rows and
    evenly between, at most :data:`LABEL_EVERY` apart."""
    if rows <= 1:
        return list(range(rows))
    gaps = math.ceil((rows - 1) / LABEL_EVERY)
    return sorted({round(index * (rows - 1) / gaps) for index in range(gaps + 1)})


@dataclass(frozen=True, slots=True)
class _Layout:
    axis_width: int
    """Columns of the price labels and the axis line after them."""
    bars: Sequence[Candle]
    """The bars drawn, oldest first; the newest is the last."""
    prices: _PriceRows | None
    labels: dict[int, str]
    """Row -> price label."""


def _lay_out(candles: Sequence[Candle], width: int, rows: int, market: Market | None) -> _Layout:
    """The axis width and the bars that fit beside it: the labels depend on the price range
    of the bars shown, which depends on how many fit beside the labels, so the axis is
    widened until its labels fit (each widening shows fewer bars)."""
    tick = market.tick_size if market is not None else None
    most = max(1, width // 2)
    axis_width = 1
    for attempt in range(4):
        shown = _visible_count(len(candles), width, axis_width)
        bars = candles[len(candles) - shown :]
        if not bars or rows <= 0:
            return _Layout(axis_width, bars, None, {})
        prices = _price_rows(bars, rows)
        labels: dict[int, str] = {}
        flat = prices.high == prices.low
        for row in [prices.row_of(prices.low)] if flat else _label_rows(rows):
            price = prices.label_price(row, tick)
            if price is not None:
                labels[row] = price_text(price, market)
        wanted = max((len(text) for text in labels.values()), default=0) + 1
        if wanted <= axis_width or wanted > most or attempt == 3:
            break
        axis_width = wanted
    # labels too wide for the axis (a narrow chart) are left out rather than shown cut
    fitting = {row: text for row, text in labels.items() if len(text) < axis_width}
    return _Layout(axis_width, bars, prices, fitting)


def time_step_seconds(bar_length: timedelta) -> int:
    """Seconds between time labels: the roundest step that leaves room for a label and
    :data:`TIME_LABEL_GAP` spaces between labels, and is a whole number of bars."""
    bar = int(bar_length.total_seconds())
    fewest = math.ceil((TIME_LABEL_WIDTH + TIME_LABEL_GAP) / COLUMNS_PER_BAR)
    for step in _NICE_SECONDS:
        if step % bar == 0 and step // bar >= fewest:
            return step
    return bar * fewest


def _time_labels(
    bars: Sequence[Candle], width: int, bar_length: timedelta
) -> list[tuple[int, int, str]]:
    """``(tick column, label start, text)`` for the bars labelled on the time axis, newest
    first: bars that open on a round time (:func:`time_step_seconds`), each label centred
    under its bar where the chart's edges allow, a space at least between two labels; the
    newest bar when no bar shown opens on a round time."""
    if width < TIME_LABEL_WIDTH or not bars:
        return []
    form = "%d/%m" if bar_length >= timedelta(days=1) else "%H:%M"
    step = time_step_seconds(bar_length)
    placed: list[tuple[int, int, str]] = []
    free_before = width + 1  # the column left of which the next label (to the left) must end
    newest = len(bars) - 1
    for index in range(newest, -1, -1):
        bar = bars[index]
        if int(bar.timestamp.timestamp()) % step:
            continue
        column = width - COLUMNS_PER_BAR * (newest - index + 1)
        start = min(max(column - TIME_LABEL_WIDTH // 2, 0), width - TIME_LABEL_WIDTH)
        if start + TIME_LABEL_WIDTH + 1 > free_before:
            continue
        placed.append((column, start, f"{bar.timestamp:{form}}"))
        free_before = start
    if not placed:
        column = width - COLUMNS_PER_BAR
        start = min(max(column - TIME_LABEL_WIDTH // 2, 0), width - TIME_LABEL_WIDTH)
        placed.append((column, start, f"{bars[newest].timestamp:{form}}"))
    return placed


def draw_candles(
    candles: Sequence[Candle],
    width: int,
    height: int,
    *,
    bar_length: timedelta,
    market: Market | None,
    styles: ChartStyles,
) -> list[Strip]:
    """The chart's lines, ``height`` of them, each ``width`` cells.

    Args:
        candles: the bars, oldest first; the newest that fit are drawn.
        width: the chart's columns.
        height: the chart's rows.
        bar_length: the timeframe's bar length (the time labels' form and step).
        market: the symbol's market, so the price labels are written to its tick; None
            writes them as they are.
        styles: the styles to draw in.
    """
    if width <= 0 or height <= 0:
        return [Strip([], 0) for _ in range(max(0, height))]
    rows = _plot_rows(height)
    layout = _lay_out(candles, width, rows, market)
    axis_width, bars, prices = layout.axis_width, layout.bars, layout.prices
    label_width = axis_width - 1
    columns: list[tuple[int, int, int, int, int, Style]] = []
    """Per bar: its column, its wick's top and bottom rows, its body's, and its style."""
    if prices is not None:
        row_of = prices.row_of
        first = width - COLUMNS_PER_BAR * len(bars)
        for index, bar in enumerate(bars):
            opened, closed = bar.open, bar.close
            body_top, body_bottom = row_of(max(opened, closed)), row_of(min(opened, closed))
            wick_top = row_of(max(bar.high, opened, closed))
            wick_bottom = row_of(min(bar.low, opened, closed))
            style = styles.up if closed >= opened else styles.down
            column = first + COLUMNS_PER_BAR * index
            columns.append((column, wick_top, wick_bottom, body_top, body_bottom, style))
    axis_style, label_style, base = styles.axis, styles.label, styles.base
    lines: list[Strip] = []
    for row in range(rows):
        label = layout.labels.get(row)
        segments = [
            Segment(" " * label_width if label is None else label.rjust(label_width), label_style),
            Segment(AXIS if label is None else AXIS_TICK, axis_style),
        ]
        at = axis_width
        for column, wick_top, wick_bottom, body_top, body_bottom, style in columns:
            if wick_top <= row <= wick_bottom:
                if column > at:
                    segments.append(Segment(" " * (column - at), base))
                glyph = BODY if body_top <= row <= body_bottom else WICK
                segments.append(Segment(glyph, style))
                at = column + 1
        if at < width:
            segments.append(Segment(" " * (width - at), base))
        lines.append(Strip(segments, width))
    if rows < height:
        lines.extend(_time_axis(bars, width, axis_width, bar_length, axis_style, label_style))
    return lines


def _time_axis(
    bars: Sequence[Candle],
    width: int,
    axis_width: int,
    bar_length: timedelta,
    axis_style: Style,
    label_style: Style,
) -> list[Strip]:
    """The time axis's two lines: the axis with a tick under each labelled bar, the labels."""
    ticks = _time_labels(bars, width, bar_length)
    axis = [" "] * (axis_width - 1) + [CORNER] + [TIME_AXIS] * (width - axis_width)
    text = [" "] * width
    for column, start, label in ticks:
        axis[column] = TIME_TICK
        text[start : start + len(label)] = label
    return [
        Strip([Segment("".join(axis[:width]), axis_style)], width),
        Strip([Segment("".join(text), label_style)], width),
    ]
