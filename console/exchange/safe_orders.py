"""Live order entry that never sends the same order twice and never loses one.

:class:`JournaledTradingVenue` wraps the live venue:

1. every order gets a client order id, and is journaled *before* the request leaves;
2. an answer that says the venue refused it (a reject, 10006 after retries, a ban) marks
   it rejected;
3. anything else that is not an answer (timeout, reset, unreadable reply, cancellation)
   makes it UNKNOWN, and the venue is asked by client order id until the order is found
   or is certainly absent (:class:`~console.exchange.reconcile.NotFoundPolicy`);
4. a duplicate-id reject (110072 / 170141) means an earlier attempt arrived: that order is
   fetched and returned;
5. the create request is never sent again by this class. If an order certainly never
   arrived, the trader is told and may place it again, as a new order.

Order entry stays disabled until start-up reconciliation has compared the journal with
the venue; differences keep it disabled until acknowledged.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Protocol

from console.domain import Balance, Clock, Order, OrderRequest, TradingVenue
from console.exchange.errors import (
    AuthenticationFailed,
    BadSymbol,
    DuplicateClientOrderId,
    ExchangeError,
    InsufficientFunds,
    InvalidOrder,
    RateLimited,
    RequestRejected,
    VenueHalted,
    outcome_unknown,
)
from console.exchange.journal import DuplicateIntent, JournalState, OrderJournal
from console.exchange.live import BatchOutcome, CallThrough, CancelOutcome, LiveTradingVenue
from console.exchange.order_ids import ClientOrderIds
from console.exchange.reconcile import (
    ClientIdLookup,
    NotFoundPolicy,
    OrderReconciler,
    ReconciliationReport,
)

log = logging.getLogger(__name__)

_REFUSALS = (
    RequestRejected,
    InsufficientFunds,
    AuthenticationFailed,
    BadSymbol,
    InvalidOrder,
    RateLimited,
    VenueHalted,
)
"""Errors that mean the venue did not take the order (or it never left)."""


class OrderEntryBlocked(ExchangeError):
    """Live orders are not accepted yet: start-up reconciliation has not run or found
    differences that a human must look at first."""


class OrderNotPlaced(ExchangeError):
    """The request got no answer and the venue, asked repeatedly, never had the order.
    Nothing was placed; placing it again is a new order."""


class JournaledTradingVenue:
    """A ``TradingVenue`` that journals and reconciles every live create.

    Args:
        inner: the live venue that signs and sends.
        journal: where intents are written before sending.
        reconciler: resolves UNKNOWN outcomes by client order id.
        ids: makes client order ids for requests that carry none.
    """

    def __init__(
        self,
        inner: TradingVenue,
        journal: OrderJournal,
        reconciler: OrderReconciler,
        *,
        ids: ClientOrderIds | None = None,
    ) -> None:
        self._inner = inner
        self._journal = journal
        self._reconciler = reconciler
        self._ids = ids or ClientOrderIds()
        self.venue_name = reconciler.venue_name
        self.report: ReconciliationReport | None = None
        """The last start-up reconciliation."""
        self._entry_enabled = False
        self.unanswered = 0
        """Creates whose answer was lost (or a duplicate reject) and were settled by id."""

    def __repr__(self) -> str:
        return f"JournaledTradingVenue({self.venue_name}, entry_enabled={self._entry_enabled})"

    @property
    def entry_enabled(self) -> bool:
        return self._entry_enabled

    @property
    def reconciler(self) -> OrderReconciler:
        return self._reconciler

    async def start(self) -> ReconciliationReport:
        """Reconcile the journal with the venue; enable order entry if nothing differs."""
        self.report = await self._reconciler.reconcile_startup()
        self._entry_enabled = self.report.clean
        for line in self.report.lines():
            (log.info if self.report.clean else log.warning)("%s", line)
        return self.report

    def acknowledge(self) -> None:
        """The trader has read the differences: enable order entry anyway."""
        if self.report is None:
            raise OrderEntryBlocked("Reconcile the journal with the exchange first")
        self._entry_enabled = True

    async def create_order(self, request: OrderRequest) -> Order:
        """Journal, send once, and settle the outcome; see the module docstring.

        Raises:
            OrderEntryBlocked: start-up reconciliation has not enabled entry.
            OrderNotPlaced: no answer, and the venue certainly never had the order.
            StillUnknown: no answer, and the venue could not be asked; stays UNKNOWN.
            ExchangeError: the venue refused the order (journaled as rejected).
        """
        if not self._entry_enabled:
            raise OrderEntryBlocked(
                "Live order entry is disabled until the order journal is reconciled with "
                "the exchange" + ("" if self.report is None else " and its differences reviewed")
            )
        client_order_id = request.client_order_id or self._ids()
        request = request.model_copy(update={"client_order_id": client_order_id})
        try:
            self._journal.record_intent(request, self.venue_name)
        except DuplicateIntent:
            raise InvalidOrder(
                f"Client order id {client_order_id} was used before; ids are never reused"
            ) from None
        try:
            order = await self._inner.create_order(request)
        except DuplicateClientOrderId:
            log.warning("order %s: duplicate id, an earlier attempt arrived", client_order_id)
            return await self._settle_unknown(client_order_id, "duplicate client order id")
        except _REFUSALS as refusal:
            self._journal.mark_rejected(client_order_id, str(refusal))
            raise
        except asyncio.CancelledError:
            self._journal.mark_unknown(client_order_id, "cancelled while in flight")
            raise
        except Exception as error:
            return await self._settle_unknown(client_order_id, str(error) or type(error).__name__)
        self._journal.mark_confirmed(client_order_id, order)
        return order

    async def create_orders(self, requests: list[OrderRequest]) -> list[BatchOutcome]:
        """A batch, journaled order by order before it leaves and settled order by order:
        each order confirmed, rejected (with its own reason) or, when the whole answer was
        lost, looked up by its client order id; nothing is sent twice. Venues without a
        batch endpoint get the orders one by one through :meth:`create_order`."""
        if not self._entry_enabled:
            raise OrderEntryBlocked(
                "Live order entry is disabled until the order journal is reconciled with "
                "the exchange"
            )
        batch = getattr(self._inner, "create_orders", None)
        if batch is None:
            return [await self._one_of_many(request) for request in requests]
        outcomes: list[BatchOutcome | None] = [None] * len(requests)
        sent: list[tuple[int, OrderRequest]] = []
        for index, request in enumerate(requests):
            named = request.model_copy(
                update={"client_order_id": request.client_order_id or self._ids()}
            )
            try:
                self._journal.record_intent(named, self.venue_name)
            except DuplicateIntent:
                outcomes[index] = InvalidOrder(
                    f"Client order id {named.client_order_id} was used before; ids are never reused"
                )
                continue
            sent.append((index, named))
        try:
            answers: list[BatchOutcome] = await batch([named for _, named in sent])
        except _REFUSALS as refusal:
            for index, named in sent:
                self._journal.mark_rejected(named.client_order_id or "", str(refusal))
                outcomes[index] = refusal
            return [o for o in outcomes if o is not None]
        except asyncio.CancelledError:
            for _, named in sent:
                self._journal.mark_unknown(named.client_order_id or "", "cancelled while in flight")
            raise
        except Exception as error:
            reason = str(error) or type(error).__name__
            for index, named in sent:
                outcomes[index] = await self._settled_or_error(named.client_order_id or "", reason)
            return [o for o in outcomes if o is not None]
        for (index, named), answer in zip(sent, answers, strict=True):
            client_order_id = named.client_order_id or ""
            if isinstance(answer, DuplicateClientOrderId):
                answer = await self._settled_or_error(client_order_id, "duplicate client order id")
            elif isinstance(answer, ExchangeError) and outcome_unknown(answer):
                answer = await self._settled_or_error(client_order_id, str(answer))
            elif isinstance(answer, ExchangeError):
                self._journal.mark_rejected(client_order_id, str(answer))
            else:
                self._journal.mark_confirmed(client_order_id, answer)
            outcomes[index] = answer
        return [o for o in outcomes if o is not None]

    async def _one_of_many(self, request: OrderRequest) -> BatchOutcome:
        try:
            return await self.create_order(request)
        except ExchangeError as error:
            return error

    async def _settled_or_error(self, client_order_id: str, reason: str) -> BatchOutcome:
        try:
            return await self._settle_unknown(client_order_id, reason)
        except ExchangeError as error:
            return error

    async def _settle_unknown(self, client_order_id: str, reason: str) -> Order:
        self.unanswered += 1
        self._journal.mark_unknown(client_order_id, reason)
        found = await self._reconciler.resolve(client_order_id)
        if found is None:
            raise OrderNotPlaced(
                f"Order {client_order_id} got no answer ({reason}) and the exchange does not "
                "have it after repeated checks: nothing was placed"
            )
        log.info("order %s: outcome settled as %s", client_order_id, found.status.value)
        return found

    async def cancel_order(self, order_id: str, symbol: str) -> Order:
        return self._remember(await self._inner.cancel_order(order_id, symbol))

    async def cancel_orders(self, symbol: str, order_ids: list[str]) -> list[CancelOutcome]:
        """Cancels through the inner venue's batch where it has one, else one by one; a
        cancel creates nothing, so there is nothing to journal (the journal learns the final
        state when the order is next read)."""
        batch = getattr(self._inner, "cancel_orders", None)
        if batch is not None:
            outcomes: list[CancelOutcome] = await batch(symbol, order_ids)
            return outcomes
        results: list[CancelOutcome] = []
        for order_id in order_ids:
            try:
                await self.cancel_order(order_id, symbol)
            except ExchangeError as error:
                results.append(error)
            else:
                results.append(None)
        return results

    async def fetch_order(self, order_id: str, symbol: str) -> Order:
        return self._remember(await self._inner.fetch_order(order_id, symbol))

    async def fetch_open_orders(self, symbol: str | None = None) -> list[Order]:
        return [self._remember(order) for order in await self._inner.fetch_open_orders(symbol)]

    async def fetch_balance(self) -> list[Balance]:
        return await self._inner.fetch_balance()

    def _remember(self, order: Order) -> Order:
        """Keep the journal's last-known status of confirmed orders current with what the
        venue reports. Unresolved rows are left to the reconciler, which reports them."""
        if order.client_order_id is not None:
            entry = self._journal.get(order.client_order_id)
            if entry is not None and entry.state is JournalState.CONFIRMED:
                self._journal.mark_confirmed(order.client_order_id, order)
        return order


class _ClockResyncable(Protocol):
    clock_resync: Any


class _OpensOrders(Protocol):
    async def fetch_open_orders(self, symbol: str | None = None) -> list[Order]: ...


class OrderSafety:
    """Builds the journaled live venue for an ExchangeClient and runs start-up reconciliation.

    Pass :meth:`build` as the client's ``live_venue_factory``; then ``await start(client)``
    before enabling order entry (the composition root does both).

    Args:
        venue_name: the journal's venue column (``settings.venue``).
        journal: the order journal in the data directory.
        limiter: if it can resync clocks (``clock_resync``), it is given ccxt's (10002).
        ids: makes client order ids.
        policy: when a missing order counts as never placed.
        clock: times misses.
    """

    def __init__(
        self,
        venue_name: str,
        journal: OrderJournal,
        *,
        limiter: object | None = None,
        ids: ClientOrderIds | None = None,
        policy: NotFoundPolicy | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.venue_name = venue_name
        self.journal = journal
        self._limiter = limiter
        self.ids = ids or ClientOrderIds()
        self._policy = policy
        self._clock = clock
        self.venue: JournaledTradingVenue | None = None
        """The journaled venue, once the client has built it."""

    def __repr__(self) -> str:
        return f"OrderSafety({self.venue_name})"

    def build(self, exchange: Any, call: CallThrough) -> JournaledTradingVenue:
        """The client's ``live_venue_factory``."""
        live = LiveTradingVenue(exchange, call, client_order_ids=self.ids)
        reconciler = OrderReconciler(
            self.journal,
            ClientIdLookup(exchange, call),
            live,
            self.venue_name,
            ids=self.ids,
            policy=self._policy,
            clock=self._clock,
        )
        if self._limiter is not None and hasattr(self._limiter, "clock_resync"):
            limiter: _ClockResyncable = self._limiter
            limiter.clock_resync = _ccxt_clock_resync(exchange)
        self.venue = JournaledTradingVenue(live, self.journal, reconciler, ids=self.ids)
        return self.venue

    async def start(self, client: _OpensOrders) -> ReconciliationReport:
        """Reconcile the journal with the venue (building the venue through ``client``)."""
        await client.fetch_open_orders()
        assert self.venue is not None, "the client did not build its live venue"
        return await self.venue.start()


def _ccxt_clock_resync(exchange: Any) -> Any:
    """10002: measure the offset to the venue's clock and sign with it from now on."""

    async def resync() -> None:
        exchange.options["adjustForTimeDifference"] = True
        await exchange.load_time_difference()

    return resync


__all__ = ["JournaledTradingVenue", "OrderEntryBlocked", "OrderNotPlaced", "OrderSafety"]
