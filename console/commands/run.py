"""``breakout-console run`` (the default): open the console.

Textual is imported here, not in ``console.cli``, so the other subcommands never pay for
it; ccxt is imported later still, by the app's start-up worker, after the first frame.

Logging goes to the log file, never to the terminal: a line printed to stderr would tear
through the screen Textual is drawing.
"""

from __future__ import annotations

import argparse
import sys

from console.config import Settings
from console.logs import log_to_file


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``run`` takes only the shared setting flags."""


EXIT_BAD_KEYMAP = 2


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Refuses a bad keymap before the screen opens (every reason, one line each).

    Checking a keymap reads every screen's bindings, which imports ccxt before the first
    frame; only a console started with remaps pays that, as the check is skipped without.
    """
    log_to_file(settings)
    from console.tui.keymap import keymap_problems
    from console.tui.settings_notes import KEYMAP_VARIABLE

    problems = keymap_problems(settings.ui.keymap)
    for problem in problems:
        print(f"breakout-console: {KEYMAP_VARIABLE}: {problem}", file=sys.stderr)
    if problems:
        return EXIT_BAD_KEYMAP
    from console.tui.app import ConsoleApp

    result = ConsoleApp(settings).run()
    return result or 0
