"""``breakout-console run`` (the default): open the console.

Textual is imported here, not in ``console.cli``, so the other subcommands never pay for
it; ccxt is imported later still, by the app's start-up worker, after the first frame.

Logging goes to the log file, never to the terminal: a line printed to stderr would tear
through the screen Textual is drawing.
"""

from __future__ import annotations

import argparse
import logging
import sys

from console.config import Settings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``run`` takes only the shared setting flags."""


def log_to_file(settings: Settings) -> None:
    """Send the console's log to ``settings.resolved_log_file`` (or nowhere if unwritable)."""
    root = logging.getLogger()
    root.setLevel(settings.log_level)
    path = settings.resolved_log_file
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.FileHandler(path, encoding="utf-8")
    except OSError as error:
        print(f"breakout-console: not logging, {path} is not writable ({error})", file=sys.stderr)
        handler = logging.NullHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)


def run(args: argparse.Namespace, settings: Settings) -> int:
    log_to_file(settings)
    from console.tui.app import ConsoleApp

    result = ConsoleApp(settings).run()
    return result or 0
