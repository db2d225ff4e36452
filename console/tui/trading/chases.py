"""Chase orders in the console: started from a key or the command line, each followed by its
runner, marked on the ladder, and told when it ends.

``h`` / ``H`` (or ``chase buy 0.01 [btc]``) make a post-only limit at the best bid (ask) now,
at the ladder's size preset (or the command's quantity), and hand it to the order path every
order takes (:meth:`OrderFlow.submit_draft
<console.tui.trading.order_flow.OrderFlow.submit_draft>`: the checks, the risk gate, the
confirmation with a row saying what the chase will do, one send, the journal). Once the
venue accepted it, a :class:`~console.exchange.chase_runner.ChaseRunner` follows the touch in
a worker. The ladder marks the order's line ``CHASE 0.01 (3 amends)``; a chase that stopped
with its order left resting keeps a ``CHASE … stopped`` mark until the order leaves the
open orders. Fills, cancels (the cancel keys, cancel all, the kill switch) and the account
updates reach the runners through the controller, so cancelling the order ends its chase.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from textual.notifications import SeverityLevel

from console.domain import Fill, Order, OrderStatus, OrderType, Side, TimeInForce
from console.domain.chase import ChaseEnd, ChaseLimits, chase_bound, stream_lost, touch
from console.domain.order_command import ChaseOrder
from console.tui.forms.amounts import plain_amount
from console.tui.forms.order_draft import OrderDraft
from console.tui.messages import ChaseChanged, ChaseEnded
from console.tui.widgets.ladder import LadderMark

if TYPE_CHECKING:
    from console.exchange.chase_runner import ChaseOutcome, ChaseRunner
    from console.tui.trading.host import TradingHost
    from console.tui.trading.ladder_keys import LadderKeys
    from console.tui.trading.order_flow import OrderFlow

log = logging.getLogger(__name__)

MARKS = "chase"
"""The ladder's mark set the chases own."""
_FOLLOWABLE = (OrderStatus.PENDING, OrderStatus.OPEN, OrderStatus.PARTIALLY_FILLED)
"""A live venue acknowledges a new order as pending: it is followed as an open one."""


