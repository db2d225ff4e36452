"""Ask for a symbol's leverage: one number, checked as it is typed."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Static

from console.domain import TradingMode
from console.tui.screens.dialog import DialogScreen


def parse_leverage(text: str) -> tuple[Decimal | None, str]:
    """The leverage typed, or None with the reason in the trader's words."""
    try:
        value = Decimal(text.strip().rstrip("xX"))
    except InvalidOperation:
        return None, f"{text.strip() or 'nothing'} is not a number: type e.g. 5 or 12.5"
    if not value.is_finite() or value < 1:
        return None, "leverage is at least 1"
    if value > 200:
        return None, "leverage above 200 is offered by no venue here"
    return value, ""


class LeverageScreen(DialogScreen[Decimal | None]):
    """Dismisses with the new leverage, or None on escape / *Back*."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="leverage.back"),
    ]

    DEFAULT_CSS = """
    LeverageScreen > #dialog { width: 60; }
    LeverageScreen #title { text-style: bold; margin-bottom: 1; }
    LeverageScreen #problem { color: $error; height: auto; }
    """

    def __init__(self, symbol: str, current: Decimal | None, *, mode: TradingMode) -> None:
        super().__init__()
        self.symbol = symbol
        self.current = current
        self.mode = mode

    def compose(self) -> ComposeResult:
        live = self.mode is TradingMode.LIVE
        with Vertical(id="dialog", classes="-live" if live else ""):
            where = "LIVE account" if live else "paper session"
            yield Static(f"Leverage of {self.symbol} ({where})", id="title")
            now = "unknown" if self.current is None else f"{self.current.normalize():f}x"
            yield Static(f"Now: {now}", id="now")
            yield Input(
                value="" if self.current is None else f"{self.current.normalize():f}",
                placeholder="e.g. 5",
                id="leverage",
            )
            yield Static("", id="problem")
            with Horizontal(id="buttons"):
                yield Button("Back (Esc)", id="back")
                yield Button("Set (Enter)", variant="error" if live else "primary", id="set")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        _, problem = parse_leverage(event.value)
        self.query_one("#problem", Static).update(problem)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "set":
            self._submit()
        else:
            self.dismiss(None)

    def _submit(self) -> None:
        value, problem = parse_leverage(self.query_one(Input).value)
        if value is None:
            self.query_one("#problem", Static).update(problem)
            return
        self.dismiss(value)

    def action_back(self) -> None:
        self.dismiss(None)


__all__ = ["LeverageScreen", "parse_leverage"]
