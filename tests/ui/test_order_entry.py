"""The order form: inline errors as the trader types, and it only leaves with a valid order."""

from __future__ import annotations

from decimal import Decimal

import pytest
from textual.widgets import Button, Input, Select, Static

from console.domain import (
    OrderRequest,
    OrderType,
    Side,
    TimeInForce,
    TradingMode,
)
from console.tui.forms.order_draft import OrderDraft, check_draft, parse_amount
from console.tui.screens.order_entry import OrderEntryScreen

from support.order_form import MARKETS, at_most_1000_usdt
from support.screen_host import FormHost


def form(
    *,
    draft: OrderDraft | None = None,
    reference_prices: dict[str, Decimal] | None = None,
    mode: TradingMode = TradingMode.PAPER,
) -> OrderEntryScreen:
    return OrderEntryScreen(
        MARKETS,
        draft=draft,
        risk_check=at_most_1000_usdt,
        reference_prices=reference_prices,
        mode=mode,
    )


def error_text(screen: OrderEntryScreen, name: str) -> str:
    return str(screen.query_one(f"#{name}-error", Static).render())


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "Enter a quantity"),
        ("abc", "The quantity must be a number, like 0.25"),
        ("NaN", "The quantity must be a number, like 0.25"),
        ("-1", "The quantity must be more than zero"),
        ("1e30", "The quantity is too large"),
        ("0.0000000000000000001", "The quantity has too many decimals"),
    ],
)
def test_parse_amount_explains_what_is_wrong(text: str, problem: str) -> None:
    assert parse_amount(text, "quantity") == problem


def test_parse_amount_is_exact() -> None:
    assert parse_amount(" 0.1 ", "quantity") == Decimal("0.1")


def test_market_rules_in_the_traders_words() -> None:
    check = check_draft(OrderDraft("BTC/USDT", quantity="0.0015", price="100.3"), MARKETS)
    assert check.errors == {
        "quantity": "Quantity must be a multiple of 0.001 (nearest: 0.002)",
        "price": "Price must be a multiple of the 0.5 tick (nearest: 100.5)",
    }
    assert check.request is None
    small = check_draft(OrderDraft("BTC/USDT", quantity="0.002", price="100"), MARKETS)
    assert small.errors == {"order": "Order value 0.2 USDT is below the venue's minimum of 5 USDT"}
    below_minimum = check_draft(OrderDraft("BTC/USDT", quantity="0.001", price="100"), MARKETS)
    assert below_minimum.errors["quantity"] == "Minimum quantity is 0.002 BTC"
    assert check_draft(OrderDraft("XRP/USDT"), MARKETS).errors == {
        "symbol": "Pick a symbol the venue lists"
    }


def test_market_orders_take_no_price_and_cannot_be_post_only() -> None:
    draft = OrderDraft(
        "BTC/USDT",
        type=OrderType.MARKET,
        quantity="0.01",
        price="junk",
        time_in_force=TimeInForce.POST_ONLY,
    )
    assert check_draft(draft, MARKETS).errors == {
        "time_in_force": "Post-only needs a limit order: a market order always takes"
    }
    ok = check_draft(
        OrderDraft(
            "BTC/USDT", type=OrderType.MARKET, quantity="0.01", time_in_force=TimeInForce.IOC
        ),
        MARKETS,
        reference_price=Decimal("60000"),
    )
    assert ok.request == OrderRequest(
        symbol="BTC/USDT",
        side=Side.BUY,
        type=OrderType.MARKET,
        quantity=Decimal("0.01"),
        time_in_force=TimeInForce.IOC,
    )
    assert ok.notional == Decimal("600.00")


def test_the_risk_gate_refusal_blocks_the_request() -> None:
    check = check_draft(
        OrderDraft("BTC/USDT", quantity="1", price="2000"), MARKETS, risk_check=at_most_1000_usdt
    )
    assert check.errors == {"order": "Order value 2000 USDT is over your 1000 USDT limit"}
    assert check.request is None


async def test_typing_shows_errors_inline_and_review_leaves_with_the_order() -> None:
    app = FormHost(form())
    async with app.run_test(size=(100, 40)) as pilot:
        screen = app.form
        assert error_text(screen, "quantity") == "", "no nagging before anything is typed"
        await pilot.press(*"0.0025")
        assert error_text(screen, "quantity") == (
            "Quantity must be a multiple of 0.001 (nearest: 0.002)"
        )
        await pilot.press("backspace", "tab", *"100.3")
        assert error_text(screen, "quantity") == ""
        assert error_text(screen, "price") == (
            "Price must be a multiple of the 0.5 tick (nearest: 100.5)"
        )
        await pilot.press("enter")
        assert app.results == [], "an invalid order is never sent"
        assert app.screen is screen
        await pilot.press("backspace", "5")
        assert error_text(screen, "price") == ""
        assert str(screen.query_one("#notional", Static).render()) == "Value 0.201 USDT"
        assert error_text(screen, "order") == (
            "Order value 0.201 USDT is below the venue's minimum of 5 USDT"
        )
        screen.query_one("#quantity", Input).value = "10"
        await pilot.pause()
        assert error_text(screen, "order") == "Order value 1005.0 USDT is over your 1000 USDT limit"
        screen.query_one("#quantity", Input).value = "5"
        await pilot.pause()
        assert error_text(screen, "order") == ""
        await pilot.click("#review")
        await pilot.pause()
        assert app.results == [
            OrderRequest(
                symbol="BTC/USDT",
                side=Side.BUY,
                type=OrderType.LIMIT,
                quantity=Decimal("5"),
                price=Decimal("100.5"),
            )
        ]


async def test_empty_fields_show_their_error_after_a_review_attempt() -> None:
    app = FormHost(form())
    async with app.run_test(size=(100, 40)) as pilot:
        screen = app.form
        await pilot.press("ctrl+r")
        assert error_text(screen, "quantity") == "Enter a quantity"
        assert error_text(screen, "price") == "Enter a limit price"
        assert app.results == []


async def test_market_order_disables_price_and_uses_the_reference_for_its_value() -> None:
    screen = form(
        draft=OrderDraft("ETH/USDT", side=Side.SELL, type=OrderType.MARKET, quantity="0.5"),
        reference_prices={"ETH/USDT": Decimal("3000")},
        mode=TradingMode.LIVE,
    )
    app = FormHost(screen)
    async with app.run_test(size=(100, 40)) as pilot:
        assert screen.query_one("#price", Input).disabled
        assert str(screen.query_one("#notional", Static).render()) == "Value ≈ 1500 USDT"
        assert screen.check.ok, "the stand-in gate prices only limit orders"
        assert "LIVE" in str(screen.query_one("#title", Static).render())
        screen.query_one("#type", Select).value = OrderType.LIMIT
        screen.query_one("#price", Input).value = "3000"
        await pilot.pause()
        assert not screen.query_one("#price", Input).disabled
        assert error_text(screen, "order") == "Order value 1500.0 USDT is over your 1000 USDT limit"
        await pilot.press("escape")
        assert app.results == [None]


async def test_cancel_button_sends_nothing() -> None:
    app = FormHost(form(draft=OrderDraft("BTC/USDT", quantity="0.1", price="100")))
    async with app.run_test(size=(100, 40)) as pilot:
        assert app.form.check.ok
        app.form.query_one("#cancel", Button).press()
        await pilot.pause()
        assert app.results == [None]
