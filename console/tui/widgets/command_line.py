"""The order command line: ``:`` opens it at the bottom of the main screen.

One input, a line above it saying what Enter will do (or what the order checks found), and
a line under it pointing at the word it cannot read. It completes command words, option
words and markets (Tab or the right arrow take the grey suggestion), walks the history
with up and down, and closes with Esc. The reading and the running are
:class:`~console.tui.trading.order_commands.OrderCommands`'; this widget only shows them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.highlighter import Highlighter
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.suggester import Suggester
from textual.widget import Widget
from textual.widgets import Input, Static

from console.domain.order_command import completion

if TYPE_CHECKING:
    from console.tui.command_history import CommandHistory
    from console.tui.trading.order_commands import CommandPreview, OrderCommands

PROMPT_HINT = "Enter: run · Tab: complete · ↑/↓: history · Esc: close"


class CommandSuggester(Suggester):
    """Completes the last word of the line (grammar words and the venue's markets)."""

    def __init__(self, commands: OrderCommands) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self._commands = commands

    async def get_suggestion(self, value: str) -> str | None:
        return completion(value, self._commands.context())


class _FaultMark(Highlighter):
    """Marks the span of the word the command line cannot read."""

    span: tuple[int, int] | None = None

    def highlight(self, text: Text) -> None:
        if self.span is not None:
            start, end = self.span
            text.stylize("bold reverse", start, max(end, start + 1))


class CommandInput(Input):
    """The prompt's input: history on up and down, Tab completes, Esc closes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "older", "Older", show=False, id="command_line.older"),
        Binding("down", "newer", "Newer", show=False, id="command_line.newer"),
        Binding("tab", "complete", "Complete", show=False, id="command_line.complete"),
        Binding("escape", "close", "Close", show=False, id="command_line.close"),
    ]

    def __init__(self, commands: OrderCommands, history: CommandHistory) -> None:
        self.fault = _FaultMark()
        super().__init__(
            placeholder="buy 0.01 btc @ 59000 post · sell 50% pos mkt · cancel all",
            suggester=CommandSuggester(commands),
            highlighter=self.fault,
            compact=True,
            id="command-input",
        )
        self.history = history
        self._commands = commands

    def show(self, line: str) -> None:
        self.value = line
        self.cursor_position = len(line)

    def action_older(self) -> None:
        line = self.history.older(self.value)
        if line is not None:
            self.show(line)

    def action_newer(self) -> None:
        line = self.history.newer()
        if line is not None:
            self.show(line)

    def action_complete(self) -> None:
        completed = completion(self.value, self._commands.context())
        if completed is not None and self.cursor_at_end:
            self.show(completed)

    def action_close(self) -> None:
        for line in self.ancestors:
            if isinstance(line, CommandLine):
                line.close()
                return


class CommandLine(Vertical):
    """Docked at the bottom, over the panels and above the footer; hidden until opened."""

    DEFAULT_CSS = """
    CommandLine {
        dock: bottom;
        height: auto;
        margin-bottom: 1;
        padding: 0 1;
        background: $panel;
        border-top: solid $primary;
        display: none;
    }
    CommandLine.-open {
        display: block;
    }
    CommandLine #command-preview {
        color: $text-muted;
    }
    CommandLine #command-preview.-problem {
        color: $text-warning;
    }
    CommandLine #command-prompt-row {
        height: 1;
    }
    CommandLine #command-prompt {
        width: 2;
        color: $accent;
        text-style: bold;
    }
    CommandLine CommandInput {
        width: 1fr;
    }
    CommandLine #command-pointer {
        color: $text-error;
        display: none;
    }
    CommandLine #command-pointer.-refused {
        display: block;
    }
    """

    def __init__(self, commands: OrderCommands, *, id: str | None = "command-line") -> None:
        super().__init__(id=id)
        self._commands = commands
        self._return_focus: Widget | None = None
        self.preview: CommandPreview | None = None
        """What the line as typed will do (refreshed on every change)."""

    def compose(self) -> ComposeResult:
        yield Static(PROMPT_HINT, id="command-preview")
        with Horizontal(id="command-prompt-row"):
            yield Static(":", id="command-prompt")
            yield CommandInput(self._commands, self._commands.history)
        yield Static(id="command-pointer")

    @property
    def input(self) -> CommandInput:
        return self.query_one(CommandInput)

    @property
    def is_open(self) -> bool:
        return self.has_class("-open")

    def open(self) -> None:
        """Show the prompt and take the focus (given back on close)."""
        if not self.is_open:
            focused = self.screen.focused
            self._return_focus = focused if focused is not self.input else None
        self.add_class("-open")
        self.input.focus()

    def close(self) -> None:
        """Hide the prompt, clear it, and give the focus back."""
        self.remove_class("-open")
        self.input.value = ""
        self._commands.history.reset()
        focus = self._return_focus
        self._return_focus = None
        if focus is not None and focus.is_attached:
            focus.focus()
        else:
            self.screen.set_focus(None)

    @on(Input.Changed, "#command-input")
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self.show_preview(event.value)

    def show_preview(self, line: str) -> None:
        """Read ``line`` and show what it will do, or point at the word at fault."""
        preview_line = self.query_one("#command-preview", Static)
        pointer = self.query_one("#command-pointer", Static)
        fault = self.input.fault
        if not line.strip():
            self.preview = None
            fault.span = None
            preview_line.update(PROMPT_HINT)
            preview_line.remove_class("-problem")
            pointer.remove_class("-refused")
            return
        preview = self.preview = self._commands.preview(line)
        refused = preview.refused
        if refused is not None:
            token = refused.token
            fault.span = (token.start, token.end)
            caret = " " * (2 + token.start) + "^" * max(1, len(token.text))
            pointer.update(Text(f"{caret} {refused.reason}"))
            pointer.add_class("-refused")
            preview_line.update(PROMPT_HINT)
            preview_line.remove_class("-problem")
        else:
            fault.span = None
            pointer.remove_class("-refused")
            text = (
                preview.text if preview.problem is None else f"{preview.text} · {preview.problem}"
            )
            preview_line.update(Text(text))
            preview_line.set_class(preview.problem is not None, "-problem")
        self.input.refresh()

    @on(Input.Submitted, "#command-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        line = event.value
        self.show_preview(line)
        preview = self.preview
        if preview is None or preview.command is None:
            self.app.bell()
            return
        problem = self._commands.history.add(line)
        if problem is not None:
            self.app.notify(problem, title="History", severity="warning", timeout=8)
        self.close()
        self._commands.run(preview.command)


__all__ = ["PROMPT_HINT", "CommandInput", "CommandLine", "CommandSuggester"]
