"""Runs one chase order: wakes on its symbol's book updates, asks :mod:`console.domain.chase`
what to do, and does it (one amend at a time) until the order fills, is cancelled, or the
chase stops.

The runner is a :class:`~console.domain.MarketEventListener` on the streamer while it runs:
a book update only sets an event, so a burst of updates costs one decision, made on the
latest book (the coalescing). It also wakes on a short poll, because a stream that drops
sends nothing to say so; the book it then reads is flagged stale, and the chase holds, then
stops if the book stays untrusted past the grace.

What happens to the order outside the chase (a fill, the trader's cancel, the kill switch)
reaches it through :meth:`ChaseRunner.order_news`, fed from the account updates the console
already gets; the runner reads the order back only when told something changed, so a quiet
chase costs no requests but its amends.

Amends are sent through the mode's own amend (the paper engine's, or
:meth:`ExchangeClient.amend_order <console.exchange.client.ExchangeClient.amend_order>`,
which sends once and reads a lost answer back). A post-only amend that would take is
re-priced at the new touch once: the paper engine refuses such an amend; the venue (Bybit,
the simulator) cancels the order instead, and the chase then places it again at the new
touch, once, through the client (journaled live, like every order).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Literal, Protocol

from console.domain import (
    Clock,
    DepthSnapshot,
    Market,
    MarketEventListener,
    Order,
    OrderRefused,
    OrderRequest,
    OrderStatus,
    OrderType,
    RateLimitStatus,
    TimeInForce,
    Trade,
    UnknownOrder,
)
from console.domain.chase import (
    Amend,
    ChaseEnd,
    ChaseLimits,
    ChaseState,
    Hold,
    Stop,
    StopCause,
    WaitUntil,
    after_would_cross,
    budget_wait,
    decide,
    stream_lost,
    touch,
)
from console.exchange import endpoints
from console.exchange.amend import AmendNotApplied
from console.exchange.bybit_parse import cut_as_post_only
from console.exchange.errors import ExchangeError, RateLimited

log = logging.getLogger(__name__)

WOULD_TAKE_RULES = frozenset({"amend_would_take", "post_only_would_take"})
"""The paper engine's refusals of a post-only price that would take (``OrderRefused.rule``)."""
POLL_SECONDS = 0.25
"""How often a quiet chase looks at its book anyway: a dropped stream sends no update."""
StreamLoss = Literal["leave", "cancel"]


class ChaseOrders(Protocol):
    """Placing, cancelling and reading orders (the ``ExchangeClient``, routed by mode)."""

    async def create_order(self, request: OrderRequest) -> Order: ...

    async def cancel_order(self, order_id: str, symbol: str) -> Order: ...

    async def fetch_order(self, order_id: str, symbol: str) -> Order: ...


class Amender(Protocol):
    """Moving a resting order: the paper engine's ``amend_order``, or the client's."""

    async def amend_order(
        self,
        order_id: str,
        symbol: str,
        *,
        price: Decimal | None = None,
        quantity: Decimal | None = None,
    ) -> Order: ...


class ChaseBooks(Protocol):
    """The streamer: the latest book, and listeners told when it changes."""

    def get_depth_snapshot(self, symbol: str) -> DepthSnapshot | None: ...

    def add_listener(self, listener: MarketEventListener) -> None: ...

    def remove_listener(self, listener: MarketEventListener) -> None: ...


@dataclass(frozen=True)
class ChaseOutcome:
    """How a chase ended, for the trader's notice.

    Attributes:
        end: filled, cancelled, or stopped (the chase stopped following).
        reason: the trader's words for why (empty when filled).
        order: the order as last known (None when it could not be read).
        amends: amends the venue applied over the chase.
        cause: why it stopped (``end`` STOPPED only).
        resting: the order still rests on the book (stopped and left).
    """

    end: ChaseEnd
    reason: str
    order: Order | None
    amends: int
    cause: StopCause | None = None
    resting: bool = False


