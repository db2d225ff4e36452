"""Close and flatten on the real console (Pilot, the in-process simulator): ``X`` and
``close btc`` close one position with a reduce-only order, ``F`` and ``flatten`` cancel
every order and close every position behind the kill switch and report each step, in paper
mode and live on the simulator; ``sell 50% pos mkt`` takes its share of a live position.
The venue's truth is read from the simulator's own engine (live) or the paper engine."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from textual.pilot import Pilot

from console.config import UISettings
from console.domain import OrderType, Side
from console.domain.closing import CloseStyle
from console.exchange.flatten import FlattenReport, StepResult
from console.sim.server import SIM_UID
from console.tui.app import ConsoleApp
from console.tui.screens.confirm_action import ConfirmActionScreen
from console.tui.screens.confirm_order import ConfirmOrderScreen
from console.tui.screens.flatten_report import FlattenReportScreen
from console.tui.trading.ladder_trading import smallest_order

from support.command_prompt import command_line, open_prompt, run, type_line
from support.console import SIZE, SYMBOL, running_sim, settled, started, trading_settings
from support.live_console import arm, fill_outside_the_console, streaming
from support.notices import Notices
from support.waiting import wait_until

ETH = "ETH/USDT:USDT"
VENUE_IDS = {SYMBOL: "BTCUSDT", ETH: "ETHUSDT"}
VENUE_IDS_BACK = {venue_id: symbol for symbol, venue_id in VENUE_IDS.items()}


def two_symbols(tmp_path: Path, **overrides: object) -> ConsoleApp:
    return ConsoleApp(trading_settings(tmp_path, symbols=(SYMBOL, ETH), **overrides))


def sim_position(app: ConsoleApp, symbol: str = SYMBOL) -> Decimal:
    """The signed position on the simulator's own books (live mode's truth)."""
    account = running_sim(app).context.engine.account(SIM_UID)
    return account.position(VENUE_IDS[symbol]).size


def paper_position(app: ConsoleApp, symbol: str = SYMBOL) -> Decimal:
    assert app.services is not None
    assert app.services.paper is not None
    sizes = {p.symbol: p.size for p in app.services.paper.positions()}
    return sizes.get(symbol, Decimal(0))


async def open_orders(app: ConsoleApp) -> list[str]:
    assert app.services is not None
    return [order.order_id for order in await app.services.client.fetch_open_orders()]


def smallest(app: ConsoleApp, symbol: str) -> Decimal:
    book = app.market_store.book(symbol)
    assert book is not None
    assert book.mid is not None
    return smallest_order(app.markets[symbol], book.mid)


def resting_price(app: ConsoleApp, symbol: str) -> Decimal:
    """2 % under the bid: inside the price band, and it rests through a test."""
    book = app.market_store.book(symbol)
    assert book is not None
    assert book.best_bid is not None
    return app.markets[symbol].round_price(book.best_bid.price * Decimal("0.98"))


def amount(value: Decimal) -> str:
    return f"{value.normalize():f}"


async def books(pilot: Pilot[int], app: ConsoleApp) -> None:
    await started(pilot, app)
    await wait_until(lambda: app.market_store.book(ETH) is not None, pilot=pilot)


async def confirm_order(pilot: Pilot[int], app: ConsoleApp) -> ConfirmOrderScreen:
    await wait_until(lambda: isinstance(app.screen, ConfirmOrderScreen), pilot=pilot)
    screen = app.screen
    assert isinstance(screen, ConfirmOrderScreen)
    await pilot.press("y")
    await wait_until(lambda: app.screen is app.main_screen, pilot=pilot)
    return screen


async def the_question(pilot: Pilot[int], app: ConsoleApp) -> ConfirmActionScreen:
    """The flatten's question, once ``F`` or ``flatten`` asked for it."""
    await wait_until(lambda: isinstance(app.screen, ConfirmActionScreen), pilot=pilot)
    question = app.screen
    assert isinstance(question, ConfirmActionScreen)
    return question


async def the_report(pilot: Pilot[int], app: ConsoleApp) -> FlattenReportScreen:
    """Say yes to the flatten's question and wait for its report."""
    await pilot.press("y")
    await wait_until(lambda: isinstance(app.screen, FlattenReportScreen), pilot=pilot)
    report = app.screen
    assert isinstance(report, FlattenReportScreen)
    return report


def all_done(report: FlattenReport, *, cancels: int, closes: int) -> None:
    assert report.count("cancel") == cancels
    assert report.count("close") == closes
    assert report.problems == ()
    assert report.remaining == ()
    assert report.flat


# -- close -----------------------------------------------------------------------------


