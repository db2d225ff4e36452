"""Textual workaround 10: drawing at once (:func:`draw_now`, :func:`prompts_held`).

A refreshed widget reaches the screen through three message hops (the widget's idle, an
``Update`` message, the screen's idle) and then the screen-update timer; the paint, which
knows it just changed lines and wants them on screen, draws the screen in the same turn of
the event loop as Textual's timer would.

The first hop starts with a ``Prompt`` message each ``refresh`` posts to the widget (through
``check_idle``): the widget's task wakes, dispatches it and runs its idle handler, to find
the repaint already drawn. For four ladders and the tape on every paint that was 4-5 % of
a frame's CPU (``bench/RESULTS.md``). A panel the paint draws at once
(:class:`HeldPrompt`) holds that prompt while the paint runs (:func:`prompts_held`), and
posts it after only if its idle still has work (a refresh the paint did not draw, a layout,
a callback).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from textual.screen import Screen
from textual.widget import Widget

from console.tui.textual_compat.widget_mixin import WidgetMixin


class HeldPrompt(WidgetMixin):
    """Mixed in before the Textual widget of a panel the paint draws at once: while
    :func:`prompts_held` holds it, a refresh posts no ``Prompt`` (it is owed instead)."""

    _prompt_held = False
    _prompt_owed = False

    def check_idle(self) -> None:
        if self._prompt_held:
            self._prompt_owed = True
        else:
            super().check_idle()


@contextmanager
def prompts_held(panels: Iterable[HeldPrompt]) -> Iterator[None]:
    """Hold the prompts of ``panels`` for the block (a paint that ends in :func:`draw_now`);
    after it, a panel whose idle still has work gets the prompt it was owed."""
    held = list(panels)
    for panel in held:
        panel._prompt_held = True
    try:
        yield
    finally:
        for panel in held:
            panel._prompt_held = False
            if panel._prompt_owed:
                panel._prompt_owed = False
                if _idle_has_work(panel):
                    panel.check_idle()


def _idle_has_work(widget: Widget) -> bool:
    """What a widget's idle handler (``Widget._check_refresh``) and the idle's callbacks
    would act on."""
    return bool(
        widget._repaint_required
        or widget._layout_required
        or widget._scroll_required
        or widget._refresh_styles_required
        or widget._next_callbacks
    )


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
    and keeps the private parts :func:`draw_now` and :func:`prompts_held` use."""
    widget = Widget()
    return (
        not hasattr(Screen, "update_now")
        and callable(getattr(Screen, "_on_timer_update", None))
        and all(
            hasattr(widget, name)
            for name in (
                "_repaint_required",
                "_layout_required",
                "_scroll_required",
                "_refresh_styles_required",
                "_next_callbacks",
            )
        )
    )
