"""The trade tape: public prints, newest first, coloured by the taker's side.

A print is "large" when its size is at least :attr:`TradeTape.large_multiple` times the
median size of the prints on the tape: a threshold that follows the symbol's own rhythm
instead of a fixed number that suits BTC and nothing else. Large prints are drawn in
reverse video so they stand out at a glance.

Like the ladder it is a Line API widget that frames its own lines (:class:`FramedLines`):
each print becomes a framed line once, kept while it is on the tape; a new print moves every
line down a row, so the tape is repainted whole, from the lines it keeps.
"""

from __future__ import annotations

import itertools
from bisect import bisect_left, insort
from collections import deque
from collections.abc import Sequence
from decimal import Decimal
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.widget import Widget

from console.domain import Market, Side, Trade
from console.tui.formatting import fit
from console.tui.widgets.framed_lines import FramedLines
from console.tui.widgets.kept_styles import KeptStyles
from console.tui.widgets.ladder_rows import decimals_of, format_amount
from console.tui.widgets.panel_boundary import PanelBoundary

_KEEP = 300
_BASELINE = 5
"""Prints on the tape before any counts as large."""
_FULL_WIDTH = 42
"""Cells a tape line needs with its side word; narrower tapes show only the arrow."""
_FALLBACK_TICK = Decimal("0.01")
_FALLBACK_STEP = Decimal("0.001")


class SortedSizes:
    """The sizes of the prints on the tape, kept sorted as prints come and go: the median
    behind the large-print threshold is then read rather than sorted out of every print
    on the tape for each new one (300 Decimals, about 0.2 ms a batch)."""

    __slots__ = ("_sorted",)

    def __init__(self) -> None:
        self._sorted: list[Decimal] = []

    def __len__(self) -> int:
        return len(self._sorted)

    def add(self, size: Decimal) -> None:
        insort(self._sorted, size)

    def remove(self, size: Decimal) -> None:
        """Take out one size equal to ``size`` (which must be held)."""
        del self._sorted[bisect_left(self._sorted, size)]

    def clear(self) -> None:
        self._sorted.clear()

    def median(self) -> Decimal:
        """``statistics.median`` of the sizes held (at least one)."""
        held = self._sorted
        middle = len(held) // 2
        if len(held) % 2:
            return held[middle]
        return (held[middle - 1] + held[middle]) / 2

    def large_threshold(self, multiple: Decimal) -> Decimal | None:
        """Size at or above which a print counts as large: ``multiple`` times the median of
        the sizes held; None until there is a baseline."""
        if len(self._sorted) < _BASELINE:
            return None
        return self.median() * multiple


