"""The simulator's ``position/closed-pnl`` record: what one closing order realised."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from console.sim.orders import ZERO


@dataclass(slots=True)
class ClosedPnl:
    """One ``position/closed-pnl`` row: what one order's closing fills realised."""

    symbol: str
    order_id: str
    side: str
    qty: Decimal
    order_price: Decimal | None
    order_type: str
    exec_type: str
    leverage: Decimal
    created_ms: int
    closed_size: Decimal = ZERO
    cum_entry_value: Decimal = ZERO
    cum_exit_value: Decimal = ZERO
    pnl: Decimal = ZERO
    close_fee: Decimal = ZERO
    fill_count: int = 0
    updated_ms: int = 0

    def add(
        self,
        closed: Decimal,
        entry: Decimal,
        exit_price: Decimal,
        pnl: Decimal,
        fee: Decimal,
        now: int,
    ) -> None:
        """One more closing fill: its gross ``pnl`` and the share of its fee that closed."""
        self.closed_size += closed
        self.cum_entry_value += closed * entry
        self.cum_exit_value += closed * exit_price
        self.pnl += pnl - fee
        self.close_fee += fee
        self.fill_count += 1
        self.updated_ms = now
