"""What a ladder's price rows are drawn from, and the drawing of the common row in one call.

A ladder redraws 80-100 price rows a frame at speed (every row's cumulative size and depth
bar move with the book), so a row is put together from parts made once per style and width
(:class:`RowParts`: the marker cells, the depth bar at each fill) and number texts kept by
value (:class:`NumberTexts`); only the cumulative size is formatted per row.
:func:`plain_row_drawer` draws the row most lines are (no cursor, mark or order of ours on
it) framed, in one call; the others go through the ladder's general path, which the tests
hold it to.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise

from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from console.domain import Side
from console.tui.formatting import fit
from console.tui.textual_compat import FramedStrip, LineFrame
from console.tui.widgets.ladder_rows import LadderRow, amount_format, format_amount

PRICE_WIDTH = 13
SIZE_WIDTH = 11
CUM_WIDTH = 12
OWN_WIDTH = 2

FIXED_WIDTH = OWN_WIDTH + PRICE_WIDTH + SIZE_WIDTH + CUM_WIDTH + 2
NUMBERS_WIDTH = PRICE_WIDTH + SIZE_WIDTH + CUM_WIDTH + 2


@dataclass(frozen=True, slots=True)
class RowPalette:
    """Rich styles of a ladder row, resolved from the component classes."""

    base: Style
    bid: Style
    ask: Style
    bid_bar: Style
    ask_bar: Style
    own: Style
    own_on_base: Style
    own_on_bid_bar: Style
    own_on_ask_bar: Style
    bid_at_cursor: Style
    ask_at_cursor: Style

    def restyled(self, restyle: Callable[[Style], Style]) -> RowPalette:
        """Every style as ``restyle`` turns it (a frame's filters, style by style)."""
        return RowPalette(**{name: restyle(getattr(self, name)) for name in _PALETTE_FIELDS})


_PALETTE_FIELDS = tuple(RowPalette.__dataclass_fields__)


@dataclass(frozen=True, slots=True)
class RowParts:
    """The segments every row of one palette and bar width is made of, built once: the
    marker column and the depth bar at each fill (only the numbers are new per row)."""

    palette: RowPalette
    bar_width: int
    blank: Segment
    own: Segment
    cursor: Segment
    cursor_own: Segment
    bid_bars: tuple[Segment, ...]
    ask_bars: tuple[Segment, ...]
    rests: tuple[Segment, ...]
    """The base-styled rest of the bar after ``filled`` cells, by ``filled``."""

    @classmethod
    def build(cls, palette: RowPalette, bar_width: int) -> RowParts:
        fills = range(bar_width + 1)
        return cls(
            palette=palette,
            bar_width=bar_width,
            blank=Segment("  ", palette.base),
            own=Segment("◆ ", palette.own),
            cursor=Segment("▶ ", palette.own),
            cursor_own=Segment("▶◆", palette.own),
            bid_bars=tuple(Segment(" " * n, palette.bid_bar) for n in fills),
            ask_bars=tuple(Segment(" " * n, palette.ask_bar) for n in fills),
            rests=tuple(Segment(" " * (bar_width - n), palette.base) for n in fills),
        )


class NumberTexts:
    """A ladder's numbers as its rows show them (right-aligned in their columns), by value,
    for one pair of (price, size) decimals: the prices shown and most sizes are the same
    from one book to the next, and formatting a Decimal costs more than looking it up.
    Cumulative sizes are new on most books, so they are formatted each time."""

    __slots__ = ("decimals", "prices", "size_format", "sizes")

    LIMIT = 2048
    """Entries kept before starting again (a ladder shows a few dozen at a time)."""

    def __init__(self, decimals: tuple[int, int]) -> None:
        self.decimals = decimals
        self.size_format = amount_format(decimals[1])
        """:func:`format_amount`'s format for sizes, made once (not per cumulative size)."""
        self.prices: dict[Decimal, str] = {}
        self.sizes: dict[Decimal, str] = {}

    @property
    def full(self) -> bool:
        return len(self.prices) + len(self.sizes) > self.LIMIT

    def size_text(self, value: Decimal, width: int) -> str:
        """A size (or cumulative size) right-aligned in a column ``width`` wide, shortened
        (``12.3K``) to leave at least one space before it."""
        return f"{fit(format(value, self.size_format), value, width - 1):>{width}}"

    def columns(self, row: LadderRow) -> tuple[str, str]:
        """The row's price column, and its size and cumulative columns with the two spaces
        before the bar: together :data:`NUMBERS_WIDTH` long unless a number overruns."""
        price = self.prices.get(row.price)
        if price is None:
            price = f"{format_amount(row.price, self.decimals[0]):>{PRICE_WIDTH}}"
            self.prices[row.price] = price
        size = self.sizes.get(row.size)
        if size is None:
            size = self.sizes[row.size] = self.size_text(row.size, SIZE_WIDTH)
        return price, f"{size}{self.size_text(row.cumulative, CUM_WIDTH)}  "


RowContext = tuple[RowParts, NumberTexts]
"""What the price rows of one drawing share (:meth:`OrderBookLadder._row_context`)."""


def bar_segments(
    label: str, filled: int, bar_width: int, bar: Style, own_on_bar: Style, palette: RowPalette
) -> list[Segment]:
    """The depth bar, ``filled`` cells of ``bar_width``, with our own size written over its
    start so the label never pushes the bar off the line."""
    if not label:
        return [Segment(" " * filled, bar), Segment(" " * (bar_width - filled), palette.base)]
    text = label.ljust(bar_width)
    label_end = len(label)
    segments = []
    for start, end in pairwise(sorted({0, min(filled, label_end), filled, label_end, bar_width})):
        if start == end:
            continue
        on_bar = start < filled
        if start < label_end:
            style = own_on_bar if on_bar else palette.own_on_base
        else:
            style = bar if on_bar else palette.base
        segments.append(Segment(text[start:end], style))
    return segments


def row_label(own: str, mark: str, room: int) -> str:
    """The words over a row's depth bar in ``room`` columns: our size and the marks; short of
    room, the size goes first (the ◆ marker still says it), then the marks are cut with an
    ellipsis rather than left out, since nothing else on the line tells of a stop or a plan."""
    full = f"{own} {mark}".strip()
    if len(full) <= room:
        return full
    if not mark:
        return ""
    if len(mark) <= room:
        return mark
    return mark[: room - 1] + "…" if room > 1 else ""


def plain_row_drawer(
    frame: LineFrame, palette: RowPalette, context: RowContext
) -> Callable[[tuple[object, ...]], Strip | None]:
    """Draws a line's content, if it is a price row with no cursor, mark or order of ours
    on it and numbers that fit their columns, as ``frame`` puts it on screen, in one call;
    None for any other line (the ladder's general path draws it). ``palette``: the row
    styles as the frame's filters leave them; ``context``: the rows' shared parts and
    number texts. The same line as framing the row's segments (tests hold it to that)."""
    parts, texts = context
    bar_width = parts.bar_width
    blank, bid_bars, ask_bars, rests = parts.blank, parts.bid_bars, parts.ask_bars, parts.rests
    columns = texts.columns
    bid, ask, base = palette.bid, palette.ask, palette.base
    left, right = frame.filtered_sides()
    lead = () if left is None else (left,)
    tail = () if right is None else (right,)
    width = frame.width
    buy = Side.BUY
    new = tuple.__new__  # Segment(text, style): a named tuple's Python __new__ costs twice

    def draw(content: tuple[object, ...]) -> Strip | None:
        if content[0] != "row" or content[2] is True or content[3]:
            return None
        row = content[1]
        assert isinstance(row, LadderRow)
        if row.own_size:
            return None
        price, numbers = columns(row)
        filled = round(row.depth * bar_width)
        if len(price) + len(numbers) != NUMBERS_WIDTH or not 0 <= filled <= bar_width:
            return None
        numbers_segment = new(Segment, (numbers, base, None))
        if row.side is buy:
            middle = (blank, new(Segment, (price, bid, None)), numbers_segment, bid_bars[filled])
        else:
            middle = (blank, new(Segment, (price, ask, None)), numbers_segment, ask_bars[filled])
        return FramedStrip([*lead, *middle, rests[filled], *tail], width)

    return draw
