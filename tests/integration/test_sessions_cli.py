"""``breakout-console sessions list|show|export`` against a real ledger file."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest

from console.cli import main
from console.domain import (
    DepthSnapshot,
    ManualClock,
    OrderRequest,
    OrderType,
    PriceLevel,
    Side,
    TradeStats,
)
from console.paper import LEDGER_FILE, Ledger, PaperTradingExchange

from support.builders import linear_market

D = Decimal
LINEAR = linear_market(
    "ETH", tick_size=D("0.01"), qty_step=D("0.01"), min_qty=D(0), min_notional=D(0)
)


class _OneBook:
    def __init__(self) -> None:
        self.book = self.make("2000", "2000.5")

    @staticmethod
    def make(bid: str, ask: str) -> DepthSnapshot:
        return DepthSnapshot(
            symbol=LINEAR.symbol,
            bids=(PriceLevel(D(bid), D(10)),),
            asks=(PriceLevel(D(ask), D(10)),),
            received_at=ManualClock().now(),
        )

    def get_depth_snapshot(self, symbol: str) -> DepthSnapshot | None:
        return self.book

    def get_trade_stats(self, symbol: str) -> TradeStats | None:
        return None


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A data dir with one session: buy 1 ETH at 2000.5, sell it at 2010."""
    market = _OneBook()
    engine = PaperTradingExchange(
        {LINEAR.symbol: LINEAR},
        market,
        Ledger(tmp_path / LEDGER_FILE),
        clock=ManualClock(),
        session_name="breakout drill",
    )
    for side in (Side.BUY, Side.SELL):
        engine.place(
            OrderRequest(symbol=LINEAR.symbol, side=side, type=OrderType.MARKET, quantity=D(1))
        )
        market.book = market.make("2010", "2010.5")
    engine.close()
    return tmp_path


def test_list(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--data-dir", str(data_dir), "sessions", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["ID", "NAME", "STARTED", "LAST", "ACTIVE", "FILLS"]
    assert set(lines[1]) == {"─"}
    assert lines[2].split() == [
        "1",
        "breakout",
        "drill",
        *("2026-01-02", "03:04:05", "UTC") * 2,
        "2",
    ]
    assert lines[0].index("STARTED") == lines[2].index("2026"), "columns are aligned"
    assert all(line == line.rstrip() for line in lines)


def test_times_are_shown_in_the_local_time_zone(
    data_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    try:
        assert main(["--data-dir", str(data_dir), "sessions", "list"]) == 0
        assert main(["--data-dir", str(data_dir), "sessions", "show", "1"]) == 0
    finally:
        monkeypatch.setenv("TZ", "UTC")
        time.tzset()

    out = capsys.readouterr().out
    assert "2026-01-02 12:04:05 JST" in out
    assert "03:04:05" not in out


def test_show_prints_the_summary_and_fills(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["sessions", "show", "1", "--data-dir", str(data_dir)]) == 0
    out = capsys.readouterr().out
    fees = D("2000.5") * D("0.00055") + D("2010") * D("0.00055")
    assert "Session 1: breakout drill" in out
    assert "  realised PnL 9.5\n" in out
    assert f"  fees         {fees.normalize():f}\n" in out
    assert f"  net PnL      {(D('9.5') - fees).normalize():f}\n" in out
    assert "  trades       2\n" in out
    assert "  best trade   " in out
    assert "Fills (2)" in out
    fill_rows = [line.split() for line in out.splitlines() if line.startswith("P1-F")]
    assert fill_rows[1] == [
        *("P1-F2", "2026-01-02", "03:04:05", "UTC", "ETH/USDT:USDT", "sell", "1", "2010"),
        *("taker", "1.1055", "USDT", "walk"),
    ]


def test_export_csv_to_a_file(data_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "fills.csv"
    args = ["export", "1", "--format", "csv", "--output", str(target)]
    assert main(["--data-dir", str(data_dir), "sessions", *args]) == 0
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert [(r["side"], r["price"], r["realised_pnl"]) for r in rows] == [
        ("buy", "2000.5", "0"),
        ("sell", "2010", "9.5"),
    ]


def test_export_to_stdout_in_a_real_process(data_dir: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "console", "--data-dir", str(data_dir), "sessions", "export", "1"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[1].startswith("P1-F1,P1-1,")


def test_unknown_session_and_empty_data_dir(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--data-dir", str(data_dir), "sessions", "show", "7"]) == 1
    assert "no practice session 7" in capsys.readouterr().err
    empty = tmp_path / "empty"
    assert main(["--data-dir", str(empty), "sessions", "list"]) == 0
    assert "no practice sessions yet" in capsys.readouterr().out
    assert not (empty / LEDGER_FILE).exists(), "listing never creates a ledger"
