"""What happened to an account, told to whoever streams it (the private WebSocket).

The matching engine calls its listeners synchronously, in the order things happen; a
listener that needs Bybit's push order (execution, order, position, wallet) batches them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from console.sim.accounts import SimAccount
from console.sim.orders import SimExecution, SimOrder

EventKind = Literal["order", "execution", "position", "wallet"]


@dataclass(frozen=True, slots=True)
class AccountEvent:
    """One change: an order's state, a fill, a position touched, or the wallet moved."""

    kind: EventKind
    order: SimOrder | None = None
    execution: SimExecution | None = None
    symbol: str | None = None
    """The linear symbol whose position was touched (``position``)."""


AccountListener = Callable[[SimAccount, AccountEvent], None]

__all__ = ["AccountEvent", "AccountListener", "EventKind"]
