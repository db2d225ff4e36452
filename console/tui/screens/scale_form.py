"""The scale form (key ``N``): N limit orders between two prices, checked as it is typed and
previewed on the ladder while it is (the form sits at the right edge, over the tape, so the
ladder's lines stay in view on a wide terminal).

Every change re-plans (:func:`~console.tui.forms.scale_draft.check_scale_draft`) and hands
the plan, or None, to the ``preview`` callable the trading helper passes in, which writes
the children on the ladder. The form dismisses with the :class:`ScalePlan` (confirming and
sending are the helper's next steps), with :class:`PullRequested` when the trader pulls the
plan working on this symbol, or with None.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.widgets import Button, Checkbox, Input, Label, Select, Static

from console.domain import Market, Side, TradingMode
from console.domain.scale import ScaleDistribution, ScalePlan
from console.tui.forms.order_draft import RiskCheck
from console.tui.forms.scale_draft import (
    SCALE_FIELDS,
    ScaleCheck,
    ScaleDraft,
    check_scale_draft,
    plan_summary,
)
from console.tui.screens.checked_form import CheckedFormScreen, form_title, symbol_field

_SIDES = [("Buy", Side.BUY), ("Sell", Side.SELL)]
_DISTRIBUTIONS = [
    ("Even", ScaleDistribution.EVEN),
    ("Growing toward the last price", ScaleDistribution.INCREASING),
    ("Shrinking toward the last price", ScaleDistribution.DECREASING),
]
_INPUTS = ("total", "first_price", "last_price", "count")


@dataclass(frozen=True)
class PullRequested:
    """The trader asked to pull the plan working on ``symbol``."""

    symbol: str


ScaleFormResult = ScalePlan | PullRequested | None


class ScaleFormScreen(CheckedFormScreen[ScaleFormResult]):
    """A modal scale form; dismisses with the plan, a pull, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape", "cancel", "Cancel", id="scale_form.cancel", tooltip="Close, send nothing"
        ),
        Binding(
            "ctrl+o",
            "pull",
            "Pull plan",
            id="scale_form.pull",
            tooltip="Cancel the open orders of the plan working on this symbol",
        ),
    ]

    DEFAULT_CSS = """
    ScaleFormScreen {
        align: right middle;
    }
    ScaleFormScreen > #dialog {
        width: 64;
    }
    ScaleFormScreen #title {
        text-style: bold;
        width: 1fr;
        margin-bottom: 1;
    }
    ScaleFormScreen .row {
        height: auto;
    }
    ScaleFormScreen .field-label {
        width: 12;
    }
    ScaleFormScreen Select, ScaleFormScreen Input {
        width: 1fr;
    }
    ScaleFormScreen .error {
        color: $text-error;
        padding-left: 12;
        height: auto;
    }
    ScaleFormScreen .error.-empty, ScaleFormScreen #working.-empty {
        display: none;
    }
    ScaleFormScreen #summary, ScaleFormScreen #working {
        color: $text-muted;
        margin-top: 1;
        height: auto;
    }
    ScaleFormScreen #plan-error {
        padding-left: 0;
    }
    ScaleFormScreen #pull.-hidden {
        display: none;
    }
    """

    submit_attempted: reactive[bool] = reactive(False)
    """Set by the first review: from then on empty fields show their error too."""

    def __init__(
        self,
        markets: Mapping[str, Market],
        draft: ScaleDraft,
        *,
        preview: Callable[[ScalePlan | None], None],
        risk_check: RiskCheck | None = None,
        reference_prices: Mapping[str, Decimal] | None = None,
        working: Callable[[str], str | None] = lambda symbol: None,
        mode: TradingMode = TradingMode.PAPER,
    ) -> None:
        """
        Args:
            markets: The symbols the form offers, with their venue rules.
            draft: Fields to start from (the ladder's cursor, side and size preset).
            preview: Shows the plan as it stands on the ladder (None clears it).
            risk_check: The pre-trade risk gate, asked for each child.
            reference_prices: Mid per symbol: which children would take, for the fees.
            working: What plan works on a symbol now (words), or None: offers the pull.
            mode: Shown in the title, so a live plan cannot pass for a paper one.
        """
        super().__init__()
        self.markets = dict(markets)
        self.preview = preview
        self.risk_check = risk_check
        self.reference_prices = dict(reference_prices or {})
        self.working = working
        self.mode = mode
        self._initial = draft
        self.check = ScaleCheck()
        """The verdict on the fields as they are now."""

    def compose(self) -> ComposeResult:
        initial = self._initial
        with Vertical(id="dialog", classes="-live" if self.mode is TradingMode.LIVE else ""):
            yield Static(id="title")
            yield from symbol_field(self.markets, initial.symbol)
            with Horizontal(classes="row"):
                yield Label("Side", classes="field-label")
                yield Select(_SIDES, value=initial.side, allow_blank=False, compact=True, id="side")
            for name, label, value, hint in (
                ("total", "Total", initial.total, "e.g. 0.1"),
                ("first_price", "From price", initial.first_price, "e.g. 59000"),
                ("last_price", "To price", initial.last_price, "e.g. 58000"),
                ("count", "Orders", initial.count, "2 to 50"),
            ):
                with Horizontal(classes="row"):
                    yield Label(label, classes="field-label")
                    yield Input(value, placeholder=hint, compact=True, id=name)
                yield Static(classes="error", id=f"{name}-error")
            with Horizontal(classes="row"):
                yield Label("Sizes", classes="field-label")
                yield Select(
                    _DISTRIBUTIONS,
                    value=initial.distribution,
                    allow_blank=False,
                    compact=True,
                    id="distribution",
                )
            with Horizontal(classes="row"):
                yield Label("", classes="field-label")
                yield Checkbox("Reduce-only", initial.reduce_only, compact=True, id="reduce_only")
            yield Static(id="summary")
            yield Static(classes="error", id="plan-error")
            yield Static(id="working")
            with Horizontal(id="buttons"):
                yield Button("Pull working plan", variant="warning", id="pull")
                yield Button("Cancel", id="cancel")
                yield Button("Review plan", variant="primary", id="review")

    def on_mount(self) -> None:
        self.query_one("#total", Input).focus()
        self.revalidate()

    @property
    def draft(self) -> ScaleDraft:
        """The fields as they are now."""
        return ScaleDraft(
            symbol=str(self.query_one("#symbol", Select).value),
            side=Side(str(self.query_one("#side", Select).value)),
            total=self.query_one("#total", Input).value,
            first_price=self.query_one("#first_price", Input).value,
            last_price=self.query_one("#last_price", Input).value,
            count=self.query_one("#count", Input).value,
            distribution=ScaleDistribution(str(self.query_one("#distribution", Select).value)),
            reduce_only=self.query_one("#reduce_only", Checkbox).value,
        )

    def revalidate(self) -> None:
        """Re-plan, show the verdict, and preview the plan on the ladder."""
        draft = self.draft
        self.check = check_scale_draft(draft, self.markets, risk_check=self.risk_check)
        for name in SCALE_FIELDS:
            problem = self.check.errors.get(name, "")
            typed = name not in _INPUTS or bool(getattr(draft, name).strip())
            shown = problem if typed or self.submit_attempted else ""
            label = self.query_one(f"#{name}-error", Static)
            label.update(shown)
            label.set_class(not shown, "-empty")
        market = self.markets.get(draft.symbol)
        plan = self.check.plan
        summary = ""
        if plan is not None and market is not None:
            summary = plan_summary(plan, market, self.reference_prices.get(draft.symbol))
        self.query_one("#summary", Static).update(summary)
        working = self.working(draft.symbol)
        self.query_one("#working", Static).update(working or "")
        self.query_one("#working", Static).set_class(working is None, "-empty")
        self.query_one("#pull", Button).set_class(working is None, "-hidden")
        title = form_title(self.app, self.mode, "Scale order", draft.side, draft.symbol)
        self.query_one("#title", Static).update(title)
        self.preview(plan)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        match event.button.id:
            case "review":
                self.action_review()
            case "pull":
                self.action_pull()
            case _:
                self.action_cancel()

    def action_review(self) -> None:
        """Leave with the plan if every check passes; otherwise show every problem."""
        self.submit_attempted = True
        self.revalidate()
        if self.check.plan is None:
            self.app.bell()
            return
        self.dismiss(self.check.plan)

    def action_pull(self) -> None:
        symbol = self.draft.symbol
        if self.working(symbol) is None:
            self.app.bell()
            return
        self.dismiss(PullRequested(symbol))

    def action_cancel(self) -> None:
        self.dismiss(None)


__all__ = ["PullRequested", "ScaleFormResult", "ScaleFormScreen"]
