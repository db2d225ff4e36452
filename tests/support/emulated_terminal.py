"""A terminal screen built only from the bytes an app writes, and the screen drawn whole to
compare it with.

Under ``App.run_test`` Textual's headless driver throws every frame away (``App._display``
writes nothing when the driver is headless), so the tests that read a screen read the
compositor, never what a terminal would show. :class:`EmulatorDriver` is the headless driver
with one change: it says it is not headless, so Textual writes every frame to it as it would
to a real terminal (its partial updates through the console's ``chops_escapes``), and it
feeds what it is given to a VT100 emulator (``pyte``). Nothing of the app's drawing is
replaced. A real terminal's driver also writes alternate-screen, cursor and mouse modes on
start and stop; this one does not (they change no cell), and Textual writes synchronized
update marks only to a terminal that answered for them, which this one never does.

:class:`ScreenDrawnWhole` draws the app's screen whole, as Textual's full update does, on an
emulator of its own: both screens go through the same emulator, so its reading of
widths and colours cancels out of the comparison. Compare them only when
:func:`drawn_up_to_date` says nothing is waiting to be drawn.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pyte
from pyte.screens import Char, wcwidth
from textual._compositor import LayoutUpdate
from textual.app import App
from textual.drivers.headless_driver import HeadlessDriver
from textual.widget import Widget

Cells = list[list[Char]]
"""A screen's cells, row by row: character and style (colours, bold, reverse...)."""


class EmulatedTerminal:
    """A VT100 screen fed the bytes a terminal would be sent."""

    def __init__(self, width: int, height: int) -> None:
        self.screen = pyte.Screen(width, height)
        self._stream = pyte.Stream(self.screen)
        self.written = 0
        """Characters fed so far."""

    @property
    def size(self) -> tuple[int, int]:
        return self.screen.columns, self.screen.lines

    def feed(self, data: str) -> None:
        self._stream.feed(data)
        self.written += len(data)

    def resize(self, width: int, height: int) -> None:
        """The window was resized: the cells kept are stale until the app draws again."""
        self.screen.resize(lines=height, columns=width)

    def cells(self) -> Cells:
        buffer = self.screen.buffer
        return [
            [buffer[y][x] for x in range(self.screen.columns)] for y in range(self.screen.lines)
        ]

    def rows(self, first: int = 0, end: int | None = None) -> list[str]:
        """The characters of rows ``first`` to ``end`` (a wide character once)."""
        columns = self.screen.columns
        lines = range(self.screen.lines)[first:end]
        return [_row_text(self.screen.buffer[y], columns) for y in lines]


def _row_text(line: Mapping[int, Char], columns: int) -> str:
    """One row as ``pyte.Screen.display`` reads it: a wide character's stub cell skipped."""
    text: list[str] = []
    x = 0
    while x < columns:
        data = line[x].data
        text.append(data)
        x += 2 if data and wcwidth(data[0]) == 2 else 1
    return "".join(text)


class EmulatorDriver(HeadlessDriver):
    """Textual's headless driver (no input, size set by the test) whose output reaches an
    :class:`EmulatedTerminal`. Use it through :func:`run_on_emulator`."""

    def __init__(
        self,
        app: App[Any],
        *,
        debug: bool = False,
        mouse: bool = True,
        size: tuple[int, int] | None = None,
    ) -> None:
        super().__init__(app, debug=debug, mouse=mouse, size=size)
        self.terminal = EmulatedTerminal(*self._get_terminal_size())

    @property
    def is_headless(self) -> bool:
        return False  # so that App._display writes each frame here

    def write(self, data: str) -> None:
        # Pilot.resize_terminal sets the size before the app hears of it: a real window is
        # resized before the app draws for the new size, so the emulator is resized first.
        width, height = self._get_terminal_size()
        if self.terminal.size != (width, height):
            self.terminal.resize(width, height)
        self.terminal.feed(data)


def run_on_emulator(app: App[Any]) -> None:
    """Have ``app`` draw on an emulated terminal: then run it with
    ``app.run_test(headless=False, size=...)`` (with ``headless=True`` Textual builds its
    own driver) and read the screen with :func:`emulated_terminal`."""
    app.driver_class = EmulatorDriver


def emulated_terminal(app: App[Any]) -> EmulatedTerminal:
    """The terminal a running app started by :func:`run_on_emulator` draws on."""
    driver = app._driver
    assert isinstance(driver, EmulatorDriver), "start the app with run_on_emulator"
    return driver.terminal


