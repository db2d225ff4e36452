"""The candle chart's drawing (:func:`draw_candles`) read back cell by cell and checked
against the bars it was given: every bar where its prices say, the axes' labels naming prices
and times that are where they stand, any size the layout can give and smaller."""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

from hypothesis import example, given, settings
from hypothesis import strategies as st
from rich.style import Style
from textual.strip import Strip

from console.domain import Candle, Market
from console.tui.formatting import price_text
from console.tui.widgets.candle_drawing import (
    AXIS,
    AXIS_TICK,
    BODY,
    CORNER,
    LABEL_EVERY,
    TIME_AXIS,
    TIME_LABEL_WIDTH,
    TIME_TICK,
    WICK,
    ChartStyles,
    draw_candles,
    time_step_seconds,
)
from console.tui.widgets.candles import TIMEFRAMES, timeframe_length

from support.builders import spot_market

STYLES = ChartStyles(
    base=Style(bgcolor="black"),
    up=Style(color="green", bgcolor="black"),
    down=Style(color="red", bgcolor="black"),
    axis=Style(dim=True, bgcolor="black"),
    label=Style(bold=True, bgcolor="black"),
)
TICKS = [
    Decimal("0.0001"),
    Decimal("0.01"),
    Decimal("0.1"),
    Decimal("0.5"),
    Decimal(1),
    Decimal(25),
]
START = datetime(2026, 11, 25, tzinfo=UTC)


@dataclass(frozen=True)
class Case:
    candles: list[Candle]
    tick: Decimal
    market: Market | None
    timeframe: str
    width: int
    height: int


@st.composite
def cases(draw: st.DrawFn) -> Case:
    """Bars of a random walk in whole ticks: flat, moving a tick or two, or by millions of
    ticks; each to a market of that tick, or to none."""
    tick = draw(st.sampled_from(TICKS))
    timeframe = draw(st.sampled_from(TIMEFRAMES))
    length = timeframe_length(timeframe)
    count = draw(st.integers(0, 300) | st.just(1))
    moves = draw(st.sampled_from([0, 2, 40, 10**7]))
    price = draw(st.integers(1, 10**9))
    at = START + length * draw(st.integers(0, 50))
    candles = []
    for _ in range(count):
        opened = max(1, price + draw(st.integers(-moves, moves)))
        closed = max(1, opened + draw(st.integers(-moves, moves)))
        low = max(1, min(opened, closed) - draw(st.integers(0, moves)))
        high = max(opened, closed) + draw(st.integers(0, moves))
        candles.append(
            Candle(
                timestamp=at,
                open=opened * tick,
                high=high * tick,
                low=low * tick,
                close=closed * tick,
            )
        )
        price = closed
        at += length * draw(st.sampled_from([1, 1, 1, 2]))  # now and then a missing bar
    market = draw(st.sampled_from([None, spot_market(tick_size=tick)]))
    width = draw(st.integers(1, 300))
    height = draw(st.integers(1, 60))
    return Case(candles, tick, market, timeframe, width, height)


def cells(strip: Strip) -> list[tuple[str, Style | None]]:
    """A line as (character, style) per cell (the chart draws only one-cell characters)."""
    return [(char, segment.style) for segment in strip for char in segment.text]


class Rows:
    """The oracle's own price -> row: row ``b`` from the bottom holds the prices with
    ``b <= (p - low) * rows / (high - low) < b + 1``, the top row also ``high``; flat prices
    sit on the middle row. In exact fractions."""

    def __init__(self, bars: Sequence[Candle], rows: int) -> None:
        self.low = min(min(bar.low, bar.open, bar.close) for bar in bars)
        self.high = max(max(bar.high, bar.open, bar.close) for bar in bars)
        self.rows = rows

    def of(self, price: Decimal) -> int:
        if self.high == self.low:
            return (self.rows - 1) // 2
        above = math.floor(Fraction(price - self.low) * self.rows / Fraction(self.high - self.low))
        return self.rows - 1 - min(above, self.rows - 1)