class Chases:
    """The chase orders of this run."""

    def __init__(self, host: TradingHost, flow: OrderFlow, keys: LadderKeys) -> None:
        self._host = host
        self._flow = flow
        self._keys = keys
        self.running: list[ChaseRunner] = []
        """Chases following their order now."""
        self._left: dict[str, tuple[str, Decimal, str]] = {}
        """Stopped chases whose order still rests: order id -> (symbol, price, mark)."""

    @property
    def limits(self) -> ChaseLimits:
        chase = self._host.settings.chase
        return ChaseLimits(chase.max_distance_pct, chase.min_amend_interval, chase.stream_grace_s)

    # -- starting ------------------------------------------------------------------------

    def from_ladder(self, side: Side) -> None:
        """``h`` / ``H``: chase at the focused ladder's size preset."""
        symbol = self._host.main_screen.focused_ladder().symbol
        market = self._host.markets.get(symbol)
        if market is None:
            self._host.notify(f"No order book for {symbol} yet", severity="warning")
            return
        price = self._touch(symbol, side)
        if isinstance(price, str):
            self._host.notify(price, title="Chase not started", severity="warning", timeout=8)
            return
        self._keys.show_size()
        quantity = self._keys.preset.quantity(market, price)
        self._submit(self._draft(symbol, side, quantity, price, reduce_only=False))

    def draft(self, command: ChaseOrder) -> OrderDraft | str:
        """The command's order: post-only at the touch now, or why there is none."""
        price = self._touch(command.symbol, command.side)
        if isinstance(price, str):
            return price
        return self._draft(
            command.symbol, command.side, command.quantity, price, reduce_only=command.reduce_only
        )

    def run_command(self, command: ChaseOrder) -> None:
        """``chase buy 0.01 [btc] [reduce]``."""
        draft = self.draft(command)
        if isinstance(draft, str):
            self._host.notify(draft, title="Chase not started", severity="warning", timeout=8)
            return
        self._submit(draft)

    def _touch(self, symbol: str, side: Side) -> Decimal | str:
        book = self._host.market_store.book(symbol)
        if stream_lost(book):
            return f"No chase on {symbol}: its book is not live (stale, resyncing or not loaded)"
        assert book is not None
        price = touch(side, book)
        if price is None:
            best = "bid" if side is Side.BUY else "ask"
            return f"No chase on {symbol}: the book has no best {best}"
        return price

    @staticmethod
    def _draft(
        symbol: str, side: Side, quantity: Decimal, price: Decimal, *, reduce_only: bool
    ) -> OrderDraft:
        return OrderDraft(
            symbol=symbol,
            side=side,
            type=OrderType.LIMIT,
            quantity=plain_amount(quantity),
            price=plain_amount(price),
            time_in_force=TimeInForce.POST_ONLY,
            reduce_only=reduce_only,
        )

    def _submit(self, draft: OrderDraft) -> None:
        self._flow.submit_draft(draft, placed=self._placed, note=("Chase", self._plan(draft)))

    def _plan(self, draft: OrderDraft) -> str:
        """What the chase will do, for the confirmation."""
        settings = self._host.settings.chase
        market = self._host.markets.get(draft.symbol)
        best = "bid up" if draft.side is Side.BUY else "ask down"
        loss = "leave the order" if settings.on_stream_loss == "leave" else "cancel the order"
        limit = f"{settings.max_distance_pct.normalize():f}% from the start"
        if market is not None:
            bound = chase_bound(
                draft.side, Decimal(draft.price), settings.max_distance_pct, market.tick_size
            )
            limit = f"{plain_amount(bound)} ({limit})"
        return (
            f"follows the best {best} to {limit}, an amend every "
            f"{settings.min_amend_interval:g} s at most; stream lost: {loss}"
        )

    def _placed(self, order: Order) -> None:
        """The venue took the order: follow it (called in the send worker, on the loop)."""
        from console.exchange.chase_runner import ChaseRunner

        services = self._host.services
        market = self._host.markets.get(order.symbol)
        if services is None or services.streamer is None or market is None:
            return
        if order.price is None or order.status not in _FOLLOWABLE:
            self._host.notify(
                f"Order {order.order_id} is {order.status.value}: nothing to chase",
                title="Chase not started",
                severity="warning",
            )
            return
        settings = self._host.settings.chase
        runner = ChaseRunner(
            order,
            market,
            orders=services.client,
            amender=services.paper if services.paper is not None else services.client,
            books=services.streamer,
            rate_limits=services.client.get_rate_limiter_status,
            clock=self._host.clock,
            limits=self.limits,
            on_stream_loss=settings.on_stream_loss,
            on_change=self._moved,
        )
        self.running.append(runner)
        self._host.post_message(ChaseChanged())
        self._host.run_worker(self._run(runner), name="chase", group="chases", exit_on_error=False)

    def _moved(self, runner: ChaseRunner) -> None:
        self._host.post_message(ChaseChanged())

    async def _run(self, runner: ChaseRunner) -> None:
        from console.domain.chase import StopCause
        from console.exchange.chase_runner import ChaseOutcome

        try:
            outcome = await runner.run()
        except Exception as error:  # the last line of defence: words, not a traceback
            log.exception("chase of %s failed", runner.order.order_id)
            outcome = ChaseOutcome(
                ChaseEnd.STOPPED,
                f"the chase failed ({type(error).__name__}); the order may still rest",
                runner.order,
                runner.state.amends,
                StopCause.REFUSED,
                resting=True,
            )
        finally:
            if runner in self.running:
                self.running.remove(runner)
        self._host.post_message(ChaseEnded(outcome))

    # -- what the console tells it -------------------------------------------------------

    def orders_seen(self, orders: Sequence[Order]) -> None:
        """The open orders as an account update lists them: each chase's order, or news
        that it is gone (filled or cancelled: the runner reads it back)."""
        by_id = {order.order_id: order for order in orders}
        for runner in self.running:
            runner.order_news(by_id.get(runner.order.order_id))
        gone = [order_id for order_id in self._left if order_id not in by_id]
        for order_id in gone:
            del self._left[order_id]
        if gone:
            self.show_marks()

    def fills_seen(self, fills: Sequence[Fill]) -> None:
        filled = {fill.order_id for fill in fills}
        for runner in self.running:
            if runner.order.order_id in filled:
                runner.order_news()

    def cancelled(self, orders: Sequence[Order]) -> None:
        """Orders the cancel keys, cancel all or the kill switch cancelled: their chases end."""
        for order in orders:
            for runner in self.running:
                runner.order_news(order)
            self._left.pop(order.order_id, None)
        self.show_marks()

    def changed(self) -> None:
        self.show_marks()

    def ended(self, outcome: ChaseOutcome) -> None:
        """Say how the chase ended; a stopped chase whose order rests keeps a mark."""
        order = outcome.order
        if outcome.resting and order is not None and order.price is not None:
            label = f"CHASE {order.quantity.normalize():f} stopped"
            self._left[order.order_id] = (order.symbol, order.price, label)
        self.show_marks()
        title, text, severity = describe_end(outcome)
        self._host.notify(text, title=title, severity=severity, timeout=15)

    def show_marks(self) -> None:
        screen = self._host.open_screen()
        if screen is None:
            return
        for ladder in screen.ladders:
            marks = [
                LadderMark(runner.state.price, runner.state.label())
                for runner in self.running
                if runner.symbol == ladder.symbol
            ]
            marks += [
                LadderMark(price, label)
                for symbol, price, label in self._left.values()
                if symbol == ladder.symbol
            ]
            ladder.set_marks(MARKS, marks)


def describe_end(outcome: ChaseOutcome) -> tuple[str, str, SeverityLevel]:
    """The notice of a chase's end: title, text and severity."""
    order = outcome.order
    amends = f"{outcome.amends} amend{'' if outcome.amends == 1 else 's'}"
    if order is None:
        return "Chase stopped", f"{outcome.reason} (after {amends})", "warning"
    what = f"{order.side.value.upper()} {order.quantity.normalize():f} {order.symbol}"
    ident = f"(order {order.order_id}, {amends})"
    if outcome.end is ChaseEnd.FILLED:
        price = order.average_price or order.price
        at = "" if price is None else f" at {price.normalize():f}"
        return "Chase filled", f"{what} filled{at} {ident}", "information"
    if outcome.end is ChaseEnd.CANCELLED:
        why = f": {outcome.reason}" if outcome.reason else ""
        return "Chase ended", f"{what}: the order was cancelled{why} {ident}", "information"
    rests = (
        f" The order rests at {order.price.normalize():f}."
        if outcome.resting and order.price is not None
        else ""
    )
    return "Chase stopped", f"{what}: stopped chasing: {outcome.reason} {ident}.{rests}", "warning"


__all__ = ["MARKS", "Chases", "describe_end"]
