"""Asking the venue what became of orders whose answer was lost, and comparing at start-up.

Two jobs, one module, because they share the one rule that matters: "not found" is never
final on the first answer. An order that timed out may not be visible yet (Bybit's order
index lags the matching engine), so a client order id counts as never placed only after
:attr:`NotFoundPolicy.min_misses` misses spread over :attr:`NotFoundPolicy.min_span`
seconds (hummingbot uses 3 misses, nautilus a 5 s threshold).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict

from console.domain import Clock, Order, SystemClock, TradingVenue
from console.exchange import endpoints
from console.exchange.errors import AMBIGUOUS, ExchangeUnavailable, MalformedResponse
from console.exchange.journal import OrderJournal
from console.exchange.live import CallThrough
from console.exchange.order_ids import ClientOrderIds
from console.exchange.parse import parse_order

log = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[None]]

_TRANSIENT = AMBIGUOUS
"""A lookup that failed this way may succeed when asked again."""


@dataclass(frozen=True)
class NotFoundPolicy:
    """When a client order id the venue keeps not finding counts as never placed."""

    min_misses: int = 3
    min_span: float = 5.0
    """Seconds between the first miss and the deciding one."""
    interval: float = 2.5
    """Seconds between lookups (three lookups at this pace span 5 s)."""
    max_transient_failures: int = 10
    """Lookups that fail in transport (not "not found") before giving up for now."""


class OrderLookup(Protocol):
    """Finds one of our orders on the venue by its client order id."""

    async def find_by_client_id(self, client_order_id: str, symbol: str) -> Order | None: ...


class ClientIdLookup:
    """Bybit's lookup by ``orderLinkId``: open orders first, then order history.

    ``order/realtime`` answers open and very recent orders; ``order/history`` the closed
    ones (freqtrade#10708: ccxt's ``fetch_order`` sees only the last 500, so both are
    asked, by client id, never by listing).
    """

    def __init__(self, exchange: Any, call: CallThrough) -> None:
        self._exchange = exchange
        self._call = call

    async def find_by_client_id(self, client_order_id: str, symbol: str) -> Order | None:
        params = {"orderLinkId": client_order_id}
        sources = (
            (endpoints.ORDER_REALTIME, self._exchange.fetch_open_orders),
            (endpoints.ORDER_HISTORY, self._exchange.fetch_canceled_and_closed_orders),
        )
        for endpoint, fetch in sources:

            async def ask(fetch: Callable[..., Awaitable[Any]] = fetch) -> Any:
                return await fetch(symbol, None, None, dict(params))

            raw = await self._call(*endpoint, ask, idempotent=True)
            if raw is not None and not isinstance(raw, list):
                raise MalformedResponse("The exchange sent an order list that is not a list")
            for order in raw or ():
                if not isinstance(order, Mapping):
                    raise MalformedResponse("The exchange sent an order that is not an object")
                if order.get("clientOrderId") == client_order_id:
                    return parse_order(order)
        return None


class StillUnknown(ExchangeUnavailable):
    """The venue could not be asked (network, ban): the order's fate stays unknown."""


