"""The base of a class mixed in before a Textual widget (:data:`WidgetMixin`).

Textual takes a widget's CSS type names and component classes from its first DOMNode base;
a mixin that subclassed ``Widget`` would take that place. So a mixin is a plain object at
run time, and a ``Widget`` to the type checker, so its methods may use the widget's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widget import Widget

if TYPE_CHECKING:
    WidgetMixin = Widget
else:
    WidgetMixin = object
