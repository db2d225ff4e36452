"""``breakout-console run`` (the default): open the console.

Textual is imported here, not in ``console.cli``, so the other subcommands never pay for
it; ccxt is imported later still, by the app's start-up worker, after the first frame.

Logging goes to the log file, never to the terminal: a line printed to stderr would tear
through the screen Textual is drawing.
"""

from __future__ import annotations

import argparse

from console.config import Settings
from console.logs import log_to_file


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``run`` takes only the shared setting flags."""


def run(args: argparse.Namespace, settings: Settings) -> int:
    log_to_file(settings)
    from console.tui.app import ConsoleApp

    result = ConsoleApp(settings).run()
    return result or 0
