"""ConsoleApp: starts the services in workers and paints their snapshots at a capped rate.

Three kinds of work, kept apart:

* **Workers** do all I/O: starting the services (the simulator, the exchange client, the
  streamer), loading markets, polling balances and open orders, fetching candles. They
  report back by posting messages; nothing waits on the network in a handler.
* **The market store** (:class:`~console.tui.market_store.MarketStore`) is told by the
  streamer which books changed and which prints arrived; it stores, it does not draw.
* **The paint** runs soon after a change on screen arrives, at most ``settings.ui.max_fps``
  times a second (:class:`~console.tui.paint_pacer.PaintPacer`; a heartbeat asks for one
  too): inside one ``batch_update()`` it reads one immutable snapshot per changed symbol and
  hands it to the widgets, which repaint only the lines that differ, and draws them at
  once. The once-a-second panels (clock, health, gauges, watchlist) are chores it runs
  right after its frame is drawn.

``import ccxt`` is slow (``bench/RESULTS.md``), so :mod:`console.services` (and through it
ccxt) is imported inside the start-up worker, after the first frame is on screen.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
from collections.abc import Callable
from contextlib import AsyncExitStack
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from textual import work
from textual.app import App, SystemCommand
from textual.binding import BindingType
from textual.command import CommandPalette
from textual.screen import Screen
from textual.widget import Widget
from textual.worker import Worker, WorkerState

from console.collector_pause import resume_collection
from console.config import Settings
from console.domain import (
    Clock,
    Market,
    SystemClock,
    TradingMode,
    looks_unified,
    resolve_watchlist,
)
from console.tui.account_poller import poll_account_forever
from console.tui.account_stream import AccountStreamBridge
from console.tui.bindings import APP_BINDINGS
from console.tui.first_book import after_next_frame, until_first_book
from console.tui.kept_view import starting_watchlist
from console.tui.keymap import keymap_problems
from console.tui.market_store import MarketStore
from console.tui.messages import (
    AccountPolled,
    AccountSourceChanged,
    AccountStreamed,
    CandlesLoaded,
    ChaseChanged,
    ChaseEnded,
    KeyInfoRead,
    KillSwitchChanged,
    LaddersChanged,
    LeverageSet,
    LiveArmed,
    MarketsLoaded,
    MarketStreaming,
    OrderAmended,
    OrderFailed,
    OrderPlaced,
    OrdersCancelled,
    PaperFilled,
    PositionStopsSet,
    RequestFailed,
    SessionChanged,
    StartFailed,
    SymbolRequested,
)
from console.tui.paint_chores import Chores
from console.tui.paint_pacer import PaintPacer
from console.tui.palette import ActionsProvider, ConsoleThemeProvider, SymbolProvider
from console.tui.screens.main import MainScreen
from console.tui.settings_notes import settings_notes
from console.tui.textual_compat import (
    CompatApp,
    apply_textual_compat,
    draw_now,
    prompts_held,
    settle_for_steady_state,
    write_to_terminal,
)
from console.tui.themes import (
    CONSOLE_VARIABLES,
    DEFAULT_THEME,
    bundled_theme_dir,
    load_themes,
    user_theme_dir,
)
from console.tui.trading.controller import TradingController
from console.tui.ui_state import load_ui_state, update_ui_state
from console.tui.widgets.candles import CandleChart

if TYPE_CHECKING:
    from console.paper import PaperFill
    from console.services import Services
    from console.stream import MarketDataStreamer

log = logging.getLogger(__name__)

_UNTIL_DISMISSED = 24 * 3600.0
"""Notification timeout (s) for problems the trader must read before anything else works."""

ServicesFactory = Callable[..., "Services"]
"""Called as ``factory(settings, clock=clock)``; returns services not yet started."""

CANDLE_LIMIT = 200
"""Bars of history fetched per symbol and timeframe."""

HEARTBEAT = 0.1
"""Seconds between paints asked for without a change from the stream: the chores' and a
stale stream's (whose books are re-read on every paint while it is not live)."""


async def _start_failure(error: Exception) -> str:
    """The trader's words for a failed start-up."""
    # the error classes live beside ccxt; load them off the event loop if not yet loaded
    await asyncio.to_thread(importlib.import_module, "console.exchange.errors")
    from console.exchange import ExchangeError

    if isinstance(error, ExchangeError):
        return str(error)
    if isinstance(error, OSError):
        return f"Could not connect: {error.strerror or error}"
    log.error("services failed to start", exc_info=error)
    return f"The console could not start its services ({error})"


