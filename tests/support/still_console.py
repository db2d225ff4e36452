"""The real console on an in-process simulator whose market stands still: the test moves it.

A running synthetic market moves the touch on its own, so a test of a tool that follows the
touch (a chase) could not say where the order should be. Here the simulator's market does
not step; the test rebuilds the touch (``support.sim_private.move_mark``) and prints trades
(``print_at``), and the streamer hears each change as it would from the venue. Pings keep
the quiet stream from being called stale.
"""

from __future__ import annotations

from pathlib import Path

from console.config import Settings, StreamSettings
from console.domain import Clock
from console.services import Services
from console.sim import SimServer

from support.console import trading_settings


def still_settings(tmp_path: Path, **overrides: object) -> Settings:
    """Trading settings (BTC only) whose stream pings twice a second: a still market sends
    no frames of its own, and the pongs are what keep it live."""
    values: dict[str, object] = {
        "stream": StreamSettings(silence_timeout=5.0, ping_interval=0.5, reconnect_base_delay=0.05)
    }
    values.update(overrides)
    return trading_settings(tmp_path, **values)


def still_services(settings: Settings, *, clock: Clock | None = None) -> Services:
    """A ``ConsoleApp`` services factory: the in-process simulator with its market stopped."""

    def simulator(api_key: str, api_secret: str) -> SimServer:
        return SimServer(
            seed=settings.sim.seed, api_key=api_key, api_secret=api_secret, run_market=False
        )

    return Services(settings, clock=clock, sim_factory=simulator)
