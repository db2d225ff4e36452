"""``breakout-console run`` (the default): open the console.

Textual is imported here, not in ``console.cli``, so the other subcommands never pay for
it; ccxt is imported later still, by the app's start-up worker, after the first frame.
"""

from __future__ import annotations

import argparse

from console.config import Settings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``run`` takes only the shared setting flags."""


def run(args: argparse.Namespace, settings: Settings) -> int:
    from console.tui.app import ConsoleApp

    app = ConsoleApp(settings)
    result = app.run()
    return result or 0
