"""The paper ledger: one SQLite file holding practice sessions, orders, fills and balances.

Durability is the point. The engine writes each change (an order placed, cancelled or filled,
with the balances and positions it produced) in one transaction and only then returns to the
caller, so whatever the trader saw acknowledged survives a crash or ``kill -9``.

Journal mode is WAL (readers such as ``sessions show`` never block the trading process).
``synchronous=FULL`` is the default: with WAL, NORMAL already survives a killed process, but a
power cut or OS crash may roll back the last transactions, which would lose fills the trader
saw. FULL costs one fsync per commit (see ``bench/paper_matching.py``); a paper commit happens
per order or per market event that filled something, a rate an fsync easily keeps up with.
Money is stored as TEXT (exact ``Decimal``), times as ISO-8601 UTC.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Literal

from console.domain import Order
from console.paper.errors import LedgerIncompatible, LedgerInconsistent, SessionNotFound
from console.paper.ledger_migrations import LEDGER_HISTORY
from console.paper.models import FillExplanation, PaperFill, SessionInfo
from console.storage import SchemaMismatch, connect_private, stamp_schema_version
from console.storage_migrations import upgrade_schema

LEDGER_FILE = "paper-ledger.sqlite3"
"""File name of the ledger inside ``settings.data_dir``."""

SCHEMA_VERSION = LEDGER_HISTORY.current
"""Stored in SQLite's ``user_version``. An older ledger is upgraded (after a backup copy; see
``ledger_migrations``); a newer one is refused untouched with a clear message rather than read
with the wrong columns: its fills are the trader's record."""

