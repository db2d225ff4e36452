"""``breakout-console paths``: where every file the console reads or writes lives.

So a trader can find the log to attach to a report, back up the ledger and journal, or add
a theme, without reading the code. Nothing is created: each path says whether it exists.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from console.config import Settings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``paths`` takes only the shared setting flags (they move the paths)."""


def _state(path: Path) -> str:
    return "" if path.exists() else "  (not created yet)"


def path_lines(settings: Settings, dotenv: Path, config: Path) -> list[tuple[str, str]]:
    """(what, where) pairs, in the order ``paths`` prints them."""
    from console.exchange.journal import JOURNAL_FILE
    from console.paper.ledger import default_ledger_path
    from console.tui.alert_store import ALERTS_FILE
    from console.tui.themes import bundled_theme_dir, user_theme_dir
    from console.tui.ui_state import STATE_FILE

    data = settings.data_dir
    env_file = dotenv.resolve()
    environment = settings.origins.environment
    rows = [
        ("config file", f"{config.resolve()}" + ("" if config.is_file() else "  (none there)")),
        ("env file", f"{env_file}" + ("" if env_file.is_file() else "  (none there)")),
        ("environment", ", ".join(environment) if environment else "no BREAKOUT_* set"),
        ("data", f"{data.resolve()}{_state(data)}"),
        (
            "paper ledger",
            f"{default_ledger_path(data).resolve()}{_state(default_ledger_path(data))}",
        ),
        ("order journal", f"{(data / JOURNAL_FILE).resolve()}{_state(data / JOURNAL_FILE)}"),
        ("UI state", f"{(data / STATE_FILE).resolve()}{_state(data / STATE_FILE)}"),
        ("alerts", f"{(data / ALERTS_FILE).resolve()}{_state(data / ALERTS_FILE)}"),
        ("your themes", f"{user_theme_dir(data).resolve()}{_state(user_theme_dir(data))}"),
        ("bundled themes", str(bundled_theme_dir())),
        ("log", f"{settings.resolved_log_file.resolve()}{_state(settings.resolved_log_file)}"),
    ]
    return rows


def run(args: argparse.Namespace, settings: Settings) -> int:
    from console.config_file import chosen_config_file

    rows = path_lines(settings, args.env_file or Path(".env"), chosen_config_file(args.config))
    width = max(len(what) for what, _ in rows)
    for what, where in rows:
        print(f"{what:<{width}}  {where}")
    return 0
