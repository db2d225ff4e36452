"""The composition root: builds the console's services from Settings and tears them down.

One place per service, in start order; each registers its own shutdown on the exit stack,
so adding a service (the streamer, the paper engine) is one more small method here and
shutdown stays correct in reverse order even when start-up fails half-way.
"""

from __future__ import annotations

import secrets
from contextlib import AsyncExitStack
from types import TracebackType
from typing import TYPE_CHECKING, Self

from pydantic import SecretStr

from console.config import Settings
from console.domain import Clock, SystemClock
from console.exchange import Credentials, ExchangeClient, ExchangeConnectionPool, VenueEndpoints
from console.exchange.ratelimit import RequestLimiter, limiter_for

if TYPE_CHECKING:
    from console.sim import SimServer


class Services:
    """Everything the UI talks to, started together and stopped together.

    With venue ``sim`` the simulator starts in-process on an ephemeral loopback port with a
    freshly generated key pair, and the client signs with that pair: live mode then runs
    the whole signed path offline.
    """

    def __init__(self, settings: Settings, *, clock: Clock | None = None) -> None:
        self.settings = settings
        self.clock: Clock = clock or SystemClock()
        self.sim: SimServer | None = None
        self._stack = AsyncExitStack()
        self._client: ExchangeClient | None = None

    def __repr__(self) -> str:
        return f"Services(venue={self.settings.venue!r}, mode={self.settings.mode.value!r})"

    @property
    def client(self) -> ExchangeClient:
        if self._client is None:
            raise RuntimeError("Services are not started: use 'async with Services(...)'")
        return self._client

    async def __aenter__(self) -> Self:
        try:
            endpoints, credentials = await self._start_sim()
            limiter = limiter_for(self.settings, clock=self.clock)
            pool = self._start_pool(limiter)
            self._client = await self._start_client(pool, limiter, endpoints, credentials)
        except BaseException:
            await self._stack.aclose()
            raise
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._client = None
        await self._stack.aclose()
        self.sim = None

    async def _start_sim(self) -> tuple[VenueEndpoints | None, Credentials | None]:
        if not self.settings.is_sim:
            return None, None
        from console.sim import SimServer  # only venue sim pays for the server's imports

        api_key, api_secret = secrets.token_hex(9), secrets.token_hex(18)
        self.sim = await self._stack.enter_async_context(
            SimServer(
                host="127.0.0.1",
                port=0,
                seed=self.settings.sim.seed,
                speed=self.settings.sim.speed,
                api_key=api_key,
                api_secret=api_secret,
            )
        )
        endpoints = VenueEndpoints(rest_url=self.sim.base_url, ws_url=self.sim.ws_url)
        credentials = Credentials(api_key=SecretStr(api_key), secret=SecretStr(api_secret))
        return endpoints, credentials

    def _start_pool(self, limiter: RequestLimiter) -> ExchangeConnectionPool:
        """Every HTTP response feeds the limiter (``X-Bapi-Limit*`` headers, bans)."""
        pool = ExchangeConnectionPool(observer=limiter.observe_response)
        self._stack.push_async_callback(pool.close_all)
        return pool

    async def _start_client(
        self,
        pool: ExchangeConnectionPool,
        limiter: RequestLimiter,
        endpoints: VenueEndpoints | None,
        credentials: Credentials | None,
    ) -> ExchangeClient:
        client = ExchangeClient(
            self.settings,
            pool=pool,
            limiter=limiter,
            clock=self.clock,
            endpoints=endpoints,
            credentials=credentials,
        )
        self._stack.push_async_callback(client.close)
        return client


__all__ = ["Services"]
