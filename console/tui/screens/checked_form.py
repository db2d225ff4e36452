"""What the order forms share (the order form, the scale form): every change of a field
re-checks the whole form, Enter in a text box reviews it, and the title says PAPER or LIVE
and what is being ordered, so a live form cannot pass for a paper one."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

from rich.text import Text
from textual.app import App, ComposeResult
from textual.containers import Horizontal
from textual.widgets import Checkbox, Input, Label, Select, Static

from console.domain import Side, TradingMode
from console.tui.forms.theme_colours import theme_colour
from console.tui.screens.dialog import DialogScreen

ResultT = TypeVar("ResultT")


def form_title(app: App[object], mode: TradingMode, kind: str, side: Side, symbol: str) -> Text:
    """`` PAPER   New order  BUY BTC/USDT:USDT`` in the mode's and the side's colours."""
    mode_colour = theme_colour(app, "live" if mode is TradingMode.LIVE else "paper")
    side_colour = theme_colour(app, "bid" if side is Side.BUY else "ask")
    return Text.assemble(
        (f" {mode.value.upper()} ", f"bold reverse {mode_colour}"),
        f"  {kind}  ",
        (f"{side.value.upper()} {symbol}", f"bold {side_colour}"),
    )


def symbol_field(markets: Mapping[str, object], symbol: str) -> ComposeResult:
    """The symbol row (``#symbol``) and its error line (``#symbol-error``); a symbol the
    venue does not list is offered first, so the form can say so rather than lose it."""
    symbols = [(name, name) for name in markets]
    if symbol not in markets:
        symbols.insert(0, (symbol, symbol))
    with Horizontal(classes="row"):
        yield Label("Symbol", classes="field-label")
        yield Select(symbols, value=symbol, allow_blank=False, compact=True, id="symbol")
    yield Static(classes="error", id="symbol-error")


class CheckedFormScreen(DialogScreen[ResultT]):
    """A form dialog whose fields are checked as they change; subclasses say how
    (:meth:`revalidate`) and what a review leaves with (:meth:`action_review`)."""

    def revalidate(self) -> None:
        raise NotImplementedError

    def action_review(self) -> None:
        raise NotImplementedError

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.revalidate()

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        self.revalidate()

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        self.revalidate()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_review()


__all__ = ["CheckedFormScreen", "form_title", "symbol_field"]
