"""Textual workaround 9: partial updates (:func:`render_dirty_chops`, :func:`chops_escapes`).

For a partial screen update Textual asks every widget whose *clip* (its container's area)
meets the bounding box of the dirty regions for *all* its lines, then keeps only the lines
and columns that are dirty. A ladder line changed in the centre had the screen, the status
bar, the footer, the bottom tabs, every column, the tape, the chart and the gauges redraw
all their lines (cached, but each line re-filtered and re-divided), on every frame. The
partial update here asks only the widget in front of each dirty piece
(:mod:`.layout_pieces`, worked out once per layout), only for the rows a dirty span crosses,
and puts the pieces together exactly as Textual does.

Writing a partial update to the terminal, Textual builds a Rich ``Control`` object for every
cursor move (one before each piece of a line: about 2.7 us each, more than drawing a ladder
row's escape codes), and crops every piece a span ends inside (each ladder line: its dirty
span stops before its right border) into a new strip; :func:`chops_escapes` writes the same
bytes with neither."""

from __future__ import annotations

import inspect
from bisect import bisect_left, bisect_right
from collections.abc import Sequence

from rich.cells import cell_len
from rich.color import ColorSystem
from rich.console import Console
from rich.segment import Segment
from textual._compositor import ChopsUpdate, Compositor
from textual.geometry import Region
from textual.strip import Strip

from console.tui.textual_compat.layout_pieces import (
    PieceOwner,
    layout_is_replaced_not_edited,
    layout_pieces,
)

_textual_partial_update = Compositor.render_partial_update
_textual_render_segments = ChopsUpdate.render_segments


def render_dirty_chops(
    compositor: Compositor, spans: Sequence[tuple[int, int, int]]
) -> list[dict[int, Strip | None]]:
    """The chops (pieces of each screen line between two cuts) of ``spans`` (``(y, x1, x2)``,
    in line order, as ``Compositor._regions_to_spans`` makes them), as Textual's
    ``_render_chops`` fills them: front to back, the first widget to cover a piece wins.

    Each piece the update writes goes to the widget in front of it (:func:`layout_pieces`),
    asked only for the rows where it is in front of such a piece; pieces no span meets stay
    empty, as the update never writes them. Should a widget draw fewer lines or cells than
    asked, the pieces it left empty go to the widgets behind, front to back, as in Textual."""
    pieces = layout_pieces(compositor)
    if not pieces.regular:
        return _drawn_front_to_back(compositor, spans)
    chops: list[dict[int, Strip | None]] = [_NOTHING] * len(pieces.cuts)
    line_cuts = pieces.line_cuts
    known = pieces.span_owners.get
    asked: dict[int, list[int]] = {}
    """Per owner, the rows it is asked for."""
    line = -1
    for span in spans:
        y = span[0]
        if y != line:
            chops[y] = dict.fromkeys(line_cuts[y])
            line = y
        owners = known(span)
        if owners is None:
            owners = pieces.owners_of(span)
        for owner in owners:
            rows = asked.get(owner)
            if rows is None:
                asked[owner] = [y]
            elif rows[-1] != y:
                rows.append(y)
    complete = True
    owners_by_index = pieces.owners
    for owner, rows in asked.items():
        if not _draw_owned(owners_by_index[owner], rows, chops):
            complete = False
    if not complete:
        _fill_front_to_back(compositor, chops, _unfilled(compositor.cuts, spans, chops))
    return chops


_NOTHING: dict[int, Strip | None] = {}
"""The chops of a line no span is on (never read there, never written)."""


def _draw_owned(owner: PieceOwner, rows: list[int], chops: list[dict[int, Strip | None]]) -> bool:
    """Fill the pieces ``owner`` is in front of on ``rows`` from its lines; whether it drew
    all of them (a widget may draw fewer lines, or shorter ones, than asked)."""
    widget, placements, x, width = owner.widget, owner.placements, owner.x, owner.width
    left, top = owner.left, owner.top
    complete = True
    for first, count in row_runs(rows):
        strips = widget.render_lines(Region(left, first - top, width, count))
        if len(strips) < count:
            complete = False
        for y, strip in zip(range(first, first + count), strips, strict=False):
            placement = placements[y]
            if placement is None:
                if strip.cell_length == width:  # the whole line is one piece: no dividing
                    chops[y][x] = strip
                    continue
                placement = ([width], [(0, x)])
            offsets, owned = placement
            divided = strip.divide(offsets)
            line_chops = chops[y]
            for index, cut in owned:
                if index < len(divided):
                    line_chops[cut] = divided[index]
                else:
                    complete = False
    return complete


