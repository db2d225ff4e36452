"""Every place the console works around Textual's internals, in one module.

Written against Textual 8.2 (``pyproject.toml`` allows 8.x). Each workaround says what
Textual does, why it costs the console, and how to tell it is still needed; each has a test
in ``tests/ui/test_textual_compat.py`` that fails when an upgrade makes it unnecessary (or
breaks it), so it is removed rather than carried. The measurements behind them are in
``bench/RESULTS.md``.

Nothing here happens on import: :func:`apply_textual_compat` is called once at the start of
:class:`~console.tui.app.ConsoleApp` (before any screen exists), and the garbage collector's
settings are applied and undone by the app around its steady state.

1. **Screen-update rate** (:func:`set_screen_update_rate`): Textual draws changed lines on a
   timer at ``TEXTUAL_FPS`` (60 by default), read once into ``textual.screen.UPDATE_PERIOD``
   when Textual is imported. A ladder line our paint changed waits for that timer's next
   tick; a faster timer shortens the wait at no measurable CPU cost, because it fires only
   when something changed and our paint caps the changes at ``ui.max_fps``.
2. **Whole-strip divide** (:func:`_divide`): ``Strip.divide`` caches its result in the strip,
   and for a cut at the strip's full width that result is ``[self]``: the strip refers to
   itself. The compositor divides every line it draws, so every line of every frame became
   a reference cycle left to the cycle collector, whose pauses set the tail of the repaint
   delay.
3. **Theme lookup** (:class:`CompatApp`): ``App.get_theme`` copies the registry of themes
   into a new dict (``available_themes``), twice, and runs for every line drawn (through
   ``current_theme``).
4. **DataTable render caches** (:func:`drop_render_caches`): DataTable keys its rendered
   cells and rows by an update counter that every ``update_cell`` bumps, so after an update
   no old entry can be hit again; yet they stay until their LRU bounds (10,000 cells a
   table) push them out. Tables updated every second filled those bounds over minutes.
5. **Garbage collector** (:func:`settle_for_steady_state`): Textual builds several
   short-lived strips for every changed line, each with small caches; at CPython's default
   young-generation threshold (700) the collector ran hundreds of times a minute, and every
   full collection walked the ~300k objects start-up left (ccxt's and pydantic's classes,
   the markets), which live as long as the process.
6. **Framed lines** (:func:`line_frame`): for every line of a widget Textual's styles cache
   builds a new Strip around the widget's own (border, background, padding), then another
   per line filter, each Strip with several caches of its own, and the compositor asks a
   widget for all its lines on every frame it is dirty. For the ladders that wrapping cost
   more than drawing the line itself. :class:`LineFrame` is the same wrapping for a widget
   whose styles are plain (a left and right border, nothing else), done once per changed
   line by a widget that caches the framed line (``OrderBookLadder.render_lines``). A framed
   line is a :class:`FramedStrip`: a Strip that builds its seven small caches when Textual
   first uses one, not up front (most framed lines are drawn once or twice and dropped).
7. **Key names** (:func:`character_key`): a keymap entry says ``?`` or ``:``; Textual binds
   it as ``question_mark`` or ``colon`` through its private ``_character_to_key``, with no
   public twin. The keymap check must name keys exactly as Textual will, so it calls the
   same function, here and nowhere else.
8. **Raw terminal output** (:func:`write_to_terminal`): an alert's desktop notification is
   an OSC escape written to the terminal; Textual has no public way to write one, and its
   own ``App.bell`` writes through the private ``App._driver``. So does this, the same way
   (nothing when headless, as the bell).
9. **Partial updates** (:func:`render_dirty_chops`): for a partial screen update Textual
   asks every widget whose *clip* (its container's area) meets the bounding box of the dirty
   regions for *all* its lines, then keeps only the lines and columns that are dirty. A
   ladder line changed in the centre had the screen, the status bar, the footer, the bottom
   tabs, every column, the tape, the chart and the gauges redraw all their lines (cached,
   but each line re-filtered and re-divided), on every frame. The partial update here asks
   each widget only for the rows a dirty span crosses, and only while a part of them is not
   yet covered by a widget in front, and puts the pieces together exactly as Textual does.
10. **Drawing at once** (:func:`draw_now`): a refreshed widget reaches the screen through
   three message hops (the widget's idle, an ``Update`` message, the screen's idle) and then
   the screen-update timer; the paint, which knows it just changed lines and wants them on
   screen, draws the screen in the same turn of the event loop as Textual's timer would.
11. **LRU cache clear** (:func:`fix_lru_clear`): Textual's ``LRUCache`` keeps its entries
   in a ring of linked lists, and ``clear`` drops the ring without unlinking it, so every
   entry (a DataTable's rendered cells, rows and lines: segments, texts, strips) became
   cyclic garbage. The account and stream tables clear theirs on every update (4), about
   three a second; garbage that waits for the collector sets a higher memory mark than
   garbage freed at once, and memory the process once held stays resident
   (``bench/rss_growth.py --garbage``).
"""

