"""The order journal: every live order is written down before its request leaves.

If the answer to a create is lost (timeout, reset, crash, kill -9), the journal is the only
record that the order may exist. SQLite in WAL mode; the intent is committed with
``synchronous=FULL`` (fsync before the request may leave), so a row that
:meth:`OrderJournal.record_intent` returned survives a power cut. Later updates (confirmed,
rejected, misses) commit with ``synchronous=NORMAL``: they survive a killed process, and
losing one to a power cut only means start-up reconciliation asks the venue again. That
keeps one fsync per order (about 5 ms) on the event loop instead of three. One file per
data directory; rows carry the venue so a journal can serve several venues.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from console.domain import (
    Clock,
    Order,
    OrderRequest,
    OrderStatus,
    OrderType,
    Side,
    SystemClock,
    TimeInForce,
)
from console.exchange.errors import ExchangeError
from console.exchange.journal_migrations import JOURNAL_HISTORY
from console.storage import SchemaMismatch, connect_private, stamp_schema_version
from console.storage_migrations import upgrade_schema

JOURNAL_FILE = "orders-journal.sqlite"
SCHEMA_VERSION = JOURNAL_HISTORY.current
"""Stored in SQLite's ``user_version``. An older journal is upgraded after a backup copy (see
``journal_migrations``); a newer one is refused, never rewritten: its rows may be the only
record that an order exists."""


class JournalState(StrEnum):
    """Where one intended order stands, as far as the console knows."""

    INTENT = "intent"
    """Written; the request may or may not have left (a crash right here leaves this)."""
    UNKNOWN = "unknown"
    """The request left and no answer came back: the order may exist."""
    CONFIRMED = "confirmed"
    """The venue has the order (acknowledged, or found by client order id)."""
    NOT_FOUND = "not_found"
    """Asked repeatedly (>= 3 times over >= 5 s) and the venue never had it: never placed."""
    REJECTED = "rejected"
    """The venue answered and refused it: never placed."""

    @property
    def unresolved(self) -> bool:
        return self in (JournalState.INTENT, JournalState.UNKNOWN)


class JournalEntry(BaseModel):
    """One row of the journal."""

    model_config = ConfigDict(frozen=True)

    client_order_id: str
    venue: str
    symbol: str
    side: Side
    type: OrderType
    quantity: Decimal
    price: Decimal | None
    time_in_force: TimeInForce
    reduce_only: bool
    state: JournalState
    order_id: str | None = None
    status: OrderStatus | None = None
    """Last status the venue reported (CONFIRMED rows)."""
    filled: Decimal = Decimal(0)
    misses: int = 0
    first_miss_at: float | None = None
    """Epoch seconds of the first "not found" answer."""
    reason: str | None = None
    created_at: datetime
    updated_at: datetime

    @property
    def believed_open(self) -> bool:
        """Confirmed and, as last seen, still working on the venue."""
        return self.state is JournalState.CONFIRMED and (
            self.status is None
            or self.status in (OrderStatus.PENDING, OrderStatus.OPEN)
            or self.status is OrderStatus.PARTIALLY_FILLED
        )

    def request(self) -> OrderRequest:
        return OrderRequest(
            symbol=self.symbol,
            side=self.side,
            type=self.type,
            quantity=self.quantity,
            price=self.price,
            time_in_force=self.time_in_force,
            reduce_only=self.reduce_only,
            client_order_id=self.client_order_id,
        )


_SCHEMA = """
CREATE TABLE IF NOT EXISTS orders (
    client_order_id TEXT PRIMARY KEY,
    venue TEXT NOT NULL,
    symbol TEXT NOT NULL,
    side TEXT NOT NULL,
    type TEXT NOT NULL,
    quantity TEXT NOT NULL,
    price TEXT,
    time_in_force TEXT NOT NULL,
    reduce_only INTEGER NOT NULL,
    state TEXT NOT NULL,
    order_id TEXT,
    status TEXT,
    filled TEXT NOT NULL DEFAULT '0',
    misses INTEGER NOT NULL DEFAULT 0,
    first_miss_at REAL,
    reason TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS orders_by_state ON orders (venue, state);
"""

_COLUMNS = (
    "client_order_id, venue, symbol, side, type, quantity, price, time_in_force, reduce_only, "
    "state, order_id, status, filled, misses, first_miss_at, reason, created_at, updated_at"
)


class JournalIncompatible(ExchangeError):
    """The journal file was written with another schema; it is left untouched."""


class DuplicateIntent(Exception):
    """A client order id was journaled twice: ids are never reused."""


class OrderJournal:
    """The SQLite journal of live orders.

    Args:
        path: the database file (created with its directory).
        clock: stamps rows and times "not found" answers.
    """

    def __init__(self, path: Path, *, clock: Clock | None = None) -> None:
        self.path = path
        self._clock: Clock = clock or SystemClock()
        self._db = connect_private(path)
        try:
            upgrade = upgrade_schema(self._db, path, JOURNAL_HISTORY)
        except SchemaMismatch as mismatch:
            self._db.close()
            raise JournalIncompatible(
                f"The live order journal {path} cannot be opened: {mismatch}. Live trading "
                "stays off: reconcile its orders with the console that wrote it, or move the "
                "file aside; nothing in it was changed."
            ) from None
        self.upgrade = upgrade
        """What opening did to the file's schema (where the backup went, if it upgraded)."""
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("PRAGMA busy_timeout=5000")
        self._db.executescript(_SCHEMA)
        stamp_schema_version(self._db, SCHEMA_VERSION)

    @classmethod
    def in_data_dir(cls, data_dir: Path, *, clock: Clock | None = None) -> OrderJournal:
        return cls(data_dir / JOURNAL_FILE, clock=clock)

    def __repr__(self) -> str:
        return f"OrderJournal({self.path.name})"

    def close(self) -> None:
        self._db.close()

    # --- writes ----------------------------------------------------------------------

    def record_intent(self, request: OrderRequest, venue: str) -> JournalEntry:
        """Write the order down; call before the request leaves. Durable on return.

        Raises:
            DuplicateIntent: the client order id is already journaled.
            ValueError: the request carries no client order id.
        """
        if request.client_order_id is None:
            raise ValueError("a journaled order needs its client order id")
        now = self._clock.now().isoformat()
        self._db.execute("PRAGMA synchronous=FULL")
        try:
            self._db.execute(
                f"INSERT INTO orders ({_COLUMNS}) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, '0', 0, NULL, NULL, ?, ?)",
                (
                    request.client_order_id,
                    venue,
                    request.symbol,
                    request.side.value,
                    request.type.value,
                    str(request.quantity),
                    None if request.price is None else str(request.price),
                    request.time_in_force.value,
                    int(request.reduce_only),
                    JournalState.INTENT.value,
                    now,
                    now,
                ),
            )
        except sqlite3.IntegrityError:
            raise DuplicateIntent(
                f"client order id {request.client_order_id} is already journaled"
            ) from None
        finally:
            self._db.execute("PRAGMA synchronous=NORMAL")
        return self._require(request.client_order_id)

    def mark_unknown(self, client_order_id: str, reason: str) -> JournalEntry:
        """The request left and no answer came: the order may exist."""
        return self._update(client_order_id, state=JournalState.UNKNOWN, reason=reason)

    def mark_confirmed(self, client_order_id: str, order: Order) -> JournalEntry:
        """The venue has it: acknowledged, found by id, or seen in its open orders."""
        return self._update(
            client_order_id,
            state=JournalState.CONFIRMED,
            order_id=order.order_id,
            status=order.status.value,
            filled=str(order.filled),
            reason=None,
        )

    def mark_rejected(self, client_order_id: str, reason: str) -> JournalEntry:
        return self._update(client_order_id, state=JournalState.REJECTED, reason=reason)

    def mark_not_found(self, client_order_id: str, reason: str) -> JournalEntry:
        return self._update(client_order_id, state=JournalState.NOT_FOUND, reason=reason)

    def record_miss(self, client_order_id: str) -> JournalEntry:
        """One more "the venue does not have it" answer, timed by the journal's clock."""
        entry = self._require(client_order_id)
        first = entry.first_miss_at
        if first is None:
            first = self._clock.now().timestamp()
        return self._update(client_order_id, misses=entry.misses + 1, first_miss_at=first)

    # --- reads -------------------------------------------------------------------------

    def get(self, client_order_id: str) -> JournalEntry | None:
        row = self._db.execute(
            f"SELECT {_COLUMNS} FROM orders WHERE client_order_id = ?", (client_order_id,)
        ).fetchone()
        return None if row is None else _entry(row)

    def entries(self, venue: str | None = None) -> list[JournalEntry]:
        """Every row (of ``venue``), oldest first."""
        if venue is None:
            rows = self._db.execute(f"SELECT {_COLUMNS} FROM orders ORDER BY rowid")
        else:
            rows = self._db.execute(
                f"SELECT {_COLUMNS} FROM orders WHERE venue = ? ORDER BY rowid", (venue,)
            )
        return [_entry(row) for row in rows]

    def unresolved(self, venue: str) -> list[JournalEntry]:
        """Rows whose fate is unknown (INTENT, UNKNOWN): reconcile these first."""
        return [entry for entry in self.entries(venue) if entry.state.unresolved]

    # --- internals ---------------------------------------------------------------------

    def _require(self, client_order_id: str) -> JournalEntry:
        entry = self.get(client_order_id)
        if entry is None:
            raise KeyError(f"client order id {client_order_id} is not journaled")
        return entry

    def _update(self, client_order_id: str, **fields: object) -> JournalEntry:
        fields["updated_at"] = self._clock.now().isoformat()
        assignments = ", ".join(f"{name} = ?" for name in fields)
        values: Iterable[object] = (
            value.value if isinstance(value, StrEnum) else value for value in fields.values()
        )
        cursor = self._db.execute(
            f"UPDATE orders SET {assignments} WHERE client_order_id = ?",
            (*values, client_order_id),
        )
        if cursor.rowcount != 1:
            raise KeyError(f"client order id {client_order_id} is not journaled")
        return self._require(client_order_id)


def _entry(row: tuple[object, ...]) -> JournalEntry:
    names = [name.strip() for name in _COLUMNS.split(",")]
    data = dict(zip(names, row, strict=True))
    data["reduce_only"] = bool(data["reduce_only"])
    data["filled"] = Decimal(str(data["filled"]))
    data["quantity"] = Decimal(str(data["quantity"]))
    data["price"] = None if data["price"] is None else Decimal(str(data["price"]))
    return JournalEntry.model_validate(data)


__all__ = ["JOURNAL_FILE", "DuplicateIntent", "JournalEntry", "JournalState", "OrderJournal"]