Synchronous = Literal["FULL", "NORMAL"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    session_id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    started_at TEXT NOT NULL,
    last_active_at TEXT NOT NULL,
    starting_balances TEXT NOT NULL,
    leverage TEXT NOT NULL,
    order_seq INTEGER NOT NULL DEFAULT 0,
    fill_seq INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS orders (
    session_id INTEGER NOT NULL REFERENCES sessions(session_id),
    order_id TEXT NOT NULL,
    symbol TEXT NOT NULL,
    status TEXT NOT NULL,
    body TEXT NOT NULL,
    lock_currency TEXT,
    lock_amount TEXT,
    queue_ahead TEXT,
    queue_at_placement TEXT,
    filled_notional TEXT NOT NULL DEFAULT '0',
    PRIMARY KEY (session_id, order_id)
);
CREATE INDEX IF NOT EXISTS orders_by_status ON orders (session_id, status);
CREATE TABLE IF NOT EXISTS fills (
    session_id INTEGER NOT NULL REFERENCES sessions(session_id),
    fill_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    order_id TEXT NOT NULL,
    symbol TEXT NOT NULL,
    market_type TEXT NOT NULL,
    base TEXT NOT NULL,
    quote TEXT NOT NULL,
    side TEXT NOT NULL,
    price TEXT NOT NULL,
    size TEXT NOT NULL,
    fee TEXT NOT NULL,
    realised_pnl TEXT NOT NULL,
    closed_size TEXT NOT NULL,
    timestamp TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (session_id, fill_id)
);
CREATE INDEX IF NOT EXISTS fills_in_order ON fills (session_id, seq);
CREATE TABLE IF NOT EXISTS balances (
    session_id INTEGER NOT NULL REFERENCES sessions(session_id),
    currency TEXT NOT NULL,
    amount TEXT NOT NULL,
    PRIMARY KEY (session_id, currency)
);
CREATE TABLE IF NOT EXISTS positions (
    session_id INTEGER NOT NULL REFERENCES sessions(session_id),
    symbol TEXT NOT NULL,
    size TEXT NOT NULL,
    cost TEXT NOT NULL,
    realised_pnl TEXT NOT NULL,
    PRIMARY KEY (session_id, symbol)
);
"""


@dataclass(frozen=True, slots=True)
class StoredOrder:
    """An order with the engine state that must survive a restart: its lock and queue."""

    order: Order
    lock_currency: str | None = None
    lock_amount: Decimal | None = None
    queue_ahead: Decimal | None = None
    queue_at_placement: Decimal | None = None
    filled_notional: Decimal = Decimal(0)
    """Sum of price x size of its fills, exact (the average price alone would round)."""


@dataclass(frozen=True, slots=True)
class StoredPosition:
    symbol: str
    size: Decimal
    cost: Decimal
    """Signed price x size still open (entry price = cost / size)."""
    realised_pnl: Decimal


@dataclass(frozen=True, slots=True)
class FillContext:
    """What a replay needs to know about a fill's market, stored beside it."""

    market_type: str
    base: str
    quote: str
    """The currency fees and PnL settle in (the settle currency for contracts)."""


@dataclass(frozen=True, slots=True)
class SessionState:
    """Everything the engine needs to resume a session."""

    info: SessionInfo
    cash: dict[str, Decimal]
    positions: list[StoredPosition]
    open_orders: list[StoredOrder]
    order_seq: int
    fill_seq: int


def _dec(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


class Ledger:
    """A SQLite ledger file; one connection, used from one thread (the event loop)."""

    def __init__(self, path: Path, *, synchronous: Synchronous = "FULL") -> None:
        self.path = path
        self._db = connect_private(path)
        try:
            upgrade = upgrade_schema(self._db, path, LEDGER_HISTORY)
        except SchemaMismatch as mismatch:
            self._db.close()
            raise LedgerIncompatible(
                f"The paper ledger {self.path} cannot be opened: {mismatch}. Move it aside to "
                "start a fresh ledger; nothing in it was changed."
            ) from None
        self.upgrade = upgrade
        """What opening did to the file's schema (where the backup went, if it upgraded)."""
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(f"PRAGMA synchronous={synchronous}")
        self._db.execute("PRAGMA foreign_keys=ON")
        self._db.execute("PRAGMA busy_timeout=5000")
        if upgrade.is_new:
            self._db.executescript(_SCHEMA)
            stamp_schema_version(self._db, SCHEMA_VERSION)

    def close(self) -> None:
        self._db.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    # ----- sessions ----------------------------------------------------------------------

    def start_session(
        self, name: str, starting_balances: Mapping[str, Decimal], leverage: Decimal, at: datetime
    ) -> SessionInfo:
        stamp = at.isoformat()
        balances = {cur: str(amount) for cur, amount in starting_balances.items()}
        with self._transaction() as db:
            cursor = db.execute(
                "INSERT INTO sessions (name, started_at, last_active_at, starting_balances,"
                " leverage) VALUES (?, ?, ?, ?, ?)",
                (name, stamp, stamp, json.dumps(balances), str(leverage)),
            )
            session_id = cursor.lastrowid
            assert session_id is not None
            db.executemany(
                "INSERT INTO balances (session_id, currency, amount) VALUES (?, ?, ?)",
                [(session_id, cur, amount) for cur, amount in balances.items()],
            )
        return self.session(session_id)

    def session(self, session_id: int) -> SessionInfo:
        row = self._db.execute(
            "SELECT s.session_id, name, started_at, last_active_at, starting_balances, leverage,"
            " (SELECT COUNT(*) FROM fills f WHERE f.session_id = s.session_id)"
            " FROM sessions s WHERE s.session_id = ?",
            (session_id,),
        ).fetchone()
        if row is None:
            raise SessionNotFound(f"no practice session {session_id} in {self.path}")
        return _session_info(row)

    def list_sessions(self) -> list[SessionInfo]:
        rows = self._db.execute(
            "SELECT s.session_id, name, started_at, last_active_at, starting_balances, leverage,"
            " (SELECT COUNT(*) FROM fills f WHERE f.session_id = s.session_id)"
            " FROM sessions s ORDER BY s.session_id"
        ).fetchall()
        return [_session_info(row) for row in rows]

    def latest_session_id(self) -> int | None:
        row = self._db.execute(
            "SELECT session_id FROM sessions ORDER BY last_active_at DESC, session_id DESC LIMIT 1"
        ).fetchone()
        return None if row is None else int(row[0])

    def load_state(self, session_id: int) -> SessionState:
        info = self.session(session_id)
        seqs = self._db.execute(
            "SELECT order_seq, fill_seq FROM sessions WHERE session_id = ?", (session_id,)
        ).fetchone()
        cash = {
            cur: Decimal(amount)
            for cur, amount in self._db.execute(
                "SELECT currency, amount FROM balances WHERE session_id = ?", (session_id,)
            )
        }
        positions = [
            StoredPosition(symbol, Decimal(size), Decimal(cost), Decimal(realised))
            for symbol, size, cost, realised in self._db.execute(
                "SELECT symbol, size, cost, realised_pnl FROM positions WHERE session_id = ?"
                " ORDER BY symbol",
                (session_id,),
            )
        ]
        open_orders = [
            StoredOrder(
                order=Order.model_validate_json(body),
                lock_currency=lock_currency,
                lock_amount=_dec(lock_amount),
                queue_ahead=_dec(ahead),
                queue_at_placement=_dec(at_placement),
                filled_notional=Decimal(notional),
            )
            for body, lock_currency, lock_amount, ahead, at_placement, notional in self._db.execute(
                "SELECT body, lock_currency, lock_amount, queue_ahead, queue_at_placement,"
                " filled_notional"
                " FROM orders WHERE session_id = ? AND status IN ('open', 'partially_filled')"
                " ORDER BY rowid",
                (session_id,),
            )
        ]
        return SessionState(info, cash, positions, open_orders, int(seqs[0]), int(seqs[1]))

    # ----- the one write path -----------------------------------------------------------------

    def commit(
        self,
        session_id: int,
        *,
        at: datetime,
        orders: Sequence[StoredOrder],
        fills: Sequence[tuple[PaperFill, FillContext]],
        cash: Mapping[str, Decimal],
        positions: Sequence[StoredPosition],
        order_seq: int,
        fill_seq: int,
    ) -> None:
        """Write one engine step atomically: its orders, fills, and the balances they left."""
        with self._transaction() as db:
            db.executemany(
                "INSERT INTO orders (session_id, order_id, symbol, status, body, lock_currency,"
                " lock_amount, queue_ahead, queue_at_placement, filled_notional)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (session_id, order_id) DO UPDATE SET status = excluded.status,"
                " body = excluded.body, lock_currency = excluded.lock_currency,"
                " lock_amount = excluded.lock_amount, queue_ahead = excluded.queue_ahead,"
                " queue_at_placement = excluded.queue_at_placement,"
                " filled_notional = excluded.filled_notional",
                [
                    (
                        session_id,
                        stored.order.order_id,
                        stored.order.symbol,
                        stored.order.status.value,
                        stored.order.model_dump_json(),
                        stored.lock_currency,
                        _text(stored.lock_amount),
                        _text(stored.queue_ahead),
                        _text(stored.queue_at_placement),
                        str(stored.filled_notional),
                    )
                    for stored in orders
                ],
            )
            db.executemany(
                "INSERT INTO fills (session_id, fill_id, seq, order_id, symbol, market_type, base,"
                " quote, side, price, size, fee, realised_pnl, closed_size, timestamp, body)"
                " VALUES (?, ?, (SELECT fill_seq FROM sessions WHERE session_id = ?) + ?,"
                " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        session_id,
                        paper.fill.fill_id,
                        session_id,
                        index,
                        paper.fill.order_id,
                        paper.fill.symbol,
                        context.market_type,
                        context.base,
                        context.quote,
                        paper.fill.side.value,
                        str(paper.fill.price),
                        str(paper.fill.size),
                        str(paper.fill.fee),
                        str(paper.explanation.realised_pnl),
                        str(paper.explanation.closed_size),
                        paper.fill.timestamp.isoformat(),
                        paper.model_dump_json(),
                    )
                    for index, (paper, context) in enumerate(fills, start=1)
                ],
            )
            db.executemany(
                "INSERT INTO balances (session_id, currency, amount) VALUES (?, ?, ?)"
                " ON CONFLICT (session_id, currency) DO UPDATE SET amount = excluded.amount",
                [(session_id, cur, str(amount)) for cur, amount in cash.items()],
            )
            db.executemany(
                "INSERT INTO positions (session_id, symbol, size, cost, realised_pnl)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (session_id, symbol) DO UPDATE SET"
                " size = excluded.size, cost = excluded.cost,"
                " realised_pnl = excluded.realised_pnl",
                [
                    (session_id, p.symbol, str(p.size), str(p.cost), str(p.realised_pnl))
                    for p in positions
                ],
            )
            db.execute(
                "UPDATE sessions SET last_active_at = ?, order_seq = ?, fill_seq = ?"
                " WHERE session_id = ?",
                (at.isoformat(), order_seq, fill_seq, session_id),
            )

    # ----- reading back -----------------------------------------------------------------------

    def fills(self, session_id: int) -> list[PaperFill]:
        self.session(session_id)
        return [
            PaperFill.model_validate_json(body)
            for (body,) in self._db.execute(
                "SELECT body FROM fills WHERE session_id = ? ORDER BY seq", (session_id,)
            )
        ]

    def explanation(self, session_id: int, fill_id: str) -> FillExplanation | None:
        row = self._db.execute(
            "SELECT body FROM fills WHERE session_id = ? AND fill_id = ?", (session_id, fill_id)
        ).fetchone()
        return None if row is None else PaperFill.model_validate_json(row[0]).explanation

    def orders(self, session_id: int) -> list[Order]:
        self.session(session_id)
        return [
            Order.model_validate_json(body)
            for (body,) in self._db.execute(
                "SELECT body FROM orders WHERE session_id = ? ORDER BY rowid", (session_id,)
            )
        ]

    def order(self, session_id: int, order_id: str) -> Order | None:
        row = self._db.execute(
            "SELECT body FROM orders WHERE session_id = ? AND order_id = ?", (session_id, order_id)
        ).fetchone()
        return None if row is None else Order.model_validate_json(row[0])

    def cash(self, session_id: int) -> dict[str, Decimal]:
        return self.load_state(session_id).cash

    def verify(self, session_id: int) -> None:
        """Replay the session's fills from its starting balances and compare with what is stored.

        Raises:
            LedgerInconsistent: naming the first currency, order or position that disagrees.
        """
        info = self.session(session_id)
        cash: dict[str, Decimal] = dict(info.starting_balances)
        filled: dict[str, Decimal] = {}
        contracts: dict[str, Decimal] = {}
        rows = self._db.execute(
            "SELECT order_id, symbol, market_type, base, quote, side, price, size, fee,"
            " realised_pnl FROM fills WHERE session_id = ? ORDER BY seq",
            (session_id,),
        ).fetchall()
        for order_id, symbol, market_type, base, quote, side, price, size, fee, realised in rows:
            size_d = Decimal(size)
            sign = Decimal(1) if side == "buy" else Decimal(-1)
            filled[order_id] = filled.get(order_id, Decimal(0)) + size_d
            if market_type == "linear":
                cash[quote] = cash.get(quote, Decimal(0)) + Decimal(realised) - Decimal(fee)
                contracts[symbol] = contracts.get(symbol, Decimal(0)) + sign * size_d
            else:
                cash[base] = cash.get(base, Decimal(0)) + sign * size_d
                cash[quote] = (
                    cash.get(quote, Decimal(0)) - sign * Decimal(price) * size_d - Decimal(fee)
                )
        stored = self.load_state(session_id)
        for currency in set(cash) | set(stored.cash):
            expected = cash.get(currency, Decimal(0))
            actual = stored.cash.get(currency, Decimal(0))
            if expected != actual:
                raise LedgerInconsistent(
                    f"session {session_id}: {currency} balance is {actual} but its fills give "
                    f"{expected}"
                )
        for order in self.orders(session_id):
            total = filled.pop(order.order_id, Decimal(0))
            if order.filled != total or order.filled > order.quantity:
                raise LedgerInconsistent(
                    f"session {session_id}: order {order.order_id} says filled {order.filled} of "
                    f"{order.quantity} but its fills add up to {total}"
                )
        if filled:
            raise LedgerInconsistent(
                f"session {session_id}: fills for unknown orders {sorted(filled)}"
            )
        positions = {p.symbol: p.size for p in stored.positions}
        for symbol, size in contracts.items():
            if positions.get(symbol, Decimal(0)) != size:
                raise LedgerInconsistent(
                    f"session {session_id}: position {symbol} is {positions.get(symbol)} but its "
                    f"fills give {size}"
                )


def _session_info(row: tuple[object, ...]) -> SessionInfo:
    session_id, name, started, last, balances, leverage, fill_count = row
    return SessionInfo(
        session_id=int(str(session_id)),
        name=str(name),
        started_at=str(started),
        last_active_at=str(last),
        starting_balances={cur: Decimal(v) for cur, v in json.loads(str(balances)).items()},
        leverage=Decimal(str(leverage)),
        fill_count=int(str(fill_count)),
    )


def default_ledger_path(data_dir: Path) -> Path:
    return data_dir / LEDGER_FILE


__all__ = [
    "LEDGER_FILE",
    "FillContext",
    "Ledger",
    "SessionState",
    "StoredOrder",
    "StoredPosition",
    "default_ledger_path",
]
