"""A panel the paint draws at once holds the prompts its refreshes would post
(``prompts_held``, Textual workaround 10): nothing is lost, a refresh the paint did not draw
still goes Textual's way, and a paint of the real console wakes none of the panels it drew.

What each panel's task processes is read from its ``message_signal`` (every message,
``Prompt`` included, is published there once handled)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from textual.app import App, ComposeResult
from textual.message import Message
from textual.messages import Prompt, Update
from textual.pilot import Pilot
from textual.widget import Widget

from console.domain import DepthSnapshot, PriceLevel, Side, Trade
from console.tui.app import ConsoleApp
from console.tui.textual_compat import draw_now, prompts_held, screen_draws_through_private_hops
from console.tui.widgets.ladder import OrderBookLadder
from console.tui.widgets.tape import TradeTape

from support.console import SIZE, settings
from support.waiting import wait_until

D = Decimal
STAMP = datetime(2026, 12, 6, 22, 0, tzinfo=UTC)


def book(top: str) -> DepthSnapshot:
    return DepthSnapshot(
        symbol="BTC/USDT",
        bids=tuple(PriceLevel(D(top) - D("0.5") * i, D(1)) for i in range(20)),
        asks=tuple(PriceLevel(D(top) + D("0.5") * (i + 1), D(2)) for i in range(20)),
        exchange_time=STAMP,
        received_at=STAMP,
    )


def a_print(number: int) -> Trade:
    return Trade(
        symbol="BTC/USDT",
        trade_id=f"t{number}",
        price=D("100.5"),
        size=D("0.25"),
        side=Side.BUY,
        timestamp=STAMP,
    )


class Host(App[None]):
    def compose(self) -> ComposeResult:
        yield OrderBookLadder("BTC/USDT")
        yield TradeTape("BTC/USDT")


class Processed:
    """The messages each watched widget's task handled, in order."""

    def __init__(self, host: Widget, widgets: list[Widget]) -> None:
        self.by_widget: dict[Widget, list[Message]] = {widget: [] for widget in widgets}
        for widget in widgets:
            widget.message_signal.subscribe(host, self.by_widget[widget].append, immediate=True)

    def prompts(self, widget: Widget) -> int:
        return sum(isinstance(message, Prompt) for message in self.by_widget[widget])

    def clear(self) -> None:
        for messages in self.by_widget.values():
            messages.clear()


def updates_for(messages: list[Message], widget: Widget) -> int:
    return sum(isinstance(message, Update) and message.widget is widget for message in messages)


async def test_a_refresh_outside_a_hold_prompts_the_widget() -> None:
    """The premise: each refresh wakes the widget's task with a Prompt, which the hold saves."""
    app = Host()
    async with app.run_test(size=(100, 30)) as pilot:
        ladder = app.query_one(OrderBookLadder)
        await pilot.pause()
        processed = Processed(app.screen, [ladder])
        ladder.snapshot = book("100")
        await pilot.pause()
        assert processed.prompts(ladder) == 1


def test_textual_still_draws_through_private_hops() -> None:
    assert screen_draws_through_private_hops()


@dataclass
class Watched:
    """A host with a ladder (showing a first book) and a tape, watched from here on."""

    app: Host
    pilot: Pilot[None]
    ladder: OrderBookLadder
    tape: TradeTape
    processed: Processed
    drawn: list[str]
    """Symbols whose new book the ladder drew (its paint listener)."""
    screen_messages: list[Message]


@asynccontextmanager
async def watched_host() -> AsyncIterator[Watched]:
    screen_messages: list[Message] = []
    app = Host()
    async with app.run_test(size=(100, 30), message_hook=screen_messages.append) as pilot:
        ladder, tape = app.query_one(OrderBookLadder), app.query_one(TradeTape)
        ladder.snapshot = book("100")
        await pilot.pause()
        drawn: list[str] = []
        ladder.paint_listener = lambda symbol, _ms: drawn.append(symbol)
        processed = Processed(app.screen, [ladder, tape])
        screen_messages.clear()
        yield Watched(app, pilot, ladder, tape, processed, drawn, screen_messages)


async def test_panels_drawn_at_once_inside_a_hold_are_drawn_and_never_prompted() -> None:
    async with watched_host() as host:
        ladder, tape = host.ladder, host.tape
        with prompts_held([ladder, tape]):
            ladder.snapshot = book("103")
            tape.add_trades([a_print(1)])
            assert draw_now(host.app.screen, [ladder, tape])
            assert host.drawn == ["BTC/USDT"]  # the new book's lines went to the screen here
        await host.pilot.pause()
        await host.pilot.pause()
        assert host.processed.prompts(ladder) == 0
        assert host.processed.prompts(tape) == 0
        assert updates_for(host.screen_messages, ladder) == 0  # drawn already, not asked for
        assert host.drawn == ["BTC/USDT"]


async def test_a_refresh_the_paint_did_not_draw_gets_its_prompt_after_the_hold() -> None:
    async with watched_host() as host:
        with prompts_held([host.ladder, host.tape]):
            host.ladder.snapshot = book("107")  # no draw_now: the paint drew nothing
        assert host.drawn == []
        await wait_until(lambda: host.drawn == ["BTC/USDT"], pilot=host.pilot)  # Textual's way
        assert host.processed.prompts(host.ladder) == 1
        assert host.processed.prompts(host.tape) == 0  # it had nothing to do: nothing owed
        assert updates_for(host.screen_messages, host.ladder) == 1


async def test_a_callback_asked_for_inside_a_hold_still_runs() -> None:
    app = Host()
    async with app.run_test(size=(100, 30)) as pilot:
        tape = app.query_one(TradeTape)
        await pilot.pause()
        ran: list[str] = []
        with prompts_held([tape]):
            tape.call_next(ran.append, "next")
        await pilot.pause()
        assert ran == ["next"]


async def test_the_consoles_paint_wakes_none_of_the_ladders_it_draws(tmp_path: Path) -> None:
    """On the simulator's stream: many books drawn, and the ladders' tasks woken only by
    what is not the paint (a badge, a health tick), far fewer times than books drawn."""
    app = ConsoleApp(settings(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        ladders = app.main_screen.ladders
        await wait_until(
            lambda: all(ladder.snapshot is not None for ladder in ladders), pilot=pilot
        )
        processed = Processed(app.main_screen, list(ladders))
        drawn: list[str] = []
        for ladder in ladders:
            ladder.paint_listener = lambda symbol, _ms: drawn.append(symbol)
        await wait_until(lambda: len(drawn) >= 40, pilot=pilot)
        prompts = sum(processed.prompts(ladder) for ladder in ladders)
        assert prompts <= len(drawn) // 4, (prompts, len(drawn))
