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
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal

from console.domain.account import Balance
from console.domain.orders import Fill, Order
from console.domain.positions import Position


def _progress(order: Order) -> tuple[float, Decimal, bool]:
    updated = order.updated_at.timestamp() if order.updated_at is not None else 0.0
    return updated, order.filled, order.status.is_final


class AccountView:
    """Orders by id, fills by id (arrival order), positions by symbol, balances by currency."""

    def __init__(self) -> None:
        self.orders: dict[str, Order] = {}
        self.fills: dict[str, Fill] = {}
        self.positions: dict[str, Position] = {}
        self.balances: dict[str, Balance] = {}
        self.balances_at: float = 0.0
        """Epoch seconds of the balances held (push creation time or REST read time)."""
        self.duplicate_fills = 0
        """Fills seen again (a push the rebuild had already listed, or the reverse)."""

    def __repr__(self) -> str:
        return (
            f"AccountView(orders={len(self.orders)}, fills={len(self.fills)}, "
            f"positions={len(self.positions)})"
        )

    def apply_order(self, order: Order) -> bool:
        """Keep ``order`` if it is at least as far along as the one held; True if kept."""
        held = self.orders.get(order.order_id)
        if held is not None and _progress(order) < _progress(held):
            return False
        self.orders[order.order_id] = order
        return True

    def add_fill(self, fill: Fill) -> bool:
        """Add an execution once; True when it was new."""
        if fill.fill_id in self.fills:
            self.duplicate_fills += 1
            return False
        self.fills[fill.fill_id] = fill
        return True

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
