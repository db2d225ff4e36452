"""The live account in the console (issue 13), end to end on the in-process simulator: the
private stream feeds positions, fills and orders with no REST poll, polling returns as the
fallback when the stream is down, orders move from the ladder by keys (live and paper), and
leverage is set per symbol (Pilot)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from textual.widgets import Input

from console.config import UISettings
from console.domain import Order
from console.sim import SimServer
from console.sim.trading_desks import private_ws_hub
from console.tui.app import ConsoleApp
from console.tui.screens.confirm_order import ConfirmOrderScreen
from console.tui.screens.leverage import LeverageScreen
from console.tui.widgets.fills_table import FillsTable
from console.tui.widgets.positions import PositionsTable

from support.console import (
    COARSE,
    SIZE,
    SYMBOL,
    arm_live,
    main_ladder,
    running_sim,
    started,
    table_ids,
    trading_settings,
)
from support.live_console import account_source, fill_outside_the_console, streaming
from support.notices import Notices
from support.waiting import wait_until

ACCOUNT_READS = (
    "/v5/account/wallet-balance",
    "/v5/order/realtime",
    "/v5/position/list",
    "/v5/execution/list",
)
"""The REST reads of the account: the poll's, and the private stream's rebuild."""


def account_reads(sim: SimServer) -> int:
    return sum(sim.context.requests[path] for path in ACCOUNT_READS)


def steady(read: Callable[[], int]) -> Callable[[], bool]:
    """True once ``read()`` gives the same value on two looks in a row."""
    last: list[int] = []

    def look() -> bool:
        value = read()
        same = bool(last) and last[-1] == value
        last.append(value)
        return same

    return look


def position_rows(app: ConsoleApp) -> set[str]:
    table = app.main_screen.query_one(PositionsTable)
    return set(table.current_rows)


async def venue_orders(app: ConsoleApp) -> list[Order]:
    assert app.services is not None
    return await app.services.client.fetch_open_orders(SYMBOL)


async def test_a_fill_shows_in_positions_fills_and_a_notice_with_no_rest_poll(
    tmp_path: Path,
) -> None:
    app = ConsoleApp(trading_settings(tmp_path, mode="live"))
    notices = Notices()
    async with app.run_test(size=SIZE, notifications=True, message_hook=notices) as pilot:
        await streaming(pilot, app)
        sim = running_sim(app)
        await wait_until(steady(lambda: account_reads(sim)), pilot=pilot)
        before = account_reads(sim)
        assert SYMBOL not in position_rows(app)

        order_id = fill_outside_the_console(sim)
        await wait_until(lambda: SYMBOL in position_rows(app), pilot=pilot)
        await wait_until(lambda: any(n.startswith("BUY 0.01 ") for n in notices.messages))
        notice = next(n for n in notices.messages if n.startswith("BUY 0.01 "))
        assert f"order {order_id}" in notice
        fills = app.main_screen.query_one(FillsTable)
        await wait_until(lambda: len(fills.current_rows) == 1, pilot=pilot)
        assert account_reads(sim) == before, "no REST read of the account in between"

        assert app.services is not None
        assert app.services.private_stream is not None
        (venue,) = app.services.private_stream.view.open_positions()
        table = app.main_screen.query_one(PositionsTable)
        size, entry, _, _, _, leverage, margin, liq = table.current_rows[SYMBOL][1:]
        assert Decimal(str(size)) == Decimal("0.01")
        assert str(leverage) == "10x", "the simulator's default leverage"
        assert venue.initial_margin is not None
        cents = Decimal("0.01")
        assert Decimal(str(margin).replace(",", "")) == venue.initial_margin.quantize(cents)
        assert venue.entry_price is not None
        assert Decimal(str(entry).replace(",", "")) == venue.entry_price
        # cross margin on a big wallet: Bybit reports no liquidation price ("") for it
        shown_liq = None if str(liq) == "–" else Decimal(str(liq).replace(",", ""))
        assert shown_liq == venue.liquidation_price
        assert main_ladder(app).position_marks == (venue.entry_price, venue.liquidation_price)

        # the market moves on with no position push: the panel follows the book's mid
        entered = venue.entry_price
        view = app.services.private_stream.view

        def amount(cell: object) -> Decimal:
            return Decimal(str(cell).replace(",", "").lstrip("+"))

        def marked() -> bool:
            _, _, shown_mark, upnl = table.current_rows[SYMBOL][1:5]
            book = main_ladder(app).snapshot
            at = amount(shown_mark)
            pnl = ((at - entered) * Decimal("0.01")).quantize(cents)
            moved = at != entered and at != venue.mark_price
            return book is not None and at == book.mid and moved and amount(upnl) == pnl

        await wait_until(marked, pilot=pilot)
        assert view.positions[SYMBOL] == venue, "no position push was needed"


async def test_a_fill_whose_push_is_lost_with_the_connection_shows_once_after_it(
    tmp_path: Path,
) -> None:
    app = ConsoleApp(trading_settings(tmp_path, mode="live"))
    notices = Notices()
    async with app.run_test(size=SIZE, notifications=True, message_hook=notices) as pilot:
        await streaming(pilot, app)
        sim = running_sim(app)
        assert app.services is not None
        stream = app.services.private_stream
        assert stream is not None
        rebuilds = stream.rebuilds
        for connection in private_ws_hub(sim.app).connections:
            connection.drop_on_next_push("execution")
        order_id = fill_outside_the_console(sim)
        await wait_until(lambda: stream.rebuilds > rebuilds, pilot=pilot)
        fills = app.main_screen.query_one(FillsTable)
        await wait_until(lambda: len(fills.current_rows) == 1, pilot=pilot)
        await wait_until(lambda: SYMBOL in position_rows(app), pilot=pilot)
        told = [n for n in notices.messages if f"order {order_id}" in n]
        assert len(told) == 1, "found by the rebuild, told once"


async def test_polling_returns_while_the_stream_is_down_and_stops_when_it_is_back(
    tmp_path: Path,
) -> None:
    app = ConsoleApp(trading_settings(tmp_path, mode="live"))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await streaming(pilot, app)
        sim = running_sim(app)
        assert app.services is not None
        stream = app.services.private_stream
        assert stream is not None
        keys = dict(sim.context.credentials)
        sim.context.credentials.clear()  # the stream's re-auth is refused: it stays down
        stream.drop("test: the connection is lost")
        await wait_until(lambda: account_source(app).endswith("REST polling"), pilot=pilot)
        down_at = account_reads(sim)
        await wait_until(lambda: account_reads(sim) > down_at, pilot=pilot)

        sim.context.credentials.update(keys)
        await wait_until(lambda: account_source(app).endswith("private stream"), pilot=pilot)
        await wait_until(lambda: app.services is not None and app.services.account_streaming)


async def test_moving_an_order_by_keys_amends_it_on_the_venue(tmp_path: Path) -> None:
    app = ConsoleApp(trading_settings(tmp_path, mode="live"))
    notices = Notices()
    async with app.run_test(size=SIZE, notifications=True, message_hook=notices) as pilot:
        await streaming(pilot, app)
        await arm_live(pilot, app)
        await pilot.press(*COARSE, *(["down"] * 6), "b")
        await wait_until(lambda: isinstance(app.screen, ConfirmOrderScreen), pilot=pilot)
        await pilot.press("y")
        await wait_until(lambda: bool(table_ids(app)), pilot=pilot)
        (placed,) = await venue_orders(app)
        ladder = main_ladder(app)
        assert ladder.cursor_price == placed.price

        await pilot.press("m", "down", "down")
        target = ladder.cursor_price
        assert target is not None
        assert placed.price is not None
        assert target < placed.price
        assert "→" in ladder.move_note
        await pilot.press("enter")
        await wait_until(lambda: isinstance(app.screen, ConfirmOrderScreen), pilot=pilot)
        assert "LIVE AMEND" in str(app.screen.query_one("#mode").render())
        await pilot.press("y")

        async def moved() -> bool:
            orders = await venue_orders(app)
            return [(o.order_id, o.price) for o in orders] == [(placed.order_id, target)]

        await wait_until(moved, pilot=pilot)
        assert running_sim(app).context.requests["/v5/order/amend"] == 1
        assert any(n.startswith("BUY") and "(id " in n for n in notices.messages)
        assert ladder.move_note == ""

        await pilot.press("m", "down", "escape")
        assert ladder.cursor_price == target, "Esc puts it back where it was"
        assert running_sim(app).context.requests["/v5/order/amend"] == 1


async def test_paper_orders_move_and_resize_by_keys_and_leverage_is_set(tmp_path: Path) -> None:
    settings = trading_settings(tmp_path, ui=UISettings(confirm_paper_orders=False))
    app = ConsoleApp(settings)
    notices = Notices()
    async with app.run_test(size=SIZE, notifications=True, message_hook=notices) as pilot:
        await started(pilot, app)
        assert app.services is not None
        paper = app.services.paper
        assert paper is not None
        await pilot.press(*COARSE, *(["down"] * 6), "b")
        await wait_until(lambda: bool(table_ids(app)), pilot=pilot)
        (placed,) = await paper.fetch_open_orders(SYMBOL)
        ladder = main_ladder(app)

        await pilot.press("m", "down", "enter")
        target = ladder.cursor_price
        assert target is not None
        assert placed.price is not None
        assert target < placed.price

        async def paper_order() -> Order:
            (order,) = await paper.fetch_open_orders(SYMBOL)
            return order

        async def moved() -> bool:
            return (await paper_order()).price == target

        await wait_until(moved, pilot=pilot)
        assert (await paper_order()).order_id == placed.order_id

        await pilot.press("R", "up", "enter")

        async def resized() -> bool:
            return (await paper_order()).quantity == placed.quantity * 2

        await wait_until(resized, pilot=pilot)
        assert (await paper_order()).price == target

        await pilot.press("L")
        await wait_until(lambda: isinstance(app.screen, LeverageScreen), pilot=pilot)
        app.screen.query_one(Input).value = "7"
        await pilot.press("enter")
        await wait_until(lambda: paper.leverage(SYMBOL) == Decimal(7), pilot=pilot)
        await wait_until(lambda: f"Leverage of {SYMBOL} now 7x" in notices.messages)


async def test_live_leverage_needs_arming_then_is_set_on_the_venue(tmp_path: Path) -> None:
    app = ConsoleApp(trading_settings(tmp_path, mode="live"))
    notices = Notices()
    async with app.run_test(size=SIZE, notifications=True, message_hook=notices) as pilot:
        await streaming(pilot, app)
        await pilot.press("L")
        await wait_until(lambda: any("not armed" in n for n in notices.messages), pilot=pilot)
        assert not isinstance(app.screen, LeverageScreen)

        await arm_live(pilot, app)
        await pilot.press("L")
        await wait_until(lambda: isinstance(app.screen, LeverageScreen), pilot=pilot)
        app.screen.query_one(Input).value = "5x"
        await pilot.press("enter")
        await wait_until(lambda: f"Leverage of {SYMBOL} now 5x" in notices.messages, pilot=pilot)
        assert app.services is not None
        (position,) = await app.services.client.fetch_positions(SYMBOL)
        assert position.leverage == Decimal(5)
