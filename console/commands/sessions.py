"""``breakout-console sessions``: paper practice sessions without the TUI.

``list`` shows every session in the ledger, ``show ID`` its summary and fills (aligned
tables, times in the machine's time zone), ``export ID --format csv`` its fills as CSV on
stdout or into ``--output FILE`` (UTC, exact). Only reads the ledger.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import TextIO

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

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


def print_table(table: Table, out: TextIO) -> None:
    """Print ``table`` aligned, without trailing blanks; a pipe gets wide lines (no wrap)."""
    console = Console(width=None if out.isatty() else 200, soft_wrap=False, highlight=False)
    with console.capture() as captured:
        console.print(table)
    for line in captured.get().splitlines():
        print(line.rstrip(), file=out)


def _table() -> Table:
    return Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)


def local_time(value: str | datetime) -> str:
    """An instant in the machine's time zone, with the zone named (stored times are UTC)."""
    instant = datetime.fromisoformat(value) if isinstance(value, str) else value
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=UTC)
    return instant.astimezone().strftime("%Y-%m-%d %H:%M:%S %Z")


def _list(ledger: Ledger, args: argparse.Namespace, out: TextIO) -> None:
    sessions = ledger.list_sessions()
    if not sessions:
        print("no practice sessions yet", file=out)
        return
    table = _table()
    table.add_column("ID", justify="right")
    table.add_column("NAME")
    table.add_column("STARTED")
    table.add_column("LAST ACTIVE")
    table.add_column("FILLS", justify="right")
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
    table = _table()
    for name in ("FILL", "TIME", "SYMBOL", "SIDE", "SIZE", "PRICE", "LIQ", "FEE", "TRIGGER"):
        table.add_column(name, justify="right" if name in {"SIZE", "PRICE", "FEE"} else "left")
    for paper in fills:
        fill = paper.fill
        table.add_row(
            fill.fill_id,
            local_time(fill.timestamp),
            fill.symbol,
            fill.side.value,
            _money(fill.size),
            _money(fill.price),
            fill.liquidity.value,
            f"{_money(fill.fee)} {fill.fee_currency}",
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


def _money(value: Decimal) -> str:
    return f"{value.normalize():f}"


def summary_lines(summary: SessionSummary) -> list[str]:
    """The session summary as the CLI prints it (the TUI can reuse the same lines)."""
    info = summary.session
    starting = ", ".join(f"{cur} {_money(v)}" for cur, v in sorted(info.starting_balances.items()))
    now = ", ".join(f"{cur} {_money(v)}" for cur, v in sorted(summary.balances.items()))
    lines = [
        f"Session {info.session_id}: {info.name}",
        f"  started      {local_time(info.started_at)}   "
        f"last active {local_time(info.last_active_at)}",
        f"  starting     {starting}",
        f"  balances     {now}",
        f"  realised PnL {_money(summary.realised_pnl)}",
        f"  fees         {_money(summary.fees)}",
        f"  net PnL      {_money(summary.net_pnl)}",
        f"  volume       {_money(summary.volume)}",
        f"  trades       {summary.trade_count}",
    ]
    for label, trade in (("best trade", summary.best_trade), ("worst trade", summary.worst_trade)):
        if trade is not None:
            lines.append(
                f"  {label:<12} {_money(trade.net_pnl)} ({trade.fill_id}: {trade.side.value} "
                f"{_money(trade.size)} {trade.symbol} @ {_money(trade.price)})"
            )
    for position in summary.open_positions:
        lines.append(
            f"  position     {position.symbol} {_money(position.size)} @ "
            f"{_money(position.entry_price) if position.entry_price is not None else '-'}"
        )
    lines.append(f"  open orders  {summary.open_orders}")
    return lines
