"""The frame every trading dialog shares: centred, bordered, buttons bottom right, and red
when the dialog is about real money (``#dialog.-live``)."""

from __future__ import annotations

from typing import ClassVar, TypeVar

from textual.binding import Binding, BindingType
from textual.screen import ModalScreen
from textual.widgets import Button

ResultT = TypeVar("ResultT")


class DialogScreen(ModalScreen[ResultT]):
    """A modal whose content sits in a ``#dialog`` container with a ``#buttons`` row."""

    DEFAULT_CSS = """
    DialogScreen {
        align: center middle;
    }
    DialogScreen > #dialog {
        width: 80;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        padding: 1 2;
        border: thick $primary;
        background: $surface;
    }
    DialogScreen > #dialog.-live {
        border: thick $error;
    }
    DialogScreen #buttons {
        height: auto;
        margin-top: 1;
        align-horizontal: right;
    }
    DialogScreen #buttons Button {
        margin-left: 2;
    }
    """


class ReportDialog(DialogScreen[None]):
    """A read-only dialog: escape, q or its one button closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", "Close", id="report.close"),
    ]

    def on_mount(self) -> None:
        self.query_one("#buttons Button", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_close()

    def action_close(self) -> None:
        self.dismiss(None)