from __future__ import annotations

import gc
import inspect
import os
import weakref
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

import textual.constants
import textual.keys
import textual.screen
from rich.segment import Segment
from rich.style import Style as RichStyle
from textual._border import get_box
from textual._compositor import ChopsUpdate, Compositor
from textual.app import App, ReturnType
from textual.cache import FIFOCache, LRUCache
from textual.color import Color
from textual.filter import ANSIToTruecolor, DimFilter, LineFilter, Monochrome, NoColor
from textual.geometry import Region
from textual.screen import Screen
from textual.strip import Strip
from textual.style import Style
from textual.theme import Theme
from textual.widget import Widget
from textual.widgets import DataTable

SCREEN_UPDATES_PER_SECOND = 240
"""Textual's screen-update rate for the console, unless the user set ``TEXTUAL_FPS``."""

YOUNG_GENERATION_THRESHOLD = 10_000
"""Allocations (net of frees) between young collections; CPython's default is 700."""

# -- 1. screen-update rate ---------------------------------------------------------------


def screen_update_period_is_fixed_at_import() -> bool:
    """Whether Textual still keeps the screen-update period in ``textual.screen``, the
    module-level value each screen's update timer reads when it starts."""
    return isinstance(getattr(textual.screen, "UPDATE_PERIOD", None), float)


def set_screen_update_rate(rate: int = SCREEN_UPDATES_PER_SECOND) -> None:
    """Run Textual's screen-update timer ``rate`` times a second; a ``TEXTUAL_FPS`` the user
    set wins. Call before the first screen starts its timer."""
    if "TEXTUAL_FPS" in os.environ or not screen_update_period_is_fixed_at_import():
        return
    # Both are Final in Textual, computed once from TEXTUAL_FPS when it is imported.
    setattr(textual.screen, "UPDATE_PERIOD", 1 / rate)  # noqa: B010
    setattr(textual.constants, "MAX_FPS", rate)  # noqa: B010


# -- 2. whole-strip divide ---------------------------------------------------------------

_textual_divide = Strip.divide


def _divide(self: Strip, cuts: Iterable[int]) -> Sequence[Strip]:
    """``Strip.divide`` without the self-reference: a whole-strip cut is the strip itself,
    the same list Textual returns, just not cached in the strip."""
    cuts = list(cuts)
    if cuts == [self.cell_length]:
        return [self]
    return _textual_divide(self, cuts)


def divide_caches_the_strip_in_itself() -> bool:
    """Whether Textual's own ``divide`` leaves a strip referring to itself."""
    probe = Strip([Segment(" ")], 1)
    _textual_divide(probe, [1])
    cache = getattr(probe, "_divide_cache", None)
    cached = cache.get((1,)) if cache is not None else None
    return cached is not None and any(strip is probe for strip in cached)