class TradeTape(PanelBoundary, FramedLines, Widget):
    """Recent public trades of one symbol: time, price, size, side; large prints highlighted."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "tape--buy",
        "tape--sell",
        "tape--large-buy",
        "tape--large-sell",
        "tape--columns",
    }

    DEFAULT_CSS = """
    TradeTape {
        height: 1fr;
        background: $surface;
        border: round $panel-lighten-2;
        border-title-color: $foreground;
    }
    TradeTape > .tape--columns { color: $foreground-muted; }
    TradeTape > .tape--buy { color: $success; }
    TradeTape > .tape--sell { color: $error; }
    TradeTape > .tape--large-buy { color: $background; background: $success; text-style: bold; }
    TradeTape > .tape--large-sell { color: $background; background: $error; text-style: bold; }
    """

    large_multiple = Decimal(5)
    """A print this many times the median size on the tape is highlighted."""

    def __init__(self, symbol: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.symbol = symbol
        """The symbol whose prints are shown."""
        self.market: Market | None = None
        """Tick and size steps for formatting; optional."""
        self._trades: deque[Trade] = deque(maxlen=_KEEP)
        self._sizes = SortedSizes()
        """The sizes of :attr:`_trades`, sorted."""
        self._threshold: Decimal | None = None
        self._strips: dict[tuple[str, bool], Strip] = {}
        self._framed: dict[tuple[str, bool], Strip] = {}
        """Framed lines of the prints on the tape (border and filters included)."""
        self._framed_edges: dict[str, Strip] = {}
        """The framed column names and blank line."""
        self._kept_styles = KeptStyles(self)
        self.border_title = "Tape"

    def show_symbol(self, symbol: str) -> None:
        """Start over with another symbol's prints."""
        if symbol != self.symbol:
            self.symbol = symbol
            self.clear()

    def clear(self) -> None:
        """No prints (a replay sought back sends them again)."""
        self._trades.clear()
        self._sizes.clear()
        self._strips.clear()
        self._framed.clear()
        self._threshold = None
        self.refresh()

    def add_trades(self, trades: Sequence[Trade]) -> None:
        """Put new prints (oldest first, as venues send them) on top of the tape."""
        fresh = [trade for trade in trades if trade.symbol == self.symbol]
        if not fresh:
            return
        trades, sizes = self._trades, self._sizes
        for trade in fresh:
            if len(trades) == _KEEP:
                sizes.remove(trades.pop().size)
            trades.appendleft(trade)
            sizes.add(trade.size)
        self._threshold = sizes.large_threshold(self.large_multiple)
        # Keep the strips of the prints still on screen (they move down a line, unchanged);
        # the rest are never drawn again, and a strip kept alive costs every full garbage
        # collection a walk over it and its caches.
        shown = {
            (trade.trade_id, self.is_large(trade))
            for trade in itertools.islice(self._trades, max(0, self.size.height - 1))
        }
        self._strips = {key: strip for key, strip in self._strips.items() if key in shown}
        self._framed = {key: strip for key, strip in self._framed.items() if key in shown}
        self.refresh()

    @property
    def trades(self) -> tuple[Trade, ...]:
        """The prints on the tape, newest first."""
        return tuple(self._trades)

    def is_large(self, trade: Trade) -> bool:
        return self._threshold is not None and trade.size >= self._threshold

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return container.height

    def on_resize(self, event: events.Resize) -> None:
        self.size_changed()

    def size_changed(self) -> None:
        super().size_changed()
        self._strips.clear()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._kept_styles.clear()
        self._strips.clear()
        self.forget_framed_lines()

    def forget_framed_lines(self) -> None:
        super().forget_framed_lines()
        self._framed.clear()
        self._framed_edges.clear()

    def render_panel_lines(self, crop: Region) -> list[Strip]:
        """The lines in ``crop`` as they appear on screen: each print framed here once and
        kept while on the tape; styles the frame does not cover are Textual's."""
        frame = self.current_frame()
        if frame is None:
            return super().render_panel_lines(crop)
        trades, framed, edges = self._trades, self._framed, self._framed_edges

        def content_line(row: int) -> Strip:
            index = row - 1
            if 0 <= index < len(trades):
                trade = trades[index]
                key = (trade.trade_id, self.is_large(trade))
                strip = framed.get(key)
                if strip is None:
                    strip = framed[key] = frame.frame(list(self.render_line(row)))
                return strip
            edge = "columns" if row == 0 else "blank"
            strip = edges.get(edge)
            if strip is None:
                strip = edges[edge] = frame.frame(list(self.render_line(row)))
            return strip

        return self.framed_crop(crop, frame, content_line)

    @property
    def _base_style(self) -> Style:
        """The widget's own Rich style, kept until the styles change."""
        return self._kept_styles.base

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if y == 0:
            style = self._kept_styles.component("tape--columns")
            price_width, size_width = self._column_widths(width)
            text = f" {'Time':<9}{'Price':>{price_width}}{'Size':>{size_width}}"
            text += "  Side" if width >= _FULL_WIDTH else ""
            return Strip([Segment(text, style)]).adjust_cell_length(width, self._base_style)
        index = y - 1
        if index >= len(self._trades):
            return Strip.blank(width, self._base_style)
        trade = self._trades[index]
        large = self.is_large(trade)
        key = (trade.trade_id, large)
        strip = self._strips.get(key)
        if strip is None:
            strip = self._draw(trade, large, width)
            self._strips[key] = strip
        return strip

    @staticmethod
    def _column_widths(width: int) -> tuple[int, int]:
        """Price and size columns: roomy on a wide tape, tight on a narrow one."""
        return (13, 11) if width >= _FULL_WIDTH else (11, 9)

    def _draw(self, trade: Trade, large: bool, width: int) -> Strip:
        is_buy = trade.side is Side.BUY
        component = ("tape--large-" if large else "tape--") + ("buy" if is_buy else "sell")
        style = self._kept_styles.component(component)
        tick = self.market.tick_size if self.market else _FALLBACK_TICK
        step = self.market.qty_step if self.market else _FALLBACK_STEP
        price_width, size_width = self._column_widths(width)
        price = fit(format_amount(trade.price, decimals_of(tick)), trade.price, price_width - 1)
        size = fit(format_amount(trade.size, decimals_of(step)), trade.size, size_width - 1)
        if width >= _FULL_WIDTH:
            arrow = "  ▲ buy " if is_buy else "  ▼ sell"
        else:  # a narrow tape keeps the arrow: the colour and the arrow both say the side
            arrow = " ▲" if is_buy else " ▼"
        text = f" {trade.timestamp:%H:%M:%S} {price:>{price_width}}{size:>{size_width}}{arrow}"
        return Strip([Segment(text, style)]).adjust_cell_length(width, self._base_style)
