"""The trading actions of :class:`~console.tui.app.ConsoleApp`, as a mixin.

Every method here is one line of glue: a key (see :mod:`.keys`) or a message from a widget
reaches the module that does the job (:mod:`.order_flow`, :mod:`.ladder_keys`,
:mod:`.kill_switch`, :mod:`.live_arming`, :mod:`.paper_sessions`), and each result message
becomes a notification in the trader's words. Textual dispatches messages to handlers
of every class in the app's MRO, so these run alongside the app's own.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, cast

from console.domain import Side
from console.tui.trading.kill_switch import KillSwitch, KillSwitchChanged
from console.tui.trading.ladder_keys import LadderKeys
from console.tui.trading.live_arming import KeyInfoRead, LiveArmed, LiveArming
from console.tui.trading.order_flow import OrderFailed, OrderFlow, OrderPlaced, OrdersCancelled
from console.tui.trading.paper_sessions import PaperSessions, SessionChanged
from console.tui.widgets.open_orders import OpenOrdersTable
from console.tui.widgets.status_bar import StatusBar

if TYPE_CHECKING:
    from console.tui.app import AccountPolled, ConsoleApp, MarketsLoaded


class TradingActions:
    """Order entry, ladder keys, cancels, kill switch, live arming and paper sessions."""

    @property
    def _console(self) -> ConsoleApp:
        return cast("ConsoleApp", self)

    @cached_property
    def live_arming(self) -> LiveArming:
        return LiveArming(self._console)

    @cached_property
    def order_flow(self) -> OrderFlow:
        return OrderFlow(self._console, self.live_arming.refusal)

    @cached_property
    def ladder_keys(self) -> LadderKeys:
        return LadderKeys(self._console, self.order_flow)

    @cached_property
    def kill_switch(self) -> KillSwitch:
        return KillSwitch(self._console)

    @cached_property
    def paper_sessions(self) -> PaperSessions:
        return PaperSessions(self._console)

    # -- keys ------------------------------------------------------------------------

    def action_new_order(self) -> None:
        self.order_flow.open_form(self.ladder_keys.form_draft())

    def action_buy_at_cursor(self) -> None:
        self.ladder_keys.at_cursor(Side.BUY)

    def action_sell_at_cursor(self) -> None:
        self.ladder_keys.at_cursor(Side.SELL)

    def action_join_bid(self) -> None:
        self.ladder_keys.join(Side.BUY)

    def action_join_ask(self) -> None:
        self.ladder_keys.join(Side.SELL)

    def action_improve_bid(self) -> None:
        self.ladder_keys.improve(Side.BUY)

    def action_improve_ask(self) -> None:
        self.ladder_keys.improve(Side.SELL)

    def action_cancel_at_cursor(self) -> None:
        self.ladder_keys.cancel_at_cursor()

    def action_size_up(self) -> None:
        self.ladder_keys.change_size(+1)

    def action_size_down(self) -> None:
        self.ladder_keys.change_size(-1)

    def action_focus_orders(self) -> None:
        self._console.main_screen.panels.show_tab("orders")
        self._console.main_screen.query_one(OpenOrdersTable).focus()

    def action_kill_switch(self) -> None:
        self.kill_switch.toggle()

    def action_arm_live(self) -> None:
        self.live_arming.arm()

    def action_practice_session(self) -> None:
        self.paper_sessions.start_or_resume()

    def action_session_summary(self) -> None:
        self.paper_sessions.show_summary()

    def action_explain_fill(self) -> None:
        self.paper_sessions.pick_fill()

    # -- messages up from the open-orders table --------------------------------------

    def on_open_orders_table_cancel_requested(
        self, message: OpenOrdersTable.CancelRequested
    ) -> None:
        message.stop()
        self.order_flow.cancel([(message.order_id, message.symbol)])

    def on_open_orders_table_cancel_all_requested(
        self, message: OpenOrdersTable.CancelAllRequested
    ) -> None:
        message.stop()
        self.order_flow.cancel_all()

    # -- results from the workers ----------------------------------------------------

    def on_order_placed(self, message: OrderPlaced) -> None:
        order = message.order
        price = "at market" if order.price is None else f"at {order.price.normalize():f}"
        state = order.status.value.replace("_", " ")
        if order.filled and order.average_price is not None:
            state += f" {order.filled.normalize():f} at avg {order.average_price.normalize():f}"
        self._console.notify(
            f"{order.side.value.upper()} {order.quantity.normalize():f} {order.symbol} {price}: "
            f"{state} (id {order.order_id})",
            title="Order placed",
        )

    def on_order_failed(self, message: OrderFailed) -> None:
        self._console.notify(message.reason, title="Order refused", severity="error", timeout=10)

    def on_orders_cancelled(self, message: OrdersCancelled) -> None:
        app = self._console
        if message.cancelled:
            count = len(message.cancelled)
            app.notify(f"{count} order{'' if count == 1 else 's'} cancelled", title="Cancelled")
        for failure in message.failures:
            app.notify(failure, title="Cancel failed", severity="error", timeout=10)

    def on_kill_switch_changed(self, message: KillSwitchChanged) -> None:
        app = self._console
        app.main_screen.query_one(StatusBar).show_kill_switch(message.engaged)
        if message.engaged:
            count = len(message.cancelled)
            app.notify(
                f"Kill switch engaged: {count} order{'' if count == 1 else 's'} cancelled; "
                f"new orders are blocked until you release it ({self.kill_switch.key()} again)",
                title="Kill switch",
                severity="error",
                timeout=15,
            )
        else:
            app.notify("Kill switch released: new orders are accepted again", title="Kill switch")

    def on_key_info_read(self, message: KeyInfoRead) -> None:
        self.live_arming.open_modal(message.key, message.problem)

    def on_live_armed(self, message: LiveArmed) -> None:
        app = self._console
        app.main_screen.query_one(StatusBar).show_armed(True)
        app.notify("Live trading armed for this run", title="LIVE", severity="warning")

    def on_session_changed(self, message: SessionChanged) -> None:
        verb = "Resumed" if message.resumed else "Started"
        self._console.notify(f'{verb} practice session #{message.session_id} "{message.name}"')
        self.order_flow.refresh()

    def _on_account_polled(self, message: AccountPolled) -> None:
        """Runs beside the app's own handler: paper positions and PnL with every poll."""
        self.paper_sessions.show_positions()

    def _on_markets_loaded(self, message: MarketsLoaded) -> None:
        """Runs beside the app's own handler: show the size preset once markets are known."""
        self._console.call_after_refresh(self.ladder_keys.show_size)


__all__ = ["TradingActions"]
