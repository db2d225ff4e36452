"""``--venue-url``: consoles point at a Bybit-v5-compatible server running on its own.

The standalone simulator runs in its own process (``breakout-console sim``), as a user runs
it; the console's real services, built from settings with only the URL, load its markets
over REST and receive its order book over the WebSocket (``ws://HOST:PORT/v5/public/...``),
without starting a simulator of their own.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator, Sequence

import pytest

from console.config import load_settings
from console.domain import Trade
from console.exchange.venues import venue_preset
from console.services import Services

from support.sim_process import SimProcess

SYMBOL = "BTC/USDT:USDT"


class FirstBook:
    """A stream listener that sets its event on the first book of one symbol."""

    def __init__(self, symbol: str) -> None:
        self.symbol = symbol
        self.event = asyncio.Event()

    def on_book_update(self, symbol: str) -> None:
        if symbol == self.symbol:
            self.event.set()

    def on_trades(self, symbol: str, trades: Sequence[Trade]) -> None:
        """Only the book matters here."""


@pytest.fixture
def standalone_sim() -> Iterator[str]:
    """The simulator in a process of its own, on a free port; yields its REST URL."""
    with SimProcess(seed=5) as sim:
        yield sim.base_url


async def test_services_use_the_server_at_the_url(standalone_sim: str) -> None:
    settings = load_settings(
        {"venue": "sim", "venue_url": standalone_sim}, environ={}, dotenv_path=None
    )

    async with Services(settings) as services:
        assert services.sim is None  # nothing started inside the console
        markets = await services.client.load_markets()
        assert SYMBOL in markets
        assert services.streamer is not None
        arrived = FirstBook(SYMBOL)
        services.streamer.add_listener(arrived)
        services.streamer.ensure_symbol(SYMBOL)
        await asyncio.wait_for(arrived.event.wait(), timeout=10)
        book = services.streamer.get_depth_snapshot(SYMBOL)
    assert book is not None
    assert book.bids[0].price < book.asks[0].price


@pytest.mark.parametrize("venue", ["bybit", "bybit-testnet", "bybit-demo"])
def test_a_bybit_venue_with_a_url_sends_every_request_there(venue: str) -> None:
    settings = load_settings(
        {"venue": venue, "venue_url": "https://replay.example:8443"}, environ={}, dotenv_path=None
    )

    preset = venue_preset(settings)

    api = preset.config["urls"]["api"]
    assert {api[key] for key in ("public", "private", "spot", "futures", "v2")} == {
        "https://replay.example:8443"
    }
    assert api["ws"]["public"]["linear"] == "wss://replay.example:8443/v5/public/linear"
    assert not preset.sandbox
    assert not preset.demo
