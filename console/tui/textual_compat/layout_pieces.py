"""The widget in front of each piece of the screen, worked out once per compositor layout
(:func:`layout_pieces`), for the partial update of workaround 9.

A partial update fills each piece of a screen line (between two cuts) from the front-most
widget whose visible part covers it. Walking every visible widget front to back and testing
each dirty row against each one cost ~0.25 ms of the update's ~0.45 ms own time a frame,
though the answer changes only when Textual lays the screen out again (it then replaces the
compositor's visible widgets and cuts, which :func:`layout_is_replaced_not_edited` checks).
"""

from __future__ import annotations

import inspect
import re
from bisect import bisect_left, bisect_right
from pathlib import Path

from textual._compositor import Compositor
from textual.geometry import Region
from textual.widget import Widget

Placement = tuple[list[int], list[tuple[int, int]]] | None
"""How an owner's line falls on one row: ``None`` when the line is one piece the owner owns,
else the cell offsets to divide the line at and the (index of the divided piece, first cut)
of each piece it owns."""

SPANS_REMEMBERED = 1024
"""Spans whose owners a layout keeps; a screen's dirty spans repeat from frame to frame
(a ladder's rows, the tape's rows), and an odd burst of others must not grow it unbounded."""

_HELD = "_breakout_layout_pieces"
"""The compositor attribute holding its layout's pieces: kept on the compositor so they go
with it (a weak-keyed map would leak it, as the pieces refer to its widgets and screen)."""


class PieceOwner:
    """A widget in front of some pieces, and where its visible part is."""

    __slots__ = ("left", "placements", "top", "widget", "width", "x")

    def __init__(
        self,
        widget: Widget,
        left: int,
        top: int,
        x: int,
        width: int,
        placements: dict[int, Placement],
    ) -> None:
        self.widget = widget
        self.left = left
        """The first visible column in the widget's own coordinates."""
        self.top = top
        """The widget's first row on the screen (its region's, visible or not)."""
        self.x = x
        """The first visible column on the screen."""
        self.width = width
        """The visible width."""
        self.placements = placements
        """By screen row, how its line falls into pieces there: only rows where it owns one."""


class LayoutPieces:
    """One layout's pieces (``compositor.cuts``) and the widget in front of each."""

    __slots__ = (
        "chop_ends",
        "cuts",
        "line_cuts",
        "owners",
        "piece_owners",
        "regular",
        "span_owners",
        "widgets",
    )

    def __init__(self, widgets: dict[Widget, tuple[Region, Region]], cuts: list[list[int]]) -> None:
        self.widgets = widgets
        """``compositor.visible_widgets`` the pieces were worked out from (its identity)."""
        self.cuts = cuts
        """``compositor.cuts`` the pieces were worked out from (its identity)."""
        self.line_cuts = [line[:-1] for line in cuts]
        """Each line's first cut of every piece (the keys of its chops)."""
        self.chop_ends = [line[1:] for line in cuts]
        """Each line's end of every piece (``ChopsUpdate.chop_ends``): read, never written."""
        self.owners: list[PieceOwner] = []
        self.piece_owners = [[-1] * (len(line) - 1) for line in cuts]
        """Per line and piece, the index in :attr:`owners` of the widget in front, or -1."""
        self.span_owners: dict[tuple[int, int, int], tuple[int, ...]] = {}
        """Remembered :meth:`owners_of`."""
        self.regular = self._find_owners()
        """Whether every visible widget's edges are cuts on its rows (Textual's cuts are
        made from them, but ``full_map`` can renew the widgets and keep the cuts): else
        the partial update walks the widgets as Textual does."""

    def _find_owners(self) -> bool:
        cuts, piece_owners, owners = self.cuts, self.piece_owners, self.owners
        height = len(cuts)
        for widget, (region, clip) in self.widgets.items():  # front to back
            x, top, width, rows = region.intersection(clip)
            if not (width and rows):
                continue
            right = x + width
            placements: dict[int, Placement] = {}
            index = len(owners)
            for y in range(max(top, 0), min(top + rows, height)):
                line = cuts[y]
                first, last = bisect_left(line, x), bisect_left(line, right)
                if last >= len(line) or line[first] != x or line[last] != right:
                    return False
                row_owners = piece_owners[y]
                owned = [piece for piece in range(first, last) if row_owners[piece] < 0]
                if not owned:
                    continue
                for piece in owned:
                    row_owners[piece] = index
                if last - first == 1:
                    placements[y] = None
                else:
                    offsets = [cut - x for cut in line[first + 1 : last + 1]]
                    placements[y] = (offsets, [(piece - first, line[piece]) for piece in owned])
            if placements:
                owners.append(PieceOwner(widget, x - region.x, region.y, x, width, placements))
        return True

    def owners_of(self, span: tuple[int, int, int]) -> tuple[int, ...]:
        """The owners (indexes in :attr:`owners`) of the pieces a partial update writes for
        ``span`` (``(y, x1, x2)``): those meeting it, and one starting where it ends (which
        ``ChopsUpdate`` writes empty, so it must be drawn)."""
        y, x1, x2 = span
        line = self.cuts[y]
        row_owners = self.piece_owners[y]
        found: list[int] = []
        for piece in range(
            max(0, bisect_right(line, x1) - 1), min(bisect_right(line, x2), len(line) - 1)
        ):
            owner = row_owners[piece]
            if owner >= 0 and owner not in found:
                found.append(owner)
        owners = tuple(found)
        if len(self.span_owners) >= SPANS_REMEMBERED:
            self.span_owners.clear()
        self.span_owners[span] = owners
        return owners


def layout_pieces(compositor: Compositor) -> LayoutPieces:
    """The pieces of ``compositor``'s current layout, worked out again only when Textual has
    replaced its visible widgets or cuts."""
    widgets = compositor.visible_widgets
    cuts = compositor.cuts
    held: LayoutPieces | None = vars(compositor).get(_HELD)
    if held is None or held.widgets is not widgets or held.cuts is not cuts:
        held = LayoutPieces(widgets, cuts)
        setattr(compositor, _HELD, held)
    return held


def layout_is_replaced_not_edited() -> bool:
    """Whether Textual still only replaces (or drops) a compositor's cuts and visible widgets,
    never edits them in place: what lets :func:`layout_pieces` know a layout by identity.

    Reads the whole of Textual's compositor module, not ``inspect.getsource(Compositor)``:
    that tokenizes the class to find its end, about 0.02 s of CPU at every start
    (``bench/ui_startup.py``). Other classes of the module only add lines to check."""
    source = Path(inspect.getsourcefile(Compositor) or "").read_text(encoding="utf-8")
    follows = re.findall(r"self\._(?:cuts|visible_widgets)\b(\S?)", source)
    return bool(follows) and set(follows) <= {"", ":"}  # no `[`, `.` or `(` after them