def fix_whole_strip_divide() -> None:
    """Install :func:`_divide` where Textual still needs it; again changes nothing."""
    if Strip.divide is not _divide and divide_caches_the_strip_in_itself():
        Strip.divide = _divide  # type: ignore[method-assign]


# -- 3. theme lookup ---------------------------------------------------------------------


def theme_lookup_copies_the_registry(app: App[Any]) -> bool:
    """Whether ``App.available_themes`` (which ``get_theme`` reads) is a new dict per call."""
    return app.available_themes is not app.available_themes


class CompatApp(App[ReturnType]):
    """Textual's App with the workarounds that have to be methods of the app: theme
    lookups are remembered, and forgotten whenever the registered themes change."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._theme_by_name: dict[str, Theme | None] = {}
        super().__init__(*args, **kwargs)

    def get_theme(self, theme_name: str) -> Theme | None:
        try:
            return self._theme_by_name[theme_name]
        except KeyError:
            found = self._theme_by_name[theme_name] = super().get_theme(theme_name)
            return found

    def register_theme(self, theme: Theme) -> None:
        super().register_theme(theme)
        self._theme_by_name.clear()

    def unregister_theme(self, theme_name: str) -> None:
        super().unregister_theme(theme_name)
        self._theme_by_name.clear()


# -- 4. DataTable render caches ----------------------------------------------------------


def drop_render_caches(table: DataTable[Any]) -> None:
    """Drop ``table``'s rendered rows and cells after ``update_cell`` outdated them all.

    Removing and adding rows clear them already; only updates leave them behind.
    """
    clear = getattr(table, "_clear_caches", None)
    if clear is not None:
        clear()


# -- 5. garbage collector ----------------------------------------------------------------


def settle_for_steady_state() -> Callable[[], None]:
    """Freeze what start-up left and collect the young generation less often; returns the
    function that undoes both.

    Undo when the app stops: a process that runs several apps (the tests) would otherwise
    keep each one's start-up objects frozen for good.
    """
    before = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(YOUNG_GENERATION_THRESHOLD, *before[1:])

    def restore() -> None:
        gc.set_threshold(*before)
        gc.unfreeze()

    return restore


# -- 6. framed lines ---------------------------------------------------------------------


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

    def frame_filtered(self, content: list[Segment]) -> Strip:
        """:meth:`frame` for ``content`` already drawn in :meth:`filtered_style` styles
        (without control codes): the same line, without a second pass over its segments.
        ``content`` becomes the line's own list."""
        sides = self._filtered_sides
        if sides is None:
            left, right = self.left, self.right
            sides = (
                None if left is None else Segment(left.text, self.filtered_style(left.style)),
                None if right is None else Segment(right.text, self.filtered_style(right.style)),
            )
            object.__setattr__(self, "_filtered_sides", sides)
        left, right = sides
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


def character_key(character: str) -> str:
    """The key name Textual binds for a single ``character`` (``"?"`` -> ``"question_mark"``)."""
    return textual.keys._character_to_key(character)


def public_character_key_is_missing() -> bool:
    """Whether Textual still offers the conversion only under a private name."""
    return not hasattr(textual.keys, "character_to_key")


# -- 8. raw terminal output -------------------------------------------------------------


def write_to_terminal(app: App[Any], text: str) -> bool:
    """Write ``text`` (an escape sequence) to the terminal as ``App.bell`` writes its BEL;
    returns False when there is no terminal (headless)."""
    driver = app._driver
    if app.is_headless or driver is None:
        return False
    driver.write(text)
    return True


def public_terminal_write_is_missing() -> bool:
    """Whether Textual still has no public way to write to the terminal."""
    return not any(hasattr(App, name) for name in ("write_to_terminal", "write_escape"))


# -- 9. partial updates ------------------------------------------------------------------

_textual_partial_update = Compositor.render_partial_update


