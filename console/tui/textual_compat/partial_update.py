"""Textual workaround 9: partial updates (:func:`render_dirty_chops`, :func:`chops_escapes`).

For a partial screen update Textual asks every widget whose *clip* (its container's area)
meets the bounding box of the dirty regions for *all* its lines, then keeps only the lines
and columns that are dirty. A ladder line changed in the centre had the screen, the status
bar, the footer, the bottom tabs, every column, the tape, the chart and the gauges redraw
all their lines (cached, but each line re-filtered and re-divided), on every frame. The
partial update here asks each widget only for the rows a dirty span crosses, and only while
a part of them is not yet covered by a widget in front, and puts the pieces together exactly
as Textual does.

Writing a partial update to the terminal, Textual builds a Rich ``Control`` object for every
cursor move (one before each piece of a line: about 2.7 us each, more than drawing a ladder
row's escape codes); :func:`chops_escapes` writes the same bytes with the cursor move
formatted directly.
"""

from __future__ import annotations

import inspect
from bisect import bisect_left, bisect_right
from collections.abc import Sequence

from rich.console import Console
from textual._compositor import ChopsUpdate, Compositor
from textual.geometry import Region
from textual.strip import Strip

_textual_partial_update = Compositor.render_partial_update
_textual_render_segments = ChopsUpdate.render_segments


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
    nothing: dict[int, Strip | None] = {}
    chops: list[dict[int, Strip | None]] = [nothing] * len(cuts)
    """Each line's pieces by first cut, empty where no span is (never read there)."""
    meeting: dict[int, dict[int, int]] = {}
    for y, x1, x2 in spans:
        line = cuts[y]
        ends = meeting.get(y)
        if ends is None:
            ends = meeting[y] = {}
            chops[y] = dict.fromkeys(line[:-1])
        # the pieces (cut, next cut) with cut <= x2 and next cut > x1
        for index in range(
            max(0, bisect_right(line, x1) - 1), min(bisect_right(line, x2), len(line) - 1)
        ):
            ends[line[index]] = line[index + 1]
    wanted: dict[int, list[tuple[int, int]]] = {
        y: sorted(ends.items()) for y, ends in meeting.items() if ends
    }
    """Per line, the pieces (first cut, next cut) the update writes and no widget has drawn
    yet, left to right: those meeting a span, and (as ``ChopsUpdate`` does, an empty write)
    one starting where a span ends."""
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
            if _covers(wanted.get(y), x, right)
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
    cuts = self.cuts
    chop_ends: list[list[int]] = [[]] * len(cuts)  # read only on the lines of a span
    for y, _, _ in spans:
        chop_ends[y] = cuts[y][1:]
    return ChopsUpdate(chops, spans, chop_ends)


def chops_escapes(update: ChopsUpdate, console: Console) -> str:
    """``ChopsUpdate.render_segments`` (Textual 8.x) with each cursor move written as the
    escape code Rich's ``Control.move_to`` makes (``ESC [ row ; column H``), not through a
    ``Control`` object: the same bytes."""
    sequences: list[str] = []
    append = sequences.append
    chops = update.chops
    chop_ends = update.chop_ends
    last_y = update.spans[-1][0]
    for y, x1, x2 in update.spans:
        line = chops[y]
        ends = chop_ends[y]
        row = y + 1
        for end, (x, strip) in zip(ends, line.items(), strict=False):
            if strip is None:
                continue
            if x > x2 or end <= x1:
                continue
            if x2 > x >= x1 and end <= x2:
                append(f"\x1b[{row};{x + 1}H")
                append(strip.render(console))
                continue
            strip = strip.crop(0, min(end, x2) - x)
            append(f"\x1b[{row};{x + 1}H")
            append(strip.render(console))
        if y != last_y:
            append("\n")
    return "".join(sequences)


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
    ):
        Compositor.render_partial_update = _render_partial_update  # type: ignore[method-assign]
    if (
        ChopsUpdate.render_segments is _textual_render_segments
        and chops_update_moves_the_cursor_through_controls()
    ):
        ChopsUpdate.render_segments = chops_escapes  # type: ignore[method-assign,assignment]
