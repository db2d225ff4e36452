"""A widget's Rich styles, kept until its styles change.

Textual works out a widget's ``rich_style`` and each ``get_component_rich_style`` by walking
every ancestor's styles, and drops its own copy of the component styles on every
``refresh()``. A widget redrawn on every book (a ladder, the tape) would pay that walk on
every drawing: about 0.1 ms a component, 0.3 ms profiled for a ladder's spread line.
"""

from __future__ import annotations

from rich.style import Style
from textual.widget import Widget


class KeptStyles:
    """``widget.rich_style`` and its component styles, until :meth:`clear` (which the widget
    calls from ``notify_style_update``: a theme, focus or class change)."""

    __slots__ = ("_base", "_components", "_widget")

    def __init__(self, widget: Widget) -> None:
        self._widget = widget
        self._base: Style | None = None
        self._components: dict[str, Style] = {}

    @property
    def base(self) -> Style:
        """The widget's own style (``rich_style``)."""
        if self._base is None:
            self._base = self._widget.rich_style
        return self._base

    def component(self, name: str) -> Style:
        """``get_component_rich_style(name)``."""
        style = self._components.get(name)
        if style is None:
            style = self._components[name] = self._widget.get_component_rich_style(name)
        return style

    def clear(self) -> None:
        self._base = None
        self._components.clear()
