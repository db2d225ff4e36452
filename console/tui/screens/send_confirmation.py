"""What the confirmations of an order and of a scale plan share: the mode banner (the loudest
thing on the screen, in the theme's ``live`` or ``paper`` colour), the *Back* and *Send*
buttons labelled with the keys that press them, and in live mode the focus on *Back*, so a
stray Enter cannot send."""

from __future__ import annotations

from typing import ClassVar

from textual.widgets import Button, Static

from console.domain import TradingMode
from console.tui.forms.theme_colours import theme_colour
from console.tui.keymap import label_with_key
from console.tui.screens.dialog import DialogScreen


class SendConfirmation(DialogScreen[bool]):
    """Dismisses True to send, False to go back. Subclasses compose ``#mode``, ``#back``
    and ``#send``, set :attr:`mode`, and name their bindings' ids."""

    SEND_BINDING: ClassVar[str]
    BACK_BINDING: ClassVar[str]

    DEFAULT_CSS = """
    SendConfirmation #mode {
        width: 1fr;
        content-align: center middle;
        text-style: bold;
        height: 3;
        margin-bottom: 1;
    }
    """

    mode: TradingMode

    def on_mount(self) -> None:
        live = self.mode is TradingMode.LIVE
        self.query_one("#back" if live else "#send", Button).focus()
        label_with_key(self, self.query_one("#back", Button), self.BACK_BINDING)
        label_with_key(self, self.query_one("#send", Button), self.SEND_BINDING)
        self.query_one("#mode", Static).styles.background = theme_colour(
            self.app, "live" if live else "paper"
        )

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "send")

    def action_confirm(self) -> None:
        self.dismiss(True)

    def action_back(self) -> None:
        self.dismiss(False)


__all__ = ["SendConfirmation"]
