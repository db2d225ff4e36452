"""The paper ledger's schema history: every version it has had, and how to step forward.

Version 0 is every ledger written before the version stamp existed (no ``user_version``). It
came in two layouts: the first release kept each position's average ``entry_price``; the next
kept its exact signed ``cost`` (price x size still open) instead. Version 1 is the cost layout
with the stamp. Fixtures of each, written by the code of those commits, are in
``tests/fixtures/schemas/``.
"""

from __future__ import annotations

import sqlite3
from decimal import Decimal

from console.storage_migrations import (
    Migration,
    SchemaHistory,
    SchemaUnrecognised,
    require_columns,
)

_V0_TABLES = {
    "sessions": frozenset(
        {
            "session_id",
            "name",
            "started_at",
            "last_active_at",
            "starting_balances",
            "leverage",
            "order_seq",
            "fill_seq",
        }
    ),
    "orders": frozenset(
        {
            "session_id",
            "order_id",
            "symbol",
            "status",
            "body",
            "lock_currency",
            "lock_amount",
            "queue_ahead",
            "queue_at_placement",
            "filled_notional",
        }
    ),
    "fills": frozenset(
        {
            "session_id",
            "fill_id",
            "seq",
            "order_id",
            "symbol",
            "market_type",
            "base",
            "quote",
            "side",
            "price",
            "size",
            "fee",
            "realised_pnl",
            "closed_size",
            "timestamp",
            "body",
        }
    ),
    "balances": frozenset({"session_id", "currency", "amount"}),
    "positions": frozenset({"session_id", "symbol", "size", "realised_pnl"}),
}

# The positions table as version 1 made it, written out rather than taken from ledger.py:
# a step must keep producing its own version when the live schema moves on.
_POSITIONS_WITH_COST = """
CREATE TABLE positions_with_cost (
    session_id INTEGER NOT NULL REFERENCES sessions(session_id),
    symbol TEXT NOT NULL,
    size TEXT NOT NULL,
    cost TEXT NOT NULL,
    realised_pnl TEXT NOT NULL,
    PRIMARY KEY (session_id, symbol)
)
"""


def _check_v0(db: sqlite3.Connection) -> None:
    positions = require_columns(db, 0, _V0_TABLES)["positions"]
    if not positions & {"entry_price", "cost"}:
        raise SchemaUnrecognised(0, 1, "table 'positions' has neither entry_price nor cost")


def _positions_keep_cost(db: sqlite3.Connection) -> None:
    """Entry price x signed size is the cost the engine keeps now; a flat position costs 0.

    Exact: both are stored as decimal text and multiplied as ``Decimal``, never as SQL
    numbers. Ledgers already in the cost layout are only stamped.
    """
    columns = {row[1] for row in db.execute("PRAGMA table_info(positions)")}
    if "cost" in columns:
        return
    rows = db.execute(
        "SELECT session_id, symbol, size, entry_price, realised_pnl FROM positions ORDER BY rowid"
    ).fetchall()
    db.execute(_POSITIONS_WITH_COST)
    db.executemany(
        "INSERT INTO positions_with_cost (session_id, symbol, size, cost, realised_pnl)"
        " VALUES (?, ?, ?, ?, ?)",
        [
            (
                session_id,
                symbol,
                size,
                str(Decimal(0) if entry is None else Decimal(size) * Decimal(entry)),
                realised,
            )
            for session_id, symbol, size, entry, realised in rows
        ],
    )
    db.execute("DROP TABLE positions")
    db.execute("ALTER TABLE positions_with_cost RENAME TO positions")


LEDGER_HISTORY = SchemaHistory(
    current=1,
    migrations={
        1: Migration(
            version=1,
            summary="positions keep their exact cost instead of an average entry price; stamped",
            check=_check_v0,
            apply=_positions_keep_cost,
        ),
    },
)
"""Steps from every released ledger schema to the current one (``ledger.SCHEMA_VERSION``)."""
