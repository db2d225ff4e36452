"""The question before a flatten: everything it will do, and whether it is real money.

Flatten cannot be taken back, so the dialog lists what it will touch (the positions known
now, every open order) and says what is left afterwards (the kill switch, engaged). In live
mode it is framed and titled in the theme's ``live`` colour, says "real money", and the
focus starts on *Back*, so a stray Enter flattens nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from console.domain import Position, TradingMode
from console.domain.closing import describe_position
from console.tui.forms.theme_colours import theme_colour
from console.tui.keymap import label_with_key
from console.tui.screens.dialog import DialogScreen


class ConfirmFlattenScreen(DialogScreen[bool]):
    """Dismisses True to flatten (``y`` or the button), False on ``n``, escape or *Back*."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "confirm", "Flatten", id="confirm_flatten.yes", tooltip="Flatten now"),
        Binding("n,escape", "back", "Back", id="confirm_flatten.no", tooltip="Do nothing"),
    ]

    DEFAULT_CSS = """
    ConfirmFlattenScreen > #dialog { width: 76; }
    ConfirmFlattenScreen #mode {
        width: 1fr;
        content-align: center middle;
        text-style: bold;
        height: 3;
        margin-bottom: 1;
    }
    """

    def __init__(
        self,
        positions: Sequence[Position] | str,
        *,
        mode: TradingMode,
        venue: str,
        kill_key: str,
    ) -> None:
        """
        Args:
            positions: the open positions known now, or why they are not known (the
                flatten reads them again from the venue when it runs).
            kill_key: the kill switch's key, which releases the block afterwards.
        """
        super().__init__()
        self.positions = positions
        self.mode = mode
        self.venue = venue
        self.kill_key = kill_key

    @property
    def live(self) -> bool:
        return self.mode is TradingMode.LIVE

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="-live" if self.live else ""):
            yield Static(self._banner(), id="mode")
            yield Static(self._plan(), id="plan")
            with Horizontal(id="buttons"):
                yield Button("Back", id="back")
                yield Button(
                    "Flatten LIVE" if self.live else "Flatten paper",
                    variant="error",
                    id="confirm",
                )

    def on_mount(self) -> None:
        self.query_one("#back" if self.live else "#confirm", Button).focus()
        label_with_key(self, self.query_one("#back", Button), "confirm_flatten.no")
        label_with_key(self, self.query_one("#confirm", Button), "confirm_flatten.yes")
        self.query_one("#mode", Static).styles.background = theme_colour(
            self.app, "live" if self.live else "paper"
        )

    def _banner(self) -> Text:
        if self.live:
            return Text(f"LIVE FLATTEN · {self.venue} · REAL MONEY", style="bold")
        return Text(f"PAPER FLATTEN · {self.venue} · simulated, nothing is sent", style="bold")

    def _plan(self) -> Text:
        lines = [
            Text("Flatten the whole account?", style="bold"),
            Text("1. Kill switch: new orders are blocked (closing ones still pass)."),
            Text("2. Every open order on every symbol is cancelled."),
        ]
        if isinstance(self.positions, str):
            lines.append(Text(f"3. Every position is closed at market ({self.positions})."))
        elif not self.positions:
            lines.append(Text("3. Every position is closed at market (none is open now)."))
        else:
            lines.append(Text("3. Every position is closed with a reduce-only market order:"))
            lines.extend(Text(f"     {describe_position(p)}") for p in self.positions)
        lines.append(
            Text(
                f"The kill switch stays engaged afterwards: {self.kill_key} releases it.",
                style="dim",
            )
        )
        return Text("\n").join(lines)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "confirm")

    def action_confirm(self) -> None:
        self.dismiss(True)

    def action_back(self) -> None:
        self.dismiss(False)
