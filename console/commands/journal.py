"""``breakout-console journal``: the live order journal without the TUI.

``list`` shows every live order the console wrote down (``--unresolved`` only those whose
fate is unknown), ``show CLIENT_ID`` one order in full, ``export`` all of them as CSV on
stdout or into ``--output FILE`` (readable only by you). Times in tables are local; the
CSV keeps UTC and exact amounts. Only reads: a missing journal is not created.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from rich.table import Table

from console.commands.tables import local_time, new_table, plain, print_table
from console.config import Settings
from console.storage import open_private_text

if TYPE_CHECKING:
    from console.exchange.journal import JournalEntry, OrderJournal

EXIT_NOT_FOUND = 1
CSV_COLUMNS = (
    "client_order_id",
    "venue",
    "symbol",
    "side",
    "type",
    "quantity",
    "price",
    "time_in_force",
    "reduce_only",
    "state",
    "order_id",
    "status",
    "filled",
    "misses",
    "reason",
    "created_at",
    "updated_at",
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="every journaled live order, oldest first")
    listing.add_argument(
        "--unresolved", action="store_true", help="only orders whose fate is not known yet"
    )
    show = actions.add_parser("show", help="one order in full")
    show.add_argument("client_order_id", metavar="CLIENT_ID")
    export = actions.add_parser("export", help="every journaled order as CSV")
    export.add_argument("--format", choices=["csv"], default="csv", help="only csv for now")
    export.add_argument(
        "--output", type=Path, default=None, metavar="FILE", help="file to write (default stdout)"
    )
    for action in (listing, show, export):
        action.add_argument(
            "--data-dir", type=Path, default=argparse.SUPPRESS, help="where the journal lives"
        )


def run(args: argparse.Namespace, settings: Settings) -> int:
    from console.exchange.journal import JOURNAL_FILE, OrderJournal

    path = settings.data_dir / JOURNAL_FILE
    if not path.exists():
        print(f"no live orders journaled (no journal at {path})")
        return 0 if args.action != "show" else EXIT_NOT_FOUND
    journal = OrderJournal(path)
    actions: dict[str, Callable[[OrderJournal, argparse.Namespace, TextIO], int]] = {
        "list": _list,
        "show": _show,
        "export": _export,
    }
    try:
        return actions[args.action](journal, args, sys.stdout)
    except OSError as error:
        print(f"breakout-console: cannot write {error.filename}: {error.strerror}", file=sys.stderr)
        return EXIT_NOT_FOUND
    finally:
        journal.close()


def _list(journal: OrderJournal, args: argparse.Namespace, out: TextIO) -> int:
    entries = [e for e in journal.entries() if e.state.unresolved or not args.unresolved]
    if not entries:
        print(
            "no live orders journaled" + (" with an unknown fate" if args.unresolved else ""),
            file=out,
        )
        return 0
    print_table(entries_table(entries), out)
    return 0


def entries_table(entries: Sequence[JournalEntry]) -> Table:
    """One row per journaled order: what was asked, what the venue said, when."""
    table = new_table(
        *("CLIENT ID", "VENUE", "SYMBOL", "SIDE", "TYPE", "QTY", "PRICE", "STATE", "STATUS"),
        *("FILLED", "UPDATED"),
        right=frozenset({"QTY", "PRICE", "FILLED"}),
    )
    for entry in entries:
        table.add_row(
            entry.client_order_id,
            entry.venue,
            entry.symbol,
            entry.side.value,
            entry.type.value,
            plain(entry.quantity),
            plain(entry.price),
            entry.state.value.replace("_", " "),
            entry.status.value.replace("_", " ") if entry.status else "-",
            plain(entry.filled),
            local_time(entry.updated_at),
        )
    return table


def _show(journal: OrderJournal, args: argparse.Namespace, out: TextIO) -> int:
    entry = journal.get(args.client_order_id)
    if entry is None:
        print(f"breakout-console: no journaled order {args.client_order_id}", file=sys.stderr)
        return EXIT_NOT_FOUND
    rows = [
        ("client id", entry.client_order_id),
        ("venue", entry.venue),
        ("order", f"{entry.side.value} {plain(entry.quantity)} {entry.symbol} {entry.type.value}"),
        ("price", plain(entry.price)),
        ("time in force", entry.time_in_force.value),
        ("reduce only", "yes" if entry.reduce_only else "no"),
        ("state", entry.state.value.replace("_", " ")),
        ("venue order id", entry.order_id or "-"),
        ("venue status", entry.status.value if entry.status else "-"),
        ("filled", plain(entry.filled)),
        ("not-found answers", str(entry.misses)),
        ("reason", entry.reason or "-"),
        ("written", local_time(entry.created_at)),
        ("updated", local_time(entry.updated_at)),
    ]
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        print(f"{label:<{width}}  {value}", file=out)
    return 0


def _export(journal: OrderJournal, args: argparse.Namespace, out: TextIO) -> int:
    entries = journal.entries()
    if args.output is None:
        write_entries_csv(entries, out)
    else:
        with open_private_text(args.output) as target:
            write_entries_csv(entries, target)
    return 0


def write_entries_csv(entries: Sequence[JournalEntry], out: TextIO) -> None:
    """A header and one row per order; decimals exact, times ISO-8601 UTC as stored."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for entry in entries:
        row = entry.model_dump(mode="json", include=set(CSV_COLUMNS))
        writer.writerow("" if row[name] is None else row[name] for name in CSV_COLUMNS)
