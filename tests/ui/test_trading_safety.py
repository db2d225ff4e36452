"""The safety rules of trading from the console, end to end against the in-process
simulator: live orders need arming (live mode signs real requests with the simulator's
generated keys), and the kill switch cancels everything and blocks new orders until it is
released (Pilot)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Label, Static

from console.config import UISettings
from console.domain import Order
from console.sim import SimServer
from console.sim.server import SIM_UID
from console.tui.app import ConsoleApp
from console.tui.screens.arm_live import ArmLiveScreen
from console.tui.screens.confirm_action import ConfirmActionScreen
from console.tui.screens.confirm_order import ConfirmOrderScreen
from console.tui.widgets.status_bar import StatusBar

from support.console import (
    COARSE,
    SIZE,
    SYMBOL,
    settled,
    started,
    table_ids,
    trading_settings,
)
from support.notices import Notices
from support.waiting import wait_until


async def venue_orders(app: ConsoleApp) -> list[Order]:
    """What the venue itself lists (the simulator over signed REST, or the paper engine)."""
    assert app.services is not None
    return await app.services.client.fetch_open_orders(SYMBOL)


def badge(app: ConsoleApp, name: str) -> Label:
    return app.main_screen.query_one(StatusBar).query_one(f"#status-{name}", Label)


def simulator(app: ConsoleApp) -> SimServer:
    """The in-process simulator the app's services started (venue sim)."""
    assert app.services is not None
    assert app.services.sim is not None
    return app.services.sim


def arming_facts(app: ConsoleApp) -> str:
    """What the arming modal says about the venue, the account and the key."""
    assert isinstance(app.screen, ArmLiveScreen)
    return str(app.screen.query_one("#facts", Static).render())


async def test_live_orders_are_refused_until_armed_then_sent(tmp_path: Path) -> None:
    app = ConsoleApp(trading_settings(tmp_path, mode="live"))
    notices = Notices()
    async with app.run_test(size=SIZE, notifications=True, message_hook=notices) as pilot:
        await started(pilot, app)
        await pilot.press(*COARSE, *(["down"] * 6))
        await pilot.press("b")
        await wait_until(lambda: any("not armed" in n for n in notices.messages), pilot=pilot)
        refusal = next(n for n in notices.messages if "not armed" in n)
        assert 'type "ARM LIVE sim"' in refusal
        assert "Press A" in refusal
        assert not isinstance(app.screen, ConfirmOrderScreen)
        assert await venue_orders(app) == []
        assert not badge(app, "armed").display

        await pilot.press("A")
        assert "Reading the API key's permissions from sim…" in notices.messages
        await wait_until(lambda: isinstance(app.screen, ArmLiveScreen), pilot=pilot)
        facts = arming_facts(app)
        assert f"Account      UID {SIM_UID}" in facts, "the uid the simulator reports"
        assert (
            "Key may      ContractTrade:Order, ContractTrade:Position, "
            "Derivatives:DerivativesTrade, Spot:SpotTrade, Wallet:AccountTransfer"
        ) in facts
        assert "Warning: this key can Wallet:AccountTransfer" in facts
        assert "Warning: this key has no IP allow-list" in facts, "the sim's key has ips ['*']"
        assert simulator(app).api_key not in facts
        app.screen.query_one("#phrase", Input).value = "ARM LIVE si"  # as pasted
        await pilot.press("enter")
        assert isinstance(app.screen, ArmLiveScreen), "a wrong phrase does not arm"
        await pilot.press("m", "enter")
        await wait_until(lambda: badge(app, "armed").display, pilot=pilot)
        assert app.main_screen.query_one(StatusBar).has_class("-live")

        price = app.main_screen.ladders[0].cursor_price
        await pilot.press("b")
        await wait_until(lambda: isinstance(app.screen, ConfirmOrderScreen), pilot=pilot)
        assert "LIVE ORDER" in str(app.screen.query_one("#mode").render())
        await pilot.press("y")
        await wait_until(lambda: bool(table_ids(app)), pilot=pilot)
        (order,) = await venue_orders(app)
        assert order.price == price
        assert order.order_id in table_ids(app)

        await pilot.press("x")
        await wait_until(lambda: not table_ids(app), pilot=pilot)
        assert await venue_orders(app) == []


