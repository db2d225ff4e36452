"""The ``breakout-console`` script: :func:`console.cli.main` with the garbage collector
paused while the console starts (:mod:`console.collector_pause`)."""

from __future__ import annotations

from collections.abc import Sequence

from console.collector_pause import pause_collection, resume_collection


def main(argv: Sequence[str] | None = None) -> int:
    """``breakout-console``; the collector runs again by the time this returns."""
    pause_collection()
    try:
        from console.cli import main as cli_main

        return cli_main(argv)
    finally:
        resume_collection()
