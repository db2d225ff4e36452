"""No garbage collection while the console starts.

Start-up allocates about 136k objects that live as long as the process (modules, classes,
the screen's widgets) and little garbage (about 6k objects); CPython's collector scanned
the survivors again and again: about 0.05 s of CPU before the first frame and 0.13 s
before the first live ladder (``bench/RESULTS.md``). So the ``breakout-console`` script
(:mod:`console.launch`) pauses the collector before its first import, and the app
(:mod:`console.tui.app`) resumes it once the first live ladder is drawn, before trading's
imports: one full collection frees start-up's garbage and the survivors are frozen out
of later scans, as the app freezes what is alive when start-up is over
(``settle_for_steady_state`` in :mod:`console.tui.textual_compat`). The app also resumes
it when its start fails, or after its first frame when it streams nothing; a command
other than ``run`` resumes it as it starts (:mod:`console.cli`); the script resumes it at
the latest when the command returns.
"""

from __future__ import annotations

import gc


def pause_collection() -> None:
    """Stop collecting garbage until :func:`resume_collection`."""
    gc.disable()


def resume_collection() -> None:
    """Collect garbage again. After a pause, first collect once and freeze the survivors;
    where nothing paused the collector (the tests' apps) this does nothing."""
    if not gc.isenabled():
        gc.collect()
        gc.freeze()
    gc.enable()