async def test_arming_stays_possible_when_the_key_cannot_be_read(tmp_path: Path) -> None:
    app = ConsoleApp(trading_settings(tmp_path, mode="live"))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await started(pilot, app)
        simulator(app).context.credentials.clear()  # the key was revoked on the venue

        await pilot.press("A")
        await wait_until(lambda: isinstance(app.screen, ArmLiveScreen), pilot=pilot)
        facts = arming_facts(app)
        assert "Key may      could not be read: API key rejected" in facts
        assert "the simulator's generated key" in facts
        await pilot.press(*"ARM LIVE sim", "enter")
        await wait_until(lambda: badge(app, "armed").display, pilot=pilot)


async def test_arming_before_the_venue_answers_says_so(tmp_path: Path) -> None:
    app = ConsoleApp(trading_settings(tmp_path, mode="live"), connect=False)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("A")
        await wait_until(lambda: isinstance(app.screen, ArmLiveScreen), pilot=pilot)
        assert "could not be read: the console is not connected to the venue yet" in (
            arming_facts(app)
        )


async def test_kill_switch_cancels_everything_and_blocks_until_released(tmp_path: Path) -> None:
    app = ConsoleApp(trading_settings(tmp_path, ui=UISettings(confirm_paper_orders=False)))
    notices = Notices()
    async with app.run_test(size=SIZE, notifications=True, message_hook=notices) as pilot:
        await started(pilot, app)
        await pilot.press(*COARSE, *(["down"] * 6), "b", "down", "b")
        await wait_until(lambda: len(table_ids(app)) == 2, pilot=pilot)

        await pilot.press("ctrl+k")
        await wait_until(lambda: not table_ids(app), pilot=pilot)
        assert await venue_orders(app) == []
        assert app.services is not None
        assert app.services.risk.killed
        assert badge(app, "kill").display
        assert any("2 orders cancelled" in n for n in notices.messages)

        before = len(notices.messages)
        await pilot.press("b")
        await wait_until(lambda: len(notices.messages) > before, pilot=pilot)
        assert "kill" in notices.messages[-1].lower()
        await wait_until(lambda: settled(app, "orders"), pilot=pilot)
        assert await venue_orders(app) == [], "nothing is sent while the switch is engaged"

        await pilot.press("ctrl+k")
        await wait_until(lambda: isinstance(app.screen, ConfirmActionScreen), pilot=pilot)
        await pilot.press("y")
        await wait_until(lambda: not badge(app, "kill").display, pilot=pilot)
        assert not app.services.risk.killed
        await pilot.press("b")
        await wait_until(lambda: len(table_ids(app)) == 1, pilot=pilot)


async def test_cancel_all_asks_first(tmp_path: Path) -> None:
    app = ConsoleApp(trading_settings(tmp_path, ui=UISettings(confirm_paper_orders=False)))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await started(pilot, app)
        await pilot.press(*COARSE, *(["down"] * 6), "b", "down", "b")
        await wait_until(lambda: len(table_ids(app)) == 2, pilot=pilot)
        await pilot.press("o", "C")
        await wait_until(lambda: isinstance(app.screen, ConfirmActionScreen), pilot=pilot)
        await pilot.press("n")
        await wait_until(lambda: not isinstance(app.screen, ConfirmActionScreen), pilot=pilot)
        await wait_until(lambda: settled(app, "cancels"), pilot=pilot)
        assert len(await venue_orders(app)) == 2, "answering no cancels nothing"
        await pilot.press("C", "y")
        await wait_until(lambda: not table_ids(app), pilot=pilot)
        assert await venue_orders(app) == []
