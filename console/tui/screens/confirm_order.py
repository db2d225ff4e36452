"""The last look before an order leaves: what it is, what it costs, where it sits, and
whether it is real money.

The mode banner is the loudest thing on the screen: a LIVE order is framed and titled in the
theme's ``live`` colour and says "real money"; in live mode the focus starts on *Back*, so a
stray Enter cannot send.
"""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from console.domain import (
    Market,
    Order,
    OrderRequest,
    OrderType,
    Side,
    TimeInForce,
    TradingMode,
    TriggerDirection,
    TriggerSource,
)
from console.tui.forms.amounts import plain_amount
from console.tui.forms.labelled_rows import labelled_rows
from console.tui.forms.order_costs import PriceBandCheck, estimate_fee, order_notional, percent
from console.tui.forms.theme_colours import theme_colour
from console.tui.screens.send_confirmation import SendConfirmation


class ConfirmOrderScreen(SendConfirmation):
    """Asks "send this?"; dismisses True to send, False to go back."""

    SEND_BINDING = "confirm_order.send"
    BACK_BINDING = "confirm_order.back"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "confirm", "Send", id="confirm_order.send", tooltip="Send this order"),
        Binding("n,escape", "back", "Back", id="confirm_order.back", tooltip="Send nothing"),
    ]

    DEFAULT_CSS = """
    ConfirmOrderScreen > #dialog {
        width: 76;
    }
    """

    def __init__(
        self,
        request: OrderRequest,
        market: Market,
        *,
        mode: TradingMode,
        venue: str,
        reference_price: Decimal | None = None,
        price_band_pct: Decimal | None = None,
        amends: Order | None = None,
        note: tuple[str, str] | None = None,
    ) -> None:
        """
        Args:
            reference_price: The mid now: values a market order and anchors the band check.
            price_band_pct: The trader's fat-finger band (``Settings.risk.price_band_pct``).
            amends: the resting order this request moves (an amend rather than a new
                order): the banner says so and the details show what it was.
            note: one more labelled row on top of the details (what a chase will do).
        """
        super().__init__()
        self.request = request
        self.market = market
        self.mode = mode
        self.venue = venue
        self.reference_price = reference_price
        self.price_band_pct = price_band_pct
        self.amends = amends
        self.note = note

    @property
    def band(self) -> PriceBandCheck | None:
        """The band check of a limit price against mid; None when it cannot be made."""
        if self.request.price is None or self.reference_price is None:
            return None
        if self.price_band_pct is None or self.reference_price <= 0:
            return None
        return PriceBandCheck.measure(self.request.price, self.reference_price, self.price_band_pct)

    def compose(self) -> ComposeResult:
        live = self.mode is TradingMode.LIVE
        with Vertical(id="dialog", classes="-live" if live else ""):
            yield Static(self._mode_banner(), id="mode")
            yield Static(self._headline(), id="headline")
            yield Static(self._details(), id="details")
            with Horizontal(id="buttons"):
                yield Button("Back", id="back")
                yield Button(
                    self._send_label(live),
                    variant="error" if live else "primary",
                    id="send",
                )

    def _send_label(self, live: bool) -> str:
        kind = "order" if self.amends is None else "amend"
        return f"Send LIVE {kind}" if live else f"Send paper {kind}"

    def _mode_banner(self) -> Text:
        kind = "ORDER" if self.amends is None else "AMEND"
        if self.mode is TradingMode.LIVE:
            return Text(f"LIVE {kind} · {self.venue} · REAL MONEY", style="bold")
        return Text(f"PAPER {kind} · {self.venue} · simulated, nothing is sent", style="bold")

    def _headline(self) -> Text:
        request = self.request
        side_colour = theme_colour(self.app, "bid" if request.side is Side.BUY else "ask")
        what = f"{request.side.value.upper()} {plain_amount(request.quantity)} {self.market.base}"
        where = (
            "at market"
            if request.type is OrderType.MARKET
            else f"limit {plain_amount(request.price or Decimal(0))} {self.market.quote}"
        )
        if request.trigger_price is not None:
            where = f"{where} {_trigger_words(request, self.reference_price)}"
        flags = []
        if request.time_in_force is not TimeInForce.GTC:
            flags.append(request.time_in_force.value)
        if request.reduce_only:
            flags.append("reduce-only")
        return Text.assemble(
            (what, f"bold {side_colour}"),
            f"  {request.symbol}  {where}",
            f"  {' '.join(flags)}" if flags else "",
        )

    def _details(self) -> Text:
        notional = order_notional(self.request, self.reference_price)
        approx = "≈ " if self.request.type is OrderType.MARKET else ""
        band = self.band
        if band is None:
            why = "market order" if self.request.price is None else "no mid price"
            band_text = Text(f"not checked: {why}", style="dim")
        else:
            colour = theme_colour(self.app, "bid" if band.within else "ask")
            band_text = Text(band.describe(), style=f"bold {colour}")
        rows: list[tuple[str, str | Text]] = [
            (
                "Notional",
                "unknown: no mid price"
                if notional is None
                else f"{approx}{plain_amount(notional)} {self.market.quote}",
            ),
            ("Est. fee", self._fee_text()),
            ("Price band", band_text),
            ("Venue", f"{self.venue} ({self.mode.value})"),
        ]
        if self.amends is not None:
            was = self.amends
            price = "market" if was.price is None else plain_amount(was.price)
            if was.trigger_price is not None and not was.triggered:
                price = f"{price}, trigger {plain_amount(was.trigger_price)}"
            rows.insert(
                0, ("Moves", f"order {was.order_id}: {plain_amount(was.quantity)} at {price}")
            )
        if self.note is not None:
            rows.insert(0, self.note)
        return labelled_rows(rows)

    def _fee_text(self) -> str:
        quote = self.market.quote
        estimate = estimate_fee(self.request, self.market, self.reference_price)
        if estimate.fee is None or estimate.worst_fee is None:
            return f"{estimate.liquidity.value} {percent(estimate.rate)} of the fill value"
        kind = f"{estimate.liquidity.value} {percent(estimate.rate)}"
        text = f"{plain_amount(estimate.fee)} {quote} ({kind})"
        if not estimate.certain and estimate.worst_fee != estimate.fee:
            worst = f"{plain_amount(estimate.worst_fee)} {quote} ({percent(estimate.worst_rate)})"
            text += f", up to {worst} if it takes"
        return text


def _trigger_words(request: OrderRequest, reference_price: Decimal | None) -> str:
    """``when the last price falls to 58,000``: what a conditional order waits for.

    An order without a direction (one amended from the venue's listing) triggers away from
    the market, so its side of the reference price says which way it waits."""
    assert request.trigger_price is not None
    source = {
        TriggerSource.LAST: "last",
        TriggerSource.MARK: "mark",
        TriggerSource.INDEX: "index",
    }[request.trigger_by]
    direction = request.trigger_direction
    if direction is None and reference_price is not None:
        direction = TriggerDirection.away_from(request.trigger_price, reference_price)
    way = "reaches" if direction is None else direction.words
    return f"when the {source} price {way} {plain_amount(request.trigger_price)}"