def _drawn_front_to_back(
    compositor: Compositor, spans: Sequence[tuple[int, int, int]]
) -> list[dict[int, Strip | None]]:
    """:func:`render_dirty_chops` by walking every visible widget front to back, for a
    layout whose widgets are not all cut out (see ``LayoutPieces.regular``)."""
    cuts = compositor.cuts
    chops: list[dict[int, Strip | None]] = [_NOTHING] * len(cuts)
    for y, _, _ in spans:
        if chops[y] is _NOTHING:
            chops[y] = dict.fromkeys(cuts[y][:-1])
    _fill_front_to_back(compositor, chops, _unfilled(cuts, spans, chops))
    return chops


def _unfilled(
    cuts: list[list[int]],
    spans: Sequence[tuple[int, int, int]],
    chops: list[dict[int, Strip | None]],
) -> dict[int, list[tuple[int, int]]]:
    """Per line, the pieces (first cut, next cut) the update writes and no widget has drawn
    yet, left to right: those meeting a span, and (as ``ChopsUpdate`` does, an empty write)
    one starting where a span ends."""
    meeting: dict[int, dict[int, int]] = {}
    for y, x1, x2 in spans:
        line = cuts[y]
        ends = meeting.setdefault(y, {})
        # the pieces (cut, next cut) with cut <= x2 and next cut > x1
        for index in range(
            max(0, bisect_right(line, x1) - 1), min(bisect_right(line, x2), len(line) - 1)
        ):
            ends[line[index]] = line[index + 1]
    unfilled: dict[int, list[tuple[int, int]]] = {}
    for y, ends in meeting.items():
        line_chops = chops[y]
        if empty := sorted(piece for piece in ends.items() if line_chops[piece[0]] is None):
            unfilled[y] = empty
    return unfilled


def _fill_front_to_back(
    compositor: Compositor,
    chops: list[dict[int, Strip | None]],
    wanted: dict[int, list[tuple[int, int]]],
) -> None:
    """Fill the ``wanted`` pieces (see :func:`_unfilled`) as Textual does: front to back,
    the first widget to cover a piece wins. A widget is asked only for the rows where a
    piece it covers is still wanted; once every piece is drawn, the widgets behind are not
    asked at all."""
    if not wanted:
        return
    cuts = compositor.cuts
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
            if _covers(wanted.get(y), x, right)
        ]
        for first, count in row_runs(rows):
            strips = widget.render_lines(Region(x - region.x, first - region.y, width, count))
            for y, strip in zip(range(first, first + count), strips, strict=False):
                line = cuts[y]
                line_cuts = line[bisect_left(line, x) : bisect_right(line, right)]
                line_chops = chops[y]
                if line_cuts == [x, right] and strip.cell_length == width:
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


def _covers(pieces: list[tuple[int, int]] | None, x: int, right: int) -> bool:
    """Whether a widget from ``x`` to ``right`` covers one of ``pieces`` (sorted, apart):
    the first piece starting at or after ``x`` is the one that ends soonest."""
    if not pieces:
        return False
    index = bisect_left(pieces, (x,))
    if index == len(pieces):
        return False
    cut, end = pieces[index]
    return cut < right and end <= right


def row_runs(rows: Sequence[int]) -> list[tuple[int, int]]:
    """Ascending rows as (first row, length) of each run of consecutive rows."""
    runs: list[tuple[int, int]] = []
    if not rows:
        return runs
    first = previous = rows[0]
    for row in rows[1:]:
        if row != previous + 1:
            runs.append((first, previous - first + 1))
            first = row
        previous = row
    runs.append((first, previous - first + 1))
    return runs


def _render_partial_update(self: Compositor) -> ChopsUpdate | None:
    """``Compositor.render_partial_update`` drawing only what the dirty spans need."""
    update_regions = self._dirty_regions.copy()
    self._dirty_regions.clear()
    if not update_regions:
        return None
    spans = list(self._regions_to_spans(update_regions))
    chops = render_dirty_chops(self, spans)
    return ChopsUpdate(chops, spans, layout_pieces(self).chop_ends)


