"""A session's fills as CSV, one row per fill with how it was priced, for spreadsheets."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import TextIO

from console.paper.models import PaperFill

CSV_COLUMNS = (
    "fill_id",
    "order_id",
    "timestamp",
    "symbol",
    "side",
    "price",
    "size",
    "notional",
    "liquidity",
    "fee_rate",
    "fee",
    "fee_currency",
    "realised_pnl",
    "trigger",
    "levels",
    "queue_ahead_at_placement",
    "queue_ahead_before_fill",
)


def write_fills_csv(fills: Iterable[PaperFill], out: TextIO) -> int:
    """Write a header and one row per fill; returns the number of rows. Decimals stay exact."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    rows = 0
    for paper in fills:
        fill, why = paper.fill, paper.explanation
        writer.writerow(
            (
                fill.fill_id,
                fill.order_id,
                fill.timestamp.isoformat(),
                fill.symbol,
                fill.side.value,
                fill.price,
                fill.size,
                fill.notional,
                fill.liquidity.value,
                why.fee_rate,
                fill.fee,
                fill.fee_currency,
                why.realised_pnl,
                why.trigger,
                " ".join(f"{level.size}@{level.price}" for level in why.levels),
                "" if why.queue_ahead_at_placement is None else why.queue_ahead_at_placement,
                "" if why.queue_ahead_before_fill is None else why.queue_ahead_before_fill,
            )
        )
        rows += 1
    return rows
