"""The one confirmation of a scale plan: every child is sent on this single "yes".

It says what the plan is as a whole (count, range, total, average price, value, fees) and
how it leaves (Bybit's create-batch, or one by one), with the children listed; the ladder
behind it shows them on their lines. Like the order confirmation, a LIVE plan is framed and
titled in the ``live`` colour, says "real money", and starts with the focus on *Back*. It
sits at the right edge, like the scale form, leaving the ladder's marks in view.
"""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from console.domain import Market, Side, TradingMode
from console.domain.scale import ScaleDistribution, ScalePlan
from console.tui.forms.amounts import plain_amount
from console.tui.forms.labelled_rows import labelled_rows
from console.tui.forms.order_costs import percent
from console.tui.forms.scale_draft import average_text, money_text
from console.tui.forms.theme_colours import theme_colour
from console.tui.screens.send_confirmation import SendConfirmation

_SIZES = {
    ScaleDistribution.EVEN: "even",
    ScaleDistribution.INCREASING: "growing toward the last price",
    ScaleDistribution.DECREASING: "shrinking toward the last price",
}
_LISTED = 12
"""Children listed by price and size; the rest are counted (the ladder shows them all)."""


class ConfirmScaleScreen(SendConfirmation):
    """Asks "send this plan?"; dismisses True to send every child, False to go back."""

    SEND_BINDING = "confirm_scale.send"
    BACK_BINDING = "confirm_scale.back"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "confirm", "Send", id="confirm_scale.send", tooltip="Send the whole plan"),
        Binding("n,escape", "back", "Back", id="confirm_scale.back", tooltip="Send nothing"),
    ]

    DEFAULT_CSS = """
    ConfirmScaleScreen {
        align: right middle;
    }
    ConfirmScaleScreen > #dialog {
        width: 64;
    }
    """

    def __init__(
        self,
        plan: ScalePlan,
        market: Market,
        *,
        mode: TradingMode,
        venue: str,
        batched: bool,
        reference_price: Decimal | None = None,
    ) -> None:
        """
        Args:
            batched: the plan leaves through the venue's batch endpoint (else one by one).
            reference_price: The mid now: which children would take, for the fees.
        """
        super().__init__()
        self.plan = plan
        self.market = market
        self.mode = mode
        self.venue = venue
        self.batched = batched
        self.reference_price = reference_price

    def compose(self) -> ComposeResult:
        live = self.mode is TradingMode.LIVE
        with Vertical(id="dialog", classes="-live" if live else ""):
            yield Static(self._mode_banner(), id="mode")
            yield Static(self._headline(), id="headline")
            yield Static(self._details(), id="details")
            with Horizontal(id="buttons"):
                yield Button("Back", id="back")
                yield Button(
                    "Send LIVE plan" if live else "Send paper plan",
                    variant="error" if live else "primary",
                    id="send",
                )

    def _mode_banner(self) -> Text:
        count = len(self.plan.children)
        if self.mode is TradingMode.LIVE:
            return Text(f"LIVE SCALE PLAN · {count} ORDERS · {self.venue} · REAL MONEY")
        return Text(
            f"PAPER SCALE PLAN · {count} orders · {self.venue} · simulated, nothing is sent"
        )

    def _headline(self) -> Text:
        spec, market = self.plan.spec, self.market
        side_colour = theme_colour(self.app, "bid" if spec.side is Side.BUY else "ask")
        first, last = self.plan.children[0].price, self.plan.children[-1].price
        return Text.assemble(
            (
                f"{spec.side.value.upper()} {plain_amount(self.plan.total)} {market.base}",
                f"bold {side_colour}",
            ),
            f"  {spec.symbol}  in {len(self.plan.children)} limit orders "
            f"{plain_amount(first)} → {plain_amount(last)} {market.quote}",
            "  reduce-only" if spec.reduce_only else "",
        )

    def _details(self) -> Text:
        plan, market = self.plan, self.market
        fees = plan.fees(market, self.reference_price)
        fee = f"{money_text(fees.fee)} {market.quote} (maker {percent(market.maker_fee)})"
        if fees.taking:
            fee = (
                f"{money_text(fees.fee)} {market.quote}: {fees.taking} at or through the "
                f"market take ({percent(market.taker_fee)})"
            )
        if fees.worst_fee != fees.fee:
            fee += f", up to {money_text(fees.worst_fee)} {market.quote} if all take"
        listed = " · ".join(
            f"S{c.number} {plain_amount(c.price)}×{plain_amount(c.quantity)}"
            for c in plan.children[:_LISTED]
        )
        if len(plan.children) > _LISTED:
            listed += f" · … {len(plan.children) - _LISTED} more"
        sent = "create-batch, up to 10 orders a request" if self.batched else "one order at a time"
        rows: list[tuple[str, str | Text]] = [
            ("Orders", f"{len(plan.children)}, sizes {_SIZES[plan.spec.distribution]}"),
            ("Total", f"{plain_amount(plan.total)} {market.base}"),
            ("Average price", f"{average_text(plan, market)} {market.quote}"),
            ("Value", f"{plain_amount(plan.notional)} {market.quote}"),
            ("Est. fee", fee),
            ("Children", listed),
            ("Sent", f"{sent}; each order its own client id, journaled first"),
            ("Venue", f"{self.venue} ({self.mode.value})"),
        ]
        return labelled_rows(rows)


__all__ = ["ConfirmScaleScreen"]
