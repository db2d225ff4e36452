"""A replay served by the simulator: its Bybit-v5 REST, WebSocket and matching engine."""

from __future__ import annotations

from pathlib import Path

from console.replay.market import ReplayMarket
from console.replay.source import RecordingSource
from console.sim.server import SimServer


def replay_server(
    path: Path,
    *,
    speed: float = 1.0,
    from_ns: int | None = None,
    autoplay: bool = False,
    host: str = "127.0.0.1",
    port: int = 0,
    rate_limits: bool = True,
) -> SimServer:
    """A :class:`SimServer` whose market is the recording at ``path`` (start it to serve).

    Raises:
        RecordingError: ``path`` is not a readable recording.
    """
    market = ReplayMarket(RecordingSource(path), speed=speed, from_ns=from_ns, autoplay=autoplay)
    return SimServer(host=host, port=port, market=market, recorded=market, rate_limits=rate_limits)


def replay_market(server: SimServer) -> ReplayMarket:
    market = server.market
    if not isinstance(market, ReplayMarket):
        raise TypeError("this simulator does not serve a replay")
    return market