def chops_escapes(update: ChopsUpdate, console: Console) -> str:
    """``ChopsUpdate.render_segments`` (Textual 8.x), the same bytes, made cheaper three ways:
    each cursor move is the escape code Rich's ``Control.move_to`` makes (``ESC [ row ;
    column H``), not a ``Control`` object; a span visits only the pieces it meets (a line's
    chops are keyed by its cuts but the last, its ends are its cuts but the first, as both
    partial updates make them: :func:`chops_are_keyed_by_cuts`), not every piece of its line;
    and a piece the span ends inside is rendered cut short (:func:`rendered_start`), not
    cropped into a new strip (with its seven caches) to render once."""
    sequences: list[str] = []
    append = sequences.append
    chops = update.chops
    chop_ends = update.chop_ends
    last_y = update.spans[-1][0]
    color_system = console._color_system or ColorSystem.TRUECOLOR
    for y, x1, x2 in update.spans:
        line = chops[y]
        ends = chop_ends[y]
        row = y + 1
        # the pieces with end > x1 and start (the previous end, 0 for the first) <= x2
        for index in range(bisect_right(ends, x1), min(bisect_right(ends, x2) + 1, len(ends))):
            x = ends[index - 1] if index else 0
            strip = line[x]
            if strip is None:
                continue
            end = ends[index]
            append(f"\x1b[{row};{x + 1}H")
            if x2 > x >= x1 and end <= x2:
                append(strip.render(console))
                continue
            cells = min(end, x2) - x
            if cells >= strip.cell_length:
                append(strip.render(console))  # Textual's crop returns the strip itself
            elif cells > 0:  # else the crop is empty: so is its render
                append(rendered_start(strip, cells, color_system))
        if y != last_y:
            append("\n")
    return "".join(sequences)


def rendered_start(strip: Strip, cells: int, color_system: ColorSystem) -> str:
    """``strip.crop(0, cells).render(console)`` (Textual 8.x) for ``0 < cells <
    strip.cell_length``, without making the cropped strip: the same segments, cut as
    ``Strip.crop`` cuts them (leading empty segments dropped, the last split at ``cells``),
    rendered as ``Strip.render`` renders a strip's."""
    render_style = Strip.render_style
    rendered: list[str] = []
    segments = iter(strip)
    segment: Segment | None = None
    for segment in segments:
        if cell_len(segment.text) > 0:
            segment = segment.split_cells(0)[1]
            break
    position = 0
    while segment is not None:
        end = position + cell_len(segment.text)
        if end >= cells:
            segment = segment.split_cells(cells - position)[0]
        text, style, _ = segment
        rendered.append(text if style is None else render_style(style, text, color_system))
        if end >= cells:
            break
        position = end
        segment = next(segments, None)
    return "".join(rendered)


def chops_are_keyed_by_cuts() -> bool:
    """Whether Textual still keys each line's chops by its cuts but the last and gives its
    ends as its cuts but the first (what :func:`chops_escapes` finds a span's pieces by)."""
    return "fromkeys(cut_set[:-1])" in inspect.getsource(
        Compositor._render_chops
    ) and "cut_set[1:]" in inspect.getsource(_textual_partial_update)


def chops_update_moves_the_cursor_through_controls() -> bool:
    """Whether Textual still writes each cursor move of a partial update through a Rich
    ``Control`` object (what :func:`chops_escapes` saves)."""
    return "move_to(x, y).segment.text" in inspect.getsource(_textual_render_segments)


def partial_update_draws_whole_widgets() -> bool:
    """Whether Textual's partial update still asks widgets for every line, dirty or not
    (its ``_get_renders`` passes no rows to draw, only a crop to pick the widgets by)."""
    parameters = inspect.signature(Compositor._render_chops).parameters
    return list(parameters) == ["self", "crop", "is_rendered_line"]


def draw_only_dirty_rows() -> None:
    """Install :func:`_render_partial_update` and :func:`chops_escapes` where Textual still
    needs them; idempotent."""
    if (
        Compositor.render_partial_update is _textual_partial_update
        and partial_update_draws_whole_widgets()
        and layout_is_replaced_not_edited()
    ):
        Compositor.render_partial_update = _render_partial_update  # type: ignore[method-assign]
    if (
        ChopsUpdate.render_segments is _textual_render_segments
        and chops_update_moves_the_cursor_through_controls()
        and chops_are_keyed_by_cuts()
    ):
        ChopsUpdate.render_segments = chops_escapes  # type: ignore[method-assign,assignment]
