"""Settings: precedence of sources and one-line errors that name the variable."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from pydantic import BaseModel

from console.config import (
    RiskSettings,
    Settings,
    SettingsError,
    UISettings,
    env_name,
    load_settings,
    loosened_safety,
)
from console.domain import TradingMode


def test_defaults_are_sim_paper_with_a_watchlist() -> None:
    settings = load_settings(environ={}, dotenv_path=None)
    assert settings.venue == "sim"
    assert settings.mode is TradingMode.PAPER
    assert settings.symbols[0] == "BTC/USDT:USDT"
    assert settings.recv_window_ms == 5000
    assert settings.api_key is None


def test_cli_beats_environment_beats_dotenv(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text(
        "BREAKOUT_THEME=from-dotenv\nBREAKOUT_SYMBOLS=SOL/USDT\nBREAKOUT_LOG_LEVEL=debug\n"
    )
    environ = {"BREAKOUT_THEME": "from-env", "BREAKOUT_SYMBOLS": "ETH/USDT, BTC/USDT"}
    settings = load_settings({"theme": "from-cli"}, environ=environ, dotenv_path=dotenv)
    assert settings.theme == "from-cli"
    assert settings.symbols == ("ETH/USDT", "BTC/USDT")
    assert settings.log_level == "DEBUG"


def test_nested_sections_read_double_underscore_variables() -> None:
    environ = {"BREAKOUT_RISK__MAX_ORDER_NOTIONAL": "2500.5", "BREAKOUT_SIM__SEED": "42"}
    settings = load_settings(environ=environ, dotenv_path=None)
    assert settings.risk.max_order_notional == Decimal("2500.5")
    assert settings.sim.seed == 42


@pytest.mark.parametrize(
    ("environ", "cli", "expected"),
    [
        ({"BREAKOUT_MODE": "lve"}, {}, "BREAKOUT_MODE: 'lve' Input should be 'paper' or 'live'"),
        ({}, {"mode": "papr"}, "--mode: 'papr' Input should be 'paper' or 'live'"),
        ({"BREAKOUT_VENUE": "no such"}, {}, "BREAKOUT_VENUE: 'no such' use sim, bybit"),
        (
            {"BREAKOUT_RECV_WINDOW_MS": "10"},
            {},
            "BREAKOUT_RECV_WINDOW_MS: '10' Input should be greater",
        ),
        ({"BREAKOUT_RISK__PRICE_BAND_PCT": "wide"}, {}, "BREAKOUT_RISK__PRICE_BAND_PCT: 'wide'"),
        ({"BREAKOUT_SYMBOLS": " , "}, {}, "BREAKOUT_SYMBOLS: ' , ' name at least one symbol"),
    ],
)
def test_bad_values_name_the_variable(
    environ: dict[str, str], cli: dict[str, str], expected: str
) -> None:
    with pytest.raises(SettingsError) as caught:
        load_settings(cli, environ=environ, dotenv_path=None)
    assert str(caught.value).startswith(expected)
    assert "\n" not in str(caught.value)


def test_live_mode_without_keys_is_refused_on_a_real_venue() -> None:
    with pytest.raises(SettingsError, match="live mode needs EXCHANGE_API_KEY"):
        load_settings({"mode": "live", "venue": "bybit"}, environ={}, dotenv_path=None)


def test_live_mode_on_the_simulator_needs_no_keys_of_the_user() -> None:
    settings = load_settings({"mode": "live"}, environ={}, dotenv_path=None)
    assert settings.mode is TradingMode.LIVE


def test_secrets_are_secret_and_never_echoed_in_errors() -> None:
    environ = {"EXCHANGE_API_KEY": "canary-key", "EXCHANGE_SECRET": "canary-secret-1234"}
    settings = load_settings(environ=environ, dotenv_path=None)
    assert settings.secret is not None
    assert settings.secret.get_secret_value() == "canary-secret-1234"
    assert "canary-secret-1234" not in repr(settings)
    assert "canary-secret-1234" not in str(settings.model_dump())
    bad = environ | {"BREAKOUT_MODE": "nope"}
    with pytest.raises(SettingsError) as caught:
        load_settings(environ=bad, dotenv_path=None)
    assert "canary" not in str(caught.value)


def test_env_example_is_complete_and_loads_cleanly() -> None:
    example = Path(__file__).parents[2] / ".env.example"
    settings = load_settings(environ={}, dotenv_path=example)
    assert settings.venue == "sim"
    text = example.read_text()
    for name, field in Settings.model_fields.items():
        section = field.annotation
        if isinstance(section, type) and issubclass(section, BaseModel):
            for sub in section.model_fields:
                assert env_name((name, sub)) in text, f"{env_name((name, sub))} is undocumented"
        elif name not in {"data_dir", "log_file"}:
            assert env_name((name,)) in text, f"{env_name((name,))} is undocumented"


def test_origins_name_the_dotenv_file_the_variables_and_the_flags(tmp_path: Path) -> None:
    dotenv = tmp_path / "trading.env"
    dotenv.write_text("BREAKOUT_MODE=paper\n")
    environ = {"BREAKOUT_RISK__PRICE_BAND_PCT": "3", "EXCHANGE_SECRET": "canary-secret-42"}

    settings = load_settings({"venue": "sim"}, environ=environ, dotenv_path=dotenv)

    origins = settings.origins
    assert origins.files == (dotenv.resolve(),)
    assert origins.environment == ("BREAKOUT_RISK__PRICE_BAND_PCT", "EXCHANGE_SECRET")
    assert origins.flags == ("--venue",)
    line = origins.describe()
    assert str(dotenv.resolve()) in line
    assert "canary" not in line


def test_origins_without_a_file_say_so(tmp_path: Path) -> None:
    settings = load_settings(environ={}, dotenv_path=tmp_path / "missing.env")

    assert settings.origins.files == ()
    assert settings.origins.describe() == "settings from defaults only"


def test_defaults_loosen_nothing() -> None:
    assert loosened_safety(Settings()) == []


def test_live_mode_raised_limits_and_unconfirmed_paper_orders_loosen_safety() -> None:
    settings = Settings(
        mode=TradingMode.LIVE,
        risk=RiskSettings(max_order_notional=Decimal(500_000), price_band_pct=Decimal(1)),
        ui=UISettings(confirm_paper_orders=False),
    )

    notes = loosened_safety(settings)

    assert notes == [
        "live mode: once armed, signed orders go to the simulator",
        "BREAKOUT_RISK__MAX_ORDER_NOTIONAL is 500000, above the default 100000",
        "paper orders are sent without a confirmation",
    ]


def test_a_variable_in_lower_case_is_read_and_named_in_the_origins() -> None:
    settings = load_settings(environ={"breakout_theme": "from-env"}, dotenv_path=None)

    assert settings.theme == "from-env"
    assert settings.origins.environment == ("breakout_theme",)


def test_a_dotenv_file_with_quotes_comments_and_an_unknown_variable_loads(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text(
        "# the practice account\n"
        'BREAKOUT_THEME="quoted theme"\n'
        "BREAKOUT_NOT_A_SETTING=1\n"
        "EXCHANGE_API_KEY=key-from-dotenv  # a comment\n"
        "OTHER_TOOL_TOKEN=ignored\n"
    )

    settings = load_settings(environ={}, dotenv_path=dotenv)

    assert settings.theme == "quoted theme"
    assert settings.api_key is not None
    assert settings.api_key.get_secret_value() == "key-from-dotenv"


def test_a_keymap_that_is_not_json_names_the_variable_and_the_shape() -> None:
    environ = {"BREAKOUT_UI__KEYMAP": "help=h"}

    with pytest.raises(SettingsError) as caught:
        load_settings(environ=environ, dotenv_path=None)

    assert str(caught.value) == (
        'BREAKOUT_UI__KEYMAP: \'help=h\' expected a JSON object such as {"USDT": "10000"}'
    )


@pytest.mark.parametrize("value", ["x", "{not json", ""])
def test_a_section_that_is_not_json_is_refused_in_one_line(value: str) -> None:
    """pydantic-settings raises its own exception here, which reached the trader as a
    traceback at start-up."""
    with pytest.raises(SettingsError) as caught:
        load_settings(environ={"BREAKOUT_RISK": value}, dotenv_path=None)

    assert str(caught.value) == (
        "BREAKOUT_RISK: expected a JSON object; or set each value on its own, "
        "e.g. BREAKOUT_RISK__MAX_ORDER_NOTIONAL=100000"
    )


def test_a_section_that_is_not_json_in_a_dotenv_file_names_the_file(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text("breakout_ui=keymap\n", "utf-8")

    with pytest.raises(SettingsError) as caught:
        load_settings(environ={}, dotenv_path=dotenv)

    assert str(caught.value).startswith(f"BREAKOUT_UI in {dotenv}: expected a JSON object")
