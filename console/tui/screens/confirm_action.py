"""A yes/no question before an action that cannot be taken back (cancel all, releasing the
kill switch, flatten)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from console.tui.keymap import label_with_key
from console.tui.screens.dialog import DialogScreen


class ConfirmActionScreen(DialogScreen[bool]):
    """Dismisses True on ``y`` or the confirm button, False on ``n``, escape or *Back*."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "confirm", "Yes", id="confirm_action.yes"),
        Binding("n,escape", "back", "No", id="confirm_action.no"),
    ]

    DEFAULT_CSS = """
    ConfirmActionScreen > #dialog { width: 64; }
    ConfirmActionScreen #question { text-style: bold; margin-bottom: 1; }
    """

    def __init__(
        self, question: str, detail: str, *, confirm_label: str = "Yes", live: bool = False
    ) -> None:
        """
        Args:
            confirm_label: The confirm button's words; the key that presses it is appended
                (``Release (y)``), as remapped, so the label never names the wrong key.
            live: The action is about real money: the dialog is framed in red, as a live
                order's confirmation is.
        """
        super().__init__()
        self.question = question
        self.detail = detail
        self.confirm_label = confirm_label
        self.live = live

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="-live" if self.live else ""):
            yield Static(self.question, id="question")
            yield Static(self.detail, id="detail")
            with Horizontal(id="buttons"):
                yield Button("Back", id="back")
                yield Button(self.confirm_label, variant="error", id="confirm")

    def on_mount(self) -> None:
        self.query_one("#back", Button).focus()
        label_with_key(self, self.query_one("#back", Button), "confirm_action.no")
        label_with_key(self, self.query_one("#confirm", Button), "confirm_action.yes")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "confirm")

    def action_confirm(self) -> None:
        self.dismiss(True)

    def action_back(self) -> None:
        self.dismiss(False)
