"""The standalone simulator: ``python -m console.sim`` and ``breakout-console sim`` serve
until interrupted, print their URLs, and refuse bad flags with one line."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import urllib.request

import pytest


def serve(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


@pytest.mark.parametrize(
    "command",
    [
        ("-m", "console.sim", "--port", "0", "--seed", "3", "--api-key", "k1"),
        ("-m", "console", "sim", "--port", "0", "--speed", "5"),
    ],
)
def test_serves_until_interrupted(command: tuple[str, ...]) -> None:
    process = serve(*command)
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline() for _ in range(4)]
        rest_url = next(line.split()[1] for line in lines if line.startswith("REST"))
        assert rest_url.startswith("http://127.0.0.1:")
        assert any(line.startswith("WS    ws://127.0.0.1:") for line in lines)
        assert all("sim-secret" not in line for line in lines)
        with urllib.request.urlopen(f"{rest_url}/v5/market/time", timeout=5) as response:
            assert json.loads(response.read())["retCode"] == 0
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=10) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_bad_flag_is_one_line_and_exit_2() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "console.sim", "--port", "70000"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.strip() == "console.sim: --port must be between 0 and 65535"