async def test_the_close_key_closes_the_paper_position_and_says_when_there_is_none(
    tmp_path: Path,
) -> None:
    app = ConsoleApp(trading_settings(tmp_path, ui=UISettings(confirm_paper_orders=False)))
    notices = Notices()
    async with app.run_test(size=SIZE, notifications=True, message_hook=notices) as pilot:
        await started(pilot, app)
        await pilot.press("X")
        await wait_until(
            lambda: any(f"no open {SYMBOL} position" in n for n in notices.messages), pilot=pilot
        )
        assert await open_orders(app) == []

        bought = 3 * smallest(app, SYMBOL)
        await run(pilot, app, f"buy {amount(bought)} btc mkt")
        await wait_until(lambda: paper_position(app) == bought, pilot=pilot)
        await pilot.press("X")
        await wait_until(lambda: paper_position(app) == 0, pilot=pilot)
        await wait_until(lambda: settled(app, "orders"), pilot=pilot)

        await run(pilot, app, f"sell {amount(bought)} btc mkt")
        await wait_until(lambda: paper_position(app) == -bought, pilot=pilot)
        await run(pilot, app, "close btc")
        await wait_until(lambda: paper_position(app) == 0, pilot=pilot)


async def test_closing_at_the_touch_rests_a_reduce_only_limit_on_the_closing_side(
    tmp_path: Path,
) -> None:
    app = ConsoleApp(
        trading_settings(
            tmp_path, ui=UISettings(confirm_paper_orders=False, close_with=CloseStyle.TOUCH)
        )
    )
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await started(pilot, app)
        bought = 2 * smallest(app, SYMBOL)
        await run(pilot, app, f"buy {amount(bought)} btc mkt")
        await wait_until(lambda: paper_position(app) == bought, pilot=pilot)
        book = app.market_store.book(SYMBOL)
        assert book is not None
        assert book.best_ask is not None
        asked = book.best_ask.price
        await pilot.press("X")
        assert app.services is not None
        client = app.services.client
        await wait_until(lambda: settled(app, "orders"), pilot=pilot)
        orders = await client.fetch_open_orders(SYMBOL)
        filled = paper_position(app) < bought
        assert orders or filled, "the close rests at the touch, or the market came to it"
        for order in orders:
            assert (order.side, order.type, order.reduce_only) == (Side.SELL, OrderType.LIMIT, True)
            assert order.quantity == bought
            assert order.price is not None
            assert abs(order.price - asked) / asked < Decimal("0.002"), "at the ask of the time"


async def held_outside(pilot: Pilot[int], app: ConsoleApp, *fills: tuple[str, str, str]) -> None:
    """Market orders ``(venue symbol, side, qty)`` placed outside the console, and their
    positions seen by its private stream."""
    for symbol, side, qty in fills:
        fill_outside_the_console(running_sim(app), qty, symbol=symbol, side=side)
    assert app.services is not None
    stream = app.services.private_stream
    assert stream is not None
    symbols = {VENUE_IDS_BACK[symbol] for symbol, _, _ in fills}
    await wait_until(
        lambda: symbols <= {p.symbol for p in stream.view.open_positions()}, pilot=pilot
    )


async def test_close_on_the_live_simulator_leaves_the_venue_flat(tmp_path: Path) -> None:
    app = ConsoleApp(trading_settings(tmp_path, mode="live"))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await streaming(pilot, app)
        await arm(pilot, app)
        await held_outside(pilot, app, ("BTCUSDT", "Buy", "0.020"))

        await pilot.press("X")
        confirmed = await confirm_order(pilot, app)
        assert confirmed.request.reduce_only
        assert (confirmed.request.side, confirmed.request.type) == (Side.SELL, OrderType.MARKET)
        assert confirmed.request.quantity == Decimal("0.02")
        await wait_until(lambda: sim_position(app) == 0, pilot=pilot)

        await held_outside(pilot, app, ("BTCUSDT", "Sell", "0.010"))
        await run(pilot, app, "close btc")
        confirmed = await confirm_order(pilot, app)
        assert confirmed.request.side is Side.BUY
        await wait_until(lambda: sim_position(app) == 0, pilot=pilot)


async def test_half_of_a_live_position_by_the_command_line(tmp_path: Path) -> None:
    app = ConsoleApp(trading_settings(tmp_path, mode="live"))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await streaming(pilot, app)
        await arm(pilot, app)
        await held_outside(pilot, app, ("BTCUSDT", "Buy", "0.020"))

        prompt = await open_prompt(pilot, app)
        await type_line(pilot, prompt, "sell 50% pos mkt")
        preview = command_line(app).preview
        assert preview is not None
        assert preview.problem is None, preview.problem
        assert "Sell 50% of the position in BTC/USDT:USDT at market" in preview.text
        await pilot.press("enter")
        confirmed = await confirm_order(pilot, app)
        assert confirmed.request.quantity == Decimal("0.01")
        assert confirmed.request.reduce_only
        await wait_until(lambda: sim_position(app) == Decimal("0.01"), pilot=pilot)


# -- flatten ---------------------------------------------------------------------------


