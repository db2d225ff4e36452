"""No garbage collection while the console starts.

Start-up allocates about 136k objects that live as long as the process (modules, classes,
the screen's widgets) and little garbage (about 6k objects); CPython's collector scanned
the survivors again and again, about 0.05 s of CPU before the first frame
(``bench/RESULTS.md``). So the ``breakout-console`` script (:mod:`console.launch`) pauses
the collector before its first import; it runs again once the first frame is drawn
(:mod:`console.tui.app`), once a command other than ``run`` starts (:mod:`console.cli`),
and at the latest when the command returns.
"""

from __future__ import annotations

import gc


def pause_collection() -> None:
    """Stop collecting garbage until :func:`resume_collection`."""
    gc.disable()


def resume_collection() -> None:
    """Collect garbage again (idempotent; a no-op where nothing paused it, as in tests)."""
    gc.enable()
