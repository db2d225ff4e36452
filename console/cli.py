"""The ``breakout-console`` command: parse flags, load settings, hand over to a subcommand.

Subcommands live in ``console/commands/``, one module each, imported only when chosen so
that ``breakout-console --help`` and the first frame stay fast (``import ccxt`` alone costs
about 0.7 s).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from console.config import Settings, SettingsError, load_settings

EXIT_BAD_SETTINGS = 2

COMMANDS: dict[str, tuple[str, str]] = {
    "run": ("console.commands.run", "open the console (the default)"),
    "probe": ("console.commands.probe", "check a venue profile: latency, limits, stream, keys"),
    "sessions": ("console.commands.sessions", "list, show and export paper practice sessions"),
    "sim": ("console.commands.sim", "run the Bybit-v5-compatible simulator on its own"),
    "record": ("console.commands.record", "record a venue's public streams into a file"),
    "replay": ("console.commands.replay", "replay a recording through the simulator"),
}
"""Subcommand name -> (module, one-line help). Each module defines ``add_arguments`` and ``run``."""


class Command(Protocol):
    """What a subcommand module provides."""

    def add_arguments(self, parser: argparse.ArgumentParser) -> None: ...

    def run(self, args: argparse.Namespace, settings: Settings) -> int: ...


def _load_command(name: str) -> Command:
    module: Command = importlib.import_module(COMMANDS[name][0])
    return module


def _add_setting_flags(parser: argparse.ArgumentParser, *, suppress: bool = False) -> None:
    """Flags that override settings; unset flags stay None so env and .env still apply.

    They are accepted before and after the subcommand; ``suppress`` keeps a subcommand's
    unset flags from overwriting the ones given before it.
    """
    # set_defaults(SUPPRESS) would store the literal "==SUPPRESS==" string; a per-flag
    # default of SUPPRESS leaves the attribute unset instead.
    unset = argparse.SUPPRESS if suppress else None
    parser.add_argument(
        "--venue",
        help="sim (default), bybit, bybit-testnet, bybit-demo or a ccxt id",
        default=unset,
    )
    parser.add_argument("--mode", help="paper (default) or live", default=unset)
    parser.add_argument(
        "--symbols", help="comma-separated, e.g. BTC/USDT:USDT,ETH/USDT:USDT", default=unset
    )
    parser.add_argument("--theme", help="theme name from themes/", default=unset)
    parser.add_argument(
        "--data-dir", type=Path, help="where the ledger and journal live", default=unset
    )
    parser.add_argument("--log-level", help="DEBUG, INFO, WARNING or ERROR", default=unset)
    parser.add_argument(
        "--env-file", type=Path, help="dotenv file to read (default ./.env)", default=unset
    )


_SETTING_DESTS = ("venue", "mode", "symbols", "theme", "data_dir", "log_level", "env_file")


def build_parser(chosen: str | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="breakout-console",
        description="Terminal trading console: ladders, tape, rate limits, paper and live orders.",
    )
    _add_setting_flags(parser)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (_, help_text) in COMMANDS.items():
        sub = subparsers.add_parser(name, help=help_text)
        _add_setting_flags(sub, suppress=True)
        if name == chosen:
            _load_command(name).add_arguments(sub)
    return parser


def _chosen_command(argv: Sequence[str]) -> str:
    for token in argv:
        if token in COMMANDS:
            return token
    return "run"


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    name = _chosen_command(argv)
    args = build_parser(name).parse_args(argv)
    flags = {key: getattr(args, key, None) for key in _SETTING_DESTS if key != "env_file"}
    try:
        settings = load_settings(flags, dotenv_path=args.env_file or Path(".env"))
    except SettingsError as error:
        print(f"breakout-console: {error}", file=sys.stderr)
        return EXIT_BAD_SETTINGS
    return _load_command(name).run(args, settings)


if __name__ == "__main__":
    raise SystemExit(main())
