"""What a terminal shows of the running console, built only from the bytes the console wrote
to it, equals the console's screen drawn whole at the same moment.

Most frames reach the terminal as partial updates (``console/tui/textual_compat``'s
``render_dirty_chops`` and ``chops_escapes``): only the dirty pieces, as cursor moves and
styled text. A piece left out, drawn from a stale widget, or written at the wrong place stays
on a real screen until that part is drawn whole again, while every test that reads the
compositor sees a perfect screen (that is how the chores' ``draw_pending`` left the
Trades/min panel drawn stale, its top border gone, in tmux; and how a ladder drawing lines of
its old width, after hiding the watchlist, left the side panels drawn cut). Here the console
draws on an emulated terminal (``support.emulated_terminal``) and the screen is compared,
character and style, with the screen drawn whole.

How the moment of comparison is made exact: the app runs on its own (the test waits without
the Pilot, whose pauses would draw for it; only a key goes through it), and the test looks
every 10 ms. A look compares
only when nothing the screen was told of waits to be drawn (``drawn_up_to_date``), and then
reads both screens in the same synchronous step, so no frame, chore or stream message can
fall between them; at any other moment the terminal is legitimately behind. The market is the
simulator's, from its fixed seed; what it shows depends on timing, but the property compared
holds at every such moment, whatever it shows. Each test compares at every such moment it
sees (dozens), over at least two rounds of the once-a-second chores.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import TabbedContent

from console.domain import ManualClock
from console.tui.app import ConsoleApp
from console.tui.paint_chores import Chores
from console.tui.widgets.candles import CandleChart
from console.tui.widgets.trades_per_minute import TradesPerMinute
from console.tui.widgets.watchlist import Watchlist

from support.console import main_ladder, settings
from support.emulated_terminal import (
    EmulatedTerminal,
    ScreenDrawnWhole,
    drawn_up_to_date,
    drawn_whole_afresh,
    emulated_terminal,
    run_on_emulator,
    screen_difference,
)
from support.waiting import wait_until

CLOCK = re.compile(r"\d\d:\d\d:\d\d UTC")
"""The status bar's clock, which the once-a-second chore draws."""


def shown(terminal: EmulatedTerminal, widget: Widget) -> str:
    """What the terminal shows where ``widget`` is on the screen (empty when hidden)."""
    region = widget.region
    rows = terminal.rows(region.y, region.bottom)
    return "\n".join(row[region.x : region.right] for row in rows)


class ScreenWatch:
    """Compares the terminal with the screen drawn whole at each moment the app is drawn up
    to date, and keeps what the terminal showed of the panels the chores draw."""

    def __init__(self, app: ConsoleApp) -> None:
        self.app = app
        self.terminal = emulated_terminal(app)
        self.whole = ScreenDrawnWhole()
        self.compared = 0
        self.clocks: set[str] = set()
        """The clock readings the terminal showed."""
        self.panels: dict[str, set[str]] = {}
        """By panel, what the terminal showed of it."""

    def look(self, what: str) -> bool:
        """Compare once if the app is drawn up to date (``what`` the test waits for, for the
        failure message); whether it compared."""
        app = self.app
        if not drawn_up_to_date(app):
            return False
        difference = screen_difference(self.terminal, self.whole.draw(app))
        assert difference is None, (
            f"waiting for {what}, after {self.compared} equal looks, the terminal differs from "
            f"the screen drawn whole: {difference}"
        )
        self.compared += 1
        self.clocks.update(CLOCK.findall(self.terminal.rows(0, 1)[0]))
        screen = app.main_screen
        for widget in (screen.query_one(TradesPerMinute), screen.query_one(Watchlist)):
            if widget.region:
                self.panels.setdefault(type(widget).__name__, set()).add(
                    shown(self.terminal, widget)
                )
        return True

    def whole_drawn_as_afresh(self) -> bool:
        """The screen drawn whole line by line, as each look draws it, equals Textual's
        full update fed to a fresh terminal (the oracle's own check); whether it looked."""
        if not drawn_up_to_date(self.app):
            return False
        difference = screen_difference(self.whole.draw(self.app), drawn_whole_afresh(self.app))
        assert difference is None, f"the oracle drifted: {difference}"
        return True

    async def until(self, done: Callable[[], bool], what: str) -> None:
        """Compare at every moment the app is drawn up to date, until ``done``."""
        await wait_until(lambda: self.look(what) and done(), what=what)


async def streaming(app: ConsoleApp) -> ScreenWatch:
    """Compare from the first frame until the market streams into the ladder."""
    watch = ScreenWatch(app)
    ladder = app.main_screen.ladders[0]
    await watch.until(lambda: ladder.snapshot is not None, "the ladder showing a book")
    return watch


