"""Everything the console writes is private: folders 0700, files 0600 (SQLite WAL/SHM too).

Order history, balances and DEBUG request logs must not be readable by other local users,
whatever the umask, and also when a looser version left 0755 folders and 0644 files.
Real SQLite files, a real rotating log and the real ``sessions export`` command.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import stat
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from console.cli import main
from console.config import Settings
from console.domain import OrderRequest, OrderType, Side
from console.exchange.journal import JOURNAL_FILE, OrderJournal
from console.logs import log_to_file
from console.paper import Ledger
from console.paper.ledger import LEDGER_FILE
from console.storage import connect_private
from console.tui.ui_state import STATE_FILE, UIState, load_ui_state, save_ui_state


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def loose_umask() -> Iterator[None]:
    """The common 022 umask, under which plain files come out 0644."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def write_everything(data_dir: Path, log_file: Path) -> tuple[Ledger, OrderJournal]:
    """Every kind of file the console writes, with the databases left open (WAL/SHM exist)."""
    ledger = Ledger(data_dir / LEDGER_FILE)
    ledger.start_session("practice", {"USDT": Decimal(1000)}, Decimal(10), datetime.now(UTC))
    journal = OrderJournal.in_data_dir(data_dir)
    request = OrderRequest(
        symbol="BTC/USDT:USDT",
        side=Side.BUY,
        type=OrderType.LIMIT,
        quantity=Decimal("0.01"),
        price=Decimal("30000"),
        client_order_id="bc-1",
    )
    journal.record_intent(request, "sim")
    assert save_ui_state(data_dir, UIState(theme="breakout-light")) is None
    log_to_file(Settings(data_dir=data_dir, log_file=log_file, log_level="DEBUG"))
    logging.getLogger("console.test").warning("a line")
    return ledger, journal


def assert_private(folder: Path, names: set[str]) -> None:
    assert mode(folder) == 0o700
    present = {path.name for path in folder.iterdir()}
    assert names <= present, names - present
    for path in folder.iterdir():
        assert mode(path) == 0o600, f"{path.name} is {oct(mode(path))}"


def test_a_fresh_data_dir_and_log_dir_are_private(
    tmp_path: Path, root_logger: logging.Logger
) -> None:
    data_dir, log_dir = tmp_path / "data", tmp_path / "logs"
    ledger, journal = write_everything(data_dir, log_dir / "console.log")
    try:
        assert_private(
            data_dir,
            {
                LEDGER_FILE,
                LEDGER_FILE + "-wal",
                LEDGER_FILE + "-shm",
                JOURNAL_FILE,
                JOURNAL_FILE + "-wal",
                JOURNAL_FILE + "-shm",
                STATE_FILE,
            },
        )
        assert_private(log_dir, {"console.log"})
    finally:
        ledger.close()
        journal.close()


def test_folders_and_files_left_open_by_an_older_version_are_made_private(
    tmp_path: Path, root_logger: logging.Logger
) -> None:
    data_dir, log_dir = tmp_path / "data", tmp_path / "logs"
    for folder in (data_dir, log_dir):
        folder.mkdir(mode=0o755)
        folder.chmod(0o755)
    for name in (LEDGER_FILE, JOURNAL_FILE):
        loose = sqlite3.connect(data_dir / name)
        loose.execute("PRAGMA journal_mode=WAL")
        loose.close()
    (data_dir / STATE_FILE).write_text('{"theme": "breakout-dark"}', encoding="utf-8")
    (log_dir / "console.log").write_text("old line\n", encoding="utf-8")
    for path in [*data_dir.iterdir(), *log_dir.iterdir()]:
        assert mode(path) == 0o644

    assert load_ui_state(data_dir).theme == "breakout-dark"
    ledger, journal = write_everything(data_dir, log_dir / "console.log")
    try:
        assert_private(data_dir, {LEDGER_FILE + "-wal", JOURNAL_FILE + "-shm", STATE_FILE})
        assert_private(log_dir, {"console.log"})
    finally:
        ledger.close()
        journal.close()


def test_leftover_wal_and_shm_files_are_made_private(tmp_path: Path) -> None:
    path = tmp_path / "data" / "x.sqlite3"
    path.parent.mkdir()
    for suffix in ("", "-wal", "-shm"):
        path.with_name(path.name + suffix).touch(mode=0o644)

    connect_private(path).close()

    assert {mode(p) for p in path.parent.iterdir()} <= {0o600}


def test_rotated_log_files_are_private_too(tmp_path: Path, root_logger: logging.Logger) -> None:
    log_file = tmp_path / "logs" / "console.log"
    log_to_file(Settings(log_file=log_file, log_max_bytes=10_000, log_backups=2))
    for number in range(400):
        logging.getLogger("console.test").warning("line %d of a log that rotates", number)

    files = sorted(p.name for p in log_file.parent.iterdir())
    assert files == ["console.log", "console.log.1", "console.log.2"]
    assert all(mode(log_file.parent / name) == 0o600 for name in files)
    assert all((log_file.parent / name).stat().st_size <= 10_000 for name in files)


def test_a_session_export_is_private(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    ledger = Ledger(data_dir / LEDGER_FILE)
    ledger.start_session("practice", {"USDT": Decimal(1000)}, Decimal(10), datetime.now(UTC))
    ledger.close()
    exports = tmp_path / "exports"
    exports.mkdir(mode=0o755)
    out = exports / "fills.csv"

    assert main(["--data-dir", str(data_dir), "sessions", "export", "1", "--output", str(out)]) == 0

    assert out.read_text(encoding="utf-8").startswith("fill_id,")
    assert mode(out) == 0o600
    assert mode(exports) == 0o755  # the trader's own folder is left as it was
