"""The Textual interface. Nothing outside this package imports Textual (a test proves it).

``ConsoleApp`` (in :mod:`console.tui.app`) is the entry point; it is not re-exported here so
that importing a widget module does not drag the whole app in.
"""

import os

SCREEN_UPDATES_PER_SECOND = "120"
"""Textual's screen-update timer (``TEXTUAL_FPS``, 60 by default) stands between our paint
and the terminal: a ladder line changed by the paint timer waits up to one of its periods
(17 ms at 60) to be drawn. It only fires when something changed, and our paint timer caps
the changes at ``ui.max_fps``, so a faster timer halves that wait at no measurable CPU cost
(bench/ui_latency.py: p50 36 -> 31 ms, p99 about 12 ms lower). Textual reads the variable
when it is first imported, which is why it is set here, before any module of this package
imports Textual; a value the user set wins."""

os.environ.setdefault("TEXTUAL_FPS", SCREEN_UPDATES_PER_SECOND)
