"""The command line refuses bad settings with one line and exit code 2, never a traceback.

Each case runs ``python -m console`` as a real subprocess, as a trader would, in the
isolated temporary working directory of the autouse fixture (no ``.env`` around).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from console import __version__
from console.cli import COMMANDS, main, parse_args

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


@pytest.mark.parametrize(
    ("argv", "command", "dest", "value"),
    [
        (("--venue", "sim"), "run", "venue", "sim"),
        (("--theme", "sim"), "run", "theme", "sim"),
        (("--data-dir", "sessions"), "run", "data_dir", Path("sessions")),
        (("--data-dir=sim",), "run", "data_dir", Path("sim")),
        (("--symbols", "probe"), "run", "symbols", "probe"),
        (("--venue", "sim", "sessions", "list"), "sessions", "venue", "sim"),
        (("--data-dir", "sessions", "sessions", "list"), "sessions", "data_dir", Path("sessions")),
        (("sessions", "list", "--data-dir", "run"), "sessions", "data_dir", Path("run")),
        (("probe", "--symbol", "sim"), "probe", "symbol", "sim"),
        (("run", "--theme", "probe"), "run", "theme", "probe"),
    ],
)
def test_a_flag_value_equal_to_a_command_name_is_a_value(
    argv: tuple[str, ...], command: str, dest: str, value: object
) -> None:
    chosen, args = parse_args(argv)

    assert chosen == command
    assert getattr(args, dest) == value


def test_data_dir_named_like_a_command_lists_the_sessions_there(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--data-dir", "sessions", "sessions", "list"]) == 0

    out = capsys.readouterr().out
    assert "no practice sessions yet" in out
    assert f"no ledger at {Path('sessions') / 'paper-ledger.sqlite3'}" in out


@pytest.mark.parametrize("flag", ["--version", "-V"])
def test_version_prints_the_package_version(flag: str) -> None:
    result = run_console("--venue", "sim", flag)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"breakout-console {__version__}"


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (("--log-level", "LOUD"), ("--log-level", "'LOUD'", "DEBUG")),
        (("--mode", "lve"), ("--mode", "paper", "live")),
        (("sessions", "export", "1", "--format", "xls"), ("--format", "csv")),
        (("frobnicate",), ("frobnicate", "run", "sessions")),
    ],
)
def test_enumerated_flags_name_their_choices_in_one_line(
    argv: tuple[str, ...], words: tuple[str, ...]
) -> None:
    assert_refused(run_console(*argv), *words)


def test_lower_case_log_level_is_accepted() -> None:
    _, args = parse_args(["--log-level", "debug"])

    assert args.log_level == "DEBUG"


def test_help_names_nothing_only_the_repository_has() -> None:
    texts = [run_console("--help").stdout]
    texts += [run_console(name, "--help").stdout for name in COMMANDS]

    for text in texts:
        assert "usage: breakout-console" in text
        assert "themes/" not in text.replace("DATA_DIR/themes", "")
        assert "make " not in text
        assert "tests/" not in text


@pytest.mark.parametrize(
    "argv", [("keys",), ("--venue", "sim", "keys"), ("keys", "--theme", "keys")]
)
def test_keys_lists_every_binding_id(argv: tuple[str, ...]) -> None:
    result = run_console(*argv)

    assert result.returncode == 0, result.stderr
    for binding_id in (
        "next_symbol",
        "confirm_order.send",
        "open_orders.cancel_all",
        "kill_switch",
    ):
        assert binding_id in result.stdout


SWAPPED = '{"confirm_order.send": "n", "confirm_order.back": "y"}'


@pytest.mark.parametrize("command", [(), ("keys",)], ids=["run", "keys"])
def test_a_swapped_confirmation_keymap_is_refused_before_the_screen_opens(
    command: tuple[str, ...],
) -> None:
    result = run_console(*command, env={"BREAKOUT_UI__KEYMAP": SWAPPED})

    assert result.returncode == EXIT_BAD_SETTINGS
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2
    assert all(line.startswith("breakout-console: BREAKOUT_UI__KEYMAP: ") for line in lines)
    assert "confirm_order.send may not take 'n'" in lines[0]
    if not command:
        assert result.stdout == ""


def test_a_keymap_from_a_dotenv_file_with_a_typo_names_the_close_match(tmp_path: Path) -> None:
    (tmp_path / "keys.env").write_text('BREAKOUT_UI__KEYMAP={"nxt_symbol": "N"}\n')

    result = run_console("--env-file", str(tmp_path / "keys.env"))

    assert result.returncode == EXIT_BAD_SETTINGS
    assert "'nxt_symbol' (did you mean next_symbol" in result.stderr


@pytest.mark.parametrize(
    ("argv", "env", "words"),
    [
        (("--venue-url", "ftp://127.0.0.1:9000"), {}, ("--venue-url", "http or https")),
        (("--venue-url", "http://127.0.0.1:99999"), {}, ("--venue-url", "1 to 65535")),
        (("--venue-url", "http://:9000"), {}, ("--venue-url", "no host")),
        (("--venue-url", "http://h:9000/v5/market"), {}, ("--venue-url", "only scheme")),
        ((), {"BREAKOUT_VENUE_URL": "localhost:9000"}, ("BREAKOUT_VENUE_URL", "http://HOST")),
        (("--venue", "okx", "--venue-url", "http://h:1"), {}, ("--venue-url", "not okx")),
        (("--mode", "live", "--venue-url", "http://h:1"), {}, ("EXCHANGE_API_KEY",)),
    ],
    ids=["scheme", "port", "host", "path", "env-no-scheme", "not-bybit", "live-needs-keys"],
)
def test_a_bad_venue_url_is_one_clear_line(
    argv: tuple[str, ...], env: dict[str, str], words: tuple[str, ...]
) -> None:
    assert_refused(run_console(*argv, env=env), *words)


def test_paths_names_every_file_and_creates_none(tmp_path: Path) -> None:
    (tmp_path / "trading.env").write_text("BREAKOUT_MODE=paper\n")

    result = run_console(
        "--data-dir", "paths", "--env-file", "trading.env", "paths", env={"BREAKOUT_THEME": "x"}
    )

    assert result.returncode == 0, result.stderr
    text = result.stdout
    data = tmp_path / "paths"
    assert f"{data}  (not created yet)" in text
    assert str(data / "paper-ledger.sqlite3") in text
    assert str(data / "orders-journal.sqlite") in text
    assert str(data / "ui-state.json") in text
    assert str(data / "themes") in text
    assert str(tmp_path / "trading.env") in text
    assert "BREAKOUT_THEME" in text
    assert str(tmp_path / "xdg-state") in text  # the log, in the platform's state directory
    assert not data.exists()
