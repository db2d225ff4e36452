"""The console's alerts: fed from the data the app already has, fired as notice, bell and
(optionally) a desktop notification, kept in ``alerts.json`` across runs.

What each kind is checked against, and when, so no frame pays for an alert it does not have:

* **price**: every print of a watched market as the streamer hands it over (this object is
  one of the streamer's listeners, beside the market store): a set lookup per batch of
  prints for markets without alerts.
* **spread**: a book update only marks its market; the paint tick reads one snapshot per
  marked market with a spread alert.
* **trades/min, positions, rate limits, streams**: once a second, from the trade windows,
  the main screen's marked positions, the rate limiter's status and the stream health.
* **fills**: as the paper engine or the private stream reports them.

The rules (crossing, re-arm, the fired list) are the domain's
(:class:`~console.domain.alerts.AlertBook`); this module only feeds and words them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from console.domain import Fill, Trade
from console.domain.alert_command import AlertSpec, parse_alert
from console.domain.alerts import (
    Alert,
    AlertBook,
    AlertKind,
    FiredAlert,
    plain,
    refusal,
    trade_rate_multiple,
)
from console.domain.order_command import CommandContext, CommandRefused
from console.tui.alert_store import AlertStore
from console.tui.desktop_notice import notice_escape
from console.tui.trading.ladder_keys import NO_CURSOR
from console.tui.widgets.ladder import LadderMark

if TYPE_CHECKING:
    from console.tui.trading.host import TradingHost

MARKS = "alerts"
"""The ladder's mark set the price alerts own."""
MEDIAN_MINUTES = 15
"""Full minutes of trade counts a trades/min alert takes its median over."""