class ChaseRunner:
    """Follows the touch with one order until it fills, is cancelled, or must stop.

    Args:
        order: the post-only limit just placed at the touch.
        market: its market (the tick the chase's bound is rounded onto).
        orders: places (the one re-price after a post-only cancel), cancels and reads orders.
        amender: moves the order.
        books: the streamer.
        rate_limits: the limiter's status now (``ExchangeClient.get_rate_limiter_status``).
        clock: monotonic time for the amend interval, wall time for the limiter's resets.
        limits: the trader's bounds (``Settings.chase``).
        on_stream_loss: leave the order resting, or cancel it, when the stream is lost.
        on_change: told after every amend or re-price (the ladder's mark follows).
        poll: seconds between looks at a quiet book.
    """

    def __init__(
        self,
        order: Order,
        market: Market,
        *,
        orders: ChaseOrders,
        amender: Amender,
        books: ChaseBooks,
        rate_limits: Callable[[], list[RateLimitStatus]],
        clock: Clock,
        limits: ChaseLimits,
        on_stream_loss: StreamLoss = "leave",
        on_change: Callable[[ChaseRunner], None] | None = None,
        poll: float = POLL_SECONDS,
    ) -> None:
        if order.price is None:
            raise ValueError("a chase starts from a limit order")
        self.order = order
        self.state = ChaseState.start(
            order.symbol,
            order.side,
            order.quantity,
            order.price,
            tick_size=market.tick_size,
            limits=limits,
        )
        self._orders = orders
        self._amender = amender
        self._books = books
        self._rate_limits = rate_limits
        self._clock = clock
        self._limits = limits
        self._on_stream_loss = on_stream_loss
        self._on_change = on_change
        self._poll = poll
        self._wake = asyncio.Event()
        self._read_back = False
        self._known_final: Order | None = None

    @property
    def symbol(self) -> str:
        return self.order.symbol

    # -- told from outside ---------------------------------------------------------------

    def on_book_update(self, symbol: str) -> None:
        if symbol == self.order.symbol:
            self._wake.set()

    def on_trades(self, symbol: str, trades: Sequence[Trade]) -> None:
        """Prints do not move the touch; the book update that follows them does."""

    def order_news(self, order: Order | None = None) -> None:
        """Something may have happened to the order: ``order`` as an account update showed
        it, or None when it is gone from the open orders or a fill of it arrived (it is read
        back before the next decision)."""
        if order is not None and order.order_id != self.order.order_id:
            return
        if order is not None and order.status.is_final:
            self._known_final = order
        elif order is not None:
            if order.filled != self.order.filled:
                self.order = self.order.model_copy(
                    update={"filled": order.filled, "status": order.status}
                )
            return
        else:
            self._read_back = True
        self._wake.set()

    # -- the loop ------------------------------------------------------------------------

    async def run(self) -> ChaseOutcome:
        """Chase until the end; listens to the book only meanwhile."""
        self._books.add_listener(self)
        try:
            return await self._chase()
        finally:
            self._books.remove_listener(self)

    async def _chase(self) -> ChaseOutcome:
        while True:
            timeout = self._poll
            ended = await self._order_ended()
            if ended is not None:
                return ended
            book = self._books.get_depth_snapshot(self.symbol)
            wait = budget_wait(
                self._rate_limits(), self._clock.now(), endpoint=endpoints.ORDER_AMEND.path
            )
            now = self._clock.monotonic()
            self.state = self.state.book_seen(book, now)
            decision = decide(self.state, book, now=now, limits=self._limits, budget_wait=wait)
            match decision:
                case Stop():
                    return await self._stop(decision)
                case Amend(price=price):
                    ended = await self._amend(price)
                    if ended is not None:
                        return ended
                    continue  # the touch may have moved again meanwhile
                case WaitUntil(at=at):
                    timeout = min(max(at - now, 0.01), self._poll)
                case Hold():
                    pass
            await self._sleep(timeout)

    async def _sleep(self, seconds: float) -> None:
        """Until a book update or order news, or ``seconds`` at most."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), seconds)
        self._wake.clear()

    async def _order_ended(self) -> ChaseOutcome | None:
        """The order's end, when news said it may have come (read back if need be)."""
        order = self._known_final
        self._known_final = None
        if order is None and self._read_back:
            self._read_back = False
            order = await self._read()
        if order is None:
            return None
        if not order.status.is_final:
            self._adopt(order)
            return None
        return await self._final(order)

    async def _read(self) -> Order | None:
        """The order as the venue has it now; None when it cannot be read (tried again on
        the next news, and the chase goes on meanwhile)."""
        try:
            return await self._orders.fetch_order(self.order.order_id, self.symbol)
        except (ExchangeError, UnknownOrder) as error:
            log.warning("chase of %s: order not readable: %s", self.order.order_id, error)
            return None

    def _adopt(self, order: Order) -> None:
        """An open order as read: its fills, and its price if someone else moved it."""
        self.order = order
        if order.price is not None and order.price != self.state.price:
            self.state = replace(self.state, price=order.price)

    async def _final(self, order: Order) -> ChaseOutcome | None:
        """The order ended: filled, cancelled, or cut by the venue as a post-only that would
        take (then placed again at the new touch, once)."""
        self.order = order
        if order.status is OrderStatus.FILLED:
            return self._outcome(ChaseEnd.FILLED, "")
        if cut_as_post_only(order):
            return await self._place_again()
        why = order.reason or ("rejected" if order.status is OrderStatus.REJECTED else "")
        return self._outcome(ChaseEnd.CANCELLED, why)

    # -- doing what was decided ----------------------------------------------------------

    async def _amend(self, price: Decimal) -> ChaseOutcome | None:
        self.state = self.state.sent(self._clock.monotonic())
        try:
            order = await self._amender.amend_order(self.order.order_id, self.symbol, price=price)
        except OrderRefused as refused:  # the paper engine's refusal: the order is unchanged
            if refused.rule in WOULD_TAKE_RULES:
                return self._would_cross()
            return await self._refused(refused.reason)
        except AmendNotApplied:
            self.state = self.state.unanswered()  # unchanged on the venue: try again later
            return None
        except RateLimited as limited:
            self.state = self.state.unanswered()
            await asyncio.sleep(limited.retry_after or self._limits.min_interval)
            return None
        except (ExchangeError, UnknownOrder) as error:
            return await self._refused(str(error))
        if order.status.is_final:
            self.state = self.state.unanswered()
            return await self._final(order)
        self.order = order
        self.state = self.state.amended(order.price if order.price is not None else price)
        self._changed()
        return None

    def _would_cross(self) -> ChaseOutcome | None:
        after = after_would_cross(self.state)
        if isinstance(after, Stop):
            return self._outcome(ChaseEnd.STOPPED, after.reason, after.cause, resting=True)
        self.state = after
        return None

    async def _refused(self, reason: str) -> ChaseOutcome | None:
        """An amend refused for another reason, or whose outcome stayed unknown: the order
        may have ended meanwhile (a fill, a cancel); otherwise the chase stops and the order
        rests where the venue has it."""
        self.state = self.state.unanswered()
        order = await self._read()
        if order is not None and order.status.is_final:
            return await self._final(order)
        return self._outcome(
            ChaseEnd.STOPPED, f"the amend failed: {reason}", StopCause.REFUSED, resting=True
        )

    async def _place_again(self) -> ChaseOutcome | None:
        """The venue cancelled the post-only order as it would have taken: place the rest
        once more at the touch now, unless that was already done (then stop). None: placed,
        the chase goes on with the new order."""
        after = after_would_cross(self.state)
        if isinstance(after, Stop):
            return self._outcome(ChaseEnd.STOPPED, after.reason, after.cause)
        book = self._books.get_depth_snapshot(self.symbol)
        price = None if stream_lost(book) or book is None else touch(self.state.side, book)
        if price is None:
            return self._outcome(
                ChaseEnd.STOPPED,
                "the venue cancelled the post-only order and the touch is not known now",
                StopCause.STREAM,
            )
        old = self.order
        request = OrderRequest(
            symbol=old.symbol,
            side=old.side,
            type=OrderType.LIMIT,
            quantity=old.remaining if old.filled else old.quantity,
            price=price,
            time_in_force=TimeInForce.POST_ONLY,
            reduce_only=old.reduce_only,
        )
        try:
            order = await self._orders.create_order(request)
        except ExchangeError as error:
            return self._outcome(
                ChaseEnd.STOPPED,
                f"the venue cancelled the post-only order and placing it again failed: {error}",
                StopCause.REJECTED,
            )
        self.order = order
        self.state = after.replaced(price)
        self._changed()
        if order.status.is_final:
            return await self._final(order)
        return None

    async def _stop(self, stop: Stop) -> ChaseOutcome:
        """Stop chasing; on a lost stream, cancel the order when the trader chose that."""
        if stop.cause is not StopCause.STREAM or self._on_stream_loss == "leave":
            return self._outcome(ChaseEnd.STOPPED, stop.reason, stop.cause, resting=True)
        try:
            order = await self._orders.cancel_order(self.order.order_id, self.symbol)
        except (ExchangeError, UnknownOrder) as error:
            return self._outcome(
                ChaseEnd.STOPPED,
                f"{stop.reason}; cancelling the order failed ({error}): it may still rest",
                stop.cause,
                resting=True,
            )
        self.order = order
        if order.status is OrderStatus.FILLED:
            return self._outcome(ChaseEnd.FILLED, "")
        return self._outcome(
            ChaseEnd.STOPPED, f"{stop.reason}; the order was cancelled", stop.cause
        )

    def _outcome(
        self, end: ChaseEnd, reason: str, cause: StopCause | None = None, *, resting: bool = False
    ) -> ChaseOutcome:
        return ChaseOutcome(end, reason, self.order, self.state.amends, cause, resting)

    def _changed(self) -> None:
        if self._on_change is not None:
            self._on_change(self)


__all__ = ["Amender", "ChaseBooks", "ChaseOrders", "ChaseOutcome", "ChaseRunner", "StreamLoss"]
