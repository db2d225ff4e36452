"""The order-book ladder: a Line API widget that repaints only the lines that changed.

A DataTable rewritten per frame managed a quarter of the frames at a higher CPU cost than
painting pre-formatted lines (``bench/RESULTS.md``). So each line of the ladder is described
by a small hashable tuple (its content), turned into a :class:`~textual.strip.Strip` once and
cached; when a new book arrives only the lines whose content differs are refreshed.

Most lines change on most frames of a busy book, and Textual wraps every line it is handed
(border, filters) into new Strips of its own, which cost more than drawing the line. So the
ladder frames its changed lines itself, once each, and hands the compositor the framed lines
it keeps (:meth:`OrderBookLadder.render_panel_lines`, through
:class:`~console.tui.widgets.framed_lines.FramedLines`; the figures are in
``bench/RESULTS.md``). A price row (most of the changed lines) is drawn straight in the
frame's filtered styles from segments it reuses (:class:`RowParts`), so framing it adds no
second pass over its segments.

The app sets :attr:`snapshot`, :attr:`market`, :attr:`own_orders` and :attr:`stream_state`
(attributes down); the grouping keys change :attr:`multiple` and the ladder posts
:class:`OrderBookLadder.GroupingChanged` (messages up).

The ladder is also where the painted stage of a stream's latency is measured: the first line
drawn after a new book arrives calls :attr:`paint_listener` with the book's venue timestamp
(once per book that changed what is on screen, so at most once a frame).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from console.domain import DepthSnapshot, Market, Order, Side, StreamState
from console.tui.textual_compat import LineFrame, row_runs
from console.tui.widgets.framed_lines import FramedLines
from console.tui.widgets.kept_styles import KeptStyles
from console.tui.widgets.ladder_drawing import (
    CUM_WIDTH,
    FIXED_WIDTH,
    NUMBERS_WIDTH,
    OWN_WIDTH,
    PRICE_WIDTH,
    SIZE_WIDTH,
    NumberTexts,
    RowContext,
    RowPalette,
    RowParts,
    bar_segments,
    plain_row_drawer,
    row_label,
)
from console.tui.widgets.ladder_rows import (
    LadderRow,
    LadderView,
    build_ladder,
    decimals_of,
    format_amount,
    step_multiple,
)
from console.tui.widgets.panel_boundary import PanelBoundary

_FALLBACK_TICK = Decimal("0.01")
_FALLBACK_STEP = Decimal("0.001")
LineContent = tuple[object, ...]
"""What a line shows, as a hashable value: equal content means an identical line."""


@dataclass(frozen=True, slots=True)
class LadderMark:
    """A word written on the line holding ``price``: a stop's trigger, a take-profit, a
    planned scale order, a chasing order. Marks come in named sets (see
    :meth:`OrderBookLadder.set_marks`), so each tool owns its own and replaces it whole."""

    price: Decimal
    label: str


def _rows_per_side(height: int) -> int:
    """Price lines each side of the spread in a ladder ``height`` lines high (a header,
    the column names and the spread line take three)."""
    return max(1, (height - 3) // 2)


def _first_fitting(forms: Sequence[str], room: int) -> str:
    """The first of ``forms`` (longest first) that fits ``room`` cells, else nothing."""
    return next((form for form in forms if len(form) <= room), "")


class OrderBookLadder(PanelBoundary, FramedLines, Widget, can_focus=True):
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

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor(1)", "Cursor up", id="ladder.cursor_up", show=False),
        Binding("down", "cursor(-1)", "Cursor down", id="ladder.cursor_down", show=False),
    ]

    class BadgeChanged(Message):
        """The book became untrustworthy (``STALE``, ``RESYNCING``) or trustworthy (None)."""

        def __init__(self, ladder: OrderBookLadder, badge: str | None) -> None:
            super().__init__()
            self.ladder = ladder
            self.badge = badge

        @property
        def control(self) -> OrderBookLadder:
            return self.ladder

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
        multiple: int = 1,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        """
        Args:
            symbol: the symbol whose book the ladder shows.
            multiple: ticks per line to start with (the grouping kept for ``symbol``).
        """
        super().__init__(name=name, id=id, classes=classes)
        self.symbol = symbol
        """The symbol whose book this ladder shows."""
        self._snapshot: DepthSnapshot | None = None
        self._market: Market | None = None
        self._own_orders: tuple[Order, ...] = ()
        self._stream_state: StreamState | None = None
        self._multiple = multiple
        self._contents: list[LineContent] = []
        self._strips: dict[LineContent, Strip] = {}
        self._framed_rows: list[Strip | None] = []
        """The framed line at each content row (as it appears on screen, border and filters
        included), None where it is still to be drawn. Kept by row, not by content: a
        changed line's content is new on almost every book (its cumulative size and depth
        bar), so a by-content cache was hit for 0.4 % of the lines drawn
        (``bench/ladder_paint.py``) while every book rehashed every line into it."""
        self._texts: NumberTexts | None = None
        self._kept_styles = KeptStyles(self)
        self._styles: RowPalette | None = None
        self._parts: dict[int, RowParts] = {}
        """Row parts by palette (the plain one and the framed one), checked by identity."""
        self._filtered: tuple[LineFrame, RowPalette, RowPalette] | None = None
        """(frame, palette, the palette as the frame's filters leave it)."""
        self._last_badge: str | None = None
        self._width = 0
        self._decimals_for: tuple[tuple[Market | None, int], tuple[int, int]] | None = None
        self._cursor: Decimal | None = None
        self._note = ""
        self._position_marks: tuple[Decimal | None, Decimal | None] = (None, None)
        self._marks: dict[str, tuple[LadderMark, ...]] = {}
        self._move_note = ""
        self._slow = False
        self._unpainted_ms: int | None = None
        """The venue stamp of a book handed over and not yet drawn."""
        self.paint_listener: Callable[[str, int], None] | None = None
        """Called with (symbol, venue ms) as a new book is drawn: the painted latency."""

    # -- attributes down -------------------------------------------------------------

    @property
    def snapshot(self) -> DepthSnapshot | None:
        """The last book handed to the ladder."""
        return self._snapshot

    @snapshot.setter
    def snapshot(self, value: DepthSnapshot | None) -> None:
        if value is not self._snapshot:
            self._snapshot = value
            stamp = None if value is None or value.stale else value.exchange_time
            self._unpainted_ms = None if stamp is None else int(stamp.timestamp() * 1000)
            if not self._relayout():
                self._unpainted_ms = None  # nothing on screen changed: nothing to draw

    @property
    def slow(self) -> bool:
        """The stream feeding this book is late (SLOW): a badge says so, the book stays."""
        return self._slow

    @slow.setter
    def slow(self, value: bool) -> None:
        if value != self._slow:
            self._slow = value
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
    def cursor_price(self) -> Decimal | None:
        """The price line the trading keys act on (moved with up/down); None until moved."""
        return self._cursor

    @cursor_price.setter
    def cursor_price(self, value: Decimal | None) -> None:
        if value != self._cursor:
            self._cursor = value
            self._relayout()

    @property
    def note(self) -> str:
        """A short text for the header, e.g. the size preset of the ladder keys."""
        return self._note

    @note.setter
    def note(self, value: str) -> None:
        if value != self._note:
            self._note = value
            self._relayout()

    @property
    def position_marks(self) -> tuple[Decimal | None, Decimal | None]:
        """Our position's (entry, liquidation) prices on this symbol, marked on their lines
        and written in the header; (None, None) when flat."""
        return self._position_marks

    @position_marks.setter
    def position_marks(self, value: tuple[Decimal | None, Decimal | None]) -> None:
        if value != self._position_marks:
            self._position_marks = value
            self._relayout()

    @property
    def move_note(self) -> str:
        """What an order being moved will become (``moving … → 60,010``); empty otherwise."""
        return self._move_note

    @move_note.setter
    def move_note(self, value: str) -> None:
        if value != self._move_note:
            self._move_note = value
            self._relayout()

    def marks(self, source: str) -> tuple[LadderMark, ...]:
        """The marks set under ``source`` (empty when none)."""
        return self._marks.get(source, ())

    def set_marks(self, source: str, marks: Sequence[LadderMark]) -> None:
        """Replace the marks of ``source`` (e.g. ``"triggers"``, ``"scale"``, ``"chase"``);
        an empty sequence removes them. Each tool keeps its own set, so one tool clearing
        its marks never wipes another's."""
        kept = tuple(marks)
        if kept == self._marks.get(source, ()):
            return
        if kept:
            self._marks[source] = kept
        else:
            self._marks.pop(source, None)
        self._relayout()

    def _all_marks(self) -> tuple[LadderMark, ...]:
        """Position marks (entry, liq) first, then every named set in the order set."""
        entry, liq = self._position_marks
        position = tuple(
            LadderMark(price, name)
            for name, price in (("entry", entry), ("liq", liq))
            if price is not None
        )
        return position + tuple(mark for marks in self._marks.values() for mark in marks)

    def _mark_labels(self) -> dict[tuple[Side, Decimal], str]:
        """Each mark's words, keyed by the (side, bucket price) of the line it falls on on
        either side of the book: a line shows the marks that round into its bucket."""
        marks = self._all_marks()
        if not marks:
            return {}
        bucket = self.tick_size * self._multiple
        labels: dict[tuple[Side, Decimal], str] = {}
        for side, rounding in ((Side.BUY, ROUND_FLOOR), (Side.SELL, ROUND_CEILING)):
            for mark in marks:
                key = (side, (mark.price / bucket).to_integral_value(rounding) * bucket)
                labels[key] = f"{labels[key]} {mark.label}" if key in labels else mark.label
        return labels

    def action_cursor(self, lines: int) -> None:
        """Move the cursor to the next line shown above (+) or below (-), or a bucket when
        none is; the first move lands on the best bid."""
        bucket = self.tick_size * self._multiple
        if self._cursor is not None:
            view = self.current_view()
            shown = [row.price for row in (*view.asks, *view.bids)] if view else []
            cursor = self._cursor
            ahead = sorted(p for p in shown if (p > cursor if lines > 0 else p < cursor))
            if ahead:
                self.cursor_price = ahead[0] if lines > 0 else ahead[-1]
            else:
                self.cursor_price = max(bucket, cursor + bucket * lines)
            return
        best = self._snapshot.best_bid if self._snapshot is not None else None
        if best is not None:
            self.cursor_price = (best.price / bucket).to_integral_value(ROUND_FLOOR) * bucket

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

    def show_symbol(self, symbol: str, *, multiple: int = 1) -> None:
        """Point the ladder at another symbol, grouped ``multiple`` ticks per line; the old
        book and orders are dropped."""
        if symbol != self.symbol:
            self.symbol = symbol
            self._snapshot = None
            self._own_orders = ()
            self._multiple = multiple
            self._cursor = None
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
        return _rows_per_side(self.size.height)

    @property
    def tick_size(self) -> Decimal:
        return self._market.tick_size if self._market else _FALLBACK_TICK

    def current_view(self, rows_per_side: int | None = None) -> LadderView | None:
        """The grouped, cut book the ladder is showing (None before the first book); the
        caller that has just read the ladder's height passes ``rows_per_side`` (``size``
        walks up to the screen on every read)."""
        if self._snapshot is None:
            return None
        return build_ladder(
            self._snapshot,
            tick_size=self.tick_size,
            multiple=self._multiple,
            rows_per_side=self.rows_per_side if rows_per_side is None else rows_per_side,
            own_orders=self._own_orders,
            marked=[mark.price for marks in self._marks.values() for mark in marks],
        )

    def _line_contents(self) -> list[LineContent]:
        height = self.size.height
        if height <= 0:
            return []
        bucket = self.tick_size * self._multiple
        header: LineContent = (
            "header",
            self.symbol,
            str(bucket),
            self.badge,
            self._slow,
            self._note,
            self._cursor,
            self._position_marks,
            self._move_note,
        )
        rows_per_side = _rows_per_side(height)
        view = self.current_view(rows_per_side)
        columns: LineContent = ("columns", view.own_off_ladder if view else 0)
        if view is None:
            waiting: LineContent = ("message", "waiting for the order book…")
            return [header, columns, waiting, *([("blank",)] * max(0, height - 3))][:height]
        asks: list[LineContent] = [("blank",)] * (rows_per_side - len(view.asks))
        cursor = self._cursor
        labels = self._mark_labels()
        bids: list[LineContent]
        if cursor is None and not labels:  # most books: no line to look up
            asks += [("row", row, False, "") for row in view.asks]
            bids = [("row", row, False, "") for row in view.bids]
        else:
            asks += [
                ("row", row, row.price == cursor, labels.get((row.side, row.price), ""))
                for row in view.asks
            ]
            bids = [
                ("row", row, row.price == cursor, labels.get((row.side, row.price), ""))
                for row in view.bids
            ]
        bids += [("blank",)] * (rows_per_side - len(view.bids))
        spread: LineContent = ("spread", view.spread, view.mid)
        lines = [header, columns, *asks, spread, *bids]
        lines += [("blank",)] * (height - len(lines))
        return lines[:height]

    def _relayout(self) -> bool:
        """Recompute line contents and refresh only the lines that differ; True when any
        line was refreshed."""
        badge = self.badge
        if badge != self._last_badge:
            self._last_badge = badge
            self.post_message(self.BadgeChanged(self, badge))
        contents = self._line_contents()
        previous = self._contents
        self._contents = contents
        # Keep the strips of the lines shown, drop the rest. A book moves on rather than
        # back, so a bigger cache was almost never hit (bench/RESULTS.md) while it kept
        # tens of thousands of objects (a strip holds its own caches) alive for every full
        # garbage collection to walk, and the collector's pause is the paint's stall.
        strips = self._strips
        if strips:  # empty while the lines are framed here (a lookup hashes the line)
            self._strips = {
                line: strip for line in contents if (strip := strips.get(line)) is not None
            }
        width = self._width
        if len(contents) != len(previous) or len(self._framed_rows) != len(contents):
            self._framed_rows = [None] * len(contents)
            self.refresh()
            return True
        rows = self._framed_rows
        changed = [
            y for y, (new, old) in enumerate(zip(contents, previous, strict=True)) if new != old
        ]
        for y in changed:
            rows[y] = None
        if changed:
            # One refresh for all changed runs: each call walks Textual's dirty bookkeeping.
            self.refresh(*(Region(0, y, width, n) for y, n in row_runs(changed)))
        return bool(changed)

    def on_resize(self, event: events.Resize) -> None:
        self.size_changed()
        self._contents = []
        self._relayout()

    def size_changed(self) -> None:
        super().size_changed()
        self._width = self.size.width  # ``size`` walks up to the screen: read it once here
        self._strips.clear()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._kept_styles.clear()
        self._styles = None
        self._strips.clear()
        self.forget_framed_lines()
        self.refresh()

    @property
    def _base_style(self) -> Style:
        """The widget's own Rich style, kept until the styles change."""
        return self._kept_styles.base

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return container.height

    # -- drawing ---------------------------------------------------------------------

    def forget_framed_lines(self) -> None:
        super().forget_framed_lines()
        self._framed_rows = [None] * len(self._framed_rows)

    def render_panel_lines(self, crop: Region) -> list[Strip]:
        """The lines in ``crop`` as they appear on screen: content lines framed here (once
        per changed line, then kept); styles the frame does not cover are Textual's."""
        self._report_painted()
        frame = self.current_frame()
        if frame is None:
            return super().render_panel_lines(crop)
        height = self.size.height
        if len(self._contents) != height:
            self._contents = self._line_contents()
            self._framed_rows = [None] * len(self._contents)
        elif len(self._framed_rows) != height:
            self._framed_rows = [None] * height
        rows, contents = self._framed_rows, self._contents
        palette = self._framed_palette(frame) if frame.style_by_style else None
        context: RowContext | None = None
        draw_plain_row: Callable[[LineContent], Strip | None] | None = None
        if palette is not None:
            width = self._width or self.size.width
            context = self._row_context(width, palette)
            if width >= FIXED_WIDTH:
                draw_plain_row = plain_row_drawer(frame, palette, context)

        def content_line(row: int) -> Strip:
            strip = rows[row]
            if strip is None:
                content = contents[row]
                if draw_plain_row is not None:
                    strip = draw_plain_row(content)
                if strip is None:
                    strip = self._framed_line(content, frame, palette, context)
                rows[row] = strip
            return strip

        return self.framed_crop(crop, frame, content_line, height)

    def _framed_line(
        self,
        content: LineContent,
        frame: LineFrame,
        palette: RowPalette | None,
        context: RowContext | None = None,
    ) -> Strip:
        """``content`` as ``frame`` puts it on screen. A price row, given the ``palette`` in
        the frame's filtered styles, is drawn in them at once (one pass, not two); anything
        else, or a row whose numbers overrun their columns, is framed from its segments.
        ``context``: :meth:`_row_context` for this width and palette, when the caller draws
        several rows."""
        if palette is not None and content[0] == "row":
            if not self._width:
                self._width = self.size.width
            width = self._width
            if width >= FIXED_WIDTH:
                segments = self._row_segments(
                    content[1],  # type: ignore[arg-type]
                    width,
                    palette,
                    at_cursor=content[2] is True,
                    mark=content[3],  # type: ignore[arg-type]
                    context=context,
                )
                if len(segments[1].text) + len(segments[2].text) == NUMBERS_WIDTH:
                    # the numbers fit their columns: the line is exactly the width
                    return frame.frame_filtered(segments)
        return frame.frame(self._segments(content))

    def _report_painted(self) -> None:
        """The first drawing after a new book tells :attr:`paint_listener` (once per book)."""
        if self._unpainted_ms is not None:
            if self.paint_listener is not None:
                self.paint_listener(self.symbol, self._unpainted_ms)
            self._unpainted_ms = None

    def render_line(self, y: int) -> Strip:
        self._report_painted()
        if y >= len(self._contents):
            self._contents = self._line_contents()
        if y >= len(self._contents):
            return Strip.blank(self._width, self._base_style)
        content = self._contents[y]
        strip = self._strips.get(content)
        if strip is None:
            strip = self._draw(content)
            self._strips[content] = strip
        return strip

    def _draw(self, content: LineContent) -> Strip:
        """One Strip of exactly the widget's width."""
        return Strip(self._segments(content), self._width)

    def _segments(self, content: LineContent) -> list[Segment]:
        """The segments of one line, exactly the widget's width. Strips are costly to build
        (each holds its own caches), so the segments are padded here and no intermediate
        Strip is made."""
        if not self._width:
            self._width = self.size.width
        width = self._width
        base = self._base_style
        kind = content[0]
        if kind == "row":
            row = content[1]
            assert isinstance(row, LadderRow)
            segments = self._row_segments(
                row, width, self._palette(), at_cursor=content[2] is True, mark=str(content[3])
            )
        elif kind == "header":
            segments = self._header_segments(width)
        elif kind == "columns":
            segments = self._columns_segments(content)
        elif kind == "spread":
            segments = self._spread_segments(content)
        elif kind == "message":
            segments = [Segment(f"  {content[1]}", base)]
        else:
            segments = []
        used = sum(len(segment.text) for segment in segments)
        if used < width:
            segments.append(Segment(" " * (width - used), base))
        elif used > width:
            return list(Strip(segments).crop(0, width))
        return segments

    def _columns_segments(self, content: LineContent) -> list[Segment]:
        """Column names, and how many of our orders rest beyond the lines shown; the depth
        bar's name and the count shrink rather than run off a narrow ladder."""
        style = self._component_style("ladder--columns")
        text = f"{'':{OWN_WIDTH}}{'Price':>{PRICE_WIDTH}}{'Size':>{SIZE_WIDTH}}"
        text += f"{'Cum':>{CUM_WIDTH}}"
        room = self._width - len(text)
        off_ladder = content[1]
        if off_ladder:
            note = _first_fitting((f"  ◆ {off_ladder} off-ladder", f"  ◆{off_ladder}"), room)
            return [Segment(text, style), Segment(note, self._palette().own)]
        return [Segment(text + _first_fitting(("  Depth",), room), style)]

    def _header_segments(self, width: int) -> list[Segment]:
        """Symbol, badge, cursor price, size preset and grouping, in that order of need:
        on a narrow ladder the grouping shortens, then whole parts are left out (never cut)."""
        style = self._component_style("ladder--header")
        bucket = self.tick_size * self._multiple
        parts: list[tuple[tuple[str, ...], Style]] = [((f" {self.symbol}",), style)]
        if self.badge:
            badge_style = self._component_style("ladder--badge")
            parts += [(("  ",), Style()), ((f" {self.badge} ",), badge_style)]
        elif self._slow:
            badge_style = self._component_style("ladder--badge")
            parts += [(("  ",), Style()), ((" SLOW ",), badge_style)]
        if self._cursor is not None:
            cursor = format_amount(self._cursor, self._decimals()[0])
            parts.append(((f"  ▶ {cursor}",), style))
        if self._note:
            parts.append(((f"  {self._note}",), style))
        own = self._palette().own
        for name, mark in zip(("entry", "liq"), self._position_marks, strict=True):
            if mark is not None:
                parts.append(((f"  {name} {format_amount(mark, self._decimals()[0])}",), own))
        if self._move_note:
            parts.append(((f"  {self._move_note}", "  moving…"), own))
        parts.append(
            ((f"  ×{self._multiple} ({bucket.normalize():f})", f"  ×{self._multiple}"), style)
        )
        room = width
        segments = []
        for forms, part_style in parts:
            text = _first_fitting(forms, room)
            room -= len(text)
            segments.append(Segment(text, part_style))
        return segments

    def _spread_segments(self, content: LineContent) -> list[Segment]:
        style = self._component_style("ladder--spread")
        spread, mid = content[1], content[2]
        decimals = decimals_of(self.tick_size)
        if isinstance(spread, Decimal) and isinstance(mid, Decimal):
            text = f" spread {format_amount(spread, decimals)}"
            text += f"   mid {format_amount(mid, decimals + 1)}"
        else:
            text = " one side of the book is empty"
        return [Segment(text, style)]

    def _row_segments(
        self,
        row: LadderRow,
        width: int,
        palette: RowPalette,
        *,
        at_cursor: bool = False,
        mark: str = "",
        context: RowContext | None = None,
    ) -> list[Segment]:
        """The row's segments in ``palette``'s styles; exactly ``width`` cells when the
        width holds the fixed columns and the numbers fit theirs, else longer. ``context``:
        :meth:`_row_context` for this width and palette (worked out here when None)."""
        is_bid = row.side is Side.BUY
        parts, texts = context or self._row_context(width, palette)
        bar_width = parts.bar_width
        price, numbers = texts.columns(row)
        filled = round(row.depth * bar_width)
        if at_cursor:
            marker = parts.cursor_own if row.own_size else parts.cursor
            price_style = palette.bid_at_cursor if is_bid else palette.ask_at_cursor
        else:
            price_style = palette.bid if is_bid else palette.ask
            marker = parts.own if row.own_size else parts.blank
        segments = [
            marker,
            Segment(price, price_style),
            Segment(numbers, palette.base),
        ]
        own = f"own {format_amount(row.own_size, texts.decimals[1])}" if row.own_size else ""
        label = row_label(own, mark, bar_width) if own or mark else ""
        if not label and 0 <= filled <= bar_width:
            segments.append(parts.bid_bars[filled] if is_bid else parts.ask_bars[filled])
            segments.append(parts.rests[filled])
            return segments
        if is_bid:
            bar, own_on_bar = palette.bid_bar, palette.own_on_bid_bar
        else:
            bar, own_on_bar = palette.ask_bar, palette.own_on_ask_bar
        segments += bar_segments(label, filled, bar_width, bar, own_on_bar, palette)
        return segments

    def _row_context(self, width: int, palette: RowPalette) -> RowContext:
        """What every price row drawn at ``width`` in ``palette`` shares: its parts (for the
        bar width) and the number texts (for the decimals of the moment); worked out once
        per drawing of several rows rather than once per row."""
        bar_width = max(0, width - FIXED_WIDTH)
        parts = self._parts.get(id(palette))
        if parts is None or parts.palette is not palette or parts.bar_width != bar_width:
            if len(self._parts) > 4:  # palettes of styles gone by
                self._parts.clear()
            parts = self._parts[id(palette)] = RowParts.build(palette, bar_width)
        decimals = self._decimals()
        texts = self._texts
        if texts is None or texts.decimals != decimals or texts.full:
            texts = self._texts = NumberTexts(decimals)
        return parts, texts

    def _palette(self) -> RowPalette:
        """The row styles, resolved once per style change rather than once per row."""
        if self._styles is None:
            own = self.get_component_rich_style("ladder--own")
            base = self._base_style
            bid_bar = self.get_component_rich_style("ladder--bid-bar")
            ask_bar = self.get_component_rich_style("ladder--ask-bar")
            bid = self.get_component_rich_style("ladder--bid") + Style(bold=True)
            ask = self.get_component_rich_style("ladder--ask") + Style(bold=True)
            self._styles = RowPalette(
                base=base,
                bid=bid,
                ask=ask,
                bid_bar=bid_bar,
                ask_bar=ask_bar,
                own=own,
                own_on_base=base + own,
                own_on_bid_bar=bid_bar + own,
                own_on_ask_bar=ask_bar + own,
                bid_at_cursor=bid + Style(reverse=True),
                ask_at_cursor=ask + Style(reverse=True),
            )
        return self._styles

    def _component_style(self, name: str) -> Style:
        """A component's Rich style, kept until the styles change."""
        return self._kept_styles.component(name)

    def _framed_palette(self, frame: LineFrame) -> RowPalette:
        """The row styles as ``frame``'s filters leave them (``frame.style_by_style``), so
        rows are drawn framed in one pass; kept while the frame and the styles are."""
        kept = self._filtered
        if kept is None or kept[0] is not frame or kept[1] is not self._palette():
            palette = self._palette()

            def restyle(style: Style) -> Style:
                filtered = frame.filtered_style(style)
                assert filtered is not None
                return filtered

            kept = self._filtered = (frame, palette, palette.restyled(restyle))
        return kept[2]

    def _decimals(self) -> tuple[int, int]:
        """Decimals of prices (at the current grouping) and of sizes."""
        key = (self._market, self._multiple)
        if self._decimals_for is None or self._decimals_for[0] != key:
            step = self._market.qty_step if self._market else _FALLBACK_STEP
            decimals = (decimals_of(self.tick_size * self._multiple), decimals_of(step))
            self._decimals_for = (key, decimals)
        return self._decimals_for[1]

    # -- mouse -----------------------------------------------------------------------

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        event.stop()
        self.change_grouping(-1)

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        event.stop()
        self.change_grouping(+1)