class AlertCenter:
    """The alert book of this console, what feeds it, and what rings when it fires."""

    def __init__(self, host: TradingHost) -> None:
        self._host = host
        self._store = AlertStore(host.settings.data_dir)
        self.book = AlertBook()
        self.revision = 0
        """Bumped on every change or firing: the Alerts screen redraws when it moves."""
        self.terminal: Callable[[str], object] | None = None
        """Writes an escape to the terminal (set by the app; None: no desktop notices)."""
        self._books_moved: set[str] = set()

    # -- start, and the list -------------------------------------------------------------

    def start(self, terminal: Callable[[str], object] | None = None) -> None:
        """Read the alerts kept by the last run; a file that cannot be used is said once."""
        self.terminal = terminal
        loaded = self._store.load()
        self.book = loaded.book
        if loaded.problem:
            self._host.notify(loaded.problem, title="Alerts", severity="error", timeout=20)
        self._changed(save=False)

    def context(self) -> CommandContext:
        """Markets by name, and the main screen's symbol for a line that names none."""
        screen = self._host.open_screen()
        return CommandContext(
            self._host.markets, None if screen is None else screen.selected_symbol
        )

    def add(self, spec: AlertSpec) -> Alert | None:
        """Make an alert from ``spec`` and say so; None (and the reason said) if it cannot be."""
        try:
            alert = self.book.add(
                spec.kind,
                symbol=spec.symbol,
                above=spec.above if spec.kind is not AlertKind.FILL else None,
                level=spec.level,
                rearm=spec.rearm,
                now=self._host.clock.now(),
            )
        except ValueError as error:
            self._host.notify(refusal(error), title="Alert not set", severity="error", timeout=8)
            return None
        self._host.notify(f"#{alert.alert_id} {alert.describe()}", title="Alert set")
        self._changed()
        return alert

    def add_line(self, text: str) -> str | None:
        """Make the alert a typed line asks for; the refusal's reason, or None when set."""
        try:
            spec = parse_alert(text, self.context())
        except CommandRefused as refused:
            return refused.reason
        return None if self.add(spec) is not None else "The alert could not be set"

    def set_armed(self, alert_id: int, armed: bool) -> None:
        if self.book.set_armed(alert_id, armed) is not None:
            self._changed()

    def remove(self, alert_id: int) -> None:
        if self.book.remove(alert_id) is not None:
            self._changed()

    def at_cursor(self) -> None:
        """A price alert at the focused ladder's cursor: above when the cursor is over the
        last price, below when under it."""
        ladder = self._host.main_screen.focused_ladder()
        cursor = ladder.cursor_price
        if cursor is None:
            self._host.notify(NO_CURSOR, severity="warning")
            return
        last = self.last_price(ladder.symbol) or (ladder.snapshot.mid if ladder.snapshot else None)
        if last is None:
            self._host.notify(f"No price for {ladder.symbol} yet", severity="warning")
            return
        if cursor == last:
            self._host.notify(
                f"The cursor is on the last price ({plain(last)}): move it above or below",
                severity="warning",
            )
            return
        self.add(AlertSpec(AlertKind.PRICE, ladder.symbol, cursor > last, cursor))

    def last_price(self, symbol: str) -> Decimal | None:
        """The last print's price, else the streamed book's mid (None before either)."""
        store = self._host.market_store
        stats = store.trade_stats(symbol)
        if stats is not None and stats.last_price is not None:
            return stats.last_price
        book = store.book(symbol)
        return None if book is None else book.mid

    # -- what feeds it -------------------------------------------------------------------

    def on_trades(self, symbol: str, trades: Sequence[Trade]) -> None:
        """The streamer's listener: each print of a market with price alerts is checked."""
        if not self.book.wants(AlertKind.PRICE, symbol):
            return
        fired: list[FiredAlert] = []
        now = self._host.clock.now()
        for trade in trades:
            fired += self.book.check(AlertKind.PRICE, symbol, trade.price, now)
        self._fire(fired)

    def on_book_update(self, symbol: str) -> None:
        """The streamer's listener: a market with spread alerts is read at the next paint."""
        if self.book.wants(AlertKind.SPREAD, symbol):
            self._books_moved.add(symbol)

    def check_books(self) -> None:
        """Each paint tick: the spread of every market marked since the last one."""
        if not self._books_moved:
            return
        moved, self._books_moved = self._books_moved, set()
        now = self._host.clock.now()
        fired: list[FiredAlert] = []
        for symbol in moved:
            book = self._host.market_store.book(symbol)
            if book is not None and not book.stale and book.spread is not None:
                fired += self.book.check(AlertKind.SPREAD, symbol, book.spread, now)
        self._fire(fired)

    def every_second(self) -> None:
        """Trades/min, positions, rate limits and streams; and the ladders' marks."""
        book = self.book
        host = self._host
        now = host.clock.now()
        store = host.market_store
        fired: list[FiredAlert] = []
        for symbol in book.symbols(AlertKind.TRADE_RATE):
            stats = store.trade_stats(symbol)
            counts = store.minute_counts(symbol, MEDIAN_MINUTES + 1)
            multiple = (
                None if stats is None else trade_rate_multiple(stats.trade_count, counts[:-1])
            )
            if multiple is not None:
                fired += book.check(AlertKind.TRADE_RATE, symbol, multiple, now)
        services = host.services
        private = None if services is None else services.private_stream
        streams = [*store.health(), *([] if private is None else [private.health()])]
        fired += book.check_streams(streams, now)
        if services is not None and book.wants(AlertKind.RATE_LIMIT):
            fired += book.check_rate_limits(services.client.get_rate_limiter_status(), now)
        screen = host.open_screen()
        if screen is not None and (
            book.symbols(AlertKind.PNL) or book.symbols(AlertKind.LIQUIDATION)
        ):
            fired += book.check_positions(screen.held_positions, now)
        self._fire(fired)
        self.show_marks()

    def fills(self, fills: Iterable[Fill]) -> None:
        self._fire(self.book.check_fills(fills, self._host.clock.now()))

    # -- what it shows -------------------------------------------------------------------

    def show_marks(self) -> None:
        """Every armed price alert on the ladders showing its market."""
        screen = self._host.open_screen()
        if screen is None:
            return
        for ladder in screen.ladders:
            ladder.set_marks(
                MARKS,
                [
                    LadderMark(alert.level, f"alert{'>' if alert.above else '<'}")
                    for alert in self.book.price_levels(ladder.symbol)
                ],
            )

    def _fire(self, fired: Sequence[FiredAlert]) -> None:
        if not fired:
            return
        desktop = self._host.settings.ui.desktop_notifications
        for alert in fired:
            title = f"Alert #{alert.alert_id}"
            self._host.notify(alert.describe(), title=title, severity="warning", timeout=15)
            escape = notice_escape(desktop, title, alert.describe())
            if escape is not None and self.terminal is not None:
                self.terminal(escape)
        self._host.bell()
        self._changed()

    def _changed(self, *, save: bool = True) -> None:
        self.revision += 1
        if save:
            problem = self._store.save(self.book)
            if problem:
                self._host.notify(problem, title="Alerts", severity="warning", timeout=10)
        self.show_marks()


__all__ = ["MARKS", "AlertCenter"]
