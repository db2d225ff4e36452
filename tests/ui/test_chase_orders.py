"""Chase orders in the running console (Pilot), in paper and live-on-sim, on a simulator
whose market moves only when the test moves it: ``h`` / ``chase buy`` places a post-only
order at the touch through the order path, the chase follows the touch (its ladder mark
with it) and ends when the order fills; a brief drop of the market stream is outlasted,
a lasting loss (the simulator's WebSocket faults) stops the chase after its grace, which
leaves or cancels its order as the setting says; cancelling the order ends its chase."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import aiohttp
from textual.pilot import Pilot
from textual.widgets import Static

from console.config import ChaseSettings
from console.domain import Order, OrderStatus, TimeInForce
from console.sim.ws import public_ws_hub
from console.tui.app import ConsoleApp
from console.tui.screens.confirm_order import ConfirmOrderScreen
from console.tui.widgets.command_line import CommandLine
from console.tui.widgets.ladder import LadderMark

from support.console import SIZE, SYMBOL, arm_live, main_ladder, running_sim, settled, started
from support.notices import Notices
from support.sim_private import move_mark, print_at
from support.still_console import still_services, still_settings
from support.waiting import wait_until

D = Decimal
VENUE_SYMBOL = "BTCUSDT"


def marks(app: ConsoleApp) -> tuple[LadderMark, ...]:
    return main_ladder(app).marks("chase")


def best_bid(app: ConsoleApp) -> Decimal | None:
    book = app.market_store.book(SYMBOL)
    return None if book is None or book.best_bid is None else book.best_bid.price


async def open_orders(app: ConsoleApp) -> list[Order]:
    assert app.services is not None
    return await app.services.client.fetch_open_orders(SYMBOL)


def titled(notices: Notices, title: str) -> list[str]:
    return [n.message for n in notices.posted if n.title == title]


async def live_and_armed(pilot: Pilot[int], app: ConsoleApp) -> None:
    """Started, the private stream live (the account's news comes from it), live armed."""
    await started(pilot, app)
    services = app.services
    assert services is not None
    await wait_until(lambda: services.account_streaming, pilot=pilot)
    await arm_live(pilot, app)


async def touch_at(pilot: Pilot[int], app: ConsoleApp, mid: str) -> None:
    """Rebuild the simulator's touch one tick either side of ``mid``; wait for the console."""
    move_mark(running_sim(app), VENUE_SYMBOL, D(mid))
    await wait_until(lambda: best_bid(app) == D(mid) - D("0.1"), pilot=pilot)


async def confirm_chase(pilot: Pilot[int], app: ConsoleApp) -> str:
    """Send the chase from its confirmation; the confirmation's details as shown."""
    await wait_until(lambda: isinstance(app.screen, ConfirmOrderScreen), pilot=pilot)
    details = str(app.screen.query_one("#details", Static).render())
    await pilot.press("y")
    return details


async def follows_and_fills(pilot: Pilot[int], app: ConsoleApp, notices: Notices) -> None:
    """The scenario both modes share, from the chase's confirmation to its fill."""
    details = await confirm_chase(pilot, app)
    assert "follows the best bid up to 60299.8 (0.5% from the start)" in details
    await wait_until(
        lambda: marks(app) == (LadderMark(D("59999.9"), "CHASE 0.001 (0 amends)"),), pilot=pilot
    )
    (order,) = await open_orders(app)
    assert order.time_in_force is TimeInForce.POST_ONLY

    await touch_at(pilot, app, "60010")
    await wait_until(
        lambda: marks(app) == (LadderMark(D("60009.9"), "CHASE 0.001 (1 amend)"),), pilot=pilot
    )
    await touch_at(pilot, app, "60020")
    await wait_until(
        lambda: marks(app) == (LadderMark(D("60019.9"), "CHASE 0.001 (2 amends)"),), pilot=pilot
    )
    (moved,) = await open_orders(app)
    assert (moved.order_id, moved.price) == (order.order_id, D("60019.9"))

    print_at(running_sim(app), VENUE_SYMBOL, D("60019.8"), taker="Sell")  # through the bid
    await wait_until(lambda: titled(notices, "Chase filled"), pilot=pilot)
    (filled,) = titled(notices, "Chase filled")
    assert f"BUY 0.001 {SYMBOL} filled at 60019.9 (order {order.order_id}, 2 amends)" == filled
    await wait_until(lambda: marks(app) == (), pilot=pilot)
    assert await open_orders(app) == []


async def test_a_paper_chase_follows_the_bid_up_and_ends_filled(tmp_path: Path) -> None:
    app = ConsoleApp(still_settings(tmp_path), services_factory=still_services)
    notices = Notices()
    async with app.run_test(size=SIZE, notifications=True, message_hook=notices) as pilot:
        await started(pilot, app)
        await touch_at(pilot, app, "60000")
        await pilot.press("h")
        await follows_and_fills(pilot, app, notices)


async def test_a_live_chase_on_the_simulator_follows_the_bid_up_and_ends_filled(
    tmp_path: Path,
) -> None:
    app = ConsoleApp(still_settings(tmp_path, mode="live"), services_factory=still_services)
    notices = Notices()
    async with app.run_test(size=SIZE, notifications=True, message_hook=notices) as pilot:
        await live_and_armed(pilot, app)
        await touch_at(pilot, app, "60000")
        await pilot.press("h")
        await follows_and_fills(pilot, app, notices)
        amends = running_sim(app).context.requests["/v5/order/amend"]
        assert amends == 2, "one amend per move of the touch"


async def drop_the_market_stream(app: ConsoleApp) -> None:
    """The simulator cuts the public linear connection (its WebSocket fault switch); the
    console reconnects at once."""
    sim = running_sim(app)
    async with (
        aiohttp.ClientSession() as session,
        session.post(
            f"{sim.base_url}/sim/admin/ws-faults", json={"action": "drop", "category": "linear"}
        ) as response,
    ):
        assert response.status == 200


async def lose_the_market_stream(app: ConsoleApp) -> None:
    """The simulator cuts the public linear connection and says nothing on the ones that
    follow: the book stays untrusted past any chase's grace."""
    public_ws_hub(running_sim(app).app).go_silent("linear", 120.0)
    await drop_the_market_stream(app)


GRACE = ChaseSettings(stream_grace_s=3.0)
"""Longer than a reconnection takes on a loaded machine, short enough for a test."""


async def test_a_live_chase_outlasts_a_brief_drop_and_stops_on_a_lasting_loss_leaving_its_order(
    tmp_path: Path,
) -> None:
    settings = still_settings(tmp_path, mode="live", chase=GRACE)
    app = ConsoleApp(settings, services_factory=still_services)
    notices = Notices()
    async with app.run_test(size=SIZE, notifications=True, message_hook=notices) as pilot:
        await live_and_armed(pilot, app)
        await touch_at(pilot, app, "60000")
        await pilot.press("h")
        await confirm_chase(pilot, app)
        await wait_until(lambda: len(marks(app)) == 1, pilot=pilot)
        await touch_at(pilot, app, "60010")
        await wait_until(
            lambda: marks(app) == (LadderMark(D("60009.9"), "CHASE 0.001 (1 amend)"),), pilot=pilot
        )

        await drop_the_market_stream(app)  # back within the grace: the chase goes on
        await touch_at(pilot, app, "60020")
        await wait_until(
            lambda: marks(app) == (LadderMark(D("60019.9"), "CHASE 0.001 (2 amends)"),),
            pilot=pilot,
        )
        assert titled(notices, "Chase stopped") == []

        await lose_the_market_stream(app)
        await wait_until(lambda: titled(notices, "Chase stopped"), pilot=pilot)
        (stopped,) = titled(notices, "Chase stopped")
        assert "stale or dropped for 3 s" in stopped
        assert "The order rests at 60019.9." in stopped
        assert marks(app) == (LadderMark(D("60019.9"), "CHASE 0.001 stopped"),)
        assert app.trading.chases.running == []
        (resting,) = await open_orders(app)
        assert (resting.status, resting.price) == (OrderStatus.OPEN, D("60019.9"))
        assert running_sim(app).context.requests["/v5/order/amend"] == 2


async def test_a_paper_chase_from_the_command_line_cancels_its_order_on_a_stream_drop(
    tmp_path: Path,
) -> None:
    settings = still_settings(tmp_path, chase=GRACE.model_copy(update={"on_stream_loss": "cancel"}))
    app = ConsoleApp(settings, services_factory=still_services)
    notices = Notices()
    async with app.run_test(size=SIZE, notifications=True, message_hook=notices) as pilot:
        await started(pilot, app)
        await touch_at(pilot, app, "60000")
        preview = app.trading.commands.preview("chase sell 0.002 btc")
        assert preview.problem is None, "a chase command runs: no 'not available yet'"
        await run_command(pilot, app, "chase sell 0.002 btc")
        details = await confirm_chase(pilot, app)
        assert "follows the best ask down to" in details
        assert "stream lost: cancel the order" in details
        await wait_until(
            lambda: marks(app) == (LadderMark(D("60000.1"), "CHASE 0.002 (0 amends)"),),
            pilot=pilot,
        )

        await lose_the_market_stream(app)
        await wait_until(lambda: titled(notices, "Chase stopped"), pilot=pilot)
        (stopped,) = titled(notices, "Chase stopped")
        assert "the order was cancelled" in stopped
        await wait_until(lambda: marks(app) == (), pilot=pilot)
        assert await open_orders(app) == []


async def test_cancelling_a_chased_order_ends_its_chase(tmp_path: Path) -> None:
    app = ConsoleApp(still_settings(tmp_path), services_factory=still_services)
    notices = Notices()
    async with app.run_test(size=SIZE, notifications=True, message_hook=notices) as pilot:
        await started(pilot, app)
        await touch_at(pilot, app, "60000")
        await pilot.press("h")
        await confirm_chase(pilot, app)
        await wait_until(lambda: len(marks(app)) == 1, pilot=pilot)
        (order,) = await open_orders(app)

        app.trading.order_flow.cancel([(order.order_id, SYMBOL)])  # what c and x call
        await wait_until(lambda: titled(notices, "Chase ended"), pilot=pilot)
        (ended,) = titled(notices, "Chase ended")
        assert ended.startswith(f"BUY 0.001 {SYMBOL}: the order was cancelled")
        await wait_until(lambda: marks(app) == (), pilot=pilot)
        await wait_until(lambda: settled(app, "chases"), pilot=pilot)


async def run_command(pilot: Pilot[int], app: ConsoleApp, line: str) -> None:
    """``:``, the line as a paste would put it, Enter."""
    await pilot.press("colon")
    await wait_until(lambda: bool(app.main_screen.query(CommandLine)), pilot=pilot)
    prompt = app.main_screen.query_one(CommandLine)
    await wait_until(lambda: prompt.is_open and app.focused is prompt.input, pilot=pilot)
    prompt.input.value = line
    prompt.input.cursor_position = len(line)
    await pilot.pause()
    await pilot.press("enter")


async def test_a_live_amend_cut_as_post_only_is_placed_again_at_the_new_touch(
    tmp_path: Path,
) -> None:
    """The touch rises, the chase reads its order before amending, and while that read is
    slow the market falls through the new price: the simulator (as Bybit) cancels the
    post-only order the amend would have made take. The chase places it again, once, at the
    touch now."""
    app = ConsoleApp(still_settings(tmp_path, mode="live"), services_factory=still_services)
    notices = Notices()
    async with app.run_test(size=SIZE, notifications=True, message_hook=notices) as pilot:
        await live_and_armed(pilot, app)
        await touch_at(pilot, app, "60000")
        await pilot.press("h")
        await confirm_chase(pilot, app)
        await wait_until(lambda: len(marks(app)) == 1, pilot=pilot)
        (first,) = await open_orders(app)

        sim = running_sim(app)
        reads = sim.context.requests["/v5/order/realtime"]
        sim.faults.delay(1.0, path="/v5/order/realtime")
        await touch_at(pilot, app, "60010")
        await wait_until(lambda: sim.context.requests["/v5/order/realtime"] > reads, pilot=pilot)
        await touch_at(pilot, app, "60005")  # the ask (60005.1) is now under the amend's price

        await wait_until(
            lambda: marks(app) == (LadderMark(D("60004.9"), "CHASE 0.001 (0 amends)"),),
            pilot=pilot,
        )
        (again,) = await open_orders(app)
        assert again.order_id != first.order_id
        assert (again.price, again.time_in_force) == (D("60004.9"), TimeInForce.POST_ONLY)
        assert app.services is not None
        cut = await app.services.client.fetch_order(first.order_id, SYMBOL)
        assert cut.status is OrderStatus.CANCELED
        assert titled(notices, "Chase stopped") == []
        assert len(app.trading.chases.running) == 1
