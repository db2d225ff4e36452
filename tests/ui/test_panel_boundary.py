"""No panel takes the app down (issue 11): a panel that fails shows its error, the failure is
logged with its traceback, and the other panels keep updating. A worker that fails is
logged, not lost."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from textual.geometry import Region
from textual.message import Message
from textual.notifications import Notify

from console.config import Settings
from console.domain import Balance, DepthSnapshot, ManualClock, PriceLevel
from console.tui.app import ConsoleApp
from console.tui.widgets.balances import BalancesTable
from console.tui.widgets.ladder import OrderBookLadder
from console.tui.widgets.status_bar import StatusBar

from support.builders import linear_market

NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
SYMBOL = "BTC/USDT:USDT"


class PoisonedBook(DepthSnapshot):
    """A book whose best bid cannot be read: stands for any value a panel did not foresee
    (issue 11's year-3170843 timestamp was one)."""

    @property
    def best_bid(self) -> PriceLevel | None:
        raise RuntimeError("poisoned book")


def _book(kind: type[DepthSnapshot] = DepthSnapshot) -> DepthSnapshot:
    return kind(
        symbol=SYMBOL,
        bids=(PriceLevel(Decimal("59999.5"), Decimal(1)),),
        asks=(PriceLevel(Decimal("60000.0"), Decimal(1)),),
        sequence=1,
        received_at=NOW,
    )


def _drawn(ladder: OrderBookLadder) -> list[str]:
    width, height = ladder.size
    return [strip.text for strip in ladder.render_lines(Region(0, 0, width, height))]


def _console(tmp_path: Path) -> ConsoleApp:
    settings = Settings(symbols=(SYMBOL,), data_dir=tmp_path / "data")
    return ConsoleApp(settings, clock=ManualClock(NOW), connect=False)


async def test_a_failing_panel_shows_its_error_and_the_others_keep_updating(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    app = _console(tmp_path)
    async with app.run_test(size=(200, 50)) as pilot:
        screen = app.main_screen
        screen.show_markets({SYMBOL: linear_market(tick_size=Decimal("0.5"))})
        screen.show_book(SYMBOL, _book(PoisonedBook))
        for _ in range(3):  # several frames: the failure is drawn each time, logged once
            await pilot.pause()
            screen.ladders[0].refresh()

        assert app.is_running
        ladder = screen.ladders[0]
        drawn = _drawn(ladder)
        assert drawn[0].startswith("⚠ OrderBookLadder could not")
        assert "RuntimeError: poisoned book" in drawn[0]
        failures = [r for r in caplog.records if "panel failed" in r.getMessage()]
        assert len(failures) == 1
        assert failures[0].exc_info is not None

        screen.show_account([Balance(currency="USDT", total=Decimal(100), free=Decimal(100))], [])
        await pilot.pause()
        assert screen.query_one(BalancesTable).row_count == 1

        screen.show_book(SYMBOL, _book())  # a readable book: the ladder works again
        await pilot.pause()
        assert ladder.failure is None
        assert not any("⚠" in line for line in _drawn(ladder))
        assert any("59,999.5" in line or "59999.5" in line for line in _drawn(ladder))


async def test_a_panel_whose_update_raises_keeps_the_error_until_an_update_succeeds(
    tmp_path: Path,
) -> None:
    app = _console(tmp_path)
    async with app.run_test(size=(200, 50)) as pilot:
        ladder = app.main_screen.ladders[0]
        with ladder.contained():
            raise ValueError("year 3170843 is out of range")
        await pilot.pause()
        assert ladder.failure is not None
        assert "ValueError: year 3170843 is out of range" in _drawn(ladder)[0]
        with ladder.contained():
            ladder.snapshot = _book()
        assert ladder.failure is None
        assert app.is_running


async def test_a_container_panel_that_fails_says_so_once_in_a_notification(
    tmp_path: Path,
) -> None:
    """The status bar's own line lies under its children, so its failure is also notified,
    once however often it repeats."""
    notified: list[str] = []

    def record(message: Message) -> None:
        if isinstance(message, Notify) and message.notification.severity == "error":
            notified.append(message.notification.message)

    app = _console(tmp_path)
    async with app.run_test(message_hook=record) as pilot:
        bar = app.main_screen.query_one(StatusBar)
        for _ in range(3):
            with bar.contained():
                raise ValueError("clock out of range")
        # read at once: the replay deck's half-second status update is a good update too
        failure = bar.failure
        assert failure is not None
        await pilot.pause()
        assert notified == [failure]
        app.main_screen.show_clock(NOW, None)  # a good update: working again
        assert bar.failure is None
        assert app.is_running


async def test_a_failed_worker_is_logged_with_its_traceback(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async def fail() -> None:
        raise RuntimeError("lost answer")

    app = _console(tmp_path)
    with caplog.at_level(logging.ERROR):
        async with app.run_test() as pilot:
            worker = app.run_worker(fail(), name="doomed", exit_on_error=False)
            await asyncio.wait({asyncio.ensure_future(worker.wait())}, timeout=5)
            await pilot.pause()
            assert app.is_running
    logged = [r for r in caplog.records if "worker 'doomed' failed" in r.getMessage()]
    assert len(logged) == 1
    assert logged[0].exc_info is not None
