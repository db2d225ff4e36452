"""The order command line as a trader uses it: ``:`` opens it, a line is typed (as a paste
would put it) and Enter runs it."""

from __future__ import annotations

from textual.pilot import Pilot

from console.tui.app import ConsoleApp
from console.tui.widgets.command_line import CommandInput, CommandLine

from support.waiting import wait_until


def command_line(app: ConsoleApp) -> CommandLine:
    return app.main_screen.query_one(CommandLine)


async def open_prompt(pilot: Pilot[int], app: ConsoleApp) -> CommandInput:
    await pilot.press("colon")
    await wait_until(lambda: bool(app.main_screen.query(CommandLine)), pilot=pilot)
    line = command_line(app)
    await wait_until(lambda: line.is_open and app.focused is line.input, pilot=pilot)
    return line.input


async def type_line(pilot: Pilot[int], prompt: CommandInput, text: str) -> None:
    """Put ``text`` in the prompt as a paste would, and let the preview follow it."""
    prompt.value = text
    prompt.cursor_position = len(text)
    await pilot.pause()


async def run(pilot: Pilot[int], app: ConsoleApp, line: str) -> None:
    """Open the prompt, type ``line``, press Enter."""
    prompt = await open_prompt(pilot, app)
    await type_line(pilot, prompt, line)
    await pilot.press("enter")
    await wait_until(lambda: not command_line(app).is_open, pilot=pilot)
