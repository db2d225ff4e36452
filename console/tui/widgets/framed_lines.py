"""A Line API panel that frames its own content lines and keeps them, instead of Textual.

For every line of a widget it draws, Textual's styles cache builds a new Strip around the
widget's own line (border cells), then one more per line filter, each Strip with several
caches of its own; the compositor asks for the lines of a widget on every frame they
changed. For a panel repainted many times a second (the ladders, the tape) that wrapping
cost more than drawing the line. :class:`FramedLines` frames a content line once, as Textual
would (``line_frame`` in ``console/tui/textual_compat/framing.py``), and the panel keeps the framed
line for as long as its content is on screen; the border's top and bottom lines are Textual's
own, kept until the styles change. The figures are in ``bench/RESULTS.md``.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.geometry import Region
from textual.strip import Strip

from console.tui.textual_compat import HeldPrompt, LineFrame, hover_links, line_frame


class FramedLines(HeldPrompt):
    """Mixed in before the Textual widget of a panel that frames its own lines (not a
    DOMNode at run time, as PanelBoundary: the panel's Textual widget stays the first DOMNode
    base, which its CSS and component classes follow). Such a panel is one the paint draws
    at once, so it can hold its refresh prompts (:class:`HeldPrompt`)."""

    _frame: LineFrame | None = None
    _frame_known = False
    _border_lines: dict[tuple[int, int, object, object], Strip] | None = None
    """The border's top and bottom lines as Textual drew them, by (y, width, title,
    subtitle)."""
    _framed_width = -1
    """The panel's width (border included) its kept lines were drawn for."""

    def forget_framed_lines(self) -> None:
        """Drop every framed line (the styles, the size or the filters changed); a panel that
        keeps framed lines of its own drops them here too."""
        self._border_lines = None
        self._frame = None
        self._frame_known = False

    def size_changed(self) -> None:
        """Drop what was kept for the panel's old width; a panel that keeps lines or a width
        of its own drops them here too (its ``on_resize`` calls this)."""
        self.forget_framed_lines()

    def current_frame(self) -> LineFrame | None:
        """The frame of the content lines, or None while the panel's styles need Textual's
        full drawing (padding, an outline, links under the mouse...).

        A layout gives the panel its new size and the screen draws it at once, before the
        panel's ``Resize`` event is handled: lines kept for the old width would then be
        drawn into the new one, and a full update (which writes a line's pieces one after
        the other) would shift the rest of the screen line by the difference. So a new
        width is found here, where every drawing starts (``outer_size`` is the size the
        layout gave)."""
        width = self.outer_size.width
        if width != self._framed_width:
            self._framed_width = width
            self.size_changed()
        if not self._frame_known or (
            self._frame is not None and self._frame.filters != tuple(self.get_line_filters())
        ):
            self.forget_framed_lines()
            self._frame = line_frame(self)
            self._frame_known = True
        frame = self._frame
        if frame is None or hover_links(self):
            return None
        return frame

    def framed_crop(
        self,
        crop: Region,
        frame: LineFrame,
        content_line: Callable[[int], Strip],
        height: int | None = None,
    ) -> list[Strip]:
        """``crop`` of the panel (border included): ``content_line(row)`` for each content
        row (the panel's own framed line), the border's lines above and below. ``height``:
        the panel's content height, when the caller has just read it (``size`` walks up to
        the screen on every read)."""
        if height is None:
            height = self.size.height
        lines: list[Strip] = []
        for y in range(crop.y, crop.bottom):
            row = y - frame.top
            if row < 0 or row >= height:
                lines.append(self._border_line(y, frame.width))
            else:
                lines.append(content_line(row))
        if crop.x or crop.width != frame.width:
            lines = [line.crop(crop.x, crop.right) for line in lines]
        return lines

    def _border_line(self, y: int, width: int) -> Strip:
        """The border's top or bottom line: drawn by Textual, kept until the styles change."""
        if self._border_lines is None:
            self._border_lines = {}
        key = (y, width, self.border_title, self.border_subtitle)
        line = self._border_lines.get(key)
        if line is None:
            region = Region(0, y, width, 1)
            line = self._border_lines[key] = self._styles_cache.render_widget(self, region)[0]
        return line


__all__ = ["FramedLines"]
