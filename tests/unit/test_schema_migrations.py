"""Schema upgrades of the paper ledger and the order journal, on files every release wrote.

The fixtures in ``tests/fixtures/schemas/`` were written by the code of the commit that
introduced each schema (``build_fixtures.py`` rebuilds them). Each test works on a copy.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from console.domain import OrderStatus
from console.exchange.journal import SCHEMA_VERSION as JOURNAL_VERSION
from console.exchange.journal import JournalIncompatible, JournalState, OrderJournal
from console.exchange.journal_migrations import JOURNAL_HISTORY
from console.paper import LedgerIncompatible
from console.paper.ledger import SCHEMA_VERSION as LEDGER_VERSION
from console.paper.ledger import Ledger, StoredPosition
from console.paper.ledger_migrations import LEDGER_HISTORY
from console.storage_migrations import (
    BackupFailed,
    Migration,
    MigrationFailed,
    SchemaHistory,
    SchemaTooNew,
    upgrade_schema,
)

FIXTURES = Path(__file__).parents[1] / "fixtures" / "schemas"
LEDGERS = sorted(FIXTURES.glob("ledger-*.sqlite3"))
JOURNALS = sorted(FIXTURES.glob("journal-*.sqlite"))
D = Decimal


def copy_of(fixture: Path, tmp_path: Path) -> Path:
    target = tmp_path / "data" / fixture.name
    target.parent.mkdir()
    shutil.copyfile(fixture, target)
    return target


def version_of(path: Path) -> int:
    db = sqlite3.connect(path)
    try:
        return int(db.execute("PRAGMA user_version").fetchone()[0])
    finally:
        db.close()


def dump(path: Path) -> list[str]:
    db = sqlite3.connect(path)
    try:
        return list(db.iterdump())
    finally:
        db.close()


def fixture_version(fixture: Path) -> int:
    return int(fixture.name.split("-")[1].split(".")[0])


def backups_in(directory: Path) -> list[Path]:
    return sorted(directory.glob("*backup*"))


def test_there_is_a_fixture_of_every_released_schema() -> None:
    assert {fixture_version(f) for f in LEDGERS} == set(range(LEDGER_VERSION + 1))
    assert {fixture_version(f) for f in JOURNALS} == set(range(JOURNAL_VERSION + 1))
    assert len(LEDGERS) == 3, "ledger 0 came in two layouts (entry price, then cost)"
    for fixture in (*LEDGERS, *JOURNALS):
        assert version_of(fixture) == fixture_version(fixture), fixture.name


@pytest.mark.parametrize("fixture", LEDGERS, ids=lambda p: p.name)
def test_every_released_ledger_opens_upgraded_with_its_record_intact(
    fixture: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = copy_of(fixture, tmp_path)
    before = dump(path)
    old = fixture_version(fixture)

    ledger = Ledger(path)
    try:
        sessions = ledger.list_sessions()
        assert [(s.name, s.fill_count) for s in sessions] == [("fixture", 6), ("empty", 0)]
        state = ledger.load_state(sessions[0].session_id)
        assert state.positions == [
            StoredPosition("BTC/USDT", D("0.001"), D("50"), D("0")),
            StoredPosition("BTC/USDT:USDT", D("0.01"), D("500"), D("10")),
            StoredPosition("ETH/USDT:USDT", D("-0.5"), D("-1500"), D("0")),
            StoredPosition("SOL/USDT:USDT", D("0"), D("0"), D("20")),
        ]
        assert state.cash == {"USDT": D("9978.5885"), "BTC": D("0.501")}
        assert [o.order.order_id for o in state.open_orders] == ["P-7"]
        assert state.open_orders[0].lock_amount == D("49")
        assert state.open_orders[0].queue_at_placement == D("2.25")
        assert (state.order_seq, state.fill_seq) == (8, 6)
        assert [f.fill.fill_id for f in ledger.fills(sessions[0].session_id)] == [
            f"F-{n}" for n in range(1, 7)
        ]
        assert ledger.order(sessions[0].session_id, "P-8") is not None
        ledger.verify(sessions[0].session_id)
    finally:
        ledger.close()

    assert version_of(path) == LEDGER_VERSION
    if old == LEDGER_VERSION:
        assert ledger.upgrade.upgraded_from is None
        assert backups_in(path.parent) == []
        return
    assert ledger.upgrade.upgraded_from == old
    assert ledger.upgrade.backup == path.parent / f"{fixture.stem}.schema-{old}-backup.sqlite3"
    assert backups_in(path.parent) == [ledger.upgrade.backup]
    assert dump(ledger.upgrade.backup) == before, "the backup holds the file as it was"
    assert version_of(ledger.upgrade.backup) == old
    assert ledger.upgrade.backup.stat().st_mode & 0o777 == 0o600
    assert f"upgraded from schema {old} to {LEDGER_VERSION}" in caplog.text
    assert ledger.upgrade.backup.name in caplog.text

    Ledger(path).close()
    assert backups_in(path.parent) == [ledger.upgrade.backup], "upgraded once, backed up once"


@pytest.mark.parametrize("fixture", JOURNALS, ids=lambda p: p.name)
def test_every_released_journal_opens_upgraded_with_its_orders_intact(
    fixture: Path, tmp_path: Path
) -> None:
    path = copy_of(fixture, tmp_path)
    before = dump(path)
    old = fixture_version(fixture)

    journal = OrderJournal(path)
    try:
        entries = {e.client_order_id: e for e in journal.entries()}
        assert {cid: e.state for cid, e in entries.items()} == {
            "bc-1": JournalState.INTENT,
            "bc-2": JournalState.UNKNOWN,
            "bc-3": JournalState.CONFIRMED,
            "bc-4": JournalState.CONFIRMED,
            "bc-5": JournalState.REJECTED,
            "bc-6": JournalState.NOT_FOUND,
        }
        assert [e.client_order_id for e in journal.unresolved("bybit")] == ["bc-1", "bc-2"]
        assert entries["bc-3"].believed_open
        assert entries["bc-4"].status is OrderStatus.FILLED
        assert entries["bc-4"].filled == D("0.01")
        assert entries["bc-2"].reduce_only
        assert entries["bc-6"].misses == 3
        assert entries["bc-5"].venue == "sim"
    finally:
        journal.close()

    assert version_of(path) == JOURNAL_VERSION
    if old == JOURNAL_VERSION:
        assert backups_in(path.parent) == []
        return
    assert journal.upgrade.upgraded_from == old
    assert journal.upgrade.backup == path.parent / f"{fixture.stem}.schema-{old}-backup.sqlite"
    assert dump(journal.upgrade.backup) == before
    assert version_of(journal.upgrade.backup) == old


@pytest.mark.parametrize(
    ("fixture", "opener", "refusal"),
    [
        (LEDGERS[-1], Ledger, LedgerIncompatible),
        (JOURNALS[-1], OrderJournal, JournalIncompatible),
    ],
    ids=["ledger", "journal"],
)
def test_a_file_from_a_newer_console_is_refused_untouched(
    fixture: Path,
    opener: Callable[[Path], object],
    refusal: type[Exception],
    tmp_path: Path,
) -> None:
    path = copy_of(fixture, tmp_path)
    newer = version_of(path) + 1
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version={newer}")
    db.close()
    before = path.read_bytes()

    with pytest.raises(refusal) as caught:
        opener(path)

    message = str(caught.value)
    assert str(path) in message
    assert f"schema {newer}, written by a newer version of the console" in message
    assert "nothing in it was changed" in message
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]


def test_a_second_backup_of_the_same_schema_never_overwrites_the_first(tmp_path: Path) -> None:
    path = copy_of(JOURNALS[0], tmp_path)
    first = path.parent / "journal-0.schema-0-backup.sqlite"
    first.write_bytes(b"an earlier backup the trader kept")

    OrderJournal(path).close()

    assert first.read_bytes() == b"an earlier backup the trader kept"
    second = path.parent / "journal-0.schema-0-backup-2.sqlite"
    assert version_of(second) == 0


def test_an_unstamped_file_with_foreign_tables_is_not_adopted(tmp_path: Path) -> None:
    """Right name, no stamp, other tables: not a ledger of ours, so no backup and no stamp."""
    path = tmp_path / "paper-ledger.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE positions (session_id INTEGER, entry_price TEXT)")
    db.close()
    before = path.read_bytes()

    with pytest.raises(LedgerIncompatible, match="schema 0 expected, but it has no table"):
        Ledger(path)

    assert path.read_bytes() == before
    assert backups_in(tmp_path) == []


def test_steps_run_in_order_in_one_transaction_and_a_failure_rolls_all_back(
    tmp_path: Path,
) -> None:
    """The mechanism on its own, with a three-step history over a real file."""
    path = tmp_path / "thing.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE steps (version INTEGER)")
        db.execute("PRAGMA user_version=1")
    db.close()

    def step(version: int, *, fails: bool = False) -> Migration:
        def apply(db: sqlite3.Connection) -> None:
            db.execute("INSERT INTO steps VALUES (?)", (version,))
            if fails:
                raise RuntimeError(f"step {version} broke")

        def check(db: sqlite3.Connection) -> None:
            db.execute("SELECT version FROM steps").fetchall()

        return Migration(version, f"step {version}", check, apply)

    failing = SchemaHistory(current=3, migrations={1: step(1), 2: step(2), 3: step(3, fails=True)})
    db = sqlite3.connect(path, isolation_level=None)
    with pytest.raises(MigrationFailed, match="step 3 broke") as caught:
        upgrade_schema(db, path, failing)
    assert db.execute("SELECT version FROM steps").fetchall() == []
    assert db.execute("PRAGMA user_version").fetchone()[0] == 1
    assert caught.value.backup.exists()

    working = SchemaHistory(current=3, migrations={1: step(1), 2: step(2), 3: step(3)})
    upgrade = upgrade_schema(db, path, working)
    assert db.execute("SELECT version FROM steps ORDER BY rowid").fetchall() == [(2,), (3,)]
    assert db.execute("PRAGMA user_version").fetchone()[0] == 3
    assert upgrade.upgraded_from == 1
    assert upgrade.backup is not None
    assert upgrade.backup.name == "thing.schema-1-backup-2.sqlite3"
    with pytest.raises(SchemaTooNew):
        upgrade_schema(db, path, SchemaHistory(current=2, migrations={1: step(1), 2: step(2)}))
    db.close()


def test_a_history_must_have_one_step_per_version() -> None:
    def noop(db: sqlite3.Connection) -> None:
        del db

    with pytest.raises(ValueError, match=r"versions 1\.\.2"):
        SchemaHistory(current=2, migrations={2: Migration(2, "skips 1", noop, noop)})
    assert LEDGER_HISTORY.current == LEDGER_VERSION
    assert JOURNAL_HISTORY.current == JOURNAL_VERSION


def test_no_backup_no_upgrade(tmp_path: Path) -> None:
    """Where the copy cannot be written (here: its directory is gone), the file is not
    upgraded and the refusal says why."""
    path = copy_of(JOURNALS[0], tmp_path)
    before = dump(path)
    db = sqlite3.connect(path, isolation_level=None)
    try:
        with pytest.raises(BackupFailed, match="backup copy could not be written"):
            upgrade_schema(db, tmp_path / "gone" / path.name, JOURNAL_HISTORY)
        assert db.execute("PRAGMA user_version").fetchone()[0] == 0
    finally:
        db.close()
    assert dump(path) == before
