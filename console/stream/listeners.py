"""Fan-out of book and trade events to MarketEventListeners (the paper engine, the UI)."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from console.domain import MarketEventListener, Trade

log = logging.getLogger(__name__)


class ListenerSet:
    """Calls every listener; one that raises is logged and never stops the stream."""

    __slots__ = ("members",)

    def __init__(self) -> None:
        self.members: list[MarketEventListener] = []
        """Read-only outside this class. ``if listeners.members:`` is how the stream's hot
        path asks whether anyone listens: ``bool()`` of this set calls Python code."""

    def __bool__(self) -> bool:
        return bool(self.members)

    def add(self, listener: MarketEventListener) -> None:
        if listener not in self.members:
            self.members.append(listener)

    def remove(self, listener: MarketEventListener) -> None:
        if listener in self.members:
            self.members.remove(listener)

    def book_updated(self, symbol: str) -> None:
        for listener in self.members:
            try:
                listener.on_book_update(symbol)
            except Exception:
                log.exception("market listener failed on a book update of %s", symbol)

    def traded(self, symbol: str, trades: Sequence[Trade]) -> None:
        for listener in self.members:
            try:
                listener.on_trades(symbol, trades)
            except Exception:
                log.exception("market listener failed on trades of %s", symbol)
