"""What a REST handler of the simulator gets: the shared state and the parsed call."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from console.sim.auth import ApiCredential
from console.sim.envelopes import BybitError
from console.sim.faults import RestFaults
from console.sim.limits import IpLimiter, RollingWindows
from console.sim.market import SimMarket

if TYPE_CHECKING:
    from console.sim.accounts import SimAccount
    from console.sim.margin import MarginDesk
    from console.sim.trading import OrderEngine


class Desks(Protocol):
    """The trading side of a server (:class:`~console.sim.trading_desks.TradingDesks`),
    made at the first request that needs it."""

    @property
    def made(self) -> bool: ...

    @property
    def engine(self) -> OrderEngine: ...

    @property
    def margin(self) -> MarginDesk: ...


@dataclass(slots=True)
class SimContext:
    """The simulator's state, shared by every route of one server."""

    market: SimMarket
    desks: Desks
    """The engine and the margin desk, made at the first request that needs them."""
    faults: RestFaults
    credentials: dict[str, ApiCredential]
    windows: RollingWindows
    ip_limiter: IpLimiter
    rate_limits: bool = True
    """False turns the per-endpoint limits off (benchmarks); the IP limit stays."""
    requests: Counter[str] = field(default_factory=Counter)
    """REST requests served, by path (admin and WebSocket upgrades left out): how a test
    or benchmark sees which reads a client made, e.g. none of the account while its private
    stream is live."""

    @property
    def engine(self) -> OrderEngine:
        return self.desks.engine

    @property
    def margin(self) -> MarginDesk:
        """Positions at the mark and liquidation (``position/*`` routes, the private stream)."""
        return self.desks.margin


@dataclass(frozen=True, slots=True)
class Call:
    """One request after parsing and authentication."""

    params: Mapping[str, Any]
    account: SimAccount | None

    def require_account(self) -> SimAccount:
        if self.account is None:
            raise BybitError(10003, "API key is invalid.")
        return self.account


Handler = Callable[[SimContext, Call], Any]
"""Returns the ``result`` object of the envelope, or raises :class:`BybitError`."""


@dataclass(frozen=True, slots=True)
class Endpoint:
    """One REST route: method, path, handler and whether it needs a signature."""

    method: str
    path: str
    handler: Handler
    private: bool
