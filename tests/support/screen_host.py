"""A bare Textual app that opens one modal screen, so a screen is tested on its own."""

from __future__ import annotations

from typing import Generic, TypeVar

from textual.app import App
from textual.screen import Screen

from console.domain import OrderRequest
from console.tui.screens.order_entry import OrderEntryScreen

ResultT = TypeVar("ResultT")


class ScreenHost(App[None], Generic[ResultT]):
    """Opens one modal screen and keeps what it dismissed with (shared by the screen tests)."""

    def __init__(self, screen: Screen[ResultT]) -> None:
        super().__init__()
        self.modal = screen
        self.results: list[ResultT | None] = []

    def on_mount(self) -> None:
        self.push_screen(self.modal, self.results.append)


class FormHost(ScreenHost[OrderRequest | None]):
    """The order form in a host app."""

    def __init__(self, screen: OrderEntryScreen) -> None:
        super().__init__(screen)
        self.form = screen
