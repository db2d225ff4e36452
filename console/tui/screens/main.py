"""The main screen: ladders, tape, activity, candles, account and connection panels.

The screen holds no data of its own beyond what its widgets show: the app's workers fetch,
the market store records what changed, and the app's paint timer calls the ``show_*``
methods here (attributes down). Widgets that the trader drives post messages up (a watchlist
pick, a timeframe change) and the app turns those into work.

Every panel is a :class:`~console.tui.widgets.panel_boundary.PanelBoundary` and each
``show_*`` hands it data inside ``panel.contained()``: a panel that fails shows its error and
the others keep updating.

The screen owns the console's keys (``BINDINGS``, each with an id the trader can remap): the
ladder, symbol and panel keys act here; the trading keys go to the
:class:`~console.tui.trading.controller.TradingController` the app hands down; the few that
concern the whole app (help, the pickers) name the app's action; quit is the app's own.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.command import Provider
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Label, LoadingIndicator, TabbedContent, TabPane

from console.domain import (
    Balance,
    Candle,
    DepthSnapshot,
    Fill,
    Market,
    Order,
    Position,
    RateLimitStatus,
    RoundTripStatus,
    Side,
    StopKind,
    StreamHealth,
    StreamState,
    Trade,
    TradeStats,
    TradingMode,
    VenueClockReading,
)
from console.tui.bindings import MAIN_SCREEN_BINDINGS
from console.tui.kept_view import KeptView
from console.tui.key_footer import KeyFooter
from console.tui.messages import LaddersChanged, SymbolRequested
from console.tui.panels import (
    BOTTOM_TABS,
    WIDTH_BREAKPOINTS,
    LayoutCommands,
    PanelLayout,
    layout_bindings,
)
from console.tui.replay_deck import REPLAY_ACTIONS, ReplayDeck
from console.tui.textual_compat import StyledOnceScreen
from console.tui.trading.controller import TradingController
from console.tui.trading.trigger_marks import show_triggers
from console.tui.widgets.balances import BalancesTable
from console.tui.widgets.candles import CandleChart
from console.tui.widgets.command_line import CommandLine
from console.tui.widgets.fills_table import FillsTable
from console.tui.widgets.framed_lines import FramedLines
from console.tui.widgets.ladder import OrderBookLadder
from console.tui.widgets.open_orders import OpenOrdersTable
from console.tui.widgets.positions import PositionsTable
from console.tui.widgets.rate_limits import HaltBanner, RateLimitGauges
from console.tui.widgets.status_bar import StatusBar
from console.tui.widgets.stream_health import StreamHealthTable
from console.tui.widgets.tape import TradeTape
from console.tui.widgets.trades_per_minute import TradesPerMinute
from console.tui.widgets.watchlist import Watchlist

_CARRY_ACTIONS = frozenset({"carry", "drop_order", "put_back_order"})

LADDER_MIN_WIDTH = 46
"""Columns one ladder needs to show price, size, cumulative size and a useful depth bar."""
MAX_LADDERS = 4


def ladder_count(available_width: int, symbols: int) -> int:
    """How many ladders fit side by side (at least one, at most one per watched symbol)."""
    return max(1, min(symbols, MAX_LADDERS, available_width // LADDER_MIN_WIDTH))


def badge_state(snapshot: DepthSnapshot | None, streams: Sequence[StreamHealth]) -> StreamState:
    """The state a ladder shows: the book's own stale flag, refined by the streams' states."""
    states = {health.state for health in streams}
    if StreamState.RESYNCING in states and (snapshot is None or snapshot.stale):
        return StreamState.RESYNCING
    if snapshot is not None and snapshot.stale:
        return StreamState.STALE
    if states and states <= {StreamState.DOWN, StreamState.STALE}:
        return StreamState.STALE
    return StreamState.LIVE


class MainScreen(StyledOnceScreen[None]):
    """Everything at once, keyboard first; the footer lists the keys.

    What fits is decided by :mod:`console.tui.layout` (the focused ladder first, the other
    panels in a declared order); :mod:`console.tui.panels` gives each panel a key to show,
    hide or zoom it.
    """

    BINDINGS: ClassVar[list[BindingType]] = [*MAIN_SCREEN_BINDINGS, *layout_bindings()]
    COMMANDS: ClassVar[set[type[Provider] | Callable[[], type[Provider]]]] = {LayoutCommands}
    HORIZONTAL_BREAKPOINTS = WIDTH_BREAKPOINTS
    """Screen classes for what CSS alone can shorten (the status bar's fixed labels)."""
    ALLOW_IN_MAXIMIZED_VIEW: ClassVar[str | None] = "StatusBar, HaltBanner, Footer"

    def __init__(
        self,
        *,
        venue: str,
        mode: TradingMode,
        is_sim: bool,
        symbols: Sequence[str],
        trading: TradingController,
        data_dir: Path | None = None,
    ) -> None:
        """
        Args:
            venue: shown in the status bar.
            mode: paper or live; paper shows the positions panel.
            is_sim: the venue is the built-in simulator (the status bar says so).
            symbols: the watchlist, in order; the first is selected.
            trading: what the trading keys and the open-orders table's cancels drive.
            data_dir: where the panel layout, groupings and timeframe the trader arranged
                are kept (None keeps none).
        """
        super().__init__(id="main")
        self._trading = trading
        self._venue = venue
        self._mode = mode
        self._is_sim = is_sim
        self.watchlist_symbols: list[str] = list(symbols)
        """The symbols of the watchlist, in order."""
        self.selected_symbol = self.watchlist_symbols[0]
        """The symbol the tape, chart and first ladder show."""
        self.markets: dict[str, Market] = {}
        self._health: tuple[StreamHealth, ...] = ()
        self._orders: tuple[Order, ...] = ()
        self._positions: dict[str, Position] = {}
        self._position_rows: tuple[Position, ...] = ()
        """Open positions by symbol, as last reported; re-marked at the mid as books move."""
        self.panels = PanelLayout(self, data_dir)
        """Which panels are shown, and the keys that change it."""
        self.kept = KeptView(data_dir, lambda problem: self.notify(problem, severity="warning"))
        """The watchlist, groupings and timeframe as the trader arranged them, saved as changed."""
        self._paint_listener: Callable[[str, int], None] | None = None
        self._not_started: str | None = None

    def compose(self) -> ComposeResult:
        yield StatusBar(venue=self._venue, mode=self._mode, is_sim=self._is_sim)
        yield HaltBanner(id="halt-banner")
        with Horizontal(id="body"):
            with Vertical(id="left-column"):
                yield Label("Watchlist", classes="panel-title")
                yield Watchlist(self.watchlist_symbols, id="watchlist")
            with Vertical(id="center-column"):
                with Horizontal(id="ladders"):
                    yield self._ladder(self.selected_symbol)
                yield CandleChart(id="candles", timeframe=self.kept.timeframe)
            with Vertical(id="right-column"):
                yield TradeTape(self.selected_symbol, id="tape")
                yield TradesPerMinute(id="trades-per-minute")
                with Vertical(id="gauges-panel"):
                    yield Label("Rate limits", classes="panel-title")
                    yield RateLimitGauges(id="rate-limits")
        tabs = list(BOTTOM_TABS)  # live mode has positions and fills too (issue 13)
        initial = self.panels.initial_tab if self.panels.initial_tab in tabs else tabs[0]
        with TabbedContent(id="bottom", initial=initial or ""):
            with TabPane("Balances", id="balances"):
                yield BalancesTable(id="balances-table")
            with TabPane("Positions", id="positions"):
                yield PositionsTable(id="positions-table")
            with TabPane("Open orders", id="orders"):
                yield OpenOrdersTable(id="open-orders")
            with TabPane("Fills", id="fills"):
                yield FillsTable(id="fills-table")
            with TabPane("Streams", id="streams"):
                yield Label("", id="account-source")
                yield StreamHealthTable(id="stream-health")
        with Vertical(id="loading"):
            yield LoadingIndicator()
            yield Label("Loading markets…", id="loading-label")
        yield KeyFooter()

    # -- ladders ---------------------------------------------------------------------

    @property
    def ladders(self) -> list[OrderBookLadder]:
        """The ladders shown, left to right. Read on every paint tick, so it lists the ladder
        row's children instead of querying the whole screen."""
        return [child for child in self._ladder_row.children if isinstance(child, OrderBookLadder)]

    @property
    def panels_drawn_at_once(self) -> list[FramedLines]:
        """The panels the paint hands books and prints to and draws in the same turn: the
        ladders and the tape."""
        return [*self.ladders, self._tape]

    @cached_property
    def _tape(self) -> TradeTape:
        return self.query_one(TradeTape)

    @cached_property
    def _ladder_row(self) -> Horizontal:
        return self.query_one("#ladders", Horizontal)

    def ladder_symbols(self, count: int) -> list[str]:
        """The selected symbol first, then the rest of the watchlist in order."""
        others = [symbol for symbol in self.watchlist_symbols if symbol != self.selected_symbol]
        return [self.selected_symbol, *others][:count]

    def on_resize(self, event: events.Resize) -> None:
        self.panels.apply(after=self._arrange_ladders)

    # -- the trader's layout keys ------------------------------------------------------

    def action_toggle_panel(self, panel: str) -> None:
        """Show or hide ``panel`` (one of ``console.tui.layout.PANELS``)."""
        self.panels.toggle(panel)
        self.call_after_refresh(self._arrange_ladders)

    def action_cycle_bottom_tab(self) -> None:
        self.panels.cycle_tab()

    def action_zoom(self) -> None:
        self.panels.zoom()

    def watch_maximized(self, maximized: Widget | None) -> None:
        if maximized is None:  # back from a zoom (z or Esc)
            self.panels.refit()

    def _arrange_ladders(self) -> None:
        """Mount or remove ladders so as many fit side by side as the width allows."""
        container = self.query_one("#ladders", Horizontal)
        wanted = ladder_count(container.size.width, len(self.watchlist_symbols))
        ladders = self.ladders
        if self.focused in ladders[wanted:]:
            ladders[0].focus()  # a ladder that no longer fits hands its focus to the main one
        for ladder in ladders[wanted:]:
            ladder.remove()
        symbols = self.ladder_symbols(wanted)
        for ladder, symbol in zip(ladders, symbols, strict=False):
            ladder.show_symbol(symbol, multiple=self.kept.grouping(symbol))
            self._paint_triggers(ladder)
        new = [self._ladder(symbol) for symbol in symbols[len(ladders) :]]
        for ladder in new:
            ladder.market = self.markets.get(ladder.symbol)
        if new:
            container.mount_all(new)
        self.post_message(LaddersChanged())

    def _ladder(self, symbol: str) -> OrderBookLadder:
        ladder = OrderBookLadder(symbol, multiple=self.kept.grouping(symbol), classes="ladder")
        ladder.paint_listener = self._paint_listener
        return ladder

    @property
    def paint_listener(self) -> Callable[[str, int], None] | None:
        """Told (symbol, venue ms) as a ladder draws a new book: the painted latency."""
        return self._paint_listener

    @paint_listener.setter
    def paint_listener(self, listener: Callable[[str, int], None] | None) -> None:
        self._paint_listener = listener
        for ladder in self.ladders:
            ladder.paint_listener = listener

    def focused_ladder(self) -> OrderBookLadder:
        """The ladder with focus, or the main one: where the grouping keys act."""
        focused = self.focused
        return focused if isinstance(focused, OrderBookLadder) else self.ladders[0]

    # -- symbols ---------------------------------------------------------------------

    def select_symbol(self, symbol: str) -> None:
        """Point the first ladder, tape and chart at ``symbol`` (added to the watchlist)."""
        if symbol not in self.watchlist_symbols:
            self.watchlist_symbols.append(symbol)
            self.query_one(Watchlist).set_symbols(self.watchlist_symbols)
            self.kept.watchlist_changed(self.watchlist_symbols)
        self.selected_symbol = symbol
        ladders = self.ladders
        for ladder, wanted in zip(ladders, self.ladder_symbols(len(ladders)), strict=True):
            ladder.show_symbol(wanted, multiple=self.kept.grouping(wanted))
            ladder.market = self.markets.get(wanted)
            self._paint_triggers(ladder)
        self.post_message(LaddersChanged())
        tape = self.query_one(TradeTape)
        tape.show_symbol(symbol)
        tape.market = self.markets.get(symbol)

    def remove_symbol(self, symbol: str) -> bool:
        """Take ``symbol`` off the watchlist (kept for the next start); the last one stays.
        If it was selected, the next symbol is. Returns whether it was removed."""
        if symbol not in self.watchlist_symbols or len(self.watchlist_symbols) == 1:
            return False
        following = self.step_symbol(+1) if symbol == self.selected_symbol else None
        self.watchlist_symbols.remove(symbol)
        self.query_one(Watchlist).set_symbols(self.watchlist_symbols)
        self.kept.watchlist_changed(self.watchlist_symbols)
        if following is not None:
            self.select_symbol(following)
            self.post_message(SymbolRequested(following))  # the app fetches its candles
        self.call_after_refresh(self._arrange_ladders)
        return True

    def set_watchlist(self, symbols: Sequence[str]) -> None:
        """Replace the watchlist (the names the settings gave, resolved once the markets
        loaded); the selection stays if its symbol does, else moves to the first."""
        self.watchlist_symbols = list(symbols)
        self.query_one(Watchlist).set_symbols(self.watchlist_symbols)
        selected = self.selected_symbol
        self.select_symbol(selected if selected in self.watchlist_symbols else symbols[0])

    def step_symbol(self, direction: int) -> str:
        """The watchlist symbol ``direction`` places away from the selected one."""
        index = self.watchlist_symbols.index(self.selected_symbol)
        return self.watchlist_symbols[(index + direction) % len(self.watchlist_symbols)]

    # -- attributes down: the app's workers and paint loop call these ----------------

    def show_loading(self, text: str | None) -> None:
        """Show the loading overlay with ``text``, or hide it with None."""
        overlay = self.query_one("#loading", Vertical)
        overlay.display = text is not None
        # The indicator animates on a timer of its own, 16 wake-ups a second hidden or not.
        self.query_one(LoadingIndicator).auto_refresh = None if text is None else 1 / 16
        if text is not None:
            self.query_one("#loading-label", Label).update(text)

    def show_markets(self, markets: Mapping[str, Market]) -> None:
        self.markets = dict(markets)
        for ladder in self.ladders:
            with ladder.contained():
                ladder.market = self.markets.get(ladder.symbol)
        tape = self.query_one(TradeTape)
        with tape.contained():
            tape.market = self.markets.get(self.selected_symbol)
        self.query_one(BalancesTable).markets = self.markets
        self.query_one(Watchlist).markets = self.markets
        self.query_one(CandleChart).markets = self.markets
        self.query_one(OpenOrdersTable).markets = self.markets
        for table in (*self.query(PositionsTable), *self.query(FillsTable)):
            table.markets = self.markets

    def show_book(self, symbol: str, snapshot: DepthSnapshot | None) -> None:
        """Hand a new book to every ladder showing ``symbol`` (and re-mark its position)."""
        if symbol in self._positions and snapshot is not None and snapshot.mid is not None:
            self._remark(symbol, snapshot.mid)
        state = badge_state(snapshot, self._health)
        for ladder in self.ladders:
            if ladder.symbol == symbol:
                with ladder.contained():
                    ladder.snapshot = snapshot
                    ladder.stream_state = state

    def show_trades(self, symbol: str, trades: Sequence[Trade]) -> list[Widget]:
        """Prints to the tape and the chart; returns the two (the paint draws them)."""
        tape, chart = self.query_one(TradeTape), self.query_one(CandleChart)
        for panel in (tape, chart):
            with panel.contained():
                panel.add_trades(trades)
        return [tape, chart]

    def show_activity(
        self, stats: Mapping[str, TradeStats | None], minute_counts: Sequence[int]
    ) -> None:
        """Trades/min of every watched symbol, and the selected one's sparkline."""
        watchlist = self.query_one(Watchlist)
        with watchlist.contained():
            watchlist.update_stats(dict(stats))
        activity = self.query_one(TradesPerMinute)
        with activity.contained():
            activity.update_activity(stats.get(self.selected_symbol), minute_counts)

    def show_health(
        self,
        streams: Sequence[StreamHealth],
        account: Sequence[StreamHealth] = (),
        *,
        slow_symbols: frozenset[str] = frozenset(),
    ) -> None:
        """The market streams (which decide the ladders' badges and the status bar) and the
        account's private stream, all in the Streams panel; the ladders of
        ``slow_symbols`` (carried by a SLOW stream) get a SLOW badge."""
        self._health = tuple(streams)
        table = self.query_one(StreamHealthTable)
        with table.contained():
            table.update_health([*streams, *account])
        for ladder in self.ladders:
            with ladder.contained():
                ladder.stream_state = badge_state(ladder.snapshot, self._health)
                ladder.slow = ladder.symbol in slow_symbols
        live = [health for health in streams if health.state is StreamState.LIVE]
        if not streams or self._not_started is not None:
            return  # a failed start keeps saying so: the streams are not the whole story
        if len(live) == len(streams):
            self.show_connection("● streams live")
        else:
            self.show_connection(f"● {len(live)}/{len(streams)} streams live", down=True)

    def show_rate_limits(
        self,
        statuses: Sequence[RateLimitStatus],
        now: datetime,
        *,
        halted_until: datetime | None = None,
        round_trips: Sequence[RoundTripStatus] = (),
    ) -> None:
        """Gauges per category, each endpoint's round trips (``round_trips``) beside them,
        and the halt banner while any window (or the last 403 the app saw,
        ``halted_until``) says the venue has banned us."""
        gauges = self.query_one(RateLimitGauges)
        with gauges.contained():
            gauges.update_status(statuses, now, round_trips=round_trips)
        halts = [status.halted_until for status in statuses if status.halted_until is not None]
        halts += [halted_until] if halted_until is not None else []
        banner = self.query_one(HaltBanner)
        if halts or banner.is_halted:  # an idle banner is left alone: no layout pass per tick
            with banner.contained():
                banner.update_halt(max(halts) if halts else None, now)
        self.panels.apply()  # the gauges' lines or the banner may have changed the plan

    def show_account(self, balances: Sequence[Balance], orders: Sequence[Order]) -> None:
        table = self.query_one(BalancesTable)
        with table.contained():
            table.update_balances(balances)
        orders_table = self.query_one(OpenOrdersTable)
        with orders_table.contained():
            orders_table.update_orders(orders)
        self._orders = tuple(orders)
        rows = max(
            [len(orders), *(len(table.current_rows) for table in self.query(PositionsTable))]
        )
        if rows != self.panels.bottom_rows:
            self.panels.bottom_rows = rows
            self.panels.apply(after=self._arrange_ladders)
        for ladder in self.ladders:
            with ladder.contained():
                ladder.own_orders = self._orders
                self._paint_triggers(ladder)

    def show_candles(self, symbol: str, timeframe: str, candles: Sequence[Candle]) -> None:
        chart = self.query_one(CandleChart)
        with chart.contained():
            chart.set_candles(symbol, timeframe, candles)

    def show_connection(self, text: str, *, down: bool = False) -> None:
        bar = self.query_one(StatusBar)
        with bar.contained():
            bar.update_connection(text, down=down)

    def show_not_started(self, text: str) -> None:
        """Start-up failed (``text``: what did not start): the status bar says so for good,
        over the streams' own ``● streams live`` that would otherwise replace it."""
        self._not_started = text
        self.show_connection(text, down=True)

    def show_clock(
        self,
        now: datetime,
        latency_ms: float | None,
        venue_clock: VenueClockReading | None = None,
    ) -> None:
        """The clock, the latest REST latency and the measured offset to the venue's clock."""
        bar = self.query_one(StatusBar)
        with bar.contained():
            bar.update_clock(now)
            bar.update_latency(latency_ms)
            bar.update_venue_clock(venue_clock)

    def show_kill_switch(self, engaged: bool) -> None:
        bar = self.query_one(StatusBar)
        with bar.contained():
            bar.show_kill_switch(engaged)

    def show_armed(self, armed: bool) -> None:
        bar = self.query_one(StatusBar)
        with bar.contained():
            bar.show_armed(armed)

    def show_positions(self, positions: Sequence[Position]) -> None:
        """Positions with PnL, margin and liquidation, and their entry and liquidation
        prices on the ladders."""
        self._position_rows = tuple(positions)
        self._positions = {p.symbol: p for p in positions if not p.is_flat}
        for symbol, position in list(self._positions.items()):
            book = self._ladder_book(symbol)
            if book is not None and book.mid is not None:
                self._positions[symbol] = position.at_mark(book.mid)
        self._paint_positions()

    @property
    def held_positions(self) -> tuple[Position, ...]:
        """The open positions the positions panel shows (last reported, re-marked)."""
        return tuple(self._positions.values())

    def _ladder_book(self, symbol: str) -> DepthSnapshot | None:
        for ladder in self.ladders:
            if ladder.symbol == symbol and ladder.snapshot is not None:
                return ladder.snapshot
        return None

    def _remark(self, symbol: str, mark: Decimal) -> None:
        held = self._positions[symbol]
        marked = held.at_mark(mark)
        if marked is not held:
            self._positions[symbol] = marked
            self._paint_positions()

    def _paint_positions(self) -> None:
        shown = [self._positions.get(p.symbol, p) for p in self._position_rows]
        table = self.query_one(PositionsTable)
        with table.contained():
            table.update_positions(shown)
        for ladder in self.ladders:
            with ladder.contained():
                held = self._positions.get(ladder.symbol)
                ladder.position_marks = (
                    (None, None) if held is None else (held.entry_price, held.liquidation_price)
                )
                self._paint_triggers(ladder)

    def _paint_triggers(self, ladder: OrderBookLadder) -> None:
        """Waiting stops and the position's TP/SL as marks on ``ladder``."""
        show_triggers(ladder, self._orders, self._positions.get(ladder.symbol))

    def position(self, symbol: str) -> Position | None:
        """The open position of ``symbol`` as shown (None when flat or unknown)."""
        return self._positions.get(symbol)

    def show_account_source(self, source: str) -> None:
        """Where the account view comes from (private stream, REST polling, paper engine),
        over the stream table."""
        text = f"Account view from the {source}"
        label = self.query_one("#account-source", Label)
        if str(label.content) != text:
            label.update(text)

    def show_fills(self, fills: Sequence[Fill]) -> None:
        """Our fills, newest first: the paper session's, or the live account's as the
        private stream pushes them (``fills``: the whole recent list)."""
        for table in self.query(FillsTable):
            with table.contained():
                table.update_fills(fills)

    # -- actions: the screen's own keys ------------------------------------------------

    def action_next_symbol(self) -> None:
        self.post_message(SymbolRequested(self.step_symbol(+1)))

    def action_previous_symbol(self) -> None:
        self.post_message(SymbolRequested(self.step_symbol(-1)))

    def action_coarser_grouping(self) -> None:
        self.focused_ladder().change_grouping(+1)

    def action_finer_grouping(self) -> None:
        self.focused_ladder().change_grouping(-1)

    def action_next_timeframe(self) -> None:
        self.query_one(CandleChart).action_cycle_timeframe()

    def action_focus_watchlist(self) -> None:
        self.query_one(Watchlist).focus()

    def action_focus_ladder(self) -> None:
        self.ladders[0].focus()

    def action_focus_orders(self) -> None:
        self.panels.show_tab("orders")
        self.query_one(OpenOrdersTable).focus()

    # -- trading keys: the controller does the work ------------------------------------

    def action_command_line(self) -> None:
        """Open the order command line, mounted at the bottom on first use."""
        lines = self.query(CommandLine)
        if lines:
            lines.first().open()
        else:
            line = CommandLine(self._trading.commands)
            self.mount(line)
            self.call_after_refresh(line.open)

    def action_new_order(self) -> None:
        self._trading.order_flow.open_form(self._trading.ladder_keys.form_draft())

    def action_scale_order(self) -> None:
        self._trading.scale.open_form()

    def action_buy_at_cursor(self) -> None:
        self._trading.ladder_keys.at_cursor(Side.BUY)

    def action_sell_at_cursor(self) -> None:
        self._trading.ladder_keys.at_cursor(Side.SELL)

    def action_join_bid(self) -> None:
        self._trading.ladder_keys.join(Side.BUY)

    def action_join_ask(self) -> None:
        self._trading.ladder_keys.join(Side.SELL)

    def action_improve_bid(self) -> None:
        self._trading.ladder_keys.improve(Side.BUY)

    def action_improve_ask(self) -> None:
        self._trading.ladder_keys.improve(Side.SELL)

    def action_chase_buy(self) -> None:
        self._trading.chases.from_ladder(Side.BUY)

    def action_chase_sell(self) -> None:
        self._trading.chases.from_ladder(Side.SELL)

    def action_cancel_at_cursor(self) -> None:
        self._trading.ladder_keys.cancel_at_cursor()

    def action_size_up(self) -> None:
        self._trading.ladder_keys.change_size(+1)

    def action_size_down(self) -> None:
        self._trading.ladder_keys.change_size(-1)

    def action_kill_switch(self) -> None:
        self._trading.kill_switch.toggle()

    def action_close_position(self) -> None:
        self._trading.closer.close_focused()

    def action_flatten(self) -> None:
        self._trading.flattener.ask()

    def action_arm_live(self) -> None:
        self._trading.live_arming.arm()

    def action_practice_session(self) -> None:
        self._trading.paper_sessions.start_or_resume()

    def action_session_summary(self) -> None:
        self._trading.paper_sessions.show_summary()

    def action_explain_fill(self) -> None:
        self._trading.paper_sessions.pick_fill()

    def action_pick_up_order(self) -> None:
        self._trading.order_mover.pick_up("price")

    def action_pick_up_quantity(self) -> None:
        self._trading.order_mover.pick_up("quantity")

    def action_carry(self, direction: int) -> None:
        self._trading.order_mover.step(direction)

    def action_drop_order(self) -> None:
        self._trading.order_mover.drop()

    def action_put_back_order(self) -> None:
        self._trading.order_mover.put_back()

    def action_stop_at_cursor(self) -> None:
        self._trading.stop_keys.stop_at_cursor()

    def action_take_profit_at_cursor(self) -> None:
        self._trading.stop_keys.protect_at_cursor(StopKind.TAKE_PROFIT)

    def action_stop_loss_at_cursor(self) -> None:
        self._trading.stop_keys.protect_at_cursor(StopKind.STOP_LOSS)

    def action_alert_at_cursor(self) -> None:
        self._trading.alerts.at_cursor()

    def action_alerts(self) -> None:
        self._trading.open_alerts()

    def action_set_leverage(self) -> None:
        self._trading.leverage.ask()

    # -- replay and recording ----------------------------------------------------------

    @cached_property
    def replay_deck(self) -> ReplayDeck:
        """The replay's transport and the record key; the status bar shows both."""
        return ReplayDeck(
            self._trading.host,
            lambda: tuple(self.watchlist_symbols),
            self._show_transport,
            self._forget_trades,
        )

    def on_mount(self) -> None:
        self.set_interval(0.5, self.replay_deck.refresh, name="replay-status")

    def _show_transport(self, replay: str | None, recording: str | None) -> None:
        bar = self.query_one(StatusBar)
        with bar.contained():
            bar.show_replay(replay)
            bar.show_recording(recording)

    def _forget_trades(self) -> None:
        services = self._trading.host.services
        if services is not None and services.streamer is not None:
            services.streamer.forget_trades()
        tape = self.query_one(TradeTape)
        with tape.contained():
            tape.clear()

    def action_record(self) -> None:
        self.replay_deck.toggle_recording()

    def action_replay_pause(self) -> None:
        self.replay_deck.toggle_pause()

    def action_replay_speed(self, direction: int) -> None:
        self.replay_deck.change_speed(direction)

    def action_replay_seek(self, direction: int) -> None:
        self.replay_deck.seek(direction)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The carrying keys (arrows, Enter, Esc) are ours only while an order is carried;
        otherwise they stay the ladder's and the tables'."""
        if action in _CARRY_ACTIONS:
            return self._trading.order_mover.carrying
        if action in REPLAY_ACTIONS:
            return self.replay_deck.replay is not None
        return True

    # -- messages up from the widgets ------------------------------------------------

    def on_watchlist_symbol_chosen(self, message: Watchlist.SymbolChosen) -> None:
        message.stop()
        self.post_message(SymbolRequested(message.symbol))

    def on_order_book_ladder_grouping_changed(
        self, message: OrderBookLadder.GroupingChanged
    ) -> None:
        message.stop()
        self.kept.grouping_changed(message.ladder.symbol, message.multiple)

    def on_candle_chart_timeframe_changed(self, message: CandleChart.TimeframeChanged) -> None:
        self.kept.timeframe_changed(message.timeframe)  # not stopped: the app fetches history

    def on_watchlist_remove_requested(self, message: Watchlist.RemoveRequested) -> None:
        message.stop()
        if not self.remove_symbol(message.symbol):
            self.notify("The watchlist keeps at least one symbol", severity="warning")

    def on_open_orders_table_cancel_requested(
        self, message: OpenOrdersTable.CancelRequested
    ) -> None:
        message.stop()
        self._trading.order_flow.cancel([(message.order_id, message.symbol)])

    def on_open_orders_table_cancel_all_requested(
        self, message: OpenOrdersTable.CancelAllRequested
    ) -> None:
        message.stop()
        self._trading.order_flow.cancel_all()