def render_dirty_chops(
    compositor: Compositor, spans: Sequence[tuple[int, int, int]]
) -> list[dict[int, Strip | None]]:
    """The chops (pieces of each screen line between two cuts) of ``spans`` (``(y, x1, x2)``,
    as ``Compositor._regions_to_spans`` makes them), as Textual's ``_render_chops`` fills
    them: front to back, the first widget to cover a piece wins. A widget is asked only for
    the rows where a piece it covers meets a span and is still empty; pieces no span meets
    stay empty, as the update never writes them; once every piece is drawn, the widgets
    behind are not asked at all."""
    cuts = compositor.cuts
    chops: list[dict[int, Strip | None]] = [dict.fromkeys(line[:-1]) for line in cuts]
    wanted: dict[int, list[tuple[int, int]]] = {}
    """Per line, the pieces (first cut, next cut) the update writes and no widget has drawn
    yet: those meeting a span, and (as ``ChopsUpdate`` does, an empty write) one starting
    where a span ends."""
    for y, x1, x2 in spans:
        line = cuts[y]
        meeting = wanted.setdefault(y, [])
        meeting += [
            (cut, end)
            for cut, end in pairwise(line)
            if cut <= x2 and end > x1 and (cut, end) not in meeting
        ]
    if not wanted:
        return chops
    top, bottom = min(wanted), max(wanted) + 1
    left = min(pieces[0][0] for pieces in wanted.values())
    right_edge = max(pieces[-1][1] for pieces in wanted.values())
    intersection = Region.intersection
    for widget, (region, clip) in compositor.visible_widgets.items():
        if not wanted:
            break  # every piece the update writes is drawn: the widgets behind are hidden
        x, y0, width, height = intersection(region, clip)
        right = x + width
        if right <= left or x >= right_edge or y0 >= bottom or y0 + height <= top:
            continue
        rows = [
            y
            for y in range(max(y0, top), min(y0 + height, bottom))
            if any(x <= cut and end <= right for cut, end in wanted.get(y, ()))
        ]
        for first, count in row_runs(rows):
            strips = widget.render_lines(Region(x - region.x, first - region.y, width, count))
            for y, strip in zip(range(first, first + count), strips, strict=False):
                line = cuts[y]
                line_cuts = line[bisect_left(line, x) : bisect_right(line, right)]
                line_chops = chops[y]
                if len(line_cuts) == 2 and strip.cell_length == width:
                    if line_chops[x] is None:  # the whole line is one piece: no dividing
                        line_chops[x] = strip
                else:
                    pieces = strip.divide([cut - x for cut in line_cuts[1:]])
                    for cut, piece in zip(line_cuts, pieces, strict=False):
                        if line_chops.get(cut) is None:
                            line_chops[cut] = piece
                if empty := [piece for piece in wanted[y] if line_chops[piece[0]] is None]:
                    wanted[y] = empty
                else:
                    del wanted[y]
    return chops


def row_runs(rows: Sequence[int]) -> list[tuple[int, int]]:
    """Ascending rows as (first row, length) of each run of consecutive rows."""
    runs: list[tuple[int, int]] = []
    for row in rows:
        if runs and runs[-1][0] + runs[-1][1] == row:
            runs[-1] = (runs[-1][0], runs[-1][1] + 1)
        else:
            runs.append((row, 1))
    return runs


def _render_partial_update(self: Compositor) -> ChopsUpdate | None:
    """``Compositor.render_partial_update`` drawing only what the dirty spans need."""
    update_regions = self._dirty_regions.copy()
    self._dirty_regions.clear()
    if not update_regions:
        return None
    spans = list(self._regions_to_spans(update_regions))
    chops = render_dirty_chops(self, spans)
    chop_ends = [cut_set[1:] for cut_set in self.cuts]
    return ChopsUpdate(chops, spans, chop_ends)


def partial_update_draws_whole_widgets() -> bool:
    """Whether Textual's partial update still asks widgets for every line, dirty or not
    (its ``_get_renders`` passes no rows to draw, only a crop to pick the widgets by)."""
    parameters = inspect.signature(Compositor._render_chops).parameters
    return list(parameters) == ["self", "crop", "is_rendered_line"]


