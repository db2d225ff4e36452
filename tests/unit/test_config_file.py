"""The TOML settings file: written by ``config init``, read below ``.env``, refused in one line.

Precedence, per field: flags > environment > ``.env`` > config file > defaults.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from console.cli import main
from console.config import Settings, SettingsError, load_settings
from console.config_file import (
    default_config_path,
    example_config,
    profile_env_file,
    read_settings_file,
)


def test_config_init_writes_a_private_file_that_loads_back_to_the_defaults(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["config", "init"]) == 0

    path = default_config_path()
    assert f"wrote {path}" in capsys.readouterr().out
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    loaded = load_settings(environ={}, dotenv_path=None, settings_file=read_settings_file(path))
    assert loaded.model_dump() == Settings().model_dump()
    assert loaded.origins.files == (path.resolve(),)
    for section in ("[risk]", "[stream]", "[ui]", "[paper]", "[sim]", "[keymap]"):
        assert section in path.read_text(encoding="utf-8")


def test_config_init_keeps_an_existing_file_unless_forced(
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = default_config_path()
    path.parent.mkdir(parents=True)
    path.write_text('theme = "breakout-light"\n', encoding="utf-8")

    assert main(["config", "init"]) == 1
    assert "--force" in capsys.readouterr().err
    assert path.read_text(encoding="utf-8") == 'theme = "breakout-light"\n'
    assert main(["config", "init", "--force"]) == 0
    assert path.read_text(encoding="utf-8") == example_config()


def layered(
    tmp_path: Path,
    file_text: str,
    dotenv_text: str | None = None,
    environ: dict[str, str] | None = None,
    cli: dict[str, str] | None = None,
) -> Settings:
    """Settings from a config file and, when given, a .env, an environment and flags."""
    config = tmp_path / "config.toml"
    config.write_text(file_text, encoding="utf-8")
    dotenv = tmp_path / "layer.env"
    dotenv.write_text(dotenv_text or "", encoding="utf-8")
    return load_settings(
        cli, environ=environ or {}, dotenv_path=dotenv, settings_file=read_settings_file(config)
    )


def test_a_top_level_field_flag_over_environment_over_dotenv_over_file(tmp_path: Path) -> None:
    file_text, dotenv_text = 'venue = "bybit-testnet"\n', "BREAKOUT_VENUE=bybit-demo\n"
    environ = {"BREAKOUT_VENUE": "bybit"}

    assert layered(tmp_path, file_text).venue == "bybit-testnet"
    assert layered(tmp_path, file_text, dotenv_text).venue == "bybit-demo"
    assert layered(tmp_path, file_text, dotenv_text, environ).venue == "bybit"
    assert layered(tmp_path, file_text, dotenv_text, environ, {"venue": "okx"}).venue == "okx"
    assert layered(tmp_path, "").venue == "sim"


def test_a_section_field_environment_over_dotenv_over_file(tmp_path: Path) -> None:
    file_text = "[risk]\nprice_band_pct = 1\n"
    dotenv_text = "BREAKOUT_RISK__PRICE_BAND_PCT=2\n"
    environ = {"BREAKOUT_RISK__PRICE_BAND_PCT": "3"}

    assert layered(tmp_path, file_text).risk.price_band_pct == Decimal(1)
    assert layered(tmp_path, file_text, dotenv_text).risk.price_band_pct == Decimal(2)
    assert layered(tmp_path, file_text, dotenv_text, environ).risk.price_band_pct == Decimal(3)
    assert layered(tmp_path, "[risk]\n").risk.price_band_pct == Decimal(5)


def test_the_keymap_table_environment_over_dotenv_over_file(tmp_path: Path) -> None:
    file_text = '[keymap]\nnext_symbol = "U"\n'
    dotenv_text = 'BREAKOUT_UI__KEYMAP={"next_symbol": "M"}\n'
    environ = {"BREAKOUT_UI__KEYMAP": '{"next_symbol": "K"}'}

    assert layered(tmp_path, file_text).ui.keymap == {"next_symbol": "U"}
    assert layered(tmp_path, file_text, dotenv_text).ui.keymap == {"next_symbol": "M"}
    assert layered(tmp_path, file_text, dotenv_text, environ).ui.keymap == {"next_symbol": "K"}


def test_a_bad_file_value_overridden_from_the_environment_is_not_blamed(tmp_path: Path) -> None:
    file_text = "[risk]\nprice_band_pct = 'wide'\n"
    environ = {"BREAKOUT_RISK__PRICE_BAND_PCT": "narrow"}

    with pytest.raises(SettingsError, match=r"^BREAKOUT_RISK__PRICE_BAND_PCT: 'narrow'"):
        layered(tmp_path, file_text, None, environ)


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ("[risk]\nmax_notional = 5\n", ("[risk] max_notional", "max_order_notional")),
        ("venu = 'sim'\n", ("unknown setting venu", "venue")),
        ("[risk]\nprice_band_pct = 'wide'\n", ("[risk] price_band_pct", "'wide'", "decimal")),
        ("[ui]\nmax_fps = 100\n", ("[ui] max_fps", "60")),
        ("mode = \n", ("not valid TOML",)),
        ("api_key = 'k'\n", ("api_key does not belong", "EXCHANGE_API_KEY")),
        ("[keymap]\nnext_symbol = 5\n", ("[keymap]", 'next_symbol = "U"')),
    ],
    ids=[
        "unknown-section-key",
        "unknown-key",
        "bad-decimal",
        "too-high",
        "toml",
        "secret",
        "keymap",
    ],
)
def test_a_bad_file_is_one_line_naming_the_file_and_the_key(
    tmp_path: Path, body: str, words: tuple[str, ...]
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(body, encoding="utf-8")

    with pytest.raises(SettingsError) as caught:
        load_settings(environ={}, dotenv_path=None, settings_file=read_settings_file(config))

    line = str(caught.value)
    assert "\n" not in line
    assert str(config) in line
    for word in words:
        assert word in line


def test_the_command_line_reads_the_default_file_and_refuses_a_bad_one(tmp_path: Path) -> None:
    path = default_config_path()
    path.parent.mkdir(parents=True)
    path.write_text('[keymap]\nnext_symbol = "U"\n', encoding="utf-8")

    def run(*argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "console", *argv],
            capture_output=True,
            text=True,
            timeout=60,
            env=dict(os.environ),
            check=False,
        )

    keys = run("keys")
    assert keys.returncode == 0, keys.stderr
    assert any(
        "next_symbol" in line and "U (default ])" in line for line in keys.stdout.splitlines()
    )

    path.write_text("[risk]\nmax_notional = 5\n", encoding="utf-8")
    refused = run("paths")
    assert refused.returncode == 2
    assert refused.stderr.strip() == (
        f"breakout-console: {path}: unknown setting [risk] max_notional "
        "(did you mean max_order_notional?)"
    )

    missing = run("--config", str(tmp_path / "nope.toml"), "paths")
    assert missing.returncode == 2
    assert "nope.toml does not exist" in missing.stderr


PROFILES = """
venue = "sim"
symbols = ["BTC/USDT:USDT"]

