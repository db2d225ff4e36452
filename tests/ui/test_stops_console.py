"""Stops and TP/SL in the console (issue 14), end to end on the in-process simulator, in
paper and live-on-sim: placed by key and by command, shown at their trigger on the ladder
(not as resting orders), moved with the order-move keys (one amend, or trading-stop for the
position's TP/SL), cancelled, and triggered by the simulator's market (Pilot)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from decimal import Decimal
from pathlib import Path

from textual.pilot import Pilot

from console.config import UISettings
from console.domain import Order, Position, Side
from console.paper import PaperTradingExchange
from console.sim import SimServer
from console.sim.params import CreateOrderParams
from console.sim.server import SIM_UID
from console.tui.app import ConsoleApp
from console.tui.formatting import price_text
from console.tui.screens.arm_live import ArmLiveScreen
from console.tui.screens.confirm_action import ConfirmActionScreen
from console.tui.screens.confirm_order import ConfirmOrderScreen
from console.tui.trading.ladder_trading import smallest_order
from console.tui.trading.trigger_marks import TPSL, TRIGGERS
from console.tui.widgets.command_line import CommandLine
from console.tui.widgets.ladder import LadderMark, OrderBookLadder
from console.tui.widgets.open_orders import OpenOrdersTable
from console.tui.widgets.status_bar import StatusBar

from support.command_prompt import open_prompt, run, shown, type_line
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
from support.sim_private import print_at
from support.waiting import wait_until

VENUE_SYMBOL = "BTCUSDT"


def paper(app: ConsoleApp) -> PaperTradingExchange:
    assert app.services is not None
    assert app.services.paper is not None
    return app.services.paper


async def open_orders(app: ConsoleApp) -> list[Order]:
    """The open orders as the venue (live) or the paper engine has them."""
    assert app.services is not None
    return await app.services.client.fetch_open_orders(SYMBOL)


async def stops(app: ConsoleApp) -> list[Order]:
    return [order for order in await open_orders(app) if order.waiting_trigger]


def own_on_ladder(ladder: OrderBookLadder) -> dict[Decimal, Decimal]:
    """Our resting size per ladder line, as drawn (◆)."""
    view = ladder.current_view()
    assert view is not None
    return {row.price: row.own_size for row in (*view.asks, *view.bids) if row.own_size}


def label(quantity: Decimal) -> str:
    return f"STOP {quantity.normalize():f}"


async def arm(pilot: Pilot[int], app: ConsoleApp) -> None:
    await pilot.press("A")
    await wait_until(lambda: isinstance(app.screen, ArmLiveScreen), pilot=pilot)
    await pilot.press(*"ARM LIVE sim", "enter")
    armed = app.main_screen.query_one(StatusBar).query_one("#status-armed")
    await wait_until(lambda: armed.display, pilot=pilot)


async def confirm(pilot: Pilot[int], app: ConsoleApp, banner: str, headline: str = "") -> None:
    """The order confirmation is up, says ``banner`` (``LIVE ORDER``...) and ``headline``,
    and is accepted."""
    await wait_until(lambda: isinstance(app.screen, ConfirmOrderScreen), pilot=pilot)
    assert banner in str(app.screen.query_one("#mode").render())
    assert headline in str(app.screen.query_one("#headline").render())
    await pilot.press("y")


async def confirm_action(pilot: Pilot[int], app: ConsoleApp, words: str) -> None:
    await wait_until(lambda: isinstance(app.screen, ConfirmActionScreen), pilot=pilot)
    assert words in str(app.screen.query_one("#question").render())
    await pilot.press("y")


def below_market(app: ConsoleApp, ticks: int) -> Decimal:
    book = app.market_store.book(SYMBOL)
    assert book is not None
    assert book.best_bid is not None
    return book.best_bid.price - app.markets[SYMBOL].tick_size * ticks


async def stop_by_key_moved_and_cancelled(
    pilot: Pilot[int],
    app: ConsoleApp,
    notices: Notices,
    *,
    live: bool,
    amends: int | None = None,
) -> None:
    """``S`` below the market, its mark and its "Order placed" notice, ``m`` ↓ Enter, then
    ``x``; in live mode each step is confirmed with the LIVE wording."""
    ladder = main_ladder(app)
    await pilot.press(*COARSE, *(["down"] * 6), "S")
    if live:
        await confirm(pilot, app, "LIVE ORDER", "at market when the last price falls to")
    await wait_until(_has_stops(app, 1), pilot=pilot)
    (stop,) = await stops(app)
    trigger = ladder.cursor_price
    assert trigger is not None
    assert (stop.side, stop.trigger_price, stop.price) == (Side.SELL, trigger, None)
    await wait_until(
        lambda: ladder.marks(TRIGGERS) == (LadderMark(trigger, label(stop.quantity)),),
        pilot=pilot,
    )
    assert trigger not in own_on_ladder(ladder), "a waiting stop is not drawn as resting"
    table = app.main_screen.query_one(OpenOrdersTable)
    row = [str(cell) for cell in table.current_rows[stop.order_id]]
    assert row[2].startswith("stop market @")
    assert row[6] == "waiting trigger"
    # Live, the venue's answer to the create is an acknowledgement: its state comes later.
    state = "pending" if live else "waiting trigger"
    trigger_text = price_text(trigger, app.markets[SYMBOL])
    placed = f"SELL {stop.quantity.normalize():f} {SYMBOL} stop market @{trigger_text}"
    assert [notice for notice in notices.messages if notice.startswith(placed)] == [
        f"{placed}: {state} (id {stop.order_id})"
    ], "a stop is reported as waiting for its trigger, never as sent at market"

    await pilot.press("m", "down", "down")
    target = ladder.cursor_price
    assert target is not None
    assert target < trigger
    assert "moving STOP" in ladder.move_note
    await pilot.press("enter")
    if live:  # the amended stop still waits for a fall, though the venue lists no direction
        await confirm(pilot, app, "LIVE AMEND", "when the last price falls to")

    async def moved() -> bool:
        return [(o.order_id, o.trigger_price) for o in await stops(app)] == [
            (stop.order_id, target)
        ]

    await wait_until(moved, pilot=pilot)
    await wait_until(
        lambda: ladder.marks(TRIGGERS) == (LadderMark(target, label(stop.quantity)),),
        pilot=pilot,
    )
    if amends is not None:
        assert running_sim(app).context.requests["/v5/order/amend"] == amends + 1

    await pilot.press("m", "up", "escape")
    assert ladder.cursor_price == target, "Esc leaves the trigger where it was"
    await pilot.press("R", "up")
    assert "stop @" in ladder.move_note, ladder.move_note
    await pilot.press("enter")
    if live:
        await confirm(pilot, app, "LIVE AMEND", "when the last price falls to")
    bigger = stop.quantity + smallest_order(app.markets[SYMBOL], target)

    async def resized() -> bool:
        return [(o.quantity, o.trigger_price) for o in await stops(app)] == [(bigger, target)]

    await wait_until(resized, pilot=pilot, what="the stop resized at its trigger")
    await wait_until(
        lambda: ladder.marks(TRIGGERS) == (LadderMark(target, label(bigger)),), pilot=pilot
    )
    await pilot.press("x")
    await wait_until(_has_stops(app, 0), pilot=pilot)
    await wait_until(lambda: ladder.marks(TRIGGERS) == (), pilot=pilot)
    await wait_until(lambda: settled(app, "cancels"), pilot=pilot)


def _has_stops(app: ConsoleApp, count: int) -> Callable[[], Awaitable[bool]]:
    async def look() -> bool:
        return len(await stops(app)) == count

    return look


async def stop_by_command_triggered_by_the_market(
    pilot: Pilot[int], app: ConsoleApp, sim: SimServer | None, *, live: bool
) -> None:
    """``stop sell QTY @ TRIGGER`` (refused first on the wrong side, pointing at the
    trigger), then the market falls through the trigger: the stop fires and fills."""
    btc = app.markets[SYMBOL]
    trigger = btc.round_price(below_market(app, 400))
    quantity = smallest_order(btc, trigger)
    above = btc.round_price(below_market(app, -400))
    prompt = await open_prompt(pilot, app)
    await type_line(pilot, prompt, f"stop sell {quantity.normalize():f} @ {above.normalize():f}")
    pointer = shown(app, "#command-pointer")
    assert "A sell stop waits below the market" in pointer
    assert "^" * len(f"{above.normalize():f}") in pointer
    await type_line(pilot, prompt, f"stop sell {quantity.normalize():f} @ {trigger.normalize():f}")
    preview = shown(app, "#command-preview")
    assert "when the last price falls to" in preview, shown(app, "#command-pointer")
    await pilot.press("enter")
    await wait_until(lambda: not app.main_screen.query_one(CommandLine).is_open, pilot=pilot)
    if live:
        await confirm(pilot, app, "LIVE ORDER")
    await wait_until(_has_stops(app, 1), pilot=pilot)
    (stop,) = await stops(app)
    assert (stop.trigger_price, stop.quantity, stop.side) == (trigger, quantity, Side.SELL)
    ladder = main_ladder(app)
    await wait_until(lambda: LadderMark(trigger, label(quantity)) in ladder.marks(TRIGGERS))

    assert app.services is not None
    if sim is not None:
        print_at(sim, VENUE_SYMBOL, trigger - btc.tick_size * 5, taker="Sell")
    await wait_until(_has_stops(app, 0), pilot=pilot)
    fired = await app.services.client.fetch_order(stop.order_id, SYMBOL)
    assert fired.triggered
    await wait_until(lambda: ladder.marks(TRIGGERS) == (), pilot=pilot)


async def protect_position(
    pilot: Pilot[int], app: ConsoleApp, *, live: bool, position: Callable[[], Position | None]
) -> None:
    """``E`` above the market, ``D`` below, their ``TP``/``SL`` marks, then the TP line moved
    by ``m`` ↑ Enter; live, each is confirmed with the LIVE wording."""
    ladder = main_ladder(app)
    await pilot.press(*COARSE, *(["up"] * 8), "E")
    take_profit = ladder.cursor_price
    if live:
        await confirm_action(pilot, app, "LIVE")
    await wait_until(lambda: (position() or EMPTY).take_profit == take_profit, pilot=pilot)
    await pilot.press(*(["down"] * 16), "D")
    stop_loss = ladder.cursor_price
    if live:
        await confirm_action(pilot, app, "LIVE")
    await wait_until(lambda: (position() or EMPTY).stop_loss == stop_loss, pilot=pilot)
    assert take_profit is not None
    assert stop_loss is not None
    await wait_until(
        lambda: (
            set(ladder.marks(TPSL)) == {LadderMark(take_profit, "TP"), LadderMark(stop_loss, "SL")}
        ),
        pilot=pilot,
    )
    assert ladder.marks(TRIGGERS) == (), "the position's own TP/SL orders are not repeated"

    ladder.cursor_price = take_profit
    await pilot.press("m", "up")
    moved = ladder.cursor_price
    assert moved is not None
    assert moved > take_profit
    assert "moving TP" in ladder.move_note
    await pilot.press("enter")
    if live:
        await confirm_action(pilot, app, "LIVE")
    await wait_until(lambda: (position() or EMPTY).take_profit == moved, pilot=pilot)
    await wait_until(lambda: LadderMark(moved, "TP") in ladder.marks(TPSL), pilot=pilot)
    assert (position() or EMPTY).stop_loss == stop_loss, "the stop-loss stays"


EMPTY = Position(symbol=SYMBOL)


async def tpsl_by_command(
    pilot: Pilot[int], app: ConsoleApp, *, live: bool, position: Callable[[], Position | None]
) -> None:
    """``tp X sl Y``: a stop-loss above the market is pointed out in the preview, a right one
    is set (with the take-profit) on the position."""
    btc = app.markets[SYMBOL]
    low = btc.round_price(below_market(app, 3_000))
    high = btc.round_price(below_market(app, -3_000))
    prompt = await open_prompt(pilot, app)
    await type_line(pilot, prompt, f"tp {high.normalize():f} sl {high.normalize():f}")
    assert "stop-loss of a long must be below the market" in shown(app, "#command-preview")
    await type_line(pilot, prompt, f"tp {high.normalize():f} sl {low.normalize():f}")
    preview = shown(app, "#command-preview")
    assert preview == (
        f"On the {SYMBOL} position: take profit at {high.normalize():f} and stop loss at "
        f"{low.normalize():f}"
    )
    await pilot.press("enter")
    if live:
        await confirm_action(pilot, app, "LIVE")
    await wait_until(
        lambda: ((position() or EMPTY).take_profit, (position() or EMPTY).stop_loss) == (high, low),
        pilot=pilot,
    )


async def test_paper_stops_by_key_and_command_move_cancel_and_trigger(tmp_path: Path) -> None:
    settings = trading_settings(tmp_path, ui=UISettings(confirm_paper_orders=False))
    app = ConsoleApp(settings)
    notices = Notices()
    async with app.run_test(size=SIZE, notifications=True, message_hook=notices) as pilot:
        await started(pilot, app)
        await stop_by_key_moved_and_cancelled(pilot, app, notices, live=False)
        await stop_by_command_triggered_by_the_market(pilot, app, running_sim(app), live=False)


async def test_paper_take_profit_and_stop_loss_on_the_position(tmp_path: Path) -> None:
    settings = trading_settings(tmp_path, ui=UISettings(confirm_paper_orders=False))
    app = ConsoleApp(settings)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await started(pilot, app)
        prompt = await open_prompt(pilot, app)
        await type_line(pilot, prompt, "tp 90000")
        assert f"There is no {SYMBOL} position to protect" in shown(app, "#command-preview")
        await pilot.press("escape")
        btc = app.markets[SYMBOL]
        bought = 4 * smallest_order(btc, below_market(app, 0))
        await run(pilot, app, f"buy {bought.normalize():f} mkt")

        def held() -> Position | None:
            return next((p for p in paper(app).venue_positions() if p.symbol == SYMBOL), None)

        await wait_until(lambda: (held() or EMPTY).size == bought, pilot=pilot)
        await wait_until(lambda: app.main_screen.position(SYMBOL) is not None, pilot=pilot)
        await protect_position(pilot, app, live=False, position=held)
        await tpsl_by_command(pilot, app, live=False, position=held)


async def test_live_stops_by_key_and_command_on_the_venue(tmp_path: Path) -> None:
    app = ConsoleApp(trading_settings(tmp_path, mode="live"))
    notices = Notices()
    async with app.run_test(size=SIZE, notifications=True, message_hook=notices) as pilot:
        await started(pilot, app)
        await arm(pilot, app)
        amends = running_sim(app).context.requests["/v5/order/amend"]
        await stop_by_key_moved_and_cancelled(pilot, app, notices, live=True, amends=amends)
        await stop_by_command_triggered_by_the_market(pilot, app, running_sim(app), live=True)


async def test_live_take_profit_and_stop_loss_on_the_venue_position(tmp_path: Path) -> None:
    app = ConsoleApp(trading_settings(tmp_path, mode="live"))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await started(pilot, app)
        await arm(pilot, app)
        sim = running_sim(app)
        engine = sim.context.engine
        account = engine.account(SIM_UID)
        engine.create(
            account,
            CreateOrderParams(
                category="linear",
                symbol=VENUE_SYMBOL,
                side="Buy",
                orderType="Market",
                qty=Decimal("0.010"),
            ),
        )
        await wait_until(lambda: app.main_screen.position(SYMBOL) is not None, pilot=pilot)
        stops_before = sim.context.requests["/v5/position/trading-stop"]

        def held() -> Position | None:
            return app.main_screen.position(SYMBOL)

        await protect_position(pilot, app, live=True, position=held)
        await tpsl_by_command(pilot, app, live=True, position=held)
        venue = account.position(VENUE_SYMBOL)
        assert (venue.take_profit, venue.stop_loss) == (
            (held() or EMPTY).take_profit,
            (held() or EMPTY).stop_loss,
        )
        assert sim.context.requests["/v5/position/trading-stop"] == stops_before + 4