class ConsoleApp(CompatApp[int]):
    """The Breakout Console: one main screen fed by the services, a help screen, a palette.

    The keys belong to the main screen (:class:`~console.tui.screens.main.MainScreen`); the
    trading they drive is the :class:`~console.tui.trading.controller.TradingController`
    held here, which sees the app only as a :class:`~console.tui.trading.host.TradingHost`.
    """

    CSS_PATH = "console.tcss"
    TITLE = "Breakout Console"
    BINDINGS: ClassVar[list[BindingType]] = list(APP_BINDINGS)
    COMMANDS = App.COMMANDS | {SymbolProvider, ConsoleThemeProvider, ActionsProvider}

    def __init__(
        self,
        settings: Settings,
        *,
        clock: Clock | None = None,
        connect: bool = True,
        services_factory: ServicesFactory | None = None,
    ) -> None:
        """
        Args:
            settings: what the trader asked for.
            clock: wall time for the status bar and gauges; tests pass a ManualClock.
            connect: start the services (simulator, client, streamer); False shows the
                screen with no data, for snapshot tests that feed fixed domain values.
            services_factory: builds the services instead of ``Services(settings, clock=)``;
                the benchmark uses it to reach a simulator in another process.
        """
        apply_textual_compat()
        self.settings = settings
        self.clock: Clock = clock or SystemClock()
        self.connect = connect
        self._services_factory = services_factory
        self.market_store = MarketStore()
        """What the paint loop reads: the streamer's snapshots and what changed since."""
        self.chores = Chores()
        """Once-a-second panel updates, run by the paint tick between frames."""
        self.pacer: PaintPacer | None = None
        """Schedules the paints from the stream's changes (set when the screen mounts)."""
        self.markets: dict[str, Market] = {}
        self.services: Services | None = None
        self._stack = AsyncExitStack()
        self._catalog = load_themes(bundled_theme_dir(), user_theme_dir(settings.data_dir))
        self._notified: set[str] = set()
        self._restore_gc: Callable[[], None] | None = None
        """Undoes the garbage collector's steady-state settings (set once started)."""
        self._halted_until: datetime | None = None
        self._warnings: list[str] = []
        self._keymap_problems = keymap_problems(settings.ui.keymap)
        self.keymap: dict[str, str] = {} if self._keymap_problems else dict(settings.ui.keymap)
        """Binding id -> keys, from ``settings.ui.keymap`` (none of it when it was refused)."""
        self.trading = TradingController(self)
        """Order entry, ladder keys, cancels, the kill switch, live arming, paper sessions."""
        super().__init__()
        for theme in self._catalog.themes.values():
            self.register_theme(theme)
        self.theme = self._initial_theme()
        self.set_keymap(self.keymap)

    # -- set-up ------------------------------------------------------------------------

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return dict(CONSOLE_VARIABLES)

    @property
    def console_theme_names(self) -> list[str]:
        """Themes that came from theme files (Textual's built-ins are not offered)."""
        return list(self._catalog.themes)

    @property
    def watchlist_symbols(self) -> list[str]:
        return list(self.main_screen.watchlist_symbols)

    @property
    def main_screen(self) -> MainScreen:
        screen = self.get_screen("main")
        assert isinstance(screen, MainScreen)
        return screen

    def open_screen(self) -> MainScreen | None:
        """The main screen while it can still be drawn on; None during shutdown, when a
        worker's last report may arrive after the screen's widgets are gone."""
        try:
            screen = self.main_screen
        except KeyError:
            return None
        return screen if screen.is_running and screen.is_attached else None

    def _initial_theme(self) -> str:
        """``--theme`` wins, then the remembered choice, then the default."""
        remembered = load_ui_state(self.settings.data_dir).theme
        if "theme" in self.settings.model_fields_set:
            wanted = self.settings.theme
        else:
            wanted = remembered or self.settings.theme
        if wanted in self._catalog.themes:
            return wanted
        if wanted != DEFAULT_THEME:
            self._warnings.append(
                f"There is no theme called {wanted!r}; using {DEFAULT_THEME}. "
                f"Available: {', '.join(sorted(self._catalog.themes))}"
            )
        return DEFAULT_THEME if DEFAULT_THEME in self._catalog.themes else "textual-dark"

    async def on_mount(self) -> None:
        self.install_screen(
            MainScreen(
                venue=self.settings.venue,
                mode=self.settings.mode,
                is_sim=self.settings.is_sim,
                symbols=starting_watchlist(
                    self.settings.data_dir,
                    self.settings.symbols,
                    explicit="symbols" in self.settings.model_fields_set,
                ),
                trading=self.trading,
                data_dir=self.settings.data_dir,
            ),
            name="main",
        )
        await self.push_screen("main")
        for problem in self._catalog.problems:
            self.notify(str(problem), title="Theme", severity="warning", timeout=10)
        for warning in self._warnings:
            self.notify(warning, title="Theme", severity="warning", timeout=10)
        for note in settings_notes(self.settings, self._keymap_problems):
            self.notify(note.text, title=note.title, severity=note.severity, timeout=15)
        self.main_screen.show_clock(self.clock.now(), None)
        self.trading.alerts.start(terminal=lambda text: write_to_terminal(self, text))
        if not self.connect:
            # Nothing will feed the widgets but the caller (fixed-data snapshots): no timers.
            self.main_screen.show_loading(None)
            self.call_after_refresh(resume_collection)
            return
        venue = "the built-in simulator" if self.settings.is_sim else self.settings.venue
        self.main_screen.show_loading(f"Loading markets from {venue}…")
        self.call_after_refresh(self.start_services)
        # Paints follow the changes (console.tui.paint_pacer); the heartbeat, a timer on the
        # main screen so it stops with it when the app shuts down, asks for one regularly.
        loop = asyncio.get_running_loop()
        self.pacer = PaintPacer(
            self.paint,
            min_interval=1 / self.settings.ui.max_fps,
            schedule=loop.call_at,
            monotonic=loop.time,
        )
        self.main_screen.set_interval(HEARTBEAT, self.pacer.request, name="paint")
        # Run by the paint tick, after its frame (see console.tui.paint_chores); half a second
        # apart, because each batch redraws panels that cost more than a frame (the watchlist's
        # DataTable) and two in one gap would spill into the next frame.
        self.chores.every(1.0, self.tick_clock)
        self.chores.every(1.0, self.tick_activity, first_after=0.5)
        self.chores.every(1.0, self.trading.alerts.every_second, first_after=0.25)
        self.main_screen.query_one(CandleChart).show_between_frames = self.chores.soon

    async def on_unmount(self) -> None:
        if self.pacer is not None:
            self.pacer.cancel()
        await self._stack.aclose()
        if self._restore_gc is not None:
            self._restore_gc()
            self._restore_gc = None

    # -- workers: all I/O happens here -------------------------------------------------

    @work(exclusive=True, group="services", exit_on_error=False)
    async def start_services(self) -> None:
        """Start the services in two phases, then poll the account.

        The market comes first (the simulator, the streamer, the watchlist's books), so the
        ladders fill while the exchange client's imports (ccxt, the slow part) load in a
        thread; then the client, the venue's markets and order entry. Heavy imports run in
        threads, so the event loop keeps drawing throughout.
        """
        await asyncio.to_thread(importlib.import_module, "console.services")
        from console.services import Services

        factory = self._services_factory or Services
        services = factory(self.settings, clock=self.clock)
        self._stack.push_async_callback(services.aclose)
        streaming = False
        try:
            await services.start_market_data()
            self._watch_market(services.streamer)
            streaming = True
            self.post_message(MarketStreaming())
            if services.streamer is not None and await until_first_book(
                services.streamer, self.watchlist_symbols
            ):
                await after_next_frame(self, 1 / self.settings.ui.max_fps)
            resume_collection()  # paused until the first live ladder (console.collector_pause)
            await services.start_trading()
            self.services = services
            markets = await services.client.load_markets()
        except Exception as error:  # every failure becomes a message, never a traceback
            resume_collection()
            reason = await _start_failure(error)
            self.post_message(StartFailed(reason, market_streaming=streaming))
            return
        if services.streamer is not None:
            for symbol in self.watchlist_symbols:
                if symbol not in markets:  # subscribed on trust; the venue does not list it
                    services.streamer.remove_symbol(symbol)
        # Start-up is over: what is alive now lives as long as the process (textual_compat).
        self._restore_gc = settle_for_steady_state()
        self.post_message(MarketsLoaded(markets))
        if services.private_stream is not None:
            bridge = AccountStreamBridge(services.private_stream, self.post_message)
            self._stack.callback(bridge.close)
        if services.paper is not None:
            services.paper.add_fill_listener(self._paper_filled)
        await poll_account_forever(
            services.client,
            self.post_message,
            paused=lambda: services.account_streaming,
            positions=self.settings.mode is TradingMode.LIVE,
        )

    def _paper_filled(self, paper: PaperFill) -> None:
        """The paper engine's fill listener: called on the event loop once the fill is in
        the ledger."""
        self.post_message(PaperFilled(paper.fill))

    def _watch_market(self, streamer: MarketDataStreamer | None) -> None:
        """Feed the paint timer from ``streamer`` and subscribe the watchlist at once: the
        streamer reads the category from the symbol, so this needs no market list."""
        if streamer is None:
            return
        self.market_store = MarketStore(streamer)
        self.main_screen.paint_listener = streamer.record_painted
        streamer.add_listener(self.trading.alerts)  # price alerts see every print
        if self.pacer is not None:
            streamer.add_listener(self.pacer)
        for symbol in self.watchlist_symbols:
            if looks_unified(symbol):  # a venue's own name (BTCUSDT) waits for the markets
                streamer.ensure_symbol(symbol, depth=self.settings.stream.depth)

    @work(exclusive=True, group="candles", exit_on_error=False)
    async def load_candles(self, symbol: str, timeframe: str) -> None:
        from console.exchange import ExchangeError, VenueHalted

        if self.services is None:
            return
        try:
            candles = await self.services.client.fetch_ohlcv(symbol, timeframe, CANDLE_LIMIT)
        except VenueHalted as error:
            self.post_message(RequestFailed(str(error), halted_until=error.until))
        except ExchangeError as error:
            self.post_message(RequestFailed(f"Candles for {symbol}: {error}"))
        else:
            self.post_message(CandlesLoaded(symbol, timeframe, candles))

    def subscribe(self, symbol: str) -> None:
        """Ask the streamer for a symbol's book and trades (idempotent, no I/O here)."""
        streamer: Any = getattr(self.services, "streamer", None)
        if streamer is not None and symbol in self.markets:
            streamer.ensure_symbol(symbol, depth=self.settings.stream.depth)

    # -- messages from the workers -----------------------------------------------------

    def on_market_streaming(self, message: MarketStreaming) -> None:
        """The ladders fill from the stream now: lift the overlay so they can be read while
        the markets (order entry) finish loading; the status bar says what is left."""
        screen = self.open_screen()
        if screen is None or self.markets:
            return
        screen.show_loading(None)
        screen.show_connection("◌ loading markets")

    def on_markets_loaded(self, message: MarketsLoaded) -> None:
        self.markets = message.markets
        self._show_markets()
        self.call_after_refresh(self.trading.ladders_shown)

    def _show_markets(self) -> None:
        screen = self.open_screen()
        if screen is None:
            return
        screen.show_markets(self.markets)
        screen.show_loading(None)
        screen.show_connection("● connected")
        named = resolve_watchlist(screen.watchlist_symbols, self.markets)
        if list(named.symbols) != screen.watchlist_symbols:
            screen.set_watchlist(named.symbols)
            for symbol in named.symbols:
                self.subscribe(symbol)
        for note in named.notes:
            self.notify(note, title="Watchlist", severity="warning", timeout=15)
        missing = [symbol for symbol in screen.watchlist_symbols if symbol not in self.markets]
        if missing:
            self.notify(
                f"{self.settings.venue} does not list {', '.join(missing)}",
                title="Watchlist",
                severity="warning",
            )
        self.load_candles(screen.selected_symbol, screen.query_one(CandleChart).timeframe)

    def on_start_failed(self, message: StartFailed) -> None:
        screen = self.open_screen()
        if screen is None:
            return
        screen.show_loading(None)
        if message.market_streaming:
            # The market can still be watched; what is missing is the trading half.
            screen.show_not_started("✕ trading not started")
            title = "Could not start trading"
        else:
            screen.show_not_started("✕ not started")
            title = "Could not start"
        # Stays until dismissed: nothing of what failed works, so the reason must not
        # vanish after a few seconds and leave only the status bar's word behind.
        self.notify(message.reason, title=title, severity="error", timeout=_UNTIL_DISMISSED)

    def on_account_polled(self, message: AccountPolled) -> None:
        screen = self.open_screen()
        if screen is not None:
            screen.show_account(message.balances, message.orders)
            if message.positions is not None:
                screen.show_positions(message.positions)
        self.trading.account_polled(message.orders)

    def on_account_streamed(self, message: AccountStreamed) -> None:
        """The private stream's view: shown at once, no request made."""
        screen = self.open_screen()
        if screen is not None:
            screen.show_account(message.balances, message.orders)
            screen.show_positions(message.positions)
            screen.show_fills(message.fills)
        self.trading.account_streamed(message)

    def on_paper_filled(self, message: PaperFilled) -> None:
        self.trading.paper_filled(message)

    def on_account_source_changed(self, message: AccountSourceChanged) -> None:
        self._show_account_source()

    def on_candles_loaded(self, message: CandlesLoaded) -> None:
        screen = self.open_screen()
        if screen is None:
            return
        chart = screen.query_one(CandleChart)
        if message.symbol == screen.selected_symbol and message.timeframe == chart.timeframe:
            screen.show_candles(message.symbol, message.timeframe, message.candles)

    def on_request_failed(self, message: RequestFailed) -> None:
        if self.open_screen() is None:
            return
        if message.halted_until is not None:
            self._halted_until = message.halted_until
            self._show_rate_limits()
        if message.reason not in self._notified:
            self._notified.add(message.reason)
            self.notify(message.reason, severity="error", timeout=10)

    def on_symbol_requested(self, message: SymbolRequested) -> None:
        self.show_symbol(message.symbol)

    def on_ladders_changed(self, message: LaddersChanged) -> None:
        if self.markets:  # before them, on_markets_loaded writes every header
            self.trading.ladders_shown()

    def on_candle_chart_timeframe_changed(self, message: CandleChart.TimeframeChanged) -> None:
        self.load_candles(self.main_screen.selected_symbol, message.timeframe)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A worker that ended in an exception (every worker here runs with
        ``exit_on_error=False``, so the console keeps running) is logged with its
        traceback, never lost: what the trader sees was already posted by the worker."""
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            resume_collection()  # a start that failed before its first live ladder
            log.error("worker %r failed", event.worker.name, exc_info=event.worker.error)

    # -- results of the trading workers: the controller words them ---------------------

    def on_order_placed(self, message: OrderPlaced) -> None:
        self.trading.order_placed(message)

    def on_order_amended(self, message: OrderAmended) -> None:
        self.trading.order_amended(message)

    def on_leverage_set(self, message: LeverageSet) -> None:
        self.trading.leverage_set(message)

    def on_position_stops_set(self, message: PositionStopsSet) -> None:
        self.trading.position_stops_set(message)

    def on_order_failed(self, message: OrderFailed) -> None:
        self.trading.order_failed(message)

    def on_orders_cancelled(self, message: OrdersCancelled) -> None:
        self.trading.orders_cancelled(message)

    def on_kill_switch_changed(self, message: KillSwitchChanged) -> None:
        self.trading.kill_switch_changed(message)

    def on_chase_changed(self, message: ChaseChanged) -> None:
        self.trading.chase_changed()

    def on_chase_ended(self, message: ChaseEnded) -> None:
        self.trading.chase_ended(message)

    def on_key_info_read(self, message: KeyInfoRead) -> None:
        self.trading.key_info_read(message)

    def on_live_armed(self, message: LiveArmed) -> None:
        self.trading.live_armed(message)

    def on_session_changed(self, message: SessionChanged) -> None:
        self.trading.session_changed(message)

    # -- painting ----------------------------------------------------------------------

    def paint(self) -> None:
        """Hand the latest snapshots to the widgets (one batch, changed symbols only) and
        draw them at once, then run the chores that are due once that frame is drawn."""
        if not self.is_running or self.open_screen() is None:
            return  # shutting down: a paint asked for before then finds no widgets
        self.trading.alerts.check_books()
        chores = self.chores.due()
        screen = self.main_screen
        with prompts_held(screen.panels_drawn_at_once):
            painted = self._paint_books()
            if painted:
                draw_now(screen, painted)
        if painted:
            for chore in chores:
                self.call_after_refresh(chore)
        else:  # no frame to wait for
            for chore in chores:
                chore()

    def _paint_books(self) -> list[Widget]:
        """Books and prints to the widgets; the widgets handed something (none when there
        was nothing to paint)."""
        screen = self.main_screen
        if not screen.is_current:
            return []
        changed = self.market_store.take_changed_books()
        trades = self.market_store.take_new_trades()
        ladders = screen.ladders
        shown = {ladder.symbol for ladder in ladders}
        if self.pacer is not None:
            self.pacer.watch(shown | {screen.selected_symbol})
        if self.market_store.streams_degraded():
            changed |= shown
        if not changed and not trades:
            return []
        painted: list[Widget] = [ladder for ladder in ladders if ladder.symbol in changed]
        with self.batch_update():
            for symbol in changed & shown:
                screen.show_book(symbol, self.market_store.book(symbol))
            selected = trades.get(screen.selected_symbol)
            if selected:
                painted += screen.show_trades(screen.selected_symbol, selected)
        return painted

    def tick_clock(self) -> None:
        """Once a second: clock, latency, health and rate limits."""
        screen = self.main_screen
        now = self.clock.now()
        with self.batch_update():
            venue_clock = None if self.services is None else self.services.venue_clock.reading
            screen.show_clock(now, self._rest_latency_ms(), venue_clock)
            private = None if self.services is None else self.services.private_stream
            account = [] if private is None else [private.health()]
            streams = self.market_store.health()
            ladders = [ladder.symbol for ladder in screen.ladders]
            slow = self.market_store.slow_symbols(ladders, streams)
            screen.show_health(streams, account, slow_symbols=slow)
            self._show_account_source()
            self._show_rate_limits()

    def tick_activity(self) -> None:
        """Once a second, between clock ticks: trades/min of the watchlist and sparkline."""
        screen = self.main_screen
        with self.batch_update():
            stats = {
                symbol: self.market_store.trade_stats(symbol) for symbol in screen.watchlist_symbols
            }
            screen.show_activity(stats, self.market_store.minute_counts(screen.selected_symbol))

    def _show_account_source(self) -> None:
        screen = self.open_screen()
        if screen is not None and self.services is not None:
            screen.show_account_source(self.services.account_source)

    def _rest_latency_ms(self) -> float | None:
        if self.services is None:
            return None
        latencies = self.services.client.last_latency_ms
        return max(latencies.values()) if latencies else None

    def _show_rate_limits(self) -> None:
        client = None if self.services is None else self.services.client
        statuses = [] if client is None else client.get_rate_limiter_status()
        trips = [] if client is None else client.round_trip_status()
        now = self.clock.now()
        self.main_screen.show_rate_limits(
            statuses, now, halted_until=self._halted_until, round_trips=trips
        )

    # -- actions (every one has a binding and a palette entry) -------------------------

    def show_symbol(self, symbol: str) -> None:
        """Point the main ladder, tape and chart at ``symbol`` and subscribe to it."""
        screen = self.main_screen
        if self.markets and symbol not in self.markets:
            self.notify(f"{self.settings.venue} does not list {symbol}", severity="warning")
            return
        screen.select_symbol(symbol)
        self.subscribe(symbol)
        for ladder in screen.ladders:
            screen.show_book(ladder.symbol, self.market_store.book(ladder.symbol))
        self.load_candles(symbol, screen.query_one(CandleChart).timeframe)

    def apply_theme(self, name: str) -> None:
        """Switch to a console theme and remember it for the next start."""
        self.theme = name

    def watch_theme(self, name: str) -> None:
        if name in self._catalog.themes and self.is_running:
            problem = update_ui_state(self.settings.data_dir, theme=name)
            if problem:
                self.notify(problem, severity="warning")

    def run_palette_action(self, action: str) -> None:
        """Run a binding's action as its key would: on the main screen, whose bindings they
        are (an ``app.`` action reaches the app from there)."""
        self.call_later(self.run_action, action, self.main_screen)

    def action_help(self) -> None:
        from console.tui.screens.help import HelpScreen  # not needed for the first frame

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.keymap))

    def action_pick_symbol(self) -> None:
        self.push_screen(CommandPalette(providers=[SymbolProvider], placeholder="Search symbols…"))

    def action_pick_theme(self) -> None:
        self.push_screen(
            CommandPalette(providers=[ConsoleThemeProvider], placeholder="Search themes…")
        )

    def get_system_commands(self, screen: Screen[Any]) -> Any:
        """Textual's own commands, minus its theme picker (ours lists the console themes)."""
        for command in super().get_system_commands(screen):
            if isinstance(command, SystemCommand) and command.title.lower() != "theme":
                yield command
