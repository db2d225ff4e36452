"""Textual workaround 16: a widget's lines drawn off the event loop (:class:`LinesDrawnOffLoop`,
:func:`line_setting`, :func:`draw_lines`).

Textual turns what ``render`` returns into the widget's lines on the event loop, in the
frame that shows it: for the candle chart's drawing (a Rich ``Text`` of a few hundred
styled runs) that cost about 10 ms, a frame's worth of the ladders' budget, every time the
chart took a new drawing (``bench/RESULTS.md``). The chart already builds that drawing in a
worker thread; :func:`draw_lines` turns it into lines there too, with the steps of
Textual's ``Widget._render_content`` (``Content.from_rich_text``, ``render_strips``, the link
style, the content alignment), from :func:`line_setting`, what those steps read of the
widget, read on the event loop. The widget shows them (:meth:`LinesDrawnOffLoop.use_lines`)
while its setting is still the one they were drawn for; otherwise, or once
:meth:`LinesDrawnOffLoop.drop_lines` is called, Textual draws ``render`` as usual.

The steps name private parts of Textual (the widget's ``_get_style``, ``Strip
._apply_link_style``, ``Screen._selecting``); :func:`lines_drawn_through_private_parts`
fails when ``Visual.to_strips`` no longer takes them.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass

from rich.console import Console
from rich.style import Style as RichStyle
from rich.text import Text
from textual.content import Content
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual
from textual.widget import Widget

from console.tui.textual_compat.widget_mixin import WidgetMixin

_RULES = ("text_align", "text_overflow", "text_wrap", "line_pad")
"""The style rules ``Content.render_strips`` reads."""


@dataclass(frozen=True)
class LineSetting:
    """What Textual's drawing of a widget's content reads of the widget, read on the event
    loop: lines drawn from it on any thread are the widget's while it is unchanged."""

    size: Size
    style: Style
    rules: tuple[tuple[str, object], ...]
    content_align: tuple[str, str]
    link_style: RichStyle | None
    """The style links are drawn in, None when Textual would not restyle them."""
    console: Console
    get_style: Callable[[Style | str], Style]


def line_setting(widget: Widget) -> LineSetting | None:
    """``widget``'s setting now, or None while text is selected in it (Textual draws the
    selection then)."""
    if widget.text_selection is not None:
        return None
    styles = widget.styles
    restyle_links = widget.auto_links and not widget.is_container and not widget.screen._selecting
    align_horizontal, align_vertical = styles.content_align
    return LineSetting(
        size=widget.size,
        style=widget.visual_style,
        rules=tuple((name, styles.get(name)) for name in _RULES),
        content_align=(align_horizontal, align_vertical),
        link_style=widget.link_style if restyle_links else None,
        console=widget.app.console,
        get_style=widget._get_style,
    )


def draw_lines(setting: LineSetting, text: Text) -> list[Strip]:
    """The lines Textual draws for a widget of ``setting`` whose ``render`` returns
    ``text`` (``Widget._render_content``); reads nothing of the widget, so any thread may
    call it."""
    width, height = setting.size
    content = Content.from_rich_text(text, console=setting.console)
    options = RenderOptions(setting.get_style, dict(setting.rules))  # type: ignore[arg-type]
    strips = content.render_strips(width, height, setting.style, options)
    if setting.link_style is not None:
        link_style = setting.link_style
        strips = [strip._apply_link_style(link_style) for strip in strips]
    if setting.content_align != ("left", "top"):
        rich_style = (setting.style + Style(reverse=False)).rich_style
        horizontal, vertical = setting.content_align
        strips = list(
            Strip.align(strips, rich_style, width, height, horizontal, vertical)  # type: ignore[arg-type]
        )
    return strips


class LinesDrawnOffLoop(WidgetMixin):
    """Mixed in before a Textual widget (``class Chart(LinesDrawnOffLoop, PlotextPlot)``):
    the widget can be handed its lines drawn elsewhere (:func:`draw_lines`)."""

    _lines_given: tuple[LineSetting, list[Strip]] | None = None
    """Lines handed over, with the setting they were drawn for."""

    _lines_now: list[Strip] | None = None
    """The lines handed over, while ``render_lines`` runs and they fit the widget."""

    def use_lines(self, setting: LineSetting, lines: list[Strip]) -> None:
        """Show ``lines``, drawn for ``setting``, in place of Textual's drawing of
        ``render`` (which must return the text they were drawn from), while the widget's
        setting stays ``setting``; repaints the widget."""
        self._lines_given = (setting, lines)
        self.refresh()

    def drop_lines(self) -> None:
        """Textual draws ``render`` again (it returns something else now)."""
        self._lines_given = None

    def render_lines(self, crop: Region) -> list[Strip]:
        given = self._lines_given
        if given is not None and given[0] != line_setting(self):
            given = self._lines_given = None
        self._lines_now = None if given is None else given[1]
        try:
            return super().render_lines(crop)
        finally:
            self._lines_now = None

    def render_line(self, y: int) -> Strip:
        lines = self._lines_now
        if lines is None:
            return super().render_line(y)
        if y < len(lines):
            return lines[y]
        return Strip.blank(self.size.width, self.visual_style.rich_style)


def lines_drawn_through_private_parts() -> bool:
    """Whether Textual still draws a widget's content as :func:`draw_lines` does:
    ``Visual.to_strips`` through the widget's ``_get_style``, ``Strip._apply_link_style``
    and ``Screen._selecting``, and ``Widget._render_content`` through ``Visual.to_strips``."""
    to_strips = inspect.getsource(Visual.to_strips)
    render_content = inspect.getsource(Widget._render_content)
    return (
        "widget._get_style" in to_strips
        and "._apply_link_style(link_style)" in to_strips
        and "widget.screen._selecting" in to_strips
        and "Visual.to_strips(self, visual, width, height, self.visual_style)" in render_content
    )
