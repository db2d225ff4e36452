"""Scale orders in the running console (issue 14 part 3), on the in-process simulator: the
form (key N) and the command line preview the plan's children on the ladder, one
confirmation sends the whole plan (paper one by one, live through create-batch), the marks
go when it is sent or dropped, and the plan is pulled from the form (cancel-batch live)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input, Label, Static

from console.domain import Order, Side
from console.tui.app import ConsoleApp
from console.tui.screens.arm_live import ArmLiveScreen
from console.tui.screens.confirm_scale import ConfirmScaleScreen
from console.tui.screens.scale_form import ScaleFormScreen
from console.tui.widgets.command_line import CommandLine
from console.tui.widgets.status_bar import StatusBar

from support.console import (
    COARSE,
    SIZE,
    SYMBOL,
    main_ladder,
    running_sim,
    settled,
    started,
    trading_settings,
)
from support.notices import Notices
from support.waiting import wait_until


def scale_marks(app: ConsoleApp) -> list[str]:
    return [mark.label for mark in main_ladder(app).marks("scale")]


def drawn(app: ConsoleApp) -> str:
    """The main ladder's lines as the trader sees them."""
    ladder = main_ladder(app)
    return "\n".join(ladder.render_line(y).text for y in range(ladder.size.height))


async def open_orders(app: ConsoleApp) -> list[Order]:
    assert app.services is not None
    return await app.services.client.fetch_open_orders(SYMBOL)


async def count_open(app: ConsoleApp, count: int) -> bool:
    return len(await open_orders(app)) == count


def on_ladder(app: ConsoleApp, count: int) -> bool:
    return len(main_ladder(app).own_orders) == count


async def open_form(pilot: Pilot[int], app: ConsoleApp) -> ScaleFormScreen:
    await pilot.press("N")
    await wait_until(lambda: isinstance(app.screen, ScaleFormScreen), pilot=pilot)
    assert isinstance(app.screen, ScaleFormScreen)
    return app.screen


async def test_paper_plan_from_the_form_previewed_confirmed_once_and_pulled(
    tmp_path: Path,
) -> None:
    app = ConsoleApp(trading_settings(tmp_path))
    notices = Notices()
    async with app.run_test(size=SIZE, notifications=True, message_hook=notices) as pilot:
        await started(pilot, app)
        await pilot.press(*COARSE, *(["down"] * 4))
        cursor = main_ladder(app).cursor_price
        assert cursor is not None

        form = await open_form(pilot, app)
        assert form.draft.side is Side.BUY, "the cursor is under the mid"
        assert form.draft.first_price == f"{cursor.normalize():f}"
        await wait_until(lambda: len(scale_marks(app)) == 10, pilot=pilot)
        assert scale_marks(app)[0].startswith("S1 ")
        await wait_until(lambda: "S1 " in drawn(app), pilot=pilot)
        assert "S2 " in drawn(app), "each child on its line, beyond the book's depth too"
        await pilot.press("escape")
        await wait_until(lambda: scale_marks(app) == [], pilot=pilot)

        form = await open_form(pilot, app)
        form.query_one("#count", Input).value = "5"
        await wait_until(lambda: len(scale_marks(app)) == 5, pilot=pilot)
        assert form.check.plan is not None
        prices = [child.price for child in form.check.plan.children]
        assert [m.price for m in main_ladder(app).marks("scale")] == prices
        assert "5 orders" in str(form.query_one("#summary", Static).render())
        await pilot.press("enter")
        await wait_until(lambda: isinstance(app.screen, ConfirmScaleScreen), pilot=pilot)
        assert "PAPER SCALE PLAN" in str(app.screen.query_one("#mode", Static).render())
        assert len(scale_marks(app)) == 5, "still shown while it is confirmed"
        await pilot.press("y")
        assert scale_marks(app) == [], "gone once sent"
        await wait_until(lambda: count_open(app, 5), pilot=pilot)
        await wait_until(lambda: settled(app, "orders"), pilot=pilot)
        assert sorted(o.price for o in await open_orders(app) if o.price) == sorted(prices)
        assert any("5 of 5 orders placed" in n for n in notices.messages)
        assert sum("orders placed" in n for n in notices.messages) == 1, "confirmed once"

        await wait_until(lambda: on_ladder(app, 5), pilot=pilot)
        form = await open_form(pilot, app)
        working = str(form.query_one("#working", Static).render())
        assert "Plan #1 BUY" in working
        assert "5 of 5 orders open" in working
        await pilot.press("ctrl+o")
        await wait_until(lambda: count_open(app, 0), pilot=pilot)
        await wait_until(
            lambda: any("5 of 5 orders cancelled" in n for n in notices.messages), pilot=pilot
        )
        assert scale_marks(app) == []


async def arm(pilot: Pilot[int], app: ConsoleApp) -> None:
    await pilot.press("A")
    await wait_until(lambda: isinstance(app.screen, ArmLiveScreen), pilot=pilot)
    await pilot.press(*"ARM LIVE sim", "enter")
    armed = app.main_screen.query_one(StatusBar).query_one("#status-armed", Label)
    await wait_until(lambda: armed.display, pilot=pilot)


async def test_live_plan_from_the_command_line_goes_out_in_one_batch_and_is_pulled(
    tmp_path: Path,
) -> None:
    app = ConsoleApp(trading_settings(tmp_path, mode="live"))
    notices = Notices()
    async with app.run_test(size=SIZE, notifications=True, message_hook=notices) as pilot:
        await started(pilot, app)
        assert app.services is not None
        services = app.services
        await wait_until(lambda: services.account_streaming, pilot=pilot)
        await arm(pilot, app)
        book = main_ladder(app).snapshot
        assert book is not None
        assert book.mid is not None
        high = (book.mid * Decimal("0.98")).quantize(Decimal(1))
        low = (book.mid * Decimal("0.97")).quantize(Decimal(1))
        sim = running_sim(app)

        await pilot.press("colon")
        line = app.main_screen.query_one(CommandLine)
        await wait_until(lambda: line.is_open, pilot=pilot)
        line.input.value = f"scale buy 0.015 btc {high}..{low} x5 dec"
        await pilot.pause()
        preview = str(line.query_one("#command-preview", Static).render())
        assert line.preview is not None
        assert line.preview.problem is None, preview
        assert "avg " in preview, "the plan's summary"
        await pilot.press("enter")
        await wait_until(lambda: isinstance(app.screen, ConfirmScaleScreen), pilot=pilot)
        assert "LIVE SCALE PLAN" in str(app.screen.query_one("#mode", Static).render())
        assert app.screen.focused is not None
        assert app.screen.focused.id == "back", "a stray Enter cannot send"
        assert len(scale_marks(app)) == 5
        await pilot.press("y")
        await wait_until(lambda: count_open(app, 5), pilot=pilot)
        await wait_until(lambda: settled(app, "orders"), pilot=pilot)
        sizes = [o.quantity for o in sorted(await open_orders(app), key=lambda o: -(o.price or 0))]
        assert sizes == sorted(sizes, reverse=True), "shrinking toward the last price"
        assert sim.context.requests["/v5/order/create-batch"] == 1
        assert sim.context.requests["/v5/order/create"] == 0
        assert any("5 of 5 orders placed" in n for n in notices.messages)

        await wait_until(lambda: on_ladder(app, 5), pilot=pilot)
        await open_form(pilot, app)
        await pilot.press("ctrl+o")
        await wait_until(lambda: count_open(app, 0), pilot=pilot)
        assert sim.context.requests["/v5/order/cancel-batch"] == 1
        assert sim.context.requests["/v5/order/cancel"] == 0
