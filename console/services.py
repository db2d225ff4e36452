"""The composition root: builds the console's services from Settings and tears them down.

One place per service, in start order; each registers its own shutdown on its phase's exit
stack, so adding a service (the streamer, the paper engine) is one more small method here
and shutdown stays correct in reverse order even when start-up fails half-way.

Start-up has two phases so the market shows before the exchange client is ready:
:meth:`Services.start_market_data` (the simulator, the streamer) needs no ccxt, while
:meth:`Services.start_trading` (limiter, pool, paper engine, client) imports it, the
slowest part of start-up (``bench/RESULTS.md``). ``async with Services(...)`` runs both.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import secrets
from collections.abc import Callable, Sequence
from contextlib import AsyncExitStack
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Self

from pydantic import SecretStr

from console.config import Settings
from console.domain import Clock, SystemClock, TradingMode, VenueClock
from console.domain.replay import RecordingFailed, ReplayControls, StreamRecorder
from console.exchange.access import Credentials, VenueEndpoints

log = logging.getLogger(__name__)


async def _import_in_thread(module: str) -> None:
    """Import a heavy module (aiohttp, ccxt) in a thread so the caller's event loop keeps
    serving meanwhile: the UI draws its first frames while these load."""
    await asyncio.to_thread(importlib.import_module, module)


if TYPE_CHECKING:
    from console.exchange import ExchangeClient, ExchangeConnectionPool
    from console.exchange.ratelimit import RequestLimiter
    from console.exchange.reconcile import ReconciliationReport
    from console.exchange.risk import RiskGate
    from console.exchange.safe_orders import OrderSafety
    from console.paper import PaperTradingExchange
    from console.sim import SimServer
    from console.stream import MarketDataStreamer
    from console.stream.bybit_private import BybitPrivateStream


SimFactory = Callable[[str, str], "SimServer"]
"""(api_key, api_secret) -> a simulator not yet started (e.g. a replay's server)."""


class Services:
    """Everything the UI talks to, started together and stopped together.

    With venue ``sim`` the simulator starts in-process on an ephemeral loopback port with a
    freshly generated key pair, and the client signs with that pair: live mode then runs
    the whole signed path offline.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        clock: Clock | None = None,
        sim_factory: SimFactory | None = None,
        paper_session: str | None = None,
    ) -> None:
        """
        Args:
            settings: what the trader asked for.
            clock: the time source (tests pass a manual one).
            sim_factory: venue ``sim`` only: builds the server from the generated key pair
                instead of the seeded synthetic simulator (a replay of a recording).
            paper_session: paper mode starts a new practice session with this name instead
                of resuming the latest (a replay names the recording it runs on).
        """
        self.settings = settings
        self._sim_factory = sim_factory
        self._paper_session = paper_session
        self.clock: Clock = clock or SystemClock()
        self.sim: SimServer | None = None
        self.streamer: MarketDataStreamer | None = None
        self.paper: PaperTradingExchange | None = None
        """The paper engine in paper mode (the client routes orders to it); None in live."""
        self.order_safety: OrderSafety | None = None
        """Live mode: the journaled venue and its start-up reconciliation."""
        self.reconciliation: ReconciliationReport | None = None
        """Live mode: what start-up reconciliation found; order entry waits for it."""
        self.private_stream: BybitPrivateStream | None = None
        """Live mode on Bybit venues (and sim): orders, fills, positions and balances pushed
        over the private WebSocket, rebuilt from REST on every (re)connect."""
        self.recording: StreamRecorder | None = None
        """The recording started from the console (``ctrl+r``), while it runs."""
        self.venue_clock = VenueClock()
        """The measured offset to the venue's clock (the status bar shows it; it corrects
        the streams' latency); measured once the client is up, then every
        ``stream.clock_sync_interval``."""
        self._market_stack = AsyncExitStack()
        """Shutdown of phase one (simulator, streamer)."""
        self._trading_stack = AsyncExitStack()
        """Shutdown of phase two; closed first, and alone when phase two fails."""
        self._endpoints: VenueEndpoints | None = None
        self._credentials: Credentials | None = None
        self._risk: RiskGate | None = None
        self._client: ExchangeClient | None = None

    def __repr__(self) -> str:
        return f"Services(venue={self.settings.venue!r}, mode={self.settings.mode.value!r})"

    @property
    def replay(self) -> ReplayControls | None:
        """Pause, speed and seek, when the simulator serves a recording (``replay FILE``)."""
        market = self.sim.market if self.sim is not None else None
        return market if isinstance(market, ReplayControls) else None

    async def start_recording(self, symbols: Sequence[str], path: Path) -> StreamRecorder:
        """Record ``symbols``' public streams from this venue into ``path`` until
        :meth:`stop_recording` (or shutdown): the built-in simulator or a ``--venue-url``
        server by its URL, Bybit by name. The recorder has its own connection, so what it
        writes is what the venue sent, not what the console made of it.

        Raises:
            RecordingFailed: already recording; ``path`` exists; the venue has no Bybit v5
                public streams or does not know a symbol; its REST could not be read.
        """
        from console.replay.recorder import Recorder, target_for

        if self.recording is not None:
            raise RecordingFailed(f"already recording into {self.recording.path}")
        venue_url = self.sim.base_url if self.sim is not None else self.settings.venue_url
        depth = self.settings.stream.depth
        target = target_for(self.settings.venue, symbols, venue_url=venue_url, depth=depth)
        try:
            recorder = Recorder(target, path, self.settings.stream)  # never over a file
        except FileExistsError:
            raise RecordingFailed(f"{path} exists; not overwriting it") from None
        except OSError as error:
            raise RecordingFailed(f"cannot write {path}: {error.strerror}") from None
        try:
            await recorder.start()
        except (OSError, TimeoutError) as error:
            raise RecordingFailed(f"the venue could not be read: {error}") from None
        self.recording = recorder
        return recorder

    async def stop_recording(self) -> StreamRecorder | None:
        """Stop the recording, keeping what it wrote; None when none was running."""
        recorder, self.recording = self.recording, None
        if recorder is not None:
            await recorder.stop()
        return recorder

    @property
    def client(self) -> ExchangeClient:
        if self._client is None:
            raise RuntimeError("Services are not started: use 'async with Services(...)'")
        return self._client

    @property
    def risk(self) -> RiskGate:
        """The pre-trade risk gate (both modes); its kill switch is ``risk.kill``."""
        if self._risk is None:
            raise RuntimeError("Services are not started: use 'async with Services(...)'")
        return self._risk

    async def __aenter__(self) -> Self:
        await self.start_market_data()
        try:
            await self.start_trading()
        except BaseException:
            await self.aclose()  # no __aexit__ follows a failed __aenter__
            raise
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def start_market_data(self) -> None:
        """Phase one: the simulator (venue ``sim``) and the streamer; no ccxt imported.

        On failure everything started so far is stopped again before the error propagates.
        """
        try:
            self._endpoints, self._credentials = await self._start_sim()
            self.streamer = await self._start_streamer(self._endpoints)
        except BaseException:
            await self.aclose()
            raise

    async def start_trading(self) -> None:
        """Phase two, after :meth:`start_market_data`: limiter, pool, paper engine, client
        and (live mode) order reconciliation. Imports ccxt.

        On failure only this phase is undone: the market keeps streaming, so a console whose
        ledger or journal cannot be opened can still be used to watch.
        """
        await _import_in_thread("console.exchange.client")
        from console.exchange.ratelimit import limiter_for
        from console.exchange.risk import RiskGate

        if self.streamer is None:
            raise RuntimeError("start_market_data() comes first")
        try:
            self._risk = RiskGate(self.settings.risk)
            limiter = limiter_for(self.settings, clock=self.clock)
            pool = self._start_pool(limiter)
            self.paper = self._start_paper(self.streamer)
            self._client = await self._start_client(
                pool, limiter, self._endpoints, self._credentials
            )
            await self.reconcile_orders()
            await self._start_private_stream()
            self._start_clock_sync(self._client)
        except BaseException:
            await self._stop_trading()
            raise

    async def aclose(self) -> None:
        """Stop everything started, in reverse order; safe to call twice."""
        await self.stop_recording()
        await self._stop_trading()
        await self._market_stack.aclose()
        self.sim = None
        self.streamer = None

    async def _stop_trading(self) -> None:
        self._client = None
        await self._trading_stack.aclose()
        self.paper = None
        self.order_safety = None
        self.private_stream = None
        self._risk = None

    async def _start_sim(self) -> tuple[VenueEndpoints | None, Credentials | None]:
        if not self.settings.starts_own_sim:
            return None, None  # a venue URL (a simulator running apart) is the client's
        await _import_in_thread("console.sim")  # only venue sim pays for the server's imports
        from console.sim import SimServer

        if self.settings.sim.speed > 1:
            from console.domain.plausibility import SIMULATED_AHEAD_MS, allow_ahead
            from console.domain.plausibility import allowed_ahead_ms as allowed

            # A faster market's clock runs ahead of the wall clock by design.
            self._market_stack.callback(allow_ahead, allowed())
            allow_ahead(SIMULATED_AHEAD_MS)
        api_key, api_secret = secrets.token_hex(9), secrets.token_hex(18)
        server = (
            self._sim_factory(api_key, api_secret)
            if self._sim_factory is not None
            else SimServer(
                host="127.0.0.1",
                port=0,
                seed=self.settings.sim.seed,
                speed=self.settings.sim.speed,
                api_key=api_key,
                api_secret=api_secret,
            )
        )
        self.sim = await self._market_stack.enter_async_context(server)
        self.venue_clock.recorded = self.replay is not None
        endpoints = VenueEndpoints(rest_url=self.sim.base_url, ws_url=self.sim.ws_url)
        credentials = Credentials(api_key=SecretStr(api_key), secret=SecretStr(api_secret))
        return endpoints, credentials

    def _start_pool(self, limiter: RequestLimiter) -> ExchangeConnectionPool:
        """Every HTTP response feeds the limiter (``X-Bapi-Limit*`` headers, bans)."""
        from console.exchange import ExchangeConnectionPool

        pool = ExchangeConnectionPool(observer=limiter.observe_response)
        self._trading_stack.push_async_callback(pool.close_all)
        return pool

    async def _start_streamer(self, endpoints: VenueEndpoints | None) -> MarketDataStreamer:
        """Books and trades; symbols are added by whoever needs them (``ensure_symbol``)."""
        await _import_in_thread("console.stream")
        from console.stream import streamer_for

        ws_url = endpoints.ws_url if endpoints is not None else None
        streamer = streamer_for(
            self.settings, ws_url, clock=self.clock, venue_clock=self.venue_clock
        )
        await self._market_stack.enter_async_context(streamer)
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
            new_session=self._paper_session is not None,
            session_name=self._paper_session,
        )
        self._trading_stack.callback(paper.close)
        streamer.add_listener(paper)
        self._trading_stack.callback(streamer.remove_listener, paper)
        return paper

    async def _start_client(
        self,
        pool: ExchangeConnectionPool,
        limiter: RequestLimiter,
        endpoints: VenueEndpoints | None,
        credentials: Credentials | None,
    ) -> ExchangeClient:
        from console.exchange import ExchangeClient, LiveTradingVenue

        self.order_safety = self._start_order_safety(limiter)
        client = ExchangeClient(
            self.settings,
            pool=pool,
            limiter=limiter,
            paper_venue=self.paper,
            clock=self.clock,
            endpoints=endpoints,
            credentials=credentials,
            risk_gate=self._risk,
            market_data=self.streamer,
            live_venue_factory=(
                self.order_safety.build if self.order_safety is not None else LiveTradingVenue
            ),
        )
        self._trading_stack.push_async_callback(client.close)
        return client

    def _start_clock_sync(self, client: ExchangeClient) -> None:
        """Measure the venue's clock in the background (its first burst at once)."""
        from console.exchange.venue_clock_sync import VenueClockSync

        sync = VenueClockSync(
            client, self.venue_clock, interval=self.settings.stream.clock_sync_interval
        )
        sync.start()
        self._trading_stack.push_async_callback(sync.stop)

    def _start_order_safety(self, limiter: RequestLimiter) -> OrderSafety | None:
        """Live mode: every order is journaled (SQLite in the data dir) before it is sent."""
        from console.exchange.journal import OrderJournal
        from console.exchange.safe_orders import OrderSafety

        if self.settings.mode is not TradingMode.LIVE:
            return None
        journal = OrderJournal.in_data_dir(self.settings.data_dir, clock=self.clock)
        self._trading_stack.callback(journal.close)
        return OrderSafety(self.settings.venue, journal, limiter=limiter, clock=self.clock)

    @property
    def account_streaming(self) -> bool:
        """True while the private stream is live and current: REST polling of the account
        (orders, fills, balances) should stop; False means poll, as the fallback."""
        return self.private_stream is not None and self.private_stream.live

    @property
    def account_source(self) -> str:
        """Where the account view comes from now, for the Streams panel."""
        if self.settings.mode is not TradingMode.LIVE:
            return "paper engine"
        return "private stream" if self.account_streaming else "REST polling"

    async def _start_private_stream(self) -> None:
        """Live mode on a Bybit venue: the private stream, on the keys the client signs with.
        If it cannot start (markets unreadable), the account is polled as before."""
        from console.exchange import ExchangeError
        from console.stream.bybit_private import (
            PRIVATE_WS_BY_VENUE,
            BybitPrivateStream,
            private_url,
        )

        credentials = self._credentials or Credentials.from_settings(self.settings)
        if self.settings.mode is not TradingMode.LIVE or credentials is None:
            return
        base = (
            self._endpoints.ws_url
            if self._endpoints is not None
            else PRIVATE_WS_BY_VENUE.get(self.settings.venue)
        )
        if base is None:
            return
        try:
            markets = await self.client.load_markets()
        except ExchangeError as error:
            log.warning("private stream not started, the account is polled: %s", error)
            return
        stream = BybitPrivateStream(
            private_url(base),
            api_key=credentials.api_key.get_secret_value(),
            secret=credentials.secret.get_secret_value(),
            rest=self.client,
            symbols={(m.type.value, m.venue_id): m.symbol for m in markets.values()},
            settings=self.settings.stream,
            clock=self.clock,
        )
        await stream.start()
        self._trading_stack.push_async_callback(stream.stop)
        self.private_stream = stream

    async def reconcile_orders(self) -> ReconciliationReport | None:
        """Live mode: compare the journal with the venue; order entry opens only when they
        agree (or the trader acknowledges the differences). If the venue cannot be asked,
        start-up goes on with order entry closed; call this again to retry."""
        from console.exchange import ExchangeError

        if self.order_safety is None:
            return None
        try:
            self.reconciliation = await self.order_safety.start(self.client)
        except ExchangeError as error:
            log.warning("order reconciliation failed, live order entry stays closed: %s", error)
        return self.reconciliation


__all__ = ["Services"]
