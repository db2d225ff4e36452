"""Textual workaround 6: framed lines (:func:`line_frame`).

For every line of a widget Textual's styles cache builds a new Strip around the widget's own
(border, background, padding), then another per line filter, each Strip with several caches
of its own, and the compositor asks a widget for all its lines on every frame it is dirty.
For the ladders that wrapping cost more than drawing the line itself. :class:`LineFrame` is
the same wrapping for a widget whose styles are plain (a left and right border, nothing
else), done once per changed line by a widget that caches the framed line
(``OrderBookLadder.render_lines``). A framed line is a :class:`FramedStrip`: a Strip that
builds its seven small caches when Textual first uses one, not up front (most framed lines
are drawn once or twice and dropped).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rich.segment import Segment
from rich.style import Style as RichStyle
from textual._border import get_box
from textual.cache import FIFOCache
from textual.color import Color
from textual.filter import ANSIToTruecolor, DimFilter, LineFilter, Monochrome, NoColor
from textual.strip import Strip
from textual.style import Style
from textual.widget import Widget

STYLE_BY_STYLE_FILTERS: tuple[type[LineFilter], ...] = (
    ANSIToTruecolor,
    DimFilter,
    Monochrome,
    NoColor,
)
"""Textual's line filters that turn each segment's style into a new one by itself (whatever
the text and the other segments), so a style's result can be remembered."""


class _FilteredStyles(dict[RichStyle | None, RichStyle | None]):
    """Each style as ``filters`` leave it, worked out once per style."""

    def __init__(self, filters: tuple[LineFilter, ...], background: Color) -> None:
        super().__init__()
        self._filters = filters
        self._background = background

    def __missing__(self, style: RichStyle | None) -> RichStyle | None:
        segments = [Segment(" ", style)]
        for line_filter in self._filters:
            segments = line_filter.apply(segments, self._background)
        filtered = self[style] = segments[0].style
        return filtered


_STRIP_CACHE_SIZES: dict[str, int] = {
    "_divide_cache": 4,
    "_crop_cache": 16,
    "_style_cache": 16,
    "_filter_cache": 4,
    "_line_length_cache": 4,
    "_crop_extend_cache": 4,
    "_offsets_cache": 4,
}
"""The caches ``Strip.__init__`` builds (Textual 8.x), by slot, with their sizes."""


class FramedStrip(Strip):
    """A :class:`~textual.strip.Strip` whose caches are built on first use.

    ``Strip.__init__`` builds seven ``FIFOCache``s (about two thirds of its cost); a framed
    line is drawn whole, or cut once or twice by the compositor, then replaced by the next
    book's, so most of them never touch a cache. Behaviour is Strip's own: a cache's slot is
    filled, at the size Strip gives it, the first time Strip's code reads it.
    """

    __slots__ = ()

    def __init__(self, segments: list[Segment], cell_length: int | None = None) -> None:
        self._segments = segments
        self._cell_length = cell_length
        self._render_cache = None
        self._link_ids = None
        self._cell_count = None

    def __getattr__(self, name: str) -> Any:
        size = _STRIP_CACHE_SIZES.get(name)
        if size is None:
            raise AttributeError(name)
        cache: FIFOCache[Any, Any] = FIFOCache(size)
        setattr(self, name, cache)
        return cache


