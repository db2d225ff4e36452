"""The order command line on the real console (Pilot): ``:`` opens it, a typed buy goes the
form's way (confirmation, paper engine, open orders), a word it cannot read is pointed at,
and the history outlives the app."""

from __future__ import annotations

import stat
from decimal import Decimal
from pathlib import Path

from console.config import UISettings
from console.domain import OrderStatus, Side, TimeInForce
from console.paper import PaperTradingExchange
from console.tui.app import ConsoleApp
from console.tui.bindings import CONSOLE_BINDINGS
from console.tui.command_history import HISTORY_FILE
from console.tui.screens.confirm_action import ConfirmActionScreen
from console.tui.screens.confirm_order import ConfirmOrderScreen
from console.tui.trading.ladder_trading import smallest_order

from support.command_prompt import command_line, open_prompt, run, shown, type_line
from support.console import SIZE, SYMBOL, settings, settled, started, trading_settings
from support.fixed_scene import SYMBOLS, market
from support.notices import Notices
from support.waiting import wait_until


def paper(app: ConsoleApp) -> PaperTradingExchange:
    assert app.services is not None
    assert app.services.paper is not None
    return app.services.paper


async def test_a_typed_buy_is_confirmed_and_placed_like_a_form_order(tmp_path: Path) -> None:
    app = ConsoleApp(trading_settings(tmp_path))
    notices = Notices()
    async with app.run_test(size=SIZE, notifications=True, message_hook=notices) as pilot:
        await started(pilot, app)
        snapshot = app.market_store.book(SYMBOL)
        assert snapshot is not None
        assert snapshot.best_bid is not None
        btc = app.markets[SYMBOL]
        price = btc.round_price(snapshot.best_bid.price * Decimal("0.99"))
        quantity = smallest_order(btc, price)

        prompt = await open_prompt(pilot, app)
        text = f"buy {quantity.normalize():f} btc @ {price.normalize():f} post"
        await type_line(pilot, prompt, text)
        preview = shown(app, "#command-preview")
        assert f"Buy {quantity.normalize():f} {SYMBOL} limit" in preview
        assert "post-only" in preview
        assert shown(app, "#command-pointer") == ""

        await pilot.press("enter")
        await wait_until(lambda: isinstance(app.screen, ConfirmOrderScreen), pilot=pilot)
        assert not command_line(app).is_open, "the prompt closes once the line is run"
        assert await paper(app).fetch_open_orders(SYMBOL) == [], "nothing before confirming"
        await pilot.press("y")
        await wait_until(
            lambda: _resting(app, 1),
            pilot=pilot,
        )
        await wait_until(lambda: settled(app, "orders"), pilot=pilot)
        (order,) = await paper(app).fetch_open_orders(SYMBOL)
        assert (order.side, order.price, order.quantity) == (Side.BUY, price, quantity)
        assert order.time_in_force is TimeInForce.POST_ONLY
        assert order.status is OrderStatus.OPEN
        assert any("Order placed" in n or "BUY" in n for n in notices.messages)


async def _resting(app: ConsoleApp, count: int) -> bool:
    return len(await paper(app).fetch_open_orders(SYMBOL)) == count


def position_size(app: ConsoleApp) -> Decimal:
    sizes = {position.symbol: position.size for position in paper(app).positions()}
    return sizes.get(SYMBOL, Decimal(0))


async def test_a_share_of_the_paper_position_and_cancel_all(tmp_path: Path) -> None:
    app = ConsoleApp(trading_settings(tmp_path, ui=UISettings(confirm_paper_orders=False)))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await started(pilot, app)
        snapshot = app.market_store.book(SYMBOL)
        assert snapshot is not None
        assert snapshot.best_bid is not None
        btc = app.markets[SYMBOL]
        below = btc.round_price(snapshot.best_bid.price * Decimal("0.99"))
        bought = 4 * smallest_order(btc, snapshot.best_bid.price)

        await run(pilot, app, f"buy {bought.normalize():f} btc mkt")
        await wait_until(lambda: position_size(app) == bought, pilot=pilot)
        prompt = await open_prompt(pilot, app)
        await type_line(pilot, prompt, "sell 50% pos mkt")
        assert "Sell 50% of the position in BTC/USDT:USDT at market" in shown(
            app, "#command-preview"
        )
        await pilot.press("enter")
        half = btc.floor_qty(bought / 2)
        await wait_until(lambda: position_size(app) == bought - half, pilot=pilot)

        resting = smallest_order(btc, below)
        await run(pilot, app, f"buy {resting.normalize():f} @ {below.normalize():f}")
        await wait_until(lambda: _resting(app, 1), pilot=pilot)
        await run(pilot, app, "cancel all")
        await wait_until(lambda: isinstance(app.screen, ConfirmActionScreen), pilot=pilot)
        assert await _resting(app, 1), "nothing is cancelled before the answer"
        await pilot.press("y")
        await wait_until(lambda: _resting(app, 0), pilot=pilot)
        await wait_until(lambda: settled(app, "cancels"), pilot=pilot)


