"""Textual workaround 10: drawing at once (:func:`draw_now`).

A refreshed widget reaches the screen through three message hops (the widget's idle, an
``Update`` message, the screen's idle) and then the screen-update timer; the paint, which
knows it just changed lines and wants them on screen, draws the screen in the same turn of
the event loop as Textual's timer would.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from textual.screen import Screen
from textual.widget import Widget


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
