"""Start-up order: the first live book is drawn before the exchange client's imports run.

The services start in two phases (:mod:`console.services`): market data, then trading,
whose ``import ccxt`` runs in a thread for about 0.7 s of CPU. A thread that imports holds
the GIL for most of that time, so started at once it slows the event loop while the first
book arrives and is drawn. Waiting (at most :data:`FIRST_BOOK_WAIT` seconds) for one
watched symbol's live book, and for the frame that draws it, puts the first live ladder on
screen sooner; order entry is ready that much later (figures in ``bench/RESULTS.md``,
start-up).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from textual.app import App

if TYPE_CHECKING:  # the stream's modules load with the services, after the first frame
    from console.stream.base import MarketDataStreamer

FIRST_BOOK_WAIT = 1.0
"""Seconds trading's start may wait for the first live book (a venue that sends none, or a
watchlist of symbols it does not list, delays order entry by this much at most)."""
POLL_SECONDS = 0.02


async def until_first_book(
    streamer: MarketDataStreamer, symbols: Iterable[str], *, at_most: float = FIRST_BOOK_WAIT
) -> bool:
    """Wait until one of ``symbols`` has a live (not stale) book; False after ``at_most`` s."""
    watched = list(symbols)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + at_most
    while True:
        for symbol in watched:
            book = streamer.get_depth_snapshot(symbol)
            if book is not None and not book.stale:
                return True
        if loop.time() >= deadline:
            return False
        await asyncio.sleep(POLL_SECONDS)


async def after_next_frame(app: App[Any], paint_period: float) -> None:
    """Return once the paint tick due within ``paint_period`` has run and the screen has
    been refreshed after it (the book it handed the ladders is on screen)."""
    await asyncio.sleep(paint_period)
    drawn = asyncio.Event()
    app.call_after_refresh(drawn.set)
    await drawn.wait()
