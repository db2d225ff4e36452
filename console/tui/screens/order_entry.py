"""The order form: every field checked as it is typed, nothing sent until it all holds.

The form knows the venue's rules for each symbol (tick, step, minimums) and the console's
risk gate (a callable the app passes in), and says what is wrong next to the field that is
wrong. It dismisses with an :class:`~console.domain.OrderRequest` only when
:func:`~console.tui.forms.order_draft.check_draft` found nothing; confirming and sending are
the app's next steps.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.widgets import Button, Checkbox, Input, Label, Select, Static

from console.domain import Market, OrderRequest, OrderType, Side, TimeInForce, TradingMode
from console.tui.forms.amounts import plain_amount
from console.tui.forms.order_draft import DraftCheck, OrderDraft, RiskCheck, check_draft
from console.tui.screens.checked_form import CheckedFormScreen, form_title, symbol_field

_SIDES = [("Buy", Side.BUY), ("Sell", Side.SELL)]
_TYPES = [("Limit", OrderType.LIMIT), ("Market", OrderType.MARKET)]
_TIME_IN_FORCE = [
    ("GTC (rest until cancelled)", TimeInForce.GTC),
    ("PostOnly (maker only)", TimeInForce.POST_ONLY),
    ("IOC (fill now, cancel rest)", TimeInForce.IOC),
    ("FOK (all now or nothing)", TimeInForce.FOK),
]
_ERROR_FIELDS = ("symbol", "quantity", "price", "time_in_force", "order")
_ALWAYS_SHOWN = frozenset({"symbol", "time_in_force", "order"})
"""Problems worth showing before the trader has typed anything into the field."""


class OrderEntryScreen(CheckedFormScreen[OrderRequest | None]):
    """A modal order form; dismisses with the OrderRequest, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape", "cancel", "Cancel", id="order_entry.cancel", tooltip="Close, send nothing"
        ),
        Binding(
            "ctrl+r",
            "review",
            "Review",
            id="order_entry.review",
            tooltip="Check the order and go to the confirmation",
        ),
    ]

    DEFAULT_CSS = """
    OrderEntryScreen #title {
        text-style: bold;
        width: 1fr;
        margin-bottom: 1;
    }
    OrderEntryScreen .row {
        height: auto;
    }
    OrderEntryScreen .field-label {
        width: 15;
        padding-top: 0;
    }
    OrderEntryScreen Select, OrderEntryScreen Input {
        width: 1fr;
    }
    OrderEntryScreen .error {
        color: $text-error;
        padding-left: 15;
        height: auto;
    }
    OrderEntryScreen .error:disabled, OrderEntryScreen .error.-empty {
        display: none;
    }
    OrderEntryScreen #rules, OrderEntryScreen #notional {
        color: $text-muted;
        padding-left: 15;
    }
    OrderEntryScreen #order-error {
        padding-left: 0;
        margin-top: 1;
    }
    OrderEntryScreen #keys-hint {
        width: 1fr;
        color: $text-muted;
        margin-top: 1;
    }
    """

    submit_attempted: reactive[bool] = reactive(False)
    """Set by the first review: from then on empty fields show their error too."""

    def __init__(
        self,
        markets: Mapping[str, Market],
        *,
        draft: OrderDraft | None = None,
        risk_check: RiskCheck | None = None,
        reference_prices: Mapping[str, Decimal] | None = None,
        mode: TradingMode = TradingMode.PAPER,
    ) -> None:
        """
        Args:
            markets: The symbols the form offers, with their venue rules.
            draft: Fields to start from (the ladder pre-fills side and price).
            risk_check: The pre-trade risk gate; its refusal blocks the form.
            reference_prices: Mid price per symbol, for a market order's notional.
            mode: Shown in the title, so a live order form cannot pass for a paper one.
        """
        super().__init__()
        if not markets:
            raise ValueError("the order form needs at least one market")
        self.markets = dict(markets)
        self.risk_check = risk_check
        self.reference_prices = dict(reference_prices or {})
        self.mode = mode
        self._initial = draft or OrderDraft(symbol=next(iter(self.markets)))
        self.check: DraftCheck = DraftCheck()
        """The verdict on the fields as they are now."""

    def compose(self) -> ComposeResult:
        initial = self._initial
        with Vertical(id="dialog", classes="-live" if self.mode is TradingMode.LIVE else ""):
            yield Static(id="title")
            yield from symbol_field(self.markets, initial.symbol)
            yield Static(id="rules")
            with Horizontal(classes="row"):
                yield Label("Side", classes="field-label")
                yield Select(_SIDES, value=initial.side, allow_blank=False, compact=True, id="side")
            with Horizontal(classes="row"):
                yield Label("Type", classes="field-label")
                yield Select(_TYPES, value=initial.type, allow_blank=False, compact=True, id="type")
            with Horizontal(classes="row"):
                yield Label("Quantity", classes="field-label")
                yield Input(initial.quantity, placeholder="e.g. 0.01", compact=True, id="quantity")
            yield Static(classes="error", id="quantity-error")
            with Horizontal(classes="row"):
                yield Label("Limit price", classes="field-label")
                yield Input(initial.price, placeholder="e.g. 65000.5", compact=True, id="price")
            yield Static(classes="error", id="price-error")
            with Horizontal(classes="row"):
                yield Label("Time in force", classes="field-label")
                yield Select(
                    _TIME_IN_FORCE,
                    value=initial.time_in_force,
                    allow_blank=False,
                    compact=True,
                    id="time_in_force",
                )
            yield Static(classes="error", id="time_in_force-error")
            with Horizontal(classes="row"):
                yield Label("", classes="field-label")
                yield Checkbox("Reduce-only", initial.reduce_only, compact=True, id="reduce_only")
            yield Static(id="notional")
            yield Static(classes="error", id="order-error")
            yield Static("Tab: next field · Enter: review · Esc: cancel", id="keys-hint")
            with Horizontal(id="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Review order", variant="primary", id="review")

    def on_mount(self) -> None:
        self.query_one("#quantity", Input).focus()
        self.revalidate()

    @property
    def draft(self) -> OrderDraft:
        """The fields as they are now."""
        return OrderDraft(
            symbol=str(self.query_one("#symbol", Select).value),
            side=Side(str(self.query_one("#side", Select).value)),
            type=OrderType(str(self.query_one("#type", Select).value)),
            quantity=self.query_one("#quantity", Input).value,
            price=self.query_one("#price", Input).value,
            time_in_force=TimeInForce(str(self.query_one("#time_in_force", Select).value)),
            reduce_only=self.query_one("#reduce_only", Checkbox).value,
        )

    def revalidate(self) -> None:
        """Check the fields and show the verdict: errors by field, notional, title."""
        draft = self.draft
        self.check = check_draft(
            draft,
            self.markets,
            risk_check=self.risk_check,
            reference_price=self.reference_prices.get(draft.symbol),
        )
        typed = {"quantity": bool(draft.quantity.strip()), "price": bool(draft.price.strip())}
        for name in _ERROR_FIELDS:
            problem = self.check.errors.get(name, "")
            visible = name in _ALWAYS_SHOWN or typed.get(name, False) or self.submit_attempted
            shown = problem if visible else ""
            label = self.query_one(f"#{name}-error", Static)
            label.update(shown)
            label.set_class(not shown, "-empty")
        self.query_one("#price", Input).disabled = draft.type is OrderType.MARKET
        self._show_title(draft)
        self._show_rules(draft)
        self._show_notional(draft)

    def _show_title(self, draft: OrderDraft) -> None:
        title = form_title(self.app, self.mode, "New order", draft.side, draft.symbol)
        self.query_one("#title", Static).update(title)

    def _show_rules(self, draft: OrderDraft) -> None:
        market = self.markets.get(draft.symbol)
        if market is None:
            self.query_one("#rules", Static).update("")
            return
        rules = (
            f"tick {plain_amount(market.tick_size)}"
            f" · step {plain_amount(market.qty_step)}"
            f" · min {plain_amount(market.min_qty)} {market.base}"
        )
        if market.min_notional:
            rules += f" · min value {plain_amount(market.min_notional)} {market.quote}"
        self.query_one("#rules", Static).update(rules)

    def _show_notional(self, draft: OrderDraft) -> None:
        market = self.markets.get(draft.symbol)
        notional = self.check.notional
        if market is None or notional is None:
            text = "" if draft.type is OrderType.LIMIT else "Value: at the market price"
        else:
            approx = "≈ " if draft.type is OrderType.MARKET else ""
            text = f"Value {approx}{plain_amount(notional)} {market.quote}"
        self.query_one("#notional", Static).update(text)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "review":
            self.action_review()
        else:
            self.action_cancel()

    def action_review(self) -> None:
        """Leave with the request if every check passes; otherwise show every problem."""
        self.submit_attempted = True
        self.revalidate()
        if self.check.request is None:
            self.app.bell()
            return
        self.dismiss(self.check.request)

    def action_cancel(self) -> None:
        self.dismiss(None)
