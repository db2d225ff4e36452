"""Our open orders on the ladder: every one has a line or is counted (the widget, Pilot)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from textual.app import App, ComposeResult

from console.domain import DepthSnapshot, Order, OrderStatus, OrderType, PriceLevel, Side
from console.tui.widgets.ladder import LadderMark, OrderBookLadder

D = Decimal
BOOK = DepthSnapshot(
    symbol="BTC/USDT",
    bids=tuple(PriceLevel(D(100) - D("0.5") * i, D(1)) for i in range(40)),
    asks=tuple(PriceLevel(D("100.5") + D("0.5") * i, D(1)) for i in range(40)),
    received_at=datetime(2026, 11, 26, tzinfo=UTC),
)


def bid(price: str, quantity: str) -> Order:
    return Order(
        order_id=f"paper-{price}",
        symbol="BTC/USDT",
        side=Side.BUY,
        type=OrderType.LIMIT,
        status=OrderStatus.OPEN,
        quantity=D(quantity),
        price=D(price),
    )


class LadderHost(App[None]):
    def compose(self) -> ComposeResult:
        yield OrderBookLadder("BTC/USDT")


def drawn(ladder: OrderBookLadder) -> list[str]:
    return [ladder.render_line(y).text for y in range(ladder.size.height)]


async def test_a_paper_bid_between_levels_has_a_line_and_a_far_one_is_counted() -> None:
    app = LadderHost()
    async with app.run_test(size=(70, 24)) as pilot:
        ladder = app.query_one(OrderBookLadder)
        ladder.snapshot = BOOK
        await pilot.pause()
        assert not any("off-ladder" in line for line in drawn(ladder))

        ladder.own_orders = [bid("99.75", "0.5"), bid("80", "2")]
        await pilot.pause()
        lines = drawn(ladder)
        (ours,) = [line for line in lines if "own 0.5" in line]
        assert ours.startswith("◆")
        assert "99.75" in ours
        assert "◆ 1 off-ladder" in lines[1], "the far bid is beyond the lines that fit"

        ladder.own_orders = []
        await pilot.pause()
        assert not any("off-ladder" in line or "own " in line for line in drawn(ladder))


async def test_named_mark_sets_are_written_on_their_lines_and_cleared_one_set_at_a_time() -> None:
    app = LadderHost()
    async with app.run_test(size=(70, 24)) as pilot:
        ladder = app.query_one(OrderBookLadder)
        ladder.snapshot = BOOK
        ladder.set_marks("triggers", [LadderMark(D("98.5"), "STOP")])
        ladder.set_marks("scale", [LadderMark(D("98.5"), "S1"), LadderMark(D("102"), "S2")])
        await pilot.pause()
        lines = drawn(ladder)
        (stop_line,) = [line for line in lines if "STOP" in line]
        assert "98.50" in stop_line
        assert "S1" in stop_line, "both sets share the line"
        (ask_line,) = [line for line in lines if "S2" in line]
        assert "102.00" in ask_line

        ladder.set_marks("scale", [])
        await pilot.pause()
        lines = drawn(ladder)
        assert not any("S1" in line or "S2" in line for line in lines)
        assert any("STOP" in line for line in lines), "clearing one set keeps the other"
        assert ladder.marks("triggers") == (LadderMark(D("98.5"), "STOP"),)
