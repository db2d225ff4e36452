"""What the trading Pilot tests share: settings, waiting on conditions, and reading what the
trader sees (notifications, open orders, status badges). No tests of its own."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.pilot import Pilot

from console.config import Settings, StreamSettings
from console.tui.app import ConsoleApp
from console.tui.widgets.open_orders import OpenOrdersTable

SIZE = (200, 50)
SYMBOL = "BTC/USDT:USDT"
COARSE = ("l", *(["plus"] * 8))
"""Focus the ladder and group it coarsely, so a few lines down rests well under the bid."""


def settings(tmp_path: Path, **overrides: object) -> Settings:
    """Venue sim, paper mode unless overridden, data in tmp_path, a BTC watchlist."""
    values: dict[str, object] = {
        "symbols": (SYMBOL,),
        "data_dir": tmp_path / "data",
        "stream": StreamSettings(silence_timeout=5.0, reconnect_base_delay=0.05),
    }
    values.update(overrides)
    return Settings.model_validate(values)


def notifications(app: ConsoleApp) -> list[str]:
    return [notification.message for notification in app._notifications]


async def wait_until(pilot: Pilot[int], condition: Callable[[], bool], timeout: float = 30) -> None:
    """Let the app run until ``condition`` holds; fail saying where the app was."""
    waited = 0.0
    while not condition():
        app = pilot.app
        assert isinstance(app, ConsoleApp)
        assert waited < timeout, (
            f"not in time on {app.screen}; said: {notifications(app)}; "
            f"workers: {[(w.name, w.state.name) for w in app.workers]}"
        )
        await pilot.pause(0.05)
        waited += 0.05
    await pilot.pause()  # let what got there finish mounting before the next key


async def started(pilot: Pilot[int], app: ConsoleApp) -> None:
    """Markets loaded and the main ladder showing a book."""
    await wait_until(pilot, lambda: bool(app.markets) and app.market_store.book(SYMBOL) is not None)
    await wait_until(pilot, lambda: app.main_screen.ladders[0].snapshot is not None)


def table_ids(app: ConsoleApp) -> set[str]:
    """The order ids the open-orders table shows."""
    return {str(key.value) for key in app.main_screen.query_one(OpenOrdersTable).rows}
