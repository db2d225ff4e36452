"""Trading from the console, held by the app: the helpers the main screen's keys drive, and
the trader's words for what their workers report.

The main screen's trading actions reach the helper that does the job (:mod:`.order_flow`,
:mod:`.ladder_keys`, :mod:`.kill_switch`, :mod:`.live_arming`, :mod:`.paper_sessions`)
through :class:`TradingController`; the workers post their results as messages
(:mod:`console.tui.messages`), and the app hands each one to the method here that words it.
Everything reaches the console through :class:`~.host.TradingHost`, never the app itself.
"""

from __future__ import annotations

from collections.abc import Sequence

from console.domain import Fill, Order
from console.tui.formatting import order_state_text, order_type_text
from console.tui.messages import (
    AccountStreamed,
    ChaseEnded,
    KeyInfoRead,
    KillSwitchChanged,
    LeverageSet,
    LiveArmed,
    OrderAmended,
    OrderFailed,
    OrderPlaced,
    OrdersCancelled,
    PaperFilled,
    PositionStopsSet,
    SessionChanged,
)
from console.tui.trading.alert_center import AlertCenter
from console.tui.trading.chases import Chases
from console.tui.trading.flattener import Flattener
from console.tui.trading.host import TradingHost
from console.tui.trading.kill_switch import KillSwitch
from console.tui.trading.ladder_keys import LadderKeys
from console.tui.trading.leverage import LeverageSetter
from console.tui.trading.live_arming import LiveArming
from console.tui.trading.order_commands import OrderCommands
from console.tui.trading.order_flow import OrderFlow
from console.tui.trading.order_mover import OrderMover
from console.tui.trading.paper_sessions import PaperSessions
from console.tui.trading.position_closer import PositionCloser
from console.tui.trading.position_stops import PositionStops
from console.tui.trading.scale_orders import ScaleOrders
from console.tui.trading.stop_keys import StopKeys
from console.tui.trading.stop_orders import last_price
from console.tui.trading.trigger_mover import TriggerMover


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


