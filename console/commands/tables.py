"""How the commands print tables: aligned with rich, times in the machine's time zone."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import TextIO

from rich import box
from rich.console import Console
from rich.table import Table


def new_table(*columns: str, right: frozenset[str] = frozenset()) -> Table:
    """A borderless table with a ruled header; ``right`` names the numeric columns."""
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    for column in columns:
        table.add_column(column, justify="right" if column in right else "left")
    return table


def print_table(table: Table, out: TextIO) -> None:
    """Print ``table`` aligned, without trailing blanks; a pipe gets wide lines (no wrap)."""
    console = Console(width=None if out.isatty() else 200, soft_wrap=False, highlight=False)
    with console.capture() as captured:
        console.print(table)
    for line in captured.get().splitlines():
        print(line.rstrip(), file=out)


def local_time(value: str | datetime) -> str:
    """An instant in the machine's time zone, with the zone named (stored times are UTC)."""
    instant = datetime.fromisoformat(value) if isinstance(value, str) else value
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=UTC)
    return instant.astimezone().strftime("%Y-%m-%d %H:%M:%S %Z")


def plain(value: Decimal | None) -> str:
    """A decimal as written by hand (``2010``, not ``2.010E+3``); ``-`` for none."""
    return "-" if value is None else f"{value.normalize():f}"