@dataclass(frozen=True)
class Drawn:
    """A drawing read back: its cells, its text per line and where the oracle expects what."""

    case: Case
    grid: list[list[tuple[str, Style | None]]]
    texts: list[str]
    rows: int
    """Rows of bars (the time axis takes the last two lines when there is room)."""
    axis: int
    """The column of the price axis's line."""
    columns: dict[int, Candle]
    """The bars that fit, by column: the newest that fit, the newest rightmost."""
    prices: Rows | None


def drawn(case: Case) -> Drawn:
    width, height, candles = case.width, case.height, case.candles
    lines = draw_candles(
        candles,
        width,
        height,
        bar_length=timeframe_length(case.timeframe),
        market=case.market,
        styles=STYLES,
    )
    assert len(lines) == height
    assert all(line.cell_length == width for line in lines)
    grid = [cells(line) for line in lines]
    assert all(len(row) == width for row in grid)
    texts = ["".join(char for char, _ in row) for row in grid]
    rows = height - 2 if height > 2 else height
    axis = min(texts[0].index(glyph) for glyph in (AXIS, AXIS_TICK) if glyph in texts[0])
    shown = max(0, min(len(candles), (width - axis - 1) // 2))
    bars = candles[len(candles) - shown :]
    columns = {width - 2 - 2 * (shown - 1 - index): bar for index, bar in enumerate(bars)}
    prices = Rows(bars, rows) if bars else None
    return Drawn(case, grid, texts, rows, axis, columns, prices)


def check_bars(drawing: Drawn) -> None:
    """Each bar's cells exactly where its prices fall, in its direction's colour; nothing
    else right of the axis."""
    grid, prices, columns = drawing.grid, drawing.prices, drawing.columns
    for row in range(drawing.rows):
        for column in range(drawing.axis + 1, drawing.case.width):
            char, style = grid[row][column]
            bar = columns.get(column)
            if bar is None or prices is None:
                assert char == " ", (row, column, "nothing but bars right of the axis")
                assert style == STYLES.base
                continue
            top = prices.of(max(bar.high, bar.open, bar.close))
            bottom = prices.of(min(bar.low, bar.open, bar.close))
            body = (prices.of(max(bar.open, bar.close)), prices.of(min(bar.open, bar.close)))
            if not top <= row <= bottom:
                assert char == " ", (row, column, "outside the wick")
                assert style == STYLES.base
                continue
            assert char == (BODY if body[0] <= row <= body[1] else WICK), (row, column)
            assert style == (STYLES.up if bar.close >= bar.open else STYLES.down)
    for column in columns:  # a body shorter than a cell still shows
        assert any(grid[row][column][0] == BODY for row in range(drawing.rows))


def check_price_axis(drawing: Drawn) -> None:
    """Labels right-aligned, each naming a price its row holds, rising upwards; the top
    and bottom rows labelled, and at most :data:`LABEL_EVERY` rows apart where each row
    holds a tick."""
    case, texts, axis, prices = drawing.case, drawing.texts, drawing.axis, drawing.prices
    labelled: list[tuple[int, Decimal]] = []
    for row in range(drawing.rows):
        label = texts[row][:axis]
        assert texts[row][axis] == (AXIS_TICK if label.strip() else AXIS)
        if not label.strip():
            continue
        assert label == label.strip().rjust(axis)
        value = Decimal(label.strip().replace(",", ""))
        assert label.strip() == price_text(value, case.market)
        if case.market is not None:
            assert value % case.tick == 0
        assert prices is not None
        assert prices.low <= value <= prices.high
        assert prices.of(value) == row, (label, row)
        labelled.append((row, value))
    values = [value for _, value in labelled]
    assert values == sorted(values, reverse=True)
    assert len(set(values)) == len(values)
    if prices is None or case.width < 60:  # below 60 columns a wide label may not fit
        return
    label_rows = [row for row, _ in labelled]
    if prices.high == prices.low:
        assert label_rows == [prices.of(prices.low)]
        return
    assert label_rows[0] == 0, "the top row is labelled"
    assert label_rows[-1] == drawing.rows - 1, "and the bottom row"
    if (prices.high - prices.low) / drawing.rows >= case.tick:  # each row holds a tick
        assert all(b - a <= LABEL_EVERY for a, b in itertools.pairwise(label_rows))


def check_time_axis(drawing: Drawn) -> None:
    """A tick under each labelled bar, its label centred under it where the edges allow,
    naming the bar's open time, on round times; labels apart."""
    case, rows, axis, columns = drawing.case, drawing.rows, drawing.axis, drawing.columns
    if rows == case.height:
        return
    line, words = drawing.texts[rows], drawing.texts[rows + 1]
    assert line[:axis] == " " * axis
    assert line[axis] == CORNER
    assert set(line[axis + 1 :]) <= {TIME_AXIS, TIME_TICK}
    ticks = [column for column, char in enumerate(line) if char == TIME_TICK]
    assert set(ticks) <= set(columns)
    length = timeframe_length(case.timeframe)
    form = "%d/%m" if length >= timedelta(days=1) else "%H:%M"
    spans = []
    start = 0
    for word in words.split(" "):
        if word:
            spans.append((start, word))
        start += len(word) + 1
    assert len(spans) == len(ticks)
    step = time_step_seconds(length)
    for (start, word), column in zip(spans, ticks, strict=True):
        assert len(word) == TIME_LABEL_WIDTH
        assert start == min(max(column - TIME_LABEL_WIDTH // 2, 0), case.width - TIME_LABEL_WIDTH)
        bar = columns[column]
        assert word == f"{bar.timestamp:{form}}"
        if len(ticks) > 1:
            assert int(bar.timestamp.timestamp()) % step == 0, "labels on round times"
    if columns and case.width >= TIME_LABEL_WIDTH:
        assert ticks, "at least one bar's time is shown"


def _bars(closes: Sequence[str], timeframe: str = "1m") -> list[Candle]:
    length = timeframe_length(timeframe)
    bars, previous = [], Decimal(closes[0])
    for index, text in enumerate(closes):
        close = Decimal(text)
        bars.append(
            Candle(
                timestamp=START + length * index,
                open=previous,
                high=max(previous, close) + 1,
                low=min(previous, close) - 1,
                close=close,
            )
        )
        previous = close
    return bars


@settings(max_examples=300, deadline=None, derandomize=True)
@given(cases())
@example(Case([], Decimal(1), None, "1m", 44, 6))
@example(Case(_bars(["100"]), Decimal(1), None, "1m", 44, 6))
@example(Case(_bars(["100"] * 30), Decimal(1), None, "1d", 44, 6))
@example(Case(_bars(["60000.5", "60010"] * 200), Decimal("0.5"), None, "1m", 208, 14))
@example(Case(_bars([str(n) for n in range(300)], "4h"), Decimal(1), None, "4h", 300, 60))
@example(Case(_bars(["1", "2"]), Decimal(1), None, "1m", 1, 1))
@example(Case(_bars(["101", "149"]), Decimal(25), spot_market(tick_size=Decimal(25)), "1m", 60, 14))
@example(Case(_bars(["1", "2"]), Decimal(1), None, "1m", 3, 3))
def test_the_drawing_shows_each_bar_and_label_where_its_prices_and_times_are(case: Case) -> None:
    drawing = drawn(case)
    check_bars(drawing)
    check_price_axis(drawing)
    check_time_axis(drawing)


def test_a_trader_reads_the_chart_at_the_smallest_layout() -> None:
    """44x6 is the chart's content at the smallest layout that shows it (80 columns, 34
    lines; ``console.tui.layout``): prices on the top and bottom rows, times below."""
    bars = _bars(["60000.5", "60010", "60004", "59990.5", "60001"] * 8)
    lines = draw_candles(
        bars,
        44,
        6,
        bar_length=timedelta(minutes=1),
        market=spot_market(tick_size=Decimal("0.5")),
        styles=STYLES,
    )
    texts = [line.text for line in lines]
    assert texts[0].startswith("60,010.0┤")  # the roundest price in the top row
    assert texts[3].startswith("59,990.0┤")
    assert texts[4].startswith("        └─────┬")
    assert texts[5].split() == ["00:25", "00:30", "00:35"]  # bars 00:23 to 00:39
