"""The order journal (real SQLite files), the not-found rule, start-up reconciliation and the
journaled venue, on an injected clock against an in-memory exchange double."""

from __future__ import annotations

import random
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest

from console.domain import (
    Balance,
    ManualClock,
    Order,
    OrderRequest,
    OrderStatus,
    OrderType,
    Side,
)
from console.exchange.errors import (
    DuplicateClientOrderId,
    ExchangeUnavailable,
    InsufficientFunds,
    InvalidOrder,
    RequestTimedOut,
)
from console.exchange.journal import (
    SCHEMA_VERSION,
    DuplicateIntent,
    JournalIncompatible,
    JournalState,
    OrderJournal,
)
from console.exchange.order_ids import ClientOrderIds
from console.exchange.reconcile import NotFoundPolicy, OrderReconciler, StillUnknown
from console.exchange.safe_orders import JournaledTradingVenue, OrderEntryBlocked, OrderNotPlaced

VENUE = "sim"


class Exchange:
    """An in-memory venue: orders by client id, scripted failures for the next creates."""

    def __init__(self) -> None:
        self.orders: dict[str, Order] = {}
        self.creates_sent = 0
        self.script: list[str] = []
        """Next create outcomes: "ok", "drop" (executes, no answer), "reset" (no answer,
        not executed), "reject", "duplicate"."""
        self.visible_after_lookups = 0
        """Lookups that miss an existing order first (the venue's index lags)."""
        self.lookups = 0
        self.lookup_failures = 0

    def _place(self, request: OrderRequest) -> Order:
        assert request.client_order_id is not None
        order = Order(
            order_id=f"o{len(self.orders) + 1}",
            client_order_id=request.client_order_id,
            symbol=request.symbol,
            side=request.side,
            type=request.type,
            status=OrderStatus.OPEN,
            quantity=request.quantity,
            price=request.price,
        )
        self.orders[request.client_order_id] = order
        return order

    async def create_order(self, request: OrderRequest) -> Order:
        self.creates_sent += 1
        outcome = self.script.pop(0) if self.script else "ok"
        if outcome == "drop":
            self._place(request)
            raise ExchangeUnavailable("The exchange cannot be reached (network error)")
        if outcome == "reset":
            raise RequestTimedOut("No answer from the exchange in time")
        if outcome == "reject":
            raise InsufficientFunds("Insufficient funds")
        if outcome == "duplicate":
            raise DuplicateClientOrderId("duplicate", code=110072)
        return self._place(request)

    async def find_by_client_id(self, client_order_id: str, symbol: str) -> Order | None:
        self.lookups += 1
        if self.lookup_failures:
            self.lookup_failures -= 1
            raise ExchangeUnavailable("down")
        if self.lookups <= self.visible_after_lookups:
            return None
        return self.orders.get(client_order_id)

    async def fetch_open_orders(self, symbol: str | None = None) -> list[Order]:
        return [o for o in self.orders.values() if o.status.is_open or o.status.value == "pending"]

    async def cancel_order(self, order_id: str, symbol: str) -> Order:
        for key, order in self.orders.items():
            if order.order_id == order_id:
                self.orders[key] = order.model_copy(update={"status": OrderStatus.CANCELED})
                return self.orders[key]
        raise AssertionError("unknown order")

    async def fetch_order(self, order_id: str, symbol: str) -> Order:
        return next(o for o in self.orders.values() if o.order_id == order_id)

    async def fetch_balance(self) -> list[Balance]:
        return []


class Rig:
    def __init__(self, tmp_path: Path) -> None:
        self.clock = ManualClock()
        self.sleeps: list[float] = []
        self.exchange = Exchange()
        self.ids = ClientOrderIds(rng=random.Random(3))
        self.journal = OrderJournal.in_data_dir(tmp_path, clock=self.clock)
        self.reconciler = OrderReconciler(
            self.journal,
            self.exchange,
            self.exchange,
            VENUE,
            ids=self.ids,
            clock=self.clock,
            sleep=self.sleep,
        )
        self.venue = JournaledTradingVenue(
            self.exchange, self.journal, self.reconciler, ids=self.ids
        )

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.clock.advance(seconds)


@pytest.fixture
def rig(tmp_path: Path) -> Rig:
    return Rig(tmp_path)


def limit_buy(client_order_id: str | None = None) -> OrderRequest:
    return OrderRequest(
        symbol="BTC/USDT:USDT",
        side=Side.BUY,
        type=OrderType.LIMIT,
        quantity=Decimal("0.01"),
        price=Decimal("30000"),
        client_order_id=client_order_id,
    )


