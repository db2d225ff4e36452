"""``breakout-console sessions``: paper practice sessions without the TUI.

``list`` shows every session in the ledger, ``show ID`` its summary and fills (aligned
tables, times in the machine's time zone), ``export ID --format csv`` its fills as CSV on
stdout or into ``--output FILE`` (UTC, exact). Only reads the ledger.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

from rich.table import Table
from rich.text import Text

from console.commands.tables import local_time, new_table, plain, print_table
from console.config import Settings
from console.paper import (
    Ledger,
    SessionNotFound,
    SessionSummary,
    open_ledger,
    summarise,
    write_fills_csv,
)
from console.paper.ledger import default_ledger_path
from console.paper.models import PaperFill
from console.storage import open_private_text

EXIT_NOT_FOUND = 1
_COUNTS = frozenset({"ID", "FILLS"})
_AMOUNTS = frozenset({"SIZE", "PRICE", "FEE"})


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="every practice session in the ledger")
    show = actions.add_parser("show", help="summary and fills of one session")
    show.add_argument("session_id", type=int, metavar="ID")
    export = actions.add_parser("export", help="fills of one session as CSV")
    export.add_argument("session_id", type=int, metavar="ID")
    export.add_argument("--format", choices=["csv"], default="csv", help="only csv for now")
    export.add_argument(
        "--output",
        type=Path,
        default=None,
        metavar="FILE",
        help="file to write, readable only by you (default: stdout)",
    )
    for action in (listing, show, export):
        # Also after the action (``sessions show 3 --data-dir X``); unset leaves it alone.
        action.add_argument(
            "--data-dir", type=Path, default=argparse.SUPPRESS, help="where the ledger lives"
        )


def run(args: argparse.Namespace, settings: Settings) -> int:
    path = default_ledger_path(settings.data_dir)
    if not path.exists():
        print(f"no practice sessions yet (no ledger at {path})")
        return 0 if args.action == "list" else EXIT_NOT_FOUND
    ledger = open_ledger(settings)
    actions: dict[str, Callable[[Ledger, argparse.Namespace, TextIO], None]] = {
        "list": _list,
        "show": _show,
        "export": _export,
    }
    try:
        actions[args.action](ledger, args, sys.stdout)
    except SessionNotFound as error:
        print(f"breakout-console: {error}", file=sys.stderr)
        return EXIT_NOT_FOUND
    except OSError as error:
        print(f"breakout-console: cannot write {error.filename}: {error.strerror}", file=sys.stderr)
        return EXIT_NOT_FOUND
    finally:
        ledger.close()
    return 0


def _list(ledger: Ledger, args: argparse.Namespace, out: TextIO) -> None:
    sessions = ledger.list_sessions()
    if not sessions:
        print("no practice sessions yet", file=out)
        return
    table = new_table("ID", "NAME", "STARTED", "LAST ACTIVE", "FILLS", right=_COUNTS)
    for info in sessions:
        table.add_row(
            str(info.session_id),
            Text(info.name),
            local_time(info.started_at),
            local_time(info.last_active_at),
            str(info.fill_count),
        )
    print_table(table, out)


def _show(ledger: Ledger, args: argparse.Namespace, out: TextIO) -> None:
    summary = summarise(ledger, args.session_id)
    for line in summary_lines(summary):
        print(line, file=out)
    fills = ledger.fills(args.session_id)
    print("", file=out)
    print(f"Fills ({len(fills)})", file=out)
    if fills:
        print_table(fills_table(fills), out)


def fills_table(fills: Sequence[PaperFill]) -> Table:
    """One row per fill, times local, amounts exact, with what triggered it."""
    table = new_table(
        *("FILL", "TIME", "SYMBOL", "SIDE", "SIZE", "PRICE", "LIQ", "FEE", "TRIGGER"),
        right=_AMOUNTS,
    )
    for paper in fills:
        fill = paper.fill
        table.add_row(
            fill.fill_id,
            local_time(fill.timestamp),
            fill.symbol,
            fill.side.value,
            plain(fill.size),
            plain(fill.price),
            fill.liquidity.value,
            f"{plain(fill.fee)} {fill.fee_currency}",
            paper.explanation.trigger,
        )
    return table


def _export(ledger: Ledger, args: argparse.Namespace, out: TextIO) -> None:
    fills = ledger.fills(args.session_id)
    if args.output is None:
        write_fills_csv(fills, out)
        return
    with open_private_text(args.output) as target:
        write_fills_csv(fills, target)


def summary_lines(summary: SessionSummary) -> list[str]:
    """The session summary as the CLI prints it (the TUI can reuse the same lines)."""
    info = summary.session
    starting = ", ".join(f"{cur} {plain(v)}" for cur, v in sorted(info.starting_balances.items()))
    now = ", ".join(f"{cur} {plain(v)}" for cur, v in sorted(summary.balances.items()))
    lines = [
        f"Session {info.session_id}: {info.name}",
        f"  started      {local_time(info.started_at)}   "
        f"last active {local_time(info.last_active_at)}",
        f"  starting     {starting}",
        f"  balances     {now}",
        f"  realised PnL {plain(summary.realised_pnl)}",
        f"  fees         {plain(summary.fees)}",
        f"  net PnL      {plain(summary.net_pnl)}",
        f"  volume       {plain(summary.volume)}",
        f"  trades       {summary.trade_count}",
    ]
    for label, trade in (("best trade", summary.best_trade), ("worst trade", summary.worst_trade)):
        if trade is not None:
            lines.append(
                f"  {label:<12} {plain(trade.net_pnl)} ({trade.fill_id}: {trade.side.value} "
                f"{plain(trade.size)} {trade.symbol} @ {plain(trade.price)})"
            )
    for position in summary.open_positions:
        lines.append(
            f"  position     {position.symbol} {plain(position.size)} @ "
            f"{plain(position.entry_price) if position.entry_price is not None else '-'}"
        )
    lines.append(f"  open orders  {summary.open_orders}")
    return lines
