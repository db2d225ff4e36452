"""The help screen: every key binding (after remapping) and what it does."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from console.tui.bindings import CONSOLE_BINDINGS, describe_keys
from console.tui.panels import layout_bindings


class HelpScreen(ModalScreen[None]):
    """A modal table of keys; Escape, q or ? closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark,f1", "dismiss", "Close", id="close_help"),
    ]

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > Vertical {
        width: 104;
        height: auto;
        max-height: 90%;
        border: thick $primary;
        background: $surface;
        padding: 0 1;
    }
    HelpScreen #help-title { text-style: bold; padding: 0 0 1 0; }
    HelpScreen #help-foot { color: $foreground-muted; padding: 1 0 0 0; }
    HelpScreen DataTable { height: auto; }
    """

    def __init__(self, keymap: Mapping[str, str]) -> None:
        super().__init__()
        self.keymap = dict(keymap)
        """Remapped keys (binding id -> keys) to show instead of the defaults."""

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Breakout Console: keys", id="help-title")
            yield DataTable(cursor_type="none", zebra_stripes=True, id="help-table")
            yield Static(
                "Ctrl+P opens the command palette: every action, symbols and themes by name. "
                "Keys can be remapped with BREAKOUT_UI__KEYMAP (ids in the last column). "
                "Esc closes this screen.",
                id="help-foot",
            )

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Keys", "Action", "What it does", "Id")
        for binding in (*CONSOLE_BINDINGS, *layout_bindings()):
            table.add_row(
                describe_keys(binding, self.keymap),
                binding.description,
                binding.tooltip,
                binding.id or "",
            )
        table.add_row("ctrl+p", "Palette", "Search actions, symbols and themes", "")

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
