"""The ``breakout-console`` command: parse flags, load settings, hand over to a subcommand.

Subcommands live in ``console/commands/``, one module each. argparse's subparsers choose
the command (a flag value such as ``--venue sim`` or ``--data-dir sessions`` is a value,
never a command); the chosen module is imported only once argparse has picked it, so
``breakout-console --help`` and the first frame stay fast (``import ccxt`` alone costs
about 0.7 s).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, NoReturn, Protocol, get_args

from console import __version__
from console.collector_pause import resume_collection
from console.config import LogLevel, Settings, SettingsError, load_settings
from console.config_file import (
    CONFIG_VARIABLE,
    chosen_config_file,
    profile_env_file,
    read_settings_file,
)
from console.domain.enums import TradingMode

EXIT_BAD_SETTINGS = 2
PROG = "breakout-console"

COMMANDS: dict[str, tuple[str, str]] = {
    "run": ("console.commands.run", "open the console (the default)"),
    "probe": ("console.commands.probe", "check a venue profile: latency, limits, stream, keys"),
    "sessions": ("console.commands.sessions", "list, show and export paper practice sessions"),
    "journal": ("console.commands.journal", "list, show and export the live order journal"),
    "config": ("console.commands.config", "write a commented settings file (config init)"),
    "sim": ("console.commands.sim", "run the Bybit-v5-compatible simulator on its own"),
    "keys": ("console.commands.keys", "list every key binding id and its keys (for remapping)"),
    "paths": ("console.commands.paths", "show where settings, data, ledger, journal and log live"),
    "record": ("console.commands.record", "record a venue's public streams into a file"),
    "replay": ("console.commands.replay", "replay a recording through the simulator"),
}
"""Subcommand name -> (module, one-line help). Each module defines ``add_arguments`` and ``run``."""

DEFAULT_COMMAND = "run"
PROFILE_VARIABLE = "BREAKOUT_PROFILE"


class Command(Protocol):
    """What a subcommand module provides."""

    def add_arguments(self, parser: argparse.ArgumentParser) -> None: ...

    def run(self, args: argparse.Namespace, settings: Settings) -> int: ...


def _load_command(name: str) -> Command:
    module: Command = importlib.import_module(COMMANDS[name][0])
    return module


class _Parser(argparse.ArgumentParser):
    """Refuses bad flags with one line (like bad settings), not a usage block."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_BAD_SETTINGS, f"{PROG}: {message} (see {self.prog} --help)\n")


class _LazyCommands(argparse._SubParsersAction):  # type: ignore[type-arg]
    """Subparsers that add a command's own flags only once argparse has chosen it.

    argparse decides which token is the command (after consuming every flag value before
    it); only then is that one module imported, so the others never cost start-up time.
    """

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[Any] | None,
        option_string: str | None = None,
    ) -> None:
        if isinstance(values, Sequence) and values and values[0] in COMMANDS:
            name = str(values[0])
            _load_command(name).add_arguments(self._name_parser_map[name])
        super().__call__(parser, namespace, values, option_string)


@cache
def _bundled_themes() -> str:
    """The theme names shipped in the package, read from its files (no Textual import);
    once, not for each of the eleven parsers that offer ``--theme``."""
    folder = resources.files("console") / "themes"
    return ", ".join(
        sorted(p.name.removesuffix(".toml") for p in folder.iterdir() if p.name.endswith(".toml"))
    )


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
        help="sim (built-in simulator, the default), bybit, bybit-testnet, bybit-demo "
        "or a ccxt exchange id such as okx",
        default=unset,
    )
    parser.add_argument(
        "--venue-url",
        metavar="URL",
        help="http://HOST:PORT of a Bybit-v5-compatible server, e.g. a simulator started with "
        "'breakout-console sim' (REST there, streams on ws://HOST:PORT/v5/public/...)",
        default=unset,
    )
    parser.add_argument(
        "--mode",
        choices=[mode.value for mode in TradingMode],
        help="paper (default: orders never leave this process) or live",
        default=unset,
    )
    parser.add_argument(
        "--symbols", help="comma-separated, e.g. BTC/USDT:USDT,ETH/USDT:USDT", default=unset
    )
    parser.add_argument(
        "--theme",
        help=f"colour theme: {_bundled_themes()}, or a *.toml file you put in DATA_DIR/themes",
        default=unset,
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        metavar="DIR",
        help="where the paper ledger, order journal and UI state live",
        default=unset,
    )
    parser.add_argument(
        "--log-level",
        type=str.upper,
        choices=list(get_args(LogLevel)),
        help="log file detail (default INFO)",
        default=unset,
    )
    parser.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        help=f"TOML settings file (default: {CONFIG_VARIABLE}, else config.toml in your "
        "config directory); 'breakout-console config init' writes one",
        default=unset,
    )
    parser.add_argument(
        "--profile",
        metavar="NAME",
        help="a [profiles.NAME] of the settings file: venue, mode, symbols and the env file "
        f"with that account's keys ({PROFILE_VARIABLE})",
        default=unset,
    )
    parser.add_argument(
        "--env-file",
        type=Path,
        metavar="FILE",
        help="dotenv file to read (default: .env in the current directory)",
        default=unset,
    )


_SETTING_DESTS = ("venue", "venue_url", "mode", "symbols", "theme", "data_dir", "log_level")
"""Flags that set a field of Settings (``--env-file`` and ``--config`` name files instead)."""


def build_parser() -> argparse.ArgumentParser:
    """The whole command line; a command's own flags are added when it is chosen."""
    parser = _Parser(
        prog=PROG,
        description="Terminal trading console: ladders, tape, rate limits, paper and live orders.",
    )
    parser.add_argument("-V", "--version", action="version", version=f"{PROG} {__version__}")
    _add_setting_flags(parser)
    subparsers = parser.add_subparsers(
        dest="command", metavar="COMMAND", action=_LazyCommands, title="commands"
    )
    for name, (_, help_text) in COMMANDS.items():
        sub = subparsers.add_parser(name, help=help_text, description=help_text.capitalize())
        _add_setting_flags(sub, suppress=True)
    return parser


def parse_args(argv: Sequence[str]) -> tuple[str, argparse.Namespace]:
    """The chosen command (``run`` when none is named) and every parsed flag."""
    args = build_parser().parse_args(list(argv))
    return args.command or DEFAULT_COMMAND, args


def main(argv: Sequence[str] | None = None) -> int:
    name, args = parse_args(sys.argv[1:] if argv is None else argv)
    flags = {key: getattr(args, key, None) for key in _SETTING_DESTS}
    config_file = chosen_config_file(args.config)
    profile = args.profile or os.environ.get(PROFILE_VARIABLE) or None
    try:
        if args.config is not None and not config_file.is_file():
            raise SettingsError(f"--config: {config_file} does not exist")
        args.env_file = args.env_file or profile_env_file(config_file, profile) or Path(".env")
        settings = load_settings(
            flags,
            dotenv_path=args.env_file,
            settings_file=read_settings_file(config_file, profile),
        )
    except SettingsError as error:
        print(f"{PROG}: {error}", file=sys.stderr)
        return EXIT_BAD_SETTINGS
    if name != DEFAULT_COMMAND:  # only the console's first frame waits for the collector
        resume_collection()
    return _load_command(name).run(args, settings)


if __name__ == "__main__":
    raise SystemExit(main())
