"""The order form checks against the console's real risk gate without using up its order rate."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from textual.widgets import Input, Static

from console.config import RiskSettings
from console.domain import OrderRequest, OrderType, Side
from console.exchange.risk import RiskGate
from console.tui.forms.order_draft import OrderDraft
from console.tui.forms.risk_preview import preview_risk_gate
from console.tui.screens.order_entry import OrderEntryScreen

from support.order_form import BTC, MARKETS
from support.screen_host import FormHost

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
ORDER = OrderRequest(
    symbol=BTC.symbol,
    side=Side.BUY,
    type=OrderType.LIMIT,
    quantity=Decimal("1"),
    price=Decimal("100"),
)


def gate_and_preview(**limits: object) -> tuple[RiskGate, OrderEntryScreen]:
    gate = RiskGate(RiskSettings.model_validate(limits))
    check = preview_risk_gate(gate, MARKETS, lambda symbol: Decimal("100"), lambda: NOW)
    return gate, OrderEntryScreen(MARKETS, risk_check=check, draft=OrderDraft(BTC.symbol))


def test_previewing_never_counts_toward_the_order_rate() -> None:
    gate = RiskGate(RiskSettings(max_orders_per_second=1))
    check = preview_risk_gate(gate, MARKETS, lambda symbol: Decimal("100"), lambda: NOW)
    assert [check(ORDER) for _ in range(5)] == [None] * 5
    gate.check(ORDER, BTC, Decimal("100"), NOW)
    refusal = check(ORDER)
    assert refusal is not None
    assert "order_rate" in refusal


def test_the_kill_switch_shows_in_the_form_check() -> None:
    gate = RiskGate(RiskSettings())
    check = preview_risk_gate(gate, MARKETS, lambda symbol: Decimal("100"), lambda: NOW)
    gate.engage("kill switch pressed")
    refusal = check(ORDER)
    assert refusal is not None
    assert "release the kill switch" in refusal


async def test_the_form_shows_the_gates_own_refusals_as_you_type() -> None:
    gate, screen = gate_and_preview(
        max_order_notional="1000", price_band_pct="5", max_orders_per_second=1
    )
    app = FormHost(screen)
    async with app.run_test(size=(100, 40)) as pilot:
        screen.query_one("#quantity", Input).value = "20"
        screen.query_one("#price", Input).value = "100"
        await pilot.pause()
        assert "above the maximum 1000 USDT per order" in str(
            screen.query_one("#order-error", Static).render()
        )
        screen.query_one("#quantity", Input).value = "1"
        screen.query_one("#price", Input).value = "120"
        await pilot.pause()
        assert "20.00 % from mid 100" in str(screen.query_one("#order-error", Static).render())
        screen.query_one("#price", Input).value = "101"
        await pilot.pause()
        await pilot.press("ctrl+r")
        assert app.results == [
            OrderRequest(
                symbol=BTC.symbol,
                side=Side.BUY,
                type=OrderType.LIMIT,
                quantity=Decimal("1"),
                price=Decimal("101"),
            )
        ]
    gate.check(ORDER, BTC, Decimal("100"), NOW)  # typing used none of the one-per-second rate
