"""Textual workaround 1: screen-update rate (:func:`set_screen_update_rate`).

Textual draws changed lines on a timer at ``TEXTUAL_FPS`` (60 by default), read once into
``textual.screen.UPDATE_PERIOD`` when Textual is imported. A ladder line our paint changed
waits for that timer's next tick; a faster timer shortens the wait at no measurable CPU
cost, because it fires only when something changed and our paint caps the changes at
``ui.max_fps``.
"""

from __future__ import annotations

import os

import textual.constants
import textual.keys
import textual.screen

SCREEN_UPDATES_PER_SECOND = 240
"""Textual's screen-update rate for the console, unless the user set ``TEXTUAL_FPS``."""


def screen_update_period_is_fixed_at_import() -> bool:
    """Whether Textual still keeps the screen-update period in ``textual.screen``, the
    module-level value each screen's update timer reads when it starts."""
    return isinstance(getattr(textual.screen, "UPDATE_PERIOD", None), float)


def set_screen_update_rate(rate: int = SCREEN_UPDATES_PER_SECOND) -> None:
    """Run Textual's screen-update timer ``rate`` times a second; a ``TEXTUAL_FPS`` the user
    set wins. Call before the first screen starts its timer."""
    if "TEXTUAL_FPS" in os.environ or not screen_update_period_is_fixed_at_import():
        return
    # Both are Final in Textual, computed once from TEXTUAL_FPS when it is imported.
    setattr(textual.screen, "UPDATE_PERIOD", 1 / rate)  # noqa: B010
    setattr(textual.constants, "MAX_FPS", rate)  # noqa: B010