def draw_only_dirty_rows() -> None:
    """Install :func:`_render_partial_update` where Textual still needs it; idempotent."""
    if (
        Compositor.render_partial_update is _textual_partial_update
        and partial_update_draws_whole_widgets()
    ):
        Compositor.render_partial_update = _render_partial_update  # type: ignore[method-assign]


# -- 10. drawing at once ------------------------------------------------------------------


def draw_now(screen: Screen[Any], widgets: Iterable[Widget]) -> bool:
    """Draw what ``widgets`` refreshed on ``screen`` now, as the screen's update timer would
    on its next tick; False (nothing done) while the screen is not the one shown or a
    batch of updates is open, when Textual would not draw either."""
    if not screen.is_current or screen.app._batch_count:
        return False
    dirty = screen._dirty_widgets
    for widget in widgets:
        if widget._repaint_required:
            # what the widget's idle handler would have posted to the screen
            widget._repaint_required = False
            dirty.add(widget)
    screen._on_timer_update()
    return True


def screen_draws_through_private_hops() -> bool:
    """Whether Textual still has no public way to draw a screen's dirty widgets at once,
    and keeps the private parts :func:`draw_now` uses."""
    return (
        not hasattr(Screen, "update_now")
        and callable(getattr(Screen, "_on_timer_update", None))
        and hasattr(Widget(), "_repaint_required")
    )


# -- 11. LRU cache clear ----------------------------------------------------------------

_textual_lru_clear = LRUCache.clear


def _clear_lru(self: LRUCache[Any, Any]) -> None:
    """``LRUCache.clear`` that unlinks each entry first, so reference counting frees them."""
    for link in self._cache.values():
        link.clear()
    _textual_lru_clear(self)


class _Probe:
    """A value that can be watched by a weak reference."""


def lru_clear_leaves_a_cycle() -> bool:
    """Whether Textual's own ``LRUCache.clear`` leaves the entries for the cycle collector."""
    cache: LRUCache[int, _Probe] = LRUCache(4)
    value = _Probe()
    cache.set(1, value)
    cache.set(2, _Probe())
    watched = weakref.ref(value)
    del value
    collecting = gc.isenabled()
    gc.disable()
    try:
        _textual_lru_clear(cache)
        return watched() is not None
    finally:
        gc.collect(0)  # the probe's own cycle, young: no full collection
        if collecting:
            gc.enable()


def fix_lru_clear() -> None:
    """Install :func:`_clear_lru` where Textual still needs it; again changes nothing."""
    if LRUCache.clear is not _clear_lru and lru_clear_leaves_a_cycle():
        LRUCache.clear = _clear_lru  # type: ignore[method-assign]


def apply_textual_compat() -> None:
    """The process-wide workarounds (1, 2, 9 and 11), applied at app start; idempotent."""
    set_screen_update_rate()
    fix_whole_strip_divide()
    draw_only_dirty_rows()
    fix_lru_clear()


__all__ = [
    "SCREEN_UPDATES_PER_SECOND",
    "STYLE_BY_STYLE_FILTERS",
    "YOUNG_GENERATION_THRESHOLD",
    "CompatApp",
    "LineFrame",
    "apply_textual_compat",
    "divide_caches_the_strip_in_itself",
    "draw_now",
    "draw_only_dirty_rows",
    "drop_render_caches",
    "fix_lru_clear",
    "fix_whole_strip_divide",
    "frame_matches_textual",
    "hover_links",
    "line_frame",
    "lru_clear_leaves_a_cycle",
    "partial_update_draws_whole_widgets",
    "public_terminal_write_is_missing",
    "render_dirty_chops",
    "row_runs",
    "screen_draws_through_private_hops",
    "screen_update_period_is_fixed_at_import",
    "set_screen_update_rate",
    "settle_for_steady_state",
    "theme_lookup_copies_the_registry",
    "write_to_terminal",
]