@dataclass(frozen=True, slots=True)
class LineFrame:
    """What Textual's styles cache puts around a content line of a plainly styled widget:
    its left and right border cells, then the app's line filters."""

    left: Segment | None
    right: Segment | None
    filters: tuple[LineFilter, ...]
    background: Color
    width: int
    """The widget's whole width, borders included."""
    top: int
    """Lines above the first content line (the top border's, 0 or 1)."""
    _styles: _FilteredStyles | None = field(default=None, compare=False, repr=False)
    """The filters' result per style, when every filter works style by style."""

    _filtered_sides: tuple[Segment | None, Segment | None] | None = field(
        default=None, compare=False, repr=False
    )
    """The border cells as the filters leave them (for :meth:`frame_filtered`)."""

    def __post_init__(self) -> None:
        if self.filters and all(type(f) in STYLE_BY_STYLE_FILTERS for f in self.filters):
            object.__setattr__(self, "_styles", _FilteredStyles(self.filters, self.background))

    @property
    def style_by_style(self) -> bool:
        """Whether the filters (if any) turn each style into another by itself, so a line
        may be drawn in :meth:`filtered_style` styles and framed by :meth:`frame_filtered`."""
        return not self.filters or self._styles is not None

    def filtered_style(self, style: RichStyle | None) -> RichStyle | None:
        """``style`` as the filters leave it (only when :attr:`style_by_style`)."""
        styles = self._styles
        return style if styles is None else styles[style]

    def filtered_sides(self) -> tuple[Segment | None, Segment | None]:
        """The left and right border cells as the filters leave them (only when
        :attr:`style_by_style`): what :meth:`frame_filtered` puts around a line."""
        sides = self._filtered_sides
        if sides is None:
            left, right = self.left, self.right
            sides = (
                None if left is None else Segment(left.text, self.filtered_style(left.style)),
                None if right is None else Segment(right.text, self.filtered_style(right.style)),
            )
            object.__setattr__(self, "_filtered_sides", sides)
        return sides

    def frame_filtered(self, content: list[Segment]) -> Strip:
        """:meth:`frame` for ``content`` already drawn in :meth:`filtered_style` styles
        (without control codes): the same line, without a second pass over its segments.
        ``content`` becomes the line's own list."""
        left, right = self.filtered_sides()
        if left is not None:
            content.insert(0, left)
        if right is not None:
            content.append(right)
        return FramedStrip(content, self.width)

    def frame(self, content: list[Segment]) -> Strip:
        """``content`` (exactly the content width) as the widget's line on screen."""
        segments = content
        if self.left is not None or self.right is not None:
            segments = [
                *((self.left,) if self.left is not None else ()),
                *content,
                *((self.right,) if self.right is not None else ()),
            ]
        styles = self._styles
        if styles is not None:
            # what the filters do, one remembered style per segment (as they would, the
            # segments lose their control codes)
            segments = [Segment(text, styles[style]) for text, style, _ in segments]
        else:
            for line_filter in self.filters:
                segments = line_filter.apply(segments, self.background)
        return FramedStrip(list(segments), self.width)


def line_frame(widget: Widget) -> LineFrame | None:
    """The frame of ``widget``'s content lines as Textual's ``StylesCache.render_line`` and
    ``render`` (8.x) would draw them, or None when its styles need more than a left and right
    border (padding, an outline, tint, opacity, hatching, links): then Textual draws it.

    The top and bottom border lines are not covered: they change only with the styles, so
    Textual's own cache keeps them.
    """
    styles = widget.styles
    if (
        widget.BLANK
        or hover_links(widget)
        or any(styles.padding)
        or any(edge for edge, _ in styles.outline)
        or styles.tint.a
        or widget.opacity != 1.0
        or styles.text_opacity != 1.0
        or (styles.has_rule("hatch") and styles.hatch != "none")
    ):
        return None
    base_background, background = widget.background_colors
    inner = Style(background=base_background + background)
    outer = Style(background=base_background)
    (top, _), (right, right_color), _, (left, left_color) = styles.border

    def side(edge: str, color: Color, column: int) -> Segment | None:
        if not edge:
            return None
        style = Style(foreground=base_background + color.multiply_alpha(widget.opacity))
        return get_box(edge, inner, outer, style)[1][column]

    return LineFrame(
        left=side(left, left_color, 0),
        right=side(right, right_color, 2),
        filters=tuple(widget.get_line_filters()),
        background=background,
        width=widget.outer_size.width,
        top=1 if top else 0,
    )


def hover_links(widget: Widget) -> bool:
    """Whether the mouse is over a link in ``widget`` (Textual then restyles its lines)."""
    if not widget.auto_links:
        return False
    hover = widget.hover_style
    return bool(hover._link_id and hover._meta and "@click" in hover.meta)


def frame_matches_textual(widget: Widget) -> bool:
    """Whether :func:`line_frame` draws ``widget``'s content lines exactly as Textual's own
    styles cache does (the check a Textual upgrade must pass)."""
    frame = line_frame(widget)
    if frame is None:
        return False
    theirs = widget._styles_cache.render_widget(widget, widget.outer_size.region)
    for row in range(widget.size.height):
        content = list(widget.render_line(row))
        if list(frame.frame(content)) != list(theirs[row + frame.top]):
            return False
    return True
