"""The console in live mode on the in-process simulator: wait for the private stream, arm
live trading as a trader would (by keys), and trade on the account from outside the console
(another device, or the venue's web page), which the console hears of only by its stream."""

from __future__ import annotations

from decimal import Decimal

from textual.pilot import Pilot
from textual.widgets import Label

from console.sim import SimServer
from console.sim.params import CreateOrderParams
from console.sim.server import SIM_UID
from console.tui.app import ConsoleApp
from console.tui.screens.arm_live import ArmLiveScreen
from console.tui.widgets.status_bar import StatusBar

from support.console import started
from support.waiting import wait_until


def account_source(app: ConsoleApp) -> str:
    """What the Streams tab says the account view comes from."""
    return str(app.main_screen.query_one("#account-source", Label).content)


def fill_outside_the_console(
    sim: SimServer, qty: str = "0.010", *, symbol: str = "BTCUSDT", side: str = "Buy"
) -> str:
    """A market order on the account straight in the simulator's engine: the console hears
    of it only through the private stream. Returns the order id."""
    engine = sim.context.engine
    order = engine.create(
        engine.account(SIM_UID),
        CreateOrderParams(
            category="linear", symbol=symbol, side=side, orderType="Market", qty=Decimal(qty)
        ),
    )
    return order.order_id


async def streaming(pilot: Pilot[int], app: ConsoleApp) -> None:
    """Markets loaded and the account view fed by the private stream."""
    await started(pilot, app)
    assert app.services is not None
    services = app.services
    await wait_until(lambda: services.account_streaming, pilot=pilot)
    await wait_until(lambda: account_source(app).endswith("private stream"), pilot=pilot)


async def arm(pilot: Pilot[int], app: ConsoleApp) -> None:
    """Arm live trading by its key and phrase, and wait for the ARMED badge."""
    await pilot.press("A")
    await wait_until(lambda: isinstance(app.screen, ArmLiveScreen), pilot=pilot)
    await pilot.press(*"ARM LIVE sim", "enter")
    armed = app.main_screen.query_one(StatusBar).query_one("#status-armed", Label)
    await wait_until(lambda: armed.display, pilot=pilot)
