"""The command line refuses bad settings with one line and exit code 2, never a traceback.

Each case runs ``python -m console`` as a real subprocess, as a trader would, in the
isolated temporary working directory of the autouse fixture (no ``.env`` around).
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

EXIT_BAD_SETTINGS = 2


def run_console(*argv: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "console", *argv],
        capture_output=True,
        text=True,
        timeout=60,
        env=environment,
        check=False,
    )


def assert_refused(result: subprocess.CompletedProcess[str], *words: str) -> None:
    assert result.returncode == EXIT_BAD_SETTINGS, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("breakout-console: ")
    for word in words:
        assert word in lines[0]
    assert result.stdout == ""


@pytest.mark.parametrize(
    "argv",
    [
        ("--mode", "lve"),
        ("run", "--mode", "lve"),
        ("--venue", "sim", "run", "--mode", "lve"),
    ],
    ids=["before", "after-subcommand", "mixed"],
)
def test_bad_mode_flag_is_one_line_and_exit_2(argv: tuple[str, ...]) -> None:
    result = run_console(*argv)

    assert_refused(result, "--mode", "'lve'")


def test_bad_mode_from_environment_names_the_variable() -> None:
    result = run_console(env={"BREAKOUT_MODE": "lve"})

    assert_refused(result, "BREAKOUT_MODE", "'lve'")


@pytest.mark.parametrize(
    "argv",
    [("--venue", "bybit", "--mode", "live"), ("run", "--venue", "bybit", "--mode", "live")],
    ids=["before", "after-subcommand"],
)
def test_live_without_keys_is_refused_at_start_up(argv: tuple[str, ...]) -> None:
    result = run_console(*argv)

    assert_refused(result, "EXCHANGE_API_KEY", "EXCHANGE_SECRET")


def test_flag_after_the_subcommand_wins_over_the_one_before() -> None:
    result = run_console("--mode", "paper", "run", "--mode", "lve")

    assert_refused(result, "'lve'")


def test_bad_secret_value_is_never_echoed() -> None:
    result = run_console(
        "--venue",
        "bybit",
        "--mode",
        "live",
        env={"EXCHANGE_API_KEY": "   ", "EXCHANGE_SECRET": "CANARY-SECRET-0123456789"},
    )

    assert_refused(result, "EXCHANGE_API_KEY")
    assert "CANARY" not in result.stderr