class OrderReconciler:
    """Resolves UNKNOWN orders by client order id and reconciles the journal at start-up.

    Args:
        journal: the order journal.
        lookup: asks the venue by client order id.
        venue: lists the venue's open orders (start-up).
        venue_name: the journal's venue column.
        ids: recognises the console's client order ids among the venue's orders.
        policy: when "not found" becomes final.
        clock: times the misses (with the journal's clock).
        sleep: waits between lookups (tests inject one that advances a ManualClock).
    """

    def __init__(
        self,
        journal: OrderJournal,
        lookup: OrderLookup,
        venue: TradingVenue,
        venue_name: str,
        *,
        ids: ClientOrderIds | None = None,
        policy: NotFoundPolicy | None = None,
        clock: Clock | None = None,
        sleep: Sleep | None = None,
    ) -> None:
        self._journal = journal
        self._lookup = lookup
        self._venue = venue
        self.venue_name = venue_name
        self._ids = ids or ClientOrderIds()
        self.policy = policy or NotFoundPolicy()
        self._clock: Clock = clock or SystemClock()
        self._sleep: Sleep = sleep or asyncio.sleep

    @property
    def lookup(self) -> OrderLookup:
        return self._lookup

    async def resolve(self, client_order_id: str) -> Order | None:
        """The venue's copy of the order, or None once it is certain the venue never had it.

        Every answer is journaled (CONFIRMED with the venue's status, or NOT_FOUND).

        Raises:
            StillUnknown: the venue could not be asked often enough; the row stays UNKNOWN.
        """
        entry = self._journal.get(client_order_id)
        if entry is None:
            raise KeyError(f"client order id {client_order_id} is not journaled")
        failures = 0
        while True:
            try:
                found = await self._lookup.find_by_client_id(client_order_id, entry.symbol)
            except _TRANSIENT as error:
                failures += 1
                if failures >= self.policy.max_transient_failures:
                    raise StillUnknown(
                        f"Could not ask the exchange about order {client_order_id}: {error}"
                    ) from None
                await self._sleep(self.policy.interval)
                continue
            if found is not None:
                self._journal.mark_confirmed(client_order_id, found)
                return found
            entry = self._journal.record_miss(client_order_id)
            span = self._clock.now().timestamp() - (entry.first_miss_at or 0.0)
            if entry.misses >= self.policy.min_misses and span >= self.policy.min_span:
                self._journal.mark_not_found(
                    client_order_id,
                    f"not on the exchange after {entry.misses} lookups over {span:.1f} s",
                )
                return None
            await self._sleep(self.policy.interval)

    async def reconcile_startup(self) -> ReconciliationReport:
        """Compare the journal with the venue before order entry is enabled.

        1. every INTENT/UNKNOWN row is resolved by client order id;
        2. every row believed open that the venue no longer lists open is looked up for its
           final state (filled or cancelled while the console was away);
        3. the venue's open orders carrying the console's ids but absent from the journal
           are orphans; those without are foreign (placed elsewhere, left alone).
        """
        unresolved = self._journal.unresolved(self.venue_name)
        outcomes = await asyncio.gather(
            *(self._resolve_quietly(entry.client_order_id) for entry in unresolved)
        )
        found = [
            e.client_order_id
            for e, o in zip(unresolved, outcomes, strict=True)
            if isinstance(o, Order)
        ]
        still_unknown = [
            e.client_order_id for e, o in zip(unresolved, outcomes, strict=True) if o is False
        ]
        never_placed = [
            e.client_order_id for e, o in zip(unresolved, outcomes, strict=True) if o is None
        ]

        open_on_venue = await self._venue.fetch_open_orders()
        open_ids = {order.client_order_id for order in open_on_venue if order.client_order_id}
        closed_since: list[str] = []
        phantom: list[str] = []
        for entry in self._journal.entries(self.venue_name):
            if not entry.believed_open or entry.client_order_id in open_ids:
                continue
            latest = await self._lookup.find_by_client_id(entry.client_order_id, entry.symbol)
            if latest is None:
                phantom.append(entry.client_order_id)
            else:
                self._journal.mark_confirmed(entry.client_order_id, latest)
                closed_since.append(entry.client_order_id)

        orphaned: list[Order] = []
        foreign: list[Order] = []
        for order in open_on_venue:
            known = self._journal.get(order.client_order_id) if order.client_order_id else None
            if known is not None and known.venue == self.venue_name:
                self._journal.mark_confirmed(known.client_order_id, order)
            elif self._ids.is_ours(order.client_order_id):
                orphaned.append(order)
            else:
                foreign.append(order)

        return ReconciliationReport(
            venue=self.venue_name,
            checked_at=self._clock.now(),
            confirmed=tuple(found),
            never_placed=tuple(never_placed),
            still_unknown=tuple(still_unknown),
            closed_since=tuple(closed_since),
            phantom=tuple(phantom),
            orphaned=tuple(orphaned),
            foreign=tuple(foreign),
            open_orders=len(open_on_venue),
        )

    async def _resolve_quietly(self, client_order_id: str) -> Order | bool | None:
        """``resolve`` for a batch: False instead of raising when the venue can't be asked."""
        try:
            return await self.resolve(client_order_id)
        except StillUnknown as error:
            log.warning("%s", error)
            return False


class ReconciliationReport(BaseModel):
    """What start-up reconciliation found; the UI shows :meth:`lines` before trading."""

    model_config = ConfigDict(frozen=True)

    venue: str
    checked_at: datetime
    confirmed: tuple[str, ...] = ()
    """Unanswered orders that did reach the venue (now tracked)."""
    never_placed: tuple[str, ...] = ()
    """Unanswered orders the venue never had (safe to place again, as new orders)."""
    still_unknown: tuple[str, ...] = ()
    """Unanswered orders the venue could not be asked about: trading stays blocked."""
    closed_since: tuple[str, ...] = ()
    """Orders believed open that filled or were cancelled while the console was away."""
    phantom: tuple[str, ...] = ()
    """The journal believes these are open; the venue does not know them."""
    orphaned: tuple[Order, ...] = ()
    """Open on the venue with this console's ids, missing from the journal."""
    foreign: tuple[Order, ...] = ()
    """Open on the venue, placed by something else; reported, never touched."""
    open_orders: int = 0

    @property
    def clean(self) -> bool:
        """Nothing that needs a human: order entry may be enabled at once."""
        return not (self.phantom or self.orphaned or self.still_unknown)

    def lines(self) -> list[str]:
        """The report in the trader's words, one difference per line."""
        lines = [
            f"{self.venue}: {self.open_orders} open order(s) on the exchange; "
            + ("journal agrees" if self.clean else "DIFFERENCES FOUND")
        ]
        groups: Iterable[tuple[str, tuple[Any, ...]]] = (
            ("reached the exchange after all", self.confirmed),
            ("never reached the exchange", self.never_placed),
            ("could not be checked (trading blocked)", self.still_unknown),
            ("closed while the console was away", self.closed_since),
            ("phantom: journal says open, exchange does not know it", self.phantom),
            ("orphaned: open on the exchange, missing from the journal", self.orphaned),
            ("placed elsewhere (left alone)", self.foreign),
        )
        for label, items in groups:
            for item in items:
                name = item if isinstance(item, str) else _describe(item)
                lines.append(f"  {label}: {name}")
        return lines


def _describe(order: Order) -> str:
    price = "market" if order.price is None else f"@ {order.price}"
    return (
        f"{order.client_order_id or order.order_id} {order.side.value} {order.quantity} "
        f"{order.symbol} {price}"
    )


__all__ = [
    "ClientIdLookup",
    "NotFoundPolicy",
    "OrderLookup",
    "OrderReconciler",
    "ReconciliationReport",
    "StillUnknown",
]
