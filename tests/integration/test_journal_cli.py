"""``breakout-console journal``: the live order journal read from the command line.

A real journal file written through :class:`OrderJournal` (one order refused by the venue,
one whose answer was lost), read back by the real command.
"""

from __future__ import annotations

import csv
import io
import stat
from decimal import Decimal as D
from pathlib import Path

import pytest

from console.cli import main
from console.domain import ManualClock, OrderRequest, OrderType, Side
from console.exchange.journal import JOURNAL_FILE, OrderJournal


def limit(side: Side, price: str, client_order_id: str) -> OrderRequest:
    return OrderRequest(
        symbol="BTC/USDT:USDT",
        side=side,
        type=OrderType.LIMIT,
        quantity=D("0.010"),
        price=D(price),
        client_order_id=client_order_id,
    )


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    journal = OrderJournal(tmp_path / JOURNAL_FILE, clock=ManualClock())
    journal.record_intent(limit(Side.BUY, "60000.5", "bc-refused"), "bybit")
    journal.mark_rejected("bc-refused", "10001 qty too small")
    journal.record_intent(limit(Side.SELL, "61000", "bc-lost"), "bybit")
    journal.mark_unknown("bc-lost", "timeout")
    journal.close()
    return tmp_path


def test_list_is_an_aligned_table_with_local_times(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--data-dir", str(data_dir), "journal", "list"]) == 0

    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:3] == ["CLIENT", "ID", "VENUE"]
    assert lines[2].split() == [
        *("bc-refused", "bybit", "BTC/USDT:USDT", "buy", "limit", "0.01", "60000.5"),
        *("rejected", "-", "0", "2026-01-02", "03:04:05", "UTC"),
    ]
    assert lines[3].split()[0] == "bc-lost"
    assert lines[0].index("UPDATED") == lines[2].index("2026-01-02")


def test_unresolved_lists_only_orders_of_unknown_fate(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["journal", "list", "--unresolved", "--data-dir", str(data_dir)]) == 0

    rows = capsys.readouterr().out.splitlines()[2:]
    assert [row.split()[0] for row in rows] == ["bc-lost"]


def test_show_and_an_unknown_id(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--data-dir", str(data_dir), "journal", "show", "bc-refused"]) == 0
    out = capsys.readouterr().out
    assert "order              buy 0.01 BTC/USDT:USDT limit\n" in out
    assert "reason             10001 qty too small\n" in out

    assert main(["--data-dir", str(data_dir), "journal", "show", "bc-nope"]) == 1
    assert "no journaled order bc-nope" in capsys.readouterr().err


def test_export_is_exact_utc_csv_readable_only_by_you(data_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "journal.csv"

    assert main(["--data-dir", str(data_dir), "journal", "export", "--output", str(target)]) == 0

    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert [(r["client_order_id"], r["state"], r["price"]) for r in rows] == [
        ("bc-refused", "rejected", "60000.5"),
        ("bc-lost", "unknown", "61000"),
    ]
    assert rows[0]["created_at"].startswith("2026-01-02T03:04:05")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_no_journal_is_said_and_not_created(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty"

    assert main(["--data-dir", str(empty), "journal", "list"]) == 0
    assert main(["--data-dir", str(empty), "journal", "show", "bc-1"]) == 1

    assert "no live orders journaled" in capsys.readouterr().out
    assert not empty.exists()