def test_the_journal_is_a_durable_wal_sqlite_file(rig: Rig) -> None:
    entry = rig.journal.record_intent(limit_buy("bc-1"), VENUE)
    assert entry.state is JournalState.INTENT
    assert entry.price == Decimal("30000")
    with sqlite3.connect(rig.journal.path) as other:
        assert other.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert other.execute("SELECT state FROM orders").fetchall() == [("intent",)]
    with pytest.raises(DuplicateIntent):
        rig.journal.record_intent(limit_buy("bc-1"), VENUE)
    with pytest.raises(ValueError, match="client order id"):
        rig.journal.record_intent(limit_buy(), VENUE)
    with pytest.raises(KeyError):
        rig.journal.mark_unknown("nope", "x")
    rig.journal.close()
    reopened = OrderJournal(rig.journal.path, clock=rig.clock)
    restored = reopened.get("bc-1")
    assert restored is not None
    assert restored.request() == limit_buy("bc-1")


def test_a_journal_stamps_its_schema_and_adopts_one_written_before_stamps(
    tmp_path: Path,
) -> None:
    path = tmp_path / "journal.sqlite"
    OrderJournal(path).close()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        db.execute("PRAGMA user_version=0")  # as the first release wrote it: same tables
    journal = OrderJournal(path)
    journal.record_intent(limit_buy("bc-9"), VENUE)
    journal.close()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_a_journal_of_another_schema_is_refused_and_left_untouched(tmp_path: Path) -> None:
    """A journal from a newer console may hold orders this one cannot read: live trading
    must not start on it, and nothing in it may change."""
    path = tmp_path / "journal.sqlite"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE orders (client_order_id TEXT PRIMARY KEY, venue_v2 TEXT)")
        db.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    before = path.read_bytes()
    with pytest.raises(JournalIncompatible) as caught:
        OrderJournal(path)
    assert str(path) in str(caught.value)
    assert f"schema {SCHEMA_VERSION + 1}" in str(caught.value)
    assert "Live trading stays off" in str(caught.value)
    assert path.read_bytes() == before


async def test_start_up_gates_order_entry(rig: Rig) -> None:
    with pytest.raises(OrderEntryBlocked):
        await rig.venue.create_order(limit_buy())
    assert rig.exchange.creates_sent == 0
    report = await rig.venue.start()
    assert report.clean
    assert rig.venue.entry_enabled


async def test_a_clean_create_is_journaled_before_it_is_sent(rig: Rig) -> None:
    await rig.venue.start()
    seen_before_send: list[JournalState] = []
    original = rig.exchange.create_order

    async def spy(request: OrderRequest) -> Order:
        assert request.client_order_id is not None
        entry = rig.journal.get(request.client_order_id)
        assert entry is not None
        seen_before_send.append(entry.state)
        return await original(request)

    rig.exchange.create_order = spy  # type: ignore[method-assign]
    order = await rig.venue.create_order(limit_buy())
    assert seen_before_send == [JournalState.INTENT]
    assert order.client_order_id is not None
    assert rig.ids.is_ours(order.client_order_id)
    entry = rig.journal.get(order.client_order_id)
    assert entry is not None
    assert (entry.state, entry.order_id, entry.status) == (
        JournalState.CONFIRMED,
        order.order_id,
        OrderStatus.OPEN,
    )


async def test_a_lost_answer_is_found_by_client_id_and_never_resent(rig: Rig) -> None:
    await rig.venue.start()
    rig.exchange.script = ["drop"]
    rig.exchange.visible_after_lookups = 2  # the venue's index lags twice
    order = await rig.venue.create_order(limit_buy())
    assert rig.exchange.creates_sent == 1
    assert len(rig.exchange.orders) == 1
    assert order.client_order_id is not None
    entry = rig.journal.get(order.client_order_id)
    assert entry is not None
    assert entry.state is JournalState.CONFIRMED
    assert entry.misses == 2


async def test_not_found_is_final_only_after_three_misses_over_five_seconds(rig: Rig) -> None:
    await rig.venue.start()
    rig.exchange.script = ["reset"]
    started = rig.clock.now()
    with pytest.raises(OrderNotPlaced, match="nothing was placed"):
        await rig.venue.create_order(limit_buy("bc-lost"))
    assert rig.exchange.creates_sent == 1
    assert rig.exchange.lookups == 3
    assert (rig.clock.now() - started).total_seconds() >= 5.0
    entry = rig.journal.get("bc-lost")
    assert entry is not None
    assert (entry.state, entry.misses) == (JournalState.NOT_FOUND, 3)


async def test_many_quick_misses_are_not_enough(rig: Rig) -> None:
    rig.reconciler.policy = NotFoundPolicy(min_misses=3, min_span=5.0, interval=0.5)
    rig.journal.record_intent(limit_buy("bc-x"), VENUE)
    rig.journal.mark_unknown("bc-x", "timeout")
    assert await rig.reconciler.resolve("bc-x") is None
    assert rig.exchange.lookups == 11  # 3 misses in 1 s are not enough; 5 s are needed
    assert rig.sleeps == [0.5] * 10