async def test_flatten_in_paper_cancels_every_order_and_closes_both_positions(
    tmp_path: Path,
) -> None:
    app = two_symbols(tmp_path, ui=UISettings(confirm_paper_orders=False))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await books(pilot, app)
        btc, eth = 2 * smallest(app, SYMBOL), 2 * smallest(app, ETH)
        await run(pilot, app, f"buy {amount(btc)} btc mkt")
        await run(pilot, app, f"sell {amount(eth)} eth mkt")
        await wait_until(lambda: paper_position(app) == btc, pilot=pilot)
        await wait_until(lambda: paper_position(app, ETH) == -eth, pilot=pilot)
        for symbol, base in ((SYMBOL, "btc"), (SYMBOL, "btc"), (ETH, "eth")):
            size = smallest(app, symbol)
            await run(pilot, app, f"buy {amount(size)} {base} @ {resting_price(app, symbol)}")
        await wait_until(lambda: settled(app, "orders"), pilot=pilot)
        assert len(await open_orders(app)) == 3

        await run(pilot, app, "flatten")
        question = await the_question(pilot, app)
        assert question.question.startswith("PAPER FLATTEN")
        assert not question.live
        report = await the_report(pilot, app)

        all_done(report.report, cancels=3, closes=2)
        assert report.headline().startswith("Flat")
        assert await open_orders(app) == []
        assert paper_position(app) == paper_position(app, ETH) == 0
        assert app.services is not None
        assert app.services.risk.killed, "the kill switch stays engaged"
        await pilot.press("escape")
        await wait_until(lambda: app.screen is app.main_screen, pilot=pilot)


async def live_book_of_two(pilot: Pilot[int], app: ConsoleApp) -> None:
    """Live, armed: a long BTC and a short ETH position, and three resting orders."""
    await streaming(pilot, app)
    await wait_until(lambda: app.market_store.book(ETH) is not None, pilot=pilot)
    await arm(pilot, app)
    await held_outside(pilot, app, ("BTCUSDT", "Buy", "0.020"), ("ETHUSDT", "Sell", "0.30"))
    for symbol, base in ((SYMBOL, "btc"), (SYMBOL, "btc"), (ETH, "eth")):
        size = smallest(app, symbol)
        await run(pilot, app, f"buy {amount(size)} {base} @ {resting_price(app, symbol)}")
        await confirm_order(pilot, app)
    await wait_until(lambda: settled(app, "orders"), pilot=pilot)
    assert len(await open_orders(app)) == 3


async def test_flatten_on_the_live_simulator_leaves_no_order_and_no_position(
    tmp_path: Path,
) -> None:
    app = two_symbols(tmp_path, mode="live")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await live_book_of_two(pilot, app)
        await pilot.press("F")
        question = await the_question(pilot, app)
        assert question.question.startswith("LIVE FLATTEN · sim · REAL MONEY")
        assert question.live
        assert question.focused is question.query_one("#back"), "a stray Enter does nothing"
        assert f"long 0.02 {SYMBOL}" in question.detail
        assert f"short 0.3 {ETH}" in question.detail
        all_done((await the_report(pilot, app)).report, cancels=3, closes=2)
        assert sim_position(app) == sim_position(app, ETH) == 0
        assert await open_orders(app) == []


async def test_a_cancel_and_a_close_the_venue_refuses_are_named_in_the_report(
    tmp_path: Path,
) -> None:
    """The simulator answers 10006 to one cancel and one close, through every retry: those
    two fail with the venue's words, the others go through, and nothing is sent again."""
    app = two_symbols(tmp_path, mode="live")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await live_book_of_two(pilot, app)
        sim = running_sim(app)
        creates = sim.context.requests["/v5/order/create"]
        attempts = 4  # the first try and the limiter's three retries of a 10006
        sim.faults.rate_limit(attempts, path="/v5/order/cancel")
        sim.faults.rate_limit(attempts, path="/v5/order/create")

        await pilot.press("F")
        await the_question(pilot, app)
        report = (await the_report(pilot, app)).report
        failed = [step for step in report.steps if step.result is StepResult.FAILED]
        assert [step.action for step in failed] == ["cancel", "close"]
        for step in failed:
            assert "(code 10006)" in step.detail, "the venue's refusal, in the trader's words"
        assert report.count("cancel") == 2
        assert report.count("close") == 1
        assert report.remaining is not None
        (left,) = report.remaining
        assert failed[1].subject.endswith(left.symbol)
        assert sim_position(app, left.symbol) != 0
        assert len(await open_orders(app)) == 1
        assert sim.context.requests["/v5/order/create"] == creates + attempts + 1, (
            "the refused close was not sent again after the limiter's retries"
        )
        shown = str(app.screen.query_one("#steps").render())
        assert "FAILED" in shown
        assert "NOT FLAT" in str(app.screen.query_one("#headline").render())
