"""The venue's own symbol names in the settings (``--symbols BTCUSDT``, ``BREAKOUT_SYMBOLS``,
the settings file) become the unified symbols once the simulator's markets load: a name its
spot pair and perpetual share means the perpetual, and a notification names both."""

from __future__ import annotations

from pathlib import Path

import pytest

from console.config import SettingsFile, load_settings
from console.tui.app import ConsoleApp
from console.tui.widgets.watchlist import Watchlist

from support.console import SIZE, main_ladder
from support.notices import Notices
from support.waiting import wait_until

NAMES = "BTCUSDT,solusdt"
RESOLVED = ["BTC/USDT:USDT", "SOL/USDT:USDT"]


@pytest.mark.parametrize("source", ["flag", "environment", "settings file"])
async def test_venue_names_in_the_settings_resolve_to_the_perpetuals(
    tmp_path: Path, source: str
) -> None:
    in_file = SettingsFile(tmp_path / "config.toml", {"symbols": NAMES}, {})
    config = load_settings(
        {"data_dir": tmp_path / "data", "symbols": NAMES if source == "flag" else None},
        environ={"BREAKOUT_SYMBOLS": NAMES} if source == "environment" else {},
        dotenv_path=None,
        settings_file=in_file if source == "settings file" else None,
    )
    notices = Notices()
    app = ConsoleApp(config)
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        await wait_until(lambda: app.watchlist_symbols == RESOLVED, pilot=pilot)
        assert app.main_screen.query_one(Watchlist).symbols == tuple(RESOLVED)
        assert main_ladder(app).symbol == "BTC/USDT:USDT"
        await wait_until(lambda: main_ladder(app).snapshot is not None, pilot=pilot)
        assert (
            "BTCUSDT names BTC/USDT and BTC/USDT:USDT: watching BTC/USDT:USDT "
            "(name the other to watch it)" in notices.messages
        )
        assert any(message.startswith("solusdt names SOL/USDT and") for message in notices.messages)
        assert not any("does not list" in message for message in notices.messages)