class TradingController:
    """Order entry, ladder keys, cancels, kill switch, close and flatten, live arming, paper
    sessions and the order command line."""

    def __init__(self, host: TradingHost) -> None:
        self.host = host
        """The app as trading sees it (the replay deck drives it too)."""
        self.live_arming = LiveArming(host)
        self.order_flow = OrderFlow(host, self.live_arming.refusal)
        self.ladder_keys = LadderKeys(host, self.order_flow)
        self.kill_switch = KillSwitch(host)
        self.paper_sessions = PaperSessions(host)
        self.closer = PositionCloser(host, self.order_flow)
        self.flattener = Flattener(host, self.order_flow, self.kill_switch)
        self.position_stops = PositionStops(
            host, self.order_flow.blocked, lambda symbol: last_price(host.market_store, symbol)
        )
        self.stop_keys = StopKeys(host, self.order_flow, self.ladder_keys, self.position_stops)
        self.scale = ScaleOrders(host, self.order_flow, self.ladder_keys)
        self.alerts = AlertCenter(host)
        self.chases = Chases(host, self.order_flow, self.ladder_keys)
        self.commands = OrderCommands(
            host,
            self.order_flow,
            scale=self.scale,
            chases=self.chases,
            position_stops=self.position_stops,
            close=self.closer.close,
            flatten=self.flattener.ask,
            alerts=self.alerts,
        )
        self.order_mover = OrderMover(host, self.order_flow)
        self.order_mover.triggers = TriggerMover(host, self.order_mover, self.position_stops)
        self.leverage = LeverageSetter(host, self.live_arming.refusal)

    # -- what the app tells it ---------------------------------------------------------

    def ladders_shown(self) -> None:
        """Markets are known, or ladders were added or show other symbols: each ladder's
        header shows the size preset in its own market's units."""
        self.ladder_keys.show_size()

    def account_polled(self, orders: Sequence[Order] | None = None) -> None:
        """Paper positions and PnL follow every read of the account; the chases hear of
        their orders."""
        self.paper_sessions.show_positions()
        if orders is not None:
            self.chases.orders_seen(orders)

    def account_streamed(self, message: AccountStreamed) -> None:
        """Each fill the private stream pushed is news: a notification the moment it lands."""
        for position in message.positions:
            if position.leverage is not None:
                self.leverage.known[position.symbol] = position.leverage
        self.fills_arrived(message.new_fills)
        self.chases.orders_seen(message.orders)
        self.chases.fills_seen(message.new_fills)

    def paper_filled(self, message: PaperFilled) -> None:
        """A paper fill is news as a live one is; positions and fills follow at once."""
        self.fills_arrived([message.fill])
        self.paper_sessions.show_positions()
        self.chases.fills_seen([message.fill])

    def fills_arrived(self, fills: Sequence[Fill]) -> None:
        self.alerts.fills(fills)
        for fill in fills:
            self.host.notify(
                f"{fill.side.value.upper()} {fill.size.normalize():f} {fill.symbol} at "
                f"{fill.price.normalize():f} ({fill.liquidity.value}, order {fill.order_id})",
                title="Fill",
            )

    def open_alerts(self) -> None:
        """The Alerts screen: the alerts, arm / disarm / delete / new, and what fired."""
        from console.tui.screens.alerts import AlertsScreen  # not needed for the first frame

        self.host.push_screen(AlertsScreen(self.alerts))

    # -- results of its workers, in the trader's words ---------------------------------

    def order_placed(self, message: OrderPlaced) -> None:
        order = message.order
        limit = None if order.price is None else f"{order.price.normalize():f}"
        if order.trigger_price is None:
            price = "at market" if limit is None else f"at {limit}"
        else:  # a conditional order is not at market yet: it waits for its trigger
            price = order_type_text(order, self.host.markets.get(order.symbol))
            price += "" if limit is None else f", limit {limit}"
        state = order_state_text(order)
        if order.filled and order.average_price is not None:
            state += f" {order.filled.normalize():f} at avg {order.average_price.normalize():f}"
        self.host.notify(
            f"{order.side.value.upper()} {order.quantity.normalize():f} {order.symbol} {price}: "
            f"{state} (id {order.order_id})",
            title="Order placed",
        )

    def order_amended(self, message: OrderAmended) -> None:
        order = message.order
        price = "" if order.price is None else f" at {order.price.normalize():f}"
        self.host.notify(
            f"{order.side.value.upper()} {order.quantity.normalize():f} {order.symbol}{price} "
            f"(id {order.order_id})",
            title="Order moved",
        )

    def leverage_set(self, message: LeverageSet) -> None:
        lev = f"{message.leverage.normalize():f}x"
        said = f"now {lev}" if message.changed else f"already {lev}: unchanged"
        self.host.notify(f"Leverage of {message.symbol} {said}", title="Leverage")
        self.paper_sessions.show_positions()

    def position_stops_set(self, message: PositionStopsSet) -> None:
        set_ = [
            f"{name} {price.normalize():f}" if price else f"{name} removed"
            for name, price in (
                ("take-profit", message.take_profit),
                ("stop-loss", message.stop_loss),
            )
            if price is not None
        ]
        said = ", ".join(set_) if message.changed else "already so: unchanged"
        self.host.notify(f"{message.symbol} position: {said}", title="TP/SL")
        self.paper_sessions.show_positions()
        self.order_flow.refresh()

    def order_failed(self, message: OrderFailed) -> None:
        self.host.notify(message.reason, title="Order refused", severity="error", timeout=10)

    def orders_cancelled(self, message: OrdersCancelled) -> None:
        self.chases.cancelled(message.cancelled)
        if message.cancelled:
            self.host.notify(
                f"{_plural(len(message.cancelled), 'order')} cancelled", title="Cancelled"
            )
        for failure in message.failures:
            self.host.notify(failure, title="Cancel failed", severity="error", timeout=10)

    def kill_switch_changed(self, message: KillSwitchChanged) -> None:
        self.chases.cancelled(message.cancelled)
        self.host.main_screen.show_kill_switch(message.engaged)
        if message.engaged:
            self.host.notify(
                f"Kill switch engaged: {_plural(len(message.cancelled), 'order')} cancelled; "
                f"new orders are blocked until you release it ({self.kill_switch.key()} again)",
                title="Kill switch",
                severity="error",
                timeout=15,
            )
        else:
            self.host.notify(
                "Kill switch released: new orders are accepted again", title="Kill switch"
            )

    def chase_changed(self) -> None:
        self.chases.changed()

    def chase_ended(self, message: ChaseEnded) -> None:
        self.chases.ended(message.outcome)

    def key_info_read(self, message: KeyInfoRead) -> None:
        self.live_arming.open_modal(message.key, message.problem)

    def live_armed(self, message: LiveArmed) -> None:
        self.host.main_screen.show_armed(True)
        self.host.notify("Live trading armed for this run", title="LIVE", severity="warning")

    def session_changed(self, message: SessionChanged) -> None:
        verb = "Resumed" if message.resumed else "Started"
        self.host.notify(f'{verb} practice session #{message.session_id} "{message.name}"')
        self.order_flow.refresh()


__all__ = ["TradingController"]
