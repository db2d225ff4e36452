"""``breakout-console record`` and ``replay --serve`` as a user runs them, and their refusals."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from console.replay.recording import RecordKind, read_header, read_records


def console(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "console", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def test_record_a_simulator_then_serve_the_recording(tmp_path: Path) -> None:
    path = tmp_path / "btc.rec"
    made = console("record", "--venue", "sim", "--symbols", "BTC/USDT:USDT", "--out", str(path),
                   "--seconds", "2")  # fmt: skip
    assert made.returncode == 0, made.stderr
    assert "frames" in made.stdout
    assert read_header(path)["symbols"] == ["BTC/USDT:USDT"]
    assert any(r.kind is RecordKind.FRAME for r in read_records(path))
    process = subprocess.Popen(
        [sys.executable, "-m", "console", "replay", str(path), "--serve", "--speed", "10"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline() for _ in range(4)]
        rest_url = next(line.split()[1] for line in lines if line.startswith("REST"))
        url = f"{rest_url}/v5/market/instruments-info?category=linear"
        with urllib.request.urlopen(url, timeout=5) as response:
            listed = json.loads(response.read())["result"]["list"]
        assert [row["symbol"] for row in listed] == ["BTCUSDT"]
        with urllib.request.urlopen(f"{rest_url}/sim/admin/replay", timeout=5) as response:
            assert json.loads(response.read())["speed"] == 10.0
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=10) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (
            ("record", "--venue", "okx", "--out", "x.rec", "--seconds", "1"),
            1,
            "cannot record venue",
        ),
        (("record", "--out", "kept.rec", "--seconds", "1"), 2, "not overwriting"),
        (("record", "--out", "y.rec", "--seconds", "0"), 2, "--seconds"),
        (("record", "--symbols", "DOGE/USDT:USDT", "--out", "z.rec"), 1, "does not list"),
        (("replay", "kept.rec", "--serve"), 1, "kept.rec"),
        (("replay", "missing.rec", "--serve"), 1, "missing.rec"),
        (("replay", "kept.rec", "--speed", "0"), 2, "--speed"),
        (("replay", "kept.rec", "--speed", "fast"), 2, "not a speed"),
    ],
)
def test_bad_requests_are_refused_with_one_clear_line(
    tmp_path: Path, args: tuple[str, ...], code: int, message: str
) -> None:
    (tmp_path / "kept.rec").write_text("not a recording")
    result = console(*args)
    assert result.returncode == code, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert (tmp_path / "kept.rec").read_text() == "not a recording"
    assert sorted(p.name for p in tmp_path.glob("*.rec")) == ["kept.rec"], "no empty recording"
