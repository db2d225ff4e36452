"""The Textual interface. Nothing outside this package imports Textual (a test proves it).

``ConsoleApp`` (in :mod:`console.tui.app`) is the entry point; it is not re-exported here so
that importing a widget module does not drag the whole app in.
"""

import os

SCREEN_UPDATES_PER_SECOND = "240"
"""Textual's screen-update timer (``TEXTUAL_FPS``, 60 by default) stands between our paint
and the terminal: a ladder line changed by the paint timer waits for the timer's next tick
(up to 17 ms at 60) to be drawn. It only fires when something changed, and our paint timer
caps the changes at ``ui.max_fps``, so a faster timer shortens that wait at no measurable CPU
cost. bench/ui_latency.py: 60 -> 120 took p50 36 -> 31 ms and p99 about 12 ms lower; 120 ->
240 took the paint-to-line p99 from 17 to 13 ms and the whole p99 from 44-45 to 42 ms. Textual
reads the variable when it is first imported, which is why it is set here, before any module
of this package imports Textual; a value the user set wins."""

os.environ.setdefault("TEXTUAL_FPS", SCREEN_UPDATES_PER_SECOND)
