"""Trading's start waits for the first live book of the watchlist, never for long."""

from __future__ import annotations

from pathlib import Path

from console.config import load_settings
from console.services import Services
from console.tui.first_book import until_first_book

SYMBOL = "BTC/USDT:USDT"


async def test_the_wait_ends_with_the_first_live_book(tmp_path: Path) -> None:
    settings = load_settings({"venue": "sim", "data_dir": tmp_path}, environ={}, dotenv_path=None)
    services = Services(settings)
    try:
        await services.start_market_data()
        streamer = services.streamer
        assert streamer is not None
        streamer.ensure_symbol(SYMBOL)
        assert await until_first_book(streamer, ["NOPE/USDT:USDT", SYMBOL], at_most=30)
        book = streamer.get_depth_snapshot(SYMBOL)
        assert book is not None
        assert not book.stale
        assert book.bids
    finally:
        await services.aclose()


async def test_a_watchlist_with_no_book_gives_up_after_the_timeout(tmp_path: Path) -> None:
    settings = load_settings({"venue": "sim", "data_dir": tmp_path}, environ={}, dotenv_path=None)
    services = Services(settings)
    try:
        await services.start_market_data()
        assert services.streamer is not None
        assert not await until_first_book(services.streamer, ["NOPE/USDT:USDT"], at_most=0.1)
        assert not await until_first_book(services.streamer, [], at_most=0)
    finally:
        await services.aclose()