async def test_a_duplicate_id_reject_fetches_the_first_order(rig: Rig) -> None:
    await rig.venue.start()
    request = limit_buy("bc-dup")
    first = rig.exchange._place(request)
    rig.exchange.script = ["duplicate"]
    order = await rig.venue.create_order(request)
    assert order == first
    assert rig.exchange.creates_sent == 1


async def test_a_refusal_is_journaled_as_rejected(rig: Rig) -> None:
    await rig.venue.start()
    rig.exchange.script = ["reject"]
    with pytest.raises(InsufficientFunds):
        await rig.venue.create_order(limit_buy("bc-poor"))
    entry = rig.journal.get("bc-poor")
    assert entry is not None
    assert entry.state is JournalState.REJECTED
    assert rig.exchange.lookups == 0


async def test_a_reused_client_order_id_is_refused_before_sending(rig: Rig) -> None:
    await rig.venue.start()
    await rig.venue.create_order(limit_buy("bc-once"))
    with pytest.raises(InvalidOrder, match="never reused"):
        await rig.venue.create_order(limit_buy("bc-once"))
    assert rig.exchange.creates_sent == 1


async def test_lookups_that_fail_in_transport_do_not_count_as_misses(rig: Rig) -> None:
    rig.journal.record_intent(limit_buy("bc-t"), VENUE)
    rig.exchange._place(limit_buy("bc-t"))
    rig.exchange.lookup_failures = 2
    found = await rig.reconciler.resolve("bc-t")
    assert found is not None
    entry = rig.journal.get("bc-t")
    assert entry is not None
    assert entry.misses == 0

    rig.journal.record_intent(limit_buy("bc-u"), VENUE)
    rig.exchange.lookup_failures = 100
    with pytest.raises(StillUnknown):
        await rig.reconciler.resolve("bc-u")
    entry = rig.journal.get("bc-u")
    assert entry is not None
    assert entry.state is JournalState.INTENT


async def test_start_up_reconciliation_reports_every_kind_of_difference(rig: Rig) -> None:
    # 1. an intent that reached the venue (crash after send)
    rig.journal.record_intent(limit_buy("bc-arrived"), VENUE)
    rig.exchange._place(limit_buy("bc-arrived"))
    # 2. an intent that never left (crash before send)
    rig.journal.record_intent(limit_buy("bc-never"), VENUE)
    # 3. believed open, filled while away
    rig.journal.record_intent(limit_buy("bc-filled"), VENUE)
    filled = rig.exchange._place(limit_buy("bc-filled"))
    rig.journal.mark_confirmed("bc-filled", filled)
    rig.exchange.orders["bc-filled"] = filled.model_copy(
        update={"status": OrderStatus.FILLED, "filled": filled.quantity}
    )
    # 4. believed open, unknown to the venue: phantom
    rig.journal.record_intent(limit_buy("bc-phantom"), VENUE)
    rig.journal.mark_confirmed("bc-phantom", filled.model_copy(update={"order_id": "gone"}))
    # 5. ours on the venue, not in the journal: orphan; 6. someone else's: foreign
    orphan_id = rig.ids()
    rig.exchange._place(limit_buy(orphan_id))
    rig.exchange._place(limit_buy("manual-1"))

    report = await rig.venue.start()
    assert report.confirmed == ("bc-arrived",)
    assert report.never_placed == ("bc-never",)
    assert report.closed_since == ("bc-filled",)
    assert report.phantom == ("bc-phantom",)
    assert [o.client_order_id for o in report.orphaned] == [orphan_id]
    assert [o.client_order_id for o in report.foreign] == ["manual-1"]
    assert not report.clean
    assert not rig.venue.entry_enabled
    text = "\n".join(report.lines())
    assert "DIFFERENCES FOUND" in text
    assert "phantom" in text
    assert orphan_id in text
    with pytest.raises(OrderEntryBlocked):
        await rig.venue.create_order(limit_buy())
    rig.venue.acknowledge()
    assert rig.venue.entry_enabled
    journaled = rig.journal.get("bc-filled")
    assert journaled is not None
    assert journaled.status is OrderStatus.FILLED


async def test_cancel_and_fetch_keep_the_journal_current(rig: Rig) -> None:
    await rig.venue.start()
    order = await rig.venue.create_order(limit_buy("bc-c"))
    canceled = await rig.venue.cancel_order(order.order_id, order.symbol)
    assert canceled.status is OrderStatus.CANCELED
    entry = rig.journal.get("bc-c")
    assert entry is not None
    assert entry.status is OrderStatus.CANCELED
    assert not entry.believed_open
    assert await rig.venue.fetch_open_orders() == []
    assert await rig.venue.fetch_balance() == []
