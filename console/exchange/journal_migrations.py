"""The order journal's schema history: every version it has had, and how to step forward.

Version 0 is every journal written before the version stamp existed (no ``user_version``);
its tables are those of version 1, so the step only checks them and stamps the file. A
fixture of each, written by the code of those commits, is in ``tests/fixtures/schemas/``.
"""

from __future__ import annotations

import sqlite3

from console.storage_migrations import Migration, SchemaHistory, require_columns

_V0_ORDERS = frozenset(
    {
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
        "first_miss_at",
        "reason",
        "created_at",
        "updated_at",
    }
)


def _check_v0(db: sqlite3.Connection) -> None:
    require_columns(db, 0, {"orders": _V0_ORDERS})


def _same_tables(db: sqlite3.Connection) -> None:
    """Nothing to change: the stamp the upgrade writes after this step is the whole change."""


JOURNAL_HISTORY = SchemaHistory(
    current=1,
    migrations={
        1: Migration(
            version=1,
            summary="stamped with its version (tables unchanged)",
            check=_check_v0,
            apply=_same_tables,
        ),
    },
)
"""Steps from every released journal schema to the current one (``journal.SCHEMA_VERSION``)."""