def drawn_up_to_date(app: App[Any]) -> bool:
    """Whether every change the app's screen has been told of is on the terminal: no widget
    waits to be repainted or laid out, no ``Update`` or ``Layout`` message is on its way
    to the screen, the screen has nothing dirty and no batch of updates is open.

    Textual draws a refresh in hops (the widget's idle handler posts an ``Update`` to the
    screen, whose timer draws it): between them the widget's lines are already new while
    the terminal still holds the old, legitimately. Only at such a point does the screen
    drawn whole show what the partial updates should have written."""
    screen = app.screen
    if (
        app._batch_count
        or screen._dirty_widgets
        or screen._compositor._dirty_regions
        or not screen._message_queue.empty()
        or _waits(screen)
        or screen._recompose_required
    ):
        return False
    return not any(_waits(widget) for widget in screen.walk_children(Widget))


def _waits(widget: Widget) -> bool:
    return bool(
        widget._repaint_required
        or widget._layout_required
        or widget._scroll_required
        or widget._refresh_styles_required
    )


class ScreenDrawnWhole:
    """The app's screen as Textual's full update draws it (every widget asked for every
    line, the screens below a modal one included), on a terminal of its own.

    Each look draws every line anew, and feeds the terminal only the lines whose bytes
    differ from those it holds, each on a line erased first: a line that stays on its own
    line (the emulator's cursor ends on it) leaves the same cells as on a fresh screen, and
    should one run over, the whole update is fed to a fresh terminal. That halves the CPU
    of a look at a 200x50 screen (~30 -> ~15 ms; ``pyte`` parses about a character a
    microsecond, and the full update's own drawing is most of the rest)."""

    def __init__(self) -> None:
        self.terminal = EmulatedTerminal(1, 1)
        self._lines: list[str | None] = []

    def draw(self, app: App[Any]) -> EmulatedTerminal:
        """Draw ``app``'s screen whole. Call only when :func:`drawn_up_to_date`: the full
        update also takes the screen's dirty regions, and there must be none to take."""
        update = _full_update(app)
        width, height = app.screen._compositor.size
        if self.terminal.size != (width, height):
            self.terminal = EmulatedTerminal(width, height)
            self._lines = [None] * height
        console = app.console
        cursor = self.terminal.screen.cursor
        for y, line in enumerate(update.strips):
            text = "".join(strip.render(console) for strip in line)
            if text != self._lines[y]:
                self.terminal.feed(f"\x1b[0m\x1b[{y + 1};1H\x1b[2K{text}")
                self._lines[y] = text
                if cursor.y != y:  # it ran over: as Textual writes it, on a fresh screen
                    self.terminal = EmulatedTerminal(width, height)
                    self.terminal.feed(update.render_segments(console))
                    self._lines = [None] * height
                    break
        return self.terminal


def drawn_whole_afresh(app: App[Any]) -> EmulatedTerminal:
    """Textual's full update of ``app``'s screen, fed whole to a fresh terminal: what
    :class:`ScreenDrawnWhole` must equal (when :func:`drawn_up_to_date`)."""
    terminal = EmulatedTerminal(*app.screen._compositor.size)
    terminal.feed(_full_update(app).render_segments(app.console))
    return terminal


def _full_update(app: App[Any]) -> LayoutUpdate:
    compositor = app.screen._compositor
    assert not compositor._dirty_regions, "compare only a screen drawn up to date"
    update = compositor.render_update(full=True, screen_stack=app._background_screens)
    assert isinstance(update, LayoutUpdate)
    return update


def screen_difference(shown: EmulatedTerminal, whole: EmulatedTerminal) -> str | None:
    """None when both screens hold the same cells (characters and styles); else each
    differing row of both, and for a row whose characters agree, the first cells whose
    styles do not."""
    if shown.size != whole.size:
        return f"the terminal is {shown.size}, the screen {whole.size}"
    held_buffer, drawn_buffer = shown.screen.buffer, whole.screen.buffer
    if all(held_buffer[y] == drawn_buffer[y] for y in range(whole.screen.lines)):
        return None  # as a rule: the same cells written in both (the rest are compared below)
    held_cells, drawn_cells = shown.cells(), whole.cells()
    if held_cells == drawn_cells:
        return None
    report: list[str] = []
    shown_rows, whole_rows = shown.rows(), whole.rows()
    for y, (held, drawn) in enumerate(zip(held_cells, drawn_cells, strict=True)):
        if held == drawn:
            continue
        report.append(f"row {y:>3} terminal: {shown_rows[y]!r}")
        report.append(f"        whole:    {whole_rows[y]!r}")
        if shown_rows[y] == whole_rows[y]:
            styles = [
                f"col {x}: {a} != {b}"
                for x, (a, b) in enumerate(zip(held, drawn, strict=True))
                if a != b
            ]
            report.append(f"        styles differ at {len(styles)} cells: " + "; ".join(styles[:3]))
    differing = sum(1 for line in report if line.startswith("row "))
    return f"{differing} of {whole.size[1]} rows differ:\n" + "\n".join(report)
