"""The live account as one consistent picture: orders, fills, positions and balances.

Two sources feed it: pushes from a private stream and snapshots read over REST after every
(re)connect. Either may be older than what the view already holds, so every update says how
new it is and the view keeps the newest:

- a fill is keyed by its id: the same execution seen twice (pushed, then listed by the
  rebuild) counts once, and one missed by the stream is added by the rebuild;
- an order is replaced only by a state at least as far along (update time, then filled
  quantity, then a final status over an open one): several changes share a millisecond;
- a position by a higher or equal venue sequence (Bybit ``seq`` moves with each fill);
- balances as a whole, by the time they were read.

A live session runs for days, so the view keeps what it needs, not everything: every open
order and the newest finished ones (:data:`KEPT_FINISHED_ORDERS`), and the newest fills by
execution time (:data:`KEPT_FILLS`). A fill is still recognised as a duplicate while it is
among those kept, which covers what a rebuild lists again (it asks from a few seconds before
the newest fill); a fill older than every kept one, when the view is full, is not taken
back: it is one trimmed, or history older than what the view keeps. Fills are numbered as
they arrive (:attr:`AccountView.fills_added`), so a reader can ask for those after the last
it saw (:meth:`AccountView.fills_after`) however many were trimmed since.
"""

from __future__ import annotations

import heapq
import itertools
from collections import OrderedDict
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal

from console.domain.account import Balance
from console.domain.orders import Fill, Order
from console.domain.positions import Position

KEPT_FINISHED_ORDERS = 500
"""Finished orders the view keeps (the newest to finish); open orders are all kept."""
KEPT_FILLS = 2000
"""Fills the view keeps, the newest by execution time."""


def _progress(order: Order) -> tuple[float, Decimal, bool]:
    updated = order.updated_at.timestamp() if order.updated_at is not None else 0.0
    return updated, order.filled, order.status.is_final


class AccountView:
    """Orders by id, fills by id (arrival order), positions by symbol, balances by currency.

    Args:
        kept_finished_orders: finished orders kept, the newest to finish.
        kept_fills: fills kept, the newest by execution time.
    """

    def __init__(
        self, *, kept_finished_orders: int = KEPT_FINISHED_ORDERS, kept_fills: int = KEPT_FILLS
    ) -> None:
        if kept_finished_orders < 0 or kept_fills < 1:
            raise ValueError(
                f"the view keeps at least one fill and no negative count of orders, "
                f"not kept_fills={kept_fills}, kept_finished_orders={kept_finished_orders}"
            )
        self._kept_finished_orders = kept_finished_orders
        self._kept_fills = kept_fills
        self.orders: dict[str, Order] = {}
        """Every open order and the newest finished ones (read only: change by apply_order)."""
        self._finished: OrderedDict[str, None] = OrderedDict()
        """Ids of the finished orders held, oldest to finish first (a plain dict slows as its
        first entries are deleted: finding the new first one steps over their slots)."""
        self.fills: dict[str, Fill] = {}
        """The newest fills, in arrival order (read only: change by add_fill)."""
        self._fill_numbers: dict[str, int] = {}
        """Each held fill's arrival number (1 for the first the view took)."""
        self._fill_ages: list[tuple[datetime, int, str]] = []
        """A heap of the held fills, oldest execution first (then first to arrive)."""
        self.fills_added = 0
        """Fills taken so far, trimmed or not: the arrival number of the newest."""
        self.positions: dict[str, Position] = {}
        self.balances: dict[str, Balance] = {}
        self.balances_at: float = 0.0
        """Epoch seconds of the balances held (push creation time or REST read time)."""
        self.duplicate_fills = 0
        """Fills seen again (a push the rebuild had already listed, or the reverse)."""
        self.old_fills = 0
        """Fills not taken for being older than every fill held in a full view."""

    def __repr__(self) -> str:
        return (
            f"AccountView(orders={len(self.orders)}, fills={len(self.fills)}, "
            f"positions={len(self.positions)})"
        )

    def apply_order(self, order: Order) -> bool:
        """Keep ``order`` if it is at least as far along as the one held; True if kept."""
        order_id = order.order_id
        held = self.orders.get(order_id)
        if held is not None and _progress(order) < _progress(held):
            return False
        self.orders[order_id] = order
        finished = self._finished
        finished.pop(order_id, None)
        if order.status.is_final:
            finished[order_id] = None
            while len(finished) > self._kept_finished_orders:
                oldest, _ = finished.popitem(last=False)
                del self.orders[oldest]
        return True

    def add_fill(self, fill: Fill) -> bool:
        """Add an execution once; True when it was new.

        One held already is a duplicate; one older than every fill held, when the view is
        full, is not taken (it was trimmed, or is older than the history kept)."""
        fill_id = fill.fill_id
        if fill_id in self.fills:
            self.duplicate_fills += 1
            return False
        ages = self._fill_ages
        if len(ages) >= self._kept_fills and fill.timestamp < ages[0][0]:
            self.old_fills += 1
            return False
        self.fills_added += 1
        self.fills[fill_id] = fill
        self._fill_numbers[fill_id] = self.fills_added
        age = (fill.timestamp, self.fills_added, fill_id)
        if len(ages) < self._kept_fills:
            heapq.heappush(ages, age)
        else:  # the oldest held goes: never this one, no older than it and the last to arrive
            _, _, oldest = heapq.heappushpop(ages, age)
            del self.fills[oldest]
            del self._fill_numbers[oldest]
        return True

    def fills_after(self, seen: int) -> list[Fill]:
        """The held fills that arrived after the first ``seen`` (a past :attr:`fills_added`),
        in arrival order."""
        numbers = self._fill_numbers
        newer: list[Fill] = []
        for fill_id in reversed(self.fills):
            if numbers[fill_id] <= seen:
                break
            newer.append(self.fills[fill_id])
        newer.reverse()
        return newer

    def recent_fills(self, count: int) -> list[Fill]:
        """The last ``count`` fills to arrive, oldest first."""
        recent = list(itertools.islice(reversed(self.fills.values()), count))
        recent.reverse()
        return recent

    def apply_position(self, position: Position) -> bool:
        held = self.positions.get(position.symbol)
        if (
            held is not None
            and held.sequence is not None
            and position.sequence is not None
            and position.sequence < held.sequence
        ):
            return False
        self.positions[position.symbol] = position
        return True

    def replace_positions(self, positions: Iterable[Position]) -> None:
        """A REST list of open positions: what it lacks is flat now."""
        fresh = {p.symbol: p for p in positions}
        for symbol, held in list(self.positions.items()):
            if symbol not in fresh and not held.is_flat:
                self.positions[symbol] = Position(symbol=symbol, sequence=held.sequence)
        for position in fresh.values():
            self.apply_position(position)

    def apply_balances(self, balances: Iterable[Balance], at: float) -> bool:
        """Replace the balances read or pushed at ``at`` (epoch seconds) unless newer are held.

        A push names only the coins it carries, so coins it lacks are kept."""
        if at < self.balances_at:
            return False
        self.balances_at = at
        for balance in balances:
            self.balances[balance.currency] = balance
        return True

    def open_orders(self) -> list[Order]:
        return [order for order in self.orders.values() if order.status.is_open]

    def last_fill_time(self) -> datetime | None:
        """The newest execution time seen: the rebuild asks for fills from (just before) here."""
        return max((fill.timestamp for fill in self.fills.values()), default=None)

    def open_positions(self) -> list[Position]:
        return [p for p in self.positions.values() if not p.is_flat]


__all__ = ["AccountView"]
