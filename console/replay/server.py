"""A replay served by the simulator: its Bybit-v5 REST, WebSocket and matching engine."""

from __future__ import annotations

from pathlib import Path

from console.replay.control import install_replay_control
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
    api_key: str = "sim-key",
    api_secret: str = "sim-secret",
) -> SimServer:
    """A :class:`SimServer` whose market is the recording at ``path`` (start it to serve),
    with ``/sim/admin/replay`` to pause, play, change speed and seek.

    Raises:
        RecordingError: ``path`` is not a readable recording.
    """
    market = ReplayMarket(RecordingSource(path), speed=speed, from_ns=from_ns, autoplay=autoplay)
    server = SimServer(
        host=host,
        port=port,
        market=market,
        recorded=market,
        rate_limits=rate_limits,
        api_key=api_key,
        api_secret=api_secret,
    )
    install_replay_control(server.app, market)
    return server


def replay_market(server: SimServer) -> ReplayMarket:
    market = server.market
    if not isinstance(market, ReplayMarket):
        raise TypeError("this simulator does not serve a replay")
    return market
