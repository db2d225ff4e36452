"""The composition root: builds the console's services from Settings and tears them down.

One place per service, in start order; each registers its own shutdown on the exit stack,
so adding a service (the streamer, the paper engine) is one more small method here and
shutdown stays correct in reverse order even when start-up fails half-way.
"""

from __future__ import annotations

import logging
import secrets
from contextlib import AsyncExitStack
from types import TracebackType
from typing import TYPE_CHECKING, Self

from pydantic import SecretStr

from console.config import Settings
from console.domain import Clock, SystemClock, TradingMode
from console.exchange import Credentials, ExchangeClient, ExchangeConnectionPool, VenueEndpoints
from console.exchange.errors import ExchangeError
from console.exchange.journal import OrderJournal
from console.exchange.live import LiveTradingVenue
from console.exchange.ratelimit import RequestLimiter, limiter_for
from console.exchange.reconcile import ReconciliationReport
from console.exchange.risk import RiskGate
from console.exchange.safe_orders import OrderSafety

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from console.paper import PaperTradingExchange
    from console.sim import SimServer
    from console.stream import MarketDataStreamer


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
        self.streamer: MarketDataStreamer | None = None
        self.paper: PaperTradingExchange | None = None
        """The paper engine in paper mode (the client routes orders to it); None in live."""
        self.risk = RiskGate(settings.risk)
        """The pre-trade risk gate (both modes); its kill switch is ``risk.kill``."""
        self.order_safety: OrderSafety | None = None
        """Live mode: the journaled venue and its start-up reconciliation."""
        self.reconciliation: ReconciliationReport | None = None
        """Live mode: what start-up reconciliation found; order entry waits for it."""
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
            self.streamer = await self._start_streamer(endpoints)
            self.paper = self._start_paper(self.streamer)
            self._client = await self._start_client(pool, limiter, endpoints, credentials)
            await self.reconcile_orders()
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
        self.streamer = None
        self.paper = None

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

    async def _start_streamer(self, endpoints: VenueEndpoints | None) -> MarketDataStreamer:
        """Books and trades; symbols are added by whoever needs them (``ensure_symbol``)."""
        from console.stream import streamer_for

        ws_url = endpoints.ws_url if endpoints is not None else None
        streamer = streamer_for(self.settings, ws_url, clock=self.clock)
        await self._stack.enter_async_context(streamer)
        return streamer

    def _start_paper(self, streamer: MarketDataStreamer) -> PaperTradingExchange | None:
        """Paper mode: the engine on the ledger in the data dir (resuming the latest session),
        filled by the streamer's books and trades; markets come from the client on first use."""
        if self.settings.mode is not TradingMode.PAPER:
            return None
        from console.paper import open_paper_exchange

        paper = open_paper_exchange(
            self.settings,
            {},
            streamer,
            clock=self.clock,
            market_loader=lambda: self.client.load_markets(),
        )
        self._stack.callback(paper.close)
        streamer.add_listener(paper)
        self._stack.callback(streamer.remove_listener, paper)
        return paper

    async def _start_client(
        self,
        pool: ExchangeConnectionPool,
        limiter: RequestLimiter,
        endpoints: VenueEndpoints | None,
        credentials: Credentials | None,
    ) -> ExchangeClient:
        self.order_safety = self._start_order_safety(limiter)
        client = ExchangeClient(
            self.settings,
            pool=pool,
            limiter=limiter,
            paper_venue=self.paper,
            clock=self.clock,
            endpoints=endpoints,
            credentials=credentials,
            risk_gate=self.risk,
            market_data=self.streamer,
            live_venue_factory=(
                self.order_safety.build if self.order_safety is not None else LiveTradingVenue
            ),
        )
        self._stack.push_async_callback(client.close)
        return client

    def _start_order_safety(self, limiter: RequestLimiter) -> OrderSafety | None:
        """Live mode: every order is journaled (SQLite in the data dir) before it is sent."""
        if self.settings.mode is not TradingMode.LIVE:
            return None
        journal = OrderJournal.in_data_dir(self.settings.data_dir, clock=self.clock)
        self._stack.callback(journal.close)
        return OrderSafety(self.settings.venue, journal, limiter=limiter, clock=self.clock)

    async def reconcile_orders(self) -> ReconciliationReport | None:
        """Live mode: compare the journal with the venue; order entry opens only when they
        agree (or the trader acknowledges the differences). If the venue cannot be asked,
        start-up goes on with order entry closed; call this again to retry."""
        if self.order_safety is None:
            return None
        try:
            self.reconciliation = await self.order_safety.start(self.client)
        except ExchangeError as error:
            log.warning("order reconciliation failed, live order entry stays closed: %s", error)
        return self.reconciliation


__all__ = ["Services"]
