"""The session's paper fills, newest first; Enter opens how the highlighted one was priced."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from console.paper import PaperFill
from console.tui.forms.amounts import plain_amount
from console.tui.screens.dialog import DialogScreen


def describe_fill(fill: PaperFill) -> str:
    """``#P1-F3 BUY 0.001 BTC/USDT:USDT @ 60012.3 maker (queue)``"""
    e = fill.explanation
    return (
        f"{e.fill_id}  {e.side.value.upper()} {plain_amount(e.size)} {e.symbol} "
        f"@ {plain_amount(e.price)}  {e.liquidity.value} ({e.trigger.replace('_', ' ')})"
    )


class FillListScreen(DialogScreen[str | None]):
    """Pick a fill; dismisses with its id, or None on escape."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", "Close", id="fill_list.close"),
    ]

    DEFAULT_CSS = """
    FillListScreen #title { text-style: bold; margin-bottom: 1; }
    FillListScreen OptionList { height: auto; max-height: 16; }
    FillListScreen #hint { color: $text-muted; margin-top: 1; }
    """

    def __init__(self, fills: Sequence[PaperFill]) -> None:
        super().__init__()
        self.fills = list(reversed(fills))

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(f"Paper fills of this session ({len(self.fills)})", id="title")
            yield OptionList(
                *(Option(describe_fill(f), id=f.explanation.fill_id) for f in self.fills),
                id="fills",
            )
            yield Static("Enter: how it was priced · Esc: close", id="hint")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_close(self) -> None:
        self.dismiss(None)


__all__ = ["FillListScreen", "describe_fill"]