@pytest.mark.parametrize("size", [(80, 24), (200, 50)], ids=["80x24", "200x50"])
async def test_the_streaming_screen_adds_up_to_the_screen_drawn_whole(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    """Ladders, tape and the once-a-second panels (clock, Trades/min, watchlist) as the
    market streams: the terminal holds what the screen drawn whole holds at every look."""
    app = ConsoleApp(settings(tmp_path))
    run_on_emulator(app)
    async with app.run_test(headless=False, size=size):
        watch = await streaming(app)

        def chores_drawn_twice() -> bool:
            return len(watch.clocks) >= 3 and all(len(seen) >= 2 for seen in watch.panels.values())

        await watch.until(chores_drawn_twice, "two rounds of chores drawn")
        await wait_until(watch.whole_drawn_as_afresh, what="a look at the oracle")
        assert "TradesPerMinute" in watch.panels
        assert ("Watchlist" in watch.panels) == (size[0] >= 200)
        assert watch.compared >= 10


class ChoreRounds:
    """The once-a-second chores run when the test says: their clock is the test's, and a
    chore of the test's own, due with them, counts the rounds that ran."""

    HALF = 0.5
    """The chores are staggered by half a second (the clock on the second, the watchlist and
    Trades/min between): each round the test starts runs one or the other."""

    def __init__(self, app: ConsoleApp, time: ManualClock) -> None:
        self.time = time
        self.ran = 0
        app.chores.every(self.HALF, self._count)  # added last: runs after the app's own

    def _count(self) -> None:
        self.ran += 1

    async def run(self, watch: ScreenWatch, what: str) -> None:
        """Make the next chores due, and compare until they ran and were drawn."""
        ran = self.ran
        self.time.advance(self.HALF)
        await watch.until(lambda: self.ran > ran, what)


Step = tuple[str, Callable[[Pilot[int]], Awaitable[None]], Callable[[ConsoleApp], bool]]
"""A name, what the trader does, and how the screen is then told apart."""


def press(*keys: str) -> Callable[[Pilot[int]], Awaitable[None]]:
    return lambda pilot: pilot.press(*keys)


def resize(width: int, height: int) -> Callable[[Pilot[int]], Awaitable[None]]:
    return lambda pilot: pilot.resize_terminal(width, height)


def region_of(app: ConsoleApp, selector: str) -> Region:
    return app.main_screen.query_one(selector).region


STEPS: list[Step] = [
    ("group coarser", press("l", "plus", "plus"), lambda app: main_ladder(app).multiple > 2),
    ("group finer", press("minus"), lambda app: main_ladder(app).multiple == 2),
    (
        "next timeframe",
        press("t"),
        lambda app: app.main_screen.query_one(CandleChart).timeframe != "1m",
    ),
    (
        "next bottom tab",
        press("a"),
        lambda app: app.main_screen.query_one(TabbedContent).active != "balances",
    ),
    ("hide the bottom tables", press("B"), lambda app: not region_of(app, "#bottom")),
    ("hide trades per minute", press("M"), lambda app: not region_of(app, "#trades-per-minute")),
    (
        "show both again",
        press("B", "M"),
        lambda app: bool(region_of(app, "#bottom") and region_of(app, "#trades-per-minute")),
    ),
    ("hide the watchlist", press("W"), lambda app: not region_of(app, "#left-column")),
    ("show the watchlist", press("W"), lambda app: bool(region_of(app, "#left-column"))),
    ("zoom the ladder", press("z"), lambda app: app.main_screen.maximized is not None),
    ("back from the zoom", press("z"), lambda app: app.main_screen.maximized is None),
    ("a small window", resize(80, 24), lambda app: app.size == (80, 24)),
    ("a mid-sized window", resize(120, 40), lambda app: app.size == (120, 40)),
    ("the wide window again", resize(200, 50), lambda app: app.size == (200, 50)),
]


async def test_a_screen_rearranged_by_keys_adds_up_to_the_screen_drawn_whole(
    tmp_path: Path,
) -> None:
    """Keys that change what is drawn where (grouping, timeframe, bottom tabs, hidden and
    shown panels, a zoom, resized windows): after each, through a round of each chore, the
    terminal holds what the screen drawn whole holds. The test runs the chores' rounds
    (their clock is its own) so that eleven steps take no eleven seconds."""
    chore_time = ManualClock()
    app = ConsoleApp(settings(tmp_path))
    app.chores = Chores(chore_time.monotonic)
    run_on_emulator(app)
    async with app.run_test(headless=False, size=(200, 50)) as pilot:
        watch = await streaming(app)
        rounds = ChoreRounds(app, chore_time)
        for name, act, done in STEPS:
            await act(pilot)
            await watch.until(lambda: done(app), name)  # noqa: B023 (awaited in the loop)
            for _ in range(2):
                await rounds.run(watch, f"a round of chores after: {name}")
        assert watch.compared >= 3 * len(STEPS), watch.compared
