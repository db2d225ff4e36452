"""``breakout-console sessions``: paper practice sessions without the TUI.

``list`` shows every session in the ledger, ``show ID`` its summary and fills, ``export ID
--format csv`` its fills as CSV on stdout or into ``--output FILE``. Only reads the ledger.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import TextIO

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


def _list(ledger: Ledger, args: argparse.Namespace, out: TextIO) -> None:
    sessions = ledger.list_sessions()
    if not sessions:
        print("no practice sessions yet", file=out)
        return
    print(f"{'ID':>4}  {'NAME':<28} {'STARTED':<25} {'LAST ACTIVE':<25} {'FILLS':>6}", file=out)
    for info in sessions:
        print(
            f"{info.session_id:>4}  {info.name[:28]:<28} {info.started_at:<25} "
            f"{info.last_active_at:<25} {info.fill_count:>6}",
            file=out,
        )


def _show(ledger: Ledger, args: argparse.Namespace, out: TextIO) -> None:
    summary = summarise(ledger, args.session_id)
    for line in summary_lines(summary):
        print(line, file=out)
    fills = ledger.fills(args.session_id)
    print("", file=out)
    print(f"Fills ({len(fills)})", file=out)
    for paper in fills:
        print(fill_line(paper), file=out)


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
        f"  started      {info.started_at}   last active {info.last_active_at}",
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


def fill_line(paper: PaperFill) -> str:
    fill, why = paper.fill, paper.explanation
    return (
        f"  {fill.fill_id:<10} {fill.timestamp:%Y-%m-%d %H:%M:%S} {fill.symbol:<15} "
        f"{fill.side.value:<4} {_money(fill.size):>12} @ {_money(fill.price):<12} "
        f"{fill.liquidity.value:<5} fee {_money(fill.fee)} {fill.fee_currency} ({why.trigger})"
    )