def test_the_colon_key_is_the_command_lines_alone() -> None:
    taken = [
        binding.id
        for binding in CONSOLE_BINDINGS
        if "colon" in binding.key.split(",") or ":" in binding.key.split(",")
    ]
    assert taken == ["main.command_line"]


async def test_a_word_it_cannot_read_is_pointed_at_and_nothing_runs(tmp_path: Path) -> None:
    app = ConsoleApp(trading_settings(tmp_path))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await started(pilot, app)
        prompt = await open_prompt(pilot, app)
        await type_line(pilot, prompt, "buy 0.01 btx @ 59000")
        pointer = shown(app, "#command-pointer")
        assert pointer.startswith(" " * (2 + 9) + "^^^ "), pointer
        assert '"btx" is not a market of this venue' in pointer
        assert prompt.fault.span == (9, 12)

        await pilot.press("enter")
        assert command_line(app).is_open, "a line that cannot be read stays to be fixed"
        assert app.screen is app.main_screen
        await wait_until(lambda: settled(app, "orders"), pilot=pilot)
        assert await paper(app).fetch_open_orders(SYMBOL) == []

        await type_line(pilot, prompt, "buy 0.01 btc @ 59000")
        assert shown(app, "#command-pointer") == "", "fixed: the pointer goes"
        assert prompt.fault.span is None
        await pilot.press("escape")
        assert not command_line(app).is_open
        assert prompt.value == ""


async def test_completion_takes_the_suggestion_with_tab(tmp_path: Path) -> None:
    app = ConsoleApp(settings(tmp_path), connect=False)
    async with app.run_test(size=SIZE) as pilot:
        app.markets = {symbol: market(symbol) for symbol in SYMBOLS}
        prompt = await open_prompt(pilot, app)
        await type_line(pilot, prompt, "close so")
        await pilot.press("tab")
        assert prompt.value == "close sol"
        assert "Close the SOL/USDT:USDT position" in shown(app, "#command-preview")


async def run_lines(tmp_path: Path, lines: list[str]) -> None:
    """One run of the console that runs ``lines`` at the prompt."""
    app = ConsoleApp(settings(tmp_path), connect=False)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        app.markets = {symbol: market(symbol) for symbol in SYMBOLS}
        for line in lines:
            prompt = await open_prompt(pilot, app)
            await type_line(pilot, prompt, line)
            await pilot.press("enter")
            await wait_until(lambda: not command_line(app).is_open, pilot=pilot)


async def test_the_history_is_kept_across_runs_readable_by_the_owner_only(
    tmp_path: Path,
) -> None:
    await run_lines(tmp_path, ["flatten", "close btc", "close btc"])
    path = tmp_path / "data" / HISTORY_FILE
    assert path.read_text(encoding="utf-8") == "flatten\nclose btc\n", "no line twice in a row"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600

    app = ConsoleApp(settings(tmp_path), connect=False)
    async with app.run_test(size=SIZE) as pilot:
        prompt = await open_prompt(pilot, app)
        await type_line(pilot, prompt, "cancel")
        await pilot.press("up")
        assert prompt.value == "close btc"
        await pilot.press("up")
        assert prompt.value == "flatten"
        await pilot.press("up")
        assert prompt.value == "flatten", "the oldest line stays"
        await pilot.press("down", "down")
        assert prompt.value == "cancel", "past the newest, what was being typed"


async def test_the_kill_switch_works_while_typing_in_the_prompt(tmp_path: Path) -> None:
    """The prompt's text box binds ``ctrl+k`` itself (delete to the end); the kill switch is
    a priority binding, so a trader typing an order can still stop everything."""
    app = ConsoleApp(trading_settings(tmp_path, ui=UISettings(confirm_paper_orders=False)))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await started(pilot, app)
        prompt = await open_prompt(pilot, app)
        await type_line(pilot, prompt, "buy 0.01")
        assert app.focused is prompt
        await pilot.press("ctrl+k")
        await wait_until(lambda: app.services is not None and app.services.risk.killed, pilot=pilot)
        assert prompt.value == "buy 0.01", "the key went to the kill switch, not the text"
