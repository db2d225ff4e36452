"""What the trader arranges is kept: the watchlist (a symbol added with ``s``, one removed
with Delete), each symbol's
ladder grouping and the candle timeframe, across two runs of the real console on the
simulator; symbols the settings name explicitly still win over the kept watchlist."""

from __future__ import annotations

from pathlib import Path

import pytest

from console.config import Settings, SettingsFile, StreamSettings, load_settings
from console.tui.app import ConsoleApp
from console.tui.ui_state import UIState, load_ui_state, save_ui_state
from console.tui.widgets.candles import CandleChart

from support.console import SIZE, SYMBOLS, main_ladder, palette_has_hits, started
from support.notices import Notices
from support.waiting import wait_until

KEPT = ("ETH/USDT:USDT", "BTC/USDT")
NAMED = "SOL/USDT:USDT,BTC/USDT:USDT"


def _default_symbols(tmp_path: Path) -> Settings:
    """The simulator with the default watchlist: the settings name no symbols."""
    return Settings.model_validate(
        {
            "data_dir": tmp_path / "data",
            "stream": StreamSettings(silence_timeout=5.0, reconnect_base_delay=0.05),
        }
    )


async def test_watchlist_grouping_and_timeframe_are_kept_across_two_runs(tmp_path: Path) -> None:
    config = _default_symbols(tmp_path)
    first = ConsoleApp(config)
    async with first.run_test(size=SIZE) as pilot:
        await started(pilot, first)
        await pilot.press("s", *"btcusdt")  # the spot pair comes first (see test_console_app)
        await wait_until(lambda: palette_has_hits(first), pilot=pilot)
        await pilot.press("enter")
        await wait_until(lambda: main_ladder(first).symbol == "BTC/USDT", pilot=pilot)
        await pilot.press("l", "plus", "plus", "t")
        await pilot.press("w", "down", "delete")  # ETH/USDT:USDT, the second row
        await wait_until(lambda: load_ui_state(config.data_dir).timeframe == "5m", pilot=pilot)
        await wait_until(lambda: len(load_ui_state(config.data_dir).watchlist) == 3, pilot=pilot)
    kept = [SYMBOLS[0], SYMBOLS[2], "BTC/USDT"]
    state = load_ui_state(config.data_dir)
    assert state.watchlist == tuple(kept)
    assert state.grouping == {"BTC/USDT": 5}

    second = ConsoleApp(config)
    async with second.run_test(size=SIZE) as pilot:
        await started(pilot, second)
        assert second.watchlist_symbols == kept
        assert second.main_screen.query_one(CandleChart).timeframe == "5m"
        assert main_ladder(second).multiple == 1  # BTC/USDT:USDT was never regrouped
        await pilot.press("left_square_bracket")  # back round to the last: BTC/USDT
        await wait_until(lambda: main_ladder(second).symbol == "BTC/USDT", pilot=pilot)
        assert main_ladder(second).multiple == 5


def _keep_watchlist(data_dir: Path) -> None:
    assert save_ui_state(data_dir, UIState(watchlist=KEPT)) is None


async def test_the_last_symbol_stays_on_the_watchlist(tmp_path: Path) -> None:
    config = Settings(symbols=("BTC/USDT:USDT",), data_dir=tmp_path / "data")
    app = ConsoleApp(config, connect=False)
    notices = Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        await pilot.press("w", "delete")
        refused = "The watchlist keeps at least one symbol"
        await wait_until(lambda: refused in notices.messages, pilot=pilot)
        assert app.watchlist_symbols == ["BTC/USDT:USDT"]
    assert load_ui_state(config.data_dir).watchlist == ()


async def test_the_kept_watchlist_is_used_when_the_settings_name_no_symbols(
    tmp_path: Path,
) -> None:
    config = _default_symbols(tmp_path)
    _keep_watchlist(config.data_dir)
    app = ConsoleApp(config, connect=False)
    async with app.run_test(size=SIZE):
        assert app.watchlist_symbols == list(KEPT)
        assert main_ladder(app).symbol == KEPT[0]


@pytest.mark.parametrize("source", ["flag", "environment", "dotenv", "settings file"])
async def test_symbols_named_explicitly_win_over_the_kept_watchlist(
    tmp_path: Path, source: str
) -> None:
    data_dir = tmp_path / "data"
    _keep_watchlist(data_dir)
    dotenv = tmp_path / ".env"
    dotenv.write_text(f"BREAKOUT_SYMBOLS={NAMED}\n" if source == "dotenv" else "", "utf-8")
    in_file = SettingsFile(tmp_path / "config.toml", {"symbols": NAMED}, {})
    config = load_settings(
        {"data_dir": data_dir, "symbols": NAMED if source == "flag" else None},
        environ={"BREAKOUT_SYMBOLS": NAMED} if source == "environment" else {},
        dotenv_path=dotenv,
        settings_file=in_file if source == "settings file" else None,
    )
    app = ConsoleApp(config, connect=False)
    async with app.run_test(size=SIZE):
        assert app.watchlist_symbols == NAMED.split(",")
