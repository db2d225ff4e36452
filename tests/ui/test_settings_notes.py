"""At start-up the console says, once, which settings loosen safety and where they came from."""

from __future__ import annotations

from pathlib import Path

from console.config import Settings, UISettings, load_settings
from console.domain import TradingMode
from console.tui.app import ConsoleApp

SIZE = (200, 50)


async def test_loosened_settings_are_shown_once_with_their_sources(tmp_path: Path) -> None:
    dotenv = tmp_path / "forgotten.env"
    dotenv.write_text(
        "BREAKOUT_MODE=live\n"
        "BREAKOUT_RISK__MAX_ORDER_NOTIONAL=250000\n"
        'BREAKOUT_UI__KEYMAP={"confirm_order.send": "s"}\n'
    )
    settings = load_settings({"data_dir": tmp_path / "data"}, environ={}, dotenv_path=dotenv)
    app = ConsoleApp(settings, connect=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        notes = [n for n in app._notifications if n.title == "Safety loosened by settings"]
        assert len(notes) == 1
        text = str(notes[0].message)
        assert "live mode" in text
        assert "BREAKOUT_RISK__MAX_ORDER_NOTIONAL is 250000" in text
        assert "safety keys remapped: confirm_order.send" in text
        assert str(dotenv.resolve()) in text


async def test_safe_settings_bring_no_notification(tmp_path: Path) -> None:
    settings = Settings(
        data_dir=tmp_path / "data", mode=TradingMode.PAPER, ui=UISettings(keymap={"help": "u"})
    )
    app = ConsoleApp(settings, connect=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert [n.title for n in app._notifications] == []
