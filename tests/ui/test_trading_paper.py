"""Trading end to end in paper mode: the real console, its own in-process simulator, the
paper engine on a ledger in tmp_path (Pilot).

Orders are placed with the keys a trader uses (the form, the ladder), checked where the
trader sees them (open orders, the ladder's own-order marks, notifications) and in the
paper engine itself.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input, Select, Static

from console.config import SimSettings, UISettings
from console.domain import (
    DepthSnapshot,
    Market,
    Order,
    OrderRequest,
    OrderStatus,
    OrderType,
    Side,
    TimeInForce,
)
from console.paper import PaperTradingExchange
from console.tui.app import ConsoleApp
from console.tui.screens.confirm_order import ConfirmOrderScreen
from console.tui.screens.order_entry import OrderEntryScreen
from console.tui.trading.ladder_trading import smallest_order
from console.tui.widgets.ladder import OrderBookLadder
from console.tui.widgets.open_orders import OpenOrdersTable

from support.console import (
    SIZE,
    SYMBOL,
    settings,
    settled,
    started,
    table_ids,
    trading_settings,
)
from support.notices import Notices
from support.waiting import wait_until


def ladder_text(widget: OrderBookLadder) -> str:
    """The ladder as drawn, one line per row."""
    return "\n".join(widget.render_line(y).text for y in range(widget.size.height))


def ladder(app: ConsoleApp) -> OrderBookLadder:
    return app.main_screen.ladders[0]


def paper(app: ConsoleApp) -> PaperTradingExchange:
    assert app.services is not None
    assert app.services.paper is not None
    return app.services.paper


def book(app: ConsoleApp) -> DepthSnapshot:
    snapshot = app.market_store.book(SYMBOL)
    assert snapshot is not None
    assert snapshot.best_bid is not None
    return snapshot


def market(app: ConsoleApp) -> Market:
    return app.markets[SYMBOL]


async def resting(app: ConsoleApp) -> list[Order]:
    """Our open paper orders on SYMBOL, as the paper venue answers for them."""
    return await paper(app).fetch_open_orders(SYMBOL)


async def resting_count(app: ConsoleApp, count: int) -> bool:
    return len(await resting(app)) == count


async def fill_form(pilot: Pilot[int], form: object, quantity: str, price: str) -> None:
    """Replace the pre-filled quantity and price (setting them as a paste would, which is
    quicker than a keypress per character), then Tab from quantity to price."""
    assert isinstance(form, OrderEntryScreen)
    quantity_input = form.query_one("#quantity", Input)
    assert form.focused is quantity_input, "the form opens on the quantity"
    quantity_input.value = quantity
    form.query_one("#price", Input).value = price
    await pilot.press("tab")
    assert form.focused is form.query_one("#price", Input)


def passive_buy_price(app: ConsoleApp) -> Decimal:
    """A buy limit 1 % under the best bid (so it rests) and inside the 5 % price band."""
    best = book(app).best_bid
    assert best is not None
    return market(app).round_price(best.price * Decimal("0.99"))


async def test_form_order_is_confirmed_placed_shown_and_cancelled(tmp_path: Path) -> None:
    app = ConsoleApp(trading_settings(tmp_path))
    notices = Notices()
    async with app.run_test(size=SIZE, notifications=True, message_hook=notices) as pilot:
        await started(pilot, app)
        price = passive_buy_price(app)
        quantity = smallest_order(market(app), price)

        await pilot.press("n")
        await wait_until(lambda: isinstance(app.screen, OrderEntryScreen), pilot=pilot)
        form = app.screen
        assert isinstance(form, OrderEntryScreen)
        prefilled = form.draft
        assert prefilled.symbol == SYMBOL
        assert prefilled.quantity, "the form starts from the size preset"
        assert prefilled.price, "and the best bid"
        await fill_form(pilot, form, f"{quantity.normalize():f}", f"{price.normalize():f}")
        await pilot.press("enter")
        await wait_until(lambda: isinstance(app.screen, ConfirmOrderScreen), pilot=pilot)
        assert await resting(app) == [], "nothing is sent before the confirmation"
        depth = len(app.screen_stack)
        await pilot.press("b", "j")
        assert len(app.screen_stack) == depth, "no second order stacks behind this one"
        assert isinstance(app.screen, ConfirmOrderScreen)
        assert "PAPER ORDER" in str(app.screen.query_one("#mode", Static).render())

        await pilot.press("y", "y")
        await wait_until(lambda: resting_count(app, 1), pilot=pilot)
        await wait_until(lambda: settled(app, "orders"), pilot=pilot)
        (order,) = await resting(app)  # a second y after the dialog closed sends nothing
        assert (order.price, order.quantity) == (price, quantity)
        await wait_until(lambda: order.order_id in table_ids(app), pilot=pilot)
        await wait_until(
            lambda: order.order_id in {o.order_id for o in ladder(app).own_orders}, pilot=pilot
        )
        assert any("Order placed" in n or "BUY" in n for n in notices.messages)

        await pilot.press("o")
        assert isinstance(app.focused, OpenOrdersTable)
        await pilot.press("c")
        await wait_until(lambda: resting_count(app, 0), pilot=pilot)
        await wait_until(lambda: order.order_id not in table_ids(app), pilot=pilot)
        assert any("1 order cancelled" in n for n in notices.messages)
        stored = await paper(app).fetch_order(order.order_id, SYMBOL)
        assert stored.status is OrderStatus.CANCELED


async def test_invalid_quantity_and_price_show_inline_errors_and_send_nothing(
    tmp_path: Path,
) -> None:
    app = ConsoleApp(trading_settings(tmp_path))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await started(pilot, app)
        await pilot.press("n")
        await wait_until(lambda: isinstance(app.screen, OrderEntryScreen), pilot=pilot)
        price = passive_buy_price(app) + market(app).tick_size / 2  # off the tick
        await fill_form(pilot, app.screen, "0.0000001", f"{price:f}")
        await pilot.press("enter")
        form = app.screen
        assert isinstance(form, OrderEntryScreen), "an invalid order never leaves the form"
        quantity_error = str(form.query_one("#quantity-error", Static).render())
        price_error = str(form.query_one("#price-error", Static).render())
        assert "Quantity must be a multiple" in quantity_error
        assert "Price must be a multiple of the" in price_error
        await pilot.press("escape")
        await wait_until(lambda: settled(app, "orders"), pilot=pilot)
        assert await resting(app) == []
        assert await paper(app).fetch_open_orders() == []


async def test_ladder_keys_place_at_the_cursor_and_cancel_there(tmp_path: Path) -> None:
    """On a slow market (so a bid four lines down stays there): the cursor walks the lines
    shown, b buys there, the line shows the cursor on our order, x cancels it."""
    app = ConsoleApp(trading_settings(tmp_path, sim=SimSettings(speed=0.02)))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await started(pilot, app)
        await pilot.press("l", "down")
        the_ladder = ladder(app)
        view = the_ladder.current_view()
        assert view is not None
        assert the_ladder.cursor_price == view.bids[0].price, "the first move lands on the bid"
        await pilot.press(*(["down"] * 3))
        at = the_ladder.cursor_price
        assert at == view.bids[3].price, "each move goes to the next line shown"
        assert "size" in the_ladder.note
        await pilot.press("full_stop")
        assert "(x2)" in the_ladder.note

        await pilot.press("b")
        await wait_until(lambda: isinstance(app.screen, ConfirmOrderScreen), pilot=pilot)
        await pilot.press("y")
        await wait_until(lambda: resting_count(app, 1), pilot=pilot)
        (order,) = await resting(app)
        assert order.price == at
        assert order.quantity == 2 * smallest_order(market(app), at)
        await wait_until(lambda: bool(the_ladder.own_orders), pilot=pilot)
        await wait_until(lambda: "▶◆" in ladder_text(the_ladder), pilot=pilot)
        assert "own " in ladder_text(the_ladder), "our size is written on the cursor's line"

        await pilot.press("x")
        await wait_until(lambda: resting_count(app, 0), pilot=pilot)
        await wait_until(lambda: not the_ladder.own_orders, pilot=pilot)


async def test_paper_orders_skip_confirmation_only_when_the_setting_says_so(
    tmp_path: Path,
) -> None:
    app = ConsoleApp(trading_settings(tmp_path, ui=UISettings(confirm_paper_orders=False)))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await started(pilot, app)
        await pilot.press("l", *(["plus"] * 8), *(["down"] * 6), "b")
        await wait_until(lambda: resting_count(app, 1), pilot=pilot)
        assert not isinstance(app.screen, ConfirmOrderScreen)

        (placed,) = await resting(app)
        request = OrderRequest(
            symbol=SYMBOL,
            side=Side.BUY,
            type=OrderType.LIMIT,
            quantity=placed.quantity,
            price=placed.price,
        )
        app.trading.order_flow.send(request)
        app.trading.order_flow.send(request)  # the same confirmed request again: never sent twice
        await wait_until(lambda: resting_count(app, 2), pilot=pilot)
        await wait_until(lambda: settled(app, "orders"), pilot=pilot)
        assert len(await resting(app)) == 2


async def test_exchange_rejection_shows_its_reason(tmp_path: Path) -> None:
    """A post-only buy 1 % over the best ask would take: the paper venue refuses it and the
    notification says why."""
    app = ConsoleApp(trading_settings(tmp_path))
    notices = Notices()
    async with app.run_test(size=SIZE, notifications=True, message_hook=notices) as pilot:
        await started(pilot, app)
        await pilot.press("n")
        await wait_until(lambda: isinstance(app.screen, OrderEntryScreen), pilot=pilot)
        form = app.screen
        assert isinstance(form, OrderEntryScreen)
        ask = book(app).best_ask
        assert ask is not None
        form.query_one("#time_in_force", Select).value = TimeInForce.POST_ONLY
        form.query_one("#quantity", Input).value = f"{smallest_order(market(app), ask.price):f}"
        above = market(app).round_price(ask.price * Decimal("1.01"))  # takes, even if it moves
        form.query_one("#price", Input).value = f"{above:f}"
        await pilot.pause()
        await pilot.press("ctrl+r")
        await wait_until(lambda: isinstance(app.screen, ConfirmOrderScreen), pilot=pilot)
        await pilot.press("y")
        await wait_until(lambda: any("would take" in n for n in notices.messages), pilot=pilot)
        refusal = [n for n in notices.messages if "would take" in n]
        assert refusal[0].startswith("Order rejected: post-only buy at"), refusal
        assert "Traceback" not in " ".join(notices.messages)
        assert await resting(app) == []


async def test_every_ladder_shown_writes_the_size_preset_in_its_own_market(
    tmp_path: Path,
) -> None:
    """A ladder mounted when the terminal grows, and a ladder pointed at another symbol,
    show the size the ladder keys would send in their own market's units (before, a ladder
    added by a resize had no size in its header until the preset changed)."""
    app = ConsoleApp(settings(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot, app)

        def notes_name_their_markets() -> bool:
            ladders = app.main_screen.ladders
            return all(
                ladder.market is not None
                and ladder.note.startswith("size ")
                and f" {ladder.market.base} " in ladder.note
                for ladder in ladders
            )

        await wait_until(notes_name_their_markets, pilot=pilot)
        assert len(app.main_screen.ladders) == 1
        await pilot.resize_terminal(200, 50)
        await wait_until(lambda: len(app.main_screen.ladders) == 2, pilot=pilot)
        await wait_until(notes_name_their_markets, pilot=pilot)
        assert {ladder.market.base for ladder in app.main_screen.ladders if ladder.market} == {
            "BTC",
            "ETH",
        }
        await pilot.press("right_square_bracket")
        await wait_until(lambda: ladder(app).symbol != SYMBOL, pilot=pilot)
        await wait_until(notes_name_their_markets, pilot=pilot)
