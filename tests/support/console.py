"""The real console on the in-process simulator, as the Pilot tests start and read it.

Settings for a console test, the simulator the app's own worker started, and what the trader
sees (the main ladder, the open orders). Wait with ``support.waiting.wait_until``.
"""

from __future__ import annotations

from pathlib import Path

from textual.command import CommandList
from textual.pilot import Pilot
from textual.widgets import Label

from console.config import Settings, StreamSettings
from console.sim import SimServer
from console.tui.app import ConsoleApp
from console.tui.screens.arm_live import ArmLiveScreen
from console.tui.widgets.ladder import OrderBookLadder
from console.tui.widgets.open_orders import OpenOrdersTable
from console.tui.widgets.status_bar import StatusBar

from support.waiting import wait_until

SIZE = (200, 50)
SYMBOL = "BTC/USDT:USDT"
SYMBOLS = ("BTC/USDT:USDT", "ETH/USDT:USDT", "SOL/USDT:USDT")
COARSE = ("l", *(["plus"] * 8))
"""Focus the ladder and group it coarsely, so a few lines down rests well under the bid."""


def settings(tmp_path: Path, **overrides: object) -> Settings:
    """Venue sim, data in tmp_path, three symbols; a stream quiet for 1 s counts as stale."""
    values: dict[str, object] = {
        "symbols": SYMBOLS,
        "data_dir": tmp_path / "data",
        "stream": StreamSettings(silence_timeout=1.0, reconnect_base_delay=0.05),
    }
    values.update(overrides)
    return Settings.model_validate(values)


def trading_settings(tmp_path: Path, **overrides: object) -> Settings:
    """As ``settings`` with only BTC, and 5 s of quiet before stale: a trading test waits on
    orders, and a stream that goes stale under load would refuse them."""
    values: dict[str, object] = {
        "symbols": (SYMBOL,),
        "stream": StreamSettings(silence_timeout=5.0, reconnect_base_delay=0.05),
    }
    values.update(overrides)
    return settings(tmp_path, **values)


def running_sim(app: ConsoleApp) -> SimServer:
    """The simulator the app's own worker started."""
    assert app.services is not None
    assert app.services.sim is not None
    return app.services.sim


def main_ladder(app: ConsoleApp) -> OrderBookLadder:
    return app.main_screen.ladders[0]


async def started(pilot: Pilot[int], app: ConsoleApp) -> None:
    """Markets loaded and the main ladder showing a book."""
    await wait_until(
        lambda: bool(app.markets) and app.market_store.book(SYMBOL) is not None, pilot=pilot
    )
    await wait_until(lambda: main_ladder(app).snapshot is not None, pilot=pilot)


def palette_has_hits(app: ConsoleApp) -> bool:
    """The command palette is open and lists something to pick."""
    lists = app.screen.query(CommandList)
    return bool(lists) and lists.first().option_count > 0


def settled(app: ConsoleApp, group: str) -> bool:
    """No worker of ``group`` (``"orders"``: sends, ``"cancels"``: cancels; named in
    console/tui/trading/order_flow.py) still runs: whatever a key started has its answer, so
    a check that nothing was sent or cancelled is final."""
    return all(worker.is_finished for worker in app.workers if worker.group == group)


def table_ids(app: ConsoleApp) -> set[str]:
    """The order ids the open-orders table shows."""
    return set(app.main_screen.query_one(OpenOrdersTable).current_rows)


async def arm_live(pilot: Pilot[int], app: ConsoleApp) -> None:
    """Arm live trading as the trader does (``A``, the phrase, Enter)."""
    await pilot.press("A")
    await wait_until(lambda: isinstance(app.screen, ArmLiveScreen), pilot=pilot)
    await pilot.press(*"ARM LIVE sim", "enter")
    armed = app.main_screen.query_one(StatusBar).query_one("#status-armed", Label)
    await wait_until(lambda: armed.display, pilot=pilot)
