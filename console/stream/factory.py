"""Choosing the stream adapter for a venue."""

from __future__ import annotations

import random

from console.config import Settings
from console.domain import Clock, VenueClock
from console.stream import bybit
from console.stream.base import MarketDataStreamer
from console.stream.bybit_streamer import BybitMarketDataStreamer


def streamer_for(
    settings: Settings,
    ws_base_url: str | None = None,
    *,
    clock: Clock | None = None,
    rng: random.Random | None = None,
    venue_clock: VenueClock | None = None,
) -> MarketDataStreamer:
    """The streamer for ``settings.venue``.

    Args:
        settings: venue and stream settings.
        ws_base_url: WebSocket base (``ws://127.0.0.1:PORT``); required for the simulator
            the caller started, and optional for Bybit (mainnet/testnet by venue). Without
            it, ``settings.venue_url`` gives the base (``ws://HOST:PORT``).
        venue_clock: the offset to the venue's clock that corrects the streams' latency
            (whoever measures it shares this object); a fresh, unmeasured one without it.
    """
    if settings.is_bybit:
        if ws_base_url is None:
            ws_base_url = settings.venue_ws_url
        if ws_base_url is None:
            if settings.is_sim:
                raise ValueError("the simulator's streamer needs its ws_url")
            ws_base_url = bybit.PUBLIC_WS_BY_VENUE[settings.venue]
        return BybitMarketDataStreamer(
            settings.stream,
            ws_base_url,
            venue=settings.venue,
            clock=clock,
            rng=rng,
            venue_clock=venue_clock,
        )
    from console.stream.ccxtpro import CcxtProMarketDataStreamer

    return CcxtProMarketDataStreamer(
        settings.stream, settings.venue, clock=clock, venue_clock=venue_clock
    )
