"""The confirmation: notional, fees, band and mode, and which answer each key gives."""

from __future__ import annotations

from decimal import Decimal

import pytest
from textual.widgets import Button, Static

from console.domain import Liquidity, OrderRequest, OrderType, Side, TimeInForce, TradingMode
from console.tui.forms.order_costs import PriceBandCheck, estimate_fee, order_notional
from console.tui.screens.confirm_order import ConfirmOrderScreen

from support.order_form import BTC
from support.screen_host import ScreenHost

LIMIT_BUY = OrderRequest(
    symbol="BTC/USDT",
    side=Side.BUY,
    type=OrderType.LIMIT,
    quantity=Decimal("2"),
    price=Decimal("100"),
)
MARKET_SELL = OrderRequest(
    symbol="BTC/USDT", side=Side.SELL, type=OrderType.MARKET, quantity=Decimal("2")
)


def host(screen: ConfirmOrderScreen) -> ScreenHost[bool]:
    return ScreenHost(screen)


def text_of(screen: ConfirmOrderScreen, widget_id: str) -> str:
    return str(screen.query_one(f"#{widget_id}", Static).render())


def test_fee_estimates_follow_how_the_order_fills() -> None:
    resting = estimate_fee(LIMIT_BUY, BTC, Decimal("101"))
    assert (resting.liquidity, resting.fee, resting.worst_fee, resting.certain) == (
        Liquidity.MAKER,
        Decimal("0.0400"),
        Decimal("0.11000"),
        False,
    )
    taking = estimate_fee(MARKET_SELL, BTC, Decimal("101"))
    assert (taking.liquidity, taking.fee, taking.certain) == (
        Liquidity.TAKER,
        Decimal("0.11110"),
        True,
    )
    post_only = LIMIT_BUY.model_copy(update={"time_in_force": TimeInForce.POST_ONLY})
    assert estimate_fee(post_only, BTC, Decimal("90")).liquidity is Liquidity.MAKER
    ioc = LIMIT_BUY.model_copy(update={"time_in_force": TimeInForce.IOC})
    assert estimate_fee(ioc, BTC, None).worst_rate == BTC.taker_fee
    assert estimate_fee(MARKET_SELL, BTC, None).fee is None
    assert order_notional(MARKET_SELL, None) is None


@pytest.mark.parametrize(
    ("price", "within", "text"),
    [
        ("100.25", True, "0.25 % above mid 100, inside the 5 % band"),
        ("94", False, "6.00 % below mid 100, OUTSIDE the 5 % band"),
        ("105", True, "5.00 % above mid 100, inside the 5 % band"),
    ],
)
def test_price_band(price: str, within: bool, text: str) -> None:
    band = PriceBandCheck.measure(Decimal(price), Decimal("100"), Decimal("5"))
    assert band.within is within
    assert band.describe() == text


async def test_paper_confirmation_shows_costs_and_sends_on_y() -> None:
    screen = ConfirmOrderScreen(
        LIMIT_BUY,
        BTC,
        mode=TradingMode.PAPER,
        venue="sim",
        reference_price=Decimal("101"),
        price_band_pct=Decimal("5"),
    )
    app = host(screen)
    async with app.run_test(size=(100, 30)) as pilot:
        assert text_of(screen, "mode") == "PAPER ORDER · sim · simulated, nothing is sent"
        assert text_of(screen, "headline") == "BUY 2 BTC  BTC/USDT  limit 100 USDT"
        details = text_of(screen, "details")
        assert "Notional      200 USDT" in details
        assert (
            "Est. fee      0.04 USDT (maker 0.02 %), up to 0.11 USDT (0.055 %) if it takes"
            in details
        )
        assert "Price band    0.99 % below mid 101, inside the 5 % band" in details
        assert screen.focused is screen.query_one("#send", Button)
        await pilot.press("y")
        assert app.results == [True]


async def test_live_confirmation_is_unmistakable_and_enter_goes_back() -> None:
    screen = ConfirmOrderScreen(
        MARKET_SELL.model_copy(update={"reduce_only": True, "time_in_force": TimeInForce.IOC}),
        BTC,
        mode=TradingMode.LIVE,
        venue="bybit",
        reference_price=Decimal("100"),
        price_band_pct=Decimal("5"),
    )
    app = host(screen)
    async with app.run_test(size=(100, 30)) as pilot:
        assert text_of(screen, "mode") == "LIVE ORDER · bybit · REAL MONEY"
        assert screen.query_one("#dialog").has_class("-live")
        assert str(screen.query_one("#send", Button).label) == "Send LIVE order (y)"
        assert text_of(screen, "headline") == "SELL 2 BTC  BTC/USDT  at market  IOC reduce-only"
        details = text_of(screen, "details")
        assert "Notional      ≈ 200 USDT" in details
        assert "Est. fee      0.11 USDT (taker 0.055 %)" in details
        assert "not checked: market order" in details
        await pilot.press("enter")
        assert app.results == [False]


async def test_escape_and_n_send_nothing() -> None:
    for key in ("escape", "n"):
        screen = ConfirmOrderScreen(LIMIT_BUY, BTC, mode=TradingMode.PAPER, venue="sim")
        app = host(screen)
        async with app.run_test(size=(100, 30)) as pilot:
            assert "not checked: no mid price" in text_of(screen, "details")
            await pilot.press(key)
            assert app.results == [False]
