"""The order-book ladder: a Line API widget that repaints only the lines that changed.

A DataTable rewritten per frame managed about 13 frames/s at 75 % CPU here; painting
pre-formatted lines managed about 54 at 51 %. So each line of the ladder is described by a
small hashable tuple (its content), turned into a :class:`~textual.strip.Strip` once and
cached; when a new book arrives only the lines whose content differs are refreshed.

The app sets :attr:`snapshot`, :attr:`market`, :attr:`own_orders` and :attr:`stream_state`
(attributes down); the grouping keys change :attr:`multiple` and the ladder posts
:class:`OrderBookLadder.GroupingChanged` (messages up).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from itertools import pairwise
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.geometry import Region, Size
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from console.domain import DepthSnapshot, Market, Order, Side, StreamState
from console.tui.widgets.ladder_rows import (
    LadderRow,
    LadderView,
    build_ladder,
    decimals_of,
    format_amount,
    step_multiple,
)

_FALLBACK_TICK = Decimal("0.01")
_FALLBACK_STEP = Decimal("0.001")
_PRICE_WIDTH = 13
_SIZE_WIDTH = 11
_CUM_WIDTH = 12
_OWN_WIDTH = 2
_MAX_CACHED_STRIPS = 4096

LineContent = tuple[object, ...]
"""What a line shows, as a hashable value: equal content means an identical line."""


class OrderBookLadder(Widget, can_focus=True):
    """Price, size, cumulative size and a depth bar per level, around the spread and mid.

    Asks sit above the spread line (farthest at the top), bids below it (best at the top).
    Levels with our own open orders carry a marker in the own-order colour. When the stream
    behind the book is stale or resyncing, the header says so in the ``stale`` colour.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "ladder--header",
        "ladder--columns",
        "ladder--bid",
        "ladder--ask",
        "ladder--bid-bar",
        "ladder--ask-bar",
        "ladder--own",
        "ladder--spread",
        "ladder--badge",
    }

    # Textual's own variables here so the widget works in any app; console.tcss recolours
    # these with the console's theme variables ($bid, $ask, $own-order, $stale).
    DEFAULT_CSS = """
    OrderBookLadder {
        width: 1fr;
        min-width: 40;
        height: 1fr;
        background: $surface;
        border: round $panel-lighten-2;
    }
    OrderBookLadder:focus { border: round $primary; }
    OrderBookLadder > .ladder--header { text-style: bold; color: $foreground; }
    OrderBookLadder > .ladder--columns { color: $foreground-muted; }
    OrderBookLadder > .ladder--bid { color: $success; }
    OrderBookLadder > .ladder--ask { color: $error; }
    OrderBookLadder > .ladder--bid-bar { background: $success 25%; }
    OrderBookLadder > .ladder--ask-bar { background: $error 25%; }
    OrderBookLadder > .ladder--own { color: $accent; text-style: bold; }
    OrderBookLadder > .ladder--spread { color: $foreground; background: $panel; }
    OrderBookLadder > .ladder--badge { color: $background; background: $warning; text-style: bold; }
    """

    class GroupingChanged(Message):
        """The trader changed how many ticks one ladder line covers."""

        def __init__(self, ladder: OrderBookLadder, multiple: int) -> None:
            super().__init__()
            self.ladder = ladder
            self.multiple = multiple

        @property
        def control(self) -> OrderBookLadder:
            return self.ladder

    def __init__(
        self,
        symbol: str,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.symbol = symbol
        """The symbol whose book this ladder shows."""
        self._snapshot: DepthSnapshot | None = None
        self._market: Market | None = None
        self._own_orders: tuple[Order, ...] = ()
        self._stream_state: StreamState | None = None
        self._multiple = 1
        self._contents: list[LineContent] = []
        self._strips: dict[LineContent, Strip] = {}
        self.paints = 0
        """Lines rendered since start; the benchmark reads it."""

    # -- attributes down -------------------------------------------------------------

    @property
    def snapshot(self) -> DepthSnapshot | None:
        """The last book handed to the ladder."""
        return self._snapshot

    @snapshot.setter
    def snapshot(self, value: DepthSnapshot | None) -> None:
        if value is not self._snapshot:
            self._snapshot = value
            self._relayout()

    @property
    def market(self) -> Market | None:
        """The market's tick and size steps; without it the ladder guesses conservatively."""
        return self._market

    @market.setter
    def market(self, value: Market | None) -> None:
        if value != self._market:
            self._market = value
            self._relayout()

    @property
    def own_orders(self) -> tuple[Order, ...]:
        """Our open orders on this symbol, marked at their price."""
        return self._own_orders

    @own_orders.setter
    def own_orders(self, value: Sequence[Order]) -> None:
        orders = tuple(order for order in value if order.symbol == self.symbol)
        if orders != self._own_orders:
            self._own_orders = orders
            self._relayout()

    @property
    def stream_state(self) -> StreamState | None:
        """The state of the stream feeding this book, for the STALE / RESYNCING badge."""
        return self._stream_state

    @stream_state.setter
    def stream_state(self, value: StreamState | None) -> None:
        if value != self._stream_state:
            self._stream_state = value
            self._relayout()

    @property
    def multiple(self) -> int:
        """Ticks per ladder line (1 = every tick)."""
        return self._multiple

    def change_grouping(self, direction: int) -> None:
        """Coarser (+1) or finer (-1) grouping; posts GroupingChanged when it moved."""
        multiple = step_multiple(self._multiple, direction)
        if multiple != self._multiple:
            self._multiple = multiple
            self._relayout()
            self.post_message(self.GroupingChanged(self, multiple))

    def show_symbol(self, symbol: str) -> None:
        """Point the ladder at another symbol; the old book and orders are dropped."""
        if symbol != self.symbol:
            self.symbol = symbol
            self._snapshot = None
            self._own_orders = ()
            self._multiple = 1
            self._relayout()

    # -- what the ladder shows -------------------------------------------------------

    @property
    def badge(self) -> str | None:
        """``STALE`` or ``RESYNCING`` while the book cannot be trusted, else None."""
        if self._stream_state is StreamState.RESYNCING:
            return "RESYNCING"
        stale_states = (StreamState.STALE, StreamState.DOWN)
        if self._stream_state in stale_states or (self._snapshot and self._snapshot.stale):
            return "STALE"
        return None

    @property
    def rows_per_side(self) -> int:
        return max(1, (self.size.height - 3) // 2)

    @property
    def tick_size(self) -> Decimal:
        return self._market.tick_size if self._market else _FALLBACK_TICK

    def current_view(self) -> LadderView | None:
        """The grouped, cut book the ladder is showing (None before the first book)."""
        if self._snapshot is None:
            return None
        return build_ladder(
            self._snapshot,
            tick_size=self.tick_size,
            multiple=self._multiple,
            rows_per_side=self.rows_per_side,
            own_orders=self._own_orders,
        )

    def _line_contents(self) -> list[LineContent]:
        height = self.size.height
        if height <= 0:
            return []
        bucket = self.tick_size * self._multiple
        header: LineContent = ("header", self.symbol, str(bucket), self.badge)
        columns: LineContent = ("columns",)
        view = self.current_view()
        if view is None:
            waiting: LineContent = ("message", "waiting for the order book…")
            return [header, columns, waiting, *([("blank",)] * max(0, height - 3))][:height]
        rows_per_side = self.rows_per_side
        asks: list[LineContent] = [("blank",)] * (rows_per_side - len(view.asks))
        asks += [("row", row) for row in view.asks]
        bids: list[LineContent] = [("row", row) for row in view.bids]
        bids += [("blank",)] * (rows_per_side - len(view.bids))
        spread: LineContent = ("spread", view.spread, view.mid)
        lines = [header, columns, *asks, spread, *bids]
        lines += [("blank",)] * (height - len(lines))
        return lines[:height]

    def _relayout(self) -> None:
        """Recompute line contents and refresh only the lines that differ."""
        contents = self._line_contents()
        previous = self._contents
        self._contents = contents
        width = self.size.width
        if len(contents) != len(previous):
            self.refresh()
            return
        for y, (new, old) in enumerate(zip(contents, previous, strict=True)):
            if new != old:
                self.refresh(Region(0, y, width, 1))

    def on_resize(self, event: events.Resize) -> None:
        self._strips.clear()
        self._contents = []
        self._relayout()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()
        self.refresh()

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return container.height

    # -- drawing ---------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        if y >= len(self._contents):
            self._contents = self._line_contents()
        if y >= len(self._contents):
            return Strip.blank(self.size.width, self.rich_style)
        content = self._contents[y]
        strip = self._strips.get(content)
        if strip is None:
            if len(self._strips) > _MAX_CACHED_STRIPS:
                self._strips.clear()
            strip = self._draw(content)
            self._strips[content] = strip
        self.paints += 1
        return strip

    def _draw(self, content: LineContent) -> Strip:
        width = self.size.width
        base = self.rich_style
        kind = content[0]
        if kind == "row":
            row = content[1]
            assert isinstance(row, LadderRow)
            segments = self._row_segments(row, width)
        elif kind == "header":
            segments = self._header_segments(width)
        elif kind == "columns":
            style = self.get_component_rich_style("ladder--columns")
            text = f"{'':{_OWN_WIDTH}}{'Price':>{_PRICE_WIDTH}}{'Size':>{_SIZE_WIDTH}}"
            text += f"{'Cum':>{_CUM_WIDTH}}  Depth"
            segments = [Segment(text, style)]
        elif kind == "spread":
            segments = self._spread_segments(content)
        elif kind == "message":
            segments = [Segment(f"  {content[1]}", base)]
        else:
            segments = []
        return Strip(segments).adjust_cell_length(width, base).simplify()

    def _header_segments(self, width: int) -> list[Segment]:
        style = self.get_component_rich_style("ladder--header")
        bucket = self.tick_size * self._multiple
        grouping = f"  ×{self._multiple} ({bucket.normalize():f})"
        segments = [Segment(f" {self.symbol}", style), Segment(grouping, style)]
        if self.badge:
            badge_style = self.get_component_rich_style("ladder--badge")
            segments += [Segment("  "), Segment(f" {self.badge} ", badge_style)]
        return segments

    def _spread_segments(self, content: LineContent) -> list[Segment]:
        style = self.get_component_rich_style("ladder--spread")
        spread, mid = content[1], content[2]
        decimals = decimals_of(self.tick_size)
        if isinstance(spread, Decimal) and isinstance(mid, Decimal):
            text = f" spread {format_amount(spread, decimals)}"
            text += f"   mid {format_amount(mid, decimals + 1)}"
        else:
            text = " one side of the book is empty"
        return [Segment(text, style)]

    def _row_segments(self, row: LadderRow, width: int) -> list[Segment]:
        is_bid = row.side is Side.BUY
        colour = self.get_component_rich_style("ladder--bid" if is_bid else "ladder--ask")
        bar_style = self.get_component_rich_style(
            "ladder--bid-bar" if is_bid else "ladder--ask-bar"
        )
        price_decimals = decimals_of(self.tick_size * self._multiple)
        size_decimals = decimals_of(self._market.qty_step if self._market else _FALLBACK_STEP)
        if row.own_size:
            own = [Segment("◆ ", self.get_component_rich_style("ladder--own"))]
        else:
            own = [Segment("  ")]
        price = format_amount(row.price, price_decimals)
        size = format_amount(row.size, size_decimals)
        cumulative = format_amount(row.cumulative, size_decimals)
        fixed = _OWN_WIDTH + _PRICE_WIDTH + _SIZE_WIDTH + _CUM_WIDTH + 2
        bar_width = max(0, width - fixed)
        filled = round(row.depth * bar_width)
        segments = [
            *own,
            Segment(f"{price:>{_PRICE_WIDTH}}", colour + Style(bold=True)),
            Segment(f"{size:>{_SIZE_WIDTH}}", self.rich_style),
            Segment(f"{cumulative:>{_CUM_WIDTH}}  ", self.rich_style),
        ]
        label = f"own {format_amount(row.own_size, size_decimals)}" if row.own_size else ""
        return segments + self._bar_segments(label[:bar_width], filled, bar_width, bar_style)

    def _bar_segments(
        self, label: str, filled: int, bar_width: int, bar_style: Style
    ) -> list[Segment]:
        """The depth bar, ``filled`` cells of ``bar_width``, with our own size written over
        its start so the label never pushes the bar off the line."""
        text = label.ljust(bar_width)
        own_style = self.get_component_rich_style("ladder--own")
        label_end = len(label)
        cuts = sorted({0, min(filled, label_end), filled, label_end, bar_width})
        segments = []
        for start, end in pairwise(cuts):
            if start == end:
                continue
            style = bar_style if start < filled else self.rich_style
            if start < label_end:
                style += own_style
            segments.append(Segment(text[start:end], style))
        return segments

    # -- mouse -----------------------------------------------------------------------

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        event.stop()
        self.change_grouping(-1)

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        event.stop()
        self.change_grouping(+1)
