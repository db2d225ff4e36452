"""``SimServer``: the Bybit-v5-compatible simulator on one loopback port (REST and WS).

One aiohttp application serves the REST endpoints ccxt's bybit calls and the public
WebSocket topics; both read the same :class:`SimMarket`. Start it with ``async with
SimServer() as sim:`` (or ``await start()`` / ``await stop()``); port 0 picks a free port.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Mapping, Sequence
from decimal import Decimal
from types import TracebackType
from typing import Self

from aiohttp import web

from console.sim.accounts import DEFAULT_BALANCES
from console.sim.auth import ApiCredential
from console.sim.context import SimContext
from console.sim.envelopes import wall_ms
from console.sim.faults import RestFaults
from console.sim.http import (
    ADMIN_NETWORKS_KEY,
    CONTEXT_KEY,
    LOOPBACK_NETWORKS,
    admin_guard,
    admin_networks,
    guard_middleware,
    install_rest_routes,
    protocol_log,
)
from console.sim.limits import DEFAULT_BAN_SECONDS, IP_LIMIT, IpLimiter, RollingWindows
from console.sim.market import SimMarket
from console.sim.routes_account import ACCOUNT_ENDPOINTS
from console.sim.routes_batch import BATCH_ENDPOINTS
from console.sim.routes_market import MARKET_ENDPOINTS
from console.sim.routes_position import POSITION_ENDPOINTS
from console.sim.routes_trade import TRADE_ENDPOINTS
from console.sim.trading_desks import TradingDesks, install_private_ws
from console.sim.ws import RecordedTopics, WsLimits, install_public_ws

SIM_UID = "1000001"
REST_ENDPOINTS = (
    *MARKET_ENDPOINTS,
    *TRADE_ENDPOINTS,
    *BATCH_ENDPOINTS,
    *ACCOUNT_ENDPOINTS,
    *POSITION_ENDPOINTS,
)


class SimServer:
    """The simulator: a seeded market, a matching engine and the HTTP/WS front door.

    Args:
        host: interface to bind; loopback by default.
        port: 0 picks a free ephemeral port (see :attr:`port` after start).
        seed: the same seed gives the same market.
        speed: the market evolves this many times faster than wall time.
        api_key, api_secret: the one key pair the simulator accepts (UID ``1000001``).
        ban_seconds: how long the 403 IP ban lasts once 600 requests per 5 s are exceeded.
        ip_limit: requests per 5 s per IP before the ban (Bybit: 600).
        rate_limits: False turns off the per-endpoint 10006 windows (for benchmarks).
        run_market: False keeps the market still until :meth:`SimMarket.step` is called,
            for tests that need exact, step-by-step determinism.
        balances: the starting wallet of the account.
        ws_limits: per-connection send-queue bytes and connections per client address.
        admin_from: networks whose clients may use ``/sim/admin/*`` (loopback by default).
        market: a market to serve instead of the seeded synthetic one (a replay); its
            :meth:`~SimMarket.run` is what ``run_market`` starts.
        recorded: the frames source of ``market`` when it brings its own (a replay).
    """

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        seed: int = 7,
        speed: float = 1.0,
        api_key: str = "sim-key",
        api_secret: str = "sim-secret",
        ban_seconds: float = DEFAULT_BAN_SECONDS,
        ip_limit: int = IP_LIMIT,
        rate_limits: bool = True,
        run_market: bool = True,
        balances: Mapping[str, Decimal] = DEFAULT_BALANCES,
        ws_limits: WsLimits | None = None,
        admin_from: Sequence[str] = LOOPBACK_NETWORKS,
        market: SimMarket | None = None,
        recorded: RecordedTopics | None = None,
    ) -> None:
        self._host = host
        self._requested_port = port
        self._port = port
        self._run_market = run_market
        self._credential = ApiCredential(api_key, api_secret, SIM_UID)
        self._market = market if market is not None else SimMarket(seed=seed, speed=speed)
        ip_limiter = IpLimiter(limit=ip_limit, ban_seconds=ban_seconds)
        self._faults = RestFaults(
            seed, on_ban=lambda seconds: ip_limiter.ban_everyone(seconds, wall_ms())
        )
        credentials = {api_key: self._credential}
        desks = TradingDesks(self._market, seed=seed, balances=balances, credentials=credentials)
        self._context = SimContext(
            market=self._market,
            desks=desks,
            faults=self._faults,
            credentials=credentials,
            windows=RollingWindows(),
            ip_limiter=ip_limiter,
            rate_limits=rate_limits,
        )
        self._app = web.Application(middlewares=[admin_guard, guard_middleware])
        self._app[CONTEXT_KEY] = self._context
        self._app[ADMIN_NETWORKS_KEY] = admin_networks(admin_from)
        install_rest_routes(self._app, REST_ENDPOINTS)
        install_public_ws(self._app, self._market, ws_limits, recorded)
        install_private_ws(self._app, desks)
        self._runner: web.AppRunner | None = None
        self._market_task: asyncio.Task[None] | None = None

    # --- properties ------------------------------------------------------------------------

    @property
    def app(self) -> web.Application:
        return self._app

    @property
    def market(self) -> SimMarket:
        return self._market

    @property
    def faults(self) -> RestFaults:
        return self._faults

    @property
    def context(self) -> SimContext:
        return self._context

    @property
    def port(self) -> int:
        return self._port

    @property
    def host(self) -> str:
        return self._host

    @property
    def base_url(self) -> str:
        return f"http://{self._host}:{self._port}"

    @property
    def ws_url(self) -> str:
        return f"ws://{self._host}:{self._port}"

    @property
    def api_key(self) -> str:
        return self._credential.api_key

    @property
    def api_secret(self) -> str:
        return self._credential.secret

    def __repr__(self) -> str:
        return f"SimServer(base_url={self.base_url!r}, seed={self._market.seed})"

    # --- lifecycle -------------------------------------------------------------------------

    async def start(self) -> None:
        if self._runner is not None:
            return
        runner = web.AppRunner(
            self._app, handle_signals=False, access_log=None, logger=protocol_log()
        )
        await runner.setup()
        site = web.TCPSite(runner, self._host, self._requested_port)
        await site.start()
        self._runner = runner
        server = site._server
        sockets = getattr(server, "sockets", None) or []
        if sockets:
            self._port = int(sockets[0].getsockname()[1])
        if self._run_market:
            self._market_task = asyncio.create_task(self._market.run(), name="sim-market")

    async def stop(self) -> None:
        if self._market_task is not None:
            self._market_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._market_task
            self._market_task = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.stop()
