"""The tape frames its own lines (border, title and filters) and keeps each print's line while
it is on the tape: what reaches the screen must be exactly what Textual would have drawn,
through new prints, large prints, a theme change, a resize and another symbol."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from textual.app import ComposeResult
from textual.geometry import Region

from console.domain import Side, Trade
from console.tui.textual_compat import CompatApp, line_frame
from console.tui.widgets.tape import TradeTape

from support.framed import assert_lines_as_textual_draws_them, textual_drawing

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


async def test_framed_tape_lines_equal_textuals_through_every_change() -> None:
    app = OneTape()
    async with app.run_test(size=(60, 20)) as pilot:
        tape = app.query_one(TradeTape)
        assert line_frame(tape) is not None, "a plainly styled tape is framed by itself"
        assert_lines_as_textual_draws_them(tape)  # column names and blank lines only

        for start in range(0, 60, 4):  # prints move down, large ones come and go
            tape.add_trades(prints(start, 4))
            await pilot.pause()
            assert_lines_as_textual_draws_them(tape)

        app.theme = "textual-light"
        await pilot.pause()
        assert_lines_as_textual_draws_them(tape)

        await pilot.resize_terminal(36, 12)  # narrow: the arrow without the side's word
        await pilot.pause()
        assert_lines_as_textual_draws_them(tape)

        tape.show_symbol("ETH/USDT")
        tape.add_trades(prints(100, 3, "ETH/USDT"))
        await pilot.pause()
        assert_lines_as_textual_draws_them(tape)


async def test_the_tapes_kept_styles_follow_every_style_change() -> None:
    """The tape keeps its own and its components' styles (Textual drops its copy on every
    refresh); through theme and class changes each print must be drawn in the styles
    Textual works out afresh."""
    app = OneTape()
    async with app.run_test(size=(60, 20)) as pilot:
        tape = app.query_one(TradeTape)
        tape.add_trades(prints(0, 12))
        await pilot.pause()

        def assert_afresh() -> None:
            tape._rich_style_cache.clear()
            for row, trade in enumerate(tape.trades, start=1):
                component = ("tape--large-" if tape.is_large(trade) else "tape--") + (
                    "buy" if trade.side is Side.BUY else "sell"
                )
                drawn = list(tape.render_line(row))
                assert drawn[0].style == tape.get_component_rich_style(component)
                assert drawn[-1].style == tape.rich_style
            columns = list(tape.render_line(0))
            assert columns[0].style == tape.get_component_rich_style("tape--columns")

        assert_afresh()
        for change in (
            lambda: setattr(app, "theme", "textual-light"),
            lambda: tape.add_class("-ours"),
            lambda: setattr(app, "theme", "nord"),
        ):
            change()
            await pilot.pause()
            assert_afresh()


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