[profiles.testnet]
venue = "bybit-testnet"
mode = "live"
symbols = ["ETH/USDT:USDT"]
env_file = "accounts/testnet.env"
"""


def write_profiles(tmp_path: Path) -> Path:
    config = tmp_path / "config.toml"
    config.write_text(PROFILES, encoding="utf-8")
    (tmp_path / "accounts").mkdir()
    (tmp_path / "accounts" / "testnet.env").write_text(
        "EXCHANGE_API_KEY=testnet-key\nEXCHANGE_SECRET=testnet-secret\n", encoding="utf-8"
    )
    return config


def test_a_profile_overrides_the_file_and_brings_its_account_keys(tmp_path: Path) -> None:
    config = write_profiles(tmp_path)
    env_file = profile_env_file(config, "testnet")

    settings = load_settings(
        environ={}, dotenv_path=env_file, settings_file=read_settings_file(config, "testnet")
    )

    assert env_file == tmp_path / "accounts" / "testnet.env"
    assert (settings.venue, settings.mode.value, settings.symbols) == (
        "bybit-testnet",
        "live",
        ("ETH/USDT:USDT",),
    )
    assert settings.api_key is not None
    assert settings.api_key.get_secret_value() == "testnet-key"
    assert settings.origins.files == (config.resolve(), env_file)
    without = load_settings(environ={}, dotenv_path=None, settings_file=read_settings_file(config))
    assert (without.venue, without.symbols) == ("sim", ("BTC/USDT:USDT",))
    with pytest.raises(SettingsError, match="no profile 'main'"):
        load_settings(
            environ={}, dotenv_path=None, settings_file=read_settings_file(config, "main")
        )


def test_flags_and_environment_still_override_a_profile(tmp_path: Path) -> None:
    config = write_profiles(tmp_path)
    env_file = profile_env_file(config, "testnet")

    settings = load_settings(
        {"mode": "paper"},
        environ={"BREAKOUT_SYMBOLS": "SOL/USDT:USDT"},
        dotenv_path=env_file,
        settings_file=read_settings_file(config, "testnet"),
    )

    assert settings.mode.value == "paper"
    assert settings.symbols == ("SOL/USDT:USDT",)


@pytest.mark.parametrize(
    ("body", "profile", "words"),
    [
        (PROFILES, "tesnet", ("no profile 'tesnet'", "profiles: testnet")),
        ("[profiles.x]\nsecret = 's'\n", "x", ("[profiles.x] secret does not belong",)),
        ("[profiles.x]\nrisk = 1\n", "x", ("[profiles.x] risk", "allowed: data_dir")),
        ("[profiles.x]\nenv_file = 'gone.env'\n", "x", ("gone.env does not exist",)),
    ],
    ids=["unknown-profile", "secret", "not-a-profile-key", "missing-env-file"],
)
def test_a_bad_profile_is_one_line(
    tmp_path: Path, body: str, profile: str, words: tuple[str, ...]
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(body, encoding="utf-8")

    with pytest.raises(SettingsError) as caught:
        profile_env_file(config, profile)

    for word in words:
        assert word in str(caught.value)


def test_profile_on_the_command_line(tmp_path: Path) -> None:
    config = write_profiles(tmp_path)
    command = [sys.executable, "-m", "console", "--config", str(config), "--profile", "testnet"]

    result = subprocess.run(
        [*command, "paths"], capture_output=True, text=True, timeout=60, check=False
    )

    assert result.returncode == 0, result.stderr
    assert f"env file        {tmp_path / 'accounts' / 'testnet.env'}" in result.stdout
    assert "testnet-key" not in result.stdout
