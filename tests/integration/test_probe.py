"""``breakout-console probe`` on venue sim: the whole report, real sockets end to end."""

from __future__ import annotations

import pytest

from console.cli import main


def test_probe_on_the_simulator_passes_and_reports_every_section(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = main(["probe", "--venue", "sim", "--mode", "live", "--stream-seconds", "0.3"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "simulator started at http://127.0.0.1:" in out
    assert "latency public (markets)" in out
    assert "latency market_data (ticker): median" in out
    assert "latency trading (open orders)" in out
    assert "0 failed, 0 refused with 10006" in out
    assert "limit learned from headers: /v5/market/tickers 120/1 s" in out
    assert "stream: first BTC/USDT:USDT book after" in out
    assert "!!! KEY HAS NO IP ALLOW-LIST" in out
    assert "WITHDRAW" not in out
    assert out.rstrip().endswith("probe: PASSED")


def test_strict_makes_the_ip_warning_fail(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        ["probe", "--venue", "sim", "--mode", "live", "--stream-seconds", "0.1", "--strict"]
    )
    assert code == 1
    assert capsys.readouterr().out.rstrip().endswith("probe: FAILED")


def test_an_unknown_symbol_fails_the_probe(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["probe", "--venue", "sim", "--symbol", "NOPE/USDT"])
    out = capsys.readouterr().out
    assert code == 1
    assert "[FAIL] symbol NOPE/USDT is not traded on sim" in out


def test_paper_mode_without_keys_skips_private_checks(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["probe", "--venue", "sim", "--stream-seconds", "0.1"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "latency trading" not in out
