"""``breakout-console sim``: the simulator on its own, seeded from the settings."""

from __future__ import annotations

import argparse

from console.config import Settings, SimSettings
from console.sim.standalone import add_server_arguments, serve


def add_arguments(parser: argparse.ArgumentParser) -> None:
    defaults = SimSettings()
    add_server_arguments(parser, seed=defaults.seed, speed=defaults.speed)
    parser.set_defaults(seed=None, speed=None)


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Flags win; otherwise ``BREAKOUT_SIM__SEED`` / ``BREAKOUT_SIM__SPEED`` and defaults."""
    if args.seed is None:
        args.seed = settings.sim.seed
    if args.speed is None:
        args.speed = settings.sim.speed
    return serve(args)
