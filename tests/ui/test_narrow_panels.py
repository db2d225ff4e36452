"""At 80x24 the panels narrow to their essential columns and short forms instead of showing
words cut at their edge (``idl``, ``Dept``, ``own 0.5``)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from rich.text import Text

from console.domain import EndpointCategory, RateLimitStatus
from console.tui.widgets.ladder import OrderBookLadder
from console.tui.widgets.rate_limits import RateLimitGauges
from console.tui.widgets.tape import TradeTape

from support.fixed_scene import NOW, console_app, fed


def _lines(widget: OrderBookLadder | TradeTape) -> list[str]:
    return [widget.render_line(y).text for y in range(widget.size.height)]


async def test_an_80_column_screen_has_no_cut_words(tmp_path: Path) -> None:
    app = console_app(tmp_path, "breakout-dark")
    async with app.run_test(size=(80, 24)) as pilot:
        await fed(app)(pilot)
        screen = app.main_screen
        ladder = screen.ladders[0]
        header, columns, *rows = _lines(ladder)
        assert header.split() == ["BTC/USDT:USDT", "×1", "(0.1)"]
        assert columns.split() == ["Price", "Size", "Cum", "◆1"]  # one order beyond the lines
        own = [row for row in rows if row.startswith("◆")]
        assert own
        assert all("own" not in row for row in own)  # the bar is too short for the label

        tape = screen.query_one(TradeTape)
        tape_header, *prints = _lines(tape)
        assert tape_header.split() == ["Time", "Price", "Size"]
        assert all(line.rstrip()[-1] in "▲▼" for line in prints if line.strip())

        gauges = screen.query_one(RateLimitGauges)
        gauges.update_status(
            [
                RateLimitStatus(
                    category=EndpointCategory.MARKET_DATA,
                    used=0,
                    limit=600,
                    remaining=600,
                    window_seconds=5.0,
                ),
                RateLimitStatus(
                    category=EndpointCategory.TRADING,
                    endpoint="/v5/order/create-batch",
                    used=3,
                    limit=10,
                    remaining=7,
                    window_seconds=1.0,
                    reset_at=NOW + timedelta(seconds=1),
                ),
                RateLimitStatus(
                    category=EndpointCategory.TRADING,
                    used=3,
                    limit=10,
                    remaining=7,
                    window_seconds=1.0,
                    halted_until=NOW + timedelta(minutes=9, seconds=30),
                ),
            ],
            NOW,
        )
        await pilot.pause()
        rendered = gauges.render()
        assert isinstance(rendered, Text)
        lines = rendered.plain.splitlines()
        assert lines == ["market data 0/600 –", "trading      3/10 HALT 9m 30s"]
        assert max(len(line) for line in lines) <= gauges.content_size.width
