"""A widget that frames its own lines, compared with the lines Textual itself draws."""

from __future__ import annotations

from textual.strip import Strip
from textual.widget import Widget


def textual_drawing(widget: Widget) -> list[Strip]:
    """``widget``'s lines as Textual's own styles cache draws them, from a clean cache."""
    widget._styles_cache.clear()
    return Widget.render_lines(widget, widget.outer_size.region)


def assert_lines_as_textual_draws_them(widget: Widget) -> None:
    """Every line ``widget`` draws equals the one Textual would, segment by segment."""
    ours = widget.render_lines(widget.outer_size.region)
    theirs = textual_drawing(widget)
    assert len(ours) == len(theirs) == widget.outer_size.height
    for y, (mine, textual) in enumerate(zip(ours, theirs, strict=True)):
        assert list(mine) == list(textual), f"line {y} differs"
