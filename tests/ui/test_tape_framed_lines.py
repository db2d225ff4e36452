"""The tape frames its own lines (border, title and filters) and keeps each print's line while
it is on the tape: what reaches the screen must be exactly what Textual would have drawn,
through new prints, large prints, a theme change, a resize and another symbol."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from textual.app import ComposeResult
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget

from console.domain import Side, Trade
from console.tui.textual_compat import CompatApp, line_frame
from console.tui.widgets.tape import TradeTape

NOW = datetime(2026, 12, 6, tzinfo=UTC)


def prints(start: int, count: int, symbol: str = "BTC/USDT") -> list[Trade]:
    return [
        Trade(
            symbol=symbol,
            trade_id=f"t{n}",
            price=Decimal(60_000) + n % 7,
            size=Decimal("9.5") if n % 11 == 0 else Decimal("0.25") + Decimal(n % 5) / 10,
            side=Side.BUY if n % 3 else Side.SELL,
            timestamp=NOW + timedelta(seconds=n),
        )
        for n in range(start, start + count)
    ]


class OneTape(CompatApp[None]):
    def compose(self) -> ComposeResult:
        yield TradeTape("BTC/USDT", id="tape")


def textual_drawing(tape: TradeTape) -> list[Strip]:
    """The tape's lines as Textual's own styles cache draws them, from a clean cache."""
    tape._styles_cache.clear()
    return Widget.render_lines(tape, tape.outer_size.region)


def assert_same_as_textual(tape: TradeTape) -> None:
    ours = tape.render_lines(tape.outer_size.region)
    theirs = textual_drawing(tape)
    assert len(ours) == len(theirs) == tape.outer_size.height
    for y, (mine, textual) in enumerate(zip(ours, theirs, strict=True)):
        assert list(mine) == list(textual), f"line {y} differs"


async def test_framed_tape_lines_equal_textuals_through_every_change() -> None:
    app = OneTape()
    async with app.run_test(size=(60, 20)) as pilot:
        tape = app.query_one(TradeTape)
        assert line_frame(tape) is not None, "a plainly styled tape is framed by itself"
        assert_same_as_textual(tape)  # column names and blank lines only

        for start in range(0, 60, 4):  # prints move down, large ones come and go
            tape.add_trades(prints(start, 4))
            await pilot.pause()
            assert_same_as_textual(tape)

        app.theme = "textual-light"
        await pilot.pause()
        assert_same_as_textual(tape)

        await pilot.resize_terminal(36, 12)  # narrow: the arrow without the side's word
        await pilot.pause()
        assert_same_as_textual(tape)

        tape.show_symbol("ETH/USDT")
        tape.add_trades(prints(100, 3, "ETH/USDT"))
        await pilot.pause()
        assert_same_as_textual(tape)


async def test_a_cropped_tape_hands_over_only_the_crop() -> None:
    app = OneTape()
    async with app.run_test(size=(60, 20)) as pilot:
        tape = app.query_one(TradeTape)
        tape.add_trades(prints(0, 12))
        await pilot.pause()
        ours = tape.render_lines(Region(2, 3, 30, 6))
        theirs = textual_drawing(tape)[3:9]
        assert [list(line) for line in ours] == [list(line.crop(2, 32)) for line in theirs]


async def test_the_tape_keeps_only_the_lines_of_prints_on_screen() -> None:
    app = OneTape()
    async with app.run_test(size=(60, 12)) as pilot:
        tape = app.query_one(TradeTape)
        for start in range(0, 200, 10):
            tape.add_trades(prints(start, 10))
            await pilot.pause()
        assert 0 < len(tape._framed) <= tape.size.height - 1
